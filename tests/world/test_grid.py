"""A* on small hand-made grids: shortest lengths, blocked targets, doors, caching."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.world import Grid


def grid_from(art: str) -> Grid:
    rows = [r for r in art.strip().splitlines()]
    return Grid(np.array([[c != "#" for c in r] for r in rows]))


def bfs_steps(walk: np.ndarray, a: tuple[int, int], b: tuple[int, int]) -> int | None:
    """An independent oracle: plain BFS over the bool array."""
    h, w = walk.shape
    if not (walk[a[1], a[0]] and walk[b[1], b[0]]):
        return None
    dist = {a: 0}
    queue = deque([a])
    while queue:
        x, y = queue.popleft()
        if (x, y) == b:
            return dist[(x, y)]
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if 0 <= nx < w and 0 <= ny < h and walk[ny, nx] and (nx, ny) not in dist:
                dist[(nx, ny)] = dist[(x, y)] + 1
                queue.append((nx, ny))
    return None


def assert_valid(grid: Grid, path: tuple[tuple[int, int], ...]) -> None:
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        assert abs(x0 - x1) + abs(y0 - y1) == 1
    assert all(grid.is_walkable(t) for t in path)


ROOMS = """
.....#.....
.....#.....
.....#.....
...........
.....#.....
"""


def test_open_grid_path_is_manhattan_length() -> None:
    grid = Grid(np.ones((5, 5), dtype=bool))
    path = grid.find_path((0, 0), (4, 4))
    assert path is not None and path[0] == (0, 0) and path[-1] == (4, 4)
    assert len(path) - 1 == 8
    assert_valid(grid, path)


def test_start_equals_goal() -> None:
    grid = Grid(np.ones((3, 3), dtype=bool))
    assert grid.find_path((1, 1), (1, 1)) == ((1, 1),)


def test_path_goes_through_the_door() -> None:
    grid = grid_from(ROOMS)
    path = grid.find_path((0, 0), (10, 0))
    assert path is not None
    assert (5, 3) in path  # the only gap in the wall
    assert len(path) - 1 == 10 + 2 * 3
    assert_valid(grid, path)


def test_detour_around_a_wall_is_shortest() -> None:
    art = """
.......
.#####.
.#...#.
.#.#.#.
...#...
"""
    grid = grid_from(art)
    # from inside the u-shape to the outside: out through the bottom gap at (2, 4)
    path = grid.find_path((2, 2), (6, 4))
    assert path is not None and len(path) - 1 == 6
    walk = np.array([[c != "#" for c in r] for r in art.strip().splitlines()])
    assert len(path) - 1 == bfs_steps(walk, (2, 2), (6, 4))


def test_blocked_target_and_walled_off_target_have_no_path() -> None:
    grid = grid_from(ROOMS)
    assert grid.find_path((0, 0), (5, 0)) is None  # target is a wall
    assert grid.find_path((5, 0), (0, 0)) is None  # start is a wall
    assert grid.find_path((0, 0), (99, 0)) is None  # outside the map
    grid.set_blocked([(5, 3)])  # close the door
    assert grid.find_path((0, 0), (10, 0)) is None
    assert not grid.connected((0, 0), (10, 0))
    assert grid.connected((0, 0), (4, 4))


def test_narrow_corridor() -> None:
    art = """
###########
#.........#
#########.#
#.........#
#.#########
#.........#
###########
"""
    grid = grid_from(art)
    path = grid.find_path((1, 1), (9, 5))
    assert path is not None and len(path) - 1 == 8 + 2 + 8 + 2 + 8
    assert_valid(grid, path)


def test_cache_serves_repeats_and_reverse_queries() -> None:
    grid = grid_from(ROOMS)
    first = grid.find_path((0, 0), (10, 4))
    misses = grid.cache_misses
    assert grid.find_path((0, 0), (10, 4)) == first
    back = grid.find_path((10, 4), (0, 0))
    assert first is not None and back == first[::-1]
    assert grid.cache_misses == misses and grid.cache_hits == 2


def test_changing_the_grid_invalidates_cached_paths() -> None:
    grid = grid_from(
        """
.......
.......
.......
"""
    )
    before = grid.find_path((0, 1), (6, 1))
    assert before is not None and len(before) == 7 and (3, 1) in before
    version = grid.version
    assert grid.set_blocked([(3, 1)]) == 1
    assert grid.version == version + 1
    after = grid.find_path((0, 1), (6, 1))
    assert after is not None and (3, 1) not in after and len(after) - 1 == 8
    assert grid.set_blocked([(3, 1)]) == 0  # no change, no new version
    assert grid.version == version + 1
    grid.set_blocked([(3, 0), (3, 2)])
    assert grid.find_path((0, 1), (6, 1)) is None
    grid.set_blocked([(3, 1)], blocked=False)
    again = grid.find_path((0, 1), (6, 1))
    assert again is not None and len(again) == 7


def test_walkable_array_is_read_only_and_replaced_on_change() -> None:
    grid = Grid(np.ones((2, 2), dtype=bool))
    old = grid.walkable
    with pytest.raises(ValueError):
        old[0, 0] = False
    grid.set_blocked([(0, 0)])
    assert old[0, 0] and not grid.walkable[0, 0]


def test_distance_field_matches_path_lengths() -> None:
    grid = grid_from(ROOMS)
    field = grid.distance_field((10, 0))
    assert field[0, 0] == 16 and field[0, 5] == -1 and field[0, 10] == 0
    assert grid.path_length((0, 0), (10, 0)) == 16


grids = st.integers(min_value=2, max_value=14).flatmap(
    lambda w: st.integers(min_value=2, max_value=10).flatmap(
        lambda h: st.tuples(
            st.lists(st.booleans(), min_size=w * h, max_size=w * h).map(
                lambda cells: np.array(cells, dtype=bool).reshape(h, w)
            ),
            st.tuples(st.integers(0, w - 1), st.integers(0, h - 1)),
            st.tuples(st.integers(0, w - 1), st.integers(0, h - 1)),
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(grids, st.sampled_from([0, 4]))
def test_astar_length_equals_bfs_on_random_grids(case, landmarks: int) -> None:  # type: ignore[no-untyped-def]
    walk, a, b = case
    grid = Grid(walk, landmarks=landmarks)
    path = grid.find_path(a, b)
    expected = bfs_steps(walk, a, b)
    if expected is None:
        assert path is None
        assert not grid.connected(a, b)
    else:
        assert path is not None and path[0] == a and path[-1] == b
        assert len(path) - 1 == expected
        assert_valid(grid, path)
        assert grid.connected(a, b)
