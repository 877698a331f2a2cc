"""Conversation pacing (``LoopSettings.line_minutes``): with a pace, every dialogue style
takes the same game minutes for the same lines, so a comparison's modes talk alike."""

from __future__ import annotations

import pytest
from convo_kit import ADA, BEN, Built, TownMaker
from test_convo_scheduler import CHATTY

from aga_npc.brain.modes import Mode
from aga_npc.sim.runner import GENERATIVE_LINE_PUMPS, RunConfig, _loop, paired_line_minutes

LINES = 4


def minutes_talked(built: Built) -> int:
    [convo] = built.convos.finished
    assert len(convo["lines"]) == LINES
    return int(convo["end"]) - int(convo["start"])


def talk(make: TownMaker, mode: Mode, pace: int, lod: str = "turns") -> int:
    built = make(CHATTY, mode=mode, max_lines=LINES, line_minutes=pace, lod=lod)
    built.decide(ADA, BEN)
    built.talk(80)
    assert not built.convos.active
    return minutes_talked(built)


def test_unpaced_the_baseline_line_takes_longer_than_a_social_memory_line(
    make: TownMaker,
) -> None:
    # the difference pacing removes: Generative Agents' line is three requests in a row
    baseline = talk(make, Mode.BASELINE, 0)
    social = talk(make, Mode.AGA_PAPER, 0)
    assert social < baseline
    assert baseline >= 3 * LINES


@pytest.mark.parametrize("mode", [Mode.BASELINE, Mode.AGA_PAPER, Mode.AGA])
def test_paced_every_style_talks_for_the_same_game_minutes(make: TownMaker, mode: Mode) -> None:
    pace = GENERATIVE_LINE_PUMPS
    # line k is asked at start + 1 + k * pace; the end comes a pace after the last line
    assert talk(make, mode, pace) == 1 + LINES * pace


def test_a_paced_whole_exchange_lasts_as_long_as_its_lines(make: TownMaker) -> None:
    assert talk(make, Mode.AGA, 5, lod="whole") == 1 + LINES * 5


def test_a_pace_below_the_styles_own_time_adds_no_waiting(make: TownMaker) -> None:
    # a late line is used when it comes, not held back to a later slot
    assert talk(make, Mode.BASELINE, 1) == talk(make, Mode.BASELINE, 0)


def test_a_run_is_paced_for_the_baseline_unless_told_otherwise() -> None:
    config = RunConfig(personas=(), mode=Mode.AGA, days=1, seed=0)
    assert _loop(config).line_minutes == paired_line_minutes(0) == GENERATIVE_LINE_PUMPS
    slow = RunConfig(personas=(), mode=Mode.AGA, days=1, seed=0, answer_delay=2)
    assert _loop(slow).line_minutes == 3 * GENERATIVE_LINE_PUMPS
    unpaced = RunConfig(personas=(), mode=Mode.AGA, days=1, seed=0, line_minutes=0)
    assert _loop(unpaced).line_minutes == 0


def test_the_pace_cannot_be_negative() -> None:
    from aga_npc.brain.settings import LoopSettings

    with pytest.raises(ValueError, match="line_minutes"):
        LoopSettings(line_minutes=-1)
