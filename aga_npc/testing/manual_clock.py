"""ManualClock: a monotonic clock for tests that moves only when told to."""

from __future__ import annotations

__all__ = ["ManualClock"]


class ManualClock:
    """A callable clock (``clock() -> seconds``) that moves only on ``advance``.

    Pass it wherever a part takes ``clock=`` (the frame gate, the paced embedder, the
    gateway's scheduler) to make timing decisions exact in tests.

    Args:
        start: the first reading, in seconds.
    """

    def __init__(self, start: float = 0.0) -> None:
        self.t = float(start)

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (>= 0)."""
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        self.t += seconds
