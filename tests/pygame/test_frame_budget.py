"""Bounded frame work: overdue brains within a budget (oldest first, all eventually),
sight through the grid, the dt cap, the collector option, O(1) stats."""

from __future__ import annotations

import gc
import random

import pytest
from pygame_helpers import RESIDENTS, SMALL_TOWN

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import ConfigError
from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
from aga_npc.llm.ledger import LedgerEntry
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.town.town import SIGHT_RADIUS, Town


def _host(npcs: int, **config: object) -> TownHost:
    return TownHost.create(
        clone_personas(load_personas(RESIDENTS), npcs),
        map_path=SMALL_TOWN,
        config=HostConfig(seed=0, start="06:00", **config),  # type: ignore[arg-type]
        settings=Settings(embed="hashing"),
        backend=OfflineLLM(seed=0),
        embedder=CachedEmbedder(HashingEmbedder()),
    )


def _count_ticks(town: Town) -> list[str]:
    ticked: list[str] = []
    real_tick = town._tick

    def counting(name: str, now: int) -> None:
        ticked.append(name)
        real_tick(name, now)

    town._tick = counting  # type: ignore[method-assign]
    return ticked


def _stagger(town: Town) -> list[str]:
    """Tick the brains one a minute, so each last tick is a different minute; returns the
    order (oldest first)."""
    for _ in town.names():
        town.update(0.0, brain_budget=1)
        town.world.advance_clock(1)
    order = town.tick_order()
    stamps = [town.last_ticked(n) for n in order]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    return order


def test_overdue_brains_are_ticked_oldest_first_within_the_budget_and_all_eventually() -> None:
    host = _host(12)
    try:
        town = host.town
        order = _stagger(town)
        ticked = _count_ticks(town)
        town.world.advance_clock(30)  # everyone is overdue now
        frames = 0
        while len(ticked) < len(order):
            before = len(ticked)
            town.update(0.0, brain_budget=0, max_gap=2, overdue_ms_budget=0.0)
            frames += 1
            assert len(ticked) - before == 1  # a spent budget still ticks one: progress
            town.world.advance_clock(5)  # slow frames: the clock jumps on
            assert frames <= len(order)
        assert ticked == order  # oldest first, each once
        # the brains just ticked are now the youngest: the next frame takes the oldest
        ticked.clear()
        town.update(0.0, brain_budget=0, max_gap=2, overdue_ms_budget=0.0)
        assert ticked == [order[0]]
    finally:
        host.close()


def test_a_clock_jump_does_not_make_a_frame_tick_more_than_its_budget() -> None:
    host = _host(12)
    try:
        town = host.town
        ticked = _count_ticks(town)
        town.world.advance_clock(600)
        town.update(0.0, brain_budget=0, max_gap=2, overdue_ms_budget=0.0)
        assert len(ticked) == 1
        first = ticked.pop()
        town.update(0.0, brain_budget=0, max_gap=2, overdue_ms_budget=None)
        assert sorted(ticked) == sorted(set(town.names()) - {first})  # no budget: all at once
    finally:
        host.close()


def test_the_host_caps_the_game_time_of_a_slow_frame() -> None:
    host = _host(4, minutes_per_second=60.0, max_dt=0.05, overdue_ms=0.0)
    try:
        host.brain_ms_budget = 0.0  # no regular slice: only overdue brains are ticked
        town = host.town
        ticked = _count_ticks(town)
        start = town.now
        host.update(1.0)  # a one-second frame at x60 (60 game minutes uncapped)
        assert town.now - start == 3  # 0.05 s of game time: three minutes
        ticked.clear()
        host.update(1.0)
        assert len(ticked) == 1  # everyone is overdue; the frame ticks its budget's one
        assert town.now - start == 6
    finally:
        host.close()


@pytest.mark.parametrize(
    "bad",
    [{"overdue_ms": -1.0}, {"max_dt": 0.0}, {"gc_thresholds": (1, 2)}, {"ledger_entries": -1}],
)
def test_bad_frame_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        HostConfig(**bad)  # type: ignore[arg-type]


def test_sight_through_the_grid_equals_the_full_scan_on_a_random_town() -> None:
    host = _host(16)
    try:
        town = host.town
        world = town.world
        names = list(town.names())
        rng = random.Random(7)
        walkable = [
            (x, y)
            for x in range(world.width)
            for y in range(world.height)
            if world.grid.is_walkable((x, y))
        ]
        crowd = [t for t in walkable if world.place_of_tile(t) is not None]
        checked = seen = 0
        for round_ in range(12):
            pool = crowd if round_ % 2 == 0 else walkable  # crowded rooms, then spread
            for name in names:
                world.move_agent(name, rng.choice(pool))
            world.advance_clock(1)  # a new minute: the grid is rebuilt
            for name in names:
                place = world.agent_place(name)
                full = [
                    (o, d)
                    for o, d in town.nearby(name, SIGHT_RADIUS)
                    if place is not None and world.agent_place(o) == place
                ]
                assert town.in_sight(name) == full, name
                checked += 1
                seen += len(full)
        assert checked == 12 * len(names) and seen > 0
    finally:
        host.close()


