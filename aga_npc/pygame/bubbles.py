"""Speech bubbles for NPC-to-NPC talk: each new line near its speaker, wrapped, bounded and
fading out after a few seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from aga_npc.pygame.text import TextCache, wrap

__all__ = ["Speech", "TalkBubbles", "speech_bubble"]

INK = (30, 30, 40)
PAPER = (250, 250, 240)
EDGE = (60, 60, 70)


@dataclass(slots=True)
class Speech:
    """One line on show: who said it, the lines of its bubble and when it was said."""

    speaker: str
    text: str
    lines: list[str]
    said_at: float
    surface: Any


def speech_bubble(text: TextCache, lines: list[str], size: int = 14) -> Any:
    """A rounded bubble holding ``lines`` with a tail at the bottom centre."""
    surfs = [text.render(line, size, INK) for line in lines]
    w = max(s.get_width() for s in surfs) + 12
    line_h = surfs[0].get_height()
    h = line_h * len(surfs) + 8
    out = pygame.Surface((w, h + 6), pygame.SRCALPHA)
    body = pygame.Rect(0, 0, w, h)
    pygame.draw.rect(out, PAPER, body, border_radius=6)
    pygame.draw.rect(out, EDGE, body, width=1, border_radius=6)
    cx = w // 2
    pygame.draw.polygon(out, PAPER, [(cx - 5, h - 1), (cx + 5, h - 1), (cx, h + 5)])
    pygame.draw.lines(out, EDGE, False, [(cx - 5, h - 1), (cx, h + 5), (cx + 5, h - 1)])
    for i, surf in enumerate(surfs):
        out.blit(surf, (6, 4 + i * line_h))
    return out


class TalkBubbles:
    """The latest line of each speaker, shown for ``seconds`` and faded over the last
    ``fade`` of them; a speaker's new line replaces its old one.

    Args:
        text: the text cache.
        seconds: how long a line stays (real seconds).
        fade: the last part of ``seconds`` during which it fades out.
        max_width: the widest a bubble's text may be, in pixels.
        max_lines: the most lines a bubble shows (a longer line ends with an ellipsis).
        size: font size.
        names: start each bubble with the speaker's first name ("Ada: ...").
    """

    def __init__(
        self,
        text: TextCache,
        *,
        seconds: float = 5.0,
        fade: float = 1.5,
        max_width: int = 220,
        max_lines: int = 3,
        size: int = 14,
        names: bool = True,
    ) -> None:
        if seconds <= 0 or not 0 <= fade <= seconds:
            raise ValueError(f"need seconds > 0 and 0 <= fade <= seconds, got {seconds}, {fade}")
        if max_lines < 1 or max_width < 20:
            raise ValueError(
                f"need max_lines >= 1 and max_width >= 20, got {max_lines}, {max_width}"
            )
        self.text = text
        self.seconds = seconds
        self.fade = fade
        self.max_width = max_width
        self.max_lines = max_lines
        self.size = size
        self.names = names
        self.now = 0.0
        self.speech: dict[str, Speech] = {}

    def say(self, speaker: str, line: str) -> Speech:
        """Show ``line`` above ``speaker`` from now on."""
        shown = " ".join(line.split())
        if self.names:
            shown = f"{speaker.split()[0]}: {shown}" if speaker.split() else shown
        lines = wrap(self.text, shown, self.max_width, self.size)
        if len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            while last and self.text.size(last + "\u2026", self.size)[0] > self.max_width:
                last = last[:-1]
            lines[-1] = last.rstrip() + "\u2026"
        speech = Speech(
            speaker=speaker,
            text=line,
            lines=lines,
            said_at=self.now,
            surface=speech_bubble(self.text, lines, self.size),
        )
        self.speech[speaker] = speech
        return speech

    def update(self, dt: float) -> None:
        """Advance the clock by ``dt`` real seconds and drop the lines that have faded."""
        self.now += max(0.0, dt)
        gone = [s for s, sp in self.speech.items() if self.now - sp.said_at >= self.seconds]
        for speaker in gone:
            del self.speech[speaker]

    def alpha(self, speaker: str) -> int:
        """The opacity (0-255) of ``speaker``'s bubble now (0 when none)."""
        speech = self.speech.get(speaker)
        if speech is None:
            return 0
        left = self.seconds - (self.now - speech.said_at)
        if left >= self.fade:
            return 255
        return max(0, min(255, round(255 * left / self.fade))) if self.fade else 0

    def surface(self, speaker: str) -> Any:
        """``speaker``'s bubble at its current opacity (None when it has none)."""
        speech = self.speech.get(speaker)
        if speech is None:
            return None
        alpha = self.alpha(speaker)
        if alpha >= 255:
            return speech.surface
        faded = speech.surface.copy()
        faded.set_alpha(alpha)
        return faded
