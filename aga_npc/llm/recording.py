"""Record/replay: every answer (or failure) of a run, keyed by a hash of the request.

``Recorder`` wraps a live backend and stores what it returns; ``Replayer`` is a backend that
answers from such a file with no network and no model at all (deterministic reruns, bug
reports, CI from recorded real-model transcripts).

What a replay reproduces: for every request, in the order the run asked it, the recorded
text, the token usage (cached prompt tokens included), the attempts below the recorder
(transient failures that were retried, with their error kinds) and a failure after the
last retry (raised again as the same ``LLMError`` kind). A run that asks what the recorded
run asked, in the same order, is therefore served exactly what the recorded run was served.

The miss rule: a request the recording lacks - another seed, another town, changed code -
raises ``ReplayMissError`` naming the request kind, the agent, the game day and how the
recording was made; a request asked more often than it was recorded is a miss too. A
replay never falls back to a model. ``Replayer.first_miss`` keeps the first one, so a run
can stop on it (``python -m aga_npc.sim run --replay`` exits 2) or go on with the callers'
fallbacks (the demo).

File format (msgpack map)::

    {"format": "aga_npc.llm.recording", "version": 2,
     "meta": {"backend", "model", "base_url", "seed", "run": {...}, "aga_npc"},
     "entries": {content_hash: [answer, ...]}}     # one answer per time it was asked

    answer = {"text", "prompt_tokens", "completion_tokens", "cached_tokens", "model",
              "backend", "module", "agent", "day", "error", "message",
              "attempts": [{"kind", "prompt_tokens", "completion_tokens",
                            "cached_tokens", "error_kind", "model"}, ...]}

``meta`` says which model and endpoint answered and the run's seed; it never holds the API
key (``base_url`` loses any user, password and query string). Version 1 files (one answer
per hash, no meta) still load. Files are written atomically (``aga_npc.store.atomic``).
"""

from __future__ import annotations

import asyncio
import os
import threading
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgpack

from aga_npc import errors as _errors
from aga_npc.errors import (
    CorruptFileError,
    LLMError,
    ReplayMissError,
    SchemaVersionError,
    StoreError,
)
from aga_npc.llm.context import (
    ATTEMPT_KINDS,
    Attempt,
    close_backend,
    current_attempt_kind,
    current_sink,
    current_trace,
    error_kind,
)
from aga_npc.ports import LLMBackend
from aga_npc.store.atomic import atomic_write_bytes
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = [
    "RECORDING_VERSION",
    "Recorder",
    "Recording",
    "Replayer",
    "describe_meta",
    "load_recording",
    "public_base_url",
    "read_recording",
    "save_recording",
]

RECORDING_FORMAT = "aga_npc.llm.recording"
RECORDING_VERSION = 2
_FIELDS = ("text", "prompt_tokens", "completion_tokens", "model", "backend", "module")
_INT_FIELDS = ("prompt_tokens", "completion_tokens")

Answer = dict[str, Any]


def public_base_url(url: str | None) -> str | None:
    """``url`` without user, password, query string or fragment (where keys may hide)."""
    if not url:
        return url
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def describe_meta(meta: Mapping[str, Any]) -> str:
    """How a recording was made, in words ("openai model m at URL, seed 0, mode aga ...")."""
    if not meta:
        return "an unknown run (the file says nothing about it)"
    words = [f"{meta.get('backend', '?')} model {meta.get('model', '?')}"]
    if meta.get("base_url"):
        words[0] += f" at {meta['base_url']}"
    if meta.get("seed") is not None:
        words.append(f"seed {meta['seed']}")
    run = meta.get("run") or {}
    words.extend(f"{k} {run[k]}" for k in sorted(run) if k != "seed")
    return ", ".join(words)


