"""A town of several districts: copies of the demo town joined by north-south avenues.

Each district is drawn by ``gen_town.build`` with its own seed (district 0 with the demo
town's, so it is the demo town), its sectors renamed after its neighbourhood
(``aga_npc.maps.districts``), and copied into a grid of columns. An avenue of pavement
runs the full height of the map left of every column and right of the last; every
district's main street runs from its west edge to its east edge, so each meets two avenues
and every spawn can walk to every object of the town.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from aga_npc.maps.districts import district_sector
from towngen.canvas import LAYERS, Canvas, Location, Spawn, Thing
from towngen.outdoors import grass, pave

AVENUE = 3  # tiles of pavement between district columns


def layout(districts: int, w: int, h: int) -> tuple[int, int]:
    """(columns, rows) of a grid of ``districts`` blocks of w x h tiles, about square."""
    cols = max(1, math.ceil(math.sqrt(districts * h / (w + AVENUE))))
    rows = math.ceil(districts / cols)
    return cols, rows


def _rename(c: Canvas, k: int) -> None:
    """Name every sector of a one-district canvas after district ``k``."""
    for loc in c.locations:
        loc.sector = district_sector(loc.sector, k)
    for t in c.things:
        t.sector = district_sector(t.sector, k)
    for s in c.spawns:
        sector, _, rest = s.bed.partition(":")
        s.home = district_sector(s.home, k)
        s.bed = f"{district_sector(sector, k)}:{rest}"


def _blit(big: Canvas, c: Canvas, ox: int, oy: int) -> None:
    """Copy a district's tiles, collisions and objects into ``big`` at ``(ox, oy)``."""
    for name in LAYERS:
        dst, src = big.layers[name], c.layers[name]
        for y in range(c.height):
            dst[oy + y][ox : ox + c.width] = src[y]
    for y in range(c.height):
        big.blocked[oy + y][ox : ox + c.width] = c.blocked[y]
    for loc in c.locations:
        big.locations.append(Location(loc.sector, loc.arena, loc.x + ox, loc.y + oy, loc.w, loc.h))
    for t in c.things:
        big.things.append(
            Thing(
                t.sector,
                t.arena,
                t.name,
                t.kind,
                t.x + ox,
                t.y + oy,
                t.w,
                t.h,
                (t.use[0] + ox, t.use[1] + oy),
                t.capacity,
                t.states,
            )
        )
    for s in c.spawns:
        big.spawns.append(Spawn(home=s.home, bed=s.bed, tile=(s.tile[0] + ox, s.tile[1] + oy)))


def build_districts(districts: int, draw: Callable[[int], Canvas], seed: int) -> Canvas:
    """A town of ``districts`` districts; ``draw(seed)`` draws one (district k: seed + k)."""
    first = draw(seed)
    if districts == 1:
        return first
    w, h = first.width, first.height
    cols, rows = layout(districts, w, h)
    big = Canvas(cols * (w + AVENUE) + AVENUE, rows * h)
    grass(big, random.Random(seed - 1))
    for col in range(cols + 1):
        pave(big, col * (w + AVENUE), 0, AVENUE, big.height)
    for k in range(districts):
        c = first if k == 0 else draw(seed + k)
        _rename(c, k)
        row, col = divmod(k, cols)
        _blit(big, c, AVENUE + col * (w + AVENUE), row * h)
    return big
