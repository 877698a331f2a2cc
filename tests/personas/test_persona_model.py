"""Persona files: strict parsing, clear errors naming file and field, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from aga_npc.errors import PersonaError
from aga_npc.personas import Persona, Relationship, load_personas, parse_toml

FULL = """
name = "Vera Lund"
age = 41
traits = "patient, curious"
backstory = "Vera repairs clocks."
currently = "Vera is fixing the town hall clock."
lifestyle = "Vera opens her workshop at 9:00."
home = "Test House"
bed = "Test House:bedroom:bed 2"
workplace = "Test Cafe"
role = "clockmaker"
work_days = ["Monday", "wed", "fri"]
wake_time = "06:45"
sleep_time = "22:15"
daily_requirements = ["wind the clocks"]
events = ["A clock fair is planned for spring."]

[relationships."Ada Stone"]
relationship = "sister"
closeness = 8
feeling = "misses her"
"""


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_full_persona_parses_every_field(tmp_path: Path) -> None:
    (p,) = load_personas(write(tmp_path, FULL))
    assert p.name == "Vera Lund" and p.first_name == "Vera" and p.age == 41
    assert p.traits == ("patient", "curious")
    assert (p.home, p.bed, p.workplace, p.role) == (
        "Test House",
        "Test House:bedroom:bed 2",
        "Test Cafe",
        "clockmaker",
    )
    assert p.work_days == ("mon", "wed", "fri")
    assert p.works_on("wed") and not p.works_on("tue")
    assert (p.wake_minute, p.sleep_minute) == (6 * 60 + 45, 22 * 60 + 15)
    assert p.relationships == {
        "Ada Stone": Relationship(relationship="sister", closeness=8, feeling="misses her")
    }
    assert p.events == ("A clock fair is planned for spring.",)
    assert p.source.endswith("p.toml")


def test_defaults_for_a_minimal_persona() -> None:
    (p,) = parse_toml('name = "Kit"\nhome = "Test House"\n', "min.toml")
    assert p.workplace == "" and p.work_days == () and not p.works_on("mon")
    assert (p.wake_time, p.sleep_time, p.bed, p.age) == ("07:00", "23:00", "", None)
    (q,) = parse_toml('name = "Kit"\nhome = "H"\nworkplace = "W"\n', "min.toml")
    assert q.work_days == ("mon", "tue", "wed", "thu", "fri")


def test_round_trip_through_dict(tmp_path: Path) -> None:
    (p,) = load_personas(write(tmp_path, FULL))
    again = Persona.from_dict(p.to_dict(), source=p.source)
    assert again == p
    with pytest.raises(TypeError):
        p.relationships["Ada Stone"] = Relationship(relationship="x")  # type: ignore[index]


def test_toml_local_time_literals_are_accepted() -> None:
    (p,) = parse_toml('name = "Kit"\nhome = "H"\nwake_time = 05:30:00\n', "t.toml")
    assert p.wake_time == "05:30"


def test_several_personas_in_one_file() -> None:
    text = '[[personas]]\nname = "A"\nhome = "H"\n\n[[personas]]\nname = "B"\nhome = "H"\n'
    assert [p.name for p in parse_toml(text, "many.toml")] == ["A", "B"]


@pytest.mark.parametrize(
    ("edit", "field", "reason"),
    [
        (('name = "Vera Lund"\n', ""), "name", "is required"),
        (('home = "Test House"\n', 'home = ""\n'), "home", "must not be empty"),
        (("age = 41\n", 'age = "forty"\n'), "age", "whole number"),
        (("age = 41\n", "age = 400\n"), "age", "0..130"),
        (('role = "clockmaker"\n', 'hometown = "Oslo"\n'), "hometown", "unknown field"),
        (('traits = "patient, curious"\n', "traits = 3\n"), "traits", "list of strings"),
        (('wake_time = "06:45"\n', 'wake_time = "7am"\n'), "wake_time", "HH:MM"),
        (('sleep_time = "22:15"\n', 'sleep_time = "25:00"\n'), "sleep_time", "00:00 and 23:59"),
        (
            ('work_days = ["Monday", "wed", "fri"]\n', 'work_days = ["funday"]\n'),
            "work_days",
            "unknown day",
        ),
        (
            ('bed = "Test House:bedroom:bed 2"\n', 'bed = "Test Cafe:cafe:bed 1"\n'),
            "bed",
            "not in the home sector",
        ),
        (('bed = "Test House:bedroom:bed 2"\n', 'bed = "bed 2"\n'), "bed", "sector:arena:object"),
        (("closeness = 8\n", "closeness = 11\n"), "relationships.Ada Stone.closeness", "0..10"),
        (
            ("closeness = 8\n", 'closeness = "very"\n'),
            "relationships.Ada Stone.closeness",
            "integer",
        ),
        (
            ('relationship = "sister"\n', ""),
            "relationships.Ada Stone.relationship",
            "non-empty string",
        ),
        (('feeling = "misses her"\n', "mood = 1\n"), "relationships.Ada Stone.mood", "unknown"),
    ],
)
def test_bad_fields_name_the_file_and_field(
    tmp_path: Path, edit: tuple[str, str], field: str, reason: str
) -> None:
    old, new = edit
    assert old in FULL
    path = write(tmp_path, FULL.replace(old, new, 1), "vera.toml")
    with pytest.raises(PersonaError) as info:
        load_personas(path)
    err = info.value
    assert err.path == str(path) and err.field == field
    assert reason in err.reason
    assert str(path) in str(err) and repr(field) in str(err)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Kit"\nhome = \n', "broken.toml")
    with pytest.raises(PersonaError, match=r"broken\.toml: not valid TOML.*line 2"):
        load_personas(path)


def test_relationship_to_oneself_is_an_error() -> None:
    text = 'name = "Kit"\nhome = "H"\n[relationships.Kit]\nrelationship = "self"\n'
    with pytest.raises(PersonaError, match="themself") as info:
        parse_toml(text, "kit.toml")
    assert info.value.field == "relationships.Kit"
