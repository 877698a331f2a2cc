"""FakeWorld: a small, mutable, in-memory ``WorldView`` for tests of conditions and brains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from aga_npc.places import Address, resolve_place
from aga_npc.types import ObjectInfo

__all__ = ["FakeWorld"]


class FakeWorld:
    """A world that is exactly what the test says it is.

    Implements :class:`aga_npc.ports.WorldView`. Reachability is true unless blocked with
    :meth:`block`; agents stand where :meth:`move_agent` put them.

    Args:
        objects: the objects in the world.
        minute: the current minute of the day (0..1439).
        homes: agent -> home sector (what ``@home`` means for that agent).
        works: agent -> workplace sector (what ``@work`` means).
        places: agent -> (sector, arena) it stands in.

    Example:
        >>> from aga_npc.types import ObjectInfo
        >>> w = FakeWorld(objects=[ObjectInfo(address="Home:kitchen:stove", kind="stove",
        ...     sector="Home", arena="kitchen", name="stove")], homes={"ann": "Home"})
        >>> [o.address for o in w.objects(kind="stove", sector="@home", agent="ann")]
        ['Home:kitchen:stove']
    """

    def __init__(
        self,
        *,
        objects: Iterable[ObjectInfo] = (),
        minute: int = 8 * 60,
        homes: Mapping[str, str] | None = None,
        works: Mapping[str, str] | None = None,
        places: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self._objects: dict[str, ObjectInfo] = {}
        for obj in objects:
            self.put(obj)
        self._minute = 0
        self.set_minute(minute)
        self.homes: dict[str, str] = dict(homes or {})
        self.works: dict[str, str] = dict(works or {})
        self._places: dict[str, tuple[str, str]] = dict(places or {})
        self._blocked: set[tuple[str, str]] = set()
        self.reachable_calls = 0

    # -- WorldView ------------------------------------------------------------------------

    def minute_of_day(self) -> int:
        return self._minute

    def objects(
        self,
        *,
        kind: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        agent: str | None = None,
    ) -> Sequence[ObjectInfo]:
        if sector is not None:
            # Without an agent a place symbol means no place (no agent is named "").
            resolved = self.resolve_sector(agent or "", sector)
            if resolved is None:
                return []
            sector = resolved
        return [
            o
            for o in self._objects.values()
            if (kind is None or o.kind == kind)
            and (sector is None or o.sector == sector)
            and (arena is None or o.arena == arena)
        ]

    def object_at(self, address: str) -> ObjectInfo | None:
        return self._objects.get(address)

    def is_reachable(self, agent: str, address: str) -> bool:
        self.reachable_calls += 1
        return address in self._objects and (agent, address) not in self._blocked

    def agent_place(self, agent: str) -> tuple[str, str] | None:
        return self._places.get(agent)

    def resolve_sector(self, agent: str, sector: str) -> str | None:
        """``@home``/``@work`` for ``agent`` (None when it has no such place); literal
        names unchanged."""
        real = resolve_place(sector, home=self.homes.get(agent, ""), work=self.works.get(agent, ""))
        return None if sector and not real else real

    # -- test controls --------------------------------------------------------------------

    def put(self, obj: ObjectInfo) -> None:
        """Add or replace an object (by address)."""
        self._objects[obj.address] = obj

    def add(
        self,
        address: str,
        kind: str,
        *,
        state: str = "",
        states: tuple[str, ...] = (),
        capacity: int = 1,
        occupants: tuple[str, ...] = (),
    ) -> ObjectInfo:
        """Add an object built from its address (``sector:arena:name``) and return it.

        Raises:
            ValueError: ``address`` is not an object address.
        """
        parsed = Address.parse(address)
        if not parsed.is_object:
            raise ValueError(f"not an object address (sector:arena:name): {address!r}")
        obj = ObjectInfo(
            address=address,
            kind=kind,
            sector=parsed.sector,
            arena=parsed.arena,
            name=parsed.obj,
            state=state,
            states=states or ((state,) if state else ()),
            capacity=capacity,
            occupants=occupants,
        )
        self.put(obj)
        return obj

    def remove(self, address: str) -> None:
        """Remove an object (it is "gone")."""
        self._objects.pop(address, None)

    def set_state(self, address: str, state: str) -> None:
        """Change an object's state."""
        self._objects[address] = replace(self._objects[address], state=state)

    def occupy(self, address: str, *agents: str) -> None:
        """Set who is using an object (replaces the occupants)."""
        self._objects[address] = replace(self._objects[address], occupants=tuple(agents))

    def set_minute(self, minute: int) -> None:
        """Set the minute of the day (taken modulo 1440)."""
        self._minute = int(minute) % 1440

    def move_agent(self, agent: str, sector: str, arena: str) -> None:
        """Place an agent in (sector, arena)."""
        self._places[agent] = (sector, arena)

    def block(self, agent: str, address: str, blocked: bool = True) -> None:
        """Make an object unreachable for an agent (or reachable again)."""
        if blocked:
            self._blocked.add((agent, address))
        else:
            self._blocked.discard((agent, address))
