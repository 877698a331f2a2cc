"""Checks a decoded save game against the town it is loaded into, before the town is touched.

Pure reading of plain data (safe on a worker thread): every structure the loaders read is
checked for its type, its keys and its range - residents, tiles inside the map, walk paths
that are steps over open tiles, objects and their states, the clock, the random state, the
policy header - and the map's content hash. The first problem raises
:class:`~aga_npc.errors.SaveError` naming the file and the place in the save
(``brains['Ada Finch'].mind.stream``). What lies deeper in a brain's state (memories,
plans) is checked by the brain's own loader; :func:`aga_npc.town.save.apply_town_state`
rolls the town back when that refuses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aga_npc.errors import SaveError

if TYPE_CHECKING:
    from aga_npc.town.save import TownFacts

__all__ = ["check_save"]

_RNG_WORDS = 625
_MAX_STEP = 1  # a walk moves one tile at a time (4- or 8-neighbours)


class _Bad(Exception):
    """One problem: where in the save, and what."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def check_save(
    body: Any, facts: TownFacts, *, where: str = "<save>", meta: Mapping[str, Any] | None = None
) -> None:
    """Refuse a save that does not fit the town ``facts`` describe.

    Raises:
        SaveError: names the file, the place in the save and what is wrong.
    """
    try:
        _check(body, facts, meta)
    except _Bad as exc:
        raise SaveError(f"{where}: not a save of this town: {exc}") from None
    except SaveError as exc:
        raise SaveError(f"{where}: {exc}") from None
    except Exception as exc:  # a shape no check foresaw: still one clear error type
        raise SaveError(f"{where}: not a save of this town: {exc!r}") from exc


def _check(body: Any, facts: TownFacts, meta: Mapping[str, Any] | None) -> None:
    if meta is not None:
        _check_meta(meta, facts)
    root = _map(body, "save")
    for key in ("world", "stepper", "brains", "bodies"):
        if key not in root:
            raise _Bad("save", f"missing {key!r}")
    world = _map(root["world"], "world")
    agents = _map(world.get("agents"), "world.agents")
    brains = _map(root["brains"], "brains")
    _same_names(brains, facts, "brains")
    _same_names(agents, facts, "world.agents")
    open_tiles = _open_tiles(world, facts)
    _check_world(world, agents, facts)
    _check_stepper(_map(root["stepper"], "stepper"), facts, open_tiles)
    _check_bodies(_map(root["bodies"], "bodies"), facts)
    for name, brain in brains.items():
        _check_brain(brain, f"brains[{name!r}]")
    if root.get("rng") is not None:
        _check_rng(root["rng"], "rng")
    convos = root.get("conversations")
    if convos is not None:
        _check_convos(_map(convos, "conversations"))
    records = root.get("records", [])
    for i, record in enumerate(_list(records, "records")):
        _map(record, f"records[{i}]")
    if root.get("policy") is not None:
        _check_policy(_map(root["policy"], "policy"), facts)


# ------------------------------------------------------------------------------ parts
def _check_meta(meta: Mapping[str, Any], facts: TownFacts) -> None:
    saved_hash = meta.get("map_hash")
    if saved_hash is not None and saved_hash != facts.map_hash:
        raise SaveError(
            "the save was made on another map (its map hash differs from this map's); "
            "start the game with the map it was saved on (--map)"
        )
    size = meta.get("map")
    if isinstance(size, Mapping) and (
        size.get("width") != facts.width or size.get("height") != facts.height
    ):
        raise SaveError(
            f"the save was made on a {size.get('width')}x{size.get('height')} map, this one "
            f"is {facts.width}x{facts.height}; start the game with the map it was saved on"
        )


def _same_names(table: Mapping[str, Any], facts: TownFacts, where: str) -> None:
    saved = set(table)
    if saved != facts.names:
        extra = sorted(str(n) for n in saved - facts.names)[:3]
        missing = sorted(facts.names - saved)[:3]
        raise SaveError(
            f"the save is for other residents ({where}: unknown here: {extra}, not in the "
            f"save: {missing}); start the game with the same --npcs"
        )


def _open_tiles(world: Mapping[str, Any], facts: TownFacts) -> set[tuple[int, int]]:
    """Tiles whose walkability the save toggled (checked to be inside the map)."""
    toggled: set[tuple[int, int]] = set()
    for i, tile in enumerate(_list(world.get("toggled", []), "world.toggled")):
        toggled.add(_tile(tile, f"world.toggled[{i}]", facts))
    return toggled


def _walkable(tile: tuple[int, int], toggled: set[tuple[int, int]], facts: TownFacts) -> bool:
    base = bool(facts.open_tiles[tile[1], tile[0]])
    return base != (tile in toggled)


