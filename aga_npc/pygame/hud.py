"""The heads-up display: clock and speed bar, LLM notice, short messages, key help."""

from __future__ import annotations

from typing import Any

from aga_npc.pygame.text import TextCache, panel

__all__ = ["CONTROLS", "Hud"]

CONTROLS = (
    ("WASD / arrows", "walk"),
    ("E", "talk to the nearest NPC"),
    ("Esc", "close the dialogue / inspector"),
    ("Space", "pause"),
    ("1 / 2 / 3", "game speed x1 / x10 / x60"),
    ("F1", "debug overlay (click an NPC to inspect it)"),
    ("F2", "relationship heatmap"),
    ("F5 / F9", "save / load"),
    ("H", "this help"),
)

OFFLINE_NOTICE = "offline stand-in LLM"
OFFLINE_HELP = "A real model: set AGA_LLM_BASE_URL (and OPENAI_API_KEY), see README.md"


class Hud:
    """Top bar and messages. ``message(text)`` shows a line for a few seconds."""

    def __init__(self, text: TextCache, *, notice: str = "") -> None:
        self.text = text
        self.notice = notice
        self.messages: list[tuple[str, float]] = []
        self.show_help = False
        self.bar = ""
        self._bar: Any = None

    def message(self, text: str, now: float, seconds: float = 4.0) -> None:
        self.messages.append((text, now + seconds))
        del self.messages[:-4]

    def draw(
        self, surface: Any, *, clock: str, speed: float, paused: bool, npcs: int, now: float
    ) -> None:
        t = self.text
        sw, _ = surface.get_size()
        state = "PAUSED" if paused else f"x{speed:g}"
        self.bar = f"{clock}   {state}   {npcs} NPCs   H: help"
        if self._bar is None or self._bar.get_width() != sw:
            self._bar = panel((sw, 28), alpha=190)
        surface.blit(self._bar, (0, 0))
        surface.blit(t.render(self.bar, 20), (10, 6))
        if self.notice:
            note = t.render(self.notice, 16, (255, 200, 90))
            surface.blit(note, (sw - note.get_width() - 10, 8))
        self.messages = [(m, until) for m, until in self.messages if until > now]
        for i, (msg, _) in enumerate(self.messages):
            surf = t.render(msg, 18, (255, 255, 255), (20, 24, 40))
            surface.blit(surf, (10, 40 + i * 22))
        if self.show_help:
            self._draw_help(surface)

    def _draw_help(self, surface: Any) -> None:
        t = self.text
        sw, sh = surface.get_size()
        rows = len(CONTROLS) + (1 if self.notice else 0)
        width, height = 560, 36 + 22 * rows
        x, y = (sw - width) // 2, (sh - height) // 2
        surface.blit(panel((width, height), alpha=235), (x, y))
        surface.blit(t.render("Controls", 20, (255, 220, 120)), (x + 12, y + 6))
        for i, (keys, what) in enumerate(CONTROLS):
            surface.blit(t.render(keys, 18, (200, 230, 255)), (x + 12, y + 30 + i * 22))
            surface.blit(t.render(what, 18), (x + 150, y + 30 + i * 22))
        if self.notice:
            note = t.render(OFFLINE_HELP, 16, (255, 200, 90))
            surface.blit(note, (x + 12, y + 36 + 22 * len(CONTROLS)))
