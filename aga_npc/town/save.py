"""Save games: the whole town (world, stepper, brains, bodies, policy store) in one file.

The file is an ``aga_npc.store`` snapshot (schema ``aga_npc.save``): magic bytes, a header
frame ``{schema, version, meta}`` and one body frame, each with its length and crc32. It is
written atomically (temporary file, fsync, rename), and the previous intact save is kept
next to it as ``<name>.prev``, so neither a crash nor a damaged file costs the last good
save. The header's meta holds a content hash of the map (:func:`map_fingerprint`), so a
save of another map of the same size is refused.

Saving off the frame: :func:`begin_save` takes an immutable snapshot of the whole process
with ``fork()`` (copy-on-write pages: ~1 ms of the frame thread for a 100 MB process), and
the child process packs and writes the file while the game goes on; the returned
:class:`PendingSave`'s ``wait()`` (on a worker thread) reports the size or the error. Where
``fork`` is not used (Windows; macOS, whose system frameworks are not fork-safe with
threads) the state is packed on the calling thread and only the write is left to ``wait()``.

Loading off the frame: :func:`read_checked_save` (on a worker) reads, decodes and checks the
save against :class:`TownFacts` taken from the town (residents, map hash, size, walkable
tiles, objects and their states, embedder): every malformed structure is refused with a
:class:`~aga_npc.errors.SaveError` before the town is touched. The worker also decodes
each brain's memory stream, Social Memory and poignancy cache into new objects
(:class:`~aga_npc.brain.mind.DecodedMind`: the bulk of a load, every memory checked and
indexed). :func:`apply_town_state` then puts the state in (frame thread), taking those
objects as they are; anything the checks did not foresee still leaves the town exactly as
it was (it is rolled back) and raises ``SaveError``.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
import threading
import warnings
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack
import numpy as np
import numpy.typing as npt

from aga_npc.brain.resolution import Resolution
from aga_npc.errors import CorruptFileError, SaveError, StoreError
from aga_npc.policy.store import PolicyStore
from aga_npc.store.atomic import atomic_write_bytes
from aga_npc.store.framing import FRAME_HEADER, encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC, Snapshot, read_snapshot
from aga_npc.town.checker import AgentDay
from aga_npc.town.save_check import check_save
from aga_npc.town.town import Body, Town
from aga_npc.world.clock import GameClock
from aga_npc.world.model import World

__all__ = [
    "SCHEMA",
    "VERSION",
    "PendingSave",
    "SaveInfo",
    "TownFacts",
    "apply_town_state",
    "begin_save",
    "check_save",
    "decode_minds",
    "encode_save",
    "load_town",
    "map_fingerprint",
    "previous_save_path",
    "read_checked_save",
    "read_save",
    "save_town",
    "town_facts",
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


# ------------------------------------------------------------------------------ facts
@dataclass(frozen=True, slots=True, kw_only=True)
class TownFacts:
    """What a save is checked against: taken on the frame thread (cheap), read on a worker.

    Attributes:
        names: the residents.
        width, height: the map's size in tiles.
        open_tiles: the map's walkable tiles before any edit (read-only ``(h, w)`` bools).
        objects: every object's address and its allowed states.
        map_hash: :func:`map_fingerprint` of the world.
        embedder, dim: the policy store's embedder and dimension (None: no store).
        minds: per resident, what decodes its saved mind on a worker (empty: decoded on
            the frame thread when applied).
        policy: what decodes the saved policy store on a worker (its entries parsed, its
            table and index built); None: decoded on the frame thread when applied.
    """

    names: frozenset[str]
    width: int
    height: int
    open_tiles: npt.NDArray[np.bool_]
    objects: Mapping[str, tuple[str, ...]]
    map_hash: str
    embedder: str | None = None
    dim: int | None = None
    minds: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    policy: Callable[[Mapping[str, Any]], Any] | None = None


_FINGERPRINTS: dict[int, tuple[World, str, dict[str, tuple[str, ...]]]] = {}


def _world_facts(world: World) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The map hash and the objects' states of ``world`` (computed once per world)."""
    known = _FINGERPRINTS.get(id(world))
    if known is not None and known[0] is world:
        return known[1], known[2]
    tree = world.tree()
    objects: dict[str, tuple[str, ...]] = {}
    for sector, arenas in tree.items():
        for arena, names in arenas.items():
            for obj in names:
                address = f"{sector}:{arena}:{obj}"
                info = world.object_at(address)
                objects[address] = tuple(info.states) if info is not None else ()
    blocked = np.ascontiguousarray(np.asarray(world.raw.blocked, dtype=np.bool_))
    digest = hashlib.sha256()
    digest.update(f"{world.width}x{world.height}\n".encode())
    digest.update(blocked.tobytes())
    digest.update(msgpack.packb(sorted([a, list(st)] for a, st in objects.items())))
    digest.update(msgpack.packb(sorted((s, sorted(a)) for s, a in tree.items())))
    fingerprint = digest.hexdigest()
    if len(_FINGERPRINTS) > 64:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(world)] = (world, fingerprint, objects)
    return fingerprint, objects


