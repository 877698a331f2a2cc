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

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aga_npc.brain import grounding
from aga_npc.brain.answers import Choice, Steps, Subtasks, Text, Triple, parsed_as
from aga_npc.brain.intent import Source
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import CallKind, Failure, Requests
from aga_npc.brain.services import BrainServices, HitHandle, PlanKey, PolicyDecision, Vector
from aga_npc.brain.settings import LoopSettings
from aga_npc.places import Address, place_symbol
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import WorldView
from aga_npc.prompts import (
    action_chain_messages,
    action_emoji_messages,
    action_event_messages,
    arena_messages,
    decompose_messages,
    object_emoji_messages,
    object_event_messages,
    object_messages,
    object_state_messages,
    sector_messages,
)
from aga_npc.types import Action, Module, Priority

__all__ = ["TRANSITIONS", "ChainStage", "ResStatus", "Resolution", "Resolver", "TickWork"]

MAX_CHAIN_ATTEMPTS = 3
DAY = 1440


class ResStatus(enum.StrEnum):
    NEW = "new"
    EMBEDDING = "embedding"
    LOOKUP = "lookup"
    MISS = "miss"
    DECOMPOSING = "decomposing"
    CHAINING = "chaining"
    READY = "ready"


TRANSITIONS: dict[ResStatus, frozenset[ResStatus]] = {
    ResStatus.NEW: frozenset(
        {ResStatus.EMBEDDING, ResStatus.LOOKUP, ResStatus.MISS, ResStatus.READY}
    ),
    ResStatus.EMBEDDING: frozenset({ResStatus.LOOKUP, ResStatus.MISS}),
    ResStatus.LOOKUP: frozenset({ResStatus.READY, ResStatus.MISS}),
    ResStatus.MISS: frozenset({ResStatus.DECOMPOSING, ResStatus.CHAINING, ResStatus.READY}),
    ResStatus.DECOMPOSING: frozenset({ResStatus.DECOMPOSING, ResStatus.CHAINING, ResStatus.READY}),
    ResStatus.CHAINING: frozenset({ResStatus.READY}),
    ResStatus.READY: frozenset({ResStatus.MISS}),
}


class ChainStage(enum.StrEnum):
    SECTOR = "sector"
    ARENA = "arena"
    OBJECT = "object"
    DETAILS = "details"
    OBJECT_DETAILS = "object_details"
    DONE = "done"


@dataclass(slots=True)
class TickWork:
    """One tick's allowance of heavy steps (a policy lookup, a prompt built, an answer
    handled): unlimited in the headless simulation, one in a real-time frame loop."""

    limited: bool = False
    spent: bool = False

    def can(self) -> bool:
        return not (self.limited and self.spent)

    def spend(self) -> None:
        self.spent = True


@dataclass(slots=True)
class StepWork:
    """One subtask on its way through the per-action chain."""

    text: str
    minutes: int
    stage: ChainStage = ChainStage.SECTOR
    waiting: int = 0
    sector: str = ""
    arena: str = ""
    target: str = ""
    obj_name: str = ""
    verb: str = ""
    emoji: str = ""
    event: tuple[str, ...] = ()
    state: str = ""
    obj_emoji: str = ""
    obj_event: tuple[str, ...] = ()

    def action(self) -> Action:
        return Action(
            verb=self.verb or "think",
            target=self.target,
            duration=max(1, self.minutes),
            description=self.text,
            emoji=self.emoji,
            event=self.event,
            object_state=self.state,
            object_emoji=self.obj_emoji,
            object_event=self.obj_event,
        )


