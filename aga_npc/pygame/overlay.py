"""The debug overlay (F1): what each NPC is thinking, and the request pipeline's figures.

It draws brain snapshots only (``BrainSnapshot``), never reaching into brain logic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pygame

from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.host.town_host import HostStats
from aga_npc.pygame.text import TextCache, panel

__all__ = ["DebugOverlay", "npc_lines", "panel_lines"]

SOURCE_COLOURS: Mapping[str, tuple[int, int, int]] = {
    "policy": (120, 230, 140),
    "llm": (255, 170, 80),
    "waiting": (180, 180, 190),
    "talk": (130, 190, 255),
    "fallback": (230, 230, 230),
}


PLATE = (16, 18, 30)
WHITE = (255, 255, 255)
LINE = 13


def npc_lines(snap: BrainSnapshot) -> list[str]:
    """The lines drawn above an NPC: its plan (current activity), action and marker."""
    plan = snap.activity or "(no plan yet)"
    action = snap.action or "-"
    return [plan, f"{action} {snap.marker()}"]


def panel_lines(
    stats: HostStats,
    *,
    backend: str = "",
    npcs: int | None = None,
    speed: float | None = None,
    frame_ms: float | None = None,
    brain_ms: float | None = None,
) -> list[str]:
    """The debug panel's lines: queue, calls, tokens, savings, cost, hit rate, timings.

    Only ``stats`` (``TownHost.stats()``) is needed; the lines of the game loop's own
    figures (backend name, NPC count and speed, frame and brain times) are left out when
    they are not given."""
    cost = f"est. cost ${stats.cost_usd:.4f}"
    if stats.cost_model:
        cost += f" ({stats.cost_model} prices)"
    lines = [f"LLM: {backend}"] if backend else []
    lines += [
        f"queue {stats.pending}   in flight {stats.in_flight}   done {stats.completed}",
        f"LLM calls {stats.llm_calls}   tokens used {stats.tokens:,}",
        f"tokens saved by policy hits {stats.tokens_saved:,}",
        f"policy hit rate {100 * stats.hit_rate:.0f}% "
        f"({stats.policy_hits} hits / {stats.policy_misses} misses)",
        cost,
    ]
    if frame_ms is not None and brain_ms is not None:
        lines.append(f"frame {frame_ms:.2f} ms   brains {brain_ms:.3f} ms/frame")
    if npcs is not None and speed is not None:
        lines.append(f"NPCs {npcs}   speed x{speed:g}")
    return lines


class DebugOverlay:
    """Snapshot-driven debug view.

    Args:
        text: the text cache.
        refresh_seconds: how old a snapshot may get before it is read again (reading every
            brain every frame would cost more than the brains themselves).
    """

    def __init__(self, text: TextCache, *, refresh_seconds: float = 0.25) -> None:
        self.text = text
        self.refresh_seconds = refresh_seconds
        self.snapshots: dict[str, BrainSnapshot] = {}
        self._read_at: dict[str, float] = {}
        self.drawn: dict[str, list[str]] = {}
        self.blocks: dict[str, pygame.Rect] = {}
        self.panel: list[str] = []

    def refresh(
        self, names: Iterable[str], read: Callable[[str], BrainSnapshot], now: float
    ) -> None:
        """Read the snapshots of ``names`` that are older than ``refresh_seconds``."""
        for name in names:
            if now - self._read_at.get(name, -1e9) >= self.refresh_seconds:
                self.snapshots[name] = read(name)
                self._read_at[name] = now

    def invalidate(self) -> None:
        """Forget every snapshot (after loading a save)."""
        self.snapshots.clear()
        self._read_at.clear()

    def draw(self, surface: Any, anchors: Mapping[str, pygame.Rect], panel_text: list[str]) -> None:
        """Draw the lines above each on-screen NPC and the panel in the top-right corner.

        Args:
            surface: where to draw.
            anchors: the screen rectangle of each NPC on screen (``NpcView.anchors()``).
            panel_text: the panel's lines (``panel_lines``).
        """
        t = self.text
        self.drawn = {}
        self.blocks = {}
        blits: list[tuple[Any, tuple[int, int]]] = []
        placed: list[pygame.Rect] = []
        # Nearest (lowest) NPCs first; a block that would cover one already placed moves up.
        for name, box in sorted(anchors.items(), key=lambda item: (-item[1].bottom, item[0])):
            snap = self.snapshots.get(name)
            if snap is None:
                continue
            lines = npc_lines(snap)
            self.drawn[name] = lines
            colour = SOURCE_COLOURS.get(snap.source, (230, 230, 230))
            surfs = [
                t.render(line[:48], 14, colour if i == len(lines) - 1 else WHITE, PLATE)
                for i, line in enumerate(lines)
            ]
            width = max(s.get_width() for s in surfs)
            block = pygame.Rect(0, 0, width, LINE * len(surfs))
            block.midbottom = (box.centerx, box.top - 18)
            for _ in range(8):
                hit = block.collidelist(placed)
                if hit < 0:
                    break
                block.bottom = placed[hit].top - 1
            placed.append(block)
            self.blocks[name] = block
            for i, surf in enumerate(surfs):
                blits.append((surf, (block.centerx - surf.get_width() // 2, block.top + i * LINE)))
        surface.blits(blits, False)
        self.panel = list(panel_text)
        width = 12 + max((t.size(line, 16)[0] for line in panel_text), default=100)
        height = 10 + 17 * len(panel_text)
        x = surface.get_width() - width - 8
        surface.blit(panel((width, height)), (x, 36))
        for i, line in enumerate(panel_text):
            surface.blit(t.render(line, 16), (x + 6, 41 + i * 17))

    def text_lines(self) -> list[str]:
        """Everything the overlay drew last frame, as text (tests and headless logs)."""
        out = [line for lines in self.drawn.values() for line in lines]
        return out + self.panel
