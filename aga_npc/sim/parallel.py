"""The comparison's runs as independent tasks: in this process, in worker processes or on Ray.

A :class:`RunTask` is one mode on one seed: its warm runs (policy modes only) and then the
measured run; modes in ``also`` are measured after the same warm runs, each starting from
the routines and embeddings the warm runs left (``lifestyle-only`` beside ``aga-paper``).
It is plain data (personas as dicts), and :func:`run_task` builds everything else inside
the worker (settings from the environment, the embedder, the LLM stack through
``simulate``), so nothing unpicklable crosses a process and a task's report depends only on
the task: the same seeds give the same reports whichever worker runs which task.

:func:`run_tasks` hands the tasks out largest first (the longest chains of warm runs start
first, so the last worker to finish is not the one that started a long chain last) and a
free worker always takes the next task. Worker processes start with ``spawn``; Ray is
imported only when asked for (the ``ray`` extra).
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.errors import AgaError, ConfigError
from aga_npc.ports import Embedder

__all__ = [
    "WARM_SEED_STEP",
    "RunTask",
    "largest_first",
    "run_task",
    "run_tasks",
]

WARM_SEED_STEP = 1000
"""Warm run ``k`` (0-based) of seed ``s`` uses seed ``s + WARM_SEED_STEP * (k + 1)``."""

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True, kw_only=True)
class RunTask:
    """One mode on one seed: ``warm_runs`` warm runs (policy modes), then the measured run.

    Attributes:
        personas: the residents as ``Persona.to_dict()`` data.
        mode: the mode (the warm runs run in it).
        also: policy modes measured after the same warm runs, each from a copy of the
            state they left (the routines learned and the embeddings computed).
        seed: the measured run's seed.
        days: game days per run.
        warm_runs: warm runs before the measured one (ignored by modes without a policy).
        map_path: TMX map (None: the bundled town).
        lod: ``turns`` or ``whole`` (NPC-NPC conversations).
        mind_wandering: sample rare memories into the daily plan.
        embed: the embedder override (``local``, ``openai``, ``hashing``; None: ``AGA_EMBED``).
        wording: the offline stand-in's plan wording (``default`` or ``paraphrase``).
        savings: the ``aga`` mode's savings switches (None: the mode's default).
        sharing: who reuses a learned routine (``agent``, ``role``, ``town``).
        line_minutes: game minutes per conversation line (None: the paired default).
    """

    personas: tuple[Mapping[str, Any], ...] = field(hash=False)
    mode: Mode
    also: tuple[Mode, ...] = ()
    seed: int
    days: int
    warm_runs: int = 0
    map_path: str | None = None
    lod: str = "turns"
    mind_wandering: bool = True
    embed: str | None = None
    wording: str = "default"
    savings: str | None = None
    sharing: str = "town"
    line_minutes: int | None = None

    def __post_init__(self) -> None:
        if not self.personas:
            raise ValueError("RunTask needs at least one persona")
        if self.days < 1:
            raise ValueError(f"RunTask.days must be >= 1, got {self.days}")
        if self.warm_runs < 0:
            raise ValueError(f"RunTask.warm_runs must be >= 0, got {self.warm_runs}")
        if self.seed < 0:
            raise ValueError(f"RunTask.seed must be >= 0, got {self.seed}")
        if self.also and not all(m.uses_policy for m in (self.mode, *self.also)):
            raise ValueError("RunTask.also shares warm runs: every mode needs a policy")
        if len({self.mode, *self.also}) != 1 + len(self.also):
            raise ValueError("RunTask.also repeats a mode")

    @property
    def warm(self) -> int:
        """The warm runs this task really does (0 for modes without a Lifestyle Policy)."""
        return self.warm_runs if self.mode.uses_policy else 0

    @property
    def cost(self) -> float:
        """A relative size for scheduling: simulated agent-days over all of the task's runs."""
        return float((self.warm + 1 + len(self.also)) * self.days * len(self.personas))

    @property
    def modes(self) -> tuple[Mode, ...]:
        """The measured modes, ``mode`` first."""
        return (self.mode, *self.also)

    @property
    def label(self) -> str:
        return f"seed {self.seed} {'+'.join(m.value for m in self.modes)}"


@functools.lru_cache(maxsize=4)
def _shared_embeddings(settings: Settings) -> Embedder:
    """One embedding computer per process, with a cache shared by every task it runs.

    Sharing cannot change a result: the same text always gets the same vector (the local
    model's rows do not depend on what else is in the batch; tested bit for bit), and each
    task still wraps this in a fresh cache of its own, so what a task can look up without
    asking (``cached``) depends only on its own history. Texts another task already
    embedded just cost nothing to compute again.
    """
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.factory import build_embedder

    return CachedEmbedder(build_embedder(settings, cache=False), max_entries=2_000_000)


