"""Seeded choice helpers and answer rendering (JSON styles, casing) for the offline stand-in."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

__all__ = [
    "capitalise",
    "chance",
    "fill",
    "make_rng",
    "pick",
    "pick_weighted",
    "render_json",
    "round5",
    "wordset",
]

T = TypeVar("T")


def make_rng(seed: int, content_hash: str) -> random.Random:
    """A generator seeded by the backend seed and the request's content hash.

    String seeds are hashed with SHA-512 by ``random.Random``, so the sequence is the same
    in every process regardless of ``PYTHONHASHSEED``.
    """
    return random.Random(f"offline:{seed}:{content_hash}")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One element of a non-empty sequence."""
    return options[rng.randrange(len(options))]


def pick_weighted(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    """One element, with probability proportional to its weight."""
    total = sum(weights)
    if total <= 0:
        return pick(rng, options)
    target = rng.random() * total
    acc = 0.0
    for option, weight in zip(options, weights, strict=True):
        acc += weight
        if target < acc:
            return option
    return options[-1]


def chance(rng: random.Random, p: float) -> bool:
    """True with probability ``p``."""
    return rng.random() < p


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a table literal, as a frozenset."""
    return frozenset(text.split())


def round5(minutes: float) -> int:
    """Round to the nearest 5 minutes (plans read like a person wrote them)."""
    return int(5 * round(minutes / 5))


def fill(template: str, values: Mapping[str, str]) -> str:
    """``str.format`` with the given values; unknown placeholders are left as they are."""
    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError):
        return template


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def capitalise(text: str) -> str:
    """First letter upper-case, the rest unchanged."""
    return text[:1].upper() + text[1:] if text else text


def render_json(
    rng: random.Random,
    value: Any,
    *,
    lead_ins: Sequence[str] = (),
    fence: float = 0.15,
    lead: float = 0.1,
    compact: float = 0.0,
) -> str:
    """Render a JSON answer the way chat models do: usually pretty-printed and bare,
    sometimes inside a ```json fence, sometimes after a short sentence.

    Args:
        rng: the request's generator.
        value: the JSON value.
        lead_ins: sentences that may precede the JSON (must not contain braces).
        fence: probability of a code fence.
        lead: probability of a lead-in sentence (only when ``lead_ins`` is given).
        compact: probability of single-line JSON instead of 2-space indentation.
    """
    if chance(rng, compact):
        body = json.dumps(value, ensure_ascii=False)
    else:
        body = json.dumps(value, ensure_ascii=False, indent=2)
    roll = rng.random()
    if lead_ins and roll < lead:
        sentence = pick(rng, lead_ins)
        if chance(rng, 0.6):
            return f"{sentence}\n\n```json\n{body}\n```"
        return f"{sentence}\n\n{body}"
    if roll < lead + fence:
        return f"```json\n{body}\n```"
    return body
