"""FrameStats: bounded memory (the newest frames), wall and CPU figures."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from aga_npc.host.stats import FrameStats, GcWatch


def test_the_newest_frames_are_kept_and_summarised() -> None:
    stats = FrameStats(warmup=2, keep=5)
    for i in range(12):
        stats.record(float(i), i / 10, cpu_ms=i / 2)
    assert stats.frames == 12
    assert stats.frame_ms == [7.0, 8.0, 9.0, 10.0, 11.0]  # warmup left out, then the newest
    assert stats.cpu_ms == [3.5, 4.0, 4.5, 5.0, 5.5]
    assert stats.last_frame_ms() == 11.0
    assert stats.recent(3) == pytest.approx((10.0, 1.0))
    summary = stats.summary()
    assert summary["frame_ms"]["max"] == 11.0 and summary["frame_ms"]["mean"] == 9.0
    assert summary["frame_cpu_ms"]["max"] == 5.5
    assert "frame cpu ms" in FrameStats.table(stats.report(npcs=1, gateway={}))


def test_growth_past_the_first_block_keeps_every_value_in_order() -> None:
    stats = FrameStats(keep=5000)
    values = np.random.default_rng(0).random(3000)
    for v in values:
        stats.record(float(v), 0.0)
    assert stats.frame_ms == [float(v) for v in values]
    assert stats.cpu_ms == stats.frame_ms  # no CPU time given: the wall time stands
    assert stats.recent(2000)[0] == pytest.approx(float(values[-2000:].mean()))


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="keep"):
        FrameStats(keep=0)
    with pytest.raises(ValueError, match="warmup"):
        FrameStats(warmup=-1)


def test_gc_watch_times_collections_only_while_active() -> None:
    watch = GcWatch()
    with watch:
        gc.collect()
        gc.collect(0)
    gc.collect()  # after the block: not counted
    report = watch.report()
    assert report["collections"][2] == 1 and report["collections"][0] >= 1
    assert report["max_ms"][2] > 0.0
    assert watch._callback not in gc.callbacks
