"""plan_day answers: parseable by the project's parsers, sensible, varied, memory-aware.

The answers are built with ``answer_plan_day`` from the same context block the plan prompt
carries (persona, day, memories, invitations, places), so these tests do not depend on how
the backend routes request kinds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from aga_npc.offline.phrasing import make_rng
from aga_npc.offline.plan_day import answer_plan_day
from aga_npc.planning.schedule import DAY, parse_hhmm, parse_plan, validate_plan_json

PLACES = (
    "Brook House",
    "Alder Dorm",
    "Rowan Cottage",
    "Lantern House",
    "Mill Cottage",
    "Juniper Cafe",
    "Alder College",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Town Hall",
    "Elm Park",
    "Town Square",
)
HOMES = PLACES[:5]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PERSONAS: dict[str, dict[str, Any]] = {
    "student": {
        "name": "Maria Lopez",
        "age": 21,
        "traits": ["curious", "friendly", "hard-working"],
        "lifestyle": "Maria goes to class on weekdays and studies in the library.",
        "currently": "Maria is preparing for her physics exams",
        "home": "Alder Dorm",
        "workplace": "Alder College",
        "role": "student",
    },
    "barista": {
        "name": "Isabella Rodriguez",
        "age": 34,
        "traits": "warm, outgoing, organised",
        "currently": "Isabella is planning a party at Juniper Cafe on Saturday at 18:00",
        "home": "Brook House",
        "workplace": "Juniper Cafe",
        "role": "barista",
        "wake_time": "06:00",
    },
    "professor": {
        "name": "Klaus Mueller",
        "age": 58,
        "traits": ["thoughtful", "quiet"],
        "home": "Lantern House",
        "workplace": "Alder College",
        "role": "professor",
    },
    "gardener": {
        "name": "Tom Moreno",
        "age": 45,
        "home": "Mill Cottage",
        "workplace": "Elm Park",
        "role": "gardener",
        "wake_time": "06:30",
        "sleep_time": "22:00",
    },
    "painter": {
        "name": "Ayesha Khan",
        "age": 30,
        "traits": ["creative", "calm"],
        "home": "Rowan Cottage",
        "workplace": "Rowan Cottage",
        "role": "painter",
    },
    "mayor": {
        "name": "Sam Moore",
        "age": 62,
        "home": "Brook House",
        "workplace": "Town Hall",
        "role": "mayor",
    },
    "bartender": {
        "name": "Jane Price",
        "home": "Mill Cottage",
        "workplace": "The Copper Kettle",
        "role": "bartender",
    },
    "retired": {"name": "Eddy Lin", "age": 70, "home": "Lantern House"},
    "minimal": {"name": "Nobody Special"},
}
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)
_MEAL_WORDS = {
    "breakfast": ("breakfast", "brunch"),
    "lunch": ("lunch",),
    "dinner": ("dinner", "supper"),
}
_NOT_A_MEAL = ("service", "customers", "orders", "menu", "shift", "for the guests")


def meal_kind(text: str) -> str | None:
    """The schedule checker's reading of a meal item (``aga_npc.town.checker.meal_kind``)."""
    lowered = text.lower()
    if any(w in lowered for w in _NOT_A_MEAL):
        return None
    return next((m for m, words in _MEAL_WORDS.items() if any(w in lowered for w in words)), None)


def plan_context(
    persona: Mapping[str, Any],
    *,
    day: int = 1,
    memories: Sequence[str] = (),
    invitations: Sequence[Mapping[str, Any]] = (),
    places: Sequence[str] = PLACES,
) -> dict[str, Any]:
    """The plan prompt's context block, as the brain fills it."""
    weekday = WEEKDAYS[(day - 1) % 7]
    works = bool(persona.get("workplace"))
    return {
        "persona": dict(persona),
        "day": {"day": day, "weekday": weekday, "is_work_day": works and weekday in WEEKDAYS[:5]},
        "memories": list(memories),
        "invitations": [dict(i) for i in invitations],
        "places": list(places),
    }


def text_of(context: Mapping[str, Any], seed: int = 0, wording: str = "default") -> str:
    """The stand-in's completion for a context (the generator as the backend seeds it)."""
    digest = hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()
    return answer_plan_day(context, make_rng(seed, digest), wording=wording)


def json_of(text: str) -> Any:
    """The JSON object in a reply: whole text, else a code fence, else the first object."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    fence = _FENCE.search(text)
    if fence:
        return json.loads(fence.group(1))
    start = text.index("{")
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def plan_request(persona: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
    return plan_context(persona, **kw)


SEEDS = range(8)


def home_of(persona: Mapping[str, Any]) -> str:
    return str(persona.get("home") or HOMES[0])


def minutes(acts: list[dict[str, Any]]) -> list[int]:
    """Start minutes, continuing past midnight."""
    out: list[int] = []
    for act in acts:
        m = parse_hhmm(act["start"])
        while out and m < out[-1]:
            m += DAY
        out.append(m)
    return out


def is_sleep(text: str) -> bool:
    """The plan parser's test for the night (``aga_npc.planning.schedule``)."""
    low = text.lower()
    return "sleep" in low or "go to bed" in low or "bedtime" in low


