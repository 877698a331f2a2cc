"""The location tree (sector -> arena -> object) built from a map's object layers.

Turns the ``locations``, ``objects`` and ``spawns`` shapes of a ``RawMap`` into sectors,
arenas, object specs with their use tiles, spawns, and per-tile place lookups, recording a
``Problem`` for everything that breaks docs/MAP_CONVENTIONS.md instead of failing: a broken
map still loads, and ``maps check`` lists what is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.places import Address
from aga_npc.world.grid import Grid, Tile
from aga_npc.world.kinds import KindRegistry
from aga_npc.world.problems import Problem
from aga_npc.world.tmx import SEMANTIC_LAYERS, RawMap, Shape

__all__ = ["ArenaInfo", "Layout", "ObjectSpec", "SectorInfo", "Spawn", "build_layout"]

IntGrid = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True, kw_only=True)
class SectorInfo:
    """A building or area: its name, arenas (in map order) and tile rectangles."""

    name: str
    arenas: tuple[str, ...]
    rects: tuple[tuple[int, int, int, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ArenaInfo:
    """A room or part of an area: ``sector:arena``, its objects and tile rectangles."""

    sector: str
    name: str
    objects: tuple[str, ...]
    rects: tuple[tuple[int, int, int, int], ...]

    @property
    def key(self) -> str:
        return f"{self.sector}:{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectSpec:
    """The static facts of one interactable object (its state lives in the World).

    ``affordances`` are its kind's verbs in the world's ``KindRegistry``; ``capacity`` and
    ``states`` are the object's own properties, else its kind's.
    """

    address: str
    kind: str
    sector: str
    arena: str
    name: str
    capacity: int
    states: tuple[str, ...]
    use_tile: Tile
    rect: tuple[int, int, int, int]
    affordances: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Spawn:
    """A resident's start point: its tile, home sector and bed address (may be "")."""

    tile: Tile
    home: str
    bed: str

    def to_dict(self) -> dict[str, Any]:
        return {"tile": list(self.tile), "home": self.home, "bed": self.bed}


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """Sectors, arenas, objects and spawns of a map, with per-tile place grids.

    ``arena_grid[y, x]`` indexes ``arena_keys`` (-1 outside every arena) and
    ``sector_grid[y, x]`` indexes ``sector_names`` (-1 outside every sector).
    """

    sectors: Mapping[str, SectorInfo]
    arenas: Mapping[str, ArenaInfo]
    objects: Mapping[str, ObjectSpec]
    spawns: tuple[Spawn, ...]
    sector_names: tuple[str, ...]
    arena_keys: tuple[tuple[str, str], ...]
    sector_grid: IntGrid
    arena_grid: IntGrid
    problems: tuple[Problem, ...]
    kinds: KindRegistry

    def place_of_tile(self, tile: Tile) -> tuple[str, str] | None:
        """The (sector, arena) containing ``tile``, or None outside every arena."""
        x, y = tile
        h, w = self.arena_grid.shape
        if not (0 <= x < w and 0 <= y < h):
            return None
        idx = int(self.arena_grid[y, x])
        return self.arena_keys[idx] if idx >= 0 else None

    def sector_of_tile(self, tile: Tile) -> str | None:
        """The sector containing ``tile`` (its arenas included), or None."""
        x, y = tile
        h, w = self.sector_grid.shape
        if not (0 <= x < w and 0 <= y < h):
            return None
        idx = int(self.sector_grid[y, x])
        return self.sector_names[idx] if idx >= 0 else None


def _rect(s: Shape) -> tuple[int, int, int, int]:
    return (s.x0, s.y0, s.x1, s.y1)


def _prop(shape: Shape, name: str) -> Any:
    for key, value in shape.properties.items():
        if key.strip().lower() == name:
            return value
    return None


def _text(shape: Shape, name: str) -> str:
    value = _prop(shape, name)
    return str(value).strip() if value is not None else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _paint(grid: IntGrid, rect: tuple[int, int, int, int], value: int) -> None:
    h, w = grid.shape
    x0, y0, x1, y1 = rect
    grid[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)] = value


