"""What a debug view and the report read from a brain without touching logic: the
``BrainSnapshot`` (``take_snapshot``) and the brain's counters (``brain_stats``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aga_npc.brain.intent import Source
from aga_npc.planning.schedule import format_hhmm

if TYPE_CHECKING:
    from aga_npc.brain.npc import NpcBrain

__all__ = ["BrainSnapshot", "brain_stats", "take_snapshot"]


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
        pending: kinds of requests in flight (daily_plan, action_chain, embed_plan ...).
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


def take_snapshot(brain: NpcBrain) -> BrainSnapshot:
    """A snapshot of ``brain`` (reads only; cheap enough for every frame it is drawn).

    The schedule is the plan of the current item's day (before the first item, of the
    latest planned day); the marker's cosine is the one of the decision behind the current
    action.
    """
    day = brain.day
    schedule: tuple[tuple[str, str, str], ...] = ()
    plan_day = day.current[0] if day.current is not None else max(brain.plans, default=0)
    plan = brain.planner.plan(plan_day)
    if plan is not None:
        schedule = tuple((format_hhmm(a.start), a.text, a.place) for a in plan.activities)
    res = brain.resolver.get(day.current) if day.current is not None else None
    behind = res if res is not None and res.ready else None
    recent = brain.mind.stream.recent(5)
    rows = tuple(
        (person, rel["relationship"], rel["feeling"], float(rel["closeness"]))
        for person, rel in sorted(brain.mind.social.relationships().items())
    )
    intent = day.intent
    stats = brain.resolver.stats
    return BrainSnapshot(
        name=brain.profile.name,
        state=day.state.value,
        mode=brain.mode.value,
        activity=intent.activity,
        action=intent.description,
        verb=intent.verb,
        target=intent.target,
        source=intent.source.value,
        reason=behind.reason if behind is not None else (res.reason if res else ""),
        cosine=behind.cosine if behind is not None and behind.source is Source.POLICY else 0.0,
        schedule=schedule,
        pending=brain.book.kinds(),
        memories=tuple(ev.describe() for ev in reversed(recent)),
        relationships=rows,
        tokens=brain.book.stats.tokens,
        tokens_saved=brain.tokens_saved,
        llm_calls=brain.book.stats.llm_calls,
        policy_hits=stats.policy_hits,
        policy_misses=stats.policy_misses,
        talking_to=day.talk_partner,
        wandered=brain.mind.wandered,
    )


def brain_stats(brain: NpcBrain) -> dict[str, Any]:
    """The brain's counters for the report and the overlay, its parts' counters included."""
    book = brain.book.stats
    return {
        "llm_calls": book.llm_calls,
        "tokens": book.tokens,
        "tokens_saved": brain.tokens_saved,
        "actions": brain.day.actions,
        "failed_actions": brain.day.failed_actions,
        "conversations": brain.social.conversations,
        "replans": brain.planner.replans,
        "reflections": brain.mind.reflection.count,
        "insights": brain.mind.reflection.insights,
        "poignancy_asked": brain.mind.poignancy_asked,
        "poignancy_cached": brain.mind.poignancy_cached,
        "poignancy_batches": brain.mind.poignancy_batches,
        # memories rated in batches, less the batch calls: the single calls not made
        "poignancy_batch_avoided": brain.mind.poignancy_batched - brain.mind.poignancy_batches,
        "insight_poignancy_avoided": brain.mind.reflection.rated_in_call,
        "schedule_calls_avoided": brain.planner.schedule_calls_avoided,
        "joint_updates": brain.social.joint_updates,
        **brain.resolver.stats.to_dict(),
        **brain.reactions.stats.to_dict(),
    }
