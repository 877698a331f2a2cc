"""Labels that make room for each other: each new box moves clear of the ones placed before.

``RoomPlacer.place(rect)`` returns the rectangle moved up (or down, as asked) past every
box it would cover, the other way when there is no room that way; None when it finds no
free spot within ``max_moves`` moves (the caller leaves that label out this frame).
Placing nearest first keeps the labels of the characters in front where they belong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pygame

__all__ = ["RoomPlacer", "name_plate"]

WHITE = (255, 255, 255)
DIM = (200, 205, 220)


class RoomPlacer:
    """Places rectangles so that none covers another.

    Args:
        bounds: the area boxes must stay inside (None: anywhere).
        gap: pixels kept between boxes.
        max_moves: how many moves one box may make before it is given up.
    """

    def __init__(self, bounds: Any = None, *, gap: int = 1, max_moves: int = 12) -> None:
        self.bounds = pygame.Rect(bounds) if bounds is not None else None
        self.gap = gap
        self.max_moves = max_moves
        self.placed: list[pygame.Rect] = []

    def reserve(self, rects: Iterable[Any]) -> None:
        """Mark areas that labels must not cover (without moving them)."""
        self.placed.extend(pygame.Rect(r) for r in rects)

    def first_free(self, candidates: Iterable[Any]) -> pygame.Rect | None:
        """The first candidate that is inside the bounds and covers no placed box (then
        placed), or None; nothing moves."""
        for candidate in candidates:
            box = pygame.Rect(candidate)
            if self.bounds is not None and not self.bounds.contains(box):
                continue
            if box.collidelist(self.placed) < 0:
                self.placed.append(box)
                return box
        return None

    def place(self, rect: Any, *, prefer: int = -1) -> pygame.Rect | None:
        """``rect`` moved clear of every box placed so far (then placed too), or None.

        It moves up first (``prefer=-1``) or down first (``prefer=1``), then the other way.
        """
        start = pygame.Rect(rect)
        first = -1 if prefer < 0 else 1
        for direction in (first, -first):
            box = start.copy()
            moves = 0
            hit = box.collidelist(self.placed)
            while hit >= 0 and moves < self.max_moves:
                other = self.placed[hit]
                if direction < 0:
                    box.bottom = other.top - self.gap
                else:
                    box.top = other.bottom + self.gap
                moves += 1
                hit = box.collidelist(self.placed)
            if hit >= 0:
                continue
            if self.bounds is not None and not self.bounds.contains(box):
                continue
            self.placed.append(box)
            return box
        return None


def name_plate(text: Any, name: str, detail: str = "", *, size: int = 14, width: int = 0) -> Any:
    """A label: ``name`` (and ``detail`` under it, dimmer) on a dark translucent plate.

    Args:
        text: the ``TextCache``.
        name: the first line.
        detail: the second line ("" for none), cut with an ellipsis to ``width`` pixels.
        size: font size.
        width: the widest the plate may be (0: as wide as the text).
    """
    lines = [text.render(name, size, WHITE)]
    if detail:
        if width:
            detail = _fit(text, detail, width - 6, size - 1)
        lines.append(text.render(detail, size - 1, DIM))
    w = max(s.get_width() for s in lines) + 6
    h = sum(s.get_height() for s in lines) + 2
    plate = pygame.Surface((w, h), pygame.SRCALPHA)
    plate.fill((0, 0, 0, 150))
    y = 1
    for surf in lines:
        plate.blit(surf, ((w - surf.get_width()) // 2, y))
        y += surf.get_height()
    return plate


def _fit(text: Any, line: str, width: int, size: int) -> str:
    if text.size(line, size)[0] <= width:
        return line
    while line and text.size(line + "\u2026", size)[0] > width:
        line = line[:-1]
    return line.rstrip() + "\u2026"
