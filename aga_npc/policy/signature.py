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
    IMPLIED,
    IRREGULAR,
    LIGHT,
    OBJECT_VERBS,
    PHRASES,
    VERBS,
)

__all__ = ["Signature", "lookalike_reason", "normalise_text", "signature", "unverified_heads"]

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_BOUNDARY = frozenset(
    "and then while before after but or at in on into inside from near by to with "
    "during until".split()
)
_MOVE_TAGS = frozenset({"walk", "exercise"})  # "walk to the cafe" is moving, not a walk
_TRAVEL = frozenset({"go", "head", "walk", "run", "commute", "come"})
# tags whose -ing/-ed forms read as adjectives before a noun ("a relaxing bath")
_ADJECTIVAL = frozenset({"relax"})
_OBJECT_WINDOW = 4


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
    extra = {word for pair in OBJECT_VERBS for word in pair} - bases
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
_MEMBER = {
    form: (cls, member)
    for cls, members in CLASSES.items()
    for member, forms in members.items()
    for form in forms
}
_KNOWN = frozenset(_LEMMA.values()) | frozenset(PHRASES.values())
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


def _lemmas(text: str) -> tuple[list[str], list[str]]:
    lowered = text.lower().replace("'s", "").replace("’s", "")
    lowered = _PHRASE_RE.sub(lambda m: PHRASES[m.group(1)], lowered)
    surface = _WORD.findall(lowered)
    return surface, [_LEMMA.get(w, w) for w in surface]


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
    """The activity signature of ``text`` (cached)."""
    surface, words = _lemmas(text)
    head = None
    if words and words[0] not in LIGHT:
        head = _stem(words[0])
    tags: list[str] = []
    travels = False
    consumed: set[int] = set()
    objects: dict[str, set[str]] = {}
    governed = False  # an activity verb governs the nouns up to the next boundary
    for i, word in enumerate(words):
        hit = _MEMBER.get(word)
        if hit is not None:
            objects.setdefault(hit[0], set()).add(hit[1])
        if word in _BOUNDARY:
            governed = False
            continue
        if i in consumed:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _TRAVEL and nxt in ("to", "back", "over", "out"):
            travels = True
        tag = _object_tag(words, i, consumed)
        if tag is None and word in _VERB_TAG and word not in LIGHT:
            tag = _VERB_TAG[word]
            if tag in _MOVE_TAGS and nxt in ("to", "back", "over"):
                tag = None
            elif (
                tag in _ADJECTIVAL
                and surface[i].endswith(("ing", "ed"))
                and (nxt in _VERB_TAG or nxt in IMPLIED)
            ):
                tag = None
        if tag is not None:
            if tag not in tags:
                tags.append(tag)
            governed = True
            continue
        if word in LIGHT:
            governed = False
            continue
        if word not in _KNOWN and (i == 0 or surface[i].endswith("ing")):
            governed = True  # an unknown verb: what follows is its object
            continue
        if not governed and word in IMPLIED and IMPLIED[word] not in tags:
            tags.append(IMPLIED[word])
    if not tags and travels:
        tags.append("go")
    return Signature(
        tags=tuple(tags),
        objects={k: frozenset(v) for k, v in objects.items()},
        head=head,
        head_known=head is not None and words[0] in _KNOWN,
    )


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
    other; or both name members of one object class and share none.
    """
    if a.tags and b.tags and (a.tags[0] not in b.tags or b.tags[0] not in a.tags):
        return f"activity {a.tags[0]} vs {b.tags[0]}"
    for cls, members in a.objects.items():
        other = b.objects.get(cls)
        if other and not (members & other):
            return f"{cls} {'/'.join(sorted(members))} vs {'/'.join(sorted(other))}"
    return None


def unverified_heads(a: Signature, b: Signature) -> bool:
    """True when the texts open with different words and one of them is a verb the lexicon
    does not know, so it cannot tell whether they mean the same ("tuning" vs "playing")."""
    if a.head == b.head:
        return False
    return (a.head is not None and not a.head_known) or (b.head is not None and not b.head_known)
