"""The open-air places: Town Square, Elm Park, the pond and orchard, street furniture."""

from __future__ import annotations

import random
from itertools import pairwise

from towngen.canvas import Canvas, Thing, Tile, rect_cells
from towngen.outdoors import (
    bench,
    flowers,
    fountain,
    garden_lamp,
    lamp,
    pond,
    square_paving,
    tree,
)

ROUND_TREES = ("light", "autumn", "dark")
TALL_TREES = ("lime", "amber", "pine")


def stroke(points: list[Tile], width: int = 2) -> set[Tile]:
    """Cells of a path through ``points``: each leg goes along x first, then along y."""
    cells: set[Tile] = set()

    def dab(x: int, y: int) -> None:
        cells.update((x + dx, y + dy) for dx in range(width) for dy in range(width))

    for (x0, y0), (x1, y1) in pairwise(points):
        step = 1 if x1 >= x0 else -1
        for x in range(x0, x1 + step, step):
            dab(x, y0)
        step = 1 if y1 >= y0 else -1
        for y in range(y0, y1 + step, step):
            dab(x1, y)
    return cells


def grow(cells: set[Tile], by: int = 1) -> set[Tile]:
    out = set(cells)
    for x, y in cells:
        out |= {(x + dx, y + dy) for dx in range(-by, by + 1) for dy in range(-by, by + 1)}
    return out


def planted(c: Canvas, x: int, y: int) -> bool:
    """Whether a tree/bush may stand on ``(x, y)``: plain grass with nothing on it."""
    return (
        c.inside(x, y)
        and c.get("paths", x, y) is None
        and c.get("floor", x, y) is None
        and c.get("walls", x, y) is None
        and c.get("decor", x, y) is None
        and not c.blocked[y][x]
    )


def grove(
    c: Canvas,
    rng: random.Random,
    cells: list[Tile],
    keep_clear: set[Tile],
    *,
    density: float,
    kinds: tuple[str, ...] = ROUND_TREES,
    bushes: float = 0.15,
) -> None:
    """Trees packed close (crowns may overlap trunks behind them) on free grass cells."""
    for x, y in cells:
        if (x, y) in keep_clear or rng.random() > density or not planted(c, x, y):
            continue
        top = (x, y - 1)
        if c.get("above", *top) or c.get("walls", *top) or c.get("floor", *top):
            continue
        if rng.random() < bushes:
            c.put("decor", x, y, f"bush_{rng.choice(kinds + TALL_TREES)}", block=True)
        else:
            tree(c, x, y, rng.choice(kinds))


def meadow(c: Canvas, rng: random.Random, cells: list[Tile], keep_clear: set[Tile], p: float):
    """Flowers on free grass (walkable)."""
    for x, y in cells:
        free = (x, y) not in keep_clear and planted(c, x, y) and not c.get("above", x, y)
        if rng.random() < p and free:
            flowers(c, x, y, rng)