def _check_world(world: Mapping[str, Any], agents: Mapping[str, Any], facts: TownFacts) -> None:
    _check_clock(world.get("clock", {}), "world.clock")
    for name, agent in agents.items():
        where = f"world.agents[{name!r}]"
        data = _map(agent, where)
        _tile(data.get("tile"), f"{where}.tile", facts)
        for key in ("home", "workplace", "bed"):
            _str(data.get(key, ""), f"{where}.{key}")
        if data.get("bed") and data["bed"] not in facts.objects:
            raise _Bad(f"{where}.bed", f"no object {data['bed']!r} on this map")
        if data.get("stand") is not None:
            _tile(data["stand"], f"{where}.stand", facts)
    for address, obj in _map(world.get("objects", {}), "world.objects").items():
        where = f"world.objects[{address!r}]"
        if address not in facts.objects:
            raise _Bad(where, "no such object on this map")
        data = _map(obj, where)
        state = data.get("state")
        if state:
            _str(state, f"{where}.state")
            if state not in facts.objects[address]:
                raise _Bad(f"{where}.state", f"{state!r} is not one of its states")
        for i, who in enumerate(_list(data.get("occupants", []), f"{where}.occupants")):
            if who not in facts.names:
                raise _Bad(f"{where}.occupants[{i}]", f"unknown resident {who!r}")


def _check_clock(clock: Any, where: str) -> None:
    data = _map(clock, where)
    day = _int(data.get("day", 1), f"{where}.day")
    minute = _int(data.get("minute_of_day", 360), f"{where}.minute_of_day")
    weekday = _int(data.get("first_weekday", 0), f"{where}.first_weekday")
    if day < 1 or not 0 <= minute < 1440 or not 0 <= weekday < 7:
        raise _Bad(where, f"day {day}, minute {minute}, weekday {weekday} out of range")


def _check_stepper(
    stepper: Mapping[str, Any], facts: TownFacts, toggled: set[tuple[int, int]]
) -> None:
    carry = _num(stepper.get("carry", 0.0), "stepper.carry")
    if not 0.0 <= carry < 1e6:
        raise _Bad("stepper.carry", f"{carry} out of range")
    for name, walk in _map(stepper.get("walks", {}), "stepper.walks").items():
        where = f"stepper.walks[{name!r}]"
        _known(name, facts, where)
        data = _map(walk, where)
        raw_path = _list(data.get("path"), f"{where}.path")
        if not raw_path:
            raise _Bad(f"{where}.path", "empty")
        path = [_tile(t, f"{where}.path[{i}]", facts) for i, t in enumerate(raw_path)]
        for i, (a, b) in enumerate(itertools.pairwise(path)):
            if max(abs(a[0] - b[0]), abs(a[1] - b[1])) > _MAX_STEP:
                raise _Bad(f"{where}.path[{i + 1}]", f"{b} is not a step from {a}")
        for i, tile in enumerate(path[1:-1], start=1):
            if not _walkable(tile, toggled, facts):
                raise _Bad(f"{where}.path[{i}]", f"{tile} is a wall")
        progress = _num(data.get("progress"), f"{where}.progress")
        if not 0.0 <= progress <= len(path) - 1:
            raise _Bad(f"{where}.progress", f"{progress} outside the path of {len(path)} tiles")
        _str(data.get("target", ""), f"{where}.target")
    for name, tile in _map(stepper.get("arrived", {}), "stepper.arrived").items():
        _known(name, facts, f"stepper.arrived[{name!r}]")
        _tile(tile, f"stepper.arrived[{name!r}]", facts)
    for name, search in _map(stepper.get("searching", {}), "stepper.searching").items():
        where = f"stepper.searching[{name!r}]"
        _known(name, facts, where)
        data = _map(search, where)
        _tile(data.get("goal"), f"{where}.goal", facts)
        _str(data.get("target"), f"{where}.target")


def _check_bodies(bodies: Mapping[str, Any], facts: TownFacts) -> None:
    for name, body in bodies.items():
        where = f"bodies[{name!r}]"
        _known(name, facts, where)
        data = _map(body, where)
        for key in ("target", "claimed", "failed", "state_on"):
            _str(data.get(key), f"{where}.{key}")
        _int(data.get("retry_at"), f"{where}.retry_at")
        if data.get("claimed") and data["claimed"] not in facts.objects:
            raise _Bad(f"{where}.claimed", f"no object {data['claimed']!r} on this map")


