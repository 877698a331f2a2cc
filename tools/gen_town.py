"""Generate the demo town, aga_npc/data/maps/town.tmx, deterministically.

See docs/MAP_CONVENTIONS.md. The town is drawn with the CC0 Kenney sheets in
aga_npc/data/assets/kenney/ and the few extra tiles of aga_npc/data/assets/aga_extras.png
(tools/gen_extras.py). Buildings are ASCII plans furnished by hand
(tools/towngen/homes.py, public.py); streets, the square and the park are laid out here.
Before writing, the generator checks the naming contract, that every object's use tile can
be walked to from every spawn (BFS over the collision grid) and that no cell shows a
transparent tile over nothing; it fails loudly otherwise.

Usage: ``python tools/gen_town.py [--out aga_npc/data/maps/town.tmx] [--png docs/town.png]``

``--residents N`` (default 25) draws a town with a bed for each of N residents: up to 25 it
is the demo town; beyond, ceil(N / 25) districts, each the demo town drawn with its own
seed and its sectors named after its neighbourhood (``aga_npc.maps.districts``), joined by
avenues (``towngen/districts.py``). The same N always gives the same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from towngen import homes, public
from towngen.building import Building
from towngen.canvas import Canvas, Tile, rect_cells
from towngen.checks import TownError, check
from towngen.districts import build_districts
from towngen.outdoors import dirt, garden_lamp, grass, lamp, pave
from towngen.places import (
    ROUND_TREES,
    TALL_TREES,
    elm_park,
    forest_edge,
    grove,
    meadow,
    parked_car,
    planted,
    pond_and_orchard,
    stroke,
    town_square,
)
from towngen.tmxwrite import write_tmx

from aga_npc.maps.districts import MAX_RESIDENTS, districts_for

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "aga_npc" / "data"  # package data: maps/ and the assets/ the map draws with
W, H = 128, 72
SEED = 20240611

LANE_Y = 17  # residential lane, 2 rows of pavement
STREET_N, ROAD_Y, STREET_S = 35, 37, 40  # sidewalk (2 rows), road (3 rows), sidewalk (2)
SQUARE = (45, 19, 24, 16)  # x, y, w, h
PARK = (81, 44, 44, 25)
PARK_GATE = 102


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
    """Pave straight from each front door to the row ``to_y`` (exclusive); flank the
    path with low hedges where there is room."""
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
    for zx in (56, 57, 58, PARK_GATE, PARK_GATE + 1, PARK_GATE + 2):  # zebra crossings
        for y in range(ROAD_Y, ROAD_Y + 3):
            c.put("paths", zx, y, "zebra_v", block=False)
    for x in (20, 89, 109):  # lane <-> main street between the middle buildings
        pave(c, x, LANE_Y + 2, 2, STREET_N - LANE_Y - 2)


def _street_furniture(c: Canvas) -> None:
    for x in (3, 22, 43, 70, 91, 111, 124):
        lamp(c, x, STREET_N)
    for x in (12, 30, 52, 66, 80, 94, 112, 122):
        lamp(c, x, STREET_S + 1)
    for x, kind in (
        (6, "light"),
        (18, "autumn"),
        (38, "dark"),
        (46, "light"),
        (74, "autumn"),
        (88, "dark"),
        (98, "light"),
        (108, "autumn"),
        (118, "dark"),
    ):
        c.put("decor", x, STREET_S + 1, f"planter_tree_{kind}", block=True)
    for x in (10, 26, 43, 71, 86, 106, 123):
        lamp(c, x, LANE_Y + 2)
    parked_car(c, 14, ROAD_Y, "green")
    parked_car(c, 76, ROAD_Y, "grey")
    parked_car(c, 115, ROAD_Y, "orange")
    for x, y, t in ((42, 33, "bin"), (24, 42, "bin"), (44, 42, "hydrant"), (90, 42, "bin")):
        c.put("decor", x, y, t, block=True)


def _doorsteps(c: Canvas, buildings: list[Building]) -> None:
    """A mailbox and flowers beside each home's front path."""
    for b in buildings:
        doors = _front_doors(b)
        if not doors:
            continue
        xs = [d[0] for d in doors]
        x0, x1 = min(xs) - 1, max(xs) + 1
        y, d = doors[0][1], doors[0][2]
        if planted(c, x0, y + d):
            c.put(
                "decor", x0, y + d, "mailbox" if b.sector != "Juniper Cafe" else "bin", block=True
            )
        if planted(c, x1, y + d):
            c.put("decor", x1, y + d, "bush_dark", block=True)


