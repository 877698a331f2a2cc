"""PNG charts drawn with pygame (already a dependency of the demo; no matplotlib)."""

from __future__ import annotations

import colorsys
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["heatmap", "tokens_chart"]

_PALETTE = [
    (66, 133, 244),
    (219, 68, 55),
    (244, 180, 0),
    (15, 157, 88),
    (171, 71, 188),
    (0, 172, 193),
    (255, 112, 67),
    (158, 157, 36),
    (92, 107, 192),
    (240, 98, 146),
    (121, 85, 72),
    (96, 125, 139),
]


def _pygame() -> Any:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    if not pygame.font.get_init():
        pygame.font.init()
    return pygame


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _colour(j: int) -> tuple[int, int, int]:
    if j < len(_PALETTE):
        return _PALETTE[j]
    hue = (j * 0.618034) % 1.0  # golden-ratio steps: distinct hues beyond the palette
    r, g, b = colorsys.hsv_to_rgb(hue, 0.55, 0.85)
    return int(r * 255), int(g * 255), int(b * 255)


def tokens_chart(comparison: Mapping[str, Any], out: Path) -> None:
    """Stacked bars: mean tokens per seed for each mode, split by request kind, labelled
    with the mean ratio to baseline and its min-max over the seeds (``comparison.json``)."""
    pg = _pygame()
    modes = list(comparison["mode_order"])
    blocks = comparison["modes"]
    kinds = sorted({k for m in modes for k in blocks[m]["by_kind"]})
    totals = [
        sum(r["prompt"] + r["completion"] for r in blocks[m]["by_kind"].values()) for m in modes
    ]
    top = max(totals, default=0) or 1
    bar, gap, left, bottom, legend = 90, 60, 90, 70, 230
    w = max(900, left + len(modes) * (bar + gap) + legend)
    h = max(520, 80 + 22 * len(kinds) + bottom)
    surf = pg.Surface((w, h))
    surf.fill((255, 255, 255))
    font = pg.font.Font(None, 22)
    title = pg.font.Font(None, 28)
    seeds = comparison["seeds"]
    surf.blit(
        title.render(
            f"Tokens per run by mode and request kind ({comparison['npcs']} NPCs, "
            f"{_plural(comparison['days'], 'day')}, mean of {_plural(len(seeds), 'seed')})",
            True,
            (0, 0, 0),
        ),
        (left, 12),
    )
    plot_h = h - bottom - 100
    for i, mode in enumerate(modes):
        x = left + 20 + i * (bar + gap)
        y = h - bottom
        by_kind = blocks[mode]["by_kind"]
        for j, kind in enumerate(kinds):
            row = by_kind.get(kind)
            if not row:
                continue
            seg = int(plot_h * (row["prompt"] + row["completion"]) / top)
            pg.draw.rect(surf, _colour(j), (x, y - seg, bar, seg))
            y -= seg
        surf.blit(font.render(mode, True, (0, 0, 0)), (x, h - bottom + 8))
        ratio = blocks[mode]["ratio_to_baseline"]
        if ratio is not None:
            surf.blit(font.render(f"{ratio['mean']:.3f}", True, (0, 0, 0)), (x, y - 38))
            span = f"{ratio['min']:.2f}-{ratio['max']:.2f}"
            surf.blit(font.render(span, True, (90, 90, 90)), (x, y - 20))
    pg.draw.line(surf, (0, 0, 0), (left, h - bottom), (w - legend, h - bottom))
    for j, kind in enumerate(kinds):
        lx, ly = w - legend + 20, 50 + j * 22
        pg.draw.rect(surf, _colour(j), (lx, ly, 14, 14))
        surf.blit(font.render(kind, True, (0, 0, 0)), (lx + 20, ly))
    pg.image.save(surf, str(out))


def heatmap(
    names: Sequence[str], matrix: Sequence[Sequence[float]], out: Path, *, label: str
) -> None:
    """A closeness heatmap (0..10) with names on both axes (the paper's Figure 4)."""
    pg = _pygame()
    n = len(names)
    cell = max(14, min(40, 700 // max(1, n)))
    font = pg.font.Font(None, max(14, min(22, cell)))
    margin = 170
    w = margin + n * cell + 20
    h = margin + n * cell + 50
    surf = pg.Surface((w, h))
    surf.fill((255, 255, 255))
    surf.blit(pg.font.Font(None, 26).render(label, True, (0, 0, 0)), (10, 10))
    for i, name in enumerate(names):
        text = font.render(name[:22], True, (0, 0, 0))
        surf.blit(text, (margin - text.get_width() - 6, margin + i * cell + cell // 4))
        rot = pg.transform.rotate(font.render(name[:22], True, (0, 0, 0)), 60)
        surf.blit(rot, (margin + i * cell, margin - rot.get_height() - 2))
        for j in range(n):
            v = max(0.0, min(10.0, float(matrix[i][j]))) / 10.0
            colour = (int(255 - 200 * v), int(255 - 120 * v), 255) if i != j else (220, 220, 220)
            pg.draw.rect(surf, colour, (margin + j * cell, margin + i * cell, cell - 1, cell - 1))
    surf.blit(font.render("closeness 0 (white) .. 10 (blue)", True, (0, 0, 0)), (margin, h - 30))
    pg.image.save(surf, str(out))