def test_gc_freeze_is_held_while_a_host_runs_and_released_at_close() -> None:
    base = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    host = _host(2, gc_freeze=True, gc_thresholds=(5000, 20, 20))
    try:
        host.update(1 / 60)
        assert gc.get_freeze_count() > base
        assert gc.get_threshold() == (5000, 20, 20)
    finally:
        host.close()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
    off = _host(2, gc_freeze=False)
    try:
        off.update(1 / 60)
        assert gc.get_freeze_count() == 0
    finally:
        off.close()


def test_stats_do_not_read_the_ledger_entries_and_stay_exact() -> None:
    host = _host(2, ledger_entries=5)
    try:
        ledger = host.ledger
        before = host.stats()
        for i in range(200):
            ledger.record(
                LedgerEntry(agent="a", module="plan", prompt_tokens=10, completion_tokens=i % 7)
            )
        assert len(ledger.entries()) == 5  # bounded
        stats = host.stats()
        assert stats.llm_calls - before.llm_calls == 200
        assert stats.tokens - before.tokens == 200 * 10 + sum(i % 7 for i in range(200))

        def no_copy() -> tuple[LedgerEntry, ...]:
            raise AssertionError("stats() copied the ledger")

        ledger.entries = no_copy  # type: ignore[method-assign]
        host.stats()
    finally:
        host.close()


def test_stats_read_policy_counters_round_the_town() -> None:
    host = _host(40, llm_latency=0.0)
    try:
        brains = host.town.brains
        for brain in brains.values():
            brain.tokens_saved = 3
        first = host.stats()  # a slice of the town
        assert 0 < first.tokens_saved < 3 * len(brains)
        for _ in range(len(brains)):
            host.stats()
        assert host.stats().tokens_saved == 3 * len(brains)  # all read, exact
    finally:
        host.close()


def test_the_overdue_budget_is_whole_at_x60_and_a_share_below() -> None:
    host = _host(2, overdue_ms=6.0)
    try:
        assert host.brain_ms_budget == 1.0
        for speed, budget in ((1.0, 1.0), (10.0, 1.0), (30.0, 3.0), (60.0, 6.0), (600.0, 6.0)):
            host.set_speed(speed)
            assert host.overdue_budget() == pytest.approx(budget), speed
        host.overdue_ms_budget = None
        assert host.overdue_budget() is None
    finally:
        host.close()


class _Clock:
    """A stand-in for the ``time`` module inside the town: milliseconds advance only when
    the test says so (no timed test)."""

    def __init__(self) -> None:
        self.ms = 0.0

    def perf_counter(self) -> float:
        return self.ms / 1000.0


class _Brain:
    """A brain whose tick takes ``tick_ms`` on the fake clock and that may have answers."""

    def __init__(self, brain: object, clock: _Clock, order: list[str], answers: bool) -> None:
        self._brain = brain
        self._clock = clock
        self._order = order
        self._answers = answers

    def has_answers(self) -> bool:
        return self._answers

    def tick(self, *args: object) -> object:
        self._order.append(self._brain.profile.name)  # type: ignore[attr-defined]
        self._clock.ms += 0.1
        return self._brain.tick(*args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._brain, name)


def test_a_brain_with_answers_is_judged_by_the_slice_not_the_talk_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import aga_npc.town.town as town_module

    host = _host(6)
    try:
        town = host.town
        town.update(0.0, brain_budget=6)  # first ticks before the fake clock
        clock = _Clock()
        monkeypatch.setattr(town_module, "time", clock)
        talks = town.conversations
        assert talks is not None

        def slow_talk(*args: object, **kw: object) -> bool:
            clock.ms += 3.0  # the conversations' share took 3 ms (> a quarter of 10)
            return True

        monkeypatch.setattr(talks, "step", slow_talk)
        order: list[str] = []
        front = town.tick_order()[0]
        town.brains = {  # type: ignore[misc]
            n: _Brain(b, clock, order, n == front) for n, b in town.brains.items()
        }
        town.update(0.0, brain_budget=3, brain_ms_budget=10.0)
        # judged from the frame's start it would wait for ever (every frame talks first)
        assert order[:1] == [front]
        assert len(order) == 3
    finally:
        host.close()
