"""Path searches in slices: the same paths as a whole search, bounded work per slice."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.world import Grid

MAZE = """
..........#.........
.########.#.#######.
.#......#.#.#.....#.
.#.####.#...#.###.#.
.#.#..#.#####.#.#.#.
.#.#.##.......#.#.#.
.#.#....#######.#.#.
.#.######.......#.#.
.#........#######.#.
.##########.......#.
....................
"""


def maze() -> Grid:
    rows = [r for r in MAZE.strip().splitlines()]
    return Grid(np.array([[c != "#" for c in r] for r in rows]), landmarks=0)


def test_a_sliced_search_finds_the_whole_searchs_path_within_its_budgets() -> None:
    whole = maze().find_path((0, 0), (5, 4))
    grid = maze()
    search = grid.search((0, 0), (5, 4))
    assert not search.done and search.path is None
    slices = []
    while not search.done:
        used = search.advance(7)
        assert 1 <= used <= 7
        slices.append(used)
    assert len(slices) > 3  # the maze needs many slices of seven nodes
    assert search.path == whole and whole is not None
    assert search.expanded == sum(slices)
    assert grid.cache_misses == 1
    again = grid.search((5, 4), (0, 0))  # found paths enter the cache, both ways
    assert again.done and again.path == whole[::-1] and again.expanded == 0


def test_cached_trivial_and_impossible_queries_are_answered_at_once() -> None:
    grid = maze()
    assert grid.search((2, 3), (2, 3)).path == ((2, 3),)
    blocked = grid.search((0, 0), (1, 1))  # (1, 1) is a wall
    assert blocked.done and blocked.path is None
    grid.set_blocked([(10, y) for y in range(11)])  # a wall from top to bottom
    walled = grid.search((0, 0), (19, 0))  # other component: known without A*
    assert walled.done and walled.path is None and walled.expanded == 0


def test_a_grid_change_in_mid_search_restarts_it_on_the_new_grid() -> None:
    grid = maze()
    search = grid.search((0, 0), (19, 0))
    search.advance(5)
    assert not search.done
    grid.set_blocked([(10, 0)])  # the short way along the top row closes
    path = search.finish()
    assert path == Grid(np.asarray(grid.walkable), landmarks=0).find_path((0, 0), (19, 0))
    assert path is not None and (10, 0) not in path
    cut = grid.search((0, 1), (19, 1))
    cut.advance(3)
    assert not cut.done
    grid.set_blocked([(10, y) for y in range(11)])  # no way left: the search says so
    assert cut.finish() is None


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 19),
    st.integers(0, 10),
    st.integers(0, 19),
    st.integers(0, 10),
    st.integers(1, 50),
)
def test_slices_of_any_size_give_the_same_path(
    x0: int, y0: int, x1: int, y1: int, budget: int
) -> None:
    expected = maze().find_path((x0, y0), (x1, y1))
    search = maze().search((x0, y0), (x1, y1))
    while not search.done:
        assert search.advance(budget) <= budget
    assert search.path == expected
