"""Real-model conformance: a 3-NPC game day through any OpenAI-compatible endpoint.

Per request kind: requests, first-try parse rate, after-repair rate, fallback rate, median
latency and tokens; plus policy hit rate (per day), routines stored, grounding (activities
grounded into valid actions, repaired steps, fall-backs), failed-action share, violations,
conversations and crashes. ``--messy`` runs against fakellm rules that answer the way small
models do, behind a proxy that honours answer schemas (``--messy-no-schema``: a server that
ignores them). Usage (docs/REAL_MODELS.md)::

    python benchmarks/real_model.py --base-url http://127.0.0.1:8080/v1 --model qwen05
    python benchmarks/real_model.py --messy --json messy.json
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, print_table, write_json

__all__ = ["kind_table", "main", "run_day"]


def kind_table(ledger: Any, days: int) -> dict[str, dict[str, Any]]:
    """Per request kind: parse rates (JSON kinds), fallback rate, median latency and
    tokens per request, from the ledger and its parse tally."""
    from aga_npc.llm.metering import parse_tally

    parses = parse_tally(ledger).by_module(last_day=days)
    rows: dict[str, dict[str, Any]] = {}
    latencies: dict[str, list[float]] = {}
    for e in ledger.entries():
        if e.day > days:
            continue
        row = rows.setdefault(
            e.module, {"requests": 0, "calls": 0, "failed": 0, "prompt": 0, "completion": 0}
        )
        if e.outcome in ("ok", "retried", "failed", "cancelled"):
            row["calls"] += 1
            latencies.setdefault(e.module, []).append(e.latency)
        if e.outcome in ("ok", "failed", "replayed", "refused"):
            row["requests"] += 1  # one final entry per request
        if e.outcome in ("failed", "refused"):
            row["failed"] += 1
        row["prompt"] += e.prompt_tokens
        row["completion"] += e.completion_tokens
    out: dict[str, dict[str, Any]] = {}
    for kind in sorted(rows):
        row = rows[kind]
        n = max(1, row["requests"])
        parse = parses.get(kind)
        out[kind] = {
            "requests": row["requests"],
            "json": parse is not None,
            "first_try_rate": parse["first_try_rate"] if parse else None,
            "after_repair_rate": parse["after_repair_rate"] if parse else None,
            "fallback_rate": round(row["failed"] / n, 4),
            "median_latency_s": round(statistics.median(latencies[kind]), 3)
            if latencies.get(kind)
            else 0.0,
            "tokens_per_request": round((row["prompt"] + row["completion"]) / n, 1),
            "prompt_tokens": row["prompt"],
            "completion_tokens": row["completion"],
        }
    return out


class KindRouter:
    """Sends the request kinds in ``kinds`` to ``endpoint`` and every other to the offline
    stand-in (``--only-kinds``: a slow model measured where it matters, in minutes)."""

    def __init__(self, endpoint: Any, stand_in: Any, kinds: frozenset[str]) -> None:
        self.endpoint, self.stand_in, self.kinds = endpoint, stand_in, kinds
        self.name, self.model = endpoint.name, endpoint.model

    async def complete(self, request: Any) -> Any:
        target = self.endpoint if request.module_name in self.kinds else self.stand_in
        return await target.complete(request)

    async def aclose(self) -> None:
        await self.endpoint.aclose()


def _route_kinds(kinds: frozenset[str], seed: int) -> None:
    """Make the ``openai`` backend of this process a ``KindRouter``."""
    from aga_npc.llm.openai_backend import create_openai_backend
    from aga_npc.llm.registry import register_backend
    from aga_npc.offline import OfflineLLM

    def factory(settings: Any) -> KindRouter:
        return KindRouter(create_openai_backend(settings), OfflineLLM(seed=seed), kinds)

    register_backend("openai", factory, replace=True)


def _grounded_share(report: dict[str, Any]) -> dict[str, Any]:
    """Activities (plan items resolved on a policy miss) grounded into valid actions from
    the model's answer, not fall-back ones."""
    policy = report["policy"]
    decompositions = int(policy.get("decompositions", 0))
    fallbacks = int(policy.get("grounding_fallbacks", 0))
    return {
        "decompositions": decompositions,
        "grounding_fallbacks": fallbacks,
        "repaired_steps": int(policy.get("repaired_steps", 0)),
        "grounded_share": round(1 - fallbacks / decompositions, 4) if decompositions else 0.0,
    }


