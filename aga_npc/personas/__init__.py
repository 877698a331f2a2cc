"""Residents: persona files (TOML), their validation, and the Generative Agents importer.

``load_personas(path)`` reads one file, a folder of TOML files, or a Generative Agents
``personas/`` folder (recognised by content); ``town_personas(3 | 25)`` gives the demo
town's own residents.
"""

from __future__ import annotations

from aga_npc.personas.catalog import Home, TownCatalog, Workplace
from aga_npc.personas.loader import (
    TOWN_SETS,
    load_personas,
    parse_toml,
    town_personas,
    validate_against_world,
    validate_personas,
)
from aga_npc.personas.model import WEEKDAYS, Persona, Relationship
from aga_npc.personas.scratch import ScratchRecord, import_scratch, is_scratch

__all__ = [
    "TOWN_SETS",
    "WEEKDAYS",
    "Home",
    "Persona",
    "Relationship",
    "ScratchRecord",
    "TownCatalog",
    "Workplace",
    "import_scratch",
    "is_scratch",
    "load_personas",
    "parse_toml",
    "town_personas",
    "validate_against_world",
    "validate_personas",
]
