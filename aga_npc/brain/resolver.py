"""Resolver: how each schedule item gets its actions - a Lifestyle Policy routine, or
Generative Agents' decomposition and per-action chain.

For one schedule item (an activity with its planned place):

- in the policy modes, the Lifestyle Policy is asked first: exact plan text (no embedding
  needed), then by similarity once the text's embedding is known; a routine whose
  condition holds gives the actions with no LLM call (the paper's substitution for the
  decomposition *and* the whole per-action chain);
- otherwise Generative Agents' way: the item is decomposed into 5-15 minute subtasks and
  every subtask goes through the per-action chain - sector, arena, object, then the
  action's emoji, event triple and the object's state, then the object's emoji and event
  triple - each its own request. The ``aga`` mode's ``merged_action_chain`` saving asks one
  ``action_chain`` call instead, re-asking with the rejected steps when grounding fails.

A routine that ran to its end without failure is stored in the Lifestyle Policy; a reused
routine whose action fails is reported (demoted, then evicted by the store) and the item
is decomposed afresh for its remaining time.

Lifecycle of a resolution (``ResStatus``, transitions in ``TRANSITIONS``)::

    NEW -> EMBEDDING -> LOOKUP -> READY            (policy hit)
      \\______\\___________\\-> MISS -> DECOMPOSING -> CHAINING -> READY
                                                   \\______________^ (merged chain)
    READY -> MISS   (a reused routine failed: decompose the rest)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from aga_npc.brain import grounding
from aga_npc.brain.answers import Subtasks, parsed_as
from aga_npc.brain.chain import MAX_CHAIN_ATTEMPTS, ActionChain, fit_actions, fit_minutes
from aga_npc.brain.intent import Source
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import CallKind, Failure, Requests
from aga_npc.brain.resolution import (
    TRANSITIONS,
    ChainStage,
    Resolution,
    ResolverStats,
    ResStatus,
    StepWork,
    TickWork,
)
from aga_npc.brain.services import BrainServices, PlanKey, PolicyDecision, Vector
from aga_npc.brain.settings import LoopSettings
from aga_npc.places import Address, place_symbol
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import WorldView
from aga_npc.prompts import (
    decompose_messages,
)
from aga_npc.types import Module, Priority

__all__ = [
    "MAX_CHAIN_ATTEMPTS",
    "TRANSITIONS",
    "ChainStage",
    "ResStatus",
    "Resolution",
    "Resolver",
    "TickWork",
    "fit_actions",
    "fit_minutes",
]

DAY = 1440


class Resolver:
    """Resolves schedule items into actions for one agent.

    Args:
        profile: the agent.
        mode: which substitutions are on (``uses_policy``).
        settings: the loop's settings (``merged_action_chain``, ``decompose_min``).
        requests: where requests go.
        services: the policy, the embedder and its cache.
        sectors: the town's sectors with their rooms (the sector prompt's options).
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        mode: Mode,
        settings: LoopSettings,
        requests: Requests,
        services: BrainServices,
        sectors: Callable[[WorldView], dict[str, list[str]]],
    ) -> None:
        self.profile = profile
        self.mode = mode
        self.settings = settings
        self.requests = requests
        self.services = services
        self.sectors = sectors
        self.stats = ResolverStats()
        self.chain = ActionChain(
            profile=profile, requests=requests, stats=self.stats, sectors=sectors
        )
        self.resolutions: dict[tuple[int, int, int], Resolution] = {}
        self.last: PolicyDecision | None = None

    # ------------------------------------------------------------------ queries
    def get(self, key: tuple[int, int, int]) -> Resolution | None:
        return self.resolutions.get(key)

    def __iter__(self) -> Iterator[Resolution]:
        return iter(self.resolutions.values())

    def plan_key(self, res: Resolution) -> PlanKey:
        """The routine key: the activity without the agent's own name ("Marta bakes scones"
        is the same activity as "bake scones" for anyone), and the place as a symbol."""
        symbol = place_symbol(res.place, home=self.profile.home, work=self.profile.workplace)
        return PlanKey(text=_without_own_name(res.text, self.profile.name), place=symbol)

    # ------------------------------------------------------------------ driving
    def ensure(
        self, key: tuple[int, int, int], *, text: str, place: str, start: int, duration: int
    ) -> Resolution:
        res = self.resolutions.get(key)
        if res is None:
            res = Resolution(
                key=key, text=text, place=place, start=start, duration=duration, begin=start
            )
            self.resolutions[key] = res
            self._prune(key)
        return res

    def advance(self, res: Resolution, now: int, world: WorldView, work: TickWork) -> None:
        """Take the next step for ``res`` if this tick's work allows it."""
        if res.status in (ResStatus.READY, ResStatus.EMBEDDING, ResStatus.DECOMPOSING):
            return
        if res.status is ResStatus.CHAINING:
            self.chain.run(res, now, world, work)
            return
        if not work.can():
            return
        work.spend()
        policy = self.services.policy
        if res.status is ResStatus.NEW:
            if not self.mode.uses_policy or policy is None:
                res.move(ResStatus.MISS)
                self._decompose(res, now, world)
                return
            if self._lookup(res, None, now, world):
                return
            key_text = self.plan_key(res).text
            texts = policy.embedding_texts(key_text)
            vector = self.services.cached_vector(key_text)
            if vector is None or any(self.services.cached_vector(t) is None for t in texts[1:]):
                # the text and its parts in one call (the cache computes only what it lacks)
                res.move(ResStatus.EMBEDDING)
                self.requests.call(
                    CallKind.EMBED_PLAN,
                    self.services.embedder.embed,
                    list(texts),
                    then=lambda value: self._on_vector(res, value),
                    priority=Priority.HIGH,
                )
                return
            res.vector = vector
            res.move(ResStatus.LOOKUP)
            if work.limited:
                return
        if res.status is ResStatus.LOOKUP:
            assert res.vector is not None
            if not self._lookup(res, res.vector, now, world):
                self._count(res, False)
                res.move(ResStatus.MISS)
            if work.limited:
                return
        if res.status is ResStatus.MISS:
            self._decompose(res, now, world)

    def _count(self, res: Resolution, hit: bool) -> None:
        """One decided lookup of ``res`` (a hit, or a miss that leads to decomposition)."""
        row = self.stats.lookups_by_day.setdefault(res.start // DAY + 1, [0, 0])
        row[0] += int(hit)
        row[1] += 1
        if hit:
            self.stats.policy_hits += 1
        else:
            self.stats.policy_misses += 1

    def _on_vector(self, res: Resolution, value: Any) -> None:
        if isinstance(value, Failure) or value is None:
            self._count(res, False)
            res.move(ResStatus.MISS)
            return
        arr = np.asarray(value, dtype=np.float32)
        res.vector = arr[0] if arr.ndim == 2 else arr
        res.move(ResStatus.LOOKUP)

    def _lookup(self, res: Resolution, vector: Vector | None, now: int, world: WorldView) -> bool:
        policy = self.services.policy
        assert policy is not None
        decision = policy.lookup(
            plan=self.plan_key(res),
            vector=vector,
            agent=self.profile.name,
            role=self.profile.role,
            duration=res.duration,
            world=world,
            now=now,
        )
        res.reason, res.cosine = decision.reason, decision.cosine
        if not decision.hit:
            return False
        bound = [grounding.bind(a, world, self.profile, res.place) for a in decision.actions]
        if any(b is None for b in bound) or not bound:
            # every action of a hit lies in the planned place; anything else is refused
            self.stats.wrong_place_rejected += 1
            res.reason = "refused: the routine's actions are not all in the planned place"
            return False
        self.last = decision
        res.actions = tuple(b for b in bound if b is not None)
        res.source = Source.POLICY
        res.scope = decision.scope
        res.handle = decision.handle
        res.move(ResStatus.READY)
        self._count(res, True)
        self.stats.hits_by_scope[decision.scope or "?"] = (
            self.stats.hits_by_scope.get(decision.scope or "?", 0) + 1
        )
        return True

    # ------------------------------------------------------------------ decomposition
    def _decompose(self, res: Resolution, now: int, world: WorldView) -> None:
        self.stats.decompositions += 1
        if self.settings.savings.merged_action_chain:
            self.chain.ask_merged(res, now, world)
            return
        if res.duration < self.settings.decompose_min or _is_sleep(res.text):
            res.steps = [StepWork(text=res.text, minutes=res.duration)]
            res.move(ResStatus.CHAINING)
            return
        res.move(ResStatus.DECOMPOSING)
        plan_items = self._neighbours(res)
        self.requests.ask(
            Module.DECOMPOSE,
            decompose_messages(
                persona=self.profile.prompt_fields(),
                activity=res.text,
                start=format_hhmm(res.start),
                duration=res.duration,
                place=res.place,
                before=plan_items[0],
                after=plan_items[1],
                objects=self.chain.place_objects(res.place, world),
            ),
            validator=Subtasks.validate,
            parse=parsed_as(Subtasks),
            then=lambda answer: self._on_subtasks(res, answer),
            day=_day(now),
            max_tokens=700,  # up to 14 lines of 5-15 minutes for a long activity
        )

    def _neighbours(self, res: Resolution) -> tuple[str, str]:
        day, rev, idx = res.key
        before = self.resolutions.get((day, rev, idx - 1))
        after = self.resolutions.get((day, rev, idx + 1))
        return (before.text if before else "", after.text if after else "")

    def _on_subtasks(self, res: Resolution, answer: Subtasks | Failure) -> None:
        if isinstance(answer, Failure):
            items: list[tuple[str, int]] = [(res.text, res.duration)]
        else:
            items = list(answer.items)
        res.steps = [
            StepWork(text=text, minutes=minutes)
            for text, minutes in fit_minutes(items, res.duration)
        ]
        res.move(ResStatus.CHAINING)

    # ------------------------------------------------------------------ outcomes
    def failed(self, res: Resolution, target: str, now: int) -> None:
        """An action of ``res`` could not be performed (unreachable, full, gone)."""
        if res.source is Source.POLICY and res.handle is not None and not res.failed:
            policy = self.services.policy
            if policy is not None:
                policy.report_failure(res.handle, now=now, why=f"cannot use {target}")
            self.stats.routine_failures += 1
            res.failed = True
            # decompose what is left of the item afresh
            left = max(1, res.start + res.duration - now)
            res.duration, res.begin, res.start = left, now, now
            res.handle = None
            res.steps = []
            res.move(ResStatus.MISS)
            return
        res.failed = True

    def finished(self, res: Resolution, now: int, world: WorldView) -> None:
        """``res``'s item ended: store a new routine that worked, or confirm a reused one."""
        policy = self.services.policy
        if policy is None or not self.mode.uses_policy or res.failed or not res.ready:
            return
        if res.source is Source.POLICY and res.handle is not None:
            policy.report_success(res.handle, now=now)
            return
        if res.source is not Source.LLM:
            return
        key = self.plan_key(res)
        vector = res.vector if res.vector is not None else self.services.cached_vector(key.text)
        if vector is None:
            return
        home, work = self.profile.home, self.profile.workplace
        policy.store(
            plan=key,
            vector=vector,
            agent=self.profile.name,
            role=self.profile.role,
            duration=res.duration,
            actions=[
                a.with_(target=str(Address.parse(a.target).symbolise(home=home, work=work)))
                if a.target
                else a
                for a in res.actions
            ],
            now=now,
            world=world,
        )
        self.stats.stored += 1

    # ------------------------------------------------------------------ housekeeping
    def _prune(self, key: tuple[int, int, int]) -> None:
        if len(self.resolutions) > 64:
            for k in sorted(self.resolutions)[:-32]:
                if k != key and self.resolutions[k].ready:
                    del self.resolutions[k]

    def get_state(self) -> dict[str, Any]:
        return {
            "resolutions": [r.to_dict() for _, r in sorted(self.resolutions.items()) if r.ready],
            "stats": self.stats.to_dict(),
        }

    def set_state(self, state: Any) -> None:
        """Restore :meth:`get_state`'s output; its resolutions may be rows or
        :class:`Resolution` objects a load worker decoded (``decode_resolutions``)."""
        self.resolutions = {}
        for data in state.get("resolutions", []):
            res = data if isinstance(data, Resolution) else Resolution.from_dict(data)
            self.resolutions[res.key] = res
        self.stats.load(state.get("stats", {}))


def _without_own_name(text: str, name: str) -> str:
    stripped = text.strip()
    for who in (name, name.split()[0] if name.split() else name):
        if who and stripped.lower().startswith(who.lower() + " "):
            rest = stripped[len(who) :].strip()
            return rest or stripped
    return stripped


def _day(now: int) -> int:
    return now // DAY + 1


def _is_sleep(text: str) -> bool:
    lowered = text.lower()
    return "sleep" in lowered or "go to bed" in lowered