def run_day(
    *,
    base_url: str,
    model: str,
    npcs: int = 3,
    days: int = 1,
    seed: int = 0,
    api_key: str | None = None,
    structured: str = "auto",
    timeout: float = 300.0,
    partial: Path | None = None,
    in_flight: int | None = None,
    only_kinds: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Run ``npcs`` NPCs for ``days`` game days (aga mode) through the endpoint; the
    figures. A crash is caught and counted (the figures then stop there). ``partial``:
    write the per-kind figures so far there at every game hour (a slow model's run that
    has to be stopped still leaves its figures). ``in_flight``: requests sent at once
    (None: ``Settings.concurrency_for``; 1 for a server answering one at a time, whose
    queue would otherwise run past the timeout). ``only_kinds``: only these request kinds
    go to the endpoint, the others to the offline stand-in."""
    from aga_npc.brain.modes import Mode
    from aga_npc.config import Settings
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.llm.metering import parse_tally
    from aga_npc.personas.loader import town_personas
    from aga_npc.policy.store import PolicyStore
    from aga_npc.sim.runner import RunConfig, simulate

    os.environ["AGA_LLM_STRUCTURED"] = structured
    if only_kinds:
        _route_kinds(only_kinds, seed)
    embedder = CachedEmbedder(HashingEmbedder())
    settings = Settings(
        llm="openai",
        base_url=base_url,
        api_key=api_key or "sk-none",
        model=model,
        embed="hashing",
        request_timeout=timeout,
        max_concurrency=in_flight,
    )
    config = RunConfig(personas=tuple(town_personas(npcs)), mode=Mode.AGA, days=days, seed=seed)
    seen: dict[str, Any] = {}
    t0 = time.perf_counter()

    def on_hour(town: Any, ledger: Any) -> None:
        seen["ledger"] = ledger
        seen["hour"] = seen.get("hour", 0) + 1
        sums: dict[str, int] = {}
        for name in town.names():
            for key, value in town.brains[name].stats().items():
                if key in ("stored", "policy_hits", "decompositions", "grounding_fallbacks"):
                    sums[key] = sums.get(key, 0) + int(value)
        parse = parse_tally(ledger).overall()
        print(
            f"  game hour {seen['hour']}: {time.perf_counter() - t0:.0f} s, "
            f"{len(ledger)} ledger entries, first-try {parse['first_try_rate']:.1%} "
            f"after repair {parse['after_repair_rate']:.1%} of {parse['requests']}, {sums}",
            flush=True,
        )
        if partial is not None:
            write_json(
                partial,
                {
                    "benchmark": "real_model",
                    "partial": True,
                    "model": model,
                    "game_hours": seen["hour"],
                    "wall_seconds": round(time.perf_counter() - t0, 1),
                    "parse": parse,
                    "brain": sums,
                    "by_kind": kind_table(ledger, days),
                },
            )

    crashes, error = 0, ""
    report: dict[str, Any] = {}
    try:
        report = simulate(
            config,
            settings=settings,
            embedder=embedder,
            store=PolicyStore(embedder=embedder),
            on_hour=on_hour,
        )
    except Exception as exc:  # a crash is a figure here, not the end of the benchmark
        crashes, error = 1, "".join(traceback.format_exception(exc))
        print(error, file=sys.stderr)
    wall = time.perf_counter() - t0
    ledger = seen.get("ledger")
    kinds = kind_table(ledger, days) if ledger is not None else {}
    json_kinds = [k for k in kinds.values() if k["json"]]
    n_json = sum(k["requests"] for k in json_kinds)

    def weighted(key: str) -> float:
        if not n_json:
            return 0.0
        return round(sum(k[key] * k["requests"] for k in json_kinds) / n_json, 4)

    figures: dict[str, Any] = {
        "model": model,
        "npcs": npcs,
        "days": days,
        "seed": seed,
        "structured": structured,
        "endpoint_kinds": sorted(only_kinds) or "all",
        "wall_seconds": round(wall, 1),
        "crashes": crashes,
        "error": error.strip().splitlines()[-1] if error else "",
        "json_requests": n_json,
        "first_try_parse_rate": weighted("first_try_rate"),
        "after_repair_parse_rate": weighted("after_repair_rate"),
        "by_kind": kinds,
    }
    if report:
        policy = report["policy"]
        violations = report["violations"]
        stored_by_agent = {
            name: int(a["stats"].get("stored", 0)) for name, a in report["agents"].items()
        }
        figures.update(
            {
                "llm_calls": report["llm_calls"],
                "llm_fallbacks": report["llm_fallbacks"],
                "tokens": report["tokens"]["total"],
                "policy_hit_rate": round(policy["hit_rate"], 4),
                "policy_by_day": policy["by_day"],
                "routines_stored": policy["stored"],
                "routines_stored_by_agent": stored_by_agent,
                "grounding": _grounded_share(report),
                "failed_action_share": round(violations.get("failed_action_share", 0.0), 4),
                "executed_actions": violations.get("executed_actions", 0),
                "violations": violations.get("total", 0),
                "violations_by_rule": {
                    rule: n for rule, n in violations.get("by_rule", {}).items() if n
                },
                "violation_examples": {
                    rule: items[:3]
                    for rule, items in violations.get("details", {}).items()
                    if items
                },
                "conversations": report["conversations"]["started"],
                "health": report["health"]["verdict"],
                "health_summary": report["health"]["summary"],
            }
        )
    return figures


def _print(figures: dict[str, Any]) -> None:
    def pct(v: float | None) -> str:
        return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1%}"

    rows = [
        [
            kind,
            k["requests"],
            pct(k["first_try_rate"]),
            pct(k["after_repair_rate"]),
            pct(k["fallback_rate"]),
            k["median_latency_s"],
            k["tokens_per_request"],
        ]
        for kind, k in figures["by_kind"].items()
    ]
    print_table(
        rows,
        header=["kind", "requests", "first try", "after repair", "fallback", "p50 s", "tok/req"],
    )
    for key, value in figures.items():
        if key != "by_kind":
            print(f"{key}: {value}")


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--base-url", help="the endpoint's /v1 URL")
    p.add_argument("--model", default="", help="model name sent with every request")
    p.add_argument("--api-key", default=os.environ.get("OPENAI_API_KEY"), help="if it needs one")
    p.add_argument("--npcs", type=int, default=3)
    p.add_argument("--days", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--structured", choices=["auto", "json_schema", "ollama", "off", "none"], default="auto"
    )
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    p.add_argument("--in-flight", type=int, default=None, help="requests sent at once")
    p.add_argument(
        "--only-kinds",
        default="",
        help="comma-separated request kinds sent to the endpoint; the others are answered "
        "by the offline stand-in (e.g. action_chain for a slow model)",
    )
    p.add_argument("--partial", type=Path, help="write the figures so far here every game hour")
    p.add_argument("--messy", action="store_true", help="fakellm's small-model rules")
    p.add_argument(
        "--messy-no-schema", action="store_true", help="--messy, the server ignoring schemas"
    )
    args = p.parse_args()
    server = None
    base_url, model = args.base_url, args.model
    if args.messy or args.messy_no_schema:
        from benchmarks._messy import start_messy

        server = start_messy(honour_schemas=not args.messy_no_schema)
        base_url, model = server.base_url, model or "fake-small-model"
    if not base_url:
        p.error("--base-url (or --messy) is required")
    try:
        figures = run_day(
            base_url=base_url,
            model=model or "default",
            npcs=args.npcs,
            days=args.days,
            seed=args.seed,
            api_key=args.api_key,
            structured=args.structured,
            timeout=args.timeout,
            partial=args.partial,
            in_flight=args.in_flight,
            only_kinds=frozenset(k.strip() for k in args.only_kinds.split(",") if k.strip()),
        )
    finally:
        if server is not None:
            figures_schemas = len(server.schemas)
            server.close()
    if server is not None:
        figures["server"] = "fakellm messy rules" + (
            " (schemas ignored)" if args.messy_no_schema else " (schemas honoured)"
        )
        figures["schema_requests_seen"] = figures_schemas
    _print(figures)
    if args.json:
        write_json(args.json, {"benchmark": "real_model", **figures, "environment": environment()})
    return 1 if figures["crashes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
