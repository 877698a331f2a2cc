"""Value types of the memory stream: one remembered event, retrieval weights, a scored hit."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_WEIGHTS",
    "EventKind",
    "MemoryEvent",
    "RetrievalWeights",
    "ScoredEvent",
    "embedding_from_bytes",
    "embedding_to_bytes",
    "texts",
]

FloatVec = npt.NDArray[np.float32]


class EventKind(enum.StrEnum):
    """What kind of memory an event is."""

    OBSERVED = "observed"
    DONE = "done"
    SAID = "said"
    THOUGHT = "thought"
    PLANNED = "planned"
    REFLECTION = "reflection"


KIND_CODES: dict[EventKind, int] = {k: i for i, k in enumerate(EventKind)}


def as_unit_vector(vec: Any, *, what: str = "embedding") -> FloatVec:
    """``vec`` as a 1-D float32 array of norm 1 (a copy, read-only).

    Raises:
        ValueError: when it is not 1-D, is empty, holds a non-finite value or has norm 0.
    """
    arr = np.array(vec, dtype=np.float32, copy=True)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D vector, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} holds a non-finite value")
    norm = float(np.linalg.norm(arr.astype(np.float64)))
    if norm == 0.0:
        raise ValueError(f"{what} has norm 0")
    if abs(norm - 1.0) > 1e-6:
        arr = (arr / np.float32(norm)).astype(np.float32)
    arr.flags.writeable = False
    return arr


def as_unit_rows(mat: Any, *, what: str = "embedding") -> npt.NDArray[np.float32]:
    """``mat`` as a 2-D float32 array whose rows have norm 1 (a copy, read-only): what
    :func:`as_unit_vector` gives for each row, in one numpy pass.

    Raises:
        ValueError: when it is not 2-D, has empty rows, holds a non-finite value or a row
            of norm 0.
    """
    arr = np.array(mat, dtype=np.float32, copy=True)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{what}s must be a 2-D array of non-empty rows, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what}s hold a non-finite value")
    norms = np.linalg.norm(arr.astype(np.float64), axis=1)
    if np.any(norms == 0.0):
        raise ValueError(f"an {what} has norm 0")
    off = np.abs(norms - 1.0) > 1e-6
    if np.any(off):
        arr[off] = arr[off] / norms[off, None].astype(np.float32)
    arr.flags.writeable = False
    return arr


def embedding_to_bytes(vec: FloatVec) -> bytes:
    """Little-endian float32 bytes of ``vec`` (for msgpack)."""
    return np.ascontiguousarray(vec, dtype="<f4").tobytes()


def embedding_from_bytes(data: bytes, dim: int, *, where: str = "embedding") -> FloatVec:
    """Inverse of :func:`embedding_to_bytes`; a read-only float32 vector of length ``dim``.

    Raises:
        ValueError: when the byte length is not ``4 * dim``.
    """
    if len(data) != 4 * dim:
        raise ValueError(f"{where}: {len(data)} bytes, expected {4 * dim} for dimension {dim}")
    arr = np.frombuffer(bytes(data), dtype="<f4").astype(np.float32)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True, kw_only=True)
class MemoryEvent:
    """One remembered event.

    Attributes:
        id: stream-unique id, increasing in insertion order.
        kind: an :class:`EventKind` (plain strings are converted).
        text: the event in natural language ("Maria Lopez is drinking coffee").
        created: game minutes since the start of the world when it happened.
        last_access: game minutes of the last retrieval (``created`` at first).
        importance: 1..10 (1 mundane, 10 life-changing).
        embedding: read-only float32 unit vector, or None while the embedding is pending.
            An event of a :class:`~aga_npc.memory.stream.MemoryStream` holds a view of its
            row of the stream's embedding matrix, the only copy of the vector (the view
            keeps its values however the stream changes; an event the stream drops gets
            a copy of its own).
        people: names of the people the event is about or mentions.
        keywords: free keywords (objects, places, topics).
        count: how many identical routine events this one stands for (consolidation).
        evidence: ids of the events a reflection was drawn from.
    """

    id: int
    kind: EventKind
    text: str
    created: float
    last_access: float
    importance: int
    embedding: FloatVec | None = field(default=None, compare=False, repr=False)
    people: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    count: int = 1
    evidence: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.id, bool) or not isinstance(self.id, int) or self.id < 0:
            raise ValueError(f"MemoryEvent.id must be a non-negative int, got {self.id!r}")
        try:
            object.__setattr__(self, "kind", EventKind(self.kind))
        except ValueError:
            kinds = ", ".join(k.value for k in EventKind)
            raise ValueError(
                f"MemoryEvent.kind must be one of {kinds}, got {self.kind!r}"
            ) from None
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError("MemoryEvent.text must be a non-empty str")
        for name in ("created", "last_access"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"MemoryEvent.{name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"MemoryEvent.{name} must be finite, got {value!r}")
        if isinstance(self.importance, bool) or not isinstance(self.importance, int):
            raise ValueError(f"MemoryEvent.importance must be an int, got {self.importance!r}")
        if not 1 <= self.importance <= 10:
            raise ValueError(f"MemoryEvent.importance must be within 1..10, got {self.importance}")
        if self.count < 1:
            raise ValueError(f"MemoryEvent.count must be >= 1, got {self.count}")
        if self.embedding is not None:
            object.__setattr__(self, "embedding", as_unit_vector(self.embedding))
        for name in ("people", "keywords", "evidence"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ValueError(f"MemoryEvent.{name} must be a sequence, not a str")
            object.__setattr__(self, name, tuple(value))

    def describe(self) -> str:
        """The text as a prompt shows it, with the repeat count when consolidated."""
        return self.text if self.count == 1 else f"{self.text} ({self.count} times)"

    def mentions(self, person: str) -> bool:
        """Whether ``person`` is among ``people`` (case-insensitive)."""
        wanted = person.casefold()
        return any(p.casefold() == wanted for p in self.people)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for msgpack; the embedding becomes float32 bytes (or None)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "text": self.text,
            "created": self.created,
            "last_access": self.last_access,
            "importance": self.importance,
            "embedding": None if self.embedding is None else embedding_to_bytes(self.embedding),
            "people": list(self.people),
            "keywords": list(self.keywords),
            "count": self.count,
            "evidence": list(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, dim: int | None = None) -> MemoryEvent:
        """Rebuild an event from :meth:`to_dict` output.

        Args:
            data: the plain-data event.
            dim: the embedding dimension; inferred from the byte length when None.

        Raises:
            ValueError: a field is missing or invalid (the message names it).
        """
        try:
            raw = data.get("embedding")
            vec: FloatVec | None = None
            if raw is not None:
                if not isinstance(raw, bytes | bytearray):
                    raise ValueError("embedding must be bytes")
                vec = embedding_from_bytes(bytes(raw), dim if dim is not None else len(raw) // 4)
            return cls(
                id=int(data["id"]),
                kind=EventKind(str(data["kind"])),
                text=str(data["text"]),
                created=float(data["created"]),
                last_access=float(data["last_access"]),
                importance=int(data["importance"]),
                embedding=vec,
                people=tuple(str(p) for p in data.get("people", ())),
                keywords=tuple(str(k) for k in data.get("keywords", ())),
                count=int(data.get("count", 1)),
                evidence=tuple(int(e) for e in data.get("evidence", ())),
            )
        except KeyError as exc:
            raise ValueError(f"memory event is missing field {exc.args[0]!r}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrievalWeights:
    """Weights of the three normalised retrieval components (the paper: all equal)."""

    recency: float = 1.0
    importance: float = 1.0
    relevance: float = 1.0

    def __post_init__(self) -> None:
        for name in ("recency", "importance", "relevance"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"RetrievalWeights.{name} must be finite and >= 0, got {value}")


DEFAULT_WEIGHTS = RetrievalWeights()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredEvent:
    """One retrieval hit with the parts of its score.

    Attributes:
        event: the event (after the access was recorded, when the retrieval touched it).
        score: ``w_rec * recency + w_imp * importance + w_rel * relevance``.
        recency: min-max normalised recency over the candidates, 0..1.
        importance: min-max normalised importance over the candidates, 0..1.
        relevance: min-max normalised relevance over the candidates, 0..1.
        cosine: the raw cosine similarity to the query (0 without a query or embedding).
    """

    event: MemoryEvent
    score: float
    recency: float
    importance: float
    relevance: float
    cosine: float


def texts(hits: Sequence[ScoredEvent | MemoryEvent]) -> list[str]:
    """The prompt texts of events or hits, in order."""
    return [(h.event if isinstance(h, ScoredEvent) else h).describe() for h in hits]
