"""Ground, streets, the town square, the park and the greenery between buildings."""

from __future__ import annotations

import random
from collections.abc import Iterable

from towngen.canvas import Canvas, Thing, Tile, autotile, rect_cells


def grass(c: Canvas, rng: random.Random) -> None:
    """Grass everywhere, with a sprinkle of the second grass tile for texture."""
    for y in range(c.height):
        for x in range(c.width):
            c.put("ground", x, y, "grass2" if rng.random() < 0.18 else "grass")


def pave(c: Canvas, x: int, y: int, w: int, h: int, tile: str = "pave") -> None:
    """Paved cells on the ``paths`` layer (walkable)."""
    for yy in range(y, y + h):
        for xx in range(x, x + w):
            c.put("paths", xx, yy, tile, block=False)


def dirt(c: Canvas, cells: Iterable[Tile], joins: Iterable[Tile] = ()) -> None:
    """A dirt area in the grass, edges drawn with the dirt-in-grass set.

    ``joins`` are cells (e.g. pavement) that count as dirt for the edges, so a path runs
    into a street without a grass fringe.
    """
    region = set(cells)
    extra = set(joins) - region
    whole = region | extra
    for x, y in sorted(region):
        n, s = (x, y - 1) in whole, (x, y + 1) in whole
        w, e = (x - 1, y) in whole, (x + 1, y) in whole
        if n and s and w and e:
            corner = next(
                (
                    name
                    for name, (dx, dy) in (
                        ("in_tl", (-1, -1)),
                        ("in_tr", (1, -1)),
                        ("in_bl", (-1, 1)),
                        ("in_br", (1, 1)),
                    )
                    if (x + dx, y + dy) not in whole
                ),
                None,
            )
            name = f"dirt_{corner}" if corner else "dirt_c"
        else:
            if not (n or s) or not (w or e):
                raise ValueError(f"dirt path one tile thick at ({x}, {y})")
            v = "t" if not n else ("b" if not s else "")
            h = "l" if not w else ("r" if not e else "")
            name = f"dirt_{v}{h}"
        c.put("paths", x, y, name, block=False)


def tree(c: Canvas, x: int, y: int, kind: str) -> None:
    """A two-tile tree standing on ``(x, y)``: the crown above it is foreground."""
    c.put("decor", x, y, f"tree_trunk_{kind}", block=True)
    if y > 0:
        c.put("above", x, y - 1, f"tree_top_{kind}")


def lamp(c: Canvas, x: int, y: int) -> None:
    """A street lamp standing on ``(x, y)``; pole and head are foreground."""
    c.put("decor", x, y, "lamp_base", block=True)
    c.put("above", x, y - 1, "lamp_pole")
    c.put("above", x, y - 2, "lamp_head")


def garden_lamp(c: Canvas, x: int, y: int) -> None:
    c.put("decor", x, y, "garden_lamp_base", block=True)
    c.put("above", x, y - 1, "garden_lamp_top")


def bench(
    c: Canvas, sector: str, arena: str, name: str, x: int, y: int, stone: bool = False
) -> Thing:
    """A bench you sit on (walkable): two tiles wide, or one stone seat."""
    if stone:
        c.put("decor", x, y, "stone_bench", block=False)
        return c.thing(Thing(sector, arena, name, "bench", x, y, 1, 1, (x, y), capacity=2))
    c.put("decor", x, y, "bench2_l", block=False)
    c.put("decor", x + 1, y, "bench2_r", block=False)
    return c.thing(Thing(sector, arena, name, "bench", x, y, 2, 1, (x, y), capacity=2))


def fountain(c: Canvas, sector: str, arena: str, x: int, y: int, name: str = "fountain") -> Thing:
    """A 4x4 stone basin with a spout (blocked); used from the middle of its south side."""
    rows = [
        ["pool_tl", "pool_t", "pool_t", "pool_tr"],
        ["pool_l", "fountain_tl", "fountain_tr", "pool_r"],
        ["pool_l", "fountain_bl", "fountain_br", "pool_r"],
        ["pool_bl", "pool_b", "pool_b", "pool_br"],
    ]
    for dy, row in enumerate(rows):
        for dx, t in enumerate(row):
            c.put("decor", x + dx, y + dy, t, block=True)
    return c.thing(Thing(sector, arena, name, "fountain", x, y, 4, 4, (x + 1, y + 4), capacity=6))


def pond(c: Canvas, x: int, y: int, w: int, h: int) -> None:
    """Water with a stone rim (blocked)."""
    for yy in range(y, y + h):
        for xx in range(x, x + w):
            v = "t" if yy == y else ("b" if yy == y + h - 1 else "")
            hh = "l" if xx == x else ("r" if xx == x + w - 1 else "")
            c.put("paths", xx, yy, f"water_{v}{hh}" if v or hh else "water_c", block=True)


def flowers(c: Canvas, x: int, y: int, rng: random.Random) -> None:
    c.put("decor", x, y, rng.choice(("flowers", "flowers2")), block=False)


def square_paving(c: Canvas, x: int, y: int, w: int, h: int) -> None:
    autotile(c, "paths", rect_cells(x, y, w, h), "sq")
    c.block(x, y, w, h, False)
