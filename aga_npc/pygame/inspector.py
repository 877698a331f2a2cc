"""The NPC inspector (click an NPC with the overlay on): today's schedule, recent memories
and Social Memory rows, read from the brain's snapshot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.eval.activities import inspired_by
from aga_npc.pygame.text import TextCache, panel, wrap

__all__ = ["Inspector", "conversation_lines", "inspector_sections"]

HEAD = (255, 220, 120)
BODY = (235, 235, 240)
DIM = (160, 165, 180)


def conversation_lines(
    name: str, talks: Sequence[Mapping[str, Any]], *, per_talk: int = 8
) -> list[str]:
    """The inspector's conversation log: for each conversation (newest first, as
    ``TownHost.conversation`` / ``conversation_log`` give them) a heading with the partner,
    the place and the game time, then up to ``per_talk`` of its lines."""
    out: list[str] = []
    for talk in talks:
        other = talk["b"] if talk["a"] == name else talk["a"]
        start = int(talk.get("start", 0))
        when = f"{start // 60 % 24:02d}:{start % 60:02d}"
        now = "" if "end" in talk else " (talking now)"
        out.append(f"with {other} at {talk.get('place', '?')}, {when}{now}")
        lines = list(talk["lines"])
        for speaker, text in lines[:per_talk]:
            out.append(f"  {speaker.split()[0]}: {text}")
        if len(lines) > per_talk:
            out.append(f"  ... {len(lines) - per_talk} more lines")
        if not lines:
            out.append("  (no lines yet)")
    return out or ["(no conversations yet)"]


def inspector_sections(
    snap: BrainSnapshot, talks: Sequence[Mapping[str, Any]] = ()
) -> list[tuple[str, list[str]]]:
    """``[(title, lines)]``: who and what now, schedule, the memories mind wandering brought
    to today's plan with the activities they inspired ("why"), memories, relationships, and
    the recent conversations with other NPCs (``talks``, newest first)."""
    now = [
        f"state {snap.state}, mode {snap.mode}  {snap.marker()}",
        f"plan: {snap.activity or '-'}",
        f"action: {snap.action or '-'}" + (f" @ {snap.target}" if snap.target else ""),
        f"policy: {snap.reason or '-'}",
        f"pending: {', '.join(snap.pending) or '-'}",
        f"tokens {snap.tokens} used, {snap.tokens_saved} saved, {snap.llm_calls} LLM calls",
    ]
    schedule = [f"{start}  {what}  ({where})" for start, what, where in snap.schedule] or [
        "(no plan yet)"
    ]
    memories = list(snap.memories) or ["(none yet)"]
    social = [
        f"{person}: {rel}, {feeling or '-'}, closeness {closeness:.1f}"
        for person, rel, feeling, closeness in snap.relationships
    ] or ["(nobody yet)"]
    why = [f"- {memory}" for memory in snap.wandered]
    for _, what, _ in snap.schedule:
        memory = inspired_by(what, snap.wandered, min_shared=2)
        if memory:
            why.append(f"why {what}: {memory}")
    return [
        (snap.name, now),
        ("Schedule today", schedule),
        ("Came to mind (mind wandering)", why or ["(nothing yet)"]),
        ("Recent memories", memories),
        ("Social memory", social),
        ("Conversations", conversation_lines(snap.name, talks)),
    ]


class Inspector:
    """A side panel about one NPC; ``name`` is None while closed."""

    def __init__(self, text: TextCache) -> None:
        self.text = text
        self.name: str | None = None
        self.scroll = 0
        self.lines: list[str] = []
        self._rows = 1

    def open(self, name: str) -> None:
        self.name = name
        self.scroll = 0

    def close(self) -> None:
        self.name = None

    def scroll_by(self, rows: int) -> None:
        """Scroll the panel by ``rows`` lines (the mouse wheel)."""
        self.scroll = max(0, min(self._rows - 1, self.scroll + rows))

    def draw(
        self, surface: Any, snap: BrainSnapshot, talks: Sequence[Mapping[str, Any]] = ()
    ) -> None:
        """Draw the panel on the left of ``surface`` (``talks``: the NPC's conversation in
        progress and its recent ones, newest first)."""
        t = self.text
        sw, sh = surface.get_size()
        width = min(440, sw // 2)
        height = sh - 80
        x, y = 8, 36
        rows: list[tuple[str, tuple[int, int, int], int]] = []
        self.lines = []
        for title, lines in inspector_sections(snap, talks):
            rows.append((title, HEAD, 18))
            self.lines.append(title)
            for line in lines:
                self.lines.append(line)
                for part in wrap(t, line, width - 28, 15):
                    rows.append((part, BODY if title != snap.name else DIM, 15))
            rows.append(("", BODY, 8))
        self._rows = max(1, len(rows))
        self.scroll = min(self.scroll, self._rows - 1)
        surface.blit(panel((width, height), alpha=215), (x, y))
        cy = y + 8
        for text, colour, size in rows[self.scroll :]:
            if cy + size > y + height - 18:
                break
            if text:
                surface.blit(t.render(text, size, colour), (x + 12, cy))
            cy += size + 1 if size > 8 else size
        hint = t.render("mouse wheel: scroll   click elsewhere or Esc: close", 14, DIM)
        surface.blit(hint, (x + 12, y + height - 16))
