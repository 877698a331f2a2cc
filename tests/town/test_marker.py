"""The overlay's marker shows the cosine of the decision behind the current action, not the
cosine of whatever lookup the brain made last (it resolves the next item ahead of time)."""

from __future__ import annotations

from typing import Any

from scripted import scripted

from aga_npc.brain.intent import Source
from aga_npc.brain.modes import Mode
from aga_npc.brain.services import HitHandle, PlanKey, PolicyDecision
from aga_npc.testing import FakeLLM
from aga_npc.types import Action


class _Cosines:
    """A Lifestyle Policy that reuses breakfast at cosine 0.93 and misses everything else
    at cosine 0.21 (and stores nothing)."""

    def __init__(self) -> None:
        self.lookups: list[tuple[str, float]] = []

    def lookup(self, *, plan: PlanKey, vector: Any, **kw: Any) -> PolicyDecision:
        if "breakfast" in plan.text:
            decision = PolicyDecision(
                hit=True,
                actions=(Action(verb="cook", target="@home:kitchen:stove", duration=60),),
                reason="similar_hit: variant 0",
                cosine=0.93,
                matched="have breakfast",
                scope="town",
                handle=HitHandle(entry=1, variant=0),
            )
        else:
            decision = PolicyDecision(hit=False, reason="no_candidate", cosine=0.21)
        self.lookups.append((plan.text, decision.cosine))
        return decision

    def store(self, **kw: Any) -> None:
        return None

    def report_failure(self, handle: HitHandle, *, now: int, why: str) -> None:
        return None

    def report_success(self, handle: HitHandle, *, now: int) -> None:
        return None

    def embedding_texts(self, text: str) -> tuple[str, ...]:
        return (text,)


def test_the_marker_shows_the_cosine_behind_the_current_action(make_town: Any) -> None:
    import dataclasses

    built = make_town(FakeLLM(scripted()), mode=Mode.AGA_PAPER)
    town = built.town
    ada = town.brains["Ada Finch"]
    port = _Cosines()
    services = dataclasses.replace(ada.services, policy=port)
    ada.services = services
    ada.resolver.services = services
    for _ in range(6 * 60):
        town.step_minute()
        snap = ada.snapshot()
        if snap.source == "policy" and "breakfast" in snap.activity:
            break
    else:
        raise AssertionError("Ada's breakfast never ran from the policy")
    # the next item (work) was looked up after breakfast's hit, and missed at 0.21: the
    # brain's last decision is not the one behind what it does now
    assert port.lookups[-1] == ("work", 0.21)
    assert snap.marker() == "[policy 0.93]"
    assert snap.cosine == 0.93
    # once the breakfast is over and work runs from a decomposition, no cosine is shown
    while "breakfast" in ada.intent.activity:
        town.step_minute()
    for _ in range(30):
        town.step_minute()
    after = ada.snapshot()
    assert after.source in (Source.LLM.value, Source.WAITING.value)
    assert after.cosine == 0.0 and "policy" not in after.marker()
