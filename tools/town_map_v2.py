"""Generate the demo town map (maps/town_v2.tmx) from ASCII building plans, deterministically.

Run ``python tools/town_map_v2.py`` from the project root. It copies the Kenney sheets it uses
into ``assets/town_v2/`` and writes ``maps/town_v2.tmx`` (Tiled, orthogonal, CSV layers).

Plans use one character per tile:
    ``#`` wall, ``+`` door, ``.`` floor (or open ground outdoors);
    objects (blocking): ``B`` bed, ``S`` stove, ``F`` fridge, ``K`` kitchen sink, ``k`` wash
    basin, ``W`` shower, ``O`` toilet, ``T`` table, ``D`` desk, ``C`` counter, ``R`` bar,
    ``h`` shelf, ``H`` bookshelf, ``A`` sofa, ``V`` tv, ``L`` blackboard, ``P`` piano,
    ``E`` easel, ``N`` bench, ``G`` garden, ``U`` fountain;
    decor: ``c`` chair (walkable), ``r`` rug (walkable), ``p`` potted plant, ``=`` kitchen
    cabinet, ``t`` tree, ``b`` bush, ``l`` street lamp, ``w`` pond water, ``f`` flowers.
Same-letter 4-connected cells form one object (beds, benches and chairs are always single).
Rooms are the floor regions between walls; their arena names are given in raster order of
each room's top-left tile.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[1]
KENNEY = Path("/work/shared/assets/kenney")  # source of the copied sheets (build time only)
OUT_TMX = ROOT / "maps" / "town_v2.tmx"
ASSETS = ROOT / "assets" / "town_v2"
TS = 16
W, H = 128, 80

# ------------------------------------------------------------------ tilesets and catalogue
# key -> (source path under KENNEY, file name in assets/town_v2, columns, rows, spacing, w, h)
SHEETS: dict[str, tuple[str, str, int, int, int, int, int]] = {
    "tt": ("tiny-town/tilemap_packed.png", "tinytown_tilemap_packed.png", 12, 11, 0, 192, 176),
    "ru": ("rpg-urban/urban_tilemap.png", "rpgurban_tilemap.png", 27, 18, 0, 432, 288),
    "rc": ("roguelike-city/city_tilemap.png", "roguelikecity_tilemap.png", 37, 28, 0, 592, 448),
    "ri": (
        "roguelike-interior/interior_tilemap.png",
        "roguelikeinterior_tilemap.png",
        27,
        18,
        1,
        458,
        305,
    ),
}
ORDER = ("tt", "ru", "rc", "ri")

# name -> (sheet, column, row); every entry checked by eye on enlarged crops of the sheet.
CAT: dict[str, tuple[str, int, int]] = {
    # ground
    "grass": ("tt", 0, 0),
    "grass_tuft": ("tt", 1, 0),
    "grass_flowers": ("tt", 2, 0),
    "dirt": ("tt", 1, 2),
    "pave": ("ru", 9, 1),
    "plaza": ("rc", 2, 24),
    "plaza_dark": ("rc", 3, 24),
    "sand": ("rc", 6, 24),
    "soil": ("tt", 3, 3),
    "water": ("ru", 13, 7),
    # walls and floors
    "wall_red": ("rc", 2, 5),
    "wall_grey": ("rc", 6, 5),
    "wall_tan": ("rc", 10, 5),
    "floor_tan": ("rc", 4, 20),
    "floor_grey": ("rc", 1, 20),
    "floor_blue": ("rc", 7, 20),
    "floor_beige": ("ru", 1, 4),
    # furniture
    "bed_orange": ("ri", 9, 6),
    "bed_green": ("ri", 9, 7),
    "stove": ("ri", 14, 14),
    "fridge": ("rc", 24, 15),
    "sink_kitchen": ("ri", 8, 12),
    "basin": ("ri", 21, 4),
    "shower": ("ru", 14, 8),
    "toilet": ("ri", 1, 8),
    "cabinet": ("ri", 0, 12),
    "cabinet_drawers": ("ri", 1, 12),
    "table_1": ("ri", 6, 3),
    "table_round": ("ri", 7, 0),
    "table_tl": ("ri", 0, 0),
    "table_tm": ("ri", 1, 0),
    "table_tr": ("ri", 2, 0),
    "table_bl": ("ri", 0, 1),
    "table_bm": ("ri", 1, 1),
    "table_br": ("ri", 2, 1),
    "table_vt": ("ri", 5, 0),
    "table_vb": ("ri", 5, 1),
    "desk": ("ri", 7, 4),
    "counter_l": ("ri", 8, 15),
    "counter_m": ("ri", 9, 15),
    "counter_r": ("ri", 10, 15),
    "bar_l": ("ri", 0, 15),
    "bar_m": ("ri", 1, 15),
    "bar_r": ("ri", 3, 15),
    "shelf_a": ("rc", 9, 18),
    "shelf_b": ("rc", 10, 18),
    "shelf_c": ("rc", 11, 18),
    "bookshelf_a": ("ri", 20, 17),
    "bookshelf_b": ("ri", 21, 17),
    "sofa_l": ("ri", 4, 7),
    "sofa_m": ("ri", 5, 7),
    "sofa_r": ("ri", 7, 7),
    "tv": ("ri", 6, 5),
    "board_l": ("rc", 12, 4),
    "board_m": ("rc", 13, 4),
    "board_r": ("rc", 14, 4),
    "piano_l": ("ri", 23, 8),
    "piano_r": ("ri", 24, 8),
    "easel": ("ri", 20, 15),
    "bench": ("ru", 3, 14),
    "sprout": ("tt", 5, 1),
    "fountain_tl": ("ru", 8, 6),
    "fountain_tr": ("ru", 10, 6),
    "fountain_bl": ("ru", 8, 8),
    "fountain_br": ("ru", 10, 8),
    # decor
    "chair_down": ("ri", 0, 2),
    "chair_up": ("ri", 1, 2),
    "chair_side": ("ri", 2, 2),
    "plant": ("ri", 16, 0),
    "plant2": ("ri", 17, 0),
    "rug": ("ri", 19, 13),
    "rug_l": ("ri", 16, 14),
    "rug_m": ("ri", 17, 14),
    "rug_r": ("ri", 18, 14),
    "tree": ("tt", 4, 1),
    "tree_pine": ("tt", 4, 2),
    "tree_autumn": ("tt", 3, 1),
    "bush": ("tt", 5, 0),
    "lamp_top": ("ru", 7, 6),
    "awning_tl": ("rc", 23, 9),
    "awning_tm": ("rc", 24, 9),
    "awning_tr": ("rc", 26, 9),
    "awning_bl": ("rc", 23, 11),
    "awning_bm": ("rc", 24, 11),
    "awning_br": ("rc", 26, 11),
    "awning2_tl": ("rc", 27, 9),
    "awning2_tm": ("rc", 28, 9),
    "awning2_tr": ("rc", 30, 9),
    "awning2_bl": ("rc", 27, 11),
    "awning2_bm": ("rc", 28, 11),
    "awning2_br": ("rc", 30, 11),
    "crate_veg": ("ru", 6, 10),
    "crate_fruit": ("ru", 4, 11),
    "crate_greens": ("ru", 5, 11),
    "cart_top": ("rc", 34, 14),
    "cart": ("rc", 34, 15),
    "cart2_top": ("rc", 35, 14),
    "cart2": ("rc", 35, 15),
    "fence_tl": ("tt", 8, 3),
    "fence_tr": ("tt", 10, 3),
    "fence_bl": ("tt", 8, 5),
    "fence_br": ("tt", 10, 5),
    "fence_h": ("tt", 9, 6),
    "fence_l": ("tt", 8, 4),
    "fence_r": ("tt", 10, 4),
    "lamp_bottom": ("ru", 7, 7),
}

KINDS = {
    "B": "bed",
    "S": "stove",
    "F": "fridge",
    "K": "sink",
    "k": "sink",
    "W": "shower",
    "O": "toilet",
    "T": "table",
    "D": "desk",
    "C": "counter",
    "R": "bar",
    "h": "shelf",
    "H": "bookshelf",
    "A": "sofa",
    "V": "tv",
    "L": "blackboard",
    "P": "piano",
    "E": "easel",
    "N": "bench",
    "G": "garden",
    "U": "fountain",
}
SINGLE = set("BNOWkKSFVDE")  # always one object per cell
STATES = {"stove": "off,on", "tv": "off,on", "shower": "off,on", "fountain": "on,off"}
CAPACITY = {"sofa": 3, "bench": 2, "fountain": 4, "garden": 2, "bar": 4, "counter": 2}
BLOCKING_DECOR = set("p=tbwl")
FLIP_X = 0x80000000  # Tiled's horizontal-flip bit on a gid


def gid(name: str) -> int:
    """Global tile id of catalogue entry ``name``."""
    sheet, col, row = CAT[name]
    first = 1
    for key in ORDER:
        if key == sheet:
            return first + row * SHEETS[key][2] + col
        first += SHEETS[key][2] * SHEETS[key][3]
    raise KeyError(name)


# ------------------------------------------------------------------------- map state
@dataclass
class Obj:
    kind: str
    name: str
    arena: str
    sector: str
    x: int
    y: int
    w: int
    h: int


@dataclass
class Town:
    layers: dict[str, list[list[int]]] = field(default_factory=dict)
    blocked: list[list[bool]] = field(default_factory=list)
    locations: list[tuple[str, str, int, int, int, int]] = field(default_factory=list)
    objects: list[Obj] = field(default_factory=list)
    spawns: list[tuple[int, int, str, str]] = field(default_factory=list)
    terrain: list[list[str]] = field(default_factory=list)
    flowers: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for name in ("ground", "floor", "walls", "furniture", "decor", "above"):
            self.layers[name] = [[0] * W for _ in range(H)]
        self.blocked = [[False] * W for _ in range(H)]
        self.terrain = [["grass"] * W for _ in range(H)]

    def ground(self, x: int, y: int, kind: str) -> None:
        """Set the terrain kind of a cell (painted, autotiled, at the end)."""
        if 0 <= x < W and 0 <= y < H:
            self.terrain[y][x] = kind

    def put(
        self,
        layer: str,
        x: int,
        y: int,
        name: str | None,
        block: bool = False,
        mirror: bool = False,
    ) -> None:
        if 0 <= x < W and 0 <= y < H:
            value = gid(name) if name else 0
            self.layers[layer][y][x] = value | FLIP_X if value and mirror else value
            if block:
                self.blocked[y][x] = True


@dataclass(frozen=True)
class Plan:
    sector: str
    x: int
    y: int
    rows: tuple[str, ...]
    arenas: tuple[str, ...]
    wall: str = "wall_red"
    floor: str = "floor_tan"
    floors: tuple[tuple[str, str], ...] = ()  # arena -> floor tile override
    outdoor: bool = False
    ground: str = "grass"
    flip: bool = False
    inner_doors: tuple[tuple[int, int], ...] = ()


def _regions(rows: Sequence[str]) -> list[set[tuple[int, int]]]:
    """Floor regions (rooms) of a plan, ordered by their first tile in raster order."""
    h, w = len(rows), len(rows[0])
    seen: set[tuple[int, int]] = set()
    out: list[set[tuple[int, int]]] = []
    for y in range(h):
        for x in range(w):
            if (x, y) in seen or rows[y][x] in "#+ ":
                continue
            region = {(x, y)}
            stack = [(x, y)]
            seen.add((x, y))
            while stack:
                cx, cy = stack.pop()
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    inside = 0 <= nx < w and 0 <= ny < h
                    if inside and (nx, ny) not in seen and rows[ny][nx] not in "#+ ":
                        seen.add((nx, ny))
                        region.add((nx, ny))
                        stack.append((nx, ny))
            out.append(region)
    return out


def _groups(rows: Sequence[str], region: set[tuple[int, int]]) -> list[tuple[str, list]]:
    """Object cell groups inside a region: (letter, cells), in raster order."""
    seen: set[tuple[int, int]] = set()
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for x, y in sorted(region, key=lambda t: (t[1], t[0])):
        ch = rows[y][x]
        if ch not in KINDS or (x, y) in seen:
            continue
        cells = [(x, y)]
        seen.add((x, y))
        if ch not in SINGLE:
            stack = [(x, y)]
            while stack:
                cx, cy = stack.pop()
                for n in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if n in region and n not in seen and rows[n[1]][n[0]] == ch:
                        seen.add(n)
                        cells.append(n)
                        stack.append(n)
        out.append((ch, cells))
    return out


def _object_tiles(ch: str, w: int, h: int, variant: int) -> list[list[str]]:
    """Catalogue names for an object footprint ``w`` x ``h``."""

    def run(left: str, mid: str, right: str, n: int) -> list[str]:
        if n == 1:
            return [mid]
        return [left] + [mid] * (n - 2) + [right]

    if ch == "B":
        return [["bed_orange" if variant % 2 == 0 else "bed_green"]]
    simple = {
        "S": "stove",
        "F": "fridge",
        "K": "sink_kitchen",
        "k": "basin",
        "W": "shower",
        "O": "toilet",
        "D": "desk",
        "V": "tv",
        "E": "easel",
        "N": "bench",
    }
    if ch in simple:
        return [[simple[ch]] * w for _ in range(h)]
    if ch == "T":
        if w == 1 and h == 1:
            return [["table_round" if variant % 2 else "table_1"]]
        if w == 1:
            return [["table_vt"]] + [["table_vb"]] * (h - 1)
        if h == 2:  # long tables pushed together (the sheet's 1x2 table, side by side)
            return [["table_vt"] * w, ["table_vb"] * w]
        top = run("table_tl", "table_tm", "table_tr", w)
        bottom = run("table_bl", "table_bm", "table_br", w)
        return [bottom] if h == 1 else [top] * (h - 1) + [bottom]
    if ch == "C":
        return [run("counter_l", "counter_m", "counter_r", w)] * h
    if ch == "R":
        return [run("bar_l", "bar_m", "bar_r", w)] * h
    if ch == "h":
        cycle = ("shelf_a", "shelf_b", "shelf_c")
        return [[cycle[(i + j + variant) % 3] for i in range(w)] for j in range(h)]
    if ch == "H":
        return [
            [("bookshelf_a", "bookshelf_b")[(i + variant) % 2] for i in range(w)] for _ in range(h)
        ]
    if ch == "A":
        return [run("sofa_l", "sofa_m", "sofa_r", w)] * h
    if ch == "L":
        return [run("board_l", "board_m", "board_r", w)] * h
    if ch == "P":
        return [["piano_l", "piano_r"][:w]] * h
    if ch == "G":
        return [["sprout"] * w for _ in range(h)]
    if ch == "U":
        return [["fountain_tl", "fountain_tr"], ["fountain_bl", "fountain_br"]]
    raise ValueError(ch)


def place(town: Town, plan: Plan) -> list[tuple[int, int]]:
    """Draw one building or outdoor area; returns its door tiles (map coordinates).

    A flipped plan is mirrored top to bottom on the map (its logic runs on the plan as drawn).
    """
    rows = list(plan.rows)
    for dx, dy in plan.inner_doors:
        rows[dy] = rows[dy][:dx] + "+" + rows[dy][dx + 1 :]
    h, w = len(rows), len(rows[0])
    for r in rows:
        if len(r) != w:
            raise SystemExit(f"{plan.sector}: plan rows differ in width ({len(r)} != {w}): {r!r}")
    for y in range(h):
        for x in range(w):
            if rows[y][x] != "+":
                continue
            for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if 0 <= nx < w and 0 <= ny < h and rows[ny][nx] not in ".cr+#":
                    raise SystemExit(f"{plan.sector}: door {(x, y)} is blocked by {rows[ny][nx]!r}")
    ox, oy = plan.x, plan.y

    def fy(y: int) -> int:
        return oy + (h - 1 - y if plan.flip else y)

    town.locations.append((plan.sector, "", ox, oy, w, h))
    regions = _regions(rows)
    if len(regions) != len(plan.arenas):
        raise SystemExit(f"{plan.sector}: {len(regions)} rooms but {len(plan.arenas)} arena names")
    floors = dict(plan.floors)
    doors: list[tuple[int, int]] = []
    for y in range(h):
        for x in range(w):
            ch = rows[y][x]
            mx, my = ox + x, fy(y)
            if ch == "#":
                town.put("walls", mx, my, plan.wall, block=True)
                if not plan.outdoor:
                    town.put("floor", mx, my, plan.floor)
            elif ch == "+":
                town.put("floor", mx, my, plan.floor)
                doors.append((mx, my))
    for variant, (region, arena) in enumerate(zip(regions, plan.arenas, strict=True)):
        xs = [x for x, _ in region]
        ys = [fy(y) - oy for _, y in region]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs) + 1, max(ys) + 1
        town.locations.append((plan.sector, arena, ox + x0, oy + y0, x1 - x0, y1 - y0))
        floor = floors.get(arena, plan.floor)
        for x, y in region:
            mx, my = ox + x, fy(y)
            if not plan.outdoor:
                town.put("floor", mx, my, floor)
            elif rows[y][x] not in "tbfgwdGU":
                town.ground(mx, my, plan.ground)
            _decor(town, rows, x, y, mx, my, plan.flip)
        counts: dict[str, int] = {}
        groups = _groups(rows, region)
        for ch, _ in groups:
            counts[KINDS[ch]] = counts.get(KINDS[ch], 0) + 1
        numbers: dict[str, int] = {}
        for ch, cells in groups:
            kind = KINDS[ch]
            numbers[kind] = numbers.get(kind, 0) + 1
            name = kind if counts[kind] == 1 and kind != "bed" else f"{kind} {numbers[kind]}"
            gx0 = min(x for x, _ in cells)
            gy0 = min(y for _, y in cells)
            gw = max(x for x, _ in cells) - gx0 + 1
            gh = max(y for _, y in cells) - gy0 + 1
            tiles = _object_tiles(ch, gw, gh, variant + numbers[kind])
            if ch in "UG":  # drawn by the terrain (water basin, tilled soil) and the decor
                for cx, cy in cells:
                    town.put("furniture", ox + cx, fy(cy), None, block=True)
                    town.ground(ox + cx, fy(cy), "water" if ch == "U" else "soil")
                tiles = [[""] * gw for _ in range(gh)] if ch == "U" else tiles
            for j in range(gh):
                for i in range(gw):
                    if (gx0 + i, gy0 + j) in cells:
                        tile = tiles[gh - 1 - j][i] if plan.flip else tiles[j][i]
                        if tile:
                            town.put("furniture", ox + gx0 + i, fy(gy0 + j), tile, block=True)
            top = min(fy(gy0), fy(gy0 + gh - 1))
            town.objects.append(Obj(kind, name, arena, plan.sector, ox + gx0, top, gw, gh))
            if kind == "bed":
                sx, sy = _spawn_tile(rows, region, gx0, gy0)
                address = f"{plan.sector}:{arena}:{name}"
                town.spawns.append((ox + sx, fy(sy), plan.sector, address))
    if plan.outdoor:
        for y in range(h):
            for x in range(w):
                if rows[y][x] in KINDS and rows[y][x] not in "UG":
                    mx, my = ox + x, fy(y)
                    near = [
                        town.terrain[ny][nx]
                        for nx, ny in ((mx + 1, my), (mx - 1, my), (mx, my + 1), (mx, my - 1))
                        if 0 <= nx < W and 0 <= ny < H
                    ]
                    town.ground(mx, my, max(set(near), key=near.count))
    return doors


def _spawn_tile(
    rows: Sequence[str], region: set[tuple[int, int]], x: int, y: int
) -> tuple[int, int]:
    for nx, ny in ((x, y + 1), (x + 1, y), (x - 1, y), (x, y - 1)):
        if (nx, ny) in region and rows[ny][nx] in ".cr":
            return nx, ny
    raise SystemExit(f"bed at plan tile {(x, y)} has no free tile beside it")


def _decor(town: Town, rows: Sequence[str], x: int, y: int, mx: int, my: int, flip: bool) -> None:
    ch = rows[y][x]

    def at(dx: int, dy: int) -> str:
        yy, xx = y + dy, x + dx
        return rows[yy][xx] if 0 <= yy < len(rows) and 0 <= xx < len(rows[0]) else " "

    if ch == "c":
        if at(0, 1) in "TD":
            name = "chair_up" if flip else "chair_down"
        elif at(0, -1) in "TD":
            name = "chair_down" if flip else "chair_up"
        else:
            name = "chair_side"
        town.put("decor", mx, my, name, mirror=name == "chair_side" and at(-1, 0) in "TD")
    elif ch == "r":
        left, right = at(-1, 0) == "r", at(1, 0) == "r"
        if left and right:
            name = "rug_m"
        elif right and at(2, 0) == "r":
            name = "rug_l"
        elif left and at(-2, 0) == "r":
            name = "rug_r"
        else:
            name = "rug"
        town.put("decor", mx, my, name)
    elif ch == "p":
        town.put("decor", mx, my, "plant" if (mx + my) % 2 else "plant2", block=True)
    elif ch == "=":
        town.put("furniture", mx, my, "cabinet" if (mx + my) % 2 else "cabinet_drawers", block=True)
    elif ch == "t":
        town.put("decor", mx, my, ("tree", "tree_pine", "tree_autumn")[(mx * 7 + my) % 3], True)
        town.ground(mx, my, "grass")
    elif ch == "b":
        town.put("decor", mx, my, "bush", block=True)
        town.ground(mx, my, "grass")
    elif ch == "w":
        town.put("decor", mx, my, None, block=True)
        town.ground(mx, my, "water")
    elif ch == "f":
        town.ground(mx, my, "grass")
        town.flowers.add((mx, my))
    elif ch == "g":
        town.ground(mx, my, "grass")
    elif ch == "d":
        town.ground(mx, my, "dirt")
    elif ch == "l":
        town.put("decor", mx, my, "lamp_bottom", block=True)
        town.put("above", mx, my - 1, "lamp_top")


# -------------------------------------------------------------------------- the town
def hjoin(rooms: Sequence[Sequence[str]], doors: Sequence[int]) -> tuple[str, ...]:
    """Rooms side by side between walls, a closed top wall and ``doors`` in the bottom wall."""
    height = len(rooms[0])
    body = ["#" + "#".join(room[i] for room in rooms) + "#" for i in range(height)]
    width = len(body[0])
    bottom = "".join("+" if x in doors else "#" for x in range(width))
    return ("#" * width, *body, bottom)


def canvas(w: int, h: int, stamps: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    """An outdoor plan: ``.`` everywhere, with strings stamped at (x, y) (``|`` ends a row)."""
    grid = [["."] * w for _ in range(h)]
    for x, y, text in stamps:
        for j, line in enumerate(text.split("|")):
            for i, ch in enumerate(line):
                if ch != "_":
                    grid[y + j][x + i] = ch
    return tuple("".join(r) for r in grid)


CLASSROOM = (
    "p..LLL...p",
    "..........",
    ".D.D..D.D.",
    ".c.c..c.c.",
    "..........",
    ".D.D..D.D.",
    ".c.c..c.c.",
    "..........",
    "H........H",
    "..........",
)
BATH = ("floor_blue",)


def plans() -> list[Plan]:
    """Every building and outdoor area of the town."""
    kb = (("bathroom", "floor_blue"), ("kitchen", "floor_grey"))
    return [
        # ---- north row: doors face the north street (rows 20-22)
        Plan(
            "Brook House",
            2,
            6,
            (
                "##################",
                "#B.B..p#OWk#B...B#",
                "#......#...#.....#",
                "#...r..#...#..r..#",
                "#.....p#..p#D...p#",
                "##+######+####+###",
                "#....AAA...#.....#",
                "#..........+.....#",
                "#...rrr....#.cTc.#",
                "#..........#.cTc.#",
                "#.....V....#.....#",
                "#H.p......H#=SKF=#",
                "#####+############",
            ),
            ("main bedroom", "bathroom", "kids room", "living room", "kitchen"),
            floors=kb,
        ),
        Plan(
            "Harbor Flat",
            22,
            7,
            (
                "#################",
                "#B.p#B.p#p.B#OWk#",
                "#...#...#...#...#",
                "#..D#..D#..D#...#",
                "##+###+###+###+##",
                "#.......#.......#",
                "#..AAA..+.......#",
                "#.......#..cTc..#",
                "#..rrr..#..cTc..#",
                "#.......#.......#",
                "#H.V...p#=SKF=p=#",
                "####+############",
            ),
            ("bedroom 1", "bedroom 2", "bedroom 3", "bathroom", "common room", "kitchen"),
            wall="wall_red",
            floor="floor_beige",
            floors=kb,
        ),
        Plan(
            "Alder Dorm",
            42,
            8,
            (
                "#####################",
                "#B.B.#B.B.#B.B.#OWk.#",
                "#....#....#....#....#",
                "#D..p#D..p#D..p#W..k#",
                "##+####+####+####+###",
                "#.........#.........#",
                "#.AAA.....+..cTTc...#",
                "#.........#..cTTc...#",
                "#..rrr....#.........#",
                "#H.V....pH#==SK=F=S=#",
                "####+################",
            ),
            ("room 1", "room 2", "room 3", "bathroom", "lounge", "common kitchen"),
            wall="wall_grey",
            floors=(("bathroom", "floor_blue"), ("common kitchen", "floor_grey")),
        ),
        Plan(
            "Cedar Apartments",
            65,
            8,
            (
                "#####################",
                "#B.p#B.p#B.p#B.p#OWk#",
                "#...#...#...#...#...#",
                "#D..#D..#D..#D..#...#",
                "##+###+###+###+###+##",
                "#...................#",
                "#..cTTc.......cTTc..#",
                "#..cTTc.......cTTc..#",
                "#...................#",
                "#=SK=F=p.....p=SK=F=#",
                "#########+###########",
            ),
            (
                "apartment 1",
                "apartment 2",
                "apartment 3",
                "apartment 4",
                "bathroom",
                "shared kitchen",
            ),
            wall="wall_red",
            floors=(("bathroom", "floor_blue"), ("shared kitchen", "floor_grey")),
        ),
        Plan(
            "Juniper Cafe",
            89,
            10,
            (
                "##################",
                "#=SKF=#CCCC.....p#",
                "#.....+..........#",
                "#.....#.cTc..cTc.#",
                "#....p#..........#",
                "#.....#.cTc..cTc.#",
                "#.....#..........#",
                "#.....#p..cTc...p#",
                "##########+#######",
            ),
            ("kitchen", "cafe"),
            floor="floor_beige",
            floors=(("kitchen", "floor_grey"),),
        ),
        Plan(
            "Pine Street Grocery",
            109,
            9,
            (
                "################",
                "#hhh.hhh.#h.hhh#",
                "#........#.....#",
                "#.hh..hh.+.....#",
                "#........#h...h#",
                "#.hh..hh.#.....#",
                "#........#hh.hh#",
                "#CC..p...#######",
                "#.......p#######",
                "####+###########",
            ),
            ("store", "storeroom"),
            wall="wall_grey",
            floor="floor_grey",
        ),
        # ---- middle row: plans drawn door-down, flipped so doors face the north street
        Plan(
            "Fenwick House",
            2,
            24,
            (
                "##################",
                "#B.B..p#OWk#B.p.H#",
                "#......#...#.....#",
                "#..rr..#...#.....#",
                "#.....p#..p#D...p#",
                "##+######+####+###",
                "#....AAA...#.....#",
                "#..........+.....#",
                "#...rrr....#.cTc.#",
                "#..........#.cTc.#",
                "#.....V....#.....#",
                "#H.p......H#=SKF=#",
                "#####+############",
            ),
            ("bedroom", "bathroom", "small bedroom", "living room", "kitchen"),
            floors=kb,
            flip=True,
        ),
        Plan(
            "Rowan Cottage",
            24,
            24,
            (
                "#############",
                "#B.B.p#..E.p#",
                "#.....#.....#",
                "#..r..#....H#",
                "###+###+#####",
                "#...cTc.#OWk#",
                "#...cTc.+...#",
                "#.......#...#",
                "#=SKF...#..p#",
                "#####+#######",
            ),
            ("bedroom", "studio", "kitchen", "bathroom"),
            wall="wall_red",
            floors=kb,
            flip=True,
        ),
        Plan(
            "Town Square",
            41,
            23,
            canvas(
                36,
                27,
                [
                    (0, 0, "t" + "_" * 34 + "t"),
                    (0, 26, "t" + "_" * 34 + "t"),
                    (0, 1, "g|f|t|g|f|g|t|g|f|g|t|g|f|g|t|g|f|g|t|g|f|g|t|f|g"),
                    (35, 1, "g|f|t|g|f|g|t|g|f|g|t|g|f|g|t|g|f|g|t|g|f|g|t|f|g"),
                    (5, 5, "gfgfg|ftgtf|gfgfg"),
                    (26, 5, "gfgfg|ftgtf|gfgfg"),
                    (5, 19, "gfgfg|ftgtf|gfgfg"),
                    (26, 19, "gfgfg|ftgtf|gfgfg"),
                    (16, 11, "UUUU|UUUU|UUUU|UUUU"),
                    (14, 9, "f______f"),
                    (14, 16, "f______f"),
                    (12, 12, "N|N"),
                    (23, 12, "N|N"),
                    (17, 8, "NN"),
                    (17, 18, "NN"),
                    (11, 9, "l"),
                    (24, 9, "l"),
                    (11, 17, "l"),
                    (24, 17, "l"),
                    (8, 12, "N"),
                    (27, 12, "N"),
                ],
            ),
            ("square",),
            outdoor=True,
            ground="plaza",
        ),
        Plan(
            "The Copper Kettle",
            80,
            24,
            hjoin(
                [
                    (
                        "RRRRR....PP.p",
                        ".............",
                        ".cTc..cTc.cTc",
                        ".............",
                        ".cTc..cTc.cTc",
                        ".............",
                        "p...........p",
                        ".............",
                    ),
                    ("SKF=", "....", "....", "...p", "....", "....", "....", "...."),
                ],
                doors=(6,),
            ),
            ("bar room", "kitchen"),
            wall="wall_red",
            floor="floor_beige",
            floors=(("kitchen", "floor_grey"),),
            flip=True,
            inner_doors=((14, 2),),
        ),
        Plan(
            "Town Hall",
            104,
            24,
            hjoin(
                [
                    ("HH...HH", ".......", ".D.D.D.", ".c.c.c.", ".......", ".D...D.", ".c...c."),
                    ("p....p", "..cc..", ".cTTc.", ".cTTc.", "..cc..", "......", "H....H"),
                ],
                doors=(4, 12),
            ),
            ("office", "meeting room"),
            wall="wall_grey",
            floor="floor_beige",
            flip=True,
        ),
        # ---- south row: doors face the south street (rows 50-52)
        Plan(
            "Alder College",
            2,
            54,
            hjoin(
                [
                    CLASSROOM,
                    CLASSROOM,
                    (
                        "HHHH.HHHH.HH",
                        "............",
                        ".cTTc..cTTc.",
                        ".cTTc..cTTc.",
                        "............",
                        "H..........H",
                        "H...cTTc...H",
                        "H...cTTc...H",
                        "H..........H",
                        "....p..p....",
                    ),
                    (
                        "H.....H",
                        ".......",
                        ".D...D.",
                        ".c...c.",
                        ".......",
                        ".D...D.",
                        ".c...c.",
                        ".......",
                        "..AAA..",
                        ".......",
                    ),
                ],
                doors=(5, 16, 28, 39),
            ),
            ("classroom A", "classroom B", "library", "office"),
            wall="wall_red",
            floor="floor_tan",
            flip=True,
        ),
        Plan(
            "Elm Park",
            49,
            53,
            canvas(
                34,
                22,
                [
                    (0, 0, "ttbtttttbttttttdddtttbttttttbtttt_"),
                    (0, 21, "ttttbtttttttbttttttttbttttttttbttt"),
                    (0, 1, "t|t|b|t|t|t|b|t|t|t|b|t|t|t|t|t|t|t|t|t"),
                    (33, 0, "t|t|t|b|t|t|t|b|t|t|t|b|t|t|t|t|t|t|t|t|t"),
                    (15, 1, "ddd|ddd|ddd|ddd|ddd|ddd|ddd"),
                    (
                        11,
                        8,
                        "dddddddddddd|dddddddddddd|dddddddddddd|dddddddddddd|dddddddddddd|dddddddddddd",
                    ),
                    (15, 10, "UUU|UUU|UUU"),
                    (12, 9, "N"),
                    (21, 9, "N"),
                    (12, 12, "N"),
                    (21, 12, "N"),
                    (2, 10, "ddddddddd|ddddddddd"),
                    (23, 10, "ddddddddd|ddddddddd"),
                    (3, 4, "GGG_GGG|GGG_GGG"),
                    (2, 3, "ddddddddd"),
                    (2, 6, "ddddddddd"),
                    (2, 7, "dd|dd|dd"),
                    (6, 7, "dd|dd|dd"),
                    (23, 3, "_wwwwww_|wwwwwwww|wwwwwwww|_wwwwww_"),
                    (22, 2, "t__f__f__t"),
                    (6, 12, "N"),
                    (27, 12, "N"),
                    (3, 14, "f_t__t_f"),
                    (2, 17, "t_ff_t__b"),
                    (13, 15, "ff____ff"),
                    (15, 14, "ddd|ddd|ddd|ddd|ddd|ddd"),
                    (14, 19, "N____N"),
                    (23, 15, "t__f__t|__t___f|f____t_"),
                    (10, 2, "t"),
                    (12, 4, "f|f"),
                ],
            ),
            ("park",),
            outdoor=True,
        ),
        Plan(
            "Mill Cottage",
            87,
            54,
            (
                "###########",
                "#B..p#OWk.#",
                "#....#....#",
                "#.r.D#...p#",
                "##+####+###",
                "#.........#",
                "#..cTc....#",
                "#.......p.#",
                "#....=SKF=#",
                "####+######",
            ),
            ("bedroom", "bathroom", "kitchen"),
            wall="wall_red",
            floors=kb,
            flip=True,
        ),
        Plan(
            "Lantern House",
            101,
            54,
            (
                "###############",
                "#B.B...p#OWk.p#",
                "#.......#.....#",
                "#..rr..H#.....#",
                "###+#######+###",
                "#PP.....#.....#",
                "#.......+.cTc.#",
                "#..AAA..#.....#",
                "#p..V..p#=SKF=#",
                "#####+#########",
            ),
            ("bedroom", "bathroom", "living room", "kitchen"),
            floors=kb,
            flip=True,
        ),
    ]


STREETS = [
    (0, 20, W, 3),
    (0, 50, W, 3),
    (20, 23, 3, 27),
    (37, 23, 3, 27),
    (100, 23, 3, 27),
    (124, 23, 3, 27),
]


def build() -> Town:
    """Lay out the whole town."""
    town = Town()
    rng = random.Random(7)
    street: set[tuple[int, int]] = set()
    for sx, sy, sw, sh in STREETS:
        for y in range(sy, sy + sh):
            for x in range(sx, sx + sw):
                town.ground(x, y, "pave")
                street.add((x, y))
    occupied: set[tuple[int, int]] = set()
    for plan in plans():
        w, h = len(plan.rows[0]), len(plan.rows)
        for y in range(plan.y, plan.y + h):
            for x in range(plan.x, plan.x + w):
                occupied.add((x, y))
        doors = place(town, plan)
        for dx, dy in doors:
            _path_out(town, plan, dx, dy, street)
    yards(town, occupied, street)
    # a ring of trees round the map and scattered trees/bushes on open grass
    for y in range(H):
        for x in range(W):
            edge = x in (0, W - 1) or y in (0, H - 1)
            if (x, y) in street or (x, y) in occupied or town.blocked[y][x]:
                continue
            if town.terrain[y][x] != "grass" or town.layers["decor"][y][x]:
                continue
            near = any(
                (x + i, y + j) in occupied or (x + i, y + j) in street
                for i in (-1, 0, 1)
                for j in (-1, 0, 1)
            )
            if edge or (not near and rng.random() < 0.08):
                kind = ("tree", "tree_pine", "tree_autumn", "bush", "tree")[rng.randrange(5)]
                town.put("decor", x, y, kind, block=True)
    paint_terrain(town, rng)
    return town


# Autotile blocks of the RPG Urban sheet: 3x3 slab at (c, r), inner corners at (c+5, r) ...,
# strips and a single piece in row r+2 and column c+7 (checked by eye for all three).
AUTOTILE = {"pave": (8, 0), "plaza": (8, 3), "water": (8, 6)}


def _autotile(cells: set[tuple[int, int]], x: int, y: int, c: int, r: int) -> tuple[int, int]:
    n, s_, w, e = (
        (x, y - 1) in cells,
        (x, y + 1) in cells,
        (x - 1, y) in cells,
        (x + 1, y) in cells,
    )
    if n and s_ and w and e:
        if (x + 1, y + 1) not in cells:
            return c + 5, r
        if (x - 1, y + 1) not in cells:
            return c + 6, r
        if (x + 1, y - 1) not in cells:
            return c + 5, r + 1
        if (x - 1, y - 1) not in cells:
            return c + 6, r + 1
        return c + 1, r + 1
    if not w and not e:
        if n and s_:
            return c + 7, r + 1
        if s_:
            return c + 7, r
        if n:
            return c + 7, r + 2
        return c + 6, r + 2
    if not n and not s_:
        if w and e:
            return c + 4, r + 2
        if e:
            return c + 3, r + 2
        return c + 5, r + 2
    col = c if not w else c + 2 if not e else c + 1
    row = r if not n else r + 2 if not s_ else r + 1
    return col, row


def paint_terrain(town: Town, rng: random.Random) -> None:
    """Paint the ground layer from the terrain kinds, autotiling slabs, water and dirt."""
    by_kind: dict[str, set[tuple[int, int]]] = {}
    for y in range(H):
        for x in range(W):
            by_kind.setdefault(town.terrain[y][x], set()).add((x, y))
    for y in range(H):
        for x in range(W):
            kind = town.terrain[y][x]
            cells = by_kind[kind]
            if kind in AUTOTILE:
                c, r = _autotile(cells, x, y, *AUTOTILE[kind])
                town.layers["ground"][y][x] = _gid_at("ru", c, r)
            elif kind == "dirt":
                n, s_ = (x, y - 1) in cells, (x, y + 1) in cells
                w, e = (x - 1, y) in cells, (x + 1, y) in cells
                col = 1 if (w and e) or (not w and not e) else 0 if not w else 2
                row = 2 if (n and s_) or (not n and not s_) else 1 if not n else 3
                town.layers["ground"][y][x] = _gid_at("tt", col, row)
            elif kind == "soil":
                town.put("ground", x, y, "soil")
            else:
                roll = rng.random()
                if (x, y) in town.flowers:
                    name = "grass_flowers"
                else:
                    name = (
                        "grass_flowers" if roll < 0.03 else "grass_tuft" if roll < 0.2 else "grass"
                    )
                town.put("ground", x, y, name)


def _gid_at(sheet: str, col: int, row: int) -> int:
    first = 1
    for key in ORDER:
        if key == sheet:
            return first + row * SHEETS[key][2] + col
        first += SHEETS[key][2] * SHEETS[key][3]
    raise KeyError(sheet)


def yards(town: Town, occupied: set[tuple[int, int]], street: set[tuple[int, int]]) -> None:
    """Decorative gardens, an orchard, flower beds and street lamps on the open lawns.

    Nothing here is an object or inside an arena; fenced plots are blocked, like trees.
    """
    fence(town, 4, 39, 12, 45, soil=True)
    fence(town, 96, 68, 108, 74, soil=True)
    # market stalls and food carts on Town Square (plan origin 41, 23)
    for sx, style in ((54, "awning"), (61, "awning2")):
        for i, part in enumerate(("l", "m", "r")):
            town.put("decor", sx + i, 25, f"{style}_t{part}", block=True)
            town.put("decor", sx + i, 26, f"{style}_b{part}", block=True)
            town.put("decor", sx + i, 27, ("crate_veg", "crate_fruit", "crate_greens")[i], True)
    for cx, style in ((55, "cart"), (62, "cart2")):
        town.put("decor", cx, 45, style, block=True)
        town.put("above", cx, 44, f"{style}_top")
    pond = ("__wwwwww__", "_wwwwwwwww", "wwwwwwwwww", "wwwwwwwww_", "_wwwwwww__")
    for j, line in enumerate(pond):
        for i, ch in enumerate(line):
            if ch == "w":
                town.ground(12 + i, 70 + j, "water")
                town.put("decor", 12 + i, 70 + j, None, block=True)
    for x, y in ((11, 69), (23, 71), (10, 74), (22, 75), (16, 76)):
        town.put("decor", x, y, "tree_pine" if x % 2 else "tree", block=True)
    for x in range(26, 34):
        for y in range(70, 75):
            if (x + y) % 3 == 0:
                town.flowers.add((x, y))
    fence(town, 83, 40, 96, 46, soil=False)
    for x in range(84, 96, 2):
        for y in range(41, 46, 2):
            town.flowers.add((x, y))
            town.flowers.add((x + 1, y + 1))
    for x in range(25, 36, 3):
        for y in range(38, 48, 3):
            town.put("decor", x, y, "tree" if (x + y) % 2 else "tree_autumn", block=True)
    for x in range(106, 119, 2):
        for y in (40, 44):
            town.flowers.add((x, y))
            town.put("decor", x, y + 1, "bush", block=True)
    for x in range(4, W - 4, 7):
        for y in (19, 24, 49, 54):
            cells = ((x, y), (x, y - 1))
            if any(c in street or c in occupied or town.blocked[c[1]][c[0]] for c in cells):
                continue
            if any((x + i, y + j) in street for i in (-1, 1) for j in (0, -1)):
                continue
            town.put("decor", x, y, "lamp_bottom", block=True)
            town.put("above", x, y - 1, "lamp_top")


def fence(town: Town, x0: int, y0: int, x1: int, y1: int, *, soil: bool) -> None:
    """A closed wooden fence on the rectangle's border; inside, tilled soil or flowers."""
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            edge_x, edge_y = x in (x0, x1), y in (y0, y1)
            if edge_x and edge_y:
                name = {
                    (x0, y0): "fence_tl",
                    (x1, y0): "fence_tr",
                    (x0, y1): "fence_bl",
                    (x1, y1): "fence_br",
                }[(x, y)]
            elif edge_y:
                name = "fence_h"
            elif edge_x:
                name = "fence_l" if x == x0 else "fence_r"
            else:
                if soil:
                    town.ground(x, y, "soil")
                    if (y - y0) % 2 == 1:
                        town.put("decor", x, y, "sprout", block=True)
                    else:
                        town.put("decor", x, y, None, block=True)
                else:
                    town.flowers.add((x, y))
                    town.put("decor", x, y, None, block=True)
                continue
            town.put("decor", x, y, name, block=True)


