"""NpcBrain: the per-NPC AGA brain. ``tick()`` is pure and non-blocking; work is requested.

Lifecycle (explicit state machine, ``BrainState``)::

    STARTING -> PLANNING -> RESOLVING <-> ACTING
                   ^            |           |
                   +------------+-----------+   (a new day needs a new plan)
    any state -> TALKING -> (back to what it was doing)

While anything is pending the NPC keeps its current action, or an idle fallback that fits
the place (sleep in its own bed at night, stay put inside a room, walk to somewhere to sit
when standing in the street). Actions for the next activity are resolved ahead of time, so
at an activity boundary the NPC usually has its actions ready.
"""

from __future__ import annotations

import enum
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aga_npc.brain.intent import Intent, IntentKind, Perception, Source
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import WEEKDAYS, AgentProfile
from aga_npc.brain.services import BrainServices, TicketLike, Vector
from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.planning.decompose import (
    fit_durations,
    ground_steps,
    symbolise_target,
    validate_decompose_json,
)
from aga_npc.planning.schedule import DailyPlan, format_hhmm, parse_plan, validate_plan_json
from aga_npc.ports import WorldView
from aga_npc.prompts import decompose_messages, plan_day_messages
from aga_npc.types import Action, LLMRequest, Module, Priority

__all__ = ["BrainState", "NpcBrain"]

DAY = 1440
PLAN_AHEAD_MINUTE = 3 * 60  # request the day's plan at 03:00 (while asleep)
MAX_DECOMPOSE_ATTEMPTS = 3
RECENT_EVENTS = 12


_NO_CHAT_VERBS = frozenset(
    {"sleep", "nap", "shower", "use toilet", "wash", "brush teeth", "teach", "lecture"}
)


class BrainState(enum.StrEnum):
    STARTING = "starting"
    PLANNING = "planning"
    RESOLVING = "resolving"
    ACTING = "acting"
    TALKING = "talking"


_TRANSITIONS: dict[BrainState, frozenset[BrainState]] = {
    BrainState.STARTING: frozenset({BrainState.PLANNING, BrainState.TALKING}),
    BrainState.PLANNING: frozenset({BrainState.RESOLVING, BrainState.ACTING, BrainState.TALKING}),
    BrainState.RESOLVING: frozenset(
        {BrainState.ACTING, BrainState.PLANNING, BrainState.TALKING, BrainState.RESOLVING}
    ),
    BrainState.ACTING: frozenset(
        {BrainState.RESOLVING, BrainState.PLANNING, BrainState.TALKING, BrainState.ACTING}
    ),
    BrainState.TALKING: frozenset(
        {BrainState.PLANNING, BrainState.RESOLVING, BrainState.ACTING, BrainState.STARTING}
    ),
}


@dataclass(slots=True)
class _Resolution:
    """How one activity of the plan gets its actions."""

    key: tuple[int, int]  # (plan day, activity index)
    text: str
    place: str
    duration: int
    status: str = "new"  # new, embedding, lookup, miss, decomposing, ready
    actions: tuple[Action, ...] = ()
    source: Source = Source.WAITING
    reason: str = ""
    cosine: float = 0.0
    attempts: int = 0
    forbidden: list[str] = field(default_factory=list)
    vector: Vector | None = None
    failed: bool = False
    done_ok: int = 0


@dataclass(slots=True)
class _Pending:
    purpose: str
    ticket: TicketLike
    meta: dict[str, Any] = field(default_factory=dict)


