"""Behaviour checker: what a player would call wrong in one agent-day, rule by rule.

The town fills one ``AgentDay`` per agent and agent-day (04:00 to 04:00, see
``aga_npc.town.town.agent_day``): the schedule items started, every executed action and a
few counters. ``check_day`` turns a record into readable sentences under each rule's name;
``summarise`` adds them up for the simulation report. Minutes are absolute game minutes
(day 1 00:00 = 0). The rules and their thresholds:

- ``sleep``: at 03:00 the agent is asleep in its own bed (``slept_in_own_bed``).
- ``no_meals``: the agent ate nothing all day (no ``eat`` action; a record without
  actions falls back to meal-named schedule items). Drinks are not meals.
- ``meals``: a named meal whose eating item starts outside its window (``MEAL_WINDOWS``:
  breakfast 05:00-12:30, brunch 09:00-14:00, lunch 11:00-15:30, dinner 17:00-22:30), or
  the same meal eaten twice. Cooking and eating one meal are one meal: a preparation item
  ("cook dinner", "make a sandwich for lunch") joins the next eating item of the same meal
  (else the previous one), even when both contain ``eat`` steps; two eating items are two
  meals. "Cook the lunch service" is work, not a meal. Unnamed eating is a snack (it
  counts for ``no_meals`` only).
- ``daytime_sleep``: ``sleep``/``nap`` minutes between 10:00 and 17:00: more than 30 on a
  work day or 120 on a day off, except planned naps ("take a short nap", "rest on the
  sofa"), which may last 120 minutes on any day. A night that runs on past 10:00 the next
  day counts too (judged as a day off: the next day's work days are not in the record).
- ``work_on_day_off``: more than 180 minutes at the workplace on a day off (needs
  ``workplace``; never when the workplace is the home).
- ``work``: less than 60 minutes at the workplace on a work day.
- ``wrong_place``: an action on an object in another sector than its schedule item's
  planned place (actions on no object, and talk/reaction/waiting actions, are exempt).
- ``plan_mismatch``: an action that does not fit its schedule item's text
  (``aga_npc.town.agreement``); same exemptions.
- ``actions``: actions that could not be performed or grounded (one finding per day).
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from typing import Any

from aga_npc.places import Address
from aga_npc.town.agreement import fit_reason, judged_pair
from aga_npc.world.kinds import KindRegistry

__all__ = [
    "DAYTIME",
    "DAYTIME_NAP",
    "DAYTIME_SLEEP_DAY_OFF",
    "DAYTIME_SLEEP_WORK_DAY",
    "DAY_OFF_WORK_ALLOWANCE",
    "EXEMPT_SOURCES",
    "MEAL_WINDOWS",
    "MIN_WORK_MINUTES",
    "RULES",
    "ActionRecord",
    "ActionSource",
    "AgentDay",
    "Meal",
    "ScheduleStart",
    "check_day",
    "meal_kind",
    "meals_of",
    "summarise",
]

DAY = 1440
RULES = (
    "sleep",
    "no_meals",
    "meals",
    "daytime_sleep",
    "work_on_day_off",
    "work",
    "wrong_place",
    "plan_mismatch",
    "actions",
)
MEAL_WINDOWS = {
    "breakfast": (5 * 60, 12 * 60 + 30),
    "brunch": (9 * 60, 14 * 60),
    "lunch": (11 * 60, 15 * 60 + 30),
    "dinner": (17 * 60, 22 * 60 + 30),
}
_MEAL_WORDS = {
    "breakfast": ("breakfast",),
    "brunch": ("brunch",),
    "lunch": ("lunch",),
    "dinner": ("dinner", "supper"),
}
_NOT_A_MEAL = ("service", "customer", "orders", "menu", "shift", "for the guests")
_PREP_WORDS = ("cook", "make", "prepare", "prep ", "bake", "heat", "fry", "whip", "fix ")
_EAT_WORDS = (" eat", "eats", "eating", "ate ", "dine", "have ", "has ", "having", "grab", "enjoy")
EAT_VERBS = frozenset({"eat"})
SLEEP_VERBS = frozenset({"sleep", "nap"})
MIN_WORK_MINUTES = 60
DAYTIME = (10 * 60, 17 * 60)
DAYTIME_SLEEP_WORK_DAY = 30
DAYTIME_SLEEP_DAY_OFF = 120
DAYTIME_NAP = 120
_NAP_PLAN = re.compile(  # "take a nap", "rest on the sofa"; not "restock" or "a dozen"
    r"\b(?:nap|naps|napping|napped|doze|dozes|dozed|dozing|snooze[sd]?|snoozing|siesta|"
    r"rest|rests|rested|resting|lie down|lies down|lying down)\b"
)
DAY_OFF_WORK_ALLOWANCE = 180
DETAILS_PER_RULE = 50


class ActionSource(enum.StrEnum):
    """How an executed action was obtained."""

    POLICY = "policy"
    LLM = "llm"
    FALLBACK = "fallback"
    REACTION = "reaction"
    TALK = "talk"
    WAITING = "waiting"


EXEMPT_SOURCES = frozenset({ActionSource.TALK, ActionSource.REACTION, ActionSource.WAITING})
"""Sources the place and plan rules skip: talking, reacting to an event, and the few
minutes a body keeps its previous action while the brain waits for an answer."""


def meal_kind(text: str) -> str | None:
    """Which meal an activity text is about, if any ("cook the lunch service" is work)."""
    lowered = text.lower()
    if any(w in lowered for w in _NOT_A_MEAL):
        return None
    for kind, words in _MEAL_WORDS.items():
        if any(w in lowered for w in words):
            return kind
    return None


def _is_prep(text: str) -> bool:
    """A text about preparing food without eating it ("cook dinner", "make pancakes")."""
    lowered = f" {text.lower()} "
    return any(w in lowered for w in _PREP_WORDS) and not any(w in lowered for w in _EAT_WORDS)


def _hhmm(minute: int) -> str:
    mod = minute % DAY
    return f"{mod // 60:02d}:{mod % 60:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleStart:
    """A schedule item the agent started: when, its text and its planned place (a sector)."""

    minute: int
    text: str
    place: str = ""

    def to_list(self) -> list[Any]:
        return [self.minute, self.text, self.place]

    @classmethod
    def from_list(cls, row: Sequence[Any]) -> ScheduleStart:
        return cls(minute=int(row[0]), text=str(row[1]), place=str(row[2]) if len(row) > 2 else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRecord:
    """One executed action, as the player saw it.

    Attributes:
        start: absolute game minute it began.
        minutes: how long it ran (>= 0; 0 for an action cut short at once).
        verb: what was done ("cook").
        target: the real object address ``sector:arena:object``; "" for no object.
        kind: the object's kind ("stove"); "" for no object.
        sector: the target's sector; derived from ``target`` when left empty.
        plan: the text of the schedule item the action belongs to.
        place: the schedule item's planned place (a real sector name).
        source: how the action was obtained.
    """

    start: int
    minutes: int
    verb: str
    target: str = ""
    kind: str = ""
    sector: str = ""
    plan: str = ""
    place: str = ""
    source: ActionSource = ActionSource.LLM

    def __post_init__(self) -> None:
        if not self.verb:
            raise ValueError("ActionRecord.verb must not be empty")
        if self.minutes < 0:
            raise ValueError(f"ActionRecord.minutes must be >= 0, got {self.minutes}")
        address = Address.try_parse(self.target) if self.target else None
        if self.target and (address is None or not address.is_object):
            raise ValueError(f"target must read sector:arena:object, got {self.target!r}")
        object.__setattr__(self, "source", ActionSource(self.source))
        if self.target and not self.sector:
            object.__setattr__(self, "sector", address.sector if address else "")

    @property
    def end(self) -> int:
        return self.start + self.minutes

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "minutes": self.minutes,
            "verb": self.verb,
            "target": self.target,
            "kind": self.kind,
            "sector": self.sector,
            "plan": self.plan,
            "place": self.place,
            "source": self.source.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActionRecord:
        return cls(
            start=int(data["start"]),
            minutes=int(data["minutes"]),
            verb=str(data["verb"]),
            target=str(data.get("target", "")),
            kind=str(data.get("kind", "")),
            sector=str(data.get("sector", "")),
            plan=str(data.get("plan", "")),
            place=str(data.get("place", "")),
            source=ActionSource(str(data.get("source", "llm"))),
        )


@dataclass(slots=True)
class AgentDay:
    """What the town recorded of one agent on one agent-day (04:00 to 04:00).

    Attributes:
        agent, day: who and which agent-day (1-based).
        work_day: whether the agent works that day.
        slept_in_own_bed: asleep in the own bed at 03:00 (None: not checked).
        work_minutes: minutes spent in the workplace sector.
        failed_actions: actions that could not be performed or grounded.
        home, workplace: the agent's sectors ("" for none or unknown).
        schedule: schedule items started, in order.
        executed: every action executed, in order.
        activities: legacy input, ``(minute, text)`` pairs of items started; turned into
            ``schedule`` (without places). Kept while ``Town.agent_days`` still passes it.
        actions: legacy input (an action count that was never filled); ignored.
    """

    agent: str
    day: int
    work_day: bool
    slept_in_own_bed: bool | None = None
    work_minutes: int = 0
    failed_actions: int = 0
    home: str = ""
    workplace: str = ""
    schedule: list[ScheduleStart] = field(default_factory=list)
    executed: list[ActionRecord] = field(default_factory=list)
    activities: InitVar[Iterable[Sequence[Any]] | None] = None
    actions: InitVar[int | None] = None

    def __post_init__(
        self, activities: Iterable[Sequence[Any]] | None, actions: int | None
    ) -> None:
        del actions  # legacy, never filled
        if activities is not None:
            self.schedule = [ScheduleStart.from_list(row) for row in activities]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for saves); ``from_dict`` gives an equal record back."""
        return {
            "agent": self.agent,
            "day": self.day,
            "work_day": self.work_day,
            "slept_in_own_bed": self.slept_in_own_bed,
            "work_minutes": self.work_minutes,
            "failed_actions": self.failed_actions,
            "home": self.home,
            "workplace": self.workplace,
            "schedule": [s.to_list() for s in self.schedule],
            "executed": [a.to_dict() for a in self.executed],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AgentDay:
        """A record from ``to_dict`` output (older rows without the lists load too)."""
        slept = data.get("slept_in_own_bed")
        return cls(
            agent=str(data["agent"]),
            day=int(data["day"]),
            work_day=bool(data["work_day"]),
            slept_in_own_bed=None if slept is None else bool(slept),
            work_minutes=int(data.get("work_minutes", 0)),
            failed_actions=int(data.get("failed_actions", 0)),
            home=str(data.get("home", "")),
            workplace=str(data.get("workplace", "")),
            schedule=[ScheduleStart.from_list(r) for r in data.get("schedule", ())],
            executed=[ActionRecord.from_dict(a) for a in data.get("executed", ())],
        )

    @property
    def base(self) -> int:
        """Absolute minute of 00:00 on the calendar day this agent-day starts."""
        return (self.day - 1) * DAY


# ---------------------------------------------------------------------- meals
@dataclass(frozen=True, slots=True, kw_only=True)
class Meal:
    """One meal eaten.

    Attributes:
        kind: "breakfast", "brunch", "lunch", "dinner", or "snack" when unnamed.
        minute: when eating began (the eating item's first ``eat`` action).
        planned: when the meal's eating item started (its time is judged by this).
        texts: the schedule items that made it (a preparation item merged with its eating
            item).
    """

    kind: str
    minute: int
    planned: int
    texts: tuple[str, ...]


@dataclass(slots=True)
class _Occurrence:
    index: int
    kind: str
    minute: int
    start: int
    text: str
    prep: bool
    ate: bool


def _schedule_of(record: AgentDay) -> list[ScheduleStart]:
    """The record's schedule (an item noted again right after itself, as when it resumes
    after a talk, is one item), or one derived from its actions' plan texts when empty."""
    items = sorted(record.schedule, key=lambda s: s.minute) or [
        ScheduleStart(minute=a.start, text=a.plan, place=a.place)
        for a in sorted(record.executed, key=lambda a: a.start)
        if a.plan
    ]
    merged: list[ScheduleStart] = []
    for item in items:
        if not merged or merged[-1].text != item.text:
            merged.append(item)
    return merged


def _item_index(schedule: list[ScheduleStart], starts: list[int], action: ActionRecord) -> int:
    """The schedule item an action belongs to: the latest started one with its plan text,
    else the latest started one (-1 before the first)."""
    last = bisect.bisect_right(starts, action.start) - 1
    for i in range(last, -1, -1):
        if schedule[i].text == action.plan:
            return i
    return last


def meals_of(record: AgentDay) -> list[Meal]:
    """The meals an agent ate on one agent-day, cooking and eating merged into one meal.

    With executed actions, a meal is eaten when an ``eat`` action ran (in a meal-named item,
    or as a "snack" in any other); without them (an older record), every meal-named item
    counts as eaten.
    """
    schedule = _schedule_of(record)
    starts = [s.minute for s in schedule]
    from_text = not record.executed
    eats: dict[int, int] = {}
    for action in record.executed:
        if action.verb in EAT_VERBS:
            i = _item_index(schedule, starts, action)
            eats[i] = min(eats.get(i, action.start), action.start)
    occurrences: list[_Occurrence] = []
    for i, item in enumerate(schedule):
        kind = meal_kind(item.text)
        if kind is None and i not in eats:
            continue
        occurrences.append(
            _Occurrence(
                index=i,
                kind=kind or "snack",
                minute=eats.get(i, item.minute),
                start=item.minute,
                text=item.text,
                prep=_is_prep(item.text),
                ate=from_text or i in eats,
            )
        )
    if -1 in eats:
        occurrences.append(
            _Occurrence(
                index=-1,
                kind="snack",
                minute=eats[-1],
                start=eats[-1],
                text="",
                prep=False,
                ate=True,
            )
        )
    meals: list[Meal] = []
    for anchor, cluster in _clusters(occurrences):
        eaten = [o for o in cluster if o.ate]
        if not eaten:
            continue  # cooked but never eaten
        when = anchor if anchor.ate else min(eaten, key=lambda o: o.minute)
        meals.append(
            Meal(
                kind=anchor.kind,
                minute=when.minute,
                planned=when.start,
                texts=tuple(o.text for o in cluster),
            )
        )
    return sorted(meals, key=lambda m: m.minute)


def _clusters(occurrences: list[_Occurrence]) -> list[tuple[_Occurrence, list[_Occurrence]]]:
    """Occurrences grouped into meals, each with the occurrence that dates it.

    Every eating item of a meal kind is a meal of its own; a preparation item of that kind
    ("cook dinner", "make a sandwich for lunch") joins the next eating item of the same
    kind, else the previous one, however far apart (cooking at 16:00 for a 19:00 dinner,
    a packed lunch made at breakfast). Preparation items with no eating item of their kind
    form one meal together. Snacks never merge.
    """
    out: list[tuple[_Occurrence, list[_Occurrence]]] = []
    by_kind: dict[str, list[_Occurrence]] = {}
    for occ in sorted(occurrences, key=lambda o: (o.index, o.minute)):
        by_kind.setdefault(occ.kind, []).append(occ)
    for kind, items in by_kind.items():
        if kind == "snack":
            out.extend((o, [o]) for o in items)
            continue
        anchors = [o for o in items if not o.prep]
        if not anchors:
            out.append((items[0], items))
            continue
        groups: dict[int, list[_Occurrence]] = {id(a): [a] for a in anchors}
        for occ in items:
            if occ.prep:
                after = [a for a in anchors if a.index > occ.index]
                target = after[0] if after else anchors[-1]
                groups[id(target)].append(occ)
        out.extend((a, sorted(groups[id(a)], key=lambda o: o.index)) for a in anchors)
    return out


# ---------------------------------------------------------------------- rules
def _overlap(start: int, end: int, lo: int, hi: int) -> int:
    return max(0, min(end, hi) - max(start, lo))


def _judged(record: AgentDay) -> list[ActionRecord]:
    """Actions the place and plan rules look at (not talking, reacting or waiting)."""
    return [a for a in record.executed if a.source not in EXEMPT_SOURCES]


def _action_words(a: ActionRecord) -> str:
    where = f" on {a.target}" if a.target else ""
    return f"at {_hhmm(a.start)} '{a.verb}'{where} ({a.minutes} min, {a.source.value})"


def _meal_findings(record: AgentDay, meals: list[Meal]) -> tuple[list[str], list[str]]:
    none_found: list[str] = []
    if not meals and (record.schedule or record.executed):
        none_found.append(f"{record.agent} ate nothing on day {record.day}")
    found: list[str] = []
    by_kind: dict[str, list[Meal]] = {}
    for meal in meals:
        if meal.kind == "snack":
            continue
        by_kind.setdefault(meal.kind, []).append(meal)
        lo, hi = MEAL_WINDOWS[meal.kind]
        if not lo <= meal.planned % DAY <= hi:
            found.append(
                f"{record.agent} had {meal.kind} at {_hhmm(meal.planned)} on day {record.day}, "
                f"outside {_hhmm(lo)}-{_hhmm(hi)} ('{meal.texts[0]}')"
            )
    for kind, same in by_kind.items():
        if len(same) > 1:
            when = ", ".join(f"{_hhmm(m.minute)} '{m.texts[-1]}'" for m in same)
            found.append(
                f"{record.agent} had {kind} {len(same)} times on day {record.day} ({when})"
            )
    return none_found, found


def _is_nap(plan: str) -> bool:
    return _NAP_PLAN.search(plan.lower()) is not None


def _daytime_sleep(record: AgentDay) -> list[str]:
    """Sleep between 10:00 and 17:00 of the record's day and of the next (a night that runs
    on past 10:00): planned naps up to ``DAYTIME_NAP`` minutes, any other sleep up to
    ``DAYTIME_SLEEP_WORK_DAY`` on a work day and ``DAYTIME_SLEEP_DAY_OFF`` otherwise (the
    next day's work days are unknown here, so a night running on counts as a day off)."""
    found: list[str] = []
    for offset, work_day in ((0, record.work_day), (DAY, False)):
        lo, hi = record.base + offset + DAYTIME[0], record.base + offset + DAYTIME[1]
        sleeps = [
            a for a in record.executed if a.verb in SLEEP_VERBS and _overlap(a.start, a.end, lo, hi)
        ]
        naps = sum(_overlap(a.start, a.end, lo, hi) for a in sleeps if _is_nap(a.plan))
        other = sum(_overlap(a.start, a.end, lo, hi) for a in sleeps if not _is_nap(a.plan))
        limit = DAYTIME_SLEEP_WORK_DAY if work_day else DAYTIME_SLEEP_DAY_OFF
        if other <= limit and naps + other <= DAYTIME_NAP:
            continue
        kind = "work day" if work_day else "day off"
        day = record.day + offset // DAY
        first = sleeps[0]
        found.append(
            f"{record.agent} slept {naps + other} min between {_hhmm(lo)} and {_hhmm(hi)} on "
            f"{kind} {day} (from {_hhmm(first.start)}, '{first.plan}'; allowed "
            f"{min(limit, DAYTIME_NAP) if other else DAYTIME_NAP} min)"
        )
    return found


def check_day(record: AgentDay, kinds: KindRegistry | None = None) -> dict[str, list[str]]:
    """Violations of one agent-day, by rule (every rule present), each a readable sentence.

    ``kinds``: the world's object kinds (default: the household kinds); an action is held
    to its plan only on a household kind that affords its verb in them.
    """
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    who, day = record.agent, record.day
    if record.slept_in_own_bed is False:
        found["sleep"].append(f"{who} was not asleep in own bed at 03:00 after day {day}")
    found["no_meals"], found["meals"] = _meal_findings(record, meals_of(record))
    found["daytime_sleep"] = _daytime_sleep(record)
    works_away = bool(record.workplace) and record.workplace != record.home
    if not record.work_day and works_away and record.work_minutes > DAY_OFF_WORK_ALLOWANCE:
        found["work_on_day_off"].append(
            f"{who} spent {record.work_minutes} min at {record.workplace} on day {day}, a day "
            f"off (allowed {DAY_OFF_WORK_ALLOWANCE} min)"
        )
    if record.work_day and record.work_minutes < MIN_WORK_MINUTES:
        found["work"].append(f"{who} spent {record.work_minutes} min at work on work day {day}")
    for a in _judged(record):
        if a.target and a.place and a.sector != a.place:
            found["wrong_place"].append(
                f"{who} {_action_words(a)} for '{a.plan}', planned at {a.place}"
            )
        reason = fit_reason(a.plan, a.verb, a.kind, place=a.place, kinds=kinds)
        if reason is not None:
            found["plan_mismatch"].append(
                f"{who} {_action_words(a)} does not fit '{a.plan}': {reason}"
            )
    if record.failed_actions:
        found["actions"].append(f"{who}: {record.failed_actions} actions failed on day {day}")
    return found


def _plan_checked(record: AgentDay, kinds: KindRegistry | None) -> list[ActionRecord]:
    """Actions the plan rule judges: not exempt, using an object with an afforded verb."""
    return [a for a in _judged(record) if judged_pair(a.verb, a.kind, kinds)]


def summarise(records: Iterable[AgentDay], kinds: KindRegistry | None = None) -> dict[str, Any]:
    """Totals by rule (every rule, 0 when clean), per agent-day figures, the failed-action
    share (failed / (executed + failed)), the plan-action mismatch share (mismatched /
    judged actions: not talk, reaction or waiting, on an object that affords the verb, also
    by source), and the first ``DETAILS_PER_RULE`` sentences of every rule."""
    by_rule = dict.fromkeys(RULES, 0)
    details: dict[str, list[str]] = {rule: [] for rule in RULES}
    flagged_days: list[dict[str, Any]] = []
    agent_days = executed = failed = checked = mismatched = meals = 0
    mismatch_by_source: dict[str, list[int]] = {}
    for record in records:
        agent_days += 1
        executed += len(record.executed)
        failed += record.failed_actions
        meals += sum(1 for m in meals_of(record) if m.kind != "snack")
        found = check_day(record, kinds)
        counts = {rule: len(items) for rule, items in found.items() if items}
        for rule, items in found.items():
            by_rule[rule] += len(items)
            room = DETAILS_PER_RULE - len(details[rule])
            details[rule].extend(items[: max(0, room)])
        if counts:
            flagged_days.append(
                {"agent": record.agent, "day": record.day, "total": sum(counts.values()), **counts}
            )
        for a in _plan_checked(record, kinds):
            row = mismatch_by_source.setdefault(a.source.value, [0, 0])
            row[0] += 1
            bad = fit_reason(a.plan, a.verb, a.kind, place=a.place, kinds=kinds) is not None
            row[1] += bad
            checked += 1
            mismatched += bad
    total = sum(by_rule.values())
    attempted = executed + failed
    return {
        "total": total,
        "by_rule": by_rule,
        "agent_days": agent_days,
        "per_agent_day": total / agent_days if agent_days else 0.0,
        "per_agent_day_by_rule": {
            rule: (n / agent_days if agent_days else 0.0) for rule, n in by_rule.items()
        },
        "agent_days_flagged": len(flagged_days),
        "flagged_agent_days": flagged_days,
        "meals_per_agent_day": meals / agent_days if agent_days else 0.0,
        "executed_actions": executed,
        "failed_actions": failed,
        "failed_action_share": failed / attempted if attempted else 0.0,
        "plan_checked_actions": checked,
        "plan_mismatched_actions": mismatched,
        "plan_mismatch_share": mismatched / checked if checked else 0.0,
        "plan_mismatch_by_source": {
            source: {"checked": n, "mismatched": bad, "share": bad / n if n else 0.0}
            for source, (n, bad) in sorted(mismatch_by_source.items())
        },
        "details": details,
    }
