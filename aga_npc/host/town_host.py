"""TownHost: the brains of a town, ready for a real-time game loop (no pygame in here).

A game calls ``host.update(dt)`` once per frame and reads ``host.position(name)`` and
``host.intent(name)`` to draw its NPCs. The host owns the whole stack: the LLM backend
stack and its token ledger, the threaded request gateway, the embedder, the Lifestyle
Policy store and the ``Town`` (world, stepper, brains, conversations). The frame never
waits on any of them: LLM calls, embeddings and save-file writes run on the gateway's
worker threads.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aga_npc.brain.intent import Intent, IntentKind, facing_of
from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import LoopSettings
from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.errors import ConfigError
from aga_npc.host.assemble import Wiring, assemble, resolve_settings
from aga_npc.llm.ledger import DEFAULT_PRICES, TokenLedger, price_for
from aga_npc.llm.registry import settings_for_replay, tape_options
from aga_npc.personas.model import Persona
from aga_npc.policy.index import IndexSettings
from aga_npc.policy.persist import Recovery
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import Embedder, LLMBackend, RequestTicket
from aga_npc.prompts.sanitize import sanitize_player_text
from aga_npc.runtime.gateway import Gateway
from aga_npc.store.snapshot import Snapshot
from aga_npc.town.build import TownSpec, default_map_path
from aga_npc.town.save import (
    SaveInfo,
    apply_town_state,
    begin_save,
    read_checked_save,
    town_facts,
)
from aga_npc.town.town import Town
from aga_npc.types import CallResult, LLMResult, Priority
from aga_npc.world.clock import MINUTES_PER_DAY, GameClock
from aga_npc.world.kinds import KindRegistry, KindsSource
from aga_npc.world.model import World

__all__ = ["TILES_PER_GAME_MINUTE", "HostConfig", "HostStats", "TownHost", "clone_personas"]

TILES_PER_GAME_MINUTE = 4.0
GAME_MINUTES_PER_TICK = 2  # a brain not ticked this long is overdue: ticked first, oldest first
REFERENCE_MODEL = "gpt-4o-mini"  # priced for the cost estimate when the LLM is offline
FULL_OVERDUE_SPEED = 60.0  # game minutes per second from which overdue_ms is spent whole
STATS_SLICE = 32  # brains whose policy counters one stats() call reads (round the town)
MAX_PLAYER_NAME = 40  # characters of the player's name kept

_gc_lock = threading.Lock()
_gc_holds = [0]  # hosts holding a gc.freeze(); the last to close unfreezes


@dataclass(frozen=True, slots=True, kw_only=True)
class HostConfig:
    """How to build a town for a game.

    Attributes:
        seed: seeds brains, conversations and the offline LLM.
        mode: which AGA features are on.
        llm_latency: seconds added to every LLM call (to show the frame does not wait).
        embed: ``local`` | ``openai`` | ``hashing`` overriding ``AGA_EMBED`` (None: keep).
        start: game time the town starts at ("HH:MM" of day 1); None keeps the clock of a
            given world (a loaded map starts at 06:00).
        minutes_per_second: game minutes per real second (1.0: one game minute a second).
        lod: NPC-NPC conversations turn by turn ("turns") or as one call ("whole").
        mind_wandering: sample rare memories into daily planning.
        policy_path: keep the Lifestyle Policy in this file across runs (None: memory).
            One process writes it at a time: a second one gets ``PolicyFileLocked``.
        recover: when the ``policy_path`` file is damaged, keep its routines before the
            damage (a copy of the damaged file is kept) instead of refusing to start;
            ``TownHost.policy_recovery`` says what was kept.
        standin_process: run the offline stand-in LLM in its own process, so its Python
            work never takes the GIL from the frame (False: in a thread of this process).
        background_nice: lower the scheduling priority of the gateway's call worker (the
            local embedder's inference, file writes) by this much, so that on a busy CPU
            the frame runs first (Linux; 0 leaves it).
        per_tick_limit: finished requests handled and observations taken per brain tick
            (1: a burst of answers is spread over the brains' next ticks instead of
            lengthening one frame; None: all at once).
        path_budget: A* nodes searched per game minute for paths that are not cached
            (6,000: 100 a frame at 60 FPS and x1, about 0.3 ms; a cross-town path takes
            a few frames to find, and the NPC starts walking then). The same per game
            minute at every speed; None: each path at once, inside the brain's tick.
        loop: the cognitive loop's settings - retrieval weights, the reflection trigger,
            perception, and the ``aga`` mode's savings switches (None: the mode's defaults,
            ``LoopSettings.for_mode(mode)``).
        sharing: who reuses a learned routine: ``"agent"`` (only its learner),
            ``"role"`` (work routines by role, the rest per agent) or ``"town"``.
        overdue_ms: milliseconds per frame, at x60 and faster, for the brains not ticked
            for ``GAME_MINUTES_PER_TICK`` game minutes, ticked oldest first, at least one
            a frame (6.0: at x60 with 200 NPCs the frame stays under 16.7 ms and each
            brain is ticked every few game minutes instead of every two; slower clocks get
            a share in proportion to the speed, see ``TownHost.overdue_budget``; None: all
            of them in the frame, however long it takes).
        max_dt: the most real seconds of game time one frame advances (0.05: a slower
            frame advances the clock as a 20 FPS frame would, so a slow frame does not
            leave more brains overdue and make the next frame slow too).
        gc_freeze: after a full collection when the host is built, move everything alive
            at the first ``update`` (the town, the game's assets) out of the cyclic
            collector's scans (``gc.freeze()``), so full collections during play are
            short; ``close`` unfreezes once no host holds a freeze.
        gc_thresholds: ``gc.set_threshold`` values while the host runs (None: Python's);
            ``close`` restores the previous ones.
        record: write every LLM answer into this file (``aga_npc.llm.recording``).
        replay: answer every LLM request from a ``record`` file (no model, no network;
            its backend and model are the host's). A request it lacks fails and the NPC
            falls back (a cached routine, an idle action): a game does not stop.
        kinds: the game's object kinds for a map the host loads: a ``KindRegistry``, a
            kinds TOML file (added to the household kinds) or None (the household kinds);
            see docs/MAP_CONVENTIONS.md. A world the game builds keeps its own.
        ledger_entries: raw token-ledger entries kept (the oldest are dropped; totals
            per module, agent, outcome and model stay exact); None keeps every entry.
        warm_up: with the local embedder, load it and run a first inference on a
            background thread started by ``create`` (``TownHost.embedder_ready`` says when
            it is done); brains' embeddings wait for it on the gateway's worker, the frame
            never does. Importing onnxruntime holds the GIL for a few hundred ms: build
            the host before loading the game's own assets, or call
            ``TownHost.wait_ready`` behind a loading screen, so that it is done before the
            first frame. False: the model loads at the first embedding.
    """

    seed: int = 0
    mode: Mode = Mode.AGA
    llm_latency: float = 0.0
    embed: str | None = None
    start: str | None = None
    minutes_per_second: float = 1.0
    lod: str = "turns"
    mind_wandering: bool = True
    policy_path: Path | None = None
    standin_process: bool = True
    background_nice: int = 10
    per_tick_limit: int | None = 1
    path_budget: int | None = 6000
    loop: LoopSettings | None = None
    sharing: str = "town"
    recover: bool = False
    overdue_ms: float | None = 6.0
    max_dt: float = 0.05
    gc_freeze: bool = True
    gc_thresholds: tuple[int, int, int] | None = None
    ledger_entries: int | None = 10_000
    warm_up: bool = True
    kinds: KindsSource = None
    record: Path | None = None
    replay: Path | None = None

    def __post_init__(self) -> None:
        if self.sharing not in ("agent", "role", "town"):
            raise ConfigError(f"sharing must be agent, role or town, got {self.sharing!r}")
        if not self.llm_latency >= 0:
            raise ConfigError(f"llm latency must be >= 0 seconds, got {self.llm_latency}")
        if not self.minutes_per_second > 0:
            raise ConfigError(f"minutes per second must be positive, got {self.minutes_per_second}")
        if self.path_budget is not None and self.path_budget < 1:
            raise ConfigError(f"path budget must be at least 1 node, got {self.path_budget}")
        if self.overdue_ms is not None and not self.overdue_ms >= 0:
            raise ConfigError(f"overdue ms must be >= 0, got {self.overdue_ms}")
        if not self.max_dt > 0:
            raise ConfigError(f"max dt must be positive seconds, got {self.max_dt}")
        if self.gc_thresholds is not None and (
            len(self.gc_thresholds) != 3 or min(self.gc_thresholds) < 0
        ):
            raise ConfigError(f"gc thresholds must be three counts >= 0, got {self.gc_thresholds}")
        if self.ledger_entries is not None and self.ledger_entries < 0:
            raise ConfigError(f"ledger entries must be >= 0, got {self.ledger_entries}")


@dataclass(frozen=True, slots=True, kw_only=True)
class HostStats:
    """What the debug panel shows about the request pipeline and the token spend."""

    pending: int = 0
    in_flight: int = 0
    submitted: int = 0
    completed: int = 0
    max_queue: int = 0
    llm_calls: int = 0
    tokens: int = 0
    tokens_saved: int = 0
    cost_usd: float = 0.0
    cost_model: str = ""
    policy_hits: int = 0
    policy_misses: int = 0

    @property
    def hit_rate(self) -> float:
        """Share of Lifestyle Policy lookups that found a routine (0 when none yet)."""
        total = self.policy_hits + self.policy_misses
        return self.policy_hits / total if total else 0.0


@dataclass(slots=True)
class _Tally:
    """The brains' policy counters as last read (hits, misses, tokens saved), and sums."""

    cursor: int = 0
    read: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    saved: int = 0


def clone_personas(personas: Sequence[Persona], count: int) -> list[Persona]:
    """``count`` residents: the first ``count`` personas, or all of them and then copies
    named ``"<name> 2"``, ``"<name> 3"`` ... with the same home and workplace and no bed of
    their own.

    Raises:
        ConfigError: ``count`` < 1 or no personas.
    """
    if count < 1:
        raise ConfigError(f"the town needs at least one NPC, got {count}")
    if not personas:
        raise ConfigError("no personas to build the town from")
    base = list(personas)
    if count <= len(base):
        return base[:count]
    out = list(base)
    copy = 2
    while len(out) < count:
        for p in base:
            if len(out) >= count:
                break
            out.append(_clone(p, f"{p.name} {copy}"))
        copy += 1
    return out


def _clone(persona: Persona, name: str) -> Persona:
    data = persona.to_dict()
    data.update(name=name, bed="")
    return Persona.from_dict(data, source=f"{persona.source or persona.name} (copy {name!r})")


class TownHost:
    """A town driven by a game's frame loop. Build with :meth:`create`.

    Attributes:
        town: the ``Town`` (world, stepper, brains, conversations).
        gateway: the threaded request gateway (drained once per frame by :meth:`update`).
        ledger: the token ledger of every LLM call.
        policy_store: the Lifestyle Policy store shared by every brain.
        settings: the resolved settings (LLM backend and model, embedder).
        paused: while True, :meth:`update` stops the clock and the brains.
    """

    def __init__(
        self,
        *,
        town: Town,
        gateway: Gateway,
        ledger: TokenLedger,
        policy_store: PolicyStore,
        settings: Settings,
        backend_name: str,
        model: str,
        config: HostConfig | None = None,
        warm_up: threading.Thread | None = None,
    ) -> None:
        self.config = config = config or HostConfig()
        self.town = town
        self.gateway = gateway
        self.ledger = ledger
        self.policy_store = policy_store
        self.settings = settings
        self.backend_name = backend_name
        self.model = model
        self.paused = False
        self.brain_ms_budget: float | None = 1.0
        self.drained = 0
        self._minute = town.now
        self._deferred = 0
        self._deferring = False
        self._tally = _Tally()
        self._closed = False
        self.overdue_ms_budget = config.overdue_ms
        self.max_dt = config.max_dt
        self._gc_started = False
        self._gc_frozen = False
        self._gc_thresholds: tuple[int, int, int] | None = None
        self._warm_up = warm_up

    # ------------------------------------------------------------------ building
    @classmethod
    def create(
        cls,
        personas: Sequence[Persona],
        *,
        map_path: str | os.PathLike[str] | None = None,
        world: World | None = None,
        config: HostConfig | None = None,
        settings: Settings | None = None,
        backend: LLMBackend | None = None,
        embedder: Embedder | None = None,
    ) -> TownHost:
        """Build the stack and the town.

        Args:
            personas: the residents (see :func:`clone_personas` for more NPCs than personas).
            map_path: a TMX map (default: the demo town) when ``world`` is not given.
            world: a world built by the game (e.g. :func:`aga_npc.host.grid_world`).
            config: seed, mode, latency, clock rate ...
            settings: LLM and embedder settings (default: ``Settings.from_env()``).
            backend: an LLM backend to use instead of the one ``settings`` names.
            embedder: an embedder to use instead of the one ``settings`` names.

        Raises:
            ConfigError: bad settings. MapError: the map cannot be read.
            ValueError: a resident's home, workplace or bed is not on the map.
        """
        config = config or HostConfig()
        kinds = KindRegistry.resolve(config.kinds)  # a bad kinds file fails before threads
        settings = resolve_settings(settings, embed=config.embed)
        if config.replay is not None:
            settings = settings_for_replay(settings, config.replay)
        start = GameClock.at(config.start) if config.start else None
        if world is None:
            world = World.load(
                map_path or default_map_path(), clock=start or GameClock(), kinds=kinds
            )
        elif start is not None:
            world.set_clock(start)
        starts = _start_tiles(world, personas)
        spec = TownSpec(
            personas=tuple(personas),
            mode=config.mode,
            seed=config.seed,
            lod=config.lod,
            mind_wandering=config.mind_wandering,
            start=world.clock.hhmm,
            speed=TILES_PER_GAME_MINUTE * config.minutes_per_second,
            minutes_per_second=config.minutes_per_second,
            start_tiles=starts,
            per_tick_limit=config.per_tick_limit,
            path_budget=config.path_budget,
            loop=config.loop,
        )

        def open_store(cached: CachedEmbedder) -> PolicyStore:
            index = IndexSettings(background_build=True)  # the 1,024th entry: off the frame
            if config.policy_path is not None:
                return PolicyStore.open(
                    config.policy_path, embedder=cached, recover=config.recover, index=index
                )
            return PolicyStore(embedder=cached, index=index)

        built = assemble(
            spec,
            wiring=Wiring(
                realtime=True,
                standin_process=config.standin_process,
                llm_latency=config.llm_latency,
                background_nice=config.background_nice,
                warm_up=config.warm_up,
                sharing=config.sharing,
                ledger_entries=config.ledger_entries,
                stack_options=tape_options(
                    record=config.record,
                    replay=config.replay,
                    run={"seed": config.seed, "mode": config.mode.value, "npcs": len(personas)},
                ),
            ),
            settings=settings,
            backend=backend,
            embedder=embedder,
            store=open_store,
            world=world,
        )
        assert built.store is not None
        town, gateway, ledger, store, base = (
            built.town,
            built.gateway,
            built.ledger,
            built.store,
            built.backend,
        )
        if config.gc_freeze:
            gc.collect()  # building leaves garbage: collect it before the first frame freezes
        return cls(
            town=town,
            gateway=gateway,
            ledger=ledger,
            policy_store=store,
            settings=settings,
            backend_name=base.name,
            model=base.model,
            config=config,
            warm_up=built.warm_up,
        )

    # ------------------------------------------------------------------ per frame
    def begin_frame(self) -> None:
        """Call first thing in a frame: the gateway's worker starts no work of its own until
        ``end_frame`` (its loop callbacks and embeddings then run while the frame sleeps
        instead of taking the GIL, a core or the caches from it). Optional; about 1 us."""
        self.gateway.begin_frame()

    def end_frame(self) -> None:
        """Call after drawing (before the frame-cap sleep). A few us."""
        self.gateway.end_frame()

    def update(self, dt: float, *, brain_budget: int | None = None) -> float:
        """One frame: drain finished requests, then (unless paused) tick a slice of the
        brains, advance conversations and the clock, and move agents by ``dt`` seconds.

        ``brain_budget`` is the number of brains ticked this frame; by default every brain
        is ticked about four times per real second, and at high game speeds at least once
        every ``GAME_MINUTES_PER_TICK`` game minutes (see :meth:`brains_per_frame`). A frame
        in which a new game minute starts (the minute's records, and the conversations'
        work queued for it) ticks no brains and hands its share to the next frame. Once the
        slice has taken ``brain_ms_budget`` milliseconds (1 ms; None: no limit) the rest
        waits for the next frame: in a burst of answers brains are ticked a little less
        often instead of the frame running long. A brain not ticked for
        ``GAME_MINUTES_PER_TICK`` game minutes is ticked whatever the budgets (at x60 that
        is half the town every frame; at x1 the budgets never leave a brain that long).

        Time budget: the brain slice (about 1 ms for 50 NPCs at x1) plus O(walking agents).
        Returns the milliseconds spent in brains.
        """
        if not self._gc_started:
            self._start_gc()
        self.drained += len(self.gateway.drain())
        if self.paused:
            return 0.0
        dt = min(max(dt, 0.0), self.max_dt)
        now = self.town.now
        if brain_budget is None:
            brain_budget = self.brains_per_frame() + self._deferred
            self._deferred = 0
            if now != self._minute and not self._deferring:
                # This frame starts a game minute (its records; with no ms budget, every
                # conversation too): the brain slice moves to the next frame, so the two
                # costs never add up in one.
                self._deferred, brain_budget = brain_budget, 0
                self._deferring = True
            else:
                self._deferring = False
        self._minute = now
        return self.town.update(
            dt,
            brain_budget=brain_budget,
            brain_ms_budget=self.brain_ms_budget,
            max_gap=GAME_MINUTES_PER_TICK,
            overdue_ms_budget=self.overdue_budget(),
        )

    def overdue_budget(self) -> float | None:
        """This frame's milliseconds for overdue brains: ``overdue_ms_budget`` at x60 and
        faster, a share in proportion to the speed below (at least ``brain_ms_budget``):
        at x1 a brain is overdue only after two real minutes, so the catching up can be
        spread thinly over the frames."""
        full = self.overdue_ms_budget
        if full is None:
            return None
        share = full * min(1.0, self.minutes_per_second / FULL_OVERDUE_SPEED)
        return min(full, max(share, self.brain_ms_budget or 0.0))

    def _start_gc(self) -> None:
        """Apply the config's collector settings (once, at the first frame)."""
        self._gc_started = True
        config = self.config
        if config.gc_thresholds is not None:
            self._gc_thresholds = gc.get_threshold()
            gc.set_threshold(*config.gc_thresholds)
        if config.gc_freeze:
            with _gc_lock:
                gc.freeze()
                _gc_holds[0] += 1
            self._gc_frozen = True

    def _stop_gc(self) -> None:
        if self._gc_thresholds is not None:
            gc.set_threshold(*self._gc_thresholds)
            self._gc_thresholds = None
        if self._gc_frozen:
            self._gc_frozen = False
            with _gc_lock:
                _gc_holds[0] -= 1
                if _gc_holds[0] == 0:
                    gc.unfreeze()  # the town's objects are collectable again

    def brains_per_frame(self, fps: float = 60.0) -> int:
        """How many brains a frame ticks by default: all of them within about 15 frames
        (four times a second at 60 FPS), or more when the clock runs so fast that this
        would leave a brain unticked for over ``GAME_MINUTES_PER_TICK`` game minutes."""
        n = len(self.town.names())
        frames_per_tick = GAME_MINUTES_PER_TICK * fps / self.minutes_per_second
        return max(1, math.ceil(n / 15), math.ceil(n / max(1.0, frames_per_tick)))

    @property
    def embedder_ready(self) -> bool:
        """Whether the embedder's warm-up (``HostConfig.warm_up``) is over (True when
        none was needed)."""
        return self._warm_up is None or not self._warm_up.is_alive()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds (None: no limit) for the embedder's warm-up, e.g.
        behind a loading screen before the first frame; returns ``embedder_ready``."""
        if self._warm_up is not None:
            self._warm_up.join(timeout)
        return self.embedder_ready

    @property
    def offline(self) -> bool:
        """Whether the LLM is the offline stand-in (the game should say so on screen)."""
        return self.backend_name == "offline"

    @property
    def minutes_per_second(self) -> float:
        return self.town.stepper.minutes_per_second

    def set_speed(self, minutes_per_second: float) -> None:
        """Game minutes per real second; walking keeps ``TILES_PER_GAME_MINUTE``, so NPCs
        arrive at the same game time at any speed.

        Raises:
            ValueError: not positive.
        """
        if not minutes_per_second > 0:
            raise ValueError(f"game speed must be positive, got {minutes_per_second}")
        stepper = self.town.stepper
        stepper.minutes_per_second = float(minutes_per_second)
        stepper.speed = TILES_PER_GAME_MINUTE * float(minutes_per_second)

    # ------------------------------------------------------------------ reading
    def names(self) -> Sequence[str]:
        return self.town.names()

    @property
    def clock(self) -> GameClock:
        return self.town.world.clock

    def _require(self, name: str) -> None:
        if name not in self.town.bodies:
            raise KeyError(f"no NPC named {name!r} in this town")

    def position(self, name: str) -> tuple[float, float]:
        """Where ``name`` is, in tile units: ``(x, y)`` is the top-left corner of the tile
        it stands on (tile ``(3, 5)`` is ``(3.0, 5.0)``; its centre is ``(3.5, 5.5)``),
        interpolated between tiles while walking. Pixels: multiply by the tile size (add
        half a tile for the centre), then apply the game's camera.

        Raises:
            KeyError: no NPC of that name.
        """
        self._require(name)
        return self.town.stepper.position(name)

    def intent(self, name: str) -> Intent:
        """What ``name`` is doing now (for sprites: the verb bubble, whom to face), with
        ``facing`` ("up"/"down"/"left"/"right": the step under way, towards the talk
        partner or the player, towards the object in use) and ``speed`` (tiles per real
        second now; 0.0 standing or held up) filled in, so a game animates the sprite
        without recomputing either.

        Raises:
            KeyError: no NPC of that name.
        """
        self._require(name)
        intent = self.town.bodies[name].intent
        if intent is None:
            intent = Intent(kind=IntentKind.STAY)
        stepper = self.town.stepper
        facing = self._facing(name, intent)
        return dataclasses.replace(intent, facing=facing, speed=stepper.current_speed(name))

    def _facing(self, name: str, intent: Intent) -> str:
        stepper = self.town.stepper
        if stepper.walking(name) and not stepper.searching(name):
            return stepper.facing(name) or "down"
        here = self.town.world.agent_tile(name)
        there: tuple[float, float] | None = None
        if intent.kind is IntentKind.TALK and intent.partner:
            if intent.partner in self.town.bodies:
                there = stepper.position(intent.partner)
            elif self.town.player_tile is not None:
                there = self.town.player_tile
        elif intent.kind is IntentKind.USE and intent.target and stepper.arrived(name):
            rect = self.town.world.object_rect(intent.target, agent=name)
            if rect is not None and here is not None:
                x0, y0, x1, y1 = rect
                # the nearest point of the object's rectangle (tile centres)
                there = (
                    min(max(here[0], x0), x1 - 1),
                    min(max(here[1], y0), y1 - 1),
                )
        if there is not None and here is not None:
            stepper.face(name, facing_of(there[0] - here[0], there[1] - here[1]))
        return stepper.facing(name) or "down"

    # ------------------------------------------------------------------ the world
    def set_clock(self, day: int, hour: int, minute: int = 0) -> GameClock:
        """Set the game clock to ``day`` (1-based) at ``hour:minute``, forward only.

        The town jumps there at once: conversations under way end, walks under way
        arrive, and each brain's next tick takes the schedule item of the new time
        (planning a new day first, as at any wake-up) and walks there; none of the
        skipped minutes is replayed (no backlog of missed actions). Setting the current
        time changes nothing. Returns the new clock.

        Raises:
            ValueError: a time before now (the clock never goes back: brains' plans,
                memories and records are ordered by time; load a save to go back), or a
                day/hour/minute out of range.
        """
        if int(day) < 1 or not 0 <= int(hour) < 24 or not 0 <= int(minute) < 60:
            raise ValueError(
                f"set_clock wants day >= 1, hour 0..23, minute 0..59; got {day}, {hour}, {minute}"
            )
        target = (int(day) - 1) * MINUTES_PER_DAY + int(hour) * 60 + int(minute)
        self._jump(target)
        return self.clock

    def skip_to(self, hour: int, minute: int = 0) -> GameClock:
        """Skip forward to the next time the clock shows ``hour:minute`` (later today, or
        tomorrow when that time has passed or is now): the player slept until morning.
        Same behaviour as :meth:`set_clock`; returns the new clock.

        Raises:
            ValueError: hour or minute out of range.
        """
        if not 0 <= int(hour) < 24 or not 0 <= int(minute) < 60:
            raise ValueError(f"skip_to wants hour 0..23 and minute 0..59, got {hour}:{minute}")
        now = self.town.now
        target = (now // MINUTES_PER_DAY) * MINUTES_PER_DAY + int(hour) * 60 + int(minute)
        if target <= now:
            target += MINUTES_PER_DAY
        self._jump(target)
        return self.clock

    def _jump(self, target: int) -> None:
        self.town.jump_to(target)
        self._minute = self.town.now
        self._deferred = 0

    def block_tile(self, x: int, y: int) -> bool:
        """Make tile ``(x, y)`` unwalkable now (a fence built, a door locked); returns
        whether it changed. Paths are searched again: walkers whose way crosses it take
        another (or stop, and their brains hear the action failed); an NPC standing on it
        steps to the nearest free tile. Cost: cached paths are dropped (the next searches
        of each route are cold).

        Raises:
            ValueError: the tile is outside the map.
        """
        return self.block_rect(x, y, 1, 1) > 0

    def unblock_tile(self, x: int, y: int) -> bool:
        """Make tile ``(x, y)`` walkable again; returns whether it changed. Walks under
        way keep their paths; later searches use the tile.

        Raises:
            ValueError: the tile is outside the map.
        """
        return self.unblock_rect(x, y, 1, 1) > 0

    def block_rect(self, x: int, y: int, w: int, h: int) -> int:
        """Block the ``w`` x ``h`` tiles whose top-left tile is ``(x, y)``; returns how
        many changed (see :meth:`block_tile`).

        Raises:
            ValueError: an empty rectangle or one reaching outside the map.
        """
        return self.town.set_blocked(self._rect_tiles(x, y, w, h), True)

    def unblock_rect(self, x: int, y: int, w: int, h: int) -> int:
        """Free the ``w`` x ``h`` tiles whose top-left tile is ``(x, y)``; returns how many
        changed.

        Raises:
            ValueError: an empty rectangle or one reaching outside the map.
        """
        return self.town.set_blocked(self._rect_tiles(x, y, w, h), False)

    def is_blocked(self, x: int, y: int) -> bool:
        """Whether tile ``(x, y)`` is unwalkable (outside the map counts as blocked)."""
        return not self.town.world.grid.is_walkable((int(x), int(y)))

    def _rect_tiles(self, x: int, y: int, w: int, h: int) -> list[tuple[int, int]]:
        x, y, w, h = int(x), int(y), int(w), int(h)
        world = self.town.world
        if w < 1 or h < 1:
            raise ValueError(f"a tile rectangle needs width and height >= 1, got {w}x{h}")
        if x < 0 or y < 0 or x + w > world.width or y + h > world.height:
            raise ValueError(
                f"tiles ({x}, {y}) to ({x + w - 1}, {y + h - 1}) reach outside the map "
                f"({world.width}x{world.height} tiles, (0, 0) top left)"
            )
        return [(tx, ty) for ty in range(y, y + h) for tx in range(x, x + w)]

    def set_player(self, *, name: str | None = None, tile: tuple[int, int] | None = None) -> None:
        """Tell the brains about the player; call with ``tile`` every frame (cheap).

        Args:
            name: what NPCs call the player: replies greet them by it and memories of the
                exchange name them (``"Ana (the player) said to ..."``); cleaned like the
                player's words. None keeps the current one (default: unnamed, "the
                player").
            tile: the tile the player stands on (integer tile coordinates, as
                :meth:`position`): NPCs never walk into it - a walker whose next tile it is
                waits before it until the player moves on. None keeps the last one; see
                :meth:`clear_player` when the player leaves the map.

        Raises:
            ValueError: an empty name, or a tile outside the map.
        """
        if name is not None:
            name = sanitize_player_text(str(name), limit=MAX_PLAYER_NAME)
        self.town.set_player(name=name, tile=tile)

    def clear_player(self) -> None:
        """The player is not on the map any more: nobody waits for them."""
        self.town.clear_player_tile()

    @property
    def player_name(self) -> str:
        """The player's name (``"player"`` until :meth:`set_player` names them)."""
        return self.town.player_name

    @property
    def player_tile(self) -> tuple[int, int] | None:
        return self.town.player_tile

    def walking(self, name: str) -> bool:
        return self.town.stepper.walking(name)

    def snapshot(self, name: str) -> BrainSnapshot:
        return self.town.brains[name].snapshot()

    def snapshots(self) -> dict[str, BrainSnapshot]:
        return self.town.snapshots()

    def conversation(self, name: str) -> dict[str, Any] | None:
        """``name``'s NPC-NPC conversation in progress, read-only: ``{"a", "b", "place",
        "start", "lines"}`` with ``lines`` a tuple of ``(speaker, text)``; None when none."""
        talks = self.town.conversations
        convo = talks.active.get(name) if talks is not None else None
        if convo is None:
            return None
        lines = tuple((w, t) for w, t in convo.lines)
        return {
            "a": convo.a,
            "b": convo.b,
            "place": convo.place,
            "start": convo.started,
            "lines": lines,
        }

    def conversation_log(self, name: str, limit: int = 5) -> list[dict[str, Any]]:
        """``name``'s last ``limit`` finished NPC-NPC conversations, newest first, as
        ``conversation`` gives them plus ``"end"`` (copies: changing them changes nothing)."""
        talks = self.town.conversations
        out: list[dict[str, Any]] = []
        for done in reversed(talks.finished if talks is not None else []):
            if len(out) >= limit:
                break
            if name in (done["a"], done["b"]):
                out.append({**done, "lines": tuple((w, t) for w, t in done["lines"])})
        return out

    def nearest(self, x: float, y: float, radius: float) -> str | None:
        """The NPC nearest to tile point ``(x, y)`` within ``radius`` tiles, or None."""
        best, best_d = None, radius * radius
        for name in self.town.names():
            px, py = self.position(name)
            d = (px - x) ** 2 + (py - y) ** 2
            if d <= best_d:
                best, best_d = name, d
        return best

    def stats(self) -> HostStats:
        """Pipeline counters and token spend, for a panel redrawn a few times a second.

        O(1): the token figures are the ledger's running totals, and the Lifestyle Policy
        counters are re-read for ``STATS_SLICE`` brains per call, round the town (a
        brain's change shows within ``ceil(NPCs / STATS_SLICE)`` calls).
        """
        g = self.gateway.stats()
        running = self.ledger.running()
        model = self.model if not self.offline else REFERENCE_MODEL
        price = price_for(model, DEFAULT_PRICES)
        cost = 0.0
        if price is not None:
            cost = price.cost(
                prompt=running.prompt, completion=running.completion, cached=running.cached
            )
        tally = self._tally
        names = self.town.names()
        for _ in range(min(STATS_SLICE, len(names))):
            name = names[tally.cursor % len(names)]
            tally.cursor += 1
            stats = self.town.brains[name].stats()
            now = (stats["policy_hits"], stats["policy_misses"], stats["tokens_saved"])
            old = tally.read.get(name, (0, 0, 0))
            tally.read[name] = now
            tally.hits += now[0] - old[0]
            tally.misses += now[1] - old[1]
            tally.saved += now[2] - old[2]
        return HostStats(
            pending=g["pending"],
            in_flight=g["in_flight"],
            submitted=g["submitted"],
            completed=g["completed"],
            max_queue=g["max_queue"],
            llm_calls=running.calls,
            tokens=running.prompt + running.completion,
            tokens_saved=tally.saved,
            cost_usd=cost,
            cost_model=model if price is not None else "",
            policy_hits=tally.hits,
            policy_misses=tally.misses,
        )

    # ------------------------------------------------------------------ the player
    def begin_talk(self, npc: str) -> None:
        """The player opened a dialogue: ``npc`` stops and faces the player."""
        self.town.begin_talk(npc)

    def say(self, npc: str, text: str) -> RequestTicket[LLMResult]:
        """The player speaks to ``npc``; the ticket's ``partial_text()`` grows as the reply
        streams. The NPC stops and faces the player until :meth:`end_talk`."""
        return self.town.say(npc, text)

    def end_talk(self, npc: str) -> None:
        self.town.end_talk(npc)

    # ------------------------------------------------------------------ save / load
    @property
    def policy_recovery(self) -> Recovery | None:
        """What ``HostConfig.recover`` salvaged from a damaged policy file (None: intact)."""
        return self.policy_store.recovery

    def save(self, path: str | os.PathLike[str]) -> RequestTicket[CallResult]:
        """Save the town: a snapshot is taken now (one ``fork()`` on Linux, ~1 ms; packing
        here elsewhere), the packing and the file are finished off the frame.

        The ticket's result value is the number of bytes written; its error a
        ``StoreError`` naming the file.
        """
        pending = begin_save(path, self.town, policy=self.policy_store)
        return self.gateway.submit_call(pending.wait, kind="save", priority=Priority.PLAYER)

    def begin_load(self, path: str | os.PathLike[str]) -> RequestTicket[CallResult]:
        """Read, decode and check a save on a worker; pass the finished ticket to
        :meth:`finish_load`."""
        facts = town_facts(self.town, policy=self.policy_store)
        return self.gateway.submit_call(
            read_checked_save, os.fspath(path), facts, kind="load", priority=Priority.PLAYER
        )

    def finish_load(self, result: CallResult, path: str | os.PathLike[str]) -> SaveInfo:
        """Apply a save read and checked by :meth:`begin_load` (all or nothing).

        Raises:
            CorruptFileError, SchemaVersionError, SaveError, StoreError: as the read, the
                checks or the fit failed; the town is unchanged.
        """
        if result.error is not None:
            raise result.error
        snap = result.value
        assert isinstance(snap, Snapshot)
        apply_town_state(
            self.town, snap.body, policy=self.policy_store, where=os.fspath(path), checked=True
        )
        return SaveInfo(
            path=os.fspath(path),
            clock=self.clock,
            agents=len(self.names()),
            policies=len(self.policy_store),
        )

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Stop the gateway (waiting requests are cancelled) and close the policy store."""
        if self._closed:
            return
        self._closed = True
        self.gateway.close(timeout=1.0)
        self.policy_store.close()
        self._stop_gc()

    def __enter__(self) -> TownHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _start_tiles(world: World, personas: Sequence[Persona]) -> dict[str, tuple[int, int]]:
    """Start tiles for residents who will get no bed (more NPCs than beds): free walkable
    tiles near their home's spawns, spread so that no two stand on one tile."""
    beds = dict(world.home_beds())
    wanting: list[Persona] = []
    for p in personas:
        if p.bed or beds.get(p.home, 0) > 0:
            beds[p.home] = beds.get(p.home, 0) - 1
            continue
        wanting.append(p)
    if not wanting:
        return {}
    taken = {s.tile for s in world.spawns}
    out: dict[str, tuple[int, int]] = {}
    for p in wanting:
        origins = [s.tile for s in world.spawns if s.home == p.home] or [
            s.tile for s in world.spawns
        ]
        tile = _free_near(world, origins, taken, p.home)
        if tile is None:
            raise ConfigError(f"no free tile to start {p.name} near {p.home}")
        taken.add(tile)
        out[p.name] = tile
    return out


def _free_near(
    world: World, origins: list[tuple[int, int]], taken: set[tuple[int, int]], home: str
) -> tuple[int, int] | None:
    seen = set(origins)
    queue = list(origins)
    fallback = None
    i = 0
    while i < len(queue) and i < 20_000:
        tile = queue[i]
        i += 1
        if tile not in taken and world.grid.is_walkable(tile):
            place = world.place_of_tile(tile)
            if place is not None and place[0] == home:
                return tile
            if fallback is None:
                fallback = tile
        x, y = tile
        for nb in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if nb not in seen and world.grid.is_walkable(nb):
                seen.add(nb)
                queue.append(nb)
    return fallback
