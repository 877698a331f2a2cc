"""PNG line charts of the evaluation (drawn with pygame, as ``aga_npc.sim.charts``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aga_npc.sim.charts import _colour, _pygame

__all__ = ["bar_chart", "line_chart"]


def line_chart(
    series: Mapping[str, Sequence[float]],
    out: Path,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    ymax: float | None = None,
) -> None:
    """One line per series over x = 1..n, a legend on the right."""
    pg = _pygame()
    left, bottom, legend, top = 70, 60, 260, 50
    w, h = 960, 540
    surf = pg.Surface((w, h))
    surf.fill((255, 255, 255))
    font = pg.font.Font(None, 22)
    surf.blit(pg.font.Font(None, 28).render(title, True, (0, 0, 0)), (left, 12))
    n = max((len(v) for v in series.values()), default=0)
    peak = ymax if ymax is not None else max((max(v) for v in series.values() if v), default=1)
    peak = peak or 1
    pw, ph = w - left - legend, h - top - bottom
    pg.draw.line(surf, (0, 0, 0), (left, top + ph), (left + pw, top + ph))
    pg.draw.line(surf, (0, 0, 0), (left, top), (left, top + ph))
    surf.blit(font.render(f"{peak:g}", True, (0, 0, 0)), (8, top - 6))
    surf.blit(font.render("0", True, (0, 0, 0)), (left - 18, top + ph - 8))
    surf.blit(font.render(xlabel, True, (0, 0, 0)), (left + pw // 2 - 40, h - 30))
    surf.blit(font.render(ylabel, True, (0, 0, 0)), (8, top + ph + 24))

    def at(i: int, v: float) -> tuple[int, int]:
        x = left + (pw * i // max(1, n - 1) if n > 1 else pw // 2)
        return x, top + ph - int(ph * min(v, peak) / peak)

    for i in range(n):
        x, _ = at(i, 0)
        surf.blit(font.render(str(i + 1), True, (0, 0, 0)), (x - 4, top + ph + 6))
    for j, (label, values) in enumerate(series.items()):
        points = [at(i, float(v)) for i, v in enumerate(values)]
        if len(points) > 1:
            pg.draw.lines(surf, _colour(j), False, points, 3)
        for p in points:
            pg.draw.circle(surf, _colour(j), p, 4)
        lx, ly = w - legend + 16, top + j * 22
        pg.draw.rect(surf, _colour(j), (lx, ly, 14, 14))
        surf.blit(font.render(label[:30], True, (0, 0, 0)), (lx + 20, ly))
    pg.image.save(surf, str(out))


def bar_chart(
    groups: Mapping[str, Mapping[str, float]],
    out: Path,
    *,
    title: str,
    ylabel: str,
    ymax: float | None = None,
    errors: Mapping[str, Mapping[str, float]] | None = None,
    note: str = "",
) -> None:
    """Grouped bars: one group per key of ``groups`` (a mode), one bar per series inside it
    (a category), the legend on the right; ``errors`` draws +-whiskers (a spread); ``note``
    is written under the title (the stand-in judge's label)."""
    pg = _pygame()
    left, bottom, legend, top = 70, 70, 260, 70
    w, h = 960, 540
    surf = pg.Surface((w, h))
    surf.fill((255, 255, 255))
    font = pg.font.Font(None, 22)
    surf.blit(pg.font.Font(None, 28).render(title, True, (0, 0, 0)), (left, 12))
    if note:
        surf.blit(font.render(note, True, (170, 0, 0)), (left, 40))
    series: list[str] = []
    for values in groups.values():
        series.extend(k for k in values if k not in series)
    peak = (
        ymax
        if ymax is not None
        else max((v for values in groups.values() for v in values.values()), default=1.0)
    )
    peak = peak or 1.0
    pw, ph = w - left - legend, h - top - bottom
    pg.draw.line(surf, (0, 0, 0), (left, top + ph), (left + pw, top + ph))
    pg.draw.line(surf, (0, 0, 0), (left, top), (left, top + ph))
    surf.blit(font.render(f"{peak:g}", True, (0, 0, 0)), (8, top - 6))
    surf.blit(font.render("0", True, (0, 0, 0)), (left - 18, top + ph - 8))
    surf.blit(font.render(ylabel, True, (0, 0, 0)), (8, h - 24))
    n = max(1, len(groups))
    gw = pw // n
    bw = max(4, (gw - 20) // max(1, len(series)))
    for i, (group, values) in enumerate(groups.items()):
        x0 = left + i * gw + 10
        for j, key in enumerate(series):
            if key not in values:
                continue
            v = float(values[key])
            bh = int(ph * min(v, peak) / peak)
            x = x0 + j * bw
            pg.draw.rect(surf, _colour(j), (x, top + ph - bh, bw - 2, bh))
            err = (errors or {}).get(group, {}).get(key)
            if err:
                cx = x + (bw - 2) // 2
                lo = top + ph - int(ph * max(0.0, min(v - err, peak)) / peak)
                hi = top + ph - int(ph * max(0.0, min(v + err, peak)) / peak)
                pg.draw.line(surf, (0, 0, 0), (cx, lo), (cx, hi), 2)
        surf.blit(font.render(group[:18], True, (0, 0, 0)), (x0, top + ph + 8))
    for j, key in enumerate(series):
        lx, ly = w - legend + 16, top + j * 22
        pg.draw.rect(surf, _colour(j), (lx, ly, 14, 14))
        surf.blit(font.render(key[:30], True, (0, 0, 0)), (lx + 20, ly))
    pg.image.save(surf, str(out))
