"""PNG charts drawn with pygame (already a dependency of the demo; no matplotlib)."""

from __future__ import annotations

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


def tokens_chart(comparison: Mapping[str, Any], out: Path) -> None:
    """Stacked bars: total tokens per mode, split by module, with the ratio to baseline."""
    pg = _pygame()
    modes = list(comparison["modes"])
    modules = sorted({m for r in comparison["modes"].values() for m in r["tokens"]["by_module"]})
    totals = [comparison["modes"][m]["tokens"]["total"] for m in modes]
    top = max(totals) or 1
    w, h, left, bottom, bar = 900, 520, 90, 70, 90
    surf = pg.Surface((w, h))
    surf.fill((255, 255, 255))
    font = pg.font.Font(None, 22)
    title = pg.font.Font(None, 28)
    npcs = next(iter(comparison["modes"].values()))["npcs"]
    surf.blit(title.render(f"Tokens by mode and module ({npcs} NPCs)", True, (0, 0, 0)), (left, 12))
    plot_h = h - bottom - 60
    for i, mode in enumerate(modes):
        x = left + 20 + i * (bar + 50)
        y = h - bottom
        by_module = comparison["modes"][mode]["tokens"]["by_module"]
        for j, module in enumerate(modules):
            row = by_module.get(module)
            if not row:
                continue
            value = row["prompt"] + row["completion"]
            seg = int(plot_h * value / top)
            pg.draw.rect(surf, _PALETTE[j % len(_PALETTE)], (x, y - seg, bar, seg))
            y -= seg
        surf.blit(font.render(mode, True, (0, 0, 0)), (x, h - bottom + 8))
        ratio = comparison["ratio_to_baseline"][mode]
        surf.blit(font.render(f"{ratio:.1%}", True, (0, 0, 0)), (x, y - 20))
    pg.draw.line(surf, (0, 0, 0), (left, h - bottom), (w - 20, h - bottom))
    for j, module in enumerate(modules):
        lx, ly = w - 190, 50 + j * 22
        pg.draw.rect(surf, _PALETTE[j % len(_PALETTE)], (lx, ly, 14, 14))
        surf.blit(font.render(module, True, (0, 0, 0)), (lx + 20, ly))
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
