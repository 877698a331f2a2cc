"""``sim compare``: every mode on every seed, aggregated across seeds beside the paper.

Per seed, each mode's measured run is set against that seed's baseline; the ratios are
then aggregated (mean, min, max) over the seeds. :func:`build_comparison` is pure (reports
in, ``comparison.json`` data out); :func:`compare_modes` runs the tasks (see
:mod:`aga_npc.sim.parallel`), writes the files and prints the table.
"""

from __future__ import annotations

import argparse
import json
import math
import operator
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.errors import ConfigError
from aga_npc.personas.model import Persona
from aga_npc.sim.parallel import WARM_SEED_STEP, RunTask, run_task, run_tasks

__all__ = [
    "DIALOGUE_KINDS",
    "DIALOGUE_PREFIXES",
    "GA_CALLS_PER_AGENT_DAY",
    "GA_PUBLIC_RUN",
    "NORMALISATION",
    "PAPER",
    "PAPER_BANDS",
    "build_comparison",
    "compare_modes",
    "format_summary",
    "is_dialogue_kind",
    "paper_ratio",
    "strip_wall_times",
]

PAPER: dict[int, dict[str, float]] = {
    3: {"aga-paper": 0.311, "lifestyle-only": 0.402, "social-only": 0.586},
    25: {"aga-paper": 0.427},
}
"""The paper's token cost relative to Generative Agents, by town size and mode. ``aga-paper``
is the paper's method; ``aga`` adds this project's own savings and has no paper figure."""

PAPER_BANDS: dict[int, tuple[float, float]] = {3: (0.20, 0.45), 25: (0.30, 0.55)}
"""The ``aga-paper`` ratios this project accepts as reproducing the paper, by town size."""

GA_CALLS_PER_AGENT_DAY = (1000, 1450)
"""Generative Agents' measured LLM calls per agent per game day."""

GA_PUBLIC_RUN: dict[str, int] = {
    "agents": 25,
    "game_hours": 10,
    "requests_per_agent": 548,
    "tokens_per_agent": 264_000,
}
"""A public report of a Generative Agents run: per agent over about ten game hours."""

LIFESTYLE_KINDS: frozenset[str] = frozenset(
    {
        "decompose",
        "action_sector",
        "action_arena",
        "action_object",
        "action_emoji",
        "object_emoji",
        "action_event",
        "object_event",
        "object_state",
        "action_chain",
    }
)
"""Request kinds a Lifestyle Policy hit replaces (decomposition and the per-action chain)."""

SOCIAL_KINDS: frozenset[str] = frozenset({"relationship_summary"})
"""Request kinds Social Memory replaces outright (the per-line relationship summary; the
utterance prompt also shrinks, which this share leaves out)."""

DIALOGUE_KINDS: frozenset[str] = frozenset(
    {"conversation", "dialogue", "relationship", "relationship_summary", "summary", "utterance"}
)
"""Request kinds (ledger modules) whose tokens grow with the number of conversation lines."""

DIALOGUE_PREFIXES: tuple[str, ...] = ("convo_",)
"""Request kinds starting with one of these are dialogue kinds too."""

NORMALISATION = (
    "ratio_to_baseline_normalised: per seed, the tokens of the dialogue request kinds "
    "(dialogue_kinds, and kinds starting with dialogue_prefixes) are scaled by the "
    "baseline's conversation lines over this mode's (report conversations.turns), so every "
    "mode is charged for as much talking as the baseline did; the other kinds are unchanged. "
    "A seed where this mode spoke no line and the baseline did has no normalised ratio."
)


def is_dialogue_kind(kind: str) -> bool:
    """Whether a request kind's tokens scale with the conversation lines spoken."""
    return kind in DIALOGUE_KINDS or kind.startswith(DIALOGUE_PREFIXES)


def paper_ratio(mode: str, npcs: int) -> float | None:
    """The paper's token ratio for ``mode`` in a town of ``npcs`` agents, if it published one."""
    return PAPER.get(npcs, {}).get(mode)


