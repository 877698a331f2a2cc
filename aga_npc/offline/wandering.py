"""Mind wandering in the offline planner: memories that mention an activity or a place
suggest a related activity for the day, sometimes (seeded), as a real model would.

Memories marked as having come to mind (``CAME_TO_MIND``, the ones mind wandering sampled)
weigh more, as a model told "this came to mind" would take them: each is taken with
probability ``WANDER_TAKE`` (up to ``MAX_WANDERED`` a day), and one about another person's
activity ("Silas Grue: play a few tunes at Town Square") suggests doing it too, unless it
is meal, sleep or someone's work (a student does not mix cocktails because she saw the
bartender do it: the role words of ``ROLE_WORDS`` must fit one's own workplace).

Only a memory that came to mind is taken as a loose association, as a model told "this
came to mind" takes it as a hint for the day: a person it names suggests seeing or writing
to them (``PERSON_TEXTS``), a thing it names (the stove, the desk, the records) suggests a
pastime with it (``ASSOCIATIONS``). Recalled memories, the day's current context, suggest
only what ``INSPIRATIONS`` lists, so without mind wandering the day keeps its habits.

Suggestions are phrase templates (``aga_npc.offline.paraphrase``): the planner words them
like every other item of the day."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aga_npc.offline.facts import Town, place_type
from aga_npc.offline.paraphrase import Say
from aga_npc.offline.phrasing import chance, pick
from aga_npc.offline.words import bare_step

__all__ = [
    "ASSOCIATIONS",
    "CAME_TO_MIND",
    "INSPIRATIONS",
    "PERSON_TEXTS",
    "ROLE_WORDS",
    "Inspiration",
    "Wish",
    "inspired_activities",
]

_WORDS = re.compile(r"[a-z']+")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


TAKE_PROBABILITY = 0.5
MAX_INSPIRED = 2
CAME_TO_MIND = "(came to mind) "
WANDER_TAKE = 0.9
MAX_WANDERED = 3
ROLE_WORDS: Mapping[str, frozenset[str]] = {
    "college": _set(
        "study studies exam exams assignment assignments homework lecture lectures seminar "
        "class classes revise revises flashcards thesis textbook chemistry"
    ),
    "bar": _set("cocktails pour pours cellar barrel barrels kegs taps bartending"),
    "cafe": _set("espresso pastry croissants"),
}
"""Work words by workplace type: an activity with them belongs to people who work there."""
_NOT_WISHES = _set(
    "breakfast lunch dinner supper eat eats meal menu order sandwich sleep nap bed wake shower "
    "dressed teeth work shift open close unlock lock pay pays shelve shelving restock "
    "restocking stock stocking"
)
_OBSERVED = re.compile(r"^([A-Z][\w'-]*(?: [A-Z][\w'-]*)*): ([a-z][^{}\[\]|~]*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Inspiration:
    """An activity a memory can suggest.

    Attributes:
        key: identity (one per day).
        words: memory words that suggest it.
        texts: marked templates by place type; ``{place}`` is the chosen place.
        prefer: place types in order of preference ("home" is always available).
        family: what the activity is (the decomposition check's family).
    """

    key: str
    words: frozenset[str]
    texts: Mapping[str, tuple[str, ...]]
    prefer: tuple[str, ...]
    family: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Wish:
    """An activity the day should contain, with its place and a duration in minutes.

    Attributes:
        say: its wordings; ``slots`` the template values (``place``).
        family: what the activity is ("" when unclear).
    """

    say: Say
    place: str
    duration: int
    key: str
    family: str = ""
    slots: Mapping[str, str] = field(default_factory=dict)


def _insp(
    key: str, words: str, prefer: str, texts: dict[str, tuple[str, ...]], family: str = ""
) -> Inspiration:
    return Inspiration(
        key=key,
        words=frozenset(words.split()),
        texts=texts,
        prefer=tuple(prefer.split()),
        family=family or key,
    )


INSPIRATIONS: tuple[Inspiration, ...] = (
    _insp(
        "paint",
        "paint painted painting paintings paints sketch sketched sketching easel watercolour "
        "watercolor canvas drawing drew",
        "park square home",
        {
            "park": (
                "~paint by the river in {place}",
                "~set up an easel in {place} and ~paint",
                "~sketch the trees in {place}",
                "~paint a landscape in {place}",
                "~sketch [the pond|the old oak|the river bank] in {place}",
            ),
            "square": (
                "~sketch the fountain in {place}",
                "~paint the old buildings around {place}",
                "~draw the people by the fountain in {place}",
            ),
            "home": (
                "~paint at home for a while",
                "~work on a watercolour at home",
                "~sketch [a still life|the view from the window] at home",
            ),
        },
    ),
    _insp(
        "election",
        "election elections vote voting votes candidate candidates campaign ballot mayoral",
        "hall square cafe home",
        {
            "hall": (
                "~go to the election meeting at {place}",
                "~attend the candidates' debate at {place}",
                "~listen to the candidates' debate at {place}",
            ),
            "square": (
                "~talk about the election with neighbours in {place}",
                "~discuss the election candidates with neighbours in {place}",
            ),
            "cafe": (
                "~discuss the election over coffee at {place}",
                "~chat about the election candidates at {place}",
            ),
            "home": (
                "~read up on the election candidates",
                "~think about who to vote for",
                "~weigh up the election candidates",
            ),
        },
    ),
    _insp(
        "party",
        "party parties celebration birthday valentine valentine's festival dance anniversary",
        "cafe bar shop home",
        {
            "cafe": (
                "~help decorate {place} for the party",
                "~stop by {place} to help plan the party",
                "~help hang decorations at {place} for the party",
            ),
            "bar": ("~help set up {place} for the party",),
            "shop": (
                "~buy a gift for the party at {place}",
                "~pick out a present for the party at {place}",
            ),
            "home": (
                "~think about what to wear to the party",
                "~make a card for the party",
                "~wrap a present for the party",
            ),
        },
    ),
    _insp(
        "study",
        "exam exams thesis homework assignment assignments seminar midterm midterms quiz",
        "college cafe home",
        {
            "college": (
                "~study for the exam in the library at {place}",
                "~meet the study group at {place}",
                "~revise for the exam in the library at {place}",
            ),
            "cafe": (
                "~review notes with the study group at {place}",
                "~go over exam notes with classmates at {place}",
            ),
            "home": (
                "~go over study notes at the desk",
                "~revise for the exam at home",
                "~make flashcards for the exam",
            ),
        },
    ),
    _insp(
        "garden",
        "garden gardening flowers flower plants planting roses herbs tulips seedlings",
        "park home",
        {
            "park": (
                "~look at the flower beds in {place}",
                "~help plant flowers in {place}",
                "~admire the flower beds in {place}",
            ),
            "home": (
                "~tend the herbs on the windowsill",
                "~repot the houseplants",
                "~water the herbs on the windowsill",
            ),
        },
    ),
    _insp(
        "music",
        "music piano guitar concert song songs sing singing band violin melody",
        "bar home",
        {
            "bar": (
                "~listen to the band at {place}",
                "~catch the live music at {place}",
            ),
            "home": (
                "~practise a new song on the piano",
                "~listen to records and ~hum along",
                "~put on some music and ~sing along",
            ),
        },
    ),
    _insp(
        "books",
        "book books novel novels poem poems poetry library",
        "college home",
        {
            "college": (
                "~look for a new novel at the library at {place}",
                "~borrow a book of poems from the library at {place}",
            ),
            "home": (
                "~read the novel everyone is talking about",
                "~reread a favourite book",
                "~read a few poems on the sofa",
            ),
        },
        family="read",
    ),
    _insp(
        "baking",
        "bake baking baked cake cakes cookies recipe recipes pie",
        "home shop",
        {
            "home": ("~bake a cake", "~try out the new recipe", "~bake a pie"),
            "shop": ("~buy flour and eggs at {place} for baking",),
        },
        family="bake",
    ),
    _insp(
        "exercise",
        "run running ran jog jogging exercise marathon yoga workout",
        "park",
        {
            # not at home: no household object affords exercise, so the step would land on
            # a bed or a sofa and the behaviour checker rightly calls it a mismatch
            "park": ("~go for a run in {place}", "~do yoga in {place}", "~jog around {place}"),
        },
    ),
    _insp(
        "walk",
        "walk walked walking stroll strolled river pond fountain sunset birds",
        "park square",
        {
            "park": (
                "~walk along the river in {place}",
                "~watch the sunset from {place}",
                "~stroll by the pond in {place}",
            ),
            "square": ("~sit by the fountain in {place}", "~stroll around {place}"),
        },
    ),
    _insp(
        "coffee",
        "coffee latte espresso cappuccino",
        "cafe",
        {
            "cafe": (
                "~try the new latte at {place}",
                "~meet someone for coffee at {place}",
                "~have a cappuccino at {place}",
            )
        },
    ),
)
ASSOCIATIONS: tuple[Inspiration, ...] = (
    _insp(
        "cook",
        "stove oven pan pot kettle fridge kitchen recipe dish soup spices",
        "shop home",
        {
            "shop": ("~buy spices at {place} for a new dish",),
            "home": (
                "~cook a new dish from an old recipe",
                "~make a big pot of soup to share",
                "~try cooking something from another country",
            ),
        },
    ),
    _insp(
        "write",
        "desk notes papers paper letter letters journal diary notebook pen postcard",
        "home",
        {
            "home": (
                "~write a long letter to an old friend",
                "~sort through old letters and photographs",
                "~write a few pages of a story",
                "~draw up a list of places to visit",
            )
        },
    ),
    _insp(
        "films",
        "tv television sofa couch film films movie movies screen",
        "home",
        {"home": ("~watch an old film", "~watch a documentary about the sea")},
    ),
    _insp(
        "records",
        "record records radio gramophone jukebox",
        "home",
        {"home": ("~sort the record collection", "~listen to an old record from start to end")},
        family="music",
    ),
    _insp(
        "games",
        "chess cards puzzle puzzles game games crossword",
        "cafe park home",
        {
            "cafe": ("~play a game of chess at {place}",),
            "park": ("~play cards on a bench in {place}",),
            "home": ("~do a jigsaw puzzle", "~work on the crossword"),
        },
    ),
    _insp(
        "outdoors",
        "bench benches birds pigeons ducks",
        "park square",
        {
            "park": (
                "~feed the ducks from a bench in {place}",
                "~read the paper on a bench in {place}",
            ),
            "square": ("~watch the pigeons from a bench in {place}",),
        },
        family="walk",
    ),
    _insp(
        "host",
        "table meal menu supper guests plates tablecloth",
        "home",
        {
            "home": (
                "~invite a neighbour round for a chat",
                "~write invitations for a get-together with old friends",
                "~polish the good glasses for when guests come",
            )
        },
    ),
    _insp(
        "sky",
        "curtains window windows weather rain sunny sky clouds",
        "park square home",
        {
            "park": ("~watch the clouds drift by from a hill in {place}",),
            "square": ("~sit outside in {place} and enjoy the weather",),
            "home": ("~watch the rain from the window with a cup of tea",),
        },
        family="walk",
    ),
    _insp(
        "browse",
        "basket cashier shopping groceries market shelf shelves",
        "shop home",
        {
            "shop": (
                "~browse {place} for a small gift for a friend",
                "~look for something new to cook at {place}",
            ),
            "home": ("~write a shopping list for the week",),
        },
    ),
    _insp(
        "crafts",
        "streamers decorations ribbon scissors glue paper",
        "home",
        {"home": ("~make paper decorations", "~knit a scarf", "~do some crafts at the table")},
    ),
    _insp(
        "explore",
        "around explore street streets corner path lost",
        "square park home",
        {
            "square": ("~explore the side streets off {place}",),
            "park": ("~walk a new path through {place}",),
            "home": ("~look through an old map of the town",),
        },
        family="walk",
    ),
    _insp(
        "reading",
        "read reading reads quietly magazine newspaper",
        "cafe park home",
        {
            "cafe": ("~read the newspaper at {place}",),
            "park": ("~read a magazine on the grass in {place}",),
            "home": ("~read a travel book about faraway places",),
        },
        family="read",
    ),
    _insp(
        "treat",
        "counter orders drinks customers cake cakes",
        "cafe shop home",
        {
            "cafe": ("~treat a friend to a slice of cake at {place}",),
            "shop": ("~pick up a treat at {place}",),
            "home": ("~make lemonade",),
        },
    ),
    _insp(
        "soak",
        "shower bath sink water soapy",
        "home",
        {"home": ("~have a long soak in the bath", "~reorganise the kitchen cupboards")},
    ),
    _insp(
        "phone",
        "phone call message messages weather",
        "home",
        {"home": ("~ring a cousin for a long chat", "~send photos to family")},
        family="social",
    ),
    _insp(
        "repair",
        "broken leak leaking shelf shelves tools hammer bike bicycle",
        "home",
        {"home": ("~fix the wobbly shelf", "~oil the old bicycle", "~mend a chair")},
    ),
)
"""Loose associations of a memory that came to mind (never of a recalled one)."""

PERSON_TEXTS: Mapping[str, tuple[str, ...]] = {
    "cafe": (
        "~meet {who} for coffee at {place}",
        "~catch up with {who} over coffee at {place}",
    ),
    "square": ("~look for {who} around {place} for a chat",),
    "park": ("~ask {who} along for a walk in {place}",),
    "home": (
        "~write a note to {who}",
        "~call {who} to catch up",
        "~think over the last chat with {who}",
    ),
}
"""What a person named in a memory that came to mind suggests, by place type."""


def _index(inspirations: Sequence[Inspiration]) -> dict[str, tuple[Inspiration, ...]]:
    by_word: dict[str, tuple[Inspiration, ...]] = {}
    for insp in inspirations:
        for word in insp.words:
            by_word[word] = (*by_word.get(word, ()), insp)
    return by_word


_BY_WORD = _index(INSPIRATIONS)
_WANDER_BY_WORD = _index((*INSPIRATIONS, *ASSOCIATIONS))
_NAME = re.compile(r"\b([A-Z][a-z]+)(?: ([A-Z][a-z]+))?")
_NOT_NAMES = _set(
    "The A An I It He She They We You My His Her Their This That Here There Today Tomorrow "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Morning Evening"
)
_VISIT = (
    "~stop by {place}",
    "~spend some time at {place}",
    "~visit {place}",
    "~drop in at {place}",
    "~pay a visit to {place}",
)


def role_bound(text: str, work: str) -> bool:
    """Whether ``text`` is work of a place type other than ``work``'s (``ROLE_WORDS``)."""
    words = set(_WORDS.findall(text.lower()))
    mine = place_type(work) if work else ""
    return any(kind != mine and words & vocab for kind, vocab in ROLE_WORDS.items())


def inspired_activities(
    memories: Sequence[object], town: Town, rng: random.Random, *, me: str = ""
) -> list[Wish]:
    """Activities suggested by the memories; each suggestion is taken with probability 1/2,
    one from a memory that came to mind with probability ``WANDER_TAKE``.

    A memory that names a listed place sends the activity there when the place suits it;
    a memory naming only a place suggests a visit. Nothing is suggested without memories.
    ``me`` (the planner's own name) keeps one's own past activities from being "seen".
    """
    recalled = [str(m) for m in memories if not str(m).startswith(CAME_TO_MIND)]
    wandered = [str(m)[len(CAME_TO_MIND) :] for m in memories if str(m).startswith(CAME_TO_MIND)]
    wishes = _from_memories(recalled, town, rng, TAKE_PROBABILITY, MAX_INSPIRED)
    taken = {w.key for w in wishes}
    extra = [
        w
        for w in _from_memories(wandered, town, rng, WANDER_TAKE, MAX_WANDERED, me=me)
        if w.key not in taken
    ]
    wishes.extend(extra[:MAX_WANDERED])
    rng.shuffle(wishes)
    return wishes


def _observed(text: str, town: Town, me: str) -> tuple[str, str, str] | None:
    """(first name, activity, place) of another person's activity a memory records."""
    match = _OBSERVED.match(text.strip())
    if match is None or match.group(1) == me or ":" in match.group(2):
        return None
    who, activity = match.group(1), bare_step(match.group(2))
    if activity.split(" ", 1)[0].endswith("ing"):
        return None  # "talking about the week": no verb to say "like Hana did" with
    words = set(_WORDS.findall(activity))
    if len(words) < 2 or words & _NOT_WISHES or role_bound(activity, town.work):
        return None
    named = town.named_in(activity)
    if named is not None and (named == town.work or place_type(named) == "home"):
        return None
    return who.split()[0], activity, named or town.home


def _people(text: str, town: Town, me: str) -> list[str]:
    """First names of the other people a memory names ("Amara told Marta: ..." -> Marta,
    for Amara); words of listed places and of one's own name are not people."""
    place_words = {w for p in town.places for w in p.split()}
    mine = set(me.split())
    found: list[str] = []
    for match in _NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        if first in _NOT_NAMES or first in place_words or first in mine or len(first) < 3:
            continue
        if match.start() == 0 and last is None:
            rest = text[match.end() :]
            if not rest.startswith((" told", "'s ", " often", " said", " asked", " and ")):
                continue  # a capital that only starts the sentence
        if first not in found:
            found.append(first)
    return found


def _from_memories(
    memories: Sequence[str],
    town: Town,
    rng: random.Random,
    take: float,
    most: int,
    *,
    me: str | None = None,
) -> list[Wish]:
    """Suggestions of the memories, each taken with probability ``take``, at most ``most``.

    ``me`` set means the memories came to mind: others' activities seen, the people named
    and the things named (``ASSOCIATIONS``) suggest something too.
    """
    by_word = _BY_WORD if me is None else _WANDER_BY_WORD
    found: dict[str, tuple[Inspiration | None, str | None]] = {}
    seen: dict[str, tuple[str, str, str]] = {}
    people: list[str] = []
    for text in memories:
        if me is not None:
            observed = _observed(text, town, me)
            if observed is not None:
                seen[f"seen:{observed[1]}"] = observed
                continue
            people.extend(p for p in _people(text, town, me) if p not in people)
        named = town.named_in(text)
        if named in (town.home, town.work):
            named = None  # a memory of home or work suggests no outing there
        matched = False
        for word in _WORDS.findall(text.lower()):
            for insp in by_word.get(word, ()):
                matched = True
                if insp.key not in found:
                    found[insp.key] = (insp, named)
        if not matched and named is not None and f"visit:{named}" not in found:
            found[f"visit:{named}"] = (None, named)
    candidates = [*sorted(found), *(f"person:{p}" for p in people), *sorted(seen)]
    rng.shuffle(candidates)  # no suggestion wins the day's few slots by its name
    wishes: list[Wish] = []
    for key in candidates:
        if len(wishes) >= most or rng.random() >= take:
            continue
        wish: Wish | None
        if key in seen:
            first, activity, place = seen[key]
            wish = Wish(
                say=_say("seen", (f"~{activity} like {first} did", f"~{activity} as {first} did")),
                place=place,
                duration=pick(rng, (30, 45, 60)),
                key=key,
                family="",
            )
        elif key.startswith("person:"):
            wish = _meet(key.split(":", 1)[1], town, rng, key)
        else:
            suggestion, named = found[key]
            if suggestion is not None and role_bound(" ".join(sorted(suggestion.words)), town.work):
                continue  # "study for the exam" is not a bartender's wish
            wish = _realise(suggestion, named, town, rng, key)
        if wish is not None:
            wishes.append(wish)
    return wishes


def _meet(who: str, town: Town, rng: random.Random, key: str) -> Wish:
    """Seeing (or writing to) a person who came to mind: at a cafe, a square or a park when
    the town lists one, else from home."""
    kinds = [k for k in ("cafe", "square", "park") if town.by_type.get(k)]
    kind = pick(rng, kinds) if kinds and chance(rng, 0.7) else "home"
    place = town.home if kind == "home" else pick(rng, town.by_type[kind])
    return Wish(
        say=_say(f"person:{kind}", PERSON_TEXTS[kind]),
        place=place,
        duration=pick(rng, (30, 45, 60)),
        key=key,
        family="social",
        slots={"place": place, "who": who},
    )


def _say(key: str, texts: tuple[str, ...]) -> Say:
    return Say(key=f"wish:{key}", cores=texts, subject_p=0.4, mod_p=0.0)


def _realise(
    insp: Inspiration | None, named: str | None, town: Town, rng: random.Random, key: str
) -> Wish | None:
    duration = pick(rng, (45, 60, 60, 75, 90))
    if insp is None:
        if named is None:
            return None
        return Wish(
            say=_say("visit", _VISIT),
            place=named,
            duration=duration,
            key=key,
            family="social",
            slots={"place": named},
        )
    if named is not None:
        kind = place_type(named)
        if kind in insp.texts and chance(rng, 0.85):
            return _wish(insp, kind, named, duration, key)
    kinds = []  # the preferred kinds the town has, up to home (always there)
    for kind in insp.prefer:
        if kind == "home" or (town.by_type.get(kind) and kind in insp.texts):
            kinds.append(kind)
        if kind == "home":
            break
    if not kinds:
        return None
    kind = pick(rng, kinds)  # any of them, as a model varies where it does a thing
    place = town.home if kind == "home" else pick(rng, town.by_type[kind])
    return _wish(insp, kind, place, duration, key)


def _wish(insp: Inspiration, kind: str, place: str, duration: int, key: str) -> Wish:
    return Wish(
        say=_say(f"{insp.key}:{kind}", insp.texts[kind]),
        place=place,
        duration=duration,
        key=key,
        family=insp.family,
        slots={"place": place},
    )
