"""Phrase grammar of the day's frame: getting up, meals, bedtime, small extras and breaks.

Every entry is a ``paraphrase.Say``: marked verb-phrase templates (``~verb``), movable
modifiers and, for the broad items a chat model repeats from day to day, a few short
everyday wordings. Meal templates always name their meal (the schedule checker and the
one-meal-each rule go by the word), bedtime templates always say "sleep", "go to bed" or
"bedtime" (the plan parser's test for the night), and no other template says either.
"""

from __future__ import annotations

from aga_npc.offline.paraphrase import Say

__all__ = [
    "BED_PREP",
    "BREAKFAST",
    "BREAKS",
    "COMMUTE",
    "DINNER",
    "FOODS",
    "LUNCH",
    "MEALS",
    "MORNING_EXTRAS",
    "ROUTINE",
    "ROUTINE_SPLIT",
    "SLEEP",
    "WORDS",
]

# Values every template may use (the planner adds first, poss, self, work, home, later ...).
WORDS: dict[str, tuple[str, ...]] = {
    "drink": ("coffee", "tea", "a cup of tea", "a strong coffee", "orange juice", "black coffee"),
    "quick": ("quick", "light", "simple", "hurried", "easy"),
    "slow": ("slow", "lazy", "leisurely", "quiet", "unhurried"),
    "kitchen": ("in the kitchen", "at the kitchen table", "at the table by the window"),
    "mates": ("the team", "colleagues", "a coworker"),
}
FOODS: dict[str, tuple[str, ...]] = {
    "breakfast": (
        "toast",
        "eggs",
        "porridge",
        "oatmeal",
        "pancakes",
        "yogurt and fruit",
        "eggs on toast",
        "scrambled eggs",
        "muesli",
        "a boiled egg and toast",
        "fruit and granola",
    ),
    "lunch": (
        "a sandwich",
        "soup",
        "leftovers",
        "a salad",
        "a bowl of noodles",
        "cheese on toast",
        "a jacket potato",
        "last night's leftovers",
        "tomato soup",
    ),
    "dinner": (
        "pasta",
        "a stir-fry",
        "a stew",
        "rice and beans",
        "roast vegetables",
        "a curry",
        "fish and potatoes",
        "a vegetable soup",
        "an omelette",
        "risotto",
    ),
}

ROUTINE = Say(
    key="routine",
    cores=(
        "~wake up and ~get ready[ for the day|]",
        "~get up, ~shower and ~get dressed",
        "~wake up, ~wash up and ~get dressed",
        "~do {poss} morning routine",
        "~take a [{quick}|hot|long|] shower and ~get dressed",
        "~freshen up and ~get dressed[ for the day|]",
        "~roll out of bed and ~take a [{quick}|hot|] shower",
        "~get washed and dressed",
        "~shower, ~brush {poss} teeth and ~get dressed",
        "~start the day with a [{quick}|hot|] shower",
        "~get up and ~wash[ up|]",
        "~wake up and ~freshen up",
    ),
    mods=("[slowly|without rushing]", "with the radio on", "while the kettle boils"),
    broad=(
        "wake up and get ready",
        "morning routine",
        "get ready for the day",
        "wake up and get dressed",
        "shower and get dressed",
    ),
    nouns=("morning routine: shower, teeth, clothes", "wake up, shower, get dressed"),
    broad_p=0.45,
    subject_p=0.15,
    mod_p=0.15,
)
ROUTINE_SPLIT = (
    Say(
        key="wake",
        cores=(
            "~wake up and ~stretch[ for a minute|]",
            "~wake up [slowly|early|to the alarm]",
            "~wake up and ~open the curtains",
            "~wake up and ~lie in for a few minutes",
            "~wake up and ~check the weather",
            "~wake up and ~make the bed",
            "~wake up to the [alarm|birds|sound of rain]",
            "~wake up and ~drink a glass of water",
        ),
        broad=("wake up", "wake up and stretch"),
        broad_p=0.35,
        subject_p=0.2,
    ),
    Say(
        key="wash",
        cores=(
            "~take a [{quick}|hot|long] shower and ~get dressed",
            "~shower and ~get dressed[ for the day|]",
            "~wash up and ~get dressed",
            "~get washed and dressed",
            "~brush {poss} teeth and ~get dressed",
            "~have a [{quick}|hot] shower",
            "~shower and ~dress[ quickly|]",
        ),
        broad=("shower and get dressed", "take a shower"),
        broad_p=0.35,
        subject_p=0.2,
    ),
)

