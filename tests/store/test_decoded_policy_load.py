"""Loads decoded on the worker, the rest of it: the policy store's routines (entries parsed,
table and vector index built) and the day records are made by ``read_checked_save`` and
only swapped in by ``apply_town_state`` on the frame thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import SaveError
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import DecodedPolicy, PolicyStore
from aga_npc.runtime.inline import InlineGateway
from aga_npc.store.framing import encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.checker import AgentDay
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.save import (
    SCHEMA,
    VERSION,
    apply_town_state,
    encode_save,
    read_checked_save,
    read_save,
    save_town,
    town_facts,
)
from aga_npc.town.town import Town

DATA = Path(__file__).resolve().parents[1] / "town" / "data"

_BUILT: list[Town] = []


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture(autouse=True)
def _close_towns() -> Iterator[None]:
    yield
    while _BUILT:
        _BUILT.pop().gateway.close()


def _town(seed: int = 0) -> tuple[Town, PolicyStore]:
    embedder = CachedEmbedder(HashingEmbedder())
    gateway = InlineGateway(
        build_stack(Settings(), TokenLedger(), backend=OfflineLLM(seed=seed), sleep=_no_sleep)
    )
    store = PolicyStore(embedder=embedder)
    spec = TownSpec(personas=load_personas(DATA / "residents"), map_path=DATA / "small_town.tmx")
    town = build_town(
        spec,
        gateway=gateway,
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=StorePolicy(store),
    )
    _BUILT.append(town)
    return town, store


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    town, store = _town(seed=3)
    town.run_minutes(6 * 60)
    assert len(store) > 3 and town.records
    path = tmp_path_factory.mktemp("decoded-policy") / "town.aga"
    save_town(path, town, policy=store)
    return path


def test_the_worker_decodes_the_routines_and_records_and_the_swap_equals_a_plain_load(
    saved: Path,
) -> None:
    (decoded_town, decoded_store), (plain_town, plain_store) = _town(), _town()
    snap = read_checked_save(saved, town_facts(decoded_town, policy=decoded_store))
    assert isinstance(snap.body["policy"], DecodedPolicy)
    assert snap.body["records"] and all(isinstance(r, AgentDay) for r in snap.body["records"])
    assert len(decoded_store) == 0, "decoding touched the live store"
    apply_town_state(decoded_town, snap.body, policy=decoded_store, checked=True)
    apply_town_state(plain_town, read_save(saved).body, policy=plain_store)  # decoded here
    assert encode_save(decoded_town, policy=decoded_store) == encode_save(
        plain_town, policy=plain_store
    )
    assert encode_save(decoded_town, policy=decoded_store) == saved.read_bytes()
    assert len(decoded_store) == len(plain_store) > 3


def _write_variant(path: Path, src: Path, change: Any) -> None:
    snap = read_save(src)
    change(snap.body)
    path.write_bytes(
        SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION, dict(snap.meta)) + encode_frame(snap.body)
    )


def _bad_entry(body: dict[str, Any]) -> None:
    body["policy"]["entries"][0]["variants"] = "not a list of variants"


def _bad_vector(body: dict[str, Any]) -> None:
    body["policy"]["entries"][0]["vec"] = b"\x00\x00\x80?" * 3  # 3 floats, not the dimension


def _bad_record(body: dict[str, Any]) -> None:
    body["records"][0]["day"] = "Tuesday"


@pytest.mark.parametrize(
    ("change", "where"),
    [(_bad_entry, "policy"), (_bad_vector, "policy"), (_bad_record, "records")],
    ids=["entry", "vector", "record"],
)
def test_routines_or_records_that_do_not_decode_are_refused_on_the_worker(
    change: Any, where: str, saved: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.aga"
    _write_variant(bad, saved, change)
    town, store = _town()
    town.run_minutes(10)
    before = encode_save(town, policy=store)
    with pytest.raises(SaveError, match=where):
        read_checked_save(bad, town_facts(town, policy=store))
    assert encode_save(town, policy=store) == before


def test_the_brains_resolved_items_are_decoded_on_the_worker_too(saved: Path) -> None:
    from aga_npc.brain.resolution import Resolution

    town, store = _town()
    snap = read_checked_save(saved, town_facts(town, policy=store))
    rows = [r for b in snap.body["brains"].values() for r in b["resolver"]["resolutions"]]
    assert rows and all(isinstance(r, Resolution) for r in rows)
    apply_town_state(town, snap.body, policy=store, checked=True)
    assert encode_save(town, policy=store) == saved.read_bytes()


def test_a_resolved_item_that_does_not_decode_is_refused_on_the_worker(
    saved: Path, tmp_path: Path
) -> None:
    def change(body: dict[str, Any]) -> None:
        brain = next(b for b in body["brains"].values() if b["resolver"]["resolutions"])
        brain["resolver"]["resolutions"][0]["start"] = "noon"

    bad = tmp_path / "bad.aga"
    _write_variant(bad, saved, change)
    town, store = _town()
    before = encode_save(town, policy=store)
    with pytest.raises(SaveError, match="resolver"):
        read_checked_save(bad, town_facts(town, policy=store))
    assert encode_save(town, policy=store) == before
