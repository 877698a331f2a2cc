"""One composition root: the settings, the LLM stack, the embedder, the policy store, the
gateway and the town, built in one place for both ways a town runs.

- A game (``TownHost.create``): ``Wiring(realtime=True)``: a threaded gateway paced by the
  frame (``FrameGate``), the offline stand-in in its own process (optional), the local
  embedder paced between frames and warmed up on a background thread started here, the
  policy store writing off the frame.
- A headless run (``aga_npc.sim.runner.simulate``): ``Wiring(realtime=False)``: an inline,
  deterministic gateway (answers at the end of the game minute, embeddings batched per
  pump), the offline stand-in with no retry sleeps, the policy store and embedding cache
  given by the caller (warm runs share them).

Nothing here imports pygame.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.local import LocalEmbedder
from aga_npc.embed.paced import PacedEmbedder
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_backend, build_stack
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import Embedder, LLMBackend
from aga_npc.runtime.framegate import FrameGate
from aga_npc.runtime.priority import lower_thread_priority
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.town import Town
from aga_npc.types import Priority
from aga_npc.world.model import World

__all__ = ["Assembly", "Wiring", "assemble", "resolve_settings", "start_warm_up"]

StoreSource = PolicyStore | Callable[[CachedEmbedder], PolicyStore] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Wiring:
    """How the parts are joined: for a real-time game or for a headless run.

    Attributes:
        realtime: a game's frame loop (threaded gateway) or a headless run (inline).
        standin_process: real time only: the offline stand-in in its own process.
        wording: the offline stand-in's plan wording (headless runs; see ``OfflineLLM``).
        llm_latency: seconds added to every LLM call (real time: shows the frame does not
            wait).
        answer_delay: headless only: game minutes between asking and hearing an answer
            beyond the next one (see ``InlineGateway``).
        background_nice: real time only: lower the priority of the gateway's call worker
            and of the embedder's warm-up thread.
        warm_up: real time only: load the local embedder and run a first inference on a
            background thread started now (the frame never waits on it).
        sharing: who reuses a learned routine (``agent``, ``role``, ``town``).
        stack_options: more keyword arguments for ``build_stack`` (recording, replay ...).
        ledger_entries: raw token-ledger entries kept (None: all).
    """

    realtime: bool
    standin_process: bool = False
    wording: str = "default"
    llm_latency: float = 0.0
    answer_delay: int = 0
    background_nice: int = 0
    warm_up: bool = True
    sharing: str = "town"
    stack_options: Mapping[str, Any] = field(default_factory=dict)
    ledger_entries: int | None = None


@dataclass(slots=True, kw_only=True)
class Assembly:
    """Everything ``assemble`` built; the caller owns and closes the gateway and store.

    Attributes:
        settings: the resolved settings.
        ledger: the token ledger of every LLM call.
        backend: the base backend (its ``name`` and ``model`` say who answers).
        stack: the standard stack around it (what the gateway calls).
        embedder: the cached embedder every brain and the policy store share.
        store: the Lifestyle Policy store (None: none, e.g. a mode without it).
        gateway: the request gateway (threaded or inline).
        town: the town.
        warm_up: the local embedder's warm-up thread (None: none was started).
    """

    settings: Settings
    ledger: TokenLedger
    backend: LLMBackend
    stack: LLMBackend
    embedder: CachedEmbedder
    store: PolicyStore | None
    gateway: Any
    town: Town
    warm_up: threading.Thread | None = None


def resolve_settings(settings: Settings | None = None, *, embed: str | None = None) -> Settings:
    """``settings`` (default: from the environment) with the embedder overridden when
    ``embed`` is given.

    Raises:
        ConfigError: bad settings in the environment or a bad override.
    """
    settings = settings or Settings.from_env()
    return settings.with_overrides(embed=embed) if embed else settings


def _base_backend(settings: Settings, seed: int, wiring: Wiring) -> LLMBackend:
    if settings.llm == "offline":
        if wiring.realtime and wiring.standin_process:
            from aga_npc.offline.process import ProcessOfflineLLM

            return ProcessOfflineLLM(seed=seed)
        from aga_npc.offline import OfflineLLM

        return OfflineLLM(seed=seed, wording=wiring.wording)
    return build_backend(settings)


async def _no_sleep(_: float) -> None:
    return None


def start_warm_up(embedder: Embedder, *, nice: int = 0) -> threading.Thread | None:
    """Start loading the local embedder and its first inference on a daemon thread (None
    for any other embedder, or one already loaded), its priority lowered by ``nice``.
    Calls that need it meanwhile wait for it on the gateway's worker; the game's frame
    never does. A failure is left for the first real call to report."""
    if not isinstance(embedder, LocalEmbedder) or embedder.loaded:
        return None

    def run() -> None:
        if nice:
            lower_thread_priority(nice)
        try:
            embedder.warm_up()
        except Exception:  # the first real embed raises it where it is handled
            return

    thread = threading.Thread(target=run, name="aga-embed-warm-up", daemon=True)
    thread.start()
    return thread


def assemble(
    spec: TownSpec,
    *,
    wiring: Wiring,
    settings: Settings,
    backend: LLMBackend | None = None,
    embedder: Embedder | None = None,
    store: StoreSource = None,
    world: World | None = None,
) -> Assembly:
    """Build the stack and the town for ``spec``.

    Args:
        spec: the town (residents, mode, seed, map, clock, loop ...).
        wiring: real time or headless, and the knobs of each.
        settings: LLM and embedder settings (see :func:`resolve_settings`).
        backend: an LLM backend instead of the one ``settings`` names (a headless run
            with ``settings.llm == "offline"`` and no backend gets the stand-in with no
            retry sleeps).
        embedder: an embedder instead of the one ``settings`` names (wrapped in a
            ``CachedEmbedder`` unless it is one).
        store: the Lifestyle Policy store, or a function making it from the cached
            embedder, or None for none.
        world: a world built by the game (default: ``spec.map_path`` loaded).

    Raises:
        ConfigError: bad settings. MapError: the map cannot be read. PersonaError: a
        resident's home, workplace or bed is not on the map.
    """
    ledger = TokenLedger(max_entries=wiring.ledger_entries)
    if wiring.realtime:
        return _realtime(spec, wiring, settings, ledger, backend, embedder, store, world)
    return _headless(spec, wiring, settings, ledger, backend, embedder, store, world)


def _cached(embedder: Embedder | None, settings: Settings) -> Embedder:
    if embedder is None:
        from aga_npc.embed.factory import build_embedder

        embedder = build_embedder(settings, cache=False)
    return embedder


def _headless(
    spec: TownSpec,
    wiring: Wiring,
    settings: Settings,
    ledger: TokenLedger,
    backend: LLMBackend | None,
    embedder: Embedder | None,
    store: StoreSource,
    world: World | None,
) -> Assembly:
    from aga_npc.runtime.inline import InlineGateway

    quiet = backend is None and settings.llm == "offline"
    base = backend
    if quiet:
        base = _base_backend(settings, spec.seed, wiring)
    # any other backend is built by the stack (a replay needs none)
    stack = build_stack(
        settings,
        ledger,
        backend=base,
        sleep=_no_sleep if quiet else asyncio.sleep,
        **dict(wiring.stack_options),
    )
    gateway = InlineGateway(
        stack,
        ledger=ledger,
        max_in_flight=settings.concurrency_for(len(spec.personas)),
        delay=wiring.answer_delay,
        embed_worker=True,  # a pump's embeddings at once, off this thread (issue 17)
        embed_threads=2,
    )
    raw = _cached(embedder, settings)
    cached = raw if isinstance(raw, CachedEmbedder) else CachedEmbedder(raw)
    policy_store = store(cached) if callable(store) else store
    policy = StorePolicy(policy_store, sharing=wiring.sharing) if policy_store is not None else None
    town = build_town(
        spec,
        gateway=gateway,
        embedder=cached,
        cached_vector=cached.cached,
        policy=policy,
        world=world,
    )
    return Assembly(
        settings=settings,
        ledger=ledger,
        backend=base or stack,
        stack=stack,
        embedder=cached,
        store=policy_store,
        gateway=gateway,
        town=town,
    )


def _realtime(
    spec: TownSpec,
    wiring: Wiring,
    settings: Settings,
    ledger: TokenLedger,
    backend: LLMBackend | None,
    embedder: Embedder | None,
    store: StoreSource,
    world: World | None,
) -> Assembly:
    from aga_npc.runtime.gateway import Gateway

    base = backend or _base_backend(settings, spec.seed, wiring)
    called = base
    if wiring.llm_latency > 0:
        from aga_npc.llm.latency import LatencyBackend

        called = LatencyBackend(base, wiring.llm_latency)
    stack = build_stack(settings, ledger, backend=called, **dict(wiring.stack_options))
    raw = _cached(embedder, settings)
    warm = start_warm_up(raw, nice=wiring.background_nice) if wiring.warm_up else None
    gate = FrameGate()
    if isinstance(raw, LocalEmbedder):
        # Computed on this machine: one text at a time, between frames.
        raw = PacedEmbedder(raw, gate.wait_idle, chunk=1)
    cached = raw if isinstance(raw, CachedEmbedder) else CachedEmbedder(raw)
    policy_store = store(cached) if callable(store) else store
    gateway = Gateway(
        stack,
        ledger=ledger,
        max_concurrency=settings.concurrency_for(len(spec.personas)),
        frame_gate=gate,
    )
    if wiring.background_nice:
        gateway.submit_call(lower_thread_priority, wiring.background_nice, kind="setup", priority=0)
    policy = None
    if policy_store is not None:
        policy = StorePolicy(
            policy_store,
            sharing=wiring.sharing,
            backend=base.name,
            model=base.model,
            submit=lambda fn, *a: gateway.submit_call(
                fn, *a, kind="policy_flush", priority=Priority.LOW
            ),
        )
    try:
        town = build_town(
            spec,
            gateway=gateway,
            embedder=cached,
            cached_vector=cached.cached,
            policy=policy,
            world=world,
        )
    except BaseException:
        gateway.close(timeout=0.5)
        if policy_store is not None and callable(store):
            policy_store.close()
        raise
    return Assembly(
        settings=settings,
        ledger=ledger,
        backend=base,
        stack=stack,
        embedder=cached,
        store=policy_store,
        gateway=gateway,
        town=town,
        warm_up=warm,
    )