def town_square(c: Canvas, x: int, y: int, w: int, h: int) -> None:
    """Paved square: fountain in a grey stone ring, benches facing it, planters, lamps,
    two vendor carts."""
    sector = "Town Square"
    c.location(sector, None, x, y, w, h)
    c.location(sector, "square", x, y, w, h)
    square_paving(c, x, y, w, h)
    fx, fy = x + w // 2 - 2, y + h // 2 - 2
    for yy in range(fy - 2, fy + 6):  # a ring of grey flagstones round the fountain
        for xx in range(fx - 2, fx + 6):
            corner = xx in (fx - 2, fx + 5) and yy in (fy - 2, fy + 5)
            if not corner:
                c.put("paths", xx, yy, "floor_slate", block=False)
    fountain(c, sector, "square", fx, fy)
    benches = (
        (fx + 1, fy - 3, False),
        (fx + 1, fy + 6, False),
        (fx - 4, fy + 1, True),
        (fx - 4, fy + 2, True),
        (fx + 7, fy + 1, True),
        (fx + 7, fy + 2, True),
        (x + 3, y + 2, False),
        (x + w - 5, y + 2, False),
    )
    for n, (bx, by, stone) in enumerate(benches, start=1):
        bench(c, sector, "square", f"bench {n}", bx, by, stone=stone)
    for px, py, kind in (
        (x + 1, y + 1, "light"),
        (x + w - 2, y + 1, "autumn"),
        (x + 1, y + h - 2, "dark"),
        (x + w - 2, y + h - 2, "light"),
        (x + 1, y + h // 2, "autumn"),
        (x + w - 2, y + h // 2, "dark"),
    ):
        c.put("decor", px, py, f"planter_tree_{kind}", block=True)
    for lx, ly in ((fx - 3, fy - 2), (fx + 6, fy - 2), (fx - 3, fy + 6), (fx + 6, fy + 6)):
        lamp(c, lx, ly)
    # flower planters (stone-edged beds) in the four corners of the ring
    for bx, by in ((x + 4, y + h - 5), (x + w - 8, y + h - 5)):
        planter_bed(c, bx, by, 4, 3)
    c.put("decor", x + 3, y + h // 2 + 2, "cart_green", block=True)
    c.put("above", x + 3, y + h // 2 + 1, "cart_top_green")
    c.put("decor", x + w - 4, y + h // 2 - 2, "cart_orange", block=True)
    c.put("above", x + w - 4, y + h // 2 - 3, "cart_top_orange")
    c.put("decor", x + 2, y + h // 2 - 3, "bin", block=True)
    c.put("decor", x + w - 3, y + h // 2 + 3, "bin", block=True)


def planter_bed(c: Canvas, x: int, y: int, w: int, h: int) -> None:
    """A stone-edged flower bed (blocked)."""
    for yy in range(y, y + h):
        for xx in range(x, x + w):
            v = "t" if yy == y else ("b" if yy == y + h - 1 else "")
            hh = "l" if xx == x else ("r" if xx == x + w - 1 else "")
            c.put("rugs", xx, yy, f"planter_{v}{hh}" if v or hh else "planter_c", block=True)
    for yy in range(y + 1, y + h - 1):
        for xx in range(x + 1, x + w - 1):
            c.put("decor", xx, yy, "flowers", block=True)


def elm_park(
    c: Canvas, x: int, y: int, w: int, h: int, gate_x: int, street_y: int
) -> tuple[set[Tile], set[Tile]]:
    """Elm Park: paths from the street gate to a fountain plaza, a pond, vegetable gardens,
    picnic tables. Returns (path cells to draw as dirt, cells to keep free of trees)."""
    sector, arena = "Elm Park", "park"
    c.location(sector, None, x, y, w, h)
    c.location(sector, arena, x, y, w, h)
    px, py, pw, ph = x + 17, y + 6, 10, 8  # plaza
    plaza = set(rect_cells(px, py, pw, ph))
    paths = set(plaza)
    paths |= stroke([(gate_x, street_y + 1), (gate_x, py)])
    west = [(px, py + 4), (x + 12, py + 4), (x + 12, y + 17), (x + 5, y + 17), (x + 5, y + h - 4)]
    paths |= stroke(west)
    east = [(px + pw - 2, py + 2), (x + w - 5, py + 2)]
    paths |= stroke(east)
    south = [(px + 4, py + ph - 2), (px + 4, y + 18), (x + 30, y + 18), (x + 30, y + h - 4)]
    paths |= stroke(south)
    loop = [(x + 5, y + h - 4), (x + w - 5, y + h - 4), (x + w - 5, py + 2)]
    paths |= stroke(loop)
    fountain(c, sector, arena, px + 3, py + 2)
    things: list[Thing] = []
    n = 0
    for bx, by in (
        (px + 1, py),
        (px + pw - 3, py),
        (px + 1, py + ph - 1),
        (px + pw - 3, py + ph - 1),
    ):
        n += 1
        things.append(bench(c, sector, arena, f"bench {n}", bx, by))
    # vegetable gardens, north-east, hedged
    gx, gy = x + 29, py - 1
    for g, (ox, oy) in enumerate(((0, 0), (4, 0), (0, 6), (4, 6)), start=1):
        for dy in range(2):
            for dx in range(3):
                c.put("paths", gx + ox + dx, gy + oy + dy, "vegetables", block=True)
        use = (gx + ox + 1, gy + oy + 2) if oy == 0 else (gx + ox + 1, gy + oy - 1)
        c.thing(Thing(sector, arena, f"garden {g}", "garden", gx + ox, gy + oy, 3, 2, use, 2))
    c.put("decor", gx + 3, gy, "bin_wood", block=True)
    # pond, west, with benches on its bank
    pond(c, x + 6, y + 8, 6, 5)
    n += 1
    things.append(bench(c, sector, arena, f"bench {n}", x + 7, y + 14))
    # picnic tables, south
    for t, (tx, ty) in enumerate(((x + 18, y + h - 9), (x + 23, y + h - 9)), start=1):
        c.put("decor", tx, ty, "table_big_tl", block=True)
        c.put("decor", tx + 1, ty, "table_big_t", block=True)
        c.put("decor", tx + 2, ty, "table_big_tr", block=True)
        for i in range(3):
            c.put("decor", tx + i, ty + 1, "wchair_n", block=False)
        c.thing(Thing(sector, arena, f"table {t}", "table", tx, ty, 3, 1, (tx + 1, ty + 1), 6))
    for bx, by in ((x + 36, y + h - 6), (x + 14, y + h - 6)):
        n += 1
        things.append(bench(c, sector, arena, f"bench {n}", bx, by))
    for lx, ly in (
        (px - 1, py + 1),
        (px + pw, py + 1),
        (px - 1, py + ph - 1),
        (px + pw, py + ph - 1),
    ):
        garden_lamp(c, lx, ly)
    keep = grow(paths, 1) | set(rect_cells(gx - 1, gy - 1, 9, 10))
    keep |= grow(set(rect_cells(x + 6, y + 8, 6, 5)), 1)
    keep |= {t.use for t in c.things}
    return paths, keep


def pond_and_orchard(c: Canvas, rng: random.Random, x: int, y: int, w: int, h: int) -> None:
    """South-west corner: an orchard in rows, a pond, a bench; reached by a dirt path."""
    for oy in range(y + 1, y + h - 1, 3):
        for ox in range(x + 2, x + 20, 3):
            if planted(c, ox, oy):
                tree(c, ox, oy, "autumn" if (ox + oy) % 2 else "light")
    pond(c, x + 25, y + 2, 8, 5)
    for bx, by, t in (
        (x + 24, y + 2, "bush_dark"),
        (x + 33, y + 3, "bush_light"),
        (x + 24, y + 6, "bush_lime"),
        (x + 33, y + 6, "bush_dark"),
    ):
        c.put("decor", bx, by, t, block=True)
    c.put("decor", x + 28, y + 1, "bench2_l", block=False)
    c.put("decor", x + 29, y + 1, "bench2_r", block=False)


def parked_car(c: Canvas, x: int, road_y: int, colour: str) -> None:
    """A car parked on the road's north lane (3x2: the roof row is foreground)."""
    for i, part in enumerate(("l", "", "r")):
        c.put("above", x + i, road_y - 1, f"car_{colour}_t{part}")
        c.put("decor", x + i, road_y, f"car_{colour}_b{part}", block=True)


def forest_edge(c: Canvas, rng: random.Random, keep_clear: set[Tile]) -> None:
    """A dense belt of trees round the map edge (two rows deep), gaps kept for roads."""
    cells: list[Tile] = []
    for x in range(c.width):
        cells += [(x, 1), (x, 2), (x, c.height - 1), (x, c.height - 2)]
    for y in range(3, c.height - 2):
        cells += [(0, y), (1, y), (c.width - 1, y), (c.width - 2, y)]
    grove(c, rng, cells, keep_clear, density=0.85, kinds=ROUND_TREES + TALL_TREES, bushes=0.1)
