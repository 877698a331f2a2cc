"""The map as two pre-rendered, zoomed surfaces: background (below sprites) and foreground."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = ["MapLayers", "keyed_copy", "layers", "load_map_layers"]


CHUNK = 128
# Colour keys tried, in order, for a foreground whose alpha is all-or-nothing; the first
# one no opaque pixel uses wins.
KEY_CANDIDATES = ((255, 0, 255), (1, 254, 3), (254, 1, 253), (0, 255, 1))


@dataclass(frozen=True, slots=True)
class MapLayers:
    """What the frame loop blits: one background surface drawn before the sprites and an
    optional foreground surface (layers with ``foreground=true``) drawn after them.

    ``keyed`` is the foreground as an opaque surface with a run-length-encoded colour key,
    when every foreground pixel is either fully opaque or fully transparent (pixel-art
    tiles): one blit of it skips the transparent runs and touches a fraction of the memory
    an alpha blend reads. Otherwise ``foreground_chunks`` lists the ``(x, y, w, h)``
    squares of the foreground that hold any visible pixel, and a frame blends only those.
    """

    background: Any
    foreground: Any
    zoom: int
    foreground_chunks: tuple[tuple[int, int, int, int], ...] = ()
    keyed: Any = None

    def draw_foreground(self, surface: Any, view_x: int, view_y: int) -> int:
        """Draw the foreground onto ``surface`` for the view whose top-left map pixel is
        ``(view_x, view_y)``; returns how many blits that took."""
        if self.foreground is None:
            return 0
        sw, sh = surface.get_size()
        if self.keyed is not None:
            # An area rect, not a negative offset: SDL then starts at the view's first run.
            x, y = max(0, view_x), max(0, view_y)
            surface.blit(self.keyed, (x - view_x, y - view_y), (x, y, sw, sh))
            return 1
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


def keyed_copy(foreground: Any) -> Any:
    """An opaque copy of ``foreground`` with an RLE colour key for its transparent pixels,
    or None when some pixel is partly transparent (or every candidate key is in use) and
    only alpha blending draws it faithfully."""
    import numpy as np
    import pygame

    alpha = pygame.surfarray.array_alpha(foreground)
    opaque = alpha == 255
    if not np.logical_or(opaque, alpha == 0).all():
        return None
    rgb = pygame.surfarray.array3d(foreground)[opaque]
    for key in KEY_CANDIDATES:
        if not (rgb == np.asarray(key, dtype=rgb.dtype)).all(axis=1).any():
            break
    else:
        return None
    keyed = pygame.Surface(foreground.get_size())
    if pygame.display.get_surface() is not None:
        keyed = keyed.convert()
    keyed.fill(key)
    keyed.blit(foreground, (0, 0))
    keyed.set_colorkey(key, pygame.RLEACCEL)
    return keyed


def load_map_layers(path: str | os.PathLike[str], zoom: int) -> MapLayers:
    """Render the TMX map at ``path`` once, at integer ``zoom`` (``MapRenderer``).

    Raises:
        MapError: the map or a tileset image cannot be read.
    """
    from aga_npc.pygame.map_renderer import MapRenderer

    renderer = MapRenderer(path, zoom=zoom)
    return layers(renderer.background, renderer.foreground, zoom)


def layers(background: Any, foreground: Any, zoom: int) -> MapLayers:
    """``MapLayers`` for pre-rendered surfaces: the keyed foreground when its alpha allows,
    else its non-empty chunks."""
    keyed = keyed_copy(foreground) if foreground is not None else None
    return MapLayers(
        background=background,
        foreground=foreground,
        zoom=zoom,
        foreground_chunks=() if keyed is not None else _chunks(foreground),
        keyed=keyed,
    )
