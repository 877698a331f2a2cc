"""Memory prompts of Generative Agents' loop: poignancy of every new event, thought and
chat, and reflection (focal points, then insights with evidence)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aga_npc.prompts.format import DATA_NOTE, envelope
from aga_npc.prompts.persona import Persona, identity

__all__ = [
    "focal_points_messages",
    "insights_messages",
    "poignancy_batch_messages",
    "poignancy_messages",
]


def _system(name: str) -> str:
    return (
        f"You are the inner voice of {name}, a resident of a small town in a life "
        "simulation game. Stay in character, keep to the facts in the context, and answer "
        "with one JSON object only, exactly in the answer format. " + DATA_NOTE
    )


def poignancy_messages(*, persona: Persona, memory: str, kind: str) -> tuple[Any, ...]:
    """How poignant one new memory is for the person, 1-10 (``kind``: event, thought or
    chat)."""
    name = str(persona["name"])
    what = {"event": "event", "thought": "thought", "chat": "conversation"}.get(kind, "event")
    return envelope(
        system=_system(name),
        module="poignancy",
        context={"persona": identity(persona), "kind": kind, "memory": memory},
        task=(
            f"On a scale of 1 to 10, where 1 is purely mundane (brushing teeth, making the "
            "bed, a door being closed) and 10 is extremely poignant (a break-up, a college "
            f"acceptance, a death in the family), rate how poignant this {what} is for "
            f"{name}."
        ),
        answer_format='{"poignancy": 3}',
    )


def poignancy_batch_messages(
    *, persona: Persona, memories: Sequence[tuple[str, str]]
) -> tuple[Any, ...]:
    """How poignant each of several new memories is for the person, 1-10, in one call (the
    ``aga`` mode's ``batched_poignancy`` saving). ``memories``: ``(kind, text)`` pairs,
    kind event, thought or chat; the answer lists one score per memory, in order."""
    name = str(persona["name"])
    numbered = [
        {"n": i, "kind": kind, "memory": text} for i, (kind, text) in enumerate(memories, 1)
    ]
    return envelope(
        system=_system(name),
        module="poignancy_batch",
        context={"persona": identity(persona), "memories": numbered},
        task=(
            f"For each numbered memory, on a scale of 1 to 10, where 1 is purely mundane "
            "(brushing teeth, making the bed, a door being closed) and 10 is extremely "
            "poignant (a break-up, a college acceptance, a death in the family), rate how "
            f"poignant it is for {name}. Give exactly {len(numbered)} scores, in the "
            "memories' order."
        ),
        answer_format='{"poignancy": [3, 6]}',
    )


def focal_points_messages(*, persona: Persona, statements: Sequence[str]) -> tuple[Any, ...]:
    """Reflection, step one: the three most salient questions about recent memories."""
    name = str(persona["name"])
    return envelope(
        system=_system(name),
        module="focal_points",
        context={"persona": {"name": name}, "statements": list(statements)},
        task=(
            "Given only the statements above, what are the 3 most salient high-level "
            f"questions we can answer about {name} and the people in the statements?"
        ),
        answer_format='{"questions": ["...", "...", "..."]}',
    )


def insights_messages(
    *,
    persona: Persona,
    question: str,
    statements: Sequence[str],
    count: int,
    with_poignancy: bool = False,
) -> tuple[Any, ...]:
    """Reflection, step two: insights about one focal question, each citing the numbered
    statements it rests on. ``with_poignancy`` (the ``aga`` mode's saving) also asks for
    each insight's poignancy, which Generative Agents asks for in one call per insight."""
    name = str(persona["name"])
    rate = (
        " Also rate each insight's poignancy for the person from 1 (mundane) to 10."
        if with_poignancy
        else ""
    )
    answer = (
        '{"insights": [{"insight": "...", "because_of": [1, 3], "poignancy": 5}, ...]}'
        if with_poignancy
        else '{"insights": [{"insight": "...", "because_of": [1, 3]}, ...]}'
    )
    return envelope(
        system=_system(name),
        module="insights",
        context={
            "persona": {"name": name},
            "question": question,
            "statements": [f"{i + 1}. {s}" for i, s in enumerate(statements)],
            "count": count,
            "rate_poignancy": with_poignancy,
        },
        task=(
            f"What {count} high-level insights can you infer from the statements, about "
            f"the question? Cite the numbers of the statements each insight rests on. For "
            "example: 'Klaus is dedicated to his research' because of 1, 3 and 4." + rate
        ),
        answer_format=answer,
    )
