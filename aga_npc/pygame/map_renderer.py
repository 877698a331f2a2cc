"""A Tiled TMX map pre-rendered for pygame: one background and one foreground surface.

Tile layers are drawn once, in file order, into two surfaces at an integer zoom: visible
layers without ``foreground=true`` make the background (drawn before the sprites), the
others the foreground (drawn after them, with alpha). A frame then costs one blit each.
``render_to_png`` draws a whole map into a PNG file (``python -m aga_npc.maps render``),
optionally with the semantic layers (sectors, arenas, objects, spawns) drawn on top.

Works headless (``SDL_VIDEODRIVER=dummy``) and with or without a display mode: surfaces
are converted to the display format only when one is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pytmx

from aga_npc.errors import MapError

__all__ = ["MapRenderer", "render_to_png"]

_BG = (40, 44, 52)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _display_ready() -> bool:
    return bool(pygame.display.get_init() and pygame.display.get_surface() is not None)


def _flatten(image: pygame.Surface) -> pygame.Surface:
    """A per-pixel-alpha copy (keeps colour-key and palette transparency)."""
    if _display_ready():
        return image.convert_alpha()
    flat = pygame.Surface(image.get_size(), pygame.SRCALPHA)
    flat.fill((0, 0, 0, 0))
    flat.blit(image, (0, 0))
    return flat


def _transform(tile: pygame.Surface, flags: Any) -> pygame.Surface:
    """Apply Tiled's flip/rotate bits to one tile image."""
    if getattr(flags, "flipped_diagonally", False):
        tile = pygame.transform.flip(pygame.transform.rotate(tile, 270), True, False)
    if getattr(flags, "flipped_horizontally", False) or getattr(flags, "flipped_vertically", False):
        tile = pygame.transform.flip(
            tile, bool(flags.flipped_horizontally), bool(flags.flipped_vertically)
        )
    return tile


def _image_loader(filename: str, colorkey: Any, **_: Any) -> Callable[[Any, Any], pygame.Surface]:
    """pytmx image loader: loads the sheet once and cuts tiles out of it."""
    try:
        sheet = pygame.image.load(filename)
    except (pygame.error, FileNotFoundError, OSError) as exc:
        raise MapError(f"{filename}: cannot load tileset image: {exc}") from exc
    if colorkey:
        sheet.set_colorkey(pygame.Color(f"#{str(colorkey).lstrip('#')}"))
    sheet = _flatten(sheet)

    def load(rect: Any = None, flags: Any = None) -> pygame.Surface:
        tile = sheet.subsurface(rect).copy() if rect else sheet.copy()
        return _transform(tile, flags) if flags else tile

    return load


