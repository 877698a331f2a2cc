"""Fault campaign: the town lives through an endpoint that fails 30% of the time in mixed
ways, and through a whole game hour with the server down; every failure is in the ledger."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_server import FaultServer

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.llm import RetryPolicy, TokenLedger, build_stack
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.runtime.inline import InlineGateway
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.town import Town

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
DAY = 1440

# what the ledger calls each injected fault (JSON-shape faults only fail JSON requests)
LEDGER_KIND = {
    "rate_limit": "rate_limit",
    "server_error": "server_error",
    "drop": "connection",
    "timeout": "timeout",
    "empty": "empty",
}


async def _no_sleep(_: float) -> None:
    return None


def make_town(
    server: FaultServer, mode: Mode = Mode.AGA
) -> tuple[Town, TokenLedger, InlineGateway]:
    ledger = TokenLedger()
    settings = Settings(
        llm="openai", base_url=server.base_url, api_key="sk-fault-test", request_timeout=0.4
    )
    stack = build_stack(
        settings,
        ledger,
        rng=random.Random(3),
        retry=RetryPolicy(max_attempts=3, base=0.001, cap=0.01),
        sleep=_no_sleep,
    )
    gateway = InlineGateway(stack, ledger=ledger)
    embedder = CachedEmbedder(HashingEmbedder())
    town = build_town(
        TownSpec(
            personas=load_personas(DATA / "residents"),
            mode=mode,
            map_path=DATA / "small_town.tmx",
        ),
        gateway=gateway,
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=StorePolicy(PolicyStore(embedder=embedder)),
    )
    return town, ledger, gateway


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer(rate=0.3, seed=11, timeout_delay=1.0)
    try:
        yield srv
    finally:
        srv.down()


def error_kinds(ledger: TokenLedger) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for e in ledger.entries():
        if e.error_kind:
            kinds[e.error_kind] = kinds.get(e.error_kind, 0) + 1
    return kinds


def lived(town: Town, days: int) -> None:
    """Every NPC had a day of activities and slept in its own bed each night."""
    records = town.agent_days(days)
    assert len(records) == days * len(town.brains)
    for r in records:
        assert r.schedule and r.executed, f"{r.agent} did nothing on day {r.day}"
        assert r.slept_in_own_bed, f"{r.agent} did not sleep in own bed after day {r.day}"


def test_thirty_percent_mixed_failures_over_two_days(server: FaultServer) -> None:
    town, ledger, gateway = make_town(server)
    town.run_minutes(2 * DAY)  # must not raise
    gateway.close()
    injected = dict(server.injected)
    assert set(injected) == set(LEDGER_KIND) | {"truncated_json", "wrong_shape", "prose"}
    assert sum(injected.values()) >= 0.2 * server.served
    kinds = error_kinds(ledger)
    for fault, kind in LEDGER_KIND.items():
        assert kinds.get(kind, 0) == injected[fault], (fault, kinds, injected)
    shape_faults = injected["truncated_json"] + injected["wrong_shape"] + injected["prose"]
    assert 1 <= kinds.get("malformed", 0) <= shape_faults
    totals = ledger.totals()
    assert totals["by_outcome"]["retried"] > 0 and totals["by_outcome"]["ok"] > 0
    lived(town, 2)


def test_server_down_for_a_game_hour_then_back(server: FaultServer) -> None:
    server.rate = 0.0
    # the paper's mode asks all the time (poignancy of every event, the per-action chain on
    # a miss), so the down hour certainly meets requests; the cheaper aga mode may need none
    town, ledger, gateway = make_town(server, Mode.AGA_PAPER)
    town.run_minutes(4 * 60)  # 06:00 -> 10:00
    before = len(ledger)
    server.down()
    town.run_minutes(60)
    during = ledger.entries()[before:]
    assert during and all(e.error_kind == "connection" for e in during if e.error_kind)
    intents: list[Any] = [b.intent for b in town.brains.values()]
    assert all(i is not None for i in intents), "NPCs keep an intent while the LLM is down"
    server.up()
    mark = len(ledger)
    town.run_minutes(2 * 60)
    after = ledger.entries()[mark:]
    assert any(e.outcome == "ok" for e in after), "calls succeed again once the server is back"
    assert all(e.outcome in ("ok", "coalesced") for e in after), "nothing left broken"
    gateway.close()
    for brain in town.brains.values():  # the day goes on from where it was
        assert brain.intent.activity and brain.state.value in ("acting", "resolving", "waiting")
