"""Backend registry and the standard wrapper stack.

``register_backend(name, factory)`` makes a backend available under ``Settings.llm``;
``"openai"`` is built in and ``"offline"`` registers itself from ``aga_npc.offline``
(imported on first use). ``build_stack`` composes the wrappers every caller wants::

    Metering -> Budget? -> JsonRepair -> Recorder? -> Retry -> AttemptProbe -> backend
    Metering -> Budget? -> JsonRepair -> Replayer                        (replay mode)

Metering is outermost so refusals land in the ledger with the final outcome of each
request; the probe is innermost so every backend call (retries, JSON re-asks, replays)
is one ledger entry. Recording sits above the retries (it stores each request's answer, or
its failure after the last retry, with the attempts made) and below the JSON repair (a
re-ask is its own request and is recorded as such). The replayer puts the recorded
attempts into the trace itself, so it needs no probe.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import random
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aga_npc.config import Settings
from aga_npc.errors import ConfigError
from aga_npc.llm.budget import BudgetBackend, TokenBudget
from aga_npc.llm.context import AttemptProbe
from aga_npc.llm.jsonrepair import JsonRepairBackend
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.metering import MeteringBackend
from aga_npc.llm.recording import Recorder, Replayer, public_base_url, read_recording
from aga_npc.llm.retry import RetryingBackend, RetryPolicy
from aga_npc.ports import LLMBackend

__all__ = [
    "BackendFactory",
    "available_backends",
    "build_backend",
    "build_stack",
    "recording_meta",
    "register_backend",
    "settings_for_replay",
    "tape_options",
]

BackendFactory = Callable[[Settings], LLMBackend]

# Built-in backends live in modules that register themselves when imported.
_BUILTIN_MODULES = {
    "openai": "aga_npc.llm.openai_backend",
    "offline": "aga_npc.offline",
}
_lock = threading.Lock()
_factories: dict[str, BackendFactory] = {}


def register_backend(name: str, factory: BackendFactory, *, replace: bool = False) -> None:
    """Make ``factory(settings)`` the backend for ``Settings.llm == name``.

    Raises:
        ValueError: ``name`` is taken and ``replace`` is False.
    """
    if not name:
        raise ValueError("backend name must not be empty")
    with _lock:
        if name in _factories and not replace and _factories[name] is not factory:
            raise ValueError(f"LLM backend {name!r} is already registered")
        _factories[name] = factory


def available_backends() -> tuple[str, ...]:
    """Names ``build_backend`` can build (registered, plus built-ins not yet imported)."""
    with _lock:
        return tuple(sorted(set(_factories) | set(_BUILTIN_MODULES)))


def _factory(name: str) -> BackendFactory:
    with _lock:
        factory = _factories.get(name)
    if factory is not None:
        return factory
    module = _BUILTIN_MODULES.get(name)
    if module is None:
        raise ConfigError(
            f"unknown LLM backend {name!r}; available: {', '.join(available_backends())}"
        )
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise ConfigError(f"LLM backend {name!r} is not available in this install") from exc
    with _lock:
        factory = _factories.get(name)
    if factory is None:
        raise ConfigError(f"{module} did not register the LLM backend {name!r}")
    return factory


def build_backend(settings: Settings) -> LLMBackend:
    """The bare backend named by ``settings.llm`` (no wrappers).

    Raises:
        ConfigError: no such backend.
    """
    return _factory(settings.llm)(settings)


def build_stack(
    settings: Settings,
    ledger: TokenLedger,
    *,
    backend: LLMBackend | None = None,
    rng: random.Random | None = None,
    retry: RetryPolicy | None = None,
    json_reasks: int = 1,
    budget: TokenBudget | None = None,
    record_path: str | os.PathLike[str] | None = None,
    replay_path: str | os.PathLike[str] | Replayer | None = None,
    record_run: Mapping[str, Any] | None = None,
    record_append: bool = True,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> LLMBackend:
    """The standard stack around a backend (see the module docstring for the order).

    Args:
        settings: picks the backend when ``backend`` is None.
        ledger: receives one entry per backend call, refusal and replay.
        backend: use this backend instead of building one from ``settings``.
        rng: retry jitter source; seed it for reproducible runs (default ``Random(0)``).
        retry: attempts and delays (default ``RetryPolicy()``: 4 attempts, 0.5 s -> 8 s).
        json_reasks: how many times a bad JSON answer is re-asked before failing.
        budget: refuse fallback-capable requests when spent (None: no budget).
        record_path: store every answer in this msgpack file (see
            ``aga_npc.llm.recording``); its meta says which backend, model and endpoint
            answered, never the API key.
        replay_path: answer from this recording instead of any backend (no network); a
            ``Replayer`` already opened may be passed (to read its misses afterwards).
        record_run: what else the recording's meta should say about the run (seed,
            mode, residents ...).
        record_append: keep the answers already in ``record_path`` (False: a fresh
            recording of this run only, what a replay of the run needs).
        sleep: awaited for retry delays (inject a no-op for fast headless runs).
        clock: monotonic seconds, for latencies.

    Raises:
        ConfigError: both ``record_path`` and ``replay_path``, or an unknown backend.
    """
    if record_path is not None and replay_path is not None:
        raise ConfigError("record and replay cannot be used together")
    stack: LLMBackend
    if replay_path is not None:
        stack = replay_path if isinstance(replay_path, Replayer) else Replayer(replay_path)
    else:
        base = backend if backend is not None else build_backend(settings)
        stack = AttemptProbe(base, clock=clock)
        stack = RetryingBackend(
            stack,
            rng=rng if rng is not None else random.Random(0),
            policy=retry,
            sleep=sleep,
            clock=clock,
        )
        if record_path is not None:
            meta = recording_meta(settings, base, run=record_run)
            stack = Recorder(stack, record_path, meta=meta, append=record_append)
    stack = JsonRepairBackend(stack, reasks=json_reasks, clock=clock)
    if budget is not None:
        stack = BudgetBackend(stack, budget)
    return MeteringBackend(stack, ledger)


def recording_meta(
    settings: Settings, backend: LLMBackend, *, run: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What a recording says about how it was made: backend, model, endpoint (without any
    credentials), seed and the rest of ``run``. Never the API key."""
    from aga_npc import __version__

    run = dict(run or {})
    return {
        "backend": backend.name,
        "model": backend.model,
        "base_url": public_base_url(settings.base_url) if backend.name == "openai" else None,
        "seed": run.pop("seed", None),
        "run": run,
        "aga_npc": __version__,
    }


