"""BrainSnapshot: everything a debug view shows, read from a brain without touching logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["BrainSnapshot"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BrainSnapshot:
    """A read-only picture of one brain at one moment (the overlay draws only this).

    Attributes:
        name, state, mode: who, the lifecycle state, the AGA mode.
        activity: the current activity of the daily plan ("" when none).
        action: the current action's description; ``verb`` and ``target`` its parts.
        source: how the action was obtained: policy, llm, fallback, waiting, talk.
        reason, cosine: the last Lifestyle Policy decision and its cosine.
        schedule: today's plan as ``(HH:MM, activity, place)`` rows.
        pending: purposes of requests in flight (plan_day, decompose, embed ...).
        memories: the most recent memories, newest first.
        relationships: Social Memory rows ``(person, relationship, feeling, closeness)``.
        tokens, tokens_saved, llm_calls, policy_hits, policy_misses: counters.
        talking_to: the conversation partner ("" when not talking).
        wandered: the memories mind wandering brought to the last daily plan.
    """

    name: str
    state: str
    mode: str
    activity: str
    action: str
    verb: str
    target: str
    source: str
    reason: str
    cosine: float
    schedule: tuple[tuple[str, str, str], ...]
    pending: tuple[str, ...]
    memories: tuple[str, ...]
    relationships: tuple[tuple[str, str, str, float], ...]
    tokens: int
    tokens_saved: int
    llm_calls: int
    policy_hits: int
    policy_misses: int
    talking_to: str
    wandered: tuple[str, ...] = ()

    def marker(self) -> str:
        """A short tag for how the action was obtained (policy hit with its cosine, ...)."""
        if self.source == "policy":
            return f"[policy {self.cosine:.2f}]"
        if self.source == "llm":
            return "[LLM]"
        if self.source == "waiting":
            return "[waiting]"
        if self.source == "talk":
            return "[talking]"
        return "[idle]"

    def to_text(self) -> str:
        """The snapshot as a few lines of plain text (headless logs)."""
        lines = [
            f"{self.name} ({self.state}, {self.mode}) {self.marker()}",
            f"  activity: {self.activity or '-'}",
            f"  action:   {self.action or '-'}" + (f" @ {self.target}" if self.target else ""),
            f"  policy:   {self.reason or '-'}",
            f"  pending:  {', '.join(self.pending) or '-'}",
            f"  tokens:   {self.tokens} used, {self.tokens_saved} saved, {self.llm_calls} calls",
        ]
        lines.extend(f"  memory:   {m}" for m in self.memories[:3])
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "state": self.state,
            "mode": self.mode,
            "activity": self.activity,
            "action": self.action,
            "verb": self.verb,
            "target": self.target,
            "source": self.source,
            "reason": self.reason,
            "cosine": self.cosine,
            "schedule": [list(r) for r in self.schedule],
            "pending": list(self.pending),
            "memories": list(self.memories),
            "relationships": [list(r) for r in self.relationships],
            "tokens": self.tokens,
            "tokens_saved": self.tokens_saved,
            "llm_calls": self.llm_calls,
            "policy_hits": self.policy_hits,
            "policy_misses": self.policy_misses,
            "talking_to": self.talking_to,
        }
