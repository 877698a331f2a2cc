"""Daily requirements in a chat model's words: "call her mother" is also "phone her
mother", "make time to call her mother ... as usual"; clock times are left to the plan."""

from __future__ import annotations

import re

from aga_npc.offline.paraphrase import Say
from aga_npc.offline.phrasing import wordset

__all__ = ["requirement_family", "requirement_say"]

_WORDS = re.compile(r"[a-z']+")
_VERB_SYNONYMS: dict[str, tuple[str, ...]] = {
    "attend": ("attend", "go to", "sit in on"),
    "buy": ("buy", "pick up", "shop for"),
    "call": ("call", "phone", "ring"),
    "check": ("check", "look over", "go through"),
    "cook": ("cook", "make", "prepare"),
    "do": ("do", "finish", "work through"),
    "eat": ("eat", "have"),
    "have": ("have", "eat"),
    "file": ("file", "sort and file", "go through"),
    "interview": ("interview", "talk to", "sit down with"),
    "lead": ("lead", "run", "host"),
    "make": ("make", "brew", "prepare"),
    "open": ("open", "open up", "unlock"),
    "paint": ("paint", "work at the easel on"),
    "play": ("play", "practise"),
    "practise": ("practise", "work on", "rehearse"),
    "prepare": ("prepare", "make", "get started on"),
    "serve": ("serve", "look after", "wait on"),
    "sketch": ("sketch", "draw"),
    "solve": ("solve", "work through", "tackle"),
    "stay": ("stay", "keep", "remain"),
    "stock": ("stock", "restock", "fill"),
    "study": ("study", "revise", "prepare"),
    "talk": ("talk", "chat", "speak"),
    "teach": ("teach", "give", "lead"),
    "water": ("water", "see to"),
    "work": ("work", "put in the hours"),
    "write": ("write", "draft", "work on"),
}
_CHECK_ON = ("check on", "look in on", "drop in on")
# Verbs that also read well without an object ("write for an hour").
_INTRANSITIVE: dict[str, tuple[str, ...]] = {
    "write": ("do some writing", "sit down and ~write"),
    "paint": ("work at the easel", "spend time at the easel"),
    "study": ("revise", "hit the books"),
    "read": ("do some reading",),
    "practise": ("rehearse",),
    "garden": ("do some gardening", "work in the flower beds"),
    "play": ("play some music",),
    "sketch": ("draw", "fill a sketchbook"),
}
_PREPOSITIONS = wordset("for in at on with about until before after outside inside")
_CLOCK = re.compile(
    r"\s*\b(?:at|by|from|until|around|before)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight)"
    r"(?:\s*(?:to|-|and)\s*\d{1,2}(?::\d{2})?)?",
    re.I,
)
_REQ_MODS = ("[first thing|without fail|as promised]", "before the day gets away", "as usual")


def requirement_say(req: str) -> Say:
    """Wordings of one daily requirement: its own words, then its verb's synonyms."""
    text = _CLOCK.sub("", req.strip().rstrip(".")).strip()
    lowered = text[:1].lower() + text[1:]
    words = lowered.split(" ", 1)
    verb, rest = words[0], words[1] if len(words) > 1 else ""
    cores: list[str] = [f"~{lowered}"]
    if verb == "check" and rest.startswith("on "):
        cores += [f"~{v} {rest[3:]}" for v in _CHECK_ON]
    elif not rest or rest.split(" ", 1)[0] in _PREPOSITIONS:
        cores += [f"~{v} {rest}".strip() for v in _INTRANSITIVE.get(verb, ())]
    else:
        for synonym in _VERB_SYNONYMS.get(verb, ()):
            if synonym != verb:
                cores.append(f"~{synonym} {rest}".strip())
    if verb in _VERB_SYNONYMS or verb == "go":
        cores.append(f"~make time to {lowered}")
    return Say(
        key=f"req:{lowered}",
        cores=tuple(cores),
        mods=_REQ_MODS,
        broad=(lowered,),
        broad_p=0.35,
        subject_p=0.3,
        mod_p=0.3,
    )


_FAMILY_WORDS: tuple[tuple[str, str], ...] = (
    ("music", "piano guitar violin music song songs"),
    ("exercise", "run jog swim yoga"),
    ("hobby", "crossword puzzle puzzles model"),
    ("garden", "garden plants flowers bulbs"),
    ("paint", "paint sketch draw"),
    ("study", "study exam problems homework revise"),
    ("write", "write newsletter article book poem"),
    ("social", "call talk interview walk visit residents"),
    ("groceries", "buy groceries vegetables"),
)


def requirement_family(req: str) -> str:
    """What a requirement is about, for the decomposition check ("" when unclear)."""
    words = set(_WORDS.findall(req.lower()))
    for family, keys in _FAMILY_WORDS:
        if words & set(keys.split()):
            return family
    return ""
