"""A map of the game's own object kinds, loaded against its registry (tests/world/data/farm.tmx)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from aga_npc.world import World
from aga_npc.world.kinds import KindRegistry

DATA = Path(__file__).parent / "data"
FARM = DATA / "farm.tmx"
FARM_KINDS = DATA / "farm_kinds.toml"


def test_the_household_registry_names_each_unknown_kind_with_the_known_ones() -> None:
    world = World.load(FARM)
    unknown = [p for p in world.problems if p.code == "unknown_kind"]
    assert [p.subject for p in unknown] == [
        "north field",
        "south field",
        "fishing spot",
        "vegetable stall",
        "fish stall",
    ]
    assert "unknown kind 'fishing spot' (known: bar, bed, bench" in unknown[2].message
    assert list(world.objects(verb="fish")) == []


def test_the_game_registry_loads_the_farm_with_its_kinds_verbs_capacity_and_states() -> None:
    kinds = KindRegistry.resolve(FARM_KINDS)
    world = World.load(FARM, kinds=kinds)
    assert world.problems == ()
    assert world.kinds is kinds
    spot = world.object_at("Mill Pond:shore:fishing spot")
    assert spot is not None
    assert spot.affordances == ("fish", "sit")
    assert spot.capacity == 2  # the kind's; the map object sets none
    assert spot.states == ("idle", "being fished") and spot.state == "idle"
    assert [o.address for o in world.objects(verb="fish")] == ["Mill Pond:shore:fishing spot"]
    assert [o.name for o in world.objects(verb="sit")] == [
        "kitchen table",
        "fishing spot",
        "bench",
    ]
    assert list(world.objects(kind="piano")) == []
    assert world.claim("Tom", spot.address) and world.claim("Mae", spot.address)
    assert not world.claim("Ann", spot.address)  # capacity 2 from the kind


def test_an_objects_own_capacity_and_states_win_over_its_kinds(tmp_path: Path) -> None:
    tree = ET.parse(FARM)
    for obj in tree.getroot().iter("object"):
        if obj.get("name") == "fishing spot":
            props = obj.find("properties")
            assert props is not None
            ET.SubElement(props, "property", {"name": "capacity", "type": "int", "value": "4"})
            ET.SubElement(props, "property", {"name": "states", "value": "calm,rippling"})
    path = tmp_path / "farm.tmx"
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    (tmp_path / "tiles.png").write_bytes((DATA / "tiles.png").read_bytes())
    world = World.load(path, kinds=KindRegistry.resolve(FARM_KINDS))
    spot = world.object_at("Mill Pond:shore:fishing spot")
    assert spot is not None and spot.capacity == 4 and spot.states == ("calm", "rippling")


def test_a_household_map_keeps_its_verbs_under_the_default_registry(world: World) -> None:
    stove = world.objects(kind="stove")[0]
    assert stove.affordances == ("cook",)
    assert world.kinds is KindRegistry.default()
    game = KindRegistry.default().extended({"stove": {"verbs": ["cook", "boil water"]}})
    redone = World.load(DATA / "small_town.tmx", kinds=game)
    assert redone.objects(kind="stove")[0].affordances == ("cook", "boil water")
    assert [o.kind for o in redone.objects(verb="boil water")] == ["stove"]
