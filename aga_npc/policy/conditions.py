"""Execution conditions: declarative, msgpack-able predicates over a ``WorldView``.

A condition says what must hold in the world for a stored action sequence to work. Plain
data form (what is stored and what an LLM may be asked to produce)::

    {"op": "object", "kind": "stove", "sector": "@home", "arena": "kitchen",
     "state": "off", "avoid": ["broken"], "reachable": true, "free": 1}  # some such object
    {"op": "address", "address": "@home:kitchen:stove", "reachable": true, "free": 1}
    {"op": "place", "sector": "@work"}                   # the place means something here
    {"op": "agent_in", "sector": "@work", "arena": "cafe"}
    {"op": "time", "start": 360, "end": 600}             # minute_of_day in [start, end)
    {"op": "all", "of": [...]}   {"op": "any", "of": [...]}   {"op": "not", "of": {...}}

Sectors may be the place symbols ``@home`` / ``@work`` (resolved per agent by the world).
``state`` asks for one state, ``avoid`` rules some out; ``free: n`` asks for n free places,
unless the agent already occupies the object. A time window with ``start > end`` wraps past
midnight. Evaluation is a pure function of the world view and the agent. What a stored
routine's condition holds is decided in one place, :mod:`aga_npc.policy.requirements`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aga_npc.places import Address
from aga_npc.ports import WorldView
from aga_npc.types import ObjectInfo

__all__ = [
    "TRUE",
    "AddressCond",
    "AgentInCond",
    "AllCond",
    "AnyCond",
    "Condition",
    "ConditionError",
    "NotCond",
    "ObjectCond",
    "PlaceCond",
    "TimeWindowCond",
    "check_condition",
    "condition_from_data",
    "condition_to_data",
    "evaluate",
]

MAX_DEPTH = 12
MAX_NODES = 256
MINUTES_PER_DAY = 1440


class ConditionError(ValueError):
    """A condition's plain data is malformed. The message names the offending field path."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _ObjectTests:
    """Per-object requirements shared by the object and address conditions."""

    state: str | None = None
    avoid: tuple[str, ...] = ()
    reachable: bool = False
    free: int = 0

    def _check_tests(self) -> None:
        if not isinstance(self.avoid, tuple):
            object.__setattr__(self, "avoid", tuple(self.avoid))
        if self.free < 0:
            raise ValueError(f"free must be >= 0, got {self.free}")
        if self.state is not None and self.state in self.avoid:
            raise ValueError(f"state {self.state!r} is both required and avoided")

    def failure(self, obj: ObjectInfo, world: WorldView, agent: str) -> str | None:
        if self.state is not None and obj.state != self.state:
            return f"{obj.address} is {obj.state or 'stateless'}, not {self.state}"
        if obj.state and obj.state in self.avoid:
            return f"{obj.address} is {obj.state}"
        if self.free and agent not in obj.occupants and obj.free_capacity < self.free:
            return f"{obj.address} has {obj.free_capacity} free of {obj.capacity}"
        if self.reachable and not world.is_reachable(agent, obj.address):
            return f"{obj.address} is not reachable"
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectCond(_ObjectTests):
    """Some object of ``kind`` (in ``sector``/``arena`` when given) passes the tests."""

    kind: str
    sector: str | None = None
    arena: str | None = None

    def __post_init__(self) -> None:
        if not self.kind:
            raise ValueError("an object condition needs a kind")
        self._check_tests()


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressCond(_ObjectTests):
    """The object at ``address`` (its sector may be ``@home``/``@work``) passes the tests."""

    address: str

    def __post_init__(self) -> None:
        if not Address.parse(self.address).is_object:
            raise ValueError(
                f"an address condition needs sector:arena:object, got {self.address!r}"
            )
        self._check_tests()


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceCond:
    """The place means something for the agent: ``@home`` / ``@work`` resolve to a sector
    (an agent without a workplace has no ``@work``); a sector name always does."""

    sector: str

    def __post_init__(self) -> None:
        Address(self.sector)  # a sector: non-empty, no ':'


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentInCond:
    """The agent stands in ``sector`` (and ``arena`` when given)."""

    sector: str
    arena: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeWindowCond:
    """``minute_of_day`` lies in ``[start, end)``; wraps past midnight when ``start > end``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AllCond:
    """Every sub-condition holds (``of=()`` always holds)."""

    of: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyCond:
    """At least one sub-condition holds."""

    of: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NotCond:
    """The sub-condition does not hold."""

    of: Condition


Condition = (
    ObjectCond
    | AddressCond
    | PlaceCond
    | AgentInCond
    | TimeWindowCond
    | AllCond
    | AnyCond
    | NotCond
)
TRUE: Condition = AllCond()


def evaluate(condition: Condition, world: WorldView, agent: str) -> bool:
    """Whether ``condition`` holds for ``agent`` in ``world``."""
    return check_condition(condition, world, agent) is None


def check_condition(condition: Condition, world: WorldView, agent: str) -> str | None:
    """``None`` when ``condition`` holds, else a short reason for the debug overlay."""
    if isinstance(condition, AllCond):
        for sub in condition.of:
            reason = check_condition(sub, world, agent)
            if reason is not None:
                return reason
        return None
    if isinstance(condition, AnyCond):
        reasons = []
        for sub in condition.of:
            reason = check_condition(sub, world, agent)
            if reason is None:
                return None
            reasons.append(reason)
        return "none of: " + "; ".join(reasons) if reasons else "empty 'any'"
    if isinstance(condition, NotCond):
        if check_condition(condition.of, world, agent) is None:
            return f"'not' failed: {condition_to_data(condition.of)}"
        return None
    if isinstance(condition, ObjectCond):
        return _check_object(condition, world, agent)
    if isinstance(condition, AddressCond):
        return _check_address(condition, world, agent)
    if isinstance(condition, PlaceCond):
        return _check_place(condition, world, agent)
    if isinstance(condition, AgentInCond):
        return _check_agent_in(condition, world, agent)
    return _check_time(condition, world)


def _check_object(cond: ObjectCond, world: WorldView, agent: str) -> str | None:
    where = ":".join(p for p in (cond.sector, cond.arena) if p) or "the world"
    objs = world.objects(kind=cond.kind, sector=cond.sector, arena=cond.arena, agent=agent)
    if not objs:
        return f"no {cond.kind} in {where}"
    first = None
    for obj in objs:
        reason = cond.failure(obj, world, agent)
        if reason is None:
            return None
        first = first or reason
    return f"no usable {cond.kind} in {where} ({first})"


def _check_address(cond: AddressCond, world: WorldView, agent: str) -> str | None:
    address = Address.parse(cond.address)
    resolved = world.resolve_sector(agent, address.sector)
    if not resolved:
        return f"{address.sector} means nothing for {agent}"
    real = address.with_sector(resolved)
    obj = world.object_at(str(real))
    if obj is None:
        return f"{real} is gone"
    return cond.failure(obj, world, agent)


def _check_place(cond: PlaceCond, world: WorldView, agent: str) -> str | None:
    if not world.resolve_sector(agent, cond.sector):
        return f"{cond.sector} means nothing for {agent}"
    return None


def _check_agent_in(cond: AgentInCond, world: WorldView, agent: str) -> str | None:
    place = world.agent_place(agent)
    want = world.resolve_sector(agent, cond.sector)
    if place is None or want is None or place[0] != want:
        return f"{agent} is not in {cond.sector}"
    if cond.arena is not None and place[1] != cond.arena:
        return f"{agent} is not in {cond.sector}:{cond.arena}"
    return None


def _check_time(cond: TimeWindowCond, world: WorldView) -> str | None:
    now = world.minute_of_day() % MINUTES_PER_DAY
    if cond.start <= cond.end:
        inside = cond.start <= now < cond.end
    else:
        inside = now >= cond.start or now < cond.end
    return None if inside else f"minute {now} is outside [{cond.start}, {cond.end})"


# -- plain data --------------------------------------------------------------------------


def condition_to_data(condition: Condition) -> dict[str, Any]:
    """The plain-data (msgpack/JSON) form; defaults are left out."""
    if isinstance(condition, AllCond | AnyCond):
        op = "all" if isinstance(condition, AllCond) else "any"
        return {"op": op, "of": [condition_to_data(c) for c in condition.of]}
    if isinstance(condition, NotCond):
        return {"op": "not", "of": condition_to_data(condition.of)}
    if isinstance(condition, PlaceCond):
        return {"op": "place", "sector": condition.sector}
    if isinstance(condition, AgentInCond):
        out: dict[str, Any] = {"op": "agent_in", "sector": condition.sector}
        if condition.arena is not None:
            out["arena"] = condition.arena
        return out
    if isinstance(condition, TimeWindowCond):
        return {"op": "time", "start": condition.start, "end": condition.end}
    if isinstance(condition, ObjectCond):
        out = {"op": "object", "kind": condition.kind}
        for key in ("sector", "arena"):
            if getattr(condition, key) is not None:
                out[key] = getattr(condition, key)
    else:
        out = {"op": "address", "address": condition.address}
    if condition.state is not None:
        out["state"] = condition.state
    if condition.avoid:
        out["avoid"] = list(condition.avoid)
    if condition.reachable:
        out["reachable"] = True
    if condition.free:
        out["free"] = condition.free
    return out


_KEYS = {
    "object": {"op", "kind", "sector", "arena", "state", "avoid", "reachable", "free"},
    "address": {"op", "address", "state", "avoid", "reachable", "free"},
    "place": {"op", "sector"},
    "agent_in": {"op", "sector", "arena"},
    "time": {"op", "start", "end"},
    "all": {"op", "of"},
    "any": {"op", "of"},
    "not": {"op", "of"},
}


def condition_from_data(data: Any, *, where: str = "condition") -> Condition:
    """Parse and validate plain data into a :data:`Condition`.

    Raises:
        ConditionError: naming the field path (e.g. ``condition.of[2].kind``) and the problem.
    """
    counter = [0]
    return _parse(data, where, 0, counter)


def _parse(data: Any, where: str, depth: int, counter: list[int]) -> Condition:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise ConditionError(f"{where}: condition has more than {MAX_NODES} nodes")
    if depth > MAX_DEPTH:
        raise ConditionError(f"{where}: condition nests deeper than {MAX_DEPTH}")
    if not isinstance(data, Mapping):
        raise ConditionError(f"{where}: expected a mapping with 'op', got {type(data).__name__}")
    op = data.get("op")
    if op not in _KEYS:
        raise ConditionError(f"{where}.op: unknown op {op!r} (expected one of {sorted(_KEYS)})")
    extra = set(data) - _KEYS[op]
    if extra:
        raise ConditionError(f"{where}: unknown field(s) {sorted(map(str, extra))} for op {op!r}")
    if op in ("all", "any"):
        subs = data.get("of", [])
        if not isinstance(subs, list | tuple):
            raise ConditionError(f"{where}.of: expected a list")
        of = tuple(_parse(s, f"{where}.of[{i}]", depth + 1, counter) for i, s in enumerate(subs))
        return AllCond(of=of) if op == "all" else AnyCond(of=of)
    if op == "not":
        if "of" not in data:
            raise ConditionError(f"{where}.of: missing")
        return NotCond(of=_parse(data["of"], f"{where}.of", depth + 1, counter))
    if op == "time":
        start = _minute(data, "start", where)
        end = _minute(data, "end", where)
        if start == end:
            raise ConditionError(f"{where}: empty time window (start == end == {start})")
        return TimeWindowCond(start=start, end=end)
    if op == "place":
        sector = _text(data, "sector", where, required=True) or ""
        if ":" in sector:
            raise ConditionError(f"{where}.sector: a sector has no ':', got {sector!r}")
        return PlaceCond(sector=sector)
    if op == "agent_in":
        return AgentInCond(
            sector=_text(data, "sector", where, required=True) or "",
            arena=_text(data, "arena", where, required=False),
        )
    state = _text(data, "state", where, required=False)
    reachable = data.get("reachable", False)
    if not isinstance(reachable, bool):
        raise ConditionError(f"{where}.reachable: expected true/false, got {reachable!r}")
    free = data.get("free", 0)
    if isinstance(free, bool) or not isinstance(free, int) or free < 0:
        raise ConditionError(f"{where}.free: expected an integer >= 0, got {free!r}")
    avoid = data.get("avoid", [])
    if not isinstance(avoid, list | tuple) or not all(isinstance(x, str) and x for x in avoid):
        raise ConditionError(f"{where}.avoid: expected a list of state names, got {avoid!r}")
    if state is not None and state in avoid:
        raise ConditionError(f"{where}.avoid: state {state!r} is also required")
    if op == "object":
        return ObjectCond(
            kind=_text(data, "kind", where, required=True) or "",
            sector=_text(data, "sector", where, required=False),
            arena=_text(data, "arena", where, required=False),
            state=state,
            avoid=tuple(avoid),
            reachable=reachable,
            free=free,
        )
    address = _text(data, "address", where, required=True) or ""
    parsed = Address.try_parse(address)
    if parsed is None or not parsed.is_object:
        raise ConditionError(f"{where}.address: must read sector:arena:object, got {address!r}")
    return AddressCond(
        address=address, state=state, avoid=tuple(avoid), reachable=reachable, free=free
    )


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ConditionError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value


def _minute(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MINUTES_PER_DAY:
        raise ConditionError(f"{where}.{key}: expected a minute of day 0..1440, got {value!r}")
    return value
