"""Public fakes for tests (yours and ours): FakeLLM, ManualClock, and the other parts' fakes.

Names are imported on first access, so ``import aga_npc.testing`` stays light. To add a
fake, add ``"Name": "aga_npc.testing.module"`` to ``_LAZY`` and the name to ``__all__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.testing.fake_llm import FakeLLM
    from aga_npc.testing.fake_world import FakeWorld
    from aga_npc.testing.manual_clock import ManualClock

_LAZY: dict[str, str] = {
    "FakeLLM": "aga_npc.testing.fake_llm",
    "FakeWorld": "aga_npc.testing.fake_world",
    "HashingEmbedder": "aga_npc.embed.hashing",
    "ManualClock": "aga_npc.testing.manual_clock",
}

__all__ = ["FakeLLM", "FakeWorld", "HashingEmbedder", "ManualClock"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aga_npc.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
