"""Embeddings from any OpenAI-compatible ``/embeddings`` endpoint, through the openai SDK.

The SDK is imported on first use. Calls are synchronous (the runtime runs them in its
worker) with no SDK-level retries: the caller decides what a failure costs.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.errors import EmbeddingError

__all__ = ["KNOWN_DIMS", "OpenAIEmbedder"]

KNOWN_DIMS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
    "all-MiniLM-L6-v2": 384,
    "all-minilm": 384,
    "nomic-embed-text": 768,
}
CHUNK = 256


class OpenAIEmbedder:
    """An embedder backed by ``POST {base_url}/embeddings``.

    Args:
        model: the embedding model name the server knows.
        base_url: the endpoint (``None``: the SDK default, i.e. ``OPENAI_BASE_URL`` or OpenAI).
        api_key: the key (held in memory only; never shown by ``repr``).
        timeout: seconds per HTTP request.
        dim: the vector dimension; required for models not in :data:`KNOWN_DIMS`, else 0
            until the first answer fixes it.
        client: an ``openai.OpenAI`` client to use instead of building one.

    Vectors are L2-normalised here (some servers do not). Thread-safe.
    """

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        dim: int | None = None,
        client: Any = None,
    ) -> None:
        if not model:
            raise ValueError("embedding model name must not be empty")
        self.model = model
        self.name = f"openai:{model}"
        self.dim = dim if dim is not None else KNOWN_DIMS.get(model, 0)
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = timeout
        self._client = client
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenAIEmbedder(model={self.model!r}, base_url={self._base_url!r})"

    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    openai = importlib.import_module("openai")
                except ImportError as exc:
                    raise EmbeddingError(
                        f"the openai embedder needs the openai SDK: {exc}"
                    ) from exc
                self._client = openai.OpenAI(
                    base_url=self._base_url,
                    api_key=self._api_key or "not-needed",
                    max_retries=0,
                    timeout=self._timeout,
                )
            return self._client

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return ``(len(texts), dim)`` float32 rows of norm 1.

        Raises:
            EmbeddingError: the request failed, or the answer is malformed or has an
                unexpected dimension (the message names the endpoint and model).
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        client = self._get_client()
        rows: list[npt.NDArray[np.float32]] = []
        for start in range(0, len(texts), CHUNK):
            rows.append(self._call(client, texts[start : start + CHUNK]))
        out = np.concatenate(rows, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise EmbeddingError(f"{self._where()}: the server returned a zero vector")
        return (out / norms).astype(np.float32)

    def _where(self) -> str:
        return f"embeddings endpoint {self._base_url or 'default'} (model {self.model})"

    def _call(self, client: Any, chunk: list[str]) -> npt.NDArray[np.float32]:
        try:
            response = client.embeddings.create(model=self.model, input=chunk)
        except Exception as exc:  # the SDK's error tree; all of it means "no vectors"
            status = getattr(exc, "status_code", None)
            extra = f" (HTTP {status})" if status else ""
            raise EmbeddingError(f"{self._where()} failed{extra}: {exc}") from exc
        try:
            items = sorted(response.data, key=lambda d: d.index)
            mat = np.asarray([item.embedding for item in items], dtype=np.float32)
        except (AttributeError, TypeError, ValueError) as exc:
            raise EmbeddingError(f"{self._where()}: malformed answer: {exc}") from exc
        if mat.ndim != 2 or mat.shape[0] != len(chunk):
            raise EmbeddingError(
                f"{self._where()}: expected {len(chunk)} vectors, got shape {mat.shape}"
            )
        if self.dim == 0:
            self.dim = int(mat.shape[1])
        elif mat.shape[1] != self.dim:
            raise EmbeddingError(
                f"{self._where()}: vectors have dim {mat.shape[1]}, expected {self.dim}"
            )
        return mat
