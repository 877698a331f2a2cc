"""The offline ``conversation`` answers: one line per turn, or a whole exchange in one call."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aga_npc.offline.events import find_event, invitation_line, is_invitation, place_names
from aga_npc.offline.facts import PersonaFacts, first_name, persona_facts
from aga_npc.offline.phrasing import chance, pick, render_json
from aga_npc.offline.roles import role_for
from aga_npc.offline.speech import (
    is_goodbye,
    part_of_day,
    soft_lower,
    to_first_person,
    to_second_person,
    topic_of,
)

__all__ = ["Talker", "answer_conversation", "next_line", "opinion", "whole"]

_FAMILY = ("wife", "husband", "partner", "married", "spouse", "girlfriend", "boyfriend")
_KIN = (
    "mother",
    "father",
    "mom",
    "dad",
    "son",
    "daughter",
    "sister",
    "brother",
    "family",
    "sibling",
)
_WORK = ("coworker", "co-worker", "colleague", "boss", "employee", "classmate")
_MAX_LINES = 8


@dataclass(slots=True, kw_only=True)
class Talker:
    """What one speaker brings to a conversation: persona and what they know of the other."""

    persona: PersonaFacts
    relationship: str = "unknown"
    feeling: str = ""
    closeness: float = 0.0
    facts: list[str] = field(default_factory=list)

    @classmethod
    def from_context(cls, persona: Mapping[str, Any], social: Any, memories: Any) -> Talker:
        facts: list[str] = []
        rel, feeling, closeness = "unknown", "", 0.0
        if isinstance(social, Mapping):
            rel = str(social.get("relationship") or "unknown")
            feeling = str(social.get("feeling") or "")
            try:
                closeness = float(social.get("closeness") or 0.0)
            except (TypeError, ValueError):
                closeness = 0.0
            for key in ("summary_events", "topics", "summary"):
                value = social.get(key)
                if isinstance(value, str) and value.strip():
                    facts.append(value.strip())
                elif isinstance(value, Sequence):
                    facts.extend(str(v).strip() for v in value if str(v).strip())
        if isinstance(memories, Sequence) and not isinstance(memories, str):
            facts.extend(str(m).strip() for m in memories if str(m).strip())
        return cls(
            persona=persona_facts(persona),
            relationship=rel.lower(),
            feeling=feeling.lower(),
            closeness=closeness,
            facts=facts,
        )


def answer_conversation(context: Mapping[str, Any], rng: random.Random) -> str:
    """A turn (``speaker`` in the context) or a whole exchange (``a`` and ``b``)."""
    if "a" in context and "b" in context and "speaker" not in context:
        return render_json(rng, {"lines": whole(context, rng)}, fence=0.08, compact=0.5)
    speaker = context.get("speaker") if isinstance(context.get("speaker"), Mapping) else {}
    talker = Talker.from_context(
        speaker or {}, context.get("social_memory"), context.get("memories")
    )
    listener = str(context.get("listener") or "there")
    last = [
        tuple(x) for x in context.get("last_round") or () if isinstance(x, Sequence) and len(x) == 2
    ]
    turn = _int(context.get("turn"), 0)
    max_turns = _int(context.get("max_turns"), _MAX_LINES)
    line, end = next_line(
        talker,
        listener,
        [(str(w), str(t)) for w, t in last],
        turn=turn,
        max_turns=max_turns,
        time=str(context.get("time") or ""),
        place=str(context.get("place") or ""),
        rng=rng,
    )
    return render_json(rng, {"line": line, "end": end}, fence=0.05, compact=0.6)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def whole(context: Mapping[str, Any], rng: random.Random) -> list[list[str]]:
    """A whole conversation: alternating lines from ``a`` and ``b`` until one ends it."""
    social = (
        context.get("social_memory") if isinstance(context.get("social_memory"), Mapping) else {}
    )
    memories = context.get("memories") if isinstance(context.get("memories"), Mapping) else {}
    a = Talker.from_context(
        _map(context.get("a")), (social or {}).get("a_about_b"), (memories or {}).get("a")
    )
    b = Talker.from_context(
        _map(context.get("b")), (social or {}).get("b_about_a"), (memories or {}).get("b")
    )
    max_turns = max(2, _int(context.get("max_turns"), _MAX_LINES))
    lines: list[list[str]] = []
    history: list[tuple[str, str]] = []
    for turn in range(max_turns):
        me, other = (a, b) if turn % 2 == 0 else (b, a)
        line, end = next_line(
            me,
            other.persona.name,
            history[-2:],
            turn=turn,
            max_turns=max_turns,
            time=str(context.get("time") or ""),
            place=str(context.get("place") or ""),
            rng=rng,
        )
        lines.append([me.persona.name, line])
        history.append((me.persona.name, line))
        if end and turn >= 1:
            break
    return lines


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def next_line(
    me: Talker,
    listener: str,
    last_round: Sequence[tuple[str, str]],
    *,
    turn: int,
    max_turns: int,
    time: str,
    place: str,
    rng: random.Random,
) -> tuple[str, bool]:
    """One line for ``me`` and whether it ends the conversation."""
    you = first_name(listener)
    heard = next((line for who, line in reversed(last_round) if who != me.persona.name), "")
    invited_already = any(is_invitation(line) for _, line in last_round)
    texts = [*me.facts, me.persona.currently]
    known = [p for p in (me.persona.workplace, place, *place_names(texts)) if p]
    event = find_event(texts, known)
    if event is not None and you.lower() in event.source.lower():
        event = None  # the listener's own event: ask about it rather than invite them
    parts: list[str] = []
    if turn == 0 or not heard:
        parts.append(_greeting(me, you, time, place, rng))
    elif is_goodbye(heard):
        return pick(
            rng, (f"Bye, {you}! Take care.", "See you around!", f"Good talking to you, {you}. Bye!")
        ), True
    elif is_invitation(heard):
        parts.append(_answer_invitation(me, heard, rng))
    elif "?" in heard:
        parts.append(_answer_question(me, heard, rng))
    else:
        parts.append(pick(rng, _REACTIONS))
    last_line = turn >= max_turns - 1
    ending = last_line or turn >= 7 or (turn >= 3 and chance(rng, 0.15 + 0.17 * (turn - 3)))
    if ending and turn >= 1:
        parts.append(pick(rng, _GOODBYES).format(you=you))
        return " ".join(parts), True
    if (
        event is not None
        and not invited_already
        and 1 <= turn <= max_turns - 2
        and chance(rng, 0.4)
    ):
        parts.append(invitation_line(event, rng))
    elif chance(rng, 0.85):
        said = " ".join(line for _, line in last_round).lower() + " " + " ".join(parts).lower()
        parts.append(_follow_up(me, listener, said, rng))
    return " ".join(parts), False


_REACTIONS = (
    "Oh, that's great to hear.",
    "Really? I didn't know that.",
    "Ha, that sounds just like you.",
    "That's interesting.",
    "Oh nice!",
    "I see what you mean.",
    "Hmm, that makes sense.",
)
_GOODBYES = (
    "Well, I should get going. See you around, {you}!",
    "It was nice talking to you. Bye!",
    "I'd better get back to it. Take care, {you}!",
    "Anyway, I have to run. See you later!",
    "Let's talk again soon. Bye, {you}!",
)


def _self_intro(p: PersonaFacts) -> str:
    role = role_for(p)
    if p.workplace and role.key not in ("worker",):
        if role.key == "student":
            return f"I'm a student at {p.workplace}."
        return (
            f"I'm the {p.role or role.key} at {p.workplace}."
            if p.role
            else f"I work at {p.workplace}."
        )
    if p.workplace:
        return f"I work at {p.workplace}."
    if p.home:
        return f"I live over at {p.home}."
    return "I'm new around here."


def _greeting(me: Talker, you: str, time: str, place: str, rng: random.Random) -> str:
    rel, p = me.relationship, me.persona
    tod = part_of_day(time)
    if any(w in rel for w in _FAMILY):
        opener = pick(
            rng,
            (
                f"Hi love, how's your {tod} going?",
                f"There you are, {you}!",
                "Hey you. Good to see you.",
            ),
        )
    elif any(w in rel for w in _KIN):
        opener = pick(
            rng,
            (
                f"Hey {you}! How's everything?",
                f"Oh, {you}, there you are.",
                f"Hi {you}, good to see you.",
            ),
        )
    elif any(w in rel for w in _WORK):
        opener = pick(
            rng,
            (
                f"Morning, {you}. Busy day?" if tod == "morning" else f"Hi {you}. Busy day?",
                f"Hey {you}, how's work treating you?",
            ),
        )
    elif rel in ("", "unknown", "stranger", "strangers", "none"):
        at = f" at {place}" if place and chance(rng, 0.5) else ""
        opener = pick(
            rng,
            (
                f"Hi there! I don't think we've met - I'm {p.first}.",
                f"Hello! I'm {p.first}, I don't believe we've been introduced.",
                f"Good {tod}! I've seen you around{at}. I'm {p.first}.",
            ),
        )
        return f"{opener} {_self_intro(p)}"
    elif me.feeling in ("wary", "annoyed", "uneasy", "cold", "angry"):
        opener = pick(rng, (f"Oh. Hello, {you}.", f"{you}. Hi."))
    elif me.closeness >= 4 or "friend" in rel:
        opener = pick(
            rng,
            (
                f"Hey {you}! So good to see you.",
                f"{you}! How have you been?",
                f"Hi {you}! What a nice surprise.",
            ),
        )
    else:
        opener = pick(
            rng, (f"Hello {you}, nice to see you again.", f"Oh, hi {you}!", f"Good {tod}, {you}.")
        )
    if chance(rng, 0.5):
        return opener
    question = pick(rng, ("How are you doing?", "How is your day going?", "What are you up to?"))
    return f"{opener} {question}"


def _news(p: PersonaFacts, rng: random.Random) -> str:
    if p.currently:
        clause = to_first_person(p.currently.split(".")[0], p.name)
        return pick(
            rng,
            (
                f"I've been busy - {_lower(clause)}.",
                f"{clause[:1].upper()}{clause[1:]}.",
                f"Oh, you know, {_lower(clause)}.",
            ),
        )
    if p.workplace:
        return pick(
            rng,
            (
                f"Work at {p.workplace} keeps me busy.",
                f"Things are busy at {p.workplace}, as always.",
            ),
        )
    if p.lifestyle:
        return "Just enjoying my usual routine."
    return "Nothing much, just enjoying the day."


def _lower(text: str) -> str:
    if text.startswith(("I ", "I'")):
        return text
    return soft_lower(text)


def _answer_question(me: Talker, heard: str, rng: random.Random) -> str:
    q = heard.lower()
    topic = topic_of(heard)
    if "how are you" in q or "how have you been" in q or "how is your" in q or "how's your" in q:
        mood = pick(
            rng,
            (
                "I'm doing well, thanks!",
                "Pretty good, thank you.",
                "Can't complain!",
                "A little tired, but good.",
            ),
        )
        return f"{mood} {_news(me.persona, rng)}"
    if "right?" in q or "how is that going" in q or "any news" in q:
        return pick(
            rng,
            (
                "Yes, that's right!",
                "It's coming along nicely, thanks for asking.",
                "Yes - still working on it.",
                "Ha, you remembered! Yes.",
            ),
        )
    if topic:
        return opinion(topic, rng)
    if "up to" in q or "doing" in q or "busy" in q or "any news" in q or "going" in q:
        return _news(me.persona, rng)
    return pick(
        rng,
        (
            "Yes, I think so.",
            "Hmm, good question. Probably!",
            "Not really, but I'd like to.",
            "I guess so, yes.",
        ),
    )


def opinion(topic: str, rng: random.Random) -> str:
    """A short opinion about a topic someone asked about."""
    if topic.startswith("your "):
        mine = "my " + topic[5:]
        return pick(
            rng,
            (
                f"Oh, {mine}? It's going well, thanks!",
                f"{mine[:1].upper()}{mine[1:]} keeps me busy, but I love it.",
                f"I've been putting a lot of time into {mine} lately.",
            ),
        )
    return pick(
        rng,
        (
            f"Oh, {topic}? Honestly, I haven't made up my mind yet.",
            f"I have mixed feelings about {topic}, to be honest.",
            f"I think {topic} is a good thing for the town.",
            f"I've been thinking about {topic} a lot lately.",
        ),
    )


def _answer_invitation(me: Talker, heard: str, rng: random.Random) -> str:
    event = find_event([heard])
    yes = chance(rng, min(0.95, 0.6 + 0.05 * me.closeness))
    if yes:
        when = f" See you at {event.start}!" if event is not None else ""
        return (
            pick(rng, ("I'd love to!", "Sure, count me in!", "That sounds great, I'll be there."))
            + when
        )
    return pick(
        rng,
        ("Oh, I wish I could, but I'm busy then.", "Maybe another time - I can't make it, sorry."),
    )


_ASK_BACK = (
    "What have you been up to lately?",
    "Any plans for the weekend?",
    "How's everything at home?",
    "Have you been keeping busy?",
    "Did anything fun happen this week?",
)


def _follow_up(
    me: Talker, listener: str, said: str, rng: random.Random, *, mention: float = 0.7
) -> str:
    """Bring up something known about the listener (not already said in the last round),
    one's own news, or a question back."""
    fresh = [f for f in me.facts if _core(f, me, listener) not in said]
    if fresh and chance(rng, mention):
        return _mention_fact(me, listener, pick(rng, fresh), rng)
    news = _news(me.persona, rng)
    if _core(me.persona.currently, me, listener) not in said and chance(rng, 0.6):
        return news
    return pick(rng, _ASK_BACK)


