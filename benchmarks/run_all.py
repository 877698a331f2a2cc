"""The benchmark book: run every benchmark and write BENCHMARKS.md.

    python -m benchmarks [--quick] [--out BENCHMARKS.md] [--keep DIR]

Runs, each as its own process (so one's memory and threads do not disturb another):
the token comparison (3 and 25 NPCs, AGA / baseline / ablations), the headless demo's frame
times at 25/50/100/200 NPCs with 2 s LLM latency (and 0 s / 5 s at 25 and 50), the gateway, the
Lifestyle Policy lookup and plan matching, pathfinding, headless simulation speed and the
week-long soak. Every table names the machine and the command that produced it.
``--quick`` uses the reduced sizes (3 NPCs, short runs) to check the book end to end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks._common import environment  # noqa: E402


class Book:
    """Collects sections of markdown and the commands that produced them."""

    def __init__(self, workdir: Path, quick: bool, *, reuse: Sequence[str] = ()) -> None:
        self.workdir = workdir
        self.quick = quick
        self.reuse = set(reuse)
        self.parts: list[str] = []
        self.misses: list[str] = []
        self.reused: list[str] = []

    def run(
        self,
        name: str,
        argv: Sequence[str],
        *,
        output: Path,
        timeout: float = 1800,
        section: str = "",
    ) -> bool:
        """Run a benchmark process that writes ``output``; False when it failed.

        A section named in ``reuse`` whose ``output`` a run of the same commit left in the
        work folder is not run again (``--keep DIR --reuse tokens``: re-run only the timing
        sections on a quiet machine; the token runs are deterministic)."""
        if section in self.reuse and output.exists() and _stamp(self.workdir) == _commit():
            print(f"[book] {name}: reused {output}", file=sys.stderr, flush=True)
            self.reused.append(name)
            return True
        started = time.perf_counter()
        print(f"[book] {name}: {' '.join(argv)}", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            tail = (done.stderr or done.stdout)[-800:]
            self.parts.append(f"**{name} failed** (exit {done.returncode}):\n\n```\n{tail}\n```\n")
            self.misses.append(f"{name}: the benchmark failed")
            return False
        print(f"[book] {name}: {seconds:.0f} s", file=sys.stderr, flush=True)
        return True

    def json(self, path: Path) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            return {}
        return data

    def section(
        self,
        title: str,
        command: str,
        header: Sequence[str],
        rows: list[list[Any]],
        notes: str = "",
    ) -> None:
        lines = [f"## {title}", "", f"Command: `{command}`", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in rows:
            lines.append("| " + " | ".join(_fmt(v) for v in row) + " |")
        if notes:
            lines += ["", notes]
        lines.append("")
        self.parts.append("\n".join(lines))

    def goal(self, label: str, value: float, target: float, *, at_most: bool = True) -> str:
        met = value <= target if at_most else value >= target
        if not met:
            self.misses.append(
                f"{label}: {_fmt(value)} (goal {'<=' if at_most else '>='} {_fmt(target)})"
            )
        return "met" if met else "**missed**"


def _commit() -> str:
    """HEAD's commit, with "+dirty" when the tree has changes (never reused)."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head}+dirty" if dirty or not head else head


def _stamp(workdir: Path) -> str:
    try:
        return (workdir / "COMMIT").read_text().strip()
    except OSError:
        return ""


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


GA_PROMPT_TOKENS = {
    "wake_up": "~340",
    "daily_plan": "~400",
    "hourly_schedule": "~1,180",
    "decompose": "~940",
    "action_sector": "~690",
    "action_arena": "~260",
    "action_object": "~220",
    "action_emoji": "~70",
    "object_emoji": "~70",
    "action_event": "~180",
    "object_event": "~180",
    "object_state": "~100",
    "poignancy": "~430",
    "decide_talk": "~300",
    "decide_react": "~300",
    "relationship_summary": "~1,050",
    "utterance": "~750",
    "convo_summary": "~400-600",
    "convo_memo": "~400-600",
    "planning_thought": "~400-600",
    "focal_points": "~1,550",
    "insights": "~500",
    "replan": "~900-1,200",
}
"""Generative Agents' prompt sizes per call (cl100k, its own templates filled with a
typical agent), for the per-kind table."""


