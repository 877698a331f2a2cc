"""TownHost's world API: the clock set and skipped, tiles blocked at runtime, the player's
name and tile, facing and speed in the intent; bad cases refused with clear errors."""

from __future__ import annotations

import time

import pytest
from host_helpers import HostFactory, Recording

from aga_npc.brain.intent import FACINGS, IntentKind
from aga_npc.host.town_host import TownHost
from aga_npc.types import Module


def run(host: TownHost, frames: int, dt: float = 1 / 60, pause: float = 0.0) -> None:
    for _ in range(frames):
        host.update(dt)
        if pause:
            time.sleep(pause)


def walk(host: TownHost, name: str, goal: tuple[int, int], steps: int = 400) -> list[tuple]:
    """Walk ``name`` to ``goal`` with the brains paused (the stepper only); returns the
    tiles it stood on and its positions."""
    stepper = host.town.stepper
    assert stepper.send_to(name, goal)
    seen = []
    for _ in range(steps):
        stepper.step(1 / 30)
        seen.append((host.town.world.agent_tile(name), host.position(name)))
        if stepper.arrived(name):
            break
    return seen


def still(host: TownHost) -> None:
    """Brains and clock paused; the stepper moves only what a test sends, paths at once."""
    host.paused = True
    host.town.stepper.path_budget = None


# ----------------------------------------------------------------------- the clock
def test_skip_to_goes_to_the_next_morning_and_brains_carry_on(make_host: HostFactory) -> None:
    host = make_host(start="21:30", minutes_per_second=60.0)
    run(host, 120, pause=0.002)
    before = host.clock
    assert before.day == 1 and before.minute_of_day >= 21 * 60 + 30
    clock = host.skip_to(7)
    assert (clock.day, clock.hhmm) == (2, "07:00")
    run(host, 600, pause=0.002)  # 10 game hours at x60
    assert host.clock.day == 2 and host.clock.minute_of_day >= 16 * 60
    for name in host.names():
        day = next(r for r in host.town.agent_days() if r.agent == name and r.day == 2)
        # nothing of the skipped night was replayed: every action of day 2 starts after 07:00
        assert day.executed, name
        assert all(a.start >= (24 + 7) * 60 for a in day.executed), name
        # not a backlog: a handful of actions per game hour, not hundreds
        assert len(day.executed) < 100
        res, _ = host.town.brains[name].current_action()
        assert res is not None and res.start >= 24 * 60, (name, res)


def test_skip_to_the_time_it_is_now_is_a_day_later(make_host: HostFactory) -> None:
    host = make_host(start="07:00")
    assert (host.skip_to(7).day, host.clock.hhmm) == (2, "07:00")
    assert host.skip_to(7, 30).hhmm == "07:30"


def test_set_clock_forward_and_refused_backwards(make_host: HostFactory) -> None:
    host = make_host(start="08:00")
    run(host, 5)
    clock = host.set_clock(1, 12, 15)
    assert (clock.day, clock.hhmm) == (1, "12:15")
    assert host.set_clock(1, 12, 15) == clock  # now: nothing changes
    with pytest.raises(ValueError, match="cannot go back"):
        host.set_clock(1, 9)
    assert host.clock.hhmm == "12:15"
    for bad in ((0, 7, 0), (1, 24, 0), (1, 7, 60), (1, -1, 0)):
        with pytest.raises(ValueError):
            host.set_clock(*bad)
    with pytest.raises(ValueError):
        host.skip_to(25)
    run(host, 5)  # the town still runs


def test_walks_under_way_arrive_when_the_clock_jumps(make_host: HostFactory) -> None:
    host = make_host()
    still(host)
    name = host.names()[0]
    host.town.stepper.send_to(name, (19, 8))
    host.town.stepper.step(0.1)
    assert host.walking(name)
    host.skip_to(9)
    assert not host.walking(name)
    assert host.town.world.agent_tile(name) == (19, 8)


# ----------------------------------------------------------------------- tiles
def test_a_walk_is_rerouted_round_a_tile_blocked_on_its_path(make_host: HostFactory) -> None:
    host = make_host()
    still(host)
    name = host.names()[0]
    world = host.town.world
    world.move_agent(name, (0, 8))
    stepper = host.town.stepper
    assert stepper.send_to(name, (19, 8))
    path = stepper.path_of(name)
    assert (10, 8) in path  # the straight way along the street
    stepper.step(0.5)
    assert host.block_tile(10, 8)
    assert host.is_blocked(10, 8)
    assert (10, 8) not in stepper.path_of(name)
    seen = walk(host, name, (19, 8))
    assert all(tile != (10, 8) for tile, _ in seen)
    assert all(round(p[0]) != 10 or round(p[1]) != 8 for _, p in seen)
    assert world.agent_tile(name) == (19, 8)


