"""Object kinds and what each affords: the game's ``KindRegistry`` (verbs, duration,
capacity, states per kind), declared in code or a TOML file; the household default is the
table of docs/MAP_CONVENTIONS.md.

A TOML kinds file::

    [kinds."fishing spot"]
    verbs = ["fish", "sit"]     # required: what a resident does with it
    duration = 30               # optional: minutes one use usually lasts
    capacity = 2                # optional: how many use one at once (default 1)
    states = ["idle", "being fished"]   # optional: the first is the resting state

A map object's own ``capacity``/``states`` properties win over its kind's.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aga_npc.errors import MapError

__all__ = [
    "KIND_AFFORDANCES",
    "KNOWN_KINDS",
    "KindRegistry",
    "KindSpec",
    "KindsSource",
    "affordances",
    "kinds_for_verb",
    "things_on_map",
]

_FIELDS = ("verbs", "duration", "capacity", "states")


@dataclass(frozen=True, slots=True, kw_only=True)
class KindSpec:
    """One object kind and what it affords.

    Attributes:
        name: the kind as map objects write it (lower case, e.g. "fishing spot").
        verbs: what a resident does with it, at least one ("fish", "sit").
        duration: minutes one use usually lasts (None: as long as the plan says).
        capacity: how many residents use one object at once (>= 1).
        states: the object's states, the resting one first (() : none).

    Raises:
        ValueError: an empty name or verb list, a blank or repeated verb or state, a
            capacity below 1 or a duration below 1.
    """

    name: str
    verbs: tuple[str, ...]
    duration: int | None = None
    capacity: int = 1
    states: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("a kind needs a non-empty name")
        if self.name != self.name.strip().lower():
            raise ValueError(f"kind {self.name!r}: names are lower case without outer spaces")
        for label, values in (("verbs", self.verbs), ("states", self.states)):
            if not isinstance(values, tuple) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"kind {self.name!r}: {label} must be a tuple of strings")
            if any(not v.strip() or v != v.strip() for v in values):
                raise ValueError(f"kind {self.name!r}: {label} has a blank or padded entry")
            if len(set(values)) != len(values):
                raise ValueError(f"kind {self.name!r}: {label} repeats an entry")
        if not self.verbs:
            raise ValueError(f"kind {self.name!r}: verbs must not be empty")
        if _whole(self.capacity) is None or self.capacity < 1:
            raise ValueError(f"kind {self.name!r}: capacity must be a whole number >= 1")
        if self.duration is not None and (_whole(self.duration) is None or self.duration < 1):
            raise ValueError(f"kind {self.name!r}: duration must be a whole number >= 1")

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this kind (fields left at their defaults are omitted)."""
        out: dict[str, Any] = {"verbs": list(self.verbs)}
        if self.duration is not None:
            out["duration"] = self.duration
        if self.capacity != 1:
            out["capacity"] = self.capacity
        if self.states:
            out["states"] = list(self.states)
        return out


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_HOUSEHOLD: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bed", ("sleep", "rest", "nap")),
    ("stove", ("cook",)),
    ("fridge", ("get food", "store food")),
    ("sink", ("wash", "wash dishes", "brush teeth")),
    ("shower", ("shower", "wash")),
    ("toilet", ("use toilet",)),
    ("table", ("eat", "sit", "work", "read", "write", "chat")),
    ("desk", ("study", "work", "write", "read")),
    ("counter", ("serve", "order", "pay", "work", "prepare drinks")),
    ("shelf", ("browse", "stock", "pick")),
    ("bookshelf", ("read", "browse")),
    ("bench", ("sit", "rest", "read", "chat")),
    ("sofa", ("sit", "rest", "read", "watch tv")),
    ("tv", ("watch tv",)),
    ("blackboard", ("teach", "lecture")),
    ("piano", ("play music",)),
    ("easel", ("paint",)),
    ("garden", ("garden", "water plants")),
    ("bar", ("serve", "order", "drink", "chat")),
    ("fountain", ("sit", "rest", "chat")),
)