def _spread(s: Any, spec: str = ".3f") -> str:
    if not s:
        return "-"
    return f"{s['mean']:{spec}} ({s['min']:{spec}}-{s['max']:{spec}})"


def _compare(
    book: Book,
    npcs: int,
    *,
    wording: str = "default",
    sharing: str = "town",
    modes: str | None = None,
    seeds: str = "0-4",
) -> tuple[dict[str, Any], str]:
    out = book.workdir / f"compare{npcs}_{wording}_{sharing}{'_' + modes if modes else ''}"
    cmd = [
        "-m",
        "aga_npc.sim",
        "compare",
        "--npcs",
        str(npcs),
        "--days",
        "2",
        "--warm-runs",
        "2",
        "--seeds",
        seeds,
        "--workers",
        "2",
        "--out",
        str(out),
    ]
    if wording != "default":
        cmd += ["--wording", wording]
    if sharing != "town":
        cmd += ["--sharing", sharing]
    if modes:
        cmd += ["--modes", modes]
    book.run(
        f"compare {npcs} {wording} {sharing}",
        [*cmd, "--quiet", "--no-charts"],
        output=out / "comparison.json",
        timeout=3600,
        section="tokens",
    )
    shown = "python " + " ".join("reports/" if a == str(out) else a for a in cmd)
    return book.json(out / "comparison.json"), shown


def tokens(book: Book) -> None:
    sizes = (3,) if book.quick else (3, 25)
    for npcs in sizes:
        for wording in ("default", "paraphrase"):
            comp, shown = _compare(book, npcs, wording=wording)
            if comp:
                _token_section(book, comp, shown, npcs, wording)
    sharing(book)


