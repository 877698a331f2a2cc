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
from aga_npc.offline.day_frame import DayFrame, Seg, is_sleep, meal_of
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
from aga_npc.offline.pursuits import Person, read_person
from aga_npc.offline.requirements import requirement_family, requirement_say
from aga_npc.offline.things import Things, read_things
from aga_npc.offline.wandering import Wish, inspired_activities
from aga_npc.planning.schedule import format_hhmm

__all__ = ["PlanItem", "answer_plan_day", "build_plan", "is_sleep", "meal_of", "plan_items"]

MIN_ACTIVITIES, MAX_ACTIVITIES = 8, 16
_EXTRA_KINDS = ("extra", "bedprep", "commute", "break")


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
    things = read_things(context.get("things"))
    planner = _Planner(rng, voice, person, town, work_day=work_day, weekday=weekday, things=things)
    planner.add_invitations(_sequence(context.get("invitations")))
    planner.add_day_frame()
    wishes = inspired_activities(
        _sequence(context.get("memories")), town, rng, me=person.facts.name
    )
    # a remembered activity at an object the town lacks is not inspiring here
    wishes = [w for w in wishes if not all(things.missing(c) for c in w.say.cores)]
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


class _Planner(DayFrame):
    """Builds one day: the fixed frame first (see ``DayFrame``), then the daily
    requirements and mind-wandering wishes, then leisure in the gaps."""

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
        super().__init__(
            rng, voice, person, town, work_day=work_day, weekday=weekday, things=things
        )
        self.used: set[str] = set()
        self.last_leisure = ""
        self.habits = _habits(person)
        # only pastimes whose objects the town has, and the game's own kinds the
        # persona's words name (a request listing no things changes nothing)
        own = self.things.pastimes(person.facts.words, town.work)
        self.habits |= {o.key for o in own}
        self.options = (
            *(o for o in LEISURE if self.things.allows(o)),
            *(o for o in person.pursuits if not all(self.things.missing(c) for c in o.say.cores)),
            *own,
        )
        self._role_words = {
            w for t in self.role.say.cores for w in _WORDS.findall(t) if len(w) > 3
        } - {"work", "with", "that", "from"}
        self._role_verbs = {
            m.group(1) for t in self.role.say.cores for m in re.finditer(r"~(\w+)", t)
        } - _GENERIC_VERBS

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
        at_thing = self.things.place_for(req, avoid=self.home)
        if at_thing is not None:
            return at_thing  # "fish by the pond": where the town's fishing spot is
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

    def _requirement_meal(self, req: str, seg: Seg) -> str:
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
            if not opt.places and opt.place_type != "home" and not self.town.has(opt.place_type):
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
        if opt.places:
            place = pick(rng, opt.places)
        elif opt.place_type == "home":
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

    def _merge_target(self, victim: Seg) -> Seg | None:
        """The neighbour that takes over a dropped item's time: leisure first, else the
        previous item; never an accepted invitation (it keeps its agreed time) or a nap."""
        i = self.segs.index(victim)
        prev = self.segs[i - 1] if i > 0 else None
        nxt = self.segs[i + 1] if i + 1 < len(self.segs) else None
        order = [nxt, prev] if nxt is not None and nxt.kind == "leisure" else [prev, nxt]
        if prev is not None and prev.kind == "leisure":
            order = [prev, nxt]
        # a nap keeps its length (a two-hour "nap" is a day's sleep)
        return next(
            (s for s in order if s is not None and s.kind != "invite" and s.family != "nap"),
            None,
        )

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
