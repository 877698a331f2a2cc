"""The map as two pre-rendered, zoomed surfaces: background (below sprites) and foreground."""

from __future__ import annotations

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
    """Render the TMX map at ``path`` once, at integer ``zoom`` (``MapRenderer``).

    Raises:
        MapError: the map or a tileset image cannot be read.
    """
    from aga_npc.pygame.map_renderer import MapRenderer

    renderer = MapRenderer(path, zoom=zoom)
    return layers(renderer.background, renderer.foreground, zoom)


def layers(background: Any, foreground: Any, zoom: int) -> MapLayers:
    """``MapLayers`` for pre-rendered surfaces (finds the foreground's non-empty chunks)."""
    return MapLayers(
        background=background,
        foreground=foreground,
        zoom=zoom,
        foreground_chunks=_chunks(foreground),
    )
