"""The stand-in's reflection insights read as a chat model would write them.

Memories fed to a reflection may be earlier insights (reflections are stored and
retrieved again). The texts below are the junk 25-NPC runs stored before: templates
nested in templates, lower-cased names, sentences cut off mid-word, verbs and generic
words taken for themes. Fed back in, none of those defects may come out.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
from offline_town import residents

from aga_npc.offline.insight import (
    MAX_CHARS,
    fact_insight,
    insights,
    is_own_insight,
    is_sighting,
    proper_names,
)

WRAPS = (
    "it matters to",
    "seems to care about this",
    "will likely remember that",
    "has taken note that",
)
# Junk stored by earlier runs (verbatim).
JUNK = (
    "It matters to Marisol that it matters to Marisol that it matters to Marisol that marisol "
    "spends much of the time at A",
    "Keeps keeps coming up in Tobias's life lately",
    "House keeps coming up in Marta's life",
    "Election keeps coming up in Lena's life lately",
    "Marta cares about seems more than they admit",
    "Rosa will likely remember that rosa seems to care about this: rosa Delgado is talking with "
    "everyone at the meeting at the",
    "Tobias seems to care about this: it matters to Tobias that tobias seems to care about "
    "this: tobias seems to care about this",
    "It matters to Sofia that sofia seems to care about this: it matters to Sofia that sofia "
    "volunteers for Calvin Reyes",
    "Idris seems to care about this: idris Vale is wiping down the kitchen counters at the sink "
    "in the bathroom, carefully",
    "Nadia seems to care about this: jonah and Walter play music at The Copper Kettle on "
    "Friday evenings",
    "Idris spends much of the time at Grocery",
    "Amara cares about alder more than they admit",
    "Marisol has been thinking a lot about bookshelf",
)
# Words a theme must never be: verbs, generic words, pieces of names.
NOT_THEMES = ("keeps", "seems", "matters", "house", "alder", "friday", "bookshelf", "grocery")


def names() -> list[str]:
    """Every resident's first name and surname."""
    return sorted({w for p in residents() for w in p.name.split()})


def defects(text: str) -> list[str]:
    """What is wrong with an insight or thought, as read by a person."""
    found = []
    low = text.lower()
    if sum(low.count(w) for w in WRAPS) > 1:
        found.append("a template inside a template")
    for name in names():
        if re.search(rf"(?<![A-Za-z]){name.lower()}(?![a-z])", text):
            found.append(f"lower-cased {name}")
    words = re.findall(r"[a-z0-9:']+", low)
    if any(a == b for a, b in itertools.pairwise(words)):
        found.append("a word twice in a row")
    if re.search(r"\b(?:the|a|an|at|in|of|to|and|with|for|on|that|this)[.:]?$", low.strip()):
        found.append("cut off")
    if len(text) > 200:
        found.append("longer than the brain keeps (200 characters)")
    theme = re.match(r"^(.+?) keeps coming up in ", text)
    if theme and theme.group(1).lower() in NOT_THEMES:
        found.append(f"theme {theme.group(1)!r}")
    if re.search(r"\b(?:thinking a lot about|cares (?:more )?about) (\w+)", text):
        about = re.search(r"\b(?:thinking a lot about|cares (?:more )?about) (\w+)", text)
        if about and about.group(1).lower() in NOT_THEMES:
            found.append(f"theme {about.group(1)!r}")
    return found


@pytest.mark.parametrize("junk", JUNK)
def test_an_earlier_insight_is_never_wrapped_again(junk: str) -> None:
    assert is_own_insight(junk)
    for seed in range(20):
        assert fact_insight("Marisol Ruiz", junk, random.Random(seed)) is None


def test_no_theme_is_a_verb_or_a_generic_word() -> None:
    memories = [
        *JUNK,
        "Marta keeps the house tidy and seems busy",
        "Marta's house matters to her and the house keeps her busy",
        "Tobias keeps coming up with ideas; it seems to work",
    ]
    for seed in range(60):
        for text in insights("Marta Ellison", memories, random.Random(seed)):
            assert not defects(text), (text, defects(text))
            assert "keeps keeps" not in text.lower()


def test_themes_are_topics_named_as_a_chat_model_names_them() -> None:
    memories = [
        "Lena Delgado is worried about the election",
        "Calvin Reyes is running in the mayoral election against Rosa Delgado",
        "Lena's mother is the mayor",
    ]
    said = set()
    for seed in range(60):
        said |= set(insights("Lena Delgado", memories, random.Random(seed)))
    themed = [t for t in said if "election" in t]
    assert themed
    assert "The election keeps coming up in Lena's life lately" in said
    assert not any("Election keeps" in t for t in said)


def test_places_and_people_keep_their_whole_names() -> None:
    memories = [
        "Idris Vale is buying flour at Pine Street Grocery",
        "Idris Vale went to Pine Street Grocery after work",
        "Nadia Petrova tends bar at The Copper Kettle",
        "Nadia Petrova asked Idris about the new menu",
        "Nothing new to plan after talking with Kenji.",
    ]
    people, places = proper_names(memories, "Arturo Delgado")
    assert set(places) == {"Pine Street Grocery", "The Copper Kettle"}
    assert set(people) == {"Idris", "Nadia"}  # "Nothing", "Kenji" alone: no known full name
    people, _ = proper_names(memories, "Idris Vale")
    assert "Idris" not in people


def test_news_keeps_its_capitals_and_is_never_cut_off() -> None:
    facts = [
        "Jonah and Walter play music at The Copper Kettle on Friday evenings",
        "Rosa Delgado is seeking a third term; her own clerk Calvin Reyes is running against "
        "her, which has made the town hall office a tense place to work for everyone there, "
        "from the clerks to the mayor herself",
        "The park budget depends on who wins next Friday's mayoral election",
        "Marta is planning a party for Juniper Cafe's tenth anniversary and is inviting "
        "everyone she meets.",
        "Nora has a chemistry exam in two weeks and joined Amara's study group.",
        "Iris should go to the party at Juniper Cafe with Marta on Saturday at 18:00.",
        "Edith and Nora agreed to go to the town meeting tomorrow.",
    ]
    for reader in ("Iris Calloway", "Rosa Delgado", "Marta Ellison", "Nora Ellison", "Edith Pym"):
        for fact in facts:
            for seed in range(10):
                said = fact_insight(reader, fact, random.Random(seed))
                if said is None:
                    continue
                assert not defects(said), (said, defects(said))
                assert len(said) <= MAX_CHARS
                for name in ("Jonah", "Walter", "Calvin", "Juniper", "Amara", "Marta"):
                    if name in fact and name.lower() in said.lower():
                        assert name in said, said
    said = fact_insight("Iris Calloway", facts[0], random.Random(0))
    assert said is not None and "Jonah and Walter play music at The Copper Kettle" in said
    own = {fact_insight("Marta Ellison", facts[3], random.Random(s)) for s in range(20)}
    assert "Marta is dedicated to planning a party for Juniper Cafe's tenth anniversary" in own


def test_a_sighting_is_no_news() -> None:
    sightings = (
        "Rosa Delgado is talking with everyone at the meeting at the table in the meeting room",
        "Idris Vale is wiping down the kitchen counters at the sink in the bathroom, carefully",
        "Lucia Ferrant: still chatting with friends at the table in the meeting room",
        "Theo Lambert is writing letters at the desk in the apartment 2 (continued)",
    )
    for text in sightings:
        assert is_sighting(text)
        assert fact_insight("Rosa Delgado", text, random.Random(1)) is None
    assert not is_sighting("Jonah and Walter play music at The Copper Kettle on Fridays")
