"""Gateway benchmark: main-thread cost of submit() and of the per-frame drain, and throughput.

    python benchmarks/gateway.py [--quick] [--json out.json]

- ``submit_us_p99``: microseconds the game thread spends in ``Gateway.submit`` (goal <= 50),
  submitting in bursts while the worker serves a slow in-process backend.
- ``drain_ms_p99``: milliseconds of one per-frame ``drain()`` (plus reading each finished
  result) while 1,000 requests are pending (goal <= 0.2).
- ``throughput_rps``: completed requests per second through the full stack (real
  ``openai`` SDK, retry, JSON repair, metering) against a fakellm server on loopback.

The two main-thread figures are measured with the interpreter's default garbage collector,
so they include the generation-0 collections that happen to start inside the timed call
(any allocation anywhere in the process can trigger one); the ``*_gc_off`` figures repeat
the measurement with the collector paused, to show the gateway's own cost.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aga_npc.config import Settings
from aga_npc.llm import TokenLedger, build_stack
from aga_npc.runtime import Gateway
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest
from benchmarks._common import environment, parser, print_table, summary, write_json

SUBMIT_GOAL_US = 50.0
DRAIN_GOAL_MS = 0.2
PENDING = 1000


def make_request(i: int, *, words: int = 60) -> LLMRequest:
    body = " ".join(f"memory{(i * 7 + k) % 997}" for k in range(words))
    return LLMRequest(
        agent=f"npc{i % 25}",
        module="decompose",
        messages=(
            ChatMessage(role="system", content="You are a townsperson planning your next steps."),
            ChatMessage(role="user", content=f"Request {i}. Context: {body}"),
        ),
        priority=random.Random(i).choice((0, 10, 50, 90)),
    )


@contextlib.contextmanager
def collector(enabled: bool) -> Iterator[None]:
    was = gc.isenabled()
    gc.collect()
    if not enabled:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def bench_submit(n: int) -> dict[str, Any]:
    requests = [make_request(i) for i in range(n)]  # built before timing: not submit's cost
    fake = FakeLLM(latency=0.05)
    timings: list[float] = []
    burst = 20
    with Gateway(fake, max_concurrency=8) as gw:
        for start in range(0, n, burst):
            for r in requests[start : start + burst]:
                t0 = time.perf_counter_ns()
                gw.submit(r)
                timings.append((time.perf_counter_ns() - t0) / 1000.0)
            time.sleep(0.002)  # the rest of the frame
        max_queue = gw.stats()["max_queue"]
        gw.close(timeout=0.5)
    return {"us": summary(timings), "max_queue": max_queue}


def bench_drain(frames: int) -> dict[str, Any]:
    fake = FakeLLM(latency=0.004)
    timings: list[float] = []
    drained = 0
    pending_seen: list[int] = []
    i = 0
    with Gateway(fake, max_concurrency=8) as gw:
        for _ in range(PENDING):
            gw.submit(make_request(i, words=5))
            i += 1
        time.sleep(0.05)
        for _ in range(frames):
            while gw.pending_count() < PENDING:  # keep the queue full (not timed)
                gw.submit(make_request(i, words=5))
                i += 1
            pending_seen.append(gw.pending_count())
            t0 = time.perf_counter_ns()
            finished = gw.drain()
            for t in finished:
                t.result()
            timings.append((time.perf_counter_ns() - t0) / 1e6)
            drained += len(finished)
            time.sleep(1 / 120)
        gw.close(timeout=0.5)
    return {
        "ms": summary(timings),
        "frames": frames,
        "finished_per_frame": drained / frames,
        "pending_min": min(pending_seen),
    }


_TIKTOKEN_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_FAKELLM_RULES = """\
version: 1
rules:
  - name: plan
    when:
      messages_contain: "Request"
    respond:
      content: '{"steps": ["walk to the kitchen", "open the fridge", "cook eggs"]}'
