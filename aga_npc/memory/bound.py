"""The memory bound: which events to merge (repeated routines) and which to forget.

A pure planning step over the stream's events; the stream applies the plan. Deterministic:
the plan depends only on the events, their order and ``now``.

Policy, in order:
1. **Consolidate.** Routine events (kind observed, done, planned or thought; no people;
   not reflections) with the same kind and the same :func:`~aga_npc.memory.text.pattern_key`
   collapse into the newest of them, which carries the summed ``count``, the highest
   importance and the latest access. "ate breakfast at home" x7 becomes one event with
   ``count=7`` (rendered "ate breakfast at home (7 times)").
2. **Forget.** If still above the target, drop the events with the lowest
   ``importance * recency`` (recency = ``decay ** hours since last access``), first among
   events that are neither reflections nor about people, then those about people, and
   reflections last. Ties go to the older event. The newest ``protect`` events are never
   merged away or forgotten, so a just-appended event survives its own append.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from aga_npc.memory.events import EventKind, MemoryEvent
from aga_npc.memory.text import pattern_key

__all__ = ["BoundPlan", "plan_bound"]

_CONSOLIDATABLE = frozenset(
    {EventKind.OBSERVED, EventKind.DONE, EventKind.PLANNED, EventKind.THOUGHT}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BoundPlan:
    """What to do to bring a stream back under its bound.

    Attributes:
        merged: row -> the consolidated event that replaces the event in that row.
        removed: rows to delete (merged-away duplicates and forgotten events), ascending.
        consolidated: how many rows were removed by consolidation.
        forgotten: how many rows were removed by forgetting.
    """

    merged: dict[int, MemoryEvent]
    removed: tuple[int, ...]
    consolidated: int
    forgotten: int


def _tier(event: MemoryEvent) -> int:
    if event.kind is EventKind.REFLECTION:
        return 2
    return 1 if event.people else 0


def plan_bound(
    events: Sequence[MemoryEvent],
    *,
    now: float,
    target: int,
    decay: float,
    protect: int,
) -> BoundPlan:
    """Plan consolidation and forgetting so that at most ``target`` events remain.

    Args:
        events: the stream's events in insertion (row) order.
        now: game minutes, for recency.
        target: how many events may remain (>= ``protect``).
        decay: recency decay per game hour, in (0, 1].
        protect: how many of the newest events are exempt.

    Returns:
        The plan; ``removed`` is empty when the stream is already within ``target``.
    """
    n = len(events)
    if n <= target:
        return BoundPlan(merged={}, removed=(), consolidated=0, forgotten=0)
    first_protected = max(0, n - protect)

    # 1. consolidate repeated routine events into the newest member of each group
    groups: dict[tuple[str, str], list[int]] = {}
    for row, ev in enumerate(events):
        if ev.kind in _CONSOLIDATABLE and not ev.people:
            key = pattern_key(ev.text)
            if key:
                groups.setdefault((ev.kind.value, key), []).append(row)
    merged: dict[int, MemoryEvent] = {}
    removed: set[int] = set()
    for rows in groups.values():
        victims = [r for r in rows[:-1] if r < first_protected]
        if not victims:
            continue
        keep = rows[-1]
        members = [events[r] for r in [*victims, keep]]
        newest = events[keep]
        embedding = newest.embedding
        if embedding is None:
            embedding = next(
                (m.embedding for m in reversed(members) if m.embedding is not None), None
            )
        merged[keep] = dataclasses.replace(
            newest,
            count=sum(m.count for m in members),
            importance=max(m.importance for m in members),
            last_access=max(m.last_access for m in members),
            embedding=embedding,
        )
        removed.update(victims)
    consolidated = len(removed)

    # 2. forget the least valuable events until the target is met
    excess = n - len(removed) - target
    forgotten = 0
    if excess > 0:
        ranked: list[tuple[int, float, float, int]] = []
        for row in range(first_protected):
            if row in removed:
                continue
            ev = merged.get(row, events[row])
            hours = max(0.0, now - ev.last_access) / 60.0
            value = ev.importance * decay**hours
            ranked.append((_tier(ev), value, ev.created, row))
        ranked.sort()
        for *_, row in ranked[:excess]:
            removed.add(row)
            merged.pop(row, None)
            forgotten += 1
    return BoundPlan(
        merged=merged,
        removed=tuple(sorted(removed)),
        consolidated=consolidated,
        forgotten=forgotten,
    )
