"""An agreement made in a conversation for later today changes today's schedule."""

from __future__ import annotations

import json
from typing import Any

from scripted import scripted

from aga_npc.brain.modes import Mode
from aga_npc.planning.schedule import format_hhmm
from aga_npc.prompts import extract_context
from aga_npc.testing import FakeLLM
from aga_npc.types import LLMRequest

AGREED = {
    "activity": "play a board game with Ben at the cafe",
    "day": "today",
    "start": "18:30",
    "duration": 60,
    "place": "Test Cafe",
}


def chatty(plan: dict[str, Any] | None) -> Any:
    """The scripted town, where everyone wants to talk and the conversation ends with
    ``plan`` agreed (None: nothing agreed)."""
    base = scripted()

    def respond(request: LLMRequest) -> str:
        module = request.module_name
        if module == "decide_talk":
            return json.dumps({"talk": True, "reason": "a friend"})
        if module == "utterance":
            ctx = extract_context(request.messages) or {}
            done = ctx.get("turn", 0) >= 3
            return json.dumps({"line": "Fancy a board game at the cafe tonight?", "end": done})
        if module == "planning_thought":
            return json.dumps({"thought": "Board game night!", "plan": plan})
        return str(base(request))

    return respond


def _run_until_talked(town: Any, name: str, limit: int = 14 * 60) -> None:
    brain = town.brains[name]
    for _ in range(limit):
        town.step_minute()
        if brain.stats()["conversations"] and not town.conversations.wrapping:
            return
    raise AssertionError(f"{name} never talked")


def test_an_agreement_for_tonight_rewrites_the_rest_of_today(make_town: Any) -> None:
    built = make_town(FakeLLM(chatty(AGREED)), mode=Mode.AGA)
    town = built.town
    ada = town.brains["Ada Finch"]
    _run_until_talked(town, "Ada Finch")
    day = town.now // 1440 + 1
    before = ada.planner.revision(day)
    for _ in range(10):  # the planning thought, then the re-plan, each a minute
        town.step_minute()
    assert ada.planner.revision(day) > before, "today's plan was rewritten"
    plan = ada.planner.plan(day)
    assert plan is not None
    agreed = [a for a in plan.activities if "board game" in a.text]
    assert agreed, [(format_hhmm(a.start), a.text) for a in plan.activities]
    assert format_hhmm(agreed[0].start) == "18:30" and agreed[0].place == "Test Cafe"
    # and she goes: at 18:45 she is at the cafe for it
    town.run_minutes((day - 1) * 1440 + 18 * 60 + 45 - town.now)
    assert "board game" in ada.intent.activity
    assert town.world.agent_place("Ada Finch")[0] == "Test Cafe"


def test_without_an_agreement_today_stays_as_planned(make_town: Any) -> None:
    built = make_town(FakeLLM(chatty(None)), mode=Mode.AGA)
    town = built.town
    ada = town.brains["Ada Finch"]
    _run_until_talked(town, "Ada Finch")
    day = town.now // 1440 + 1
    before = ada.planner.revision(day)
    for _ in range(10):
        town.step_minute()
    assert ada.planner.revision(day) == before
    plan = ada.planner.plan(day)
    assert plan is not None and not [a for a in plan.activities if "board game" in a.text]