def settings_for_replay(settings: Settings, path: str | os.PathLike[str]) -> Settings:
    """``settings`` as the recorded run had them: its backend, model, endpoint and LLM calls
    in flight (so the replay asks in the same order and reports the same model); no API
    key. The embedder settings are kept.

    Raises:
        StoreError / CorruptFileError / SchemaVersionError: the recording cannot be read.
    """
    from dataclasses import replace

    from aga_npc.config import LLM_BACKENDS

    meta = read_recording(path).meta
    run = meta.get("run") or {}
    backend = meta.get("backend")
    in_flight = run.get("max_in_flight")
    return replace(
        settings,
        llm=backend if backend in LLM_BACKENDS else settings.llm,
        model=str(meta.get("model") or settings.model),
        base_url=meta.get("base_url") if backend in LLM_BACKENDS else settings.base_url,
        api_key=None,
        max_concurrency=(
            in_flight if isinstance(in_flight, int) and in_flight >= 1 else settings.max_concurrency
        ),
    )


def tape_options(
    *,
    record: str | os.PathLike[str] | None = None,
    replay: str | os.PathLike[str] | None = None,
    run: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``build_stack`` keyword arguments recording a fresh file at ``record`` or answering
    from ``replay`` (none when neither is given); ``run`` goes into the recording's meta.

    Raises:
        ConfigError: both ``record`` and ``replay``.
    """
    if record is not None and replay is not None:
        raise ConfigError("record and replay cannot be used together")
    if replay is not None:
        return {"replay_path": replay}
    if record is not None:
        return {"record_path": record, "record_run": dict(run or {}), "record_append": False}
    return {}
