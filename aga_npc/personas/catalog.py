"""What a town offers imported personas: homes with bed counts and workplaces with keywords.

The importer of Generative Agents personas maps their places onto a ``TownCatalog``.
``TownCatalog.demo()`` describes the bundled town (docs/MAP_CONVENTIONS.md);
``TownCatalog.from_world(world)`` reads any loaded map.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aga_npc.world import World

__all__ = ["ROLE_WORDS", "Home", "TownCatalog", "Workplace", "role_for"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Home:
    """A home sector, its bed count and words that describe it (for fuzzy matching)."""

    name: str
    beds: int
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Workplace:
    """A work sector and the job words that send a resident there.

    ``keywords`` are matched as whole words (``"bar"`` does not match ``"barista"``).
    """

    name: str
    keywords: tuple[str, ...]


_DEMO_HOMES = (
    Home(name="Brook House", beds=4, words=("family", "house", "home", "kids")),
    Home(name="Harbor Flat", beds=3, words=("flat", "shared", "co-living", "roommates")),
    Home(name="Alder Dorm", beds=6, words=("dorm", "dormitory", "college", "student")),
    Home(name="Rowan Cottage", beds=2, words=("cottage", "couple", "artist", "studio")),
    Home(name="Fenwick House", beds=3, words=("family", "house", "home")),
    Home(name="Cedar Apartments", beds=4, words=("apartment", "apartments", "single")),
    Home(name="Mill Cottage", beds=1, words=("cottage", "single")),
    Home(name="Lantern House", beds=2, words=("couple", "house", "home")),
)

_DEMO_WORKPLACES = (
    Workplace(
        name="Juniper Cafe",
        keywords=("cafe", "café", "coffee", "barista", "bakery"),
    ),
    Workplace(
        name="Alder College",
        keywords=(
            "college",
            "university",
            "professor",
            "student",
            "lecturer",
            "librarian",
            "campus",
        ),
    ),
    Workplace(
        name="Pine Street Grocery",
        keywords=("grocery", "grocer", "store", "shop", "shopkeeper", "market", "pharmacy"),
    ),
    Workplace(name="The Copper Kettle", keywords=("bar", "pub", "tavern", "bartender", "inn")),
    Workplace(
        name="Town Hall",
        keywords=("town hall", "city hall", "mayor", "council", "clerk", "municipal"),
    ),
    Workplace(name="Elm Park", keywords=("park", "gardener", "groundskeeper")),
)

ROLE_WORDS: Mapping[str, str] = {
    "cafe owner": "cafe owner",
    "barista": "barista",
    "cook": "cook",
    "chef": "cook",
    "professor": "professor",
    "lecturer": "professor",
    "student": "student",
    "librarian": "librarian",
    "shopkeeper": "grocer",
    "grocer": "grocer",
    "pharmacist": "grocer",
    "bartender": "bartender",
    "mayor": "mayor",
    "clerk": "town clerk",
    "gardener": "gardener",
    "painter": "painter",
    "artist": "painter",
    "writer": "writer",
    "author": "writer",
    "musician": "musician",
}
"""Job words -> role titles, for imported personas (earliest match wins, longer on ties)."""


def _first_match(words: tuple[str, ...] | list[str], text: str) -> tuple[int, int, str] | None:
    """(position, -length, word) of the earliest whole-word match of ``words`` in ``text``."""
    low = text.lower()
    best: tuple[int, int, str] | None = None
    for word in words:
        m = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", low)
        if m and (best is None or (m.start(), -len(word)) < best[:2]):
            best = (m.start(), -len(word), word)
    return best


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z][a-z'-]+", name.lower()) if w not in ("the", "of"))


@dataclass(frozen=True, slots=True, kw_only=True)
class TownCatalog:
    """Homes (with free-bed counts) and workplaces a town offers, in map order."""

    homes: tuple[Home, ...]
    workplaces: tuple[Workplace, ...]

    @classmethod
    def demo(cls) -> TownCatalog:
        """The demo town of docs/MAP_CONVENTIONS.md (aga_npc/data/maps/town.tmx)."""
        return cls(homes=_DEMO_HOMES, workplaces=_DEMO_WORKPLACES)

    @classmethod
    def from_world(cls, world: World) -> TownCatalog:
        """Homes are sectors with spawns (beds counted); every other sector is a workplace.

        Sectors named as in the demo town keep the demo descriptions. Others are matched
        by the words of their names, plus the job words of a demo workplace sharing one of
        those words (a "Harbour Cafe" also takes baristas).
        """
        demo_homes = {h.name: h for h in _DEMO_HOMES}
        demo_work = {w.name: w for w in _DEMO_WORKPLACES}
        beds = world.home_beds()
        homes = tuple(
            Home(name=n, beds=b, words=demo_homes[n].words if n in demo_homes else _words(n))
            for n, b in beds.items()
        )
        workplaces = tuple(
            demo_work.get(n) or _workplace_like_demo(n)
            for n in world.sector_names()
            if n not in beds
        )
        return cls(homes=homes, workplaces=workplaces)

    def home(self, name: str) -> Home | None:
        """The home named ``name`` (case and a leading "the" ignored)."""
        key = _norm(name)
        return next((h for h in self.homes if _norm(h.name) == key), None)

    def workplace_for(self, text: str) -> tuple[str, str] | None:
        """``(workplace, keyword)`` for the job word that appears first in ``text``."""
        best: tuple[int, int, str, str] | None = None
        for wp in self.workplaces:
            hit = _first_match([*wp.keywords, _norm(wp.name)], text)
            if hit and (best is None or hit[:2] < best[:2]):
                best = (hit[0], hit[1], wp.name, hit[2])
        return None if best is None else (best[2], best[3])


def _workplace_like_demo(name: str) -> Workplace:
    words = _words(name)
    extra: list[str] = []
    for demo in _DEMO_WORKPLACES:
        if set(words) & set(demo.keywords):
            extra.extend(k for k in demo.keywords if k not in words and k not in extra)
    return Workplace(name=name, keywords=(*words, *extra))


def _norm(name: str) -> str:
    low = " ".join(name.lower().split())
    return low[4:] if low.startswith("the ") else low


def role_for(text: str) -> str:
    """A role title from the first job word in ``text`` ("" when none is recognised)."""
    hit = _first_match(list(ROLE_WORDS), text)
    return ROLE_WORDS[hit[2]] if hit else ""
