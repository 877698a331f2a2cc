"""Malformed saves never reach the town: real saves (a small town run headless for a few game
hours) are mutated - wrong types, missing keys, walk paths off the map, unknown residents,
tiles out of range - and every load either succeeds with a town that runs on, or raises
SaveError with the town byte-for-byte as it was. A save from another map is refused by its
map hash, and a save is written by a forked child while the town goes on."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import SaveError, StoreError
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.runtime.inline import InlineGateway
from aga_npc.store.framing import encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.save import (
    SCHEMA,
    VERSION,
    apply_town_state,
    begin_save,
    encode_save,
    load_town,
    map_fingerprint,
    read_checked_save,
    read_save,
    save_town,
    town_facts,
)
from aga_npc.town.town import Town

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"


async def _no_sleep(_: float) -> None:
    return None


class Built:
    def __init__(self, map_path: Path = SMALL_TOWN) -> None:
        ledger = TokenLedger()
        stack = build_stack(Settings(), ledger, backend=OfflineLLM(seed=3), sleep=_no_sleep)
        self.gateway = InlineGateway(stack, ledger=ledger)
        embedder = CachedEmbedder(HashingEmbedder())
        self.store = PolicyStore(embedder=embedder)
        spec = TownSpec(personas=load_personas(RESIDENTS), seed=3, map_path=map_path)
        self.town: Town = build_town(
            spec,
            gateway=self.gateway,
            embedder=embedder,
            cached_vector=embedder.cached,
            policy=StorePolicy(self.store),
        )

    def save_bytes(self) -> bytes:
        return encode_save(self.town, policy=self.store)


@pytest.fixture(scope="module")
def lived() -> Iterator[tuple[Built, dict[str, Any], dict[str, Any]]]:
    """A town run from 06:00 until someone is walking after 07:40 (walks, plans, memories,
    routines), and its save."""
    built = Built()
    for minute in range(400):
        built.town.step_minute()
        if minute >= 100 and built.town.stepper.get_state()["walks"]:
            break
    assert built.town.stepper.get_state()["walks"]
    snap_bytes = built.save_bytes()
    body = _decode_body(snap_bytes)
    meta = {"map_hash": map_fingerprint(built.town.world)}
    yield built, body, meta
    built.gateway.close()


def _decode_body(data: bytes) -> dict[str, Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.aga"
        path.write_bytes(data)
        body = read_save(path).body
    assert isinstance(body, dict)
    return body


def _paths(value: Any, prefix: tuple[Any, ...] = (), out: list[tuple[Any, ...]] | None = None):
    """Every place in the save (memory event lists sampled: their first and last items)."""
    out = [] if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*prefix, k))
            _paths(v, (*prefix, k), out)
    elif isinstance(value, list):
        idx = range(len(value)) if len(value) <= 6 else [0, 1, len(value) - 1]
        for i in idx:
            out.append((*prefix, i))
            _paths(value[i], (*prefix, i), out)
    return out


def _mutated(body: dict[str, Any], path: tuple[Any, ...], how: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    parent: Any = out
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "delete":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    else:
        parent[last] = value
    return out


WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([-1, 0, 1, 10**9, 2**63 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.lists(st.integers(-5, 500), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just([[-3, 4], [999, 999]]),
    st.just("Nobody Atall"),
)


PATHS: dict[str, list[tuple[Any, ...]]] = {}


def _town_runs_on(built: Built) -> None:
    for _ in range(3):
        built.town.step_minute()
    built.save_bytes()


@settings(
    max_examples=int(os.environ.get("AGA_FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_real_save_loads_whole_or_leaves_the_town_unchanged(
    lived: tuple[Built, dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    built, body, meta = lived
    paths = PATHS.setdefault("all", _paths(body))
    path = paths[data.draw(st.integers(0, len(paths) - 1), label="path")]
    how = data.draw(st.sampled_from(["delete", "replace"]), label="how")
    value = data.draw(WEIRD, label="value")
    bad = _mutated(body, path, how, value)
    apply_town_state(built.town, copy.deepcopy(body), policy=built.store)  # the saved town
    before = built.save_bytes()
    facts = town_facts(built.town, policy=built.store)
    try:
        from aga_npc.town.save import check_save

        check_save(bad, facts, meta=meta)
        apply_town_state(built.town, bad, policy=built.store, checked=True)
    except SaveError as exc:
        assert str(exc)
        assert built.save_bytes() == before  # the town is exactly as it was
        return
    _town_runs_on(built)  # a save that loaded is a town that runs on


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("stepper", "walks", "*", "path", 1), [500, 3], "outside"),
        (("stepper", "walks", "*", "path", 1), [0, 0], "not a step"),
        (("world", "agents", "*", "tile"), [-1, 3], "outside"),
        (("world", "agents", "*", "tile"), "3,4", "expected a list"),
        (("world", "clock", "minute_of_day"), 1440, "out of range"),
        (("bodies", "*", "retry_at"), "soon", "whole number"),
        (("brains", "*", "version"), 3, "is not 2"),
        (("rng",), [3, [1, 2], None], "625"),
        (("brains", "*", "mind"), [], "expected a map"),
        (("world", "objects"), {"Nowhere:room:sofa": {"state": "on"}}, "no such object"),
    ],
)
def test_each_malformed_structure_is_refused_by_name(
    lived: tuple[Built, dict[str, Any], dict[str, Any]],
    path: tuple[Any, ...],
    value: Any,
    words: str,
) -> None:
    built, body, _ = lived
    apply_town_state(built.town, copy.deepcopy(body), policy=built.store)
    who = sorted(body["brains"])[0]
    if path[:2] == ("stepper", "walks"):
        who = sorted(body["stepper"]["walks"])[0]
    real = tuple(who if k == "*" else k for k in path)
    bad = _mutated(body, real, "replace", value)
    before = built.save_bytes()
    with pytest.raises(SaveError) as err:
        apply_town_state(built.town, bad, policy=built.store)
    assert words in str(err.value)
    assert built.save_bytes() == before


def test_unknown_residents_are_refused(lived: tuple[Built, dict[str, Any], dict[str, Any]]) -> None:
    built, body, _ = lived
    bad = copy.deepcopy(body)
    name = sorted(bad["brains"])[0]
    bad["brains"]["Nobody Atall"] = bad["brains"].pop(name)
    with pytest.raises(SaveError, match="other residents"):
        apply_town_state(built.town, bad, policy=built.store)


def test_a_walk_path_through_a_wall_is_refused(
    lived: tuple[Built, dict[str, Any], dict[str, Any]],
) -> None:
    built, body, _ = lived
    facts = town_facts(built.town)
    wall = next(
        (x, y)
        for y in range(1, facts.height - 1)
        for x in range(1, facts.width - 1)
        if not facts.open_tiles[y, x]
    )
    bad = copy.deepcopy(body)
    who = sorted(bad["brains"])[0]
    x, y = wall
    bad["stepper"]["walks"] = {
        who: {"path": [[x - 1, y], [x, y], [x + 1, y]], "progress": 0.0, "target": ""}
    }
    with pytest.raises(SaveError, match="wall"):
        apply_town_state(built.town, bad, policy=built.store)


def _write_body(path: Path, body: Any, meta: dict[str, Any]) -> None:
    path.write_bytes(SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION, meta) + encode_frame(body))


def test_a_save_from_another_map_of_the_same_size_is_refused(tmp_path: Path) -> None:
    text = SMALL_TOWN.read_text(encoding="utf-8")
    head, collision = text.split('name="collision"', 1)
    rows = collision.split("\n")
    row = next(i for i, r in enumerate(rows) if r.startswith("0,0,0,0,0,0,0,0,0,0,0,0"))
    rows[row] = "2" + rows[row][1:]  # one more blocked tile in a corner: same size, same rooms
    other_map = tmp_path / "other_town.tmx"
    other_map.write_text(head + 'name="collision"' + "\n".join(rows), encoding="utf-8")
    for extra in SMALL_TOWN.parent.glob("*.tsx"):
        (tmp_path / extra.name).write_bytes(extra.read_bytes())
    here, there = Built(), Built(other_map)
    try:
        assert (here.town.world.width, here.town.world.height) == (
            there.town.world.width,
            there.town.world.height,
        )
        assert map_fingerprint(here.town.world) != map_fingerprint(there.town.world)
        for _ in range(30):
            there.town.step_minute()
        save = tmp_path / "there.aga"
        save_town(save, there.town, policy=there.store)
        before = here.save_bytes()
        with pytest.raises(SaveError, match="another map"):
            load_town(save, here.town, policy=here.store)
        assert here.save_bytes() == before
        with pytest.raises(SaveError, match="another map"):  # the worker's half alone
            read_checked_save(save, town_facts(here.town, policy=here.store))
    finally:
        here.gateway.close()
        there.gateway.close()


def test_a_forked_save_is_the_town_at_the_moment_of_the_call(tmp_path: Path) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork here: begin_save packs on the calling thread")
    built = Built()
    try:
        for _ in range(60):
            built.town.step_minute()
        expected = built.save_bytes()
        path = tmp_path / "town.aga"
        pending = begin_save(path, built.town, policy=built.store, fork=True)
        assert pending.forked
        for _ in range(30):  # the town goes on while the child packs and writes
            built.town.step_minute()
        size = pending.wait()
        assert size == path.stat().st_size
        assert path.read_bytes() == expected
        inline = begin_save(tmp_path / "b.aga", built.town, policy=built.store, fork=False)
        assert not inline.forked and inline.wait() == (tmp_path / "b.aga").stat().st_size
    finally:
        built.gateway.close()


def test_a_forked_save_that_cannot_write_raises_a_store_error(tmp_path: Path) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    built = Built()
    try:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        pending = begin_save(blocker / "sub" / "town.aga", built.town, fork=True)
        with pytest.raises(StoreError, match="cannot create the folder"):
            pending.wait()
    finally:
        built.gateway.close()


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_deep_in_a_brain_rolls_the_whole_town_back(
    lived: tuple[Built, dict[str, Any], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    fork: bool,
) -> None:
    """The checks pass, the memory stream's own loader refuses: the world, the stepper and
    the brains already loaded are put back (by the forked keeper, or by a copy)."""
    if fork and not hasattr(os, "fork"):
        pytest.skip("no fork here")
    import aga_npc.town.save as save_module

    monkeypatch.setattr(save_module, "fork_saves", lambda: fork)
    built, body, _ = lived
    apply_town_state(built.town, copy.deepcopy(body), policy=built.store)
    for _ in range(20):
        built.town.step_minute()  # the town moved on from the save: a partial load would show
    before = built.save_bytes()
    bad = copy.deepcopy(body)
    last = sorted(bad["brains"])[-1]
    bad["brains"][last]["mind"]["stream"]["dim"] = -4
    with pytest.raises(SaveError, match="does not fit"):
        apply_town_state(built.town, bad, policy=built.store)
    assert built.save_bytes() == before