def strip_wall_times(data: Any) -> Any:
    """``data`` without the ``timing`` block and any key ending in ``wall_seconds``: what is
    left is identical for the same seeds however the runs were spread over workers."""
    if isinstance(data, Mapping):
        return {
            k: strip_wall_times(v)
            for k, v in data.items()
            if k != "timing" and not str(k).endswith("wall_seconds")
        }
    if isinstance(data, list):
        return [strip_wall_times(v) for v in data]
    return data


def _spread(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "mean": _round(math.fsum(values) / len(values)),
        "min": _round(min(values)),
        "max": _round(max(values)),
    }


def _round(value: float) -> float:
    return round(float(value), 6)


def _mean(values: Sequence[float]) -> float:
    return _round(math.fsum(values) / len(values)) if values else 0.0


def _dialogue_tokens(report: Mapping[str, Any]) -> int:
    rows = report["tokens"]["by_module"]
    return sum(r["prompt"] + r["completion"] for k, r in rows.items() if is_dialogue_kind(k))


def _normalised_total(report: Mapping[str, Any], baseline_lines: int) -> float | None:
    """Total tokens with the dialogue kinds scaled to ``baseline_lines`` conversation lines."""
    total = float(report["tokens"]["total"])
    lines = int(report["conversations"]["turns"])
    if lines == baseline_lines:
        return total
    if lines == 0:
        return None
    dialogue = _dialogue_tokens(report)
    return total - dialogue + dialogue * baseline_lines / lines


