"""Offline answers of the memory and social calls: poignancy, reflection (focal points and
insights with evidence), deciding to talk or wait, conversation lines in Generative
Agents' prompt, the relationship summary, and what a conversation leaves behind (its
summary, a memo, a planning thought, and the joint Social Memory update)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.dialogue import answer_conversation
from aga_npc.offline.events import agreed_plan
from aga_npc.offline.facts import first_name, persona_facts, place_type
from aga_npc.offline.insight import (
    fact_insight,
    importance_of,
    insights,
    is_own_insight,
    is_sighting,
    proper_names,
)
from aga_npc.offline.phrasing import chance, pick, render_json
from aga_npc.offline.recall import is_news, read_memories, sightings
from aga_npc.offline.social import build_relationship
from aga_npc.offline.speech import topic_of

__all__ = [
    "answer_convo_memo",
    "answer_convo_summary",
    "answer_decide_react",
    "answer_decide_talk",
    "answer_focal_points",
    "answer_insights",
    "answer_joint_relationship",
    "answer_planning_thought",
    "answer_poignancy",
    "answer_poignancy_batch",
    "answer_relationship_summary",
    "answer_utterance",
]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# a sentence about the speaker's own life ("I'm writing an article", "My band plays on
# Friday"), as opposed to greetings, answers and invitations
_OWN_NEWS = re.compile(
    r"^(?:I'm|I am|I've|I have|I|My|We're|We) "
    r"(?!think|guess|see|remember|wish|can|'d|'ll|would|love|mean)\w+"
)
# What is said but is no news of one's own life: an introduction, a pleasantry, a
# question or invitation, a memory repeated back ("I talked with you: ...", "I will likely
# remember that ...").
_NOT_NEWS = re.compile(
    r"\?|^I'm [A-Z]\w*,|\bintroduced\b|\bnew around here\b|\bdoing (?:well|fine|good)\b|"
    r"^I (?:didn't|did not|don't|do not) know\b|\btalked with you\b|\bI and you\b|"
    r"\bwant to join\b|\bremember\b",
    re.I,
)
_MEMO_CHARS = 160
_WORK = ("work", "serv", "shift", "teach", "class", "counter", "customer", "lectur")
_CLOSE = (
    "friend",
    "wife",
    "husband",
    "partner",
    "married",
    "sister",
    "brother",
    "mother",
    "father",
    "daughter",
    "son",
    "neighbour",
    "neighbor",
    "colleague",
    "roommate",
)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _lines(value: Any) -> list[tuple[str, str]]:
    return [
        (str(x[0]), str(x[1]))
        for x in value or ()
        if isinstance(x, Sequence) and not isinstance(x, str) and len(x) == 2
    ]


def _texts(value: Any) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [str(v) for v in value if str(v).strip()]


def answer_poignancy(context: Mapping[str, Any], rng: random.Random) -> str:
    memory = str(context.get("memory") or "")
    score = importance_of(memory, rng)
    if context.get("kind") == "chat":
        score = max(score, rng.randint(3, 5))
    return render_json(rng, {"poignancy": score}, compact=0.7, fence=0.05)


def answer_poignancy_batch(context: Mapping[str, Any], rng: random.Random) -> str:
    """One score per numbered memory, each as :func:`answer_poignancy` rates it alone."""
    scores = []
    for item in context.get("memories") or ():
        memory = str(_map(item).get("memory") or "")
        score = importance_of(memory, rng)
        if _map(item).get("kind") == "chat":
            score = max(score, rng.randint(3, 5))
        scores.append(score)
    return render_json(rng, {"poignancy": scores}, compact=0.7, fence=0.05)


def answer_focal_points(context: Mapping[str, Any], rng: random.Random) -> str:
    persona = _map(context.get("persona"))
    name = first_name(str(persona.get("name") or "They"))
    statements = _texts(context.get("statements"))
    people, _ = proper_names(statements, str(persona.get("name") or ""))
    questions = [f"What matters most to {name} these days?"]
    if people:
        other = max(people, key=lambda p: (people[p], p))
        questions.append(f"How does {name} feel about {other}?")
    questions.append(
        pick(
            rng,
            (
                f"What is {name} looking forward to?",
                f"How is {name}'s work going?",
                f"What has {name} been worried about?",
            ),
        )
    )
    return render_json(rng, {"questions": questions[:3]}, fence=0.1)


def answer_insights(context: Mapping[str, Any], rng: random.Random) -> str:
    persona = _map(context.get("persona"))
    name = str(persona.get("name") or "They")
    raw = _texts(context.get("statements"))
    statements = [s.split(". ", 1)[1] if ". " in s[:5] else s for s in raw]
    found = insights(name, statements, rng)
    out = []
    for text in found[:5]:
        words = {w.lower() for w in re.findall(r"[A-Za-z]{5,}", text)} - {name.lower()}
        evidence = [
            i + 1
            for i, s in enumerate(statements)
            if words & {w.lower() for w in re.findall(r"[A-Za-z]{5,}", s)}
        ][:4] or [1]
        item: dict[str, Any] = {"insight": text, "because_of": evidence}
        out.append(item)
    try:
        want = max(1, min(8, int(context.get("count") or 3)))
    except (TypeError, ValueError):
        want = 3
    news = [(i, s) for i, s in enumerate(statements) if is_news(s)]
    me = first_name(name)
    used: set[int] = set()
    tried = 0
    while len(out) < want and news and tried < 3 * want:
        tried += 1
        i, fact = pick(rng, news)
        said = fact_insight(name, fact, rng) if i not in used else None
        if said is None:
            continue
        used.add(i)
        out.append({"insight": said, "because_of": [i + 1]})
    # what the sightings add up to: where the person spends the day, and with whom
    people, places = sightings(statements)
    others = [p for p in people if first_name(p) != me]
    derived = []
    if places:
        at = "in" if place_type(places[0]) in ("park", "square") else "at"
        derived.append((f"{me} spends a good part of the day {at} {places[0]}", places[0]))
    if others:
        derived.append((f"{me} often crosses paths with {others[0]}", others[0]))
    for text, key in derived:
        if len(out) >= want:
            break
        if any(key in o["insight"] for o in out):
            continue  # said already ("Rosa spends much of the time at Town Hall")
        cited = [i + 1 for i, s in enumerate(statements) if key in s][:4]
        out.append({"insight": text, "because_of": cited or [1]})
    if not out:
        out.append({"insight": f"{me} is going about an ordinary day", "because_of": [1]})
    if context.get("rate_poignancy"):
        for item in out:
            item["poignancy"] = importance_of(item["insight"], rng)
    return render_json(rng, {"insights": out}, fence=0.1)


def answer_decide_talk(context: Mapping[str, Any], rng: random.Random) -> str:
    """Talk now? More likely with people one knows, less so while they work, never twice
    in a row without a pause."""
    sees = _map(context.get("sees"))
    other = str(sees.get("name") or "them")
    doing = str(sees.get("doing") or "").lower()
    memories = " ".join(_texts(context.get("memories_about_them"))).lower()
    p = 0.3
    if any(w in memories for w in _CLOSE):
        p += 0.2
    if str(context.get("last_chat") or "never") == "never":
        p += 0.1
    if any(w in doing for w in _WORK):
        p -= 0.15
    talk = chance(rng, max(0.05, min(0.7, p)))
    reason = (
        pick(
            rng,
            (
                f"It would be nice to catch up with {first_name(other)}.",
                f"{first_name(other)} looks free for a quick chat.",
            ),
        )
        if talk
        else pick(
            rng,
            (
                f"{first_name(other)} seems busy right now.",
                "There is no particular reason to talk now.",
                "They talked not long ago.",
            ),
        )
    )
    return render_json(rng, {"talk": talk, "reason": reason}, fence=0.05, compact=0.6)


def answer_decide_react(context: Mapping[str, Any], rng: random.Random) -> str:
    wait = chance(rng, 0.6)
    value = {
        "react": "wait" if wait else "continue",
        "minutes": rng.choice((5, 10, 15)),
        "reason": "It won't take long." if wait else "Better to do something else first.",
    }
    return render_json(rng, value, fence=0.05, compact=0.6)


def answer_utterance(context: Mapping[str, Any], rng: random.Random) -> str:
    """A line: Social Memory prompts go straight to the dialogue stand-in; Generative
    Agents' prompt (whole conversation, summary, memories) is read as the same facts: the
    relationship and the news the memories hold (what someone was doing a minute ago, a
    schedule or the relationship fact itself are not things one says)."""
    if "social_memory" in context:
        return answer_conversation(context, rng)
    speaker = _map(context.get("speaker"))
    listener = str(context.get("listener") or "")
    known = read_memories(str(speaker.get("name") or ""), listener, _texts(context.get("memories")))
    adapted = {
        k: v
        for k, v in context.items()
        if k not in ("conversation", "memories", "relationship_summary")
    }
    adapted["last_round"] = [list(x) for x in _lines(context.get("conversation"))[-2:]]
    adapted["social_memory"] = known.as_social()
    return answer_conversation(adapted, rng)


def answer_relationship_summary(context: Mapping[str, Any], rng: random.Random) -> str:
    """Who the other person is to the speaker and what the two have been up to, from the
    retrieved memories (two or three sentences)."""
    persona = _map(context.get("persona"))
    full = str(persona.get("name") or "They")
    name = first_name(full)
    other = str(context.get("other") or "them")
    short = first_name(other)
    known = read_memories(full, other, _texts(context.get("memories")))
    news = "; ".join(_clause(f) for f in known.facts[:2])
    if known.relationship == "unknown":
        return pick(
            rng,
            (
                f"{name} does not know {short} yet; they have hardly talked.",
                f"{name} and {short} have not really met.",
            ),
        )
    if known.relationship == "acquaintance":
        first = pick(
            rng,
            (
                f"{name} knows {short} a little from around town.",
                f"{name} and {short} are on friendly terms but not close.",
            ),
        )
    else:
        first = pick(
            rng,
            (
                f"{short} is {name}'s {known.relationship}.",
                f"{name} and {short} are close: {short} is {name}'s {known.relationship}.",
            ),
        )
    return f"{first} {name} remembers that {news}." if news else first


def _clause(fact: str, words: int = 16) -> str:
    """The first clause of a fact, at most ``words`` words, without its full stop."""
    head = re.split(r"[;:.]\s", fact.strip().rstrip("."), maxsplit=1)[0]
    cut = head.split()
    return " ".join(cut[:words]) + ("..." if len(cut) > words else "")


_SUBJECTS = (
    ("election", "the election"),
    ("party", "the party"),
    ("study group", "the study group"),
    ("exam", "the exams"),
    ("band", "the band"),
    ("work", "work"),
)


def _topic(lines: list[tuple[str, str]]) -> str:
    """What a conversation was about: a topic a line asks about, else a subject it names,
    else how their day was going."""
    for _, line in lines:
        topic = topic_of(line)
        if topic:
            return _as_said(topic, line)
    said = " ".join(line for _, line in lines).lower()
    return next((name for key, name in _SUBJECTS if key in said), "how their day was going")


def _as_said(topic: str, line: str) -> str:
    """The topic as the line wrote it: names keep their capitals ("the election between
    Rosa Delgado and Calvin Reyes"), a word the topic ended inside is whole again."""
    match = re.search(re.escape(topic), line, re.I)
    if match is None:
        return topic
    end = match.end()
    while end < len(line) and (line[end].isalnum() or line[end] == "'"):
        end += 1
    said = line[match.start() : end].rstrip("'")
    first = said.split()[0] if said.split() else ""
    if first[:1].isupper() and first.lower() in ("the", "a", "an", "my", "your", "our"):
        said = first.lower() + said[len(first) :]
    return said


def answer_convo_summary(context: Mapping[str, Any], rng: random.Random) -> str:
    a, b = str(context.get("a") or "A"), str(context.get("b") or "B")
    lines = _lines(context.get("conversation"))
    plan = agreed_plan(lines)
    topic = _topic(lines)
    base = f"{first_name(a)} and {first_name(b)} talked about {topic}"
    if plan is not None:
        base += f" and agreed to go to the {plan.name} {plan.when} at {plan.start}"
    return base + "."


def _is_own_news(sentence: str) -> bool:
    """Whether a sentence someone said is news of their own life worth a memo: not a
    greeting or question, no sighting of what they were doing at an object, not an
    insight of the stand-in's repeated back, no phrase said twice, short enough to keep
    whole."""
    text = sentence.strip()
    words = text.lower().rstrip(".!").split()
    runs = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return (
        bool(_OWN_NEWS.match(text))
        and not _NOT_NEWS.search(text)
        and not is_sighting(text)
        and not is_own_insight(text)
        and len(set(runs)) == len(runs)
        and len(text) <= _MEMO_CHARS
    )


def _at_place(place: str, me: str) -> str:
    """The " at <place>" of an agreed plan; nothing for no place or for the person's own
    ("Marisol should go to the debate at Marisol's" was a misread "my place")."""
    return f" at {place}" if place and place != f"{me}'s" else ""


def answer_convo_memo(context: Mapping[str, Any], rng: random.Random) -> str:
    persona = persona_facts(_map(context.get("persona")))
    other = str(context.get("other") or "them")
    lines = _lines(context.get("conversation"))
    said = [line for who, line in lines if who == other]
    news = [s for line in said for s in _SENTENCE.split(line) if _is_own_news(s)]
    short = first_name(other)
    if news:
        told = max(news, key=len).rstrip(".! ")
        return f"{short} told {persona.first}: {told}."
    plan = agreed_plan(lines)
    if plan is not None:
        at = _at_place(plan.place, persona.first)
        return f"{persona.first} and {short} agreed to go to the {plan.name}{at} {plan.when}."
    return f"{persona.first} chatted with {short} about {_topic(lines)}."


def answer_planning_thought(context: Mapping[str, Any], rng: random.Random) -> str:
    """An agreed meeting as a plan for today or tomorrow (the only days the prompt asks
    about); one later in the week is a thought to keep, with no plan yet."""
    persona = persona_facts(_map(context.get("persona")))
    other = str(context.get("other") or "them")
    plan = agreed_plan(_lines(context.get("conversation")))
    if plan is None:
        value: dict[str, Any] = {
            "thought": f"Nothing new to plan after talking with {first_name(other)}.",
            "plan": None,
        }
    else:
        at = _at_place(plan.place, persona.first)
        value = {
            "thought": f"{persona.first} should go to the {plan.name}{at} with "
            f"{first_name(other)} {plan.when} at {plan.start}.",
            "plan": plan.to_plan() if plan.day in ("today", "tomorrow") else None,
        }
    return render_json(rng, value, fence=0.05)


def answer_joint_relationship(context: Mapping[str, Any], rng: random.Random) -> str:
    a, b = str(context.get("a") or "A"), str(context.get("b") or "B")
    current = _map(context.get("current"))
    transcript = context.get("transcript")
    side_a = build_relationship(
        {
            "persona": {"name": a},
            "other": b,
            "current": current.get("a_about_b"),
            "transcript": transcript,
        },
        rng,
    )
    side_b = build_relationship(
        {
            "persona": {"name": b},
            "other": a,
            "current": current.get("b_about_a"),
            "transcript": transcript,
        },
        rng,
    )
    for side in (side_a, side_b):
        side.pop("plan", None)
    return render_json(rng, {"a_about_b": side_a, "b_about_a": side_b}, fence=0.1)
