"""Save games: the whole town (world, stepper, brains, bodies, policy store) in one file.

The file is an ``aga_npc.store`` snapshot (schema ``aga_npc.save``): magic bytes, a header
frame ``{schema, version, meta}`` and one body frame, each with its length and crc32. It is
written atomically (temporary file, fsync, rename), and the previous intact save is kept
next to it as ``<name>.prev``, so neither a crash nor a damaged file costs the last good
save. Saving splits in two so a game can keep its frame budget::

    data = encode_save(town, policy=store)      # main thread: reads live state, packs it
    gateway.submit_call(write_save_bytes, path, data, kind="save")   # a worker writes it

Loading restores everything or nothing: when the body does not fit the town (another map,
other residents, a malformed field) the town is rolled back to how it was and an error
names the file.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.policy.store import PolicyStore
from aga_npc.store.atomic import atomic_write_bytes
from aga_npc.store.framing import FRAME_HEADER, encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC, Snapshot, read_snapshot
from aga_npc.town.town import Body, Town
from aga_npc.world.clock import GameClock

__all__ = [
    "SCHEMA",
    "VERSION",
    "SaveInfo",
    "apply_town_state",
    "encode_save",
    "load_town",
    "previous_save_path",
    "read_save",
    "save_town",
    "town_state",
    "write_save_bytes",
]

SCHEMA = "aga_npc.save"
VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveInfo:
    """What a loaded save held: its path, game clock and number of agents."""

    path: str
    clock: GameClock
    agents: int
    policies: int


def previous_save_path(path: str | os.PathLike[str]) -> Path:
    """Where the save before the latest one is kept (``<name>.prev``)."""
    p = Path(path)
    return p.with_name(p.name + ".prev")


# ----------------------------------------------------------------------------- state
def town_state(town: Town, *, policy: PolicyStore | None = None) -> dict[str, Any]:
    """The town's whole mutable state as plain (msgpack-able) data.

    Conversations in progress and requests in flight are not part of it: after loading,
    talkers resume their day and brains ask again for what they were waiting for.
    """
    convos = town.conversations
    return {
        "world": town.world.state_dict(),
        "stepper": town.stepper.get_state(),
        "brains": {name: town.brains[name].get_state() for name in town.names()},
        "bodies": {
            name: {
                "target": body.target,
                "claimed": body.claimed,
                "failed": body.failed,
                "state_on": body.state_on,
                "retry_at": body.retry_at,
            }
            for name, body in sorted(town.bodies.items())
        },
        "conversations": None if convos is None else convos.get_state(),
        "rng": _rng_data(town.rng.getstate()),
        "records": town.records_state(),
        "policy": None if policy is None else _policy_state(policy),
    }


def _policy_state(store: PolicyStore) -> dict[str, Any]:
    return store.get_state()


def apply_town_state(
    town: Town, state: Mapping[str, Any], *, policy: PolicyStore | None = None, where: str = ""
) -> None:
    """Put ``state`` (from :func:`town_state`) into ``town`` (and ``policy``); all or nothing.

    Raises:
        StoreError: the state does not fit this town (other agents, another map, another
            embedder for the policies) or is malformed; the town is left as it was.
    """
    where = where or "<save>"
    _check_fits(town, state, policy, where)
    before = town_state(town, policy=policy)
    try:
        _apply(town, state, policy)
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        _apply(town, before, policy)
        raise StoreError(f"{where}: the save does not fit this town: {exc!r}") from exc


def _check_fits(
    town: Town, state: Mapping[str, Any], policy: PolicyStore | None, where: str
) -> None:
    try:
        saved = set(state["brains"])
        world_agents = set(state["world"]["agents"])
    except (KeyError, TypeError) as exc:
        raise StoreError(f"{where}: not a town save (missing {exc})") from exc
    mine = set(town.names())
    if saved != mine or world_agents != mine:
        missing = sorted(mine - saved)[:3]
        extra = sorted(saved - mine)[:3]
        raise StoreError(
            f"{where}: the save is for other residents (missing here: {extra}, "
            f"not in the save: {missing}); start the game with the same --npcs"
        )
    width, height = town.world.width, town.world.height
    for agent, data in state["world"]["agents"].items():
        x, y = data["tile"]
        if not (0 <= int(x) < width and 0 <= int(y) < height):
            raise StoreError(
                f"{where}: {agent} stands at {x},{y}, outside this {width}x{height} map"
            )
    saved_policy = state.get("policy")
    if (
        policy is not None
        and saved_policy is not None
        and (
            saved_policy.get("embedder") != policy.embedder_name
            or saved_policy.get("dim") != policy.dim
        )
    ):
        raise StoreError(
            f"{where}: the saved policies were embedded with {saved_policy.get('embedder')!r}, "
            f"this game uses {policy.embedder_name!r}; set AGA_EMBED as when it was saved"
        )


def _apply(town: Town, state: Mapping[str, Any], policy: PolicyStore | None) -> None:
    # Drop what is in flight: open dialogues, conversations, brains' pending requests.
    town.player.sessions.clear()
    convos = town.conversations
    if convos is not None:
        convos.drop_all()
    town.world.load_state_dict(state["world"])
    town.stepper.set_state(state["stepper"])
    for name, data in state["brains"].items():
        town.brains[name].set_state(data)
    town.bodies = {
        name: Body(
            target=str(b["target"]),
            claimed=str(b["claimed"]),
            failed=str(b["failed"]),
            state_on=str(b["state_on"]),
            retry_at=int(b["retry_at"]),
        )
        for name, b in state["bodies"].items()
    }
    for name in town.brains:
        town.bodies.setdefault(name, Body())
    saved_convos = state.get("conversations")
    if convos is not None and saved_convos is not None:
        convos.set_state(saved_convos)
    if "rng" in state:
        town.rng.setstate(_rng_tuple(state["rng"]))
    town.load_records(state.get("records", []))
    town.restart_ticks()
    saved_policy = state.get("policy")
    if policy is not None and saved_policy is not None:
        _restore_policy(policy, saved_policy)


def _restore_policy(store: PolicyStore, data: Mapping[str, Any]) -> None:
    """Replace the store's routines with the saved ones."""
    store.set_state(data)


