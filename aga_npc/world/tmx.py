"""Reading a Tiled TMX file with pytmx (no display, no images) into plain map data.

Collisions come from three places (see docs/MAP_CONVENTIONS.md):

- a tile layer named ``collision``: every non-empty tile blocks;
- a tile whose tileset properties say ``collides = true``, on any tile layer;
- objects: every object of an object layer named ``collision`` or ``collisions``, and any
  object elsewhere whose class/type is ``collision`` or with the property
  ``collides = true``, blocks every tile its rectangle overlaps (a rotated rectangle,
  ellipse, polygon or polyline: its bounding box; a point: its one tile).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.errors import MapError

__all__ = [
    "COLLISION_CLASS",
    "COLLISION_LAYER",
    "COLLISION_OBJECT_LAYERS",
    "SEMANTIC_LAYERS",
    "RawMap",
    "Shape",
    "read_tmx",
]

BoolGrid = npt.NDArray[np.bool_]

COLLISION_LAYER = "collision"
COLLISION_OBJECT_LAYERS = ("collision", "collisions")
"""Object layers (any case) whose every object blocks the tiles it overlaps."""
COLLISION_CLASS = "collision"
"""An object of this class (Tiled 1.9+; "type" before) blocks, on any object layer."""
SEMANTIC_LAYERS = ("locations", "objects", "spawns")


@dataclass(frozen=True, slots=True, kw_only=True)
class Shape:
    """One Tiled object (rectangle, point or tile object) with its tile rectangle.

    Attributes:
        layer: the object layer it came from.
        obj_id: Tiled's object id.
        name: the object's name ("" when unnamed).
        x0, y0, x1, y1: the tiles it covers, ``x1``/``y1`` exclusive (a point covers one).
        properties: its custom properties as plain Python values.
    """

    layer: str
    obj_id: int
    name: str
    x0: int
    y0: int
    x1: int
    y1: int
    properties: Mapping[str, Any] = field(default_factory=dict)

    def contains(self, other: Shape) -> bool:
        """Whether ``other``'s tile rectangle lies inside this one."""
        return (
            self.x0 <= other.x0
            and self.y0 <= other.y0
            and other.x1 <= self.x1
            and other.y1 <= self.y1
        )

    def contains_tile(self, x: float, y: float) -> bool:
        """Whether the point ``(x, y)`` in tile units lies inside the rectangle."""
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)

    @property
    def area(self) -> int:
        return (self.x1 - self.x0) * (self.y1 - self.y0)

    def describe(self) -> str:
        """A short human reference: name or id, and tile position."""
        label = repr(self.name) if self.name else f"#{self.obj_id}"
        return f"{self.layer} object {label} at tile ({self.x0}, {self.y0})"


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMap:
    """What a TMX file says, before any semantics: size, layers, collisions, shapes.

    Attributes:
        path: the file read.
        width, height: map size in tiles.
        tile_width, tile_height: tile size in pixels.
        tile_layers, object_layers: layer names in file order.
        blocked: bool array of shape ``(height, width)``, True where a tile blocks.
        shapes: object layer name (lower case) -> its shapes, for the semantic layers.
        collision_objects: how many objects block tiles (see the module docstring).
    """

    path: str
    width: int
    height: int
    tile_width: int
    tile_height: int
    tile_layers: tuple[str, ...]
    object_layers: tuple[str, ...]
    blocked: BoolGrid
    shapes: Mapping[str, tuple[Shape, ...]]
    collision_objects: int = 0

    def has_layer(self, name: str) -> bool:
        """Whether a tile or object layer of this name (any case) exists."""
        low = name.lower()
        return any(n.lower() == low for n in (*self.tile_layers, *self.object_layers))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _import_pytmx() -> Any:
    # pytmx's package __init__ tries to import its pygame helpers; keep pygame's banner off
    # stdout (``maps check --json`` prints JSON there).
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pytmx

    return pytmx


def _shape(layer: str, obj: Any, tw: int, th: int) -> Shape:
    x, y = float(obj.x), float(obj.y)
    w, h = float(obj.width or 0.0), float(obj.height or 0.0)
    eps = 1e-6
    x0, y0 = math.floor(x / tw + eps), math.floor(y / th + eps)
    x1 = max(x0 + 1, math.ceil((x + w) / tw - eps)) if w > 0 else x0 + 1
    y1 = max(y0 + 1, math.ceil((y + h) / th - eps)) if h > 0 else y0 + 1
    props = {str(k): v for k, v in dict(obj.properties).items()}
    return Shape(
        layer=layer,
        obj_id=int(getattr(obj, "id", 0) or 0),
        name=str(obj.name or "").strip(),
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        properties=props,
    )


def _object_class(obj: Any) -> str:
    """The object's class (Tiled 1.9+ writes ``class``, older versions ``type``)."""
    attrs = vars(obj)
    value = attrs.get("class") or attrs.get("type") or ""
    return str(value).strip().lower()


