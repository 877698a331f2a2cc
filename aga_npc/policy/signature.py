"""Activity signatures of plan texts and the look-alike test built on them.

A signature is what a plan *does* (its activity tags, the first one being the main
activity) and what it names (object classes such as meal, drink, place; the objects it acts
on). :mod:`aga_npc.policy.lookalike` compares two signatures. The words come from
:mod:`aga_npc.policy.lexicon`, read through :mod:`aga_npc.policy.lemmas`, after the
sentence frames are set aside (:mod:`aga_npc.policy.frames`). Pure and cached: the same
text always gives the same signature.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from aga_npc.policy.frames import split_clause
from aga_npc.policy.lemmas import LEMMA, VERB_TAG, Token, read, stem
from aga_npc.policy.lexicon import (
    BACKGROUND,
    CLASSES,
    COMPANY,
    FOOD,
    FUNCTION,
    HEAD_VERBS,
    IMPLIED,
    IRREGULAR,
    LIGHT,
    MODIFIERS,
    OBJECT_VERBS,
    PASSIVE,
    PREP_VERBS,
    SYNONYMS,
    VAGUE,
)

__all__ = ["Phrases", "Signature", "normalise_text", "opening_verb", "signature"]

_BOUNDARY = frozenset(
    [
        "and",
        "then",
        "while",
        "before",
        "after",
        "but",
        "or",
        "at",
        "in",
        "on",
        "into",
        "inside",
        "from",
        "near",
        "by",
        "to",
        "with",
        "during",
        "until",
    ]
)
_JOINERS = frozenset({"and", "while", "to", "then"})
_LEADING = frozenset(["to", "his", "her", "my", "their", "our", "your"])
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
# what follows these says where or when; what follows _OBJECT_AGAIN is acted on again
_SETTING = frozenset(
    [
        "at",
        "in",
        "inside",
        "on",
        "near",
        "by",
        "from",
        "before",
        "after",
        "during",
        "until",
        "around",
        "behind",
        "outside",
        "under",
        "beside",
        "through",
        "along",
        "across",
    ]
)
_OBJECT_AGAIN = frozenset(["and", "then", "while", "or", "but", "to", "with", "into", "for"])
_SOFT_BOUNDARY = frozenset({"on", "for", "to", "with", "in", "into", "at"})
# "walk to the cafe" is moving, not a walk; "return to work" is not returning a book
_MOVE_TAGS = frozenset({"walk", "exercise", "giveback"})
_TRAVEL = frozenset({"go", "head", "walk", "run", "commute", "come", "return"})
_TOWARDS = frozenset({"to", "back", "over", "out", "into"})
# tags whose -ing/-ed forms read as adjectives before a noun ("a relaxing bath")
_ADJECTIVAL = frozenset({"relax"})
_OBJECT_WINDOW = 7

_OBJECT_VERBS = {(LEMMA.get(v, v), LEMMA.get(o, o)): t for (v, o), t in OBJECT_VERBS.items()}
_MEMBER: dict[str, list[tuple[str, str]]] = {}
for _cls, _members in CLASSES.items():
    for _member, _forms in _members.items():
        for _form in _forms:
            _MEMBER.setdefault(_form, []).append((_cls, _member))
_FOOD = frozenset(LEMMA.get(f, f) for f in FOOD) | frozenset(
    form for cls in ("meal", "drink") for forms in CLASSES.get(cls, {}).values() for form in forms
)
_NOUNS = _FOOD | frozenset(IMPLIED) | frozenset(_MEMBER)
_UNDERSTOOD = frozenset(VERB_TAG) | frozenset(IMPLIED) | frozenset(_MEMBER) | frozenset(HEAD_VERBS)
_DETERMINERS = frozenset(
    ["a", "an", "the", "some", "his", "her", "my", "their", "our", "your", "this", "that"]
)
_NOT_OBJECTS = FUNCTION | MODIFIERS | _BOUNDARY | PASSIVE
# words that do not change what a text says: possessives and time words ("in the
# morning" and "for an hour" say when, not what)
_UNSAID = frozenset(
    [
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "one",
        "this",
        "that",
        "these",
        "those",
        "for",
        "hour",
        "minute",
        "moment",
        "while",
        "day",
        "today",
        "tonight",
        "week",
        "weekend",
        "time",
        "o",
        "clock",
        "am",
        "pm",
    ]
)
_PREPOSITIONS = _BOUNDARY | {"of", "about", "through", "around", "over", "for"}
_RECEIVE = frozenset({"get", "receive"})  # "getting tutoring" receives it
_PURPOSE = frozenset({"for", "over"})  # "meet a friend for coffee", "talk over lunch"
_MEAL_OR_DRINK = frozenset(
    form for cls in ("meal", "drink") for forms in CLASSES.get(cls, {}).values() for form in forms
)


def normalise_text(text: str) -> str:
    """Lower-case, collapse whitespace and strip surrounding punctuation (the exact-hit key)."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Phrases:
    """The parts of a plan text that are embedded on their own (the learned same-plan rule
    compares them, :mod:`aga_npc.policy.combiner`), in the text's own words.

    Attributes:
        core: the main clause without frames, a leading setting clause and time or manner
            words ("water the plants in the park").
        action: the opening verb with its particle, or a light verb with what it takes
            ("hook up", "have lunch"); "" when the text opens with no word to act.
        objects: the words naming what the activity acts on ("plants"); "" when none.
    """

    core: str = ""
    action: str = ""
    objects: str = ""

    def texts(self) -> tuple[str, ...]:
        """The non-empty parts, without repeats (what to embed)."""
        return tuple(dict.fromkeys(t for t in (self.core, self.action, self.objects) if t))


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """What a plan text does and names.

    Attributes:
        tags: activity tags in order of appearance (the first is the main activity).
        objects: object class -> members named (e.g. ``{"meal": {"breakfast"}}``).
        head: the stem of the text's opening word (after time and manner words) unless
            that is a light verb ("have", "take"), e.g. ``"teach"`` for "teaching a class".
        head_known: whether the lexicon knows the head word (so its tag speaks for it).
        nouns: the objects: the stems of the text's other content words (what the activity
            is done on, with or for), not its opening or main verb, nor function words.
        setting: the same for the words that say where or when ("on the sofa").
        mains: the main activity and those joined to its verb by "and" ("dry and polish
            the glassware", "wash and dry the dishes"): each is a main activity.
        core: the text's words in order, by one name each, without frames, articles,
            possessives and time words: two texts with the same core say the same thing
            ("takes a shower in the morning", "take a shower").
        phrases: the text's core, action and objects in its own words, for embedding.
    """

    tags: tuple[str, ...] = ()
    objects: dict[str, frozenset[str]] = field(default_factory=dict)
    head: str | None = None
    head_known: bool = False
    nouns: frozenset[str] = frozenset()
    setting: frozenset[str] = frozenset()
    mains: tuple[str, ...] = ()
    core: tuple[str, ...] = ()
    phrases: Phrases = field(default_factory=Phrases)

    @property
    def main(self) -> str | None:
        return self.tags[0] if self.tags else None


