"""The OpenAI-compatible embedder against a loopback server, and the local MiniLM model.

fakellm has no /embeddings endpoint, so the test starts a tiny HTTP server of its own on a
free loopback port and answers with the OpenAI response shape.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aga_npc.embed import LocalEmbedder, OpenAIEmbedder
from aga_npc.embed.local import verify_model
from aga_npc.errors import EmbeddingError
from aga_npc.policy import plan_similarity


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body})
        if self.server.mode == "fail":
            self._send(500, {"error": {"message": "boom", "type": "server_error"}})
            return
        inputs = body["input"]
        count = len(inputs) + (1 if self.server.mode == "short" else 0)
        data = [
            {"object": "embedding", "index": i, "embedding": [float(i + 1), 2.0, 0.0, 0.0]}
            for i in range(count)
        ]
        data.reverse()  # servers may answer out of order; the client sorts by index
        self._send(
            200,
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 3, "total_tokens": 3},
            },
        )

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    requests: list[dict[str, Any]]
    mode: str


@pytest.fixture()
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.requests, srv.mode = [], "ok"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join()


def _embedder(srv: _Server) -> OpenAIEmbedder:
    host, port = srv.server_address[:2]
    return OpenAIEmbedder(
        model="tiny-embed", base_url=f"http://{host!s}:{port}/v1", api_key="k", timeout=5
    )


def test_openai_embedder_orders_normalises_and_learns_dim(server: _Server) -> None:
    emb = _embedder(server)
    assert emb.dim == 0  # unknown model: learnt from the first answer
    vecs = emb.embed(["first", "second"])
    assert server.requests[0]["path"] == "/v1/embeddings"
    assert server.requests[0]["body"]["input"] == ["first", "second"]
    assert server.requests[0]["body"]["model"] == "tiny-embed"
    assert emb.dim == 4 and vecs.shape == (2, 4)
    np.testing.assert_allclose(vecs[0], np.array([1, 2, 0, 0]) / np.sqrt(5), rtol=1e-6)
    np.testing.assert_allclose(vecs[1], np.array([2, 2, 0, 0]) / np.sqrt(8), rtol=1e-6)
    assert "k" not in repr(emb)


def test_openai_embedder_errors_are_embedding_errors(server: _Server) -> None:
    emb = _embedder(server)
    server.mode = "fail"
    with pytest.raises(EmbeddingError, match="HTTP 500"):
        emb.embed(["x"])
    assert len(server.requests) == 1  # no SDK retries: the caller decides
    server.mode = "short"
    with pytest.raises(EmbeddingError, match="expected 1 vectors"):
        emb.embed(["x"])


def test_openai_embedder_unreachable_endpoint() -> None:
    emb = OpenAIEmbedder(model="m", base_url="http://127.0.0.1:9/v1", timeout=2, dim=4)
    with pytest.raises(EmbeddingError, match="failed"):
        emb.embed(["x"])


# -- the local model (the few tests that load it) -----------------------------------------


@pytest.fixture(scope="module")
def local() -> LocalEmbedder:
    emb = LocalEmbedder()
    emb.load()
    return emb


def test_local_vectors_unit_norm_and_batch_equals_single(local: LocalEmbedder) -> None:
    texts = ["cook dinner", "brewing coffee for customers at the cafe counter", "sleep"]
    batch = local.embed(texts)
    assert batch.shape == (3, 384) and batch.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, rtol=1e-5)
    singles = np.vstack([local.embed([t]) for t in texts])  # unpadded path
    np.testing.assert_allclose(batch, singles, atol=1e-5)


def test_local_model_scores_the_documented_lookalike(local: LocalEmbedder) -> None:
    # The model card measured 0.83 for this pair: a single threshold cannot separate it.
    v = local.embed(["cook dinner", "eat dinner"])
    assert 0.80 <= float(v[0] @ v[1]) <= 0.86
    cook_eat = plan_similarity("cook dinner", "eat dinner", embedder=local)
    assert not cook_eat.same and cook_eat.rule == "lookalike"
    assert abs(cook_eat.cosine - float(v[0] @ v[1])) < 1e-5
    assert plan_similarity("have breakfast", "eat breakfast", embedder=local).same
    assert plan_similarity(
        "having breakfast at home", "eat a quick breakfast in the kitchen", embedder=local
    ).same
    assert not plan_similarity(
        "brewing coffee for customers at the cafe counter",
        "drinking coffee at the cafe",
        embedder=local,
    ).same


def test_local_model_checksum_is_verified(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(EmbeddingError, match="checksum mismatch"):
        verify_model(fake)
    with pytest.raises(EmbeddingError, match="not found"):
        verify_model(tmp_path / "missing.onnx")
    with pytest.raises(EmbeddingError, match="checksum"):
        LocalEmbedder(model_path=fake).embed(["x"])


def test_plan_similarity_uses_the_default_local_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    from aga_npc.policy import matching

    for var in ("AGA_EMBED", "AGA_EMBED_MODEL"):
        monkeypatch.delenv(var, raising=False)
    matching._default_embedder.cache_clear()
    try:
        decision = plan_similarity("cook dinner", "eat dinner")
        assert decision.same is False and 0.80 <= decision.cosine <= 0.86
        assert matching._default_embedder().name.startswith("local:")
    finally:
        matching._default_embedder.cache_clear()
