"""The "same plan" rule: place, cosine thresholds and the look-alike check; ``plan_similarity``.

A plan is an activity at a place. Two plans at different places never mean the same (a
routine learned at home does not serve a plan at work); the store only compares plans of one
place. At one place (or when no places are given) two plans mean the same when (after
normalisation) their texts are equal, or

- no look-alike conflict separates them (:func:`~aga_npc.policy.signature.lookalike_reason`:
  different main activities, unless one refines the other as "mop" refines "clean"; or
  different members of an object class: "breakfast" vs "lunch", "home" vs "a friend's
  house"), and
- when they open with different verbs and the lexicon does not know one of them
  ("tuning" vs "playing" the guitar), their cosine reaches ``strict_threshold``;
- otherwise their cosine reaches ``threshold``, or the lower ``agree_threshold`` while both
  texts name the same main activity and, when both name objects (what the activity is done
  with, to or where), some of them are the same ("reading the newspaper" and "reading a
  novel" are different plans at cosine 0.52).

The words are data (``aga_npc/policy/lexicon.toml``). The thresholds are calibrated per
embedder (``MatchSettings.for_embedder``); the local MiniLM values come from the calibration
split of ``tests/data/plan_pairs.jsonl`` (``benchmarks/plan_matching.py`` reports precision
and recall on the held-out split).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from aga_npc.places import place_label
from aga_npc.policy.signature import (
    Signature,
    lookalike_reason,
    normalise_text,
    objects_differ,
    signature,
    unverified_heads,
)

if TYPE_CHECKING:
    from aga_npc.ports import Embedder

__all__ = ["MatchSettings", "PlanDecision", "decide", "decide_signatures", "plan_similarity"]

# (threshold, agree_threshold, strict_threshold) per embedder family. Only "local" is
# calibrated on the dev set.
_CALIBRATED = {
    "local": (0.72, 0.50, 0.88),
    "hashing": (0.60, 0.45, 0.85),
    "openai": (0.72, 0.50, 0.88),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """Settings of the same-plan rule and of candidate search.

    Attributes:
        threshold: cosine at or above which plans match when nothing conflicts.
        agree_threshold: lower cosine that suffices when both plans name the same main
            activity and nothing conflicts.
        strict_threshold: cosine needed when the plans open with different verbs the
            lexicon cannot compare.
        lookalike_check: apply the activity/object look-alike check (off: cosine only).
        candidates: nearest stored plans examined per scope.
    """

    threshold: float = _CALIBRATED["local"][0]
    agree_threshold: float = _CALIBRATED["local"][1]
    strict_threshold: float = _CALIBRATED["local"][2]
    lookalike_check: bool = True
    candidates: int = 5

    def __post_init__(self) -> None:
        if not -1.0 <= self.agree_threshold <= self.threshold <= self.strict_threshold <= 1.0:
            raise ValueError(
                "need -1 <= agree_threshold <= threshold <= strict_threshold <= 1, got "
                f"{self.agree_threshold}, {self.threshold}, {self.strict_threshold}"
            )
        if self.candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {self.candidates}")

    @classmethod
    def for_embedder(cls, name: str) -> MatchSettings:
        """Defaults for an embedder name (``local:...``, ``openai:...``, ``hashing:...``).

        Only the local MiniLM values are calibrated; the openai values reuse them and
        should be recalibrated with ``benchmarks/plan_matching.py`` for a given model.
        """
        family = name.split(":", 1)[0]
        threshold, agree, strict = _CALIBRATED.get(family, _CALIBRATED["local"])
        return cls(threshold=threshold, agree_threshold=agree, strict_threshold=strict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanDecision:
    """Whether two plans mean the same, and why.

    Attributes:
        same: the decision.
        cosine: cosine similarity of the two embeddings (1.0 for an exact text match).
        rule: ``exact``, ``similar``, ``same-activity``, ``lookalike`` (a conflict, or
            verbs the lexicon cannot compare below ``strict_threshold``),
            ``below-threshold`` or ``place`` (planned at different places).
        reason: a human-readable explanation (for the ledger and the debug overlay).
    """

    same: bool
    cosine: float
    rule: str
    reason: str = ""


def decide_signatures(
    a: Signature, b: Signature, cosine: float, settings: MatchSettings
) -> PlanDecision:
    """Apply the rule to precomputed signatures (the store's fast path; no exact check)."""
    if cosine < settings.agree_threshold:
        return PlanDecision(
            same=False,
            cosine=cosine,
            rule="below-threshold",
            reason=f"cosine {cosine:.3f} < {settings.agree_threshold:.2f}",
        )
    if settings.lookalike_check:
        conflict = lookalike_reason(a, b)
        if conflict is not None:
            return PlanDecision(same=False, cosine=cosine, rule="lookalike", reason=conflict)
        if unverified_heads(a, b):
            if cosine >= settings.strict_threshold:
                return PlanDecision(
                    same=True, cosine=cosine, rule="similar", reason=f"cosine {cosine:.3f}"
                )
            return PlanDecision(
                same=False,
                cosine=cosine,
                rule="lookalike",
                reason=f"verbs {a.head} vs {b.head} unknown to the lexicon, cosine "
                f"{cosine:.3f} < {settings.strict_threshold:.2f}",
            )
    if cosine >= settings.threshold:
        return PlanDecision(same=True, cosine=cosine, rule="similar", reason=f"cosine {cosine:.3f}")
    same_activity = a.main is not None and (
        a.main == b.main or set(a.tags) == set(b.tags) or bool(set(a.mains) & set(b.mains))
    )
    if settings.lookalike_check and same_activity:
        differ = objects_differ(a, b)
        if differ is not None:
            return PlanDecision(
                same=False,
                cosine=cosine,
                rule="lookalike",
                reason=f"both {a.main}, {differ}, cosine {cosine:.3f} < {settings.threshold:.2f}",
            )
        return PlanDecision(
            same=True,
            cosine=cosine,
            rule="same-activity",
            reason=f"cosine {cosine:.3f}, both {a.main}",
        )
    return PlanDecision(
        same=False,
        cosine=cosine,
        rule="below-threshold",
        reason=f"cosine {cosine:.3f} < {settings.threshold:.2f}",
    )


def decide(
    a: str,
    b: str,
    cosine: float,
    settings: MatchSettings | None = None,
    *,
    places: tuple[str, str] | None = None,
) -> PlanDecision:
    """Decide whether plan texts ``a`` and ``b`` (with embedding cosine ``cosine``) match.

    Args:
        a: a plan text (the activity words).
        b: another.
        cosine: the cosine of their embeddings.
        settings: the thresholds (default: the local embedder's).
        places: the places the two are planned at (``@home``, ``@work``, a sector);
            different places never match. None compares the texts alone.
    """
    settings = settings or MatchSettings()
    if places is not None and places[0] != places[1]:
        return PlanDecision(
            same=False,
            cosine=cosine,
            rule="place",
            reason=f"{place_label(places[0])} vs {place_label(places[1])}",
        )
    if normalise_text(a) == normalise_text(b):
        return PlanDecision(same=True, cosine=1.0, rule="exact", reason="same text")
    return decide_signatures(signature(a), signature(b), cosine, settings)


@functools.lru_cache(maxsize=1)
def _default_embedder() -> Embedder:
    from aga_npc.config import Settings
    from aga_npc.embed import build_embedder

    return build_embedder(Settings.from_env())


def plan_similarity(
    a: str,
    b: str,
    *,
    embedder: Embedder | None = None,
    settings: MatchSettings | None = None,
    places: tuple[str, str] | None = None,
) -> PlanDecision:
    """Do plans ``a`` and ``b`` mean the same? The Lifestyle Policy's rule (DESIGN.md §5).

    Embeds both texts (blocking: for tools and tests, not for the frame loop).

    Args:
        a: a plan text.
        b: another plan text.
        embedder: default: the configured embedder (``AGA_EMBED``, local MiniLM unless set),
            built once per process.
        settings: default: ``MatchSettings.for_embedder(embedder.name)``.
        places: the two plans' places; different places never match.

    Returns:
        A :class:`PlanDecision` with ``.same`` and ``.cosine``.

    Raises:
        EmbeddingError: the embedder failed.
    """
    embedder = embedder if embedder is not None else _default_embedder()
    settings = settings or MatchSettings.for_embedder(embedder.name)
    vectors = np.asarray(embedder.embed([a, b]), dtype=np.float32)
    cosine = float(np.clip(vectors[0] @ vectors[1], -1.0, 1.0))
    return decide(a, b, cosine, settings, places=places)