def plans(persona_key: str, days: range = range(1, 8), seeds: range = SEEDS):
    persona = PERSONAS[persona_key]
    for day in days:
        for seed in seeds:
            yield day, seed, json_of(text_of(plan_request(persona, day=day), seed=seed))


@pytest.mark.parametrize("key", sorted(PERSONAS))
def test_plans_pass_the_parsers_and_stay_contiguous(key: str) -> None:
    persona = PERSONAS[key]
    for day, _seed, value in plans(key):
        validate_plan_json(value)
        acts = value["activities"]
        assert 8 <= len(acts) <= 16
        starts = minutes(acts)
        assert value["wake_up"] == acts[0]["start"]
        for i in range(len(acts) - 1):
            assert starts[i] + acts[i]["duration"] == starts[i + 1], (key, day, acts[i])
        plan = parse_plan(
            value,
            day=day,
            known_places=PLACES,
            default_place=home_of(persona),
            sleep_at=23 * 60,
        )
        # Nothing to repair: no activity dropped, no sleep appended, times kept.
        assert [a.text for a in plan.activities] == [a["activity"] for a in acts]
        assert [a.start for a in plan.activities] == starts


@pytest.mark.parametrize("key", sorted(PERSONAS))
def test_one_of_each_meal_and_the_night_asleep_at_home(key: str) -> None:
    persona = PERSONAS[key]
    for day, seed, value in plans(key):
        acts = value["activities"]
        texts = [a["activity"].lower() for a in acts]
        meals = [meal_kind(t) for t in texts]
        for meal in ("breakfast", "lunch", "dinner"):
            assert meals.count(meal) == 1, (key, day, seed, meal, texts)
        last = acts[-1]
        assert is_sleep(last["activity"]) and last["place"] == home_of(persona)
        assert 6 * 60 <= last["duration"] <= 11 * 60
        assert not any(is_sleep(t) for t in texts[:-1])
        assert 4 * 60 + 30 <= parse_hhmm(acts[0]["start"]) <= 11 * 60
        order = {m: meals.index(m) for m in ("breakfast", "lunch", "dinner")}
        assert order["breakfast"] < order["lunch"] < order["dinner"]
        assert all(a["place"] in PLACES for a in acts)


@pytest.mark.parametrize(
    "key", ["student", "barista", "professor", "gardener", "mayor", "bartender"]
)
def test_work_happens_at_the_workplace_on_work_days_only(key: str) -> None:
    work = PERSONAS[key]["workplace"]
    for day, seed, value in plans(key):
        at_work = sum(a["duration"] for a in value["activities"] if a["place"] == work)
        if WEEKDAYS[(day - 1) % 7] in WEEKDAYS[:5]:
            assert at_work >= 4 * 60, (key, day, seed)
        else:
            assert at_work == 0, (key, day, seed)


def test_people_without_work_never_go_to_a_workplace_shift() -> None:
    for _day, _seed, value in plans("retired"):
        texts = " ".join(a["activity"].lower() for a in value["activities"])
        assert "shift" not in texts and "serve coffee" not in texts and "teach" not in texts


def test_role_wording_matches_the_occupation() -> None:
    expected = {
        "barista": ("coffee", "drinks", "customers", "espresso", "counter", "milk", "orders"),
        "professor": ("teach", "lecture", "seminar", "grade", "office hours", "tutorial"),
        "student": ("class", "lecture", "library", "seminar", "study", "tutorial", "lab"),
        "gardener": ("flower", "plants", "garden", "hedges", "weed", "bulbs", "seedlings"),
        "mayor": ("residents", "budget", "council", "office", "town plans", "paperwork", "permits"),
        "bartender": ("bar", "drinks", "regulars", "pints", "barrel"),
    }
    for key, words in expected.items():
        work = PERSONAS[key]["workplace"]
        for _day, _seed, value in plans(key, days=range(1, 3), seeds=range(4)):
            work_texts = [a["activity"].lower() for a in value["activities"] if a["place"] == work]
            hits = [t for t in work_texts if any(w in t for w in words)]
            assert len(hits) >= 1, (key, work_texts)


def test_invitations_are_kept_at_their_time_and_replace_a_meal_they_include() -> None:
    persona = PERSONAS["student"]
    party = {"activity": "party", "start": "19:00", "duration": 120, "place": "Juniper Cafe"}
    dinner = {
        "activity": "dinner with Klaus",
        "start": "18:30",
        "duration": 90,
        "place": "The Copper Kettle",
    }
    for seed in range(12):
        value = json_of(text_of(plan_request(persona, day=2, invitations=[party]), seed=seed))
        acts = value["activities"]
        hit = [a for a in acts if a["start"] == "19:00" and a["place"] == "Juniper Cafe"]
        assert len(hit) == 1 and "party" in hit[0]["activity"] and hit[0]["duration"] == 120
        assert sum("dinner" in a["activity"].lower() for a in acts) == 1
        value = json_of(text_of(plan_request(persona, day=2, invitations=[dinner]), seed=seed))
        acts = value["activities"]
        dinners = [a for a in acts if "dinner" in a["activity"].lower()]
        assert len(dinners) == 1 and dinners[0]["start"] == "18:30"
        assert dinners[0]["place"] == "The Copper Kettle"