def map_fingerprint(world: World) -> str:
    """A content hash of the map: size, blocked tiles, sectors, arenas, objects and their
    states (not the mutable state: who stands where, doors opened at run time)."""
    return _world_facts(world)[0]


def town_facts(town: Town, *, policy: PolicyStore | None = None) -> TownFacts:
    """The facts a save must fit (frame thread; the map's part cached per world, then one
    small decoder per resident: well under a millisecond at 200)."""
    world = town.world
    fingerprint, objects = _world_facts(world)
    open_tiles = ~np.asarray(world.raw.blocked, dtype=np.bool_)
    open_tiles.setflags(write=False)
    return TownFacts(
        names=frozenset(town.names()),
        width=world.width,
        height=world.height,
        open_tiles=open_tiles,
        objects=objects,
        map_hash=fingerprint,
        embedder=policy.embedder_name if policy is not None else None,
        dim=policy.dim if policy is not None else None,
        minds={name: town.brains[name].mind.decoder() for name in town.names()},
        policy=policy.decoder() if policy is not None else None,
    )


def _policy_state(store: PolicyStore) -> dict[str, Any]:
    return store.get_state()


def apply_town_state(
    town: Town,
    state: Mapping[str, Any],
    *,
    policy: PolicyStore | None = None,
    where: str = "",
    checked: bool = False,
) -> None:
    """Put ``state`` (from :func:`town_state`) into ``town`` (and ``policy``); all or nothing.

    Args:
        checked: ``state`` already passed :func:`check_save` against this town's facts (a
            worker did it): skip the check here.

    Raises:
        SaveError: the state does not fit this town (other agents, another map, another
            embedder for the policies) or is malformed; the town is left as it was.
    """
    where = where or "<save>"
    if not checked:
        check_save(state, town_facts(town, policy=policy), where=where)
    keeper = _Keeper(town, policy)
    try:
        _apply(town, state, policy)
    except Exception as exc:
        try:
            _apply(town, keeper.before(), policy)
        except Exception as again:  # pragma: no cover - the town's own state always fits
            raise SaveError(
                f"{where}: the save does not fit this town ({exc!r}) and the town could not "
                f"be put back ({again!r}): restart the game"
            ) from exc
        raise SaveError(f"{where}: the save does not fit this town: {exc!r}") from exc
    finally:
        keeper.release()