"""


def _start_fakellm(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    (root / "fakellm.yaml").write_text(_FAKELLM_RULES, encoding="utf-8")
    blob = resources.files("aga_npc.llm").joinpath("data", "cl100k_base.tiktoken").read_bytes()
    (root / hashlib.sha1(_TIKTOKEN_URL.encode()).hexdigest()).write_bytes(blob)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "fakellm.cli", "serve"),
            *("--host", "127.0.0.1", "--port", str(port)),
            *("--config", str(root / "fakellm.yaml")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TIKTOKEN_CACHE_DIR": str(root)},
        cwd=root,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_fakellm/stats", timeout=2):
                return proc, f"http://127.0.0.1:{port}/v1"
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("fakellm did not start (is the test extra installed?)")


def bench_throughput(n: int, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start_fakellm(Path(tmp))
        try:
            settings = Settings(llm="openai", base_url=url, api_key="bench", model="gpt-4o-mini")
            ledger = TokenLedger()
            stack = build_stack(settings, ledger, rng=random.Random(0))
            with Gateway(stack, ledger=ledger, max_concurrency=concurrency) as gw:
                warm = gw.submit(make_request(-1))
                warm.wait(30)
                requests = [
                    LLMRequest(agent=r.agent, module=r.module, messages=r.messages, json=True)
                    for r in (make_request(i, words=20) for i in range(n))
                ]
                t0 = time.perf_counter()
                tickets = [gw.submit(r) for r in requests]
                for t in tickets:
                    t.wait(120)
                wall = time.perf_counter() - t0
            ok = sum(1 for t in tickets if (r := t.result()) is not None and r.ok)
        finally:
            proc.terminate()
            proc.wait(10)
    return {"rps": n / wall, "n": n, "ok": ok, "wall_s": wall, "concurrency": concurrency}


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    n_submit = 2_000 if args.quick else 10_000
    frames = 120 if args.quick else 600
    n_calls = 200 if args.quick else 1_000

    with collector(True):
        sub = bench_submit(n_submit)
        drain = bench_drain(frames)
    with collector(False):
        sub_off = bench_submit(n_submit)
        drain_off = bench_drain(frames)
    tput = bench_throughput(n_calls, concurrency=8)

    rows = []
    for label, s_, d_ in (("gc on", sub, drain), ("gc off", sub_off, drain_off)):
        u, m = s_["us"], d_["ms"]
        rows.append(("submit()", label, "us", u["p50"], u["p99"], u["max"], u["n"]))
        rows.append(("drain()", label, "ms", m["p50"], m["p99"], m["max"], m["n"]))
    print_table(rows, ("main thread", "collector", "unit", "p50", "p99", "max", "samples"))
    print()
    print(
        f"drain: {drain['pending_min']}+ pending every frame, "
        f"{drain['finished_per_frame']:.1f} finished per frame"
    )
    print(
        f"throughput vs fakellm: {tput['rps']:.0f} requests/s "
        f"({tput['ok']}/{tput['n']} ok, concurrency {tput['concurrency']})"
    )
    print(
        f"goals: submit p99 <= {SUBMIT_GOAL_US:g} us: "
        f"{'met' if sub['us']['p99'] <= SUBMIT_GOAL_US else 'MISSED'}; "
        f"drain p99 <= {DRAIN_GOAL_MS:g} ms: "
        f"{'met' if drain['ms']['p99'] <= DRAIN_GOAL_MS else 'MISSED'}"
    )
    result = {
        "submit_us_p99": sub["us"]["p99"],
        "drain_ms_p99": drain["ms"]["p99"],
        "throughput_rps": tput["rps"],
        "submit_us": sub["us"],
        "drain_ms": drain["ms"],
        "submit_us_p99_gc_off": sub_off["us"]["p99"],
        "drain_ms_p99_gc_off": drain_off["ms"]["p99"],
        "drain_pending": drain["pending_min"],
        "throughput": tput,
        "quick": args.quick,
        "environment": environment(),
    }
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
