"""Generate the demo town, maps/town.tmx, deterministically (docs/MAP_CONVENTIONS.md).

The town is drawn with the CC0 Kenney sheets in assets/kenney/ and the few extra tiles of
assets/aga_extras.png (tools/gen_extras.py). Buildings are ASCII plans furnished by hand
(tools/towngen/homes.py, public.py); streets, the square and the park are laid out here.
Before writing, the generator checks the naming contract, that every object's use tile can
be walked to from every spawn (BFS over the collision grid) and that no cell shows a
transparent tile over nothing; it fails loudly otherwise.

Usage: ``python tools/gen_town.py [--out maps/town.tmx] [--png docs/town.png]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from towngen import homes, public
from towngen.building import Building
from towngen.canvas import Canvas, Thing, Tile
from towngen.checks import TownError, check
from towngen.outdoors import (
    bench,
    dirt,
    fountain,
    garden_lamp,
    grass,
    lamp,
    pave,
    pond,
    scatter_trees,
    square_paving,
)
from towngen.tmxwrite import write_tmx

ROOT = Path(__file__).resolve().parents[1]
W, H = 128, 80
SEED = 20240611

LANE_Y = 17  # residential lane, 2 rows of pavement
STREET_N, ROAD_Y, STREET_S = 35, 37, 40  # sidewalk (2 rows), road (3 rows), sidewalk (2)
SQUARE = (45, 19, 24, 16)  # x, y, w, h
PARK = (81, 44, 44, 33)


def _front_doors(b: Building) -> list[tuple[int, int, int]]:
    """Exterior doors as (abs x, abs y, direction): +1 opens south, -1 opens north."""
    out = []
    for dx, dy in b.doors:
        if dy == b.h - 1:
            out.append((b.x + dx, b.y + dy, 1))
        elif dy == 0:
            out.append((b.x + dx, b.y + dy, -1))
    return out


def _connect(c: Canvas, b: Building, to_y: int) -> list[Tile]:
    """Pave straight from each front door to the row ``to_y`` (exclusive)."""
    cells = []
    for x, y, d in _front_doors(b):
        yy = y + d
        while (yy < to_y) if d > 0 else (yy > to_y):
            cells.append((x, yy))
            yy += d
    for x, y in cells:
        c.put("paths", x, y, "pave", block=False)
    return cells


def _streets(c: Canvas) -> None:
    pave(c, 2, LANE_Y, W - 4, 2)
    pave(c, 0, STREET_N, W, 1)
    pave(c, 0, STREET_N + 1, W, 1, "pave_curb_s")
    for x in range(W):
        c.put("paths", x, ROAD_Y, "asphalt", block=False)
        c.put("paths", x, ROAD_Y + 1, "road_dash_h", block=False)
        c.put("paths", x, ROAD_Y + 2, "asphalt", block=False)
    pave(c, 0, STREET_S, W, 2)
    for zx in (56, 57, 58, 102, 103, 104):  # zebra crossings: square -> college, -> park
        for y in range(ROAD_Y, ROAD_Y + 3):
            c.put("paths", zx, y, "zebra_v", block=False)
    # lane <-> main street connectors between the middle buildings
    for x in (20, 89, 109):
        pave(c, x, LANE_Y + 2, 2, STREET_N - LANE_Y - 2)


def _square(c: Canvas, rng: random.Random) -> None:
    x, y, w, h = SQUARE
    sector = "Town Square"
    c.location(sector, None, x, y, w, h)
    c.location(sector, "square", x, y, w, h)
    square_paving(c, x, y, w, h)
    fountain(c, sector, "square", x + 10, y + 6)
    bench(c, sector, "square", "bench 1", x + 6, y + 4)
    bench(c, sector, "square", "bench 2", x + 16, y + 4)
    bench(c, sector, "square", "bench 3", x + 6, y + 12)
    bench(c, sector, "square", "bench 4", x + 16, y + 12)
    bench(c, sector, "square", "bench 5", x + 7, y + 8, stone=True)
    bench(c, sector, "square", "bench 6", x + 16, y + 8, stone=True)
    for px, py, kind in ((x + 2, y + 2, "light"), (x + w - 3, y + 2, "autumn")):
        c.put("decor", px, py, f"planter_tree_{kind}", block=True)
    for px, py, kind in ((x + 2, y + h - 3, "dark"), (x + w - 3, y + h - 3, "light")):
        c.put("decor", px, py, f"planter_tree_{kind}", block=True)
    for lx, ly in ((x + 4, y + 7), (x + w - 5, y + 7), (x + 4, y + 12), (x + w - 5, y + 12)):
        lamp(c, lx, ly)
    c.put("decor", x + 3, y + 10, "cart_green", block=True)
    c.put("above", x + 3, y + 9, "cart_top_green")
    c.put("decor", x + w - 4, y + 5, "cart_orange", block=True)
    c.put("above", x + w - 4, y + 4, "cart_top_orange")
    c.put("decor", x + 1, y + 7, "bin", block=True)
    c.put("decor", x + w - 2, y + 12, "bin", block=True)


def _park(c: Canvas, rng: random.Random) -> set[Tile]:
    """Elm Park: a path loop, a fountain plaza, vegetable gardens, a pond, benches."""
    px, py, pw, ph = PARK
    sector, arena = "Elm Park", "park"
    c.location(sector, None, px, py, pw, ph)
    c.location(sector, arena, px, py, pw, ph)
    paths: set[Tile] = set()
    ring = (px + 4, py + 4, pw - 9, ph - 9)  # outer corner of the 2-wide loop
    rx, ry, rw, rh = ring
    for xx in range(rx, rx + rw):
        for yy in range(ry, ry + rh):
            if xx < rx + 2 or xx >= rx + rw - 2 or yy < ry + 2 or yy >= ry + rh - 2:
                paths.add((xx, yy))
    plaza = (px + 16, py + 11, 12, 10)
    ax, ay, aw, ah = plaza
    paths |= {(xx, yy) for xx in range(ax, ax + aw) for yy in range(ay, ay + ah)}
    mid_x = ax + aw // 2 - 1
    mid_y = ay + ah // 2 - 1
    for yy in range(STREET_S + 2, ay):  # entrance from the street down to the plaza
        paths |= {(mid_x, yy), (mid_x + 1, yy)}
    for yy in range(ay + ah, ry + rh):
        paths |= {(mid_x, yy), (mid_x + 1, yy)}
    for xx in range(rx, ax):
        paths |= {(xx, mid_y), (xx, mid_y + 1)}
    for xx in range(ax + aw, rx + rw):
        paths |= {(xx, mid_y), (xx, mid_y + 1)}
    street = {(xx, STREET_S + 1) for xx in range(mid_x - 1, mid_x + 3)}
    dirt(c, paths, joins=street)
    fountain(c, sector, arena, ax + aw // 2 - 2, ay + ah // 2 - 2)
    spots = (
        (ax + 1, ay + 1),
        (ax + aw - 3, ay + 1),
        (ax + 1, ay + ah - 2),
        (ax + aw - 3, ay + ah - 2),
        (rx + 6, ry + 2),
        (rx + rw - 9, ry + 2),
        (rx + 6, ry + rh - 3),
        (rx + rw - 9, ry + rh - 3),
    )
    for n, (bx, by) in enumerate(spots, start=1):
        bench(c, sector, arena, f"bench {n}", bx, by)
    # vegetable gardens in the north-east quarter
    for g, gx in enumerate((ax + aw + 3, ax + aw + 7), start=1):
        gy = ry + 4
        for dy in range(2):
            for dx in range(3):
                c.put("paths", gx + dx, gy + dy, "vegetables", block=True)
        c.thing(Thing(sector, arena, f"garden {g}", "garden", gx, gy, 3, 2, (gx + 1, gy + 2), 2))
    pond(c, rx + 4, ay + ah - 2, 6, 4)
    for lx, ly in (
        (ax - 1, ay + 2),
        (ax + aw, ay + 2),
        (ax - 1, ay + ah - 1),
        (ax + aw, ay + ah - 1),
    ):
        garden_lamp(c, lx, ly)
    reserved = set(paths)
    for xx, yy in list(paths):
        reserved |= {(xx + dx, yy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    return reserved


def build() -> Canvas:
    """Draw the whole town and return the canvas (not yet checked)."""
    rng = random.Random(SEED)
    c = Canvas(W, H)
    grass(c, rng)
    _streets(c)
    north = [
        homes.brook_house(c, 4, 3),
        homes.harbor_flat(c, 28, 3),
        homes.alder_dorm(c, 52, 3),
        homes.cedar_apartments(c, 81, 3),
        homes.fenwick_house(c, 108, 4),
    ]
    middle = [
        homes.rowan_cottage(c, 5, 22),
        public.juniper_cafe(c, 23, 22),
        public.town_hall(c, 72, 22),
        homes.lantern_house(c, 92, 22),
        homes.mill_cottage(c, 112, 23),
    ]
    south = [
        public.grocery(c, 4, 43),
        public.copper_kettle(c, 25, 43),
        public.college(c, 46, 43),
    ]
    door_cells: list[Tile] = []
    for b in north:
        door_cells += _connect(c, b, LANE_Y)
    for b in middle:
        door_cells += _connect(c, b, STREET_N)
    for b in south:
        door_cells += _connect(c, b, STREET_S + 1)
    _square(c, rng)
    park_reserved = _park(c, rng)

    reserved: set[Tile] = set(park_reserved)
    for b in (*north, *middle, *south):
        for yy in range(b.y - 1, b.y + b.h + 1):
            for xx in range(b.x - 1, b.x + b.w + 1):
                reserved.add((xx, yy))
    for y in range(H):
        for x in range(W):
            if c.get("paths", x, y):
                reserved |= {(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    sx, sy, sw, sh = SQUARE
    reserved |= {(x, y) for x in range(sx - 1, sx + sw + 1) for y in range(sy - 1, sy + sh + 1)}
    scatter_trees(c, rng, (0, 0, W, H), reserved, density=0.05, spacing=3)
    return c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "maps" / "town.tmx")
    parser.add_argument("--png", type=Path, default=None, help="also render the map here")
    args = parser.parse_args(argv)
    canvas = build()
    try:
        check(canvas, ROOT)
    except TownError as exc:
        print(f"gen_town: the town is broken, nothing written.\n{exc}", file=sys.stderr)
        return 1
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_tmx(canvas, out, ROOT)
    beds = sum(1 for t in canvas.things if t.kind == "bed")
    print(
        f"wrote {out.relative_to(ROOT)}: {W}x{H} tiles, "
        f"{len({loc.sector for loc in canvas.locations})} sectors, "
        f"{sum(1 for loc in canvas.locations if loc.arena)} arena rects, "
        f"{len(canvas.things)} objects ({beds} beds), {len(canvas.spawns)} spawns"
    )
    if args.png:
        from aga_npc.pygame.map_renderer import render_to_png

        size = render_to_png(out, args.png)
        print(f"rendered {args.png} ({size[0]}x{size[1]} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
