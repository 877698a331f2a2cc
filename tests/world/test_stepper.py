"""The world stepper: smooth frames and whole-minute jumps drive the same motion."""

from __future__ import annotations

import pytest

from aga_npc.world import World, WorldStepper

COUNTER = "Test Cafe:cafe:counter"


@pytest.fixture
def walker(world: World) -> WorldStepper:
    world.add_agent("Ada", (0, 8))
    return WorldStepper(world, speed=4.0, minutes_per_second=1.0)


def test_step_moves_speed_times_dt_tiles_and_interpolates(walker: WorldStepper) -> None:
    assert walker.send_to("Ada", (10, 8))
    assert walker.walking("Ada") and not walker.arrived("Ada")
    assert walker.step(0.5) == ()  # 2 tiles
    assert walker.world.agent_tile("Ada") == (2, 8)
    walker.step(0.125)  # half a tile more
    assert walker.position("Ada") == pytest.approx((2.5, 8.0))
    arrivals = walker.step(10.0)
    assert arrivals == ("Ada",)
    assert walker.arrived("Ada") and not walker.walking("Ada")
    assert walker.world.agent_tile("Ada") == (10, 8) == walker.destination("Ada")
    assert walker.position("Ada") == (10.0, 8.0)


def test_step_advances_game_time_with_fractions_carried(walker: WorldStepper) -> None:
    start = walker.world.clock.total_minutes
    for _ in range(4):
        walker.step(0.25)
    assert walker.world.clock.total_minutes == start + 1
    walker.step(0.5)
    assert walker.world.clock.total_minutes == start + 1
    walker.step(0.5)
    assert walker.world.clock.total_minutes == start + 2


