"""The memory stream, importance without per-event LLM calls, and mind wandering (pure)."""

from aga_npc.memory.events import (
    DEFAULT_WEIGHTS,
    EventKind,
    MemoryEvent,
    RetrievalWeights,
    ScoredEvent,
    texts,
)
from aga_npc.memory.importance import ImportanceCache, heuristic_importance, parse_importance
from aga_npc.memory.stream import MemoryStream
from aga_npc.memory.wander import (
    cluster_events,
    cluster_sizes,
    dbscan,
    sample_wandering,
    wandering_weights,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "EventKind",
    "ImportanceCache",
    "MemoryEvent",
    "MemoryStream",
    "RetrievalWeights",
    "ScoredEvent",
    "cluster_events",
    "cluster_sizes",
    "dbscan",
    "heuristic_importance",
    "parse_importance",
    "sample_wandering",
    "texts",
    "wandering_weights",
]