def _start(words: list[str]) -> int:
    """Index of the first word that is not a time or manner modifier ("morning yoga")."""
    for i, word in enumerate(words):
        if word not in MODIFIERS:
            return i
    return len(words)


def _passive_tag(surface: list[str], words: list[str], i: int) -> str | None:
    """``"teach:passive"`` for "being tutored" and "getting tutoring": the plan receives
    the activity."""
    if words[i] not in PASSIVE or i + 1 >= len(words):
        return None
    participle = surface[i + 1].endswith("ed") or surface[i + 1] in IRREGULAR
    received = words[i] in _RECEIVE and surface[i + 1].endswith("ing")
    tag = VERB_TAG.get(words[i + 1])
    return f"{tag}:passive" if (participle or received) and tag is not None else None


def _verb_tag(surface: list[str], words: list[str], i: int) -> str | None:
    """The tag an activity word adds, or None where it is not used as one."""
    word, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
    if word not in VERB_TAG or word in LIGHT:
        return None
    tag = VERB_TAG[word]
    if tag in _MOVE_TAGS and nxt in ("to", "back", "over"):
        return None  # "walk to the cafe" is moving, not a walk
    if surface[i].endswith("ed") and (nxt in _NOUNS or nxt in VERB_TAG):
        return None  # a participle used as an adjective: "a home-cooked dinner"
    if tag in _ADJECTIVAL and surface[i].endswith("ing") and (nxt in _NOUNS or nxt in VERB_TAG):
        return None  # "a relaxing bath"
    if i > 0 and words[i - 1] in _DETERMINERS and _plain_noun(nxt):
        return None  # a noun naming another: "the study group", "a shower curtain"
    return tag


