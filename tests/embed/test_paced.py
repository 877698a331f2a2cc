"""PacedEmbedder: the same vectors, computed chunk by chunk after a pause for the frame."""

from __future__ import annotations

import numpy as np
import pytest

from aga_npc.embed import HashingEmbedder
from aga_npc.embed.paced import PacedEmbedder
from aga_npc.ports import Embedder
from aga_npc.testing import ManualClock

TEXTS = ["have breakfast", "eat breakfast", "play the piano", "go to sleep", "read"]


class Timed:
    """A hashing embedder that takes 4 ms of the manual clock per text."""

    def __init__(self, clock: ManualClock) -> None:
        self.inner = HashingEmbedder(dim=32)
        self.name, self.dim = self.inner.name, self.inner.dim
        self.clock = clock
        self.calls: list[list[str]] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        self.clock.advance(0.004 * len(texts))
        return self.inner.embed(texts)


def test_same_vectors_in_chunks_with_a_pause_before_each() -> None:
    clock = ManualClock()
    inner = Timed(clock)
    pauses: list[float] = []
    paced = PacedEmbedder(inner, pauses.append, chunk=2, clock=clock)
    assert isinstance(paced, Embedder) and paced.name == inner.name and paced.dim == 32
    out = paced.embed(TEXTS)
    np.testing.assert_array_equal(out, HashingEmbedder(dim=32).embed(TEXTS))
    assert inner.calls == [TEXTS[0:2], TEXTS[2:4], TEXTS[4:5]]
    # The first chunk's length is unknown; then the learnt seconds per text times its size.
    assert pauses == pytest.approx([0.0, 0.008, 0.004])
    assert paced.per_text == pytest.approx(0.004)


def test_no_texts_and_bad_chunk() -> None:
    paced = PacedEmbedder(HashingEmbedder(dim=8), lambda s: None)
    assert paced.embed([]).shape == (0, 8)
    with pytest.raises(ValueError, match="chunk"):
        PacedEmbedder(HashingEmbedder(dim=8), lambda s: None, chunk=0)