def test_a_walk_with_no_way_left_stops_where_it_is(make_host: HostFactory) -> None:
    host = make_host()
    still(host)
    name = host.names()[0]
    host.town.world.move_agent(name, (0, 8))
    stepper = host.town.stepper
    assert stepper.send_to(name, (19, 8))
    assert host.block_rect(17, 7, 1, 5) == 5  # a wall across the street's end
    assert host.block_rect(18, 0, 2, 1) == 2  # and the way round the top
    assert not host.walking(name)
    here = host.town.world.agent_tile(name)
    assert here is not None and host.town.world.grid.is_walkable(here)
    stepper.step(1.0)
    assert host.town.world.agent_tile(name) == here and not stepper.arrived(name)


def test_an_npc_on_a_tile_that_becomes_blocked_steps_off(make_host: HostFactory) -> None:
    host = make_host()
    run(host, 30, pause=0.002)
    name = host.names()[0]
    tile = host.town.world.agent_tile(name)
    assert tile is not None
    assert host.block_tile(*tile)
    moved = host.town.world.agent_tile(name)
    assert moved != tile and host.town.world.grid.is_walkable(moved)
    assert abs(moved[0] - tile[0]) + abs(moved[1] - tile[1]) <= 3
    run(host, 120, pause=0.002)
    for n in host.names():
        assert host.town.world.agent_tile(n) != tile


def test_unblocking_and_bad_tiles(make_host: HostFactory) -> None:
    host = make_host()
    assert host.block_tile(12, 9)
    assert not host.block_tile(12, 9)  # already blocked
    assert host.unblock_tile(12, 9)
    assert not host.is_blocked(12, 9)
    assert not host.unblock_tile(12, 9)
    for x, y in ((-1, 0), (20, 3), (3, 12)):
        with pytest.raises(ValueError, match="outside the map"):
            host.block_tile(x, y)
        with pytest.raises(ValueError, match="outside the map"):
            host.unblock_tile(x, y)
    with pytest.raises(ValueError, match="outside the map"):
        host.block_rect(18, 10, 3, 1)
    with pytest.raises(ValueError):
        host.block_rect(1, 1, 0, 2)
    assert host.is_blocked(-1, 0)


# ----------------------------------------------------------------------- the player
def test_walkers_wait_before_the_player_and_go_on_when_they_move(
    make_host: HostFactory,
) -> None:
    host = make_host()
    still(host)
    name = host.names()[0]
    host.town.world.move_agent(name, (0, 8))
    stepper = host.town.stepper
    assert stepper.send_to(name, (19, 8))
    path = stepper.path_of(name)
    player = path[6]
    host.set_player(tile=player)
    for _ in range(120):
        stepper.step(1 / 30)
        assert host.town.world.agent_tile(name) != player
        x, y = host.position(name)
        assert abs(x - player[0]) + abs(y - player[1]) >= 1.0 - 1e-9
    assert not stepper.arrived(name)
    assert host.intent(name).speed == 0.0  # held up
    host.set_player(tile=(5, 11))  # stepped aside
    seen = walk(host, name, (19, 8))
    assert seen[-1][0] == (19, 8)


def test_player_tile_and_name_checked(make_host: HostFactory) -> None:
    host = make_host()
    assert host.player_name == "player"
    with pytest.raises(ValueError, match="outside the map"):
        host.set_player(tile=(30, 3))
    with pytest.raises(ValueError, match="name"):
        host.set_player(name="   ")
    host.set_player(name="Ana\nHale", tile=(4, 8))
    assert host.player_name == "Ana Hale"
    assert host.player_tile == (4, 8)
    host.clear_player()
    assert host.player_tile is None
    host.set_player(tile=(5, 8))
    assert host.player_name == "Ana Hale"  # kept


def test_the_npc_greets_the_player_by_name_and_remembers_it(make_host: HostFactory) -> None:
    backend = Recording()
    host = make_host(backend=backend)
    host.set_player(name="Ana", tile=(4, 8))
    npc = host.names()[0]
    ticket = host.say(npc, "Hello!")
    deadline = time.monotonic() + 10
    while not ticket.done():
        assert time.monotonic() < deadline
        run(host, 1)
        time.sleep(0.005)
    reply = ticket.result()
    assert reply is not None and "Ana" in reply.text
    sent = [r for r in backend.requests if r.module is Module.PLAYER_REPLY]
    prompt = "\n".join(m.content for m in sent[-1].messages)
    assert "Ana (the player) says" in prompt
    run(host, 2)
    memories = [m.text for m in host.town.brains[npc].mind.stream]
    assert any(t.startswith("Ana (the player) said to") for t in memories), memories


