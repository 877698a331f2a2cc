"""The "same plan" rule: place, the look-alike check and cosine needs; ``plan_similarity``.

A plan is an activity at a place. Two plans at different places never mean the same (a
routine learned at home does not serve a plan at work); the store only compares plans of one
place. At one place (or when no places are given) two plans mean the same when (after
normalisation) their texts are equal, or they say the same words once their frames are set
aside ("As usual, make time to water the plants" and "water the plants"), or

- no look-alike conflict separates them (:func:`~aga_npc.policy.lookalike.lookalike_reason`:
  main activities that clearly differ, "cook" vs "eat" or "stock" vs "serve", unless one
  refines the other as "mop" refines "clean" or they are kin; or different members of an
  object class: "breakfast" vs "lunch", "home" vs "a friend's house"), and
- their cosine reaches what their words leave open (:class:`CosineNeeds`): little when both
  name one activity and their objects agree ("curl up with a novel" and "read on the
  sofa"), more when the activities are only kin, the objects differ ("reading the
  newspaper" and "reading a novel") or a verb is one the lexicon does not know.

The words are data (``aga_npc/policy/lexicon.toml``). The needs are calibrated per embedder
(``MatchSettings.for_embedder``); the local MiniLM values come from the calibration split of
``tests/data/plan_pairs.jsonl``, chosen by cross-validation (``benchmarks/plan_matching.py``
reports precision and recall on the held-out split).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from aga_npc.places import place_label
from aga_npc.policy.lookalike import Agreement, ObjectFit, agreement, lookalike_reason, object_fit
from aga_npc.policy.signature import Signature, normalise_text, signature

if TYPE_CHECKING:
    from aga_npc.ports import Embedder

__all__ = [
    "CosineNeeds",
    "MatchSettings",
    "PlanDecision",
    "decide",
    "decide_signatures",
    "plan_similarity",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CosineNeeds:
    """The cosine two plans that do not conflict need, by how far their words agree.

    Rows: the activities are the same (or one refines the other), only kin, or open (a
    text names no activity, or opens with a verb the lexicon does not know). Columns: the
    objects are shared, open (one text names none) or disjoint.
    """

    same_shared: float
    same_open: float
    same_disjoint: float
    kin_shared: float
    kin_open: float
    kin_disjoint: float
    open_shared: float
    open_open: float
    open_disjoint: float

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not -1.0 <= value <= 1.0:
                raise ValueError(f"CosineNeeds.{f.name} must be within [-1, 1], got {value}")

    def need(self, level: Agreement, fit: ObjectFit) -> float:
        """The cosine needed for activities that agree as ``level`` and objects as ``fit``."""
        value: float = getattr(self, f"{level.value}_{fit.value}")
        return value

    @property
    def floor(self) -> float:
        """The least any pair needs: below it nothing matches (and nothing is compared)."""
        return min(getattr(self, f.name) for f in fields(self))


# Calibrated on the calib split (local MiniLM; benchmarks/plan_matching.py --split calib
# --cv 5): per tier the cosine that best trades hits for false hits (4 hits for one false
# hit; 5-fold cross-validation on calib: precision 0.987-0.988, recall 0.961-0.962), then
# made monotone (kin needs at least what one activity needs, unknown verbs at least what
# kin ones need) where a tier has too few pairs to speak for itself (kin with disjoint
# objects, unknown verbs).
_LOCAL = CosineNeeds(
    same_shared=0.16,
    same_open=0.31,
    same_disjoint=0.69,
    kin_shared=0.20,
    kin_open=0.71,
    kin_disjoint=0.80,
    open_shared=0.86,
    open_open=0.86,
    open_disjoint=0.90,
)
# Not calibrated: the hashing embedder's cosines run lower (bag of words).
_HASHING = CosineNeeds(
    same_shared=0.45,
    same_open=0.45,
    same_disjoint=0.60,
    kin_shared=0.60,
    kin_open=0.60,
    kin_disjoint=0.60,
    open_shared=0.85,
    open_open=0.85,
    open_disjoint=0.85,
)
# (needs, cosine-only threshold) per embedder family; "openai" reuses the local values.
_CALIBRATED = {"local": (_LOCAL, 0.72), "hashing": (_HASHING, 0.60), "openai": (_LOCAL, 0.72)}


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """Settings of the same-plan rule and of candidate search.

    Attributes:
        needs: the cosine plans need when nothing conflicts, by how far their words agree.
        threshold: the cosine-only rule's threshold (used when ``lookalike_check`` is off).
        lookalike_check: apply the look-alike check and the needs (off: cosine only).
        candidates: nearest stored plans examined per scope.
    """

    needs: CosineNeeds = _LOCAL
    threshold: float = _CALIBRATED["local"][1]
    lookalike_check: bool = True
    candidates: int = 5

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be within [-1, 1], got {self.threshold}")
        if self.candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {self.candidates}")

    @classmethod
    def for_embedder(cls, name: str) -> MatchSettings:
        """Defaults for an embedder name (``local:...``, ``openai:...``, ``hashing:...``).

        Only the local MiniLM values are calibrated; the openai values reuse them and
        should be recalibrated with ``benchmarks/plan_matching.py`` for a given model.
        """
        family = name.split(":", 1)[0]
        needs, threshold = _CALIBRATED.get(family, _CALIBRATED["local"])
        return cls(needs=needs, threshold=threshold)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanDecision:
    """Whether two plans mean the same, and why.

    Attributes:
        same: the decision.
        cosine: cosine similarity of the two embeddings (1.0 for an exact text match).
        rule: ``exact``, ``same-words`` (equal once frames are set aside), ``similar``
            (matched on cosine), ``lookalike`` (a conflict), ``below-threshold`` (the
            cosine is short of what the words need) or ``place`` (planned at different
            places).
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
    if a.core and a.core == b.core:
        return PlanDecision(
            same=True, cosine=cosine, rule="same-words", reason="the same words around frames"
        )
    if not settings.lookalike_check:
        same = cosine >= settings.threshold
        return PlanDecision(
            same=same,
            cosine=cosine,
            rule="similar" if same else "below-threshold",
            reason=f"cosine {cosine:.3f}",
        )
    needs = settings.needs
    if cosine < needs.floor:
        return PlanDecision(
            same=False,
            cosine=cosine,
            rule="below-threshold",
            reason=f"cosine {cosine:.3f} < {needs.floor:.2f}",
        )
    conflict = lookalike_reason(a, b)
    if conflict is not None:
        return PlanDecision(same=False, cosine=cosine, rule="lookalike", reason=conflict)
    level, fit = agreement(a, b), object_fit(a, b)
    need = needs.need(level, fit)
    words = f"activities {level.value}, objects {fit.value}"
    if cosine >= need:
        return PlanDecision(
            same=True, cosine=cosine, rule="similar", reason=f"{words}, cosine {cosine:.3f}"
        )
    return PlanDecision(
        same=False,
        cosine=cosine,
        rule="below-threshold",
        reason=f"{words}, cosine {cosine:.3f} < {need:.2f}",
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
    """Do plans ``a`` and ``b`` mean the same? The Lifestyle Policy's rule (docs/DESIGN.md §4).

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
