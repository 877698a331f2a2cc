"""The generated town of districts (tools/gen_town.py --residents N) and its residents."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import pytmx

from aga_npc.errors import ConfigError
from aga_npc.maps import check_world
from aga_npc.maps.districts import (
    DEMO_SECTORS,
    MAX_RESIDENTS,
    district_of,
    district_sector,
    districts_for,
)
from aga_npc.maps.generated import generated_town_map
from aga_npc.personas import town_personas, validate_against_world
from aga_npc.personas.generated import generated_personas
from aga_npc.sim.population import town_for
from aga_npc.world import World

ROOT = Path(__file__).parents[2]
GEN = ROOT / "tools" / "gen_town.py"
DATA = ROOT / "aga_npc" / "data"  # holds assets/, the tileset images
ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}


def _gen(*args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, str(GEN), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The 1,000-resident town, generated into a fresh cache."""
    path = generated_town_map(1000, cache=tmp_path_factory.mktemp("maps"))
    return path, World.load(path)


def test_thousand_residents_each_have_a_bed_and_a_workplace(big: tuple[Path, World]) -> None:
    _, world = big
    residents = generated_personas(1000)
    assert len(residents) == 1000
    validate_against_world(residents, world)  # homes, workplaces and beds exist, enough beds
    beds = [p.bed for p in residents]
    assert len(set(beds)) == 1000
    assert all(world.object_at(b) is not None and world.object_at(b).kind == "bed" for b in beds)
    sectors = set(world.sector_names())
    assert all(p.workplace in sectors for p in residents if p.workplace)
    # every resident lives and works in one district
    for p in residents:
        k = district_of(p.home)
        assert k is not None
        assert not p.workplace or district_of(p.workplace) == k
    assert sum(world.home_beds().values()) == 1000


def test_thousand_town_passes_the_checker(big: tuple[Path, World]) -> None:
    _, world = big  # World.load reads it with pytmx
    report = check_world(world)
    assert report.ok, report.problems[:5]
    assert len(report.spawns) == 1000
    assert not report.unreachable
    assert len(report.sectors) == 40 * len(DEMO_SECTORS)


def test_small_generated_town_passes_maps_check_cli(tmp_path: Path) -> None:
    out = tmp_path / "town60.tmx"
    assert _gen("--residents", "60", "--out", str(out)).returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "aga_npc.maps", "check", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: no problems" in done.stdout
    assert "spawns (75)" in done.stdout
    tmx = pytmx.TiledMap(str(out))  # as a game loads it
    assert len(tmx.get_layer_by_name("spawns")) == 75


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    assert _gen("--residents", "51", "--out", str(a)).returncode == 0
    assert _gen("--residents", "75", "--out", str(b)).returncode == 0  # same 3 districts
    assert a.read_bytes() == b.read_bytes()


