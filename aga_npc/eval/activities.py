"""Activity types by embedding: the cumulative count of distinct activity types over runs
(the paper's Figure 6), and the "why" of an activity (the wandered memory behind it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from aga_npc.ports import Embedder

__all__ = ["ActivityTypes", "activity_core", "cumulative_types", "inspired_by"]

SAME_TYPE = 0.8
"""Cosine at or above which two activities are one type (MiniLM: paraphrases of one
activity score 0.8-0.95, different activities at one place 0.5-0.75)."""

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
