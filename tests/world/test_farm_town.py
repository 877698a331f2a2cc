"""A game day on a farm of the game's own object kinds, headless with the offline stand-in:
the residents use the field, the fishing spot and the market stalls with their verbs, and
nothing they do names an object the farm lacks (no piano, TV, sofa or shelves)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import MapError
from aga_npc.host.town_host import HostConfig, TownHost
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.prompts import extract_context
from aga_npc.runtime.inline import InlineGateway
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.town import Town
from aga_npc.types import LLMRequest, LLMResult
from aga_npc.world.kinds import KindRegistry

DATA = Path(__file__).parent / "data"
FARM = DATA / "farm.tmx"
FARM_KINDS = DATA / "farm_kinds.toml"
RESIDENTS = DATA / "farm_residents"
OWN_VERBS = {
    ("fish", "fishing spot"),
    ("harvest", "field"),
    ("plant", "field"),
    ("water", "field"),
    ("trade", "market stall"),
    ("sell", "market stall"),
}
ABSENT = re.compile(r"\b(tv|television|piano|sofa|couch|shelf|shelves|desk|easel|blackboard)\b")


async def _no_sleep(_: float) -> None:
    return None


class _Seen(OfflineLLM):
    """The offline stand-in, keeping the context of every request it answers."""

    def __init__(self) -> None:
        super().__init__(seed=0)
        self.contexts: list[dict[str, Any]] = []

    async def complete(self, request: LLMRequest) -> LLMResult:
        self.contexts.append(extract_context(request.messages) or {})
        return await super().complete(request)


SEEN = _Seen()


@pytest.fixture(scope="module")
def farm_day() -> Iterator[Town]:
    ledger = TokenLedger()
    stack = build_stack(Settings(), ledger, backend=SEEN, sleep=_no_sleep)
    gateway = InlineGateway(stack, ledger=ledger)
    embedder = CachedEmbedder(HashingEmbedder())
    spec = TownSpec(personas=load_personas(RESIDENTS), map_path=FARM, kinds=FARM_KINDS)
    town = build_town(
        spec,
        gateway=gateway,
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=StorePolicy(PolicyStore(embedder=embedder)),
    )
    town.run_minutes(20 * 60)  # 06:00 to 02:00
    yield town
    gateway.close()


def test_the_farm_loads_with_its_own_kinds(farm_day: Town) -> None:
    assert farm_day.world.problems == ()
    assert "fishing spot" in farm_day.world.kinds and "piano" in farm_day.world.kinds
    assert farm_day.world.objects(kind="piano") == []


def test_the_residents_use_the_games_own_kinds_with_their_verbs(farm_day: Town) -> None:
    done = {(a.verb, a.kind) for day in farm_day.agent_days() for a in day.executed}
    assert done & OWN_VERBS, sorted(done)
    fished = [a for day in farm_day.agent_days() for a in day.executed if a.verb == "fish"]
    assert fished and {a.target for a in fished} == {"Mill Pond:shore:fishing spot"}
    by_agent = {
        day.agent: {(a.verb, a.kind) for a in day.executed} & OWN_VERBS
        for day in farm_day.agent_days()
    }
    assert by_agent["Tom Reed"] and by_agent["Mae Reed"]  # each at their own work


def test_no_action_or_plan_names_an_object_the_farm_lacks(farm_day: Town) -> None:
    kinds_here = {o.kind for o in farm_day.world.objects()}
    for day in farm_day.agent_days():
        for a in day.executed:
            assert not a.kind or a.kind in kinds_here
            assert not ABSENT.search(a.plan.lower()), a.plan
    for brain in farm_day.brains.values():
        plan = brain.planner.plan(1)
        assert plan is not None
        texts = [a.text.lower() for a in plan.activities]
        assert not [t for t in texts if ABSENT.search(t)], texts


def test_the_planning_prompts_list_the_farms_things(farm_day: Town) -> None:
    things = farm_day.brains["Tom Reed"].mind.known_things()
    kinds = [t["kind"] for t in things]
    assert "fishing spot" in kinds and "piano" not in kinds
    spot = next(t for t in things if t["kind"] == "fishing spot")
    assert spot == {
        "kind": "fishing spot",
        "verbs": ["fish", "sit"],
        "places": ["Mill Pond"],
        "minutes": 30,
    }


def test_the_host_takes_the_kinds_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    personas = load_personas(RESIDENTS)
    host = TownHost.create(
        personas,
        map_path=FARM,
        config=HostConfig(kinds=FARM_KINDS, gc_freeze=False, standin_process=False),
        settings=Settings(embed="hashing"),
        backend=OfflineLLM(seed=0),
        embedder=CachedEmbedder(HashingEmbedder()),
    )
    try:
        assert host.town.world.problems == ()
        assert host.town.world.kinds == KindRegistry.resolve(FARM_KINDS)
    finally:
        host.close()
    bad = tmp_path / "kinds.toml"
    bad.write_text('[kinds."fishing spot"]\nverbs = []\n', encoding="utf-8")
    with pytest.raises(MapError, match=r'kinds\.toml: kinds\."fishing spot"\.verbs'):
        TownHost.create(
            personas,
            map_path=FARM,
            config=HostConfig(kinds=bad, gc_freeze=False, standin_process=False),
            settings=Settings(embed="hashing"),
            backend=OfflineLLM(seed=0),
            embedder=CachedEmbedder(HashingEmbedder()),
        )


def test_the_prompts_show_the_models_the_farms_kinds_and_verbs(farm_day: Town) -> None:
    plans = [c for c in SEEN.contexts if c.get("module") == "daily_plan"]
    assert plans and all("things" in c for c in plans)
    kinds = {t["kind"]: t["verbs"] for t in plans[0]["things"]}
    assert kinds["field"] == ["harvest", "plant", "water"] and "piano" not in kinds
    listed = [
        o
        for c in SEEN.contexts
        if c.get("module") in ("decompose", "action_chain", "action_object")
        for o in c.get("objects", ())
    ]
    verbs = {o["kind"]: o["verbs"] for o in listed}
    assert verbs.get("fishing spot") == ["fish", "sit"] or verbs.get("field") == [
        "harvest",
        "plant",
        "water",
    ], verbs
