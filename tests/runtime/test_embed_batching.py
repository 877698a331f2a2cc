"""InlineGateway with batched embeddings: one inner call per pump, cache first, worker thread."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from aga_npc.embed import CachedEmbedder, HashingEmbedder
from aga_npc.errors import EmbeddingError, GatewayClosedError
from aga_npc.runtime import InlineGateway
from aga_npc.runtime.batching import batch_embedder
from aga_npc.testing import FakeLLM
from aga_npc.types import CallResult


class Counting:
    """A hashing embedder that records every call (texts, thread) and can be made to fail."""

    def __init__(self, *, fail: bool = False, wrong_shape: bool = False) -> None:
        self.base = HashingEmbedder(64)
        self.name = "counting"
        self.dim = 64
        self.calls: list[list[str]] = []
        self.threads: list[str] = []
        self.fail = fail
        self.wrong_shape = wrong_shape

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        self.threads.append(threading.current_thread().name)
        if self.fail:
            raise EmbeddingError("model fell over")
        out = self.base.embed(texts)
        return out[:-1] if self.wrong_shape else out


def gateway(**kw: Any) -> InlineGateway:
    return InlineGateway(FakeLLM(), **kw)


def value(ticket: Any) -> npt.NDArray[np.float32]:
    result = ticket.result()
    assert isinstance(result, CallResult)
    assert result.ok, result.error
    return np.asarray(result.value)


def test_calls_of_one_pump_become_one_inner_call_with_each_text_once() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    gw = gateway(batch_embeddings=True)
    a = gw.submit_call(cache.embed, ["bed is idle", "Ada is reading"], agent="Ada")
    b = gw.submit_call(cache.embed, ["Bram is cooking", "bed is idle"], agent="Bram")
    gw.pump()
    assert inner.calls == [["bed is idle", "Ada is reading", "Bram is cooking"]]
    want = HashingEmbedder(64)
    np.testing.assert_array_equal(value(a), want.embed(["bed is idle", "Ada is reading"]))
    np.testing.assert_array_equal(value(b), want.embed(["Bram is cooking", "bed is idle"]))
    assert gw.stats()["embed_jobs"] == 1
    assert gw.stats()["embed_texts"] == 4
    assert gw.stats()["embed_computed"] == 3
    gw.close()


def test_cached_texts_are_not_computed_again_and_new_ones_are_cached() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    cache.embed(["bed is idle"])
    gw = gateway(batch_embeddings=True)
    t = gw.submit_call(cache.embed, ["bed is idle", "a new text"])
    gw.pump()
    assert inner.calls[1:] == [["a new text"]]
    assert value(t).shape == (2, 64)
    assert cache.cached("a new text") is not None
    assert [text for text, _ in cache.take_new()] == ["bed is idle", "a new text"]
    gw.close()


def test_without_batching_each_call_runs_on_its_own() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    gw = gateway()
    gw.submit_call(cache.embed, ["one"])
    gw.submit_call(cache.embed, ["two"])
    gw.pump()
    assert inner.calls == [["one"], ["two"]]
    gw.close()


def test_worker_computes_off_the_calling_thread_and_delivers_at_the_next_pump() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    gw = gateway(embed_worker=True)
    t = gw.submit_call(cache.embed, ["on a worker"])
    gw.pump()
    assert not t.done()  # due at the next pump, whatever the worker's speed
    assert cache.cached("on a worker") is None  # the cache changes on this thread only
    gw.pump()
    assert t.done()
    assert inner.threads == [inner.threads[0]]
    assert inner.threads[0] != threading.current_thread().name
    np.testing.assert_array_equal(value(t), HashingEmbedder(64).embed(["on a worker"]))
    assert cache.cached("on a worker") is not None
    gw.close()


def test_a_text_already_in_flight_is_taken_from_the_earlier_job() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    gw = gateway(embed_worker=True)
    first = gw.submit_call(cache.embed, ["shared text"])
    gw.pump()
    second = gw.submit_call(cache.embed, ["shared text", "other"])
    gw.pump()
    gw.pump()
    assert inner.calls == [["shared text"], ["other"]]
    np.testing.assert_array_equal(value(first)[0], value(second)[0])
    gw.close()


def test_worker_and_inline_runs_give_the_same_vectors_and_cache() -> None:
    def run(worker: bool) -> tuple[list[Any], list[str]]:
        cache = CachedEmbedder(Counting())
        gw = gateway(batch_embeddings=True, embed_worker=worker)
        tickets = []
        for i in range(5):
            tickets.append(gw.submit_call(cache.embed, [f"text {i}", f"text {i + 1}"]))
            gw.pump()
        gw.pump()
        out = [value(t).tolist() for t in tickets]
        gw.close()
        return out, [text for text, _ in cache.items()]

    assert run(True) == run(False)


def test_a_failing_embedder_fails_every_call_of_the_job() -> None:
    cache = CachedEmbedder(Counting(fail=True))
    gw = gateway(batch_embeddings=True)
    a = gw.submit_call(cache.embed, ["x"])
    b = gw.submit_call(cache.embed, ["y"])
    gw.pump()
    for t in (a, b):
        result = t.result()
        assert not result.ok and isinstance(result.error, EmbeddingError)
        assert "fell over" in str(result.error)
    assert cache.cached("x") is None
    gw.close()


def test_a_wrong_shape_from_the_embedder_is_an_error_not_a_vector() -> None:
    cache = CachedEmbedder(Counting(wrong_shape=True))
    gw = gateway(embed_worker=True)
    t = gw.submit_call(cache.embed, ["x", "y"])
    gw.pump()
    gw.pump()
    result = t.result()
    assert not result.ok and "shape" in str(result.error)
    assert len(cache) == 0
    gw.close()


def test_an_uncached_embedder_is_batched_too() -> None:
    inner = Counting()
    gw = gateway(batch_embeddings=True)
    a = gw.submit_call(inner.embed, ["x", "y"])
    b = gw.submit_call(inner.embed, ["y"])
    gw.pump()
    assert inner.calls == [["x", "y"]]
    np.testing.assert_array_equal(value(b)[0], value(a)[1])
    gw.close()


def test_only_an_embedders_embed_of_texts_is_batched() -> None:
    inner = Counting()

    def embed(texts: list[str]) -> int:  # named embed, but no embedder behind it
        return len(texts)

    assert batch_embedder(inner.embed, (["a"],)) is inner
    assert batch_embedder(embed, (["a"],)) is None
    assert batch_embedder(inner.embed, ("a string",)) is None
    assert batch_embedder(inner.embed, ([1, 2],)) is None
    assert batch_embedder(inner.embed, (["a"], 2)) is None
    gw = gateway(batch_embeddings=True)
    t = gw.submit_call(embed, ["a", "b"])
    gw.pump()
    assert t.result().value == 2
    gw.close()


def test_close_with_a_job_in_flight_closes_its_tickets() -> None:
    cache = CachedEmbedder(Counting())
    gw = gateway(embed_worker=True)
    t = gw.submit_call(cache.embed, ["x"])
    gw.pump()
    gw.close()
    result = t.result()
    assert isinstance(result.error, GatewayClosedError)
    assert gw.pending_count() == 0 and gw.in_flight_count() == 0


def test_cancelled_ticket_in_a_job_keeps_its_cancellation() -> None:
    cache = CachedEmbedder(Counting())
    gw = gateway(embed_worker=True)
    a = gw.submit_call(cache.embed, ["x"])
    b = gw.submit_call(cache.embed, ["y"])
    gw.pump()
    assert a.cancel()
    gw.pump()
    assert a.result().outcome == "cancelled"
    assert value(b).shape == (1, 64)
    gw.close()


@pytest.mark.parametrize("bad", [0, -1])
def test_cache_remember_refuses_a_wrong_row_count(bad: int) -> None:
    cache = CachedEmbedder(HashingEmbedder(64))
    rows = np.zeros((2 + bad if bad else 1, 64), dtype=np.float32)
    with pytest.raises(EmbeddingError, match="shape"):
        cache.remember(["a", "b"], rows)
    assert len(cache) == 0


def test_two_worker_threads_share_a_job_each_text_computed_once() -> None:
    inner = Counting()
    cache = CachedEmbedder(inner)
    gw = gateway(embed_worker=True, embed_threads=2)
    texts = [f"memory number {i}" + "!" * i for i in range(9)]
    a = gw.submit_call(cache.embed, texts[:5])
    b = gw.submit_call(cache.embed, texts[3:])
    gw.pump()
    gw.pump()
    assert len(inner.calls) == 2
    assert sorted(t for call in inner.calls for t in call) == sorted(texts)
    want = HashingEmbedder(64)
    np.testing.assert_array_equal(value(a), want.embed(texts[:5]))
    np.testing.assert_array_equal(value(b), want.embed(texts[3:]))
    assert [t for t, _ in cache.items()] == texts  # filled in the order asked, not computed
    with pytest.raises(ValueError, match="embed_threads"):
        InlineGateway(FakeLLM(), embed_threads=0)
    gw.close()
