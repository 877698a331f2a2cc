"""Sim against a slow server: 3 NPCs x 1 game day against a loopback OpenAI-style server that
answers every request with the offline stand-in's text after a 2-8 s delay.

    python benchmarks/sim_latency.py [--delays 0,5] [--low 2 --high 8] [--in-flight N]
        [--lod turns|whole] [--json out.json]

The delay of each request is drawn from ``random.Random(seed, request hash)`` (uniform in
``[low, high]`` seconds), so the same request waits as long in every run. The sim (aga mode,
seed 0, hashing embedder, the real openai SDK) is run once per ``--delays`` value, the
game minutes between asking and hearing an answer (``RunConfig.answer_delay``): 0 answers
at the end of the minute asked (the town waits; only requests of the same minute overlap),
N lets the town go on N minutes while requests are in flight (a game at x60 with an N-second
model). Reported per run: wall seconds, LLM calls, requests the server saw, most requests
in flight at once, tokens, fallbacks and ``waits``: the deliveries that had to wait for an
answer still on the wire - the run's critical path, answers that depend on earlier answers
(wake-up, plan, schedule, action chain; each line of a turn-by-turn conversation), which no
concurrency shortens. ``--lod whole`` writes NPC-NPC conversations in one call each.
The goal of issue 17: <= 60 s wall.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, print_table, write_json

GOAL_WALL = 60.0


class SlowServer:
    """Answers ``/v1/chat/completions`` with the stand-in's text after a seeded delay."""

    def __init__(self, *, low: float, high: float, seed: int = 0) -> None:
        from aga_npc.offline import answer_text
        from aga_npc.prompts import extract_context
        from aga_npc.types import ChatMessage, LLMRequest

        self.served = 0
        self.in_flight = 0
        self.max_in_flight = 0
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                body = json.loads(raw or b"{}")
                with lock:
                    server.served += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                digest = hashlib.sha256(raw).digest()
                wait = random.Random(seed * 2**64 + int.from_bytes(digest[:8], "big"))
                time.sleep(wait.uniform(low, high))
                messages = tuple(
                    ChatMessage(role=m["role"], content=m["content"])
                    for m in body.get("messages", [])
                )
                module = str((extract_context(messages) or {}).get("module", "other"))
                text = answer_text(LLMRequest(agent="server", module=module, messages=messages))
                data = json.dumps(_completion(text)).encode()
                with lock:
                    server.in_flight -= 1
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _completion(content: str) -> dict[str, Any]:
    completion = max(1, len(content) // 4)
    return {
        "id": "chatcmpl-slow",
        "object": "chat.completion",
        "created": 0,
        "model": "slow-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 100,
            "completion_tokens": completion,
            "total_tokens": 100 + completion,
        },
    }


def run_once(
    base_url: str, delay: int, npcs: int, days: int, lod: str, in_flight: int | None
) -> dict[str, Any]:
    from aga_npc.brain.modes import Mode
    from aga_npc.config import Settings
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.personas.loader import town_personas
    from aga_npc.policy.store import PolicyStore
    from aga_npc.sim.runner import RunConfig, simulate

    embedder = CachedEmbedder(HashingEmbedder())
    settings = Settings(
        llm="openai",
        base_url=base_url,
        api_key="sk-bench",
        embed="hashing",
        max_concurrency=in_flight,
    )
    config = RunConfig(
        personas=tuple(town_personas(npcs)),
        mode=Mode.AGA,
        days=days,
        seed=0,
        answer_delay=delay,
        lod=lod,
    )
    gateway_stats: dict[str, Any] = {}

    def on_hour(town: Any, _ledger: Any) -> None:
        gateway_stats.update(town.gateway.stats())

    t0 = time.perf_counter()
    report = simulate(
        config,
        settings=settings,
        embedder=embedder,
        store=PolicyStore(embedder=embedder),
        on_hour=on_hour,
    )
    return {"wall_total": time.perf_counter() - t0, "report": report, "gateway": gateway_stats}


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--delays", default="0,5", help="answer delays in game minutes, comma-separated")
    p.add_argument("--low", type=float, default=2.0, help="shortest server delay, seconds")
    p.add_argument("--high", type=float, default=8.0, help="longest server delay, seconds")
    p.add_argument("--npcs", type=int, default=3)
    p.add_argument("--days", type=int, default=1)
    p.add_argument("--lod", choices=["turns", "whole"], default="turns")
    p.add_argument(
        "--in-flight",
        type=int,
        default=None,
        help="LLM requests in flight at once (default: Settings.concurrency_for, 8 here; "
        "1 is how the sim ran before issue 17)",
    )
    args = p.parse_args()
    rows: list[dict[str, Any]] = []
    for delay in (int(d) for d in args.delays.split(",")):
        server = SlowServer(low=args.low, high=args.high, seed=0)
        try:
            out = run_once(server.base_url, delay, args.npcs, args.days, args.lod, args.in_flight)
        finally:
            server.close()
        report = out["report"]
        rows.append(
            {
                "answer_delay_minutes": delay,
                "wall_seconds": round(out["wall_total"], 1),
                "llm_calls": report["llm_calls"],
                "server_requests": server.served,
                "server_max_in_flight": server.max_in_flight,
                "waits": out["gateway"].get("delivery_waits", 0),
                "tokens": report["tokens"]["total"],
                "fallbacks": report["llm_fallbacks"],
                "verdict": report["health"]["verdict"],
                "meets_goal": out["wall_total"] <= GOAL_WALL,
            }
        )
        print(f"answer delay {delay}: {rows[-1]}", flush=True)
    print_table(
        [[r[k] for k in rows[0]] for r in rows],
        header=list(rows[0]),
    )
    if args.json:
        write_json(
            args.json,
            {
                "benchmark": "sim_latency",
                "server_delay_seconds": [args.low, args.high],
                "npcs": args.npcs,
                "lod": args.lod,
                "in_flight": args.in_flight,
                "days": args.days,
                "goal_wall_seconds": GOAL_WALL,
                "runs": rows,
                "environment": environment(),
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