def _check_answer(path: str, key: str, answer: Any) -> Answer:
    if not isinstance(answer, dict):
        raise CorruptFileError(path, None, f"entry {key[:12]} is not a map")
    missing = [f for f in _FIELDS if f not in answer]
    if missing:
        raise CorruptFileError(path, None, f"entry {key[:12]} lacks {', '.join(missing)}")
    for f in _INT_FIELDS:
        if not isinstance(answer[f], int) or answer[f] < 0:
            raise CorruptFileError(path, None, f"entry {key[:12]}: {f} is not a token count")
    attempts = answer.get("attempts", [])
    if not isinstance(attempts, list) or not all(
        isinstance(a, dict) and a.get("kind", "first") in ATTEMPT_KINDS for a in attempts
    ):
        raise CorruptFileError(path, None, f"entry {key[:12]}: 'attempts' is malformed")
    return answer


def _check_entry(path: str, key: Any, value: Any, version: int) -> list[Answer]:
    if not isinstance(key, str):
        raise CorruptFileError(path, None, f"entry {key!r} is not keyed by a string")
    if version == 1:  # one answer per request hash
        if not isinstance(value, dict):
            raise CorruptFileError(path, None, f"entry {key[:12]} is not a map")
        return [_check_answer(path, key, value)]
    if not isinstance(value, list) or not value:
        raise CorruptFileError(path, None, f"entry {key[:12]} is not a list of answers")
    return [_check_answer(path, key, a) for a in value]


class Recording:
    """A recording file's contents: ``meta`` and ``entries`` (hash -> answers in order)."""

    __slots__ = ("entries", "meta", "path")

    def __init__(self, path: str, meta: dict[str, Any], entries: dict[str, list[Answer]]) -> None:
        self.path = path
        self.meta = meta
        self.entries = entries

    def __len__(self) -> int:
        """Answers recorded (a request asked twice counts twice)."""
        return sum(len(v) for v in self.entries.values())


def read_recording(path: str | os.PathLike[str]) -> Recording:
    """Read a recording file (version 1 or 2).

    Raises:
        StoreError: the file does not exist or cannot be read.
        CorruptFileError: not msgpack, truncated, or not a recording (names file and offset).
        SchemaVersionError: written by a newer recording version.
    """
    p = os.fspath(path)
    try:
        blob = Path(p).read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{p}: no such recording file") from None
    except OSError as exc:
        raise StoreError(f"{p}: cannot read the recording: {exc}") from exc
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
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise CorruptFileError(p, None, "'meta' is not a map")
    return Recording(p, meta, {k: _check_entry(p, k, v, version) for k, v in entries.items()})


def load_recording(path: str | os.PathLike[str]) -> dict[str, Answer]:
    """The last answer recorded per request hash (see ``read_recording`` for the errors)."""
    return {k: v[-1] for k, v in read_recording(path).entries.items()}


def save_recording(
    path: str | os.PathLike[str],
    entries: Mapping[str, Any],
    *,
    meta: Mapping[str, Any] | None = None,
) -> None:
    """Write a recording file atomically (temp file in the same folder, fsync, rename).

    ``entries`` maps a request hash to its answers in order (a single answer map is taken
    as a list of one).

    Raises:
        StoreError: the file could not be written.
    """
    p = Path(path)
    body = {
        k: [dict(a) for a in v] if isinstance(v, list) else [dict(v)]
        for k, v in sorted(entries.items())
    }
    blob = msgpack.packb(
        {
            "format": RECORDING_FORMAT,
            "version": RECORDING_VERSION,
            "meta": dict(meta or {}),
            "entries": body,
        },
        use_bin_type=True,
    )
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{p}: cannot write the recording: {exc}") from exc
    atomic_write_bytes(p, blob)


def _attempt_row(a: Attempt) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "prompt_tokens": a.usage.prompt_tokens,
        "completion_tokens": a.usage.completion_tokens,
        "cached_tokens": a.usage.cached_tokens,
        "error_kind": a.error_kind,
        "model": a.model,
    }


