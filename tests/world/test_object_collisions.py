"""Collisions from a Tiled object layer of rectangles (the usual pygame + Tiled way), read
by pytmx from a real TMX file: which tiles block, and that paths go round them."""

from __future__ import annotations

from pathlib import Path

import pytest

from aga_npc.world import World
from aga_npc.world.tmx import read_tmx

DATA = Path(__file__).parent / "data"
OBJECT_COLLISIONS = DATA / "object_collisions.tmx"

EXPECTED = (
    "##..##...#",
    "....##...#",
    ".........#",
    "..........",
    ".##.....#.",
    "......#..#",
)


def _picture(blocked: object) -> tuple[str, ...]:
    rows = []
    for row in blocked:  # type: ignore[attr-defined]
        rows.append("".join("#" if cell else "." for cell in row))
    return tuple(rows)


def test_object_layer_rectangles_block_the_tiles_they_overlap() -> None:
    raw = read_tmx(OBJECT_COLLISIONS)
    # "Collisions" layer (any case): a 2x1 rectangle, one straddling four tiles, a point,
    # a polygon (its bounding box); "decor": class "collision", property collides=true, and
    # one reaching past the map's corner (clipped); the "decoration" object blocks nothing
    assert _picture(raw.blocked) == EXPECTED
    assert raw.collision_objects == 7


def test_the_world_walks_round_object_collisions() -> None:
    world = World.load(OBJECT_COLLISIONS)
    assert not world.grid.is_walkable((0, 0))
    assert not world.grid.is_walkable((9, 1))
    assert world.grid.is_walkable((3, 3))  # the decoration object does not block
    path = world.find_path((3, 0), (6, 0))
    assert path is not None
    assert not any(tile in path for tile in ((4, 0), (5, 0), (4, 1), (5, 1)))


def test_objects_elsewhere_without_the_class_do_not_block(tmp_path: Path) -> None:
    text = OBJECT_COLLISIONS.read_text()
    text = text.replace('name="Collisions"', 'name="props"').replace('class="collision"', "")
    text = text.replace('name="collides" type="bool" value="true"', 'name="collides" value="no"')
    (tmp_path / "tiles.png").write_bytes((DATA / "tiles.png").read_bytes())
    path = tmp_path / "loose.tmx"
    path.write_text(text)
    raw = read_tmx(path)
    assert not raw.blocked.any()
    assert raw.collision_objects == 0


@pytest.mark.parametrize("layer", ["collision", "COLLISIONS"])
def test_both_layer_names_in_any_case(tmp_path: Path, layer: str) -> None:
    text = OBJECT_COLLISIONS.read_text().replace('name="Collisions"', f'name="{layer}"')
    (tmp_path / "tiles.png").write_bytes((DATA / "tiles.png").read_bytes())
    path = tmp_path / "named.tmx"
    path.write_text(text)
    assert _picture(read_tmx(path).blocked) == EXPECTED