class KindRegistry:
    """The object kinds a game's world knows, each with its ``KindSpec``; immutable.

    Build with ``KindRegistry.default()`` (the 20 household kinds), ``from_toml(path)``
    (only the file's kinds), ``from_mapping(...)``, and ``extended(...)`` to add or
    redefine kinds. Kinds keep their declaration order (prompts and listings use it).
    """

    __slots__ = ("_specs", "_verb_index")

    def __init__(self, specs: Mapping[str, KindSpec] | None = None) -> None:
        table: dict[str, KindSpec] = {}
        for name, spec in (specs or {}).items():
            if not isinstance(spec, KindSpec) or spec.name != name:
                raise ValueError(f"kind {name!r}: expected a KindSpec named {name!r}")
            table[name] = spec
        self._specs: Mapping[str, KindSpec] = MappingProxyType(table)
        index: dict[str, list[str]] = {}
        for spec in table.values():
            for verb in spec.verbs:
                index.setdefault(verb, []).append(spec.name)
        self._verb_index = {v: tuple(k) for v, k in index.items()}

    # ------------------------------------------------------------------ builders
    @classmethod
    def default(cls) -> KindRegistry:
        """The household kinds of docs/MAP_CONVENTIONS.md (the demo town's)."""
        return _DEFAULT

    @classmethod
    def from_mapping(cls, kinds: Mapping[str, Any], *, source: str = "kinds") -> KindRegistry:
        """A registry of exactly ``kinds``: name -> ``KindSpec`` or a TOML-shaped table
        ``{"verbs": [...], "duration": 30, "capacity": 2, "states": [...]}``.

        Raises:
            MapError: a field is unknown or of the wrong type, verbs are empty, or two
                names are the same kind (names are compared in lower case); the message
                names ``source`` and the field.
        """
        if not isinstance(kinds, Mapping):
            raise MapError(f"{source}: kinds must be a table of kind names")
        table: dict[str, KindSpec] = {}
        for raw_name, value in kinds.items():
            name = str(raw_name).strip().lower()
            where = f'{source}: kinds."{raw_name}"'
            if not name:
                raise MapError(f"{where}: a kind needs a non-empty name")
            if name in table:
                raise MapError(f"{where}: duplicate kind {name!r} (names ignore case)")
            table[name] = _spec(name, value, where)
        return cls(table)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> KindRegistry:
        """The kinds of a TOML file (its ``[kinds."name"]`` tables, nothing else).

        Raises:
            MapError: the file cannot be read or parsed, has a top-level key other than
                ``kinds``, or a kind is malformed (see ``from_mapping``); the message
                names the file and the field.
        """
        shown = os.fspath(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise MapError(f"{shown}: cannot read the kinds file ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise MapError(f"{shown}: the kinds file is not UTF-8 text") from exc
        except tomllib.TOMLDecodeError as exc:
            raise MapError(f"{shown}: not valid TOML ({exc})") from exc
        extra = sorted(set(data) - {"kinds"})
        if extra:
            raise MapError(f"{shown}: unknown field {extra[0]!r} (a kinds file has [kinds.*])")
        if "kinds" not in data or not data["kinds"]:
            raise MapError(f'{shown}: kinds: no kinds declared (add [kinds."name"] tables)')
        return cls.from_mapping(data["kinds"], source=shown)

    @classmethod
    def resolve(cls, source: KindsSource) -> KindRegistry:
        """A registry from what a config holds: None is the default; a path is the
        default extended by that TOML file (a game adds to the household kinds)."""
        if source is None:
            return cls.default()
        if isinstance(source, KindRegistry):
            return source
        return cls.default().extended(cls.from_toml(source))

    def extended(self, more: KindRegistry | Mapping[str, Any]) -> KindRegistry:
        """This registry plus ``more`` (a registry, or a mapping as in ``from_mapping``);
        a kind in both takes ``more``'s spec and keeps its place in the order."""
        extra = more if isinstance(more, KindRegistry) else KindRegistry.from_mapping(more)
        return KindRegistry({**self._specs, **dict(extra.specs())})

    # ------------------------------------------------------------------ queries
    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind name, in declaration order."""
        return tuple(self._specs)

    def specs(self) -> tuple[tuple[str, KindSpec], ...]:
        """Every ``(name, spec)``, in declaration order."""
        return tuple(self._specs.items())

    def spec(self, kind: str) -> KindSpec | None:
        """The spec of ``kind``, or None when it is not registered."""
        return self._specs.get(kind)

    def verbs(self, kind: str) -> tuple[str, ...]:
        """The verbs an object of ``kind`` supports; ``()`` for an unknown kind."""
        spec = self._specs.get(kind)
        return spec.verbs if spec is not None else ()

    def kinds_for_verb(self, verb: str) -> tuple[str, ...]:
        """The kinds whose objects support ``verb``, in declaration order."""
        return self._verb_index.get(verb, ())

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Plain data (the TOML ``kinds`` table); ``from_mapping`` reads it back."""
        return {name: spec.to_dict() for name, spec in self._specs.items()}

    def __contains__(self, kind: object) -> bool:
        return kind in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KindRegistry):
            return NotImplemented
        return self.specs() == other.specs()

    def __hash__(self) -> int:
        return hash(tuple(self._specs.values()))

    def __repr__(self) -> str:
        return f"KindRegistry({len(self._specs)} kinds: {', '.join(self._specs)})"


def _string_list(value: Any, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MapError(f"{where}: must be a list of strings, got {value!r}")
    items = tuple(v.strip() for v in value)
    if any(not v for v in items):
        raise MapError(f"{where}: has an empty entry")
    if not items and not allow_empty:
        raise MapError(f"{where}: must not be empty")
    seen = [v for i, v in enumerate(items) if v in items[:i]]
    if seen:
        raise MapError(f"{where}: duplicate entry {seen[0]!r}")
    return items


def _spec(name: str, value: Any, where: str) -> KindSpec:
    if isinstance(value, KindSpec):
        if value.name != name:
            raise MapError(f"{where}: a KindSpec named {value.name!r} under another name")
        return value
    if not isinstance(value, Mapping):
        raise MapError(f"{where}: must be a table with verbs (and duration, capacity, states)")
    unknown = sorted(str(k) for k in value if k not in _FIELDS)
    if unknown:
        raise MapError(f"{where}.{unknown[0]}: unknown field (known: {', '.join(_FIELDS)})")
    if "verbs" not in value:
        raise MapError(f"{where}.verbs: missing (a kind needs at least one verb)")
    verbs = tuple(
        v.lower() for v in _string_list(value["verbs"], f"{where}.verbs", allow_empty=False)
    )
    if len(set(verbs)) != len(verbs):
        raise MapError(f"{where}.verbs: duplicate entry (verbs ignore case)")
    states = _string_list(value.get("states", []), f"{where}.states", allow_empty=True)
    numbers: dict[str, int | None] = {}
    for key, default in (("duration", None), ("capacity", 1)):
        raw = value.get(key, default)
        if raw is None and default is None:
            numbers[key] = None
            continue
        if _whole(raw) is None or raw < 1:
            raise MapError(f"{where}.{key}: must be a whole number >= 1, got {raw!r}")
        numbers[key] = raw
    capacity = numbers["capacity"]
    return KindSpec(
        name=name,
        verbs=verbs,
        duration=numbers["duration"],
        capacity=capacity if capacity is not None else 1,
        states=states,
    )


KindsSource = KindRegistry | str | os.PathLike[str] | None
"""What ``KindRegistry.resolve`` accepts (a registry, a TOML path, or None: the default)."""

_DEFAULT = KindRegistry({n: KindSpec(name=n, verbs=v) for n, v in _HOUSEHOLD})

KIND_AFFORDANCES: Mapping[str, tuple[str, ...]] = MappingProxyType(dict(_HOUSEHOLD))
"""The default (household) kinds and their verbs, in the order of the conventions table."""

KNOWN_KINDS: frozenset[str] = frozenset(KIND_AFFORDANCES)
"""The default kinds' names."""


def affordances(kind: str) -> tuple[str, ...]:
    """The verbs an object of ``kind`` supports in the default registry; ``()`` if unknown."""
    return _DEFAULT.verbs(kind)


def kinds_for_verb(verb: str) -> tuple[str, ...]:
    """The default kinds whose objects support ``verb`` (e.g. ``"sit"`` -> table, bench, ...)."""
    return _DEFAULT.kinds_for_verb(verb)


def things_on_map(
    kinds: KindRegistry, objects: Iterable[tuple[str, str]]
) -> tuple[dict[str, Any], ...]:
    """What the planning prompts list as the town's things: per kind on the map (registry
    order) ``{"kind", "verbs", "places"}`` (places: sectors holding one, in map order),
    with ``"minutes"`` when the kind has a duration.

    ``objects``: ``(kind, sector)`` of every object. Empty when the map holds exactly the
    household kinds with their default verbs (the prompts' own examples assume them, so
    the demo town's prompts stay as they were); a map lacking one (no piano) or holding a
    game's own kind lists them all.
    """
    places: dict[str, list[str]] = {}
    for kind, sector in objects:
        where = places.setdefault(kind, [])
        if sector and sector not in where:
            where.append(sector)
    default = KindRegistry.default()
    if set(places) == set(default.kinds) and all(kinds.spec(k) == default.spec(k) for k in places):
        return ()
    out = []
    for name, spec in kinds.specs():
        if name not in places:
            continue
        thing: dict[str, Any] = {"kind": name, "verbs": list(spec.verbs), "places": places[name]}
        if spec.duration is not None:
            thing["minutes"] = spec.duration
        out.append(thing)
    return tuple(out)
