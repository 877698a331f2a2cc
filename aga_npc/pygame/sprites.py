"""Character sprites placed through a game's own ``world_to_screen`` transform.

A sprite keeps its position in world tiles (the character's centre: tile ``(x, y)`` has its
centre at ``(x + 0.5, y + 0.5)``), faces where it walks and animates from a ``WalkSheet``.
Placing it asks the game's transform where that point is on screen and how many pixels a
tile is, so it works under any camera, zoom and tile size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pygame

from aga_npc.brain.intent import Intent, IntentKind, Source
from aga_npc.pygame.walksheet import Facing, WalkSheet

__all__ = ["NpcSprite", "SpriteLayer", "WorldToScreen", "emote_for", "tile_pixels"]

WorldToScreen = Callable[[float, float], tuple[float, float]]

_VERB_EMOTES = {
    "sleep": "Zz",
    "nap": "Zz",
    "rest": "rest",
    "chat": "chat",
    "think": "hmm",
    "watch tv": "tv",
    "play music": "music",
    "get food": "food",
    "use toilet": "wc",
}


def emote_for(intent: Intent) -> str:
    """The short text of an NPC's action bubble ("" for none)."""
    if intent.kind is IntentKind.TALK:
        return "..."
    if intent.source is Source.WAITING and not intent.verb:
        return "?"
    verb = intent.verb.strip()
    if not verb:
        return ""
    return _VERB_EMOTES.get(verb, verb if len(verb) <= 10 else verb.split()[0])


def tile_pixels(world_to_screen: WorldToScreen) -> int:
    """How many screen pixels one world tile spans under ``world_to_screen``."""
    x0, y0 = world_to_screen(0.0, 0.0)
    x1, y1 = world_to_screen(1.0, 0.0)
    return max(1, round(abs(x1 - x0) + abs(y1 - y0)))


class NpcSprite:
    """One walking character.

    Args:
        name: whose sprite it is.
        sheet: the walk sheet its frames come from.
        character: which character of the sheet (default: a stable pick from ``name``).
    """

    def __init__(self, name: str, sheet: WalkSheet, character: int | None = None) -> None:
        self.name = name
        self.sheet = sheet
        self.character = sheet.character_for(name) if character is None else character
        self.facing = Facing.DOWN
        self.walk_seconds = 0.0
        self.moving = False
        self.pos: tuple[float, float] | None = None
        self.box = pygame.Rect(0, 0, 0, 0)
        self.image: Any = None

    def move_to(self, cx: float, cy: float, dt: float) -> None:
        """Put the sprite at world point ``(cx, cy)``; facing and walking follow the motion."""
        if self.pos is not None:
            dx, dy = cx - self.pos[0], cy - self.pos[1]
            self.moving = abs(dx) > 1e-6 or abs(dy) > 1e-6
            self.facing = Facing.from_delta(dx, dy, self.facing)
        self.walk_seconds = self.walk_seconds + dt if self.moving else 0.0
        self.pos = (cx, cy)

    def face_towards(self, tx: float, ty: float) -> None:
        """Turn to look at world point ``(tx, ty)`` (a talking NPC faces its partner)."""
        if self.pos is None or self.moving:
            return
        self.facing = Facing.from_delta(tx - self.pos[0], ty - self.pos[1], self.facing)

    def place(self, world_to_screen: WorldToScreen, tile_px: int) -> pygame.Rect:
        """Pick the frame for ``tile_px`` pixels a tile and set ``box`` to where it stands
        on screen (its feet on the bottom of its tile); returns ``box``."""
        self.image = self.sheet.frame(
            self.character, self.facing, self.sheet.step(self.walk_seconds), tile_px
        )
        if self.pos is not None:
            fx, fy = world_to_screen(self.pos[0], self.pos[1] + 0.5)
            self.box = self.image.get_rect(midbottom=(round(fx), round(fy)))
        return self.box


class SpriteLayer:
    """Sprites by name: placed through the game's transform, drawn by depth (lower is nearer).

    Args:
        world_to_screen: maps world tile coordinates to screen pixels (called every draw, so
            a moving camera's bound method is fine).
        tile_px: screen pixels per tile (0: measured from ``world_to_screen``).
    """

    def __init__(self, world_to_screen: WorldToScreen, *, tile_px: int = 0) -> None:
        self.world_to_screen = world_to_screen
        self.tile_px = tile_px
        self.sprites: dict[str, NpcSprite] = {}
        self.visible: list[NpcSprite] = []

    def add(self, sprite: NpcSprite) -> NpcSprite:
        self.sprites[sprite.name] = sprite
        return sprite

    def __getitem__(self, name: str) -> NpcSprite:
        return self.sprites[name]

    def __contains__(self, name: object) -> bool:
        return name in self.sprites

    def cull(self, area: Any) -> list[NpcSprite]:
        """Place every sprite and keep those overlapping ``area`` (the screen), farthest
        first."""
        area = pygame.Rect(area)
        tile_px = self.tile_px or tile_pixels(self.world_to_screen)
        shown = []
        for sprite in self.sprites.values():
            if sprite.pos is not None and sprite.place(self.world_to_screen, tile_px).colliderect(
                area
            ):
                shown.append(sprite)
        shown.sort(key=lambda s: (s.box.bottom, s.name))
        self.visible = shown
        return shown

    def draw(self, surface: Any) -> int:
        """Place and draw the on-screen sprites, farthest first; returns how many."""
        shown = self.cull(surface.get_rect())
        surface.blits([(s.image, s.box) for s in shown], False)
        return len(shown)

    def at(self, pos: tuple[int, int]) -> str | None:
        """The name of the front-most visible sprite under screen pixel ``pos``."""
        for sprite in reversed(self.visible):
            if sprite.box.collidepoint(pos):
                return sprite.name
        return None

    def names(self) -> Iterable[str]:
        return self.sprites.keys()