def _seed_row(report: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    total = report["tokens"]["total"]
    base_total = base["tokens"]["total"]
    normalised = _normalised_total(report, int(base["conversations"]["turns"]))
    agent_days = max(1, report["npcs"] * report["days"])
    policy = report["policy"]
    return {
        "seed": report["seed"],
        "tokens": total,
        "dialogue_tokens": _dialogue_tokens(report),
        "normalised_tokens": None if normalised is None else _round(normalised),
        "ratio": _round(total / base_total) if base_total else None,
        "ratio_normalised": (
            _round(normalised / base_total) if base_total and normalised is not None else None
        ),
        "llm_calls": report["llm_calls"],
        "calls_per_agent_day": _round(report["calls_per_agent_day"]),
        "tokens_per_agent_day": _round(total / agent_days),
        "conversations": report["conversations"]["started"],
        "conversation_lines": report["conversations"]["turns"],
        "prompt_tokens_per_line": _round(report["conversations"].get("turn_prompt_tokens_mean", 0)),
        "violations": report["violations"]["total"],
        "policy_hits": policy["hits"],
        "policy_lookups": policy["lookups"],
        "wall_seconds": report.get("wall_seconds", 0.0),
    }


def _by_kind(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    kinds = sorted({k for r in reports for k in r["tokens"]["by_module"]})
    out: dict[str, Any] = {}
    for kind in kinds:
        rows = [r["tokens"]["by_module"].get(kind, {}) for r in reports]
        days = [max(1, r["npcs"] * r["days"]) for r in reports]
        entry: dict[str, Any] = {"dialogue": is_dialogue_kind(kind)}
        per_day: dict[str, float] = {}
        for field in ("prompt", "completion", "calls"):
            values = [float(row.get(field, 0)) for row in rows]
            entry[field] = _mean(values)
            per_day[field] = _mean([v / d for v, d in zip(values, days, strict=True)])
        entry["per_agent_day"] = per_day
        out[kind] = entry
    return out


def _mode_block(
    mode: str,
    reports: Sequence[Mapping[str, Any]],
    bases: Sequence[Mapping[str, Any]],
    peers: Sequence[Mapping[str, Mapping[str, Any]]] = (),
) -> dict[str, Any]:
    rows = [_seed_row(r, b) for r, b in zip(reports, bases, strict=True)]
    ratios = [row["ratio"] for row in rows if row["ratio"] is not None]
    normalised = [row["ratio_normalised"] for row in rows if row["ratio_normalised"] is not None]
    by_rule: dict[str, int] = {}
    for r in reports:
        for rule, count in r["violations"].get("by_rule", {}).items():
            by_rule[rule] = by_rule.get(rule, 0) + int(count)
    hits = sum(r["policy"]["hits"] for r in reports)
    lookups = sum(r["policy"]["lookups"] for r in reports)
    last_day = str(reports[0]["days"])
    last_rates = [
        r["policy"]["by_day"][last_day]["hit_rate"]
        for r in reports
        if r["policy"].get("by_day", {}).get(last_day, {}).get("lookups")
    ]
    sizes = [r["policy"]["store_size"] for r in reports if "store_size" in r["policy"]]
    return {
        "paper": paper_ratio(mode, reports[0]["npcs"]),
        "warm_mode": reports[0].get("warm_mode"),
        "seeds": len(rows),
        "ratio_to_baseline": _spread(ratios),
        "ratio_to_baseline_normalised": _spread(normalised),
        "seeds_normalised": len(normalised),
        "tokens": {
            "total": _spread([row["tokens"] for row in rows]),
            "prompt": _mean([r["tokens"]["prompt"] for r in reports]),
            "completion": _mean([r["tokens"]["completion"] for r in reports]),
            "dialogue": _mean([row["dialogue_tokens"] for row in rows]),
            "per_agent_day": _spread([row["tokens_per_agent_day"] for row in rows]),
        },
        "llm_calls": _spread([row["llm_calls"] for row in rows]),
        "calls_per_agent_day": _spread([row["calls_per_agent_day"] for row in rows]),
        "by_kind": _by_kind(reports),
        "conversations": _spread([row["conversations"] for row in rows]),
        "conversation_lines": _spread([row["conversation_lines"] for row in rows]),
        "dialogue_prompt_tokens_per_line": _spread(
            [row["prompt_tokens_per_line"] for row in rows if row["conversation_lines"]]
        ),
        "violations": {
            "total": _spread([row["violations"] for row in rows]),
            "sum": sum(row["violations"] for row in rows),
            "by_rule": dict(sorted(by_rule.items())),
            "agent_days": sum(r["violations"].get("agent_days", 0) for r in reports),
        },
        "policy": {
            "hits": hits,
            "lookups": lookups,
            "hit_rate": _round(hits / lookups) if lookups else None,
            "last_day_hit_rate": _spread(last_rates),
            "hits_by_scope": _sum_maps([r["policy"].get("hits_by_scope", {}) for r in reports]),
            "wrong_place_actions": sum(r["policy"].get("wrong_place_actions", 0) for r in reports),
            "store_size": _mean(sizes) if sizes else None,
        },
        "plan_mismatch_share": _spread(
            [r["violations"].get("plan_mismatch_share", 0.0) for r in reports]
        ),
        "loop_per_agent_day": {
            key: _mean([r.get("loop_per_agent_day", {}).get(key, 0.0) for r in reports])
            for key in sorted({k for r in reports for k in r.get("loop_per_agent_day", {})})
        },
        "llm_failures": sum(r["llm_failures"] for r in reports),
        "llm_fallbacks": sum(r["llm_fallbacks"] for r in reports),
        "warm_runs": reports[0].get("warm_runs", 0),
        "savings": _savings(reports, bases, peers),
        "per_seed": rows,
    }


def _sum_maps(maps: Sequence[Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in maps:
        for k, v in m.items():
            out[k] = out.get(k, 0) + int(v)
    return dict(sorted(out.items()))


PRICING_FALLBACK = ("aga-paper", "social-only", "lifestyle-only")
"""Modes that price a saving whose request kind the baseline never calls, in order."""

SAVINGS_METHOD = (
    "Per switch of the aga mode's own savings: the calls it avoided in the measured run "
    "(counted by the brain), priced at the baseline's tokens per call over the request "
    "kinds those calls would have been (weighted by the baseline's mix, same seed); a kind "
    "the baseline never calls (the per-person relationship update belongs to Social Memory) "
    "is priced from the first mode of the same seed that does call it, in the order "
    f"{', '.join(PRICING_FALLBACK)} (named in priced_from); "
    "share = those tokens over everything this mode saved against the baseline (the rest "
    "is the paper's two substitutions and differences in what happened)."
)


def _price_rows(
    kinds: Sequence[str], base: Mapping[str, Any], peers: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], str]:
    """The per-kind token rows that price ``kinds`` and the mode they come from: the
    baseline's when it calls any of them, else the first of PRICING_FALLBACK that does."""
    for name, report in [("baseline", base)] + [
        (m, peers[m]) for m in PRICING_FALLBACK if m in peers
    ]:
        rows = report["tokens"]["by_module"]
        priced = [rows[k] for k in kinds if k in rows and rows[k]["calls"]]
        if priced:
            return priced, name
    return [], "none"


def _savings(
    reports: Sequence[Mapping[str, Any]],
    bases: Sequence[Mapping[str, Any]],
    peers: Sequence[Mapping[str, Mapping[str, Any]]] = (),
) -> dict[str, Any] | None:
    """Each saving's calls and tokens avoided and its share of this mode's saving."""
    if not any(
        r.get("savings") and any(v["calls_avoided"] for v in r["savings"].values()) for r in reports
    ):
        return None
    names = sorted({n for r in reports for n in r.get("savings", {})})
    out: dict[str, Any] = {}
    for name in names:
        calls, tokens, shares = [], [], []
        sources: set[str] = set()
        seed_peers = list(peers) or [{} for _ in reports]
        for report, base, peer in zip(reports, bases, seed_peers, strict=True):
            entry = report.get("savings", {}).get(name)
            if entry is None:
                continue
            priced, source = _price_rows(entry["kinds"], base, peer)
            if entry["calls_avoided"]:
                sources.add(source)
            priced_calls = sum(r["calls"] for r in priced)
            per_call = (
                sum(r["prompt"] + r["completion"] for r in priced) / priced_calls
                if priced_calls
                else 0.0
            )
            avoided = entry["calls_avoided"] * per_call
            saved = base["tokens"]["total"] - report["tokens"]["total"]
            calls.append(float(entry["calls_avoided"]))
            tokens.append(avoided)
            shares.append(avoided / saved if saved > 0 else 0.0)
        out[name] = {
            "calls_avoided": _spread(calls),
            "tokens_avoided": _spread(tokens),
            "share_of_saving": _spread(shares),
            "priced_from": sorted(sources),
        }
    return {"method": SAVINGS_METHOD, "by_switch": out}


def build_comparison(
    runs: Mapping[int, Mapping[str, Mapping[str, Any]]], *, warm_runs: int
) -> dict[str, Any]:
    """The ``comparison.json`` data from the measured reports, ``{seed: {mode: report}}``.

    Every seed must have a ``baseline`` report and the same modes. Deterministic: the same
    reports give the same data (``wall_seconds`` keys aside).

    Raises:
        ValueError: no seeds, a seed without a baseline, or seeds with different modes.
    """
    seeds = sorted(runs)
    if not seeds:
        raise ValueError("build_comparison needs at least one seed")
    modes = list(runs[seeds[0]])
    for seed in seeds:
        if "baseline" not in runs[seed]:
            raise ValueError(f"seed {seed} has no baseline report")
        if set(runs[seed]) != set(modes):
            raise ValueError(f"seed {seed} has modes {sorted(runs[seed])}, expected {modes}")
    order = ["baseline"] + [m for m in modes if m != "baseline"]
    first = runs[seeds[0]]["baseline"]
    npcs, days = int(first["npcs"]), int(first["days"])
    bases = [runs[s]["baseline"] for s in seeds]
    peers = [runs[s] for s in seeds]
    blocks = {m: _mode_block(m, [runs[s][m] for s in seeds], bases, peers) for m in order}
    band = PAPER_BANDS.get(npcs)
    return {
        "npcs": npcs,
        "days": days,
        "seeds": seeds,
        "warm_runs": warm_runs,
        "warm_seeds": f"seed + {WARM_SEED_STEP} * k for warm run k = 1..{warm_runs}",
        "llm": dict(first["llm"]),
        "embedder": first["embedder"],
        "mode_order": order,
        "modes": blocks,
        "dialogue_kinds": sorted(DIALOGUE_KINDS),
        "dialogue_prefixes": list(DIALOGUE_PREFIXES),
        "normalisation": NORMALISATION,
        "paper": {
            "npcs": npcs,
            "ratios": dict(PAPER.get(npcs, {})),
            "aga_paper_band": list(band) if band else None,
            "source": "Yu et al., Affordable Generative Agents: tokens relative to Generative "
            "Agents (3 agents: aga-paper, lifestyle-only, social-only; 25 agents: aga-paper)",
        },
        "fidelity": _fidelity(blocks, npcs),
    }


def _fmt_spread(s: Mapping[str, float] | None, spec: str = ".3f") -> str:
    if s is None:
        return "-"
    return f"{s['mean']:{spec}} ({s['min']:{spec}}-{s['max']:{spec}})"


def _factor(value: float, reference: float) -> str:
    """How far ``value`` is from ``reference``: "27%" below 1.5x apart, else "3.1x", "52x"."""
    if value <= 0:
        return "infinitely"
    f = reference / value if value < reference else value / reference
    if f < 1.5:
        return f"{abs(value - reference) / reference:.0%}"
    return f"{f:.1f}x" if f < 10 else f"{f:,.0f}x"


def _far(value: float, reference: float) -> bool:
    return value <= 0 or reference / value >= 3


def _fidelity(blocks: Mapping[str, Any], npcs: int) -> dict[str, Any]:
    base = blocks["baseline"]
    n = base["seeds"]
    calls = base["calls_per_agent_day"]
    lo, hi = GA_CALLS_PER_AGENT_DAY
    m = calls["mean"]
    where = f"(mean of {_plural(n, 'seed')}; {calls['min']:,.1f}-{calls['max']:,.1f})"
    if m < lo:
        verdict = (
            f"below: {m:,.1f} LLM calls per agent-day {where} is {_factor(m, lo)} below "
            f"Generative Agents' measured {lo:,}-{hi:,}"
        )
        if _far(m, lo):
            verdict += "; the baseline makes far fewer calls than Generative Agents' loop"
    elif m <= hi:
        verdict = f"within Generative Agents' measured {lo:,}-{hi:,} calls per agent-day {where}"
    else:
        verdict = (
            f"above: {m:,.1f} LLM calls per agent-day {where} is {_factor(m, hi)} above "
            f"Generative Agents' measured {lo:,}-{hi:,}"
        )
    tokens = base["tokens"]["per_agent_day"]
    ref = GA_PUBLIC_RUN["tokens_per_agent"]
    t = tokens["mean"]
    span = f"(mean of {_plural(n, 'seed')}; {tokens['min']:,.0f}-{tokens['max']:,.0f})"
    public = (
        f"the ~{ref:,} tokens per agent of a public {GA_PUBLIC_RUN['agents']}-agent Generative "
        f"Agents run over about {GA_PUBLIC_RUN['game_hours']} game hours"
    )
    if t < ref:
        token_verdict = (
            f"below: {t:,.0f} tokens per agent-day {span} is {_factor(t, ref)} below "
            f"{public}; a whole game day would cost more still"
        )
    else:
        token_verdict = f"comparable: {t:,.0f} tokens per agent-day {span} is at least {public}"

    return {
        "baseline_calls_per_agent_day": {
            **calls,
            "generative_agents": {"low": lo, "high": hi},
            "verdict": verdict,
        },
        "baseline_tokens_per_agent_day": {
            **tokens,
            "public_report": dict(GA_PUBLIC_RUN),
            "verdict": token_verdict,
        },
        "aga_paper_ratio": _paper_fidelity(blocks.get("aga-paper"), npcs),
        "aga_paper_reach": _reach(base, blocks.get("aga-paper"), npcs),
    }


def _reach(base: Mapping[str, Any], block: Mapping[str, Any] | None, npcs: int) -> dict[str, Any]:
    """How low ``aga-paper`` could go on this baseline: the share of the baseline's tokens in
    the request kinds the two substitutions replace, the ratio if every lookup hit and no
    relationship summary were asked (the floor), and the policy hit rate the paper's band
    needs (its upper end, with Social Memory's share taken as saved)."""
    rows = base["by_kind"]

    def tokens(kinds: frozenset[str] | None) -> float:
        return math.fsum(
            float(r["prompt"]) + float(r["completion"])
            for k, r in rows.items()
            if kinds is None or k in kinds
        )

    total = tokens(None)
    if total <= 0:
        return {"verdict": "not measured: the baseline spent no tokens"}
    lifestyle = tokens(LIFESTYLE_KINDS) / total
    social = tokens(SOCIAL_KINDS) / total
    out: dict[str, Any] = {
        "lifestyle_share": _round(lifestyle),
        "social_share": _round(social),
        "floor": _round(1.0 - lifestyle - social),
    }
    band = PAPER_BANDS.get(npcs)
    needed = None
    if band is not None and lifestyle > 0:
        needed = (1.0 - social - band[1]) / lifestyle
        out["hit_rate_for_band"] = _round(needed)
    hit_rate = block["policy"]["hit_rate"] if block is not None else None
    out["hit_rate"] = hit_rate
    verdict = (
        f"the kinds aga-paper replaces are {lifestyle:.1%} (Lifestyle Policy) and {social:.1%} "
        f"(Social Memory) of the baseline's tokens, so even every lookup a hit gives "
        f"{1.0 - lifestyle - social:.3f}"
    )
    if needed is not None and band is not None:
        verdict += f"; the band's upper end {band[1]:.2f} needs a policy hit rate of " + (
            f"{needed:.0%}" if needed <= 1 else "more than 100% (out of reach)"
        )
        if hit_rate is not None:
            verdict += f" (measured {hit_rate:.0%})"
    out["verdict"] = verdict
    return out


def _paper_fidelity(block: Mapping[str, Any] | None, npcs: int) -> dict[str, Any]:
    paper = paper_ratio("aga-paper", npcs)
    band = PAPER_BANDS.get(npcs)
    out: dict[str, Any] = {"paper": paper, "band": list(band) if band else None}
    if block is None:
        return {**out, "verdict": "not measured: aga-paper was not among the modes"}
    ratio = block["ratio_to_baseline"]
    out.update(ratio or {})
    out["normalised"] = block["ratio_to_baseline_normalised"]
    if ratio is None:
        return {**out, "verdict": "not measured: the baseline spent no tokens"}
    if band is None or paper is None:
        return {**out, "verdict": f"no paper figure for {npcs} agents (published: 3 and 25)"}
    lo, hi = band
    inside = sum(
        1 for row in block["per_seed"] if row["ratio"] is not None and lo <= row["ratio"] <= hi
    )
    m = ratio["mean"]
    place = "within" if lo <= m <= hi else ("above" if m > hi else "below")
    out["verdict"] = (
        f"{place} the paper's band {lo:.2f}-{hi:.2f}: mean {m:.3f} ({ratio['min']:.3f}-"
        f"{ratio['max']:.3f}) against the paper's {paper:.3f}; {inside} of {block['seeds']} "
        "seeds within the band"
    )
    return out


def format_summary(comparison: Mapping[str, Any]) -> str:
    """The per-mode table (mean and min-max over the seeds) and the fidelity verdicts."""
    seeds = comparison["seeds"]
    head = (
        f"{comparison['npcs']} NPCs, {_plural(comparison['days'], 'game day')}, "
        f"{_plural(len(seeds), 'seed')} ({_seed_text(seeds)}), "
        f"{_plural(comparison['warm_runs'], 'warm run')} per policy mode{_riders(comparison)}; "
        f"LLM {comparison['llm'].get('model', '?')}, embedder {comparison['embedder']}"
    )
    cols = (
        f"{'mode':15} {'tokens/seed':>12} {'ratio to baseline':>21} {'normalised':>21} "
        f"{'paper':>6} {'calls/agent-day':>22} {'lines':>5} {'viol.':>5} {'policy hits':>12}"
    )
    lines = [head, cols]
    for mode in comparison["mode_order"]:
        b = comparison["modes"][mode]
        paper = f"{b['paper']:.3f}" if b["paper"] is not None else "-"
        norm = _fmt_spread(b["ratio_to_baseline_normalised"])
        if b["seeds_normalised"] < b["seeds"]:
            norm += f" [{b['seeds_normalised']}/{b['seeds']}]"
        pol = b["policy"]
        hits = f"{pol['hits']}/{pol['lookups']}" if pol["lookups"] else "-"
        lines.append(
            f"{mode:15} {b['tokens']['total']['mean']:>12,.0f} "
            f"{_fmt_spread(b['ratio_to_baseline']):>21} {norm:>21} {paper:>6} "
            f"{_fmt_spread(b['calls_per_agent_day'], '.1f'):>22} "
            f"{b['conversation_lines']['mean']:>5.1f} {b['violations']['sum']:>5} {hits:>12}"
        )
    lines.append(
        "normalised: dialogue request kinds scaled to the baseline's conversation lines per "
        "seed (lines: mean conversation lines per run; [k/n]: seeds with a normalised ratio)"
    )
    fid = comparison["fidelity"]
    lines.append(f"baseline calls: {fid['baseline_calls_per_agent_day']['verdict']}")
    lines.append(f"baseline tokens: {fid['baseline_tokens_per_agent_day']['verdict']}")
    lines.append(f"aga-paper vs paper: {fid['aga_paper_ratio']['verdict']}")
    lines.append(f"aga-paper reach: {fid['aga_paper_reach']['verdict']}")
    return "\n".join(lines)


def _riders(comparison: Mapping[str, Any]) -> str:
    shared = [
        f"{mode} on {block['warm_mode']}'s"
        for mode, block in comparison["modes"].items()
        if block.get("warm_mode") not in (None, mode)
    ]
    return f" ({', '.join(shared)})" if shared else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _seed_text(seeds: Sequence[int]) -> str:
    if len(seeds) > 2 and list(seeds) == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}"
    return ",".join(str(s) for s in seeds)


def _personas(args: argparse.Namespace) -> tuple[Persona, ...]:
    from aga_npc.personas.loader import load_personas, town_personas

    if args.personas:
        return tuple(load_personas(args.personas))
    if args.npcs not in (3, 25):
        raise ConfigError(
            f"--npcs {args.npcs}: the bundled town has 3- and 25-resident sets; "
            "give --personas PATH for other sets"
        )
    return tuple(town_personas(args.npcs))


SHARED_WARM_RUNS: dict[Mode, Mode] = {Mode.LIFESTYLE_ONLY: Mode.AGA_PAPER}
"""A mode measured on another mode's warm runs (when both are compared): ``lifestyle-only``
learns its routines exactly as ``aga-paper`` does (the Lifestyle Policy is the same; only
the dialogue differs), so it is measured from the routines ``aga-paper``'s warm runs left
instead of building its own. This is the paper's ablation on one set of prepared policies,
and it saves two warm runs per seed."""


def plan_tasks(args: argparse.Namespace) -> list[RunTask]:
    """One task per seed and mode (baseline always included), seeds in order; a mode of
    :data:`SHARED_WARM_RUNS` rides on its partner's task when both are compared."""
    personas = tuple(p.to_dict() for p in _personas(args))
    modes = [Mode.parse(m) for m in args.modes]
    if Mode.BASELINE not in modes:
        modes.insert(0, Mode.BASELINE)
    riders = {m: host for m, host in SHARED_WARM_RUNS.items() if m in modes and host in modes}
    if args.warm_runs == 0:
        riders = {}
    map_path = str(Path(args.map).resolve()) if args.map else None
    return [
        RunTask(
            personas=personas,
            mode=mode,
            also=tuple(m for m, host in riders.items() if host is mode),
            seed=seed,
            days=args.days,
            warm_runs=args.warm_runs,
            map_path=map_path,
            lod=args.lod,
            mind_wandering=not args.no_mind_wandering,
            embed=args.embed,
            wording=args.wording,
            savings=args.savings,
            sharing=args.sharing,
            line_minutes=args.line_minutes,
        )
        for seed in args.seeds
        for mode in modes
        if mode not in riders
    ]


def _same_stack(reports: Iterable[Mapping[str, Any]]) -> None:
    seen = {(json.dumps(r["llm"], sort_keys=True), r["embedder"]) for r in reports}
    if len(seen) > 1:
        raise ConfigError(
            f"the runs used different LLMs or embedders ({sorted(seen)}); give every worker "
            "the same AGA_* environment"
        )


def compare_modes(args: argparse.Namespace) -> dict[str, Any]:
    """``sim compare``: every task (in parallel when asked), then the files and the table.

    Writes ``comparison.json``, each measured report as ``runs/seed<S>_<mode>.json`` and,
    with pygame installed and without ``--no-charts``, ``tokens_by_mode.png`` and
    ``closeness_<mode>.png`` (the first seed's run).
    """
    import time

    from aga_npc.config import Settings
    from aga_npc.store.atomic import atomic_write_bytes

    Settings.from_env().with_overrides(embed=args.embed)  # a bad AGA_* fails here, not later
    tasks = plan_tasks(args)
    measured = sum(len(t.modes) for t in tasks)
    out = Path(args.out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    finished: list[dict[str, Any]] = []

    def done(task: RunTask, reports: list[dict[str, Any]], at: float) -> None:
        for mode, report in zip(task.modes, reports, strict=True):
            finished.append(
                {
                    "seed": task.seed,
                    "mode": mode.value,
                    "runs": (task.warm + 1) if mode is task.mode else 1,
                    "warm_mode": report.get("warm_mode"),
                    "run_wall_seconds": round(
                        report.get("wall_seconds", 0.0)
                        + (report.get("warm_wall_seconds", 0.0) if mode is task.mode else 0.0),
                        3,
                    ),
                    "done_at_wall_seconds": round(at, 3),
                }
            )
        if not args.quiet:
            print(
                f"[{len(finished)}/{measured}] {task.label}: "
                f"{task.warm + len(task.modes)} run(s), done at {at:.1f} s",
                file=sys.stderr,
            )

    workers = args.workers
    reports = run_tasks(
        run_task,
        tasks,
        cost=operator.attrgetter("cost"),
        workers=workers,
        ray=args.ray,
        on_done=done,
    )
    _same_stack(r for group in reports for r in group)
    runs: dict[int, dict[str, Any]] = {}
    for task, group in zip(tasks, reports, strict=True):
        for mode, report in zip(task.modes, group, strict=True):
            runs.setdefault(task.seed, {})[mode.value] = report
            path = out / "runs" / f"seed{task.seed}_{mode.value}.json"
            data = json.dumps(report, indent=1, sort_keys=True).encode("utf-8")
            atomic_write_bytes(path, data)
    comparison = build_comparison(runs, warm_runs=args.warm_runs)
    comparison["runs"] = {
        str(seed): {m: f"runs/seed{seed}_{m}.json" for m in modes} for seed, modes in runs.items()
    }
    executor = f"ray ({args.ray})" if args.ray else ("in-process" if workers == 1 else "processes")
    comparison["timing"] = {
        "wall_seconds": round(time.perf_counter() - started, 3),
        "workers": workers,
        "executor": executor,
        "tasks": finished,
    }
    atomic_write_bytes(
        out / "comparison.json", json.dumps(comparison, indent=1, sort_keys=True).encode("utf-8")
    )
    if not args.no_charts:
        _charts(comparison, runs, out)
    print(format_summary(comparison))
    return comparison


def _charts(comparison: Mapping[str, Any], runs: Mapping[int, Any], out: Path) -> None:
    try:
        from aga_npc.sim.charts import heatmap, tokens_chart

        tokens_chart(comparison, out / "tokens_by_mode.png")
        seed = comparison["seeds"][0]
        for name, report in runs[seed].items():
            close = report["closeness"]
            heatmap(
                close["names"],
                close["matrix"],
                out / f"closeness_{name}.png",
                label=f"Closeness after {report['days']} days ({name}, seed {seed})",
            )
    except ImportError as exc:  # pygame is an optional extra
        print(f"note: no PNG charts ({exc})", file=sys.stderr)
