"""Staff do not order and pay at their own workplace's counter (the stand-in's decomposition)."""

from __future__ import annotations

from offline_town import decomposed_verbs

OBJECTS = [
    {
        "address": "Test Cafe:cafe:counter",
        "kind": "counter",
        "verbs": ["serve", "order", "pay", "work", "prepare drinks"],
    },
    {
        "address": "Test Cafe:cafe:table 1",
        "kind": "table",
        "verbs": ["eat", "sit", "work", "read", "write", "chat"],
    },
]
BARISTA = {"name": "Ada Finch", "workplace": "Test Cafe", "role": "barista"}
GUEST = {"name": "Ben Ortiz", "workplace": "Test Park", "role": "gardener"}


def _verbs(persona: dict[str, str], activity: str) -> set[str]:
    return decomposed_verbs(persona, activity, OBJECTS, place="Test Cafe")


def test_a_guest_orders_and_the_barista_at_her_own_cafe_does_not() -> None:
    for activity in ("get a coffee at Test Cafe", "help plan the party at Test Cafe"):
        assert "order" in _verbs(GUEST, activity), activity
        assert not _verbs(BARISTA, activity) & {"order", "pay"}, activity
