"""The per-action chain of Generative Agents, and this project's merged chain.

For every subtask of a decomposed schedule item: the sector, then the arena, then the object
(with its verb), then the action's emoji, its event triple and the object's state, then the
object's emoji and event triple - each its own request, answered and grounded one stage at
a time (``ChainStage``, transitions in ``CHAIN_TRANSITIONS``). The ``aga`` mode's
``merged_action_chain`` saving asks one ``action_chain`` call per item instead, re-asking
with the rejected steps while grounding fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aga_npc.brain import grounding
from aga_npc.brain.answers import Choice, Steps, Text, Triple, parsed_as
from aga_npc.brain.intent import Source
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import Failure, Requests
from aga_npc.brain.resolution import (
    ChainStage,
    Resolution,
    ResolverStats,
    ResStatus,
    StepWork,
    TickWork,
)
from aga_npc.places import Address
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import WorldView
from aga_npc.prompts import (
    action_chain_messages,
    action_emoji_messages,
    action_event_messages,
    arena_messages,
    object_emoji_messages,
    object_event_messages,
    object_messages,
    object_state_messages,
    sector_messages,
)
from aga_npc.types import Action, Module

__all__ = ["MAX_CHAIN_ATTEMPTS", "ActionChain", "fit_actions", "fit_minutes"]

MAX_CHAIN_ATTEMPTS = 3
DAY = 1440


def _day(now: int) -> int:
    return now // DAY + 1


class ActionChain:
    """Runs the per-action chain (or the merged chain) for one agent's resolutions.

    Args:
        profile: the agent.
        requests: where requests go.
        stats: the resolver's counters (invalid answers, calls avoided).
        sectors: the town's sectors with their rooms (the sector prompt's options).
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        requests: Requests,
        stats: ResolverStats,
        sectors: Callable[[WorldView], dict[str, list[str]]],
    ) -> None:
        self.profile = profile
        self.requests = requests
        self.stats = stats
        self.sectors = sectors

    def run(self, res: Resolution, now: int, world: WorldView, work: TickWork) -> None:
        """Ask the next stage of every subtask that waits for nothing (one per heavy step
        when ``work`` is limited); READY once every subtask is done."""
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
        step.move(ChainStage.ARENA)

    def _on_arena(
        self, res: Resolution, step: StepWork, answer: Choice | Failure, world: WorldView
    ) -> None:
        step.waiting = 0
        text = "" if isinstance(answer, Failure) else answer.value
        arena, valid = grounding.pick_arena(text, world, step.sector, step.text, self.profile)
        if not valid:
            self.stats.invalid_actions += 1
        step.arena = arena
        step.move(ChainStage.OBJECT if arena else ChainStage.DETAILS)

    def _on_object(
        self, res: Resolution, step: StepWork, answer: Choice | Failure, world: WorldView
    ) -> None:
        step.waiting = 0
        name = "" if isinstance(answer, Failure) else answer.value
        verb = "" if isinstance(answer, Failure) else answer.verb
        obj, chosen, valid = grounding.pick_object(
            name, verb, world, step.sector, step.arena, step.text, self.profile, activity=res.text
        )
        if not valid:
            self.stats.invalid_actions += 1
        if obj is not None:
            step.target, step.obj_name, step.verb = obj.address, obj.name, chosen
        step.move(ChainStage.DETAILS)

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
            step.move(ChainStage.OBJECT_DETAILS)
        else:
            step.move(ChainStage.DONE)

    # ------------------------------------------------------------------ merged chain (aga)
    def ask_merged(self, res: Resolution, now: int, world: WorldView) -> None:
        """The merged call: steps with objects, emoji and states in one answer."""
        if res.status is not ResStatus.DECOMPOSING:
            res.move(ResStatus.DECOMPOSING)
        res.attempts += 1
        listed = self.place_objects(res.place, world)
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

    def place_objects(self, place: str, world: WorldView) -> list[dict[str, Any]]:
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
            self.fallback(res, world)
            return
        grounded = grounding.ground_chain_steps(
            answer.steps,
            world=world,
            agent=self.profile.name,
            subject=self.profile.name,
            place=res.place,
        )
        self.stats.repaired_steps += grounded.repaired
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
                self.ask_merged(res, now, world)
                return
        if not actions:
            self.fallback(res, world)
            return
        res.actions = fit_actions(actions, res.duration)
        res.source = Source.LLM
        # the valid steps of a partly valid last answer make the routine (the rejected
        # ones were counted above)
        res.failed = False
        # Generative Agents would have asked one decomposition and, per step, sector,
        # arena, object, two emoji, two triples and the object's state (its every action
        # has an object)
        self.stats.chain_calls_avoided += max(0, 1 + 8 * len(res.actions) - res.attempts)
        res.move(ResStatus.READY)

    def fallback(self, res: Resolution, world: WorldView) -> None:
        """Actions without an LLM (a failed or unusable answer)."""
        res.actions = grounding.fallback_actions(
            res.text, res.place, res.duration, world, self.profile
        )
        self.stats.grounding_fallbacks += 1
        res.source = Source.FALLBACK
        res.failed = True
        if res.status is ResStatus.MISS:
            res.move(ResStatus.DECOMPOSING)
        res.move(ResStatus.READY)


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
