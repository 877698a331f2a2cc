"""The demo town (aga_npc/data/maps/town.tmx) passes ``maps check`` and houses the town's
residents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aga_npc.personas import town_personas, validate_against_world
from aga_npc.world import World, WorldStepper

TOWN = Path(__file__).parents[2] / "aga_npc" / "data" / "maps" / "town.tmx"
HOMES = {
    "Brook House": 4,
    "Harbor Flat": 3,
    "Alder Dorm": 6,
    "Rowan Cottage": 2,
    "Fenwick House": 3,
    "Cedar Apartments": 4,
    "Mill Cottage": 1,
    "Lantern House": 2,
}
PUBLIC = {
    "Juniper Cafe",
    "Alder College",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Town Hall",
    "Elm Park",
    "Town Square",
}


@pytest.fixture(scope="module")
def town() -> World:
    return World.load(TOWN)


def test_check_cli_passes_with_the_contract_figures() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aga_npc.maps", "check", str(TOWN), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    report = json.loads(proc.stdout)
    assert len(report["sectors"]) >= 8
    assert report["objects"]["bed"] >= 25
    assert report["unreachable"] == [] and report["problems"] == []
    assert len(report["spawns"]) == 25


def test_sectors_and_home_beds_follow_the_conventions(town: World) -> None:
    assert set(HOMES) | PUBLIC <= set(town.sector_names())
    assert town.home_beds() == HOMES
    for home, beds in HOMES.items():
        assert len(town.objects(kind="bed", sector=home)) == beds
        for kind in ("stove", "fridge", "sink", "table", "shower", "toilet"):
            assert town.objects(kind=kind, sector=home), (home, kind)
    assert town.objects(kind="easel", sector="Rowan Cottage")
    assert town.objects(kind="piano", sector="Lantern House")


def test_every_object_reachable_from_every_spawn(town: World) -> None:
    for spawn in town.spawns:
        for info in town.objects():
            assert town.grid.connected(spawn.tile, info.tile), (spawn.bed, info.address)


@pytest.mark.parametrize("n", [3, 25])
def test_residents_move_in_and_can_walk_to_work(n: int) -> None:
    world = World.load(TOWN)
    people = town_personas(n)
    validate_against_world(people, world)
    for p in people:
        start = world.add_agent(
            p.name, home=p.home, workplace=p.workplace or None, bed=p.bed or None
        )
        assert world.agent_bed(p.name) == p.bed
        assert world.agent_place(p.name) is not None and world.agent_place(p.name)[0] == p.home  # type: ignore[index]
        assert world.grid.is_walkable(start)
    stepper = WorldStepper(world)
    for p in people:
        if p.workplace:
            target = world.objects(sector="@work", agent=p.name)[0]
            assert world.is_reachable(p.name, target.address)
            assert stepper.send_to(p.name, target.address)
    stepper.step_minutes(120)
    for p in people:
        if p.workplace:
            assert stepper.arrived(p.name), p.name
            assert world.agent_place(p.name)[0] == p.workplace  # type: ignore[index]
