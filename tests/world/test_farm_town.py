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
from aga_npc.town.town import Town, in_use_state
from aga_npc.types import LLMRequest, LLMResult
from aga_npc.world.kinds import KindRegistry
from aga_npc.world.model import World

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
    states: list[tuple[str, str]] = []
    set_state = World.set_state

    def record(world: World, address: str, state: str) -> None:
        if world is town.world:
            states.append((address, state))
        set_state(world, address, state)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(World, "set_state", record)
        town.run_minutes(20 * 60)  # 06:00 to 02:00
    town.states_seen = states  # type: ignore[attr-defined]
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


def test_an_object_in_use_shows_the_state_its_kind_declares_for_the_verb(
    farm_day: Town,
) -> None:
    seen: list[tuple[str, str]] = farm_day.states_seen  # type: ignore[attr-defined]
    done = {(a.verb, a.target) for day in farm_day.agent_days() for a in day.executed}
    expected = {"fish": "being fished", "harvest": "being harvested", "plant": "being planted"}
    checked = 0
    for verb, target in done:
        if verb in expected:
            assert (target, expected[verb]) in seen, (verb, target)
            checked += 1
    assert checked  # the farm's own verbs were used at all
    for address, _ in seen:  # each went back to rest afterwards
        info = farm_day.world.object_at(address)
        assert info is not None
        if not info.occupants:
            assert info.state == info.states[0], address


def test_in_use_state_rules() -> None:
    field = ("growing", "being harvested", "being planted")
    assert in_use_state(field, verb="plant") == "being planted"
    assert in_use_state(field, verb="harvest") == "being harvested"
    assert in_use_state(field, verb="water") == "being harvested"  # no word: the second
    assert in_use_state(field, verb="plant", named="being harvested") == "being harvested"
    assert in_use_state(field, verb="plant", named="growing") == "being planted"  # resting
    assert in_use_state(("off", "on", "broken"), verb="watch tv") == "on"
    assert in_use_state(("idle", "being fished"), verb="sit") == "being fished"


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
