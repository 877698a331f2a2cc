"""Loads decoded on the worker: each mind's memory stream, Social Memory and poignancy cache
are built off the frame by ``read_checked_save`` and swapped in by ``apply_town_state``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aga_npc.brain.mind import DecodedMind
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import SaveError, StoreError
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.runtime.inline import InlineGateway
from aga_npc.store.framing import encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC
from aga_npc.town.build import TownSpec, build_town
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


async def _no_sleep(_: float) -> None:
    return None


_BUILT: list[Town] = []


@pytest.fixture(autouse=True)
def _close_towns() -> Iterator[None]:
    yield
    while _BUILT:
        _BUILT.pop().gateway.close()


def _town(seed: int = 0) -> Town:
    embedder = CachedEmbedder(HashingEmbedder())
    gateway = InlineGateway(
        build_stack(Settings(), TokenLedger(), backend=OfflineLLM(seed=seed), sleep=_no_sleep)
    )
    spec = TownSpec(personas=load_personas(DATA / "residents"), map_path=DATA / "small_town.tmx")
    town = build_town(
        spec, gateway=gateway, embedder=embedder, cached_vector=embedder.cached, policy=None
    )
    _BUILT.append(town)
    return town


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    town = _town(seed=3)
    town.run_minutes(4 * 60)  # memories, plans, relationships
    assert sum(len(town.brains[n].mind.stream) for n in town.names()) > 20
    path = tmp_path_factory.mktemp("decoded") / "town.aga"
    save_town(path, town)
    return path


def test_the_worker_decodes_every_mind_and_the_swap_equals_a_plain_load(saved: Path) -> None:
    decoded_town, plain_town = _town(), _town()
    snap = read_checked_save(saved, town_facts(decoded_town))
    assert all(isinstance(b["mind"], DecodedMind) for b in snap.body["brains"].values())
    apply_town_state(decoded_town, snap.body, checked=True)
    apply_town_state(plain_town, read_save(saved).body)  # decoded here, on this thread
    assert encode_save(decoded_town) == encode_save(plain_town)
    assert encode_save(decoded_town) == saved.read_bytes()
    for name in decoded_town.names():  # the streams are made like the minds' own
        a, b = decoded_town.brains[name].mind.stream, plain_town.brains[name].mind.stream
        assert (a.max_events, a.protect, a.dim) == (b.max_events, b.protect, b.dim)


def test_a_decoded_save_is_applied_once_a_second_town_is_left_as_it_was(saved: Path) -> None:
    first, second = _town(), _town()
    snap = read_checked_save(saved, town_facts(first))
    apply_town_state(first, snap.body, checked=True)
    second.run_minutes(30)
    before = encode_save(second)
    with pytest.raises(SaveError, match="applied already"):
        apply_town_state(second, snap.body, checked=True)
    assert encode_save(second) == before


def _write_variant(path: Path, src: Path, change: Any) -> None:
    snap = read_save(src)
    body = snap.body
    change(body)
    path.write_bytes(
        SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION, dict(snap.meta)) + encode_frame(body)
    )


@pytest.mark.parametrize(
    "what",
    [
        "event importance",
        "event ids backwards",
        "stream version",
        "social",
    ],
)
def test_a_mind_that_does_not_decode_is_refused_on_the_worker(
    what: str, saved: Path, tmp_path: Path
) -> None:
    def change(body: dict[str, Any]) -> None:
        mind = body["brains"][sorted(body["brains"])[0]]["mind"]
        events = mind["stream"]["events"]
        if what == "event importance":
            events[0]["importance"] = "very"
        elif what == "event ids backwards":
            events[1]["id"] = events[0]["id"]
        elif what == "stream version":
            mind["stream"]["version"] = 0
        else:
            mind["social"]["records"] = ["not a record"]

    bad = tmp_path / f"{what}.aga"
    _write_variant(bad, saved, change)
    town = _town()
    town.run_minutes(10)
    before = encode_save(town)
    with pytest.raises(SaveError, match=r"brains\..*mind|mind"):
        read_checked_save(bad, town_facts(town))
    assert encode_save(town) == before


def test_a_decoder_touches_no_live_mind(saved: Path) -> None:
    town = _town()
    town.run_minutes(10)
    before = encode_save(town)
    name = town.names()[0]
    decoded = town.brains[name].mind.decoder()(read_save(saved).body["brains"][name]["mind"])
    assert encode_save(town) == before
    stream, *_ = decoded.take()
    assert len(stream) > 0
    with pytest.raises(StoreError, match="applied already"):
        decoded.take()