def _path_out(town: Town, plan: Plan, x: int, y: int, street: set[tuple[int, int]]) -> None:
    w, h = len(plan.rows[0]), len(plan.rows)
    lx, ly = x - plan.x, y - plan.y
    if ly == 0:
        step = (0, -1)
    elif ly == h - 1:
        step = (0, 1)
    elif lx == 0:
        step = (-1, 0)
    elif lx == w - 1:
        step = (1, 0)
    else:
        return
    cx, cy = x + step[0], y + step[1]
    for _ in range(12):
        if (cx, cy) in street or not (0 <= cx < W and 0 <= cy < H):
            return
        town.ground(cx, cy, "pave")
        street.add((cx, cy))
        cx, cy = cx + step[0], cy + step[1]


# ---------------------------------------------------------------------------- writing
def _props(items: Sequence[tuple[str, str, str]]) -> str:
    if not items:
        return ""
    parts = []
    for n, t, v in items:
        typed = "" if t == "string" else f" type={quoteattr(t)}"
        parts.append(f"<property name={quoteattr(n)}{typed} value={quoteattr(v)}/>")
    inner = "".join(parts)
    return f"<properties>{inner}</properties>"


def write_tmx(town: Town, path: Path) -> None:
    next_object = len(town.locations) + len(town.objects) + len(town.spawns) + 1
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" '
        f'renderorder="right-down" width="{W}" height="{H}" tilewidth="{TS}" '
        f'tileheight="{TS}" infinite="0" nextlayerid="20" nextobjectid="{next_object}">',
    ]
    first = 1
    for key in ORDER:
        _, fname, cols, rows, spacing, iw, ih = SHEETS[key]
        lines.append(
            f' <tileset firstgid="{first}" name="{key}" tilewidth="{TS}" tileheight="{TS}" '
            f'spacing="{spacing}" margin="0" tilecount="{cols * rows}" columns="{cols}">'
        )
        lines.append(f'  <image source="../assets/town_v2/{fname}" width="{iw}" height="{ih}"/>')
        lines.append(" </tileset>")
        first += cols * rows
    layer_id = 1
    for name, data in town.layers.items():
        extra = _props([("foreground", "bool", "true")]) if name == "above" else ""
        lines.append(f' <layer id="{layer_id}" name="{name}" width="{W}" height="{H}">{extra}')
        layer_id += 1
        csv = ",\n".join(",".join(str(v) for v in row) for row in data)
        lines.append(f'  <data encoding="csv">\n{csv}\n</data>')
        lines.append(" </layer>")
    coll = gid("wall_grey")
    lines.append(f' <layer id="{layer_id}" name="collision" width="{W}" height="{H}" visible="0">')
    layer_id += 1
    csv = ",\n".join(",".join(str(coll if b else 0) for b in row) for row in town.blocked)
    lines.append(f'  <data encoding="csv">\n{csv}\n</data>')
    lines.append(" </layer>")
    oid = 1
    lines.append(f' <objectgroup id="{layer_id}" name="locations">')
    layer_id += 1
    for sector, arena, x, y, w, h in town.locations:
        props = [("sector", "string", sector)] + ([("arena", "string", arena)] if arena else [])
        label = f"{sector}:{arena}" if arena else sector
        lines.append(
            f'  <object id="{oid}" name={quoteattr(label)} x="{x * TS}" y="{y * TS}" '
            f'width="{w * TS}" height="{h * TS}">{_props(props)}</object>'
        )
        oid += 1
    lines.append(" </objectgroup>")
    lines.append(f' <objectgroup id="{layer_id}" name="objects">')
    layer_id += 1
    for o in town.objects:
        props = [("kind", "string", o.kind), ("capacity", "int", str(CAPACITY.get(o.kind, 1)))]
        if o.kind in STATES:
            props.append(("states", "string", STATES[o.kind]))
        lines.append(
            f'  <object id="{oid}" name={quoteattr(o.name)} x="{o.x * TS}" y="{o.y * TS}" '
            f'width="{o.w * TS}" height="{o.h * TS}">{_props(props)}</object>'
        )
        oid += 1
    lines.append(" </objectgroup>")
    lines.append(f' <objectgroup id="{layer_id}" name="spawns">')
    for x, y, home, bed in town.spawns:
        props = [("home", "string", home), ("bed", "string", bed)]
        lines.append(
            f'  <object id="{oid}" name={quoteattr("spawn " + bed)} x="{x * TS + TS // 2}" '
            f'y="{y * TS + TS // 2}">{_props(props)}<point/></object>'
        )
        oid += 1
    lines.append(" </objectgroup>")
    lines.append("</map>")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def copy_assets() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    for key in ORDER:
        src, dst = SHEETS[key][0], SHEETS[key][1]
        target = ASSETS / dst
        if not target.exists() and (KENNEY / src).exists():
            shutil.copyfile(KENNEY / src, target)


def main(argv: Sequence[str] = ()) -> int:
    copy_assets()
    town = build()
    write_tmx(town, OUT_TMX)
    print(f"wrote {OUT_TMX.relative_to(ROOT)}: {W}x{H}, {len(town.objects)} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
