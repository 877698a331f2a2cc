"""Issue 15's figures over the demo town's 25 residents: how often a plan item repeats the
previous day's text word for word, and whether decompositions of the items fit them.

Run ``python tests/offline/test_wording_figures.py`` to print the figures with more seeds.

- Repeat share ("own"): the share of day-2 items whose text (case and spacing ignored)
  equals one of the same person's day-1 items.
- Repeat share ("town"): equals any resident's day-1 item. The Lifestyle Policy shares
  home and public routines across the town, so this is what its exact lookups see; the
  old stand-in (about 119 fixed phrasings) scored 84% here (67% comparing case too).
- Misfit share: decompositions (``build_steps`` on the place's real objects) whose steps
  use an object the item's meaning does not call for, use none where one is needed, or
  name an object or verb the place does not have. The meaning (``PlanItem.family``) comes
  from the planner, the steps from the decomposer, which only sees the text.
- Disagreement share: the project's own judge, ``aga_npc.town.agreement``: the share of
  judged actions (a listed object with one of its verbs, in an item whose text names an
  activity it knows) that do not fit the item's text. The old stand-in scored 3.0% of
  actions (4.6% of items with one) on the same check.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from aga_npc.offline.decompose import MISTAKE_RATE, build_steps
from aga_npc.offline.paraphrase import normalise
from aga_npc.offline.plan_day import PlanItem, build_plan, plan_items
from aga_npc.personas.loader import town_personas
from aga_npc.personas.model import Persona
from aga_npc.town.agreement import action_fits_plan, judged_pair, plan_activities
from aga_npc.world import GameClock, World

MAP = Path(__file__).resolve().parents[2] / "aga_npc" / "data" / "maps" / "town.tmx"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@cache
def town() -> tuple[tuple[str, ...], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The demo map's places, each place's object lines (as the brain lists them) and
    every object's (kind, verbs)."""
    world = World.load(MAP, clock=GameClock.at("06:00"))
    places = tuple(world.sector_names())
    objects: dict[str, list[dict[str, Any]]] = {}
    kinds: dict[str, Any] = {}
    for place in places:
        found = world.objects(sector=place)
        objects[place] = [
            {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)} for o in found
        ]
        kinds.update({o.address: (o.kind, tuple(o.affordances)) for o in found})
    return places, objects, kinds


@cache
def residents() -> tuple[Persona, ...]:
    return tuple(town_personas(25))


