"""The offline ``plan_day`` answer: a plausible, varied day built from the request's context.

The day's structure (times, places, durations) is drawn from the request's generator; the
wording of every item from a second generator split off it first, so the same request gives
the same day under every ``wording`` and only the words differ (see
:mod:`aga_npc.offline.paraphrase`).
"""

from __future__ import annotations

import itertools
import random
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.offline import wording as W
from aga_npc.offline.facts import WEEKDAYS, Town, build_town, is_work_day
from aga_npc.offline.leisure import LEISURE, LeisureOption
from aga_npc.offline.paraphrase import Say, Voice, check_wording
from aga_npc.offline.phrasing import (
    capitalise,
    chance,
    pick,
    pick_weighted,
    render_json,
    round5,
    wordset,
)
from aga_npc.offline.pursuits import Person, read_person, requirement_family, requirement_say
from aga_npc.offline.wandering import Wish, inspired_activities
from aga_npc.planning.schedule import format_hhmm, parse_hhmm

__all__ = ["PlanItem", "answer_plan_day", "build_plan", "is_sleep", "meal_of", "plan_items"]

DAY = 1440
MIN_ACTIVITIES, MAX_ACTIVITIES = 8, 16
_EXTRA_KINDS = ("extra", "bedprep", "commute", "break")
_MEAL_WORDS = {
    "breakfast": ("breakfast", "brunch"),
    "lunch": ("lunch",),
    "dinner": ("dinner", "supper"),
}
_NOT_A_MEAL = ("service", "customers", "orders", "menu", "shift", "for the guests")
_INVITE_VERBS = wordset(
    "go attend join meet have visit play study watch help celebrate see eat get take walk "
    "grab drink dance listen"
)


def meal_of(text: str) -> str | None:
    """The meal an item is about ("cook the lunch service" is work, not a meal)."""
    lowered = text.lower()
    if any(w in lowered for w in _NOT_A_MEAL):
        return None
    for meal, words in _MEAL_WORDS.items():
        if any(w in lowered for w in words):
            return meal
    return None


def is_sleep(text: str) -> bool:
    """Whether the plan parser reads an item as the night's sleep."""
    lowered = text.lower()
    return "sleep" in lowered or "go to bed" in lowered or "bedtime" in lowered


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanItem:
    """One planned activity with what it is about.

    Attributes:
        start: minutes since midnight of the plan's day (after midnight: past 1440).
        duration: minutes, up to the next item's start.
        text: the wording.
        place: a listed place.
        kind: its part in the day ("routine", "breakfast", "work", "leisure", "wish",
            "sleep" ...).
        family: what it is about, for checking a decomposition ("meal:home",
            "work:barista", "read", "study" ...; "" when unclear).
    """

    start: int
    duration: int
    text: str
    place: str
    kind: str
    family: str


@dataclass(slots=True)
class _Seg:
    start: int
    end: int
    text: str
    place: str
    kind: str
    family: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


def answer_plan_day(
    context: Mapping[str, Any], rng: random.Random, *, wording: str = "default"
) -> str:
    """The completion text: the plan as JSON, styled like a chat model's reply.

    Args:
        context: the request's context block (persona, day, memories, invitations, places).
        rng: the request's generator.
        wording: ``"default"`` (as a chat model words plans day to day) or
            ``"paraphrase"`` (every item reworded every day; a stress option).
    """
    value = build_plan(context, rng, wording=wording)
    person = read_person(_mapping(context.get("persona")))
    weekday = str(_mapping(context.get("day")).get("weekday") or "the day").capitalize()
    first = person.facts.first
    lead_ins = (
        f"Here is {first}'s plan for {weekday}:",
        f"Sure! Here's {first}'s schedule for {weekday}.",
        f"Here's how {first} might spend {weekday}:",
        f"{first}'s plan for the day:",
    )
    return render_json(rng, value, lead_ins=lead_ins, fence=0.2, lead=0.15)


def build_plan(
    context: Mapping[str, Any], rng: random.Random, *, wording: str = "default"
) -> dict[str, Any]:
    """The plan as a JSON-ready dict ``{"wake_up": "HH:MM", "activities": [...]}``.

    Each activity is ``{"start", "duration", "activity", "place"}`` (key order varies as
    a model's does). See ``answer_plan_day`` for ``wording``.
    """
    planner = _plan(context, rng, wording)
    return planner.emit()


