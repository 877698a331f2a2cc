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
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from aga_npc.errors import ConfigError

__all__ = [
    "DEFAULT_PRICES",
    "OUTCOMES",
    "LedgerEntry",
    "ModelPrice",
    "TokenLedger",
    "load_price_table",
    "price_for",
]

OUTCOMES = ("ok", "retried", "failed", "refused", "coalesced", "replayed", "cancelled")
# Outcomes of entries that are real backend calls.
CALL_OUTCOMES = frozenset({"ok", "retried", "failed", "cancelled"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelPrice:
    """USD per one million prompt and completion tokens."""

    prompt: float
    completion: float

    def __post_init__(self) -> None:
        if self.prompt < 0 or self.completion < 0:
            raise ValueError("prices must be non-negative")


# Public list prices, USD per 1M tokens. Models match by longest prefix
# ("gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini"); unknown models cost 0.
DEFAULT_PRICES: Mapping[str, ModelPrice] = {
    "gpt-4o-mini": ModelPrice(prompt=0.15, completion=0.60),
    "gpt-4o": ModelPrice(prompt=2.50, completion=10.00),
    "gpt-4.1-nano": ModelPrice(prompt=0.10, completion=0.40),
    "gpt-4.1-mini": ModelPrice(prompt=0.40, completion=1.60),
    "gpt-4.1": ModelPrice(prompt=2.00, completion=8.00),
    "gpt-3.5-turbo": ModelPrice(prompt=0.50, completion=1.50),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """One line of the ledger.

    Attributes:
        agent: who the request was for. ``module``: the cognitive module that asked.
        prompt_tokens / completion_tokens: tokens of this entry (0 for refused/coalesced).
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

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"LedgerEntry.outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        if self.prompt_tokens < 0 or self.completion_tokens < 0:
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
        )


def _group_row() -> dict[str, Any]:
    return {"prompt": 0, "completion": 0, "total": 0, "calls": 0, "failures": 0}


def _add(row: dict[str, Any], e: LedgerEntry) -> None:
    row["prompt"] += e.prompt_tokens
    row["completion"] += e.completion_tokens
    row["total"] += e.total_tokens
    if e.outcome in CALL_OUTCOMES:
        row["calls"] += 1
    if e.outcome == "failed":
        row["failures"] += 1


def price_for(model: str, prices: Mapping[str, ModelPrice]) -> ModelPrice | None:
    """The price of ``model``: exact name, else the longest table key it starts with."""
    if model in prices:
        return prices[model]
    best = max((k for k in prices if model.startswith(k)), key=len, default=None)
    return prices[best] if best is not None else None


class TokenLedger:
    """Thread-safe append-only list of ``LedgerEntry`` with totals and groupings."""

    def __init__(self, entries: Iterable[LedgerEntry] = ()) -> None:
        self._lock = threading.Lock()
        self._entries: list[LedgerEntry] = list(entries)

    def record(self, entry: LedgerEntry) -> None:
        """Append one entry (safe from any thread)."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> tuple[LedgerEntry, ...]:
        """A snapshot of all entries, in recording order."""
        with self._lock:
            return tuple(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def within(self, last_day: int) -> TokenLedger:
        """A ledger of the entries made for game days up to ``last_day`` (untagged entries,
        day 0, are kept)."""
        return TokenLedger(e for e in self.entries() if e.day <= last_day)

    def totals(self) -> dict[str, Any]:
        """Token sums and counts over every entry.

        Keys: ``prompt``, ``completion``, ``total`` (tokens); ``calls`` (backend calls:
        ok + retried + failed + cancelled entries); ``failures`` (failed requests);
        ``by_outcome`` (entries per outcome).
        """
        row = _group_row()
        by_outcome = dict.fromkeys(OUTCOMES, 0)
        for e in self.entries():
            _add(row, e)
            by_outcome[e.outcome] += 1
        row["by_outcome"] = by_outcome
        return row

    def _group(self, attr: str) -> dict[str, dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        for e in self.entries():
            key = getattr(e, attr)
            row = groups.get(key)
            if row is None:
                row = groups[key] = _group_row()
            _add(row, e)
        return dict(sorted(groups.items()))

    def by_module(self) -> dict[str, dict[str, Any]]:
        """``{module: {"prompt", "completion", "total", "calls", "failures"}}``."""
        return self._group("module")

    def by_agent(self) -> dict[str, dict[str, Any]]:
        """``{agent: {"prompt", "completion", "total", "calls", "failures"}}``."""
        return self._group("agent")

    def estimate_cost_usd(self, prices: Mapping[str, ModelPrice] | None = None) -> float:
        """Estimated cost of every entry's tokens under ``prices`` (default ``DEFAULT_PRICES``).

        Models missing from the table (offline, fake) cost nothing.
        """
        table = DEFAULT_PRICES if prices is None else prices
        cost = 0.0
        for e in self.entries():
            price = price_for(e.model, table)
            if price is not None:
                cost += (
                    e.prompt_tokens * price.prompt + e.completion_tokens * price.completion
                ) / 1e6
        return cost

    def to_dict(self, prices: Mapping[str, ModelPrice] | None = None) -> dict[str, Any]:
        """Plain data: ``entries``, ``totals``, ``by_module``, ``by_agent``, ``cost_usd``."""
        return {
            "entries": [e.to_dict() for e in self.entries()],
            "totals": self.totals(),
            "by_module": self.by_module(),
            "by_agent": self.by_agent(),
            "cost_usd": self.estimate_cost_usd(prices),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenLedger:
        """Rebuild a ledger from ``to_dict`` output (the entries; sums are recomputed)."""
        return cls(LedgerEntry.from_dict(d) for d in data.get("entries", ()))

    def to_json(
        self, *, indent: int | None = 2, prices: Mapping[str, ModelPrice] | None = None
    ) -> str:
        """``to_dict`` as a JSON string."""
        return json.dumps(self.to_dict(prices), indent=indent, sort_keys=False)


def load_price_table(data: Mapping[str, Any]) -> dict[str, ModelPrice]:
    """A price table from plain data ``{model: {"prompt": usd, "completion": usd}}``.

    Raises:
        ConfigError: an entry is missing a price or has a negative one; names the model.
    """
    table: dict[str, ModelPrice] = {}
    for model, row in data.items():
        try:
            table[str(model)] = ModelPrice(
                prompt=float(row["prompt"]), completion=float(row["completion"])
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"price table entry {model!r}: {exc}") from exc
    return table
