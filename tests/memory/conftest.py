"""Helpers for the memory tests: a tiny deterministic bag-of-words embedder."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from aga_npc.memory.text import tokens


def bow_embed(text: str, dim: int = 64) -> np.ndarray:
    """Hash each word to a signed coordinate; texts sharing words get a high cosine."""
    vec = np.zeros(dim, dtype=np.float64)
    for word in tokens(text):
        digest = hashlib.sha256(word.encode()).digest()
        idx = int.from_bytes(digest[:4], "little") % dim
        vec[idx] += 1.0 if digest[4] & 1 else -1.0
    norm = np.linalg.norm(vec)
    if norm == 0:
        vec[0] = 1.0
        norm = 1.0
    return (vec / norm).astype(np.float32)


@pytest.fixture
def embed():
    return bow_embed
