"""The pygame integration (the only part of aga_npc that imports pygame).

- ``GameApp``: the demo game (map, sprites, player, dialogue, debug overlay, save/load).
- ``MapRenderer``: a Tiled map pre-rendered into a background and a foreground surface
  (integer zoom, one blit each per frame); ``render_to_png`` draws a whole map to a PNG.

Names load on first access, so ``import aga_npc.pygame`` alone does not import pygame.
The host itself (``TownHost``, ``HostConfig``, ``grid_world``) imports no pygame and lives in
``aga_npc.host``; it is also importable from ``aga_npc``.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "AppConfig": "aga_npc.pygame.app",
    "GameApp": "aga_npc.pygame.app",
    "MapRenderer": "aga_npc.pygame.map_renderer",
    "render_to_png": "aga_npc.pygame.map_renderer",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aga_npc.pygame' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
