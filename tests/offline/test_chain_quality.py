"""The per-action chain's answers fit their plan items, judged by the project's checker.

Plan items come from the stand-in's own daily plans for the bundled town's 25 residents
(both wordings); each goes through Generative Agents' chain (decompose, then sector,
arena and object per subtask, grounded with the brain's fail-safes) and through the
``aga`` mode's merged ``action_chain`` call, and every action is judged with
``aga_npc.town.agreement.fit_reason`` as the behaviour checker judges executed actions.
"""

from __future__ import annotations

import functools
import json
import random

import pytest
from chain_town import Done, ga_chain, merged_chain, misfits
from offline_town import PLACES, profile, residents

from aga_npc.brain.answers import Outline
from aga_npc.llm.jsonrepair import extract_json
from aga_npc.offline import answer_text
from aga_npc.offline.act_chain import _choose_object as choose_object
from aga_npc.offline.act_chain import answer_arena
from aga_npc.offline.decompose import meaning
from aga_npc.personas.model import Persona
from aga_npc.prompts import daily_plan_messages
from aga_npc.town.agreement import judged_pair
from aga_npc.types import LLMRequest, Module

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_MISMATCH = 0.02  # the project's acceptance: under 2 % of the judged actions


@functools.cache
def plan_items() -> tuple[tuple[Persona, str, str, int, str], ...]:
    """(resident, activity, place, minutes, start) of two days of plans, both wordings."""
    items: dict[tuple[str, str, str, int, str], Persona] = {}
    for persona in residents():
        fields = profile(persona).prompt_fields()
        for day in (1, 2):
            weekday = WEEKDAYS[day - 1]
            for wording in ("default", "paraphrase"):
                request = LLMRequest(
                    agent=persona.name,
                    module=Module.DAILY_PLAN,
                    messages=daily_plan_messages(
                        persona=fields,
                        day={
                            "day": day,
                            "weekday": weekday,
                            "is_work_day": weekday[:3] in persona.work_days,
                        },
                        wake_up=persona.wake_time,
                        memories=list(persona.events),
                        invitations=[],
                        places=PLACES,
                    ),
                    json=True,
                )
                plan = Outline.validate(extract_json(answer_text(request, wording=wording)))
                for item in plan.items:
                    h, m = divmod(item.start % 1440, 60)
                    key = (persona.name, item.text, item.place, item.duration, f"{h:02d}:{m:02d}")
                    items[key] = persona
    return tuple((p, text, place, d, start) for (_, text, place, d, start), p in items.items())


def _share(chain: str) -> tuple[float, list[str]]:
    judged = 0
    found: list[str] = []
    for persona, activity, place, minutes, start in plan_items():
        run = ga_chain if chain == "ga" else merged_chain
        done: list[Done] = run(persona, activity, place, duration=minutes, start=start, seed=0)
        judged += sum(1 for d in done if judged_pair(d.verb, d.kind))
        found += [
            f"{persona.name}: {activity!r} @ {place}: {m}" for m in misfits(activity, place, done)
        ]
    return len(found) / max(1, judged), found


@pytest.mark.parametrize("chain", ["ga", "merged"])
def test_actions_fit_their_plan_items(chain: str) -> None:
    share, found = _share(chain)
    assert share < MAX_MISMATCH, (share, found[:20])


# The slips the checker's author found in the stand-in's decompositions, each with the
# place it was planned at.
SLIPS = [
    ("Idris", "catch up on reading", "Harbor Flat", 60),
    ("Nadia", "catch a film on TV", "Cedar Apartments", 90),
    ("Arturo", "open the grocery", "Pine Street Grocery", 30),
    ("Marta", "Marta opens up the cafe", "Juniper Cafe", 30),
    ("Marta", "check the stock of coffee beans and milk", "Juniper Cafe", 60),
    ("Silas", "check the beer cellar", "The Copper Kettle", 60),
    ("Silas", "go through the beer cellar first thing", "The Copper Kettle", 45),
    ("Edith", "buy fresh vegetables", "Lantern House", 45),
    ("Edith", "buy fresh vegetables", "Pine Street Grocery", 45),
    ("Kenji", "work through practice problems", "Alder Dorm", 60),
    ("Kenji", "do practice problems for an hour or so", "Alder College", 60),
    ("Lucia", "get lost in a biography for an hour or so", "Harbor Flat", 60),
    ("Owen", "stock the shelves", "Pine Street Grocery", 120),
    ("Owen", "serve customers at the counter", "Pine Street Grocery", 120),
    ("Felix", "grab a coffee at Juniper Cafe", "Juniper Cafe", 30),
    ("Felix", "meet friends at Juniper Cafe", "Juniper Cafe", 60),
    ("Marta", "wash the dishes and tidy the kitchen", "Brook House", 45),
    ("Marta", "do the laundry", "Brook House", 60),
    ("Marta", "do some chores around the house", "Brook House", 60),
    ("Lucia", "help set up The Copper Kettle for the party", "The Copper Kettle", 60),
    ("Idris", "help decorate Juniper Cafe for the party", "Juniper Cafe", 60),
    ("Iris", "work at the easel for four hours at a relaxed pace", "Rowan Cottage", 240),
    ("Bram", "watch the evening news", "Rowan Cottage", 60),
    ("Lucia", "listen to the band at The Copper Kettle", "The Copper Kettle", 90),
]


