"""Read-only world queries shared by the live ``World`` and its immutable snapshots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aga_npc.places import resolve_address, resolve_place
from aga_npc.types import ObjectInfo
from aga_npc.world.clock import GameClock
from aga_npc.world.grid import Tile
from aga_npc.world.layout import Layout

__all__ = ["ObjectIndex", "WorldQueries"]

IntGrid = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class ObjectIndex:
    """Static object addresses grouped by kind, sector, arena and verb, in map order."""

    all: tuple[str, ...]
    by_kind: Mapping[str, tuple[str, ...]]
    by_sector: Mapping[str, tuple[str, ...]]
    by_arena: Mapping[tuple[str, str], tuple[str, ...]]
    by_verb: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, layout: Layout) -> ObjectIndex:
        kinds: dict[str, list[str]] = {}
        sectors: dict[str, list[str]] = {}
        arenas: dict[tuple[str, str], list[str]] = {}
        verbs: dict[str, list[str]] = {}
        for spec in layout.objects.values():
            kinds.setdefault(spec.kind, []).append(spec.address)
            sectors.setdefault(spec.sector, []).append(spec.address)
            arenas.setdefault((spec.sector, spec.arena), []).append(spec.address)
            for verb in spec.affordances:
                verbs.setdefault(verb, []).append(spec.address)
        return cls(
            all=tuple(layout.objects),
            by_kind={k: tuple(v) for k, v in kinds.items()},
            by_sector={k: tuple(v) for k, v in sectors.items()},
            by_arena={k: tuple(v) for k, v in arenas.items()},
            by_verb={k: tuple(v) for k, v in verbs.items()},
        )


class WorldQueries:
    """The ``WorldView`` queries, over state held by a subclass.

    Subclasses set ``_layout``, ``_index``, ``_infos`` (address -> ObjectInfo),
    ``_tiles`` (agent -> tile), ``_homes``, ``_works`` (agent -> sector) and implement
    ``_labels()`` and ``clock``.
    """

    __slots__ = ()

    _layout: Layout
    _index: ObjectIndex
    _infos: Mapping[str, ObjectInfo]
    _tiles: Mapping[str, Tile]
    _homes: Mapping[str, str]
    _works: Mapping[str, str]

    def _labels(self) -> IntGrid:
        raise NotImplementedError

    @property
    def clock(self) -> GameClock:
        raise NotImplementedError

    # ------------------------------------------------------------------------- time
    def minute_of_day(self) -> int:
        """Game minutes since midnight, 0..1439."""
        return self.clock.minute_of_day

    # ---------------------------------------------------------------------- places
    @property
    def layout(self) -> Layout:
        """The static location tree (sectors, arenas, objects, spawns, place grids)."""
        return self._layout

    def sector_names(self) -> tuple[str, ...]:
        """Every sector, in map order."""
        return self._layout.sector_names

    def arena_names(self, sector: str) -> tuple[str, ...]:
        """The arenas of ``sector`` in map order (``()`` for an unknown sector)."""
        info = self._layout.sectors.get(sector)
        return info.arenas if info else ()

    def place_of_tile(self, tile: Tile) -> tuple[str, str] | None:
        """The (sector, arena) containing ``tile``, or None outside every arena."""
        return self._layout.place_of_tile(tile)

    def resolve_sector(self, agent: str, sector: str) -> str | None:
        """Resolve ``@home``/``@work`` for ``agent``; literal names are returned unchanged.

        None when ``agent`` has no such place (no workplace, or an unknown agent).
        """
        real = resolve_place(
            sector, home=self._homes.get(agent, ""), work=self._works.get(agent, "")
        )
        return None if sector and not real else real

    def resolve_address(self, agent: str, address: str) -> str | None:
        """``address`` with a place symbol in its sector resolved for ``agent``.

        Anything else (a literal address, or text that is no address) is returned
        unchanged; None when the symbol means no place for ``agent``. O(1), no parsing.
        """
        return resolve_address(
            address, home=self._homes.get(agent, ""), work=self._works.get(agent, "")
        )

    # ---------------------------------------------------------------------- agents
    def agents(self) -> tuple[str, ...]:
        """Names of every agent in the world, in the order they were added."""
        return tuple(self._tiles)

    def agent_tile(self, agent: str) -> Tile | None:
        """The integer tile the agent stands on (None for an unknown agent)."""
        return self._tiles.get(agent)

    def agent_place(self, agent: str) -> tuple[str, str] | None:
        """The (sector, arena) the agent stands in, or None when outside any arena."""
        tile = self._tiles.get(agent)
        return None if tile is None else self._layout.place_of_tile(tile)

    def agent_home(self, agent: str) -> str | None:
        return self._homes.get(agent) or None

    def agent_workplace(self, agent: str) -> str | None:
        return self._works.get(agent) or None

    def agents_in(self, sector: str, arena: str | None = None) -> tuple[str, ...]:
        """Agents standing in ``sector`` (and ``arena`` when given)."""
        out = []
        for name, tile in self._tiles.items():
            if arena is None:
                if self._layout.sector_of_tile(tile) == sector:
                    out.append(name)
            elif self._layout.place_of_tile(tile) == (sector, arena):
                out.append(name)
        return tuple(out)

    # --------------------------------------------------------------------- objects
    def objects(
        self,
        *,
        kind: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        agent: str | None = None,
        verb: str | None = None,
    ) -> Sequence[ObjectInfo]:
        """Objects matching every given filter, in map order.

        ``sector`` may be ``@home``/``@work`` (resolved for ``agent``; nothing matches when
        it cannot be resolved). ``verb`` keeps objects whose kind affords that verb.
        """
        if sector is not None:
            resolved = self.resolve_sector(agent or "", sector)
            if resolved is None:
                return []
            sector = resolved
        index = self._index
        pools: list[tuple[str, ...]] = []
        if sector is not None and arena is not None:
            pools.append(index.by_arena.get((sector, arena), ()))
        elif sector is not None:
            pools.append(index.by_sector.get(sector, ()))
        if kind is not None:
            pools.append(index.by_kind.get(kind, ()))
        if verb is not None:
            pools.append(index.by_verb.get(verb, ()))
        infos = self._infos
        if not pools:
            candidates: tuple[str, ...] = index.all
        else:
            candidates = min(pools, key=len)
        out = []
        for address in candidates:
            info = infos[address]
            if kind is not None and info.kind != kind:
                continue
            if sector is not None and info.sector != sector:
                continue
            if arena is not None and info.arena != arena:
                continue
            if verb is not None and verb not in info.affordances:
                continue
            out.append(info)
        return out

    def object_at(self, address: str) -> ObjectInfo | None:
        """The object with this ``sector:arena:object`` address, or None when gone."""
        return self._infos.get(address)

    def is_reachable(self, agent: str, address: str) -> bool:
        """Whether ``agent`` can walk from where it stands to the object's use tile.

        ``address`` may start with ``@home``/``@work``. O(1): compares the connected
        component labels of the two tiles.
        """
        tile = self._tiles.get(agent)
        resolved = self.resolve_address(agent, address)
        info = self._infos.get(resolved) if resolved else None
        if tile is None or info is None:
            return False
        labels = self._labels()
        here = int(labels[tile[1], tile[0]])
        there = int(labels[info.tile[1], info.tile[0]])
        return here >= 0 and here == there

    def is_tile_reachable(self, agent: str, tile: Tile) -> bool:
        """Whether ``agent`` can walk to ``tile``."""
        start = self._tiles.get(agent)
        labels = self._labels()
        h, w = labels.shape
        if start is None or not (0 <= tile[0] < w and 0 <= tile[1] < h):
            return False
        here = int(labels[start[1], start[0]])
        return here >= 0 and here == int(labels[tile[1], tile[0]])
