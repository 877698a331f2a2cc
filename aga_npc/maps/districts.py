"""Generated towns of several districts: their size rules and their sector names.

A generated town is the demo town (the bundled town.tmx, 25 beds) repeated as districts joined by
avenues (``tools/gen_town.py --residents N``). District 0 keeps the demo town's names;
district k names every sector after its own neighbourhood ("Ashford Juniper Cafe",
"The Ashford Copper Kettle"), so 25 residents live and work in each district. The map
generator and the persona generator both name places through this one module.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

__all__ = [
    "DEMO_SECTORS",
    "MAX_DISTRICTS",
    "MAX_RESIDENTS",
    "RESIDENTS_PER_DISTRICT",
    "district_name",
    "district_of",
    "district_sector",
    "districts_for",
    "known_sectors",
]

RESIDENTS_PER_DISTRICT = 25
"""Beds of one district (the demo town's 25 residents)."""

_NAMES = (
    "Ashford",
    "Birchwood",
    "Claymoor",
    "Dunmere",
    "Eastbrook",
    "Foxhollow",
    "Greywell",
    "Hartfield",
    "Ivybridge",
    "Kestrel Hill",
    "Larkspur",
    "Marlow Green",
    "Northcote",
    "Oakhurst",
    "Pennyfield",
    "Quarry Bank",
    "Redcliff",
    "Saltmarsh",
    "Thornbury",
    "Upton",
    "Valewood",
    "Westmere",
    "Yarrowby",
    "Ambleside",
    "Bramblecross",
    "Coldharbour",
    "Deepdale",
    "Elderfield",
    "Fairhaven",
    "Goldcrest",
    "Hollins",
    "Ironbridge",
    "Juniper Vale",
    "Kingsmead",
    "Longmoor",
    "Millbrook",
    "Nettlecombe",
    "Orchard End",
    "Pinewood",
    "Ravensworth",
)
_PREFIXES = ("", "North ", "South ", "East ", "West ")

MAX_DISTRICTS = len(_NAMES) * len(_PREFIXES) + 1
"""District 0 plus one per neighbourhood name."""

MAX_RESIDENTS = MAX_DISTRICTS * RESIDENTS_PER_DISTRICT
"""The most residents a generated town can house (a bed each)."""

DEMO_SECTORS = (
    "Brook House",
    "Harbor Flat",
    "Alder Dorm",
    "Rowan Cottage",
    "Fenwick House",
    "Cedar Apartments",
    "Mill Cottage",
    "Lantern House",
    "Juniper Cafe",
    "Alder College",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Town Hall",
    "Elm Park",
    "Town Square",
)
"""The sectors of one district, as named in district 0 (docs/MAP_CONVENTIONS.md)."""


def districts_for(residents: int) -> int:
    """How many districts house ``residents`` (a bed each).

    Raises:
        ValueError: ``residents`` below 1 or above :data:`MAX_RESIDENTS`.
    """
    if not 1 <= residents <= MAX_RESIDENTS:
        raise ValueError(
            f"a generated town houses 1 to {MAX_RESIDENTS} residents "
            f"({MAX_DISTRICTS} districts of {RESIDENTS_PER_DISTRICT} beds), not {residents}"
        )
    return math.ceil(residents / RESIDENTS_PER_DISTRICT)


def district_name(k: int) -> str:
    """The neighbourhood name of district ``k`` ("" for district 0, the demo town).

    Raises:
        ValueError: ``k`` outside 0 .. MAX_DISTRICTS - 1.
    """
    if not 0 <= k < MAX_DISTRICTS:
        raise ValueError(f"district {k} is outside 0..{MAX_DISTRICTS - 1}")
    if k == 0:
        return ""
    prefix, base = divmod(k - 1, len(_NAMES))
    return _PREFIXES[prefix] + _NAMES[base]


def district_sector(sector: str, k: int) -> str:
    """The name of demo sector ``sector`` in district ``k`` ("The " stays in front)."""
    name = district_name(k)
    if not name:
        return sector
    if sector.startswith("The "):
        return f"The {name} {sector[4:]}"
    return f"{name} {sector}"


def district_of(sector: str) -> int | None:
    """The district a generated sector belongs to (None for a name no district uses)."""
    return _SECTOR_DISTRICTS().get(sector)


@functools.cache
def _SECTOR_DISTRICTS() -> dict[str, int]:
    return {district_sector(s, k): k for k in range(MAX_DISTRICTS) for s in DEMO_SECTORS}


def known_sectors(sectors: Sequence[str], *, home: str, workplace: str = "") -> list[str]:
    """The sectors a resident of ``home`` plans with, in map order.

    In a generated town of several districts: its own district's, plus its workplace
    (were that elsewhere), so a prompt lists 15 places, not every district's. In any
    other map (or a generated town of one district): every sector.
    """
    k = district_of(home)
    if k is None or not any(district_of(s) not in (None, k) for s in sectors):
        return list(sectors)
    return [s for s in sectors if district_of(s) == k or s == workplace]