def _token_section(book: Book, comp: dict[str, Any], shown: str, npcs: int, wording: str) -> None:
    rows = []
    for mode in comp["mode_order"]:
        b = comp["modes"][mode]
        policy = b["policy"]
        rows.append(
            [
                mode,
                b["tokens"]["total"]["mean"],
                _spread(b["ratio_to_baseline"]),
                _spread(b["ratio_to_baseline_normalised"]),
                b["paper"] if b["paper"] is not None else "-",
                _spread(b["calls_per_agent_day"], ".0f"),
                _spread(b["conversation_lines"], ".0f"),
                b["violations"]["sum"],
                _spread(b["plan_mismatch_share"], ".4f"),
                f"{policy['hits']}/{policy['lookups']}" if policy["lookups"] else "-",
                _spread(policy["last_day_hit_rate"]) if policy["lookups"] else "-",
                policy["wrong_place_actions"] if policy["lookups"] else "-",
            ]
        )
    modes = comp["modes"]
    base = modes["baseline"]
    fid = comp["fidelity"]
    seconds = comp.get("timing", {}).get("wall_seconds", 0.0)
    limit = 180.0 if npcs == 3 else 1800.0
    wall_ok = book.goal(f"compare wall s, {npcs} NPCs, {wording}", seconds, limit)
    notes = [
        f"Seeds {comp['seeds']}, {comp['warm_runs']} warm runs per policy mode; LLM "
        f"{comp['llm']['backend']}, embedder {comp['embedder']}; wall {seconds:.0f} s on 2 "
        f"workers (goal <= {limit:.0f} s: {wall_ok}).",
    ]
    calls = base["calls_per_agent_day"]["mean"]
    calls_ok = book.goal(
        f"baseline calls per agent-day, {npcs} NPCs, {wording}", calls, 700.0, at_most=False
    )
    verdict = fid["baseline_calls_per_agent_day"]["verdict"]
    notes.append(
        f"Baseline LLM calls per agent-day {calls:.0f} (goal >= 700: {calls_ok}; Generative "
        f"Agents measured 1,000-1,450). {verdict}"
    )
    notes.append(fid["aga_paper_ratio"]["verdict"])
    band = (0.20, 0.45) if npcs == 3 else (0.30, 0.55)
    paper = modes.get("aga-paper", {}).get("ratio_to_baseline")
    if paper:
        inside = band[0] <= paper["mean"] <= band[1]
        if not inside:
            book.misses.append(
                f"aga-paper ratio, {npcs} NPCs, {wording}: {paper['mean']:.3f} (the paper's "
                f"band {band[0]}-{band[1]})"
            )
    aga = modes.get("aga", {}).get("ratio_to_baseline")
    if aga:
        goal = 0.15 if npcs == 3 else 0.25
        status = book.goal(f"aga ratio, {npcs} NPCs, {wording}", aga["mean"], goal)
        notes.append(f"aga mean ratio {aga['mean']:.3f} (goal <= {goal}: {status}).")
    for mode in comp["mode_order"]:
        b = modes[mode]
        book.goal(f"violations, {mode}, {npcs} NPCs, {wording}", b["violations"]["sum"], 0)
        share = (b["plan_mismatch_share"] or {}).get("mean", 0.0)
        book.goal(f"plan-action mismatch, {mode}, {npcs} NPCs, {wording}", share, 0.02)
        if b["policy"]["lookups"]:
            book.goal(
                f"wrong-place routine actions, {mode}, {npcs} NPCs, {wording}",
                b["policy"]["wrong_place_actions"],
                0,
            )
    if wording == "paraphrase" and npcs == 3 and "aga-paper" in modes:
        last = modes["aga-paper"]["policy"]["last_day_hit_rate"]
        if last:
            status = book.goal(
                "day-2 policy hit rate under paraphrase, 3 NPCs (aga-paper)",
                last["mean"],
                0.70,
                at_most=False,
            )
            notes.append(
                f"Day-2 hit rate under paraphrase (aga-paper): {last['mean']:.3f} "
                f"(goal >= 0.70: {status})."
            )
    book.section(
        f"Tokens: AGA vs Generative Agents' loop, {npcs} NPCs, 2 game days, {wording} wording",
        shown,
        [
            "mode",
            "tokens / seed",
            "ratio to baseline",
            "normalised",
            "paper",
            "calls / agent-day",
            "lines / run",
            "violations",
            "plan mismatch",
            "policy hits",
            "day-2 hit rate",
            "wrong-place",
        ],
        rows,
        " ".join(notes) + " Normalised: " + comp["normalisation"],
    )
    if wording != "default":
        return
    kinds = sorted(base["by_kind"], key=lambda k: -base["by_kind"][k]["per_agent_day"]["calls"])
    # then the kinds only the aga modes ask (the merged action chain, batched poignancy)
    for mode in ("aga-paper", "aga"):
        own = modes.get(mode, {}).get("by_kind", {})
        kinds += sorted(
            (k for k in own if k not in kinds), key=lambda k: -own[k]["per_agent_day"]["calls"]
        )
    kind_rows = []
    for kind in kinds:
        row: list[Any] = [kind, GA_PROMPT_TOKENS.get(kind, "-")]
        for mode in ("baseline", "aga-paper", "aga"):
            entry = modes.get(mode, {}).get("by_kind", {}).get(kind)
            if entry is None:
                row += ["-", "-"]
                continue
            calls_k = entry["calls"]
            row += [
                entry["per_agent_day"]["calls"],
                (entry["prompt"] / calls_k) if calls_k else "-",
            ]
        kind_rows.append(row)
    book.section(
        f"Calls per agent-day and prompt tokens per call by request kind, {npcs} NPCs",
        shown,
        [
            "request kind",
            "GA prompt tokens",
            "baseline calls",
            "prompt/call",
            "aga-paper calls",
            "prompt/call",
            "aga calls",
            "prompt/call",
        ],
        kind_rows,
        "GA prompt tokens: Generative Agents' own templates filled with a typical agent "
        "(cl100k), for comparison with this project's prompts.",
    )
    saving = (modes.get("aga") or {}).get("savings")
    if saving:
        srows = [
            [
                name,
                _spread(entry["calls_avoided"], ".0f"),
                _spread(entry["tokens_avoided"], ".0f"),
                _spread(entry["share_of_saving"]),
            ]
            for name, entry in saving["by_switch"].items()
        ]
        book.section(
            f"The aga mode's own savings, {npcs} NPCs",
            shown,
            ["switch", "calls avoided / run", "tokens avoided / run", "share of the saving"],
            srows,
            saving["method"],
        )


