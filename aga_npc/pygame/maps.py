"""The map as two pre-rendered, zoomed surfaces: background (below sprites) and foreground."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

__all__ = ["MapLayers", "load_map_layers"]


@dataclass(frozen=True, slots=True)
class MapLayers:
    """What the frame loop blits: one background surface drawn before the sprites and an
    optional foreground surface (layers with ``foreground=true``) drawn after them."""

    background: Any
    foreground: Any
    zoom: int


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
    return MapLayers(background=renderer.background, foreground=renderer.foreground, zoom=zoom)


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
    return MapLayers(background=background, foreground=foreground, zoom=zoom)
