"""Residents for a generated town of districts, made deterministically from a seed.

Every district of a generated town (``aga_npc.maps.districts``) is the demo town under its
neighbourhood's name, so its residents are the demo town's 25 (``town_personas(25)``) with
new names: district 0 keeps them as written; in district k every person gets a new first
name (of the same gender, read from the pronouns of their texts) and every family a new
surname, drawn from ``random.Random`` seeded by ``(seed, k)``, and every place is renamed
after the district. Roles, routines, relationships and events keep their shape, so each
district's cafe has its owner and barista, its college its professors and students. Names
are unique across the whole town.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from aga_npc.maps.districts import (
    DEMO_SECTORS,
    RESIDENTS_PER_DISTRICT,
    district_sector,
    districts_for,
)
from aga_npc.personas.loader import town_personas, validate_personas
from aga_npc.personas.model import Persona

__all__ = ["generated_personas"]

_FEMALE = [
    "Ada",
    "Agnes",
    "Alice",
    "Anya",
    "Beatrix",
    "Bianca",
    "Carmen",
    "Cecily",
    "Clara",
    "Daphne",
    "Delia",
    "Elena",
    "Elsie",
    "Esme",
    "Fatima",
    "Flora",
    "Freya",
    "Greta",
    "Gwen",
    "Hazel",
    "Ines",
    "Ingrid",
    "Isla",
    "Ivy",
    "Jana",
    "Josie",
    "June",
    "Kaya",
    "Leila",
    "Lidia",
    "Lorna",
    "Mabel",
    "Maeve",
    "Maren",
    "Mina",
    "Miriam",
    "Nell",
    "Noemi",
    "Olga",
    "Opal",
    "Paloma",
    "Petra",
    "Priya",
    "Quinn",
    "Rhea",
    "Ruth",
    "Sabine",
    "Selma",
    "Talia",
    "Tessa",
    "Una",
    "Vera",
    "Wanda",
    "Willa",
    "Yara",
    "Yvette",
    "Zara",
    "Zoe",
    "Aurora",
    "Bettina",
    "Celeste",
    "Dora",
    "Edda",
    "Fern",
]
_MALE = [
    "Aaron",
    "Abel",
    "Ansel",
    "Basil",
    "Bruno",
    "Caspar",
    "Cyrus",
    "Dario",
    "Declan",
    "Emil",
    "Ezra",
    "Finn",
    "Gideon",
    "Gus",
    "Hamish",
    "Hugo",
    "Ivo",
    "Jasper",
    "Joel",
    "Jude",
    "Kai",
    "Lars",
    "Leon",
    "Linus",
    "Marco",
    "Milo",
    "Nico",
    "Niall",
    "Omar",
    "Oscar",
    "Pablo",
    "Pavel",
    "Quentin",
    "Rafael",
    "Reuben",
    "Rory",
    "Rufus",
    "Sami",
    "Stellan",
    "Tariq",
    "Teodor",
    "Ulric",
    "Victor",
    "Wesley",
    "Yusuf",
    "Zeke",
    "Anton",
    "Boris",
    "Callum",
    "Dmitri",
    "Elias",
    "Felipe",
    "Gareth",
    "Henrik",
    "Isak",
    "Jorge",
    "Kofi",
    "Lionel",
    "Magnus",
    "Nestor",
]
_SURNAMES = [
    "Abbott",
    "Acheson",
    "Adler",
    "Alvarez",
    "Ambrose",
    "Archer",
    "Ashby",
    "Baird",
    "Barrow",
    "Beck",
    "Bell",
    "Benton",
    "Blake",
    "Bloom",
    "Booth",
    "Bowen",
    "Brandt",
    "Brennan",
    "Briggs",
    "Burke",
    "Byrne",
    "Carver",
    "Castillo",
    "Chen",
    "Clarke",
    "Cobb",
    "Collins",
    "Conti",
    "Cross",
    "Dalton",
    "Darrow",
    "Dawes",
    "Dimitrov",
    "Doyle",
    "Drake",
    "Dunn",
    "Eames",
    "Egan",
    "Ellery",
    "Falk",
    "Farrow",
    "Fennel",
    "Field",
    "Finch",
    "Fischer",
    "Flores",
    "Ford",
    "Frost",
    "Gale",
    "Garner",
    "Gill",
    "Goss",
    "Grant",
    "Greer",
    "Hale",
    "Halloran",
    "Hart",
    "Hayes",
    "Holm",
    "Hooper",
    "Hughes",
    "Ibarra",
    "Ikeda",
    "Ingram",
    "Irwin",
    "Jansen",
    "Jarvis",
    "Keane",
    "Kemp",
    "Kerr",
    "Kimura",
    "Knox",
    "Lane",
    "Larsen",
    "Lowe",
    "Lund",
    "Lynch",
    "Mace",
    "Madsen",
    "Marsh",
    "Meyer",
    "Moss",
    "Nakamura",
    "Nash",
    "Navarro",
    "Noble",
    "Nolan",
    "Okafor",
    "Olsen",
    "Ortiz",
    "Park",
    "Patel",
    "Pike",
    "Quayle",
    "Quinlan",
    "Reed",
    "Rhodes",
    "Rios",
    "Ross",
    "Rowe",
    "Sato",
    "Shaw",
    "Silva",
    "Sloane",
    "Stone",
    "Strand",
    "Sutton",
    "Tate",
    "Thorne",
    "Torres",
    "Tran",
    "Varga",
    "Vance",
    "Wade",
    "Walsh",
    "Ward",
    "Webb",
    "Wells",
    "Whitlock",
    "Wilde",
    "Winter",
    "Wolfe",
    "Wren",
    "Yates",
    "Young",
    "Zeller",
    "Ahn",
    "Bakker",
    "Caruso",
    "Dutta",
    "Espino",
    "Ferreira",
    "Greco",
    "Haddad",
    "Ishikawa",
    "Jovanovic",
    "Kowalski",
    "Lindahl",
    "Moreau",
    "Novotny",
    "Oyelaran",
    "Pellegrini",
    "Rasmussen",
    "Sorensen",
    "Takeda",
    "Ueda",
    "Valdez",
    "Weiss",
]


def generated_personas(n: int, *, seed: int = 0) -> list[Persona]:
    """``n`` residents for the generated town of ``districts_for(n)`` districts.

    District-major order: district 0's 25 (the demo town's, as written), then district 1's
    and so on; the last district houses the first ``n mod 25`` of its 25 (file order).
    The same ``(n, seed)`` always gives the same residents.

    Raises:
        ValueError: ``n`` outside what a generated town can house.
    """
    districts = districts_for(n)
    templates = town_personas(RESIDENTS_PER_DISTRICT)
    genders = {p.name: _gender(p) for p in templates}
    taken = {p.name for p in templates}
    personas: list[Persona] = list(templates)
    for k in range(1, districts):
        rng = random.Random(f"aga-npc-district:{seed}:{k}")
        people = _names_for(templates, genders, rng, taken)
        taken |= set(people.values())
        personas.extend(_renamed(p, people, k) for p in templates)
    personas = personas[:n]
    validate_personas(personas)
    return personas


def _gender(p: Persona) -> str:
    """ "f" or "m" from the pronouns of a persona's own texts ("f" on a tie)."""
    text = " ".join((p.backstory, p.currently, p.lifestyle)).lower()
    she = len(re.findall(r"\b(she|her|hers|herself)\b", text))
    he = len(re.findall(r"\b(he|him|his|himself)\b", text))
    return "m" if he > she else "f"