def sharing(book: Book) -> None:
    """Who reuses a routine: only its agent (the paper), its role at work, or the town."""
    rows = []
    shown = ""
    for npcs in (3,) if book.quick else (3, 25):
        for rule in ("agent", "role", "town"):
            if rule == "town":  # the default: the token section's comparison (five seeds)
                comp, _ = _compare(book, npcs)
            else:
                comp, shown = _compare(
                    book,
                    npcs,
                    sharing=rule,
                    modes="aga-paper",
                    seeds="0-2" if npcs == 25 else "0-4",
                )
            if not comp:
                continue
            b = comp["modes"]["aga-paper"]
            rows.append(
                [
                    npcs,
                    rule,
                    _spread(b["ratio_to_baseline"]),
                    _spread(b["policy"]["last_day_hit_rate"]),
                    b["policy"]["hits_by_scope"],
                    b["policy"]["wrong_place_actions"],
                    _spread(b["plan_mismatch_share"], ".4f"),
                    b["violations"]["sum"],
                ]
            )
    book.section(
        "Sharing learned routines: per agent, per role at work, or town-wide (aga-paper)",
        shown.replace("--sharing agent", "--sharing agent|role|town"),
        [
            "NPCs",
            "sharing",
            "ratio to baseline",
            "day-2 hit rate",
            "hits by scope",
            "wrong-place",
            "plan mismatch",
            "violations",
        ],
        rows,
        "The paper keeps a pool per agent; sharing lets a routine one agent learned serve "
        "another. The town rows are the token section's comparisons (seeds 0-4); at 25 "
        "NPCs the agent and role rows run seeds 0-2. The default is chosen from this table "
        "(see the README).",
    )


def frames(book: Book) -> None:
    out = book.workdir / "frames.json"
    quick = ["--quick"] if book.quick else []
    book.run(
        "frames",
        ["benchmarks/frames.py", *quick, "--json", str(out)],
        output=out,
        timeout=3600,
        section="frames",
    )
    rep = book.json(out)
    if not rep:
        return
    header = [
        "NPCs",
        "LLM latency s",
        "frame ms mean",
        "frame ms p99",
        "frame ms max",
        "brain ms/frame mean",
        "brain ms/frame p99",
        "LLM submitted",
        "completed",
    ]
    keys = [
        "npcs",
        "latency_s",
        "frame_mean_ms",
        "frame_p99_ms",
        "frame_max_ms",
        "brain_mean_ms",
        "brain_p99_ms",
        "llm_submitted",
        "llm_completed",
    ]
    rows = [[r[k] for k in keys] for r in rep["runs"]]
    for r in rep["runs"]:
        if r["latency_s"] == 2.0 and r["npcs"] in (25, 50):
            book.goal(f"frame p99 at {r['npcs']} NPCs", r["frame_p99_ms"], 16.7)
            book.goal(f"brain ms/frame p99 at {r['npcs']} NPCs", r["brain_p99_ms"], 2.0)
    notes = []
    for c in rep["latency_comparisons"]:
        notes.append(
            f"{c['npcs']} NPCs: frame p99 at 0 s latency {c['p99_at_0s']} ms, at 5 s "
            f"{c['p99_at_5s']} ms; medians {c['median_p99_at_0s']:.2f} vs "
            f"{c['median_p99_at_5s']:.2f} ms, {c['spread']:.1%} apart (goal: within 10%); "
            f"each 0 s/5 s pair run back to back: "
            f"{', '.join(f'{x:.1%}' for x in c.get('pair_spreads', []))}; runs with the same "
            f"settings up to {c.get('same_settings_spread', 0.0):.1%} apart (the noise floor)."
        )
        book.goal(f"frame p99 spread 0 s vs 5 s latency at {c['npcs']} NPCs", c["spread"], 0.10)
    book.section(
        f"Frame time of the demo loop (headless, {rep['frames']} frames at 60 FPS)",
        "python benchmarks/frames.py (runs python demo_game.py --headless --frames N "
        "--npcs K --llm-latency S --seed 0 --report r.json, one run at a time)",
        header,
        rows,
        " ".join(notes),
    )


