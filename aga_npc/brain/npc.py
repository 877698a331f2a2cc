"""NpcBrain: one NPC's brain, a thin facade that wires its parts and forwards to them.
``tick()`` is non-blocking: it only polls finished requests, submits new ones and reads the
world view.

The parts, each in its own module: the :class:`~aga_npc.brain.requests.RequestBook`
(requests in flight with typed continuations), the
:class:`~aga_npc.brain.planner.Planner` (wake-up, daily plan, hourly schedule, re-plans),
the :class:`~aga_npc.brain.resolver.Resolver` (Lifestyle Policy or decomposition and the
per-action chain), the :class:`~aga_npc.brain.reactions.Reactions` (perception, deciding to
talk or wait), the :class:`~aga_npc.brain.mind.Mind` (memory, poignancy, reflection, mind
wandering, Social Memory), the :class:`~aga_npc.brain.social_side.SocialSide` (what
conversations need and leave behind) and the :class:`~aga_npc.brain.day.DayLoop` (the tick
and the lifecycle, ``BrainState``). :mod:`~aga_npc.brain.persist` holds the save format,
:mod:`~aga_npc.brain.snapshot` what a debug view and the report read.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from aga_npc.brain import persist
from aga_npc.brain.answers import SocialAnswer
from aga_npc.brain.day import TRANSITIONS, BrainState, DayLoop, Key
from aga_npc.brain.intent import Intent, Perception
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.planner import Planner
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.reactions import Reactions
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.resolver import Resolution, Resolver
from aga_npc.brain.services import BrainServices
from aga_npc.brain.settings import LoopSettings
from aga_npc.brain.snapshot import BrainSnapshot, brain_stats, take_snapshot
from aga_npc.brain.social_side import SocialSide

__all__ = ["TRANSITIONS", "BrainState", "NpcBrain"]


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
        self.day = DayLoop(
            profile=profile,
            book=self.book,
            mind=self.mind,
            planner=self.planner,
            resolver=self.resolver,
            reactions=self.reactions,
            per_tick_limit=per_tick_limit,
        )
        self.tokens_saved = 0

    # ------------------------------------------------------------------ the day loop
    def tick(self, now: int, perception: Perception) -> Intent:
        """Advance the brain to game minute ``now``; return what the body should do.

        Budget: well under a millisecond (one heavy step with ``per_tick_limit``). Pure with
        respect to I/O: it only polls tickets, submits requests and reads the world view.
        """
        return self.day.tick(now, perception)

    def current_action(self) -> tuple[Resolution | None, str]:
        """The resolution behind the current intent and its object's state (the town's
        perception and records read it)."""
        return self.day.current_action()

    @property
    def state(self) -> BrainState:
        return self.day.state

    @state.setter
    def state(self, value: BrainState) -> None:
        self.day.state = value

    @property
    def intent(self) -> Intent:
        return self.day.intent

    @intent.setter
    def intent(self, value: Intent) -> None:
        self.day.intent = value

    @property
    def talk_partner(self) -> str:
        return self.day.talk_partner

    @talk_partner.setter
    def talk_partner(self, value: str) -> None:
        self.day.talk_partner = value

    @property
    def current(self) -> Key | None:
        return self.day.current

    @current.setter
    def current(self, value: Key | None) -> None:
        self.day.current = value

    @property
    def activity_log(self) -> list[tuple[int, str, str]]:
        return self.day.activity_log

    @activity_log.setter
    def activity_log(self, value: list[tuple[int, str, str]]) -> None:
        self.day.activity_log = value

    @property
    def actions(self) -> int:
        return self.day.actions

    @actions.setter
    def actions(self, value: int) -> None:
        self.day.actions = value

    @property
    def failed_actions(self) -> int:
        return self.day.failed_actions

    @failed_actions.setter
    def failed_actions(self, value: int) -> None:
        self.day.failed_actions = value

    # ------------------------------------------------------------------ conversations
    def available_for_chat(self) -> bool:
        """Whether another agent may start a conversation with this one now: not while
        talking, asleep, in the bathroom or teaching, as in Generative Agents."""
        return self.day.available_for_chat()

    @property
    def wants_talk(self) -> str:
        """Whom this agent decided (by the LLM) to start a conversation with ("" none)."""
        return self.reactions.wants_talk

    def begin_talk(self, partner: str) -> None:
        self.day.begin_talk(partner)

    def end_talk(self) -> None:
        self.day.end_talk()

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
        return brain_stats(self)

    def snapshot(self) -> BrainSnapshot:
        """What a debug view shows (reads only; cheap enough for every frame it is drawn).

        The marker's cosine is the one of the decision behind the current action.
        """
        return take_snapshot(self)

    # ------------------------------------------------------------------ persistence
    def get_state(self) -> dict[str, Any]:
        """Plain data (msgpack-able) of everything the brain knows.

        Requests in flight are not saved: after ``set_state`` the brain asks again for
        what it was waiting for (an unresolved item, a missing plan).
        """
        return persist.get_state(self)

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore what ``get_state`` returned (pending work is asked for again).

        Raises:
            ValueError: a newer or malformed state.
        """
        persist.set_state(self, state)
