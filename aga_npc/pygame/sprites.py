"""Agent sprites: 4-direction walking animation, name tags and an action bubble."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pygame

from aga_npc.brain.intent import Intent, IntentKind, Source
from aga_npc.pygame.characters import CharacterFrames, Facing, walk_frame
from aga_npc.pygame.text import TextCache, bubble, label
from aga_npc.pygame.viewport import Viewport

__all__ = ["AgentSprite", "SpriteLayer", "emote_for"]

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


class AgentSprite(pygame.sprite.Sprite):
    """One walking character.

    Positions are tile points of the character's centre (a tile ``(x, y)`` has its centre
    at ``(x + 0.5, y + 0.5)``); the image stands on the bottom of that tile.

    Args:
        name: whose sprite it is.
        frames: the character frames (already zoomed).
        character: which character of the sheet.
        text: the text cache (name tag and bubbles).
        tag: the name tag text (default ``name``).
    """

    def __init__(
        self,
        name: str,
        frames: CharacterFrames,
        character: int,
        text: TextCache,
        *,
        tag: str | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.frames = frames
        self.character = character
        self.text = text
        self.facing = Facing.DOWN
        self.walk_seconds = 0.0
        self.moving = False
        self.pos: tuple[float, float] | None = None
        self.image = frames.frame(character, self.facing, 0)
        self.box: pygame.Rect = self.image.get_rect()
        self.rect = self.box
        self.tag = label(text, tag if tag is not None else name)
        self.emote = ""
        self._bubble: Any = None

    def move_to(self, cx: float, cy: float, dt: float) -> None:
        """Put the sprite at tile point ``(cx, cy)``; facing and walking follow the motion."""
        if self.pos is not None:
            dx, dy = cx - self.pos[0], cy - self.pos[1]
            self.moving = abs(dx) > 1e-6 or abs(dy) > 1e-6
            self.facing = Facing.from_delta(dx, dy, self.facing)
        self.walk_seconds = self.walk_seconds + dt if self.moving else 0.0
        self.pos = (cx, cy)
        self.image = self.frames.frame(self.character, self.facing, walk_frame(self.walk_seconds))

    def face_towards(self, tx: float, ty: float) -> None:
        """Turn to look at tile point ``(tx, ty)`` (a talking NPC faces its partner)."""
        if self.pos is None or self.moving:
            return
        self.facing = Facing.from_delta(tx - self.pos[0], ty - self.pos[1], self.facing)
        self.image = self.frames.frame(self.character, self.facing, 0)

    def set_emote(self, text: str) -> None:
        if text != self.emote:
            self.emote = text
            self._bubble = bubble(self.text, text) if text else None

    def place(self, view: Viewport) -> None:
        """Set ``rect`` to the sprite's screen position."""
        if self.pos is None:
            return
        self.box.midbottom = view.to_screen(self.pos[0], self.pos[1] + 0.5)

    def decorations(self) -> list[tuple[Any, tuple[int, int]]]:
        """Name tag below the feet and the bubble above the head, as ``(surface, pos)``."""
        out = [(self.tag, (self.box.centerx - self.tag.get_width() // 2, self.box.bottom))]
        if self._bubble is not None:
            b = self._bubble
            out.append((b, (self.box.centerx - b.get_width() // 2, self.box.top - b.get_height())))
        return out


class SpriteLayer:
    """All agent sprites: moved from the host each frame, drawn by depth (lower is nearer)."""

    def __init__(self) -> None:
        self.sprites: dict[str, AgentSprite] = {}
        self.group: pygame.sprite.Group[Any] = pygame.sprite.Group()
        self.visible: list[AgentSprite] = []
        self.tagged: list[str] = []

    def add(self, sprite: AgentSprite) -> None:
        self.sprites[sprite.name] = sprite
        self.group.add(sprite)

    def __getitem__(self, name: str) -> AgentSprite:
        return self.sprites[name]

    def cull(self, view: Viewport) -> list[AgentSprite]:
        """Place every on-screen sprite and return them, farthest first."""
        shown = []
        for sprite in self.sprites.values():
            if sprite.pos is not None and view.visible(*sprite.pos):
                sprite.place(view)
                shown.append(sprite)
        shown.sort(key=lambda s: (s.box.bottom, s.name))
        self.visible = shown
        return shown

    def draw_sprites(self, surface: Any, view: Viewport) -> int:
        """Draw the on-screen sprites, farthest first; returns how many."""
        shown = self.cull(view)
        surface.blits([(s.image, s.box) for s in shown], False)
        return len(shown)

    def draw_decorations(self, surface: Any, *, first: str | None = None) -> None:
        """Draw the bubbles and name tags of the sprites drawn last (above the foreground).

        In a crowd a name tag that would cover one already placed is left out (until the
        two stand apart); ``first`` (the player) always gets its tag.
        """
        blits: list[tuple[Any, tuple[int, int]]] = []
        placed: list[pygame.Rect] = []
        order = sorted(self.visible, key=lambda s: (s.name != first, -s.box.bottom, s.name))
        self.tagged = []
        for sprite in order:
            tag, *bubble = sprite.decorations()
            blits.extend(bubble)
            rect = pygame.Rect(tag[1], tag[0].get_size())
            if rect.collidelist(placed) >= 0:
                continue
            placed.append(rect)
            blits.append(tag)
            self.tagged.append(sprite.name)
        surface.blits(blits, False)

    def at(self, pos: tuple[int, int]) -> str | None:
        """The name of the front-most visible sprite under screen pixel ``pos``."""
        for sprite in reversed(self.visible):
            if sprite.box.collidepoint(pos):
                return sprite.name
        return None

    def names(self) -> Iterable[str]:
        return self.sprites.keys()