def plan_items(
    context: Mapping[str, Any], rng: random.Random, *, wording: str = "default"
) -> list[PlanItem]:
    """The same plan as ``build_plan`` (same generator state), as items with their kinds."""
    planner = _plan(context, rng, wording)
    segs = sorted(planner.segs, key=lambda s: s.start)
    items = []
    for i, seg in enumerate(segs):
        end = segs[i + 1].start if i + 1 < len(segs) else seg.end
        items.append(
            PlanItem(
                start=seg.start,
                duration=end - seg.start,
                text=seg.text,
                place=seg.place,
                kind=seg.kind,
                family=seg.family,
            )
        )
    return items


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: Any) -> Sequence[Any]:
    return value if isinstance(value, Sequence) and not isinstance(value, str) else ()


def _plan(context: Mapping[str, Any], rng: random.Random, wording: str) -> _Planner:
    check_wording(wording)
    words = random.Random(f"wording:{rng.getrandbits(64)}")
    person = read_person(_mapping(context.get("persona")))
    day = _mapping(context.get("day"))
    weekday = str(day.get("weekday") or "").lower()
    work_day = is_work_day(day, person.facts)
    town = build_town(_sequence(context.get("places")), person.facts, work_day=work_day)
    voice = Voice(
        words,
        person.facts,
        wording=wording,
        day=_day_number(day, weekday),
        slots=_slots(person, town, weekday),
    )
    planner = _Planner(rng, voice, person, town, work_day=work_day, weekday=weekday)
    planner.add_invitations(_sequence(context.get("invitations")))
    planner.add_day_frame()
    wishes = inspired_activities(_sequence(context.get("memories")), town, rng)
    planner.fill_gaps([*planner.requirement_wishes(), *wishes])
    planner.fit_count()
    return planner


