"""The map renderer draws the real demo town: pixels match the tile sheets, cell by cell.

The expected pixels are composed independently of the renderer: the TMX is read with
ElementTree (tilesets, CSV layers, layer properties) and each cell's tiles are cut from the
sheet PNGs and blitted in layer order.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pygame
import pytest

from aga_npc.errors import MapError
from aga_npc.pygame.map_renderer import MapRenderer, render_to_png

TOWN = Path(__file__).resolve().parents[2] / "aga_npc" / "data" / "maps" / "town.tmx"
FLIP_BITS = 0xE0000000


@dataclass
class Sheet:
    firstgid: int
    columns: int
    count: int
    spacing: int
    margin: int
    tile: int
    image: pygame.Surface


@dataclass
class Layer:
    name: str
    foreground: bool
    visible: bool
    gids: list[list[int]]


class TmxOracle:
    """The map as plain data, and the tile images straight from the sheets."""

    def __init__(self, path: Path) -> None:
        root = ET.parse(path).getroot()
        self.width, self.height = int(root.get("width", 0)), int(root.get("height", 0))
        self.tile = int(root.get("tilewidth", 0))
        self.sheets: list[Sheet] = []
        for ts in root.findall("tileset"):
            img = ts.find("image")
            assert img is not None
            raw = pygame.image.load(str((path.parent / img.get("source", "")).resolve()))
            flat = pygame.Surface(raw.get_size(), pygame.SRCALPHA)
            flat.fill((0, 0, 0, 0))
            flat.blit(raw, (0, 0))
            assert flat.get_size() == (int(img.get("width", 0)), int(img.get("height", 0)))
            self.sheets.append(
                Sheet(
                    firstgid=int(ts.get("firstgid", 0)),
                    columns=int(ts.get("columns", 0)),
                    count=int(ts.get("tilecount", 0)),
                    spacing=int(ts.get("spacing", 0)),
                    margin=int(ts.get("margin", 0)),
                    tile=int(ts.get("tilewidth", 0)),
                    image=flat,
                )
            )
        self.layers: list[Layer] = []
        for lay in root.findall("layer"):
            data = lay.find("data")
            assert data is not None and data.get("encoding") == "csv"
            values = [int(v) for v in (data.text or "").replace("\n", "").split(",") if v]
            assert not any(v & FLIP_BITS for v in values)
            props = {p.get("name"): p.get("value") for p in lay.iter("property")}
            self.layers.append(
                Layer(
                    name=str(lay.get("name")),
                    foreground=props.get("foreground") == "true",
                    visible=lay.get("visible", "1") != "0",
                    gids=[
                        values[r * self.width : (r + 1) * self.width] for r in range(self.height)
                    ],
                )
            )

    def tile_image(self, gid: int) -> pygame.Surface:
        sheet = max((s for s in self.sheets if s.firstgid <= gid), key=lambda s: s.firstgid)
        index = gid - sheet.firstgid
        assert 0 <= index < sheet.count
        col, row = index % sheet.columns, index // sheet.columns
        step = sheet.tile + sheet.spacing
        rect = (sheet.margin + col * step, sheet.margin + row * step, sheet.tile, sheet.tile)
        return sheet.image.subsurface(rect)

    def layer(self, name: str) -> Layer:
        return next(lay for lay in self.layers if lay.name == name)

    def cell(self, x: int, y: int, *, foreground: bool) -> pygame.Surface:
        """The cell composed from its visible background (or foreground) layers."""
        out = pygame.Surface((self.tile, self.tile), pygame.SRCALPHA)
        out.fill((0, 0, 0, 0))
        for lay in self.layers:
            if lay.visible and lay.foreground == foreground and lay.gids[y][x]:
                out.blit(self.tile_image(lay.gids[y][x]), (0, 0))
        return out

    def find(self, test, limit: int = 1) -> list[tuple[int, int]]:
        hits = [(x, y) for y in range(self.height) for x in range(self.width) if test(x, y)]
        assert len(hits) >= limit
        return hits


def same(a: pygame.Surface, b: pygame.Surface) -> bool:
    """Equal RGB everywhere (the background is opaque; alpha is compared separately)."""
    w, h = a.get_size()
    return b.get_size() == (w, h) and all(
        a.get_at((x, y))[:3] == b.get_at((x, y))[:3] for y in range(h) for x in range(w)
    )


def block(surface: pygame.Surface, x: int, y: int, tile: int, zoom: int = 1) -> pygame.Surface:
    size = tile * zoom
    return surface.subsurface((x * size, y * size, size, size))


@pytest.fixture(scope="module")
def oracle() -> TmxOracle:
    return TmxOracle(TOWN)


@pytest.fixture(scope="module")
def town() -> MapRenderer:
    return MapRenderer(TOWN)


def test_size_and_layers_split(oracle: TmxOracle, town: MapRenderer) -> None:
    assert town.size == (oracle.width * oracle.tile, oracle.height * oracle.tile)
    assert town.background.get_size() == town.size
    assert any(lay.foreground for lay in oracle.layers)
    assert town.foreground is not None and town.foreground.get_size() == town.size
    assert town.foreground.get_flags() & pygame.SRCALPHA


def test_grass_wall_and_furniture_cells_match_the_sheets(
    oracle: TmxOracle, town: MapRenderer
) -> None:
    ground, walls, furniture = (
        oracle.layer("ground"),
        oracle.layer("walls"),
        oracle.layer("furniture"),
    )
    others = [lay for lay in oracle.layers if lay.name != "ground" and not lay.foreground]

    def only_grass(x: int, y: int) -> bool:
        return ground.gids[y][x] != 0 and not any(lay.gids[y][x] for lay in others)

    gx, gy = oracle.find(only_grass)[0]
    tile = oracle.tile_image(ground.gids[gy][gx])
    assert same(block(town.background, gx, gy, oracle.tile), tile)

    wx, wy = oracle.find(lambda x, y: walls.gids[y][x] != 0 and not furniture.gids[y][x])[0]
    wall = oracle.tile_image(walls.gids[wy][wx])
    assert same(block(town.background, wx, wy, oracle.tile), wall)
    assert not same(wall, tile)

    # a chair, table or bed drawn over a floor: both must show
    fx, fy = oracle.find(lambda x, y: furniture.gids[y][x] != 0)[0]
    drawn = block(town.background, fx, fy, oracle.tile)
    assert same(drawn, oracle.cell(fx, fy, foreground=False))


def test_random_cells_match_the_composed_sheets(oracle: TmxOracle, town: MapRenderer) -> None:
    rng = random.Random(7)
    for _ in range(150):
        x, y = rng.randrange(oracle.width), rng.randrange(oracle.height)
        expected = oracle.cell(x, y, foreground=False)
        assert pygame.mask.from_surface(expected, 254).count() == oracle.tile**2, (x, y)
        assert same(block(town.background, x, y, oracle.tile), expected), (x, y)


def test_foreground_tiles_are_not_in_the_background(oracle: TmxOracle, town: MapRenderer) -> None:
    above = next(lay for lay in oracle.layers if lay.foreground)
    cells = oracle.find(lambda x, y: above.gids[y][x] != 0, limit=10)
    assert town.foreground is not None
    for x, y in cells[:10]:
        back = block(town.background, x, y, oracle.tile)
        assert same(back, oracle.cell(x, y, foreground=False))
        with_top = oracle.cell(x, y, foreground=False)
        with_top.blit(oracle.cell(x, y, foreground=True), (0, 0))
        assert not same(back, with_top), (x, y)
        front = block(town.foreground, x, y, oracle.tile)
        top = oracle.cell(x, y, foreground=True)
        assert (
            pygame.mask.from_surface(front, 1).count() == pygame.mask.from_surface(top, 1).count()
        )


def test_zoom_two_doubles_the_size_and_each_pixel(town: MapRenderer) -> None:
    big = MapRenderer(TOWN, zoom=2)
    assert big.size == (town.size[0] * 2, town.size[1] * 2)
    rng = random.Random(3)
    for _ in range(300):
        x, y = rng.randrange(town.size[0]), rng.randrange(town.size[1])
        colour = town.background.get_at((x, y))
        for dx in (0, 1):
            for dy in (0, 1):
                assert big.background.get_at((2 * x + dx, 2 * y + dy)) == colour


def test_draw_background_and_foreground_blit_the_view(town: MapRenderer) -> None:
    target = pygame.Surface((96, 64))
    offset = (333, 517)
    town.draw_background(target, offset)
    for px, py in ((0, 0), (95, 63), (40, 20)):
        assert target.get_at((px, py)) == town.background.get_at((offset[0] + px, offset[1] + py))
    assert town.foreground is not None
    ys, xs = next(
        (y, x)
        for y in range(0, town.size[1], 8)
        for x in range(0, town.size[0], 8)
        if town.foreground.get_at((x, y)).a == 255
    )
    target.fill((1, 2, 3))
    town.draw_foreground(target, (xs, ys))
    assert target.get_at((0, 0))[:3] == town.foreground.get_at((xs, ys))[:3]


def test_render_to_png_writes_the_whole_map(tmp_path: Path, town: MapRenderer) -> None:
    out = tmp_path / "town.png"
    size = render_to_png(TOWN, out, zoom=1)
    assert size == town.size
    image = pygame.image.load(str(out))
    assert image.get_size() == size
    whole = town.compose()
    rng = random.Random(5)
    for _ in range(200):
        p = (rng.randrange(size[0]), rng.randrange(size[1]))
        assert image.get_at(p)[:3] == whole.get_at(p)[:3]
    assert not list(tmp_path.glob(".*tmp*"))


def test_annotated_render_outlines_the_locations(tmp_path: Path, oracle: TmxOracle) -> None:
    plain, marked = tmp_path / "plain.png", tmp_path / "marked.png"
    render_to_png(TOWN, plain, zoom=2)
    render_to_png(TOWN, marked, zoom=2, annotate=True)
    a, b = pygame.image.load(str(plain)), pygame.image.load(str(marked))
    root = ET.parse(TOWN).getroot()
    group = next(g for g in root.findall("objectgroup") if g.get("name") == "locations")
    sector = next(o for o in group.findall("object") if o.find("properties") is not None)
    x0, y0 = int(float(sector.get("x", 0))) * 2, int(float(sector.get("y", 0))) * 2
    w = int(float(sector.get("width", 0))) * 2
    edge = [(x, y0) for x in range(x0 + 40, x0 + w - 4, 7)]
    assert sum(a.get_at(p) != b.get_at(p) for p in edge) >= len(edge) * 0.9


def test_works_with_a_display_mode_set(town: MapRenderer) -> None:
    pygame.display.init()
    try:
        pygame.display.set_mode((64, 48))
        converted = MapRenderer(TOWN)
        rng = random.Random(11)
        for _ in range(100):
            p = (rng.randrange(town.size[0]), rng.randrange(town.size[1]))
            assert converted.background.get_at(p)[:3] == town.background.get_at(p)[:3]
    finally:
        pygame.display.quit()


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="no such map file"):
        MapRenderer(tmp_path / "missing.tmx")
    broken = tmp_path / "broken.tmx"
    broken.write_text("<map><layer", encoding="utf-8")
    with pytest.raises(MapError, match=r"broken\.tmx"):
        MapRenderer(broken)
    lost = tmp_path / "lost.tmx"
    lost.write_text(
        TOWN.read_text(encoding="utf-8").replace("../assets/", "../nowhere/"), encoding="utf-8"
    )
    with pytest.raises(MapError, match="tileset image"):
        render_to_png(lost, tmp_path / "lost.png")
    with pytest.raises(ValueError, match="zoom"):
        MapRenderer(TOWN, zoom=0)
