"""Small text tools for offline dialogue: sentences, person shifts, greetings and goodbyes."""

from __future__ import annotations

import re

from aga_npc.offline.phrasing import wordset

__all__ = [
    "is_goodbye",
    "is_greeting",
    "part_of_day",
    "sentences",
    "soft_lower",
    "to_first_person",
    "to_second_person",
    "to_third_person",
    "topic_of",
]

_SPLIT = re.compile(r"(?<=[.!?])\s+")
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy|greetings|morning)\b", re.I
)
_GOODBYE = re.compile(
    r"\b(bye|goodbye|take care|good night|talk (to you )?later|catch you later|"
    r"have a (good|nice) (day|evening|night))\b|"
    r"(?<!to )\bsee you( later| around| soon| then| there| tomorrow)?(?=[.!,]|$)",
    re.I,
)
_YOU_VERB = re.compile(r"\byou (\w+)")
_TOPIC = re.compile(r"\babout ((?:the |your |my )?[a-z' -]+?)(?:[.?!,]|$)")
_MODALS = wordset("can could will would should might must may shall did was")
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "am": "is", "'m": "is"}


def sentences(text: str) -> list[str]:
    """Split text into sentences (on . ! ? followed by space)."""
    return [s.strip() for s in _SPLIT.split(text.strip()) if s.strip()]


def is_greeting(text: str) -> bool:
    return bool(_GREETING.search(text))


def is_goodbye(text: str) -> bool:
    return bool(_GOODBYE.search(text))


def part_of_day(time: object) -> str:
    """ "morning", "afternoon" or "evening" for an "HH:MM" time (afternoon when unknown)."""
    try:
        hour = int(str(time).split(":", 1)[0])
    except ValueError:
        return "afternoon"
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def _names(name: str) -> tuple[str, ...]:
    first = name.split()[0] if name.split() else name
    return (name, first) if first != name else (name,)


def to_second_person(text: str, listener: str) -> str:
    """Rewrite a fact about ``listener`` as said to them ("Maria is busy" -> "you are busy")."""
    out = text.strip().rstrip(".")
    for n in _names(listener):
        if n and n in out:
            out = (
                out.replace(f"{n} is", "you are")
                .replace(f"{n} was", "you were")
                .replace(f"{n} has", "you have")
                .replace(f"{n}'s", "your")
                .replace(n, "you")
            )
            out = re.sub(r"\b(her|his|their)\b", "your", out)
            out = _YOU_VERB.sub(_you_agree, out)
            break
    return soft_lower(out)


def _you_agree(match: re.Match[str]) -> str:
    verb = match.group(1)
    if (
        verb in ("is", "was", "has", "does", "goes")
        or not verb.endswith("s")
        or verb.endswith("ss")
    ):
        base = {"is": "are", "was": "were", "has": "have", "does": "do", "goes": "go"}.get(
            verb, verb
        )
        return f"you {base}"
    if verb.endswith("ies"):
        return f"you {verb[:-3]}y"
    if verb.endswith(("shes", "ches", "xes")):
        return f"you {verb[:-2]}"
    return f"you {verb[:-1]}"


def topic_of(text: str) -> str:
    """What a line asks or talks "about" ("what do you think about the election?")."""
    match = _TOPIC.search(text.lower())
    if not match:
        return ""
    topic = match.group(1).strip()
    return "" if topic in ("it", "that", "this", "you", "me") else topic


def to_first_person(text: str, speaker: str) -> str:
    """Rewrite a fact about ``speaker`` in their own voice ("Ana is painting" -> "I'm painting")."""
    out = text.strip().rstrip(".")
    for n in _names(speaker):
        if n and out.startswith(n):
            rest = out[len(n) :]
            if rest.startswith(" is "):
                out = "I'm " + rest[4:]
            elif rest.startswith(" has "):
                out = "I have " + rest[5:]
            elif rest.startswith(" was "):
                out = "I was " + rest[5:]
            elif rest.startswith("'s "):
                out = "my " + rest[3:]
            else:
                out = "I" + _base_verb(rest)
            out = re.sub(r"\b(her|his|their)\b", "my", out)
            out = _COORDINATED.sub(_first_person_and, out)
            return _SELF.sub(_first_person_self, out)
    return soft_lower(out)


