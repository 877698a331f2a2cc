"""The map as two pre-rendered, zoomed surfaces: background (below sprites) and foreground."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

__all__ = ["MapLayers", "layers", "load_map_layers"]


CHUNK = 128


@dataclass(frozen=True, slots=True)
class MapLayers:
    """What the frame loop blits: one background surface drawn before the sprites and an
    optional foreground surface (layers with ``foreground=true``) drawn after them.

    ``foreground_chunks`` lists the ``(x, y, w, h)`` squares of the foreground that hold
    any visible pixel, so a frame blits only those instead of a screenful of alpha.
    """

    background: Any
    foreground: Any
    zoom: int
    foreground_chunks: tuple[tuple[int, int, int, int], ...] = ()

    def draw_foreground(self, surface: Any, view_x: int, view_y: int) -> int:
        """Blit the non-empty foreground chunks that overlap the view whose top-left map
        pixel is ``(view_x, view_y)``; returns how many were blitted."""
        if self.foreground is None:
            return 0
        sw, sh = surface.get_size()
        blits = [
            ((self.foreground), (x - view_x, y - view_y), (x, y, w, h))
            for x, y, w, h in self.foreground_chunks
            if x < view_x + sw and x + w > view_x and y < view_y + sh and y + h > view_y
        ]
        surface.blits(blits, False)
        return len(blits)


def _chunks(foreground: Any) -> tuple[tuple[int, int, int, int], ...]:
    """The CHUNK-sized squares of ``foreground`` with at least one non-transparent pixel."""
    if foreground is None:
        return ()
    width, height = foreground.get_size()
    out = []
    for y in range(0, height, CHUNK):
        for x in range(0, width, CHUNK):
            w, h = min(CHUNK, width - x), min(CHUNK, height - y)
            if foreground.subsurface((x, y, w, h)).get_bounding_rect().width:
                out.append((x, y, w, h))
    return tuple(out)


def load_map_layers(path: str | os.PathLike[str], zoom: int) -> MapLayers:
    """Render the TMX map at ``path`` once, at integer ``zoom``.

    Raises:
        MapError: the map cannot be read.
    """
    try:
        module = importlib.import_module("aga_npc.pygame.map_renderer")
    except ImportError:
        return _fallback(path, zoom)
    renderer = module.MapRenderer(path, zoom=zoom)
    return layers(renderer.background, renderer.foreground, zoom)


def layers(background: Any, foreground: Any, zoom: int) -> MapLayers:
    """``MapLayers`` for pre-rendered surfaces (finds the foreground's non-empty chunks)."""
    return MapLayers(
        background=background,
        foreground=foreground,
        zoom=zoom,
        foreground_chunks=_chunks(foreground),
    )


def _fallback(path: str | os.PathLike[str], zoom: int) -> MapLayers:
    """Plain rendering of the visible tile layers (until the map renderer is installed)."""
    import pygame
    import pytmx.util_pygame

    from aga_npc.errors import MapError

    try:
        tmx = pytmx.util_pygame.load_pygame(os.fspath(path))
    except Exception as exc:
        raise MapError(f"{path}: cannot render map: {exc}") from exc
    tw, th = int(tmx.tilewidth), int(tmx.tileheight)
    size = (int(tmx.width) * tw, int(tmx.height) * th)
    back = pygame.Surface(size)
    back.fill((40, 44, 52))
    front = pygame.Surface(size, pygame.SRCALPHA)
    used_front = False
    for layer in tmx.visible_layers:
        if not isinstance(layer, pytmx.TiledTileLayer):
            continue
        fg = str(layer.properties.get("foreground", "")).lower() in ("true", "1")
        target = front if fg else back
        used_front = used_front or fg
        for x, y, image in layer.tiles():
            target.blit(image, (x * tw, y * th))
    scaled = (size[0] * zoom, size[1] * zoom)
    background = pygame.transform.scale(back, scaled).convert()
    foreground = pygame.transform.scale(front, scaled).convert_alpha() if used_front else None
    return layers(background, foreground, zoom)
