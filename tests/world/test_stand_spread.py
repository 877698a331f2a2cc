"""Stand-tile spreading stops once the arena is exhausted, with the same answer as a full scan."""

from __future__ import annotations

import random
from collections import deque
from pathlib import Path

from aga_npc.world.model import World

TOWN = Path(__file__).resolve().parents[2] / "aga_npc" / "data" / "maps" / "town.tmx"


def full_scan(world: World, origin: tuple[int, int], arena_idx: int, agent: str) -> object:
    """The rule as first written: breadth-first over every reachable tile of the map."""
    grid, arena_grid = world.grid, world._layout.arena_grid
    if not grid.is_walkable(origin):
        return None
    seen = {origin}
    queue = deque([origin])
    fallback = outside = None
    while queue:
        x, y = queue.popleft()
        owner = world._reserved.get((x, y))
        if owner is None or owner == agent:
            inside = int(arena_grid[y, x]) == arena_idx
            if inside and (x, y) not in world._use_tiles:
                return (x, y)
            if inside and fallback is None:
                fallback = (x, y)
            if not inside and outside is None:
                outside = (x, y)
        for nb in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if nb not in seen and grid.is_walkable(nb):
                seen.add(nb)
                queue.append(nb)
    return fallback or outside


def test_spreading_in_crowded_arenas_matches_the_full_scan() -> None:
    world = World.load(TOWN)
    arena_grid = world._layout.arena_grid
    rng = random.Random(7)
    keys = list(world._layout.arena_keys)
    checked = crowded = 0
    for _ in range(40):
        idx = rng.randrange(len(keys))
        tiles = [
            (x, y)
            for y in range(arena_grid.shape[0])
            for x in range(arena_grid.shape[1])
            if int(arena_grid[y, x]) == idx and world.grid.is_walkable((x, y))
        ]
        if not tiles:
            continue
        world._reserved.clear()
        share = rng.choice([0.5, 0.9, 1.0])  # 1.0: every tile of the arena taken
        for i, t in enumerate(rng.sample(tiles, int(len(tiles) * share))):
            world._reserved[t] = f"other {i}"
        if share == 1.0:
            crowded += 1
        for origin in rng.sample(tiles, min(5, len(tiles))):
            assert world._spread(origin, idx, "me") == full_scan(world, origin, idx, "me")
            checked += 1
    assert checked > 100 and crowded > 5
