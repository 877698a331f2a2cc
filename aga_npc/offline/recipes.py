"""The decomposition lexicon: what an activity means in steps on object kinds and verbs.

The recipes themselves live in ``recipes_daily`` (everyday life) and ``recipes_work``
(work); ``RECIPES`` puts them in the order that breaks ties between equally good
matches (earlier wins; role recipes also get a bonus for their role).
"""

from __future__ import annotations

from aga_npc.offline.recipe_kit import Recipe, StepSpec, word_forms
from aga_npc.offline.recipes_daily import DAILY
from aga_npc.offline.recipes_work import WORK

__all__ = ["EXTRAS", "FOODS", "RECIPES", "Recipe", "StepSpec", "word_forms"]

FOODS = {
    "breakfast": ("eggs", "toast", "oatmeal", "pancakes", "porridge"),
    "lunch": ("a sandwich", "soup", "leftovers", "a salad"),
    "dinner": ("pasta", "vegetables", "a stew", "rice and beans", "a stir-fry"),
    "meal": ("something simple", "a quick meal"),
}

EXTRAS = ("check the time", "stretch for a moment", "look around", "pause for a moment")
"""Small steps a model sometimes adds to any decomposition (done wherever one is)."""

_ORDER = (
    "meal_out",
    "meal_home",
    "think",
    "bed_prep",
    "sleep",
    "nap",
    "wake",
    "morning",
    "stock_check",
    "cafe_work",
    "bar_work",
    "kitchen_work",
    "teach",
    "class",
    "study",
    "craft",
    "hobby",
    "meeting",
    "desk_work",
    "garden",
    "paint",
    "exhibition",
    "read",
    "tv",
    "live_music",
    "music",
    "bar_visit",
    "cafe_visit",
    "shopping",
    "shop_counter",
    "shop_stock",
    "shop_work",
    "sort_books",
    "library_work",
    "walk",
    "party_setup",
    "party",
    "social",
    "write",
    "kitchen_clean",
    "laundry",
    "house_clean",
    "houseplants",
    "relax",
    "bake",
    "work",
)


def _ordered() -> tuple[Recipe, ...]:
    by_key = {r.key: r for r in (*DAILY, *WORK)}
    if sorted(by_key) != sorted(_ORDER) or len(by_key) != len(DAILY) + len(WORK):
        raise RuntimeError("recipes: every recipe needs one unique key and a place in _ORDER")
    return tuple(by_key[key] for key in _ORDER)


RECIPES: tuple[Recipe, ...] = _ordered()
"""Every recipe, best first among equals."""