class Recorder:
    """Stores every answer and every failure of ``inner`` under the request's content hash.

    Args:
        inner: the live stack below (retries, the backend).
        path: the recording file.
        meta: what to write as the file's ``meta`` (model, endpoint, seed ...; never a key).
        append: keep the answers already in ``path`` (recordings accumulate across runs);
            False starts the file afresh.
        autosave_every: the file is written every this many new answers, and on
            ``flush()`` / ``aclose()``.
    """

    def __init__(
        self,
        inner: LLMBackend,
        path: str | os.PathLike[str],
        *,
        meta: Mapping[str, Any] | None = None,
        append: bool = True,
        autosave_every: int = 20,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.path = Path(path)
        self.autosave_every = max(1, autosave_every)
        self._lock = threading.Lock()
        self._entries: dict[str, list[Answer | None]] = {}
        self._meta = dict(meta or {})
        if append and self.path.exists():
            old = read_recording(self.path)
            self._entries = {k: list(v) for k, v in old.entries.items()}
            self._meta = {**old.meta, **self._meta}
        self._unsaved = 0

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for v in self._entries.values() for a in v if a is not None)

    async def complete(self, request: LLMRequest) -> LLMResult:
        key = request.content_hash()
        with self._lock:  # the slot is taken when the request is asked, not answered
            slots = self._entries.setdefault(key, [])
            slot = len(slots)
            slots.append(None)
        trace = current_trace()
        start = len(trace.attempts) if trace is not None else 0
        try:
            result = await self.inner.complete(request)
        except asyncio.CancelledError:
            raise
        except LLMError as exc:
            self._store(key, slot, self._answer(request, None, exc, trace, start))
            raise
        self._store(key, slot, self._answer(request, result, None, trace, start))
        return result

    def _answer(
        self,
        request: LLMRequest,
        result: LLMResult | None,
        error: LLMError | None,
        trace: Any,
        start: int,
    ) -> Answer:
        usage = result.usage if result is not None else Usage()
        attempts = trace.attempts[start:] if trace is not None else []
        return {
            "text": result.text if result is not None else "",
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cached_tokens": usage.cached_tokens,
            "model": (result.model if result is not None else "") or self.model,
            "backend": (result.backend if result is not None else "") or self.name,
            "module": request.module_name,
            "agent": request.agent,
            "day": request.day,
            "error": error_kind(error) if error is not None else "",
            "message": str(error) if error is not None else "",
            "attempts": [_attempt_row(a) for a in attempts],
        }

    def _store(self, key: str, slot: int, answer: Answer) -> None:
        with self._lock:
            self._entries[key][slot] = answer
            self._unsaved += 1
            due = self._unsaved >= self.autosave_every
        if due:
            self.flush()

    def flush(self) -> None:
        """Write all answers to the file now (atomic). Requests still unanswered (in
        flight, or cancelled) are left out."""
        with self._lock:
            snapshot = {
                k: answers
                for k, v in self._entries.items()
                if (answers := [a for a in v if a is not None])
            }
            self._unsaved = 0
        save_recording(self.path, snapshot, meta=self._meta)

    async def aclose(self) -> None:
        self.flush()
        await close_backend(self.inner)


def _error_classes() -> dict[str, type[LLMError]]:
    out: dict[str, type[LLMError]] = {}
    for name in _errors.__all__:
        cls = getattr(_errors, name)
        if isinstance(cls, type) and issubclass(cls, LLMError):
            out.setdefault(cls.kind, cls)
    return out


def _recorded_error(kind: str, message: str) -> LLMError:
    """The ``LLMError`` of ``kind`` again (a generic one carrying the kind when unknown)."""
    cls = _error_classes().get(kind)
    if cls is not None:
        try:
            return cls(message)
        except TypeError:
            pass
    error = LLMError(message)
    error.kind = kind
    return error


