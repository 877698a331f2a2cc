"""Train the learned same-plan rule (aga_npc/policy/matcher_weights.json) on the calib pairs.

Reads the ``calib`` split of tests/data/plan_pairs.jsonl (never the heldout), embeds every
text and its parts (core, action, objects) with the local MiniLM embedder, and fits, in
numpy:

1. a linear score over the element-wise products and differences of the two actions' and
   the two cores' vectors (L2-regularised logistic regression, Newton steps);
2. gradient-boosted depth-3 trees over the scalar features of
   :mod:`aga_npc.policy.combiner` and that score (stacked: the trees see out-of-fold
   scores).

Unknown verbs are what fresh plans bring and what the calib pairs (whose verbs the lexicon
was written from) lack, so every pair is also read with its opening verbs replaced by
made-up ones (one side, the other, both): the lexicon then knows neither, as with a verb it
never saw, while the embeddings keep the real words. These copies weigh ``--masked-weight``
each.

The operating point is chosen by cross-validation over the calib rounds (folds never split
a round, nor a pair from its copies): the lowest probability whose out-of-fold precision
(weighted as above) reaches ``--precision``. Nested cross-validation reports what that
choice gives on rounds it did not see.

    python tools/train_plan_matcher.py            # writes aga_npc/policy/matcher_weights.json
    python tools/train_plan_matcher.py --check    # cross-validation only, writes nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from aga_npc.policy.combiner import (  # noqa: E402
    FEATURES,
    LearnedRule,
    PhraseVectors,
    pair_features,
    vector_terms,
)
from aga_npc.policy.lookalike import hard_conflict  # noqa: E402
from aga_npc.policy.signature import (  # noqa: E402
    Signature,
    normalise_text,
    opening_verb,
    signature,
)

DATA = ROOT / "tests" / "data" / "plan_pairs.jsonl"
OUT = ROOT / "aga_npc" / "policy" / "matcher_weights.json"
# First lines of the calib rounds (tests/data/plan_pairs.md): folds keep a round whole.
ROUND_STARTS = (1, 742, 933, 1184, 1343, 1450, 1709, 1840, 1928, 2188, 2359, 2523, 2666, 2814)
FOLDS = 5
Array = npt.NDArray[np.float64]


# -- reading pairs as if the lexicon lacked their verbs -----------------------------------

_CONSONANTS, _VOWELS = "bdfgkmnprtvz", "aiou"


def made_up_verb(lemma: str) -> str:
    """A made-up verb for ``lemma``, the same every time ("zbakuduk"): no lexicon word."""
    h = hashlib.sha1(lemma.encode()).digest()
    return "z" + "".join(_CONSONANTS[h[i] % 12] + _VOWELS[h[i + 5] % 4] for i in range(3)) + "k"


def masked(text: str) -> tuple[str, str, str] | None:
    """(``text`` with its opening verb made up, the made-up word, the real word), or None
    when the text opens with no verb of its own."""
    token = opening_verb(text)
    if token is None:
        return None
    first = token.text.split()[0]
    if first.endswith("ing"):
        suffix = "ing"
    elif first.endswith("ed"):
        suffix = "ed"
    elif first.endswith("s") and not token.lemma.endswith("s"):
        suffix = "s"
    else:
        suffix = ""
    word = made_up_verb(token.lemma) + suffix
    found = re.compile(r"\b" + re.escape(first) + r"\b", re.IGNORECASE).search(text)
    if found is None:
        return None
    return text[: found.start()] + word + text[found.end() :], word, first


@dataclass(frozen=True, slots=True)
class Reading:
    """One side of a pair as the trainer reads it: the signature (perhaps of the masked
    text) and its parts in the real words."""

    text: str
    sig: Signature
    parts: tuple[str, str, str]


def reading(text: str, mask: bool) -> Reading | None:
    if not mask:
        p = signature(text).phrases
        return Reading(text, signature(text), (p.core, p.action, p.objects))
    found = masked(text)
    if found is None:
        return None
    fake, word, real = found
    sig = signature(fake)
    p = sig.phrases
    parts = tuple(
        re.sub(r"\b" + word + r"\b", real.lower(), s) for s in (p.core, p.action, p.objects)
    )
    return Reading(text, sig, (parts[0], parts[1], parts[2]))


# -- the data -------------------------------------------------------------------------------


@dataclass
class Data:
    scalars: Array  # (n, len(FEATURES) - 1)
    terms: npt.NDArray[np.float32]  # (n, 4 * dim)
    labels: npt.NDArray[np.bool_]
    weights: Array
    rounds: npt.NDArray[np.int64]
    masked: npt.NDArray[np.bool_]


def calib_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(i + 1, r) for i, r in enumerate(rows) if r["split"] == "calib"]


def learned_pair(r: dict[str, Any]) -> bool:
    """Whether the learned rule decides the pair (not the place, exact-text, same-words or
    hard-conflict rules)."""
    if "place_a" in r and r["place_a"] != r["place_b"]:
        return False
    if normalise_text(r["a"]) == normalise_text(r["b"]):
        return False
    a, b = signature(r["a"]), signature(r["b"])
    return not (a.core and a.core == b.core) and hard_conflict(a, b) is None


def build(path: Path, masked_weight: float) -> tuple[Data, str]:
    from aga_npc.config import Settings
    from aga_npc.embed import build_embedder

    items: list[tuple[int, bool, bool, Reading, Reading]] = []
    for line, r in calib_rows(path):
        if not learned_pair(r):
            continue
        rnd = sum(line >= s for s in ROUND_STARTS) - 1
        for mask_a, mask_b in ((False, False), (True, False), (False, True), (True, True)):
            a, b = reading(r["a"], mask_a), reading(r["b"], mask_b)
            if a is None or b is None:
                continue
            if (mask_a or mask_b) and (
                (a.sig.core and a.sig.core == b.sig.core) or hard_conflict(a.sig, b.sig)
            ):
                continue  # a copy the rules would decide
            items.append((rnd, bool(r["same"]), mask_a or mask_b, a, b))
    texts = sorted({t for it in items for s in it[3:] for t in (s.text, *s.parts) if t})
    embedder = build_embedder(Settings(embed="local"), cache=False)
    started = time.perf_counter()
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - started:.1f} s", flush=True)
    index = {t: i for i, t in enumerate(texts)}

    def vec(text: str) -> npt.NDArray[np.float32]:
        v = vectors[index[text]]
        return v / np.linalg.norm(v)

    def parts(s: Reading) -> PhraseVectors:
        core = vec(s.parts[0]) if s.parts[0] else vec(s.text)
        action = vec(s.parts[1]) if s.parts[1] else core
        return PhraseVectors(core, action, vec(s.parts[2]) if s.parts[2] else None)

    scalars, terms = [], []
    for _, _, _, a, b in items:
        va, vb = parts(a), parts(b)
        cosine = float(vec(a.text) @ vec(b.text))
        scalars.append(pair_features(a.sig, b.sig, cosine, va, vb))
        terms.append(vector_terms(va, vb))
    is_masked = np.array([it[2] for it in items])
    return Data(
        scalars=np.array(scalars),
        terms=np.array(terms, dtype=np.float32),
        labels=np.array([it[1] for it in items]),
        weights=np.where(is_masked, masked_weight, 1.0),
        rounds=np.array([it[0] for it in items]),
        masked=is_masked,
    ), embedder.name


# -- models ---------------------------------------------------------------------------------


def fit_linear(
    x: npt.NDArray[np.float32], y: npt.NDArray[np.bool_], w: Array, l2: float
) -> tuple[Array, float]:
    """Weighted logistic regression with an L2 penalty (not on the bias), Newton steps."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1), dtype=np.float32)])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    t = y.astype(np.float64)
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        grad = xb.T @ (w * (p - t)) + penalty * beta
        h = (xb * (w * p * (1 - p))[:, None].astype(np.float32)).T @ xb
        step = np.linalg.solve(h.astype(np.float64) + np.diag(penalty + 1e-9), grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta[:-1], float(beta[-1])


def linear_scores(x: npt.NDArray[np.float32], model: tuple[Array, float]) -> Array:
    return x.astype(np.float64) @ model[0] + model[1]


@dataclass
class Trees:
    features: npt.NDArray[np.int64]
    thresholds: Array
    leaves: Array
    base: float


def _edges(column: Array, bins: int) -> Array:
    values = np.unique(column)
    if len(values) <= bins:
        return values[:-1]
    return np.unique(np.quantile(column, np.linspace(0, 1, bins + 1)[1:-1]))


def fit_trees(
    x: Array,
    y: npt.NDArray[np.bool_],
    w: Array,
    *,
    trees: int = 300,
    depth: int = 3,
    rate: float = 0.05,
    l2: float = 1.0,
    min_hessian: float = 1.0,
    bins: int = 64,
) -> Trees:
    """Gradient-boosted complete trees on the logistic loss (histogram splits)."""
    n, f = x.shape
    edges = [_edges(x[:, j], bins) for j in range(f)]
    binned = np.stack([np.searchsorted(edges[j], x[:, j], side="left") for j in range(f)], 1)
    t = y.astype(np.float64)
    base = float(np.log((w * t).sum() / (w * (1 - t)).sum()))
    score = np.full(n, base)
    inner = 2**depth - 1
    out_f = np.zeros((trees, inner), dtype=np.int64)
    out_t = np.full((trees, inner), np.inf)
    out_l = np.zeros((trees, inner + 1))
    for k in range(trees):
        p = 1.0 / (1.0 + np.exp(-score))
        g, h = w * (p - t), w * p * (1 - p)
        node = np.zeros(n, dtype=np.int64)
        for level in range(depth):
            for at in range(2**level - 1, 2 ** (level + 1) - 1):
                rows = node == at
                best = (0.0, 0, np.inf)
                if rows.sum() > 1:
                    gs, hs = g[rows].sum(), h[rows].sum()
                    parent = gs * gs / (hs + l2)
                    for j in range(f):
                        if len(edges[j]) == 0:
                            continue
                        m = len(edges[j]) + 1
                        gl = np.cumsum(np.bincount(binned[rows, j], g[rows], m))[:-1]
                        hl = np.cumsum(np.bincount(binned[rows, j], h[rows], m))[:-1]
                        gr, hr = gs - gl, hs - hl
                        gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent
                        gain[(hl < min_hessian) | (hr < min_hessian)] = -np.inf
                        i = int(np.argmax(gain))
                        if gain[i] > best[0]:
                            best = (float(gain[i]), j, float(edges[j][i]))
                out_f[k, at], out_t[k, at] = best[1], best[2]
            right = x[np.arange(n), out_f[k, node]] > out_t[k, node]
            node = 2 * node + 1 + right
        leaf = node - inner
        gl = np.bincount(leaf, g, inner + 1)
        hl = np.bincount(leaf, h, inner + 1)
        out_l[k] = -rate * gl / (hl + l2)
        score += out_l[k, leaf]
    out_t[np.isinf(out_t)] = 1e9
    return Trees(out_f, out_t, out_l, base)


def tree_probabilities(model: Trees, x: Array) -> Array:
    rule = LearnedRule(
        embedder="",
        vector_weights=np.zeros(4, dtype=np.float32),
        vector_bias=0.0,
        features=model.features,
        thresholds=model.thresholds,
        leaves=model.leaves,
        base=model.base,
        threshold=0.5,
    )
    return rule.probabilities(x)


# -- cross-validation -----------------------------------------------------------------------


def stacked(data: Data, rows: npt.NDArray[np.int64], l2: float) -> Array:
    """Out-of-fold linear scores for ``rows`` (folds by round within them)."""
    out = np.zeros(len(rows))
    rounds = data.rounds[rows]
    for fold in range(4):
        test = (rounds % 4) == fold
        if not test.any() or test.all():
            continue
        train = rows[~test]
        model = fit_linear(data.terms[train], data.labels[train], data.weights[train], l2)
        out[test] = linear_scores(data.terms[rows[test]], model)
    return out


def features_for(data: Data, rows: npt.NDArray[np.int64], score: Array) -> Array:
    return np.hstack([data.scalars[rows], score[:, None]])


def operating_point(p: Array, y: npt.NDArray[np.bool_], w: Array, target: float) -> float:
    """The lowest probability whose weighted precision (of the pairs at or above it)
    reaches ``target``."""
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum((w * y)[order])
    fp = np.cumsum((w * ~y)[order])
    ok = np.nonzero(tp / np.maximum(tp + fp, 1e-12) >= target)[0]
    if len(ok) == 0:
        return 0.999
    k = int(ok.max())
    return float(min(0.999, max(1e-3, p[order][k])))


def out_of_fold(data: Data, rows: npt.NDArray[np.int64], l2: float, folds: int) -> Array:
    """Out-of-fold probabilities of the whole pipeline for ``rows`` (folds by round)."""
    out = np.zeros(len(rows))
    rounds = data.rounds[rows]
    for fold in range(folds):
        test = (rounds % folds) == fold
        if not test.any() or test.all():
            continue
        train = rows[~test]
        linear = fit_linear(data.terms[train], data.labels[train], data.weights[train], l2)
        trees = fit_trees(
            features_for(data, train, stacked(data, train, l2)),
            data.labels[train],
            data.weights[train],
        )
        te = rows[test]
        out[test] = tree_probabilities(
            trees, features_for(data, te, linear_scores(data.terms[te], linear))
        )
    return out


def scores(pred: npt.NDArray[np.bool_], y: npt.NDArray[np.bool_]) -> dict[str, float]:
    tp = int((pred & y).sum())
    return {
        "pairs": len(y),
        "precision": round(tp / max(1, int(pred.sum())), 4),
        "recall": round(tp / max(1, int(y.sum())), 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--precision", type=float, default=0.98)
    ap.add_argument("--masked-weight", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=1.0, help="the linear score's L2 penalty")
    ap.add_argument("--check", action="store_true", help="cross-validate only; write nothing")
    args = ap.parse_args(argv)

    data, embedder_name = build(args.data, args.masked_weight)
    n = len(data.labels)
    print(f"{n} learned pairs ({int((~data.masked).sum())} as written)", flush=True)
    every = np.arange(n)
    # nested: each outer fold's operating point comes from its own training rounds
    oof = out_of_fold(data, every, args.l2, FOLDS)
    outer = np.zeros(n, dtype=bool)
    for fold in range(FOLDS):
        test = (data.rounds % FOLDS) == fold
        train = every[~test]
        inner_p = out_of_fold(data, train, args.l2, FOLDS - 1)
        point = operating_point(inner_p, data.labels[train], data.weights[train], args.precision)
        outer[test] = oof[test] >= point  # the same folds: oof[test] is out of fold
        print(f"fold {fold}: operating point {point:.3f}", flush=True)
    point = operating_point(oof, data.labels, data.weights, args.precision)
    plain = ~data.masked
    report = {
        "calib_pairs_learned": int(plain.sum()),
        "masked_copies": int(data.masked.sum()),
        "masked_weight": args.masked_weight,
        "target_precision": args.precision,
        "operating_point": round(point, 4),
        "nested_cv_as_written": scores(outer[plain], data.labels[plain]),
        "nested_cv_masked_verbs": scores(outer[~plain], data.labels[~plain]),
        "cv_at_operating_point_as_written": scores(oof[plain] >= point, data.labels[plain]),
        "cv_at_operating_point_masked_verbs": scores(oof[~plain] >= point, data.labels[~plain]),
    }
    print(json.dumps(report, indent=2))
    if args.check:
        return 0
    linear = fit_linear(data.terms, data.labels, data.weights, args.l2)
    trees = fit_trees(
        features_for(data, every, stacked(data, every, args.l2)), data.labels, data.weights
    )
    rule = LearnedRule(
        embedder=embedder_name,
        vector_weights=linear[0].astype(np.float32),
        vector_bias=linear[1],
        features=trees.features,
        thresholds=trees.thresholds,
        leaves=trees.leaves,
        base=trees.base,
        threshold=point,
        about={
            "trained_by": "tools/train_plan_matcher.py",
            "data": "tests/data/plan_pairs.jsonl, calib split only",
            **report,
        },
    )
    args.out.write_text(json.dumps(rule.to_data(), separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out.relative_to(ROOT)} ({len(FEATURES)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
