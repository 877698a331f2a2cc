"""Walk sheets: the frames of walking characters cut from any sprite sheet, scaled on demand.

A sheet holds one or more characters; each has a frame per facing (left, down, up, right)
and walking step. ``SheetLayout`` says where they are: the frame size, spacing and margin,
the order of the four facings, whether a facing is a row (walking steps along it, as in
LPC or RPG Maker sheets) or a column (steps down it, as in Kenney's RPG Urban townsfolk),
the walk cycle, and the top-left frame of each character. ``WalkSheet.plain()`` draws
simple figures when a game has no art.
"""

from __future__ import annotations

import enum
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

__all__ = ["Facing", "SheetLayout", "WalkSheet", "walk_frame"]

WALK_FPS = 8.0


class Facing(enum.StrEnum):
    LEFT = "left"
    DOWN = "down"
    UP = "up"
    RIGHT = "right"

    @classmethod
    def from_delta(cls, dx: float, dy: float, current: Facing) -> Facing:
        """The facing for a movement ``(dx, dy)`` in tiles; ``current`` when not moving."""
        if abs(dx) < 1e-6 and abs(dy) < 1e-6:
            return current
        if abs(dx) >= abs(dy):
            return cls.RIGHT if dx > 0 else cls.LEFT
        return cls.DOWN if dy > 0 else cls.UP


def walk_frame(
    walk_seconds: float,
    *,
    cycle: Sequence[int] = (0, 1, 0, 2),
    stand: int = 0,
    fps: float = WALK_FPS,
) -> int:
    """The walking step shown after walking ``walk_seconds`` (``stand`` when not walking)."""
    if walk_seconds <= 0:
        return stand
    return cycle[int(walk_seconds * fps) % len(cycle)]


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetLayout:
    """Where each character's frames are on a sheet.

    Attributes:
        frame_size: one frame's ``(width, height)`` in sheet pixels.
        origins: the top-left frame ``(column, row)`` of each character, counted in frames.
        facings: the four facings in the order they appear along ``facing_axis``.
        facing_axis: ``"column"`` (one column per facing, the steps going down) or
            ``"row"`` (one row per facing, the steps going right).
        steps: walking frames per facing.
        cycle: the steps of one walk loop (default: every step in order).
        stand: the step shown while standing.
        spacing, margin: pixels between frames and around the sheet's edge.
        tile: sheet pixels per world tile (default: the frame width); a frame taller than
            a tile stands on its tile and reaches up.
        fps: walk cycle steps per second.
    """

    frame_size: tuple[int, int]
    origins: tuple[tuple[int, int], ...]
    facings: tuple[str, str, str, str] = ("down", "left", "right", "up")
    facing_axis: str = "row"
    steps: int = 3
    cycle: tuple[int, ...] = ()
    stand: int = 0
    spacing: int = 0
    margin: int = 0
    tile: int = 0
    fps: float = WALK_FPS

    def __post_init__(self) -> None:
        w, h = self.frame_size
        if w < 1 or h < 1:
            raise ValueError(f"frame_size must be positive, got {self.frame_size}")
        if not self.origins:
            raise ValueError("origins must name at least one character")
        if sorted(self.facings) != sorted(f.value for f in Facing):
            raise ValueError(
                f"facings must be left, down, up and right in some order, got {self.facings}"
            )
        if self.facing_axis not in ("row", "column"):
            raise ValueError(f"facing_axis must be 'row' or 'column', got {self.facing_axis!r}")
        if self.steps < 1:
            raise ValueError(f"steps must be >= 1, got {self.steps}")
        bad = [s for s in (*self.cycle, self.stand) if not 0 <= s < self.steps]
        if bad:
            raise ValueError(f"cycle and stand must be steps 0..{self.steps - 1}, got {bad}")
        if self.spacing < 0 or self.margin < 0 or self.tile < 0 or self.fps <= 0:
            raise ValueError("spacing, margin and tile must be >= 0 and fps > 0")

    @property
    def walk_cycle(self) -> tuple[int, ...]:
        return self.cycle or tuple(range(self.steps))

    @property
    def tile_px(self) -> int:
        """Sheet pixels per world tile."""
        return self.tile or self.frame_size[0]

    def frame_rect(self, character: int, facing: Facing, step: int) -> tuple[int, int, int, int]:
        """The sheet-pixel rectangle ``(x, y, w, h)`` of one frame."""
        ox, oy = self.origins[character]
        along = self.facings.index(facing.value)
        col, row = (
            (ox + along, oy + step) if self.facing_axis == "column" else (ox + step, oy + along)
        )
        w, h = self.frame_size
        return (
            self.margin + col * (w + self.spacing),
            self.margin + row * (h + self.spacing),
            w,
            h,
        )


