"""The evaluation's offline stand-in: interview answers and judge scores from the request's
context, deterministic per (seed, request).

Interview answers are put together from what the prompt carries (the persona, the
memories retrieved for the question, today's plan, the Social Memory rows), so they show
that the retrieval and the prompt plumbing work; judge scores are a few surface checks
(first person, specific, not repetitive) and always carry ``STAND_IN_LABEL``: a smoke test
of the protocol, not evidence of believability.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.eval.llm import STAND_IN_LABEL
from aga_npc.offline.backend import OfflineLLM
from aga_npc.offline.phrasing import make_rng, pick
from aga_npc.prompts import extract_context
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["EvalStandIn", "answer_interview", "answer_judge"]

_WORDS = re.compile(r"[a-z']+")
_TRIVIAL = re.compile(r"\b(is idle|is occupied|is in use|is running|is being)\b")


class EvalStandIn:
    """A backend answering ``interview`` and ``judge`` requests; others go to
    :class:`~aga_npc.offline.backend.OfflineLLM`."""

    name = "offline"
    model = "offline-standin-eval"

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed
        self.inner = OfflineLLM(seed=seed)

    async def complete(self, request: LLMRequest) -> LLMResult:
        module = request.module_name
        if module not in ("interview", "judge"):
            return await self.inner.complete(request)
        rng = make_rng(self.seed, request.content_hash())
        context = extract_context(request.messages) or {}
        text = answer_interview(context, rng) if module == "interview" else answer_judge(context)
        from aga_npc.llm.tokens import count_message_tokens, count_tokens

        return LLMResult(
            text=text,
            usage=Usage(
                prompt_tokens=count_message_tokens(request.messages),
                completion_tokens=count_tokens(text),
            ),
            latency=0.0,
            attempts=1,
            backend=self.name,
            model=self.model,
        )


def _first(persona: Mapping[str, Any]) -> str:
    return str(persona.get("name") or "I").split()[0]


def _own(text: str, persona: Mapping[str, Any]) -> str:
    """One's own recorded activity in the first person ("Marta Ellison: bake bread" -> "I
    bake bread"); other memories as they are."""
    name = str(persona.get("name") or "")
    if name and text.startswith(f"{name}: "):
        return "I " + text[len(name) + 2 :]
    return text


_HOUR = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b", re.I)


def _at(question: str, plan: Sequence[Sequence[Any]], rng: random.Random) -> Sequence[Any]:
    """The plan row running at the hour the question names, else a leisure-like one."""
    match = _HOUR.search(question)
    if match:
        hour = int(match.group(1)) % 12 + (12 if (match.group(3) or "").lower() == "pm" else 0)
        if not match.group(3):
            hour = int(match.group(1))
        want = f"{hour:02d}:{match.group(2) or '00'}"
        earlier = [row for row in plan if str(row[0]) <= want]
        if earlier:
            return earlier[-1]
    return pick(rng, plan)


def _bare(activity: str, persona: Mapping[str, Any]) -> str:
    first = _first(persona)
    text = activity.strip().rstrip(".")
    if text.startswith(first + " "):
        text = text[len(first) + 1 :]
        verb, _, rest = text.partition(" ")
        if verb.endswith("ies"):
            verb = verb[:-3] + "y"
        elif verb.endswith(("ches", "shes", "sses", "xes", "oes")):
            verb = verb[:-2]
        elif verb.endswith("s") and not verb.endswith("ss"):
            verb = verb[:-1]
        text = f"{verb} {rest}".strip()
    return text[:1].lower() + text[1:]


def _useful(memories: Sequence[Any]) -> list[str]:
    return [str(m) for m in memories if str(m).strip() and not _TRIVIAL.search(str(m))]


def answer_interview(context: Mapping[str, Any], rng: random.Random) -> str:
    """A first-person answer to the interview question from the context's facts."""
    persona = context.get("persona") if isinstance(context.get("persona"), Mapping) else {}
    persona = persona or {}
    category = str(context.get("category") or "")
    memories = _useful(context.get("memories") or ())
    plan = [row for row in context.get("plan") or () if isinstance(row, Sequence)]
    people = [row for row in context.get("relationships") or () if isinstance(row, Mapping)]
    role = str(persona.get("role") or "")
    work = str(persona.get("workplace") or "")
    question = str(context.get("question") or "")
    asked = set(_WORDS.findall(question.lower()))
    named = [p for p in people if str(p.get("name", "")).split()[0].lower() in asked]
    if category == "self" and {"job", "work"} & asked and role:
        life = str(persona.get("lifestyle") or "").split(". ")[0].rstrip(".")
        return f"I'm the {role} at {work or 'home'}. {life}.".replace(" .", "").strip()
    if category == "self":
        traits = ", ".join(str(t) for t in (persona.get("traits") or ())[:2])
        job = f" I'm the {role} at {work}." if role and work else ""
        now = str(persona.get("currently") or "").rstrip(".")
        about = f" People say I'm {traits}." if traits else ""
        return f"I'm {persona.get('name', 'me')}.{job}{about} {now}.".replace(" .", "").strip()
    if category == "plans" and plan:
        item = _at(question, plan, rng)
        return f"At {item[0]} I plan to {_bare(str(item[1]), persona)} at {item[2]}."
    if category == "reflections" and named:
        person = named[0]
        feeling = str(person.get("feeling") or "").rstrip(".")
        label = str(person.get("relationship") or "someone I know")
        return f"{person.get('name')} is my {label}; {feeling or 'we get along'}.".strip()
    if category == "reactions" and named:
        who = str(named[0].get("name")).split()[0]
        return pick(rng, (f"I'd check on {who} and bring some soup.", f"I'd go and see {who}."))
    if category == "reactions":
        return pick(rng, ("I'd sort it out straight away.", "I'd stop what I'm doing and fix it."))
    if memories:
        return f"I remember this: {_own(memories[0], persona).rstrip('.')}."
    return "I don't remember anything about that."


def _verdict(score: int, why: str) -> str:
    return json.dumps({"score": score, "reason": f"{STAND_IN_LABEL}; {why}"}, ensure_ascii=False)


def answer_judge(context: Mapping[str, Any]) -> str:
    """A 1-5 score by surface checks, as the judge's JSON (labelled as the stand-in's)."""
    kind = str(context.get("kind") or "")
    item = context.get("item")
    if kind == "dialogue":
        lines = [str(x[1]) for x in item or () if isinstance(x, Sequence) and len(x) == 2]
        distinct = len(set(lines)) / len(lines) if lines else 0.0
        score = 1 if not lines else 2 + (len(lines) >= 4) + (distinct > 0.9) + (len(lines) >= 8)
        return _verdict(score, f"{len(lines)} lines, {distinct:.0%} distinct")
    if kind == "activity log":
        acts = [str(a) for a in item or ()]
        distinct = len({a.lower() for a in acts}) / len(acts) if acts else 0.0
        score = 1 if not acts else 2 + (len(acts) >= 8) + (distinct > 0.8) + (len(acts) <= 20)
        return _verdict(score, f"{len(acts)} activities, {distinct:.0%} distinct")
    text = str(item or "")
    words = _WORDS.findall(text.lower())
    first_person = bool({"i", "i'm", "i'd", "my", "me"} & set(words))
    vague = "don't remember" in text.lower()
    fits = 8 <= len(words) <= 60
    score = 1 if not words else 2 + first_person + fits + (not vague)
    return _verdict(
        score,
        f"{'first person' if first_person else 'not first person'}, {len(words)} words"
        + (", remembers nothing" if vague else ""),
    )
