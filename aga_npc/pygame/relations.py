"""The relationship view (F2): a closeness heatmap of the town read from brain snapshots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pygame

from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.pygame.text import TextCache, panel

__all__ = ["RelationsView", "closeness_matrix"]

MAX_PEOPLE = 40


def closeness_matrix(
    snapshots: Mapping[str, BrainSnapshot],
    names: Sequence[str],
    columns: Sequence[str] | None = None,
) -> list[list[float | None]]:
    """``m[i][j]``: how close ``names[i]`` feels to ``columns[j]`` (0..10; None when
    unknown). ``columns`` defaults to ``names``."""
    cols = list(names if columns is None else columns)
    index = {n: j for j, n in enumerate(cols)}
    out: list[list[float | None]] = [[None] * len(cols) for _ in names]
    for i, name in enumerate(names):
        snap = snapshots.get(name)
        if snap is None:
            continue
        for person, _rel, _feeling, closeness in snap.relationships:
            j = index.get(person)
            if j is not None:
                out[i][j] = float(closeness)
    return out


def _colour(value: float | None) -> tuple[int, int, int]:
    if value is None:
        return (34, 36, 48)
    v = max(0.0, min(10.0, value)) / 10.0
    return (int(40 + 215 * v), int(60 + 120 * (1 - abs(v - 0.5) * 2)), int(140 * (1 - v) + 40))


class RelationsView:
    """Draws the heatmap; the picture is rebuilt only when :meth:`rebuild` is called."""

    def __init__(self, text: TextCache) -> None:
        self.text = text
        self.image: Any = None
        self.names: list[str] = []
        self.columns: list[str] = []
        self.matrix: list[list[float | None]] = []

    def rebuild(self, snapshots: Mapping[str, BrainSnapshot], *, include_player: bool) -> None:
        """Recompute the matrix from ``snapshots`` and render it."""
        people = sorted(snapshots)[:MAX_PEOPLE]
        columns = [*people, "player"] if include_player else list(people)
        self.names, self.columns = people, columns
        self.matrix = closeness_matrix(snapshots, people, columns)
        t = self.text
        n, m = len(people), len(columns)
        cell = max(8, min(18, 560 // max(1, m)))
        labels = [f"{i + 1:>2} {p}" for i, p in enumerate(people)]
        label_w = max((t.size(p, 14)[0] for p in labels), default=40) + 8
        width = label_w + m * cell + 16
        height = 60 + n * cell + 40
        img = panel((width, height), alpha=230)
        title = "Relationships: closeness 0-10 (row feels about column)"
        img.blit(t.render(title, 16, (255, 220, 120)), (8, 6))
        if len(snapshots) > MAX_PEOPLE:
            img.blit(
                t.render(f"first {MAX_PEOPLE} of {len(snapshots)}", 14, (170, 170, 180)),
                (8, 24),
            )
        top = 44
        for j, col in enumerate(columns):
            head = "P" if col == "player" else str(j + 1)
            img.blit(t.render(head, 12, (170, 170, 180)), (label_w + j * cell + 1, top - 12))
        for i, name in enumerate(labels):
            img.blit(t.render(name, 14, (230, 230, 235)), (8, top + i * cell + (cell - 10) // 2))
            for j in range(m):
                rect = pygame.Rect(label_w + j * cell, top + i * cell, cell - 1, cell - 1)
                pygame.draw.rect(img, _colour(self.matrix[i][j]), rect)
        legend_y = top + n * cell + 10
        for k in range(11):
            rect = pygame.Rect(8 + k * 22, legend_y, 20, 12)
            pygame.draw.rect(img, _colour(float(k)), rect)
        img.blit(
            t.render("0 strangers ... 10 closest   P: the player", 14, (200, 200, 210)),
            (260, legend_y),
        )
        self.image = img

    def draw(self, surface: Any) -> None:
        if self.image is None:
            return
        sw, sh = surface.get_size()
        img = self.image
        surface.blit(img, ((sw - img.get_width()) // 2, max(36, (sh - img.get_height()) // 2)))