def components(book: Book) -> None:
    quick = ["--quick"] if book.quick else []
    gw = book.workdir / "gateway.json"
    book.run(
        "gateway",
        ["benchmarks/gateway.py", *quick, "--json", str(gw)],
        output=gw,
        section="components",
    )
    g = book.json(gw)
    if g:
        ok_submit = book.goal("gateway submit p99 us", g["submit_us_p99"], 50.0)
        ok_drain = book.goal("gateway drain p99 ms", g["drain_ms_p99"], 0.2)
        book.section(
            "Request gateway (main-thread cost and throughput)",
            "python benchmarks/gateway.py --json out.json",
            ["submit() p99 us", "drain() p99 ms (1,000 pending)", "throughput req/s (fakellm)"],
            [[g["submit_us_p99"], g["drain_ms_p99"], g["throughput_rps"]]],
            f"Goals: submit p99 <= 50 us ({ok_submit}), drain <= 0.2 ms ({ok_drain}).",
        )
    pl = book.workdir / "policy_lookup.json"
    book.run(
        "policy lookup",
        ["benchmarks/policy_lookup.py", *quick, "--json", str(pl)],
        output=pl,
        section="components",
    )
    p = book.json(pl)
    if p:
        rows = [[n, s["p50_ms"], s["p99_ms"], s["recall_at_5"]] for n, s in p["sizes"].items()]
        big = p["sizes"].get("100000")
        notes = ""
        if big:
            ok_p99 = book.goal("policy lookup p99 ms at 100k", big["p99_ms"], 1.0)
            ok_recall = book.goal(
                "policy recall@5 at 100k", big["recall_at_5"], 0.95, at_most=False
            )
            notes = f"Goals at 100k: p99 <= 1 ms ({ok_p99}), recall@5 >= 0.95 ({ok_recall})."
        book.section(
            "Lifestyle Policy lookup (embedding excluded)",
            "python benchmarks/policy_lookup.py --json out.json",
            ["stored plans", "p50 ms", "p99 ms", "recall@5 vs exact"],
            rows,
            notes,
        )
    pm = book.workdir / "plan_matching.json"
    book.run(
        "plan matching",
        ["benchmarks/plan_matching.py", "--json", str(pm)],
        output=pm,
        section="components",
    )
    m = book.json(pm)
    if m:
        ok_prec = book.goal("plan matching precision", m["precision"], 0.98, at_most=False)
        ok_rec = book.goal("plan matching recall", m["recall"], 0.85, at_most=False)
        book.section(
            'Plan matching: the "same plan" decision on the held-out dev set',
            "python benchmarks/plan_matching.py --json out.json",
            ["pairs", "precision", "recall", "embedder"],
            [[m["pairs"], m["precision"], m["recall"], m["embedder"]]],
            f"Goals: precision >= 0.98 ({ok_prec}), recall >= 0.85 ({ok_rec}).",
        )
    pf = book.workdir / "pathfinding.json"
    book.run(
        "pathfinding",
        ["benchmarks/pathfinding.py", *quick, "--json", str(pf)],
        output=pf,
        section="components",
    )
    f = book.json(pf)
    if f:
        ok_cold = book.goal("pathfinding cold p99 ms", f["cold_ms_p99"], 5.0)
        book.section(
            "Pathfinding on the demo town (cross-map paths)",
            "python benchmarks/pathfinding.py --json out.json",
            ["cold p50 ms", "cold p99 ms", "cached p99 ms"],
            [[f["cold_ms_p50"], f["cold_ms_p99"], f["cached_ms_p99"]]],
            f"Goal: cold p99 <= 5 ms ({ok_cold}).",
        )
    ss = book.workdir / "sim_speed.json"
    book.run(
        "sim speed",
        ["benchmarks/sim_speed.py", *quick, "--json", str(ss)],
        output=ss,
        section="components",
    )
    s = book.json(ss)
    if s:
        speed_note = ""
        if s["npcs"] == 25:
            ok_speed = book.goal("warm 25-NPC game day wall s", s["wall_seconds"], 30.0)
            speed_note = f"Goal for 25 NPCs: <= 30 s ({ok_speed})."
        book.section(
            "Headless simulation speed (one warm game day, offline LLM, local embedder)",
            "python benchmarks/sim_speed.py --json out.json",
            ["NPCs", "game days", "wall s", "game days per minute", "LLM calls"],
            [
                [
                    s["npcs"],
                    s["game_days"],
                    s["wall_seconds"],
                    s["game_days_per_minute"],
                    s["llm_calls"],
                ]
            ],
            speed_note,
        )
    so = book.workdir / "soak.json"
    book.run(
        "soak",
        ["benchmarks/soak.py", *quick, "--json", str(so)],
        output=so,
        timeout=3600,
        section="components",
    )
    k = book.json(so)
    if k:
        rows = [
            [
                d["day"],
                d["rss_mb"],
                d["peak_rss_mb"],
                d["memory_events_mean"],
                d["memory_events_max"],
                d["policy_entries"],
                d["tokens"],
                d["llm_calls"],
                d["wall_s"],
            ]
            for d in k["days"]
        ]
        growth = k["max_rss_growth_after_day2"]
        book.section(
            f"Soak: {k['game_days']} game days, {k['npcs']} NPCs",
            "python benchmarks/soak.py --json out.json",
            [
                "day",
                "RSS MB",
                "peak RSS MB",
                "memory events mean",
                "max",
                "policy entries",
                "tokens",
                "LLM calls",
                "wall s",
            ],
            rows,
            f"Largest RSS growth per day after day 2: {growth:.1%} (goal < 10%: "
            f"{book.goal('soak RSS growth per day after day 2', growth, 0.10)}).",
        )


