"""The pygame integration (the only part of aga_npc that imports pygame).

- ``TownHost``: the brains of a town for a real-time loop (``update(dt)`` once per frame,
  ``position(name)``, ``intent(name)``, ``say``/``end_talk``, ``save``/``begin_load``).
- ``grid_world``: a world from a plain tile grid, for games without a Tiled map.
- ``GameApp``: the demo game (map, sprites, player, dialogue, debug overlay, save/load).
- ``MapRenderer``: a Tiled map pre-rendered into a background and a foreground surface
  (integer zoom, one blit each per frame); ``render_to_png`` draws a whole map to a PNG.

Names load on first access, so ``import aga_npc.pygame`` alone does not import pygame;
``TownHost`` and ``grid_world`` never need it.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "AppConfig": "aga_npc.pygame.app",
    "GameApp": "aga_npc.pygame.app",
    "HostConfig": "aga_npc.pygame.host",
    "HostStats": "aga_npc.pygame.host",
    "MapRenderer": "aga_npc.pygame.map_renderer",
    "TownHost": "aga_npc.pygame.host",
    "clone_personas": "aga_npc.pygame.host",
    "grid_world": "aga_npc.pygame.gridworld",
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