def _modifies(words: list[str], i: int) -> bool:
    """Whether the noun ``words[i]`` modifies the next one: "a class assignment"."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return i > 0 and words[i - 1] in _DETERMINERS and (_plain_noun(nxt) or nxt in VERB_TAG)


def _plain_noun(word: str) -> bool:
    """A word that can head a noun phrase and names no activity, class or time."""
    return (
        word.isalpha()
        and word not in _NOT_OBJECTS
        and word not in _UNDERSTOOD
        and word not in LIGHT
        and word not in _NOUNS
    )


def _opens(surface: list[str], words: list[str], i: int, start: int) -> bool:
    """Whether ``words[i]`` is used as a verb: it opens the text or a clause joined to it
    ("and water the plants"; "coffee and toast" is food), or is a gerund ("go fishing")."""
    if i == start or surface[i].endswith("ing"):
        return True
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return i > 0 and words[i - 1] in _JOINERS and nxt in _DETERMINERS  # "and water the"


@functools.lru_cache(maxsize=8192)
def signature(text: str) -> Signature:
    """The activity signature of ``text`` (cached).

    Reads left to right: an activity word adds its tag and governs the words after it up
    to the next boundary ("and", "at", "while" ...), so those are its objects and add no
    tags of their own ("brewing coffee for customers" is cooking, not drinking or serving).
    Light verbs govern nothing ("having breakfast" is eating, implied by "breakfast");
    leading time and manner words are skipped ("morning yoga practice" opens with yoga).
    """
    rest, leading = split_clause(text)
    clause = f"{rest} {leading}" if leading else rest
    tokens = read(clause)
    surface, words = [t.surface for t in tokens], [t.lemma for t in tokens]
    proper = _proper_nouns(clause)
    start = _start(words)
    tags: list[str] = []
    travels = False
    head_tagged = False
    consumed: set[int] = set()
    objects: dict[str, set[str]] = {}
    governed = False
    joined: str | None = None  # first activity verb after "and"/"while": "sit and read"
    made_by: dict[str, int] = {}  # tag -> the index of the verb that named it
    for i, word in enumerate(words):
        as_verb = word in HEAD_VERBS and _opens(surface, words, i, start)
        container = i + 1 < len(words) and words[i + 1] == "of"  # "a pot of tea"
        for cls, member in () if as_verb or container else _MEMBER.get(word, ()):
            objects.setdefault(cls, set()).add(member)
        if word in _BOUNDARY:
            governed = False
            continue
        if i in consumed or governed or word in MODIFIERS:
            continue
        if word in _TRAVEL and i + 1 < len(words) and words[i + 1] in _TOWARDS:
            travels = True
        tag = _passive_tag(surface, words, i)
        if tag is not None:
            consumed.add(i + 1)
        elif word in PREP_VERBS and _governs_food(words, i):
            # food decides ("prepare the day's lunch specials") unless its own noun phrase
            # ends in another object ("make a meal plan")
            tag = _object_after_food(words, i, consumed) or "cook"
        else:
            tag = _object_tag(words, i, consumed)
        if tag is None and word in PREP_VERBS:
            tag = PREP_VERBS[word]
        elif tag is None and as_verb:
            tag = HEAD_VERBS[word]  # "water the tomatoes"; "a glass of water" is a drink
        elif tag is None:
            tag = _verb_tag(surface, words, i)
        if tag is not None:
            if tag not in tags:
                tags.append(tag)
                made_by[tag] = i
            if joined is None and i > 0 and words[i - 1] in _JOINERS:
                joined = tag
            head_tagged = head_tagged or i == start
            governed = tag not in VAGUE  # "spend an hour reading": the reading counts
            continue
        if word in LIGHT:
            continue
        if word not in _UNDERSTOOD and (i == start or surface[i].endswith("ing")):
            governed = True  # an unknown verb: what follows is its object
            continue
        if word in IMPLIED and IMPLIED[word] not in tags and not _modifies(words, i):
            if i + 1 < len(words) and VERB_TAG.get(words[i + 1]) == "buy":
                continue  # "food shopping" is shopping
            tags.append(IMPLIED[word])  # "a watering" is not water to drink
    for i, word in enumerate(words):
        if word in _MEAL_OR_DRINK and IMPLIED[word] not in tags and _after_purpose(words, i):
            tags.append(IMPLIED[word])  # the purpose of a meeting: "for coffee"
    if tags and "social" not in tags and any(_is_company(w) for w in words):
        tags.append("social")  # in company: "coffee with a friend" is meeting one too
    if not tags and travels:
        tags.append("go")
    if joined is not None and tags[0] in BACKGROUND and joined != tags[0]:
        tags.remove(joined)  # "sit by the pond and read": reading, sitting is the manner
        tags.insert(0, joined)
    if len(tags) > 1:
        tags = [t for t in tags if t not in VAGUE] or tags  # a vague tag yields to any other
    head = None
    if start < len(words) and words[start] not in LIGHT:
        head = stem(words[start])
    main = tags[0] if tags else None
    mains = _joined_mains(words, tags, made_by)
    skip = {made_by[m] for m in mains if m in made_by}
    if start + 2 < len(words) and words[start + 1] == "and" and mains:
        head_tagged = True  # "sort and file the forms": the joined verb says what it is
    if start < len(words) and words[start] not in _NOUNS:
        skip.add(start)  # the opening verb, known or not
    content = [
        i
        for i, w in enumerate(words)
        if i not in skip
        and w not in proper
        and not (_is_company(w) and i > 0 and words[i - 1] in ("with", "the"))
        and w not in _NOT_OBJECTS
        and w not in LIGHT
        and (main is None or VERB_TAG.get(w) != main)  # "practice yoga": yoga is the activity
    ]
    settled = _settled(words)
    object_at = [i for i in content if not settled[i] and not _does(words[i], tags)]
    return Signature(
        tags=tuple(tags),
        objects={k: frozenset(v) for k, v in objects.items()},
        head=head,
        head_known=head is not None and (head_tagged or words[start] in _UNDERSTOOD),
        # words naming one of the text's activities are not objects ("a tricky puzzle"), but
        # may be settings ("in the shower")
        nouns=frozenset(_noun(words[i]) for i in object_at),
        setting=frozenset(_noun(words[i]) for i in content if settled[i]),
        mains=mains,
        core=_core(words),
        phrases=Phrases(
            core=_core_text(read(rest) if leading else tokens),
            action=_action_text(tokens, start),
            objects=" ".join(tokens[i].text for i in object_at if tokens[i].text),
        ),
    )


_PARTICLES = frozenset(["up", "out", "off", "away", "back", "down", "over"])


def _core_text(tokens: list[Token]) -> str:
    """The words of ``tokens`` without time and manner words."""
    return " ".join(t.text for t in tokens if t.text and t.lemma not in MODIFIERS)


def _action_text(tokens: list[Token], start: int) -> str:
    """The opening verb and its particle ("hook up"), or a light verb and the first word
    after it that is not a determiner or a function word ("have lunch", "go for a run")."""
    if start >= len(tokens):
        return ""
    out = [tokens[start].text]
    i = start + 1
    if tokens[start].lemma in LIGHT:
        while i < len(tokens) and (tokens[i].lemma in _DETERMINERS or tokens[i].lemma in FUNCTION):
            i += 1
        if i < len(tokens):
            out.append(tokens[i].text)
            i += 1
    if i < len(tokens) and tokens[i].lemma in _PARTICLES:
        out.append(tokens[i].text)
    return " ".join(w for w in out if w)


def opening_verb(text: str) -> Token | None:
    """The token of the word ``text`` opens with (after frames, a leading setting clause and
    time or manner words), or None when that is a light verb or there is none. Tools use
    it to read a text as if the lexicon did not know its verb."""
    rest, leading = split_clause(text)
    tokens = read(f"{rest} {leading}" if leading else rest)
    start = _start([t.lemma for t in tokens])
    if start >= len(tokens) or tokens[start].lemma in LIGHT or not tokens[start].text:
        return None
    return tokens[start]


def _does(word: str, tags: list[str]) -> bool:
    """Whether ``word`` names one of the activities ``tags``."""
    return VERB_TAG.get(word) in tags or HEAD_VERBS.get(word) in tags


def _proper_nouns(text: str) -> frozenset[str]:
    """Lower-cased words capitalised after the first word that the lexicon does not know:
    names ("Elm" in "Elm Park", "Edith"). They name no object: the plan's place and company
    are compared elsewhere, and "park" still names its class."""
    parts = text.split(maxsplit=1)
    names = _CAPITALISED.findall(parts[1] if len(parts) > 1 else "")
    return frozenset(n.lower() for n in names) - _UNDERSTOOD - frozenset(LEMMA)


def _settled(words: list[str]) -> list[bool]:
    """Per word, whether it says where or when (after "at", "in", "on", "before" ...) rather
    than what the activity acts on ("draw people from a bench": people are the object)."""
    out = []
    where = False
    for word in words:
        if word in _SETTING:
            where = True
        elif word in _OBJECT_AGAIN:
            where = False
        out.append(where)
    return out


def _core(words: list[str]) -> tuple[str, ...]:
    kept = [w for w in words if w not in MODIFIERS and w not in _UNSAID]
    out = [
        _noun(w)
        for i, w in enumerate(kept)
        if w not in _PREPOSITIONS or (i + 1 < len(kept) and kept[i + 1] not in _PREPOSITIONS)
    ]
    return tuple(out)


def _joined_mains(words: list[str], tags: list[str], made_by: dict[str, int]) -> tuple[str, ...]:
    """The main tag and the tags of verbs joined to its verb by "and"; a verb before the
    main one that has no object of its own shares the main one's ("wash and dry the
    dishes" is doing the dishes too). Adds such a shared-object tag to ``tags``."""
    if not tags:
        return ()
    mains = [tags[0]]
    m = made_by.get(tags[0])
    if m is None:
        return tuple(mains)
    if m + 2 < len(words) and words[m + 1] == "and":
        mains += [t for t, j in made_by.items() if j == m + 2 and t not in mains]
    for t, j in made_by.items():  # "read the menu and order lunch": both are main
        if _after_and(words, j) and t not in mains and t not in VAGUE:
            mains.append(t)
    if m >= 2 and words[m - 1] == "and":
        before = [t for t, j in made_by.items() if j == m - 2]
        shared = before[0] if before else _shared_object_tag(words, m - 2, m)
        if shared is not None and shared not in mains and shared not in VAGUE:
            mains.append(shared)
            if shared not in tags:
                tags.append(shared)
    return tuple(mains)


