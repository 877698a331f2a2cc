"""The pygame integration (the only part of aga_npc that imports pygame).

- ``GameApp``: the demo game (map, sprites, player, dialogue, debug overlay, save/load).
- ``MapRenderer``: a Tiled map pre-rendered into a background and a foreground surface
  (integer zoom, one blit each per frame); ``render_to_png`` draws a whole map to a PNG.

Widgets for a game of your own, placed through your camera's ``world_to_screen`` (world
tile coordinates to screen pixels):

- ``NpcView``: a host's NPCs as animated sprites from any walk sheet (``WalkSheet``,
  ``SheetLayout``; ``kenney_townsfolk()`` is the demo's), name/plan labels that make room
  for each other (``RoomPlacer``) and NPC-to-NPC lines in fading speech bubbles
  (``TalkBubbles``).
- ``DialogueBox``: talk to an NPC, with scrollback and a visible input limit.
- ``DebugOverlay`` (with ``panel_lines``) and ``Inspector``: what each NPC thinks, the
  request pipeline, one NPC's schedule, memories, relationships and conversations.

Names load on first access, so ``import aga_npc.pygame`` alone does not import pygame.
The host itself (``TownHost``, ``HostConfig``, ``grid_world``) imports no pygame and lives in
``aga_npc.host``; it is also importable from ``aga_npc``.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "AppConfig": "aga_npc.pygame.app",
    "DebugOverlay": "aga_npc.pygame.overlay",
    "DialogueBox": "aga_npc.pygame.dialogue",
    "Facing": "aga_npc.pygame.walksheet",
    "GameApp": "aga_npc.pygame.app",
    "Inspector": "aga_npc.pygame.inspector",
    "MapRenderer": "aga_npc.pygame.map_renderer",
    "NpcSprite": "aga_npc.pygame.sprites",
    "NpcView": "aga_npc.pygame.npc_view",
    "RoomPlacer": "aga_npc.pygame.labels",
    "SheetLayout": "aga_npc.pygame.walksheet",
    "SpriteLayer": "aga_npc.pygame.sprites",
    "TalkBubbles": "aga_npc.pygame.bubbles",
    "TextCache": "aga_npc.pygame.text",
    "WalkSheet": "aga_npc.pygame.walksheet",
    "kenney_townsfolk": "aga_npc.pygame.characters",
    "panel_lines": "aga_npc.pygame.overlay",
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
