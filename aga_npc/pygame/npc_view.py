"""NpcView: a host's NPCs drawn in any pygame game, through the game's own camera.

One object per game: ``update(dt)`` after ``host.update(dt)`` moves the sprites to the
agents' positions and picks up new NPC-to-NPC lines; ``draw(surface)`` draws the animated
sprites, then name/plan labels that make room for each other and the speech bubbles of
NPCs talking on screen. Everything is placed through ``world_to_screen`` (world tile
coordinates to screen pixels), called at draw time, so a scrolling or zooming camera just
passes its own method. ``draw_sprites`` and ``draw_labels`` split the two steps for games
that draw a foreground layer between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pygame

from aga_npc.brain.intent import Intent, IntentKind
from aga_npc.pygame.bubbles import TalkBubbles
from aga_npc.pygame.labels import RoomPlacer, name_plate
from aga_npc.pygame.sprites import NpcSprite, SpriteLayer, WorldToScreen, emote_for
from aga_npc.pygame.text import TextCache, bubble
from aga_npc.pygame.walksheet import WalkSheet

__all__ = ["LABELS", "NpcSource", "NpcView"]

LABELS = ("plan", "name", "")


class NpcSource(Protocol):
    """What the view reads from a host (``TownHost`` has all of it)."""

    def names(self) -> Sequence[str]: ...
    def position(self, name: str) -> tuple[float, float]: ...
    def intent(self, name: str) -> Intent: ...
    def conversation(self, name: str) -> Mapping[str, Any] | None: ...
    def conversation_log(self, name: str, limit: int = 5) -> Sequence[Mapping[str, Any]]: ...


class NpcView:
    """Sprites, labels and talk bubbles of a host's NPCs.

    Args:
        host: the host (``TownHost``) whose NPCs are drawn.
        world_to_screen: the game's transform from world tile coordinates to screen pixels
            (a tile ``(x, y)`` spans ``x..x+1``, ``y..y+1``).
        sheet: the walk sheet (default: the bundled Kenney townsfolk).
        text: a ``TextCache`` to share (default: a new one).
        labels: ``"plan"`` (the name and what the NPC is doing), ``"name"`` or ``""``.
        bubbles: show NPC-to-NPC lines in speech bubbles.
        emotes: a small bubble with the current verb ("Zz", "cook") when not speaking.
        tile_px: screen pixels per tile (0: measured from ``world_to_screen``).
        label_width: the widest a label's plan line may be, in pixels.
        text_size: font size of labels and bubbles (larger for big tiles).
    """

    def __init__(
        self,
        host: NpcSource,
        world_to_screen: WorldToScreen,
        *,
        sheet: WalkSheet | None = None,
        text: TextCache | None = None,
        labels: str = "plan",
        bubbles: bool = True,
        emotes: bool = False,
        tile_px: int = 0,
        label_width: int = 180,
        text_size: int = 14,
    ) -> None:
        if labels not in LABELS:
            raise ValueError(f"labels must be one of {LABELS}, got {labels!r}")
        if sheet is None:
            from aga_npc.pygame.characters import kenney_townsfolk

            sheet = kenney_townsfolk()
        self.host = host
        self.sheet = sheet
        self.text = text or TextCache()
        self.labels = labels
        self.emotes = emotes
        self.label_width = label_width
        self.text_size = text_size
        self.sprites = SpriteLayer(world_to_screen, tile_px=tile_px)
        self.talk = (
            TalkBubbles(self.text, size=text_size, max_width=16 * text_size) if bubbles else None
        )
        self.tags: dict[str, str] = {}
        self.label_rects: dict[str, pygame.Rect] = {}
        self.bubble_rects: dict[str, pygame.Rect] = {}
        self._intents: dict[str, Intent] = {}
        self._heard: dict[tuple[str, str, int], int] = {}
        self._plates: dict[str, tuple[tuple[str, str], Any]] = {}
        self._emotes: dict[str, Any] = {}
        for name in host.names():
            self.sprites.add(NpcSprite(name, sheet))

    # ------------------------------------------------------------------ setup
    def add(self, name: str, *, character: int | None = None, tag: str | None = None) -> NpcSprite:
        """A sprite the game moves itself (the player): ``view.sprites[name].move_to``.

        Its label is ``tag`` (default ``name``) and is placed before every NPC's.
        """
        sprite = self.sprites.add(NpcSprite(name, self.sheet, character))
        self.tags[name] = name if tag is None else tag
        return sprite

    @property
    def world_to_screen(self) -> WorldToScreen:
        return self.sprites.world_to_screen

    @world_to_screen.setter
    def world_to_screen(self, transform: WorldToScreen) -> None:
        self.sprites.world_to_screen = transform

    # ------------------------------------------------------------------ per frame
    def update(self, dt: float) -> None:
        """Move every NPC sprite to its agent, face talking partners, take new lines.

        Time budget: about a microsecond per NPC (its position) plus a few per NPC on
        screen (its intent and, while talking, its conversation).
        """
        host = self.host
        self._intents = {}
        shown = {s.name for s in self.sprites.visible}
        for name in host.names():
            sprite = self.sprites.sprites.get(name)
            if sprite is None:
                sprite = self.sprites.add(NpcSprite(name, self.sheet))
            x, y = host.position(name)
            sprite.move_to(x + 0.5, y + 0.5, dt)
            if name not in shown:
                continue  # intents are read for the NPCs on screen only
            intent = host.intent(name)
            self._intents[name] = intent
            if intent.kind is IntentKind.TALK and intent.partner in self.sprites:
                other = self.sprites[intent.partner].pos
                if other is not None:
                    sprite.face_towards(*other)
        if self.talk is not None:
            self.talk.update(dt)
            self._listen()

    def _listen(self) -> None:
        """Pass new lines of the conversations of NPCs on screen to the bubbles (a talk
        first seen mid-way shows only its latest line)."""
        heard: dict[tuple[str, str, int], int] = {}
        assert self.talk is not None
        for sprite in self.sprites.visible:
            intent = self._intents.get(sprite.name)
            if intent is None or intent.kind is not IntentKind.TALK:
                continue
            convo = self.host.conversation(sprite.name)
            if convo is None:
                continue
            key = (str(convo["a"]), str(convo["b"]), int(convo["start"]))
            if key in heard:
                continue
            lines = convo["lines"]
            seen = self._heard.get(key, max(0, len(lines) - 1))
            for speaker, line in lines[seen:]:
                self.talk.say(speaker, line)
            heard[key] = len(lines)
        for key, seen in self._heard.items():
            if key in heard:
                continue
            # ended since the last frame: its last lines may have come with the end
            for done in self.host.conversation_log(key[0], limit=3):
                if (done["a"], done["b"], done["start"]) == key:
                    for speaker, line in done["lines"][seen:]:
                        self.talk.say(speaker, line)
        self._heard = heard

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: Any) -> None:
        """Draw the sprites, then the bubbles and labels."""
        self.draw_sprites(surface)
        self.draw_labels(surface)

    def draw_sprites(self, surface: Any) -> int:
        """Draw the on-screen sprites, farthest first; returns how many."""
        return self.sprites.draw(surface)

    def draw_labels(self, surface: Any, *, reserve: Sequence[Any] = ()) -> None:
        """Draw speech bubbles above heads and labels under feet, none covering another,
        a character or the ``reserve`` rectangles (a label with no free spot is left out)."""
        placer = RoomPlacer(surface.get_rect())
        placer.reserve(reserve)
        placer.reserve(s.box.inflate(-s.box.w // 4, -s.box.h // 8) for s in self.sprites.visible)
        self.label_rects = {}
        self.bubble_rects = {}
        blits: list[tuple[Any, tuple[int, int]]] = []
        # the game's own sprites (the player) first, then the nearest NPCs
        order = sorted(
            self.sprites.visible, key=lambda s: (s.name not in self.tags, -s.box.bottom, s.name)
        )
        # the newest line gets the best spot
        said = self.talk.speech if self.talk is not None else {}
        for sprite in sorted(order, key=lambda s: -said[s.name].said_at if s.name in said else 0):
            surf = self._bubble(sprite.name)
            if surf is None:
                continue
            rect = surf.get_rect(midbottom=(sprite.box.centerx, sprite.box.top - 2))
            # over the head; else reaching out to one side from it; else moved up
            left = rect.move(sprite.box.centerx + 12 - rect.right, 0)
            right = rect.move(sprite.box.centerx - 12 - rect.left, 0)
            placed = placer.first_free((rect, left, right))
            if placed is None:
                placed = placer.place(rect.clamp(placer.bounds), prefer=-1)
            if placed is not None:
                self.bubble_rects[sprite.name] = placed
                blits.append((surf, placed.topleft))
        for sprite in order:
            surf = self._label(sprite.name)
            if surf is None:
                continue
            rect = surf.get_rect(midtop=(sprite.box.centerx, sprite.box.bottom))
            placed = placer.place(rect.clamp(placer.bounds), prefer=1)
            if placed is not None:
                self.label_rects[sprite.name] = placed
                blits.append((surf, placed.topleft))
        surface.blits(blits, False)

    def _intent(self, name: str) -> Intent | None:
        """``name``'s intent of this frame (read now for an NPC that just came on screen)."""
        intent = self._intents.get(name)
        if intent is None and name not in self.tags:
            intent = self._intents[name] = self.host.intent(name)
        return intent

    def _bubble(self, name: str) -> Any:
        if self.talk is not None and name in self.talk.speech:
            return self.talk.surface(name)
        if not self.emotes or name in self.tags:
            return None
        intent = self._intent(name)
        sprite = self.sprites[name]
        text = emote_for(intent) if intent is not None and not sprite.moving else ""
        if not text:
            return None
        surf = self._emotes.get(text)
        if surf is None:
            surf = self._emotes[text] = bubble(self.text, text)
        return surf

    def _label(self, name: str) -> Any:
        if name in self.tags:
            key = (self.tags[name], "")
        elif not self.labels:
            return None
        else:
            detail = ""
            intent = self._intent(name)
            if self.labels == "plan" and intent is not None:
                detail = intent.description or intent.verb
            key = (name, detail)
        cached = self._plates.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        plate = name_plate(self.text, key[0], key[1], size=self.text_size, width=self.label_width)
        self._plates[name] = (key, plate)
        return plate

    # ------------------------------------------------------------------ reading
    def at(self, pos: tuple[int, int]) -> str | None:
        """The name of the front-most visible sprite under screen pixel ``pos``."""
        return self.sprites.at(pos)

    def anchors(self) -> dict[str, pygame.Rect]:
        """Screen rectangles of the NPCs drawn last frame (not the game's own sprites)."""
        return {s.name: s.box for s in self.sprites.visible if s.name not in self.tags}

    def speech(self) -> dict[str, str]:
        """The line each speaker shows now (tests, headless logs)."""
        if self.talk is None:
            return {}
        return {name: sp.text for name, sp in self.talk.speech.items()}