def _after_and(words: list[str], j: int) -> bool:
    """Whether the verb ``words[j]`` opens a clause joined by "and" ("and go to sleep")."""
    k = j - 1
    while k >= 0 and (words[k] in LIGHT or words[k] in MODIFIERS or words[k] in _LEADING):
        k -= 1
    return k >= 0 and words[k] == "and"


def _shared_object_tag(words: list[str], verb: int, after: int) -> str | None:
    """The tag ``words[verb]`` takes from an object that follows ``words[after]``."""
    found = None
    for j in range(after + 1, min(len(words), after + 1 + _OBJECT_WINDOW)):
        if words[j] in _BOUNDARY:
            break
        found = _OBJECT_VERBS.get((words[verb], words[j]), found)
    return found


def _after_purpose(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` follows "for" or "over" (time and manner words between)."""
    j = i - 1
    while j >= 0 and words[j] in MODIFIERS:
        j -= 1
    return j >= 0 and words[j] in _PURPOSE


def _is_company(word: str) -> bool:
    return word in COMPANY or (word.endswith("s") and word[:-1] in COMPANY)


def _noun(word: str) -> str:
    """One name per object: synonyms share one ("television" is "tv"), so do a class
    member's forms ("supper" is "dinner", "pint" is "beer"); other words go by their stem
    ("aisles" and "aisle")."""
    word = SYNONYMS.get(word, word)
    members = _MEMBER.get(word)
    return members[0][1] if members else stem(SYNONYMS.get(stem(word), word))


def _governs_food(words: list[str], i: int) -> bool:
    for j in range(i + 1, min(len(words), i + 1 + _OBJECT_WINDOW)):
        if words[j] in _FOOD:
            return True
        if words[j] in _BOUNDARY and words[j] not in ("for", "with"):
            return False
    return False


def _object_after_food(words: list[str], i: int, consumed: set[int]) -> str | None:
    """The tag of an object that heads the food's own noun phrase ("a meal plan")."""
    food = next(j for j in range(i + 1, len(words)) if words[j] in _FOOD)
    ahead = set(consumed)
    tag = _object_tag(words, i, ahead, cross=False)
    if tag is None or max(ahead - consumed, default=-1) < food:
        return None
    consumed |= ahead
    return tag


def _object_tag(words: list[str], i: int, consumed: set[int], *, cross: bool = True) -> str | None:
    """The tag ``words[i]`` takes from its object. Of the objects in one noun phrase the last
    (its head) decides: "a research paper" is a paper. Soft boundaries ("on", "with" ...)
    are crossed when no object came before them ("put price tags on items") and ``cross``."""
    verb = words[i]
    found: tuple[int, str] | None = None
    for j in range(i + 1, min(len(words), i + 1 + _OBJECT_WINDOW)):
        word = words[j]
        if word in _BOUNDARY or (word in _SOFT_BOUNDARY and (found is not None or not cross)):
            if found is not None or word not in _SOFT_BOUNDARY or not cross:
                break
            continue
        tag = _OBJECT_VERBS.get((verb, word))
        if tag is not None:
            found = (j, tag)
    if found is None:
        return None
    consumed.add(found[0])
    return found[1]
