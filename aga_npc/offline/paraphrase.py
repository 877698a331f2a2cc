"""Wording of the offline planner: a small phrase grammar, persona sentences, and the
day-keyed choice that rewords every plan item from one day to the next.

Templates are plain text with three marks:

- ``[a|b|]`` one alternative, chosen by the seeded generator (an empty one is allowed,
  and brackets nest: ``[a [big|small] cup|a mug]``);
- ``{slot}`` a value from the slots (a string, or a tuple to pick one from; values are
  templates themselves, so they may hold brackets and slots);
- ``~verb`` a verb: ``~revise her notes`` reads "revise her notes" as a bare plan item and
  "Amara revises her notes" as a persona sentence.

``Voice.phrase`` turns templates into one plan item. With ``wording="default"`` it words
items as a chat model does from day to day: broad items ("have breakfast", "sleep") often
come back in the person's habitual words, detailed items are new sentences every day. With
``wording="paraphrase"`` (a stress option) every item is reworded: a text is only used on
days whose number matches its hash modulo 7 (``day_class``), so no item's text can come
back on the next day, or on any of the six days after it, without any state between
requests. When a phrase's own wordings give nothing of the day's class, "make time to"
wrappers and time phrases widen it; only if 400 tries still find nothing that passes the
plan's checks is a wording of another class used (the tests over the demo town's 25
residents never reach that point).
"""

from __future__ import annotations

import functools
import random
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from aga_npc.offline.facts import PersonaFacts
from aga_npc.offline.phrasing import pick

__all__ = [
    "DAY_CLASSES",
    "WORDINGS",
    "Voice",
    "check_wording",
    "conjugate",
    "day_class",
    "expand",
    "normalise",
    "possessive",
    "realise",
]

WORDINGS = ("default", "paraphrase")
DAY_CLASSES = 7
MAX_TRIES = 400
MANNER_P = 0.25
WIDEN_AFTER = 40
# Added to a phrase only when its own wordings give nothing for the day's class.
_WIDEN = (
    "for a while",
    "for an hour or so",
    "today",
    "this {part}",
    "in the {part}",
    "for a little while",
    "for a bit",
    "at a relaxed pace",
)
_WIDEN_WHEN = ("today", "this {part}", "in the {part}", "at a relaxed pace")
_WRAP = ("~make time to ", "~find time to ", "~take some time to ", "~set aside time to ")
_SLOT = re.compile(r"\{(\w+)\}")
_VERB = re.compile(r"~(\w+)")
_SPACES = re.compile(r"\s+")
_AN = re.compile(r"\b([Aa]) (?=[aeio]|u(?!n[iu]|s[eu]))")
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "be": "is"}

Node = str | tuple[tuple["Node", ...], ...]


def check_wording(wording: str) -> str:
    """``wording`` if it is one of ``WORDINGS``.

    Raises:
        ValueError: for any other value.
    """
    if wording not in WORDINGS:
        raise ValueError(f"wording must be one of {WORDINGS}, got {wording!r}")
    return wording


def normalise(text: str) -> str:
    """The text as a cache compares it: lower case, single spaces, no final full stop."""
    return _SPACES.sub(" ", text.strip().lower()).rstrip(".").strip()


def day_class(text: str) -> int:
    """The days (modulo ``DAY_CLASSES``) on which paraphrase wording may use this text."""
    return zlib.crc32(normalise(text).encode()) % DAY_CLASSES


@functools.lru_cache(maxsize=4096)
def _parse(template: str) -> tuple[Node, ...]:
    """A template as a sequence of text pieces and alternative groups."""
    seq, pos = _parse_seq(template, 0, top=True)
    del pos
    return seq


