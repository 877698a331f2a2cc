"""Token budget windows, and record/replay through real msgpack files."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import msgpack
import pytest

from aga_npc.config import Settings
from aga_npc.errors import (
    ConfigError,
    CorruptFileError,
    ReplayMissError,
    SchemaVersionError,
    StoreError,
)
from aga_npc.llm import Replayer, TokenBudget, TokenLedger, build_stack
from aga_npc.llm.recording import load_recording, save_recording
from aga_npc.ports import LLMBackend
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest, LLMResult


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_real_minute_window_slides() -> None:
    real = Clock()
    budget = TokenBudget(per_real_minute=100, clock=real)
    budget.charge(60)
    real.t = 30.0
    budget.charge(40)
    assert budget.over() is not None and "real minute" in budget.over()  # type: ignore[operator]
    real.t = 60.5  # the first charge left the window
    assert budget.over() is None
    assert budget.spent()["real_minute"] == 40


def test_game_hour_window_uses_the_game_clock() -> None:
    game, real = Clock(), Clock()
    budget = TokenBudget(per_game_hour=50, game_clock=game, clock=real)
    budget.charge(50)
    real.t = 3600.0  # real time does not matter for the game-hour limit
    assert budget.over() is not None
    game.t = 59.0
    assert budget.over() is not None
    game.t = 60.0
    assert budget.over() is None


def test_budget_state_round_trips() -> None:
    game, real = Clock(), Clock()
    budget = TokenBudget(per_game_hour=10, game_clock=game, clock=real)
    budget.charge(7)
    game.t = 5.0
    budget.charge(5)
    again = TokenBudget(per_game_hour=10, game_clock=game, clock=real)
    again.set_state(budget.get_state())
    assert again.get_state() == budget.get_state()
    assert again.spent() == budget.spent() == {"game_hour": 12, "real_minute": 12}


def test_budget_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="game_clock"):
        TokenBudget(per_game_hour=10)
    with pytest.raises(ConfigError, match="per_real_minute"):
        TokenBudget(per_real_minute=-1)


# -- record / replay -----------------------------------------------------------------------


def requests() -> list[LLMRequest]:
    def validator(value: Any) -> Any:
        if "steps" not in value:
            raise ValueError("needs steps")
        return value

    return [
        LLMRequest(
            agent="Isabella",
            module="plan_day",
            messages=(ChatMessage(role="user", content="Plan Isabella's day"),),
        ),
        LLMRequest(
            agent="Klaus",
            module="decompose",
            messages=(ChatMessage(role="user", content="Decompose: read a paper"),),
            json=True,
            validator=validator,
        ),
        LLMRequest(
            agent="Maria",
            module="dialogue",
            messages=(ChatMessage(role="user", content="Say hi to Klaus"),),
            stream=True,
        ),
    ]


def scripted_fake() -> FakeLLM:
    return FakeLLM(
        {
            "plan_day": "Wake at 6, open the cafe at 8.",
            "decompose": ["oops, prose", '{"steps": ["find paper", "read"]}'],
            "dialogue": "Hi Klaus, how is the paper going?",
        },
        model="gpt-4o-mini",
    )


def run_all(stack: LLMBackend) -> list[LLMResult]:
    async def go() -> list[LLMResult]:
        out = [await stack.complete(r) for r in requests()]
        await stack.aclose()  # type: ignore[attr-defined]
        return out

    return asyncio.run(go())


def test_record_then_replay_gives_identical_results_without_backend(tmp_path: Path) -> None:
    path = tmp_path / "run.msgpack"
    live_ledger = TokenLedger()
    live = run_all(build_stack(Settings(), live_ledger, backend=scripted_fake(), record_path=path))
    assert path.exists()
    assert not list(tmp_path.glob("*.tmp"))  # the atomic write left no temp file

    replay_ledger = TokenLedger()
    # No backend at all: offline settings, and a replay path.
    replayed = run_all(build_stack(Settings(), replay_ledger, replay_path=path))
    for a, b in zip(live, replayed, strict=True):
        assert (a.text, a.parsed, a.usage, a.model) == (b.text, b.parsed, b.usage, b.model)
        assert a.ok and b.ok
    assert replayed[1].parsed == {"steps": ["find paper", "read"]}
    # The replay serves the re-ask too, and reports the recorded run's tokens.
    assert {e.outcome for e in replay_ledger.entries()} <= {"replayed", "retried"}
    assert replay_ledger.totals()["total"] == live_ledger.totals()["total"]
    assert replay_ledger.totals()["by_outcome"]["replayed"] == 3


def test_replay_miss_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "run.msgpack"
    save_recording(path, {})
    other = LLMRequest(
        agent="Tom", module="reflect", messages=(ChatMessage(role="user", content="never seen"),)
    )
    with pytest.raises(ReplayMissError, match="reflect for Tom"):
        asyncio.run(Replayer(path).complete(other))


def test_recording_accumulates_across_runs(tmp_path: Path) -> None:
    path = tmp_path / "run.msgpack"
    fake = FakeLLM(default="one")
    r1, r2 = requests()[0], requests()[2]
    asyncio.run(_record(fake, path, r1))
    asyncio.run(_record(fake, path, r2))
    entries = load_recording(path)
    assert set(entries) == {r1.content_hash(), r2.content_hash()}


async def _record(fake: FakeLLM, path: Path, request: LLMRequest) -> None:
    stack = build_stack(Settings(), TokenLedger(), backend=fake, record_path=path)
    await stack.complete(request)
    await stack.aclose()  # type: ignore[attr-defined]


def test_corrupt_and_foreign_files_are_typed_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.msgpack"
    save_recording(
        good,
        {
            "k": {
                "text": "t",
                "prompt_tokens": 1,
                "completion_tokens": 2,
                "model": "m",
                "backend": "b",
                "module": "x",
            }
        },
    )
    blob = good.read_bytes()

    truncated = tmp_path / "truncated.msgpack"
    truncated.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(CorruptFileError) as info:
        load_recording(truncated)
    assert str(truncated) in str(info.value)
    assert info.value.offset is not None

    foreign = tmp_path / "foreign.msgpack"
    foreign.write_bytes(msgpack.packb({"hello": "world"}))
    with pytest.raises(CorruptFileError, match="not an"):
        load_recording(foreign)

    newer = tmp_path / "newer.msgpack"
    newer.write_bytes(
        msgpack.packb({"format": "aga_npc.llm.recording", "version": 99, "entries": {}})
    )
    with pytest.raises(SchemaVersionError, match="99"):
        load_recording(newer)

    missing_field = tmp_path / "missing.msgpack"
    missing_field.write_bytes(
        msgpack.packb(
            {"format": "aga_npc.llm.recording", "version": 1, "entries": {"k": {"text": "t"}}}
        )
    )
    with pytest.raises(CorruptFileError, match="lacks"):
        load_recording(missing_field)

    with pytest.raises(StoreError, match="no such recording"):
        load_recording(tmp_path / "absent.msgpack")


def test_record_and_replay_together_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        build_stack(
            Settings(),
            TokenLedger(),
            backend=FakeLLM(),
            record_path=tmp_path / "a",
            replay_path=tmp_path / "b",
            rng=random.Random(0),
        )
