"""A bounded ledger: raw entries capped, every sum (and a day window) exactly as unbounded."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from aga_npc.llm import LedgerEntry, TokenLedger
from aga_npc.llm.ledger import OUTCOMES


def entries(n: int, seed: int) -> list[LedgerEntry]:
    rng = random.Random(seed)
    return [
        LedgerEntry(
            agent=rng.choice(["Ada", "Bo", "Cy"]),
            module=rng.choice(["plan_day", "decompose", "dialogue", "rate"]),
            prompt_tokens=rng.randint(0, 900),
            completion_tokens=rng.randint(0, 300),
            outcome=rng.choice(OUTCOMES),
            model=rng.choice(["gpt-4o-mini", "gpt-4o", "offline"]),
            day=rng.randint(0, 4),
        )
        for _ in range(n)
    ]


def figures(ledger: TokenLedger) -> tuple[object, ...]:
    return (
        ledger.totals(),
        ledger.by_module(),
        ledger.by_agent(),
        round(ledger.estimate_cost_usd(), 9),
    )


def test_a_capped_ledger_keeps_the_newest_entries_and_exact_sums() -> None:
    rows = entries(2000, seed=1)
    full = TokenLedger(rows)
    capped = TokenLedger(rows, max_entries=50)
    assert capped.entries() == tuple(rows[-50:])
    assert len(capped) == 2000 and capped.dropped == 1950 and full.dropped == 0
    assert figures(capped) == figures(full)
    for day in range(5):  # the sim's window: figures of days up to ``day``
        assert figures(capped.within(day)) == figures(full.within(day))
        assert figures(full.within(day)) == figures(TokenLedger(e for e in rows if e.day <= day))
    running = capped.running()
    assert running.entries == 2000
    assert running.prompt == sum(e.prompt_tokens for e in rows)
    assert running.completion == sum(e.completion_tokens for e in rows)
    assert running.calls == full.totals()["calls"]
    assert running.failures == full.totals()["failures"]


def test_sums_survive_a_round_trip_when_entries_were_dropped() -> None:
    rows = entries(500, seed=2)
    capped = TokenLedger(rows, max_entries=10)
    back = TokenLedger.from_dict(json.loads(capped.to_json()))
    assert figures(back) == figures(TokenLedger(rows))
    assert back.entries() == capped.entries()
    # without the sums (an older file), they are recomputed from the entries kept
    data = json.loads(capped.to_json())
    del data["sums"]
    assert TokenLedger.from_dict(data).totals()["prompt"] == sum(
        e.prompt_tokens for e in rows[-10:]
    )


def test_bad_sums_and_a_negative_cap_are_refused() -> None:
    data = TokenLedger(entries(5, seed=3)).to_dict()
    data["sums"][0][1] = "colour"
    with pytest.raises(ValueError, match="sums row"):
        TokenLedger.from_dict(data)
    with pytest.raises(ValueError, match="max_entries"):
        TokenLedger(max_entries=-1)


def test_memory_of_a_capped_ledger_does_not_grow_with_entries() -> None:
    capped = TokenLedger(max_entries=100)
    one = entries(1, seed=4)[0]
    for i in range(20_000):
        capped.record(dataclasses.replace(one, prompt_tokens=i))
    assert len(capped.entries()) == 100
    assert len(capped.to_dict()["sums"]) == 4  # one running row per kind, not per entry
    assert capped.totals()["prompt"] == sum(range(20_000))