def prompt_fields(p: Persona) -> dict[str, Any]:
    """The persona fields the brain writes into the plan prompt."""
    fields = {
        "name": p.name,
        "age": p.age,
        "traits": list(p.traits),
        "backstory": p.backstory,
        "currently": p.currently,
        "lifestyle": p.lifestyle,
        "home": p.home,
        "workplace": p.workplace,
        "role": p.role,
        "work_days": list(p.work_days),
        "wake_time": p.wake_time,
        "sleep_time": p.sleep_time,
        "daily_requirements": list(p.daily_requirements),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def plan_context(p: Persona, day: int) -> dict[str, Any]:
    """A plan request's context for resident ``p`` on game day ``day`` (day 1 a Monday)."""
    works = bool(p.workplace) and SHORT[(day - 1) % 7] in p.work_days
    return {
        "persona": prompt_fields(p),
        "day": {"day": day, "weekday": WEEKDAYS[(day - 1) % 7], "is_work_day": works},
        "memories": list(p.events),
        "invitations": [],
        "places": list(town()[0]),
    }


def rng_for(seed: int, p: Persona, day: int) -> random.Random:
    return random.Random(f"{seed}:{p.name}:{day}")


def texts(p: Persona, day: int, seed: int, wording: str) -> list[str]:
    value = build_plan(plan_context(p, day), rng_for(seed, p, day), wording=wording)
    return [normalise(a["activity"]) for a in value["activities"]]


def repeat_shares(
    wording: str, pairs: tuple[tuple[int, int], ...], seeds: range
) -> tuple[float, float, list[str]]:
    """(own share, town share, the own-repeated texts) over all residents."""
    own = in_town = total = 0
    repeated: list[str] = []
    for seed in seeds:
        for first, second in pairs:
            before = {p.name: set(texts(p, first, seed, wording)) for p in residents()}
            everyone = set().union(*before.values())
            for p in residents():
                for text in texts(p, second, seed, wording):
                    total += 1
                    in_town += text in everyone
                    if text in before[p.name]:
                        own += 1
                        repeated.append(text)
    return own / total, in_town / total, repeated


# What each meaning may use: allowed object kinds, and whether no object at all is fine.
_SEATS = frozenset({"sofa", "bench", "table", "bed", "fountain", "desk"})
_SOCIAL = frozenset({"table", "bench", "fountain", "bar", "sofa", "counter"})
FAMILIES: dict[str, tuple[frozenset[str], bool]] = {
    k: (frozenset(v.split()), ok)
    for k, (v, ok) in {
        "sleep": ("bed sink", False),
        "bedprep": ("bed sink sofa", False),
        "routine": ("shower sink toilet bed", False),
        "meal:home": ("fridge stove table sink", False),
        "meal:out": ("counter bar table", False),
        "meal:work": ("counter bar table fridge stove sink bench desk", False),
        "work:barista": ("counter table sink fridge stove", False),
        "work:cook": ("stove fridge counter sink table", False),
        "work:bartender": ("bar table sink fridge stove", False),
        "work:student": ("desk table bookshelf blackboard", False),
        "work:professor": ("blackboard desk table bookshelf", False),
        "work:gardener": ("garden bench fountain table", False),
        "work:painter": ("easel bookshelf table sink desk", False),
        "work:mayor": ("desk table bookshelf", False),
        "work:clerk": ("desk table bookshelf", False),
        "work:shopkeeper": ("counter shelf", False),
        "work:librarian": ("bookshelf desk table", False),
        "work:writer": ("desk table bookshelf", False),
        "work:musician": ("piano sofa bench", False),
        "work:worker": ("desk table counter bookshelf", False),
        "read": (" ".join(_SEATS | {"bookshelf"}), False),
        "music": ("piano sofa bench bar table bed", False),
        "tv": ("tv sofa", False),
        "chores": ("sink table stove fridge", True),
        "bake": ("stove fridge table sink", False),
        "write": ("desk table bench sofa bookshelf", False),
        "hobby": ("table desk sofa bench", False),
        "nap": ("bed sofa", False),
        "relax": ("sofa bench bed fountain table", False),
        "sketch": ("easel table bench sofa fountain desk sink", False),
        "paint": ("easel table bench sofa fountain desk sink", False),
        "study": ("desk table bookshelf sofa", False),
        "coffee": ("counter table", False),
        "drinks": ("bar table", False),
        "walk": ("bench fountain", True),
        "exercise": ("bench fountain", True),
        "groceries": ("shelf counter", False),
        "library": ("bookshelf table desk", False),
        "townhall": ("desk table bookshelf", False),
        "social": (" ".join(_SOCIAL), True),
        "party": (" ".join(_SOCIAL), True),
        "election": (" ".join(_SOCIAL | {"desk"}), True),
        "garden": ("garden bench sink table", True),
    }.items()
}


def fits(family: str, steps: list[dict[str, Any]]) -> bool:
    """Every object step uses a listed object of an allowed kind with one of its verbs;
    an item that needs an object has one."""
    allowed, objectless = FAMILIES[family]
    kinds = []
    for step in steps:
        if not step["object"]:
            continue
        found = town()[2].get(step["object"])
        if found is None or step["verb"] not in found[1]:
            return False
        kinds.append(found[0])
    if not kinds:
        return objectless
    return all(k in allowed for k in kinds)


def decompositions(
    wording: str, seeds: range, days: tuple[int, ...], *, mistakes: bool
) -> Iterator[tuple[PlanItem, list[dict[str, Any]]]]:
    """Every plan item with a known meaning, and its decomposition at its place."""
    objects = town()[1]
    for seed in seeds:
        for p in residents():
            for day in days:
                for item in plan_items(
                    plan_context(p, day), rng_for(seed, p, day), wording=wording
                ):
                    if item.family not in FAMILIES:
                        continue
                    context: dict[str, Any] = {
                        "persona": {"name": p.name, "role": p.role},
                        "activity": item.text,
                        "duration": item.duration,
                        "place": item.place,
                        "time": "10:00",
                        "objects": objects.get(item.place, []),
                    }
                    if not mistakes:
                        context["forbidden"] = ["nothing: a list that turns the slips off"]
                    rng = random.Random(f"steps:{seed}:{item.text}:{item.place}")
                    yield item, build_steps(context, rng)["steps"]


def misfit_share(wording: str, seeds: range, days: tuple[int, ...], *, mistakes: bool) -> float:
    results = Counter(
        fits(item.family, steps)
        for item, steps in decompositions(wording, seeds, days, mistakes=mistakes)
    )
    return results[False] / sum(results.values())


def disagreement(wording: str, seeds: range, days: tuple[int, ...]) -> tuple[float, float, int]:
    """(share of judged actions that do not fit their item, share of judged items with one,
    items whose text names no activity the judge knows)."""
    kinds = town()[2]
    actions = misfits = items = bad_items = unread = 0
    for item, steps in decompositions(wording, seeds, days, mistakes=False):
        if not plan_activities(item.text, place=item.place):
            unread += 1
            continue
        judged = [
            (s["verb"], kinds[s["object"]][0])
            for s in steps
            if s["object"] in kinds and judged_pair(s["verb"], kinds[s["object"]][0])
        ]
        wrong = [p for p in judged if not action_fits_plan(item.text, *p, place=item.place)]
        actions += len(judged)
        misfits += len(wrong)
        items += bool(judged)
        bad_items += bool(wrong)
    return misfits / actions, bad_items / items, unread


# ---------------------------------------------------------------- the tests
PAIRS = ((1, 2), (5, 6))


def test_default_wording_repeats_broad_items_only() -> None:
    own, in_town, repeated = repeat_shares("default", PAIRS, range(3))
    # a chat model repeats "have dinner" and "go to bed", not whole detailed days
    assert 0.05 <= own <= 0.25, own
    assert 0.15 <= in_town <= 0.35, in_town
    short = sum(len(t.split()) <= 6 for t in repeated)
    assert short >= 0.75 * len(repeated), Counter(repeated).most_common(20)


def test_paraphrase_wording_repeats_nothing_from_one_day_to_the_next() -> None:
    own, in_town, repeated = repeat_shares("paraphrase", ((1, 2), (2, 3), (1, 7)), range(3))
    assert own == 0.0 and in_town == 0.0, repeated


@pytest.mark.parametrize("wording", ["default", "paraphrase"])
def test_decompositions_of_the_reworded_items_fit(wording: str) -> None:
    # The old fixed phrasings scored 4.1% without the deliberate slips and 6.8% with them
    # (same check, 3 seeds, days 1, 2, 3 and 6); most misfits left are TV plans in homes
    # without a TV.
    assert misfit_share(wording, range(2), (1, 2, 6), mistakes=False) <= 0.02
    assert misfit_share(wording, range(2), (1, 2, 6), mistakes=True) <= 0.02 + 1.5 * MISTAKE_RATE


@pytest.mark.parametrize("wording", ["default", "paraphrase"])
def test_the_projects_agreement_judge_finds_the_steps_fit(wording: str) -> None:
    actions, items, _unread = disagreement(wording, range(2), (1, 2, 6))
    assert actions <= 0.02 and items <= 0.03, (actions, items)


def main() -> None:
    """Print the figures (more seeds than the tests)."""
    seeds = range(int(sys.argv[1]) if len(sys.argv) > 1 else 6)
    for wording in ("default", "paraphrase"):
        for pair in ((1, 2), (2, 3), (5, 6), (1, 3)):
            own, in_town, _ = repeat_shares(wording, (pair,), seeds)
            print(
                f"repeat share {wording:10s} day {pair[0]} -> day {pair[1]}: "
                f"own {own:5.1%}  town {in_town:5.1%}"
            )
    for wording in ("default", "paraphrase"):
        for mistakes in (False, True):
            share = misfit_share(wording, range(3), (1, 2, 3, 6), mistakes=mistakes)
            slips = "with" if mistakes else "without"
            print(f"misfit share {wording:10s} {slips} the deliberate slips: {share:5.1%}")
    for wording in ("default", "paraphrase"):
        actions, items, unread = disagreement(wording, range(3), (1, 2, 3, 6))
        print(
            f"agreement judge {wording:10s}: {actions:5.1%} of actions, {items:5.1%} of items "
            f"do not fit; {unread} items name no activity it knows"
        )


if __name__ == "__main__":
    main()