def _front_gardens(c: Canvas, rng: random.Random, buildings: list[Building]) -> None:
    """Shrubs and flowers along the row in front of each house (not on its path)."""
    for b in buildings:
        y = b.y + b.h
        for x in range(b.x, b.x + b.w):
            if not planted(c, x, y) or c.get("above", x, y):
                continue
            roll = rng.random()
            if roll < 0.3:
                c.put(
                    "decor", x, y, rng.choice(("bush_light", "bush_dark", "bush_lime")), block=True
                )
            elif roll < 0.65:
                c.put("decor", x, y, rng.choice(("flowers", "flowers2")), block=False)


def build(seed: int = SEED) -> Canvas:
    """Draw the whole town (one district) and return the canvas (not yet checked)."""
    rng = random.Random(seed)
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
    for b in (*north, *middle, *south):
        b.add_windows()
    for b in north:
        _connect(c, b, LANE_Y)
    for b in middle:
        _connect(c, b, STREET_N)
    for b in south:
        _connect(c, b, STREET_S + 1)
    town_square(c, *SQUARE)
    park_paths, park_keep = elm_park(c, *PARK, gate_x=PARK_GATE, street_y=STREET_S + 1)
    walk = stroke([(22, STREET_S + 2), (22, 64), (86, 64)])  # to the pond and on to the park
    joins = {(x, STREET_S + 1) for x in (*range(21, 25), *range(PARK_GATE - 1, PARK_GATE + 3))}
    dirt(c, park_paths | walk, joins=joins)
    pond_and_orchard(c, rng, 2, 57, 41, 12)
    for x in (40, 58, 74):  # benches and lamps along the walk below the college
        c.put("decor", x, 63, "bench2_l", block=False)
        c.put("decor", x + 1, 63, "bench2_r", block=False)
        garden_lamp(c, x + 4, 63)
    _street_furniture(c)
    _doorsteps(c, north + middle)
    _front_gardens(c, rng, north)

    keep: set[Tile] = set(park_keep)
    for b in (*north, *middle, *south):
        keep |= set(rect_cells(b.x - 1, b.y - 1, b.w + 2, b.h + 2))
    for y in range(H):
        for x in range(W):
            if c.get("paths", x, y):
                keep |= {(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    sx, sy, sw, sh = SQUARE
    keep |= set(rect_cells(sx - 1, sy - 1, sw + 2, sh + 2))
    keep |= {t.use for t in c.things}
    keep |= set(rect_cells(2, 57, 21, 12))  # the orchard keeps its rows
    road_gap = set(rect_cells(0, STREET_N - 1, W, 8))
    forest_edge(c, rng, keep | road_gap)
    px, py, pw, ph = PARK
    park_area = rect_cells(px + 1, py + 1, pw - 2, ph - 2)
    grove(c, rng, park_area, keep, density=0.22)
    meadow(c, rng, park_area, keep, 0.08)
    lawn = rect_cells(44, 60, 37, 9)
    grove(c, rng, lawn, keep, density=0.16, kinds=ROUND_TREES + TALL_TREES, bushes=0.25)
    everywhere = rect_cells(2, 3, W - 4, H - 5)
    grove(c, rng, everywhere, keep, density=0.07, kinds=ROUND_TREES + TALL_TREES, bushes=0.3)
    meadow(c, rng, everywhere, keep, 0.04)
    return c


def _residents(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--residents must be a whole number, got {text!r}"
        ) from None
    try:
        districts_for(n)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA / "maps" / "town.tmx")
    parser.add_argument("--png", type=Path, default=None, help="also render the map here")
    parser.add_argument(
        "--residents",
        type=_residents,
        default=25,
        help=f"beds for this many residents, 1..{MAX_RESIDENTS} (default 25: the demo town)",
    )
    args = parser.parse_args(argv)
    districts = districts_for(args.residents)
    canvas = build_districts(districts, build, SEED)
    try:
        check(canvas, DATA, districts)
    except TownError as exc:
        print(f"gen_town: the town is broken, nothing written.\n{exc}", file=sys.stderr)
        return 1
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_tmx(canvas, out, DATA)
    beds = sum(1 for t in canvas.things if t.kind == "bed")
    print(
        f"wrote {out}: {canvas.width}x{canvas.height} tiles, {districts} district(s), "
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
