"""Record/replay: completions keyed by a hash of the request, kept in a msgpack file.

``Recorder`` wraps a live backend and stores every answer it gets; ``Replayer`` is a
backend that answers from such a file with no network at all (deterministic reruns, CI
from recorded real-LLM transcripts) and raises ``ReplayMissError`` for unknown requests.

File format (msgpack map)::

    {"format": "aga_npc.llm.recording", "version": 1,
     "entries": {content_hash: {"text", "prompt_tokens", "completion_tokens", "model",
                                "backend", "module"}}}

Files are written atomically (temporary file, fsync, ``os.replace``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgpack

from aga_npc.errors import CorruptFileError, ReplayMissError, SchemaVersionError, StoreError
from aga_npc.llm.context import close_backend, current_sink
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["RECORDING_VERSION", "Recorder", "Replayer", "load_recording", "save_recording"]

RECORDING_FORMAT = "aga_npc.llm.recording"
RECORDING_VERSION = 1
_FIELDS = ("text", "prompt_tokens", "completion_tokens", "model", "backend", "module")


def _check_entry(path: str, key: Any, entry: Any) -> dict[str, Any]:
    if not isinstance(key, str) or not isinstance(entry, dict):
        raise CorruptFileError(path, None, f"entry {key!r} is not a map keyed by a string")
    missing = [f for f in _FIELDS if f not in entry]
    if missing:
        raise CorruptFileError(path, None, f"entry {key[:12]} lacks {', '.join(missing)}")
    return entry


def load_recording(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Read a recording file: ``{content_hash: entry}``.

    Raises:
        StoreError: the file does not exist.
        CorruptFileError: not msgpack, truncated, or not a recording (names file and offset).
        SchemaVersionError: written by a newer recording version.
    """
    p = os.fspath(path)
    try:
        blob = Path(p).read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{p}: no such recording file") from None
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
    unpacker.feed(blob)
    try:
        data = unpacker.unpack()
    except msgpack.OutOfData:
        raise CorruptFileError(p, len(blob), "file ends in the middle of the data") from None
    except (msgpack.ExtraData, ValueError, TypeError) as exc:
        raise CorruptFileError(p, unpacker.tell(), str(exc)) from exc
    if unpacker.tell() != len(blob):
        raise CorruptFileError(p, unpacker.tell(), "trailing bytes after the recording")
    if not isinstance(data, dict) or data.get("format") != RECORDING_FORMAT:
        raise CorruptFileError(p, 0, f"not an {RECORDING_FORMAT} file")
    version = data.get("version")
    if not isinstance(version, int) or version > RECORDING_VERSION or version < 1:
        raise SchemaVersionError(
            f"{p}: recording version {version!r}; this aga_npc reads up to {RECORDING_VERSION}"
        )
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise CorruptFileError(p, None, "'entries' is not a map")
    return {k: _check_entry(p, k, v) for k, v in entries.items()}


def save_recording(path: str | os.PathLike[str], entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Write a recording file atomically (temp file in the same folder, fsync, rename)."""
    p = Path(path)
    blob = msgpack.packb(
        {
            "format": RECORDING_FORMAT,
            "version": RECORDING_VERSION,
            "entries": {k: dict(v) for k, v in sorted(entries.items())},
        },
        use_bin_type=True,
    )
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=p.name + ".", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Recorder:
    """Stores every successful completion of ``inner`` under the request's content hash.

    Existing entries of ``path`` are kept (recordings accumulate across runs). The file is
    written every ``autosave_every`` new entries and on ``flush()`` / ``aclose()``.
    """

    def __init__(
        self, inner: LLMBackend, path: str | os.PathLike[str], *, autosave_every: int = 20
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.path = Path(path)
        self.autosave_every = max(1, autosave_every)
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] = (
            load_recording(self.path) if self.path.exists() else {}
        )
        self._unsaved = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def complete(self, request: LLMRequest) -> LLMResult:
        result = await self.inner.complete(request)
        entry = {
            "text": result.text,
            "prompt_tokens": result.usage.prompt_tokens,
            "completion_tokens": result.usage.completion_tokens,
            "model": result.model or self.model,
            "backend": result.backend or self.name,
            "module": request.module_name,
        }
        with self._lock:
            self._entries[request.content_hash()] = entry
            self._unsaved += 1
            due = self._unsaved >= self.autosave_every
        if due:
            self.flush()
        return result

    def flush(self) -> None:
        """Write all entries to the file now (atomic)."""
        with self._lock:
            snapshot = dict(self._entries)
            self._unsaved = 0
        save_recording(self.path, snapshot)

    async def aclose(self) -> None:
        self.flush()
        await close_backend(self.inner)


class Replayer:
    """A backend that answers from a recording file; no network, no model.

    Results carry the recorded text, usage and model, ``backend="replay"`` and outcome
    ``"replayed"``. Streaming requests get the whole text as one delta.

    Raises:
        ReplayMissError: the request (by content hash) was never recorded.
    """

    name = "replay"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._entries = load_recording(self.path)
        models = {str(e["model"]) for e in self._entries.values()}
        self.model = models.pop() if len(models) == 1 else "replay"

    def __len__(self) -> int:
        return len(self._entries)

    async def complete(self, request: LLMRequest) -> LLMResult:
        key = request.content_hash()
        entry = self._entries.get(key)
        if entry is None:
            raise ReplayMissError(
                f"{self.path}: no recording of {request.module_name} for {request.agent} "
                f"(request hash {key[:12]})"
            )
        text = str(entry["text"])
        sink = current_sink()
        if sink is not None and request.stream:
            sink.reset()
            sink.delta(text)
        return LLMResult(
            text=text,
            usage=Usage(
                prompt_tokens=int(entry["prompt_tokens"]),
                completion_tokens=int(entry["completion_tokens"]),
            ),
            latency=0.0,
            attempts=0,
            backend=self.name,
            model=str(entry["model"]),
            outcome="replayed",
        )
