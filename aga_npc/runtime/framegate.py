"""FrameGate: the gateway's background work runs between frames, not during them.

A game frame takes a millisecond or two of every 16.7. Work that starts on the gateway's
threads while a frame runs (the event loop's Python, an embedding on the call worker)
takes the GIL, a core or the memory bus from that frame; the same work started right after
the frame ends has the rest of the frame period to itself. The game marks its frames with
``begin_frame()``/``end_frame()`` (two flag flips, a microsecond each; the frame never
waits on the gate). Worker threads call ``wait_idle()`` before each unit of work: it returns
at once between frames, and otherwise when the frame ends, or after ``max_hold`` seconds
at the latest, so a game that never ends its frame only slows the gateway, never stalls it.
A unit that says how long it takes (``wait_idle(need)``) also waits when the next frame,
predicted from the frame period, would start before it is done. A gate that is never used
is always open.
"""

from __future__ import annotations

import selectors
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["FrameGate", "GatedSelector"]

MAX_HOLD = 0.05  # seconds: three frames at 60 FPS
PERIOD_SMOOTHING = 0.1  # weight of the newest frame interval in the period estimate
MAX_PERIOD = 0.25  # longer gaps between frames (a pause, a load) are not a frame period
SETTLE = 0.0005  # seconds slept past a predicted frame start before looking again


class FrameGate:
    """Open between frames, closed while the game thread runs one.

    Args:
        max_hold: the longest a worker waits for a frame to end (seconds).
        clock: monotonic seconds (injectable for tests).
        sleep: sleeps the worker thread (injectable for tests).
    """

    def __init__(
        self,
        *,
        max_hold: float = MAX_HOLD,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if not max_hold > 0:
            raise ValueError(f"max_hold must be positive seconds, got {max_hold}")
        self.max_hold = float(max_hold)
        self._clock = clock
        self._sleep = sleep
        self._idle = threading.Event()
        self._idle.set()
        self._began = 0.0  # when the last frame began (game thread writes, workers read)
        self.period = 0.0  # smoothed seconds between frame starts (0: not known yet)
        self.held = 0  # waits that found a frame running or about to (approximate)

    def begin_frame(self) -> None:
        """The game thread starts a frame. Time budget: about 1 us."""
        now = self._clock()
        if self._began:
            gap = now - self._began
            if 0 < gap <= MAX_PERIOD:
                p = self.period
                self.period = gap if not p else p + PERIOD_SMOOTHING * (gap - p)
        self._began = now
        self._idle.clear()

    def end_frame(self) -> None:
        """The game thread finished its frame (after drawing). Time budget: a few us."""
        self._idle.set()

    @property
    def in_frame(self) -> bool:
        return not self._idle.is_set()

    def wait_idle(self, need: float = 0.0) -> bool:
        """Worker threads: wait until no frame runs and, if ``need`` seconds of work are
        announced, until that work would end before the next frame is due (at most
        ``max_hold`` in all). Returns whether the gate is open now (False: held for
        ``max_hold``; the caller goes on anyway).

        Work longer than most of a frame period never fits: it only waits for the frame.
        """
        clock = self._clock
        deadline = clock() + self.max_hold
        counted = False
        while True:
            if not self._idle.is_set():
                if not counted:
                    self.held, counted = self.held + 1, True
                if not self._idle.wait(max(0.0, deadline - clock())):
                    return False
            period = self.period
            if need <= 0 or not period or need > 0.9 * period:
                return True
            left = self._began + period - clock()
            if left >= need or left < -period:  # it fits, or frames have stopped coming
                return True
            if not counted:
                self.held, counted = self.held + 1, True
            wait = min(max(left, 0.0) + SETTLE, deadline - clock())
            if wait <= 0:
                return False
            self._sleep(wait)


class GatedSelector(selectors.DefaultSelector):
    """An event loop selector that hands back ready events only between frames.

    ``asyncio.SelectorEventLoop(GatedSelector(gate))`` runs each loop iteration's callbacks
    (dispatching requests, reading responses, finishing tasks) after the frame in progress
    has ended; the wait happens in the loop thread, with the GIL released.
    """

    def __init__(self, gate: FrameGate) -> None:
        super().__init__()
        self.gate = gate

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, Any]]:
        ready = super().select(timeout)
        self.gate.wait_idle()
        return ready
