"""StorePolicy: the brain's ``PolicyPort`` over a ``PolicyStore``, with the scope rule.

Where a routine is stored decides who can reuse it:
- actions at the agent's workplace (``@work``) serve everyone with the same role (two
  baristas share "serve customers at the counter"), or only the agent when it has no role;
- everything else (``@home`` routines, public places) serves the whole town: ``@home``
  resolves to each agent's own home, and a park bench is everyone's.
Lookups go agent -> role -> town, so an agent's own variants still win.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aga_npc.brain.services import PolicyDecision, Vector
from aga_npc.policy.conditions import TRUE, AllCond, Condition, ObjectCond
from aga_npc.policy.entries import PolicyScope, Provenance
from aga_npc.policy.results import LookupReason
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import WorldView
from aga_npc.types import Action

__all__ = ["StorePolicy", "condition_for", "scope_for"]

_HITS = (LookupReason.EXACT_HIT, LookupReason.SIMILAR_HIT)


def scope_for(actions: Sequence[Action], *, agent: str, role: str) -> PolicyScope:
    """The scope a successful routine is stored in (see the module docstring)."""
    at_work = any(a.target.startswith("@work:") for a in actions)
    if at_work:
        return PolicyScope.role(role) if role else PolicyScope.agent(agent)
    return PolicyScope.town()


def condition_for(actions: Sequence[Action], *, world: WorldView, agent: str) -> Condition:
    """The execution condition of a routine: for every object it uses, some object of the
    same kind in the same arena (of the agent's own home or workplace for ``@`` places)
    exists and is reachable. Occupancy is not part of it: a busy stove is waited for, and
    a different free one in the room is taken at run time."""
    parts: list[Condition] = []
    seen: set[tuple[str, str, str]] = set()
    for action in actions:
        if not action.target:
            continue
        sector, arena, name = action.target.split(":", 2)
        real = world.resolve_sector(agent, sector) or sector
        info = world.object_at(f"{real}:{arena}:{name}")
        kind = info.kind if info is not None else ""
        key = (kind, sector, arena)
        if not kind or key in seen:
            continue
        seen.add(key)
        parts.append(ObjectCond(kind=kind, sector=sector, arena=arena, reachable=True))
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else AllCond(of=tuple(parts))


class StorePolicy:
    """Implements ``aga_npc.brain.services.PolicyPort`` with a ``PolicyStore``.

    Args:
        store: the store (shared by every brain of a town).
        backend, model: written into each stored routine's provenance.
        submit: hands the hourly flush's disk write to a worker (frame loops pass
            ``lambda fn, *a: gateway.submit_call(fn, *a, kind="policy_flush")``); None
            writes inline (headless runs).
    """

    def __init__(
        self,
        store: PolicyStore,
        *,
        backend: str = "",
        model: str = "",
        submit: Callable[..., Any] | None = None,
    ) -> None:
        self.policy_store = store
        self.backend = backend
        self.model = model
        self.submit = submit
        self._near_miss: dict[tuple[str, str], int] = {}

    def lookup(
        self,
        *,
        plan: str,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        world: WorldView,
        now: int,
    ) -> PolicyDecision:
        result = self.policy_store.lookup(
            plan,
            vector,
            agent=agent,
            world=world,
            role=role or None,
            duration=duration,
            game_minute=now,
        )
        self.policy_store.flush_if_due(now, submit=self.submit)
        if result.reason is LookupReason.NO_CONDITION_HELD and result.entry_id is not None:
            self._near_miss[(agent, plan)] = result.entry_id
        reason = result.reason.value
        if result.detail:
            reason = f"{reason}: {result.detail}"
        return PolicyDecision(
            hit=result.reason in _HITS and bool(result.actions),
            actions=result.actions,
            reason=reason,
            cosine=float(result.cosine) if result.cosine is not None else 0.0,
            matched=result.matched_text or "",
        )

    def store(
        self,
        *,
        plan: str,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        actions: Sequence[Action],
        now: int,
        world: WorldView,
    ) -> None:
        self.policy_store.add(
            plan,
            vector,
            actions=actions,
            condition=condition_for(actions, world=world, agent=agent),
            scope=scope_for(actions, agent=agent, role=role),
            provenance=Provenance(
                agent=agent, role=role, game_minute=now, backend=self.backend, model=self.model
            ),
            duration=duration,
            into=self._near_miss.pop((agent, plan), None),
        )
        self.policy_store.flush_if_due(now, submit=self.submit)