# "... and is looking" -> "... and am looking", "... and gives lessons" -> "... and give
# lessons" in a rewritten fact: common verbs that are seldom nouns after "and"
_FIRST_PERSON = {"is": "am", "has": "have", "does": "do", "goes": "go", "tries": "try"}
_AND_VERBS = frozenset(
    [
        "ask",
        "bake",
        "coach",
        "enjoy",
        "feel",
        "give",
        "hand",
        "help",
        "hope",
        "keep",
        "like",
        "love",
        "make",
        "organise",
        "organize",
        "plan",
        "play",
        "read",
        "say",
        "sell",
        "sing",
        "spend",
        "study",
        "support",
        "take",
        "talk",
        "teach",
        "think",
        "try",
        "volunteer",
        "want",
        "wonder",
        "work",
        "worry",
        "write",
    ]
)
_COORDINATED = re.compile(r"\band (\w+)\b")


# "... as many residents as he can" -> "... as I can", "everyone she meets" -> "everyone I
# meet": in a fact about the speaker, a later "he"/"she" is the speaker too
_SELF = re.compile(r"\b(?:he|she) (\w+)\b")


def _first_person_self(match: re.Match[str]) -> str:
    word = match.group(1)
    base = _FIRST_PERSON.get(word)
    if base is None:
        if word in _MODALS or word.endswith(("ss", "us")) or not word.endswith("s"):
            base = word
        elif word.endswith("ies"):
            base = word[:-3] + "y"
        else:
            base = word[:-1]
    return f"I {base}"


def _first_person_and(match: re.Match[str]) -> str:
    word = match.group(1)
    base = _FIRST_PERSON.get(word)
    if base is None and word.endswith("ies") and word[:-3] + "y" in _AND_VERBS:
        base = word[:-3] + "y"
    elif base is None and word.endswith("es") and word[:-2] in _AND_VERBS:
        base = word[:-2]
    elif base is None and word.endswith("s") and word[:-1] in _AND_VERBS:
        base = word[:-1]
    return f"and {base}" if base is not None else match.group(0)


def _base_verb(rest: str) -> str:
    parts = rest.split(" ", 2)
    if len(parts) >= 2 and parts[1].endswith("s") and not parts[1].endswith("ss"):
        verb = parts[1]
        base = {"has": "have", "does": "do", "goes": "go"}.get(verb)
        if base is None:
            base = verb[:-3] + "y" if verb.endswith("ies") else verb[:-1]
        parts[1] = base
    return " ".join(parts)


def to_third_person(sentence: str, name: str) -> str:
    """Rewrite a first-person sentence about ``name`` ("I'm busy" -> "Maria is busy")."""
    s = sentence.strip().rstrip(".!")
    for prefix, repl in (
        ("I'm ", " is "),
        ("I am ", " is "),
        ("I've ", " has "),
        ("I have ", " has "),
    ):
        if s.startswith(prefix):
            return _pronouns(name + repl + s[len(prefix) :])
    if s.startswith("I'll "):
        return _pronouns(f"{name} will {s[5:]}")
    if s.startswith("My "):
        return _pronouns(f"{name}'s {s[3:]}")
    if s.startswith("I "):
        parts = s[2:].split(" ", 1)
        verb = parts[0]
        rest = parts[1] if len(parts) > 1 else ""
        return _pronouns(f"{name} {_third(verb)} {rest}".strip())
    return _pronouns(f"{name} mentioned that {soft_lower(s)}")


def _third(verb: str) -> str:
    low = verb.lower()
    if low in _MODALS or low.endswith("ed"):
        return verb
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _pronouns(text: str) -> str:
    text = re.sub(r"\bmy\b", "their", text)
    text = re.sub(r"\bme\b", "them", text)
    text = re.sub(r"\bI'm\b", "they're", text)
    return re.sub(r"\bI\b", "they", text)


def soft_lower(text: str) -> str:
    """Lower-case the first letter when the first word is a common word, not a name."""
    if (
        len(text) > 1
        and text[0].isupper()
        and not text[1].isupper()
        and text.split()[0]
        in (
            "The",
            "A",
            "An",
            "You",
            "It",
            "There",
            "Last",
            "This",
            "That",
        )
    ):
        return text[0].lower() + text[1:]
    return text