def _check_brain(brain: Any, where: str) -> None:
    data = _map(brain, where)
    if data.get("version") != 2:
        raise _Bad(f"{where}.version", f"{data.get('version')!r} is not 2")
    for key in ("planner", "resolver", "mind"):
        _map(data.get(key), f"{where}.{key}")
    mind = data["mind"]
    stream = _map(mind.get("stream"), f"{where}.mind.stream")
    _list(stream.get("events"), f"{where}.mind.stream.events")
    current = data.get("current")
    if current is not None:
        items = _list(current, f"{where}.current")
        if len(items) != 3:
            raise _Bad(f"{where}.current", "must be three numbers")
        for i, x in enumerate(items):
            if _int(x, f"{where}.current[{i}]") < 0:
                raise _Bad(f"{where}.current[{i}]", "must be >= 0")
    for i, row in enumerate(_list(data.get("activity_log", []), f"{where}.activity_log")):
        items = _list(row, f"{where}.activity_log[{i}]")
        if len(items) != 3:
            raise _Bad(f"{where}.activity_log[{i}]", "must be [minute, text, place]")
        _int(items[0], f"{where}.activity_log[{i}][0]")
        _str(items[1], f"{where}.activity_log[{i}][1]")
        _str(items[2], f"{where}.activity_log[{i}][2]")
    for i, x in enumerate(_list(data.get("counters", []), f"{where}.counters")):
        _int(x, f"{where}.counters[{i}]")
    if data.get("rng") is not None:
        _check_rng(data["rng"], f"{where}.rng")
    _str(data.get("state", ""), f"{where}.state")
    _map(data.get("book", {}), f"{where}.book")


def _check_rng(rng: Any, where: str) -> None:
    items = _list(rng, where)
    if len(items) != 3:
        raise _Bad(where, "must be [version, state, gauss]")
    _int(items[0], f"{where}[0]")
    words = _list(items[1], f"{where}[1]")
    if len(words) != _RNG_WORDS:
        raise _Bad(f"{where}[1]", f"must hold {_RNG_WORDS} numbers, holds {len(words)}")
    for i, w in enumerate(words):
        value = _int(w, f"{where}[1][{i}]")
        if not 0 <= value < 2**32 or (i == _RNG_WORDS - 1 and value > _RNG_WORDS):
            raise _Bad(f"{where}[1][{i}]", f"{value} out of range")
    if items[2] is not None:
        _num(items[2], f"{where}[2]")


def _check_convos(convos: Mapping[str, Any]) -> None:
    for key in ("started", "lines"):
        if key in convos:
            _int(convos[key], f"conversations.{key}")
    for i, c in enumerate(_list(convos.get("finished", []), "conversations.finished")):
        _map(c, f"conversations.finished[{i}]")
    for i, t in enumerate(_list(convos.get("line_prompt_tokens", []), "conversations.tokens")):
        _int(t, f"conversations.line_prompt_tokens[{i}]")


def _check_policy(policy: Mapping[str, Any], facts: TownFacts) -> None:
    if facts.embedder is not None and (
        policy.get("embedder") != facts.embedder or policy.get("dim") != facts.dim
    ):
        raise SaveError(
            f"the saved policies were embedded with {policy.get('embedder')!r}, this game "
            f"uses {facts.embedder!r}; set AGA_EMBED as when it was saved"
        )
    _int(policy.get("next_id", 1), "policy.next_id")
    for i, entry in enumerate(_list(policy.get("entries", []), "policy.entries")):
        _map(entry, f"policy.entries[{i}]")
    _map(policy.get("stats", {}), "policy.stats")


# ------------------------------------------------------------------------------ atoms
def _map(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Bad(where, f"expected a map, got {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise _Bad(where, f"key {key!r} is not a string")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _Bad(where, f"expected a list, got {type(value).__name__}")
    return list(value)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(where, f"expected a whole number, got {value!r:.40}")
    return value


def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(where, f"expected a number, got {value!r:.40}")
    if not math.isfinite(value):
        raise _Bad(where, f"{value} is not finite")
    return float(value)


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Bad(where, f"expected text, got {type(value).__name__}")
    return value


def _tile(value: Any, where: str, facts: TownFacts) -> tuple[int, int]:
    items = _list(value, where)
    if len(items) != 2:
        raise _Bad(where, f"a tile is [x, y], got {len(items)} numbers")
    x, y = _int(items[0], f"{where}[0]"), _int(items[1], f"{where}[1]")
    if not (0 <= x < facts.width and 0 <= y < facts.height):
        raise _Bad(where, f"{x},{y} is outside this {facts.width}x{facts.height} map")
    return x, y


def _known(name: Any, facts: TownFacts, where: str) -> None:
    if name not in facts.names:
        raise _Bad(where, f"unknown resident {name!r}")
