"""Activity types by embedding: the cumulative count of distinct activity types over runs
(the paper's Figure 6), and the "why" of an activity (the wandered memory behind it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from aga_npc.ports import Embedder

__all__ = [
    "ActivityTypes",
    "activity_core",
    "adjusted_rand",
    "calibrate",
    "calibration_set",
    "cumulative_types",
    "inspired_by",
]

SAME_TYPE = 0.65
"""Cosine at or above which two activities are one type.

Calibrated on the stand-in's own wordings (:func:`calibrate`, ``python
benchmarks/eval_curves.py --calibrate``): 73 activities (every leisure option and
wandering suggestion, by place type, at a place of that type), each worded up to 12 ways,
clustered as the curves cluster them. With MiniLM the agreement with the true activities
(adjusted Rand index, mean of 3 seeds) is best at 0.65 (0.339; 0.6: 0.319, 0.7: 0.336)
and lower at the earlier 0.8 (0.265), where ~200 wordings of 73 activities make ~163
types: only 18% of the pairs of wordings of one activity reach 0.8 (the earlier value
assumed paraphrases score 0.8-0.95; they do not), so the curves counted wordings more than
activities. 0.65 joins 34% of same-activity pairs and 0.8% of different-activity pairs
(0.8: 18% and 0.08%)."""

_WORDS = re.compile(r"[a-z']+")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _set(
    "a an the and or of to in on at for with by from up some his her their my a bit while "
    "for few then go goes get gets do does have has take takes spend spends time"
)


def activity_core(text: str, names: Iterable[str] = ()) -> str:
    """The activity without the agent's name ("Marta gives the kitchen a clean" ->
    "gives the kitchen a clean"), lower case, spaces collapsed."""
    lowered = " ".join(text.lower().split())
    for name in names:
        for part in (name.lower(), name.split()[0].lower()):
            if lowered.startswith(part + " "):
                lowered = lowered[len(part) + 1 :]
                break
    return lowered.strip(" .")


class ActivityTypes:
    """Distinct activity types, grown one activity at a time (leader clustering).

    An activity joins the first type whose leader has cosine >= ``threshold`` with it,
    else it founds a new type. Order-dependent by design: types are counted as the runs
    come, as the paper's cumulative curve is.
    """

    def __init__(self, embedder: Embedder, *, threshold: float = SAME_TYPE) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.embedder = embedder
        self.threshold = threshold
        self.leaders: list[str] = []
        self._vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self._seen: dict[str, int] = {}

    def add(self, texts: Sequence[str]) -> int:
        """Add activities; returns how many new types they founded."""
        fresh = [t for t in dict.fromkeys(texts) if t and t not in self._seen]
        if not fresh:
            return 0
        vectors = np.asarray(self.embedder.embed(fresh), dtype=np.float32)
        before = len(self.leaders)
        for text, vec in zip(fresh, vectors, strict=True):
            if self._vectors.shape[0]:
                sims = self._vectors @ vec
                best = int(np.argmax(sims))
                if float(sims[best]) >= self.threshold:
                    self._seen[text] = best
                    continue
            self._seen[text] = len(self.leaders)
            self.leaders.append(text)
            self._vectors = np.vstack([self._vectors, vec[None, :]])
        return len(self.leaders) - before

    def type_of(self, text: str) -> str:
        """The leader of the type ``text`` was put in (after :meth:`add`)."""
        return self.leaders[self._seen[text]]

    def __len__(self) -> int:
        return len(self.leaders)


def cumulative_types(
    runs: Sequence[Sequence[str]], embedder: Embedder, *, threshold: float = SAME_TYPE
) -> list[int]:
    """Distinct activity types after each run (one list of activity texts per run)."""
    types = ActivityTypes(embedder, threshold=threshold)
    curve = []
    for run in runs:
        types.add(run)
        curve.append(len(types))
    return curve


_TOKEN = re.compile(r"[A-Za-z']+")


def _content(text: str) -> set[str]:
    """Lower-case content words (capitalised words, names and places, left out)."""
    return {
        w.rstrip("s")
        for w in _TOKEN.findall(text)
        if w[0].islower() and w not in _STOP and len(w) > 2
    }


def inspired_by(activity: str, wandered: Sequence[str], *, min_shared: int = 1) -> str:
    """The wandered memory an activity most likely came from ("" when none shares a word).

    Lexical on purpose (the inspector uses it on a snapshot, without an embedder): the memory
    sharing the most lower-case content words with the activity (names and places do not
    count), ties to the earlier memory.
    """
    words = _content(activity)
    best, best_n = "", min_shared - 1
    for memory in wandered:
        shared = len(words & _content(memory))
        if shared > best_n:
            best, best_n = memory, shared
    return best


def adjusted_rand(truth: Sequence[object], pred: Sequence[object]) -> float:
    """The adjusted Rand index of two labellings (1 identical, ~0 chance; as
    ``sklearn.metrics.adjusted_rand_score``)."""
    if len(truth) != len(pred):
        raise ValueError("labellings differ in length")
    n = len(truth)
    if n < 2:
        return 1.0

    def pairs(counts: Iterable[int]) -> float:
        return float(sum(c * (c - 1) // 2 for c in counts))

    cells: dict[tuple[object, object], int] = {}
    rows: dict[object, int] = {}
    cols: dict[object, int] = {}
    for t, p in zip(truth, pred, strict=True):
        cells[(t, p)] = cells.get((t, p), 0) + 1
        rows[t] = rows.get(t, 0) + 1
        cols[p] = cols.get(p, 0) + 1
    index, a, b = pairs(cells.values()), pairs(rows.values()), pairs(cols.values())
    expected = a * b / (n * (n - 1) / 2)
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def calibration_set(seed: int, per_activity: int = 12) -> tuple[list[str], list[str]]:
    """``(wordings, activity)``: the stand-in's leisure options and wandering suggestions
    (one activity per option and place type, at a place of that type), each worded up to
    ``per_activity`` ways."""
    import random

    from aga_npc.offline import wording as W
    from aga_npc.offline.leisure import LEISURE
    from aga_npc.offline.paraphrase import expand, realise
    from aga_npc.offline.wandering import ASSOCIATIONS, INSPIRATIONS

    places = {
        "park": "Elm Park",
        "square": "Town Square",
        "cafe": "Juniper Cafe",
        "bar": "The Copper Kettle",
        "shop": "Pine Street Grocery",
        "college": "Alder College",
        "hall": "Town Hall",
        "home": "home",
    }
    slots: dict[str, str | tuple[str, ...]] = {
        **W.WORDS,
        "topic": "history",
        "mates": "classmates",
        "who": ("Amara", "Silas", "Marta"),
    }
    groups: list[tuple[str, tuple[str, ...], dict[str, str | tuple[str, ...]]]] = [
        (opt.say.key, opt.say.cores, {**slots, "place": places[opt.place_type], **opt.slots})
        for opt in LEISURE
    ]
    for insp in (*INSPIRATIONS, *ASSOCIATIONS):
        groups.extend(
            (f"{insp.key}:{kind}", t, {**slots, "place": places[kind]})
            for kind, t in insp.texts.items()
        )
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    taken: set[str] = set()  # a wording two activities share is left out of the second
    for key, cores, values in groups:
        for _ in range(per_activity):
            text = realise(expand(rng.choice(cores), rng, values))
            if "{" not in text and text not in taken:
                taken.add(text)
                texts.append(text)
                labels.append(key)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [labels[i] for i in order]


def calibrate(
    embedder: Embedder, thresholds: Sequence[float], seeds: Sequence[int] = (0, 1, 2)
) -> list[dict[str, float]]:
    """Per threshold: the mean adjusted Rand index of :class:`ActivityTypes` against the
    true activities of :func:`calibration_set`, and the mean number of types."""
    rows = []
    sets = [calibration_set(seed) for seed in seeds]
    for threshold in thresholds:
        scores, counts = [], []
        for texts, labels in sets:
            types = ActivityTypes(embedder, threshold=threshold)
            types.add(texts)
            scores.append(adjusted_rand(labels, [types.type_of(t) for t in texts]))
            counts.append(len(types))
        rows.append(
            {
                "threshold": threshold,
                "ari": round(sum(scores) / len(scores), 3),
                "types": round(sum(counts) / len(counts), 1),
                "activities": len(set(sets[0][1])),
            }
        )
    return rows