def _parse_seq(text: str, pos: int, *, top: bool) -> tuple[tuple[Node, ...], int]:
    out: list[Node] = []
    buf: list[str] = []
    while pos < len(text):
        ch = text[pos]
        if ch == "[":
            if buf:
                out.append("".join(buf))
                buf = []
            alts: list[tuple[Node, ...]] = []
            pos += 1
            while True:
                alt, pos = _parse_seq(text, pos, top=False)
                alts.append(alt)
                if pos >= len(text):
                    raise ValueError(f"unclosed '[' in template {text!r}")
                if text[pos] == "]":
                    pos += 1
                    break
                pos += 1  # "|"
            out.append(tuple(alts))
            continue
        if ch in "|]":
            if top:
                raise ValueError(f"stray {ch!r} in template {text!r}")
            break
        buf.append(ch)
        pos += 1
    if buf:
        out.append("".join(buf))
    return tuple(out), pos


def _walk(nodes: Sequence[Node], rng: random.Random, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        else:
            _walk(node[rng.randrange(len(node))], rng, out)


def expand(
    template: str, rng: random.Random, slots: Mapping[str, str | Sequence[str]], depth: int = 0
) -> str:
    """One realisation of a template (verb marks kept; see ``realise``).

    A slot with no value is left as ``{slot}`` so that callers can reject the text.
    """
    out: list[str] = []
    _walk(_parse(template), rng, out)
    text = "".join(out)
    if depth > 4 or "{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        value = slots.get(match.group(1))
        if value is None:
            return match.group(0)
        chosen = value if isinstance(value, str) else (pick(rng, value) if value else "")
        return expand(chosen, rng, slots, depth + 1)

    return _SLOT.sub(fill, text)


def conjugate(verb: str) -> str:
    """The third person singular of a base verb (revise -> revises, do -> does)."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def tidy(text: str) -> str:
    """Single spaces, no space before punctuation, "a" before a vowel made "an"."""
    text = _SPACES.sub(" ", text).strip()
    text = text.replace(" ,", ",").replace(",,", ",").replace(" .", ".")
    text = _AN.sub(lambda m: m.group(1) + "n ", text)
    return text.strip(" ,")


def realise(core: str, subject: str = "") -> str:
    """A marked verb phrase as a bare plan item, or as a sentence about ``subject``."""
    if subject:
        return tidy(f"{subject} {_VERB.sub(lambda m: conjugate(m.group(1)), core)}")
    return tidy(_VERB.sub(lambda m: m.group(1), core))


def _echoes(mod: str, text: str) -> bool:
    """Whether a modifier repeats a word of the text ("... rush before the rush")."""
    stems = {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower())}
    return any(w[:5] in stems for w in re.findall(r"[a-z]{4,}", mod.lower()))


def possessive(text: str) -> str:
    """ "her", "his" or "their", from the pronouns a persona's own texts use."""
    words = re.findall(r"[a-z]+", text.lower())
    she = sum(w in ("she", "her", "hers", "herself") for w in words)
    he = sum(w in ("he", "his", "him", "himself") for w in words)
    if she > he:
        return "her"
    if he > she:
        return "his"
    return "their"


@dataclass(frozen=True, slots=True, kw_only=True)
class Say:
    """What to say for one plan item.

    Attributes:
        key: the item's meaning (habitual broad wordings are chosen per person and key).
        cores: marked verb-phrase templates; one is expanded.
        mods: movable modifiers ("before the morning rush"), put after the phrase or in
            front of it with a comma.
        broad: short everyday wordings ("have lunch") a model often repeats day to day.
        nouns: verbless templates ("lunch at home: soup"); never given a subject.
        broad_p: how often a broad wording is used (default wording).
        subject_p: how often a persona sentence ("Amara revises ...") is written.
        mod_p: how often a modifier is added.
    """

    key: str
    cores: tuple[str, ...]
    mods: tuple[str, ...] = ()
    broad: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    broad_p: float = 0.0
    subject_p: float = 0.3
    mod_p: float = 0.4


class Voice:
    """Words the plan items of one request (one person, one day).

    Args:
        rng: the request's generator (every choice is drawn from it).
        persona: whose plan it is (first name, pronoun, habitual wordings).
        wording: ``"default"`` or ``"paraphrase"`` (see the module docstring).
        day: the game day number (picks the paraphrase day class).
        slots: values every template may use (``first``, ``poss``, ``work`` ...).
    """

    def __init__(
        self,
        rng: random.Random,
        persona: PersonaFacts,
        *,
        wording: str,
        day: int,
        slots: Mapping[str, str | Sequence[str]],
    ) -> None:
        self.rng = rng
        self.persona = persona
        self.paraphrase = check_wording(wording) == "paraphrase"
        self.day_class = day % DAY_CLASSES
        self.slots: dict[str, str | Sequence[str]] = dict(slots)

    def phrase(
        self,
        say: Say,
        slots: Mapping[str, str | Sequence[str]] | None = None,
        *,
        valid: Callable[[str], bool] | None = None,
    ) -> str:
        """One plan item for ``say``; ``valid`` rejects texts the plan cannot use."""
        merged = {**self.slots, **(slots or {})}
        fallback = ""
        for attempt in range(MAX_TRIES):
            text = self._candidate(say, merged, sticky=attempt == 0, widen=attempt >= WIDEN_AFTER)
            if not text or "{" in text:
                continue
            right_day = not self.paraphrase or day_class(text) == self.day_class
            if (right_day or not fallback) and (valid is None or valid(text)):
                if right_day:
                    return text
                fallback = text
        # Only when no wording passes (a template set too small for its checks).
        return fallback or realise(expand(say.cores[0], self.rng, merged))

    def _candidate(
        self, say: Say, slots: Mapping[str, str | Sequence[str]], *, sticky: bool, widen: bool
    ) -> str:
        rng = self.rng
        if widen and say.cores:
            return self._widened(say, slots)
        if say.broad and rng.random() < (say.broad_p if not self.paraphrase else 0.15):
            if sticky and not self.paraphrase and rng.random() < 0.95:
                return expand(self._habitual(say), rng, slots)
            return tidy(expand(pick(rng, say.broad), rng, slots))
        if say.nouns and rng.random() < 0.12:
            return tidy(expand(pick(rng, say.nouns), rng, slots))
        if not say.cores:
            return ""
        core = expand(pick(rng, say.cores), rng, slots)
        subject = str(slots.get("first", "")) if rng.random() < say.subject_p else ""
        text = realise(core, subject)
        manner = slots.get("manner")
        if subject and say.mods and manner and rng.random() < MANNER_P:
            # a persona sentence about how they do it ("Kenji carefully ...": their trait)
            return tidy(f"{text} {pick(rng, manner) if not isinstance(manner, str) else manner}")
        if say.mods and rng.random() < say.mod_p:
            mod = tidy(expand(pick(rng, say.mods), rng, slots))
            if _echoes(mod, text):
                mod = ""
            if mod and rng.random() < (0.3 if subject else 0.12):
                text = f"{mod[:1].upper()}{mod[1:]}, {text}"
            elif mod:
                text = f"{text} {mod}"
        return tidy(text)

    def _widened(self, say: Say, slots: Mapping[str, str | Sequence[str]]) -> str:
        """A wording outside the phrase's own: a "make time to" wrapper or a time phrase."""
        rng = self.rng
        core = expand(pick(rng, say.cores), rng, slots)
        wrapped = any(core.startswith(w) for w in _WRAP)
        if rng.random() < 0.5 and core.startswith("~") and not wrapped:
            core = pick(rng, _WRAP) + core[1:]
        else:
            mods = _WIDEN if " for " not in core else _WIDEN_WHEN
            mod = expand(pick(rng, mods), rng, slots)
            core = core if _echoes(mod, core) else f"{core} {mod}"
        subject = str(slots.get("first", "")) if rng.random() < say.subject_p else ""
        return realise(core, subject)

    def _habitual(self, say: Say) -> str:
        """The broad wording this person uses most for ``say.key`` (stable per person)."""
        index = zlib.crc32(f"{self.persona.name}:{say.key}".encode()) % len(say.broad)
        return say.broad[index]