class NpcBrain:
    """One NPC's brain.

    Args:
        profile: the NPC's fixed facts.
        mode: which AGA features are on.
        services: gateway, embedder, policy (injected).
        seed: seeds the brain's own random choices (idle picks, chat openings).
        mind: the memory and social side (a fresh one when None).
        per_tick_limit: at most this many finished requests handled, and new
            observations taken, per tick (None: all). A real-time host sets 1 so that one
            tick stays short; the rest waits for the brain's next tick. When set, a tick
            also does at most one heavy step (handling answers, a policy lookup, building
            a prompt, storing a routine); the next one waits for a later tick.
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        mode: Mode,
        services: BrainServices,
        seed: int = 0,
        mind: Mind | None = None,
        per_tick_limit: int | None = None,
    ) -> None:
        if per_tick_limit is not None and per_tick_limit < 1:
            raise ValueError(f"per_tick_limit must be >= 1 or None, got {per_tick_limit}")
        self.profile = profile
        self.per_tick_limit = per_tick_limit
        self._worked = False  # this tick did its heavy step (see _defer)
        self.mode = mode
        self.services = services
        self.rng = random.Random(f"{seed}:{profile.name}")
        self.mind = mind if mind is not None else Mind(profile=profile, mode=mode)
        self.state = BrainState.STARTING
        self.plans: dict[int, DailyPlan] = {}
        self.resolutions: dict[tuple[int, int], _Resolution] = {}
        self.pending: list[_Pending] = []
        self.invitations: list[dict[str, Any]] = []
        self.current: tuple[int, int] | None = None
        self.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)
        self.talk_partner = ""
        self.last_reason = ""
        self.last_cosine = 0.0
        self.stats: dict[str, int] = {
            "llm_calls": 0,
            "tokens": 0,
            "tokens_saved": 0,
            "policy_hits": 0,
            "policy_misses": 0,
            "decompositions": 0,
            "invalid_actions": 0,
            "failed_actions": 0,
            "actions": 0,
            "stored": 0,
        }
        self.activity_log: list[tuple[int, str, str]] = []
        self.recent: deque[str] = deque(maxlen=RECENT_EVENTS)
        self._decompose_tokens = deque([900], maxlen=20)
        self._plan_requested: set[int] = set()
        self.unresolved_by_day: dict[int, int] = {}

    # ------------------------------------------------------------------ main entry
    def tick(self, now: int, perception: Perception) -> Intent:
        """Advance the brain to game minute ``now``; return what the body should do.

        Budget: microseconds. Pure with respect to I/O: it only polls tickets, submits
        requests and reads the world view.
        """
        self._worked = False
        self._poll(now, perception.world)
        if perception.failed:
            self._note_failure(perception.failed)
        if perception.nearby and perception.place is not None:
            self.mind.observe(
                now, perception.nearby, perception.place[0], limit=self.per_tick_limit
            )
        self.mind.tick(now, self)
        if self.state is BrainState.TALKING:
            self.intent = Intent(
                kind=IntentKind.TALK,
                partner=self.talk_partner,
                description=f"talking with {self.talk_partner}",
                activity=self.intent.activity,
                source=Source.TALK,
            )
            return self.intent
        day, mod = divmod(now, DAY)
        day += 1
        self._ensure_plan(day, mod, now)
        key = self._activity_key(day, mod)
        if key is None:
            self._set_state(BrainState.PLANNING if day not in self.plans else BrainState.RESOLVING)
            self.intent = self._fallback(now, perception)
            return self.intent
        if key != self.current:
            self._finish_activity(now, perception.world)
            self.current = key
            plan = self.plans[key[0]]
            act = plan.activities[key[1]]
            self.activity_log.append((now, act.text, act.place))
            self.mind.on_activity(now, act.text, act.place)
        self._resolve(key, now, perception.world)
        nxt = self._next_key(key)
        if nxt is not None:
            self._resolve(nxt, now, perception.world)
        res = self.resolutions[key]
        if res.status != "ready":
            self._set_state(BrainState.RESOLVING)
            self.intent = self._fallback(now, perception, waiting=True, activity=res.text)
            return self.intent
        self._set_state(BrainState.ACTING)
        self.intent = self._act(res, now, perception)
        return self.intent

    # ------------------------------------------------------------------ conversation hooks
    def available_for_chat(self) -> bool:
        """Whether another agent may start a conversation with this one now.

        Not while talking, asleep, in the bathroom or teaching; a barista at the counter or
        someone eating, reading or walking can be talked to, as in Generative Agents.
        """
        if self.state is BrainState.TALKING:
            return False
        intent = self.intent
        return not (intent.verb in _NO_CHAT_VERBS or "sleep" in intent.activity.lower())

    def begin_talk(self, partner: str) -> None:
        self.talk_partner = partner
        self._set_state(BrainState.TALKING)

    def end_talk(self) -> None:
        self.talk_partner = ""
        self._set_state(BrainState.ACTING if self.current is not None else BrainState.PLANNING)

    def add_invitation(self, invitation: Mapping[str, Any]) -> None:
        """An agreed plan from a conversation; it goes into the next daily plan."""
        self.invitations.append(dict(invitation))

    # ------------------------------------------------------------------ planning
    def _ensure_plan(self, day: int, mod: int, now: int) -> None:
        want = day if (day not in self.plans) else None
        if want is None and mod >= PLAN_AHEAD_MINUTE and (day + 1) not in self.plans:
            want = day + 1 if mod >= 22 * 60 else None
        if want is None or want in self._plan_requested or self._defer():
            return
        self._worked = True
        if want == day and self.state is BrainState.STARTING:
            self._set_state(BrainState.PLANNING)
        self._plan_requested.add(want)
        weekday = WEEKDAYS[(want - 1) % 7]
        invitations = [i for i in self.invitations if int(i.get("day", want)) == want]
        messages = plan_day_messages(
            persona=self.profile.prompt_fields(),
            day={"day": want, "weekday": weekday, "is_work_day": self.profile.is_work_day(want)},
            memories=self.mind.planning_memories(now, self.rng),
            invitations=[{k: v for k, v in i.items() if k != "day"} for i in invitations],
            places=self.mind.known_places(),
        )
        request = LLMRequest(
            agent=self.profile.name,
            module=Module.PLAN_DAY,
            messages=messages,
            json=True,
            validator=validate_plan_json,
            priority=Priority.HIGH,
            allow_fallback=True,
            max_tokens=900,
        )
        self._submit("plan_day", request, day=want)

    def _activity_key(self, day: int, mod: int) -> tuple[int, int] | None:
        plan = self.plans.get(day)
        if plan is not None:
            idx = plan.activity_at(mod)
            if idx is not None:
                return (day, idx)
        prev = self.plans.get(day - 1)
        if prev is not None:
            idx = prev.activity_at(mod + DAY)
            if idx is not None and (plan is None or mod < plan.wake_up):
                return (day - 1, idx)
        return None

    def _next_key(self, key: tuple[int, int]) -> tuple[int, int] | None:
        plan = self.plans[key[0]]
        if key[1] + 1 < len(plan.activities):
            return (key[0], key[1] + 1)
        return None

    # ------------------------------------------------------------------ resolution
    def _resolve(self, key: tuple[int, int], now: int, world: WorldView) -> None:
        res = self.resolutions.get(key)
        if res is None:
            act = self.plans[key[0]].activities[key[1]]
            res = _Resolution(key=key, text=act.text, place=act.place, duration=act.duration)
            self.resolutions[key] = res
            self._prune_resolutions(key)
        if res.status in ("lookup", "miss") and not self._defer():
            if res.status == "lookup" and res.vector is not None:
                self._lookup(res, res.vector, now, world)
            else:
                self._request_decompose(res, now, world)
            return
        if res.status != "new" or self._defer():
            return
        policy = self.services.policy
        if self.mode.uses_policy and policy is not None:
            text = self._policy_text(res)
            vector = self.services.cached_vector(text)
            if vector is None:
                res.status = "embedding"
                ticket = self.services.requests.submit_call(
                    self.services.embedder.embed,
                    [text],
                    agent=self.profile.name,
                    kind="embed",
                    priority=Priority.HIGH,
                )
                self.pending.append(_Pending("embed", ticket, {"key": key}))
                return
            self._lookup(res, vector, now, world)
            return
        self._request_decompose(res, now, world)

    def _policy_text(self, res: _Resolution) -> str:
        """The plan text the policy embeds: the activity and where it happens."""
        where = symbolise_target(
            f"{res.place}:x:x", home=self.profile.home, work=self.profile.workplace
        ).split(":", 1)[0]
        label = {"@home": "at home", "@work": "at work"}.get(where, f"at {where}")
        return f"{res.text} ({label})"

    def _lookup(self, res: _Resolution, vector: Vector, now: int, world: WorldView) -> None:
        policy = self.services.policy
        assert policy is not None
        res.vector = vector
        self._worked = True
        decision = policy.lookup(
            plan=self._policy_text(res),
            vector=vector,
            agent=self.profile.name,
            role=self.profile.role,
            duration=res.duration,
            world=world,
            now=now,
        )
        res.reason = decision.reason
        res.cosine = decision.cosine
        self.last_reason, self.last_cosine = decision.reason, decision.cosine
        if decision.hit:
            res.actions = tuple(self._bind(a, world) for a in decision.actions)
            res.source = Source.POLICY
            res.status = "ready"
            self.stats["policy_hits"] += 1
            self.stats["tokens_saved"] += int(np.mean(self._decompose_tokens))
            return
        self.stats["policy_misses"] += 1
        if self.per_tick_limit is not None:
            res.status = "miss"  # the prompt is built on a later tick
            return
        self._request_decompose(res, now, world)

    def _defer(self) -> bool:
        """Whether a heavy step waits for a later tick: with ``per_tick_limit``, a tick
        does one (an answer handled, a policy lookup, a prompt built, a routine stored)."""
        return self.per_tick_limit is not None and self._worked

    def _request_decompose(self, res: _Resolution, now: int, world: WorldView) -> None:
        self._worked = True
        res.status = "decomposing"
        res.attempts += 1
        objects = self.mind.objects_for(world, res.place)
        messages = decompose_messages(
            persona=self.profile.prompt_fields(),
            activity=res.text,
            duration=res.duration,
            place=res.place,
            time=format_hhmm(self.plans[res.key[0]].activities[res.key[1]].start),
            objects=objects,
            forbidden=res.forbidden,
        )
        request = LLMRequest(
            agent=self.profile.name,
            module=Module.DECOMPOSE,
            messages=messages,
            json=True,
            validator=validate_decompose_json,
            priority=Priority.NORMAL,
            allow_fallback=True,
            max_tokens=500,
        )
        self._submit("decompose", request, key=res.key)

    def _on_decompose(self, res: _Resolution, parsed: Any, world: WorldView, now: int) -> None:
        grounding = ground_steps(parsed, world=world, agent=self.profile.name)
        if grounding.rejected:
            self.stats["invalid_actions"] += len(grounding.rejected)
            res.forbidden.extend(grounding.rejected)
            if res.attempts < MAX_DECOMPOSE_ATTEMPTS:
                self._request_decompose(res, now, world)
                return
        if not grounding.actions:
            res.actions = self._fallback_actions(res, world)
            res.source = Source.FALLBACK
            res.failed = True
            self.unresolved_by_day[res.key[0]] = self.unresolved_by_day.get(res.key[0], 0) + 1
        else:
            res.actions = fit_durations(grounding.actions, res.duration)
            res.source = Source.LLM
            res.failed = bool(grounding.rejected)
        res.status = "ready"
        self.stats["decompositions"] += 1

    def _fallback_actions(self, res: _Resolution, world: WorldView) -> tuple[Action, ...]:
        """Actions without an LLM when none can be had: sleep in the own bed, work at the
        workplace, else sit somewhere at the planned place (or just think there)."""
        text = res.text.lower()
        if self.profile.bed and any(w in text for w in ("sleep", "bed", "nap")):
            return (
                Action(
                    verb="sleep",
                    target=self.profile.bed,
                    duration=res.duration,
                    description="sleeping",
                ),
            )
        wanted: tuple[str, ...] = ("work", "serve", "study", "sit", "rest", "read")
        if res.place != self.profile.workplace:
            wanted = ("sit", "rest", "read", "eat", "work")
        for verb in wanted:
            for obj in world.objects(sector=res.place):
                if (
                    verb in obj.affordances
                    and obj.kind != "bed"
                    and obj.free_capacity > 0
                    and world.is_reachable(self.profile.name, obj.address)
                ):
                    return (
                        Action(
                            verb=verb,
                            target=obj.address,
                            duration=res.duration,
                            description=res.text,
                        ),
                    )
        return (Action(verb="think", duration=res.duration, description=res.text),)

    def _bind(self, action: Action, world: WorldView) -> Action:
        """Resolve a stored action for this agent, here and now.

        Place symbols resolve to the agent's own home/workplace; a bed means the agent's
        own bed; an object that is taken, or that does not exist under that name in this
        agent's arena (another home names its sinks differently), is replaced by a free
        object of the same arena that affords the verb (of the same kind when known).
        """
        if not action.target:
            return action
        sector, arena, name = action.target.split(":", 2)
        real = world.resolve_sector(self.profile.name, sector) or sector
        address = f"{real}:{arena}:{name}"
        info = world.object_at(address)
        if self.profile.bed and (
            (info is not None and info.kind == "bed") or (info is None and action.verb == "sleep")
        ):
            address = self.profile.bed  # beds are personal: a routine means one's own bed
            info = world.object_at(address)
        if info is not None and (info.free_capacity > 0 or self.profile.name in info.occupants):
            return _with_target(action, address)
        candidates = [
            o
            for o in world.objects(sector=real, arena=arena)
            if action.verb in o.affordances and (info is None or o.kind == info.kind)
        ]
        free = [o for o in candidates if o.free_capacity > 0]
        if free:
            return _with_target(action, free[0].address)
        if info is None and candidates:
            return _with_target(action, candidates[0].address)
        return _with_target(action, address)

    # ------------------------------------------------------------------ acting
    def _act(self, res: _Resolution, now: int, perception: Perception) -> Intent:
        plan = self.plans[res.key[0]]
        act = plan.activities[res.key[1]]
        start = act.start + (res.key[0] - 1) * DAY
        elapsed = now - start
        offset = 0
        current = res.actions[-1]
        until = start + act.duration
        for action in res.actions:
            if elapsed < offset + action.duration:
                current = action
                until = start + offset + action.duration
                break
            offset += action.duration
        target, kind = current.target, IntentKind.USE
        if not target:
            # an action on no object still happens at the activity's place: stay there, or
            # walk to a spot in it first
            here = perception.place[0] if perception.place is not None else ""
            if res.place and here != res.place:
                target = self.mind.anchor(perception.world, res.place, self.profile.name)
            if not target:
                kind = IntentKind.STAY
        intent = Intent(
            kind=kind,
            target=target,
            verb=current.verb,
            description=current.description,
            activity=res.text,
            until=until,
            source=res.source,
        )
        if intent.target != self.intent.target or intent.verb != self.intent.verb:
            self.stats["actions"] += 1
        return intent

    def _note_failure(self, target: str) -> None:
        self.stats["failed_actions"] += 1
        if self.current is not None:
            res = self.resolutions.get(self.current)
            if res is not None:
                res.failed = True

    def _finish_activity(self, now: int, world: WorldView) -> None:
        """Store a successfully executed, LLM-decomposed routine in the Lifestyle Policy."""
        if self.current is None:
            return
        res = self.resolutions.get(self.current)
        policy = self.services.policy
        if (
            res is None
            or res.failed
            or res.source is not Source.LLM
            or policy is None
            or not self.mode.uses_policy
        ):
            return
        text = self._policy_text(res)
        vector = res.vector if res.vector is not None else self.services.cached_vector(text)
        if vector is None:
            return
        policy.store(
            plan=text,
            vector=vector,
            agent=self.profile.name,
            role=self.profile.role,
            duration=res.duration,
            actions=[
                Action(
                    verb=a.verb,
                    target=symbolise_target(
                        a.target, home=self.profile.home, work=self.profile.workplace
                    ),
                    duration=a.duration,
                    description=a.description,
                )
                for a in res.actions
            ],
            now=now,
            world=world,
        )
        self._worked = True
        self.stats["stored"] += 1

    def _fallback(
        self, now: int, perception: Perception, *, waiting: bool = False, activity: str = ""
    ) -> Intent:
        """Idle behaviour that fits the place while nothing better is known."""
        mod = now % DAY
        night = mod >= self.profile.sleep or mod < self.profile.wake
        source = Source.WAITING if waiting else Source.FALLBACK
        if night and self.profile.bed:
            return Intent(
                kind=IntentKind.USE,
                target=self.profile.bed,
                verb="sleep",
                description="sleeping",
                activity=activity or "sleep",
                until=now + 1,
                source=source,
            )
        if perception.place is not None:
            keep = self.intent
            if keep.kind is IntentKind.USE and keep.target:
                return Intent(
                    kind=keep.kind,
                    target=keep.target,
                    verb=keep.verb,
                    description=keep.description,
                    activity=activity or keep.activity,
                    until=now + 1,
                    source=source,
                )
            return Intent(
                kind=IntentKind.STAY,
                description="thinking about what to do next",
                activity=activity,
                until=now + 1,
                source=source,
            )
        seat = self.mind.nearest_seat(perception.world, self.profile)
        return Intent(
            kind=IntentKind.USE if seat else IntentKind.STAY,
            target=seat,
            verb="sit" if seat else "",
            description="taking a seat while thinking",
            activity=activity,
            until=now + 1,
            source=source,
        )

    # ------------------------------------------------------------------ requests
    def _submit(self, purpose: str, request: LLMRequest, **meta: Any) -> None:
        ticket = self.services.requests.submit(request)
        self.pending.append(_Pending(purpose, ticket, dict(meta)))

    def submit_aux(
        self,
        purpose: str,
        request: LLMRequest,
        handler: Callable[[Any], None],
    ) -> None:
        """Submit a request whose result goes to ``handler(result)`` (mind, social)."""
        ticket = self.services.requests.submit(request)
        self.pending.append(_Pending(purpose, ticket, {"handler": handler}))

    def submit_call_aux(
        self,
        purpose: str,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        handler: Callable[[Any], None],
    ) -> None:
        """Run ``fn(*args)`` through the runtime; ``handler(call_result)`` gets the outcome."""
        ticket = self.services.requests.submit_call(
            fn, *args, agent=self.profile.name, kind=purpose, priority=Priority.LOW
        )
        self.pending.append(_Pending(purpose, ticket, {"handler": handler}))

    def pending_purposes(self) -> list[str]:
        return [p.purpose for p in self.pending]

    def has_answers(self) -> bool:
        """Whether a request of this brain has finished (its next tick handles it)."""
        return any(p.ticket.done() for p in self.pending)

    def _poll(self, now: int, world: WorldView) -> None:
        if not self.pending:
            return
        still: list[_Pending] = []
        finished: list[_Pending] = []
        room = self.per_tick_limit if self.per_tick_limit is not None else len(self.pending)
        for p in self.pending:
            if len(finished) < room and p.ticket.done():
                finished.append(p)
            else:
                still.append(p)
        if not finished:
            return
        self.pending = still
        self._worked = True
        for p in finished:
            self._handle(p, p.ticket.result(), now, world)

    def _handle(self, p: _Pending, result: Any, now: int, world: WorldView) -> None:
        handler = p.meta.get("handler")
        if p.purpose != "embed" and hasattr(result, "usage"):
            if getattr(result, "attempts", 0) > 0:
                self.stats["llm_calls"] += 1
            self.stats["tokens"] += int(result.usage.total_tokens)
        if handler is not None:
            handler(result)
            return
        if p.purpose == "plan_day":
            self._on_plan(p.meta["day"], result, now)
        elif p.purpose == "embed":
            res = self.resolutions.get(p.meta["key"])
            if res is None:
                return
            vector = _call_vector(result)
            if self.per_tick_limit is not None:  # looked up or asked for on a later tick
                res.vector = vector
                res.status = "miss" if vector is None else "lookup"
            elif vector is None:
                self._request_decompose(res, now, world)
            else:
                self._lookup(res, vector, now, world)
        elif p.purpose == "decompose":
            res = self.resolutions.get(p.meta["key"])
            if res is None:
                return
            if getattr(result, "error", None) is not None:
                res.actions = self._fallback_actions(res, world)
                res.source = Source.FALLBACK
                res.failed = True
                res.status = "ready"
                return
            self._decompose_tokens.append(int(result.usage.total_tokens))
            self._on_decompose(res, result.parsed, world, now)

    def _on_plan(self, day: int, result: Any, now: int) -> None:
        if getattr(result, "error", None) is not None or result.parsed is None:
            self._plan_requested.discard(day)  # ask again on a later tick
            self.plans.setdefault(day, self._routine_plan(day))
            return
        try:
            plan = parse_plan(
                result.parsed,
                day=day,
                known_places=self.mind.known_places(),
                default_place=self.profile.home,
                sleep_at=self.profile.sleep,
            )
        except ValueError:
            plan = self._routine_plan(day)
        self.plans[day] = plan
        self.invitations = [i for i in self.invitations if int(i.get("day", day)) > day]
        self.mind.on_plan(now, plan)
        for old in [d for d in self.plans if d < day - 1]:
            del self.plans[old]

    def _routine_plan(self, day: int) -> DailyPlan:
        """The plan an NPC falls back to when no plan can be had (LLM down, over budget)."""
        p = self.profile
        acts: list[dict[str, Any]] = [
            {
                "start": format_hhmm(p.wake),
                "duration": 60,
                "activity": "morning routine",
                "place": p.home,
            },
        ]
        if p.is_work_day(day):
            acts.append(
                {
                    "start": format_hhmm(p.wake + 60),
                    "duration": 9 * 60,
                    "activity": "work",
                    "place": p.workplace,
                }
            )
        else:
            acts.append(
                {
                    "start": format_hhmm(p.wake + 60),
                    "duration": 9 * 60,
                    "activity": "relax at home",
                    "place": p.home,
                }
            )
        acts.append(
            {
                "start": format_hhmm(p.wake + 600),
                "duration": max(60, p.sleep - p.wake - 600),
                "activity": "evening at home",
                "place": p.home,
            }
        )
        return parse_plan(
            {"wake_up": format_hhmm(p.wake), "activities": acts},
            day=day,
            known_places=[p.home, p.workplace],
            default_place=p.home,
            sleep_at=p.sleep,
        )

    def _prune_resolutions(self, key: tuple[int, int]) -> None:
        if len(self.resolutions) > 64:
            for k in sorted(self.resolutions)[:-32]:
                if k != key and k != self.current:
                    del self.resolutions[k]

    # ------------------------------------------------------------------ debug view
    def snapshot(self) -> BrainSnapshot:
        """What a debug view shows (reads only; cheap enough for every frame it is drawn)."""
        schedule: tuple[tuple[str, str, str], ...] = ()
        day = (
            self.current[0] if self.current is not None else (max(self.plans) if self.plans else 0)
        )
        plan = self.plans.get(day)
        if plan is not None:
            schedule = tuple((format_hhmm(a.start), a.text, a.place) for a in plan.activities)
        recent = self.mind.stream.recent(5)
        social = self.mind.social
        rows = tuple(
            (person, rel["relationship"], rel["feeling"], float(rel["closeness"]))
            for person, rel in sorted(social.relationships().items())
        )
        intent = self.intent
        return BrainSnapshot(
            name=self.profile.name,
            state=self.state.value,
            mode=self.mode.value,
            activity=intent.activity,
            action=intent.description,
            verb=intent.verb,
            target=intent.target,
            source=intent.source.value,
            reason=self.last_reason,
            cosine=self.last_cosine,
            schedule=schedule,
            pending=tuple(p.purpose for p in self.pending),
            memories=tuple(ev.describe() for ev in reversed(recent)),
            relationships=rows,
            tokens=self.stats["tokens"],
            tokens_saved=self.stats["tokens_saved"],
            llm_calls=self.stats["llm_calls"],
            policy_hits=self.stats["policy_hits"],
            policy_misses=self.stats["policy_misses"],
            talking_to=self.talk_partner,
        )

    # ------------------------------------------------------------------ persistence
    def get_state(self) -> dict[str, Any]:
        """Plain data (msgpack-able) of everything the brain knows.

        Requests in flight are not saved: after ``set_state`` the brain asks again for
        what it was waiting for (an unresolved activity, a missing plan).
        """
        return {
            "version": 1,
            "state": self.state.value,
            "plans": [p.to_dict() for _, p in sorted(self.plans.items())],
            "resolutions": [
                _resolution_to_dict(r)
                for _, r in sorted(self.resolutions.items())
                if r.status == "ready"
            ],
            "current": list(self.current) if self.current is not None else None,
            "invitations": [dict(i) for i in self.invitations],
            "talk_partner": self.talk_partner,
            "stats": dict(self.stats),
            "activity_log": [list(x) for x in self.activity_log],
            "unresolved_by_day": [[d, n] for d, n in sorted(self.unresolved_by_day.items())],
            "rng": _rng_state(self.rng),
            "mind": self.mind.get_state(),
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore what ``get_state`` returned (pending work is asked for again).

        Raises:
            ValueError: a newer or malformed state.
        """
        if int(state.get("version", 0)) != 1:
            raise ValueError(f"brain state version {state.get('version')!r} is not supported")
        plans = [DailyPlan.from_dict(p) for p in state["plans"]]
        self.plans = {p.day: p for p in plans}
        self.resolutions = {}
        for data in state["resolutions"]:
            res = _resolution_from_dict(data)
            self.resolutions[res.key] = res
        current = state.get("current")
        self.current = (int(current[0]), int(current[1])) if current else None
        self.invitations = [dict(i) for i in state.get("invitations", [])]
        self.talk_partner = ""
        saved = BrainState(state.get("state", BrainState.PLANNING.value))
        if saved is BrainState.TALKING:  # the conversation is not saved
            saved = BrainState.ACTING if self.current is not None else BrainState.PLANNING
        self.state = saved
        self.stats.update({k: int(v) for k, v in state.get("stats", {}).items()})
        self.activity_log = [(int(m), str(t), str(p)) for m, t, p in state.get("activity_log", [])]
        self.unresolved_by_day = {int(d): int(n) for d, n in state.get("unresolved_by_day", [])}
        if "rng" in state:
            self.rng.setstate(_rng_from_data(state["rng"]))
        self.pending = []
        self._plan_requested = set(self.plans)
        self.mind.set_state(state["mind"])
        self.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)

    def _set_state(self, state: BrainState) -> None:
        if state is self.state:
            return
        if state not in _TRANSITIONS[self.state]:
            raise RuntimeError(f"illegal brain transition {self.state} -> {state}")
        self.state = state


