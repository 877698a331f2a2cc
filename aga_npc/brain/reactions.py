"""Reactions: what an agent perceives, and whether it talks to or waits for someone.

Perception as in Generative Agents: every look takes in the nearest few new events in
sight (``attention``) - other agents' actions and the states of the objects they use - and
the agent's own new action and its object's state; each new event becomes a memory rated
for poignancy. When another agent is among the new events, the LLM decides whether to
start a conversation (``decide_talk``); when that agent is using the object this one is
heading for, whether to wait for it (``decide_react``), which interrupts the current
action and re-plans the rest of today.

The ``aga`` mode's ``decision_cache`` saving remembers a "no" to talking to someone doing
something for the rest of the day, instead of asking again at every sighting.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aga_npc.brain.answers import Commitment, ReactDecision, TalkDecision, parsed_as
from aga_npc.brain.intent import Nearby
from aga_npc.brain.mind import Mind, RateAs
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import Failure, Requests
from aga_npc.brain.settings import LoopSettings
from aga_npc.memory.events import EventKind, texts
from aga_npc.places import Address
from aga_npc.planning.schedule import format_hhmm
from aga_npc.prompts import decide_react_messages, decide_talk_messages
from aga_npc.types import Action, Module, Priority

__all__ = ["Reactions", "Replanner", "event_text"]

DAY = 1440
LATE = 23 * 60
MEMORIES_ABOUT = 10
_DIGITS = re.compile(r"\d+")


class Replanner(Protocol):
    def replan(self, now: int, event: str, commitment: Commitment | None) -> bool: ...


@dataclass(slots=True)
class ReactionStats:
    perceived: int = 0
    decide_talk: int = 0
    decide_react: int = 0
    decided_to_talk: int = 0
    waits: int = 0
    cached_decisions: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "perceived": self.perceived,
            "decide_talk": self.decide_talk,
            "decide_react": self.decide_react,
            "decided_to_talk": self.decided_to_talk,
            "waits": self.waits,
            "cached_decisions": self.cached_decisions,
        }

    def load(self, data: Any) -> None:
        for name in self.to_dict():
            setattr(self, name, int(data.get(name, 0)))


@dataclass(slots=True)
class _Seen:
    doing: str
    state: str


@dataclass(slots=True)
class Waiting:
    """The agent waits (a reaction) for ``other`` to finish with ``target``."""

    other: str
    target: str
    until: int


@dataclass(slots=True)
class _Decisions:
    day: int = 0
    no_talk: set[tuple[str, str]] = field(default_factory=set)


class Reactions:
    """Perception and the talk / wait decisions of one agent."""

    def __init__(
        self,
        *,
        profile: AgentProfile,
        settings: LoopSettings,
        requests: Requests,
        mind: Mind,
        planner: Replanner,
    ) -> None:
        self.profile = profile
        self.settings = settings
        self.requests = requests
        self.mind = mind
        self.planner = planner
        self.stats = ReactionStats()
        self.wants_talk = ""
        self.waiting: Waiting | None = None
        self.last_chat: dict[str, int] = {}
        self._seen: dict[str, _Seen] = {}
        self._deciding: set[str] = set()
        self._decisions = _Decisions()
        self._latest: deque[str] = deque(maxlen=settings.retention)

    # ------------------------------------------------------------------ own actions
    def on_own_action(self, now: int, action: Action, place: str) -> None:
        """The agent starts a new action: it perceives its own event and its object's
        state, as every agent in sight does."""
        name = self.profile.name
        text = event_text(name, action.description or action.verb)
        if self._new(text):
            self.mind.remember(now, EventKind.DONE, text, rate=RateAs.EVENT)
        if action.target and action.object_state:
            obj = Address.parse(action.target).obj
            about = f"{obj} is {action.object_state}"
            if self._new(about):
                self.mind.remember(now, EventKind.OBSERVED, about, rate=RateAs.EVENT)

    def _new(self, text: str) -> bool:
        """Whether an event is new: not among the last ``retention`` events taken in."""
        if text in self._latest:
            return False
        self._latest.append(text)
        return True

    # ------------------------------------------------------------------ perception
    def perceive(
        self,
        now: int,
        nearby: Sequence[Nearby],
        *,
        place: str,
        doing: str,
        heading_to: str,
        available: bool,
        limit: int | None = None,
    ) -> int:
        """Take in the nearest new events in sight; decide whether to talk to or wait for
        someone among them. Returns the number of new events."""
        if self._decisions.day != now // DAY:
            self._decisions = _Decisions(day=now // DAY)
        attention = (
            self.settings.attention if limit is None else min(limit, self.settings.attention)
        )
        fresh = 0
        for other in sorted(nearby, key=lambda o: o.distance):
            if other.distance > self.settings.vision_radius:
                continue
            seen = self._seen.get(other.name)
            if seen is not None and seen.doing == other.doing and seen.state == other.object_state:
                continue
            if fresh >= attention:
                break
            fresh += 1
            self._seen[other.name] = _Seen(other.doing, other.object_state)
            self.stats.perceived += 1
            text = f"{event_text(other.name, other.doing)} at {place}"
            if other.doing and self._new(text):
                self.mind.remember(
                    now,
                    EventKind.OBSERVED,
                    text,
                    people=() if other.player else (other.name,),
                    rate=RateAs.EVENT,
                )
            if other.target and other.object_state:
                about = f"{Address.parse(other.target).obj} is {other.object_state}"
                if self._new(about):
                    self.mind.remember(now, EventKind.OBSERVED, about, rate=RateAs.EVENT)
            self._consider(now, other, doing=doing, heading_to=heading_to, available=available)
        return fresh

    def _consider(
        self, now: int, other: Nearby, *, doing: str, heading_to: str, available: bool
    ) -> None:
        if not available or other.busy or other.player or not other.doing:
            return
        if other.name in self._deciding or self.wants_talk or now % DAY >= LATE:
            return
        last = self.last_chat.get(other.name)
        if last is not None and now - last < self.settings.chat_cooldown:
            return
        pattern = (other.name, _pattern(other.doing))
        if self.settings.savings.decision_cache and pattern in self._decisions.no_talk:
            self.stats.cached_decisions += 1
            if heading_to and other.target == heading_to:  # only the talk was decided
                self._ask_react(now, other, heading_to, doing)
            return
        self._deciding.add(other.name)
        self.stats.decide_talk += 1
        memories = texts(
            self.mind.retrieve(None, now, MEMORIES_ABOUT, person=other.name, touch=False)
        )
        last_text = f"{(now - last) // 60} hours ago" if last is not None else "never"
        self.requests.ask(
            Module.DECIDE_TALK,
            decide_talk_messages(
                persona=self.profile.prompt_fields(),
                other=other.name,
                other_doing=other.doing,
                doing=doing,
                place=Address.parse(other.target).sector if other.target else "",
                time=format_hhmm(now),
                memories=memories,
                last_chat=last_text,
            ),
            validator=TalkDecision.validate,
            parse=parsed_as(TalkDecision),
            then=lambda answer: self._on_talk(now, other, pattern, heading_to, doing, answer),
            day=now // DAY + 1,
            priority=Priority.NORMAL,
            max_tokens=60,
        )

    def _on_talk(
        self,
        now: int,
        other: Nearby,
        pattern: tuple[str, str],
        heading_to: str,
        doing: str,
        answer: TalkDecision | Failure,
    ) -> None:
        self._deciding.discard(other.name)
        if isinstance(answer, Failure):
            return
        if answer.talk:
            self.stats.decided_to_talk += 1
            self.wants_talk = other.name
            return
        if self.settings.savings.decision_cache:
            self._decisions.no_talk.add(pattern)
        if heading_to and other.target == heading_to:
            self._ask_react(now, other, heading_to, doing)

    def _ask_react(self, now: int, other: Nearby, target: str, doing: str) -> None:
        self.stats.decide_react += 1
        self._deciding.add(other.name)
        self.requests.ask(
            Module.DECIDE_REACT,
            decide_react_messages(
                persona=self.profile.prompt_fields(),
                other=other.name,
                other_doing=other.doing,
                doing=doing,
                target=Address.parse(target).obj,
                time=format_hhmm(now),
                memories=texts(
                    self.mind.retrieve(None, now, MEMORIES_ABOUT, person=other.name, touch=False)
                ),
            ),
            validator=ReactDecision.validate,
            parse=parsed_as(ReactDecision),
            then=lambda answer: self._on_react(now, other, target, answer),
            day=now // DAY + 1,
            max_tokens=60,
        )

    def _on_react(
        self, now: int, other: Nearby, target: str, answer: ReactDecision | Failure
    ) -> None:
        self._deciding.discard(other.name)
        if isinstance(answer, Failure) or not answer.wait:
            return
        self.stats.waits += 1
        self.waiting = Waiting(other=other.name, target=target, until=now + answer.minutes)
        obj = Address.parse(target).obj
        self.planner.replan(
            now,
            f"{self.profile.name} waits {answer.minutes} minutes for {other.name} to finish "
            f"with the {obj}",
            None,
        )

    def waiting_for(self, now: int) -> Waiting | None:
        """The wait in progress, if any (it ends by itself)."""
        if self.waiting is not None and now >= self.waiting.until:
            self.waiting = None
        return self.waiting

    def talked(self, other: str, now: int) -> None:
        """A conversation with ``other`` ended (the cooldown starts)."""
        self.last_chat[other] = now
        if self.wants_talk == other:
            self.wants_talk = ""

    def get_state(self) -> dict[str, Any]:
        return {
            "last_chat": sorted([k, v] for k, v in self.last_chat.items()),
            "stats": self.stats.to_dict(),
        }

    def set_state(self, state: Any) -> None:
        self.last_chat = {str(k): int(v) for k, v in state.get("last_chat", [])}
        self.stats.load(state.get("stats", {}))
        self.wants_talk = ""
        self.waiting = None
        self._deciding = set()
        self._seen = {}
        self._latest.clear()


def _pattern(doing: str) -> str:
    return _DIGITS.sub("#", " ".join(doing.lower().split()))


def event_text(name: str, doing: str) -> str:
    """ "Marta Ellison is frying eggs" for an -ing description, else "Marta Ellison: ..."."""
    stripped = doing.strip().rstrip(".")
    if not stripped:
        return f"{name} is idle"
    stripped = stripped[:1].lower() + stripped[1:]
    first = stripped.split()[0]
    if first.endswith("ing") or first in ("in", "at", "on", "idle", "asleep", "busy"):
        return f"{name} is {stripped}"
    return f"{name}: {stripped}"
