"""Loading personas from a TOML file, a folder of them, or Generative Agents scratch files.

``load_personas(path)`` recognises the format by content: a JSON object with Generative
Agents fields is a scratch file; anything else must be TOML. A folder is read as its
``*.toml`` files, or else as a Generative Agents ``personas/`` folder
(``<Name>/bootstrap_memory/scratch.json``). ``town_personas(3 | 25)`` gives the demo town's
own residents, shipped as package data.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from collections.abc import Collection, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from aga_npc.errors import MapError, PersonaError
from aga_npc.personas.catalog import TownCatalog
from aga_npc.personas.model import Persona
from aga_npc.personas.scratch import ScratchRecord, import_scratch, is_scratch

if TYPE_CHECKING:
    from aga_npc.world import World

__all__ = [
    "TOWN_SETS",
    "check_on_map",
    "load_personas",
    "parse_toml",
    "town_personas",
    "validate_against_world",
    "validate_personas",
]

logger = logging.getLogger("aga_npc.personas")
TOWN_SETS = (3, 25)


def parse_toml(text: str, source: str) -> list[Persona]:
    """Personas from TOML text: one persona at top level, or ``[[personas]]`` tables.

    Raises:
        PersonaError: invalid TOML (with line and column) or an invalid persona.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PersonaError(source, None, f"not valid TOML: {exc}") from None
    many = data.get("personas")
    if many is not None:
        if set(data) != {"personas"}:
            extra = sorted(set(data) - {"personas"})[0]
            raise PersonaError(source, extra, "a file with [[personas]] holds nothing else")
        if not isinstance(many, list) or not all(isinstance(p, dict) for p in many):
            raise PersonaError(source, "personas", "must be an array of tables [[personas]]")
        return [
            Persona.from_dict(p, source=f"{source} [[personas]] #{i + 1}")
            for i, p in enumerate(many)
        ]
    return [Persona.from_dict(data, source=source)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError(str(path), None, f"cannot read: {exc}") from None


def _json_record(path: Path, text: str) -> ScratchRecord:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PersonaError(str(path), None, f"not valid JSON: {exc}") from None
    if not is_scratch(data):
        raise PersonaError(
            str(path),
            None,
            "JSON that is not a Generative Agents scratch file "
            "(needs 'name' and one of innate, learned, living_area, daily_plan_req)",
        )
    return ScratchRecord(source=str(path), data=data)


def _scratch_files(folder: Path) -> list[Path]:
    patterns = (
        "bootstrap_memory/scratch.json",
        "*/bootstrap_memory/scratch.json",
        "personas/*/bootstrap_memory/scratch.json",
        "scratch.json",
        "*/scratch.json",
    )
    for pattern in patterns:
        found = sorted(folder.glob(pattern))
        if found:
            return found
    return []


def load_personas(
    path: str | os.PathLike[str],
    *,
    catalog: TownCatalog | None = None,
    warnings: list[str] | None = None,
) -> list[Persona]:
    """Load personas from ``path`` (a file or a folder; the format is found by content).

    Args:
        path: a TOML file, a folder of TOML files, a scratch.json file, or a Generative
            Agents ``personas/`` folder.
        catalog: the town imported scratch personas are mapped onto (default: the demo
            town). TOML personas are taken as written.
        warnings: when given, importer warnings are appended to it; they are always
            logged on the ``aga_npc.personas`` logger too.

    Raises:
        PersonaError: naming the file (and field) of the first problem found.
    """
    p = Path(path)
    notes: list[str] = []
    toml_files: list[Path] = []
    scratch: list[ScratchRecord] = []
    if p.is_file():
        text = _read(p)
        if text.lstrip().startswith("{"):
            scratch.append(_json_record(p, text))
        else:
            toml_files.append(p)
    elif p.is_dir():
        toml_files = sorted(f for f in p.glob("*.toml") if f.is_file())
        if not toml_files:
            scratch = [_json_record(f, _read(f)) for f in _scratch_files(p)]
        if not toml_files and not scratch:
            raise PersonaError(
                str(p),
                None,
                "no persona files found (expected *.toml files, or "
                "<Name>/bootstrap_memory/scratch.json from Generative Agents)",
            )
    else:
        raise PersonaError(str(p), None, "no such file or folder")
    personas: list[Persona] = []
    for f in toml_files:
        personas.extend(parse_toml(_read(f), str(f)))
    if scratch:
        personas.extend(import_scratch(scratch, catalog or TownCatalog.demo(), notes))
    validate_personas(personas, warnings=notes)
    for note in notes:
        logger.warning("%s", note)
    if warnings is not None:
        warnings.extend(notes)
    return personas


def validate_personas(personas: Sequence[Persona], *, warnings: list[str] | None = None) -> None:
    """Check a set: unique names and beds. Unknown relationship names are only warned about.

    Raises:
        PersonaError: a duplicate name or bed, naming both files.
    """
    names: dict[str, Persona] = {}
    beds: dict[str, Persona] = {}
    for p in personas:
        if p.name in names:
            raise PersonaError(
                p.source, "name", f"duplicate name {p.name!r} (also in {names[p.name].source})"
            )
        names[p.name] = p
        if p.bed:
            if p.bed in beds:
                raise PersonaError(
                    p.source, "bed", f"bed {p.bed!r} already belongs to {beds[p.bed].name}"
                )
            beds[p.bed] = p
    if warnings is not None:
        for p in personas:
            for other in p.relationships:
                if other not in names:
                    warnings.append(f"{p.source}: relationship with {other!r}, not in this set")


def validate_against_world(personas: Iterable[Persona], world: World) -> None:
    """Check homes, workplaces and beds exist on the map and homes have enough beds.

    Raises:
        PersonaError: naming the persona's file and the field that does not fit the map.
        MapError: the map has no sectors at all.
    """
    check_on_map(personas, world)


def check_on_map(
    personas: Iterable[Persona], world: World, *, start_tiles: Collection[str] = ()
) -> None:
    """Check that the residents fit the map before any of them is placed on it.

    The map must have sectors; every home and workplace must be one of them; a named bed
    must be a bed of the map; and a home must have a bed with a spawn for each of its
    residents, except those given a start tile of their own (``start_tiles``: their names;
    the host gives one to copies of residents beyond the map's beds).

    Raises:
        MapError: the map has no sectors (naming the map file and its ``locations`` layer).
        PersonaError: naming the persona's file, the field (home, workplace or bed) and the
            map file, with the sectors the map does have.
    """
    people = list(personas)
    where = world.raw.path or "the map"
    sectors = sorted(world.sector_names())
    if not sectors and people:
        raise MapError(
            f"{where} (layer 'locations'): the map has no sectors, so its "
            f"{len(people)} resident(s) have no home to live in; a sector is a rectangle "
            "with a 'sector' property on the 'locations' object layer (docs/MAP_CONVENTIONS.md)"
        )
    known = set(sectors)
    beds = world.home_beds()
    per_home: dict[str, int] = {}
    for p in people:
        if p.home not in known:
            raise PersonaError(
                p.source,
                "home",
                f"{p.home!r} is not a sector of the map {where} (its sectors: {_some(sectors)})",
            )
        if p.workplace and p.workplace not in known:
            raise PersonaError(
                p.source,
                "workplace",
                f"{p.workplace!r} is not a sector of the map {where} "
                f"(its sectors: {_some(sectors)})",
            )
        if p.bed:
            info = world.object_at(p.bed)
            if info is None or info.kind != "bed":
                raise PersonaError(p.source, "bed", f"{p.bed!r} is not a bed on the map {where}")
        if p.name in start_tiles:
            continue
        per_home[p.home] = per_home.get(p.home, 0) + 1
        have = beds.get(p.home, 0)
        if per_home[p.home] > have:
            raise PersonaError(
                p.source,
                "home",
                f"{p.home!r} has {have} bed(s) with a spawn on the map {where}, "
                f"too few for its residents (this one is number {per_home[p.home]})",
            )


def _some(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def town_personas(n: int) -> list[Persona]:
    """The demo town's own residents: ``n`` is 3 or 25.

    Raises:
        ValueError: for any other ``n``.
    """
    if n not in TOWN_SETS:
        raise ValueError(f"the town has resident sets of {TOWN_SETS}, not {n}")
    folder = resources.files("aga_npc.personas") / "data" / f"town{n}"
    personas: list[Persona] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            source = f"aga_npc/personas/data/town{n}/{entry.name}"
            personas.extend(parse_toml(entry.read_text(encoding="utf-8"), source))
    validate_personas(personas)
    return personas
