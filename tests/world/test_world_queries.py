"""World queries and mutations: affordances, claims, agents, reachability, snapshots."""

from __future__ import annotations

import threading

import pytest

from aga_npc.ports import WorldView
from aga_npc.world import KIND_AFFORDANCES, World, affordances, kinds_for_verb

STOVE = "Test House:kitchen:stove"
HOUSE_TABLE = "Test House:kitchen:table"
CAFE_TABLE = "Test Cafe:cafe:table 1"


def addresses(infos: object) -> list[str]:
    return [o.address for o in infos]  # type: ignore[attr-defined]


def test_affordance_table_matches_the_conventions() -> None:
    assert affordances("bed") == ("sleep", "rest", "nap")
    assert affordances("desk") == ("study", "work", "write", "read")
    assert affordances("counter") == ("serve", "order", "pay", "work", "prepare drinks")
    assert affordances("hovercraft") == ()
    assert set(kinds_for_verb("cook")) == {"stove"}
    assert set(kinds_for_verb("sit")) == {"table", "bench", "sofa", "fountain"}
    assert len(KIND_AFFORDANCES) == 20


def test_objects_filtered_by_kind_sector_arena_and_verb(world: World) -> None:
    assert addresses(world.objects(kind="table")) == [
        HOUSE_TABLE,
        CAFE_TABLE,
        "Test Cafe:cafe:table 2",
    ]
    assert addresses(world.objects(kind="table", sector="Test Cafe")) == [
        CAFE_TABLE,
        "Test Cafe:cafe:table 2",
    ]
    assert addresses(world.objects(sector="Test House", arena="kitchen")) == [STOVE, HOUSE_TABLE]
    assert addresses(world.objects(verb="sit", sector="Test Park")) == ["Test Park:park:bench"]
    assert addresses(world.objects(verb="cook")) == [STOVE]
    assert world.objects(kind="bed", sector="Test Cafe") == []
    assert len(world.objects()) == 9


def test_place_symbols_resolve_per_agent(world: World) -> None:
    world.add_agent("Ada", home="Test House", workplace="Test Cafe")
    world.add_agent("Bo", (10, 8))
    assert world.resolve_sector("Ada", "@home") == "Test House"
    assert world.resolve_sector("Ada", "@work") == "Test Cafe"
    assert world.resolve_sector("Bo", "@work") is None
    assert world.resolve_sector("Bo", "Test Park") == "Test Park"
    assert addresses(world.objects(kind="counter", sector="@work", agent="Ada")) == [
        "Test Cafe:cafe:counter"
    ]
    assert world.objects(sector="@home", agent="Bo") == []
    assert world.is_reachable("Ada", "@home:kitchen:stove")
    assert world.claim("Ada", "@home:kitchen:stove")
    assert world.claims_of("Ada") == (STOVE,)
    world.release("Ada", "@home:kitchen:stove")
    assert world.claims_of("Ada") == ()
    assert not world.claim("Bo", "@home:kitchen:stove")  # Bo has no home
    assert world.resolve_address("Ada", "@work:cafe:counter") == "Test Cafe:cafe:counter"
    assert world.resolve_address("Ada", STOVE) == STOVE  # literal: unchanged
    assert world.resolve_address("Bo", "@work:cafe:counter") is None
    assert not world.is_reachable("Bo", "@work:cafe:counter")
    assert world.reserve_stand_tile("Bo", "@home:kitchen:stove") is None
    assert world.reserve_stand_tile("Ada", "@home:kitchen:stove") is not None


def test_claim_and_release_respect_capacity(world: World) -> None:
    assert world.claim("Ada", HOUSE_TABLE)  # capacity 2
    assert world.claim("Ada", HOUSE_TABLE)  # idempotent
    assert world.claim("Bo", HOUSE_TABLE)
    assert not world.claim("Cy", HOUSE_TABLE)  # full
    info = world.object_at(HOUSE_TABLE)
    assert info is not None and info.occupants == ("Ada", "Bo") and info.free_capacity == 0
    world.release("Ada", HOUSE_TABLE)
    world.release("Ada", HOUSE_TABLE)  # no-op
    assert world.claim("Cy", HOUSE_TABLE)
    info = world.object_at(HOUSE_TABLE)
    assert info is not None and info.occupants == ("Bo", "Cy")
    assert not world.claim("Ada", "Test House:kitchen:jacuzzi")
    assert world.claim("Bo", STOVE)
    assert world.claims_of("Bo") == (HOUSE_TABLE, STOVE)
    assert world.release_all("Bo") == (HOUSE_TABLE, STOVE)
    assert world.claims_of("Bo") == ()
    stove = world.object_at(STOVE)
    assert stove is not None and stove.occupants == ()


def test_set_state_accepts_only_declared_states(world: World) -> None:
    world.set_state(STOVE, "on")
    stove = world.object_at(STOVE)
    assert stove is not None and stove.state == "on"
    with pytest.raises(ValueError, match=r"unknown state 'burning'.*off, on"):
        world.set_state(STOVE, "burning")
    with pytest.raises(ValueError, match="stateless"):
        world.set_state(HOUSE_TABLE, "on")
    with pytest.raises(ValueError, match="no object with address"):
        world.set_state("Test House:kitchen:oven", "on")


