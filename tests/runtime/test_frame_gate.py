"""FrameGate: the gateway's own work waits for the game's frame to end, never the reverse."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from aga_npc.runtime import Gateway
from aga_npc.runtime.framegate import FrameGate
from aga_npc.testing import FakeLLM, ManualClock
from aga_npc.types import ChatMessage, LLMRequest


def test_open_gate_never_holds() -> None:
    gate = FrameGate(max_hold=10.0)
    assert gate.wait_idle() is True
    assert gate.wait_idle(need=0.005) is True
    assert gate.held == 0
    assert not gate.in_frame


def test_worker_waits_for_the_frame_to_end() -> None:
    gate = FrameGate(max_hold=10.0)
    gate.begin_frame()
    assert gate.in_frame
    passed = threading.Event()
    worker = threading.Thread(target=lambda: gate.wait_idle() and passed.set())
    worker.start()
    assert not passed.wait(0.1)  # still in the frame
    gate.end_frame()
    assert passed.wait(5.0)
    worker.join(5.0)
    assert gate.held == 1


def test_a_frame_that_never_ends_only_delays_the_worker() -> None:
    gate = FrameGate(max_hold=0.02)
    gate.begin_frame()
    assert gate.wait_idle() is False  # gave up after max_hold instead of hanging


def test_invalid_hold_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_hold"):
        FrameGate(max_hold=0)


class Frames:
    """A game loop on a manual clock: frames every ``period`` seconds, ``length`` long."""

    def __init__(self, gate: FrameGate, clock: ManualClock, period: float, length: float):
        self.gate, self.clock, self.period, self.length = gate, clock, period, length

    def run(self, n: int) -> None:
        """Run ``n`` frames; the clock stops at the end of the last one."""
        for i in range(n):
            if i:
                self.clock.advance(self.period - self.length)
            self.gate.begin_frame()
            self.clock.advance(self.length)
            self.gate.end_frame()


def test_period_is_learnt_from_frame_starts() -> None:
    clock = ManualClock(10.0)
    gate = FrameGate(clock=clock)
    Frames(gate, clock, period=1 / 60, length=0.002).run(30)
    assert gate.period == pytest.approx(1 / 60, rel=1e-6)
    assert not gate.in_frame
    clock.advance(5.0)  # a pause: not a frame period
    gate.begin_frame()
    assert gate.period == pytest.approx(1 / 60, rel=1e-6)


def test_work_that_would_overlap_the_next_frame_waits_for_it() -> None:
    clock = ManualClock(10.0)
    slept: list[float] = []
    gate = FrameGate(clock=clock, sleep=lambda s: slept.append(s))
    frames = Frames(gate, clock, period=0.016, length=0.002)
    frames.run(10)
    # 2 ms after the frame ended: 12 ms are left before the next one.
    clock.advance(0.002)
    assert gate.wait_idle(need=0.010) is True and slept == []

    def sleep(seconds: float) -> None:  # the worker sleeps; the next frame runs meanwhile
        slept.append(seconds)
        clock.advance(seconds)
        gate.begin_frame()
        clock.advance(0.002)
        gate.end_frame()
        clock.advance(0.001)

    gate._sleep = sleep
    clock.advance(0.007)  # now 5 ms are left: 10 ms of work would overlap the next frame
    assert gate.wait_idle(need=0.010) is True
    assert len(slept) == 1 and slept[0] == pytest.approx(0.005 + 0.0005)
    assert gate.held == 1


def test_work_longer_than_a_period_only_waits_for_the_frame() -> None:
    clock = ManualClock(10.0)
    gate = FrameGate(clock=clock, sleep=lambda s: pytest.fail("must not sleep"))
    Frames(gate, clock, period=0.016, length=0.002).run(10)
    clock.advance(0.001)
    assert gate.wait_idle(need=0.050) is True


def req(text: str) -> LLMRequest:
    return LLMRequest(
        agent="Klaus", module="dialogue", messages=(ChatMessage(role="user", content=text),)
    )


@pytest.fixture
def gw() -> Iterator[Gateway]:
    g = Gateway(FakeLLM(lambda r: "ok"), frame_gate=FrameGate(max_hold=30.0))
    yield g
    g.end_frame()
    g.close(timeout=2.0)


def test_gateway_calls_start_only_between_frames(gw: Gateway) -> None:
    ran = threading.Event()
    gw.begin_frame()
    ticket = gw.submit_call(ran.set)
    assert not ran.wait(0.2)  # the frame is still running: the call has not started
    gw.end_frame()
    assert ticket.wait(5.0) and ran.is_set()
    assert gw.stats()["held_for_frames"] >= 1


def test_gateway_loop_serves_llm_requests_only_between_frames(gw: Gateway) -> None:
    assert gw.submit(req("warm")).wait(5.0)  # the loop is running
    gw.begin_frame()
    ticket = gw.submit(req("hello"))
    assert not ticket.wait(0.2)
    gw.end_frame()
    assert ticket.wait(5.0)
    result = ticket.result()
    assert result is not None and result.text == "ok"
