"""The simulation report (docs/DESIGN.md section 5) built from a finished Town and its ledger."""

from __future__ import annotations

from typing import Any

from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.metering import parse_tally
from aga_npc.town.checker import ActionSource, AgentDay, summarise
from aga_npc.town.town import Town

__all__ = [
    "FAILED_SHARE",
    "build_report",
    "closeness_matrix",
    "distinct_activity_kinds",
    "health",
    "run_failed",
]

_FAILED = ("failed",)
# every request whose caller got no usable answer and went on with its fallback (a cached
# routine, an idle action, a default rating): failed after retries and re-asks, refused by
# the budget, expired or cancelled
_FALLBACK = ("failed", "refused", "expired", "cancelled")
_ANSWERED = ("ok", "replayed")
# above this share of requests falling back, a run says it failed (``--strict`` exits 3)
FAILED_SHARE = 0.5


def health(outcomes: dict[str, int]) -> dict[str, Any]:
    """How many requests got a usable answer, and the run's verdict in words.

    ``outcomes`` are the ledger's entries per outcome (one final entry per request, plus
    ``retried`` entries for the attempts before it).
    """
    answered = sum(int(outcomes.get(k, 0)) for k in _ANSWERED)
    fallbacks = sum(int(outcomes.get(k, 0)) for k in _FALLBACK)
    requests = answered + fallbacks
    share = fallbacks / requests if requests else 0.0
    if requests and share > FAILED_SHARE:
        verdict = "failed"
        summary = (
            f"FAILED: {fallbacks} of {requests} LLM requests ({share:.0%}) gave no usable "
            "answer and were replaced by fallbacks; this run does not measure the model"
        )
    elif fallbacks:
        verdict = "degraded"
        summary = f"{fallbacks} of {requests} LLM requests ({share:.0%}) fell back"
    else:
        verdict = "ok"
        summary = f"all {requests} LLM requests answered"
    return {
        "requests": requests,
        "answered": answered,
        "fallbacks": fallbacks,
        "fallback_share": round(share, 4),
        "verdict": verdict,
        "summary": summary,
    }


def run_failed(report: dict[str, Any]) -> bool:
    """Whether most of a run's requests fell back (``--strict`` exits non-zero)."""
    verdict = report.get("health", {}).get("verdict")
    if verdict is None:  # a report written before the health section
        verdict = health(report.get("llm_outcomes", {}))["verdict"]
    return verdict == "failed"


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
    """Everything a reader needs to judge a run; deterministic except ``wall_seconds``.

    Token and call figures count only the requests made for game days 1..``days`` (the
    next day's plan, asked the night before the run ends, is left out; ``outside_window``
    says how much that was).
    """
    window = ledger.within(days)
    totals = window.totals()
    by_module = {
        module: {
            "prompt": row["prompt"],
            "completion": row["completion"],
            "cached": row["cached"],
            "calls": row["calls"],
        }
        for module, row in window.by_module().items()
    }
    outside = ledger.totals()
    outcomes = as_recorded(totals["by_outcome"])
    npcs = len(town.brains)
    agent_days = max(1, npcs * days)
    summed: dict[str, float] = {}
    scopes: dict[str, int] = {}
    by_day: dict[str, list[int]] = {}
    agents: dict[str, Any] = {}
    for name in town.names():
        brain = town.brains[name]
        stats = brain.stats()
        for key, value in stats.items():
            if isinstance(value, int | float):
                summed[key] = summed.get(key, 0) + value
        for scope, n in stats["hits_by_scope"].items():
            scopes[scope] = scopes.get(scope, 0) + n
        for day, (h, n) in stats["lookups_by_day"].items():
            row = by_day.setdefault(day, [0, 0])
            row[0] += h
            row[1] += n
        agents[name] = {
            "activities": [[minute, text] for minute, text, _ in brain.activity_log],
            "relationships": brain.relationships(),
            "memory_events": brain.memory_count(),
            "stats": stats,
        }
    convos = town.conversations
    line_tokens = convos.line_prompt_tokens if convos is not None else []
    records = town.agent_days(days)
    hits, misses = int(summed.get("policy_hits", 0)), int(summed.get("policy_misses", 0))
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
            # prompt tokens the server took from its prompt cache (priced at the cached rate)
            "cached": totals["cached"],
            "by_module": by_module,
            "outside_window": outside["total"] - totals["total"],
        },
        "llm_calls": totals["calls"],
        "llm_failures": sum(outcomes.get(k, 0) for k in _FAILED),
        "llm_fallbacks": sum(outcomes.get(k, 0) for k in _FALLBACK),
        "llm_outcomes": dict(outcomes),
        # per JSON request kind: answers parsed at the first try, after the re-ask, or not
        "llm_parse": parse_tally(ledger).by_module(last_day=days),
        "health": health(outcomes),
        "calls_per_agent_day": totals["calls"] / agent_days,
        "tokens_per_agent_day": totals["total"] / agent_days,
        "loop_per_agent_day": {
            key: summed.get(key, 0) / agent_days
            for key in (
                "actions",
                "perceived",
                "poignancy_asked",
                "poignancy_cached",
                "poignancy_batches",
                "decide_talk",
                "decide_react",
                "reflections",
                "insights",
                "replans",
                "conversations",
                "decompositions",
            )
        },
        "policy": {
            "lookups": hits + misses,
            "hits": hits,
            "misses": misses,
            "hit_rate": hits / (hits + misses) if hits + misses else 0.0,
            "hits_by_scope": dict(sorted(scopes.items())),
            "by_day": {
                day: {"hits": h, "lookups": n, "hit_rate": h / n if n else 0.0}
                for day, (h, n) in sorted(by_day.items(), key=lambda kv: int(kv[0]))
                if int(day) <= days
            },
            "wrong_place_actions": wrong_place_policy_actions(records),
            "stored": int(summed.get("stored", 0)),
            "decompositions": int(summed.get("decompositions", 0)),
            "routine_failures": int(summed.get("routine_failures", 0)),
            "wrong_place_refused": int(summed.get("wrong_place_rejected", 0)),
            "repaired_steps": int(summed.get("repaired_steps", 0)),
            "grounding_fallbacks": int(summed.get("grounding_fallbacks", 0)),
        },
        "savings": savings_counts(summed),
        "conversations": {
            "started": convos.started if convos is not None else 0,
            "finished": len(convos.finished) if convos is not None else 0,
            "lod": convos.lod if convos is not None else "",
            "turn_prompt_tokens_mean": (sum(line_tokens) / len(line_tokens))
            if line_tokens
            else 0.0,
            "turns": convos.lines if convos is not None else 0,
            "by_pair": _pairs(convos.finished if convos is not None else []),
        },
        "violations": summarise(records, town.world.kinds),
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