@dataclass(slots=True)
class Resolution:
    """How one schedule item gets its actions."""

    key: tuple[int, int, int]  # (day, plan revision, item index)
    text: str
    place: str  # the planned place (a real sector)
    start: int  # absolute game minute the item starts
    duration: int
    status: ResStatus = ResStatus.NEW
    begin: int = 0  # absolute minute the actions are timed from
    actions: tuple[Action, ...] = ()
    source: Source = Source.WAITING
    reason: str = ""
    cosine: float = 0.0
    scope: str = ""
    handle: HitHandle | None = None
    vector: Vector | None = None
    steps: list[StepWork] = field(default_factory=list)
    attempts: int = 0
    forbidden: list[str] = field(default_factory=list)
    failed: bool = False
    invalid: int = 0

    def move(self, status: ResStatus) -> None:
        if status not in TRANSITIONS[self.status]:
            raise RuntimeError(f"illegal resolution transition {self.status} -> {status}")
        self.status = status

    @property
    def ready(self) -> bool:
        return self.status is ResStatus.READY

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "text": self.text,
            "place": self.place,
            "start": self.start,
            "duration": self.duration,
            "begin": self.begin,
            "actions": [a.to_dict() for a in self.actions],
            "source": self.source.value,
            "reason": self.reason,
            "cosine": self.cosine,
            "scope": self.scope,
            "handle": [self.handle.entry, self.handle.variant] if self.handle else None,
            "failed": self.failed,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Resolution:
        handle = data.get("handle")
        return cls(
            key=(int(data["key"][0]), int(data["key"][1]), int(data["key"][2])),
            text=str(data["text"]),
            place=str(data["place"]),
            start=int(data["start"]),
            duration=int(data["duration"]),
            status=ResStatus.READY,
            begin=int(data.get("begin", data["start"])),
            actions=tuple(Action.from_dict(a) for a in data["actions"]),
            source=Source(data["source"]),
            reason=str(data.get("reason", "")),
            cosine=float(data.get("cosine", 0.0)),
            scope=str(data.get("scope", "")),
            handle=HitHandle(entry=int(handle[0]), variant=int(handle[1])) if handle else None,
            failed=bool(data.get("failed", False)),
        )