def test_add_agent_assigns_free_beds_and_starts_at_their_spawns(world: World) -> None:
    assert world.add_agent("Ada", home="Test House") == (3, 3)
    assert world.agent_bed("Ada") == "Test House:bedroom:bed 1"
    assert world.add_agent("Bo", home="Test House") == (3, 5)
    assert world.agent_bed("Bo") == "Test House:bedroom:bed 2"
    assert world.free_bed("Test House") is None
    with pytest.raises(ValueError, match="already in the world"):
        world.add_agent("Ada", (10, 8))
    with pytest.raises(ValueError, match="give a start tile"):
        world.add_agent("Cy", home="Test House")  # no bed left, no tile
    with pytest.raises(ValueError, match="'Atlantis' is not a sector"):
        world.add_agent("Di", (10, 8), home="Atlantis")
    with pytest.raises(ValueError, match="already belongs to Ada"):
        world.add_agent("Ed", (10, 8), bed="Test House:bedroom:bed 1")
    with pytest.raises(ValueError, match="blocked"):
        world.add_agent("Fi", (1, 1))
    assert world.agents() == ("Ada", "Bo")
    assert world.agent_place("Ada") == ("Test House", "bedroom")
    world.move_agent("Ada", (10, 8))
    assert world.agent_place("Ada") is None and world.agent_tile("Ada") == (10, 8)


def test_reachability_follows_doors_and_blocked_tiles(world: World) -> None:
    world.add_agent("Ada", home="Test House")
    assert world.is_reachable("Ada", "Test Cafe:cafe:counter")
    world.set_blocked([(3, 6)])  # shut the front door
    assert not world.is_reachable("Ada", "Test Cafe:cafe:counter")
    assert world.is_reachable("Ada", STOVE)  # still inside the house
    assert not world.is_tile_reachable("Ada", (10, 8))
    world.set_blocked([(3, 6)], blocked=False)
    assert world.is_reachable("Ada", "Test Cafe:cafe:counter")
    assert not world.is_reachable("Ada", "Nowhere:x:y")
    assert not world.is_reachable("Ghost", STOVE)


def test_nearest_uses_walking_distance_and_free_capacity(world: World) -> None:
    world.add_agent("Ada", home="Test House")
    near = world.nearest("Ada", "table")
    assert near is not None and near.address == HOUSE_TABLE
    world.claim("Bo", HOUSE_TABLE)
    world.claim("Cy", HOUSE_TABLE)
    free = world.nearest("Ada", "table", free_only=True)
    assert free is not None and free.sector == "Test Cafe"
    assert world.nearest("Ada", verb="sit", sector="Test Park") is not None
    world.set_blocked([(3, 6)])
    assert world.nearest("Ada", "bench") is None  # none reachable


def test_world_and_snapshot_implement_worldview(world: World) -> None:
    snap = world.snapshot()
    assert isinstance(world, WorldView)
    assert isinstance(snap, WorldView)
    assert world.minute_of_day() == 6 * 60 == snap.minute_of_day()


def test_snapshot_is_immutable_and_frozen_in_time(world: World) -> None:
    world.add_agent("Ada", home="Test House")
    snap = world.snapshot()
    world.claim("Ada", STOVE)
    world.set_state(STOVE, "on")
    world.move_agent("Ada", (10, 8))
    world.advance_clock(90)
    world.set_blocked([(3, 6)])
    stove = snap.object_at(STOVE)
    assert stove is not None and stove.occupants == () and stove.state == "off"
    assert snap.agent_place("Ada") == ("Test House", "bedroom")
    assert snap.minute_of_day() == 360 and world.minute_of_day() == 450
    assert snap.is_reachable("Ada", "Test Cafe:cafe:counter")  # labels of its own moment
    with pytest.raises(AttributeError, match="immutable"):
        snap._infos = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        snap._tiles["Ada"] = (0, 0)  # type: ignore[index]


def test_snapshot_can_be_read_from_worker_threads(world: World) -> None:
    world.add_agent("Ada", home="Test House")
    snap = world.snapshot()
    results: list[bool] = []

    def read() -> None:
        for _ in range(200):
            results.append(snap.is_reachable("Ada", STOVE) and len(snap.objects()) == 9)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(200):
        world.move_agent("Ada", (10, 8))
        world.claim("Ada", STOVE)
        world.release("Ada", STOVE)
    for t in threads:
        t.join()
    assert len(results) == 800 and all(results)


def test_stand_tiles_spread_agents_sharing_a_target(world: World) -> None:
    names = ["A", "B", "C", "D"]
    tiles = [world.reserve_stand_tile(n, CAFE_TABLE) for n in names]
    assert tiles[0] == (15, 5)  # the use tile first
    assert len(set(tiles)) == 4
    use_tiles = {o.tile for o in world.objects()}
    for tile in tiles:
        assert tile is not None and world.grid.is_walkable(tile)
        assert world.place_of_tile(tile) == ("Test Cafe", "cafe")
    assert not (set(tiles[1:]) & use_tiles)  # others' use tiles are left free
    # re-reserving moves the agent's reservation; releasing frees the tile
    world.release_stand_tile("A")
    assert world.reserve_stand_tile("E", CAFE_TABLE) == (15, 5)
    assert world.stand_tile("A") is None and world.stand_tile("E") == (15, 5)
    assert world.reserve_stand_tile("E", "Test Cafe:cafe:pool table") is None


def test_state_round_trips_onto_a_fresh_world(world: World) -> None:
    world.add_agent("Ada", home="Test House", workplace="Test Cafe")
    world.claim("Ada", HOUSE_TABLE)
    world.set_state(STOVE, "on")
    world.reserve_stand_tile("Ada", CAFE_TABLE)
    world.set_blocked([(3, 6)])
    world.advance_clock(125)
    data = world.state_dict()
    fresh = World.load(world.raw.path)
    fresh.load_state_dict(data)
    assert fresh.state_dict() == data
    assert fresh.object_at(HOUSE_TABLE) == world.object_at(HOUSE_TABLE)
    assert fresh.object_at(STOVE) == world.object_at(STOVE)
    assert not fresh.grid.is_walkable((3, 6))
    assert fresh.resolve_sector("Ada", "@work") == "Test Cafe"
    assert fresh.clock == world.clock
