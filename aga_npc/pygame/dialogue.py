"""The dialogue box: the player types a line, the NPC's reply streams in like a typewriter.

The whole conversation stays in the box: PgUp/PgDn and the mouse wheel scroll back through
it (new lines do not move what you are reading). The input field shows how many characters
are left ("183/300"); at the limit the box takes no more and says so (the counter turns red
with "limit reached") instead of cutting the line without a word. The limit is what an NPC
hears of a line (``aga_npc.prompts.sanitize.MAX_PLAYER_CHARS``): longer text would be cut
before any prompt sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from aga_npc.ports import RequestTicket
from aga_npc.prompts.sanitize import MAX_PLAYER_CHARS
from aga_npc.pygame.text import TextCache, panel, wrap
from aga_npc.types import LLMResult

__all__ = ["MAX_INPUT", "DialogueBox"]

MAX_INPUT = MAX_PLAYER_CHARS
PLAYER = "You"
LINE_H = 19
FONT = 18
WHEEL_LINES = 3
REFUSED_SECONDS = 1.5
PLAYER_INK = (200, 230, 255)
NPC_INK = (255, 255, 255)
DIM = (160, 170, 190)
WARN = (255, 110, 90)


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
        limit: the most characters a line may have.
        player: how the player's lines are labelled.
    """

    def __init__(
        self,
        npc: str,
        *,
        send: Callable[[str], RequestTicket[LLMResult]],
        close: Callable[[], None],
        text: TextCache | None = None,
        chars_per_second: float = 45.0,
        note: str = "",
        swallow: str = "",
        limit: int = MAX_INPUT,
        player: str = PLAYER,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        self.npc = npc
        self._send = send
        self._close = close
        self.text = text or TextCache()
        self.cps = float(chars_per_second)
        self.note = note
        self.limit = limit
        self.player = player
        self.input = ""
        self.history: list[tuple[str, str]] = []
        self.ticket: RequestTicket[LLMResult] | None = None
        self.typed = 0.0
        self.closed = False
        self.scroll = 0  # wrapped lines scrolled back from the newest
        self.refused = 0  # characters refused at the limit, in all
        self.shown_lines: list[str] = []  # the body lines drawn last frame (tests, logs)
        self.counter = ""
        self.now = 0.0
        self._refused_at = -1e9
        self._swallow = swallow.lower()
        self._frames_open = 0
        self._room = 1
        self._total = 0
        self._wrapped: list[tuple[str, list[str]]] = []
        self._wrap_width = 0

    # ------------------------------------------------------------------ input
    def handle_event(self, event: Any) -> bool:
        """Take a keyboard or wheel event; True when the box used it (the game ignores it)."""
        if self.closed:
            return False
        if event.type == pygame.TEXTINPUT:
            typed = str(event.text)
            if self._swallow and typed.lower() == self._swallow:
                self._swallow = ""
                return True
            self._swallow = ""
            self.type_text(typed)
            return True
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_by(WHEEL_LINES * int(event.y))
            return True
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.close()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.submit()
            elif event.key == pygame.K_BACKSPACE:
                self.input = self.input[:-1]
            elif event.key == pygame.K_PAGEUP:
                self.scroll_by(max(1, self._room - 1))
            elif event.key == pygame.K_PAGEDOWN:
                self.scroll_by(-max(1, self._room - 1))
            return True
        return event.type == pygame.KEYUP

    def type_text(self, typed: str) -> int:
        """Add typed characters up to the limit; returns how many were refused (the box
        shows the refusal for a moment)."""
        room = self.limit - len(self.input)
        taken = typed[: max(0, room)]
        self.input += taken
        refused = len(typed) - len(taken)
        if refused:
            self.refused += refused
            self._refused_at = self.now
        return refused

    @property
    def at_limit(self) -> bool:
        """The field is full and a character was just refused (drawn in red)."""
        return self.now - self._refused_at < REFUSED_SECONDS

    def scroll_by(self, lines: int) -> None:
        """Scroll back (positive) or forward (negative) by ``lines`` wrapped lines."""
        self.scroll = max(0, min(self._max_scroll(), self.scroll + lines))

    def _max_scroll(self) -> int:
        return max(0, self._total - self._room)

    def submit(self) -> bool:
        """Send the typed line (not while the last reply is still coming); True when sent."""
        line = self.input.strip()
        if not line or self.ticket is not None or self.closed:
            return False
        self.history.append((self.player, line))
        self.input = ""
        self.scroll = 0
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
        self.now += max(0.0, dt)
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
        if self.ticket is not None:
            lines.append(f"{self.npc}: {self.shown_reply()}")
        return lines

    # ------------------------------------------------------------------ drawing
    def _body(self, width: int) -> list[tuple[str, tuple[int, int, int]]]:
        """The wrapped lines of the whole conversation (history wrapped once, cached)."""
        t = self.text
        if width != self._wrap_width:
            self._wrapped, self._wrap_width = [], width
        for who, said in self.history[len(self._wrapped) :]:
            self._wrapped.append((who, wrap(t, f"{who}: {said}", width, FONT)))
        body = [
            (part, PLAYER_INK if who == self.player else NPC_INK)
            for who, parts in self._wrapped
            for part in parts
        ]
        if self.ticket is not None:
            shown = self.shown_reply()
            if shown:
                body.extend((p, NPC_INK) for p in wrap(t, f"{self.npc}: {shown}", width, FONT))
            else:
                body.append((f"{self.npc} is thinking...", (170, 170, 170)))
        return body

    def draw(self, surface: Any) -> None:
        """Draw the box across the bottom of ``surface``."""
        sw, sh = surface.get_size()
        width, height = min(sw - 40, 900), min(240, sh // 2)
        x, y = (sw - width) // 2, sh - height - 16
        surface.blit(panel((width, height), alpha=225), (x, y))
        t = self.text
        title = f"Talking with {self.npc}" + (f"   ({self.note})" if self.note else "")
        surface.blit(t.render(title, 20, (255, 220, 120)), (x + 12, y + 8))
        hint = t.render("Enter: say   PgUp/PgDn: scroll   Esc: close", 16, DIM)
        surface.blit(hint, (x + width - hint.get_width() - 12, y + 10))
        body = self._body(width - 24)
        grown = len(body) - self._total
        self._total = len(body)
        self._room = max(1, (height - 80) // LINE_H)
        if self.scroll and grown > 0:
            self.scroll += grown  # keep the lines being read where they are
        self.scroll = max(0, min(self._max_scroll(), self.scroll))
        end = len(body) - self.scroll
        window = body[max(0, end - self._room) : end]
        self.shown_lines = [part for part, _ in window]
        for i, (part, colour) in enumerate(window):
            surface.blit(t.render(part, FONT, colour), (x + 12, y + 34 + i * LINE_H))
        if self.scroll:
            more = t.render(
                f"{self.scroll} newer line{'s' if self.scroll != 1 else ''} below (PgDn)",
                14,
                (255, 220, 120),
            )
            surface.blit(more, (x + width - more.get_width() - 14, y + height - 52))
        elif end > self._room:
            more = t.render(f"{end - self._room} earlier (PgUp)", 14, DIM)
            surface.blit(more, (x + width - more.get_width() - 14, y + height - 52))
        self._draw_field(surface, pygame.Rect(x + 10, y + height - 34, width - 20, 24))

    def _draw_field(self, surface: Any, field: pygame.Rect) -> None:
        t = self.text
        full = self.at_limit
        self.counter = f"{len(self.input)}/{self.limit}" + ("  limit reached" if full else "")
        counter = t.render(self.counter, 16, WARN if full else DIM)
        box = field.copy()
        box.width -= counter.get_width() + 10
        pygame.draw.rect(surface, (30, 34, 52), box)
        pygame.draw.rect(surface, WARN if full else (120, 130, 170), box, width=1)
        surface.blit(counter, (field.right - counter.get_width(), field.y + 5))
        cursor = "_" if (pygame.time.get_ticks() // 500) % 2 == 0 else " "
        shown = self.input + cursor
        while t.size(shown, FONT)[0] > box.width - 12 and len(shown) > 1:
            shown = shown[1:]
        surface.blit(t.render(shown, FONT), (box.x + 6, box.y + 5))
