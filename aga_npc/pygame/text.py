"""Text drawing: fonts, a cache of rendered strings, word wrapping, speech bubbles."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pygame

__all__ = ["TextCache", "bubble", "label", "panel", "wrap"]

WHITE = (255, 255, 255)
SHADOW = (20, 20, 28)


class TextCache:
    """Renders strings once and keeps the surfaces (least recently used dropped first).

    Args:
        max_items: how many rendered strings to keep.
    """

    def __init__(self, *, max_items: int = 2048) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[int, Any] = {}
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.max_items = max_items

    def font(self, size: int) -> Any:
        font = self._fonts.get(size)
        if font is None:
            font = self._fonts[size] = pygame.font.Font(None, size)
        return font

    def render(
        self,
        text: str,
        size: int = 18,
        colour: tuple[int, ...] = WHITE,
        background: tuple[int, ...] | None = None,
    ) -> Any:
        """The rendered surface of ``text`` (antialiased; transparent unless a
        ``background`` colour is given)."""
        key = (text, size, tuple(colour), background)
        surf = self._cache.get(key)
        if surf is not None:
            self._cache.move_to_end(key)
            return surf
        if background is None:
            surf = self.font(size).render(text, True, colour)
        else:
            surf = self.font(size).render(text, True, colour, background)
        self._cache[key] = surf
        if len(self._cache) > self.max_items:
            self._cache.popitem(last=False)
        return surf

    def size(self, text: str, size: int = 18) -> tuple[int, int]:
        w, h = self.font(size).size(text)
        return (int(w), int(h))


def wrap(cache: TextCache, text: str, width: int, size: int = 18) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels (long words are cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if cache.size(candidate, size)[0] <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while cache.size(word, size)[0] > width and len(word) > 1:
                cut = max(1, len(word) * width // max(1, cache.size(word, size)[0]))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def label(cache: TextCache, text: str, size: int = 14) -> Any:
    """A name tag: white text on a dark translucent plate."""
    surf = cache.render(text, size, WHITE)
    w, h = surf.get_size()
    plate = pygame.Surface((w + 6, h + 2), pygame.SRCALPHA)
    plate.fill((0, 0, 0, 140))
    plate.blit(surf, (3, 1))
    return plate


def bubble(cache: TextCache, text: str, size: int = 14) -> Any:
    """A small speech/emote bubble with a tail at the bottom centre."""
    surf = cache.render(text, size, (30, 30, 40))
    w, h = surf.get_size()
    out = pygame.Surface((w + 10, h + 10), pygame.SRCALPHA)
    body = pygame.Rect(0, 0, w + 10, h + 5)
    pygame.draw.rect(out, (250, 250, 240), body, border_radius=5)
    pygame.draw.rect(out, (60, 60, 70), body, width=1, border_radius=5)
    cx = (w + 10) // 2
    pygame.draw.polygon(out, (250, 250, 240), [(cx - 4, h + 4), (cx + 4, h + 4), (cx, h + 9)])
    out.blit(surf, (5, 3))
    return out


def panel(size: tuple[int, int], alpha: int = 200) -> Any:
    """A dark translucent rectangle to draw text on."""
    surf = pygame.Surface(size, pygame.SRCALPHA)
    surf.fill((12, 14, 24, alpha))
    pygame.draw.rect(surf, (90, 100, 130, 255), surf.get_rect(), width=1)
    return surf
