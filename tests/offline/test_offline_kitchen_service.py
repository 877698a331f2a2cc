"""A cook passes plates to the counter only when the plan is about service: getting the
day's soup started is prep at the stove (the stand-in's decomposition)."""

from __future__ import annotations

from offline_town import decomposed_verbs

OBJECTS = [
    {"address": "Test Cafe:kitchen:fridge", "kind": "fridge", "verbs": ["get food"]},
    {"address": "Test Cafe:kitchen:stove", "kind": "stove", "verbs": ["cook"]},
    {"address": "Test Cafe:kitchen:counter", "kind": "counter", "verbs": ["serve", "work"]},
    {"address": "Test Cafe:kitchen:sink", "kind": "sink", "verbs": ["wash dishes"]},
]
COOK = {"name": "Ida Vale", "workplace": "Test Cafe", "role": "cook"}


def _verbs(activity: str) -> set[str]:
    return decomposed_verbs(COOK, activity, OBJECTS, place="Test Cafe", duration=90, seeds=30)


def test_soup_prep_is_cooking_without_serving() -> None:
    for activity in ("get started on the day's soup", "simmer the soup for later"):
        verbs = _verbs(activity)
        assert "cook" in verbs, activity
        assert "serve" not in verbs, activity


def test_cooking_for_service_still_passes_plates() -> None:
    for activity in (
        "cook lunch orders in the kitchen",
        "cook the dinner orders for the evening service",
    ):
        assert {"cook", "serve"} <= _verbs(activity), activity
