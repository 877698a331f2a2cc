"""Loading TMX maps into a World: no display, the location tree, addresses and places."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aga_npc.errors import MapError
from aga_npc.world import World

DATA = Path(__file__).parent / "data"


def test_loads_in_a_process_without_display_and_keeps_stdout_clean() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "SDL_VIDEODRIVER")}
    env.pop("PYGAME_HIDE_SUPPORT_PROMPT", None)
    code = (
        "import json, sys; from aga_npc.world import World; "
        f"w = World.load({str(DATA / 'small_town.tmx')!r}); "
        "print(json.dumps([w.width, w.height, len(w.objects()), "
        "'pygame.display' in sys.modules and sys.modules['pygame.display'].get_init()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    # the only stdout line is ours: no pygame banner, no display opened
    assert json.loads(out) == [20, 12, 9, False]


def test_location_tree_matches_the_map(world: World) -> None:
    assert world.tree() == {
        "Test House": {"bedroom": ["bed 1", "bed 2"], "kitchen": ["stove", "table"]},
        "Test Cafe": {"cafe": ["counter", "table 1", "table 2"]},
        "Test Park": {"park": ["bench", "garden"]},
    }
    assert world.sector_names() == ("Test House", "Test Cafe", "Test Park")
    assert world.arena_names("Test House") == ("bedroom", "kitchen")
    assert world.arena_names("Nowhere") == ()
    assert world.problems == ()


def test_objects_are_addressed_sector_arena_object(world: World) -> None:
    stove = world.object_at("Test House:kitchen:stove")
    assert stove is not None
    assert (stove.kind, stove.sector, stove.arena, stove.name) == (
        "stove",
        "Test House",
        "kitchen",
        "stove",
    )
    assert stove.states == ("off", "on") and stove.state == "off"
    assert stove.affordances == ("cook",)
    assert world.object_at("Test House:kitchen:fridge") is None
    table = world.object_at("Test Cafe:cafe:table 1")
    assert table is not None and table.capacity == 4


def test_use_tiles_are_walkable_next_to_the_object(world: World) -> None:
    # the stove at (7, 2) is blocked; its use tile is a free neighbour inside the kitchen
    stove = world.object_at("Test House:kitchen:stove")
    assert stove is not None
    assert stove.tile in {(6, 2), (7, 3)}
    # use_x/use_y in the map wins
    table = world.object_at("Test Cafe:cafe:table 1")
    assert table is not None and table.tile == (15, 5)
    for info in world.objects():
        assert world.grid.is_walkable(info.tile), info.address
        x0, y0, x1, y1 = world.layout.objects[info.address].rect
        tx, ty = info.tile
        gap_x = max(x0 - tx, 0, tx - (x1 - 1))
        gap_y = max(y0 - ty, 0, ty - (y1 - 1))
        assert gap_x + gap_y <= 1, info.address


def test_places_of_tiles(world: World) -> None:
    assert world.place_of_tile((3, 3)) == ("Test House", "bedroom")
    assert world.place_of_tile((6, 4)) == ("Test House", "kitchen")
    assert world.place_of_tile((10, 8)) is None  # the street
    assert world.place_of_tile((5, 3)) is None  # the inner door: in the house, in no room
    assert world.layout.sector_of_tile((5, 3)) == "Test House"
    assert world.place_of_tile((100, 100)) is None
    assert world.place_of_tile((1, 10)) == ("Test Park", "park")


def test_spawns_name_home_and_bed(world: World) -> None:
    assert [(s.tile, s.home, s.bed) for s in world.spawns] == [
        ((3, 3), "Test House", "Test House:bedroom:bed 1"),
        ((3, 5), "Test House", "Test House:bedroom:bed 2"),
    ]
    assert world.home_beds() == {"Test House": 2}


def test_collisions_come_from_layer_and_tile_property(world: World) -> None:
    walk = world.grid.walkable
    assert not walk[1, 1]  # wall tile: collides=true on the tileset tile
    assert not walk[2, 7]  # the stove: a cell of the collision layer
    assert walk[6, 3]  # the house door is a gap in the wall
    assert walk[8, 10]  # street


def test_map_without_semantic_layers_still_loads_and_finds_paths() -> None:
    world = World.load(DATA / "bare.tmx")
    assert (world.width, world.height) == (10, 8)
    assert world.objects() == [] and world.sector_names() == () and world.spawns == ()
    assert {p.code for p in world.problems} == {"missing_layer"}
    assert {p.subject for p in world.problems} == {"locations", "objects", "spawns", "collision"}
    path = world.find_path((0, 0), (0, 5))
    assert path is not None and (5, 2) in path  # through the only door of the wall row
    assert len(path) - 1 == 5 + 5 + 5


def test_unreadable_files_raise_map_error(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="no such map file"):
        World.load(tmp_path / "missing.tmx")
    bad = tmp_path / "bad.tmx"
    bad.write_text("<map version='1.10'><layer", encoding="utf-8")
    with pytest.raises(MapError, match=r"bad\.tmx: cannot read map"):
        World.load(bad)