def run_task(task: RunTask) -> list[dict[str, Any]]:
    """Do ``task`` and return the measured runs' reports (plain JSON data), one per mode of
    ``task.modes``, in that order.

    The policy store (and the embedding cache the store keeps with it) is carried from the
    warm runs into the measured run; nothing else is: every run builds its own town, LLM
    stack and token ledger. Each mode of ``task.also`` starts from a copy of what the warm
    runs left, so it is measured exactly as if its task had made the same warm runs itself.
    Settings come from this process's environment (``AGA_LLM`` ...), with ``task.embed``
    overriding ``AGA_EMBED``.

    Extra report keys: ``warm_runs``, ``warm_wall_seconds``, ``warm_mode`` and
    ``policy.store_size``.
    """
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.personas.model import Persona
    from aga_npc.policy.store import PolicyStore
    from aga_npc.sim.runner import RunConfig, simulate

    settings = Settings.from_env().with_overrides(embed=task.embed)
    shared = _shared_embeddings(settings)
    embedder = CachedEmbedder(shared)
    store = PolicyStore(embedder=embedder) if task.mode.uses_policy else None
    config = RunConfig(
        personas=tuple(Persona.from_dict(p) for p in task.personas),
        mode=task.mode,
        days=task.days,
        seed=task.seed,
        map_path=Path(task.map_path) if task.map_path else None,
        lod=task.lod,
        mind_wandering=task.mind_wandering,
        wording=task.wording,
        savings=task.savings,
        sharing=task.sharing,
        line_minutes=task.line_minutes,
    )
    started = time.perf_counter()
    for k in range(task.warm):
        warm = replace(config, seed=task.seed + WARM_SEED_STEP * (k + 1))
        simulate(warm, settings=settings, embedder=embedder, store=store)
    warm_wall = time.perf_counter() - started
    warm_items = embedder.items() if task.also else []
    warm_state = store.get_state() if task.also and store is not None else None
    reports: list[dict[str, Any]] = []
    for i, mode in enumerate(task.modes):
        if i > 0 and warm_state is not None:
            embedder = CachedEmbedder(shared)
            embedder.load(warm_items)
            store = PolicyStore(embedder=embedder)
            store.set_state(warm_state)
        report = simulate(
            replace(config, mode=mode), settings=settings, embedder=embedder, store=store
        )
        report["warm_runs"] = task.warm
        report["warm_wall_seconds"] = round(warm_wall, 3)
        report["warm_mode"] = task.mode.value if task.warm else None
        if store is not None:
            report["policy"]["store_size"] = len(store)
        reports.append(report)
    return reports


def largest_first(costs: Sequence[float]) -> list[int]:
    """Indices of ``costs`` from the largest to the smallest; equal costs keep their order."""
    return sorted(range(len(costs)), key=lambda i: -costs[i])


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    *,
    cost: Callable[[T], float],
    workers: int = 1,
    ray: str | None = None,
    on_done: Callable[[T, R, float], None] | None = None,
) -> list[R]:
    """Run ``fn`` on every task, largest ``cost`` first; results come back in task order.

    Args:
        fn: a module-level function (worker processes and Ray import it by name).
        tasks: picklable task values.
        cost: a task's relative size (only the order matters).
        workers: 1 runs here, in this process; more start that many ``spawn`` processes
            (never more than there are tasks). With ``ray="local"`` the CPUs Ray may use.
        ray: None (no Ray), ``"local"`` (start a private Ray instance here), ``"auto"``
            (join the cluster this machine is part of) or a cluster address.
        on_done: called in this process as each task finishes: ``(task, result, seconds)``
            (seconds from the start of the whole batch).

    Raises:
        ConfigError: ``fn`` is not importable, or Ray is asked for and not installed.
        AgaError: a worker process died; other errors a task raises are re-raised as is.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if getattr(fn, "__module__", "__main__") in ("__main__", "__mp_main__"):
        raise ConfigError(f"{fn!r} must be defined in an importable module for worker processes")
    order = largest_first([cost(t) for t in tasks])
    results: dict[int, R] = {}
    started = time.perf_counter()

    def finished(i: int, result: R) -> None:
        results[i] = result
        if on_done is not None:
            on_done(tasks[i], result, time.perf_counter() - started)

    if ray is not None:
        _run_on_ray(fn, tasks, order, ray, workers, finished)
    elif workers == 1 or len(tasks) <= 1:
        for i in order:
            finished(i, fn(tasks[i]))
    else:
        _run_in_processes(fn, tasks, order, workers, finished)
    return [results[i] for i in range(len(tasks))]


def _run_in_processes(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    order: list[int],
    workers: int,
    finished: Callable[[int, R], None],
) -> None:
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context)
    rank = {i: r for r, i in enumerate(order)}
    pending: dict[Future[R], int] = {}
    try:
        # The executor queues the tasks in submission order and a free worker takes the next.
        for i in order:
            pending[executor.submit(fn, tasks[i])] = i
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: rank[pending[f]]):
                i = pending.pop(future)
                finished(i, future.result())
    except BrokenProcessPool as exc:
        executor.shutdown(wait=False, cancel_futures=True)
        raise AgaError(f"a worker process died ({exc})") from exc
    except BaseException:
        # Report at once; the tasks still running finish on their own and are dropped.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _run_on_ray(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    order: list[int],
    address: str,
    workers: int,
    finished: Callable[[int, R], None],
) -> None:
    try:
        ray = importlib.import_module("ray")  # the optional extra, imported only here
    except ImportError as exc:
        raise ConfigError(
            f'--ray needs Ray ({exc}); install the extra: pip install "aga-npc[ray]"'
        ) from exc
    started_here = not ray.is_initialized()
    if started_here:
        try:
            if address == "local":
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=address, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"--ray {address}: cannot start or join Ray ({exc})") from exc
    try:
        remote = ray.remote(num_cpus=1)(fn)
        refs = {remote.remote(tasks[i]): i for i in order}
        try:
            while refs:
                ready, _ = ray.wait(list(refs), num_returns=1)
                for ref in ready:
                    i = refs.pop(ref)
                    finished(i, _ray_result(ray, ref))
        finally:
            for ref in refs:
                ray.cancel(ref)
    finally:
        if started_here:
            ray.shutdown()


def _ray_result(ray: Any, ref: Any) -> Any:
    """``ray.get``, with a task's own exception re-raised instead of Ray's wrapper."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, Exception):
            raise cause from exc
        raise AgaError(f"a Ray task failed: {exc}") from exc
    except ray.exceptions.RayError as exc:
        raise AgaError(f"Ray failed: {exc}") from exc
