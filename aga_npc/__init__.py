"""aga_npc: Affordable Generative Agents as an NPC brain for pygame games.

``import aga_npc`` is light: it imports neither pygame nor an LLM SDK. The public API is
listed in ``__all__`` (pinned by a test) and loaded lazily on first attribute access.
"""

from __future__ import annotations

import importlib
from typing import Any

from aga_npc.config import Settings
from aga_npc.errors import AgaError
from aga_npc.types import ChatMessage, LLMRequest, LLMResult, Module, Priority, Usage

__version__ = "0.1.0"

# name -> module that defines it; imported on first access so `import aga_npc` stays light.
_LAZY: dict[str, str] = {}

__all__ = [
    "AgaError",
    "ChatMessage",
    "LLMRequest",
    "LLMResult",
    "Module",
    "Priority",
    "Settings",
    "Usage",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aga_npc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
