"""Walking-character frames: Kenney's RPG Urban townsfolk, or plain figures when absent.

The sheet (``aga_npc/data/assets/kenney/rpg-urban/urban_tilemap.png``, the copy the map
uses) holds six townsfolk in columns 23-26 and rows 0-17 of 16 px tiles: each townsperson
takes three rows (standing, walking step 1, walking step 2) and the four columns face
left, down, up and right.
"""

from __future__ import annotations

import enum
import zlib
from pathlib import Path
from typing import Any

import pygame

from aga_npc.data import assets_dir as bundled_assets

__all__ = [
    "CHARACTER_COUNT",
    "CharacterFrames",
    "Facing",
    "assets_dir",
    "default_sheet_path",
    "load_characters",
    "walk_frame",
]

TILE = 16
FIRST_COLUMN = 23
FACING_COLUMNS = ("left", "down", "up", "right")
ROWS_PER_CHARACTER = 3
CHARACTER_COUNT = 6
WALK_FPS = 8.0
# Walking cycles stand, step 1, stand, step 2 (rows 0, 1, 0, 2 of a townsperson).
_CYCLE = (0, 1, 0, 2)
_SHEET_NAMES = (
    "kenney/rpg-urban/urban_tilemap.png",
    "urban_tilemap.png",
)


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


def walk_frame(walk_seconds: float, *, fps: float = WALK_FPS) -> int:
    """The sheet row (0 stand, 1 step, 2 other step) after walking ``walk_seconds``."""
    if walk_seconds <= 0:
        return 0
    return _CYCLE[int(walk_seconds * fps) % len(_CYCLE)]


def assets_dir() -> Path:
    """The bundled art, ``aga_npc/data/assets`` (package data)."""
    return bundled_assets()


def default_sheet_path() -> Path | None:
    """The first walking-character sheet found under the bundled art, or None."""
    base = assets_dir()
    for name in _SHEET_NAMES:
        path = base / name
        if path.is_file():
            return path
    return None


class CharacterFrames:
    """Frames of every character, scaled by ``zoom``: ``frame(character, facing, row)``."""

    def __init__(self, frames: dict[tuple[int, Facing, int], Any], *, size: int) -> None:
        self._frames = frames
        self.size = size
        self.count = 1 + max(c for c, _, _ in frames) if frames else 0

    def frame(self, character: int, facing: Facing, row: int) -> Any:
        return self._frames[(character % self.count, facing, row)]

    @staticmethod
    def character_for(name: str) -> int:
        """A stable character index for a name (the same NPC always looks the same)."""
        return zlib.crc32(name.encode("utf-8")) % CHARACTER_COUNT


def load_characters(zoom: int, sheet: Path | None = None) -> CharacterFrames:
    """Load the character sheet scaled by ``zoom`` (integer), or draw plain figures when
    no sheet is found (the game still runs, just plainer).

    Raises:
        ValueError: ``zoom`` < 1.
    """
    if zoom < 1:
        raise ValueError(f"zoom must be an integer >= 1, got {zoom}")
    path = sheet if sheet is not None else default_sheet_path()
    size = TILE * zoom
    frames: dict[tuple[int, Facing, int], Any] = {}
    if path is not None and path.is_file():
        image = pygame.image.load(str(path))
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()
        for c in range(CHARACTER_COUNT):
            for col, facing in enumerate(FACING_COLUMNS):
                for row in range(ROWS_PER_CHARACTER):
                    rect = pygame.Rect(
                        (FIRST_COLUMN + col) * TILE,
                        (c * ROWS_PER_CHARACTER + row) * TILE,
                        TILE,
                        TILE,
                    )
                    sub = image.subsurface(rect)
                    frames[(c, Facing(facing), row)] = pygame.transform.scale(sub, (size, size))
        return CharacterFrames(frames, size=size)
    return CharacterFrames(_plain_frames(size), size=size)


_PLAIN_COLOURS = (
    (64, 160, 110),
    (200, 70, 60),
    (90, 110, 200),
    (230, 170, 40),
    (150, 150, 150),
    (140, 80, 170),
)


def _plain_frames(size: int) -> dict[tuple[int, Facing, int], Any]:
    frames: dict[tuple[int, Facing, int], Any] = {}
    for c, colour in enumerate(_PLAIN_COLOURS):
        for facing in Facing:
            for row in range(ROWS_PER_CHARACTER):
                surf = pygame.Surface((size, size), pygame.SRCALPHA)
                body = pygame.Rect(size // 4, size // 3, size // 2, size // 2)
                pygame.draw.rect(surf, colour, body, border_radius=max(1, size // 8))
                pygame.draw.circle(surf, (240, 200, 160), (size // 2, size // 4), size // 5)
                leg = size // 8 * (row - 1) if row else 0
                pygame.draw.line(
                    surf,
                    (40, 40, 40),
                    (size // 2 - size // 8 + leg, size - size // 6),
                    (size // 2 - size // 8 + leg, size - 1),
                    max(1, size // 10),
                )
                frames[(c, facing, row)] = surf
    return frames
