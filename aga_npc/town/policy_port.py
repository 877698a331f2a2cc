"""StorePolicy: the brain's ``PolicyPort`` over a ``PolicyStore``, with a sharing rule.

A plan is looked up and stored under its place (``@home``, ``@work`` or a sector; a sector
that is the agent's own home or workplace is written as the symbol). Where a routine is
stored decides who can reuse it (:mod:`aga_npc.policy.sharing`): ``"agent"`` keeps every
routine with its agent (the paper), ``"role"`` shares workplace routines by role,
``"town"`` (the default) also shares every other routine with the whole town. Conditions
come from the one builder, :func:`aga_npc.policy.routine_condition`. Run-time reports close
the loop: a failing variant is tried after the others and evicted when it keeps failing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from aga_npc.brain.services import HitHandle, PlanKey, PolicyDecision, Vector
from aga_npc.places import HOME, SYMBOLS, WORK, Address, place_symbol
from aga_npc.policy.entries import Provenance, ScopeKind
from aga_npc.policy.matching import embedding_texts
from aga_npc.policy.requirements import off_place_targets, routine_condition
from aga_npc.policy.results import FailureVerdict, LookupReason, LookupResult
from aga_npc.policy.sharing import Sharing, lookup_scopes, store_scope
from aga_npc.policy.signature import normalise_text
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import WorldView
from aga_npc.types import Action

__all__ = ["PortStats", "StorePolicy"]

NEAR_MISSES = 1024  # remembered (agent, plan, place) -> entry near misses, oldest dropped


@dataclass(slots=True)
class PortStats:
    """What the port did, for reports and the overlay.

    ``lookups`` counts calls (an exact-only lookup and the full one after it are two);
    ``misses`` counts only full lookups that missed (an exact-only miss is not final);
    ``hits_by_scope`` counts hits by the scope kind of the routine that served them;
    ``refused`` counts routines not stored because an action lies outside the planned
    place (or the plan has no place).
    """

    lookups: int = 0
    exact_only: int = 0
    hits: int = 0
    misses: int = 0
    stored: int = 0
    refused: int = 0
    successes: int = 0
    failures: int = 0
    evicted: int = 0
    hits_by_scope: dict[str, int] = field(
        default_factory=lambda: {kind.value: 0 for kind in ScopeKind}
    )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["hits_by_scope"] = dict(self.hits_by_scope)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PortStats:
        """The counters of :meth:`to_dict` (missing ones are 0).

        Raises:
            ValueError: a negative counter or an unknown scope kind.
        """
        stats = cls()
        for kind, count in dict(data.get("hits_by_scope", {})).items():
            stats.hits_by_scope[ScopeKind(kind).value] = int(count)
        for f in fields(cls):
            if f.name != "hits_by_scope":
                setattr(stats, f.name, int(data.get(f.name, 0)))
        counts = [getattr(stats, f.name) for f in fields(cls) if f.name != "hits_by_scope"]
        if min(counts + list(stats.hits_by_scope.values())) < 0:
            raise ValueError("policy port counters must be >= 0")
        return stats


class StorePolicy:
    """Implements ``aga_npc.brain.services.PolicyPort`` with a ``PolicyStore``.

    Args:
        store: the store (shared by every brain of a town).
        sharing: ``"agent"``, ``"role"`` or ``"town"`` (see :mod:`aga_npc.policy.sharing`).
        backend, model: written into each stored routine's provenance.
        submit: hands the hourly flush's disk write to a worker (frame loops pass
            ``lambda fn, *a: gateway.submit_call(fn, *a, kind="policy_flush")``); None
            writes inline (headless runs).
    """

    def __init__(
        self,
        store: PolicyStore,
        *,
        sharing: Sharing | str = Sharing.TOWN,
        backend: str = "",
        model: str = "",
        submit: Callable[..., Any] | None = None,
    ) -> None:
        self.policy_store = store
        self.sharing = Sharing(sharing)
        self.backend = backend
        self.model = model
        self.submit = submit
        self.stats = PortStats()
        self._near_miss: OrderedDict[tuple[str, str, str], int] = OrderedDict()

    def lookup(
        self,
        *,
        plan: PlanKey,
        vector: Vector | None,
        agent: str,
        role: str,
        duration: int,
        world: WorldView,
        now: int,
    ) -> PolicyDecision:
        """Stored actions for ``plan`` that can run for ``agent`` now, or a miss.

        ``vector=None`` tries the exact text only (its misses are not counted as misses:
        the lookup with a vector that follows counts them). Well under a millisecond.
        """
        place = _symbolic(plan.place, world, agent)
        self.stats.lookups += 1
        if not place:
            self.stats.misses += 1
            return PolicyDecision(hit=False, reason="no_candidate: the plan has no place")
        options: dict[str, Any] = {
            "place": place,
            "agent": agent,
            "world": world,
            "scopes": lookup_scopes(self.sharing, agent=agent, role=role),
            "duration": duration,
            "game_minute": now,
        }
        if vector is None:
            self.stats.exact_only += 1
            result = self.policy_store.lookup_exact(plan.text, **options)
        else:
            result = self.policy_store.lookup(plan.text, vector, **options)
        self.policy_store.flush_if_due(now, submit=self.submit)
        return self._decision(result, agent, counted=vector is not None)

    def _decision(self, result: LookupResult, agent: str, *, counted: bool) -> PolicyDecision:
        reason = result.reason.value + (f": {result.detail}" if result.detail else "")
        cosine = float(result.cosine) if result.cosine is not None else 0.0
        if not result.hit:
            if counted:
                self.stats.misses += 1
            # only a plan judged the same whose conditions did not hold is a near miss: the
            # routine worked out now is another variant of it (another circumstance). A
            # rejected look-alike is a different activity and gets an entry of its own.
            if (
                result.reason is LookupReason.NO_CONDITION_HELD
                and result.entry_id is not None
                and result.matched_text is not None
            ):
                key = (agent, normalise_text(result.plan_text), result.place)
                self._near_miss[key] = result.entry_id
                self._near_miss.move_to_end(key)
                while len(self._near_miss) > NEAR_MISSES:
                    self._near_miss.popitem(last=False)
            return PolicyDecision(
                hit=False, reason=reason, cosine=cosine, matched=result.matched_text or ""
            )
        assert result.scope is not None and result.entry_id is not None
        assert result.variant_id is not None
        scope = result.scope.kind.value
        self.stats.hits += 1
        self.stats.hits_by_scope[scope] = self.stats.hits_by_scope.get(scope, 0) + 1
        return PolicyDecision(
            hit=True,
            actions=result.actions,
            reason=reason,
            cosine=cosine,
            matched=result.matched_text or "",
            scope=scope,
            handle=HitHandle(entry=result.entry_id, variant=result.variant_id),
        )

    def store(
        self,
        *,
        plan: PlanKey,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        actions: Sequence[Action],
        now: int,
        world: WorldView,
    ) -> None:
        """Keep a routine that ran to its end. Targets in the agent's own home or workplace
        are written with ``@home`` / ``@work``; a routine with an action outside the
        planned place is refused (counted in ``stats.refused``)."""
        place = _symbolic(plan.place, world, agent)
        symbolic = [_symbolic_action(a, world, agent) for a in actions]
        if not place or off_place_targets(symbolic, place):
            self.stats.refused += 1
            return
        self.policy_store.add(
            plan.text,
            vector,
            place=place,
            actions=symbolic,
            condition=routine_condition(symbolic, place=place, world=world, agent=agent),
            scope=store_scope(self.sharing, place=place, agent=agent, role=role),
            provenance=Provenance(
                agent=agent, role=role, game_minute=now, backend=self.backend, model=self.model
            ),
            duration=duration,
            into=self._near_miss.pop((agent, normalise_text(plan.text), place), None),
        )
        self.stats.stored += 1
        self.policy_store.flush_if_due(now, submit=self.submit)

    def report_failure(self, handle: HitHandle, *, now: int, why: str) -> None:
        """An action of a reused routine failed: its variant is tried after the others,
        and evicted after ``PolicyStore.max_failures`` failures in a row."""
        verdict = self.policy_store.report_failure(handle.entry, handle.variant, why=why)
        if verdict is not FailureVerdict.UNKNOWN:
            self.stats.failures += 1
        if verdict in (FailureVerdict.EVICTED, FailureVerdict.REMOVED):
            self.stats.evicted += 1
        self.policy_store.flush_if_due(now, submit=self.submit)

    def report_success(self, handle: HitHandle, *, now: int) -> None:
        """A reused routine ran to its end: counted; its failures in a row are forgiven."""
        if self.policy_store.report_success(handle.entry, handle.variant):
            self.stats.successes += 1
        self.policy_store.flush_if_due(now, submit=self.submit)

    def embedding_texts(self, text: str) -> tuple[str, ...]:
        return embedding_texts(text)

    def get_state(self) -> dict[str, Any]:
        """The sharing rule, counters and remembered near misses as plain data (the store
        saves its routines itself)."""
        return {
            "sharing": self.sharing.value,
            "stats": self.stats.to_dict(),
            "near_miss": [[a, t, p, e] for (a, t, p), e in self._near_miss.items()],
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`get_state`.

        Raises:
            ValueError: an unknown sharing rule or malformed counters.
        """
        sharing = Sharing(state["sharing"])
        stats = PortStats.from_dict(state.get("stats", {}))
        near = OrderedDict(
            ((str(a), str(t), str(p)), int(e)) for a, t, p, e in state.get("near_miss", [])
        )
        self.sharing, self.stats, self._near_miss = sharing, stats, near


def _homes(world: WorldView, agent: str) -> tuple[str, str]:
    return world.resolve_sector(agent, HOME) or "", world.resolve_sector(agent, WORK) or ""


def _symbolic(place: str, world: WorldView, agent: str) -> str:
    """``place`` with the agent's own home / workplace written as a symbol."""
    if not place or place in SYMBOLS:
        return place
    home, work = _homes(world, agent)
    return place_symbol(place, home=home, work=work)


def _symbolic_action(action: Action, world: WorldView, agent: str) -> Action:
    if not action.target:
        return action
    address = Address.parse(action.target)
    if address.is_symbolic:
        return action
    home, work = _homes(world, agent)
    return action.with_(target=str(address.symbolise(home=home, work=work)))