def _with_target(action: Action, target: str) -> Action:
    return Action(
        verb=action.verb, target=target, duration=action.duration, description=action.description
    )


def _resolution_to_dict(res: _Resolution) -> dict[str, Any]:
    return {
        "key": list(res.key),
        "text": res.text,
        "place": res.place,
        "duration": res.duration,
        "actions": [a.to_dict() for a in res.actions],
        "source": res.source.value,
        "reason": res.reason,
        "cosine": res.cosine,
        "failed": res.failed,
    }


def _resolution_from_dict(data: Mapping[str, Any]) -> _Resolution:
    return _Resolution(
        key=(int(data["key"][0]), int(data["key"][1])),
        text=str(data["text"]),
        place=str(data["place"]),
        duration=int(data["duration"]),
        status="ready",
        actions=tuple(Action.from_dict(a) for a in data["actions"]),
        source=Source(data["source"]),
        reason=str(data.get("reason", "")),
        cosine=float(data.get("cosine", 0.0)),
        failed=bool(data.get("failed", False)),
    )


def _rng_state(rng: random.Random) -> list[Any]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def _rng_from_data(data: Any) -> tuple[Any, ...]:
    version, internal, gauss = data
    return (int(version), tuple(int(x) for x in internal), gauss)


def _call_vector(result: Any) -> Vector | None:
    """The first row of an embed call's value, or None when the call failed."""
    if getattr(result, "error", None) is not None:
        return None
    value = getattr(result, "value", None)
    if value is None:
        return None
    arr = np.asarray(value, dtype=np.float32)
    return arr[0] if arr.ndim == 2 else arr
