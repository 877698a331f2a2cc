"""The offline ``importance`` and ``reflect`` answers, and the insights of a reflection,
read off memories as a chat model would write them.

An insight names a person, a place or a topic that recurs in the memories, or restates
one piece of news with what it means to the person. Memories may themselves be earlier
insights (reflections are stored in the memory stream and retrieved again): those are
recognised, never wrapped in another template, and their words are not read as
topics. Proper names keep their capitals, and a fact too long for one sentence is left
out rather than cut off.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.facts import first_name, persona_facts, place_type
from aga_npc.offline.phrasing import pick, render_json, wordset

__all__ = [
    "answer_importance",
    "answer_reflect",
    "fact_insight",
    "importance_of",
    "insights",
    "is_own_insight",
    "is_sighting",
    "proper_names",
]

_WORDS = re.compile(r"[a-z']+")
# (score range, trigger words); the highest band with a hit wins.
_BANDS: tuple[tuple[tuple[int, int], frozenset[str]], ...] = (
    (
        (7, 9),
        wordset(
            "married wedding engaged engagement divorce funeral died death dies pregnant born "
            "baby accepted fired hired promotion promoted accident fire proposal proposed "
            "breakup heartbroken elected won graduation graduated moved"
        ),
    ),
    (
        (4, 6),
        wordset(
            "talk talked talking chat chatted conversation met meet meeting friend friends "
            "invite invited invitation party election vote argument argued date visit visited "
            "plan planning planned help helped celebrate celebration exam gift news debate"
        ),
    ),
    (
        (2, 3),
        wordset(
            "work working study studying class serve serving shop shopping cook cooking "
            "clean cleaning"
        ),
    ),
    (
        (1, 2),
        wordset(
            "sleep sleeping wake waking brush brushing teeth shower showering breakfast lunch "
            "dinner eat eating walk "
            "walking idle sitting read reading bed coffee wash washing toilet resting"
        ),
    ),
)
# A run of capitalised words: a person's or a place's name ("The Copper Kettle").
_PROPER = re.compile(r"\b(?:The )?[A-Z][a-z]+(?:'[a-z]+)?(?: [A-Z][a-z]+(?:'[a-z]+)?)*")
_NOT_NAMES = wordset(
    "I The A An It He She They We You This That There Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October "
    "November December Today Tomorrow Yesterday Nothing Everyone Someone Before After At In On "
    "With Without Through To For Make Take Set Find Go Head Walk What How Who Why When Where"
)
# Topics worth an insight: a word (or phrase) of a memory and how an insight names it.
# Only nouns that name something - an event, an activity, a pursuit, a place in a
# building; never a verb or a word every memory has ("keeps", "house", "seems").
_TOPICS: tuple[tuple[str, str], ...] = (
    ("study group", "the study group"),
    ("reading club", "the reading club"),
    ("quiz night", "the quiz night"),
    ("half marathon", "the half marathon"),
    ("model ship", "model ships"),
    ("town meeting", "the town meeting"),
    ("town newsletter", "the town newsletter"),
    ("college paper", "the college paper"),
    ("election", "the election"),
    ("mayoral", "the election"),
    ("campaign", "the campaign"),
    ("campaigning", "the campaign"),
    ("leaflets", "the campaign"),
    ("debate", "the debate"),
    ("anniversary", "the anniversary party"),
    ("party", "the party"),
    ("exam", "the exams"),
    ("exams", "the exams"),
    ("competition", "the competition"),
    ("band", "the band"),
    ("concert", "the concert"),
    ("music", "music"),
    ("piano", "the piano"),
    ("guitar", "the guitar"),
    ("songs", "music"),
    ("painting", "painting"),
    ("paintings", "painting"),
    ("exhibition", "the exhibition"),
    ("sketch", "sketching"),
    ("sketching", "sketching"),
    ("garden", "the gardens"),
    ("gardens", "the gardens"),
    ("bulbs", "the gardens"),
    ("flower", "the gardens"),
    ("newsletter", "the newsletter"),
    ("article", "the article"),
    ("poems", "poetry"),
    ("poetry", "poetry"),
    ("menu", "the new menu"),
    ("recipe", "new recipes"),
    ("baking", "baking"),
    ("photographs", "old photographs"),
    ("marathon", "running"),
    ("football", "football"),
    ("swimming", "swimming"),
    ("supermarket", "the new supermarket"),
    ("budget", "the budget"),
    ("retiring", "retirement"),
    ("retirement", "retirement"),
    ("travel", "travelling"),
    ("crossword", "crosswords"),
    ("puzzles", "puzzles"),
    ("volunteers", "volunteering"),
    ("library", "the library"),
    ("chemistry", "chemistry"),
    ("mathematics", "mathematics"),
    ("history", "local history"),
    ("book", "the book"),
)
_TOPIC_WORDS = re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in _TOPICS) + r")\b")
_TOPIC = dict(_TOPICS)
# The stand-in's own insight sentences, wrapped ("It matters to Rosa that ...") or derived
# from counts ("Rosa spends much of the time at Town Hall").
_WRAPPERS = re.compile(
    r"^\s*(?:It matters to [\w' -]+? that|[\w' -]+? seems to care about this:|"
    r"[\w' -]+? will likely remember that|[\w' -]+? has taken note that|"
    r"[\w' -]+? keeps in mind that)\s+",
    re.I,
)
_DERIVED = re.compile(
    r"\b(?:enjoys spending time with|has become an important part of|keep running into each "
    r"other|has been thinking a lot about|keeps coming up in|cares about .+ more than|"
    r"cares more about .+ than it might seem|spends much of the time (?:at|in)|is one of .+ "
    r"favourite places|spends a good part of the day (?:at|in)|often crosses paths with|"
    r"is going about an ordinary day|has had a quiet, ordinary few days|is dedicated to|"
    r"puts a lot of heart into|means a lot to|is clearly on .+ mind|is a big part of|"
    r"means to go|has made plans to go|really wants to|is determined to|will not forget|"
    r"is looking forward to it)\b",
    re.I,
)
# What someone was seen doing at an object ("Rosa Delgado is talking with everyone at the
# table in the meeting room, carefully"): a sighting, not news.
_SIGHTING = re.compile(
    r"\b(?:at|on|by) the [a-z][\w ]* in the [a-z]|\(continued\)|, (?:carefully|taking a short "
    r"pause)\b|: still |\bis finishing up\b"
)
_CLAUSE = re.compile(r"(?:;|,? and then| - |, but |, which |, so )")
_MAX_WORDS = 24
MAX_CHARS = 180
# Where a pursuit's first part ends: "planning a party and is inviting everyone".
_FIRST_PART = re.compile(r";| - |, | and (?!\w+ing\b)| but ")
_COMMON_START = wordset(
    "The A An This That These Those There It Its Some Everyone Nobody Someone People Most Many "
    "All Each Every Her His Their Our My"
)
# Verbs of mind: "Silas is thinking of retiring" is no pursuit to be dedicated to.
_MIND = wordset(
    "thinking wondering hoping trying considering worrying looking feeling wishing going "
    "getting being having"
)


def importance_of(event: str, rng: random.Random) -> int:
    """Poignancy 1-10: routine 1-3, social 4-6, big life events 7-9; unknown 2-4."""
    words = set(_WORDS.findall(event.lower()))
    for (lo, hi), triggers in _BANDS:
        if words & triggers:
            return rng.randint(lo, hi)
    return rng.randint(2, 4)


def answer_importance(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text ``{"importance": n}``."""
    value = importance_of(str(context.get("event") or ""), rng)
    return render_json(rng, {"importance": value}, compact=0.7, fence=0.05)


