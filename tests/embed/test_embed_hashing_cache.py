"""Hashing embedder determinism and the thread-safe embedding cache."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from aga_npc.config import Settings
from aga_npc.embed import CachedEmbedder, HashingEmbedder, build_embedder
from aga_npc.errors import ConfigError, EmbeddingError
from aga_npc.ports import Embedder

TEXTS = ["have breakfast", "eat breakfast", "play the piano", "", "go to sleep"]


def test_hashing_is_deterministic_unit_norm_and_shaped() -> None:
    emb = HashingEmbedder(dim=64)
    a = emb.embed(TEXTS)
    b = HashingEmbedder(dim=64).embed(TEXTS)
    assert a.shape == (5, 64) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert isinstance(emb, Embedder)


def test_hashing_is_the_same_in_another_process() -> None:
    code = (
        "import json; from aga_npc.embed import HashingEmbedder; "
        f"print(json.dumps(HashingEmbedder(dim=32).embed({TEXTS!r}).tolist()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    np.testing.assert_array_equal(
        np.asarray(json.loads(out), dtype=np.float32), HashingEmbedder(dim=32).embed(TEXTS)
    )


def test_hashing_shares_words_and_seeds_separate_spaces() -> None:
    emb = HashingEmbedder()
    v = emb.embed(["have breakfast at home", "eat breakfast at home", "repair the old bicycle"])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    other = HashingEmbedder(seed=7).embed(["have breakfast at home"])[0]
    assert abs(float(other @ v[0])) < 0.5
    assert HashingEmbedder(seed=7).name != emb.name


class CountingEmbedder:
    """An embedder that records every batch it is asked for."""

    name = "counting"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.inner = HashingEmbedder(dim=8)
        self.lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self.lock:
            self.calls.append(list(texts))
        return self.inner.embed(texts)


def test_cache_embeds_only_missing_texts_once() -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner)
    first = cache.embed(["a", "b", "a"])
    second = cache.embed(["b", "c"])
    assert inner.calls == [["a", "b"], ["c"]]
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[1], second[0])
    np.testing.assert_array_equal(cache.cached("c"), inner.inner.embed(["c"])[0])
    assert cache.cached("zzz") is None
    assert cache.embed([]).shape == (0, 8)


def test_cache_queues_new_vectors_for_persistence_and_loads_without_queueing() -> None:
    cache = CachedEmbedder(CountingEmbedder())
    cache.embed(["x", "y"])
    assert [t for t, _ in cache.take_new()] == ["x", "y"]
    assert cache.take_new() == []
    other = CachedEmbedder(CountingEmbedder())
    assert other.load(cache.items()) == 2
    assert other.take_new() == []
    assert other.embed(["x"]).shape == (1, 8)
    assert other.inner.calls == []  # type: ignore[attr-defined]
    with pytest.raises(EmbeddingError, match="dim"):
        other.load([("bad", np.zeros(3, dtype=np.float32))])


def test_cache_is_bounded_lru() -> None:
    cache = CachedEmbedder(CountingEmbedder(), max_entries=2)
    cache.embed(["a", "b"])
    cache.cached("a")  # a is now the most recent
    cache.embed(["c"])
    assert cache.cached("b") is None
    assert cache.cached("a") is not None and cache.cached("c") is not None


def test_cache_rejects_wrong_shapes_from_the_inner_embedder() -> None:
    class Broken(CountingEmbedder):
        def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            return np.zeros((len(texts) + 1, 8), dtype=np.float32)

    with pytest.raises(EmbeddingError, match="shape"):
        CachedEmbedder(Broken()).embed(["a"])


def test_cache_is_safe_under_concurrent_use() -> None:
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner)
    texts = [f"text {i % 40}" for i in range(400)]
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for i in range(offset, len(texts), 4):
                vec = cache.embed([texts[i]])[0]
                np.testing.assert_array_equal(vec, inner.inner.embed([texts[i]])[0])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(cache) == 40
    assert len({t for batch in inner.calls for t in batch}) == 40


def test_factory_builds_each_backend_and_rejects_foreign_local_models() -> None:
    hashing = build_embedder(Settings(embed="hashing"))
    assert isinstance(hashing, CachedEmbedder) and hashing.name.startswith("hashing")
    assert build_embedder(Settings(embed="local"), cache=False).name.startswith("local:")
    remote = build_embedder(Settings(embed="openai", base_url="http://127.0.0.1:9"), cache=False)
    assert remote.name == "openai:text-embedding-3-small" and remote.dim == 1536
    with pytest.raises(ConfigError, match="AGA_EMBED_MODEL"):
        build_embedder(Settings(embed="local", embed_model="bge-small"))
