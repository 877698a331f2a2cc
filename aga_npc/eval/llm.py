"""The evaluation's model calls: the agents' model for interviews, and a judge that may
be another OpenAI-compatible endpoint.

Offline, both are the stand-in (:mod:`aga_npc.eval.standin`): deterministic answers from
the request's context, a smoke test of the plumbing and never evidence of believability.
Every result of the evaluation says which model answered (``describe``).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aga_npc.config import Settings
from aga_npc.llm.context import close_backend
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.llm.retry import RetryPolicy
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["STAND_IN_LABEL", "EvalLLM", "judge_settings"]

STAND_IN_LABEL = "stand-in judge: smoke test, not evidence"
"""How every offline judge score is labelled (JSON, charts, console)."""

_IN_FLIGHT = 4


def judge_settings(
    agents: Settings,
    *,
    llm: str | None = None,
    base_url: str | None = None,
    model: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The judge's model: the arguments, else ``AGA_JUDGE_LLM``, ``AGA_JUDGE_BASE_URL``,
    ``AGA_JUDGE_MODEL`` and ``AGA_JUDGE_API_KEY`` (else the agents' key), else the agents'
    settings. A base URL alone means an OpenAI-compatible endpoint."""
    env = os.environ if environ is None else environ
    url = base_url or env.get("AGA_JUDGE_BASE_URL") or None
    kind = llm or env.get("AGA_JUDGE_LLM") or ("openai" if url else None)
    return agents.with_overrides(
        llm=kind,
        base_url=url,
        model=model or env.get("AGA_JUDGE_MODEL") or None,
        api_key=env.get("AGA_JUDGE_API_KEY") or None,
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: the result, or the error that stopped it (``raw``: the last reply when
    it was malformed)."""

    result: LLMResult | None
    error: str = ""
    raw: str = ""


class EvalLLM:
    """Synchronous calls through the standard stack (retries, JSON repair, the ledger).

    Args:
        settings: which model; ``offline`` means the evaluation's stand-in.
        seed: the stand-in's seed.
        backend: use this backend (tests).
    """

    def __init__(
        self, settings: Settings, *, seed: int = 0, backend: LLMBackend | None = None
    ) -> None:
        self.settings = settings
        self.ledger = TokenLedger()
        if backend is None and settings.llm == "offline":
            from aga_npc.eval.standin import EvalStandIn

            backend = EvalStandIn(seed=seed)
        self.stand_in = settings.llm == "offline" and backend is not None
        self.stack = build_stack(
            settings,
            self.ledger,
            backend=backend,
            rng=random.Random(seed),
            retry=RetryPolicy(max_attempts=3, base=0.2),
        )

    def describe(self) -> dict[str, object]:
        """Which model answers (never the key)."""
        out: dict[str, object] = {
            "llm": self.settings.llm,
            "model": "offline stand-in" if self.stand_in else self.settings.model,
            "base_url": None if self.stand_in else self.settings.base_url,
            "stand_in": self.stand_in,
        }
        if self.stand_in:
            out["label"] = STAND_IN_LABEL
        return out

    def ask(self, requests: Sequence[LLMRequest]) -> list[Answer]:
        """Answers in the order of ``requests`` (a few in flight at once; one event loop
        per call, its connections closed at the end)."""
        return asyncio.run(self._all(requests))

    async def _all(self, requests: Sequence[LLMRequest]) -> list[Answer]:
        gate = asyncio.Semaphore(_IN_FLIGHT)

        async def one(request: LLMRequest) -> Answer:
            async with gate:
                try:
                    result = await self.stack.complete(request)
                except Exception as exc:  # a failed answer is reported, not fatal
                    raw = str(getattr(exc, "text", "") or "")
                    return Answer(None, f"{type(exc).__name__}: {exc}", raw)
                if result.error is not None:
                    err = result.error
                    raw = str(getattr(err, "text", "") or "")
                    return Answer(None, f"{type(err).__name__}: {err}", raw)
                return Answer(result)

        try:
            return list(await asyncio.gather(*(one(r) for r in requests)))
        finally:  # the HTTP pool belongs to this event loop: close it with it
            await close_backend(self.stack)
