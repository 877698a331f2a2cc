"""``sim compare`` options: seeds, workers, Ray, modes; bad values fail without a traceback."""

from __future__ import annotations

import argparse
import os

import pytest

from aga_npc.sim.cli import DEFAULT_SEEDS, build_parser, main, parse_seeds


@pytest.mark.parametrize(
    ("text", "seeds"),
    [
        ("0-4", (0, 1, 2, 3, 4)),
        ("0,2,7", (0, 2, 7)),
        ("0-2,7", (0, 1, 2, 7)),
        ("7, 0,7", (0, 7)),
        ("3", (3,)),
    ],
)
def test_seed_lists_and_ranges(text: str, seeds: tuple[int, ...]) -> None:
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["4-0", "x", "1-", "-3", "", "0,,2", "0-100000", "1.5"])
def test_bad_seed_lists_are_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="--seeds"):
        parse_seeds(text)


def test_defaults_five_seeds_one_worker_per_core_every_mode() -> None:
    args = build_parser().parse_args(["compare"])
    assert args.seeds == DEFAULT_SEEDS == (0, 1, 2, 3, 4)
    assert args.workers == (os.cpu_count() or 1)
    assert args.ray is None and args.warm_runs == 2
    assert args.modes == ["aga", "aga-paper", "baseline", "lifestyle-only", "social-only"]


def test_seed_is_a_synonym_for_one_seed() -> None:
    parser = build_parser()
    assert parser.parse_args(["compare", "--seed", "3"]).seeds == (3,)
    assert parser.parse_args(["compare", "--seeds", "0,2,7"]).seeds == (0, 2, 7)
    assert parser.parse_args(["run", "--seed", "3"]).seed == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "--seeds", "4-0"], "runs backwards"),
        (["compare", "--seed", "1", "--seeds", "2"], "not allowed with"),
        (["compare", "--workers", "0"], "--workers must be between"),
        (["compare", "--warm-runs", "21"], "--warm-runs must be between"),
        (["compare", "--modes", "aga,fast"], "unknown mode 'fast'"),
    ],
)
def test_bad_compare_options_fail_without_a_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and message in err