def _core(fact: str, me: Talker, listener: str) -> str:
    """The words of a fact that a line mentioning it would contain (lower case)."""
    text = fact.strip().rstrip(".").lower()
    for name in (listener, first_name(listener), me.persona.name, me.persona.first):
        text = text.replace(name.lower() + " ", "")
    words = text.split()
    return " ".join(words[-4:]) if words else "\x00"


def _mention_fact(me: Talker, listener: str, fact: str, rng: random.Random) -> str:
    fact = fact.strip().rstrip(".")
    lowered = fact.lower()
    if len(fact.split()) <= 3:
        return pick(
            rng,
            (
                f"What do you think about {fact}?",
                f"Have you thought more about {fact}?",
                f"I've been meaning to ask you about {fact}.",
            ),
        )
    own = lowered.startswith(me.persona.first.lower())
    if first_name(listener).lower() in lowered and own:
        # "Tobias should go to the debate with Kenji" said by Tobias to Kenji
        mine = to_second_person(to_first_person(fact, me.persona.name), listener)
        return pick(rng, (f"{mine[:1].upper()}{mine[1:]}, remember?", f"Oh, and {mine}."))
    if first_name(listener).lower() in lowered:
        about = to_second_person(fact, listener)
        return pick(
            rng,
            (
                f"Last time you told me {about}. How is that going?",
                f"I remember {about} - any news?",
                f"So, {about}, right?",
            ),
        )
    if own:
        mine = to_first_person(fact, me.persona.name)
        return pick(rng, (f"{mine[:1].upper()}{mine[1:]}.", f"Oh, and {_lower(mine)}."))
    return pick(
        rng,
        (
            f"Did you hear? {fact}.",
            f"I keep thinking about this: {soft_lower(fact)}.",
            f"By the way, {soft_lower(fact)}.",
        ),
    )
