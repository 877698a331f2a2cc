"""Words to lemmas for the activity lexicon: inflections, irregular forms and phrases.

Every word the lexicon names gets its regular inflections (-s, -es, -ed, -ing, doubled
consonants, -ies/-ied) mapped back to it; multi-word phrases are then matched on lemmas, so
one entry ("turn in for the night") covers every inflection. Frames (words around an
activity that do not change it: "make time to", "as usual") and unknown -ly manner words
("cheerfully") are dropped the same way. Pure; tables built at import.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from aga_npc.policy.lexicon import (
    CLASSES,
    COMPANY,
    FOOD,
    FRAMES,
    FUNCTION,
    HEAD_VERBS,
    IMPLIED,
    IRREGULAR,
    LIGHT,
    MODIFIERS,
    NOT_ADVERBS,
    OBJECT_VERBS,
    PHRASES,
    PREP_VERBS,
    RELATIONS,
    SYNONYMS,
    VERBS,
)

__all__ = ["LEMMA", "VERB_TAG", "Token", "lemmatise", "read", "stem"]

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_OTHER_HOME = re.compile(
    r"\b(?:" + "|".join(sorted(RELATIONS)) + r")(?:'s|s'|s's)\s+"
    r"(?:house|home|place|apartment|flat|cottage)\b"
)
VERB_TAG = {word: tag for tag, words in VERBS.items() for word in words}


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
    bases: set[str] = set(LIGHT) | set(IMPLIED) | set(HEAD_VERBS)
    for words in VERBS.values():
        bases.update(words)
    for members in CLASSES.values():
        for forms in members.values():
            bases.update(forms)
    extra = {word for pair in OBJECT_VERBS for word in pair} | set(PREP_VERBS) | FOOD
    extra |= {_WORD.findall(phrase)[0] for phrase in PHRASES}  # a phrase's verb inflects
    extra |= {w for w in (_WORD.findall(f)[0] for f in FRAMES) if len(w) > 3}  # "makes time"
    extra -= bases
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


LEMMA = _build_lemmas()


def _lemma(word: str) -> tuple[str, str]:
    """(surface used for suffix tests, lemma); hyphenated compounds take their last part
    when that is an activity word ("binge-watching" -> watch, "home-cooked" -> cook)."""
    if "-" in word and word not in LEMMA:
        last = word.rsplit("-", 1)[1]
        if LEMMA.get(last, last) in VERB_TAG:
            return last, LEMMA.get(last, last)
    return word, LEMMA.get(word, word)


def _words(text: str) -> list[str]:
    """Lower-cased words without accents; "a friend's house" (someone else's home: the
    owner is one of ``RELATIONS``) becomes ``otherhome`` before possessives are dropped."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _OTHER_HOME.sub("otherhome", folded)
    return _WORD.findall(folded.replace("'s", "").replace("s'", "s"))


def _phrase_table() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for frame in FRAMES:  # a frame is replaced by nothing
        table[tuple(_lemma(w)[1] for w in _words(frame))] = ()
    for phrase, replacement in PHRASES.items():
        key = tuple(_lemma(w)[1] for w in _words(phrase))
        table[key] = tuple(_lemma(w)[1] for w in _words(replacement))
    return table


_PHRASES = _phrase_table()
_PHRASE_MAX = max((len(key) for key in _PHRASES), default=1)
_KNOWN = frozenset(LEMMA.values()) | frozenset(w for r in _PHRASES.values() for w in r)
_NOT_ADVERBS = NOT_ADVERBS | FUNCTION | MODIFIERS | COMPANY | RELATIONS | frozenset(SYNONYMS)


def _is_manner(word: str, lemma: str) -> bool:
    """An unknown word ending in -ly: a manner word ("cheerfully", "absent-mindedly")."""
    return (
        word.endswith("ly") and len(word) > 4 and lemma not in _KNOWN and word not in _NOT_ADVERBS
    )


