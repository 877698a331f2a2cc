"""Cached prompt tokens (read from the server's usage, priced at the cached rate) and the
recording's finer rules: failures and retries replayed, answers in the order asked, misses,
version 1 files, credentials kept out of the meta."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import msgpack
import pytest
from llm_servers import Reply, ScriptedServer, completion_body

from aga_npc.config import Settings
from aga_npc.errors import ConfigError, ReplayMissError, ServerError
from aga_npc.llm import RetryPolicy, TokenLedger, build_stack
from aga_npc.llm.ledger import DEFAULT_PRICES, LedgerEntry, ModelPrice, load_price_table
from aga_npc.llm.recording import Replayer, public_base_url, read_recording
from aga_npc.ports import LLMBackend
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest, LLMResult

FAST = RetryPolicy(max_attempts=3, base=0.0, cap=0.0)


def req(text: str = "hello", module: str = "poignancy") -> LLMRequest:
    return LLMRequest(
        agent="Amara",
        module=module,
        messages=(ChatMessage(role="user", content=text),),
        day=1,
    )


def cached_body(prompt: int, completion: int, cached: int | None) -> dict[str, Any]:
    body = completion_body("Fine, thanks.", usage=(prompt, completion))
    model = {"model": "gpt-4o-mini-2024-07-18"}
    if cached is not None:
        body["usage"]["prompt_tokens_details"] = {"cached_tokens": cached}
    return {**body, **model}


def run(stack: LLMBackend, *requests: LLMRequest) -> list[LLMResult]:
    async def go() -> list[LLMResult]:
        out = [await stack.complete(r) for r in requests]
        await stack.aclose()  # type: ignore[attr-defined]
        return out

    return asyncio.run(go())


def settings_for(server: ScriptedServer) -> Settings:
    return Settings(llm="openai", base_url=server.base_url, api_key="sk-x", model="gpt-4o-mini")


# -- cached prompt tokens -----------------------------------------------------------------


def test_cached_prompt_tokens_are_read_and_priced_at_the_cached_rate(
    scripted: ScriptedServer,
) -> None:
    scripted.push(Reply(body=cached_body(2000, 100, 1536)))
    ledger = TokenLedger()
    [result] = run(build_stack(settings_for(scripted), ledger, retry=FAST), req())
    assert result.usage.cached_tokens == 1536
    [entry] = ledger.entries()
    assert (entry.prompt_tokens, entry.cached_tokens) == (2000, 1536)
    assert ledger.totals()["cached"] == 1536
    mini = DEFAULT_PRICES["gpt-4o-mini"]
    expected = (464 * mini.prompt + 1536 * mini.cached_rate + 100 * mini.completion) / 1e6
    assert ledger.estimate_cost_usd() == pytest.approx(expected)
    full = (2000 * mini.prompt + 100 * mini.completion) / 1e6
    assert ledger.estimate_cost_usd() < full  # the cache made it cheaper


def test_usage_without_details_or_with_nonsense_counts_nothing_cached(
    scripted: ScriptedServer,
) -> None:
    scripted.push(
        Reply(body=cached_body(100, 5, None)),
        Reply(body=cached_body(100, 5, 5000)),  # more than the prompt: clamped to it
        Reply(body=cached_body(100, 5, -3)),
    )
    ledger = TokenLedger()
    results = run(
        build_stack(settings_for(scripted), ledger, retry=FAST), req("a"), req("b"), req("c")
    )
    assert [r.usage.cached_tokens for r in results] == [0, 100, 0]


def test_price_table_cached_rate_and_its_errors() -> None:
    table = load_price_table(
        {
            "m": {"prompt": 1.0, "completion": 2.0, "cached_prompt": 0.25},
            "n": {"prompt": 1.0, "completion": 2.0},
        }
    )
    assert table["m"].cost(prompt=1_000_000, completion=0, cached=400_000) == pytest.approx(0.7)
    assert table["n"].cost(prompt=1_000_000, completion=0, cached=400_000) == pytest.approx(1.0)
    with pytest.raises(ConfigError, match="'m'"):
        load_price_table({"m": {"prompt": 1.0, "completion": 2.0, "cached_prompt": -1}})
    with pytest.raises(ConfigError, match="'m'"):
        load_price_table({"m": "cheap"})
    with pytest.raises(ValueError):
        LedgerEntry(agent="a", module="m", cached_tokens=-1)
    assert ModelPrice(prompt=2.0, completion=1.0).cached_rate == 2.0


def test_ledger_sums_of_an_older_save_without_cached_tokens_still_load() -> None:
    ledger = TokenLedger([LedgerEntry(agent="a", module="m", prompt_tokens=10, cached_tokens=4)])
    data = ledger.to_dict()
    data["sums"] = [row[:-1] for row in data["sums"]]  # rows as saved before this column
    for e in data["entries"]:
        e.pop("cached_tokens")
    old = TokenLedger.from_dict(data)
    assert old.totals()["prompt"] == 10 and old.totals()["cached"] == 0
    assert TokenLedger.from_dict(ledger.to_dict()).totals()["cached"] == 4
    data["sums"] = [[*row, 1, 2] for row in data["sums"]]
    with pytest.raises(ValueError, match="bad ledger sums row"):
        TokenLedger.from_dict(data)


# -- recording --------------------------------------------------------------------------


def run_each(stack: LLMBackend, *requests: LLMRequest) -> list[LLMResult | Exception]:
    async def go() -> list[LLMResult | Exception]:
        out: list[LLMResult | Exception] = []
        for r in requests:
            try:
                out.append(await stack.complete(r))
            except ServerError as exc:
                out.append(exc)
        await stack.aclose()  # type: ignore[attr-defined]
        return out

    return asyncio.run(go())


def test_a_failure_after_retries_is_replayed_with_its_attempts(tmp_path: Path) -> None:
    path = tmp_path / "run.rec"
    flaky = FakeLLM(
        failures=[
            ServerError("boom 1"),
            ServerError("boom 2"),
            ServerError("boom 3"),
            ServerError("b4"),
        ]
    )
    live = TokenLedger()
    stack = build_stack(
        Settings(), live, backend=flaky, retry=FAST, rng=random.Random(0), record_path=path
    )
    first, second = run_each(stack, req("one"), req("two"))
    assert isinstance(first, ServerError) and isinstance(second, LLMResult)
    replay = TokenLedger()
    again = run_each(build_stack(Settings(), replay, replay_path=path), req("one"), req("two"))
    assert isinstance(again[0], ServerError) and str(again[0]) == "boom 3"
    assert isinstance(again[1], LLMResult) and again[1].text == second.text
    assert again[1].attempts == 2  # the recorded run's two calls
    live_rows = [(e.outcome, e.attempt_kind, e.error_kind) for e in live.entries()]
    replay_rows = [(e.outcome, e.attempt_kind, e.error_kind) for e in replay.entries()]
    assert live_rows == [
        ("retried", "first", "server_error"),
        ("retried", "retry", "server_error"),
        ("failed", "retry", "server_error"),
        ("retried", "first", "server_error"),
        ("ok", "retry", ""),
    ]
    assert replay_rows == [*live_rows[:-1], ("replayed", "retry", "")]
    assert replay.totals()["calls"] == live.totals()["calls"] == 5


def test_the_same_request_gets_its_answers_in_the_order_asked(tmp_path: Path) -> None:
    path = tmp_path / "run.rec"
    fake = FakeLLM({"poignancy": ["first answer", "second answer"]})
    run(
        build_stack(Settings(), TokenLedger(), backend=fake, record_path=path, record_append=False),
        req(),
        req(),
    )
    assert [a["text"] for a in read_recording(path).entries[req().content_hash()]] == [
        "first answer",
        "second answer",
    ]
    texts = [
        r.text for r in run(build_stack(Settings(), TokenLedger(), replay_path=path), req(), req())
    ]
    assert texts == ["first answer", "second answer"]
    replayer = Replayer(path)
    stack = build_stack(Settings(), TokenLedger(), replay_path=replayer)
    with pytest.raises(ReplayMissError, match="asked 3 times but recorded 2"):
        run(stack, req(), req(), req())
    assert replayer.first_miss is not None and replayer.misses == 1
    with pytest.raises(ReplayMissError):
        replayer.check()


def test_a_version_1_file_still_replays(tmp_path: Path) -> None:
    path = tmp_path / "old.rec"
    entry = {
        "text": "an old answer",
        "prompt_tokens": 7,
        "completion_tokens": 3,
        "model": "gpt-4o-mini",
        "backend": "openai",
        "module": "poignancy",
    }
    path.write_bytes(
        msgpack.packb(
            {
                "format": "aga_npc.llm.recording",
                "version": 1,
                "entries": {req().content_hash(): entry},
            },
            use_bin_type=True,
        )
    )
    ledger = TokenLedger()
    [result] = run(build_stack(Settings(), ledger, replay_path=path), req())
    assert (result.text, result.usage.prompt_tokens) == ("an old answer", 7)
    assert ledger.totals()["by_outcome"]["replayed"] == 1
    with pytest.raises(ReplayMissError, match="the file says nothing about it"):
        run(build_stack(Settings(), TokenLedger(), replay_path=path), req("another"))


def test_credentials_never_reach_the_meta(tmp_path: Path) -> None:
    assert public_base_url("https://bob:sk-secret@llm.example:8443/v1?api-key=sk-q#x") == (
        "https://llm.example:8443/v1"
    )
    assert public_base_url("http://[::1]:8080/v1") == "http://[::1]:8080/v1"
    path = tmp_path / "run.rec"
    settings = Settings(
        llm="openai", base_url="https://bob:sk-secret@llm.example/v1?key=sk-q", api_key="sk-key"
    )
    fake = FakeLLM(model="gpt-4o-mini")
    fake.name = "openai"  # as the openai backend names itself: its endpoint is recorded
    run(
        build_stack(settings, TokenLedger(), backend=fake, record_path=path, record_run={"seed": 4})
    )
    blob = path.read_bytes()
    assert b"sk-" not in blob and b"bob" not in blob
    meta = read_recording(path).meta
    assert (meta["seed"], meta["backend"], meta["model"]) == (4, "openai", "gpt-4o-mini")
    assert meta["base_url"] == "https://llm.example/v1"
