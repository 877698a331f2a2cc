"""The Generative Agents scratch.json importer on a hand-written sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aga_npc.errors import PersonaError
from aga_npc.personas import ScratchRecord, TownCatalog, import_scratch, load_personas
from aga_npc.world import World

GA = Path(__file__).parent / "data" / "ga_personas"
SMALL_TOWN = Path(__file__).parents[1] / "world" / "data" / "small_town.tmx"


def record(name: str) -> ScratchRecord:
    path = GA / name / "bootstrap_memory" / "scratch.json"
    return ScratchRecord(source=str(path), data=json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture
def imported() -> tuple[dict[str, object], list[str]]:
    notes: list[str] = []
    people = load_personas(GA, warnings=notes)
    return {p.name: p for p in people}, notes


def test_fields_map_onto_personas(imported: tuple[dict, list[str]]) -> None:  # type: ignore[type-arg]
    people, _ = imported
    pilar = people["Pilar Quint"]
    assert pilar.age == 34
    assert pilar.traits == ("energetic", "chatty", "thoughtful")
    assert pilar.backstory.startswith("Pilar Quint is a barista")
    assert pilar.currently == "Pilar is experimenting with a cinnamon latte for the winter menu."
    assert (pilar.wake_time, pilar.sleep_time) == ("05:00", "22:00")
    assert pilar.daily_requirements == (
        "Pilar opens the coffee counter at 6:30 every day.",
        "She closes her shift at 14:00 and picks up groceries on the way home.",
    )
    assert len(pilar.work_days) == 7  # "every day"
    dov = people["Dov Quint"]
    assert (dov.wake_time, dov.sleep_time) == ("06:45", "23:30")
    roald = people["Roald Finch"]
    assert (roald.wake_time, roald.sleep_time) == ("04:30", "21:00")


def test_workplaces_and_roles_are_guessed_from_job_words(
    imported: tuple[dict, list[str]],  # type: ignore[type-arg]
) -> None:
    people, notes = imported
    got = {n: (p.workplace, p.role) for n, p in people.items()}
    assert got == {
        "Pilar Quint": ("Juniper Cafe", "barista"),
        "Dov Quint": ("Alder College", "professor"),
        "Ines Marlowe": ("Alder College", "student"),
        "Roald Finch": ("", "painter"),
    }
    assert any("Pilar Quint guessed as 'Juniper Cafe' from the word 'barista'" in n for n in notes)
    assert any("no workplace found for Roald Finch" in n for n in notes)


def test_households_move_together_to_the_closest_home(
    imported: tuple[dict, list[str]],  # type: ignore[type-arg]
) -> None:
    people, notes = imported
    # "Quint family's house" is no home here: both Quints go to one family house with room
    assert people["Pilar Quint"].home == people["Dov Quint"].home == "Fenwick House"
    # a living area naming a real home keeps it, silently
    assert people["Ines Marlowe"].home == "Alder Dorm"
    assert not any("Ines" in n and "living area" in n for n in notes)
    # a cottage for one
    assert people["Roald Finch"].home == "Mill Cottage"
    moved = [n for n in notes if "moved to" in n]
    assert len(moved) == 2 and "Dov Quint, Pilar Quint moved to 'Fenwick House'" in moved[0]


def test_full_homes_split_a_household_with_a_warning() -> None:
    catalog = TownCatalog.from_world(World.load(SMALL_TOWN))
    assert [h.name for h in catalog.homes] == ["Test House"]
    assert [w.name for w in catalog.workplaces] == ["Test Cafe", "Test Park"]
    notes: list[str] = []
    people = import_scratch(
        [record(n) for n in ("Pilar_Quint", "Dov_Quint", "Ines_Marlowe")], catalog, notes
    )
    assert [p.home for p in people] == ["Test House"] * 3  # the only home
    # "Test Cafe" is no demo workplace, but its name shares "cafe" with one: baristas go there
    assert (people[0].workplace, people[0].role) == ("Test Cafe", "barista")
    assert people[1].workplace == ""  # no college in this town
    assert any("no free bed left anywhere" in n for n in notes)


def test_bad_scratch_fields_name_the_file_and_field(tmp_path: Path) -> None:
    data = json.loads((GA / "Ines_Marlowe" / "bootstrap_memory" / "scratch.json").read_text())
    data["age"] = "twenty"
    path = tmp_path / "scratch.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PersonaError) as info:
        load_personas(path)
    assert info.value.path == str(path) and info.value.field == "age"
    data["age"] = 20
    data["innate"] = ["curious"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PersonaError, match="must be a string") as info:
        load_personas(path)
    assert info.value.field == "innate"
    del data["name"]
    data["innate"] = "curious"
    data["first_name"] = data["last_name"] = ""
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PersonaError, match="not a Generative Agents scratch file"):
        load_personas(path)


def test_name_is_built_from_first_and_last_name_when_missing(tmp_path: Path) -> None:
    data = {"first_name": "Ines", "last_name": "Marlowe", "name": "", "innate": "shy"}
    notes: list[str] = []
    with pytest.raises(PersonaError, match="is required"):
        nameless = {**data, "first_name": "", "last_name": ""}
        import_scratch([ScratchRecord(source="x.json", data=nameless)], TownCatalog.demo())
    (p,) = import_scratch([ScratchRecord(source="x.json", data=data)], TownCatalog.demo(), notes)
    assert p.name == "Ines Marlowe"