class _Keeper:
    """The town as it was before a load, for a rollback that is almost never needed.

    Where saves fork (:func:`fork_saves`), a forked child keeps the old town in its
    copy-on-write memory (the frame pays the fork, ~1 ms per 100 MB resident, instead of
    copying the whole state: 2 s at 200 NPCs after 30 game hours) and hands its state over
    only when asked; elsewhere the state is copied here.
    """

    def __init__(self, town: Town, policy: PolicyStore | None) -> None:
        self._state: Mapping[str, Any] | None = None
        self._pid: int | None = None
        self._pipe: int | None = None
        self._path = ""
        if not fork_saves():
            self._state = town_state(town, policy=policy)
            return
        fd, self._path = tempfile.mkstemp(prefix=".aga-rollback-", suffix=".msgpack")
        os.close(fd)
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child process
            os.close(write_end)
            code = 1
            try:
                if os.read(read_end, 1) == b"s":
                    data = msgpack.packb(town_state(town, policy=policy), use_bin_type=True)
                    Path(self._path).write_bytes(data)
                    code = 0
            finally:
                os._exit(code)
        os.close(read_end)
        self._pid, self._pipe = pid, write_end

    def before(self) -> Mapping[str, Any]:
        """The old state (asks the child for it and waits: slow, failures only)."""
        if self._state is not None:
            return self._state
        assert self._pid is not None and self._pipe is not None
        os.write(self._pipe, b"s")
        os.close(self._pipe)
        self._pipe = None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status != 0:
            raise StoreError(f"the process keeping the old town failed (status {status})")
        state = msgpack.unpackb(Path(self._path).read_bytes(), raw=False, strict_map_key=False)
        self._state = state
        return state

    def release(self) -> None:
        """Let the child go (it exits on end of file; reaped off this thread)."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            threading.Thread(target=os.waitpid, args=(self._pid, 0), daemon=True).start()
            self._pid = None
        if self._path:
            Path(self._path).unlink(missing_ok=True)
            self._path = ""


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
        "map_hash": map_fingerprint(town.world),
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


class PendingSave:
    """A save under way: :meth:`wait` (on a worker thread) finishes it and returns the
    bytes written. Built by :func:`begin_save`."""

    def __init__(
        self, path: str, *, pid: int | None = None, fd: int | None = None, data: bytes = b""
    ) -> None:
        self.path = path
        self.forked = pid is not None
        self._pid = pid
        self._fd = fd
        self._data = data

    def __del__(self) -> None:  # never waited for (a cancelled ticket): reap the child
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            threading.Thread(target=os.waitpid, args=(self._pid, 0), daemon=True).start()
            self._pid = None

    def wait(self) -> int:
        """Wait for the child (or write the packed bytes); returns the save's size.

        Raises:
            StoreError: packing or writing failed (names the file and why).
        """
        if self._pid is None:
            data, self._data = self._data, b""
            return write_save_bytes(self.path, data)
        assert self._fd is not None
        chunks: list[bytes] = []
        fd, pid = self._fd, self._pid
        self._fd = self._pid = None
        try:
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
        finally:
            os.close(fd)
            _, status = os.waitpid(pid, 0)
        message = b"".join(chunks).decode("utf-8", "replace")
        if message.startswith("ok "):
            return int(message[3:])
        if message.startswith("error "):
            raise StoreError(message[6:])
        raise StoreError(f"{self.path}: the save process ended without saving (status {status})")


def fork_saves() -> bool:
    """Whether :func:`begin_save` forks here (Linux; see the module docstring)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def begin_save(
    path: str | os.PathLike[str],
    town: Town,
    *,
    policy: PolicyStore | None = None,
    fork: bool | None = None,
) -> PendingSave:
    """Start saving the town as it is now; call ``wait()`` on the result on a worker.

    Time budget: with ``fork`` (default on Linux) one ``fork()`` of the process (about
    1 ms per 100 MB resident) and nothing that grows with the town; without, packing the
    whole state (hundreds of ms for 200 NPCs after a game day).
    """
    name = os.fspath(path)
    if not (fork_saves() if fork is None else fork):
        return PendingSave(name, data=encode_save(town, policy=policy))
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process (measured by its result)
        _child_save(name, town, policy, read_end, write_end)
    os.close(write_end)
    return PendingSave(name, pid=pid, fd=read_end)


