"""FrameStats: per-frame timings of the game loop and the headless frame report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["FrameStats"]


class FrameStats:
    """Collects frame time (update + draw, without the frame-cap sleep) and brain time.

    Args:
        warmup: frames left out of the figures (the first frames load fonts and caches).
    """

    def __init__(self, *, warmup: int = 0) -> None:
        if warmup < 0:
            raise ValueError(f"warmup must be >= 0, got {warmup}")
        self.warmup = warmup
        self.frame_ms: list[float] = []
        self.brain_ms: list[float] = []
        self.frames = 0

    def record(self, frame_ms: float, brain_ms: float) -> None:
        """Add one frame's figures (milliseconds)."""
        self.frames += 1
        if self.frames <= self.warmup:
            return
        self.frame_ms.append(float(frame_ms))
        self.brain_ms.append(float(brain_ms))

    def last_frame_ms(self) -> float:
        return self.frame_ms[-1] if self.frame_ms else 0.0

    def recent(self, n: int = 60) -> tuple[float, float]:
        """Mean frame and brain milliseconds over the last ``n`` frames (for the panel)."""
        if not self.frame_ms:
            return (0.0, 0.0)
        return (
            float(np.mean(self.frame_ms[-n:])),
            float(np.mean(self.brain_ms[-n:])),
        )

    def summary(self) -> dict[str, Any]:
        """``{"frame_ms": {"mean","p50","p99","max"}, "brain_ms_per_frame": {"mean","p99"}}``."""
        frame = np.asarray(self.frame_ms or [0.0], dtype=np.float64)
        brain = np.asarray(self.brain_ms or [0.0], dtype=np.float64)
        return {
            "frame_ms": {
                "mean": round(float(frame.mean()), 3),
                "p50": round(float(np.percentile(frame, 50)), 3),
                "p99": round(float(np.percentile(frame, 99)), 3),
                "max": round(float(frame.max()), 3),
            },
            "brain_ms_per_frame": {
                "mean": round(float(brain.mean()), 3),
                "p99": round(float(np.percentile(brain, 99)), 3),
            },
        }

    def report(
        self, *, npcs: int, gateway: Mapping[str, int], extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The headless frame report (docs/DESIGN.md section 5) plus ``extra`` keys.

        Keys: ``frames``, ``npcs``, ``frame_ms``, ``brain_ms_per_frame``,
        ``llm: {"submitted", "completed", "max_queue"}``.
        """
        out: dict[str, Any] = {"frames": self.frames, "npcs": npcs, **self.summary()}
        out["llm"] = {
            "submitted": int(gateway.get("submitted", 0)),
            "completed": int(gateway.get("completed", 0)),
            "max_queue": int(gateway.get("max_queue", 0)),
        }
        if extra:
            out.update(extra)
        return out

    @staticmethod
    def table(report: Mapping[str, Any]) -> str:
        """A short plain-text table of a report, for stdout."""
        f, b, llm = report["frame_ms"], report["brain_ms_per_frame"], report["llm"]
        rows = [
            f"frames {report['frames']}  npcs {report['npcs']}",
            f"{'':18}{'mean':>8}{'p50':>8}{'p99':>8}{'max':>8}",
            f"{'frame ms':18}{f['mean']:>8.2f}{f['p50']:>8.2f}{f['p99']:>8.2f}{f['max']:>8.2f}",
            f"{'brain ms/frame':18}{b['mean']:>8.3f}{'':>8}{b['p99']:>8.3f}{'':>8}",
            f"llm submitted {llm['submitted']}  completed {llm['completed']}  "
            f"max queue {llm['max_queue']}",
        ]
        return "\n".join(rows)
