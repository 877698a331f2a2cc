"""A deterministic feature-hashing embedder: no model, no I/O, for unit tests and tools.

Features are lower-cased words (weight 1), word bigrams (0.5) and character trigrams of
each word (0.3), hashed with BLAKE2b (never Python's salted ``hash``) into signed buckets.
Texts sharing words land close together, so tests can exercise similarity, but it knows
nothing of meaning ("cook" and "prepare" are unrelated to it).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"[a-z0-9']+")


class HashingEmbedder:
    """Feature hashing into ``dim`` signed buckets, rows L2-normalised.

    Args:
        dim: vector dimension (>= 8).
        seed: mixes into every hash so that two seeds give unrelated spaces.

    The same text always gives the same vector, in any process on any platform.
    Thread-safe (stateless).
    """

    def __init__(self, dim: int = 256, *, seed: int = 0) -> None:
        if dim < 8:
            raise ValueError(f"hashing embedder dim must be >= 8, got {dim}")
        self.dim = dim
        self.seed = seed
        self.name = f"hashing:{dim}" + (f":{seed}" if seed else "")

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return ``(len(texts), dim)`` float32 rows of norm 1."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            self._fill(out[row], text)
        return out

    def _fill(self, row: npt.NDArray[np.float32], text: str) -> None:
        words = _WORD.findall(text.lower())
        feats: list[tuple[str, float]] = [(f"w:{w}", 1.0) for w in words]
        feats += [(f"b:{a} {b}", 0.5) for a, b in itertools.pairwise(words)]
        for w in words:
            padded = f"<{w}>"
            feats += [(f"c:{padded[i : i + 3]}", 0.3) for i in range(len(padded) - 2)]
        if not feats:
            feats = [("empty", 1.0)]
        for feat, weight in feats:
            digest = hashlib.blake2b(
                feat.encode("utf-8"), digest_size=8, key=self.seed.to_bytes(8, "little")
            ).digest()
            value = int.from_bytes(digest, "little")
            sign = 1.0 if value & 1 else -1.0
            row[(value >> 1) % self.dim] += sign * weight
        norm = float(np.linalg.norm(row))
        if norm == 0.0:  # features cancelled out exactly; fall back to a fixed direction
            row[0] = 1.0
        else:
            row /= norm
