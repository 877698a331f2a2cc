"""Event diffusion: the scenario file (bundled, bad), the organiser seeded, and a run of the
3-resident town where fakellm answers one invitee's plan for the event's day with going to
it: the report has that invitee planning it and there at the time (and not without it)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from eval_kit import GAME_NIGHT
from llm_servers import FakeLLMServer

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import ConfigError
from aga_npc.eval.diffusion import DiffusionWatch, load_scenario, seed_scenario
from aga_npc.eval.runs import watched_run
from aga_npc.llm import registry
from aga_npc.offline import OfflineLLM
from aga_npc.sim.population import town_for
from aga_npc.types import LLMRequest, LLMResult

INVITEE = "Amara Osei"


def test_the_bundled_scenarios_name_residents_and_places_of_the_demo_town() -> None:
    for npcs in (3, 25):
        scenario = load_scenario(npcs=npcs)
        personas, _ = town_for(npcs)
        seeded = seed_scenario(personas, scenario)
        organiser = next(p for p in seeded if p.name == scenario.organiser)
        assert scenario.event in organiser.currently
        assert organiser.events[0] == scenario.sentence()
        unchanged = [p for p in seeded if p.name != scenario.organiser]
        assert unchanged == [p for p in personas if p.name != scenario.organiser]
    assert load_scenario(npcs=3).sentence().startswith("Silas is organising a game night")
    assert "tomorrow (Tuesday)" in load_scenario(npcs=3).sentence()


def test_a_bad_scenario_is_refused(tmp_path: Path) -> None:
    base = 'organiser = "Silas Grue"\nevent = "a quiz"\nplace = "The Copper Kettle"\n'
    cases = {
        "no_day.toml": base + 'time = "19:00"\n',
        "bad_time.toml": base + 'day = 2\ntime = "25:99"\n',
        "day_zero.toml": base + 'day = 0\ntime = "19:00"\n',
        "short.toml": base + 'day = 2\ntime = "19:00"\nduration = 5\n',
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=name):
            load_scenario(path)
    with pytest.raises(ConfigError, match="no bundled"):
        load_scenario(npcs=7)
    stranger = dataclasses.replace(load_scenario(npcs=3), organiser="Nobody Here")
    with pytest.raises(ConfigError, match="not a resident"):
        seed_scenario(town_for(3)[0], stranger)


class Routed:
    """The invitee's plan for the event's day from fakellm; everything else offline."""

    name = "routed"
    model = "routed"

    def __init__(self, real: Any, day: int) -> None:
        self.real = real
        self.day = day
        self.offline = OfflineLLM(seed=0)

    def _real(self, request: LLMRequest) -> bool:
        return (
            request.agent == INVITEE
            and request.module_name == "daily_plan"
            and request.day == self.day
        )

    async def complete(self, request: LLMRequest) -> LLMResult:
        if self._real(request):
            return await self.real.complete(request)
        return await self.offline.complete(request)

    async def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        async for piece in self.offline.stream(request):
            yield piece

    async def aclose(self) -> None:
        await self.real.aclose()


def run(settings: Settings) -> dict[str, Any]:
    scenario = load_scenario(npcs=3)
    personas, map_path = town_for(3)
    watch = DiffusionWatch(scenario)
    watched_run(
        seed_scenario(personas, scenario),
        mode="aga",
        days=2,
        seed=0,
        settings=settings,
        embedder=CachedEmbedder(HashingEmbedder()),
        map_path=map_path,
        watch=watch,
    )
    return watch.report([p.name for p in personas])


@pytest.mark.integration
@pytest.mark.slow
def test_an_invitee_whose_plan_says_so_attends_on_the_day(
    fakellm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(llm="openai", base_url=fakellm.base_url, api_key="sk-test", embed="hashing")
    real = registry.build_backend(settings)
    day = load_scenario(npcs=3).day
    monkeypatch.setitem(registry._factories, "openai", lambda _: Routed(real, day))
    before = fakellm.rule_count("invitee-plan")
    report = run(settings)
    assert fakellm.rule_count("invitee-plan") - before == 1
    planned = report["planned"][INVITEE]
    assert planned["how"] == "plan" and GAME_NIGHT in planned["text"]
    assert report["attended"].get(INVITEE), report["attended"]
    assert report["counts"]["attended_having_planned"] >= 1

    control = run(Settings(llm="offline", embed="hashing"))
    assert INVITEE not in control["attended"]
    assert INVITEE not in control["planned"]
