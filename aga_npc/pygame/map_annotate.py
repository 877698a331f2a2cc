"""Drawing a map's semantic layers (sectors, arenas, objects, spawns) over its render."""

from __future__ import annotations

import zlib
from typing import Any

import pygame

__all__ = ["annotate_semantics"]

_OBJECT = (255, 214, 64)
_SPAWN = (255, 64, 160)


def _colour(name: str) -> tuple[int, int, int]:
    """A stable bright colour per sector name."""
    h = zlib.crc32(name.encode("utf-8"))
    c = pygame.Color(0)
    c.hsva = (h % 360, 75, 100, 100)
    return (c.r, c.g, c.b)


def _label(
    target: pygame.Surface, font: Any, text: str, pos: tuple[int, int], colour: tuple[int, int, int]
) -> None:
    img = font.render(text, True, colour)
    back = pygame.Surface((img.get_width() + 2, img.get_height()), pygame.SRCALPHA)
    back.fill((0, 0, 0, 150))
    target.blit(back, pos)
    target.blit(img, (pos[0] + 1, pos[1]))


def _prop(obj: Any, key: str) -> str:
    return str(dict(getattr(obj, "properties", {}) or {}).get(key, "") or "")


def annotate_semantics(target: pygame.Surface, tmx: Any, zoom: int) -> None:
    """Outline sectors (thick) and arenas (thin) with labels, box objects, dot spawns.

    ``tmx`` is a pytmx ``TiledMap``; coordinates are scaled by ``zoom``.
    """
    if not pygame.font.get_init():
        pygame.font.init()
    big = pygame.font.Font(None, max(12, 9 * zoom + 4))
    small = pygame.font.Font(None, max(10, 6 * zoom + 4))
    groups = {str(g.name).strip().lower(): g for g in tmx.objectgroups}

    def rect(obj: Any) -> pygame.Rect:
        return pygame.Rect(
            round(obj.x * zoom),
            round(obj.y * zoom),
            max(1, round((obj.width or 0) * zoom)),
            max(1, round((obj.height or 0) * zoom)),
        )

    for obj in groups.get("locations", ()):
        sector, arena = _prop(obj, "sector"), _prop(obj, "arena")
        colour = _colour(sector or "?")
        r = rect(obj)
        if arena:
            pygame.draw.rect(target, colour, r, 1)
            _label(target, small, arena, (r.x + 2, r.bottom - small.get_height() - 1), colour)
        else:
            pygame.draw.rect(target, colour, r, 2 if zoom < 3 else 3)
            _label(target, big, sector, (r.x + 2, r.y + 2), colour)
    for obj in groups.get("objects", ()):
        r = rect(obj)
        pygame.draw.rect(target, _OBJECT, r, 1)
        if zoom >= 2:
            _label(target, small, str(obj.name or _prop(obj, "kind")), (r.x, r.y), _OBJECT)
        ux, uy = _prop(obj, "use_x"), _prop(obj, "use_y")
        if ux and uy:
            tw, th = tmx.tilewidth * zoom, tmx.tileheight * zoom
            cx, cy = int(ux) * tw + tw // 2, int(uy) * th + th // 2
            pygame.draw.line(target, _OBJECT, r.center, (cx, cy), 1)
            pygame.draw.circle(target, _OBJECT, (cx, cy), max(1, zoom))
    for obj in groups.get("spawns", ()):
        x, y = round(obj.x * zoom), round(obj.y * zoom)
        pygame.draw.circle(target, _SPAWN, (x, y), max(2, 2 * zoom))
