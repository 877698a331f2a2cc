"""The token ledger: totals, groupings, cost estimate, plain-data round trip, thread safety."""

from __future__ import annotations

import json
import random
import threading

import pytest

from aga_npc.errors import ConfigError
from aga_npc.llm import DEFAULT_PRICES, LedgerEntry, ModelPrice, TokenLedger
from aga_npc.llm.ledger import OUTCOMES, load_price_table, price_for


def random_entries(n: int, seed: int) -> list[LedgerEntry]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        outcome = rng.choice(OUTCOMES)
        spends = outcome not in ("refused", "coalesced")
        out.append(
            LedgerEntry(
                agent=rng.choice(["Isabella", "Klaus", "Maria"]),
                module=rng.choice(["plan_day", "decompose", "dialogue"]),
                prompt_tokens=rng.randint(0, 900) if spends else 0,
                completion_tokens=rng.randint(0, 300) if spends else 0,
                latency=rng.random(),
                outcome=outcome,
                backend="openai",
                model=rng.choice(["gpt-4o-mini", "gpt-4o-mini-2024-07-18", "llama3"]),
                error_kind="server_error" if outcome == "failed" else "",
            )
        )
    return out


def test_totals_equal_the_sum_of_entries() -> None:
    entries = random_entries(300, seed=1)
    ledger = TokenLedger()
    for e in entries:
        ledger.record(e)
    totals = ledger.totals()
    assert totals["prompt"] == sum(e.prompt_tokens for e in entries)
    assert totals["completion"] == sum(e.completion_tokens for e in entries)
    assert totals["total"] == totals["prompt"] + totals["completion"]
    assert totals["calls"] == sum(
        e.outcome in ("ok", "retried", "failed", "cancelled", "replayed") for e in entries
    )
    assert totals["failures"] == sum(e.outcome == "failed" for e in entries)
    assert sum(totals["by_outcome"].values()) == len(entries)
    for outcome in OUTCOMES:
        assert totals["by_outcome"][outcome] == sum(e.outcome == outcome for e in entries)


def test_groupings_partition_the_totals() -> None:
    ledger = TokenLedger(random_entries(200, seed=2))
    totals = ledger.totals()
    for grouping in (ledger.by_module(), ledger.by_agent()):
        for key in ("prompt", "completion", "total", "calls", "failures"):
            assert sum(row[key] for row in grouping.values()) == totals[key]
    by_module = ledger.by_module()
    assert set(by_module) == {"plan_day", "decompose", "dialogue"}
    expected = sum(e.prompt_tokens for e in ledger.entries() if e.module == "dialogue")
    assert by_module["dialogue"]["prompt"] == expected


def test_cost_uses_prefix_matched_prices_and_ignores_unknown_models() -> None:
    ledger = TokenLedger(
        [
            LedgerEntry(agent="a", module="m", prompt_tokens=1_000_000, model="gpt-4o-mini"),
            LedgerEntry(
                agent="a", module="m", completion_tokens=2_000_000, model="gpt-4o-mini-2024-07-18"
            ),
            LedgerEntry(agent="a", module="m", prompt_tokens=5_000_000, model="llama3"),
        ]
    )
    assert ledger.estimate_cost_usd() == pytest.approx(0.15 + 2 * 0.60)
    custom = {"llama3": ModelPrice(prompt=0.01, completion=0.02)}
    assert ledger.estimate_cost_usd(custom) == pytest.approx(5 * 0.01)


def test_price_lookup_prefers_the_longest_prefix() -> None:
    assert price_for("gpt-4o-mini-2024", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o-mini"]
    assert price_for("gpt-4o-2024-08-06", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o"]
    assert price_for("offline", DEFAULT_PRICES) is None


def test_price_table_from_plain_data() -> None:
    table = load_price_table({"my-model": {"prompt": 1, "completion": "2.5"}})
    assert table["my-model"] == ModelPrice(prompt=1.0, completion=2.5)
    with pytest.raises(ConfigError, match="bad-model"):
        load_price_table({"bad-model": {"prompt": 1}})
    with pytest.raises(ConfigError, match="neg"):
        load_price_table({"neg": {"prompt": -1, "completion": 1}})


def test_round_trip_through_json() -> None:
    ledger = TokenLedger(random_entries(50, seed=3))
    data = json.loads(ledger.to_json())
    assert set(data) == {"entries", "totals", "by_module", "by_agent", "cost_usd", "sums"}
    again = TokenLedger.from_dict(data)
    assert again.entries() == ledger.entries()
    assert again.totals() == ledger.totals()
    assert data["cost_usd"] == pytest.approx(ledger.estimate_cost_usd())


def test_entries_validate() -> None:
    with pytest.raises(ValueError, match="outcome"):
        LedgerEntry(agent="a", module="m", outcome="great")
    with pytest.raises(ValueError):
        LedgerEntry(agent="a", module="m", prompt_tokens=-1)


def test_concurrent_records_are_all_kept() -> None:
    ledger = TokenLedger()

    def writer(i: int) -> None:
        for _ in range(500):
            ledger.record(LedgerEntry(agent=f"a{i}", module="m", prompt_tokens=1))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger) == 2000
    assert ledger.totals()["prompt"] == 2000
