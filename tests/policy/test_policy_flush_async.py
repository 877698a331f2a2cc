"""The hourly flush can leave the frame loop: records are taken on the caller's thread and
written and fsynced by a gateway worker; the file then holds every entry."""

from __future__ import annotations

import time
from pathlib import Path

from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.policy.entries import PolicyScope
from aga_npc.policy.store import PolicyStore
from aga_npc.runtime import Gateway
from aga_npc.testing import FakeLLM
from aga_npc.types import Action


def test_flush_async_writes_on_a_worker_and_reopens_with_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "policy.log"
    plans = [f"routine number {i}" for i in range(30)]
    store = _store_with(path, plans)
    with Gateway(FakeLLM()) as gateway:
        handed = store.flush_async(
            lambda fn, *args: gateway.submit_call(fn, *args, kind="policy_flush")
        )
        assert handed >= 30  # 30 entries plus new cache vectors
        assert store.journal is not None and store.journal.pending_count() == 0  # taken at once
        for _ in range(500):
            done = gateway.drain()
            if done:
                result = done[0].result()
                assert result is not None and result.error is None
                assert result.value == handed
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the worker never wrote the records")
    store.close()
    reopened = PolicyStore.open(path, embedder=CachedEmbedder(HashingEmbedder()))
    assert sorted(e.plan_text for e in reopened.entries()) == sorted(plans)
    again = reopened.lookup_exact("routine number 7", place="@home", agent="a", world=_NoWorld())
    assert again.matched_text == "routine number 7"
    reopened.close()


class _NoWorld:
    def minute_of_day(self) -> int:
        return 0

    def objects(self, **_: object) -> list[object]:
        return []

    def object_at(self, address: str) -> None:
        return None

    def is_reachable(self, agent: str, address: str) -> bool:
        return False

    def agent_place(self, agent: str) -> None:
        return None

    def resolve_sector(self, agent: str, sector: str) -> str:
        return sector


def _store_with(path: Path, plans: list[str]) -> PolicyStore:
    embedder = CachedEmbedder(HashingEmbedder())
    store = PolicyStore.open(path, embedder=embedder)
    for text, vec in zip(plans, embedder.embed(plans), strict=True):
        store.add(
            text,
            vec,
            place="@home",
            actions=[Action(verb="sit", target="@home:living room:sofa", duration=10)],
            scope=PolicyScope.town(),
        )
    return store


def _reopened_plans(path: Path) -> list[str]:
    with PolicyStore.open(path, embedder=CachedEmbedder(HashingEmbedder())) as again:
        return sorted(e.plan_text for e in again.entries())


def test_a_flush_whose_worker_write_never_ran_still_reaches_the_file_on_close(
    tmp_path: Path,
) -> None:
    # A host closing its gateway cancels queued jobs, the policy flush among them: the
    # records taken for it must not be lost.
    path = tmp_path / "policy.log"
    plans = [f"routine number {i}" for i in range(5)]
    store = _store_with(path, plans)
    cancelled: list[object] = []
    assert store.flush_async(lambda fn, *args: cancelled.append((fn, args))) >= 5
    assert cancelled  # handed over, never run
    store.close()
    assert _reopened_plans(path) == sorted(plans)


def test_a_late_worker_write_after_a_flush_writes_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "policy.log"
    store = _store_with(path, ["routine one"])
    jobs: list[tuple[object, tuple[object, ...]]] = []
    handed = store.flush_async(lambda fn, *args: jobs.append((fn, args)))
    assert store.flush() == handed  # the flush writes the owed batch itself
    ((fn, args),) = jobs
    assert callable(fn) and fn(*args) == 0  # the worker, late, finds it written
    store.close()
    with PolicyStore.open(path, embedder=CachedEmbedder(HashingEmbedder())) as again:
        assert [e.plan_text for e in again.entries()] == ["routine one"]
        assert again.journal is not None


def test_worker_writes_out_of_order_keep_the_order_of_the_changes(tmp_path: Path) -> None:
    # The older batch adds a routine, the newer one removes it: written newest-first, a
    # replay would resurrect it. A newer batch's write takes the older owed batch with it.
    path = tmp_path / "policy.log"
    store = _store_with(path, ["routine kept", "routine dropped"])
    jobs: list[tuple[object, tuple[object, ...]]] = []
    store.flush_async(lambda fn, *args: jobs.append((fn, args)))
    (dropped,) = [e for e in store.entries() if e.plan_text == "routine dropped"]
    store.remove(dropped.id)
    store.flush_async(lambda fn, *args: jobs.append((fn, args)))
    (old_fn, old_args), (new_fn, new_args) = jobs
    assert callable(new_fn) and new_fn(*new_args) > 0
    assert callable(old_fn) and old_fn(*old_args) == 0
    store.close()
    assert _reopened_plans(path) == ["routine kept"]