class MapRenderer:
    """A TMX map rendered once into a background and a foreground surface.

    Args:
        tmx_path: the ``.tmx`` file.
        zoom: integer scale factor (nearest neighbour).

    Attributes:
        background: every visible non-foreground tile layer, opaque, zoomed.
        foreground: the visible layers with ``foreground=true``, per-pixel alpha, zoomed;
            ``None`` when the map has none.
        tmx: the pytmx map (object layers, properties).

    Raises:
        MapError: the map or one of its tileset images cannot be read.
    """

    def __init__(self, tmx_path: str | os.PathLike[str], *, zoom: int = 1) -> None:
        if int(zoom) != zoom or zoom < 1:
            raise ValueError(f"zoom must be a whole number >= 1, got {zoom!r}")
        self.path = Path(tmx_path)
        self.zoom = int(zoom)
        if not self.path.is_file():
            raise MapError(f"{self.path}: no such map file")
        try:
            self.tmx = pytmx.TiledMap(str(self.path), image_loader=_image_loader)
        except MapError:
            raise
        except Exception as exc:  # pytmx raises bare Exception, ValueError, ParseError ...
            raise MapError(f"{self.path}: cannot read map: {type(exc).__name__}: {exc}") from exc
        self.tile_width = int(self.tmx.tilewidth)
        self.tile_height = int(self.tmx.tileheight)
        self.width = int(self.tmx.width) * self.tile_width  # unzoomed pixels
        self.height = int(self.tmx.height) * self.tile_height
        back, front = self._render_layers()
        self.background: pygame.Surface = self._scaled(back, alpha=False)
        self.foreground: pygame.Surface | None = (
            self._scaled(front, alpha=True) if front is not None else None
        )

    @property
    def size(self) -> tuple[int, int]:
        """Pixel size of the zoomed map."""
        return (self.width * self.zoom, self.height * self.zoom)

    def _render_layers(self) -> tuple[pygame.Surface, pygame.Surface | None]:
        back = pygame.Surface((self.width, self.height))
        back.fill(_BG)
        front: pygame.Surface | None = None
        tw, th = self.tile_width, self.tile_height
        for layer in self.tmx.layers:
            if not isinstance(layer, pytmx.TiledTileLayer) or not layer.visible:
                continue
            target = back
            if _truthy(layer.properties.get("foreground", False)):
                if front is None:
                    front = pygame.Surface((self.width, self.height), pygame.SRCALPHA)
                    front.fill((0, 0, 0, 0))
                target = front
            ox, oy = int(getattr(layer, "offsetx", 0) or 0), int(getattr(layer, "offsety", 0) or 0)
            blits = []
            for x, y, image in layer.tiles():
                # tiles taller than the grid stand on their cell's bottom edge, as in Tiled
                blits.append((image, (x * tw + ox, y * th + th - image.get_height() + oy)))
            target.blits(blits, False)
        return back, front

    def _scaled(self, surface: pygame.Surface, *, alpha: bool) -> pygame.Surface:
        if self.zoom != 1:
            surface = pygame.transform.scale(surface, self.size)
        if _display_ready():
            return surface.convert_alpha() if alpha else surface.convert()
        return surface

    def draw_background(self, target: pygame.Surface, camera_offset: tuple[int, int]) -> None:
        """Blit the part of the background under the view (one blit; well under 1 ms).

        ``camera_offset`` is the zoomed map pixel at the target's top-left corner.
        """
        ox, oy = int(camera_offset[0]), int(camera_offset[1])
        w, h = target.get_size()
        target.blit(self.background, (0, 0), pygame.Rect(ox, oy, w, h))

    def draw_foreground(self, target: pygame.Surface, camera_offset: tuple[int, int]) -> None:
        """Blit the foreground over the sprites (one blit; nothing when the map has none)."""
        if self.foreground is None:
            return
        ox, oy = int(camera_offset[0]), int(camera_offset[1])
        w, h = target.get_size()
        target.blit(self.foreground, (0, 0), pygame.Rect(ox, oy, w, h))

    def compose(self, *, annotate: bool = False) -> pygame.Surface:
        """The whole map as one surface: background, foreground, optional semantics."""
        out = pygame.Surface(self.size)
        out.blit(self.background, (0, 0))
        if self.foreground is not None:
            out.blit(self.foreground, (0, 0))
        if annotate:
            from aga_npc.pygame.map_annotate import annotate_semantics

            annotate_semantics(out, self.tmx, self.zoom)
        return out


def render_to_png(
    tmx_path: str | Path, out_png: str | Path, *, zoom: int = 1, annotate: bool = False
) -> tuple[int, int]:
    """Render the whole map into ``out_png`` (written atomically); returns its pixel size.

    With ``annotate=True`` sector and arena outlines, labels, object boxes and spawn
    points are drawn over the tiles (for checking a map's semantics by eye).

    Raises:
        MapError: the map cannot be read or the PNG cannot be written.
    """
    renderer = MapRenderer(tmx_path, zoom=zoom)
    image = renderer.compose(annotate=annotate)
    out = Path(out_png)
    tmp = out.with_name(f".{out.stem}.tmp.png")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(image, str(tmp))
        tmp.replace(out)
    except (pygame.error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise MapError(f"{out}: cannot write PNG: {exc}") from exc
    return image.get_size()