@dataclass(slots=True)
class ResolverStats:
    """Counters the report and the overlay read."""

    policy_hits: int = 0
    policy_misses: int = 0
    hits_by_scope: dict[str, int] = field(default_factory=dict)
    lookups_by_day: dict[int, list[int]] = field(default_factory=dict)  # day -> [hits, lookups]
    decompositions: int = 0
    invalid_actions: int = 0
    stored: int = 0
    routine_failures: int = 0
    wrong_place_rejected: int = 0
    chain_calls_avoided: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_hits": self.policy_hits,
            "policy_misses": self.policy_misses,
            "hits_by_scope": dict(self.hits_by_scope),
            "lookups_by_day": {str(d): list(v) for d, v in sorted(self.lookups_by_day.items())},
            "decompositions": self.decompositions,
            "invalid_actions": self.invalid_actions,
            "stored": self.stored,
            "routine_failures": self.routine_failures,
            "wrong_place_rejected": self.wrong_place_rejected,
            "chain_calls_avoided": self.chain_calls_avoided,
        }

    def load(self, data: Any) -> None:
        for name in (
            "policy_hits",
            "policy_misses",
            "decompositions",
            "invalid_actions",
            "stored",
            "routine_failures",
            "wrong_place_rejected",
            "chain_calls_avoided",
        ):
            setattr(self, name, int(data.get(name, 0)))
        self.hits_by_scope = {
            str(k): int(v) for k, v in dict(data.get("hits_by_scope", {})).items()
        }
        self.lookups_by_day = {
            int(d): [int(hits), int(lookups)]
            for d, (hits, lookups) in dict(data.get("lookups_by_day", {})).items()
        }


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
            self._chain(res, now, world, work)
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
            vector = self.services.cached_vector(key_text)
            if vector is None:
                res.move(ResStatus.EMBEDDING)
                self.requests.call(
                    CallKind.EMBED_PLAN,
                    self.services.embedder.embed,
                    [key_text],
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
            self._ask_chain_merged(res, now, world)
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
                objects=self._place_objects(res.place, world),
            ),
            validator=Subtasks.validate,
            parse=parsed_as(Subtasks),
            then=lambda answer: self._on_subtasks(res, answer),
            day=_day(now),
            max_tokens=400,
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

    # ------------------------------------------------------------------ per-action chain
    def _chain(self, res: Resolution, now: int, world: WorldView, work: TickWork) -> None:
        for step in res.steps:
            if step.waiting or step.stage is ChainStage.DONE:
                continue
            if not work.can():
                return
            work.spend()
            self._ask_stage(res, step, now, world)
        if all(s.stage is ChainStage.DONE for s in res.steps):
            res.actions = tuple(s.action() for s in res.steps)
            res.source = Source.LLM
            res.move(ResStatus.READY)

    def _ask_stage(self, res: Resolution, step: StepWork, now: int, world: WorldView) -> None:
        persona = self.profile.prompt_fields()
        day = _day(now)
        name = self.profile.name
        if step.stage is ChainStage.SECTOR:
            here = world.agent_place(name)
            options = self.sectors(world)
            step.waiting = 1
            self.requests.ask(
                Module.ACTION_SECTOR,
                sector_messages(
                    persona=persona,
                    activity=res.text,
                    subtask=step.text,
                    planned_place=res.place,
                    current=here[0] if here else "",
                    sectors=options,
                ),
                validator=Choice.sector,
                parse=parsed_as(Choice),
                then=lambda a: self._on_sector(res, step, a, world),
                day=day,
                max_tokens=30,
            )
        elif step.stage is ChainStage.ARENA:
            step.waiting = 1
            self.requests.ask(
                Module.ACTION_ARENA,
                arena_messages(
                    persona=persona,
                    activity=res.text,
                    subtask=step.text,
                    sector=step.sector,
                    arenas=grounding.arena_options(world, step.sector, self.profile),
                ),
                validator=Choice.arena,
                parse=parsed_as(Choice),
                then=lambda a: self._on_arena(res, step, a, world),
                day=day,
                max_tokens=30,
            )
        elif step.stage is ChainStage.OBJECT:
            objects = grounding.object_options(world, step.sector, step.arena, self.profile)
            step.waiting = 1
            self.requests.ask(
                Module.ACTION_OBJECT,
                object_messages(
                    persona=persona,
                    activity=res.text,
                    subtask=step.text,
                    where=f"{step.sector}:{step.arena}",
                    objects=[
                        {"name": o.name, "kind": o.kind, "verbs": list(o.affordances)}
                        for o in objects
                    ],
                ),
                validator=Choice.object,
                parse=parsed_as(Choice),
                then=lambda a: self._on_object(res, step, a, world),
                day=day,
                max_tokens=40,
            )
        elif step.stage is ChainStage.DETAILS:
            step.waiting = 3 if step.target else 2
            self.requests.ask(
                Module.ACTION_EMOJI,
                action_emoji_messages(subtask=step.text),
                json=False,
                parse=Text.read,
                then=lambda a: self._on_detail(step, "emoji", a),
                day=day,
                max_tokens=10,
            )
            self.requests.ask(
                Module.ACTION_EVENT,
                action_event_messages(name=name, subtask=step.text),
                validator=Triple.validate,
                parse=parsed_as(Triple),
                then=lambda a: self._on_detail(step, "event", a),
                day=day,
                max_tokens=40,
            )
            if step.target:
                self.requests.ask(
                    Module.OBJECT_STATE,
                    object_state_messages(name=name, subtask=step.text, obj=step.obj_name),
                    validator=Text.state,
                    parse=parsed_as(Text),
                    then=lambda a: self._on_detail(step, "state", a),
                    day=day,
                    max_tokens=30,
                )
        elif step.stage is ChainStage.OBJECT_DETAILS:
            step.waiting = 2
            state = step.state or "in use"
            self.requests.ask(
                Module.OBJECT_EMOJI,
                object_emoji_messages(obj=step.obj_name, state=state),
                json=False,
                parse=Text.read,
                then=lambda a: self._on_detail(step, "obj_emoji", a),
                day=day,
                max_tokens=10,
            )
            self.requests.ask(
                Module.OBJECT_EVENT,
                object_event_messages(obj=step.obj_name, state=state),
                validator=Triple.validate,
                parse=parsed_as(Triple),
                then=lambda a: self._on_detail(step, "obj_event", a),
                day=day,
                max_tokens=40,
            )

    def _on_sector(
        self, res: Resolution, step: StepWork, answer: Choice | Failure, world: WorldView
    ) -> None:
        step.waiting = 0
        text = "" if isinstance(answer, Failure) else answer.value
        sector, valid = grounding.pick_sector(text, self.sectors(world), res.place)
        if not valid:
            self.stats.invalid_actions += 1
        step.sector = sector
        step.stage = ChainStage.ARENA

    def _on_arena(
        self, res: Resolution, step: StepWork, answer: Choice | Failure, world: WorldView
    ) -> None:
        step.waiting = 0
        text = "" if isinstance(answer, Failure) else answer.value
        arena, valid = grounding.pick_arena(text, world, step.sector, step.text, self.profile)
        if not valid:
            self.stats.invalid_actions += 1
        step.arena = arena
        step.stage = ChainStage.OBJECT if arena else ChainStage.DETAILS

    def _on_object(
        self, res: Resolution, step: StepWork, answer: Choice | Failure, world: WorldView
    ) -> None:
        step.waiting = 0
        name = "" if isinstance(answer, Failure) else answer.value
        verb = "" if isinstance(answer, Failure) else answer.verb
        obj, chosen, valid = grounding.pick_object(
            name, verb, world, step.sector, step.arena, step.text, self.profile
        )
        if not valid:
            self.stats.invalid_actions += 1
        if obj is not None:
            step.target, step.obj_name, step.verb = obj.address, obj.name, chosen
        step.stage = ChainStage.DETAILS

    def _on_detail(self, step: StepWork, what: str, answer: Any) -> None:
        step.waiting -= 1
        if not isinstance(answer, Failure):
            if what == "emoji":
                step.emoji = answer.text[:8]
            elif what == "event":
                step.event = answer.as_tuple()
            elif what == "state":
                step.state = answer.text
            elif what == "obj_emoji":
                step.obj_emoji = answer.text[:8]
            elif what == "obj_event":
                step.obj_event = answer.as_tuple()
        if step.waiting:
            return
        if step.stage is ChainStage.DETAILS and step.target:
            step.stage = ChainStage.OBJECT_DETAILS
        else:
            step.stage = ChainStage.DONE

    # ------------------------------------------------------------------ merged chain (aga)
    def _ask_chain_merged(self, res: Resolution, now: int, world: WorldView) -> None:
        if res.status is not ResStatus.DECOMPOSING:
            res.move(ResStatus.DECOMPOSING)
        res.attempts += 1
        listed = self._place_objects(res.place, world)
        self.requests.ask(
            Module.ACTION_CHAIN,
            action_chain_messages(
                persona=self.profile.prompt_fields(),
                activity=res.text,
                duration=res.duration,
                place=res.place,
                time=format_hhmm(res.start),
                objects=listed,
                forbidden=res.forbidden,
            ),
            validator=Steps.validate,
            parse=parsed_as(Steps),
            then=lambda answer: self._on_merged(res, answer, now, world),
            day=_day(now),
            max_tokens=500,
        )

    def _place_objects(self, place: str, world: WorldView) -> list[dict[str, Any]]:
        """The objects of the planned place as prompt lines (other people's beds left out)."""
        return [
            {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
            for o in world.objects(sector=place)
            if not (o.kind == "bed" and self.profile.bed and o.address != self.profile.bed)
        ]

    def _on_merged(
        self, res: Resolution, answer: Steps | Failure, now: int, world: WorldView
    ) -> None:
        if isinstance(answer, Failure):
            self._fallback(res, world)
            return
        grounded = grounding.ground_chain_steps(
            answer.steps, world=world, agent=self.profile.name, subject=self.profile.name
        )
        wrong_place = [
            a for a in grounded.actions if a.target and Address.parse(a.target).sector != res.place
        ]
        rejected = list(grounded.rejected) + [
            f"{a.verb} on {a.target}: not in {res.place}" for a in wrong_place
        ]
        actions = [a for a in grounded.actions if a not in wrong_place]
        if rejected:
            self.stats.invalid_actions += len(rejected)
            res.forbidden.extend(rejected)
            if res.attempts < MAX_CHAIN_ATTEMPTS:
                self._ask_chain_merged(res, now, world)
                return
        if not actions:
            self._fallback(res, world)
            return
        res.actions = fit_actions(actions, res.duration)
        res.source = Source.LLM
        res.failed = bool(rejected)
        # Generative Agents would have asked one decomposition and, per step, sector,
        # arena, object, two emoji, two triples and the object's state (its every action
        # has an object)
        self.stats.chain_calls_avoided += max(0, 1 + 8 * len(res.actions) - res.attempts)
        res.move(ResStatus.READY)

    def _fallback(self, res: Resolution, world: WorldView) -> None:
        res.actions = grounding.fallback_actions(
            res.text, res.place, res.duration, world, self.profile
        )
        res.source = Source.FALLBACK
        res.failed = True
        if res.status is ResStatus.MISS:
            res.move(ResStatus.DECOMPOSING)
        res.move(ResStatus.READY)

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
        self.resolutions = {}
        for data in state.get("resolutions", []):
            res = Resolution.from_dict(data)
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


def fit_minutes(items: Sequence[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    """Rescale subtask minutes so they sum to ``total`` (each at least 1; largest
    remainder rounding keeps the sum exact and the result deterministic)."""
    if not items:
        return []
    total = max(total, len(items))
    weights = [max(1, m) for _, m in items]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    floors = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    i = 0
    while sum(floors) < total:
        floors[order[i % len(order)]] += 1
        i += 1
    while sum(floors) > total:
        j = max(range(len(floors)), key=lambda k: (floors[k], -k))
        if floors[j] <= 1:
            break
        floors[j] -= 1
    return [(text, m) for (text, _), m in zip(items, floors, strict=True)]


def fit_actions(actions: Sequence[Action], total: int) -> tuple[Action, ...]:
    """Actions with durations rescaled to sum to ``total``."""
    fitted = fit_minutes([(str(i), a.duration) for i, a in enumerate(actions)], total)
    return tuple(a.with_(duration=m) for a, (_, m) in zip(actions, fitted, strict=True))
