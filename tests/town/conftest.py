"""Fixtures: a small real TMX town with two residents, driven through the real stack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import LLMBackend
from aga_npc.runtime.inline import InlineGateway
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.town import Town

DATA = Path(__file__).resolve().parent / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"


async def no_sleep(_: float) -> None:
    return None


@dataclass
class Built:
    town: Town
    ledger: TokenLedger
    store: PolicyStore
    gateway: InlineGateway
    embedder: CachedEmbedder


TownFactory = Callable[..., Built]


@pytest.fixture
def small_town() -> Path:
    return SMALL_TOWN


@pytest.fixture
def residents() -> Path:
    return RESIDENTS


@pytest.fixture
def make_town() -> TownFactory:
    """Build the two-resident test town around a backend (FakeLLM or OfflineLLM)."""
    built: list[Built] = []

    def factory(
        backend: LLMBackend,
        *,
        mode: Mode = Mode.AGA,
        seed: int = 0,
        lod: str = "turns",
        store: PolicyStore | None = None,
        embedder: CachedEmbedder | None = None,
    ) -> Built:
        ledger = TokenLedger()
        stack = build_stack(Settings(), ledger, backend=backend, sleep=no_sleep)
        gateway = InlineGateway(stack, ledger=ledger)
        embedder = embedder or CachedEmbedder(HashingEmbedder())
        store = store or PolicyStore(embedder=embedder)
        spec = TownSpec(
            personas=load_personas(RESIDENTS), mode=mode, seed=seed, map_path=SMALL_TOWN, lod=lod
        )
        town = build_town(
            spec,
            gateway=gateway,
            embedder=embedder,
            cached_vector=embedder.cached,
            policy=StorePolicy(store),
        )
        b = Built(town=town, ledger=ledger, store=store, gateway=gateway, embedder=embedder)
        built.append(b)
        return b

    yield factory  # type: ignore[misc]
    for b in built:
        b.gateway.close()
