"""Interviews (Generative Agents' evaluation): questions of five categories put to an agent
of a finished run, answered through the agent's own memory retrieval and persona.

Each question retrieves the agent's memories for it (the stream's recency, importance and
relevance scoring, with the question's embedding, as a conversation line does) and asks the
agents' model with the persona, those memories, today's plan and the Social Memory rows.
The question set is a TOML file (``aga_npc/eval/data/questions.toml`` is the default).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from aga_npc.embed.cache import CachedEmbedder
from aga_npc.errors import ConfigError
from aga_npc.eval.llm import EvalLLM
from aga_npc.planning.schedule import format_hhmm
from aga_npc.prompts.format import DATA_NOTE, envelope
from aga_npc.prompts.persona import identity
from aga_npc.town.town import Town
from aga_npc.types import LLMRequest

__all__ = [
    "CATEGORIES",
    "Question",
    "interview",
    "interview_messages",
    "load_questions",
]

CATEGORIES = ("self", "memory", "plans", "reactions", "reflections")
RECALL = 6
DAY = 1440


@dataclass(frozen=True, slots=True)
class Question:
    category: str
    text: str


def load_questions(path: Path | None = None) -> list[Question]:
    """The question set of a TOML file (``[[question]]`` with ``category`` and ``text``),
    the bundled one when ``path`` is None.

    Raises:
        ConfigError: unreadable, no questions, an unknown category or an empty text.
    """
    where = str(path) if path is not None else "the bundled questions.toml"
    try:
        if path is None:
            raw = (
                resources.files("aga_npc.eval")
                .joinpath("data", "questions.toml")
                .read_text(encoding="utf-8")
            )
        else:
            raw = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    rows = data.get("question")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{where}: no [[question]] entries")
    out = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise ConfigError(f"{where}: question {i} is not a table")
        category = str(row.get("category", "")).strip()
        text = str(row.get("text", "")).strip()
        if category not in CATEGORIES:
            raise ConfigError(
                f"{where}: question {i} has category {category!r}; use one of "
                f"{', '.join(CATEGORIES)}"
            )
        if not text:
            raise ConfigError(f"{where}: question {i} has no text")
        out.append(Question(category, text))
    return out


def interview_messages(
    *,
    persona: dict[str, Any],
    question: Question,
    asked: str,
    memories: Sequence[str],
    plan: Sequence[Sequence[str]],
    relationships: Sequence[dict[str, Any]],
    time: str,
) -> tuple[Any, ...]:
    """The interview prompt (the same envelope as every prompt of the loop)."""
    name = str(persona.get("name", "the resident"))
    return envelope(
        system=(
            f"You are {name}, a resident of a small town, answering an interviewer in "
            f"the first person, as yourself. {DATA_NOTE}"
        ),
        module="interview",
        context={
            "persona": identity(persona),
            "time": time,
            "plan": [list(row) for row in plan],
            "relationships": list(relationships),
            "memories": list(memories),
            "category": question.category,
            "question": asked,
        },
        task=(
            f"Answer the interviewer's question as {name} in one to three sentences, from "
            "your persona, your memories, your plan and the people you know. When your "
            "memories do not say, say you do not remember rather than invent."
        ),
    )


def _unit(vec: Any) -> Any:
    arr = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm else arr


def interview(
    town: Town,
    names: Sequence[str],
    questions: Sequence[Question],
    llm: EvalLLM,
    embedder: CachedEmbedder,
) -> list[dict[str, Any]]:
    """Ask every question of every named agent; one row per answer with the memories the
    question retrieved (the evidence the answer had)."""
    now = town.now
    requests: list[LLMRequest] = []
    rows: list[dict[str, Any]] = []
    for name in names:
        brain = town.brains[name]
        persona = brain.profile.prompt_fields()
        relations = brain.relationships()
        ranked = sorted(relations.items(), key=lambda kv: -float(kv[1].get("closeness", 0)))
        other = ranked[0][0] if ranked else "your neighbour"
        place = str(persona.get("workplace") or persona.get("home") or "town")
        social = [
            {
                "name": who,
                "relationship": str(row.get("relationship", "")),
                "feeling": str(row.get("feeling", "")),
                "closeness": round(float(row.get("closeness", 0.0)), 1),
            }
            for who, row in ranked
        ]
        plan = [tuple(row) for row in brain.snapshot().schedule]
        for question in questions:
            asked = question.text.replace("{other}", other).replace("{place}", place)
            vector = _unit(embedder.embed([asked])[0])
            hits = brain.mind.retrieve(vector, now, RECALL, touch=False)
            memories = [hit.event.describe() for hit in hits]
            messages = interview_messages(
                persona=persona,
                question=question,
                asked=asked,
                memories=memories,
                plan=plan,
                relationships=social,
                time=f"day {now // DAY + 1}, {format_hhmm(now % DAY)}",
            )
            requests.append(
                LLMRequest(
                    agent=name,
                    module="interview",
                    messages=messages,
                    max_tokens=200,
                    temperature=0.7,
                )
            )
            rows.append(
                {
                    "agent": name,
                    "category": question.category,
                    "question": asked,
                    "memories": memories,
                }
            )
    for row, answer in zip(rows, llm.ask(requests), strict=True):
        row["answer"] = answer.result.text.strip() if answer.result is not None else ""
        row["error"] = answer.error
    return rows
