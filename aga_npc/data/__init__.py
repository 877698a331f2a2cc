"""The data shipped inside the package: the demo town's map and its art.

``maps/town.tmx`` (made by ``tools/gen_town.py``) refers to its tileset images as
``../assets/...``, so the two folders stay side by side here. Both are package data, read
from the installed package (an editable checkout or a wheel alike), never from the
repository around it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["assets_dir", "data_dir", "town_map_path"]


def data_dir() -> Path:
    """This folder: ``aga_npc/data`` of the installed package."""
    return Path(__file__).resolve().parent


def town_map_path() -> Path:
    """The bundled demo town, ``aga_npc/data/maps/town.tmx``."""
    return data_dir() / "maps" / "town.tmx"


def assets_dir() -> Path:
    """The bundled art (Kenney CC0 sheets and the project's extra tiles)."""
    return data_dir() / "assets"
