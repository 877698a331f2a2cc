"""The learned same-plan rule: features of two plans and the small model that weighs them.

The look-alike rule (:mod:`aga_npc.policy.lookalike` with the cosine needs of
:mod:`aga_npc.policy.matching`) trusts the lexicon: a verb it does not know leaves a pair
to one high cosine need, and every fresh set of plans brings such verbs. The learned rule
keeps the lexicon as a source of *features* and lets a model trained on the calibration
pairs decide:

- embedding cosines: of the whole texts, of their cores (frames, leading clauses, time and
  manner words removed), of their actions ("hook up", "have lunch") and of their objects,
  each part embedded on its own (:class:`~aga_npc.policy.signature.Phrases`);
- a linear score over the element-wise products and differences of the two actions' and
  the two cores' vectors (a metric learned on MiniLM's space, so it can speak for verbs the
  lexicon never saw);
- the lexicon's reading: whether the main activities conflict, agree, are kin or open;
  whether the objects are shared, open or disjoint; one opening verb or an unknown one;
- word overlap and length ratio.

A small ensemble of depth-3 trees (gradient boosted, evaluated in numpy) turns them into a
probability; the pair is the same plan at or above the operating point chosen by
cross-validation on the calibration pairs. Conflicts the lexicon is sure of (opposite
activities, different members of an object class: "breakfast" vs "dinner") stay vetoes
(:func:`~aga_npc.policy.lookalike.hard_conflict`).

The weights are data (``matcher_weights.json``, written by ``tools/train_plan_matcher.py``
from ``tests/data/plan_pairs.jsonl``'s calib split) and belong to one embedder: the local
MiniLM. Other embedders keep the look-alike rule. Pure and cheap: one decision is a few
dot products and three levels of array lookups over the trees (tens of microseconds).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.policy.lookalike import (
    Agreement,
    ObjectFit,
    activity_conflict,
    agreement,
    object_fit,
    unverified_heads,
)
from aga_npc.policy.signature import Signature

__all__ = [
    "FEATURES",
    "LearnedRule",
    "PhraseVectors",
    "packaged_rule",
    "pair_features",
    "phrase_vectors",
    "vector_terms",
]

FloatArray = npt.NDArray[np.float32]
VectorOf = Callable[[str], FloatArray | None]

_RESOURCE = "matcher_weights.json"

# The scalar features, in the order the trees read them; the last is the linear score over
# the vector terms (:func:`vector_terms`).
FEATURES = (
    "cosine",
    "core_cosine",
    "action_cosine",
    "objects_cosine",
    "both_name_objects",
    "activity_conflict",
    "activities_same",
    "activities_kin",
    "activities_open",
    "objects_shared",
    "objects_open",
    "objects_disjoint",
    "same_opening_word",
    "unknown_opening_verb",
    "word_overlap",
    "length_ratio",
    "vector_score",
)


@dataclass(frozen=True, slots=True, eq=False)
class PhraseVectors:
    """Unit vectors of one plan text's parts (:class:`~aga_npc.policy.signature.Phrases`).

    Attributes:
        core: the core's (the whole text's when the core is empty).
        action: the action's (the core's when the text opens with no verb).
        objects: the objects', or None when the text names none.
    """

    core: FloatArray
    action: FloatArray
    objects: FloatArray | None


def _unit(vector: Any) -> FloatArray | None:
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vec))
    return vec / norm if np.isfinite(norm) and norm > 0.0 else None


def phrase_vectors(sig: Signature, text_vector: Any, vector_of: VectorOf) -> PhraseVectors | None:
    """The vectors of ``sig``'s parts, read through ``vector_of`` (an embedding cache: it
    never embeds), or None when one of them is not there yet.

    Args:
        sig: the text's signature.
        text_vector: the whole text's embedding.
        vector_of: a part's text -> its embedding, or None when not known.
    """
    whole = _unit(text_vector)
    if whole is None:
        return None
    parts = sig.phrases

    def part(text: str, fallback: FloatArray | None) -> FloatArray | None:
        if not text:
            return fallback
        found = vector_of(text)
        return None if found is None else _unit(found)

    core = part(parts.core, whole)
    action = part(parts.action, core)
    if core is None or action is None:
        return None
    objects = part(parts.objects, None)
    if parts.objects and objects is None:
        return None
    return PhraseVectors(core=core, action=action, objects=objects)


def vector_terms(a: PhraseVectors, b: PhraseVectors) -> FloatArray:
    """The inputs of the learned linear score: for the actions and for the cores, the
    element-wise product and absolute difference of the two vectors (symmetric in a, b)."""
    return np.concatenate(
        [a.action * b.action, np.abs(a.action - b.action), a.core * b.core, np.abs(a.core - b.core)]
    ).astype(np.float32)


def pair_features(
    a: Signature, b: Signature, cosine: float, va: PhraseVectors, vb: PhraseVectors
) -> FloatArray:
    """The scalar features of a pair, in :data:`FEATURES` order without the last
    (``vector_score``, which :class:`LearnedRule` adds)."""
    objects = (
        float(va.objects @ vb.objects) if va.objects is not None and vb.objects is not None else 0.0
    )
    level, fit = agreement(a, b), object_fit(a, b)
    mine, theirs = set(a.core), set(b.core)
    overlap = len(mine & theirs) / max(1, len(mine | theirs))
    shorter, longer = sorted((len(a.core), len(b.core)))
    return np.array(
        [
            cosine,
            float(va.core @ vb.core),
            float(va.action @ vb.action),
            objects,
            va.objects is not None and vb.objects is not None,
            activity_conflict(a, b) is not None,
            level is Agreement.SAME,
            level is Agreement.KIN,
            level is Agreement.OPEN,
            fit is ObjectFit.SHARED,
            fit is ObjectFit.OPEN,
            fit is ObjectFit.DISJOINT,
            a.head is not None and a.head == b.head,
            unverified_heads(a, b),
            overlap,
            shorter / max(1, longer),
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True, slots=True, eq=False)
class LearnedRule:
    """A trained same-plan model: a linear score over vector terms, then boosted trees.

    Trees are complete binary trees of one depth, stored level by level: node ``n``'s
    children are ``2n + 1`` (feature <= threshold) and ``2n + 2``; a tree that stops early
    repeats a leaf. The learning rate is folded into the leaves.

    Attributes:
        embedder: the embedder whose vectors it was trained on (``local:...``).
        vector_weights: weights of the vector terms (``4 * dim``).
        vector_bias: the linear score's bias.
        features: the tree feature indices, shape (trees, 2**depth - 1).
        thresholds: the split thresholds, same shape.
        leaves: the leaf values, shape (trees, 2**depth).
        base: the log-odds before the first tree.
        threshold: the operating point: the pair is the same plan when the probability is
            at least this.
        about: how it was trained and what cross-validation said (for reports).
    """

    embedder: str
    vector_weights: FloatArray
    vector_bias: float
    features: npt.NDArray[np.int64]
    thresholds: npt.NDArray[np.float64]
    leaves: npt.NDArray[np.float64]
    base: float
    threshold: float
    about: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        trees, inner = self.features.shape
        if self.thresholds.shape != (trees, inner) or self.leaves.shape != (trees, inner + 1):
            raise ValueError("LearnedRule: tree arrays of mismatched shapes")
        if inner & (inner + 1):
            raise ValueError("LearnedRule: trees must be complete (2**depth - 1 inner nodes)")
        if trees and not 0 <= int(self.features.min()) <= int(self.features.max()) < len(FEATURES):
            raise ValueError("LearnedRule: a tree reads a feature that does not exist")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"LearnedRule: threshold must be in (0, 1), got {self.threshold}")

    @property
    def dim(self) -> int:
        """The embedding dimension it expects."""
        return int(self.vector_weights.shape[0]) // 4

    def vector_score(self, terms: FloatArray) -> float:
        """The linear score of :func:`vector_terms`."""
        return float(self.vector_weights @ terms) + self.vector_bias

    def pair_score(self, a: PhraseVectors, b: PhraseVectors) -> float:
        """:meth:`vector_score` of two plans' parts, without building the terms."""
        w, d = self.vector_weights, self.dim
        return (
            float((w[:d] * a.action) @ b.action)
            + float(w[d : 2 * d] @ np.abs(a.action - b.action))
            + float((w[2 * d : 3 * d] * a.core) @ b.core)
            + float(w[3 * d :] @ np.abs(a.core - b.core))
            + self.vector_bias
        )

    def probability(self, features: Any) -> float:
        """The probability that a pair with these :data:`FEATURES` is the same plan."""
        row = np.asarray(features, dtype=np.float64).reshape(-1)
        trees = np.arange(self.features.shape[0])
        inner = self.features.shape[1]
        node = np.zeros(trees.size, dtype=np.int64)
        while node[0] < inner:  # complete trees: every tree reaches its leaves together
            at = (trees, node)
            node = 2 * node + 1 + (row[self.features[at]] > self.thresholds[at])
        logit = self.base + float(self.leaves[trees, node - inner].sum())
        return 1.0 / (1.0 + float(np.exp(-logit)))

    def probabilities(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """:meth:`probability` of each row of a (pairs, features) array."""
        rows = np.asarray(rows, dtype=np.float64)
        trees = np.arange(self.features.shape[0])
        node = np.zeros((rows.shape[0], trees.size), dtype=np.int64)
        inner = self.features.shape[1]
        while True:
            inside = node < inner
            if not inside.any():
                break
            at = np.minimum(node, inner - 1)
            value = np.take_along_axis(rows, self.features[trees, at], axis=1)
            right = value > self.thresholds[trees, at]
            node = np.where(inside, 2 * node + 1 + right, node)
        logit = self.base + self.leaves[trees, node - inner].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-logit))

    def decide(
        self, a: Signature, b: Signature, cosine: float, va: PhraseVectors, vb: PhraseVectors
    ) -> tuple[bool, float]:
        """(same plan?, probability) of two signatures with their parts' vectors."""
        row = np.append(pair_features(a, b, cosine, va, vb), self.pair_score(va, vb))
        p = self.probability(row)
        return p >= self.threshold, p

    def to_data(self) -> dict[str, Any]:
        """Plain data (JSON) that :meth:`from_data` reads back."""
        return {
            "embedder": self.embedder,
            "features": list(FEATURES),
            "threshold": self.threshold,
            "base": self.base,
            "vector_bias": self.vector_bias,
            "vector_weights": [float(f"{w:.6g}") for w in self.vector_weights],
            "trees": {
                "features": self.features.tolist(),
                "thresholds": [[float(f"{t:.8g}") for t in row] for row in self.thresholds],
                "leaves": [[float(f"{v:.6g}") for v in row] for row in self.leaves],
            },
            "about": dict(self.about),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> LearnedRule:
        """Read :meth:`to_data`'s output.

        Raises:
            ValueError: a field is missing or malformed, or the features are not these.
        """
        try:
            if list(data["features"]) != list(FEATURES):
                raise ValueError("LearnedRule: trained on other features")
            trees = data["trees"]
            return cls(
                embedder=str(data["embedder"]),
                vector_weights=np.asarray(data["vector_weights"], dtype=np.float32),
                vector_bias=float(data["vector_bias"]),
                features=np.asarray(trees["features"], dtype=np.int64).reshape(
                    len(trees["features"]), -1
                ),
                thresholds=np.asarray(trees["thresholds"], dtype=np.float64).reshape(
                    len(trees["thresholds"]), -1
                ),
                leaves=np.asarray(trees["leaves"], dtype=np.float64).reshape(
                    len(trees["leaves"]), -1
                ),
                base=float(data["base"]),
                threshold=float(data["threshold"]),
                about=dict(data.get("about", {})),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"LearnedRule: malformed weights ({exc!r})") from exc


_PACKAGED: list[LearnedRule | None] = []


def packaged_rule() -> LearnedRule | None:
    """The rule shipped in the package (``matcher_weights.json``), read once; None when the
    file is absent."""
    if not _PACKAGED:
        source = resources.files("aga_npc.policy").joinpath(_RESOURCE)
        rule = None
        if source.is_file():
            rule = LearnedRule.from_data(json.loads(source.read_text(encoding="utf-8")))
        _PACKAGED.append(rule)
    return _PACKAGED[0]
