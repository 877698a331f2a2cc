"""The day loop: one NPC's tick, minute by minute through its plan, and its lifecycle.

Each tick hands over finished requests, perceives, lets the mind and the planner work,
finds the schedule item of the minute, resolves it (and the next one, ahead of time) and
says what the body does: the item's action, waiting for someone, or an idle fallback that
fits the place while anything is pending (sleep in its own bed at night, stay put inside a
room, walk to somewhere to sit when standing in the street).

Lifecycle (``BrainState``, transitions in ``TRANSITIONS``)::

    STARTING -> PLANNING -> RESOLVING <-> ACTING <-> WAITING
       any state <-> TALKING
"""

from __future__ import annotations

import enum

from aga_npc.brain.acting import act, idle
from aga_npc.brain.intent import Intent, IntentKind, Perception, Source
from aga_npc.brain.mind import Mind
from aga_npc.brain.planner import Planner
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.reactions import Reactions
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.resolver import Resolution, Resolver, TickWork
from aga_npc.planning.schedule import Activity

__all__ = ["TRANSITIONS", "BrainState", "DayLoop", "Key"]

DAY = 1440
NO_CHAT_VERBS = frozenset(
    {"sleep", "nap", "shower", "use toilet", "wash", "brush teeth", "teach", "lecture"}
)
"""Verbs during which nobody starts a conversation with the agent."""


class BrainState(enum.StrEnum):
    STARTING = "starting"
    PLANNING = "planning"
    RESOLVING = "resolving"
    ACTING = "acting"
    WAITING = "waiting"
    TALKING = "talking"


_ALL = frozenset(BrainState)
TRANSITIONS: dict[BrainState, frozenset[BrainState]] = {
    BrainState.STARTING: frozenset({BrainState.PLANNING, BrainState.TALKING}),
    BrainState.PLANNING: _ALL - {BrainState.STARTING},
    BrainState.RESOLVING: _ALL - {BrainState.STARTING},
    BrainState.ACTING: _ALL - {BrainState.STARTING},
    BrainState.WAITING: _ALL - {BrainState.STARTING},
    BrainState.TALKING: _ALL,
}

Key = tuple[int, int, int]
"""A schedule item: (day, plan revision, index in the plan)."""


