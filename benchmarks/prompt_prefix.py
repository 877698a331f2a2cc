"""Prompt-cache friendliness: how much of each prompt a server's prefix cache could serve.

    python benchmarks/prompt_prefix.py [--npcs 3] [--days 1] [--seed 0] [--mode aga]
        [--json out.json]

Runs the town headless (the offline stand-in, hashing embedder) and keeps every request's
messages. Per request kind, each request is compared with the previous request
of the same kind by the same agent: the shared prefix is the count of leading cl100k_base
tokens the two chats (role and content, in order) have in common; the share is the shared
prefix over the later request's tokens, summed over the pairs (token-weighted). ``town``
compares with the previous request of the kind by anyone (what one server slot caching
its last prompt sees when the residents take turns). Servers cache in blocks (vLLM 16
tokens, OpenAI from 1,024 tokens in steps of 128), so what they serve is somewhat less.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, print_table, write_json


class Capture:
    """A backend that keeps every request and answers with the wrapped one."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.requests: list[Any] = []

    async def complete(self, request: Any) -> Any:
        self.requests.append(request)
        return await self.inner.complete(request)

    async def aclose(self) -> None:
        from aga_npc.llm.context import close_backend

        await close_backend(self.inner)


def capture_day(*, npcs: int, days: int, seed: int, mode: str = "aga") -> list[Any]:
    """Every LLM request of a headless run, in the order they were sent."""
    from aga_npc.brain.modes import Mode
    from aga_npc.config import Settings
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.host.assemble import Wiring, assemble
    from aga_npc.offline import OfflineLLM
    from aga_npc.personas.loader import town_personas
    from aga_npc.policy.store import PolicyStore
    from aga_npc.town.build import TownSpec

    capture = Capture(OfflineLLM(seed=seed))
    built = assemble(
        TownSpec(personas=tuple(town_personas(npcs)), mode=Mode.parse(mode), seed=seed),
        wiring=Wiring(realtime=False),
        settings=Settings(embed="hashing"),
        backend=capture,
        embedder=HashingEmbedder(),
        store=lambda cached: PolicyStore(embedder=cached),
    )
    for _ in range(days * 1440):
        built.town.step_minute()
    built.gateway.close()
    return capture.requests


def prefix_shares(requests: list[Any]) -> dict[str, dict[str, Any]]:
    """Per request kind: pairs compared, tokens, shared prefix tokens and share, for
    consecutive requests of the same agent and (``town_share``) of anyone."""
    from aga_npc.llm.tokens import chat_tokens, shared_prefix_tokens

    last_by_agent: dict[tuple[str, str], Any] = {}
    last_any: dict[str, Any] = {}
    rows: dict[str, dict[str, int]] = {}
    for r in requests:
        kind = r.module_name
        row = rows.setdefault(
            kind,
            {
                "requests": 0,
                "pairs": 0,
                "tokens": 0,
                "shared": 0,
                "town_tokens": 0,
                "town_shared": 0,
            },
        )
        row["requests"] += 1
        tokens = chat_tokens(r.messages)
        prev = last_by_agent.get((r.agent, kind))
        if prev is not None:
            row["pairs"] += 1
            row["tokens"] += tokens
            row["shared"] += shared_prefix_tokens(prev.messages, r.messages)
        prev_any = last_any.get(kind)
        if prev_any is not None:
            row["town_tokens"] += tokens
            row["town_shared"] += shared_prefix_tokens(prev_any.messages, r.messages)
        last_by_agent[(r.agent, kind)] = r
        last_any[kind] = r
    out: dict[str, dict[str, Any]] = {}
    for kind in sorted(rows):
        row = rows[kind]
        out[kind] = {
            **row,
            "share": round(row["shared"] / row["tokens"], 4) if row["tokens"] else None,
            "town_share": round(row["town_shared"] / row["town_tokens"], 4)
            if row["town_tokens"]
            else None,
        }
    tokens = sum(r["tokens"] for r in rows.values())
    shared = sum(r["shared"] for r in rows.values())
    out["all"] = {
        "requests": sum(r["requests"] for r in rows.values()),
        "pairs": sum(r["pairs"] for r in rows.values()),
        "tokens": tokens,
        "shared": shared,
        "share": round(shared / tokens, 4) if tokens else None,
        "town_share": round(
            sum(r["town_shared"] for r in rows.values())
            / max(1, sum(r["town_tokens"] for r in rows.values())),
            4,
        ),
    }
    return out


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--npcs", type=int, default=3)
    p.add_argument("--days", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mode", default="aga", help="aga (default), baseline, ... (sim modes)")
    args = p.parse_args()
    requests = capture_day(npcs=args.npcs, days=args.days, seed=args.seed, mode=args.mode)
    shares = prefix_shares(requests)
    rows = [
        [
            kind,
            str(r["requests"]),
            str(r["pairs"]),
            "-" if r["share"] is None else f"{r['share']:.1%}",
            "-" if r["town_share"] is None else f"{r['town_share']:.1%}",
        ]
        for kind, r in shares.items()
    ]
    print_table(rows, ["kind", "requests", "pairs", "same agent", "anyone"])
    if args.json:
        write_json(
            args.json,
            {
                "benchmark": "prompt_prefix",
                "npcs": args.npcs,
                "days": args.days,
                "seed": args.seed,
                "mode": args.mode,
                "by_kind": shares,
                "environment": environment(),
            },
        )


if __name__ == "__main__":
    main()
