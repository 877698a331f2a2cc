"""Place addresses: parsing, symbols for one's own home and workplace, resolving them."""

from __future__ import annotations

import pytest

from aga_npc.places import (
    HOME,
    WORK,
    Address,
    place_label,
    place_symbol,
    resolve_address,
    resolve_place,
)

HERE = {"home": "Home", "work": "Cafe"}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Home", ("Home", "", "")),
        ("Home:kitchen", ("Home", "kitchen", "")),
        ("Home:kitchen:bed 1", ("Home", "kitchen", "bed 1")),
        ("@home:kitchen:stove", (HOME, "kitchen", "stove")),
    ],
)
def test_parse_round_trips(text: str, parts: tuple[str, str, str]) -> None:
    address = Address.parse(text)
    assert (address.sector, address.arena, address.obj) == parts
    assert str(address) == text


@pytest.mark.parametrize("text", ["", ":", "Home:", "Home::stove", ":kitchen", "a:b:c:d"])
def test_what_is_not_an_address(text: str) -> None:
    with pytest.raises(ValueError):
        Address.parse(text)
    assert Address.try_parse(text) is None


def test_parts_are_checked() -> None:
    with pytest.raises(ValueError, match="needs a sector"):
        Address("")
    with pytest.raises(ValueError, match="needs an arena"):
        Address("Home", "", "stove")
    with pytest.raises(ValueError, match="':'"):
        Address("Home", "kitchen", "stove:left")


def test_symbolise_replaces_own_places_only() -> None:
    def symbolise(text: str) -> str:
        return str(Address.parse(text).symbolise(**HERE))

    assert symbolise("Home:kitchen:stove") == "@home:kitchen:stove"
    assert symbolise("Cafe:cafe:counter") == "@work:cafe:counter"
    assert symbolise("Park:park:bench") == "Park:park:bench"
    assert str(Address.parse("Cafe:cafe").symbolise(home="Home", work="")) == "Cafe:cafe"


def test_resolve_is_the_inverse_of_symbolise() -> None:
    for text in ("Home:kitchen:stove", "Cafe:cafe:counter", "Park:park:bench", "Home"):
        address = Address.parse(text)
        assert address.symbolise(**HERE).resolve(**HERE) == address
    with pytest.raises(ValueError, match="no workplace"):
        Address.parse("@work:cafe").resolve(home="Home", work="")


def test_sector_symbols_and_labels() -> None:
    assert place_symbol("Home", **HERE) == HOME
    assert place_symbol("Cafe", **HERE) == WORK
    assert place_symbol("Park", **HERE) == "Park"
    assert place_symbol("", home="", work="") == ""
    assert resolve_place(HOME, **HERE) == "Home"
    assert resolve_place(WORK, home="Home", work="") == ""
    assert resolve_place("Park", **HERE) == "Park"
    assert [place_label(p) for p in (HOME, WORK, "Park", "")] == [
        "at home",
        "at work",
        "at Park",
        "anywhere",
    ]


def test_resolve_address_touches_symbols_only() -> None:
    assert resolve_address("@home:kitchen:stove", **HERE) == "Home:kitchen:stove"
    assert resolve_address("@work:cafe", **HERE) == "Cafe:cafe"
    assert resolve_address("@work:cafe:counter", home="Home", work="") is None
    assert resolve_address("Park:park:bench", **HERE) == "Park:park:bench"
    assert resolve_address("@school:hall:desk", **HERE) == "@school:hall:desk"
    assert resolve_address("", **HERE) == ""
