"""World model for Tiled maps: location tree, objects, agents, pathfinding, game clock.

No rendering and no pygame: ``World.load(path)`` parses a TMX file with pytmx, builds the
``sector -> arena -> object`` tree, and implements ``aga_npc.ports.WorldView``.
"""

from __future__ import annotations

from aga_npc.places import HOME, WORK  # re-exported; the symbols live in aga_npc.places
from aga_npc.world.clock import GameClock, parse_hhmm
from aga_npc.world.grid import Grid, Tile
from aga_npc.world.kinds import (
    KIND_AFFORDANCES,
    KNOWN_KINDS,
    KindRegistry,
    KindSpec,
    affordances,
    kinds_for_verb,
)
from aga_npc.world.layout import ArenaInfo, Layout, ObjectSpec, SectorInfo, Spawn
from aga_npc.world.model import World
from aga_npc.world.problems import PROBLEM_CODES, Problem
from aga_npc.world.sight import SightGrid
from aga_npc.world.snapshot import WorldSnapshot
from aga_npc.world.stepper import WorldStepper

__all__ = [
    "HOME",
    "KIND_AFFORDANCES",
    "KNOWN_KINDS",
    "PROBLEM_CODES",
    "WORK",
    "ArenaInfo",
    "GameClock",
    "Grid",
    "KindRegistry",
    "KindSpec",
    "Layout",
    "ObjectSpec",
    "Problem",
    "SectorInfo",
    "SightGrid",
    "Spawn",
    "Tile",
    "World",
    "WorldSnapshot",
    "WorldStepper",
    "affordances",
    "kinds_for_verb",
    "parse_hhmm",
]
