"""The judge: an evaluator model scores interview answers, activity logs and dialogues on
a 1-5 human-likeness scale with a short reason (the paper's LLM evaluator).

The answer is JSON with a schema (``JUDGE_SCHEMA``), parsed and validated
(:func:`validate_verdict`); a reply that stays malformed after the stack's re-ask is
recorded as unscored with the reply, never guessed. ``summarise`` gives the mean and the
spread per mode and kind. Offline the judge is the stand-in and every figure says so
(``STAND_IN_LABEL``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.eval.llm import STAND_IN_LABEL, EvalLLM
from aga_npc.llm.schemas import with_schema
from aga_npc.prompts.format import DATA_NOTE, envelope
from aga_npc.types import LLMRequest

__all__ = [
    "JUDGE_SCHEMA",
    "KINDS",
    "Item",
    "Verdict",
    "judge",
    "judge_messages",
    "summarise",
    "validate_verdict",
]

KINDS = ("interview answer", "activity log", "dialogue")
MAX_REASON = 400

JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 1, "maximum": 5},
        "reason": {"type": "string", "minLength": 1, "maxLength": MAX_REASON},
    },
    "required": ["score", "reason"],
}
"""The judge's answer: ``{"score": 1-5, "reason": "..."}``."""


@dataclass(frozen=True, slots=True)
class Verdict:
    score: int
    reason: str


def validate_verdict(value: Any) -> Verdict:
    """The verdict of a parsed judge answer.

    Raises:
        ValueError: not an object, no integer score 1..5 (a whole-number float or a digit
            string is read as one), or no reason.
    """
    if not isinstance(value, Mapping):
        raise ValueError("the judge's answer is not a JSON object")
    score = value.get("score")
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValueError(f"score must be an integer 1..5, got {value.get('score')!r}")
    reason = value.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("reason must be a non-empty string")
    return Verdict(score, reason.strip()[:MAX_REASON])


@with_schema(JUDGE_SCHEMA)
def _check(value: Any) -> Verdict:
    """The stack's validator: the verdict becomes the result's ``parsed`` (it declares
    ``JUDGE_SCHEMA`` to servers that constrain their output to one)."""
    return validate_verdict(value)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to judge: ``kind`` (one of ``KINDS``), the mode of the run, who, and the
    item (an answer's text, a list of activities, a list of ``[speaker, line]``)."""

    kind: str
    mode: str
    agent: str
    item: Any
    question: str = ""
    persona: Mapping[str, Any] | None = None


_RUBRIC = (
    "5: indistinguishable from a real person's; 4: believable with small oddities; "
    "3: plausible but generic or mechanical; 2: several unnatural parts; 1: not human-like."
)


def judge_messages(item: Item) -> tuple[Any, ...]:
    """The judge's prompt for one item."""
    context: dict[str, Any] = {"kind": item.kind, "agent": item.agent, "item": item.item}
    if item.question:
        context["question"] = item.question
    if item.persona:
        context["persona"] = dict(item.persona)
    return envelope(
        system=(
            "You are an evaluator of believable simulated people. You judge how human-like "
            f"a resident's behaviour is, strictly and briefly. {DATA_NOTE}"
        ),
        module="judge",
        context=context,
        task=(
            f"Rate the {item.kind} of {item.agent} for human-likeness on a 1-5 scale "
            f"({_RUBRIC}) and give the main reason in one sentence."
        ),
        answer_format='{"score": 4, "reason": "..."}',
    )


def judge(items: Sequence[Item], llm: EvalLLM) -> list[dict[str, Any]]:
    """Score every item; one row each (``score`` None and ``error`` set when the judge's
    answer could not be parsed and validated, with its ``raw`` reply)."""
    requests = [
        LLMRequest(
            agent="judge",
            module="judge",
            messages=judge_messages(item),
            json=True,
            validator=_check,
            max_tokens=200,
            temperature=0.0,
        )
        for item in items
    ]
    rows = []
    label = STAND_IN_LABEL if llm.stand_in else ""
    for item, answer in zip(items, llm.ask(requests), strict=True):
        row: dict[str, Any] = {"kind": item.kind, "mode": item.mode, "agent": item.agent}
        if item.question:
            row["question"] = item.question
        verdict = None
        error = answer.error
        if answer.result is not None:
            parsed = answer.result.parsed
            try:
                verdict = parsed if isinstance(parsed, Verdict) else validate_verdict(parsed)
            except ValueError as exc:
                error = f"invalid verdict: {exc}"
        if verdict is None:
            row.update(score=None, reason="", error=error or "no answer", raw=answer.raw)
        else:
            row.update(score=verdict.score, reason=verdict.reason)
        if label:
            row["label"] = label
        rows.append(row)
    return rows


def _spread(scores: list[int]) -> dict[str, Any]:
    if not scores:
        return {"n": 0, "mean": None, "sd": None, "min": None, "max": None}
    mean = sum(scores) / len(scores)
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    return {
        "n": len(scores),
        "mean": round(mean, 3),
        "sd": round(sd, 3),
        "min": min(scores),
        "max": max(scores),
    }


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{mode: {kind: {n, mean, sd, min, max, unscored}, "all": {...}}}`` (sd: population
    standard deviation; ``unscored``: answers that failed the schema)."""
    by: dict[str, dict[str, list[int]]] = {}
    bad: dict[str, dict[str, int]] = {}
    for row in rows:
        mode, kind = str(row["mode"]), str(row["kind"])
        by.setdefault(mode, {}).setdefault(kind, [])
        by[mode].setdefault("all", [])
        bad.setdefault(mode, {}).setdefault(kind, 0)
        bad[mode].setdefault("all", 0)
        if row.get("score") is None:
            bad[mode][kind] += 1
            bad[mode]["all"] += 1
        else:
            by[mode][kind].append(int(row["score"]))
            by[mode]["all"].append(int(row["score"]))
    return {
        mode: {kind: {**_spread(s), "unscored": bad[mode][kind]} for kind, s in kinds.items()}
        for mode, kinds in by.items()
    }