def test_frames_and_minute_jumps_agree(world: World) -> None:
    other = World.load(world.raw.path)
    for w in (world, other):
        w.add_agent("Ada", home="Test House")
    smooth = WorldStepper(world, speed=3.0, minutes_per_second=2.0)
    jumps = WorldStepper(other, speed=3.0, minutes_per_second=2.0)
    assert smooth.send_to("Ada", COUNTER) and jumps.send_to("Ada", COUNTER)
    path_len = len(smooth.path_of("Ada")) - 1
    minutes_needed = -(-path_len * 2 // 3)  # 1.5 tiles per game minute
    arrived_at = None
    for minute in range(1, minutes_needed + 2):
        for _ in range(8):
            smooth.step(1 / 16)  # 8 frames = half a real second = 1 game minute
        if jumps.step_minutes(1):
            arrived_at = minute
        assert world.agent_tile("Ada") == other.agent_tile("Ada")
        assert world.clock == other.clock
    assert arrived_at == minutes_needed
    assert smooth.arrived("Ada") and jumps.arrived("Ada")
    assert world.agent_tile("Ada") == world.object_at(COUNTER).tile  # type: ignore[union-attr]


def test_send_to_unreachable_or_unknown_targets_fails_and_stays(walker: WorldStepper) -> None:
    walker.world.set_blocked([(3, 6)])  # shut the house
    assert not walker.send_to("Ada", "Test House:kitchen:stove")
    assert not walker.send_to("Ada", "Test House:kitchen:jacuzzi")
    assert not walker.walking("Ada") and walker.world.agent_tile("Ada") == (0, 8)
    assert walker.world.stand_tile("Ada") is None
    with pytest.raises(ValueError, match="unknown agent"):
        walker.send_to("Ghost", (1, 1))


def test_agents_sharing_a_target_stop_on_different_tiles(world: World) -> None:
    names = ["A", "B", "C"]
    for i, name in enumerate(names):
        world.add_agent(name, (i, 8))
    stepper = WorldStepper(world)
    assert all(stepper.send_to(n, "Test Cafe:cafe:table 1") for n in names)
    stepper.step_minutes(30)
    tiles = {world.agent_tile(n) for n in names}
    assert len(tiles) == 3 and all(stepper.arrived(n) for n in names)
    assert all(world.place_of_tile(t) == ("Test Cafe", "cafe") for t in tiles)  # type: ignore[arg-type]


def test_send_to_where_one_stands_arrives_at_once(walker: WorldStepper) -> None:
    assert walker.send_to("Ada", (0, 8))
    assert walker.arrived("Ada") and not walker.walking("Ada")
    assert walker.world.stand_tile("Ada") == (0, 8)
    walker.stop("Ada")
    assert not walker.arrived("Ada") and walker.world.stand_tile("Ada") is None


def test_state_round_trip_mid_walk(walker: WorldStepper) -> None:
    walker.send_to("Ada", (10, 8))
    walker.step(0.6)
    state = walker.get_state()
    clone = WorldStepper(walker.world)
    clone.set_state(state)
    assert clone.get_state() == state
    assert clone.position("Ada") == walker.position("Ada")
    assert clone.step(5.0) == ("Ada",)


STOVE = "Test House:kitchen:stove"


def _sliced(world: World, budget: int = 60) -> WorldStepper:
    """A stepper that searches ``budget`` A* nodes per game minute: one per frame at x1."""
    return WorldStepper(world, speed=4.0, minutes_per_second=1.0, path_budget=budget)


def test_a_path_budget_spreads_the_search_over_frames_and_walks_the_same_path(
    world: World,
) -> None:
    other = World.load(world.raw.path)
    for w in (world, other):
        w.add_agent("Ada", (0, 8))
    sliced, whole = _sliced(world), WorldStepper(other)
    assert whole.send_to("Ada", STOVE)
    expected = whole.path_of("Ada")
    assert sliced.send_to("Ada", STOVE)
    assert sliced.searching("Ada") and sliced.walking("Ada") and not sliced.arrived("Ada")
    assert sliced.destination("Ada") == expected[-1]
    frames = 0
    while sliced.searching("Ada"):
        assert sliced.position("Ada") == (0.0, 8.0)  # waits where it stands
        sliced.step(1 / 60)
        frames += 1
    assert frames > 5  # one node a frame: the search took several frames
    assert sliced.path_of("Ada") == expected  # found in this frame, walking from here on
    assert sliced.position("Ada") != (0.0, 8.0)
    for _ in range(2000):
        if sliced.step(1 / 60):
            break
    assert sliced.arrived("Ada") and world.agent_tile("Ada") == expected[-1]


def test_searches_share_the_budget_oldest_first(world: World) -> None:
    for name, x in (("Ada", 0), ("Bo", 1)):
        world.add_agent(name, (x, 8))
    stepper = _sliced(world, budget=60 * 4)  # four nodes a frame at x1
    assert stepper.send_to("Ada", STOVE) and stepper.send_to("Bo", "Test Cafe:cafe:counter")
    order = []
    for _ in range(500):
        stepper.step(1 / 60)
        order += [n for n in ("Ada", "Bo") if not stepper.searching(n) and n not in order]
        if len(order) == 2:
            break
    assert order == ["Ada", "Bo"]


def test_minute_jumps_finish_waiting_searches_before_moving(world: World) -> None:
    other = World.load(world.raw.path)
    for w in (world, other):
        w.add_agent("Ada", (0, 8))
    sliced, whole = _sliced(world, budget=1), WorldStepper(other)
    assert sliced.send_to("Ada", STOVE) and whole.send_to("Ada", STOVE)
    assert sliced.searching("Ada")
    for _ in range(3):
        assert sliced.step_minutes(1) == whole.step_minutes(1)
        assert world.agent_tile("Ada") == other.agent_tile("Ada")
    assert not sliced.searching("Ada")


def test_state_round_trip_mid_search(world: World) -> None:
    world.add_agent("Ada", (0, 8))
    stepper = _sliced(world)
    stepper.send_to("Ada", STOVE)
    stepper.step(1 / 60)
    assert stepper.searching("Ada")
    state = stepper.get_state()
    clone = _sliced(world)
    clone.set_state(state)
    assert clone.get_state() == state
    assert clone.searching("Ada") and clone.destination("Ada") == stepper.destination("Ada")
    clone.step_minutes(0)
    assert clone.path_of("Ada")[-1] == stepper.destination("Ada")


def test_a_search_that_finds_no_way_after_a_wall_change_reports_the_failure(
    world: World,
) -> None:
    world.add_agent("Ada", (0, 8))
    stepper = _sliced(world)
    assert stepper.send_to("Ada", STOVE)
    stepper.step(1 / 60)
    assert stepper.searching("Ada")
    world.set_blocked([(3, 6)])  # the house shuts while the path is searched
    for _ in range(100):
        stepper.step(1 / 60)
    assert not stepper.walking("Ada") and not stepper.arrived("Ada")
    assert world.agent_tile("Ada") == (0, 8) and world.stand_tile("Ada") is None
    assert stepper.take_failures() == {"Ada": STOVE}
    assert stepper.take_failures() == {}


def test_a_restored_search_of_an_agent_no_longer_in_the_world_is_dropped(world: World) -> None:
    world.add_agent("Ada", (0, 8))
    stepper = _sliced(world)
    stepper.send_to("Ada", STOVE)
    state = stepper.get_state()
    world.remove_agent("Ada")
    clone = _sliced(world)
    clone.set_state(state)
    assert clone.searching("Ada")
    clone.step(1 / 60)
    assert not clone.searching("Ada") and not clone.walking("Ada")
    assert clone.take_failures() == {}
