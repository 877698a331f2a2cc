"""What a stored routine needs from the world: the one builder of its execution condition.

Both :meth:`aga_npc.policy.PolicyStore.add` (when no condition is given) and the town's
``StorePolicy`` build conditions here, with one rule:

- **The place.** Every action target lies in the planned place (:func:`off_place_targets`
  finds those that do not; such a routine is never stored). A routine without targets needs
  the place to mean something for the agent (:class:`PlaceCond`: ``@work`` for an agent
  with a workplace); one with targets implies it.
- **The object kinds per arena.** For each (arena, kind) the actions use, some object of
  that kind in that arena of the place, reachable by the agent (:class:`ObjectCond`). In an
  agent's own home or workplace (the place symbols) the room is left open: homes name their
  rooms differently ("kitchen", "common kitchen", "room 1"), so a routine learned in one
  home serves every home with a stove somewhere in it. The brain binds each action to a free
  object of the kind at run time, in the room of the same name when there is one.
- **Object states where they matter.** A state matters when it makes an object unusable
  (:data:`UNUSABLE_STATES`: broken, locked, ...); those the object can be in are avoided. Use
  states such as ``off`` / ``on`` do not matter: the town switches an object on while it is
  used and back when released, so "the stove is on" means "someone is cooking", which is
  occupancy.
- **Not occupancy.** A busy object is waited for, or another free one of its kind in the
  arena is taken at run time; conditions never ask for free places.

Without a world (tools, tests) kinds are unknown: each target then needs its own object
(:class:`AddressCond`). A target whose object the world does not have gets the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aga_npc.places import Address
from aga_npc.policy.conditions import AddressCond, AllCond, Condition, ObjectCond, PlaceCond
from aga_npc.ports import WorldView
from aga_npc.types import Action

__all__ = ["UNUSABLE_STATES", "off_place_targets", "routine_condition"]

UNUSABLE_STATES = frozenset(
    {"broken", "closed", "locked", "out of order", "out_of_order", "unavailable", "empty"}
)
"""Object states in which no routine can use the object (a map may declare any of them)."""


def off_place_targets(actions: Iterable[Action], place: str) -> list[str]:
    """The action targets that do not lie in ``place`` (a place symbol or sector)."""
    return [a.target for a in actions if a.target and Address.parse(a.target).sector != place]


def routine_condition(
    actions: Sequence[Action],
    *,
    place: str,
    world: WorldView | None = None,
    agent: str = "",
) -> Condition:
    """The execution condition of a routine planned at ``place`` (see the module docstring).

    Args:
        actions: the routine's actions; targets carry the place symbol (``@home:kitchen:stove``).
        place: the planned place (``@home``, ``@work`` or a sector name).
        world: the world the routine just ran in (object kinds and states come from it).
        agent: who ran it (resolves ``@home`` / ``@work`` in ``world``).

    Raises:
        ValueError: an action target lies outside ``place``.
    """
    Address(place)  # a sector or place symbol
    outside = off_place_targets(actions, place)
    if outside:
        raise ValueError(f"targets outside {place}: {', '.join(outside)}")
    parts: list[Condition] = []
    seen: set[tuple[str, str]] = set()
    for action in actions:
        if not action.target:
            continue
        address = Address.parse(action.target)
        cond = _requirement(address, world, agent)
        key = (
            (cond.arena or "", cond.kind)
            if isinstance(cond, ObjectCond)
            else (address.arena, action.target)
        )
        if key not in seen:
            seen.add(key)
            parts.append(cond)
    if not parts:
        return PlaceCond(sector=place)
    return parts[0] if len(parts) == 1 else AllCond(of=tuple(parts))


def _requirement(address: Address, world: WorldView | None, agent: str) -> Condition:
    info = None
    if world is not None:
        real = world.resolve_sector(agent, address.sector)
        if real:
            info = world.object_at(str(address.with_sector(real)))
    if info is None or not info.kind:
        return AddressCond(address=str(address), reachable=True)
    avoid = tuple(s for s in info.states if s in UNUSABLE_STATES)
    arena = None if address.is_symbolic else address.arena
    return ObjectCond(
        kind=info.kind, sector=address.sector, arena=arena, avoid=avoid, reachable=True
    )
