"""Writes examples/farm/farm.tmx, the map of examples/farm_game.py (run it again after an edit).

A 40 x 26 map of 16 px tiles from the bundled Kenney sheets (CC0, see LICENSE.md here):
Willow Cottage (bedroom and kitchen), Green Field (crop rows: the game's own ``field``
kind), Mill Pond (``fishing spot``) and Village Market (``market stall``), joined by dirt
paths. Collisions are an object layer of rectangles (walls, water, trees, fences, stalls),
as pygame + Tiled games usually draw them; there is no collision tile layer.

    python examples/farm/make_map.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "farm.tmx"
W, H, T = 40, 26, 16
ASSETS = "../../aga_npc/data/assets/"
# (key, image under ASSETS, columns, rows, spacing, width px, height px)
SHEETS = (
    ("city", "kenney/roguelike-city/city_tilemap.png", 37, 28, 0, 592, 448),
    ("interior", "kenney/roguelike-interior/interior_tilemap.png", 27, 18, 1, 458, 305),
    ("urban", "kenney/rpg-urban/urban_tilemap.png", 27, 18, 0, 432, 288),
    ("extras", "aga_extras.png", 10, 1, 0, 160, 16),
)
# name -> (sheet, column, row), the same tiles as the demo town's catalogue
TILES = {
    "grass": ("city", 0, 24),
    "grass2": ("city", 1, 24),
    "dirt": ("city", 4, 24),
    "dirt2": ("city", 5, 24),
    "floor": ("city", 24, 4),
    "wall": ("city", 10, 5),
    "bed": ("interior", 9, 6),
    "stove": ("interior", 14, 14),
    "sink": ("interior", 8, 14),
    "fridge": ("extras", 2, 0),
    "table": ("interior", 4, 2),
    "chair": ("interior", 0, 2),
    "veg": ("extras", 7, 0),
    "water_tl": ("urban", 8, 6),
    "water_t": ("urban", 9, 6),
    "water_tr": ("urban", 10, 6),
    "water_l": ("urban", 8, 7),
    "water_c": ("urban", 9, 7),
    "water_r": ("urban", 10, 7),
    "water_bl": ("urban", 8, 8),
    "water_b": ("urban", 9, 8),
    "water_br": ("urban", 10, 8),
    "tree_top": ("city", 33, 10),
    "tree_trunk": ("city", 33, 11),
    "bush": ("city", 31, 13),
    "fence": ("urban", 5, 14),
    "crate_greens": ("urban", 5, 11),
    "crate_apples": ("urban", 4, 11),
    "crates": ("urban", 7, 11),
    "awning_l": ("city", 24, 12),
    "awning_m": ("city", 25, 12),
    "awning_r": ("city", 26, 12),
    "bench": ("city", 15, 15),
    "flowers": ("extras", 8, 0),
}


def gid(name: str) -> int:
    first = 1
    sheet, col, row = TILES[name]
    for key, _, columns, rows, *_ in SHEETS:
        if key == sheet:
            return first + row * columns + col
        first += columns * rows
    raise KeyError(sheet)


def grid() -> list[list[int]]:
    return [[0] * W for _ in range(H)]


def fill(layer: list[list[int]], x0: int, y0: int, x1: int, y1: int, tile: str) -> None:
    """Fill tiles x0..x1, y0..y1 (inclusive)."""
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            layer[y][x] = gid(tile)


def build() -> str:
    ground, walls, decor, above = grid(), grid(), grid(), grid()
    for y in range(H):
        for x in range(W):
            ground[y][x] = gid("grass2" if (x * 7 + y * 3) % 11 == 0 else "grass")
    # dirt paths: an east-west lane and two north-south ones
    fill(ground, 1, 11, 38, 12, "dirt")
    fill(ground, 15, 2, 16, 23, "dirt")
    fill(ground, 10, 10, 10, 10, "dirt")
    fill(ground, 24, 10, 24, 10, "dirt")
    # Willow Cottage: walls 2..13 x 2..9, a partition at x=7 with a door, front door (10, 9)
    fill(ground, 3, 3, 12, 8, "floor")
    fill(walls, 2, 2, 13, 2, "wall")
    fill(walls, 2, 9, 13, 9, "wall")
    fill(walls, 2, 2, 2, 9, "wall")
    fill(walls, 13, 2, 13, 9, "wall")
    fill(walls, 7, 3, 7, 8, "wall")
    walls[5][7] = 0  # bedroom door
    walls[9][10] = 0  # front door
    ground[9][10] = gid("floor")
    ground[5][7] = gid("floor")
    for x, y in ((3, 3), (5, 3), (3, 7)):
        decor[y][x] = gid("bed")
    decor[3][9], decor[3][10], decor[3][12] = gid("stove"), gid("sink"), gid("fridge")
    decor[6][10] = gid("table")
    decor[5][10], decor[7][10] = gid("chair"), gid("chair")
    # Green Field: crop rows on dirt inside a fence
    fill(ground, 18, 3, 29, 8, "dirt2")
    for x0, x1, y in ((18, 22, 4), (24, 29, 4), (18, 29, 7)):
        fill(decor, x0, y, x1, y, "veg")
    fill(decor, 18, 2, 29, 2, "fence")
    # Mill Pond: water 4..10 x 15..20 with a bench and flowers on the shore
    fill(ground, 4, 15, 10, 20, "water_c")
    fill(ground, 4, 15, 10, 15, "water_t")
    fill(ground, 4, 20, 10, 20, "water_b")
    fill(ground, 4, 15, 4, 20, "water_l")
    fill(ground, 10, 15, 10, 20, "water_r")
    ground[15][4], ground[15][10] = gid("water_tl"), gid("water_tr")
    ground[20][4], ground[20][10] = gid("water_bl"), gid("water_br")
    decor[14][3] = gid("bench")
    decor[22][12], decor[14][12] = gid("flowers"), gid("flowers")
    # Village Market: three stalls (awning above, crates below) on a dirt square
    fill(ground, 19, 15, 33, 21, "dirt")
    for x, crate in ((20, "crate_greens"), (25, "crates"), (30, "crate_apples")):
        above[15][x], above[15][x + 1], above[15][x + 2] = (
            gid("awning_l"),
            gid("awning_m"),
            gid("awning_r"),
        )
        fill(decor, x, 16, x + 2, 16, crate)
    # trees along the edges
    for x, y in ((1, 24), (5, 24), (9, 24), (35, 3), (36, 7), (35, 22), (37, 17), (13, 17)):
        above[y - 1][x] = gid("tree_top")
        decor[y][x] = gid("tree_trunk")
    for x, y in ((33, 9), (17, 20), (14, 4)):
        decor[y][x] = gid("bush")
    return tmx(ground, walls, decor, above)


# collision rectangles in tiles (x, y, w, h): walls, water, trunks, bushes, fence, stalls
COLLISIONS = [
    (2, 2, 12, 1),
    (2, 9, 8, 1),
    (11, 9, 3, 1),
    (2, 3, 1, 6),
    (13, 3, 1, 6),
    (7, 3, 1, 2),
    (7, 6, 1, 3),
    (4, 15, 7, 6),
    (18, 2, 12, 1),
    (20, 16, 3, 1),
    (25, 16, 3, 1),
    (30, 16, 3, 1),
    (1, 24, 1, 1),
    (5, 24, 1, 1),
    (9, 24, 1, 1),
    (35, 3, 1, 1),
    (36, 7, 1, 1),
    (35, 22, 1, 1),
    (37, 17, 1, 1),
    (13, 17, 1, 1),
    (33, 9, 1, 1),
    (17, 20, 1, 1),
    (14, 4, 1, 1),
]
# sector rectangles (outer), then arenas: (sector, arena, x, y, w, h)
LOCATIONS = [
    ("Willow Cottage", "", 2, 2, 12, 8),
    ("Willow Cottage", "bedroom", 3, 3, 4, 6),
    ("Willow Cottage", "kitchen", 8, 3, 5, 6),
    ("Green Field", "", 17, 2, 14, 8),
    ("Green Field", "rows", 17, 3, 14, 7),
    ("Mill Pond", "", 2, 13, 12, 11),
    ("Mill Pond", "shore", 2, 13, 12, 11),
    ("Village Market", "", 18, 14, 17, 9),
    ("Village Market", "square", 18, 14, 17, 9),
]
# objects: (sector:arena, name, kind, x, y, w, h, extra properties)
OBJECTS = [
    ("Willow Cottage:bedroom", "bed 1", "bed", 3, 3, 1, 1, {}),
    ("Willow Cottage:bedroom", "bed 2", "bed", 5, 3, 1, 1, {}),
    ("Willow Cottage:bedroom", "bed 3", "bed", 3, 7, 1, 1, {}),
    ("Willow Cottage:kitchen", "stove", "stove", 9, 3, 1, 1, {}),
    ("Willow Cottage:kitchen", "sink", "sink", 10, 3, 1, 1, {}),
    ("Willow Cottage:kitchen", "fridge", "fridge", 12, 3, 1, 1, {}),
    ("Willow Cottage:kitchen", "kitchen table", "table", 10, 6, 1, 1, {"capacity": 3}),
    ("Green Field:rows", "potato rows", "field", 18, 4, 5, 1, {}),
    ("Green Field:rows", "cabbage rows", "field", 24, 4, 6, 1, {}),
    ("Green Field:rows", "wheat strip", "field", 18, 7, 12, 1, {}),
    ("Mill Pond:shore", "fishing spot", "fishing spot", 11, 17, 1, 1, {"use_x": 11, "use_y": 17}),
    ("Mill Pond:shore", "jetty", "fishing spot", 7, 21, 1, 1, {"use_x": 7, "use_y": 21}),
    ("Mill Pond:shore", "bench", "bench", 3, 14, 1, 1, {}),
    ("Village Market:square", "vegetable stall", "market stall", 20, 16, 3, 1, {}),
    ("Village Market:square", "fish stall", "market stall", 25, 16, 3, 1, {}),
    ("Village Market:square", "fruit stall", "market stall", 30, 16, 3, 1, {}),
]


def tmx(*layers: list[list[int]]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Generated by examples/farm/make_map.py: the farm of examples/farm_game.py. -->",
        f'<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" '
        f'renderorder="right-down" width="{W}" height="{H}" tilewidth="{T}" tileheight="{T}" '
        f'infinite="0" nextlayerid="9" nextobjectid="{1000}">',
    ]
    first = 1
    for key, image, columns, rows, spacing, width, height in SHEETS:
        out.append(
            f' <tileset firstgid="{first}" name="{key}" tilewidth="{T}" tileheight="{T}" '
            f'spacing="{spacing}" margin="0" tilecount="{columns * rows}" columns="{columns}">'
        )
        out.append(f'  <image source="{ASSETS}{image}" width="{width}" height="{height}"/>')
        out.append(" </tileset>")
        first += columns * rows
    for i, (name, data) in enumerate(
        zip(("ground", "walls", "decor", "above"), layers, strict=True), 1
    ):
        out.append(f' <layer id="{i}" name="{name}" width="{W}" height="{H}">')
        if name == "above":
            out.append(
                '  <properties><property name="foreground" type="bool" value="true"/></properties>'
            )
        rows_csv = ",\n".join(",".join(str(v) for v in row) for row in data)
        out.append(f'  <data encoding="csv">\n{rows_csv}\n</data>')
        out.append(" </layer>")
    oid = iter(range(1, 1000))
    out.append(' <objectgroup id="5" name="collision" visible="0">')
    for x, y, w, h in COLLISIONS:
        out.append(
            f'  <object id="{next(oid)}" x="{x * T}" y="{y * T}" width="{w * T}" height="{h * T}"/>'
        )
    out.append(" </objectgroup>")
    out.append(' <objectgroup id="6" name="locations" visible="0">')
    for sector, arena, x, y, w, h in LOCATIONS:
        props = f'<property name="sector" value="{sector}"/>'
        if arena:
            props += f'<property name="arena" value="{arena}"/>'
        out.append(
            f'  <object id="{next(oid)}" x="{x * T}" y="{y * T}" width="{w * T}" '
            f'height="{h * T}"><properties>{props}</properties></object>'
        )
    out.append(" </objectgroup>")
    out.append(' <objectgroup id="7" name="objects" visible="0">')
    for _, name, kind, x, y, w, h, extra in OBJECTS:
        props = f'<property name="kind" value="{kind}"/>'
        for key, value in extra.items():
            props += f'<property name="{key}" type="int" value="{value}"/>'
        out.append(
            f'  <object id="{next(oid)}" name="{name}" x="{x * T}" y="{y * T}" '
            f'width="{w * T}" height="{h * T}"><properties>{props}</properties></object>'
        )
    out.append(" </objectgroup>")
    out.append(' <objectgroup id="8" name="spawns" visible="0">')
    for _, name, kind, x, y, *_ in OBJECTS:
        if kind == "bed":
            out.append(
                f'  <object id="{next(oid)}" x="{x * T + 8}" y="{y * T + 8}"><point/>'
                '<properties><property name="home" value="Willow Cottage"/>'
                f'<property name="bed" value="Willow Cottage:bedroom:{name}"/>'
                "</properties></object>"
            )
    out.append(" </objectgroup>")
    out.append("</map>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT}")