def _names_for(
    templates: list[Persona], genders: Mapping[str, str], rng: random.Random, taken: set[str]
) -> dict[str, str]:
    """Old full name -> new full name for one district (families keep one surname)."""
    for _ in range(1000):
        female, male, surnames = list(_FEMALE), list(_MALE), list(_SURNAMES)
        rng.shuffle(female)
        rng.shuffle(male)
        rng.shuffle(surnames)
        family: dict[str, str] = {}
        out: dict[str, str] = {}
        for p in templates:
            last = p.name.partition(" ")[2]
            pool = female if genders[p.name] == "f" else male
            if last not in family:
                family[last] = surnames.pop()
            out[p.name] = f"{pool.pop()} {family[last]}"
        if not taken & set(out.values()):
            return out
    raise RuntimeError("could not draw unique names for a district")  # pragma: no cover


def _renamed(p: Persona, people: Mapping[str, str], k: int) -> Persona:
    """``p`` as it lives in district ``k``: people and places renamed in every text."""
    words: dict[str, str] = {}
    for old, new in people.items():
        words[old] = new
        old_first, _, old_last = old.partition(" ")
        new_first, _, new_last = new.partition(" ")
        words[old_first] = new_first
        words[old_last] = new_last
    for sector in DEMO_SECTORS:
        base = sector[4:] if sector.startswith("The ") else sector
        new_sector = district_sector(sector, k)
        words[base] = new_sector[4:] if new_sector.startswith("The ") else new_sector
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w-])"
    )

    def sub(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda m: words[m.group(1)], value)
        if isinstance(value, list):
            return [sub(v) for v in value]
        if isinstance(value, dict):
            return {sub(key): sub(v) for key, v in value.items()}
        return value

    data = sub(p.to_dict())
    return Persona.from_dict(data, source=f"generated: district {k}, from {p.source}")
