"""aga_npc: Affordable Generative Agents as an NPC brain for pygame games.

``import aga_npc`` is light: it imports neither pygame nor an LLM SDK. The public API is
listed in ``__all__`` (pinned by a test) and loaded lazily on first attribute access: a game
writes ``from aga_npc import TownHost, HostConfig, Persona, grid_world`` and gets the host
without pygame (the drawing helpers stay in ``aga_npc.pygame``).

``__version__`` is the package's one version source (pyproject.toml reads it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aga_npc.config import Settings
from aga_npc.errors import AgaError
from aga_npc.types import ChatMessage, LLMRequest, LLMResult, Module, Priority, Usage

__version__ = "0.1.0"

if TYPE_CHECKING:
    from aga_npc.brain import (
        AgentProfile,
        BrainSnapshot,
        Intent,
        IntentKind,
        Mode,
        NpcBrain,
        Perception,
    )
    from aga_npc.embed.factory import build_embedder
    from aga_npc.host import HostConfig, TownHost, grid_world
    from aga_npc.llm import TokenLedger, build_stack
    from aga_npc.offline import OfflineLLM
    from aga_npc.personas.loader import load_personas, town_personas
    from aga_npc.personas.model import Persona
    from aga_npc.policy import PolicyStore, plan_similarity
    from aga_npc.runtime import Gateway, InlineGateway
    from aga_npc.town.build import TownSpec, build_town
    from aga_npc.town.town import Town
    from aga_npc.world.model import World
    from aga_npc.world.stepper import WorldStepper

# name -> module that defines it; imported on first access so `import aga_npc` stays light.
_LAZY: dict[str, str] = {
    "AgentProfile": "aga_npc.brain",
    "BrainSnapshot": "aga_npc.brain",
    "Gateway": "aga_npc.runtime",
    "HostConfig": "aga_npc.host",
    "InlineGateway": "aga_npc.runtime",
    "Intent": "aga_npc.brain",
    "IntentKind": "aga_npc.brain",
    "Mode": "aga_npc.brain",
    "NpcBrain": "aga_npc.brain",
    "OfflineLLM": "aga_npc.offline",
    "Perception": "aga_npc.brain",
    "Persona": "aga_npc.personas.model",
    "PolicyStore": "aga_npc.policy",
    "TokenLedger": "aga_npc.llm",
    "TownHost": "aga_npc.host",
    "Town": "aga_npc.town.town",
    "TownSpec": "aga_npc.town.build",
    "World": "aga_npc.world.model",
    "WorldStepper": "aga_npc.world.stepper",
    "build_embedder": "aga_npc.embed.factory",
    "build_stack": "aga_npc.llm",
    "build_town": "aga_npc.town.build",
    "grid_world": "aga_npc.host",
    "load_personas": "aga_npc.personas.loader",
    "plan_similarity": "aga_npc.policy",
    "town_personas": "aga_npc.personas.loader",
}

__all__ = [
    "AgaError",
    "AgentProfile",
    "BrainSnapshot",
    "ChatMessage",
    "Gateway",
    "HostConfig",
    "InlineGateway",
    "Intent",
    "IntentKind",
    "LLMRequest",
    "LLMResult",
    "Mode",
    "Module",
    "NpcBrain",
    "OfflineLLM",
    "Perception",
    "Persona",
    "PolicyStore",
    "Priority",
    "Settings",
    "TokenLedger",
    "Town",
    "TownHost",
    "TownSpec",
    "Usage",
    "World",
    "WorldStepper",
    "__version__",
    "build_embedder",
    "build_stack",
    "build_town",
    "grid_world",
    "load_personas",
    "plan_similarity",
    "town_personas",
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
