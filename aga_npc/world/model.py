"""The live world: map, objects with states and occupants, agents, stand tiles and clock.

Main thread only. Worker threads get ``World.snapshot()``, an immutable ``WorldSnapshot``.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from aga_npc.types import ObjectInfo
from aga_npc.world.clock import GameClock
from aga_npc.world.grid import Grid, IntGrid, PathSearch, Tile
from aga_npc.world.kinds import KindRegistry
from aga_npc.world.layout import Layout, ObjectSpec, Spawn, build_layout
from aga_npc.world.problems import Problem
from aga_npc.world.queries import ObjectIndex, WorldQueries
from aga_npc.world.snapshot import WorldSnapshot
from aga_npc.world.tmx import RawMap, read_tmx

__all__ = ["World"]


def _info(spec: ObjectSpec) -> ObjectInfo:
    return ObjectInfo(
        address=spec.address,
        kind=spec.kind,
        sector=spec.sector,
        arena=spec.arena,
        name=spec.name,
        state=spec.states[0] if spec.states else "",
        states=spec.states,
        capacity=spec.capacity,
        occupants=(),
        affordances=spec.affordances,
        tile=spec.use_tile,
    )


class World(WorldQueries):
    """The town: implements ``aga_npc.ports.WorldView`` and owns all mutable world state.

    Build with ``World.load(path)``. Every query of ``WorldView`` is answered from
    in-memory indices (no path search); ``is_reachable`` compares connected-component
    labels, O(1).
    """

    __slots__ = (
        "_arena_counts",
        "_beds",
        "_claims",
        "_clock",
        "_homes",
        "_index",
        "_infos",
        "_layout",
        "_reserved",
        "_stand",
        "_tiles",
        "_use_tiles",
        "_works",
        "grid",
        "raw",
    )

    def __init__(
        self, raw: RawMap, *, clock: GameClock | None = None, kinds: KindRegistry | None = None
    ) -> None:
        self.raw = raw
        self.grid = Grid(~raw.blocked)
        self.grid.prepare()
        self._layout: Layout = build_layout(raw, self.grid, kinds)
        self._index = ObjectIndex.build(self._layout)
        self._infos: dict[str, ObjectInfo] = {a: _info(s) for a, s in self._layout.objects.items()}
        self._use_tiles = frozenset(s.use_tile for s in self._layout.objects.values())
        self._arena_counts: dict[int, tuple[Any, int]] = {}
        self._clock = clock or GameClock()
        self._tiles: dict[str, Tile] = {}
        self._homes: dict[str, str] = {}
        self._works: dict[str, str] = {}
        self._beds: dict[str, str] = {}
        self._claims: dict[str, list[str]] = {}
        self._stand: dict[str, Tile] = {}
        self._reserved: dict[Tile, str] = {}

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: GameClock | None = None,
        kinds: KindRegistry | None = None,
    ) -> World:
        """Load a TMX map. A map without the semantic layers still loads (no places).

        ``kinds``: the object kinds the game registers (default: the household kinds);
        an object of another kind is an ``unknown_kind`` problem.

        Raises:
            MapError: the file cannot be read as a TMX map.
        """
        return cls(read_tmx(path), clock=clock, kinds=kinds)

    # ---------------------------------------------------------------- map facts
    @property
    def width(self) -> int:
        return self.raw.width

    @property
    def height(self) -> int:
        return self.raw.height

    @property
    def spawns(self) -> tuple[Spawn, ...]:
        return self._layout.spawns

    @property
    def kinds(self) -> KindRegistry:
        """The object kinds this world was loaded with."""
        return self._layout.kinds

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Convention problems found while loading (reachability is ``maps check``'s job)."""
        return self._layout.problems

    def _labels(self) -> IntGrid:
        return self.grid.labels

    def tree(self) -> dict[str, dict[str, list[str]]]:
        """The location tree as plain data: sector -> arena -> object names."""
        out: dict[str, dict[str, list[str]]] = {}
        for sector in self._layout.sectors.values():
            out[sector.name] = {
                arena: [
                    self._layout.objects[a].name
                    for a in self._layout.arenas[f"{sector.name}:{arena}"].objects
                ]
                for arena in sector.arenas
            }
        return out

    def home_beds(self) -> dict[str, int]:
        """Home sector -> number of beds with a spawn there (the residents it can take)."""
        out: dict[str, int] = {}
        for spawn in self._layout.spawns:
            if spawn.home:
                out[spawn.home] = out.get(spawn.home, 0) + 1
        return out

    # --------------------------------------------------------------------- clock
    @property
    def clock(self) -> GameClock:
        return self._clock

    def set_clock(self, clock: GameClock) -> None:
        self._clock = clock

    def advance_clock(self, minutes: int) -> GameClock:
        """Move game time forward by whole minutes; returns the new clock."""
        self._clock = self._clock.advance(minutes)
        return self._clock

    # ------------------------------------------------------------ objects (mutable)
    def _require(self, address: str) -> ObjectInfo:
        info = self._infos.get(address)
        if info is None:
            raise ValueError(f"no object with address {address!r} on this map")
        return info

    def claim(self, agent: str, address: str) -> bool:
        """Make ``agent`` an occupant of the object; False when it is full or unknown.

        Claiming an object the agent already holds returns True and changes nothing.
        ``address`` may start with ``@home``/``@work`` (resolved for ``agent``).
        """
        address = self.resolve_address(agent, address) or address
        info = self._infos.get(address)
        if info is None:
            return False
        if agent in info.occupants:
            return True
        if info.free_capacity <= 0:
            return False
        self._infos[address] = dataclasses.replace(info, occupants=(*info.occupants, agent))
        self._claims.setdefault(agent, []).append(address)
        return True

    def release(self, agent: str, address: str) -> None:
        """Remove ``agent`` from the object's occupants (no-op when it did not hold it)."""
        address = self.resolve_address(agent, address) or address
        info = self._infos.get(address)
        if info is None or agent not in info.occupants:
            return
        occupants = tuple(a for a in info.occupants if a != agent)
        self._infos[address] = dataclasses.replace(info, occupants=occupants)
        held = self._claims.get(agent, [])
        if address in held:
            held.remove(address)

    def release_all(self, agent: str) -> tuple[str, ...]:
        """Release every object ``agent`` holds; returns their addresses."""
        held = tuple(self._claims.get(agent, ()))
        for address in held:
            self.release(agent, address)
        return held

    def claims_of(self, agent: str) -> tuple[str, ...]:
        """Addresses of the objects ``agent`` currently occupies."""
        return tuple(self._claims.get(agent, ()))

    def set_state(self, address: str, state: str) -> None:
        """Set an object's state (one of its ``states``).

        Raises:
            ValueError: unknown address, or a state the object does not have.
        """
        info = self._require(address)
        if state not in info.states:
            allowed = ", ".join(info.states) if info.states else "none (stateless object)"
            raise ValueError(f"{address}: unknown state {state!r}; allowed: {allowed}")
        if state != info.state:
            self._infos[address] = dataclasses.replace(info, state=state)

    # ----------------------------------------------------------------- agents
    def add_agent(
        self,
        name: str,
        tile: Tile | None = None,
        *,
        home: str | None = None,
        workplace: str | None = None,
        bed: str | None = None,
    ) -> Tile:
        """Put an agent into the world; returns the tile it starts on.

        Args:
            name: unique agent name.
            tile: start tile; by default the spawn of its bed.
            home: home sector (what ``@home`` resolves to).
            workplace: work sector (``@work``); None or "" for none.
            bed: bed address to own; by default a free bed of ``home`` (spawn order).

        Raises:
            ValueError: duplicate name, unknown sector or bed, bed owned by another agent,
                or no start tile (no tile given and no bed with a spawn).
        """
        if name in self._tiles:
            raise ValueError(f"agent {name!r} is already in the world")
        for label, sector in (("home", home), ("workplace", workplace)):
            if sector and sector not in self._layout.sectors:
                raise ValueError(f"{name}: {label} {sector!r} is not a sector of this map")
        if bed:
            spec = self._layout.objects.get(bed)
            if spec is None or spec.kind != "bed":
                raise ValueError(f"{name}: bed {bed!r} is not a bed on this map")
            owner = next((a for a, b in self._beds.items() if b == bed), None)
            if owner is not None:
                raise ValueError(f"{name}: bed {bed!r} already belongs to {owner}")
        elif home:
            bed = self.free_bed(home)
        if tile is None:
            tile = self._start_tile(name, bed)
        if not self.grid.is_walkable(tile):
            raise ValueError(f"{name}: start tile {tile} is blocked or outside the map")
        self._tiles[name] = (int(tile[0]), int(tile[1]))
        if home:
            self._homes[name] = home
        if workplace:
            self._works[name] = workplace
        if bed:
            self._beds[name] = bed
        return self._tiles[name]

    def _start_tile(self, name: str, bed: str | None) -> Tile:
        if not bed:
            raise ValueError(f"{name}: give a start tile, a bed, or a home with a free bed")
        for spawn in self._layout.spawns:
            if spawn.bed == bed and self.grid.is_walkable(spawn.tile):
                return spawn.tile
        return self._layout.objects[bed].use_tile

    def free_bed(self, home: str) -> str | None:
        """A bed of ``home`` nobody owns: spawn order first, then map order."""
        owned = set(self._beds.values())
        ordered = [s.bed for s in self._layout.spawns if s.home == home]
        ordered += [s.address for s in self._layout.objects.values() if s.sector == home]
        for address in ordered:
            spec = self._layout.objects.get(address)
            if spec is not None and spec.kind == "bed" and address not in owned:
                return address
        return None

    def agent_bed(self, agent: str) -> str | None:
        """The bed address ``agent`` owns, if any."""
        return self._beds.get(agent)

    def remove_agent(self, name: str) -> None:
        """Take an agent out: releases its claims and stand tile."""
        self.release_all(name)
        self.release_stand_tile(name)
        for table in (self._tiles, self._homes, self._works, self._beds, self._claims):
            table.pop(name, None)

    def move_agent(self, name: str, tile: Tile) -> None:
        """Place ``name`` on ``tile`` (the stepper calls this as agents walk).

        Raises:
            ValueError: unknown agent or a tile outside the map.
        """
        if name not in self._tiles:
            raise ValueError(f"unknown agent {name!r}")
        if not self.grid.in_bounds(tile):
            raise ValueError(f"{name}: tile {tile} is outside the map")
        self._tiles[name] = (int(tile[0]), int(tile[1]))

    # ---------------------------------------------------------- paths and spreading
    def find_path(self, start: Tile, goal: Tile) -> tuple[Tile, ...] | None:
        """Shortest walk from ``start`` to ``goal`` (both included), or None."""
        return self.grid.find_path(start, goal)

    def path_search(self, start: Tile, goal: Tile) -> PathSearch:
        """The same query as a search that can run in slices (see ``Grid.search``)."""
        return self.grid.search(start, goal)

    def set_blocked(self, tiles: Iterable[Tile], blocked: bool = True) -> int:
        """Block or free tiles (e.g. a door locked); cached paths are invalidated."""
        return self.grid.set_blocked(tiles, blocked)

    def object_rect(self, address: str, *, agent: str = "") -> tuple[int, int, int, int] | None:
        """The tiles an object covers as ``(x0, y0, x1, y1)``, ``x1``/``y1`` exclusive
        (``@home``/``@work`` resolved for ``agent``); None for an unknown object."""
        resolved = self.resolve_address(agent, address) if agent else address
        spec = self._layout.objects.get(resolved or address)
        return None if spec is None else spec.rect

    def nearest_walkable(self, tile: Tile, *, limit: int = 20_000) -> Tile | None:
        """The walkable tile nearest to ``tile`` (itself when walkable), breadth-first
        through any tiles, free of other agents' stand reservations when possible; None
        when none lies within ``limit`` tiles looked at."""
        if self.grid.is_walkable(tile) and tile not in self._reserved:
            return tile
        seen = {tile}
        queue = deque([tile])
        fallback: Tile | None = None
        while queue and len(seen) <= limit:
            x, y = queue.popleft()
            if self.grid.is_walkable((x, y)):
                if (x, y) not in self._reserved:
                    return (x, y)
                if fallback is None:
                    fallback = (x, y)
            for nb in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if nb not in seen and self.grid.in_bounds(nb):
                    seen.add(nb)
                    queue.append(nb)
        return fallback

    def nearest(
        self,
        agent: str,
        kind: str | None = None,
        *,
        verb: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        free_only: bool = False,
    ) -> ObjectInfo | None:
        """The reachable matching object with the shortest walk from ``agent``.

        ``free_only`` skips objects that are full (unless ``agent`` already occupies
        them). Exact: candidates are tried in Manhattan order and the search stops when
        the next lower bound cannot beat the best walk found.
        """
        start = self._tiles.get(agent)
        if start is None:
            return None
        found = self.objects(kind=kind, verb=verb, sector=sector, arena=arena, agent=agent)
        pool = [
            o
            for o in found
            if self.grid.connected(start, o.tile)
            and (not free_only or o.free_capacity > 0 or agent in o.occupants)
        ]
        pool.sort(key=lambda o: abs(o.tile[0] - start[0]) + abs(o.tile[1] - start[1]))
        best: ObjectInfo | None = None
        best_len = 1 << 30
        for info in pool:
            if abs(info.tile[0] - start[0]) + abs(info.tile[1] - start[1]) >= best_len:
                break
            steps = self.grid.path_length(start, info.tile)
            if steps is not None and steps < best_len:
                best, best_len = info, steps
        return best

    def reserve_stand_tile(self, agent: str, address: str) -> Tile | None:
        """Reserve a tile for ``agent`` to stand on while using the object.

        The object's use tile when free; else the nearest free walkable tile of the same
        arena (breadth-first from the use tile, avoiding other objects' use tiles when
        possible); else the nearest free tile anywhere reachable. The agent's previous
        reservation is released. ``address`` may start with ``@home``/``@work``. Returns
        None for an unknown object.
        """
        resolved = self.resolve_address(agent, address)
        info = self._infos.get(resolved) if resolved else None
        if info is None:
            return None
        self.release_stand_tile(agent)
        tile = self._free_tile_near(info, agent)
        self._stand[agent] = tile
        self._reserved[tile] = agent
        return tile

    def reserve_tile(self, agent: str, tile: Tile) -> Tile:
        """Reserve ``tile`` itself, or the nearest free walkable tile around it."""
        self.release_stand_tile(agent)
        found = self._spread(tile, None, agent) or tile
        self._stand[agent] = found
        self._reserved[found] = agent
        return found

    def release_stand_tile(self, agent: str) -> None:
        tile = self._stand.pop(agent, None)
        if tile is not None and self._reserved.get(tile) == agent:
            del self._reserved[tile]

    def stand_tile(self, agent: str) -> Tile | None:
        """The tile ``agent`` has reserved, if any."""
        return self._stand.get(agent)

    def _free_tile_near(self, info: ObjectInfo, agent: str) -> Tile:
        owner = self._reserved.get(info.tile)
        if owner is None or owner == agent:
            return info.tile
        key = (info.sector, info.arena)
        arena_idx = self._layout.arena_keys.index(key) if key in self._layout.arena_keys else -1
        return self._spread(info.tile, arena_idx, agent) or info.tile

    def _arena_walkable(self, arena_idx: int) -> int:
        """How many walkable tiles the arena has (cached until the walkable grid changes)."""
        walkable = self.grid.walkable
        cached = self._arena_counts.get(arena_idx)
        if cached is None or cached[0] is not walkable:
            count = int(np.count_nonzero((self._layout.arena_grid == arena_idx) & walkable))
            cached = (walkable, count)
            self._arena_counts[arena_idx] = cached
        return cached[1]

    def _spread(self, origin: Tile, arena_idx: int | None, agent: str) -> Tile | None:
        grid, arena_grid = self.grid, self._layout.arena_grid
        if not grid.is_walkable(origin):
            return None
        seen = {origin}
        queue = deque([origin])
        in_arena_fallback: Tile | None = None
        outside: Tile | None = None
        # Once every walkable tile of the arena has been looked at, nothing better than a
        # fallback already found can come: stop there instead of scanning the whole map
        # (a crowded arena made that a millisecond-long search).
        left = self._arena_walkable(arena_idx) if arena_idx is not None else -1
        while queue:
            x, y = queue.popleft()
            in_arena = arena_idx is not None and int(arena_grid[y, x]) == arena_idx
            if in_arena:
                left -= 1
            owner = self._reserved.get((x, y))
            if owner is None or owner == agent:
                inside = arena_idx is None or in_arena
                if inside and (x, y) not in self._use_tiles:
                    return (x, y)
                if inside and in_arena_fallback is None:
                    in_arena_fallback = (x, y)
                if not inside and outside is None:
                    outside = (x, y)
            if left == 0 and (in_arena_fallback is not None or outside is not None):
                break
            for nb in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if nb not in seen and grid.is_walkable(nb):
                    seen.add(nb)
                    queue.append(nb)
        return in_arena_fallback or outside

    # ------------------------------------------------------------- snapshots, state
    def snapshot(self) -> WorldSnapshot:
        """An immutable copy of what ``WorldView`` reads, safe to hand to worker threads."""
        return WorldSnapshot(
            layout=self._layout,
            index=self._index,
            infos=self._infos,
            tiles=self._tiles,
            homes=self._homes,
            works=self._works,
            labels=self.grid.labels,
            clock=self._clock,
        )

    def state_dict(self) -> dict[str, Any]:
        """The mutable state as plain data (clock, objects, agents, reservations, grid edits)."""
        base = ~self.raw.blocked
        diff = np.argwhere(base != self.grid.walkable)
        return {
            "clock": self._clock.to_dict(),
            "objects": {
                a: {"state": i.state, "occupants": list(i.occupants)}
                for a, i in self._infos.items()
                if i.occupants or (i.states and i.state != i.states[0])
            },
            "agents": {
                name: {
                    "tile": list(tile),
                    "home": self._homes.get(name, ""),
                    "workplace": self._works.get(name, ""),
                    "bed": self._beds.get(name, ""),
                    "stand": list(self._stand[name]) if name in self._stand else None,
                }
                for name, tile in self._tiles.items()
            },
            "toggled": [[int(x), int(y)] for y, x in diff],
        }

    def load_state_dict(self, data: Mapping[str, Any]) -> None:
        """Restore what ``state_dict`` wrote onto a world loaded from the same map."""
        base = ~self.raw.blocked
        toggled = [(int(x), int(y)) for x, y in data.get("toggled", [])]
        self.grid.set_blocked([t for t in toggled if base[t[1], t[0]]], True)
        self.grid.set_blocked([t for t in toggled if not base[t[1], t[0]]], False)
        self._clock = GameClock.from_dict(data.get("clock", {}))
        for table in (self._tiles, self._homes, self._works, self._beds, self._claims):
            table.clear()
        self._stand.clear()
        self._reserved.clear()
        self._infos = {a: _info(s) for a, s in self._layout.objects.items()}
        for name, agent in data.get("agents", {}).items():
            self._tiles[name] = (int(agent["tile"][0]), int(agent["tile"][1]))
            for table, key in ((self._homes, "home"), (self._works, "workplace")):
                if agent.get(key):
                    table[name] = str(agent[key])
            if agent.get("bed"):
                self._beds[name] = str(agent["bed"])
            if agent.get("stand") is not None:
                stand = (int(agent["stand"][0]), int(agent["stand"][1]))
                self._stand[name] = stand
                self._reserved[stand] = name
        for address, obj in data.get("objects", {}).items():
            if address not in self._infos:
                continue
            if obj.get("state"):
                self.set_state(address, str(obj["state"]))
            for agent_name in obj.get("occupants", []):
                self.claim(str(agent_name), address)