def _area(rect: tuple[int, int, int, int]) -> int:
    return (rect[2] - rect[0]) * (rect[3] - rect[1])


class _Builder:
    def __init__(self, raw: RawMap, grid: Grid, kinds: KindRegistry) -> None:
        self.raw = raw
        self.grid = grid
        self.kinds = kinds
        self.problems: list[Problem] = []
        labels = grid.labels
        counts = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0)
        self.main_component = int(counts.argmax()) if counts.size else -1

    def problem(self, code: str, message: str, subject: str = "") -> None:
        self.problems.append(Problem(code=code, message=message, subject=subject))

    def build(self) -> Layout:
        raw = self.raw
        for layer in SEMANTIC_LAYERS:
            if not raw.has_layer(layer):
                self.problem("missing_layer", f"no object layer named {layer!r}", layer)
        if not raw.has_layer("collision"):
            self.problem(
                "missing_layer",
                "no tile layer named 'collision' (only tiles with collides=true block)",
                "collision",
            )
        sector_rects, arena_rects = self._locations()
        sector_names = tuple(dict.fromkeys([*sector_rects, *(s for s, _ in arena_rects)]))
        arena_keys = tuple(arena_rects)
        sector_grid = np.full((raw.height, raw.width), -1, dtype=np.int32)
        arena_grid = np.full((raw.height, raw.width), -1, dtype=np.int32)
        paint: list[tuple[int, tuple[int, int, int, int], int]] = []
        for i, name in enumerate(sector_names):
            paint.extend((_area(r), r, i) for r in sector_rects.get(name, ()))
            for (sec, _), rects in arena_rects.items():
                if sec == name:
                    paint.extend((_area(r), r, i) for r in rects)
        for _, r, i in sorted(paint, key=lambda t: -t[0]):  # smaller (nested) rects win
            _paint(sector_grid, r, i)
        apaint = [(_area(r), r, i) for i, k in enumerate(arena_keys) for r in arena_rects[k]]
        for _, r, i in sorted(apaint, key=lambda t: -t[0]):
            _paint(arena_grid, r, i)
        sector_grid.setflags(write=False)
        arena_grid.setflags(write=False)

        objects = self._objects(arena_grid, arena_keys)
        spawns = self._spawns(objects)
        by_arena: dict[tuple[str, str], list[str]] = {k: [] for k in arena_keys}
        for spec in objects.values():
            by_arena[(spec.sector, spec.arena)].append(spec.address)
        arenas = {
            f"{s}:{a}": ArenaInfo(
                sector=s, name=a, objects=tuple(by_arena[(s, a)]), rects=tuple(arena_rects[(s, a)])
            )
            for s, a in arena_keys
        }
        sectors = {
            name: SectorInfo(
                name=name,
                arenas=tuple(a for s, a in arena_keys if s == name),
                rects=tuple(sector_rects.get(name, ())),
            )
            for name in sector_names
        }
        return Layout(
            sectors=sectors,
            arenas=arenas,
            objects=objects,
            spawns=spawns,
            sector_names=sector_names,
            arena_keys=arena_keys,
            sector_grid=sector_grid,
            arena_grid=arena_grid,
            problems=tuple(self.problems),
            kinds=self.kinds,
        )

    def _locations(
        self,
    ) -> tuple[
        dict[str, list[tuple[int, int, int, int]]],
        dict[tuple[str, str], list[tuple[int, int, int, int]]],
    ]:
        sector_rects: dict[str, list[tuple[int, int, int, int]]] = {}
        arena_rects: dict[tuple[str, str], list[tuple[int, int, int, int]]] = {}
        shapes = self.raw.shapes.get("locations", ())
        for shape in shapes:
            sector, arena = _text(shape, "sector"), _text(shape, "arena")
            if not sector:
                self.problem(
                    "location_without_sector",
                    f"{shape.describe()} has no 'sector' property",
                    shape.name,
                )
            elif arena:
                arena_rects.setdefault((sector, arena), []).append(_rect(shape))
            else:
                sector_rects.setdefault(sector, []).append(_rect(shape))
        for (sector, arena), rects in arena_rects.items():
            outer = [s for s in shapes if _text(s, "sector") == sector and not _text(s, "arena")]
            for rect in rects:
                x0, y0, x1, y1 = rect
                if not any(o.x0 <= x0 and o.y0 <= y0 and x1 <= o.x1 and y1 <= o.y1 for o in outer):
                    self.problem(
                        "arena_outside_sector",
                        f"arena {sector}:{arena} at tiles ({x0}, {y0})-({x1 - 1}, {y1 - 1}) "
                        f"does not lie inside a rectangle of sector {sector!r}",
                        f"{sector}:{arena}",
                    )
        return sector_rects, arena_rects

    def _arena_of(
        self, shape: Shape, arena_grid: IntGrid, keys: tuple[tuple[str, str], ...]
    ) -> tuple[str, str] | None:
        h, w = arena_grid.shape
        cells = arena_grid[
            max(0, shape.y0) : min(h, shape.y1), max(0, shape.x0) : min(w, shape.x1)
        ].ravel()
        inside = [int(c) for c in cells if c >= 0]
        if not inside:
            return None
        return keys[Counter(inside).most_common(1)[0][0]]

    def _objects(
        self, arena_grid: IntGrid, keys: tuple[tuple[str, str], ...]
    ) -> dict[str, ObjectSpec]:
        out: dict[str, ObjectSpec] = {}
        for shape in self.raw.shapes.get("objects", ()):
            kind = _text(shape, "kind").lower()
            name = shape.name
            if not kind:
                self.problem("missing_kind", f"{shape.describe()} has no 'kind' property", name)
            elif kind not in self.kinds:
                self.problem(
                    "unknown_kind",
                    f"{shape.describe()} has unknown kind {kind!r} "
                    f"(known: {', '.join(sorted(self.kinds))}; a game registers its own "
                    "kinds in a KindRegistry or a kinds TOML file)",
                    name,
                )
            if not name:
                name = f"{kind or 'object'} {shape.obj_id}"
                self.problem("object_without_name", f"{shape.describe()} has no name", name)
            place = self._arena_of(shape, arena_grid, keys)
            if place is None:
                self.problem(
                    "object_outside_arena",
                    f"{shape.describe()} does not lie inside any arena rectangle",
                    name,
                )
                continue
            sector, arena = place
            try:
                address = str(Address(sector, arena, name))
            except ValueError:
                written = f"{sector}:{arena}:{name}"
                self.problem(
                    "duplicate_address",
                    f"{shape.describe()}: address {written!r} has a ':' inside a name",
                    written,
                )
                continue
            if address in out:
                self.problem(
                    "duplicate_address",
                    f"two objects are named {address!r} ({shape.describe()} is ignored)",
                    address,
                )
                continue
            out[address] = ObjectSpec(
                address=address,
                kind=kind,
                sector=sector,
                arena=arena,
                name=name,
                capacity=self._capacity(shape, address, kind),
                states=self._states(shape, address, kind),
                use_tile=self._use_tile(shape, address, place, arena_grid, keys),
                rect=_rect(shape),
                affordances=self.kinds.verbs(kind),
            )
        return out

    def _capacity(self, shape: Shape, address: str, kind: str) -> int:
        value = _prop(shape, "capacity")
        spec = self.kinds.spec(kind)
        if value is None:
            return spec.capacity if spec is not None else 1
        cap = _int(value)
        if cap is None or cap < 1:
            self.problem(
                "bad_capacity",
                f"{address}: capacity must be a whole number >= 1, got {value!r} (using 1)",
                address,
            )
            return 1
        return cap

    def _states(self, shape: Shape, address: str, kind: str) -> tuple[str, ...]:
        value = _prop(shape, "states")
        spec = self.kinds.spec(kind)
        if value is None:
            return spec.states if spec is not None else ()
        parts = [p.strip() for p in str(value).split(",")] if isinstance(value, str) else []
        if not parts or any(not p for p in parts) or len(set(parts)) != len(parts):
            self.problem(
                "bad_states",
                f"{address}: states must be distinct comma-separated names, got {value!r}",
                address,
            )
            return ()
        return tuple(parts)

    def _use_tile(
        self,
        shape: Shape,
        address: str,
        place: tuple[str, str],
        arena_grid: IntGrid,
        keys: tuple[tuple[str, str], ...],
    ) -> Tile:
        ux, uy = _prop(shape, "use_x"), _prop(shape, "use_y")
        if ux is not None or uy is not None:
            tx, ty = _int(ux), _int(uy)
            if tx is not None and ty is not None and self.grid.is_walkable((tx, ty)):
                return (tx, ty)
            self.problem(
                "bad_use_tile",
                f"{address}: use_x/use_y ({ux!r}, {uy!r}) must name a walkable tile on the map",
                address,
            )
        return self._default_use_tile(shape, place, arena_grid, keys)

    def _default_use_tile(
        self,
        shape: Shape,
        place: tuple[str, str],
        arena_grid: IntGrid,
        keys: tuple[tuple[str, str], ...],
    ) -> Tile:
        grid, labels = self.grid, self.grid.labels
        cx, cy = shape.center
        arena_idx = keys.index(place)
        under = [(x, y) for y in range(shape.y0, shape.y1) for x in range(shape.x0, shape.x1)]
        ring = [(x, shape.y0 - 1) for x in range(shape.x0, shape.x1)]
        ring += [(x, shape.y1) for x in range(shape.x0, shape.x1)]
        ring += [(shape.x0 - 1, y) for y in range(shape.y0, shape.y1)]
        ring += [(shape.x1, y) for y in range(shape.y0, shape.y1)]
        candidates = [t for t in (*under, *ring) if grid.is_walkable(t)]
        if not candidates:  # boxed in: the nearest walkable tile in the arena, else anywhere
            ys, xs = np.nonzero(grid.walkable & (arena_grid == arena_idx))
            if not xs.size:
                ys, xs = np.nonzero(grid.walkable)
            candidates = [(int(x), int(y)) for x, y in zip(xs, ys, strict=True)]
        if not candidates:
            return (min(int(cx), self.raw.width - 1), min(int(cy), self.raw.height - 1))

        def rank(t: Tile) -> tuple[int, int, float, int, int]:
            x, y = t
            return (
                0 if arena_grid[y, x] == arena_idx else 1,
                0 if labels[y, x] == self.main_component else 1,
                (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2,
                y,
                x,
            )

        return min(candidates, key=rank)

    def _spawns(self, objects: Mapping[str, ObjectSpec]) -> tuple[Spawn, ...]:
        out: list[Spawn] = []
        shapes = self.raw.shapes.get("spawns", ())
        if self.raw.has_layer("spawns") and not shapes:
            self.problem("no_spawns", "the spawns layer is empty", "spawns")
        for shape in shapes:
            tile = (int(shape.center[0]), int(shape.center[1]))
            home, bed = _text(shape, "home"), _text(shape, "bed")
            label = shape.describe()
            if not self.grid.is_walkable(tile):
                self.problem(
                    "spawn_blocked",
                    f"{label} stands on a blocked tile or outside the map",
                    bed or shape.name,
                )
            if not home:
                self.problem("spawn_without_home", f"{label} has no 'home' property", shape.name)
            spec = objects.get(bed)
            if spec is None or spec.kind != "bed":
                self.problem(
                    "spawn_unknown_bed",
                    f"{label}: bed {bed!r} is not the address of a bed on this map",
                    bed or shape.name,
                )
            out.append(Spawn(tile=tile, home=home, bed=bed))
        return tuple(out)


def build_layout(raw: RawMap, grid: Grid, kinds: KindRegistry | None = None) -> Layout:
    """Build the location tree of ``raw``; problems are recorded, never raised.

    ``kinds``: the object kinds the game registers (default: the household kinds).
    """
    return _Builder(raw, grid, kinds if kinds is not None else KindRegistry.default()).build()
