"""FrameStats: per-frame timings of the game loop and the headless frame report."""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FrameStats", "GcWatch"]

DEFAULT_KEEP = 1 << 20  # frames kept: about 4.9 hours at 60 FPS, 24 MB for the three series


class _Ring:
    """The last ``keep`` floats, in a preallocated array (O(1) append, bounded memory)."""

    def __init__(self, keep: int) -> None:
        self._data = np.zeros(min(keep, 1024), dtype=np.float64)
        self._keep = keep
        self._count = 0

    def append(self, value: float) -> None:
        n = self._count
        if n < self._keep and n == len(self._data):  # grow by doubling up to ``keep``
            grown = np.zeros(min(self._keep, 2 * n), dtype=np.float64)
            grown[:n] = self._data
            self._data = grown
        self._data[n % self._keep] = value
        self._count = n + 1

    def __len__(self) -> int:
        return min(self._count, self._keep)

    def values(self) -> npt.NDArray[np.float64]:
        """The kept values, oldest first (a copy)."""
        n = len(self)
        if self._count <= self._keep:
            return self._data[:n].copy()
        start = self._count % self._keep
        return np.concatenate((self._data[start:], self._data[:start]))

    def last(self, n: int) -> npt.NDArray[np.float64]:
        """The newest ``n`` values (fewer when fewer were kept)."""
        n = min(n, len(self))
        end = self._count % self._keep if self._count > self._keep else self._count
        if n <= end:
            return self._data[end - n : end]
        return np.concatenate((self._data[len(self._data) - (n - end) :], self._data[:end]))


class FrameStats:
    """Collects frame time (update + draw, without the frame-cap sleep), the main thread's
    CPU time in the frame, and brain time.

    Wall time is what the player sees; CPU time is the frame's own work (on a busy machine
    wall time also holds the waits for a core, CPU time does not). The figures cover the
    last ``keep`` frames (memory stays bounded in a long game).

    Args:
        warmup: frames left out of the figures (the first frames load fonts and caches).
        keep: frames kept for the figures (the newest).
    """

    def __init__(self, *, warmup: int = 0, keep: int = DEFAULT_KEEP) -> None:
        if warmup < 0:
            raise ValueError(f"warmup must be >= 0, got {warmup}")
        if keep < 1:
            raise ValueError(f"keep must be >= 1, got {keep}")
        self.warmup = warmup
        self.keep = keep
        self._frame = _Ring(keep)
        self._brain = _Ring(keep)
        self._cpu = _Ring(keep)
        self.frames = 0

    @property
    def frame_ms(self) -> list[float]:
        """The kept frame times (ms), oldest first."""
        return [float(v) for v in self._frame.values()]

    @property
    def brain_ms(self) -> list[float]:
        """The kept brain times per frame (ms), oldest first."""
        return [float(v) for v in self._brain.values()]

    @property
    def cpu_ms(self) -> list[float]:
        """The kept main-thread CPU times per frame (ms), oldest first."""
        return [float(v) for v in self._cpu.values()]

    def record(self, frame_ms: float, brain_ms: float, cpu_ms: float | None = None) -> None:
        """Add one frame's figures (milliseconds; ``cpu_ms`` None: same as ``frame_ms``)."""
        self.frames += 1
        if self.frames <= self.warmup:
            return
        self._frame.append(float(frame_ms))
        self._brain.append(float(brain_ms))
        self._cpu.append(float(frame_ms if cpu_ms is None else cpu_ms))

    def last_frame_ms(self) -> float:
        last = self._frame.last(1)
        return float(last[0]) if len(last) else 0.0

    def recent(self, n: int = 60) -> tuple[float, float]:
        """Mean frame and brain milliseconds over the last ``n`` frames (for the panel)."""
        if not len(self._frame):
            return (0.0, 0.0)
        return (float(self._frame.last(n).mean()), float(self._brain.last(n).mean()))

    def summary(self) -> dict[str, Any]:
        """``{"frame_ms": {"mean","p50","p99","max"}, "frame_cpu_ms": {...the same},
        "brain_ms_per_frame": {"mean","p99"}}``."""
        empty = np.zeros(1, dtype=np.float64)
        frame = self._frame.values() if len(self._frame) else empty
        cpu = self._cpu.values() if len(self._cpu) else empty
        brain = self._brain.values() if len(self._brain) else empty
        return {
            "frame_ms": _spread(frame),
            "frame_cpu_ms": _spread(cpu),
            "brain_ms_per_frame": {
                "mean": round(float(brain.mean()), 3),
                "p99": round(float(np.percentile(brain, 99)), 3),
            },
        }

    def report(
        self, *, npcs: int, gateway: Mapping[str, int], extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The headless frame report (docs/DESIGN.md section 5) plus ``extra`` keys.

        Keys: ``frames``, ``npcs``, ``frame_ms``, ``frame_cpu_ms``, ``brain_ms_per_frame``,
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
        ]
        c = report.get("frame_cpu_ms")
        if c is not None:
            rows.append(
                f"{'frame cpu ms':18}{c['mean']:>8.2f}{c['p50']:>8.2f}{c['p99']:>8.2f}"
                f"{c['max']:>8.2f}"
            )
        rows += [
            f"{'brain ms/frame':18}{b['mean']:>8.3f}{'':>8}{b['p99']:>8.3f}{'':>8}",
            f"llm submitted {llm['submitted']}  completed {llm['completed']}  "
            f"max queue {llm['max_queue']}",
        ]
        return "\n".join(rows)


class GcWatch:
    """Times the cyclic collector's runs per generation (``gc.callbacks``) while active.

    Use as a context manager around the game loop; ``report()`` gives the count, total and
    longest run of each generation in CPU milliseconds of the thread that collected (it
    holds the GIL meanwhile, so the frame waits as long; CPU time, so that a busy machine
    does not inflate the figures).
    """

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.total_ms = [0.0, 0.0, 0.0]
        self.max_ms = [0.0, 0.0, 0.0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.thread_time()
            return
        gen = int(info.get("generation", 2))
        ms = (time.thread_time() - self._started) * 1000.0
        self.count[gen] += 1
        self.total_ms[gen] += ms
        self.max_ms[gen] = max(self.max_ms[gen], ms)

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def report(self) -> dict[str, list[float] | list[int]]:
        """``{"collections": [gen0, gen1, gen2], "total_ms": [...], "max_ms": [...]}``."""
        return {
            "collections": list(self.count),
            "total_ms": [round(v, 3) for v in self.total_ms],
            "max_ms": [round(v, 3) for v in self.max_ms],
        }


def _spread(values: npt.NDArray[np.float64]) -> dict[str, float]:
    return {
        "mean": round(float(values.mean()), 3),
        "p50": round(float(np.percentile(values, 50)), 3),
        "p99": round(float(np.percentile(values, 99)), 3),
        "max": round(float(values.max()), 3),
    }
