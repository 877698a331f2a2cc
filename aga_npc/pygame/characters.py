"""The demo's walking characters: Kenney's RPG Urban townsfolk as a ``WalkSheet``.

The sheet (``aga_npc/data/assets/kenney/rpg-urban/urban_tilemap.png``, the copy the map
uses) holds six townsfolk in columns 23-26 and rows 0-17 of 16 px tiles: each townsperson
takes three rows (standing, walking step 1, walking step 2) and the four columns face
left, down, up and right. Without the sheet, plain drawn figures stand in.
"""

from __future__ import annotations

from pathlib import Path

from aga_npc.data import assets_dir as bundled_assets
from aga_npc.pygame.walksheet import Facing, SheetLayout, WalkSheet, walk_frame

__all__ = [
    "CHARACTER_COUNT",
    "KENNEY_TOWNSFOLK",
    "Facing",
    "assets_dir",
    "default_sheet_path",
    "kenney_townsfolk",
    "walk_frame",
]

CHARACTER_COUNT = 6
KENNEY_TOWNSFOLK = SheetLayout(
    frame_size=(16, 16),
    origins=tuple((23, 3 * p) for p in range(CHARACTER_COUNT)),
    facings=("left", "down", "up", "right"),
    facing_axis="column",
    steps=3,
    cycle=(0, 1, 0, 2),
)
_SHEET_NAMES = (
    "kenney/rpg-urban/urban_tilemap.png",
    "urban_tilemap.png",
)


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


def kenney_townsfolk(sheet: Path | None = None) -> WalkSheet:
    """The six Kenney townsfolk (plain figures when the sheet is missing: the game still
    runs, just plainer)."""
    path = sheet if sheet is not None else default_sheet_path()
    if path is None or not path.is_file():
        return WalkSheet.plain()
    return WalkSheet.load(path, KENNEY_TOWNSFOLK)
