"""The stand-in's -ing forms: doubled final consonants only where English doubles them."""

from __future__ import annotations

import pytest

from aga_npc.offline.words import gerund, gerund_phrase


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("scrub", "scrubbing"),
        ("sit", "sitting"),
        ("plan", "planning"),
        ("stir", "stirring"),
        ("quit", "quitting"),
        ("begin", "beginning"),
        ("prefer", "preferring"),
        ("open", "opening"),
        ("visit", "visiting"),
        ("iron", "ironing"),
        ("edit", "editing"),
        ("listen", "listening"),
        ("water", "watering"),
        ("make", "making"),
        ("lie", "lying"),
        ("fix", "fixing"),
        ("peel", "peeling"),
        ("reading", "reading"),
    ],
)
def test_gerund(verb: str, expected: str) -> None:
    assert gerund(verb) == expected


def test_gerund_phrase_turns_the_first_verb_and_recipe_verbs_after_and() -> None:
    assert gerund_phrase("open the curtains") == "opening the curtains"
    assert gerund_phrase("scrub the pans.") == "scrubbing the pans"