def test_an_unnamed_player_is_still_the_player(make_host: HostFactory) -> None:
    backend = Recording()
    host = make_host(backend=backend)
    npc = host.names()[0]
    ticket = host.say(npc, "Hello!")
    deadline = time.monotonic() + 10
    while not ticket.done():
        assert time.monotonic() < deadline
        run(host, 1)
        time.sleep(0.005)
    sent = [r for r in backend.requests if r.module is Module.PLAYER_REPLY]
    prompt = "\n".join(m.content for m in sent[-1].messages)
    assert "The player says" in prompt and "(the player)" not in prompt


# ----------------------------------------------------------------------- intents
def test_intent_facing_follows_the_step_and_speed_is_tiles_per_second(
    make_host: HostFactory,
) -> None:
    host = make_host(minutes_per_second=2.0)
    still(host)
    name = host.names()[0]
    host.town.world.move_agent(name, (0, 8))
    stepper = host.town.stepper
    assert stepper.send_to(name, (19, 8))
    stepper.step(0.05)
    x0, y0 = host.position(name)
    intent = host.intent(name)
    assert intent.speed == pytest.approx(stepper.speed) and intent.speed > 0
    stepper.step(0.2)
    x1, y1 = host.position(name)
    assert intent.facing in FACINGS
    assert (x1 - x0, y1 - y0) != (0, 0)
    expected = {(1, 0): "right", (-1, 0): "left", (0, 1): "down", (0, -1): "up"}
    step = (int(x1 > x0) - int(x1 < x0), int(y1 > y0) - int(y1 < y0))
    if step in expected:
        assert host.intent(name).facing == expected[step]
    walk(host, name, (19, 8))
    assert host.intent(name).speed == 0.0
    assert host.intent(name).facing == "right"  # the last step's direction


def test_talking_npcs_face_each_other(make_host: HostFactory) -> None:
    host = make_host()
    a, b = host.names()[:2]
    world = host.town.world
    host.paused = True
    world.move_agent(a, (4, 8))
    world.move_agent(b, (4, 10))
    host.town.brains[a].begin_talk(b)
    host.town.brains[b].begin_talk(a)
    host.paused = False
    run(host, 40)
    if host.intent(a).kind is IntentKind.TALK:
        assert host.intent(a).facing == "down"
        assert host.intent(b).facing == "up"
    host.set_player(tile=(3, 8))
    host.begin_talk(a)
    run(host, 40)
    assert host.intent(a).kind is IntentKind.TALK
    assert host.intent(a).facing == "left"


def test_unknown_npc(make_host: HostFactory) -> None:
    host = make_host()
    for call in (host.position, host.intent):
        with pytest.raises(KeyError, match="Nobody"):
            call("Nobody")


def test_npcs_see_the_player_by_name_in_their_room(make_host: HostFactory) -> None:
    host = make_host()
    world = host.town.world
    npc = host.names()[0]
    here = world.agent_tile(npc)
    assert here is not None
    place = world.place_of_tile(here)
    near = next(
        t
        for t in ((here[0] + 1, here[1]), (here[0], here[1] + 1), (here[0] - 1, here[1]))
        if world.grid.is_walkable(t) and world.place_of_tile(t) == place
    )
    host.set_player(name="Sam", tile=near)
    run(host, 120, pause=0.002)
    memories = [m.text for m in host.town.brains[npc].mind.stream]
    assert any(t.startswith("Sam (the player) is walking about") for t in memories), memories


def test_the_player_in_another_room_or_off_the_map_is_not_seen(make_host: HostFactory) -> None:
    host = make_host()
    host.set_player(name="Sam", tile=(19, 11))  # the street corner, out of every room
    run(host, 120, pause=0.002)
    host.clear_player()
    run(host, 30, pause=0.002)
    for npc in host.names():
        memories = [m.text for m in host.town.brains[npc].mind.stream]
        assert not any("Sam (the player)" in t for t in memories)


def test_a_brain_hears_when_its_walk_is_cut_off(make_host: HostFactory) -> None:
    host = make_host(minutes_per_second=10.0)
    host.town.stepper.path_budget = None
    stepper, town = host.town.stepper, host.town
    walker = ""
    for _ in range(2000):
        run(host, 1)
        time.sleep(0.001)
        walker = next((n for n in host.names() if stepper.walking(n) and town.bodies[n].target), "")
        if walker:
            break
    assert walker, "nobody walked"
    goal = stepper.destination(walker)
    target = town.bodies[walker].target
    assert goal is not None
    failed_before = sum(r.failed_actions for r in town.agent_days() if r.agent == walker)
    assert host.block_tile(*goal)
    assert not stepper.walking(walker) or stepper.destination(walker) != goal
    failed = sum(r.failed_actions for r in town.agent_days() if r.agent == walker)
    assert failed == failed_before + 1
    assert town.bodies[walker].failed == target
