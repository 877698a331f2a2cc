"""Planner: the day's plan as Generative Agents makes it, and re-planning the rest of today.

Per game day: the wake-up hour, the daily plan in broad strokes, then the hourly schedule,
one call per waking hour with the schedule so far (the ``aga`` mode's ``one_call_schedule``
saving asks for the whole day at once); consecutive hours with the same activity merge
into one schedule item. After a reaction or a conversation :meth:`Planner.replan` rewrites
the rest of today. Without answers (server down, over budget) a routine plan from the
persona's habits stands in, so the NPC always has a day.

Lifecycle of one day's plan (``DayStage``, transitions in ``TRANSITIONS``)::

    WAKE -> OUTLINE -> SCHEDULE -> READY
      \\________\\__________\\________^   (a failure falls back to the routine plan)
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aga_npc.brain.answers import Commitment, Outline, PlanItem, WakeUp, parsed_as
from aga_npc.brain.profile import WEEKDAYS, AgentProfile
from aga_npc.brain.requests import Failure, Requests
from aga_npc.brain.settings import LoopSettings
from aga_npc.planning.schedule import Activity, DailyPlan, format_hhmm, parse_plan, with_entry
from aga_npc.prompts import (
    daily_plan_messages,
    hourly_schedule_messages,
    replan_messages,
    wake_up_messages,
)
from aga_npc.types import Module, Priority

__all__ = ["TRANSITIONS", "DayStage", "Planner", "PlanningMemory"]

DAY = 1440
PLAN_AHEAD_MINUTE = 3 * 60  # a day's planning starts at 03:00 of that day (asleep)


class DayStage(enum.StrEnum):
    WAKE = "wake"
    OUTLINE = "outline"
    SCHEDULE = "schedule"
    READY = "ready"


TRANSITIONS: dict[DayStage, frozenset[DayStage]] = {
    DayStage.WAKE: frozenset({DayStage.OUTLINE, DayStage.READY}),
    DayStage.OUTLINE: frozenset({DayStage.SCHEDULE, DayStage.READY}),
    DayStage.SCHEDULE: frozenset({DayStage.SCHEDULE, DayStage.READY}),
    DayStage.READY: frozenset(),
}


class PlanningMemory(Protocol):
    """What the planner needs from the memory side."""

    def planning_memories(self, now: int, rng: random.Random) -> list[str]: ...

    def known_places(self) -> list[str]: ...

    # Optional: ``known_things() -> list[dict]``, the town's object kinds with their verbs
    # and places for the planning prompts (a memory without it lists none).

    def on_plan(self, now: int, day: int, items: Sequence[PlanItem]) -> None: ...


@dataclass(slots=True)
class _DayWork:
    day: int
    stage: DayStage = DayStage.WAKE
    waiting: bool = False
    wake: int = 0
    outline: tuple[PlanItem, ...] = ()
    so_far: list[PlanItem] = field(default_factory=list)
    hour: int = 0
    last_hour: int = 0
    bedtime: PlanItem | None = None  # the daily plan's going to sleep

    def move(self, stage: DayStage) -> None:
        if stage not in TRANSITIONS[self.stage] and stage is not self.stage:
            raise RuntimeError(f"illegal plan stage {self.stage} -> {stage}")
        self.stage = stage


class Planner:
    """Makes and keeps an agent's daily plans.

    Args:
        profile: the agent.
        requests: where its requests go.
        memory: planning memories, known places, and where the plan is remembered.
        settings: the loop's settings (the one-call schedule saving).
        rng: the brain's generator (mind wandering samples through it).
        on_change: called with the day whenever that day's plan is made or changed.
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        requests: Requests,
        memory: PlanningMemory,
        settings: LoopSettings,
        rng: random.Random,
        on_change: Callable[[int], None],
    ) -> None:
        self.profile = profile
        self.requests = requests
        self.memory = memory
        self.settings = settings
        self.rng = rng
        self.on_change = on_change
        self.plans: dict[int, DailyPlan] = {}
        self.revisions: dict[int, int] = {}
        self.invitations: list[dict[str, Any]] = []
        self.replans = 0
        self.schedule_calls_avoided = 0
        self._queued: list[tuple[str, Commitment | None]] = []
        self._work: dict[int, _DayWork] = {}
        self._replanning = False

    # ------------------------------------------------------------------ queries
    def plan(self, day: int) -> DailyPlan | None:
        return self.plans.get(day)

    def revision(self, day: int) -> int:
        return self.revisions.get(day, 0)

    def _things(self) -> list[dict[str, Any]]:
        """The town's object kinds for the planning prompts (see ``PlanningMemory``)."""
        known = getattr(self.memory, "known_things", None)
        return list(known()) if callable(known) else []

    def busy(self) -> bool:
        """Whether a planning request is in flight."""
        return self._replanning or any(w.waiting for w in self._work.values())

    # ------------------------------------------------------------------ driving
    def tick(self, now: int) -> bool:
        """Start or continue today's plan, or ask a re-plan that waited; returns whether a
        request was made."""
        if self._queued and not self._replanning:
            event, commitment = self._queued.pop(0)
            if self.replan(now, event, commitment):
                return True
        day, mod = divmod(now, DAY)
        day += 1
        if day not in self.plans and (mod >= PLAN_AHEAD_MINUTE or day - 1 not in self.plans):
            return self._advance(day, now)
        return False

    def _advance(self, day: int, now: int) -> bool:
        work = self._work.get(day)
        if work is None:
            work = self._work[day] = _DayWork(day=day)
        if work.waiting or work.stage is DayStage.READY:
            return False
        if work.stage is DayStage.WAKE:
            self._ask_wake(work)
        elif work.stage is DayStage.OUTLINE:
            self._ask_outline(work, now)
        else:
            self._ask_hour(work)
        return True

    def _day_facts(self, day: int) -> dict[str, Any]:
        return {
            "day": day,
            "weekday": WEEKDAYS[(day - 1) % 7],
            "is_work_day": self.profile.is_work_day(day),
        }

    def _ask_wake(self, work: _DayWork) -> None:
        work.waiting = True
        self.requests.ask(
            Module.WAKE_UP,
            wake_up_messages(persona=self.profile.prompt_fields(), day=self._day_facts(work.day)),
            validator=WakeUp.validate,
            parse=parsed_as(WakeUp),
            then=lambda answer: self._on_wake(work, answer),
            day=work.day,
            priority=Priority.HIGH,
            max_tokens=30,
        )

    def _on_wake(self, work: _DayWork, answer: WakeUp | Failure) -> None:
        work.waiting = False
        if isinstance(answer, Failure):
            self._fallback(work)
            return
        work.wake = answer.minute
        work.move(DayStage.OUTLINE)

    def _ask_outline(self, work: _DayWork, now: int) -> None:
        work.waiting = True
        invitations = [i for i in self.invitations if int(i.get("day", work.day)) == work.day]
        self.requests.ask(
            Module.DAILY_PLAN,
            daily_plan_messages(
                persona=self.profile.prompt_fields(),
                day=self._day_facts(work.day),
                wake_up=format_hhmm(work.wake),
                memories=self.memory.planning_memories(now, self.rng),
                invitations=[{k: v for k, v in i.items() if k != "day"} for i in invitations],
                places=self.memory.known_places(),
                things=self._things(),
            ),
            validator=Outline.validate,
            parse=parsed_as(Outline),
            then=lambda answer: self._on_outline(work, answer),
            day=work.day,
            priority=Priority.HIGH,
            max_tokens=900,
        )

    def _on_outline(self, work: _DayWork, answer: Outline | Failure) -> None:
        work.waiting = False
        if isinstance(answer, Failure) or not answer.items:
            self._fallback(work)
            return
        work.outline = answer.items
        work.hour = work.wake // 60
        sleep_items = _bedtimes(answer.items, work.wake)
        work.bedtime = sleep_items[-1] if sleep_items else None
        end = sleep_items[-1].start if sleep_items else self.profile.sleep
        if end <= work.wake:
            end += DAY
        work.last_hour = max(work.hour, (end - 1) // 60)
        work.move(DayStage.SCHEDULE)

    def _ask_hour(self, work: _DayWork) -> None:
        work.waiting = True
        whole = self.settings.savings.one_call_schedule
        self.requests.ask(
            Module.HOURLY_SCHEDULE,
            hourly_schedule_messages(
                persona=self.profile.prompt_fields(),
                day=self._day_facts(work.day),
                daily_plan=[i.to_dict() for i in work.outline],
                so_far=[i.to_dict() for i in work.so_far],
                hour=None if whole else work.hour,
                places=self.memory.known_places(),
                things=self._things(),
            ),
            validator=Outline.validate,
            parse=parsed_as(Outline),
            then=lambda answer: self._on_hour(work, answer, whole),
            day=work.day,
            priority=Priority.HIGH,
            max_tokens=900 if whole else 200,
        )

    def _on_hour(self, work: _DayWork, answer: Outline | Failure, whole: bool) -> None:
        work.waiting = False
        if not isinstance(answer, Failure):
            base = work.wake if whole else work.hour * 60
            for item in answer.items:
                start = item.start if item.start >= work.wake - 120 else item.start + DAY
                work.so_far.append(
                    PlanItem(
                        start=max(start, base),
                        duration=item.duration,
                        text=item.text,
                        place=item.place,
                    )
                )
        if whole:
            self.schedule_calls_avoided += max(0, work.last_hour - work.hour)
        work.hour += 1
        if whole or work.hour > work.last_hour:
            self._finish(work, whole)

    def _finish(self, work: _DayWork, whole: bool) -> None:
        hours = list(work.so_far)
        if hours and not whole and work.bedtime is not None:
            # the hours stop at bedtime: the night is the daily plan's
            hours.append(work.bedtime)
        items = _merge(hours) or list(work.outline)
        try:
            plan = parse_plan(
                {
                    "wake_up": format_hhmm(work.wake),
                    "activities": [i.to_dict() for i in items],
                },
                day=work.day,
                known_places=self.memory.known_places(),
                default_place=self.profile.home,
                sleep_at=self.profile.sleep,
            )
        except ValueError:
            self._fallback(work)
            return
        self._set(work, plan)

    def _fallback(self, work: _DayWork) -> None:
        self._set(work, routine_plan(self.profile, work.day))

    def _set(self, work: _DayWork, plan: DailyPlan) -> None:
        work.move(DayStage.READY)
        self.plans[work.day] = plan
        self.revisions[work.day] = self.revisions.get(work.day, 0) + 1
        self.invitations = [i for i in self.invitations if int(i.get("day", 0)) > work.day]
        self._work.pop(work.day, None)
        for old in [d for d in self.plans if d < work.day - 1]:
            del self.plans[old]
        self.memory.on_plan(
            work.day * DAY - DAY + work.wake,
            work.day,
            [
                PlanItem(start=a.start, duration=a.duration, text=a.text, place=a.place)
                for a in plan.activities
            ],
        )
        self.on_change(work.day)

    # ------------------------------------------------------------------ re-planning
    def add_invitation(self, commitment: Commitment, now: int) -> None:
        """An agreement for a day whose plan is not made yet: it goes into that day's daily
        plan (``day_offset`` 0 is today, before today's plan exists)."""
        entry = commitment.to_dict()
        entry["day"] = (now // DAY) + 1 + max(0, commitment.day_offset)
        self.invitations.append(entry)

    def commit_now(self, now: int, commitment: Commitment) -> bool:
        """Put an agreement for later today straight into today's plan (no model call: the
        player's invitation); before today's plan exists it becomes an invitation for it.
        Returns whether today's plan changed."""
        day = now // DAY + 1
        plan = self.plans.get(day)
        if plan is None:
            self.add_invitation(commitment, now)
            return False
        entry = Activity(
            start=commitment.start,
            duration=commitment.duration,
            text=commitment.activity,
            place=commitment.place,
        )
        try:
            self.plans[day] = with_entry(plan, entry)
        except ValueError:
            return False
        self.revisions[day] = self.revision(day) + 1
        self.on_change(day)
        return True

    def replan(self, now: int, event: str, commitment: Commitment | None) -> bool:
        """Rewrite the rest of today around ``event`` (and a commitment for later today).

        Nothing agreed is lost: before today's plan exists the commitment becomes an
        invitation for today's plan; while another re-plan is in flight this one waits for
        it (it is asked at the next tick); an answer that leaves the commitment out gets it
        put in. Returns whether a request was made now.
        """
        day = now // DAY + 1
        plan = self.plans.get(day)
        if plan is None:
            if commitment is not None:
                self.add_invitation(commitment, now)
            return False
        if self._replanning:
            self._queued.append((event, commitment))
            return False
        mod = now % DAY
        remaining = [
            PlanItem(
                start=max(a.start, mod),
                duration=a.end - max(a.start, mod),
                text=a.text,
                place=a.place,
            ).to_dict()
            for a in plan.activities
            if a.end > mod
        ]
        self._replanning = True
        revision = self.revision(day)
        self.requests.ask(
            Module.REPLAN,
            replan_messages(
                persona=self.profile.prompt_fields(),
                now=format_hhmm(mod),
                remaining=remaining,
                event=event,
                commitment=commitment.to_dict() if commitment is not None else None,
                places=self.memory.known_places(),
                things=self._things(),
            ),
            validator=Outline.validate,
            parse=parsed_as(Outline),
            then=lambda answer: self._on_replan(day, revision, mod, commitment, answer),
            day=day,
            priority=Priority.HIGH,
            max_tokens=700,
        )
        return True

    def _on_replan(
        self,
        day: int,
        revision: int,
        mod: int,
        commitment: Commitment | None,
        answer: Outline | Failure,
    ) -> None:
        self._replanning = False
        plan = self.plans.get(day)
        if plan is None:
            return
        if isinstance(answer, Failure) or not answer.items:
            if commitment is None:
                return
            # no usable answer: keep the plan and put the commitment into it
            answer = Outline(
                wake_up=None,
                items=tuple(
                    PlanItem(
                        start=max(a.start, mod),
                        duration=a.end - max(a.start, mod),
                        text=a.text,
                        place=a.place,
                    )
                    for a in plan.activities
                    if a.end > mod
                ),
            )
        if self.revision(day) != revision:
            return  # the plan changed meanwhile; this answer is about an old one
        kept = [a.to_dict() for a in plan.activities if a.end <= mod]
        current = next((a for a in plan.activities if a.start < mod < a.end), None)
        if current is not None:
            kept.append(
                {
                    "start": current.start,
                    "duration": mod - current.start,
                    "text": current.text,
                    "place": current.place,
                }
            )
        new = []
        for item in answer.items:
            start = item.start if item.start >= plan.wake_up - 120 else item.start + DAY
            if start + item.duration <= mod:
                continue
            new.append(
                PlanItem(
                    start=max(start, mod), duration=item.duration, text=item.text, place=item.place
                )
            )
        if commitment is not None:
            new = _with_commitment(new, commitment, mod)
        if not new:
            return
        items = [
            PlanItem(
                start=int(k["start"]),
                duration=int(k["duration"]),
                text=str(k["text"]),
                place=str(k["place"]),
            )
            for k in kept
        ] + _merge(new)
        try:
            replanned = parse_plan(
                {"wake_up": format_hhmm(plan.wake_up), "activities": [i.to_dict() for i in items]},
                day=day,
                known_places=self.memory.known_places(),
                default_place=self.profile.home,
                sleep_at=self.profile.sleep,
            )
        except ValueError:
            return
        self.plans[day] = replanned
        self.revisions[day] = revision + 1
        self.replans += 1
        self.on_change(day)

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        return {
            "plans": [p.to_dict() for _, p in sorted(self.plans.items())],
            "revisions": [[d, r] for d, r in sorted(self.revisions.items())],
            "invitations": [dict(i) for i in self.invitations],
            "replans": self.replans,
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        self.plans = {p.day: p for p in (DailyPlan.from_dict(x) for x in state["plans"])}
        self.revisions = {int(d): int(r) for d, r in state.get("revisions", [])}
        self.invitations = [dict(i) for i in state.get("invitations", [])]
        self.replans = int(state.get("replans", 0))
        self._work = {}
        self._replanning = False
        self._queued = []


def _with_commitment(items: list[PlanItem], commitment: Commitment, mod: int) -> list[PlanItem]:
    """``items`` with the commitment in at its time, unless an item there already names it
    (what it overlaps is cut around it)."""
    start = commitment.start if commitment.start >= mod else commitment.start + DAY
    end = start + commitment.duration
    words = _content_words(commitment.activity)
    for item in items:
        if item.start <= start < item.start + item.duration and words:
            shared = words & _content_words(item.text)
            if len(shared) >= 0.6 * len(words):
                return items
    out: list[PlanItem] = []
    for item in sorted(items, key=lambda i: i.start):
        item_end = item.start + item.duration
        if item_end <= start or item.start >= end:
            out.append(item)
            continue
        if item.start < start:
            out.append(
                PlanItem(
                    start=item.start, duration=start - item.start, text=item.text, place=item.place
                )
            )
        if item_end > end:
            out.append(
                PlanItem(start=end, duration=item_end - end, text=item.text, place=item.place)
            )
    out.append(
        PlanItem(
            start=start,
            duration=commitment.duration,
            text=commitment.activity,
            place=commitment.place or (items[0].place if items else ""),
        )
    )
    return sorted(out, key=lambda i: i.start)


_FILLER = frozenset({"with", "the", "and", "for", "at", "to", "a", "an", "of", "in", "on"})


def _content_words(text: str) -> set[str]:
    return {w.strip(".,!?") for w in text.lower().split()} - _FILLER - {""}


def _is_sleep(text: str) -> bool:
    lowered = text.lower()
    return "sleep" in lowered or "go to bed" in lowered or "bedtime" in lowered


def _bedtimes(items: Sequence[PlanItem], wake: int) -> list[PlanItem]:
    """The daily plan's sleep items after waking up, in order; one after midnight is placed
    after the evening (a sleep before the first waking item is the night before)."""
    out: list[PlanItem] = []
    awake = False
    for item in items:
        if not _is_sleep(item.text):
            awake = True
            continue
        start = item.start + DAY if awake and item.start < wake - 120 else item.start
        if start > wake:
            out.append(
                PlanItem(start=start, duration=item.duration, text=item.text, place=item.place)
            )
    return out


def _merge(items: Sequence[PlanItem]) -> list[PlanItem]:
    """Sort by start and merge neighbours with the same words and place (the hourly
    schedule's continued activities)."""
    out: list[PlanItem] = []
    for item in sorted(items, key=lambda i: i.start):
        if out:
            last = out[-1]
            same = last.text.strip().lower() == item.text.strip().lower()
            if same and last.place == item.place and item.start <= last.start + last.duration + 5:
                end = max(last.start + last.duration, item.start + item.duration)
                out[-1] = PlanItem(
                    start=last.start, duration=end - last.start, text=last.text, place=last.place
                )
                continue
        out.append(item)
    return out


def routine_plan(profile: AgentProfile, day: int) -> DailyPlan:
    """The plan an NPC falls back to when no plan can be had (LLM down, over budget)."""
    p = profile
    work = p.is_work_day(day)
    acts: list[dict[str, Any]] = [
        {
            "start": format_hhmm(p.wake),
            "duration": 60,
            "activity": "morning routine",
            "place": p.home,
        },
        {
            "start": format_hhmm(p.wake + 60),
            "duration": 9 * 60,
            "activity": "work" if work else "relax at home",
            "place": p.workplace if work else p.home,
        },
        {
            "start": format_hhmm(p.wake + 600),
            "duration": max(60, p.sleep - p.wake - 600),
            "activity": "evening at home",
            "place": p.home,
        },
    ]
    return parse_plan(
        {"wake_up": format_hhmm(p.wake), "activities": acts},
        day=day,
        known_places=[p.home, p.workplace],
        default_place=p.home,
        sleep_at=p.sleep,
    )