class WalkSheet:
    """The frames of every character on a sheet; ``frame(...)`` scales and caches them.

    Args:
        image: the sheet surface.
        layout: where the frames are.
        name: what error messages call the sheet (its file).

    Raises:
        ValueError: a character's frames reach outside the image.
    """

    def __init__(self, image: Any, layout: SheetLayout, *, name: str = "walk sheet") -> None:
        self.layout = layout
        self.name = name
        bounds = image.get_rect()
        self._frames: dict[tuple[int, Facing, int], Any] = {}
        for c in range(len(layout.origins)):
            for facing in Facing:
                for step in range(layout.steps):
                    rect = pygame.Rect(layout.frame_rect(c, facing, step))
                    if not bounds.contains(rect):
                        raise ValueError(
                            f"{name}: character {c} ({facing.value}, step {step}) at "
                            f"{tuple(rect)} is outside the {bounds.w}x{bounds.h} image"
                        )
                    self._frames[(c, facing, step)] = image.subsurface(rect)
        self._scaled: dict[tuple[int, Facing, int, int, int], Any] = {}

    @classmethod
    def load(cls, path: str | Path, layout: SheetLayout) -> WalkSheet:
        """Load a sheet image (converted for fast blits once a window exists)."""
        image = pygame.image.load(str(path))
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()
        return cls(image, layout, name=str(path))

    @classmethod
    def plain(cls, size: int = 16, colours: Sequence[tuple[int, int, int]] = ()) -> WalkSheet:
        """Simple drawn figures (one per colour), for a game without character art."""
        colours = tuple(colours) or _PLAIN_COLOURS
        layout = SheetLayout(
            frame_size=(size, size),
            origins=tuple((0, 4 * i) for i in range(len(colours))),
            cycle=(0, 1, 0, 2),
        )
        image = pygame.Surface((3 * size, 4 * size * len(colours)), pygame.SRCALPHA)
        for c, colour in enumerate(colours):
            for facing in Facing:
                for step in range(3):
                    x, y, _, _ = layout.frame_rect(c, facing, step)
                    image.blit(_plain_figure(size, colour, step), (x, y))
        return cls(image, layout, name="plain figures")

    @property
    def count(self) -> int:
        """How many characters the sheet has."""
        return len(self.layout.origins)

    def character_for(self, name: str) -> int:
        """A stable character for a name (the same NPC always looks the same)."""
        return zlib.crc32(name.encode("utf-8")) % self.count

    def step(self, walk_seconds: float) -> int:
        """The step shown after walking ``walk_seconds`` (the standing step at 0)."""
        lay = self.layout
        return walk_frame(walk_seconds, cycle=lay.walk_cycle, stand=lay.stand, fps=lay.fps)

    def frame(self, character: int, facing: Facing, step: int, tile_px: int = 0) -> Any:
        """One frame scaled so that a world tile is ``tile_px`` screen pixels (0: unscaled)."""
        key = (character % self.count, facing, step)
        base = self._frames[key]
        if tile_px <= 0 or tile_px == self.layout.tile_px:
            return base
        w, h = self.layout.frame_size
        size = (
            max(1, round(w * tile_px / self.layout.tile_px)),
            max(1, round(h * tile_px / self.layout.tile_px)),
        )
        scaled = self._scaled.get((*key, *size))
        if scaled is None:
            scaled = self._scaled[(*key, *size)] = pygame.transform.scale(base, size)
        return scaled


_PLAIN_COLOURS = (
    (64, 160, 110),
    (200, 70, 60),
    (90, 110, 200),
    (230, 170, 40),
    (150, 150, 150),
    (140, 80, 170),
)


def _plain_figure(size: int, colour: tuple[int, int, int], step: int) -> Any:
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    body = pygame.Rect(size // 4, size // 3, size // 2, size // 2)
    pygame.draw.rect(surf, colour, body, border_radius=max(1, size // 8))
    pygame.draw.circle(surf, (240, 200, 160), (size // 2, size // 4), max(1, size // 5))
    leg = size // 8 * (step - 1) if step else 0
    pygame.draw.line(
        surf,
        (40, 40, 40),
        (size // 2 - size // 8 + leg, size - size // 6),
        (size // 2 - size // 8 + leg, size - 1),
        max(1, size // 10),
    )
    return surf
