"""The offline stand-in LLM (``AGA_LLM=offline``): deterministic, seeded, no server needed.

``OfflineLLM`` answers every request kind the brain sends - Generative Agents' whole loop
(wake-up hour, daily plan, hourly schedule, decomposition, the per-action chain of sector,
room, object, emoji, event triples and object state, poignancy, decisions to talk or wait,
re-planning, conversation lines, summaries, memos, planning thoughts, reflection) and AGA's
merged action chain, Social Memory updates and replies to the player - from the facts in
the request, through the same prompt and parse path as a real model.
Importing this package registers it as the ``"offline"`` backend of ``aga_npc.llm``.
"""

from __future__ import annotations

from aga_npc.config import Settings
from aga_npc.offline.backend import MODEL, NAME, OfflineLLM, answer_text

__all__ = ["MODEL", "NAME", "OfflineLLM", "answer_text", "create_offline_backend", "register"]


def create_offline_backend(settings: Settings) -> OfflineLLM:
    """The registry factory: an ``OfflineLLM`` with seed 0 (settings carry no seed)."""
    del settings
    return OfflineLLM(seed=0)


def register() -> None:
    """Register ``"offline"`` with ``aga_npc.llm.registry`` (no-op if that package is absent).

    Idempotent: registering the same factory again is allowed by the registry.
    """
    try:
        from aga_npc.llm.registry import register_backend
    except ImportError:  # pragma: no cover - the llm adapters are part of every install
        return
    register_backend(NAME, create_offline_backend)


register()
