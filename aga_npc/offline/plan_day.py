"""The offline ``plan_day`` answer: a plausible, varied day built from the request's context."""

from __future__ import annotations

import itertools
import random
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.offline import wording as W
from aga_npc.offline.facts import PersonaFacts, Town, build_town, is_work_day, persona_facts
from aga_npc.offline.phrasing import (
    capitalise,
    chance,
    fill,
    pick,
    pick_weighted,
    render_json,
    round5,
    wordset,
)
from aga_npc.offline.roles import RoleSpec, role_for
from aga_npc.offline.wandering import Wish, inspired_activities
from aga_npc.planning.schedule import format_hhmm, parse_hhmm

__all__ = ["answer_plan_day", "build_plan"]

DAY = 1440
MIN_ACTIVITIES, MAX_ACTIVITIES = 8, 16
_EXTRA_KINDS = ("extra", "bedprep", "commute", "break")
_INVITE_VERBS = wordset(
    "go attend join meet have visit play study watch help celebrate see eat get take walk "
    "grab drink dance listen"
)


@dataclass(slots=True)
class _Seg:
    start: int
    end: int
    text: str
    place: str
    kind: str

    @property
    def length(self) -> int:
        return self.end - self.start


def answer_plan_day(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text: the plan as JSON, styled like a chat model's reply."""
    value = build_plan(context, rng)
    persona = persona_facts(context.get("persona"))
    raw_day = context.get("day")
    day: Mapping[str, Any] = raw_day if isinstance(raw_day, Mapping) else {}
    weekday = str(day.get("weekday") or "the day").capitalize()
    lead_ins = (
        f"Here is {persona.first}'s plan for {weekday}:",
        f"Sure! Here's {persona.first}'s schedule for {weekday}.",
        f"Here's how {persona.first} might spend {weekday}:",
        f"{persona.first}'s plan for the day:",
    )
    return render_json(rng, value, lead_ins=lead_ins, fence=0.2, lead=0.15)


def build_plan(context: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """The plan as a JSON-ready dict ``{"wake_up": "HH:MM", "activities": [...]}``."""
    persona = persona_facts(context.get("persona"))
    raw_day = context.get("day")
    day: Mapping[str, Any] = raw_day if isinstance(raw_day, Mapping) else {}
    weekday = str(day.get("weekday") or "").lower()
    work_day = is_work_day(day, persona)
    role = role_for(persona)
    places = context.get("places")
    town = build_town(places if isinstance(places, Sequence) else (), persona, work_day=work_day)
    planner = _Planner(rng, persona, role, town, work_day=work_day, weekday=weekday)
    invitations = context.get("invitations")
    planner.add_invitations(invitations if isinstance(invitations, Sequence) else ())
    planner.add_day_frame()
    memories = context.get("memories")
    wishes = inspired_activities(memories if isinstance(memories, Sequence) else (), town, rng)
    planner.fill_gaps([*planner.requirement_wishes(), *wishes])
    planner.fit_count()
    return planner.emit()


_WORDS = re.compile(r"[a-z]+")
_WORK_WORDS = frozenset(
    [
        "open",
        "close",
        "shift",
        "stock",
        "inventory",
        "cellar",
        "counter",
        "customers",
        "serve",
        "class",
        "classes",
        "lecture",
        "lectures",
        "teach",
        "grade",
        "office",
        "meeting",
        "council",
        "shop",
        "till",
        "deliveries",
        "library",
    ]
)

HABIT_COUNT = 3
HABIT_OUTSIDER = 0.01


def _habits(persona: PersonaFacts) -> frozenset[str]:
    """The few pastimes this person keeps coming back to (stable for a persona).

    A real model asked every day for the same person's plan settles into a small set of
    activities (the paper's Figure 6); memories sampled by mind wandering are what bring
    new ones in (see :mod:`aga_npc.offline.wandering`).
    """
    words = persona.words
    ranked = sorted(
        W.LEISURE,
        key=lambda opt: (
            not (opt.affinity & words),
            zlib.crc32(f"{persona.name}:{opt.key}".encode()),
        ),
    )
    return frozenset(opt.key for opt in ranked[:HABIT_COUNT])


class _Planner:
    """Builds one day: fixed blocks first, then work around them, then leisure in gaps."""

    def __init__(
        self,
        rng: random.Random,
        persona: PersonaFacts,
        role: RoleSpec,
        town: Town,
        *,
        work_day: bool,
        weekday: str,
    ) -> None:
        self.rng = rng
        self.p = persona
        self.role = role
        self.town = town
        self.work_day = work_day
        self.weekend = weekday in ("saturday", "sunday")
        self.night_out = weekday in ("friday", "saturday")
        self.segs: list[_Seg] = []
        self.used: set[str] = set()
        self.last_leisure = ""
        self.home = town.home
        self.work = town.work or town.home
        self.meals_in_invites: set[str] = set()
        self.habits = _habits(persona)
        self._times()

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

    def _add(self, start: int, end: int, text: str, place: str, kind: str) -> None:
        self.segs.append(_Seg(start=start, end=end, text=text, place=place, kind=kind))

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
            text = self._invite_text(str(inv.get("activity") or ""), place)
            for meal in ("breakfast", "lunch", "dinner"):
                if meal in text.lower():
                    self.meals_in_invites.add(meal)
            self._add(start, end, text, place, "invite")
            if end > self.sleep - 10:
                self.sleep = round5(end + pick(self.rng, (15, 20, 30)))

    def _invite_text(self, activity: str, place: str) -> str:
        text = activity.strip().rstrip(".") or "meet up with friends"
        lowered = text.lower()
        if lowered.startswith("the "):
            text, lowered = text[4:], lowered[4:]
        if place.lower() in lowered or not place:
            return text
        first = lowered.split(" ", 1)[0]
        if first in _INVITE_VERBS:
            return f"{text} at {place}" if chance(self.rng, 0.7) else text
        template = pick(
            self.rng, ("go to the {a} at {p}", "attend the {a} at {p}", "join the {a} at {p}")
        )
        return template.replace("{a}", text).replace("{p}", place)

    def add_day_frame(self) -> None:
        """Morning routine, meals, work blocks, bed preparation and sleep."""
        rng = self.rng
        wake = self.wake
        routine = pick(rng, (25, 30, 30, 35, 40, 45))
        if chance(rng, 0.3):
            first = pick(rng, (5, 10, 10, 15))
            self._add(wake, wake + first, pick(rng, W.ROUTINE_SPLIT[0]), self.home, "routine")
            self._add(
                wake + first, wake + routine, pick(rng, W.ROUTINE_SPLIT[1]), self.home, "routine"
            )
        else:
            self._add(wake, wake + routine, pick(rng, W.ROUTINE), self.home, "routine")
        # The night first, so that no meal is placed after bedtime.
        wake_next = max(self.base_wake + DAY, self.sleep + 360)
        self._add(self.sleep, wake_next, pick(rng, W.SLEEP), self.home, "sleep")
        if chance(rng, 0.3):
            start = self.sleep - pick(rng, (10, 15, 20))
            if self._free(start, self.sleep):
                self._add(start, self.sleep, pick(rng, W.BED_PREP), self.home, "bedprep")
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
        table = {"breakfast": W.BREAKFAST, "lunch": W.LUNCH, "dinner": W.DINNER}[meal]
        text = fill(pick(self.rng, table[where]), {"place": place})
        self._add(start, start + dur, text, place, meal)

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
                self._add(end, end + extra, pick(rng, W.MORNING_EXTRAS), self.home, "extra")

    def _commute(self) -> None:
        start = self.work_start - pick(self.rng, (10, 15))
        if chance(self.rng, 0.2) and self._free(start, self.work_start) and start > self.wake:
            self._add(
                start,
                self.work_start,
                fill(pick(self.rng, W.COMMUTES), {"work": self.work}),
                self.work,
                "commute",
            )

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
        texts = list(self.role.texts)
        rng.shuffle(texts)
        for a, b in pieces:
            if b - a < 30:
                continue
            if b - a > 200 and chance(rng, 0.15):
                mid = round5(a + (b - a) * rng.uniform(0.4, 0.6))
                self._add(mid, mid + 15, pick(rng, W.BREAKS), self.work, "break")
                self._work(a, mid, texts)
                self._work(mid + 15, b, texts)
            elif b - a > 200 and chance(rng, 0.35):
                mid = round5(a + (b - a) * rng.uniform(0.35, 0.65))
                self._work(a, mid, texts)
                self._work(mid, b, texts)
            else:
                self._work(a, b, texts)

    def _work(self, a: int, b: int, texts: list[str]) -> None:
        text = texts.pop(0) if texts else pick(self.rng, self.role.texts)
        self._add(a, b, fill(text, {"work": self.work}), self.work, "work")

    # ------------------------------------------------------------------ leisure
    def requirement_wishes(self) -> list[Wish]:
        """The persona's daily requirements, fitted into the day as a careful model would.

        A meal requirement ("have dinner with the family") becomes that meal's wording;
        a work requirement ("open the cafe at 7:00", "check the stock") is done at work on
        work days (it rewords a work block, in order) and skipped on days off; anything
        else becomes an activity of its own (at a place it names, else at home).
        """
        wishes = []
        work_blocks = [s for s in sorted(self.segs, key=lambda s: s.start) if s.kind == "work"]
        for req in self.p.requirements[:3]:
            lowered = req.lower()
            meal = next((m for m in ("breakfast", "lunch", "dinner") if m in lowered), None)
            if meal is None and "supper" in lowered:
                meal = "dinner"
            if meal is not None:
                for seg in self.segs:
                    if seg.kind == meal:
                        seg.text = req
                        break
                continue
            if _WORK_WORDS & set(_WORDS.findall(lowered)) or (
                self.town.work and self.town.named_in(req) == self.town.work
            ):
                if self.work_day and work_blocks:
                    work_blocks.pop(0).text = req
                continue
            place = self.town.named_in(req) or self.home
            wishes.append(Wish(text=req, place=place, duration=60, key=f"req:{req}"))
        return wishes

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
                    self._add(a, end, chosen.text, chosen.place, "wish")
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
        options, weights = [], []
        for opt in W.LEISURE:
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
            self._add(a, b, pick(rng, ("relax at home", "rest at home")), self.home, "leisure")
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
        self._add(a, end, fill(pick(rng, opt.texts), {"place": place}), place, "leisure")
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
            if not victims:
                break
            victim = min(victims, key=lambda s: s.length)
            i = self.segs.index(victim)
            prev = self.segs[i - 1] if i > 0 else None
            nxt = self.segs[i + 1] if i + 1 < len(self.segs) else None
            if (
                nxt is not None
                and nxt.kind == "leisure"
                and (prev is None or prev.kind != "leisure")
            ):
                nxt.start = victim.start
            elif prev is not None:
                prev.end = victim.end
            del self.segs[i]
        while len(self.segs) < MIN_ACTIVITIES:
            splittable = [s for s in self.segs if s.kind in ("work", "leisure") and s.length >= 60]
            if not splittable:
                break
            seg = max(splittable, key=lambda s: s.length)
            mid = round5(seg.start + seg.length / 2)
            end = seg.end
            seg.end = mid
            if seg.kind == "work":
                self._work(
                    mid,
                    end,
                    [t for t in self.role.texts if fill(t, {"work": self.work}) != seg.text],
                )
            else:
                self._leisure(mid, end)
            self.segs.sort(key=lambda s: s.start)

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
