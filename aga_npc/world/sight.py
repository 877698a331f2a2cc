"""SightGrid: who stands within a radius of whom, by square cells instead of a full scan."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from aga_npc.world.grid import Tile

__all__ = ["SightGrid"]

Place = tuple[str, str]


class SightGrid:
    """Agents bucketed into square cells ``ceil(radius)`` tiles wide.

    Asking who is within ``radius`` of an agent compares it only with the agents of its
    own cell and the eight around it: O(local crowd) per question instead of O(n), so
    every agent looking around once costs about O(n) for a spread-out town rather than
    O(n^2). Built from positions at one moment; it does not follow later moves.

    Args:
        radius: the largest distance (tiles) a question may ask about.
        agents: ``(name, tile, place)`` for every agent on the map; ``place`` is its
            ``(sector, arena)`` or None outside every arena.
    """

    def __init__(self, radius: float, agents: Iterable[tuple[str, Tile, Place | None]]) -> None:
        if not radius > 0:
            raise ValueError(f"sight radius must be positive, got {radius}")
        self.radius = float(radius)
        self._size = max(1, math.ceil(radius))
        self._tiles: dict[str, Tile] = {}
        self._places: dict[str, Place | None] = {}
        self._cells: dict[tuple[int, int], list[str]] = {}
        size = self._size
        for name, tile, place in agents:
            self._tiles[name] = tile
            self._places[name] = place
            self._cells.setdefault((tile[0] // size, tile[1] // size), []).append(name)

    def __contains__(self, name: object) -> bool:
        return name in self._tiles

    def __iter__(self) -> Iterator[str]:
        return iter(self._tiles)

    def __len__(self) -> int:
        return len(self._tiles)

    def place(self, name: str) -> Place | None:
        """The place ``name`` stood in when the grid was built (None: unknown or outside)."""
        return self._places.get(name)

    def near(self, name: str, *, same_place: bool = False) -> list[tuple[str, float]]:
        """Agents within ``radius`` tiles of ``name``, nearest first (ties by name); with
        ``same_place`` only those in ``name``'s own arena (nobody when it stands outside
        every arena). Empty for an agent the grid does not hold."""
        tile = self._tiles.get(name)
        if tile is None:
            return []
        place = self._places[name]
        if same_place and place is None:
            return []
        x, y = tile
        size = self._size
        cx, cy = x // size, y // size
        radius = self.radius
        tiles, places, cells = self._tiles, self._places, self._cells
        found: list[tuple[str, float]] = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in cells.get((cx + dx, cy + dy), ()):
                    if other == name or (same_place and places[other] != place):
                        continue
                    ox, oy = tiles[other]
                    d = math.hypot(ox - x, oy - y)
                    if d <= radius:
                        found.append((other, d))
        found.sort(key=_by_distance)
        return found


def _by_distance(item: tuple[str, float]) -> tuple[float, str]:
    return (item[1], item[0])
