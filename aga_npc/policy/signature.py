"""Activity signatures of plan texts and the look-alike test built on them.

A signature is what a plan *does* (its activity tags, the first one being the main
activity) and what it names (object classes such as meal, drink, place). Two plans are
look-alikes, not the same plan, when their main activities differ ("cook dinner" vs
"eat dinner") or they name different members of one class ("breakfast" vs "lunch").
Pure and cached: the same text always gives the same signature.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from aga_npc.policy.lexicon import (
    CLASSES,
    FOOD,
    IMPLIED,
    IRREGULAR,
    LIGHT,
    OBJECT_VERBS,
    PHRASES,
    PREP_VERBS,
    VERBS,
)

__all__ = ["Signature", "lookalike_reason", "normalise_text", "signature", "unverified_heads"]

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
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
_MOVE_TAGS = frozenset({"walk", "exercise"})  # "walk to the cafe" is moving, not a walk
_TRAVEL = frozenset({"go", "head", "walk", "run", "commute", "come"})
# tags whose -ing/-ed forms read as adjectives before a noun ("a relaxing bath")
_ADJECTIVAL = frozenset({"relax"})
_OBJECT_WINDOW = 5


def _inflections(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms.add(base[:-1] + "ing")
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
        forms |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    return forms


def _build_lemmas() -> dict[str, str]:
    bases: set[str] = set(LIGHT) | set(IMPLIED)
    for words in VERBS.values():
        bases.update(words)
    for members in CLASSES.values():
        for forms in members.values():
            bases.update(forms)
    extra = ({word for pair in OBJECT_VERBS for word in pair} | PREP_VERBS | FOOD) - bases
    table: dict[str, str] = {}
    for base in sorted(bases):
        for form in _inflections(base):
            table.setdefault(form, base)
    for base in bases:  # a base word is always its own lemma
        table[base] = base
    for base in sorted(extra):  # object words: inflect, but never shadow a lexicon lemma
        for form in _inflections(base):
            table.setdefault(form, base)
    table.update(IRREGULAR)
    return table


_LEMMA = _build_lemmas()
_OBJECT_VERBS = {(_LEMMA.get(v, v), _LEMMA.get(o, o)): t for (v, o), t in OBJECT_VERBS.items()}
_VERB_TAG = {word: tag for tag, words in VERBS.items() for word in words}
_MEMBER: dict[str, list[tuple[str, str]]] = {}
for _cls, _members in CLASSES.items():
    for _member, _forms in _members.items():
        for _form in _forms:
            _MEMBER.setdefault(_form, []).append((_cls, _member))
_FOOD = frozenset(_LEMMA.get(f, f) for f in FOOD)
_NOUNS = _FOOD | frozenset(IMPLIED) | frozenset(_MEMBER)
_KNOWN = frozenset(_LEMMA.values()) | frozenset(PHRASES.values())
_UNDERSTOOD = frozenset(_VERB_TAG) | frozenset(IMPLIED) | frozenset(_MEMBER)
_PHRASE_RE = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b"
)


def normalise_text(text: str) -> str:
    """Lower-case, collapse whitespace and strip surrounding punctuation (the exact-hit key)."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """What a plan text does and names.

    Attributes:
        tags: activity tags in order of appearance (the first is the main activity).
        objects: object class -> members named (e.g. ``{"meal": {"breakfast"}}``).
        head: the stem of the text's first word unless that is a light verb ("have",
            "take"), e.g. ``"teach"`` for "teaching a class".
        head_known: whether the lexicon knows the head word (so its tag speaks for it).
    """

    tags: tuple[str, ...] = ()
    objects: dict[str, frozenset[str]] = field(default_factory=dict)
    head: str | None = None
    head_known: bool = False

    @property
    def main(self) -> str | None:
        return self.tags[0] if self.tags else None


def _lemma(word: str) -> tuple[str, str]:
    """(surface used for suffix tests, lemma); hyphenated compounds take their last part
    when that is an activity word ("binge-watching" -> watch, "home-cooked" -> cook)."""
    if "-" in word and word not in _LEMMA:
        last = word.rsplit("-", 1)[1]
        if _LEMMA.get(last, last) in _VERB_TAG:
            return last, _LEMMA.get(last, last)
    return word, _LEMMA.get(word, word)


def _lemmas(text: str) -> tuple[list[str], list[str]]:
    lowered = text.lower().replace("'s", "").replace("’s", "").replace("s'", "s")
    lowered = _PHRASE_RE.sub(lambda m: PHRASES[m.group(1)], lowered)
    pairs = [_lemma(w) for w in _WORD.findall(lowered)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _stem(word: str) -> str:
    if word in _KNOWN:
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word.rstrip("e") or word


@functools.lru_cache(maxsize=8192)
def signature(text: str) -> Signature:
    """The activity signature of ``text`` (cached).

    Reads left to right: an activity word adds its tag and governs the words after it up
    to the next boundary ("and", "at", "while" ...), so those are its objects and add no
    tags of their own ("brewing coffee for customers" is cooking, not drinking or serving).
    Light verbs govern nothing ("having breakfast" is eating, implied by "breakfast").
    """
    surface, words = _lemmas(text)
    tags: list[str] = []
    travels = False
    head_tagged = False
    consumed: set[int] = set()
    objects: dict[str, set[str]] = {}
    governed = False
    for i, word in enumerate(words):
        for cls, member in _MEMBER.get(word, ()):
            objects.setdefault(cls, set()).add(member)
        if word in _BOUNDARY:
            governed = False
            continue
        if i in consumed or governed:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _TRAVEL and nxt in ("to", "back", "over", "out"):
            travels = True
        tag = _object_tag(words, i, consumed)
        if tag is None and word in PREP_VERBS:
            tag = "cook" if _governs_food(words, i) else None
            if tag is None:
                governed = True  # "make slides": unknown without a food object
                continue
        elif tag is None and word in _VERB_TAG and word not in LIGHT:
            tag = _VERB_TAG[word]
            if tag in _MOVE_TAGS and nxt in ("to", "back", "over"):
                tag = None
            elif surface[i].endswith("ed") and (nxt in _NOUNS or nxt in _VERB_TAG):
                tag = None  # a participle used as an adjective: "a home-cooked dinner"
            elif (
                tag in _ADJECTIVAL
                and surface[i].endswith("ing")
                and (nxt in _NOUNS or nxt in _VERB_TAG)
            ):
                tag = None  # "a relaxing bath"
        if tag is not None:
            if tag not in tags:
                tags.append(tag)
            head_tagged = head_tagged or i == 0
            governed = True
            continue
        if word in LIGHT:
            continue
        if word not in _UNDERSTOOD and (i == 0 or surface[i].endswith("ing")):
            governed = True  # an unknown verb: what follows is its object
            continue
        if word in IMPLIED and IMPLIED[word] not in tags:
            tags.append(IMPLIED[word])
    if not tags and travels:
        tags.append("go")
    head = None
    if words and words[0] not in LIGHT:
        head = _stem(words[0])
    return Signature(
        tags=tuple(tags),
        objects={k: frozenset(v) for k, v in objects.items()},
        head=head,
        head_known=head is not None and (head_tagged or words[0] in _UNDERSTOOD),
    )


def _governs_food(words: list[str], i: int) -> bool:
    for j in range(i + 1, min(len(words), i + 1 + _OBJECT_WINDOW)):
        if words[j] in _FOOD:
            return True
        if words[j] in _BOUNDARY and words[j] not in ("for", "with"):
            return False
    return False


def _object_tag(words: list[str], i: int, consumed: set[int]) -> str | None:
    verb = words[i]
    for j in range(i + 1, min(len(words), i + 1 + _OBJECT_WINDOW)):
        word = words[j]
        tag = _OBJECT_VERBS.get((verb, word))
        if tag is not None:
            consumed.add(j)
            return tag
        if word in _BOUNDARY and word not in ("on", "for", "to", "with", "in", "at"):
            break
    return None


def lookalike_reason(a: Signature, b: Signature) -> str | None:
    """Why two signatures belong to different plans, or None when nothing conflicts.

    Conflicts: both have activities and the main activity of either is absent from the
    other; or, for some object class, each text names a member the other does not
    ("park" vs "office"; but "the park near home" and "the park" agree).
    """
    if a.tags and b.tags and (a.tags[0] not in b.tags or b.tags[0] not in a.tags):
        return f"activity {a.tags[0]} vs {b.tags[0]}"
    for cls, members in a.objects.items():
        other = b.objects.get(cls)
        if other and (members - other) and (other - members):
            return f"{cls} {'/'.join(sorted(members))} vs {'/'.join(sorted(other))}"
    return None


def unverified_heads(a: Signature, b: Signature) -> bool:
    """True when the texts open with different words and one of them is a verb the lexicon
    does not know, so it cannot tell whether they mean the same ("tuning" vs "playing")."""
    if a.head == b.head:
        return False
    return (a.head is not None and not a.head_known) or (b.head is not None and not b.head_known)
