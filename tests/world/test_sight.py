"""SightGrid answers exactly what a full scan of every agent answers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.world.sight import SightGrid

PLACES = [None, ("house", "kitchen"), ("house", "bedroom"), ("cafe", "hall")]

agents = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from(PLACES)),
    max_size=40,
)


def full_scan(
    rows: dict[str, tuple[tuple[int, int], object]], name: str, radius: float, same_place: bool
) -> list[tuple[str, float]]:
    (x, y), place = rows[name]
    if same_place and place is None:
        return []
    found = []
    for other, ((ox, oy), other_place) in rows.items():
        if other == name or (same_place and other_place != place):
            continue
        d = math.hypot(ox - x, oy - y)
        if d <= radius:
            found.append((other, d))
    return sorted(found, key=lambda f: (f[1], f[0]))


@settings(max_examples=200, deadline=None)
@given(agents, st.sampled_from([0.5, 1.0, 2.5, 8.0, 13.0, 100.0]), st.booleans())
def test_grid_equals_full_scan(
    spots: list[tuple[int, int, tuple[str, str] | None]], radius: float, same_place: bool
) -> None:
    rows = {f"a{i:02d}": ((x, y), place) for i, (x, y, place) in enumerate(spots)}
    grid = SightGrid(radius, ((n, t, p) for n, (t, p) in rows.items()))  # type: ignore[misc]
    assert len(grid) == len(rows)
    for name in rows:
        assert grid.near(name, same_place=same_place) == full_scan(
            rows, name, radius, same_place
        ), name


def test_unknown_agent_and_bad_radius() -> None:
    grid = SightGrid(8.0, [("a", (0, 0), None), ("b", (1, 0), None)])
    assert grid.near("nobody") == []
    assert grid.near("a") == [("b", 1.0)]
    assert grid.near("a", same_place=True) == []  # outside every arena: sees nobody
    with pytest.raises(ValueError, match="positive"):
        SightGrid(0.0, [])
