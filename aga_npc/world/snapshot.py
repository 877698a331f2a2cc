"""An immutable copy of the world's readable state, safe to hand to worker threads."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from aga_npc.types import ObjectInfo
from aga_npc.world.clock import GameClock
from aga_npc.world.grid import IntGrid, Tile
from aga_npc.world.layout import Layout
from aga_npc.world.queries import ObjectIndex, WorldQueries

__all__ = ["WorldSnapshot"]


class WorldSnapshot(WorldQueries):
    """The ``WorldView`` of one moment: object infos, agent tiles, homes, labels, clock.

    Built by ``World.snapshot()``. Every field is an immutable value or a read-only view,
    and setting attributes raises, so threads can share it without locks.
    """

    _clock: GameClock
    _labels_arr: IntGrid

    __slots__ = (
        "_clock",
        "_homes",
        "_index",
        "_infos",
        "_labels_arr",
        "_layout",
        "_tiles",
        "_works",
    )

    def __init__(
        self,
        *,
        layout: Layout,
        index: ObjectIndex,
        infos: Mapping[str, ObjectInfo],
        tiles: Mapping[str, Tile],
        homes: Mapping[str, str],
        works: Mapping[str, str],
        labels: IntGrid,
        clock: GameClock,
    ) -> None:
        if labels.flags.writeable:
            raise ValueError("snapshot labels must be a read-only array")
        init = object.__setattr__
        init(self, "_layout", layout)
        init(self, "_index", index)
        init(self, "_infos", MappingProxyType(dict(infos)))
        init(self, "_tiles", MappingProxyType(dict(tiles)))
        init(self, "_homes", MappingProxyType(dict(homes)))
        init(self, "_works", MappingProxyType(dict(works)))
        init(self, "_labels_arr", labels)
        init(self, "_clock", clock)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"WorldSnapshot is immutable (tried to set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"WorldSnapshot is immutable (tried to delete {name!r})")

    @property
    def clock(self) -> GameClock:
        return self._clock

    def _labels(self) -> IntGrid:
        return self._labels_arr
