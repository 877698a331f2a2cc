"""The offline stand-in's reactions to a memory that came to mind: composed from what the
memory names and who is planning, in character, never someone else's work."""

from __future__ import annotations

import random
from typing import Any

import pytest

from aga_npc.eval.persona_check import out_of_character
from aga_npc.offline import reactions as R
from aga_npc.offline.facts import Town, build_town
from aga_npc.offline.paraphrase import expand, realise
from aga_npc.offline.pursuits import read_person
from aga_npc.offline.reactions import Frame, Mindset, mindset, reactions
from aga_npc.offline.role_work import role_work
from aga_npc.offline.wandering import CAME_TO_MIND, inspired_activities
from aga_npc.personas.model import Persona
from aga_npc.sim.population import town_for

PLACES = (
    "Alder College",
    "Alder Dorm",
    "Brook House",
    "Elm Park",
    "Juniper Cafe",
    "Mill Cottage",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Town Hall",
    "Town Square",
)
MEMORIES = (
    "stove is simmering a pot",
    "table 3 is covered with papers",
    "bar is busy with drinks",
    "Marta Ellison: write the place cards",
    "Amara Osei's cafe owner is Marta Ellison",
    "Silas Grue's old friend is Marta Ellison",
    "sofa is in use",
    "bench 2 is occupied",
    "Marta Ellison: grab ingredients from the fridge",
)


def personas() -> tuple[Persona, ...]:
    return town_for(3)[0]


def setup(persona: Persona) -> tuple[Mindset, Town]:
    data: dict[str, Any] = persona.to_dict()
    person = read_person(data)
    mind = mindset(
        data, person.facts.words, topic=person.topic, role=person.role.key, poss=person.poss
    )
    return mind, build_town(PLACES, person.facts, work_day=False)


def texts(persona: Persona, memories: tuple[str, ...] = MEMORIES, seeds: int = 30) -> list[str]:
    mind, town = setup(persona)
    out = []
    for seed in range(seeds):
        rng = random.Random(seed)
        marked = [CAME_TO_MIND + m for m in memories]
        for wish in inspired_activities(marked, town, rng, me=persona.name, mind=mind):
            for core in wish.say.cores:
                out.append(realise(expand(core, rng, {**wish.slots})))
    return out


def test_the_mindset_reads_styles_a_former_job_and_a_concern() -> None:
    by_name = {p.name: setup(p)[0] for p in personas()}
    amara, marta, silas = by_name["Amara Osei"], by_name["Marta Ellison"], by_name["Silas Grue"]
    assert "curious" in amara.styles and "storyteller" not in amara.styles
    assert amara.slots["topic"] == "chemistry" and amara.slots["concern"] == "the chemistry exam"
    assert "storyteller" in silas.styles and silas.slots["past"] == "fisherman"
    assert silas.slots["concern"] == "retiring from The Copper Kettle"
    assert "past" not in marta.slots and "maker" in marta.styles


def test_a_frame_needs_the_style_and_the_slots_it_uses() -> None:
    town = setup(personas()[0])[1]
    plain = Mindset(styles=frozenset(), slots={"poss": "his"})
    found = {
        r.frame for r in reactions("stove is simmering a pot", [], plain, town, random.Random(0))
    }
    assert found and all(f.style == "" for f in found)
    teller = Mindset(styles=frozenset({"storyteller"}), slots={"poss": "his"})
    found = {r.frame.text for r in reactions("stove is hot", [], teller, town, random.Random(0))}
    assert "~write down the recipe {poss} mother used to make" in found
    assert "~cook something from {poss} {past} days" not in found  # no former job
    sailor = Mindset(styles=frozenset({"storyteller"}), slots={"poss": "his", "past": "fisherman"})
    found = {r.frame.text for r in reactions("stove is hot", [], sailor, town, random.Random(0))}
    assert "~cook something from {poss} {past} days" in found


def test_a_dull_memory_gives_no_reaction() -> None:
    mind, town = setup(personas()[2])
    for memory in ("toilet is occupied", "Silas Grue: brush teeth", "shower is steaming"):
        assert reactions(memory, [], mind, town, random.Random(0)) == []


def test_a_seeded_relation_sends_one_to_the_persons_place() -> None:
    def said(persona: Persona, memory: str) -> set[str]:
        mind, town = setup(persona)
        found = reactions(memory, ["Marta"], mind, town, random.Random(0))
        return {realise(expand(r.frame.text, random.Random(0), r.slots)) for r in found}

    amara, silas = personas()[0], personas()[2]
    assert "drop in on Marta at Juniper Cafe" in said(amara, "Amara Osei's cafe owner is Marta")
    assert not any(  # "old friend" names no place
        "drop in on" in t for t in said(silas, "Silas Grue's old friend is Marta Ellison")
    )


def test_reactions_differ_by_persona_and_are_many() -> None:
    found = {p.name: set(texts(p)) for p in personas()}
    for name, own in found.items():
        assert len(own) >= 25, (name, sorted(own))
    amara, silas = found["Amara Osei"], found["Silas Grue"]
    assert any("chemistry" in t for t in amara) and not any("chemistry" in t for t in silas)
    assert any("fisherman" in t for t in silas) and not any("fisherman" in t for t in amara)


def test_no_reaction_is_out_of_character_for_the_town() -> None:
    for persona in personas():
        for text in texts(persona):
            assert out_of_character(text, persona) == "", (persona.name, text)
            assert role_work(text, setup(persona)[0].role) == "", (persona.name, text)


def test_a_composed_reaction_that_is_someone_elses_work_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = (
        Frame("", "home", "~pour cocktails for {who}"),
        Frame("", "shop", "~restock the shelves and ~serve customers at {place}"),
    )
    monkeypatch.setitem(R.THING_FRAMES, "kitchen", bad)
    amara = personas()[0]
    mind, town = setup(amara)
    offered = [r.frame for r in reactions("stove is hot", [], mind, town, random.Random(0))]
    assert set(offered) == set(bad)  # composed, then refused by the wandering planner
    found = texts(amara, ("stove is simmering a pot",), seeds=40)
    assert not any("cocktails" in t or "restock" in t for t in found)


def test_same_seed_same_reactions() -> None:
    amara = personas()[0]
    assert texts(amara, seeds=5) == texts(amara, seeds=5)


def test_role_work_knows_a_job_from_a_pastime() -> None:
    assert role_work("shelve returned books at Juniper Cafe like Marisol did") == "librarian"
    assert role_work("restock the shelves in the storeroom", "student") == "shopkeeper"
    assert role_work("serve customers at the counter", "student") != ""
    assert role_work("cook a new dish on the stove") == ""  # people cook at home
    assert role_work("read a novel on the sofa") == ""
    assert role_work("serve customers their orders", "barista") == ""  # her own job's words
    assert role_work("shelve returned books", "librarian") == ""
