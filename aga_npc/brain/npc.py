"""NpcBrain: one NPC's brain, the facade over its parts. ``tick()`` is non-blocking: it only
polls finished requests, submits new ones and reads the world view.

The parts, each in its own module: the :class:`~aga_npc.brain.requests.RequestBook`
(requests in flight with typed continuations), the
:class:`~aga_npc.brain.planner.Planner` (wake-up, daily plan, hourly schedule, re-plans),
the :class:`~aga_npc.brain.resolver.Resolver` (Lifestyle Policy or decomposition and the
per-action chain), the :class:`~aga_npc.brain.reactions.Reactions` (perception, deciding to
talk or wait) and the :class:`~aga_npc.brain.mind.Mind` (memory, poignancy, reflection,
mind wandering, Social Memory).

Lifecycle (``BrainState``, transitions in ``TRANSITIONS``)::

    STARTING -> PLANNING -> RESOLVING <-> ACTING <-> WAITING
       any state <-> TALKING

While anything is pending the NPC keeps its current action, or an idle fallback that fits
the place (sleep in its own bed at night, stay put inside a room, walk to somewhere to sit
when standing in the street). The next schedule item is resolved ahead of time.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping
from typing import Any

from aga_npc.brain.acting import act, idle
from aga_npc.brain.answers import SocialAnswer
from aga_npc.brain.intent import Intent, IntentKind, Perception, Source
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.planner import Planner
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.reactions import Reactions
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.resolver import Resolution, Resolver, TickWork
from aga_npc.brain.services import BrainServices
from aga_npc.brain.settings import LoopSettings
from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.brain.social_side import SocialSide
from aga_npc.planning.schedule import Activity, format_hhmm

__all__ = ["TRANSITIONS", "BrainState", "NpcBrain"]

DAY = 1440
_NO_CHAT_VERBS = frozenset(
    {"sleep", "nap", "shower", "use toilet", "wash", "brush teeth", "teach", "lecture"}
)


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


class NpcBrain:
    """One NPC's brain.

    Args:
        profile: the NPC's fixed facts.
        mode: which AGA substitutions are on.
        services: gateway, embedder, policy (injected).
        seed: seeds the brain's own random choices (mind wandering).
        mind: the memory and social side (a fresh one when None).
        per_tick_limit: at most this many finished requests handled, and new events
            perceived, per tick (None: all). A real-time host sets 1 so that one tick stays
            short; then a tick also does at most one heavy step (a lookup, a prompt built).
        settings: the loop's settings (default: ``LoopSettings.for_mode(mode)``).
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
        settings: LoopSettings | None = None,
    ) -> None:
        if per_tick_limit is not None and per_tick_limit < 1:
            raise ValueError(f"per_tick_limit must be >= 1 or None, got {per_tick_limit}")
        self.profile = profile
        self.mode = mode
        self.settings = settings or (mind.settings if mind else LoopSettings.for_mode(mode))
        self.services = services
        self.per_tick_limit = per_tick_limit
        self.rng = random.Random(f"{seed}:{profile.name}")
        self.book = RequestBook(services.requests, profile.name)
        self.mind = mind if mind is not None else Mind(profile=profile, settings=self.settings)
        self.mind.attach(self.book, services.embedder)
        self.planner = Planner(
            profile=profile,
            requests=self.book,
            memory=self.mind,
            settings=self.settings,
            rng=self.rng,
            on_change=lambda day: None,
        )
        self.resolver = Resolver(
            profile=profile,
            mode=mode,
            settings=self.settings,
            requests=self.book,
            services=services,
            sectors=self.mind.sector_rooms,
        )
        self.reactions = Reactions(
            profile=profile,
            settings=self.settings,
            requests=self.book,
            mind=self.mind,
            planner=self.planner,
        )
        self.social = SocialSide(
            profile=profile,
            settings=self.settings,
            book=self.book,
            mind=self.mind,
            planner=self.planner,
            reactions=self.reactions,
        )
        self.state = BrainState.STARTING
        self.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)
        self.talk_partner = ""
        self.current: Key | None = None
        self.activity_log: list[tuple[int, str, str]] = []
        self.actions = 0
        self.failed_actions = 0
        self.tokens_saved = 0

    # ------------------------------------------------------------------ main entry
    def tick(self, now: int, perception: Perception) -> Intent:
        """Advance the brain to game minute ``now``; return what the body should do.

        Budget: well under a millisecond (one heavy step with ``per_tick_limit``). Pure with
        respect to I/O: it only polls tickets, submits requests and reads the world view.
        """
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
        key, act, start = found
        if key != self.current:
            self._switch(key, act, start, now, perception)
        res = self.resolver.ensure(
            key, text=act.text, place=act.place, start=start, duration=act.duration
        )
        self.resolver.advance(res, now, perception.world, work)
        ahead = self._next(key)
        if ahead is not None:
            nkey, nact, nstart = ahead
            nres = self.resolver.ensure(
                nkey, text=nact.text, place=nact.place, start=nstart, duration=nact.duration
            )
            self.resolver.advance(nres, now, perception.world, work)
        waiting = self.reactions.waiting_for(now)
        if waiting is not None:
            self._move(BrainState.WAITING)
            self.intent = Intent(
                kind=IntentKind.STAY,
                description=f"waiting for {waiting.other} to finish",
                activity=act.text,
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

    def _activity(self, now: int) -> tuple[Key, Activity, int] | None:
        day, mod = divmod(now, DAY)
        day += 1
        plan = self.planner.plan(day)
        if plan is not None:
            idx = plan.activity_at(mod)
            if idx is not None:
                act = plan.activities[idx]
                return (day, self.planner.revision(day), idx), act, (day - 1) * DAY + act.start
        prev = self.planner.plan(day - 1)
        if prev is not None:
            idx = prev.activity_at(mod + DAY)
            if idx is not None and (plan is None or mod < plan.wake_up):
                act = prev.activities[idx]
                return (
                    (day - 1, self.planner.revision(day - 1), idx),
                    act,
                    (day - 2) * DAY + act.start,
                )
        return None

    def _next(self, key: Key) -> tuple[Key, Activity, int] | None:
        plan = self.planner.plan(key[0])
        if (
            plan is None
            or key[2] + 1 >= len(plan.activities)
            or key[1] != self.planner.revision(key[0])
        ):
            return None
        act = plan.activities[key[2] + 1]
        return (key[0], key[1], key[2] + 1), act, (key[0] - 1) * DAY + act.start

    def _switch(
        self, key: Key, act: Activity, start: int, now: int, perception: Perception
    ) -> None:
        old = self.resolver.get(self.current) if self.current is not None else None
        # the same activity still under way in a re-planned day (a replan keeps what one is
        # doing and re-plans the rest) carries on with its actions, not from the start
        carried = (
            old is not None
            and old.text == act.text
            and old.place == act.place
            and (old.start == start or old.start <= start <= now)
        )
        if old is not None and not carried and old.start + old.duration <= now:
            self.resolver.finished(old, now, perception.world)
        if carried and old is not None and key not in self.resolver.resolutions:
            self.resolver.resolutions.pop(old.key, None)
            old.key = key
            old.duration = start + act.duration - old.start
            self.resolver.resolutions[key] = old
        self.current = key
        if not carried:
            self.activity_log.append((now, act.text, act.place))

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

    def current_action(self) -> tuple[Resolution | None, str]:
        """The resolution behind the current intent and its object's state (the town's
        perception and records read it)."""
        res = self.resolver.get(self.current) if self.current is not None else None
        if res is None or not res.ready:
            return res, ""
        for action in res.actions:
            if action.target == self.intent.target and action.verb == self.intent.verb:
                return res, action.object_state
        return res, ""

    def _note_failure(self, target: str, now: int) -> None:
        self.failed_actions += 1
        res = self.resolver.get(self.current) if self.current is not None else None
        if res is not None and res.ready:
            self.resolver.failed(res, target, now)

    # ------------------------------------------------------------------ conversations
    def available_for_chat(self) -> bool:
        """Whether another agent may start a conversation with this one now: not while
        talking, asleep, in the bathroom or teaching, as in Generative Agents."""
        if self.state is BrainState.TALKING:
            return False
        intent = self.intent
        return not (intent.verb in _NO_CHAT_VERBS or "sleep" in intent.activity.lower())

    @property
    def wants_talk(self) -> str:
        """Whom this agent decided (by the LLM) to start a conversation with ("" none)."""
        return self.reactions.wants_talk

    def begin_talk(self, partner: str) -> None:
        self.talk_partner = partner
        self._move(BrainState.TALKING)

    def end_talk(self) -> None:
        self.talk_partner = ""
        self._move(BrainState.ACTING if self.current is not None else BrainState.PLANNING)

    def persona(self) -> dict[str, Any]:
        """The persona fields prompts carry."""
        return self.profile.prompt_fields()

    def social_context(self, other: str) -> dict[str, Any]:
        """The Social Memory about ``other`` as a dialogue prompt carries it."""
        return self.social.social_context(other)

    def memories_about(self, other: str, query: Any, now: int) -> list[str]:
        """Generative Agents' per-line retrieval (see ``SocialSide.memories_about``)."""
        return self.social.memories_about(other, query, now)

    def recent_about(self, other: str, now: int, k: int = 3) -> list[str]:
        return self.social.recent_about(other, now, k)

    def recent_memories(self, now: int, k: int) -> list[str]:
        return self.social.recent_memories(now, k)

    def debrief(self, other: str, lines: list[tuple[str, str]], summary: str, now: int) -> None:
        """After a conversation: remember it, write a memo and a planning thought."""
        self.social.debrief(other, lines, summary, now)

    def apply_social(self, other: str, answer: SocialAnswer, now: int) -> None:
        """A Social Memory update from the conversation with ``other``."""
        self.social.apply_social(other, answer, now)

    def note_joint_update(self) -> None:
        """One Social Memory update served both sides (the ``aga`` mode's saving)."""
        self.social.note_joint_update()

    def hear_player(self, said: str, reply: str, now: int, player: str = "") -> None:
        """Remember an exchange with the player (the player's words as quoted speech;
        ``player``: their name, "" when unnamed)."""
        self.social.hear_player(said, reply, now, player)

    def update_social(self, other: str, transcript: list[tuple[str, str]], now: int) -> None:
        """Ask for and apply one Social Memory update about ``other``."""
        self.social.update_social(other, transcript, now)

    def has_answers(self) -> bool:
        """Whether a request of this brain has finished (its next tick handles it)."""
        return self.book.has_answers()

    # ------------------------------------------------------------------ views
    @property
    def plans(self) -> Mapping[int, Any]:
        return self.planner.plans

    def relationships(self) -> dict[str, dict[str, Any]]:
        """Social Memory rows by person (relationship, feeling, closeness ...)."""
        return self.social.relationships()

    def closeness(self, other: str) -> float:
        return self.social.closeness(other)

    def memory_count(self) -> int:
        return len(self.mind.stream)

    def stats(self) -> dict[str, Any]:
        """Counters for the report and the overlay."""
        book = self.book.stats
        return {
            "llm_calls": book.llm_calls,
            "tokens": book.tokens,
            "tokens_saved": self.tokens_saved,
            "actions": self.actions,
            "failed_actions": self.failed_actions,
            "conversations": self.social.conversations,
            "replans": self.planner.replans,
            "reflections": self.mind.reflection.count,
            "insights": self.mind.reflection.insights,
            "poignancy_asked": self.mind.poignancy_asked,
            "poignancy_cached": self.mind.poignancy_cached,
            "insight_poignancy_avoided": self.mind.reflection.rated_in_call,
            "schedule_calls_avoided": self.planner.schedule_calls_avoided,
            "joint_updates": self.social.joint_updates,
            **self.resolver.stats.to_dict(),
            **self.reactions.stats.to_dict(),
        }

    def snapshot(self) -> BrainSnapshot:
        """What a debug view shows (reads only; cheap enough for every frame it is drawn).

        The marker's cosine is the one of the decision behind the current action.
        """
        schedule: tuple[tuple[str, str, str], ...] = ()
        day = self.current[0] if self.current is not None else max(self.plans, default=0)
        plan = self.planner.plan(day)
        if plan is not None:
            schedule = tuple((format_hhmm(a.start), a.text, a.place) for a in plan.activities)
        res = self.resolver.get(self.current) if self.current is not None else None
        behind = res if res is not None and res.ready else None
        recent = self.mind.stream.recent(5)
        rows = tuple(
            (person, rel["relationship"], rel["feeling"], float(rel["closeness"]))
            for person, rel in sorted(self.mind.social.relationships().items())
        )
        intent = self.intent
        stats = self.resolver.stats
        return BrainSnapshot(
            name=self.profile.name,
            state=self.state.value,
            mode=self.mode.value,
            activity=intent.activity,
            action=intent.description,
            verb=intent.verb,
            target=intent.target,
            source=intent.source.value,
            reason=behind.reason if behind is not None else (res.reason if res else ""),
            cosine=behind.cosine if behind is not None and behind.source is Source.POLICY else 0.0,
            schedule=schedule,
            pending=self.book.kinds(),
            memories=tuple(ev.describe() for ev in reversed(recent)),
            relationships=rows,
            tokens=self.book.stats.tokens,
            tokens_saved=self.tokens_saved,
            llm_calls=self.book.stats.llm_calls,
            policy_hits=stats.policy_hits,
            policy_misses=stats.policy_misses,
            talking_to=self.talk_partner,
            wandered=self.mind.wandered,
        )

    # ------------------------------------------------------------------ persistence
    def get_state(self) -> dict[str, Any]:
        """Plain data (msgpack-able) of everything the brain knows.

        Requests in flight are not saved: after ``set_state`` the brain asks again for
        what it was waiting for (an unresolved item, a missing plan).
        """
        return {
            "version": 2,
            "state": self.state.value,
            "planner": self.planner.get_state(),
            "resolver": self.resolver.get_state(),
            "reactions": self.reactions.get_state(),
            "current": list(self.current) if self.current is not None else None,
            "talk_partner": self.talk_partner,
            "counters": [
                self.actions,
                self.failed_actions,
                self.tokens_saved,
                self.social.conversations,
                self.social.joint_updates,
            ],
            "book": self.book.stats.to_dict(),
            "activity_log": [list(x) for x in self.activity_log],
            "rng": _rng_state(self.rng),
            "mind": self.mind.get_state(),
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore what ``get_state`` returned (pending work is asked for again).

        Raises:
            ValueError: a newer or malformed state.
        """
        if int(state.get("version", 0)) != 2:
            raise ValueError(f"brain state version {state.get('version')!r} is not supported")
        self.book.drop_all()
        self.planner.set_state(state["planner"])
        self.resolver.set_state(state["resolver"])
        self.reactions.set_state(state.get("reactions", {}))
        current = state.get("current")
        self.current = (int(current[0]), int(current[1]), int(current[2])) if current else None
        self.talk_partner = ""
        saved = BrainState(state.get("state", BrainState.PLANNING.value))
        if saved is BrainState.TALKING:  # the conversation is not saved
            saved = BrainState.ACTING if self.current is not None else BrainState.PLANNING
        self.state = saved
        counters = [int(x) for x in state.get("counters", [])] + [0] * 5
        self.actions, self.failed_actions, self.tokens_saved = counters[:3]
        self.social.conversations, self.social.joint_updates = counters[3:5]
        self.book.stats.load(dict(state.get("book", {})))
        self.activity_log = [(int(m), str(t), str(p)) for m, t, p in state.get("activity_log", [])]
        if "rng" in state:
            self.rng.setstate(_rng_from_data(state["rng"]))
        self.mind.set_state(state["mind"])
        self.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)

    def _move(self, state: BrainState) -> None:
        if state is self.state:
            return
        if state not in TRANSITIONS[self.state]:
            raise RuntimeError(f"illegal brain transition {self.state} -> {state}")
        self.state = state


def _rng_state(rng: random.Random) -> list[Any]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def _rng_from_data(data: Any) -> tuple[Any, ...]:
    version, internal, gauss = data
    return (int(version), tuple(int(x) for x in internal), gauss)