# Meals by where they happen: "home", "out" (a cafe or bar, ``{place}``), "work".
BREAKFAST = {
    "home": Say(
        key="breakfast:home",
        cores=(
            "~have {food} for breakfast",
            "~make {food} for breakfast",
            "~eat a [{quick}|big|{slow}] breakfast[ {kitchen}|]",
            "~fix {self} {food} for breakfast",
            "~grab a {quick} breakfast",
            "~sit down to breakfast[ with {drink}|]",
            "~enjoy a {slow} breakfast[ with {drink}|]",
            "~cook {food} for breakfast",
            "~have breakfast [{kitchen}|with {drink}]",
            "~make {drink} and [toast|eggs|porridge] for breakfast",
            "~eat breakfast [while reading the news|with the radio on|by the window]",
        ),
        broad=("have breakfast", "eat breakfast", "breakfast at home", "make breakfast"),
        nouns=("breakfast: {food} and {drink}", "breakfast at home: {food}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
    "out": Say(
        key="breakfast:out",
        cores=(
            "~have breakfast at {place}",
            "~grab [a coffee and |]a croissant at {place} for breakfast",
            "~have a [late|{quick}|{slow}] breakfast at {place}",
            "~stop at {place} for breakfast[ and a coffee|]",
            "~eat breakfast at a [window |corner |]table in {place}",
            "~treat {self} to breakfast at {place}",
        ),
        broad=("have breakfast at {place}", "breakfast at {place}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
}
BREAKFAST["work"] = BREAKFAST["out"]
LUNCH = {
    "home": Say(
        key="lunch:home",
        cores=(
            "~have lunch at home",
            "~make [a {quick}|a toasted|an egg] sandwich for lunch",
            "~cook a {quick} lunch",
            "~eat {food} for lunch[ {kitchen}|]",
            "~heat up {food} for lunch",
            "~grab a quick bite for lunch",
            "~put together a {quick} lunch",
            "~have {food} for lunch",
            "~fix {self} a {quick} lunch",
            "~sit down to a {quick} lunch[ {kitchen}|]",
        ),
        broad=("have lunch", "have lunch at home", "eat lunch", "lunch at home"),
        nouns=("lunch at home: {food}", "lunch: {food}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
    "out": Say(
        key="lunch:out",
        cores=(
            "~have lunch at {place}",
            "~grab lunch at {place}",
            "~eat a sandwich at {place} for lunch",
            "~meet a friend for lunch at {place}",
            "~get [a bowl of soup|a sandwich|a salad] at {place} for lunch",
            "~treat {self} to lunch at {place}",
            "~grab a quick bite for lunch at {place}",
            "~head to {place} for lunch",
        ),
        broad=("have lunch at {place}", "lunch at {place}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
    "work": Say(
        key="lunch:work",
        cores=(
            "~eat a packed lunch at work",
            "~take a lunch break[ at {place}|]",
            "~have a quick lunch[ break|] at {place}",
            "~eat lunch with {mates}[ at {place}|]",
            "~grab a quick bite for lunch between tasks",
            "~sit down for a {quick} lunch at {place}",
            "~eat {poss} packed lunch [in the back|outside|at {place}]",
            "~have lunch at {place}",
        ),
        broad=("lunch break", "have lunch", "take a lunch break"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
}
DINNER = {
    "home": Say(
        key="dinner:home",
        cores=(
            "~cook dinner and ~eat at home",
            "~have dinner at home",
            "~make {food} for dinner",
            "~cook {food} for dinner",
            "~eat dinner {kitchen}",
            "~heat up {food} for dinner",
            "~put together a {quick} dinner",
            "~cook a [{quick}|proper|hearty] dinner",
            "~sit down to dinner[ {kitchen}|]",
            "~have {food} for dinner[ {kitchen}|]",
        ),
        broad=("have dinner", "have dinner at home", "cook dinner", "eat dinner"),
        nouns=("dinner: {food}", "dinner at home: {food}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
    "out": Say(
        key="dinner:out",
        cores=(
            "~have dinner at {place}",
            "~eat dinner with friends at {place}",
            "~grab a bite for dinner at {place}",
            "~go out for dinner at {place}",
            "~meet friends for dinner at {place}",
            "~treat {self} to dinner at {place}",
        ),
        broad=("have dinner at {place}", "dinner at {place}"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
    "work": Say(
        key="dinner:work",
        cores=(
            "~eat dinner during a break at {place}",
            "~have a quick dinner break at work",
            "~grab a {quick} dinner at {place}",
            "~take a short dinner break[ at {place}|]",
        ),
        broad=("dinner break", "have dinner"),
        broad_p=0.36,
        subject_p=0.2,
        mod_p=0.0,
    ),
}
MEALS = {"breakfast": BREAKFAST, "lunch": LUNCH, "dinner": DINNER}

SLEEP = Say(
    key="sleep",
    cores=(
        "~go to sleep",
        "~go to bed",
        "~head to bed and ~sleep",
        "~turn in for the night and ~sleep",
        "~get some sleep",
        "~go to bed [early|after a long day|at last]",
        "~call it a night and ~go to sleep",
        "~fall asleep [reading|quickly|]",
        "~sleep[ at home| through the night| soundly|]",
        "~switch off the lights and ~go to sleep",
    ),
    broad=("sleep", "go to sleep", "go to bed", "sleep at home"),
    nouns=("bedtime", "lights out and sleep"),
    broad_p=0.55,
    subject_p=0.1,
    mod_p=0.0,
)
BED_PREP = Say(
    key="bedprep",
    cores=(
        "~get ready for bed",
        "~brush {poss} teeth and ~change into pyjamas",
        "~wind down before bed",
        "~wash up before bed",
        "~brush {poss} teeth and ~get ready for bed",
        "~change into pyjamas and ~wind down",
    ),
    broad=("get ready for bed", "wind down before bed"),
    broad_p=0.4,
    subject_p=0.15,
)
MORNING_EXTRAS = Say(
    key="extra",
    cores=(
        "~tidy up the kitchen",
        "~wipe down the kitchen counters",
        "~water the houseplants",
        "~tidy the house [a little|quickly|]",
        "~wash the dishes",
        "~clean the kitchen [quickly|]",
    ),
    broad=("tidy up the kitchen", "water the houseplants"),
    broad_p=0.3,
    subject_p=0.2,
)
COMMUTE = Say(
    key="commute",
    cores=(
        "~walk to {work}",
        "~head over to {work}",
        "~walk to work",
        "~stroll over to {work}",
        "~make {poss} way to {work}",
        "~set off on foot for {work}",
        "~walk over to {work}[ in the fresh air|]",
    ),
    broad=("walk to work", "walk to {work}"),
    broad_p=0.4,
    subject_p=0.2,
)
BREAKS = Say(
    key="break",
    cores=(
        "~take a short break",
        "~stretch and ~take a short break",
        "~take a short break and ~rest [a moment|for a few minutes]",
        "~sit down and ~rest for a few minutes",
        "~put {poss} feet up for a short break",
    ),
    broad=("take a short break", "short break"),
    broad_p=0.4,
    subject_p=0.2,
)