def _rng_data(state: tuple[Any, ...]) -> list[Any]:
    version, internal, gauss = state
    return [version, list(internal), gauss]


def _rng_tuple(data: Any) -> tuple[Any, ...]:
    version, internal, gauss = data
    return (int(version), tuple(int(x) for x in internal), gauss)


# ------------------------------------------------------------------------------ files
def encode_save(town: Town, *, policy: PolicyStore | None = None) -> bytes:
    """The save file's bytes for the town as it is now (main thread: it reads live state).

    Time budget: a few milliseconds for 25 residents after a game day (msgpack in C).
    """
    clock = town.world.clock
    meta = {
        "clock": clock.to_dict(),
        "when": str(clock),
        "agents": len(town.names()),
        "map": {"width": town.world.width, "height": town.world.height},
    }
    body = town_state(town, policy=policy)
    return SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION, meta) + encode_frame(body)


def write_save_bytes(path: str | os.PathLike[str], data: bytes) -> int:
    """Write ``data`` (from :func:`encode_save`) to ``path`` atomically; returns its size.

    An intact save already at ``path`` becomes ``<name>.prev`` first (a damaged one is
    left for the new file to replace, so ``.prev`` always holds a good save). Safe to run
    on a worker thread.

    Raises:
        StoreError: the file could not be written (names the path).
    """
    target = Path(path)
    if target.parent and not target.parent.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{target}: cannot create the folder: {exc}") from exc
    if _looks_intact(target):
        _keep_previous(target)
    atomic_write_bytes(target, data)
    return len(data)


def _keep_previous(target: Path) -> None:
    """Make ``<name>.prev`` the current save without ever leaving ``target`` missing.

    A hard link to the current file is renamed over ``.prev`` (no copy; atomic), and only
    then is ``target`` replaced by the new save: a kill at any moment leaves ``target``
    (old or new) and a good ``.prev``. Filesystems without hard links get a copy.
    """
    prev = previous_save_path(target)
    tmp = prev.with_name(prev.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(target, tmp)
        except OSError:
            atomic_write_bytes(tmp, target.read_bytes())
        os.replace(tmp, prev)
    except OSError as exc:
        raise StoreError(f"{target}: cannot keep the previous save: {exc}") from exc


def _looks_intact(path: Path) -> bool:
    """Whether ``path`` is a complete save: magic, and every frame's length and crc32 hold."""
    try:
        buf = path.read_bytes()
    except OSError:
        return False
    if not buf.startswith(SNAPSHOT_MAGIC):
        return False
    offset = len(SNAPSHOT_MAGIC)
    for _ in range(2):
        if offset + FRAME_HEADER.size > len(buf):
            return False
        try:
            length, crc = FRAME_HEADER.unpack_from(buf, offset)
        except struct.error:
            return False
        start = offset + FRAME_HEADER.size
        if start + length > len(buf) or zlib.crc32(buf[start : start + length]) != crc:
            return False
        offset = start + length
    return offset == len(buf)


def save_town(
    path: str | os.PathLike[str], town: Town, *, policy: PolicyStore | None = None
) -> int:
    """Encode and write a save in one call (tools, tests); returns the bytes written."""
    return write_save_bytes(path, encode_save(town, policy=policy))


def read_save(path: str | os.PathLike[str]) -> Snapshot:
    """Read and check a save file without touching any town (safe on a worker thread).

    Raises:
        CorruptFileError: the file is damaged or truncated; names the file and byte, says
            where the previous save is kept (a copy of the damaged file is kept too).
        SchemaVersionError: written by a newer aga_npc.
        StoreError: missing, unreadable, or another kind of file.
    """
    name = os.fspath(path)
    try:
        snap = read_snapshot(path, schema=SCHEMA, max_version=VERSION)
    except CorruptFileError as exc:
        prev = previous_save_path(path)
        hint = f"; the previous save is kept at {prev}" if prev.exists() else ""
        raise CorruptFileError(name, exc.offset, exc.reason + hint) from exc
    if not isinstance(snap.body, dict):
        raise CorruptFileError(name, None, "the save body is not a map")
    return snap


def load_town(
    path: str | os.PathLike[str], town: Town, *, policy: PolicyStore | None = None
) -> SaveInfo:
    """Restore ``town`` (and ``policy``) from the save at ``path`` (all or nothing).

    Raises:
        CorruptFileError: the file is damaged or truncated (see :func:`read_save`).
        SchemaVersionError: written by a newer aga_npc.
        StoreError: missing, unreadable, another kind of file, or a save of another town;
            the town is unchanged.
    """
    name = os.fspath(path)
    snap = read_save(path)
    apply_town_state(town, snap.body, policy=policy, where=name)
    policies = len(policy) if policy is not None else 0
    return SaveInfo(path=name, clock=town.world.clock, agents=len(town.names()), policies=policies)
