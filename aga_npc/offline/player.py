"""The offline ``player_reply`` answer: 1-3 sentences in character; injections are deflected."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.dialogue import Talker, opinion
from aga_npc.offline.phrasing import chance, pick
from aga_npc.offline.roles import role_for
from aga_npc.offline.speech import (
    is_greeting,
    part_of_day,
    sentences,
    soft_lower,
    to_first_person,
    to_second_person,
    topic_of,
)

__all__ = ["answer_player_reply", "is_injection", "player_words"]

_QUOTE = re.compile(r'<<player>>"(.*?)"<</player>>', re.S)
_INJECTION = re.compile(
    r"ignore (all |any |the |your )?(previous|prior|above|earlier)|you are now|system prompt|"
    r"(your|the) instructions|developer mode|pretend (to be|you are)|\bact as\b|"
    r"forget (everything|who you are|your)|\breveal\b|jailbreak|new persona|roleplay as|"
    r"disregard|\bprompt\b|as an ai|language model",
    re.I,
)


def player_words(task: str) -> str:
    """The player's quoted words inside the task text ("" when absent)."""
    match = _QUOTE.search(task)
    return match.group(1) if match else ""


def is_injection(text: str) -> bool:
    """Whether the player tries to change the NPC's identity or extract its instructions."""
    return bool(_INJECTION.search(text))


def answer_player_reply(context: Mapping[str, Any], task: str, rng: random.Random) -> str:
    """The NPC's reply as plain text."""
    you = context.get("you") if isinstance(context.get("you"), Mapping) else {}
    me = Talker.from_context(you or {}, context.get("social_memory"), context.get("memories"))
    p = me.persona
    said = player_words(task)
    place = str(context.get("place") or "")
    history = context.get("history")
    first_meeting = not (isinstance(history, Sequence) and history)
    mention = _mention(me, rng)
    if is_injection(said):
        deflect = pick(
            rng,
            (
                f"I'm {p.name}, and I'm afraid I don't follow you.",
                f"Ha, you're a strange one. I'm just {p.name}, nothing more.",
                f"I don't know what you mean by that - I'm {p.name}, same as always.",
            ),
        )
        return " ".join(x for x in (deflect, mention or _busy(me, rng)) if x)
    low = said.lower()
    parts: list[str] = []
    if is_greeting(said) or first_meeting:
        who = context.get("player")
        name = str(who.get("name") or "") if isinstance(who, Mapping) else ""
        parts.append(_hello(me, place, str(context.get("time") or ""), rng, name))
    topic = topic_of(said)
    if "your name" in low or "who are you" in low:
        parts.append(_intro(me))
    elif "how are you" in low or "how's it going" in low or "how are things" in low:
        parts.append(
            pick(
                rng, ("I'm well, thank you!", "Pretty good, thanks for asking.", "Not bad at all.")
            )
        )
    elif topic:
        parts.append(opinion(topic, rng))
    elif "doing" in low or "up to" in low or "busy" in low:
        parts.append(_busy(me, rng))
    elif "?" in said:
        parts.append(
            pick(
                rng, ("Hmm, let me think about that.", "Good question!", "I'm not sure, honestly.")
            )
        )
    elif not parts:
        parts.append(pick(rng, ("Oh, really?", "That's nice to hear.", "Interesting!", "I see.")))
    if mention and len(parts) < 3:
        parts.append(mention)
    elif len(parts) < 2:
        parts.append(_busy(me, rng))
    return " ".join(sentences(" ".join(parts))[:3])


def _hello(me: Talker, place: str, time: str, rng: random.Random, player: str = "") -> str:
    """One greeting sentence, by how well the NPC knows the player (by name when known)."""
    tod = part_of_day(time)
    first = me.persona.first
    to = f", {player}" if player else ""
    if me.relationship in ("", "unknown", "stranger"):
        where = f" - welcome to {place}" if place and chance(rng, 0.5) else ""
        return pick(
            rng,
            (
                f"Hello there{to}, I'm {first}{where}!",
                f"Hi{to}, I don't think we've met - I'm {first}{where}!",
            ),
        )
    return pick(rng, (f"Oh, hello again{to}!", f"Hi{to}, good to see you!", f"Good {tod}{to}!"))


def _intro(me: Talker) -> str:
    """ "I'm <name>, <what they do>." in one sentence."""
    p = me.persona
    role = role_for(p)
    if p.workplace and role.key == "student":
        return f"I'm {p.name}, a student at {p.workplace}."
    if p.workplace and role.key != "worker":
        return f"I'm {p.name}, the {p.role or role.key} at {p.workplace}."
    if p.workplace:
        return f"I'm {p.name}, and I work at {p.workplace}."
    return f"I'm {p.name}, I live at {p.home}." if p.home else f"I'm {p.name}, I live here in town."


def _busy(me: Talker, rng: random.Random) -> str:
    p = me.persona
    if p.currently:
        clause = to_first_person(p.currently.split(".")[0], p.name)
        return pick(
            rng, (f"These days {soft_lower(clause)}.", f"{clause[:1].upper()}{clause[1:]}.")
        )
    if p.workplace:
        return f"Work at {p.workplace} keeps me busy."
    return "Just enjoying a quiet day."


def _mention(me: Talker, rng: random.Random) -> str:
    """Something from social memory or memories, when there is any."""
    if not me.facts:
        return ""
    fact = pick(rng, me.facts).rstrip(".")
    if len(fact.split()) <= 3:
        return pick(
            rng,
            (f"Have you heard anything about {fact}?", f"Everyone's talking about {fact} lately."),
        )
    if "player" in fact.lower():
        about = to_second_person(fact, "the player")
        return pick(rng, (f"I remember {about}.", f"Last time, {about}, didn't you?"))
    return pick(
        rng,
        (
            f"By the way, {soft_lower(fact)}.",
            f"Did you know that {soft_lower(fact)}?",
            f"I was just thinking - {soft_lower(fact)}.",
        ),
    )
