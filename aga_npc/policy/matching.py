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

With the local MiniLM embedder and the vectors of both texts' parts at hand
(:func:`embedding_texts` names what to embed), the learned rule decides instead of the
needs (:mod:`aga_npc.policy.combiner`): the same vetoes for the conflicts the lexicon is
sure of, then a model trained on the calibration pairs weighs cosines of the texts and of
their parts with the lexicon's reading. Without those vectors (or with another embedder,
for which no weights were trained) the needs decide as above.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from aga_npc.places import place_label
from aga_npc.policy.combiner import LearnedRule, PhraseVectors, packaged_rule, phrase_vectors
from aga_npc.policy.lookalike import (
    Agreement,
    ObjectFit,
    activity_conflict,
    agreement,
    hard_conflict,
    lookalike_reason,
    object_fit,
)
from aga_npc.policy.signature import Signature, normalise_text, signature

if TYPE_CHECKING:
    from aga_npc.ports import Embedder

__all__ = [
    "CosineNeeds",
    "MatchSettings",
    "PlanDecision",
    "decide",
    "decide_signatures",
    "embedding_texts",
    "plan_similarity",
]

VectorOf = Callable[[str], "npt.NDArray[np.float32] | None"]


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
        learned: the learned rule, used when the vectors of both texts' parts are at hand
            (None: the needs always decide). Trained for the local MiniLM embedder only.
    """

    needs: CosineNeeds = _LOCAL
    threshold: float = _CALIBRATED["local"][1]
    lookalike_check: bool = True
    candidates: int = 5
    learned: LearnedRule | None = field(default_factory=packaged_rule)

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be within [-1, 1], got {self.threshold}")
        if self.candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {self.candidates}")

    @classmethod
    def for_embedder(cls, name: str) -> MatchSettings:
        """Defaults for an embedder name (``local:...``, ``openai:...``, ``hashing:...``).

        Only the local MiniLM values are calibrated; the openai values reuse them and
        should be recalibrated with ``benchmarks/plan_matching.py`` for a given model. The
        learned rule is used only with the embedder it was trained on.
        """
        family = name.split(":", 1)[0]
        needs, threshold = _CALIBRATED.get(family, _CALIBRATED["local"])
        learned = packaged_rule()
        if learned is not None and learned.embedder != name:
            learned = None
        return cls(needs=needs, threshold=threshold, learned=learned)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanDecision:
    """Whether two plans mean the same, and why.

    Attributes:
        same: the decision.
        cosine: cosine similarity of the two embeddings (1.0 for an exact text match).
        rule: ``exact``, ``same-words`` (equal once frames are set aside), ``similar``
            (matched on cosine, or by the learned rule), ``lookalike`` (a conflict; with
            the learned rule, a hard one or a rejected pair whose activities conflict),
            ``below-threshold`` (the cosine, or the learned probability, is short of what
            is needed) or ``place`` (planned at different places).
        reason: a human-readable explanation (for the ledger and the debug overlay).
    """

    same: bool
    cosine: float
    rule: str
    reason: str = ""


def decide_signatures(
    a: Signature,
    b: Signature,
    cosine: float,
    settings: MatchSettings,
    parts: tuple[PhraseVectors | None, PhraseVectors | None] | None = None,
) -> PlanDecision:
    """Apply the rule to precomputed signatures (the store's fast path; no exact check).

    ``parts``: the vectors of both texts' parts; with both and ``settings.learned`` the
    learned rule decides, else the cosine needs.
    """
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
    learned = settings.learned
    if learned is not None and parts is not None and parts[0] is not None and parts[1] is not None:
        return _decide_learned(learned, a, b, cosine, parts[0], parts[1])
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


def _decide_learned(
    learned: LearnedRule,
    a: Signature,
    b: Signature,
    cosine: float,
    va: PhraseVectors,
    vb: PhraseVectors,
) -> PlanDecision:
    conflict = hard_conflict(a, b)
    if conflict is not None:
        return PlanDecision(same=False, cosine=cosine, rule="lookalike", reason=conflict)
    same, p = learned.decide(a, b, cosine, va, vb)
    if same:
        reason = f"learned: p {p:.2f} >= {learned.threshold:.2f}, cosine {cosine:.3f}"
        return PlanDecision(same=True, cosine=cosine, rule="similar", reason=reason)
    reason = f"learned: p {p:.2f} < {learned.threshold:.2f}, cosine {cosine:.3f}"
    activity = activity_conflict(a, b)
    if activity is not None:
        return PlanDecision(
            same=False, cosine=cosine, rule="lookalike", reason=f"{activity}; {reason}"
        )
    return PlanDecision(same=False, cosine=cosine, rule="below-threshold", reason=reason)


def embedding_texts(plan_text: str) -> tuple[str, ...]:
    """What to embed for a plan text, in one call: the text itself first, then its parts
    (core, action, objects) that differ from it. The learned rule reads the parts' vectors
    from the embedder's cache; without them the cosine needs decide."""
    return tuple(dict.fromkeys((plan_text, *signature(plan_text).phrases.texts())))


def text_parts(text: str, sig: Signature, vector_of: VectorOf | None) -> PhraseVectors | None:
    """The vectors of ``text``'s parts through ``vector_of`` (None when any is missing)."""
    if vector_of is None:
        return None
    whole = vector_of(text)
    return None if whole is None else phrase_vectors(sig, whole, vector_of)


def decide(
    a: str,
    b: str,
    cosine: float,
    settings: MatchSettings | None = None,
    *,
    places: tuple[str, str] | None = None,
    vector_of: VectorOf | None = None,
) -> PlanDecision:
    """Decide whether plan texts ``a`` and ``b`` (with embedding cosine ``cosine``) match.

    Args:
        a: a plan text (the activity words).
        b: another.
        cosine: the cosine of their embeddings.
        settings: the thresholds (default: the local embedder's).
        places: the places the two are planned at (``@home``, ``@work``, a sector);
            different places never match. None compares the texts alone.
        vector_of: text -> its embedding, or None when unknown (a cache: it must not
            embed): with the vectors of both texts and of their parts
            (:func:`embedding_texts`) the learned rule decides.
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
    sa, sb = signature(a), signature(b)
    parts = None
    if settings.learned is not None and vector_of is not None:
        parts = (text_parts(a, sa, vector_of), text_parts(b, sb, vector_of))
    return decide_signatures(sa, sb, cosine, settings, parts)


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

    Embeds both texts and their parts in one call (blocking: for tools and tests, not for
    the frame loop).

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
    texts: Sequence[str] = list(dict.fromkeys((*embedding_texts(a), *embedding_texts(b))))
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    table = dict(zip(texts, vectors / np.where(norms > 0, norms, 1.0), strict=True))
    cosine = float(np.clip(table[a] @ table[b], -1.0, 1.0))
    return decide(a, b, cosine, settings, places=places, vector_of=table.get)
