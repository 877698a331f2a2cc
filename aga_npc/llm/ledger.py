"""The token ledger: one entry per backend attempt or served request, totals, JSON, cost estimate.

Outcomes:
    ``ok``        a backend call that answered usefully at the first try;
    ``retried``   a backend call whose answer could not be used (transient error or bad
                  JSON) and that was followed by another attempt;
    ``failed``    the last attempt of a request that failed (``error_kind`` says why);
    ``refused``   refused at once by the budget (no call, no tokens);
    ``coalesced`` a ticket served by another ticket's identical call (no tokens);
    ``replayed``  served from a recording; carries the recorded call's tokens, so a replayed
                  run reports the same token totals as the run that was recorded;
    ``cancelled`` a request cancelled while its call was running.
A successful retry or re-ask is an ``ok`` entry with ``attempt_kind`` ``"retry"``/``"reask"``.

Prompt caching: an entry's ``cached_tokens`` are the part of its prompt tokens the server
served from its prefix cache (``usage.prompt_tokens_details.cached_tokens``); the cost
prices them at the model's cached-input rate.

The ledger keeps running sums per game day and module, agent, outcome and model as entries
arrive, so its totals, groupings and cost cost O(kinds) however long the game runs; with
``max_entries`` it keeps only the newest raw entries, and the sums stay exact.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from aga_npc.errors import ConfigError

__all__ = [
    "DEFAULT_PRICES",
    "OUTCOMES",
    "LedgerEntry",
    "LedgerTotals",
    "ModelPrice",
    "TokenLedger",
    "load_price_table",
    "price_for",
]

OUTCOMES = ("ok", "retried", "failed", "refused", "coalesced", "replayed", "cancelled")
# Outcomes of entries that are backend calls, live or recorded (a replayed entry stands for
# the call made when the recording was made, so a replay counts the calls it reproduces).
CALL_OUTCOMES = frozenset({"ok", "retried", "failed", "cancelled", "replayed"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelPrice:
    """USD per one million prompt and completion tokens; ``cached_prompt`` per million
    prompt tokens served from the server's prompt cache (None: no discount, the prompt
    price)."""

    prompt: float
    completion: float
    cached_prompt: float | None = None

    def __post_init__(self) -> None:
        if self.prompt < 0 or self.completion < 0:
            raise ValueError("prices must be non-negative")
        if self.cached_prompt is not None and self.cached_prompt < 0:
            raise ValueError("prices must be non-negative")

    @property
    def cached_rate(self) -> float:
        """USD per million cached prompt tokens."""
        return self.prompt if self.cached_prompt is None else self.cached_prompt

    def cost(self, *, prompt: int, completion: int, cached: int = 0) -> float:
        """USD for ``prompt`` tokens (of which ``cached`` came from the cache; at most all
        of them count as cached) and ``completion`` tokens."""
        cached = min(max(cached, 0), prompt)
        return (
            (prompt - cached) * self.prompt
            + cached * self.cached_rate
            + completion * self.completion
        ) / 1e6


# Public list prices, USD per 1M tokens (cached input: OpenAI's prompt-caching rate, half
# the input price for gpt-4o*, a quarter for gpt-4.1*; gpt-3.5-turbo has none). Models
# match by longest prefix ("gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini"); unknown
# models cost 0.
DEFAULT_PRICES: Mapping[str, ModelPrice] = {
    "gpt-4o-mini": ModelPrice(prompt=0.15, completion=0.60, cached_prompt=0.075),
    "gpt-4o": ModelPrice(prompt=2.50, completion=10.00, cached_prompt=1.25),
    "gpt-4.1-nano": ModelPrice(prompt=0.10, completion=0.40, cached_prompt=0.025),
    "gpt-4.1-mini": ModelPrice(prompt=0.40, completion=1.60, cached_prompt=0.10),
    "gpt-4.1": ModelPrice(prompt=2.00, completion=8.00, cached_prompt=0.50),
    "gpt-3.5-turbo": ModelPrice(prompt=0.50, completion=1.50),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """One line of the ledger.

    Attributes:
        agent: who the request was for. ``module``: the cognitive module that asked.
        prompt_tokens / completion_tokens: tokens of this entry (0 for refused/coalesced).
        cached_tokens: of the prompt tokens, those served from the server's prompt cache.
        latency: wall seconds of the call (0 when there was none).
        outcome: one of ``OUTCOMES`` (see the module docstring).
        backend / model: who answered (or would have).
        attempt_kind: ``"first"``, ``"retry"`` or ``"reask"``.
        error_kind: ``LLMError.kind`` of the failure ("" when the entry is a success).
        day: the game day the request was made for (0: not tagged); a measurement window
            counts only the days inside it (the next day's plan asked the evening before
            belongs to the next day).
    """

    agent: str
    module: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    outcome: str = "ok"
    backend: str = ""
    model: str = ""
    attempt_kind: str = "first"
    error_kind: str = ""
    day: int = 0
    cached_tokens: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"LedgerEntry.outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        if self.prompt_tokens < 0 or self.completion_tokens < 0 or self.cached_tokens < 0:
            raise ValueError("LedgerEntry token counts must be non-negative")

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LedgerEntry:
        return cls(
            agent=str(data["agent"]),
            module=str(data["module"]),
            prompt_tokens=int(data.get("prompt_tokens", 0)),
            completion_tokens=int(data.get("completion_tokens", 0)),
            latency=float(data.get("latency", 0.0)),
            outcome=str(data.get("outcome", "ok")),
            backend=str(data.get("backend", "")),
            model=str(data.get("model", "")),
            attempt_kind=str(data.get("attempt_kind", "first")),
            error_kind=str(data.get("error_kind", "")),
            day=int(data.get("day", 0)),
            cached_tokens=int(data.get("cached_tokens", 0)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerTotals:
    """Running sums over every entry ever recorded (read in O(1))."""

    prompt: int = 0
    completion: int = 0
    calls: int = 0
    failures: int = 0
    entries: int = 0
    cached: int = 0


# One running row: prompt, completion, calls, failures, entries, cached prompt tokens.
_P, _C, _CALLS, _FAIL, _N, _CACHED = range(6)
_ROW = 6
_OLD_ROW = 5  # rows saved before cached tokens were counted
# The kinds the ledger keeps sums by (the entry attribute each reads).
_KINDS = ("module", "agent", "outcome", "model")


def _bump(row: list[int], e: LedgerEntry) -> None:
    row[_P] += e.prompt_tokens
    row[_C] += e.completion_tokens
    if e.outcome in CALL_OUTCOMES:
        row[_CALLS] += 1
    if e.outcome == "failed":
        row[_FAIL] += 1
    row[_N] += 1
    row[_CACHED] += e.cached_tokens


def _as_group(row: list[int]) -> dict[str, Any]:
    return {
        "prompt": row[_P],
        "completion": row[_C],
        "total": row[_P] + row[_C],
        "calls": row[_CALLS],
        "failures": row[_FAIL],
        "cached": row[_CACHED],
    }


def price_for(model: str, prices: Mapping[str, ModelPrice]) -> ModelPrice | None:
    """The price of ``model``: exact name, else the longest table key it starts with."""
    if model in prices:
        return prices[model]
    best = max((k for k in prices if model.startswith(k)), key=len, default=None)
    return prices[best] if best is not None else None


class TokenLedger:
    """Thread-safe ledger of ``LedgerEntry`` with running totals and groupings.

    Args:
        entries: entries to start with (recorded in order).
        max_entries: raw entries kept, the newest (None: all). Totals, groupings, cost and
            ``within`` read the running sums, so they count every entry ever recorded.
    """

    def __init__(
        self, entries: Iterable[LedgerEntry] = (), *, max_entries: int | None = None
    ) -> None:
        if max_entries is not None and max_entries < 0:
            raise ValueError(f"max_entries must be >= 0, got {max_entries}")
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self._entries: deque[LedgerEntry] = deque(maxlen=max_entries)
        # (day, kind, key) -> running row; kind is one of _KINDS
        self._rows: dict[tuple[int, str, str], list[int]] = {}
        self._all = [0] * _ROW
        for e in entries:
            self.record(e)

    def record(self, entry: LedgerEntry) -> None:
        """Add one entry (safe from any thread); O(1)."""
        with self._lock:
            self._entries.append(entry)
            self._add(entry)

    def _add(self, e: LedgerEntry) -> None:
        rows = self._rows
        for kind, key in (
            ("module", e.module),
            ("agent", e.agent),
            ("outcome", e.outcome),
            ("model", e.model),
        ):
            row = rows.get((e.day, kind, key))
            if row is None:
                row = rows[(e.day, kind, key)] = [0] * _ROW
            _bump(row, e)
        _bump(self._all, e)

    def entries(self) -> tuple[LedgerEntry, ...]:
        """A snapshot of the entries kept (all, or the newest ``max_entries``), in order."""
        with self._lock:
            return tuple(self._entries)

    def __len__(self) -> int:
        """Entries ever recorded (kept or dropped)."""
        with self._lock:
            return self._all[_N]

    @property
    def dropped(self) -> int:
        """Entries recorded but no longer kept raw (counted in every sum)."""
        with self._lock:
            return self._all[_N] - len(self._entries)

    def running(self) -> LedgerTotals:
        """Sums over every entry ever recorded, in O(1) (for panels read every frame)."""
        with self._lock:
            p, c, calls, failures, n, cached = self._all
        return LedgerTotals(
            prompt=p, completion=c, calls=calls, failures=failures, entries=n, cached=cached
        )

    def within(self, last_day: int) -> TokenLedger:
        """A ledger of the entries made for game days up to ``last_day`` (untagged entries,
        day 0, are kept); its sums are exact even when raw entries were dropped."""
        out = TokenLedger(max_entries=self.max_entries)
        with self._lock:
            kept = [e for e in self._entries if e.day <= last_day]
            rows = {k: list(v) for k, v in self._rows.items() if k[0] <= last_day}
        out._entries.extend(kept)
        out._rows = rows
        for (_, kind, _key), row in rows.items():
            if kind == "outcome":  # every entry has exactly one outcome
                for i, v in enumerate(row):
                    out._all[i] += v
        return out

    def _sums(self, kind: str) -> dict[str, list[int]]:
        """Running rows of ``kind`` summed over days, by key."""
        out: dict[str, list[int]] = {}
        with self._lock:
            for (_, k, key), row in self._rows.items():
                if k != kind:
                    continue
                acc = out.get(key)
                if acc is None:
                    acc = out[key] = [0] * _ROW
                for i, v in enumerate(row):
                    acc[i] += v
        return out

    def totals(self) -> dict[str, Any]:
        """Token sums and counts over every entry.

        Keys: ``prompt``, ``completion``, ``total`` (tokens), ``cached`` (prompt tokens
        served from the server's cache); ``calls`` (backend calls, live or recorded:
        ok + retried + failed + cancelled + replayed entries); ``failures`` (failed requests);
        ``by_outcome`` (entries per outcome).
        """
        with self._lock:
            row = _as_group(self._all)
        by_outcome = dict.fromkeys(OUTCOMES, 0)
        for outcome, sums in self._sums("outcome").items():
            by_outcome[outcome] += sums[_N]
        row["by_outcome"] = by_outcome
        return row

    def _group(self, kind: str) -> dict[str, dict[str, Any]]:
        return {key: _as_group(row) for key, row in sorted(self._sums(kind).items())}

    def by_module(self) -> dict[str, dict[str, Any]]:
        """``{module: {"prompt", "completion", "total", "calls", "failures", "cached"}}``."""
        return self._group("module")

    def by_agent(self) -> dict[str, dict[str, Any]]:
        """``{agent: {"prompt", "completion", "total", "calls", "failures", "cached"}}``."""
        return self._group("agent")

    def estimate_cost_usd(self, prices: Mapping[str, ModelPrice] | None = None) -> float:
        """Estimated cost of every entry's tokens under ``prices`` (default ``DEFAULT_PRICES``).

        Cached prompt tokens are priced at the model's cached-input rate. Models missing
        from the table (offline, fake) cost nothing.
        """
        table = DEFAULT_PRICES if prices is None else prices
        cost = 0.0
        for model, row in self._sums("model").items():
            price = price_for(model, table)
            if price is not None:
                cost += price.cost(prompt=row[_P], completion=row[_C], cached=row[_CACHED])
        return cost

    def to_dict(self, prices: Mapping[str, ModelPrice] | None = None) -> dict[str, Any]:
        """Plain data: ``entries`` (those kept), ``totals``, ``by_module``, ``by_agent``,
        ``cost_usd``, and ``sums`` (the running rows, so ``from_dict`` restores exact
        totals when entries were dropped)."""
        with self._lock:
            sums = [[day, kind, key, *row] for (day, kind, key), row in self._rows.items()]
        return {
            "entries": [e.to_dict() for e in self.entries()],
            "totals": self.totals(),
            "by_module": self.by_module(),
            "by_agent": self.by_agent(),
            "cost_usd": self.estimate_cost_usd(prices),
            "sums": sums,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenLedger:
        """Rebuild a ledger from ``to_dict`` output: the entries, and the running sums
        when given (else they are recomputed from the entries)."""
        ledger = cls(LedgerEntry.from_dict(d) for d in data.get("entries", ()))
        sums = data.get("sums")
        if sums is not None:
            rows: dict[tuple[int, str, str], list[int]] = {}
            for day, kind, key, *row in sums:
                if kind not in _KINDS or len(row) not in (_OLD_ROW, _ROW):
                    raise ValueError(f"bad ledger sums row {[day, kind, key, *row]!r}")
                values = [int(v) for v in row]
                rows[(int(day), str(kind), str(key))] = values + [0] * (_ROW - len(values))
            ledger._rows = rows
            ledger._all = [0] * _ROW
            for (_, kind, _key), row in rows.items():
                if kind == "outcome":
                    for i, v in enumerate(row):
                        ledger._all[i] += v
        return ledger

    def to_json(
        self, *, indent: int | None = 2, prices: Mapping[str, ModelPrice] | None = None
    ) -> str:
        """``to_dict`` as a JSON string."""
        return json.dumps(self.to_dict(prices), indent=indent, sort_keys=False)


def load_price_table(data: Mapping[str, Any]) -> dict[str, ModelPrice]:
    """A price table from plain data ``{model: {"prompt": usd, "completion": usd}}``, with
    an optional ``"cached_prompt"`` rate per model.

    Raises:
        ConfigError: an entry is missing a price or has a negative one; names the model.
    """
    table: dict[str, ModelPrice] = {}
    for model, row in data.items():
        try:
            cached = row.get("cached_prompt")
            table[str(model)] = ModelPrice(
                prompt=float(row["prompt"]),
                completion=float(row["completion"]),
                cached_prompt=None if cached is None else float(cached),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"price table entry {model!r}: {exc}") from exc
    return table
