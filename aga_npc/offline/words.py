"""Small word tools of the offline stand-in: -ing forms, the manner and time phrases that
say how or when rather than what (a model reads past them), and which object kinds and
verbs a subtask phrase means (read off the decomposition recipes)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from aga_npc.offline.recipes import EXTRAS, RECIPES

__all__ = [
    "bare_step",
    "gerund",
    "gerund_phrase",
    "step_hint",
    "strip_fillers",
    "without_place",
]

_PREFIXES = ("still ", "finishing up ")
_SUFFIXES = (" (continued)", ", carefully", ", taking a short pause")

_IRREGULAR = {
    "lie": "lying",
    "die": "dying",
    "tie": "tying",
    "be": "being",
    "see": "seeing",
    "quit": "quitting",
}
_DOUBLE = frozenset(["b", "d", "g", "l", "m", "n", "p", "r", "t"])
# two-syllable verbs stressed on the last syllable double their consonant ("beginning")
_STRESSED_LAST = frozenset(
    [
        "admit",
        "begin",
        "commit",
        "compel",
        "control",
        "equip",
        "forget",
        "occur",
        "omit",
        "patrol",
        "permit",
        "prefer",
        "refer",
        "regret",
        "submit",
        "transfer",
        "upset",
    ]
)


def gerund(verb: str) -> str:
    """The -ing form of an English verb ("make" -> "making", "sit" -> "sitting")."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v.endswith("ing") and len(v) > 5:
        return v
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    if (
        len(v) >= 3
        and v[-1] in _DOUBLE
        and v[-2] in "aeiou"
        and v[-3] not in "aeiou"
        and (len(re.findall(r"[aeiou]+", v)) == 1 or v in _STRESSED_LAST)
    ):
        # one syllable ending consonant-vowel-consonant: "scrubbing", "sitting", "planning";
        # "opening", "visiting", "ironing" do not double
        return v + v[-1] + "ing"
    return v + "ing"


def gerund_phrase(text: str) -> str:
    """The phrase with its verbs as -ing forms: the first word, and a recipe verb right
    after "and" ("fry the eggs" -> "frying the eggs", "brew espresso and steam milk" ->
    "brewing espresso and steaming milk")."""
    words = text.strip().rstrip(".").split()
    if not words:
        return text
    out = [_ing(words[0].lower())]
    for before, word in itertools.pairwise(words):
        verb = before.lower() == "and" and word.lower() in _lead_verbs()
        out.append(_ing(word.lower()) if verb else word)
    return " ".join(out)


def _ing(word: str) -> str:
    return word if word.endswith("ing") and len(word) > 4 else gerund(word)


@lru_cache(maxsize=1)
def _lead_verbs() -> frozenset[str]:
    """The words recipe step texts start with (the verbs a subtask is worded with)."""
    found = {"steam", "froth"}
    for recipe in RECIPES:
        for step in recipe.steps:
            found.update(text.split()[0].lower() for text in step.texts if text.split())
    return frozenset(found)


# How or when something is done, never what: trait manners, spans of time, the planner's
# wrappers and time phrases ("Marta checks the stock before the day gets away").
_FILLERS = re.compile(
    r"\b(?:"
    r"carefully|with great care|methodically|cheerfully|in good spirits|briskly|"
    r"without wasting a minute|calmly|at an easy pace|patiently|absent-mindedly|"
    r"lost in thought|in a hurry|a little behind schedule|quietly|a little anxiously|"
    r"with determination|diligently|with a smile|at a relaxed pace|without rushing|slowly|"
    r"for (?:a while|an hour or so|an hour|a little while|a bit|(?:one|two|three|four|five|"
    r"six|a couple of|a few) (?:hours?|minutes?))|"
    r"today|tonight|(?:this|in the|all|through the) (?:morning|afternoon|evening|day)|"
    r"in the quiet of the afternoon|first thing|without fail|as promised|"
    r"before the day gets away|as (?:usual|planned|always)|until closing|"
    r"before it gets too warm|after a long day|before turning in|in peace and quiet|"
    r"between tasks|in the good light|before (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)"
    r")\b"
)
_SPACES = re.compile(r"\s+")


def strip_fillers(text: str) -> str:
    """The text without manner and time phrases ("check the stock first thing" -> "check
    the stock"); the text itself when nothing else would be left."""
    stripped = _SPACES.sub(" ", _FILLERS.sub(" ", text)).strip(" ,")
    return stripped if len(stripped) > 2 else text


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for recipe in RECIPES:
        for step in recipe.steps:
            for text in step.texts:
                phrase = gerund_phrase(text.lower())
                pattern = re.escape(phrase).replace(r"\{food\}", ".+").replace(r"\{meal\}", ".+")
                # "at a table" also reads "at the table 7" (the decomposition names it)
                pattern = _ARTICLE.sub(r" (?:a|the) \1(?: \\d+)?", pattern)
                # a step done on no object is done at its spot (watering the plants
                # by the table), which is where a model would put it
                out.append((re.compile(f"^{pattern}$"), step.kinds or step.spot, step.verbs))
    for text in EXTRAS:
        out.append((re.compile(f"^{re.escape(gerund_phrase(text))}$"), (), ("sit",)))
    return tuple(out)


_ARTICLE = re.compile(r"\\ (?:a|the)\\ ([a-z]+)")
_WHERE = re.compile(r" (?:at|in|on|by) the (?:(?! (?:at|in|on|by) the )[^,()])*$")


def without_place(subtask: str) -> str:
    """The bare phrase: without "still ..." or "(continued)" and without its trailing
    "at the stove in the kitchen"."""
    phrase = _unwrapped(subtask)
    while _WHERE.search(phrase):
        phrase = _WHERE.sub("", phrase)
    return phrase


def bare_step(subtask: str) -> str:
    """A subtask without its "still ..." or "(continued)" wording (its case kept)."""
    phrase = subtask.strip().rstrip(".")
    for prefix in _PREFIXES:
        if phrase.lower().startswith(prefix):
            phrase = phrase[len(prefix) :]
    for suffix in _SUFFIXES:
        if phrase.lower().endswith(suffix):
            phrase = phrase[: -len(suffix)]
    return phrase


def _unwrapped(subtask: str) -> str:
    phrase = subtask.lower().strip().rstrip(".")
    for prefix in _PREFIXES:
        if phrase.startswith(prefix):
            phrase = phrase[len(prefix) :]
    for suffix in _SUFFIXES:
        if phrase.endswith(suffix):
            phrase = phrase[: -len(suffix)]
    return phrase


def step_hint(subtask: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The object kinds and verbs of the recipe step this subtask phrase came from (its
    "still ..." and "(continued)" wordings and its trailing "at the stove in the kitchen"
    read past)."""
    phrase = _unwrapped(subtask)
    candidates = [phrase]
    while _WHERE.search(candidates[-1]):
        candidates.append(_WHERE.sub("", candidates[-1]))
    for candidate in candidates:
        for pattern, kinds, verbs in _index():
            if pattern.match(candidate):
                return kinds, verbs
    return None