def test_up_to_25_residents_is_the_bundled_town(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    assert _gen("--residents", "25", "--out", str(out)).returncode == 0
    bundled = (ROOT / "aga_npc" / "data" / "maps" / "town.tmx").read_text(encoding="utf-8")
    mine = out.read_text(encoding="utf-8")  # the same but for tileset paths (file-relative)
    assert _lines_without_images(mine) == _lines_without_images(bundled)


def _lines_without_images(text: str) -> list[str]:
    return [line for line in text.splitlines() if "<image " not in line]


@pytest.mark.parametrize("bad", ["0", "-3", str(MAX_RESIDENTS + 1), "many"])
def test_generator_refuses_a_bad_resident_count(bad: str, tmp_path: Path) -> None:
    out = tmp_path / "x.tmx"
    done = _gen("--residents", bad, "--out", str(out))
    assert done.returncode == 2
    assert "--residents" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_district_count_and_its_limits() -> None:
    assert [districts_for(n) for n in (1, 25, 26, 100, 1000)] == [1, 1, 2, 4, 40]
    for bad in (0, MAX_RESIDENTS + 1):
        with pytest.raises(ValueError, match="residents"):
            districts_for(bad)
    assert district_sector("The Copper Kettle", 1) == "The Ashford Copper Kettle"
    assert district_sector("Juniper Cafe", 0) == "Juniper Cafe"
    assert district_of("Ashford Juniper Cafe") == 1
    assert district_of("Juniper Cafe") == 0
    assert district_of("Nowhere Cafe") is None


def test_sim_town_for_counts() -> None:
    three, m3 = town_for(3)
    assert m3 is None and [p.name for p in three] == [p.name for p in town_personas(3)]
    ten, m10 = town_for(10)
    assert m10 is None and len(ten) == 10
    for bad in (0, MAX_RESIDENTS + 1):
        with pytest.raises(ConfigError, match="--npcs"):
            town_for(bad)


def test_sim_cli_refuses_more_npcs_than_any_town_holds() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aga_npc.sim", "run", "--npcs", str(MAX_RESIDENTS + 1)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert f"--npcs must be between 1 and {MAX_RESIDENTS}" in done.stderr


def test_checker_catches_a_district_missing_a_bed_or_misnamed() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_town
        from towngen.checks import TownError, check
        from towngen.districts import build_districts
    finally:
        sys.path.remove(str(ROOT / "tools"))
    canvas = build_districts(2, gen_town.build, gen_town.SEED)
    check(canvas, DATA, 2)  # the good town passes
    bed = next(t for t in canvas.things if t.sector == "Ashford Mill Cottage" and t.kind == "bed")
    canvas.things.remove(bed)
    with pytest.raises(TownError, match="Ashford Mill Cottage: 0 beds, want 1"):
        check(canvas, DATA, 2)
    canvas.things.append(bed)
    for loc in canvas.locations:
        if loc.sector == "Ashford Town Hall":
            loc.sector = "Town Hall 2"
    with pytest.raises(TownError, match="sectors differ"):
        check(canvas, DATA, 2)
    with pytest.raises(TownError, match="spawns"):
        check(canvas, DATA, 3)  # a third district's sectors and beds are missing


def test_generated_personas_are_deterministic_and_distinct() -> None:
    a, b = generated_personas(100, seed=7), generated_personas(100, seed=7)
    assert [p.to_dict() for p in a] == [p.to_dict() for p in b]
    other = generated_personas(100, seed=8)
    assert [p.name for p in a[25:]] != [p.name for p in other[25:]]
    assert [p.to_dict() for p in a[:25]] == [p.to_dict() for p in town_personas(25)]
    assert len({p.name for p in a}) == 100
    # district 1 mirrors the demo town's roles, renamed people and places
    roles = Counter(p.role for p in a[25:50])
    assert roles == Counter(p.role for p in town_personas(25))
    for p in a[25:50]:
        assert district_of(p.home) == 1
        assert all(district_of(s) in (None, 1) for s in (p.workplace,) if s)
        for other_name in p.relationships:
            assert other_name in {q.name for q in a[25:50]}
        text = " ".join((p.backstory, p.currently, p.lifestyle, *p.events))
        assert "Juniper Cafe" not in text.replace("Ashford Juniper Cafe", "")
    with pytest.raises(ValueError, match="residents"):
        generated_personas(0)


def test_a_resident_plans_with_its_own_district_only(tmp_path: Path) -> None:
    from aga_npc.config import Settings
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.llm.ledger import TokenLedger
    from aga_npc.llm.registry import build_stack
    from aga_npc.offline import OfflineLLM
    from aga_npc.runtime.inline import InlineGateway
    from aga_npc.town.build import TownSpec, build_town

    async def no_sleep(_: float) -> None:
        return None

    path = generated_town_map(30, cache=tmp_path)
    residents = generated_personas(30)
    ledger = TokenLedger()
    gateway = InlineGateway(
        build_stack(Settings(), ledger, backend=OfflineLLM(seed=0), sleep=no_sleep), ledger=ledger
    )
    embedder = CachedEmbedder(HashingEmbedder())
    town = build_town(
        TownSpec(personas=residents, map_path=path),
        gateway=gateway,
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=None,
    )
    try:
        first, other = town.brains[residents[15].name], town.brains[residents[25].name]
        assert sorted(first.mind.known_places()) == sorted(DEMO_SECTORS)
        district1 = sorted(district_sector(s, 1) for s in DEMO_SECTORS)
        assert sorted(other.mind.known_places()) == district1
        # the sector prompt's options: its district's sectors only, each with its rooms
        rooms = other.mind.sector_rooms(town.world)
        assert sorted(rooms) == district1
        assert "kitchen" in rooms[district_sector("Juniper Cafe", 1)]
    finally:
        gateway.close()


def test_known_sectors_of_other_maps_are_every_sector() -> None:
    from aga_npc.maps.districts import known_sectors

    two = [*DEMO_SECTORS, *(district_sector(s, 1) for s in DEMO_SECTORS)]
    assert known_sectors(DEMO_SECTORS, home="Brook House") == list(DEMO_SECTORS)
    assert known_sectors(["Home", "Shop"], home="Home") == ["Home", "Shop"]
    mine = known_sectors(two, home="Ashford Mill Cottage", workplace="Juniper Cafe")
    assert mine == ["Juniper Cafe", *(district_sector(s, 1) for s in DEMO_SECTORS)]