def as_recorded(outcomes: dict[str, int]) -> dict[str, int]:
    """Ledger outcomes as the run that made the calls saw them: an answer served from a
    recording (``replayed``) counts as the ``ok`` call it was when recorded, so a replayed
    run reports what the recorded run reported (the ledger itself keeps ``replayed``)."""
    out = {k: int(v) for k, v in outcomes.items() if k != "replayed"}
    out["ok"] = out.get("ok", 0) + int(outcomes.get("replayed", 0))
    return out


def wrong_place_policy_actions(records: list[AgentDay]) -> int:
    """Executed actions of reused routines whose object lay outside the planned place."""
    return sum(
        1
        for r in records
        for a in r.executed
        if a.source is ActionSource.POLICY and a.target and a.place and a.sector != a.place
    )


def savings_counts(summed: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Per ``aga`` saving, the calls it avoided in this run and the request kinds those
    calls would have been (the comparison prices them at the baseline's tokens per call)."""
    return {
        "one_call_schedule": {
            "calls_avoided": int(summed.get("schedule_calls_avoided", 0)),
            "kinds": ["hourly_schedule"],
        },
        "merged_action_chain": {
            "calls_avoided": int(summed.get("chain_calls_avoided", 0)),
            "kinds": [
                "decompose",
                "action_sector",
                "action_arena",
                "action_object",
                "action_emoji",
                "object_emoji",
                "action_event",
                "object_event",
                "object_state",
            ],
        },
        "poignancy_cache": {
            "calls_avoided": int(summed.get("poignancy_cached", 0)),
            "kinds": ["poignancy"],
        },
        "insight_poignancy": {
            "calls_avoided": int(summed.get("insight_poignancy_avoided", 0)),
            "kinds": ["poignancy"],
        },
        # memories rated in batches, less the batch calls (whose tokens aga pays itself)
        "batched_poignancy": {
            "calls_avoided": int(summed.get("poignancy_batch_avoided", 0)),
            "kinds": ["poignancy"],
        },
        "joint_relationship_update": {
            "calls_avoided": int(summed.get("joint_updates", 0)),
            "kinds": ["relationship"],
        },
        "decision_cache": {
            "calls_avoided": int(summed.get("cached_decisions", 0)),
            "kinds": ["decide_talk"],
        },
    }


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
        brain = town.brains[a]
        matrix.append([0.0 if a == b else round(brain.closeness(b), 2) for b in names])
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