def _day_number(day: Mapping[str, Any], weekday: str) -> int:
    try:
        return int(day.get("day"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return WEEKDAYS.index(weekday) + 1 if weekday in WEEKDAYS else 0


def _slots(person: Person, town: Town, weekday: str) -> dict[str, str | tuple[str, ...]]:
    index = WEEKDAYS.index(weekday) if weekday in WEEKDAYS else 0
    later = tuple(WEEKDAYS[(index + k) % 7].capitalize() for k in (1, 2, 3))
    slots: dict[str, str | tuple[str, ...]] = {
        **W.WORDS,
        **person.slots,
        "work": town.work or "work",
        "home": town.home,
        "later": later,
    }
    if person.role.key == "student":
        slots["mates"] = ("classmates", "friends from class")
    return slots


def _habits(person: Person) -> frozenset[str]:
    """The few everyday pastimes this person keeps coming back to (stable for a persona).

    A real model asked every day for the same person's plan settles into a small set of
    activities (the paper's Figure 6): the person's own pursuits and three everyday ones;
    memories sampled by mind wandering are what bring new ones in (see
    :mod:`aga_npc.offline.wandering`).
    """
    words = person.facts.words
    ranked = sorted(
        LEISURE,
        key=lambda opt: (
            not (opt.affinity & words),
            zlib.crc32(f"{person.facts.name}:{opt.key}".encode()),
        ),
    )
    return frozenset(opt.key for opt in ranked[:HABIT_COUNT]) | {o.key for o in person.pursuits}


HABIT_COUNT = 3
HABIT_OUTSIDER = 0.01


class _Planner:
    """Builds one day: fixed blocks first, then work around them, then leisure in gaps."""

    def __init__(
        self,
        rng: random.Random,
        voice: Voice,
        person: Person,
        town: Town,
        *,
        work_day: bool,
        weekday: str,
    ) -> None:
        self.rng = rng
        self.voice = voice
        self.person = person
        self.p = person.facts
        self.role = person.role
        self.town = town
        self.work_day = work_day
        self.weekend = weekday in ("saturday", "sunday")
        self.night_out = weekday in ("friday", "saturday")
        self.segs: list[_Seg] = []
        self.used: set[str] = set()
        self.said: set[str] = set()
        self.last_leisure = ""
        self.home = town.home
        self.work = town.work or town.home
        self.meals_in_invites: set[str] = set()
        self.habits = _habits(person)
        self.options = (*LEISURE, *person.pursuits)
        self._role_words = {
            w for t in self.role.say.cores for w in _WORDS.findall(t) if len(w) > 3
        } - {"work", "with", "that", "from"}
        self._role_verbs = {
            m.group(1) for t in self.role.say.cores for m in re.finditer(r"~(\w+)", t)
        } - _GENERIC_VERBS
        self._times()

    # ------------------------------------------------------------------ wording
    def _say(
        self, say: Say, kind: str, slots: Mapping[str, Any] | None = None, *, at: int = 0
    ) -> str:
        """One item's words, starting at minute ``at``: a meal names its meal, only the
        night says sleep, and no wording comes twice in a day."""
        meal = kind if kind in _MEAL_WORDS else None
        part = "morning" if at < 12 * 60 else "afternoon" if at < 17 * 60 + 30 else "evening"
        slots = {**(slots or {}), "part": part, "span": _SPANS[part]}

        def valid(text: str) -> bool:
            if text.lower() in self.said:
                return False
            if (kind == "sleep") != is_sleep(text):
                return False
            return meal_of(text) == meal

        text = self.voice.phrase(say, slots, valid=valid)
        self.said.add(text.lower())
        return text

    def _add(
        self, start: int, end: int, text: str, place: str, kind: str, family: str = ""
    ) -> None:
        self.segs.append(
            _Seg(start=start, end=end, text=text, place=place, kind=kind, family=family)
        )

    # ------------------------------------------------------------------ frame
    def _times(self) -> None:
        rng, p, role = self.rng, self.p, self.role
        base_wake = p.wake if p.wake is not None else 7 * 60
        if p.wake is None and self.work_day:
            base_wake = max(5 * 60, min(base_wake, role.start - 75))
        self.base_wake = base_wake
        wake = base_wake + pick(rng, (-10, -5, 0, 0, 5, 10, 15))
        if not self.work_day and (self.weekend or p.workplace):
            wake += pick(rng, (0, 15, 30, 45, 60, 90))  # sleeping in on a day off
        self.wake = min(max(round5(wake), 4 * 60 + 30), 11 * 60)
        sleep = p.sleep if p.sleep is not None else 23 * 60
        if p.sleep is None and self.work_day and role.end >= 22 * 60:
            sleep = role.end + 60
        if sleep < self.wake + 6 * 60:
            sleep += DAY
        sleep += pick(rng, (-15, -10, 0, 0, 10, 15, 30))
        if self.night_out:
            sleep += pick(rng, (0, 30, 60))
        self.sleep = round5(min(max(sleep, self.wake + 12 * 60), self.wake + 19 * 60))
        if self.work_day and role.start < self.wake + 50:
            self.work_start = self.wake + 60
        else:
            self.work_start = role.start + pick(rng, (-15, 0, 0, 15, 30))
        self.work_end = role.end + pick(rng, (-30, -15, 0, 0, 15, 30))
        self.work_end = min(self.work_end, self.sleep - 60)

    def _free(self, start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in self.segs)

    def _place(self, pref: int, dur: int, lo: int, hi: int) -> int | None:
        candidates = [pref]
        for s in self.segs:
            candidates += [s.end, s.start - dur]
        best: int | None = None
        for c in candidates:
            fits = lo <= c and c + dur <= hi and self._free(c, c + dur)
            if fits and (best is None or abs(c - pref) < abs(best - pref)):
                best = c
        return best

    def add_invitations(self, invitations: Sequence[Any]) -> None:
        """Accepted invitations go in first, at their own time."""
        for inv in invitations:
            if not isinstance(inv, Mapping):
                continue
            try:
                start = parse_hhmm(inv.get("start", ""))
                duration = int(inv.get("duration") or 60)
            except (TypeError, ValueError):
                continue
            if start < 5 * 60:
                continue
            duration = min(max(duration, 15), 300)
            if start < self.wake + 60:
                self.wake = max(4 * 60 + 30, round5(start - 60))
            end = start + duration
            if not self._free(start, end):
                continue
            place = str(inv.get("place") or "") or self.home
            activity = str(inv.get("activity") or "")
            meal = meal_of(activity)
            if meal is not None:
                self.meals_in_invites.add(meal)
            text = self._say(
                _invite_say(activity, place), meal or "invite", {"place": place}, at=start
            )
            family = f"meal:{'home' if place == self.home else 'out'}" if meal else "social"
            self._add(start, end, text, place, "invite", family)
            if end > self.sleep - 10:
                self.sleep = round5(end + pick(self.rng, (15, 20, 30)))

    def add_day_frame(self) -> None:
        """Morning routine, meals, work blocks, bed preparation and sleep."""
        rng = self.rng
        wake = self.wake
        routine = pick(rng, (25, 30, 30, 35, 40, 45))
        if chance(rng, 0.3):
            first = pick(rng, (5, 10, 10, 15))
            text = self._say(W.ROUTINE_SPLIT[0], "routine")
            self._add(wake, wake + first, text, self.home, "routine", "routine")
            text = self._say(W.ROUTINE_SPLIT[1], "routine")
            self._add(wake + first, wake + routine, text, self.home, "routine", "routine")
        else:
            text = self._say(W.ROUTINE, "routine")
            self._add(wake, wake + routine, text, self.home, "routine", "routine")
        # The night first, so that no meal is placed after bedtime.
        wake_next = max(self.base_wake + DAY, self.sleep + 360)
        text = self._say(W.SLEEP, "sleep")
        self._add(self.sleep, wake_next, text, self.home, "sleep", "sleep")
        if chance(rng, 0.3):
            start = self.sleep - pick(rng, (10, 15, 20))
            if self._free(start, self.sleep):
                text = self._say(W.BED_PREP, "bedprep")
                self._add(start, self.sleep, text, self.home, "bedprep", "bedprep")
        self._breakfast(wake + routine)
        if self.work_day:
            self._commute()
        self._lunch()
        self._dinner()
        if self.work_day:
            self._work_blocks()

    def _meal(
        self, meal: str, pref: int, dur: int, lo: int, hi: int, where: str, place: str
    ) -> None:
        if meal in self.meals_in_invites:
            return
        start = self._place(pref, dur, lo, hi)
        if start is None:
            start = self._place(pref, 20, lo - 60, hi + 60)
            dur = 20
        if start is None:
            return
        usual = self._usual_place(meal)
        if usual is not None and usual != self.work:
            where, place = ("home", self.home) if usual == self.home else ("out", usual)
        say = self._meal_say(meal, where)
        text = self._say(say, meal, {"place": place, "food": W.FOODS[meal]}, at=start)
        family = "meal:home" if where == "home" else "meal:work" if where == "work" else "meal:out"
        self._add(start, start + dur, text, place, meal, family)

    def _meal_say(self, meal: str, where: str) -> Say:
        """The meal's wordings, with this person's habits at home ("dinner with the family",
        "the crossword over breakfast") mixed in."""
        base = W.MEALS[meal][where]
        if where != "home":
            return base
        extra = list(self.person.meal_habits.get(meal, ()))
        company = self.person.company
        if meal == "dinner" and company:
            extra += [
                f"~have dinner with {company}",
                f"~cook dinner for {company}",
                f"~sit down to dinner with {company}",
                f"~eat dinner with {company}[ {{kitchen}}|]",
            ]
        if not extra:
            return base
        return Say(
            key=base.key,
            cores=(*base.cores, *extra, *extra),
            broad=base.broad,
            nouns=base.nouns,
            broad_p=base.broad_p,
            subject_p=base.subject_p,
            mod_p=0.0,
        )

    def _usual_place(self, meal: str) -> str | None:
        """Where the lifestyle says this meal is taken ("has breakfast at Juniper Cafe")."""
        text = self.p.lifestyle
        for match in re.finditer(rf"\b{meal}\b[^.;]*?\bat\s+([^.,;]+)", text, re.IGNORECASE):
            place = self.town.named_in(match.group(1))
            if place is not None:
                return place
            if match.group(1).strip().lower().startswith("home"):
                return self.home
        return None

    def _breakfast(self, pref: int) -> None:
        rng = self.rng
        dur = pick(rng, (15, 20, 20, 25, 30))
        cafes = self.town.by_type.get("cafe")
        if not self.work_day and cafes and chance(rng, 0.15):
            self._meal(
                "breakfast", pref, dur + 15, self.wake, 11 * 60 + 30, "out", pick(rng, cafes)
            )
        else:
            self._meal("breakfast", pref, dur, self.wake, 11 * 60 + 30, "home", self.home)
        if chance(rng, 0.15):
            end = max((s.end for s in self.segs if s.kind == "breakfast"), default=pref)
            extra = pick(rng, (10, 15))
            if self._free(end, end + extra) and end + extra < self.work_start:
                text = self._say(W.MORNING_EXTRAS, "extra")
                self._add(end, end + extra, text, self.home, "extra", "chores")

    def _commute(self) -> None:
        start = self.work_start - pick(self.rng, (10, 15))
        if chance(self.rng, 0.2) and self._free(start, self.work_start) and start > self.wake:
            text = self._say(W.COMMUTE, "commute")
            self._add(start, self.work_start, text, self.work, "commute", "walk")

    def _lunch(self) -> None:
        rng = self.rng
        pref = round5(12 * 60 + pick(rng, (-15, 0, 0, 15, 30, 45)))
        dur = pick(rng, (30, 45, 45, 60))
        at_work = self.work_day and self.work_start < pref < self.work_end
        cafes = [c for c in self.town.by_type.get("cafe", ()) if c != self.work]
        if at_work:
            if cafes and not self.role.food_at_work and chance(rng, 0.35):
                where, place = "out", pick(rng, cafes)
            else:
                where, place = "work", self.work
        elif cafes and chance(rng, 0.45 if self.weekend else 0.25):
            where, place = "out", pick(rng, cafes)
        else:
            where, place = "home", self.home
        self._meal("lunch", pref, dur, 11 * 60, 15 * 60, where, place)

    def _dinner(self) -> None:
        rng = self.rng
        pref = round5(18 * 60 + 30 + pick(rng, (-30, -15, 0, 0, 15, 30, 60)))
        dur = pick(rng, (40, 45, 60, 60, 75))
        if self.work_day and self.work_start < pref < self.work_end:
            self._meal("dinner", pref, 30, self.work_start + 60, self.work_end, "work", self.work)
            return
        outs = [*self.town.by_type.get("bar", ()), *self.town.by_type.get("cafe", ())]
        outs = [o for o in outs if o != self.work]
        if outs and chance(rng, 0.45 if self.night_out else 0.25):
            self._meal("dinner", pref, dur, 17 * 60, 21 * 60 + 30, "out", pick(rng, outs))
        else:
            self._meal("dinner", pref, dur, 17 * 60, 21 * 60 + 30, "home", self.home)

    def _work_blocks(self) -> None:
        rng = self.rng
        pieces: list[tuple[int, int]] = [(self.work_start, self.work_end)]
        for s in sorted(self.segs, key=lambda s: s.start):
            nxt: list[tuple[int, int]] = []
            for a, b in pieces:
                if s.end <= a or s.start >= b:
                    nxt.append((a, b))
                    continue
                if s.start > a:
                    nxt.append((a, s.start))
                if s.end < b:
                    nxt.append((s.end, b))
            pieces = nxt
        for a, b in pieces:
            if b - a < 30:
                continue
            if b - a > 200 and chance(rng, 0.15):
                mid = round5(a + (b - a) * rng.uniform(0.4, 0.6))
                text = self._say(W.BREAKS, "break", at=mid)
                self._add(mid, mid + 15, text, self.work, "break", "relax")
                self._work(a, mid)
                self._work(mid + 15, b)
            elif b - a > 200 and chance(rng, 0.35):
                mid = round5(a + (b - a) * rng.uniform(0.35, 0.65))
                self._work(a, mid)
                self._work(mid, b)
            else:
                self._work(a, b)

    def _work(self, a: int, b: int) -> None:
        text = self._say(self.role.say, "work", at=a)
        self._add(a, b, text, self.work, "work", f"work:{self.role.key}")

    # ------------------------------------------------------------------ leisure
    def requirement_wishes(self) -> list[Wish]:
        """The persona's daily requirements, fitted into the day as a careful model would.

        A meal requirement ("have dinner with the family") becomes that meal's wording;
        a work requirement ("open the cafe at 7:00", "check the stock") is done at work on
        work days (it rewords a work block, in order) and skipped on days off; anything
        else becomes an activity of its own (at a place it names, else at home). Each is
        worded like any other item: often in its own words, often not.
        """
        wishes = []
        work_blocks = [s for s in sorted(self.segs, key=lambda s: s.start) if s.kind == "work"]
        for req in self.p.requirements[:3]:
            lowered = req.lower()
            meal = meal_of(req)
            if meal is not None:
                for seg in self.segs:
                    if seg.kind == meal:
                        seg.text = self._requirement_meal(req, seg)
                        break
                continue
            said = set(_WORDS.findall(lowered))
            if (
                _WORK_WORDS & said
                or len(said & self._role_words) >= 2
                or lowered.split(" ", 1)[0] in self._role_verbs
                or "at work" in lowered
                or (self.town.work and self.town.named_in(req) == self.town.work)
            ):
                if self.work_day and work_blocks:
                    seg = work_blocks.pop(0)
                    seg.text = self._say(requirement_say(req), "work", at=seg.start)
                continue
            family = requirement_family(req)
            wishes.append(
                Wish(
                    say=requirement_say(req),
                    place=self.town.named_in(req) or self._requirement_place(lowered, family),
                    duration=60,
                    key=f"req:{req}",
                    family=family,
                )
            )
        return wishes

    def _requirement_place(self, req: str, family: str) -> str:
        """Where a requirement naming no place is done: people are met in public, runs
        and walks go to a park, shopping to a shop; the rest at home."""
        words = set(_WORDS.findall(req))
        kinds: tuple[str, ...] = ()
        if words & _PUBLIC_WORDS or "in town" in req:
            kinds = ("square", "cafe")
        elif family == "exercise" or "walk" in words:
            kinds = ("park", "square")
        elif family == "groceries":
            kinds = ("shop",)
        elif family == "garden" and self.role.key != "gardener":
            kinds = ("park",)
        for kind in kinds:
            places = self.town.by_type.get(kind)
            if places:
                return pick(self.rng, places)
        return self.home

    def _requirement_meal(self, req: str, seg: _Seg) -> str:
        meal, place = seg.kind, seg.place
        where = seg.family.split(":", 1)[-1] if seg.family.startswith("meal:") else "home"
        base = requirement_say(req)
        company = re.search(r"\bwith (.+)$", req.strip().rstrip("."))
        extra: tuple[str, ...] = ()
        if company:
            who = company.group(1)
            extra = (
                f"~have {meal} with {who}",
                f"~sit down to {meal} with {who}",
                f"~eat {meal} with {who}",
                f"~share a {{quick}} {meal} with {who}",
            )
            if meal == "dinner":
                extra += (f"~cook dinner for {who}", f"~make dinner with {who}")
        say = Say(
            key=base.key,
            cores=(*base.cores, *extra, *W.MEALS[meal][where].cores),
            broad=base.broad,
            broad_p=base.broad_p,
            subject_p=base.subject_p,
        )
        self.said.discard(seg.text.lower())
        return self._say(say, meal, {"place": place, "food": W.FOODS[meal]}, at=seg.start)

    def _gaps(self) -> list[tuple[int, int]]:
        ordered = sorted(self.segs, key=lambda s: s.start)
        gaps = []
        for prev, nxt in itertools.pairwise(ordered):
            if nxt.start - prev.end >= 20:
                gaps.append((prev.end, nxt.start))
        return gaps

    def fill_gaps(self, wishes: Sequence[Wish]) -> None:
        """Split every free gap into 1-3 leisure activities; wishes take some of the parts."""
        rng = self.rng
        gaps = self._gaps()
        parts: list[list[tuple[int, int]]] = []
        for a, b in gaps:
            length = b - a
            n = 1 if length < 150 else 2 if length < 270 else 3
            if n > 1 and chance(rng, 0.25):
                n -= 1
            weights = [rng.uniform(0.7, 1.3) for _ in range(n)]
            cuts, acc, total = [a], 0.0, sum(weights)
            for w in weights[:-1]:
                acc += w
                cuts.append(round5(a + length * acc / total))
            cuts.append(b)
            parts.append([(cuts[i], cuts[i + 1]) for i in range(n) if cuts[i + 1] > cuts[i]])
        slots = [(gi, pi) for gi, ps in enumerate(parts) for pi in range(len(ps))]
        taken: dict[tuple[int, int], Wish] = {}
        for wish in wishes:
            free = [s for s in slots if s not in taken and self._slot_len(parts, s) >= 30]
            if not free:
                break
            later = [s for s in free if parts[s[0]][s[1]][0] >= 14 * 60] or free
            taken[pick(rng, later)] = wish
        for gi, ps in enumerate(parts):
            for pi, (a, b) in enumerate(ps):
                chosen = taken.get((gi, pi))
                if chosen is not None:
                    end = b if b - a <= chosen.duration + 20 else a + chosen.duration
                    text = self._say(chosen.say, "wish", chosen.slots, at=a)
                    self._add(a, end, text, chosen.place, "wish", chosen.family)
                    if end < b:
                        self._leisure(end, b)
                else:
                    self._leisure(a, b)

    @staticmethod
    def _slot_len(parts: list[list[tuple[int, int]]], slot: tuple[int, int]) -> int:
        a, b = parts[slot[0]][slot[1]]
        return b - a

    def _leisure(self, a: int, b: int) -> None:
        rng = self.rng
        tod = "morning" if a < 12 * 60 else "afternoon" if a < 17 * 60 + 30 else "evening"
        words = self.p.words
        options: list[LeisureOption] = []
        weights: list[float] = []
        for opt in self.options:
            if tod not in opt.times or opt.key == self.last_leisure:
                continue
            if opt.key in self.used and opt.place_type != "home":
                continue  # one outing of a kind a day; home pastimes may come back
            affine = bool(opt.affinity & words)
            if opt.gated and not affine:
                continue
            if opt.place_type != "home" and not self.town.has(opt.place_type):
                continue
            weight = opt.weight * (3.0 if affine else 1.0)
            if opt.key not in self.habits:
                weight *= HABIT_OUTSIDER  # people (and models) fall back on their habits
            if self.weekend:
                weight *= opt.weekend
            if self.night_out and tod == "evening":
                weight *= opt.night_out
            if opt.key in self.used:
                weight *= 0.25
            options.append(opt)
            weights.append(weight)
        if not options:
            text = self._say(_REST, "leisure", at=a)
            self._add(a, b, text, self.home, "leisure", "relax")
            return
        opt = pick_weighted(rng, options, weights)
        self.used.add(opt.key)
        self.last_leisure = opt.key
        if opt.place_type == "home":
            place = self.home
        else:
            place = pick(rng, self.town.by_type[opt.place_type])
        end = b
        if b - a > opt.longest:
            end = round5(a + rng.uniform(0.6, 1.0) * opt.longest)
            if b - end < 20:
                end = b
        text = self._say(opt.say, "leisure", {**opt.slots, "place": place}, at=a)
        self._add(a, end, text, place, "leisure", opt.family)
        if end < b:
            self._leisure(end, b)

    # ------------------------------------------------------------------ shape
    def fit_count(self) -> None:
        """Keep 8-16 activities (a seeded ceiling of 11-16): drop extras or merge short
        leisure into a neighbouring leisure block; split long blocks when too few."""
        self.segs.sort(key=lambda s: s.start)
        ceiling = self.rng.randint(11, MAX_ACTIVITIES)
        while len(self.segs) > ceiling:
            victims = [s for s in self.segs if s.kind in _EXTRA_KINDS] or [
                s for s in self.segs if s.kind == "leisure"
            ]
            merges = [(v, m) for v in victims if (m := self._merge_target(v)) is not None]
            if not merges:
                break
            victim, into = min(merges, key=lambda vm: vm[0].length)
            if into.start > victim.start:
                into.start = victim.start
            else:
                into.end = victim.end
            self.segs.remove(victim)
        while len(self.segs) < MIN_ACTIVITIES:
            splittable = [s for s in self.segs if s.kind in ("work", "leisure") and s.length >= 60]
            if not splittable:
                break
            seg = max(splittable, key=lambda s: s.length)
            mid = round5(seg.start + seg.length / 2)
            end = seg.end
            seg.end = mid
            if seg.kind == "work":
                self._work(mid, end)
            else:
                self._leisure(mid, end)
            self.segs.sort(key=lambda s: s.start)

    def _merge_target(self, victim: _Seg) -> _Seg | None:
        """The neighbour that takes over a dropped item's time: leisure first, else the
        previous item; never an accepted invitation (it keeps its agreed time)."""
        i = self.segs.index(victim)
        prev = self.segs[i - 1] if i > 0 else None
        nxt = self.segs[i + 1] if i + 1 < len(self.segs) else None
        order = [nxt, prev] if nxt is not None and nxt.kind == "leisure" else [prev, nxt]
        if prev is not None and prev.kind == "leisure":
            order = [prev, nxt]
        return next((s for s in order if s is not None and s.kind != "invite"), None)

    def emit(self) -> dict[str, Any]:
        """The JSON answer; each duration runs to the next start, so they add up."""
        segs = sorted(self.segs, key=lambda s: s.start)
        upper = chance(self.rng, 0.25)
        order_first = chance(self.rng, 0.2)
        acts = []
        for i, seg in enumerate(segs):
            end = segs[i + 1].start if i + 1 < len(segs) else seg.end
            text = capitalise(seg.text) if upper else seg.text
            if order_first:
                item = {
                    "activity": text,
                    "start": format_hhmm(seg.start),
                    "duration": end - seg.start,
                    "place": seg.place,
                }
            else:
                item = {
                    "start": format_hhmm(seg.start),
                    "duration": end - seg.start,
                    "activity": text,
                    "place": seg.place,
                }
            acts.append(item)
        return {"wake_up": format_hhmm(segs[0].start), "activities": acts}


_SPANS = {
    "morning": ("all morning", "through the morning"),
    "afternoon": ("all afternoon", "through the afternoon"),
    "evening": ("all evening", "through the evening"),
}
_REST = Say(
    key="leisure:rest",
    cores=("~relax at home", "~rest at home", "~take it easy at home", "~rest for a while"),
    broad=("relax at home", "rest at home"),
    broad_p=0.4,
    subject_p=0.2,
)
_WORDS = re.compile(r"[a-z]+")
_GENERIC_VERBS = wordset("work take go make keep check look add finish sit have get give")
_PUBLIC_WORDS = wordset("residents voters neighbours neighbors interview someone people town")
_WORK_WORDS = wordset(
    "open close shift stock inventory cellar counter customers serve class classes lecture "
    "lectures teach grade office meeting council shop till deliveries library paperwork"
)


def _invite_say(activity: str, place: str) -> Say:
    """Wordings of an accepted invitation ("party" at the cafe, "dinner with Klaus")."""
    text = activity.strip().rstrip(".") or "meet up with friends"
    lowered = text[:1].lower() + text[1:]
    if lowered.startswith("the "):
        lowered = lowered[4:]
    first = lowered.split(" ", 1)[0].lower()
    here = place and place.lower() not in lowered.lower()
    if first in _INVITE_VERBS:
        cores = [f"~{lowered}"] + ([f"~{lowered} at {{place}}"] if here else [])
        rest = lowered.split(" ", 1)[1] if " " in lowered else ""
        if rest and first in ("go", "attend", "join", "meet", "visit", "see"):
            cores += [f"~head out to {rest}", f"~make it to {rest}"]
    elif meal_of(lowered) is not None or " with " in lowered:
        at = " at {place}" if here else ""
        cores = [
            f"~have {lowered}{at}",
            f"~meet up for {lowered}{at}",
            f"~go out for {lowered}{at}",
            f"~head out for {lowered}{at}",
        ]
    else:
        at = " at {place}" if here else ""
        cores = [
            f"~go to the {lowered}{at}",
            f"~attend the {lowered}{at}",
            f"~join the {lowered}{at}",
            f"~head to the {lowered}{at}",
            f"~celebrate at the {lowered}{at}",
            f"~join friends for the {lowered}{at}",
        ]
    return Say(key=f"invite:{lowered}", cores=tuple(cores), subject_p=0.25)
