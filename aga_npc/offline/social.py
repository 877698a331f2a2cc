"""The offline ``relationship`` answer: relationship, feeling, closeness, facts and plan."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.events import agreed_plan, find_event, is_invitation
from aga_npc.offline.phrasing import pick, render_json, wordset
from aga_npc.offline.speech import is_goodbye, is_greeting, sentences, to_third_person
from aga_npc.social.player_talk import read_tone

__all__ = ["answer_relationship", "build_relationship"]

_KEEP = (
    "wife",
    "husband",
    "partner",
    "married",
    "spouse",
    "girlfriend",
    "boyfriend",
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
    "coworker",
    "co-worker",
    "colleague",
    "boss",
    "roommate",
    "classmate",
    "neighbour",
    "neighbor",
)
_WORDS = re.compile(r"[a-z']+")
_POSITIVE = wordset(
    "love great glad happy thanks thank fun wonderful nice lovely good awesome enjoy enjoyed "
    "excited sure welcome pleasure"
)
_NEGATIVE = wordset(
    "hate annoyed angry awful rude stupid leave annoying terrible boring upset worst"
)
_FEELINGS = {
    "friendly": ("friendly", "warm", "fond", "cheerful", "comfortable"),
    "neutral": ("neutral", "polite", "curious"),
    "negative": ("wary", "annoyed", "uneasy"),
}


def answer_relationship(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text for a ``relationship`` request."""
    return render_json(rng, build_relationship(context, rng), fence=0.1, compact=0.3)


def build_relationship(context: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """The updated view of ``other`` after the conversation in ``transcript``."""
    persona = context.get("persona") if isinstance(context.get("persona"), Mapping) else {}
    name = str((persona or {}).get("name") or "Someone")
    other = str(context.get("other") or "them")
    current = context.get("current") if isinstance(context.get("current"), Mapping) else {}
    current = current or {}
    transcript = [
        (str(x[0]), str(x[1]))
        for x in context.get("transcript") or ()
        if isinstance(x, Sequence) and not isinstance(x, str) and len(x) == 2
    ]
    try:
        closeness = float(current.get("closeness") or 0.0)
    except (TypeError, ValueError):
        closeness = 0.0
    tone = _tone(transcript, name)
    hint = str(context.get("tone") or "")
    if hint in ("rude", "kind"):
        tone = "negative" if hint == "rude" else "friendly"
    if tone == "friendly":
        closeness += rng.uniform(0.5, 1.5)
    elif tone == "neutral":
        closeness += rng.uniform(0.1, 0.6)
    else:
        closeness -= rng.uniform(0.5, 1.5)
    closeness = round(min(10.0, max(0.0, closeness)), 1)
    old = str(current.get("relationship") or "unknown").strip()
    if any(word in old.lower() for word in _KEEP):
        relationship = old
    elif closeness >= 7:
        relationship = "good friend"
    elif closeness >= 4:
        relationship = "friend"
    else:
        relationship = "acquaintance"
    plan = agreed_plan(transcript)
    facts = _facts(transcript, name, other, plan is not None, rng)
    importance = 3 + (2 if plan is not None else 0) + (1 if tone != "neutral" else 0)
    importance += min(2, len(facts) // 2) + rng.choice((0, 0, 1))
    return {
        "relationship": relationship,
        "feeling": pick(rng, _FEELINGS[tone]),
        "closeness": closeness,
        "summary_events": facts,
        "plan": plan.to_plan() if plan is not None else None,
        "importance": min(10, importance),
    }


def _tone(transcript: Sequence[tuple[str, str]], name: str = "") -> str:
    """How the exchange went for ``name``: the other's insults count twice (and their
    own words do not make an insult friendly)."""
    pos = neg = 0
    for who, line in transcript:
        words = set(_WORDS.findall(line.lower()))
        pos += len(words & _POSITIVE)
        neg += len(words & _NEGATIVE)
        if who != name and read_tone(line) == "rude":
            neg += 2 + pos
    if neg > pos:
        return "negative"
    if pos == 0 and len(transcript) < 3:
        return "neutral"
    return "friendly"


_FIRST_PERSON = ("I ", "I'm ", "I've ", "I am ", "I have ", "I'll ", "My ")
_TOPICS = (
    "election",
    "party",
    "exam",
    "exams",
    "painting",
    "garden",
    "music",
    "book",
    "coffee",
    "work",
    "class",
    "concert",
    "festival",
    "weather",
    "family",
    "study group",
    "recipe",
)


def _facts(
    transcript: Sequence[tuple[str, str]], name: str, other: str, planned: bool, rng: random.Random
) -> list[str]:
    """1-3 short facts worth remembering about ``other`` from the conversation: an agreed
    plan, what they said about themselves, and the topics they brought up."""
    facts: list[str] = []
    if planned:
        for who, line in transcript:
            event = find_event([line]) if is_invitation(line) else None
            if event is None:
                continue
            at = f" at {event.place}" if event.place else ""
            host, guest = (other, name) if who != name else (name, other)
            facts.append(
                f"{host} invited {guest} to the {event.name}{at} {event.when} at {event.start}"
            )
            break
    candidates: list[tuple[int, str]] = []
    topics: list[str] = []
    for who, line in transcript:
        if who == name:
            continue
        lowered = line.lower()
        topics.extend(t for t in _TOPICS if t in lowered and t not in topics)
        for sentence in sentences(line):
            if not sentence.startswith(_FIRST_PERSON) or sentence.endswith("?"):
                continue
            if " you" in sentence or is_invitation(sentence) or is_goodbye(sentence):
                continue
            if len(sentence.split()) < 4 or is_greeting(sentence):
                continue
            candidates.append((len(sentence), to_third_person(sentence, other)))
    candidates.sort(key=lambda c: -c[0])
    want = rng.randint(1, 3)
    for _, fact in candidates:
        if len(facts) >= want:
            break
        if fact not in facts:
            facts.append(fact[:140])
    for topic in topics:
        if len(facts) >= want:
            break
        facts.append(
            pick(rng, (f"{other} talked about the {topic}", f"{other} brought up the {topic}"))
        )
    if not facts:
        facts.append(f"{other} stopped by for a short chat")
    return facts
