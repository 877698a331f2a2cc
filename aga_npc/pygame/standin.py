"""The offline stand-in LLM in its own processes, for the game host (see
``aga_npc.offline.process``, where it lives: it needs no pygame)."""

from __future__ import annotations

from aga_npc.offline.process import ProcessOfflineLLM, StandInProcessError

__all__ = ["ProcessOfflineLLM", "StandInProcessError"]
