"""The simulation report (DESIGN.md section 5) built from a finished Town and its ledger."""

from __future__ import annotations

from typing import Any

from aga_npc.llm.ledger import TokenLedger
from aga_npc.town.checker import summarise
from aga_npc.town.town import Town

__all__ = ["build_report", "closeness_matrix", "distinct_activity_kinds"]

_FAILED = ("failed",)
_FALLBACK = ("refused", "expired", "cancelled")


def build_report(
    *,
    town: Town,
    ledger: TokenLedger,
    mode: str,
    days: int,
    seed: int,
    llm: dict[str, str],
    embedder: str,
    wall_seconds: float,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything a reader needs to judge a run; deterministic except ``wall_seconds``."""
    totals = ledger.totals()
    by_module = {
        module: {
            "prompt": row["prompt"],
            "completion": row["completion"],
            "calls": row["calls"],
        }
        for module, row in ledger.by_module().items()
    }
    outcomes = totals["by_outcome"]
    npcs = len(town.brains)
    stats = {k: 0 for k in ("policy_hits", "policy_misses", "stored", "decompositions")}
    agents: dict[str, Any] = {}
    for name in town.names():
        brain = town.brains[name]
        for key in stats:
            stats[key] += brain.stats[key]
        agents[name] = {
            "activities": [[minute, text] for minute, text, _ in brain.activity_log],
            "relationships": brain.mind.social.relationships(),
            "memory_events": len(brain.mind.stream),
            "stats": dict(brain.stats),
        }
    convos = town.conversations
    turn_tokens = convos.turn_prompt_tokens if convos is not None else []
    records = town.agent_days(days)
    report: dict[str, Any] = {
        "mode": mode,
        "npcs": npcs,
        "days": days,
        "seed": seed,
        "llm": dict(llm),
        "embedder": embedder,
        "tokens": {
            "prompt": totals["prompt"],
            "completion": totals["completion"],
            "total": totals["total"],
            "by_module": by_module,
        },
        "llm_calls": totals["calls"],
        "llm_failures": sum(outcomes.get(k, 0) for k in _FAILED),
        "llm_fallbacks": sum(outcomes.get(k, 0) for k in _FALLBACK),
        "llm_outcomes": dict(outcomes),
        "calls_per_agent_day": totals["calls"] / max(1, npcs * days),
        "policy": {
            "lookups": stats["policy_hits"] + stats["policy_misses"],
            "hits": stats["policy_hits"],
            "misses": stats["policy_misses"],
            "stored": stats["stored"],
            "decompositions": stats["decompositions"],
        },
        "conversations": {
            "started": convos.started if convos is not None else 0,
            "finished": len(convos.finished) if convos is not None else 0,
            "lod": convos.lod if convos is not None else "",
            "turn_prompt_tokens_mean": (sum(turn_tokens) / len(turn_tokens))
            if turn_tokens
            else 0.0,
            "turns": len(turn_tokens),
            "by_pair": _pairs(convos.finished if convos is not None else []),
        },
        "violations": summarise(records),
        "activity_diversity": {
            name: distinct_activity_kinds([t for _, t, _ in town.brains[name].activity_log])
            for name in town.names()
        },
        "agents": agents,
        "closeness": closeness_matrix(town),
        "wall_seconds": round(wall_seconds, 3),
    }
    if extra:
        report.update(extra)
    return report


def _pairs(finished: list[dict[str, Any]]) -> dict[str, int]:
    """How many conversations each pair had ("A & B", names sorted)."""
    counts: dict[str, int] = {}
    for convo in finished:
        key = " & ".join(sorted((str(convo["a"]), str(convo["b"]))))
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def closeness_matrix(town: Town) -> dict[str, Any]:
    """The town's closeness matrix (row: how ``names[i]`` sees ``names[j]``), 0..10."""
    names = list(town.names())
    matrix = []
    for a in names:
        social = town.brains[a].mind.social
        matrix.append(
            [0.0 if a == b else round(float(social.record_for(b).closeness), 2) for b in names]
        )
    return {"names": names, "matrix": matrix}


_KIND_WORDS = (
    ("sleep", ("sleep", "nap", "bed")),
    ("breakfast", ("breakfast", "brunch")),
    ("lunch", ("lunch",)),
    ("dinner", ("dinner", "supper")),
    ("wash", ("shower", "wash", "bath", "get ready", "brush")),
    ("work", ("work", "shift", "serve", "open the", "close the", "office", "counter")),
    ("teach", ("teach", "lecture", "grade", "class")),
    ("study", ("study", "homework", "revise", "assignment", "library")),
    ("read", ("read", "book")),
    ("paint", ("paint", "sketch", "draw")),
    ("garden", ("garden", "plant", "water")),
    ("music", ("piano", "music", "guitar", "sing")),
    ("exercise", ("jog", "run", "exercise", "stretch", "yoga", "walk")),
    ("social", ("friend", "chat", "visit", "party", "meet", "talk")),
    ("shop", ("shop", "grocer", "buy", "market")),
    ("bar", ("bar", "drink", "pub", "kettle")),
    ("cafe", ("cafe", "coffee")),
    ("park", ("park",)),
    ("cook", ("cook", "bake", "prepare")),
    ("relax", ("relax", "rest", "tv", "unwind", "leisure")),
    ("civic", ("campaign", "election", "council", "meeting", "town hall")),
    ("write", ("write", "journal", "letter", "poem")),
)


def distinct_activity_kinds(activities: list[str]) -> int:
    """How many different kinds of activity appear (by keyword class; unmatched texts count
    by their first two words), for the mind wandering diversity figure."""
    kinds: set[str] = set()
    for text in activities:
        lowered = text.lower()
        matched = False
        for kind, words in _KIND_WORDS:
            if any(w in lowered for w in words):
                kinds.add(kind)
                matched = True
        if not matched:
            kinds.add(" ".join(lowered.split()[:2]))
    return len(kinds)
