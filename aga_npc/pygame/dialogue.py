"""The dialogue box: the player types a line, the NPC's reply streams in like a typewriter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from aga_npc.ports import RequestTicket
from aga_npc.pygame.text import TextCache, panel, wrap
from aga_npc.types import LLMResult

__all__ = ["DialogueBox"]

MAX_INPUT = 200
PLAYER = "You"


class DialogueBox:
    """One open dialogue with an NPC.

    Args:
        npc: who the player talks to.
        send: sends the player's line, returns the ticket of the reply (``host.say``).
        close: called once when the box closes (``host.end_talk``).
        text: the text cache.
        chars_per_second: typewriter speed of the reply.
        note: a line under the title (e.g. "offline stand-in LLM").
        swallow: a character typed by the key that opened the box, ignored once.
    """

    def __init__(
        self,
        npc: str,
        *,
        send: Callable[[str], RequestTicket[LLMResult]],
        close: Callable[[], None],
        text: TextCache,
        chars_per_second: float = 45.0,
        note: str = "",
        swallow: str = "",
    ) -> None:
        self.npc = npc
        self._send = send
        self._close = close
        self.text = text
        self.cps = float(chars_per_second)
        self.note = note
        self.input = ""
        self.history: list[tuple[str, str]] = []
        self.ticket: RequestTicket[LLMResult] | None = None
        self.typed = 0.0
        self.closed = False
        self._swallow = swallow.lower()
        self._frames_open = 0

    # ------------------------------------------------------------------ input
    def handle_event(self, event: Any) -> bool:
        """Take a keyboard event; True when the box used it (the game ignores it then)."""
        if self.closed:
            return False
        if event.type == pygame.TEXTINPUT:
            typed = str(event.text)
            if self._swallow and typed.lower() == self._swallow:
                self._swallow = ""
                return True
            self._swallow = ""
            self.input = (self.input + typed)[:MAX_INPUT]
            return True
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.close()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.submit()
            elif event.key == pygame.K_BACKSPACE:
                self.input = self.input[:-1]
            return True
        return event.type == pygame.KEYUP

    def submit(self) -> bool:
        """Send the typed line (not while the last reply is still coming); True when sent."""
        line = self.input.strip()
        if not line or self.ticket is not None or self.closed:
            return False
        self.history.append((PLAYER, line))
        self.input = ""
        self.ticket = self._send(line)
        self.typed = 0.0
        return True

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._close()

    # ------------------------------------------------------------------ per frame
    def update(self, dt: float) -> None:
        """Advance the typewriter; a finished, fully shown reply moves into the history.

        Time budget: microseconds (reads the ticket's streamed text).
        """
        self._frames_open += 1
        if self._frames_open > 2:
            self._swallow = ""
        ticket = self.ticket
        if ticket is None:
            return
        full = self._reply_text(ticket)
        self.typed = min(float(len(full)), self.typed + dt * self.cps)
        if ticket.done() and self.typed >= len(full):
            self.history.append((self.npc, full))
            self.ticket = None
            self.typed = 0.0

    def _reply_text(self, ticket: RequestTicket[LLMResult]) -> str:
        if not ticket.done():
            return ticket.partial_text()
        result = ticket.result()
        if result is None or not result.ok:
            reason = type(result.error).__name__ if result is not None else "no result"
            return f"({self.npc} does not answer: {reason})"
        return result.text.strip() or ticket.partial_text()

    def shown_reply(self) -> str:
        """The part of the reply on screen now ("" when no reply is coming)."""
        if self.ticket is None:
            return ""
        return self._reply_text(self.ticket)[: int(self.typed)]

    @property
    def waiting(self) -> bool:
        """A reply was asked for and not fully shown yet."""
        return self.ticket is not None

    def transcript(self) -> list[str]:
        """Every line as ``"speaker: text"``, the reply so far last."""
        lines = [f"{who}: {said}" for who, said in self.history]
        shown = self.shown_reply()
        if self.ticket is not None:
            lines.append(f"{self.npc}: {shown}")
        return lines

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: Any) -> None:
        """Draw the box across the bottom of ``surface``."""
        sw, sh = surface.get_size()
        width, height = min(sw - 40, 900), min(220, sh // 2)
        x, y = (sw - width) // 2, sh - height - 16
        surface.blit(panel((width, height), alpha=225), (x, y))
        t = self.text
        title = f"Talking with {self.npc}" + (f"   ({self.note})" if self.note else "")
        surface.blit(t.render(title, 20, (255, 220, 120)), (x + 12, y + 8))
        hint = t.render("Enter: say   Esc: close", 16, (160, 170, 190))
        surface.blit(hint, (x + width - hint.get_width() - 12, y + 10))
        body: list[tuple[str, tuple[int, int, int]]] = []
        for line in self.transcript():
            colour = (200, 230, 255) if line.startswith(PLAYER + ":") else (255, 255, 255)
            for part in wrap(t, line, width - 24, 18):
                body.append((part, colour))
        if self.ticket is not None and not self.shown_reply():
            body.append((f"{self.npc} is thinking...", (170, 170, 170)))
        line_h = 19
        room = max(1, (height - 74) // line_h)
        for i, (part, colour) in enumerate(body[-room:]):
            surface.blit(t.render(part, 18, colour), (x + 12, y + 34 + i * line_h))
        field = pygame.Rect(x + 10, y + height - 34, width - 20, 24)
        pygame.draw.rect(surface, (30, 34, 52), field)
        pygame.draw.rect(surface, (120, 130, 170), field, width=1)
        cursor = "_" if (pygame.time.get_ticks() // 500) % 2 == 0 else " "
        shown = self.input + cursor
        while t.size(shown, 18)[0] > field.width - 12 and len(shown) > 1:
            shown = shown[1:]
        surface.blit(t.render(shown, 18), (field.x + 6, field.y + 5))
