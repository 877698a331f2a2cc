"""Draw aga_npc/data/assets/aga_extras.png: the few 16 px tiles Kenney's sheets lack.

Deterministic. The Kenney packs in aga_npc/data/assets/kenney/ have no toilet, fridge,
bookshelf, easel or television, and no overlay to mark collisions in Tiled. This script
draws them as pixel art in the palette of the Roguelike Interior pack (flat colours, 1 px
darker outlines) and writes one sheet of 16x16 tiles, no spacing. The art is original to
this project and released, like the Kenney sheets, under CC0.

Usage: ``python tools/gen_extras.py`` (rewrites aga_npc/data/assets/aga_extras.png).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "aga_npc" / "data" / "assets" / "aga_extras.png"

# Colours sampled from the Roguelike Interior sheet, plus a few accents.
PALETTE: dict[str, tuple[int, int, int, int]] = {
    ".": (0, 0, 0, 0),
    "o": (0x99, 0x99, 0x99, 255),  # counter outline grey
    "O": (0x75, 0x75, 0x75, 255),  # darker grey
    "w": (0xF7, 0xF7, 0xF7, 255),  # white
    "l": (0xDF, 0xDF, 0xDF, 255),  # light grey
    "g": (0xC2, 0xC2, 0xC2, 255),  # counter top grey
    "b": (0xA9, 0xD8, 0xE8, 255),  # water
    "d": (0x8F, 0x67, 0x3F, 255),  # wood dark
    "e": (0xB9, 0x8B, 0x5E, 255),  # wood mid
    "f": (0xC8, 0xA4, 0x80, 255),  # wood light
    "k": (0x5E, 0x42, 0x28, 255),  # shelf shadow
    "r": (0xC4, 0x4B, 0x3A, 255),  # book red
    "B": (0x3D, 0x6F, 0xB6, 255),  # book blue
    "G": (0x4A, 0xA5, 0x6B, 255),  # book green (carpet green)
    "y": (0xE0, 0xB4, 0x3A, 255),  # yellow
    "p": (0x8E, 0x5B, 0xB0, 255),  # purple
    "W": (0xEF, 0xE6, 0xD0, 255),  # cream
    "s": (0x8F, 0xCB, 0xE8, 255),  # sky
    "v": (0x6F, 0xB5, 0x5B, 255),  # painted meadow
    "K": (0x2E, 0x2E, 0x34, 255),  # tv bezel
    "S": (0x3D, 0x5A, 0x73, 255),  # tv screen
    "H": (0x6F, 0x93, 0xB0, 255),  # tv highlight
    "m": (0x8D, 0x5B, 0x34, 255),  # soil
    "n": (0x6E, 0x45, 0x27, 255),  # soil furrow
    "c": (0x3D, 0x90, 0x5B, 255),  # leaf dark
    "C": (0x7B, 0xC4, 0x5A, 255),  # leaf light
    "x": (0xFF, 0xFF, 0xFF, 255),  # petal white
    "q": (0xF2, 0x8C, 0xB8, 255),  # petal pink
    "u": (0x2A, 0x7A, 0x45, 255),  # stem
    "R": (0xD9, 0x3B, 0x3B, 110),  # collision overlay fill
    "Q": (0xB0, 0x10, 0x10, 200),  # collision overlay edge
}

TILES: dict[str, list[str]] = {
    "collision": [
        "QQQQQQQQQQQQQQQQ",
        "QRRRRRRRRRRRRRRQ",
        "QRQRRRRRRRRRRQRQ",
        "QRRQRRRRRRRRQRRQ",
        "QRRRQRRRRRRQRRRQ",
        "QRRRRQRRRRQRRRRQ",
        "QRRRRRQRRQRRRRRQ",
        "QRRRRRRQQRRRRRRQ",
        "QRRRRRRQQRRRRRRQ",
        "QRRRRRQRRQRRRRRQ",
        "QRRRRQRRRRQRRRRQ",
        "QRRRQRRRRRRQRRRQ",
        "QRRQRRRRRRRRQRRQ",
        "QRQRRRRRRRRRRQRQ",
        "QRRRRRRRRRRRRRRQ",
        "QQQQQQQQQQQQQQQQ",
    ],
    "toilet": [
        "................",
        "..oooooooooooo..",
        "..owwwwwwwwwwo..",
        "..owwwwwwwwwwo..",
        "..ollllllllllo..",
        "..oooooooooooo..",
        "...owwwwwwwwo...",
        "..owwggggggwwo..",
        "..owgbbbbbbgwo..",
        "..owgbbbbbbgwo..",
        "..owgbbbbbbgwo..",
        "...owgbbbbgwo...",
        "...owwggggwwo...",
        "....owwwwwwo....",
        ".....oooooo.....",
        "................",
    ],
    "fridge": [
        "oooooooooooooooo",
        "ollllllllllllllo",
        "ollllllllllllllo",
        "ollllllllllllllo",
        "ollllllllllllllo",
        "ollllllllllllllo",
        "owwwwwwwwwwwwwwo",
        "owwwwwwwwwwwOwwo",
        "owwwwwwwwwwwOwwo",
        "oggggggggggggggo",
        "owwwwwwwwwwwOwwo",
        "owwwwwwwwwwwOwwo",
        "owwwwwwwwwwwOwwo",
        "owwwwwwwwwwwwwwo",
        "oooooooooooooooo",
        "oO............Oo",
    ],
    "bookshelf_a": [
        "dddddddddddddddd",
        "dffffffffffffffd",
        "dffffffffffffffd",
        "deeeeeeeeeeeeeed",
        "dekkrkkkGkkpkked",
        "derBkyGWGrkpBred",
        "derByyGWGrWpBred",
        "derByyGWGrWpBred",
        "deeeeeeeeeeeeeed",
        "dekGkkBkkkykkWed",
        "deGGrpBWrkyGyWed",
        "deGGrpBWrGyGyWed",
        "deGGrpBWrGyGyWed",
        "deeeeeeeeeeeeeed",
        "dddddddddddddddd",
        "dd............dd",
    ],
    "bookshelf_b": [
        "dddddddddddddddd",
        "dffffffffffffffd",
        "dffffffffffffffd",
        "deeeeeeeeeeeeeed",
        "deykkBkkrkkkGked",
        "deyWpBrkrBykGBed",
        "deyWpBrGrByWGBed",
        "deyWpBrGrByWGBed",
        "deeeeeeeeeeeeeed",
        "dekkrkkkpkBkkked",
        "deBkrGyWpkBrkyed",
        "deBGrGyWpGBrWyed",
        "deBGrGyWpGBrWyed",
        "deeeeeeeeeeeeeed",
        "dddddddddddddddd",
        "dd............dd",
    ],
    "easel": [
        "................",
        "..dddddddddddd..",
        "..dsssssyysssd..",
        "..dsssssyysssd..",
        "..dssssssssssd..",
        "..dssvvssssssd..",
        "..dvvvvvssvvvd..",
        "..dvvvvvvvvvvd..",
        "..dvvvvvvvvvvd..",
        "..dddddddddddd..",
        "...d...ee...d...",
        "...d...ee...d...",
        "..d....ee....d..",
        "..d....ee....d..",
        ".d.....ee.....d.",
        "................",
    ],
    "tv": [
        "................",
        ".KKKKKKKKKKKKKK.",
        ".KSSSSSSSSSSHSK.",
        ".KSSSSSSSSSHSSK.",
        ".KSSSSSSSSHSSSK.",
        ".KSSSSSSSHSSSSK.",
        ".KSSSSSSSSSSSSK.",
        ".KSSSSSSSSSSSSK.",
        ".KKKKKKKKKKKKKK.",
        "......KKKK......",
        "dddddddddddddddd",
        "dffffffffffffffd",
        "deeeeeeeeeeeeeed",
        "dedddddeeddddded",
        "deeeeeeeeeeeeeed",
        "dd............dd",
    ],
    "vegetables": [
        "mmmmmmmmmmmmmmmm",
        "mCcmmmCcmmmCcmmm",
        "cCCcmcCCcmcCCcmm",
        "mccmmmccmmmccmmm",
        "nnnnnnnnnnnnnnnn",
        "mmmmmmmmmmmmmmmm",
        "mmCmmmmCmmmmCmmm",
        "mCuCmmCuCmmCuCmm",
        "mmummmmummmmummm",
        "nnnnnnnnnnnnnnnn",
        "mmmmmmmmmmmmmmmm",
        "mcCcmmcCcmmcCcmm",
        "cCyCcCCyCccCyCcm",
        "mcCcmmcCcmmcCcmm",
        "nnnnnnnnnnnnnnnn",
        "mmmmmmmmmmmmmmmm",
    ],
    "flowers_a": [
        "................",
        "................",
        "...q............",
        "..qyq.......x...",
        "...q.......xyx..",
        "...u........x...",
        "...u........u...",
        "................",
        "................",
        "......y.........",
        ".....yry........",
        "......y....q....",
        "......u...qyq...",
        "......u....q....",
        "...........u....",
        "................",
    ],
    "flowers_b": [
        "................",
        "..........y.....",
        ".........yxy....",
        "..x.......y.....",
        ".xyx......u.....",
        "..x.............",
        "..u.............",
        "..u......q......",
        "........qyq.....",
        ".........q......",
        ".........u......",
        ".....x..........",
        "....xyx.........",
        ".....x..........",
        ".....u..........",
        "................",
    ],
}

ORDER = tuple(TILES)
"""Tile order in the sheet: tile id = index (columns = len(ORDER), one row)."""


def draw() -> pygame.Surface:
    """The sheet as a pygame surface with per-pixel alpha."""
    sheet = pygame.Surface((16 * len(ORDER), 16), pygame.SRCALPHA)
    sheet.fill((0, 0, 0, 0))
    for index, name in enumerate(ORDER):
        rows = TILES[name]
        if len(rows) != 16 or any(len(r) != 16 for r in rows):
            raise ValueError(f"tile {name!r} is not 16x16")
        for y, row in enumerate(rows):
            for x, ch in enumerate(row):
                sheet.set_at((index * 16 + x, y), PALETTE[ch])
    return sheet


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp.png")
    pygame.image.save(draw(), str(tmp))
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(ORDER)} tiles: {', '.join(ORDER)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
