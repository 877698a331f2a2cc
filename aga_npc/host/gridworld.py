"""grid_world: an aga_npc ``World`` from a plain tile grid, for games without a Tiled map.

The game keeps drawing its own grid; the world only needs to know which tiles block,
where the rooms are and which objects the NPCs can use::

    world = grid_world(
        ["##########",
         "#........#",
         "##########"],
        rooms={"Home:kitchen": (1, 1, 4, 1), "Cafe:cafe": (5, 1, 4, 1)},
        objects={"Home:kitchen:stove": ("stove", (1, 1)), "Home:kitchen:bed 1": ...},
    )

Rooms are pygame-style rectangles ``(x, y, w, h)`` in tiles named ``"Sector:arena"``;
objects are ``"Sector:arena:name": (kind, (x, y))`` or a mapping with ``kind``, ``tile``
and optionally ``capacity`` and ``states`` ("off,on"). Every bed becomes a spawn point of
its sector, so residents whose home is that sector start in their own bed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from aga_npc.errors import MapError
from aga_npc.places import Address
from aga_npc.world.clock import GameClock
from aga_npc.world.kinds import KindRegistry
from aga_npc.world.model import World
from aga_npc.world.tmx import RawMap, Shape

__all__ = ["grid_world"]

ObjectDef = tuple[str, tuple[int, int]] | Mapping[str, Any]


def grid_world(
    rows: Sequence[str],
    *,
    rooms: Mapping[str, tuple[int, int, int, int]],
    objects: Mapping[str, ObjectDef],
    walls: str = "#",
    clock: GameClock | None = None,
    kinds: KindRegistry | None = None,
) -> World:
    """Build a world from text rows (``walls`` characters block, anything else is floor).

    ``kinds``: the object kinds the game registers (default: the household kinds); every
    object's kind must be one of them.

    Raises:
        MapError: ragged rows, a room or object outside the grid, a malformed name, or a
            map problem the world found (an object outside its room, an unknown kind ...).
    """
    if not rows or not rows[0]:
        raise MapError("<grid>: the grid has no rows")
    width, height = len(rows[0]), len(rows)
    for y, row in enumerate(rows):
        if len(row) != width:
            raise MapError(f"<grid>: row {y} has {len(row)} tiles, row 0 has {width}")
    blocked = np.array([[ch in walls for ch in row] for row in rows], dtype=np.bool_)
    blocked.setflags(write=False)
    locations: list[Shape] = []
    sectors: dict[str, list[int]] = {}
    ids = iter(range(1, 1 << 30))
    for key, (x, y, w, h) in rooms.items():
        room = Address.try_parse(key)
        if room is None or not room.arena or room.is_object:
            raise MapError(f"<grid>: room {key!r} must be named 'Sector:arena'")
        sector, arena = room.arena_key
        _inside(key, x, y, w, h, width, height)
        locations.append(
            Shape(
                layer="locations",
                obj_id=next(ids),
                name=key,
                x0=x,
                y0=y,
                x1=x + w,
                y1=y + h,
                properties={"sector": sector, "arena": arena},
            )
        )
        box = sectors.setdefault(sector, [x, y, x + w, y + h])
        box[:] = [min(box[0], x), min(box[1], y), max(box[2], x + w), max(box[3], y + h)]
    for sector, (x0, y0, x1, y1) in sectors.items():
        locations.append(
            Shape(
                layer="locations",
                obj_id=next(ids),
                name=sector,
                x0=x0,
                y0=y0,
                x1=x1,
                y1=y1,
                properties={"sector": sector},
            )
        )
    things: list[Shape] = []
    spawns: list[Shape] = []
    for address, spec in objects.items():
        parsed = Address.try_parse(address)
        if parsed is None or not parsed.is_object:
            raise MapError(f"<grid>: object {address!r} must be named 'Sector:arena:name'")
        kind, tile, props = _object_spec(address, spec)
        _inside(address, tile[0], tile[1], 1, 1, width, height)
        things.append(
            Shape(
                layer="objects",
                obj_id=next(ids),
                name=parsed.obj,
                x0=tile[0],
                y0=tile[1],
                x1=tile[0] + 1,
                y1=tile[1] + 1,
                properties={"kind": kind, **props},
            )
        )
        if kind == "bed":
            spawns.append(
                Shape(
                    layer="spawns",
                    obj_id=next(ids),
                    name=f"spawn {address}",
                    x0=tile[0],
                    y0=tile[1],
                    x1=tile[0] + 1,
                    y1=tile[1] + 1,
                    properties={"home": parsed.sector, "bed": address},
                )
            )
    raw = RawMap(
        path="<grid>",
        width=width,
        height=height,
        tile_width=16,
        tile_height=16,
        tile_layers=("collision",),
        object_layers=("locations", "objects", "spawns"),
        blocked=blocked,
        shapes={"locations": tuple(locations), "objects": tuple(things), "spawns": tuple(spawns)},
    )
    world = World(raw, clock=clock, kinds=kinds)
    if world.problems:
        raise MapError("<grid>: " + "; ".join(str(p) for p in world.problems[:5]))
    return world


def _object_spec(address: str, spec: ObjectDef) -> tuple[str, tuple[int, int], dict[str, Any]]:
    if isinstance(spec, Mapping):
        try:
            kind = str(spec["kind"])
            tile = (int(spec["tile"][0]), int(spec["tile"][1]))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise MapError(f"<grid>: object {address!r} needs 'kind' and 'tile'") from exc
        props = {k: spec[k] for k in ("capacity", "states") if k in spec}
        return kind, tile, props
    kind, tile = spec
    return str(kind), (int(tile[0]), int(tile[1])), {}


def _inside(what: str, x: int, y: int, w: int, h: int, width: int, height: int) -> None:
    if w < 1 or h < 1 or x < 0 or y < 0 or x + w > width or y + h > height:
        raise MapError(
            f"<grid>: {what} at ({x}, {y}, {w}, {h}) is not inside the {width}x{height} grid"
        )
