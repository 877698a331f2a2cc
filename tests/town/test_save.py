"""Save games: the whole town round-trips through one atomic msgpack file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.personas.model import Persona
from aga_npc.runtime.inline import InlineGateway
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.save import (
    encode_save,
    load_town,
    previous_save_path,
    save_town,
    write_save_bytes,
)
from aga_npc.town.town import Town

DATA = Path(__file__).resolve().parent / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"
TownFactory = Any


async def no_sleep(_: float) -> None:
    return None


def _picture(town: Town) -> dict[str, object]:
    """What a player would notice: clock, where everyone is, what they remember and plan."""
    return {
        "clock": town.world.clock,
        "tiles": {n: town.world.agent_tile(n) for n in town.names()},
        "memories": {n: town.brains[n].snapshot().memories for n in town.names()},
        "stream": {n: len(town.brains[n].mind.stream.recent(10_000)) for n in town.names()},
        "plans": {n: sorted(town.brains[n].plans) for n in town.names()},
        "social": {n: town.brains[n].snapshot().relationships for n in town.names()},
        "claims": {n: town.world.claims_of(n) for n in town.names()},
    }


def test_save_then_load_restores_clock_positions_and_memories(
    make_town: TownFactory, tmp_path: Path
) -> None:
    built = make_town(OfflineLLM(seed=1))
    town = built.town
    town.run_minutes(9 * 60)  # 06:00 -> 15:00: plans, routines, memories, a policy
    path = tmp_path / "town.aga"
    size = save_town(path, town, policy=built.store)
    assert size == path.stat().st_size > 0
    saved = _picture(town)
    policies = sorted(e.plan_text for e in built.store.entries())
    assert policies and saved["stream"] != {n: 0 for n in town.names()}

    town.run_minutes(3 * 60)
    assert _picture(town) != saved

    info = load_town(path, town, policy=built.store)
    assert _picture(town) == saved
    assert info.clock == saved["clock"] and info.agents == len(town.names())
    assert sorted(e.plan_text for e in built.store.entries()) == policies


def test_a_loaded_town_lives_on_like_the_saved_one(make_town: TownFactory, tmp_path: Path) -> None:
    built = make_town(OfflineLLM(seed=2))
    town = built.town
    town.run_minutes(8 * 60)
    path = tmp_path / "town.aga"
    save_town(path, town, policy=built.store)
    town.run_minutes(90)
    after = _picture(town)
    load_town(path, town, policy=built.store)
    town.run_minutes(90)
    later = _picture(town)
    assert later["clock"] == after["clock"]
    assert later["tiles"] == after["tiles"]
    assert later["plans"] == after["plans"]


def test_a_corrupt_save_names_the_file_and_the_previous_save_survives(
    make_town: TownFactory, tmp_path: Path
) -> None:
    built = make_town(OfflineLLM(seed=3))
    town = built.town
    path = tmp_path / "town.aga"
    town.run_minutes(60)
    save_town(path, town, policy=built.store)
    first_clock = town.world.clock
    town.run_minutes(60)
    save_town(path, town, policy=built.store)  # the first save becomes town.aga.prev
    prev = previous_save_path(path)
    assert prev.exists()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a flipped byte in the body
    path.write_bytes(bytes(data))
    town.run_minutes(30)
    before = _picture(town)

    with pytest.raises(CorruptFileError) as err:
        load_town(path, town, policy=built.store)
    assert str(path) in str(err.value) and str(prev) in str(err.value)
    assert err.value.offset is not None
    assert _picture(town) == before  # nothing was applied

    info = load_town(prev, town, policy=built.store)
    assert info.clock == first_clock == town.world.clock

    # Saving over the damaged file does not push it into .prev: the good one stays.
    write_save_bytes(path, encode_save(town, policy=built.store))
    load_town(prev, town, policy=built.store)
    assert town.world.clock == first_clock


def test_a_truncated_save_is_corrupt(make_town: TownFactory, tmp_path: Path) -> None:
    built = make_town(OfflineLLM(seed=4))
    path = tmp_path / "town.aga"
    save_town(path, built.town)
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 10)
    with pytest.raises(CorruptFileError, match=r"town\.aga"):
        load_town(path, built.town)


def test_a_save_of_another_town_is_refused_and_changes_nothing(
    make_town: TownFactory, tmp_path: Path
) -> None:
    one = make_town(OfflineLLM(seed=5))
    one.town.run_minutes(120)
    path = tmp_path / "one.aga"
    save_town(path, one.town, policy=one.store)
    ada_only = _town_of(load_personas(RESIDENTS)[:1])
    before = _picture(ada_only)
    with pytest.raises(StoreError, match="other residents"):
        load_town(path, ada_only)
    assert _picture(ada_only) == before


def _town_of(personas: list[Persona]) -> Town:
    embedder = CachedEmbedder(HashingEmbedder())
    gateway = InlineGateway(
        build_stack(Settings(), TokenLedger(), backend=OfflineLLM(seed=0), sleep=no_sleep)
    )
    spec = TownSpec(personas=personas, map_path=SMALL_TOWN)
    return build_town(
        spec, gateway=gateway, embedder=embedder, cached_vector=embedder.cached, policy=None
    )


def test_missing_save_is_a_store_error(make_town: TownFactory, tmp_path: Path) -> None:
    built = make_town(OfflineLLM(seed=7))
    with pytest.raises(StoreError, match="no such snapshot file"):
        load_town(tmp_path / "nothing.aga", built.town)