def answer_reflect(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text ``{"insights": [...]}`` with 1-3 insights from the memories."""
    raw = context.get("persona")
    persona = persona_facts(raw if isinstance(raw, Mapping) else {})
    memories = context.get("memories")
    texts = [str(m) for m in memories] if isinstance(memories, Sequence) else []
    return render_json(rng, {"insights": insights(persona.name, texts, rng)}, fence=0.1)


def is_own_insight(text: str) -> bool:
    """Whether a memory is one of the stand-in's own insights (wrapped or derived)."""
    return _WRAPPERS.match(text.strip()) is not None or _DERIVED.search(text) is not None


def is_sighting(text: str) -> bool:
    """Whether a memory (or a line) tells what someone was doing at an object ("... at the
    table in the meeting room, carefully"), which is no news."""
    return _SIGHTING.search(text) is not None


def proper_names(memories: Sequence[str], own: str = "") -> tuple[Counter[str], Counter[str]]:
    """The people (first names) and the places the memories name, counted once a memory.

    A person is a full name ("Hana Novak", "Hana Novak's") or the first name of one named
    in any of the memories; a place is a run of capitalised words whose words say what
    kind of place it is ("Pine Street Grocery", "The Copper Kettle"). ``own`` (the
    reflecting person) is left out; single capitalised words that are no known first name
    (a sentence's first word, a weekday) are not people.
    """
    runs = [
        [re.sub(r"'s$", "", m) for m in _PROPER.findall(text) if m.split()[0] not in _NOT_NAMES]
        + [re.sub(r"'s$", "", m[4:]) for m in _PROPER.findall(text) if m.startswith("The ")]
        for text in memories
    ]
    own_first = first_name(own)
    firsts = {
        r.split()[0]
        for found in runs
        for r in found
        if len(r.split()) == 2 and place_type(r) == "other"
    }
    people: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for text, found in zip(memories, runs, strict=True):
        seen_people: dict[str, None] = {}  # ordered sets: ties in most_common keep
        seen_places: dict[str, None] = {}  # the order said, whatever the hash seed
        for run in found:
            words = run.split()
            if words[0] == own_first or run == own:
                continue
            if place_type(run) != "other":
                whole = next((p for p in _place_runs(text) if p.endswith(run)), run)
                seen_places[whole] = None
            elif words[0] in firsts and len(words) <= 2:
                seen_people[words[0]] = None
        people.update(list(seen_people))
        places.update(list(seen_places))
    return people, places


def _place_runs(text: str) -> list[str]:
    """Capitalised runs of ``text`` that name a place, "The" kept ("The Copper Kettle")."""
    return [m for m in _PROPER.findall(text) if place_type(m) != "other"]


def _topics(memories: Sequence[str]) -> Counter[str]:
    """The topics the memories name (as an insight names them), counted once a memory."""
    found: Counter[str] = Counter()
    for text in memories:
        # once a memory, in the order said (a set's order would change with the hash seed)
        found.update(list(dict.fromkeys(_TOPIC[m] for m in _TOPIC_WORDS.findall(text.lower()))))
    return found


def _at(place: str) -> str:
    return "in" if place_type(place) in ("park", "square") else "at"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def insights(name: str, memories: Sequence[str], rng: random.Random) -> list[str]:
    """Insights naming the people, places and topics that recur in the memories (earlier
    insights among them are not counted: they would only echo themselves)."""
    me = first_name(name)
    fresh = [m for m in memories if not is_own_insight(m)]
    people, places = proper_names(fresh, name)
    themes = _topics(fresh)
    for theme in list(themes):
        if themes[theme] < 2:
            del themes[theme]
    out: list[str] = []
    if people:
        person = people.most_common(1)[0][0]
        out.append(
            pick(
                rng,
                (
                    f"{me} enjoys spending time with {person}",
                    f"{person} has become an important part of {me}'s days",
                    f"{me} and {person} keep running into each other and get along well",
                ),
            )
        )
    if themes:
        theme = pick(rng, [t for t, _ in themes.most_common(3)])
        out.append(
            pick(
                rng,
                (
                    f"{me} has been thinking a lot about {theme}",
                    f"{_cap(theme)} keeps coming up in {me}'s life lately",
                    f"{me} cares more about {theme} than it might seem",
                ),
            )
        )
    if places:
        place = places.most_common(1)[0][0]
        out.append(
            pick(
                rng,
                (
                    f"{me} spends much of the time {_at(place)} {place}",
                    f"{place} is one of {me}'s favourite places",
                ),
            )
        )
    if not out:
        return [f"{me} has had a quiet, ordinary few days"]
    head, rest = out[:1], out[1:]
    rng.shuffle(rest)
    return head + rest[: rng.randint(0, len(rest))]


def _sentence(fact: str, *, clause_only: bool = False) -> str | None:
    """The fact as one whole sentence without its full stop: its first sentence, or its
    first clause when that is too long (or ``clause_only``); None when even that is too
    long (never cut mid-phrase)."""
    text = re.split(r"(?<=[.!?])\s+", fact.strip(), maxsplit=1)[0].rstrip(".!? ").strip()
    if clause_only or len(text.split()) > _MAX_WORDS:
        head = _CLAUSE.split(text, maxsplit=1)[0].strip(" ,")
        if not 4 <= len(head.split()) <= _MAX_WORDS:
            return None
        text = head
    return text or None


def fact_insight(name: str, fact: str, rng: random.Random) -> str | None:
    """An insight restating one piece of news (see :func:`_fact_insight`), at most
    ``MAX_CHARS`` long: the fact's first clause when the whole sentence makes it longer,
    None when even that does (the brain keeps 200 characters of an insight; a longer one
    would be cut off mid-word)."""
    for clause_only in (False, True):
        said = _fact_insight(name, fact, random.Random(rng.random()), clause_only=clause_only)
        if said is None or len(said) <= MAX_CHARS:
            return said
    return None


def _fact_insight(
    name: str, fact: str, rng: random.Random, *, clause_only: bool = False
) -> str | None:
    """An insight restating one piece of news with what it means to ``name``, or None when
    the memory is no news worth it: an earlier insight, a sighting of someone at an
    object, a fact too long to say in one sentence.

    A fact about the person is said with their name once ("Nora has a chemistry exam in
    two weeks; it is clearly on Nora's mind" - the stand-in does not know pronouns); one
    about others keeps its own words and capitals ("Iris will likely remember that Jonah
    and Walter play music at The Copper Kettle on Friday evenings").
    """
    me = first_name(name)
    if is_own_insight(fact) or is_sighting(fact):
        return None
    text = _sentence(fact, clause_only=clause_only)
    if text is None:
        return None
    subject = next((s for s in (name, me) if text.startswith(s + " ")), "")
    rest = text[len(subject) :].strip()
    if subject and rest.startswith("and "):  # "Edith and Nora agreed to go to the meeting"
        return pick(
            rng, (f"{text}, and {me} is looking forward to it", f"{text}; {me} will not forget it")
        )
    if subject and rest[:1].islower():
        return _own_fact(me, rest, rng)
    first = text.split()[0]
    if first in _COMMON_START:
        text = first.lower() + text[len(first) :]
    return pick(
        rng,
        (
            f"{me} will likely remember that {text}",
            f"It matters to {me} that {text}",
            f"{me} has taken note that {text}",
        ),
    )


def _own_fact(me: str, rest: str, rng: random.Random) -> str:
    """An insight about the person's own news, ``rest`` being what follows their name
    ("is collecting old photographs of the town for his book")."""
    words = rest.split()
    if len(words) > 2 and words[0] == "is" and words[1].endswith("ing") and words[1] not in _MIND:
        doing = _FIRST_PART.split(" ".join(words[1:]), maxsplit=1)[0].strip(" ,")
        return pick(
            rng,
            (
                f"{me} is dedicated to {doing}",
                f"{me} puts a lot of heart into {doing}",
                f"{_cap(doing)} means a lot to {me}",
            ),
        )
    if rest.startswith("should go "):
        going = rest[len("should go ") :]
        return pick(rng, (f"{me} means to go {going}", f"{me} has made plans to go {going}"))
    if rest.startswith("wants to "):
        wanted = rest[len("wants to ") :]
        return pick(rng, (f"{me} really wants to {wanted}", f"{me} is determined to {wanted}"))
    rest = rest.split(";")[0].strip(" ,")
    return pick(
        rng,
        (
            f"{me} {rest}; it is clearly on {me}'s mind",
            f"{me} {rest}, and it is a big part of {me}'s life right now",
        ),
    )
