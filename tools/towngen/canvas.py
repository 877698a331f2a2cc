"""The map being drawn: named tile layers, the collision grid and the semantic objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from towngen.catalogue import TILES

LAYERS = ("ground", "paths", "floor", "rugs", "walls", "furniture", "decor", "above")
"""Tile layers in drawing order; ``above`` is the foreground (drawn over sprites)."""

Tile = tuple[int, int]


@dataclass(slots=True)
class Location:
    """A ``locations`` rectangle (tiles): a sector, or an arena inside one."""

    sector: str
    arena: str | None
    x: int
    y: int
    w: int
    h: int


@dataclass(slots=True)
class Thing:
    """An ``objects`` rectangle: an interactable object with its use tile."""

    sector: str
    arena: str
    name: str
    kind: str
    x: int
    y: int
    w: int
    h: int
    use: Tile
    capacity: int = 1
    states: str | None = None

    @property
    def address(self) -> str:
        return f"{self.sector}:{self.arena}:{self.name}"


@dataclass(slots=True)
class Spawn:
    """A ``spawns`` point: where a resident starts (their bed)."""

    home: str
    bed: str
    tile: Tile


@dataclass(slots=True)
class Canvas:
    """A width x height tile map under construction."""

    width: int
    height: int
    layers: dict[str, list[list[str | None]]] = field(default_factory=dict)
    blocked: list[list[bool]] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    things: list[Thing] = field(default_factory=list)
    spawns: list[Spawn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.layers = {n: [[None] * self.width for _ in range(self.height)] for n in LAYERS}
        self.blocked = [[False] * self.width for _ in range(self.height)]

    # -- tiles ----------------------------------------------------------------------
    def inside(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def put(self, layer: str, x: int, y: int, tile: str | None, *, block: bool | None = None):
        """Set one cell of ``layer`` (``None`` clears it); ``block`` sets the collision."""
        if not self.inside(x, y):
            raise ValueError(f"tile ({x}, {y}) is off the {self.width}x{self.height} map")
        if tile is not None and tile not in TILES:
            raise KeyError(f"unknown tile name {tile!r}")
        self.layers[layer][y][x] = tile
        if block is not None:
            self.blocked[y][x] = block

    def get(self, layer: str, x: int, y: int) -> str | None:
        return self.layers[layer][y][x] if self.inside(x, y) else None

    def fill(self, layer: str, x: int, y: int, w: int, h: int, tile: str | None) -> None:
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self.put(layer, xx, yy, tile)

    def block(self, x: int, y: int, w: int = 1, h: int = 1, value: bool = True) -> None:
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                if self.inside(xx, yy):
                    self.blocked[yy][xx] = value

    def is_free(self, x: int, y: int) -> bool:
        """Walkable and nothing standing on it (furniture, decor)."""
        return (
            self.inside(x, y)
            and not self.blocked[y][x]
            and self.layers["furniture"][y][x] is None
            and self.layers["decor"][y][x] is None
            and self.layers["walls"][y][x] is None
        )

    # -- semantics ------------------------------------------------------------------
    def location(self, sector: str, arena: str | None, x: int, y: int, w: int, h: int) -> None:
        self.locations.append(Location(sector, arena, x, y, w, h))

    def thing(self, thing: Thing) -> Thing:
        self.things.append(thing)
        return thing

    def spawn(self, home: str, bed: Thing) -> None:
        self.spawns.append(Spawn(home=home, bed=bed.address, tile=bed.use))


def autotile(
    canvas: Canvas, layer: str, cells: Iterable[Tile], prefix: str, centre: str | None = None
) -> None:
    """Draw the region ``cells`` with a 9-patch + inner-corner set named ``prefix_*``.

    The set must have ``_tl _t _tr _l _c _r _bl _b _br`` and ``_in_tl _in_tr _in_bl _in_br``
    (an inner corner is named after the diagonal that lies outside the region). Regions must
    be at least 2 tiles thick everywhere; a 1-tile-thick part raises ValueError.
    """
    region = set(cells)
    for x, y in region:
        n, s = (x, y - 1) in region, (x, y + 1) in region
        w, e = (x - 1, y) in region, (x + 1, y) in region
        if not (n or s) or not (w or e):
            raise ValueError(f"{prefix} region is one tile thick at ({x}, {y})")
        if n and s and w and e:
            if (x - 1, y - 1) not in region:
                name = f"{prefix}_in_tl"
            elif (x + 1, y - 1) not in region:
                name = f"{prefix}_in_tr"
            elif (x - 1, y + 1) not in region:
                name = f"{prefix}_in_bl"
            elif (x + 1, y + 1) not in region:
                name = f"{prefix}_in_br"
            else:
                name = centre or f"{prefix}_c"
        else:
            v = "t" if not n else ("b" if not s else "")
            h = "l" if not w else ("r" if not e else "")
            name = f"{prefix}_{v}{h}"
        canvas.put(layer, x, y, name)


def rect_cells(x: int, y: int, w: int, h: int) -> list[Tile]:
    return [(xx, yy) for yy in range(y, y + h) for xx in range(x, x + w)]