def _collides(obj: Any, layer_key: str) -> bool:
    if layer_key in COLLISION_OBJECT_LAYERS:
        return True
    if _object_class(obj) == COLLISION_CLASS:
        return True
    props = dict(obj.properties)
    return any(str(k).strip().lower() == "collides" and _truthy(v) for k, v in props.items())


def _object_box(obj: Any) -> tuple[float, float, float, float]:
    """The object's bounding box in pixels ``(left, top, right, bottom)``, rotation and
    polygon points included (pytmx already moved a tile object's y to its top)."""
    x, y = float(obj.x), float(obj.y)
    w, h = float(obj.width or 0.0), float(obj.height or 0.0)
    points = vars(obj).get("points")
    rotation = float(vars(obj).get("rotation") or 0.0)
    if points:
        corners = [(float(px), float(py)) for px, py in points]
    else:
        corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
    if rotation:
        t = math.radians(rotation)
        cos_t, sin_t = math.cos(t), math.sin(t)
        corners = [
            (x + cos_t * (px - x) - sin_t * (py - y), y + sin_t * (px - x) + cos_t * (py - y))
            for px, py in corners
        ]
    xs = [c[0] for c in corners]
    ys = [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _block_object(blocked: BoolGrid, obj: Any, tw: int, th: int) -> bool:
    """Mark the tiles the object overlaps (positive area; a point or line: the tiles it
    touches); returns whether any tile of the map was marked."""
    left, top, right, bottom = _object_box(obj)
    eps = 1e-6
    x0 = math.floor(left / tw + eps)
    y0 = math.floor(top / th + eps)
    x1 = max(x0 + 1, math.ceil(right / tw - eps))
    y1 = max(y0 + 1, math.ceil(bottom / th - eps))
    height, width = blocked.shape
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, x1), min(height, y1)
    if x0 >= x1 or y0 >= y1:
        return False
    blocked[y0:y1, x0:x1] = True
    return True


def read_tmx(path: str | os.PathLike[str]) -> RawMap:
    """Parse ``path`` without loading any image or opening a display.

    Raises:
        MapError: the file is missing, is not a TMX map pytmx can read, or is not
            orthogonal with a positive size.
    """
    p = Path(path)
    if not p.is_file():
        raise MapError(f"{p}: no such map file")
    pytmx = _import_pytmx()
    try:
        tmx = pytmx.TiledMap(str(p))
    except Exception as exc:  # pytmx raises bare Exception, ValueError, ParseError ...
        raise MapError(f"{p}: cannot read map: {type(exc).__name__}: {exc}") from exc
    width, height = int(tmx.width), int(tmx.height)
    tw, th = int(tmx.tilewidth), int(tmx.tileheight)
    if width <= 0 or height <= 0 or tw <= 0 or th <= 0:
        raise MapError(f"{p}: map size {width}x{height} tiles of {tw}x{th} px is not usable")
    if str(tmx.orientation) != "orthogonal":
        raise MapError(f"{p}: only orthogonal maps are supported, got {tmx.orientation!r}")

    colliding = np.zeros(max(int(tmx.maxgid), 1) + 1, dtype=np.bool_)
    for gid, props in dict(tmx.tile_properties).items():
        if 0 < int(gid) < colliding.size and _truthy(props.get("collides", False)):
            colliding[int(gid)] = True

    blocked = np.zeros((height, width), dtype=np.bool_)
    tile_layers: list[str] = []
    object_layers: list[str] = []
    shapes: dict[str, list[Shape]] = {name: [] for name in SEMANTIC_LAYERS}
    colliders = 0
    for layer in tmx.layers:
        name = str(getattr(layer, "name", "") or "")
        if isinstance(layer, pytmx.TiledTileLayer):
            tile_layers.append(name)
            data = np.asarray(layer.data, dtype=np.int64)
            if data.shape != (height, width):
                raise MapError(f"{p}: tile layer {name!r} is {data.shape}, map is {height}x{width}")
            if name.strip().lower() == COLLISION_LAYER:
                blocked |= data != 0
            blocked |= colliding[np.clip(data, 0, colliding.size - 1)]
        elif isinstance(layer, pytmx.TiledObjectGroup):
            object_layers.append(name)
            key = name.strip().lower()
            if key in shapes:
                shapes[key].extend(_shape(key, obj, tw, th) for obj in layer)
            for obj in layer:
                if _collides(obj, key) and _block_object(blocked, obj, tw, th):
                    colliders += 1
    blocked.setflags(write=False)
    return RawMap(
        path=str(p),
        width=width,
        height=height,
        tile_width=tw,
        tile_height=th,
        tile_layers=tuple(tile_layers),
        object_layers=tuple(object_layers),
        blocked=blocked,
        shapes={k: tuple(v) for k, v in shapes.items()},
        collision_objects=colliders,
    )