@pytest.mark.parametrize(("first", "activity", "place", "minutes"), SLIPS)
def test_the_known_slips_are_gone(first: str, activity: str, place: str, minutes: int) -> None:
    persona = next(p for p in residents() if p.name.startswith(first + " "))
    judged = bad = 0
    for seed in range(6):
        for run in (ga_chain, merged_chain):
            done = run(persona, activity, place, duration=minutes, seed=seed)
            judged += sum(1 for d in done if judged_pair(d.verb, d.kind))
            bad += len(misfits(activity, place, done))
    # a real model's rare slip (a verb the object lacks, grounded by the fail-safe) may
    # land once in a dozen decompositions; the old misreadings were every time
    assert judged and bad <= 1, (activity, bad, judged)


def test_the_chain_is_deterministic() -> None:
    persona = residents()[15]
    first = ga_chain(persona, "check the stock of coffee beans and milk", "Juniper Cafe", seed=4)
    again = ga_chain(persona, "check the stock of coffee beans and milk", "Juniper Cafe", seed=4)
    assert first == again
    other = [ga_chain(persona, "have lunch", "Brook House", seed=s) for s in range(6)]
    assert len({json.dumps([d.subtask for d in o]) for o in other}) > 1


def _arena(persona: dict[str, str], subtask: str, rooms: list[str]) -> str:
    context = {
        "persona": persona,
        "activity": subtask,
        "subtask": subtask,
        "area": "Alder Dorm",
        "room_options": rooms,
    }
    return str(json.loads(answer_arena(context, random.Random(0)).strip("`json\n"))["arena"])


ROOMS = ["room 1", "room 2", "room 3", "bathroom", "lounge", "common kitchen"]


def test_sleep_goes_to_the_own_room_when_the_persona_names_it() -> None:
    """Generative Agents' persona block names the living area; with it, the stand-in
    sends a sleeper to that room and nobody else's."""
    for own in ("room 2", "room 3"):
        persona = {"name": "Kenji Mori", "home": "Alder Dorm", "living_area": f"Alder Dorm:{own}"}
        assert _arena(persona, "go to sleep", ROOMS) == own
        by_bed = {"name": "Kenji Mori", "home": "Alder Dorm", "bed": f"Alder Dorm:{own}:bed 2"}
        assert _arena(by_bed, "sleep", ROOMS) == own
    assert _arena({"name": "Kenji Mori"}, "take a shower", ROOMS) == "bathroom"


def test_sleep_goes_to_the_own_room_through_the_real_prompts() -> None:
    for first in ("Kenji", "Sofia", "Owen", "Theo"):
        persona = next(p for p in residents() if p.name.startswith(first + " "))
        done = ga_chain(persona, "go to sleep", persona.home, duration=420)
        assert [d.target for d in done] == [profile(persona).bed], (first, done)


@pytest.mark.parametrize(
    ("subtask", "expected"),
    [
        # a step done on no object goes to a seat, never to the first object listed
        ("water the houseplants", ("table", "sit")),
        ("pick off the dead leaves", ("table", "sit")),
        # a subtask that needs the stove still gets it
        ("cook breakfast", ("stove", "cook")),
    ],
)
def test_an_object_that_fits_nothing_is_never_the_first_one_listed(
    subtask: str, expected: tuple[str, str]
) -> None:
    objects = [
        {"name": "stove", "kind": "stove", "verbs": ["cook"]},
        {"name": "table", "kind": "table", "verbs": ["eat", "sit"]},
    ]
    context = {"subtask": subtask, "room": "Test House:kitchen", "objects": objects}
    assert choose_object(context) == expected


def test_the_room_name_is_no_object_name() -> None:
    objects = [
        {"name": "bar", "kind": "bar", "verbs": ["serve", "chat"]},
        {"name": "table 3", "kind": "table", "verbs": ["eat", "sit"]},
    ]
    room = "The Copper Kettle:bar room"
    eating = {"subtask": "finishing up eating dinner in the bar room", "room": room}
    serving = {"subtask": "serving drinks at the bar in the bar room", "room": room}
    assert choose_object({**eating, "objects": objects}) == ("table 3", "eat")
    assert choose_object({**serving, "objects": objects}) == ("bar", "serve")


@pytest.mark.parametrize("text", ["Marta unlocks the cafe", "unlock the cafe"])
def test_unlocking_ones_own_cafe_is_work(text: str) -> None:
    _, verbs = meaning(text, {"name": "Marta Ellison", "role": "barista"}, "Juniper Cafe")
    assert "serve" in verbs and "order" not in verbs and "pay" not in verbs


@pytest.mark.parametrize(
    ("text", "role", "place", "verb", "not_verb"),
    [
        # a library book is read, not studied (it was stored as study at the desk and
        # served to 'read a book')
        ("gets lost in a library book", "student", "Alder Dorm", "read", "study"),
        ("revise in the library for the exam", "student", "Alder College", "study", ""),
        # answering letters is desk work, not a chat with residents at the meeting table
        ("answer letters from residents", "mayor", "Town Hall", "write", "chat"),
        ("meet residents to discuss the council agenda", "mayor", "Town Hall", "chat", ""),
    ],
)
def test_reading_and_letters_mean_what_they_say(
    text: str, role: str, place: str, verb: str, not_verb: str
) -> None:
    _, verbs = meaning(text, {"name": "Someone Else", "role": role}, place)
    assert verb in verbs
    assert not_verb not in verbs
