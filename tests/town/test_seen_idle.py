"""What onlookers see: someone standing about while their next step is worked out is seen
idle (rated 1 without a poignancy call, as Generative Agents rates idle events)."""

from __future__ import annotations

from typing import Any

from scripted import scripted

from aga_npc.brain.intent import Intent, IntentKind, Source
from aga_npc.brain.modes import Mode
from aga_npc.prompts import extract_context
from aga_npc.testing import FakeLLM
from aga_npc.town.town import _seen_doing


def test_waiting_or_fallback_standing_is_seen_as_idle_and_real_actions_are_not() -> None:
    for source in (Source.WAITING, Source.FALLBACK):
        stay = Intent(
            kind=IntentKind.STAY, description="thinking about what to do next", source=source
        )
        assert _seen_doing(stay) == "idle"
    cooking = Intent(
        kind=IntentKind.USE,
        target="Test House:kitchen:stove",
        verb="cook",
        description="frying eggs",
        source=Source.WAITING,
    )
    assert _seen_doing(cooking) == "frying eggs"
    planned = Intent(kind=IntentKind.STAY, description="waiting for the bus", source=Source.LLM)
    assert _seen_doing(planned) == "waiting for the bus"


def test_no_poignancy_call_is_spent_on_someone_waiting(make_town: Any) -> None:
    fake = FakeLLM(scripted())
    built = make_town(fake, mode=Mode.BASELINE)
    built.town.run_minutes(24 * 60)
    rated = [
        str((extract_context(r.messages) or {}).get("memory", ""))
        for r in fake.calls
        if r.module_name == "poignancy"
    ]
    assert rated, "events are still rated"
    assert not [m for m in rated if "what to do next" in m or " is idle" in m]
    idle = [
        ev
        for brain in built.town.brains.values()
        for ev in brain.mind.stream.events()
        if " is idle" in ev.text
    ]
    assert idle, "waiting neighbours were seen, as idle"
    assert all(ev.importance == 1 for ev in idle)
