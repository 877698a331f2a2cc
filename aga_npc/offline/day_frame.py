"""The fixed frame of an offline day plan: wake and sleep times, accepted invitations, the
morning routine, meals, the commute and work blocks (:mod:`aga_npc.offline.plan_day` fills
the rest)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.offline import wording as W
from aga_npc.offline.events import venue
from aga_npc.offline.facts import Town, place_type
from aga_npc.offline.paraphrase import Say, Voice
from aga_npc.offline.phrasing import chance, pick, round5, wordset
from aga_npc.offline.pursuits import Person
from aga_npc.offline.roles import GENERIC
from aga_npc.offline.things import Things
from aga_npc.planning.schedule import parse_hhmm

__all__ = ["DAY", "DayFrame", "Seg", "is_sleep", "meal_of"]

DAY = 1440
_MEAL_WORDS = {
    "breakfast": ("breakfast", "brunch"),
    "lunch": ("lunch",),
    "dinner": ("dinner", "supper"),
}
_NOT_A_MEAL = ("service", "customers", "orders", "menu", "shift", "for the guests")
OFF_DUTY_VISIT = 120  # minutes an invitation to one's own workplace lasts on a day off
_NO_SEATS = ("shop",)  # kinds of workplace with nowhere to sit down for a meal or a rest
_FESTIVE = re.compile(r"\b(?:party|celebration|festival|anniversary|birthday|wedding)\b")
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


@dataclass(slots=True)
class Seg:
    """One planned block while the day is built (minutes since midnight)."""

    start: int
    end: int
    text: str
    place: str
    kind: str
    family: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


_SPANS = {
    "morning": ("all morning", "through the morning"),
    "afternoon": ("all afternoon", "through the afternoon"),
    "evening": ("all evening", "through the evening"),
}


class DayFrame:
    """The day's fixed blocks; ``segs`` is the day so far, ``said`` its wordings."""

    def __init__(
        self,
        rng: random.Random,
        voice: Voice,
        person: Person,
        town: Town,
        *,
        work_day: bool,
        weekday: str,
        things: Things | None = None,
    ) -> None:
        self.rng = rng
        self.things = things or Things()
        self.voice = voice
        self.person = person
        self.p = person.facts
        self.role = person.role
        self.town = town
        self.work_day = work_day
        self.weekend = weekday in ("saturday", "sunday")
        self.night_out = weekday in ("friday", "saturday")
        self.segs: list[Seg] = []
        self.said: set[str] = set()
        self.home = town.home
        self.work = town.work or town.home
        self.meals_in_invites: set[str] = set()
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
            if text.lower() in self.said or self.things.missing(text):
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
            Seg(start=start, end=end, text=text, place=place, kind=kind, family=family)
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
            activity = str(inv.get("activity") or "")
            place = self._venue(activity, str(inv.get("place") or ""))
            if not place:
                continue  # nowhere known to go
            if place == self.town.work and not self.work_day:
                # off duty at one's own workplace: a couple of hours, not a whole shift
                duration = min(duration, OFF_DUTY_VISIT)
            if start < self.wake + 60:
                self.wake = max(4 * 60 + 30, round5(start - 60))
            end = start + duration
            if not self._free(start, end):
                continue
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

    def _venue(self, activity: str, place: str) -> str:
        """The listed place an invitation is at ("the cafe" -> the town's cafe); "" when
        no listed place fits."""
        if place in self.town.places:
            return place
        said = f"{activity} at {place}" if place else activity
        found = venue(said, self.town.places)
        return found if found in self.town.places else ""

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
            # a short meal a little later, never before the meal's usual hours
            start = self._place(pref, 20, lo, hi + 30)
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
            if place_type(self.work) in _NO_SEATS:
                # a shop has shelves and a counter, nowhere to sit down and eat
                where, place = ("out", pick(rng, cafes)) if cafes else ("home", self.home)
            elif cafes and not self.role.food_at_work and chance(rng, 0.35):
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
            if b - a > 200 and place_type(self.work) not in _NO_SEATS and chance(rng, 0.15):
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
        own = self.things.work_say(self.work)  # the game's own kinds at the workplace
        say = own or self.role.say
        if all(self.things.missing(core) for core in say.cores):
            say = GENERIC.say  # every wording of the role needs an object the town lacks
        text = self._say(say, "work", at=a)
        self._add(a, b, text, self.work, "work", "work:things" if own else f"work:{self.role.key}")


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
            *([f"~celebrate at the {lowered}{at}"] if _FESTIVE.search(lowered) else []),
            f"~join friends for the {lowered}{at}",
        ]
    return Say(key=f"invite:{lowered}", cores=tuple(cores), subject_p=0.25)
