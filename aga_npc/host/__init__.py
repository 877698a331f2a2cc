"""The engine-agnostic game host: NPC brains of a town for any real-time loop.

Nothing here imports pygame; the drawing side lives in ``aga_npc.pygame``.

- ``TownHost``: the brains of a town for a real-time loop (``update(dt)`` once per frame,
  ``position(name)``, ``intent(name)``, ``say``/``end_talk``, ``save``/``begin_load``).
- ``HostConfig``: what a game chooses (mode, seed, backend, embedder, paths).
- ``grid_world``: a world from a plain tile grid, for games without a Tiled map.
- ``FrameStats``/``GcWatch``: frame-time and garbage-collection figures for a game loop.
- ``assemble``/``Wiring``: the one composition root (settings, LLM stack, embedder, policy
  store, gateway, town) that ``TownHost.create`` and the headless simulation share.

Names load on first access, so ``import aga_npc.host`` alone stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "Wiring": "aga_npc.host.assemble",
    "assemble": "aga_npc.host.assemble",
    "FrameStats": "aga_npc.host.stats",
    "GcWatch": "aga_npc.host.stats",
    "HostConfig": "aga_npc.host.town_host",
    "HostStats": "aga_npc.host.town_host",
    "TownHost": "aga_npc.host.town_host",
    "clone_personas": "aga_npc.host.town_host",
    "grid_world": "aga_npc.host.gridworld",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aga_npc.host' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