def _child_save(
    path: str, town: Town, policy: PolicyStore | None, read_end: int, write_end: int
) -> None:  # pragma: no cover - runs in the forked child only
    code = 0
    try:
        os.close(read_end)
        os.nice(10)
        size = write_save_bytes(path, encode_save(town, policy=policy))
        message = f"ok {size}"
    except BaseException as exc:  # report everything: the parent raises it
        message = f"error {exc}" if isinstance(exc, StoreError) else f"error {path}: {exc!r}"
        code = 1
    try:
        os.write(write_end, message.encode("utf-8"))
        os.close(write_end)
    finally:
        os._exit(code)


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


def read_checked_save(path: str | os.PathLike[str], facts: TownFacts) -> Snapshot:
    """Read, decode and check a save against ``facts`` (safe on a worker thread).

    Raises:
        CorruptFileError: the file is damaged or truncated (see :func:`read_save`).
        SchemaVersionError: written by a newer aga_npc.
        SaveError: malformed, or a save of another map or other residents.
        StoreError: missing, unreadable, another kind of file.
    """
    name = os.fspath(path)
    snap = read_save(path)
    check_save(snap.body, facts, where=name, meta=snap.meta)
    decode_minds(snap.body, facts, where=name)
    decode_rest(snap.body, facts, where=name)
    return snap


def decode_minds(body: dict[str, Any], facts: TownFacts, *, where: str = "<save>") -> None:
    """Replace each checked brain's mind state in ``body`` by its decoded objects (worker).

    Raises:
        SaveError: a mind state does not decode (names the resident and why).
    """
    for name, decode in sorted(facts.minds.items()):
        brain = body["brains"].get(name)
        if brain is None:
            continue
        try:
            brain["mind"] = decode(brain["mind"])
        except Exception as exc:  # any shape the checks did not foresee
            raise SaveError(f"{where}: brains.{name}.mind: {exc}") from exc


def decode_rest(body: dict[str, Any], facts: TownFacts, *, where: str = "<save>") -> None:
    """Replace the checked body's day records, the brains' resolved items and the policy
    store by their decoded objects (worker), so that applying the save on the frame thread
    is mostly a swap.

    Raises:
        SaveError: a record or the policy store does not decode (names which and why).
    """
    try:
        body["records"] = [AgentDay.from_dict(row) for row in body.get("records") or ()]
    except Exception as exc:  # any shape the checks did not foresee
        raise SaveError(f"{where}: records: {exc}") from exc
    for name, brain in sorted(body["brains"].items()):
        resolver = brain.get("resolver")
        if not isinstance(resolver, dict):
            continue
        try:
            resolver["resolutions"] = [
                Resolution.from_dict(row) for row in resolver.get("resolutions") or ()
            ]
        except Exception as exc:
            raise SaveError(f"{where}: brains.{name}.resolver: {exc}") from exc
    saved = body.get("policy")
    if saved is not None and facts.policy is not None:
        try:
            body["policy"] = facts.policy(saved)
        except Exception as exc:
            raise SaveError(f"{where}: policy: {exc}") from exc


def load_town(
    path: str | os.PathLike[str], town: Town, *, policy: PolicyStore | None = None
) -> SaveInfo:
    """Restore ``town`` (and ``policy``) from the save at ``path`` (all or nothing).

    Raises:
        CorruptFileError: the file is damaged or truncated (see :func:`read_save`).
        SchemaVersionError: written by a newer aga_npc.
        SaveError: a malformed save or a save of another town; the town is unchanged.
        StoreError: missing, unreadable, another kind of file.
    """
    name = os.fspath(path)
    snap = read_checked_save(path, town_facts(town, policy=policy))
    apply_town_state(town, snap.body, policy=policy, where=name, checked=True)
    policies = len(policy) if policy is not None else 0
    return SaveInfo(path=name, clock=town.world.clock, agents=len(town.names()), policies=policies)