class DayLoop:
    """One NPC's tick over its parts (owned by its ``NpcBrain``, which forwards to it).

    Attributes:
        state: the lifecycle state.
        intent: what the body was last told to do.
        talk_partner: the conversation partner ("" when not talking).
        current: the schedule item under way (None before the first one).
        activity_log: ``(minute, activity, place)`` of every item begun.
        actions, failed_actions: actions begun, and those the world refused.
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        book: RequestBook,
        mind: Mind,
        planner: Planner,
        resolver: Resolver,
        reactions: Reactions,
        per_tick_limit: int | None = None,
    ) -> None:
        self.profile = profile
        self.book = book
        self.mind = mind
        self.planner = planner
        self.resolver = resolver
        self.reactions = reactions
        self.per_tick_limit = per_tick_limit
        self.state = BrainState.STARTING
        self.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)
        self.talk_partner = ""
        self.current: Key | None = None
        self.activity_log: list[tuple[int, str, str]] = []
        self.actions = 0
        self.failed_actions = 0

    def tick(self, now: int, perception: Perception) -> Intent:
        """Advance to game minute ``now``; return what the body should do (and keep it as
        ``intent``)."""
        work = TickWork(limited=self.per_tick_limit is not None)
        if self.book.poll(self.per_tick_limit):
            work.spend()
        if perception.failed:
            self._note_failure(perception.failed, now)
        place = perception.place[0] if perception.place is not None else ""
        if perception.nearby:
            self.reactions.perceive(
                now,
                perception.nearby,
                place=place or "the street",
                doing=self.intent.description or self.intent.activity,
                heading_to=self.intent.target if self.intent.kind is IntentKind.USE else "",
                available=self.available_for_chat(),
                limit=self.per_tick_limit,
            )
        if work.can() and self.mind.tick(now):
            work.spend()
        if self.state is BrainState.TALKING:
            self.intent = Intent(
                kind=IntentKind.TALK,
                partner=self.talk_partner,
                description=f"talking with {self.talk_partner}",
                activity=self.intent.activity,
                source=Source.TALK,
            )
            return self.intent
        if work.can() and self.planner.tick(now):
            work.spend()
        found = self._activity(now)
        if found is None:
            self._move(BrainState.PLANNING)
            self.intent = self._fallback(now, perception)
            return self.intent
        key, item, start = found
        if key != self.current:
            self._switch(key, item, start, now, perception)
        res = self.resolver.ensure(
            key, text=item.text, place=item.place, start=start, duration=item.duration
        )
        self.resolver.advance(res, now, perception.world, work)
        ahead = self._next(key)
        if ahead is not None:
            nkey, nitem, nstart = ahead
            nres = self.resolver.ensure(
                nkey, text=nitem.text, place=nitem.place, start=nstart, duration=nitem.duration
            )
            self.resolver.advance(nres, now, perception.world, work)
        waiting = self.reactions.waiting_for(now)
        if waiting is not None:
            self._move(BrainState.WAITING)
            self.intent = Intent(
                kind=IntentKind.STAY,
                description=f"waiting for {waiting.other} to finish",
                activity=item.text,
                until=waiting.until,
                source=Source.WAITING,
            )
            return self.intent
        if not res.ready:
            self._move(BrainState.RESOLVING)
            self.intent = self._fallback(now, perception, waiting=True, activity=res.text)
            return self.intent
        self._move(BrainState.ACTING)
        self.intent = self._act(res, now, perception)
        return self.intent

    def available_for_chat(self) -> bool:
        """Whether another agent may start a conversation with this one now: not while
        talking, asleep, in the bathroom or teaching, as in Generative Agents."""
        if self.state is BrainState.TALKING:
            return False
        intent = self.intent
        return not (intent.verb in NO_CHAT_VERBS or "sleep" in intent.activity.lower())

    def begin_talk(self, partner: str) -> None:
        self.talk_partner = partner
        self._move(BrainState.TALKING)

    def end_talk(self) -> None:
        self.talk_partner = ""
        self._move(BrainState.ACTING if self.current is not None else BrainState.PLANNING)

    def current_action(self) -> tuple[Resolution | None, str]:
        """The resolution behind the current intent and its object's state."""
        res = self.resolver.get(self.current) if self.current is not None else None
        if res is None or not res.ready:
            return res, ""
        for action in res.actions:
            if action.target == self.intent.target and action.verb == self.intent.verb:
                return res, action.object_state
        return res, ""

    # ------------------------------------------------------------------ the plan's items
    def _activity(self, now: int) -> tuple[Key, Activity, int] | None:
        """The item of minute ``now`` with its absolute start: today's, or before today's
        wake-up the one of yesterday's plan that runs past midnight."""
        day, mod = divmod(now, DAY)
        day += 1
        plan = self.planner.plan(day)
        if plan is not None:
            idx = plan.activity_at(mod)
            if idx is not None:
                item = plan.activities[idx]
                return (day, self.planner.revision(day), idx), item, (day - 1) * DAY + item.start
        prev = self.planner.plan(day - 1)
        if prev is not None:
            idx = prev.activity_at(mod + DAY)
            if idx is not None and (plan is None or mod < plan.wake_up):
                item = prev.activities[idx]
                return (
                    (day - 1, self.planner.revision(day - 1), idx),
                    item,
                    (day - 2) * DAY + item.start,
                )
        return None

    def _next(self, key: Key) -> tuple[Key, Activity, int] | None:
        """The item after ``key`` in the same plan revision (None at its end or when the
        plan was revised)."""
        plan = self.planner.plan(key[0])
        if (
            plan is None
            or key[2] + 1 >= len(plan.activities)
            or key[1] != self.planner.revision(key[0])
        ):
            return None
        item = plan.activities[key[2] + 1]
        return (key[0], key[1], key[2] + 1), item, (key[0] - 1) * DAY + item.start

    def _switch(
        self, key: Key, item: Activity, start: int, now: int, perception: Perception
    ) -> None:
        old = self.resolver.get(self.current) if self.current is not None else None
        # the same activity still under way in a re-planned day (a replan keeps what one is
        # doing and re-plans the rest) carries on with its actions, not from the start
        carried = (
            old is not None
            and old.text == item.text
            and old.place == item.place
            and (old.start == start or old.start <= start <= now)
        )
        if old is not None and not carried and old.start + old.duration <= now:
            self.resolver.finished(old, now, perception.world)
        if carried and old is not None and key not in self.resolver.resolutions:
            self.resolver.resolutions.pop(old.key, None)
            old.key = key
            old.duration = start + item.duration - old.start
            self.resolver.resolutions[key] = old
        self.current = key
        if not carried:
            self.activity_log.append((now, item.text, item.place))

    # ------------------------------------------------------------------ acting
    def _act(self, res: Resolution, now: int, perception: Perception) -> Intent:
        intent, action = act(
            res, now, perception, lambda place: self.mind.anchor(perception.world, place)
        )
        if (intent.target, intent.verb, intent.description) != (
            self.intent.target,
            self.intent.verb,
            self.intent.description,
        ):
            self.actions += 1
            self.reactions.on_own_action(now, action, res.place)
        return intent

    def _fallback(
        self, now: int, perception: Perception, *, waiting: bool = False, activity: str = ""
    ) -> Intent:
        return idle(
            now,
            perception,
            profile=self.profile,
            previous=self.intent,
            seat=lambda: self.mind.home_seat(perception.world),
            waiting=waiting,
            activity=activity,
        )

    def _note_failure(self, target: str, now: int) -> None:
        self.failed_actions += 1
        res = self.resolver.get(self.current) if self.current is not None else None
        if res is not None and res.ready:
            self.resolver.failed(res, target, now)

    def _move(self, state: BrainState) -> None:
        if state is self.state:
            return
        if state not in TRANSITIONS[self.state]:
            raise RuntimeError(f"illegal brain transition {self.state} -> {state}")
        self.state = state