class Replayer:
    """A backend that answers from a recording file; no network, no model.

    The n-th time a request is asked it gets the n-th answer recorded for it. Results carry
    the recorded text, usage, model and number of backend calls (``attempts``),
    ``backend="replay"`` and outcome ``"replayed"``;
    the recorded attempts (retries below the recorder) go into the request's trace as they
    were, so the ledger of a replayed run has the recorded run's entries. A recorded
    failure is raised again. Streaming requests get the whole text as one delta.

    Raises:
        ReplayMissError: the request (by content hash) was never recorded, or was asked
            more often than recorded (see the module docstring); kept in ``first_miss``.
        StoreError / CorruptFileError / SchemaVersionError: from reading the file.
    """

    name = "replay"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        recording = read_recording(self.path)
        self.meta = recording.meta
        self._entries = recording.entries
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.first_miss: ReplayMissError | None = None
        self.misses = 0
        models = {str(a["model"]) for v in self._entries.values() for a in v}
        self.model = str(self.meta.get("model") or (models.pop() if len(models) == 1 else "replay"))

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def _miss(self, request: LLMRequest, key: str, asked: int) -> ReplayMissError:
        times = f", asked {asked + 1} times but recorded {asked}" if asked else ""
        day = f" on day {request.day}" if request.day else ""
        error = ReplayMissError(
            f"{self.path}: no recording of {request.module_name} for {request.agent}{day}"
            f"{times} (request hash {key[:12]}); the recording was made with "
            f"{describe_meta(self.meta)}, and a replay must run the same town, seed and "
            "code as the recorded run"
        )
        with self._lock:
            self.misses += 1
            if self.first_miss is None:
                self.first_miss = error
        return error

    def _next(self, request: LLMRequest) -> Answer:
        key = request.content_hash()
        with self._lock:
            answers = self._entries.get(key, [])
            n = self._served.get(key, 0)
            if n < len(answers):
                self._served[key] = n + 1
                return answers[n]
        raise self._miss(request, key, n)

    async def complete(self, request: LLMRequest) -> LLMResult:
        answer = self._next(request)
        trace = current_trace()
        rows = answer.get("attempts") or [
            {
                "kind": current_attempt_kind(),
                "prompt_tokens": answer["prompt_tokens"],
                "completion_tokens": answer["completion_tokens"],
                "cached_tokens": answer.get("cached_tokens", 0),
                "error_kind": answer.get("error", ""),
                "model": answer["model"],
            }
        ]
        failed = bool(answer.get("error"))
        if trace is not None:
            last = len(rows) - 1
            for i, row in enumerate(rows):
                trace.add(
                    Attempt(
                        kind=str(row.get("kind", "first")),
                        usage=Usage(
                            prompt_tokens=int(row.get("prompt_tokens", 0)),
                            completion_tokens=int(row.get("completion_tokens", 0)),
                            cached_tokens=int(row.get("cached_tokens", 0)),
                        ),
                        error_kind=str(row.get("error_kind", "")),
                        backend=self.name,
                        model=str(row.get("model", "")),
                        replayed=i == last and not failed,
                    )
                )
        if failed:
            raise _recorded_error(str(answer["error"]), str(answer.get("message", "")))
        text = str(answer["text"])
        sink = current_sink()
        if sink is not None and request.stream:
            sink.reset()
            sink.delta(text)
        return LLMResult(
            text=text,
            usage=Usage(
                prompt_tokens=int(answer["prompt_tokens"]),
                completion_tokens=int(answer["completion_tokens"]),
                cached_tokens=int(answer.get("cached_tokens", 0)),
            ),
            latency=0.0,
            attempts=len(rows),
            backend=self.name,
            model=str(answer["model"]),
            outcome="replayed",
        )

    def check(self) -> None:
        """Raise the first miss, if any (a run that must not go on after one calls this).

        Raises:
            ReplayMissError: the first request the recording lacked.
        """
        if self.first_miss is not None:
            raise self.first_miss