def warmup(book: Book) -> None:
    out = book.workdir / "warmup.json"
    quick = ["--quick"] if book.quick else []
    book.run(
        "warmup",
        ["benchmarks/warmup.py", *quick, "--json", str(out)],
        output=out,
        timeout=1800,
        section="warmup",
    )
    rep = book.json(out)
    if not rep:
        return
    rows = []
    for side in ("on", "off"):
        med = rep["sides"][side]["median"]
        runs = rep["sides"][side]["runs"]
        rows.append(
            [
                side,
                med["wall_ms.max"],
                med["wall_ms.p99"],
                med["cpu_ms.max"],
                med.get("interval_ms.max", float("nan")),
                " ".join(str(r["over_goal"]) for r in runs),
                " ".join(str(r["load_at_start"]) for r in runs),
            ]
        )
    on_max = float(rep["sides"]["on"]["median"]["wall_ms.max"])
    book.section(
        "First frames with the local embedder (warm-up)",
        "python benchmarks/warmup.py" + (" --quick" if book.quick else ""),
        [
            "warm-up",
            "max ms",
            "p99 ms",
            "CPU max ms",
            "start-to-start max ms",
            "frames > 16.7 ms per run",
            "load",
        ],
        rows,
        f"The first {rep['frames']} frames of the headless demo ({rep['npcs']} NPCs, local "
        f"MiniLM), median of {rep['repeats']} fresh processes per side. Max frame with the "
        f"warm-up <= {rep['goal_ms']} ms: {book.goal('warm-up max frame ms', on_max, 16.7)}.",
    )


SECTIONS = {"tokens": tokens, "components": components, "frames": frames, "warmup": warmup}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--keep", type=Path, default=None, help="keep the raw JSON here")
    parser.add_argument(
        "--reuse",
        default="",
        help="with --keep: sections (tokens, components, frames) whose JSON a run of the same "
        "clean commit left in the folder are not run again",
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="the sections to run (default: all); the others are named as not run",
    )
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {', '.join(SECTIONS)}")
    reuse = [r.strip() for r in args.reuse.split(",") if r.strip()]
    if reuse and args.keep is None:
        parser.error("--reuse needs --keep DIR")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        commit = _commit()
        if _stamp(workdir) != commit:
            reuse = []  # another commit's figures are never reused
            (workdir / "COMMIT").write_text(commit + "\n")
        book = Book(workdir, args.quick, reuse=reuse)
        started = time.perf_counter()
        for name, section in SECTIONS.items():
            if name in sections:
                section(book)
            else:
                book.parts.append(f"*The {name} section was not run in this book.*\n")
                book.misses.append(f"{name}: not run in this book")
        env = environment()
        head = [
            "# The benchmark book",
            "",
            "Generated by `python -m benchmarks`"
            + (" --quick" if args.quick else "")
            + f" at commit {commit}"
            + f" in {time.perf_counter() - started:.0f} s"
            + (f" (reusing this commit's {', '.join(book.reused)})" if book.reused else "")
            + ". Do not edit by hand.",
            "",
            f"Machine: {env['platform']}, {env['cpus']} CPUs, Python {env['python']}. "
            "Figures on a shared 2-core machine vary by a few percent between runs.",
            "",
        ]
        if book.misses:
            head += ["Figures that miss their goals:", ""]
            head += [f"- {m}" for m in book.misses] + [""]
        else:
            head += ["Every figure with a goal meets it.", ""]
        text = "\n".join(head + book.parts)
        tmp_out = args.out.with_suffix(".md.tmp")
        tmp_out.write_text(text, encoding="utf-8")
        tmp_out.replace(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
