"""The persona check refuses other people's work and accepts one's own."""

from __future__ import annotations

from aga_npc.eval.persona_check import out_of_character, persona_violations
from aga_npc.personas.model import Persona

STUDENT = Persona(
    name="Amara Osei",
    home="Alder Dorm",
    workplace="Alder College",
    role="student",
    backstory="Amara studies chemistry at Alder College.",
)
BARTENDER = Persona(
    name="Silas Grue",
    home="Mill Cottage",
    workplace="The Copper Kettle",
    role="bartender",
    backstory="Silas owns The Copper Kettle and has tended its bar for thirty years.",
)
RETIRED = Persona(
    name="Eddy Lin",
    home="Lin House",
    role="retired",
    backstory="Eddy was a barman for forty years and still mixes cocktails for friends.",
)


def test_a_bartender_revising_for_an_exam_is_out_of_character() -> None:
    why = out_of_character("revise for the chemistry exam in the library", BARTENDER)
    assert "college work" in why and "exam" in why


def test_the_student_revising_for_her_exam_is_in_character() -> None:
    assert out_of_character("revise for the chemistry exam in the library", STUDENT) == ""


def test_a_student_mixing_cocktails_is_out_of_character_but_a_former_barman_is_not() -> None:
    assert "bar work" in out_of_character("mix cocktails like Silas did", STUDENT)
    assert out_of_character("mix cocktails for the neighbours", RETIRED) == ""


def test_everyday_activities_fit_everyone() -> None:
    for persona in (STUDENT, BARTENDER, RETIRED):
        for text in ("take a walk in Elm Park", "read a novel on the sofa", "go to sleep"):
            assert out_of_character(text, persona) == ""


def test_persona_violations_lists_only_the_bad_rows() -> None:
    rows = [
        ("Silas Grue", "study for the exam in the library at Alder College"),
        ("Silas Grue", "open the bar"),
        ("Amara Osei", "study for the exam in the library at Alder College"),
        ("Nobody", "mix cocktails"),
    ]
    found = persona_violations(rows, [STUDENT, BARTENDER])
    assert [(v["agent"], v["activity"]) for v in found] == [rows[0]]


def test_a_customers_drink_or_coffee_is_not_someone_elses_work() -> None:
    for text in ("have a pint at The Copper Kettle", "have a cappuccino at Juniper Cafe"):
        assert out_of_character(text, STUDENT) == ""