# Phrasal verbs whose particle may follow the object ("put the TV on"); others may when the
# object is one listed for them ("take the bins out", not "take the dog out for a walk").
# The particle must end the clause.
_SEPARABLE = frozenset(
    [
        "puton",
        "switchon",
        "switchoff",
        "pickup",
        "putaway",
        "clean",
        "tidy",
        "setup",
        "close",
        "open",
        "fill",
        "warmup",
        "heat",
        "chop",
        "write",
        "review",
        "distribute",
        "prepare",
        "choose",
        "discard",
        "remove",
        "wakeup",
        "dropoff",
    ]
)
_PARTICLE_PHRASES = {
    key: replacement[0]
    for key, replacement in _PHRASES.items()
    if len(key) == 2 and len(replacement) == 1
}
_PHRASAL_OBJECTS = frozenset(OBJECT_VERBS)


class _Item(NamedTuple):
    surface: str
    lemma: str
    word: str


_CLAUSE_END = frozenset(["and", "then", "before", "after", "while", "at", "in", "until", "for"])
_SEPARATION = 4


def _separable(key: tuple[str, str], between: list[tuple[str, str]]) -> bool:
    """Whether phrasal verb ``key`` may take its object between verb and particle: always for
    ``_SEPARABLE`` ones, else when the object is one the lexicon lists for it ("take the bins
    out"; "take the dog out for a walk" is not taking out)."""
    phrase = _PARTICLE_PHRASES[key]
    return phrase in _SEPARABLE or any((phrase, w) in _PHRASAL_OBJECTS for _, w in between)


def _join_particles(items: list[_Item]) -> list[_Item]:
    """Move a separated particle back to its verb: "put the TV on" -> "put on the TV"."""
    out = list(items)
    for i in range(len(out)):
        for j in range(i + 2, min(len(out), i + 2 + _SEPARATION)):
            if out[j].lemma in _CLAUSE_END:
                break
            key = (out[i].lemma, out[j].lemma)
            ends = j + 1 == len(out) or out[j + 1].lemma in _CLAUSE_END
            between = [(x.surface, x.lemma) for x in out[i + 1 : j]]
            if key in _PARTICLE_PHRASES and ends and _separable(key, between):
                particle = out.pop(j)
                out.insert(i + 1, particle)
                break
    return out


class Token(NamedTuple):
    """One word or phrase of a text as the lexicon reads it.

    Attributes:
        surface: the form used for suffix tests ("watching"; a phrase's replacement).
        lemma: the lemma ("watch"; a phrase's replacement, "lookaround").
        text: the text's own words it stands for ("looking around"), for embedding.
    """

    surface: str
    lemma: str
    text: str


def read(text: str) -> list[Token]:
    """The tokens of ``text``: multi-word phrases replaced (matched on lemmas, longest first,
    so every inflection of "turn in for the night" matches), frames and manner words
    dropped, each token keeping the words it stands for."""
    items = _join_particles(
        [_Item(*_lemma(w), w) for w in _words(text) if not _is_manner(w, _lemma(w)[1])]
    )
    out: list[Token] = []
    i = 0
    while i < len(items):
        for size in range(min(_PHRASE_MAX, len(items) - i), 0, -1):
            replacement = _PHRASES.get(tuple(x.lemma for x in items[i : i + size]))
            if replacement is not None:
                words = " ".join(x.word for x in items[i : i + size])
                out.extend(Token(r, r, words if k == 0 else "") for k, r in enumerate(replacement))
                i += size
                break
        else:
            out.append(Token(items[i].surface, items[i].lemma, items[i].word))
            i += 1
    return out


def lemmatise(text: str) -> tuple[list[str], list[str]]:
    """(surface forms, lemmas) of ``text`` (:func:`read` without the words)."""
    tokens = read(text)
    return [t.surface for t in tokens], [t.lemma for t in tokens]


def stem(word: str) -> str:
    """A rough stem of a word the lexicon does not know ("arranging" -> "arrang")."""
    if word in _KNOWN:
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word.rstrip("e") or word
