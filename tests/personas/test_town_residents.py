"""The town's own resident sets (3 and 25) fit the demo town of docs/MAP_CONVENTIONS.md."""

from __future__ import annotations

from collections import Counter

import pytest

from aga_npc.personas import town_personas

# From docs/MAP_CONVENTIONS.md: homes, their bedrooms and beds (naming rules: "bed N").
CONVENTION_BEDS = {
    "Brook House": {
        "Brook House:main bedroom:bed 1",
        "Brook House:main bedroom:bed 2",
        "Brook House:kids room:bed 1",
        "Brook House:kids room:bed 2",
    },
    "Harbor Flat": {f"Harbor Flat:bedroom {i}:bed 1" for i in (1, 2, 3)},
    "Alder Dorm": {f"Alder Dorm:room {r}:bed {b}" for r in (1, 2, 3) for b in (1, 2)},
    "Rowan Cottage": {"Rowan Cottage:bedroom:bed 1", "Rowan Cottage:bedroom:bed 2"},
    "Fenwick House": {
        "Fenwick House:bedroom:bed 1",
        "Fenwick House:bedroom:bed 2",
        "Fenwick House:small bedroom:bed 1",
    },
    "Cedar Apartments": {f"Cedar Apartments:apartment {i}:bed 1" for i in (1, 2, 3, 4)},
    "Mill Cottage": {"Mill Cottage:bedroom:bed 1"},
    "Lantern House": {"Lantern House:bedroom:bed 1", "Lantern House:bedroom:bed 2"},
}
PUBLIC = {
    "Juniper Cafe",
    "Alder College",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Town Hall",
    "Elm Park",
    "Town Square",
}


def test_twenty_five_residents_fill_every_bed_of_the_town() -> None:
    people = town_personas(25)
    assert len(people) == 25 == len({p.name for p in people})
    beds = {p.bed for p in people}
    assert beds == set().union(*CONVENTION_BEDS.values())
    for p in people:
        assert p.bed in CONVENTION_BEDS[p.home], p.name


def test_workplaces_are_places_of_the_town_and_spread_out() -> None:
    people = town_personas(25)
    for p in people:
        assert p.workplace == "" or p.workplace in PUBLIC | set(CONVENTION_BEDS), p.name
    places = Counter(p.workplace for p in people if p.workplace)
    assert {"Juniper Cafe", "Alder College", "Pine Street Grocery", "The Copper Kettle"} <= set(
        places
    )
    assert {"Town Hall", "Elm Park", "Rowan Cottage"} <= set(places)  # painter in the studio
    painter = next(p for p in people if p.role == "painter")
    assert painter.workplace == painter.home == "Rowan Cottage"


def test_roles_are_shared_so_policies_can_be_shared() -> None:
    roles = Counter(p.role for p in town_personas(25))
    assert roles["student"] == 6 and roles["barista"] == 2 and roles["professor"] == 2
    assert roles["mayor"] == 1 and roles["gardener"] == 1 and roles["librarian"] == 1
    assert sum(1 for n in roles.values() if n >= 2) >= 4
    assert all(p.role for p in town_personas(25))


def test_routines_and_personalities_are_distinct() -> None:
    people = town_personas(25)
    assert len({p.lifestyle for p in people}) == 25
    assert len({p.traits for p in people}) == 25
    assert len({(p.wake_time, p.sleep_time) for p in people}) >= 12
    for p in people:
        assert p.backstory and p.currently and p.lifestyle and p.daily_requirements, p.name
        assert p.sleep_minute != p.wake_minute


def test_relationships_and_seeded_events_make_a_social_town() -> None:
    people = town_personas(25)
    names = {p.name for p in people}
    for p in people:
        assert p.relationships, p.name
        assert set(p.relationships) <= names, p.name
    kinds = " ".join(r.relationship for p in people for r in p.relationships.values())
    for word in ("wife", "husband", "daughter", "son", "roommate", "coworker", "friend"):
        assert word in kinds
    events = " ".join(e for p in people for e in p.events).lower()
    assert "anniversary party" in events  # someone planning a party
    assert "running for mayor" in events  # someone running for office
    assert "study group" in events and "new autumn menu" in events
    planner = next(p for p in people if "planning a party" in " ".join(p.events))
    candidate = next(p for p in people if "running for mayor" in p.currently)
    assert (planner.name, candidate.name) == ("Marta Ellison", "Calvin Reyes")


def test_three_residents_are_a_compatible_subset_that_knows_each_other() -> None:
    three = town_personas(3)
    full = {p.name: p for p in town_personas(25)}
    assert len(three) == 3
    names = {p.name for p in three}
    for p in three:
        twin = full[p.name]
        assert (p.home, p.bed, p.workplace, p.role) == (
            twin.home,
            twin.bed,
            twin.workplace,
            twin.role,
        )
        assert set(p.relationships) == names - {p.name}
    assert len({p.workplace for p in three}) == 3 and len({p.home for p in three}) == 3
    assert sum(len(p.events) for p in three) >= 1


@pytest.mark.parametrize("n", [0, 4, 24])
def test_only_three_and_twenty_five_exist(n: int) -> None:
    with pytest.raises(ValueError, match="3, 25"):
        town_personas(n)