def test_breakfast_is_worded_many_ways() -> None:
    wordings = set()
    for seed in range(20):
        value = json_of(text_of(plan_request(PERSONAS["mayor"], day=3), seed=seed))
        wordings |= {
            a["activity"].lower()
            for a in value["activities"]
            if "breakfast" in a["activity"].lower()
        }
    assert len(wordings) >= 6


def test_leisure_varies_by_weekday() -> None:
    """Friday and Saturday evenings go to the bar more often than Monday and Tuesday ones."""

    def bar_rate(days: tuple[int, ...]) -> float:
        hits = total = 0
        for day in days:
            for seed in range(40):
                value = json_of(text_of(plan_request(PERSONAS["retired"], day=day), seed=seed))
                total += 1
                hits += any(a["place"] == "The Copper Kettle" for a in value["activities"])
        return hits / total

    assert bar_rate((5, 6)) > bar_rate((1, 2)) + 0.1


def test_answers_vary_in_shape_but_always_parse() -> None:
    shapes = Counter()
    for seed in range(60):
        text = text_of(plan_request(PERSONAS["gardener"], day=4), seed=seed)
        shapes[
            "fence" if text.startswith("```") else "bare" if text.startswith("{") else "lead"
        ] += 1
        validate_plan_json(json_of(text))
    assert shapes["bare"] > shapes["fence"] > 0
    assert shapes["lead"] > 0


def test_completion_length_is_realistic() -> None:
    """Roughly 350-700 tokens of pretty-printed JSON (about 4 characters a token)."""
    sizes = [
        len(text_of(plan_request(PERSONAS[key], day=day), seed=seed))
        for key in ("student", "barista", "retired", "minimal")
        for day in (1, 6)
        for seed in range(6)
    ]
    assert min(sizes) >= 1200 and max(sizes) <= 3200
    assert 1500 <= sum(sizes) / len(sizes) <= 2800


def test_missing_persona_fields_and_places_still_give_a_valid_plan() -> None:
    value = json_of(text_of(plan_request({"name": "Bo"}, places=()), seed=1))
    validate_plan_json(value)
    assert {a["place"] for a in value["activities"]} == {"home"}
    assert is_sleep(value["activities"][-1]["activity"])


def test_persona_times_are_respected() -> None:
    persona = PERSONAS["gardener"]  # wakes 06:30, sleeps 22:00
    for _day, _seed, value in plans("gardener", days=range(1, 5)):
        acts = value["activities"]
        assert abs(parse_hhmm(acts[0]["start"]) - 6 * 60 - 30) <= 15
        assert abs(minutes(acts)[-1] - 22 * 60) <= 60
    del persona


def rate(
    persona: Mapping[str, Any], memories: list[str], words: tuple[str, ...], n: int = 60
) -> float:
    hits = 0
    for seed in range(n):
        value = json_of(text_of(plan_request(persona, day=2, memories=memories), seed=seed))
        texts = " ".join(a["activity"].lower() for a in value["activities"])
        hits += any(w in texts for w in words)
    return hits / n


def test_mind_wandering_memories_inspire_related_activities() -> None:
    persona = PERSONAS["retired"]
    filler = ["Eddy had soup for lunch", "Eddy watered the houseplants"]
    paint = ("paint", "sketch", "easel")
    with_memory = rate(
        persona, [*filler, "Eddy painted by the river in Elm Park last spring"], paint
    )
    without = rate(persona, filler, paint)
    assert without == 0.0
    assert 0.2 <= with_memory <= 0.8
    election = ("election", "candidates", "vote")
    assert rate(persona, filler, election) == 0.0
    assert rate(persona, [*filler, "Sam said the election is next week"], election) >= 0.2


def test_an_inspired_activity_goes_to_the_place_the_memory_names() -> None:
    persona = PERSONAS["retired"]
    memory = "Eddy painted by the river in Elm Park last spring"
    places = Counter()
    for seed in range(60):
        value = json_of(text_of(plan_request(persona, day=3, memories=[memory]), seed=seed))
        for act in value["activities"]:
            if "paint" in act["activity"].lower() or "sketch" in act["activity"].lower():
                places[act["place"]] += 1
    assert places and places.most_common(1)[0][0] == "Elm Park"


def test_generative_agents_lifestyle_times_and_daily_requirements_are_used() -> None:
    persona = {
        "name": "Ann Lee",
        "home": "Mill Cottage",
        "lifestyle": "Ann goes to bed around 11pm, awakes up around 6am, eats dinner around 6pm.",
        "daily_requirements": ["practise the violin", "call her sister"],
    }
    for seed in range(10):
        acts = json_of(text_of(plan_request(persona, day=3), seed=seed))["activities"]
        assert abs(parse_hhmm(acts[0]["start"]) - 6 * 60) <= 15
        assert abs(minutes(acts)[-1] - 23 * 60) <= 60
        texts = " | ".join(a["activity"].lower() for a in acts)
        assert "violin" in texts and "sister" in texts, texts
