"""The player's body: walks with WASD or the arrow keys and stops at walls."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pygame

__all__ = ["PlayerBody", "direction_from_keys"]

Walkable = Callable[[tuple[int, int]], bool]

_LEFT = (pygame.K_a, pygame.K_LEFT)
_RIGHT = (pygame.K_d, pygame.K_RIGHT)
_UP = (pygame.K_w, pygame.K_UP)
_DOWN = (pygame.K_s, pygame.K_DOWN)


def direction_from_keys(pressed: Any) -> tuple[float, float]:
    """The unit walking direction for the pressed keys (``pygame.key.get_pressed()``)."""
    dx = float(any(pressed[k] for k in _RIGHT)) - float(any(pressed[k] for k in _LEFT))
    dy = float(any(pressed[k] for k in _DOWN)) - float(any(pressed[k] for k in _UP))
    norm = math.hypot(dx, dy)
    return (dx / norm, dy / norm) if norm else (0.0, 0.0)


class PlayerBody:
    """A box that slides along walls: moved one axis at a time, stopped flush at a wall.

    Args:
        x, y: the centre in tile units (tile ``(x, y)`` has its centre at ``x + 0.5``).
        walkable: whether a tile can be entered (tiles outside the map cannot).
        speed: tiles per real second (the player walks in real time at every game speed).
        half: half the box's side in tiles (0.3: fits through one-tile doors).
    """

    def __init__(
        self, x: float, y: float, walkable: Walkable, *, speed: float = 5.0, half: float = 0.3
    ) -> None:
        if not 0 < half < 0.5:
            raise ValueError(f"half must be within (0, 0.5), got {half}")
        self.x = float(x)
        self.y = float(y)
        self.walkable = walkable
        self.speed = float(speed)
        self.half = float(half)

    @property
    def tile(self) -> tuple[int, int]:
        return (math.floor(self.x), math.floor(self.y))

    def move(self, dx: float, dy: float, dt: float) -> tuple[float, float]:
        """Walk in direction ``(dx, dy)`` for ``dt`` seconds; returns the distance moved
        along each axis (0 on an axis where a wall stopped the body at once)."""
        x0, y0 = self.x, self.y
        step = self.speed * dt
        if dx:
            self.x = self._slide(self.x, self.y, dx * step, axis=0)
        if dy:
            self.y = self._slide(self.y, self.x, dy * step, axis=1)
        return (self.x - x0, self.y - y0)

    def _slide(self, pos: float, other: float, delta: float, *, axis: int) -> float:
        # Split long steps so the box cannot jump over a wall.
        parts = max(1, math.ceil(abs(delta) / (self.half * 1.5)))
        for _ in range(parts):
            target = pos + delta / parts
            blocked = self._first_blocked(target, other, axis)
            if blocked is None:
                pos = target
                continue
            eps = 1e-4
            pos = blocked - self.half - eps if delta > 0 else blocked + 1 + self.half + eps
            break
        return pos

    def _first_blocked(self, pos: float, other: float, axis: int) -> int | None:
        """The blocked tile coordinate (along ``axis``) the box would overlap at ``pos``."""
        h = self.half
        lo, hi = math.floor(pos - h), math.floor(pos + h)
        o_lo, o_hi = math.floor(other - h), math.floor(other + h)
        for a in range(lo, hi + 1):
            for b in range(o_lo, o_hi + 1):
                tile = (a, b) if axis == 0 else (b, a)
                if not self.walkable(tile):
                    return a
        return None

    def overlaps_blocked(self) -> bool:
        """Whether the box overlaps a tile it may not enter (never, after ``move``)."""
        return self._first_blocked(self.x, self.y, 0) is not None
