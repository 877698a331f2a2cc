"""``python -m aga_npc.maps check``: the report, exit codes, and each named problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from broken_maps import SMALL_TOWN, MapEditor

from aga_npc.maps import check_map
from aga_npc.maps.__main__ import main

BARE = SMALL_TOWN.parent / "bare.tmx"
CONTRACT_KEYS = {
    "width",
    "height",
    "sectors",
    "arenas",
    "objects",
    "spawns",
    "unreachable",
    "problems",
}


def run_json(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_clean_map_reports_contents_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(SMALL_TOWN, capsys)
    assert code == 0
    assert set(report) >= CONTRACT_KEYS
    assert (report["width"], report["height"]) == (20, 12)
    assert report["sectors"] == ["Test House", "Test Cafe", "Test Park"]
    assert "Test House:kitchen" in report["arenas"] and len(report["arenas"]) == 4
    assert report["objects"] == {
        "bed": 2,
        "bench": 1,
        "counter": 1,
        "garden": 1,
        "stove": 1,
        "table": 3,
    }
    assert [s["bed"] for s in report["spawns"]] == [
        "Test House:bedroom:bed 1",
        "Test House:bedroom:bed 2",
    ]
    assert report["unreachable"] == [] and report["problems"] == []


def test_human_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SMALL_TOWN)]) == 0
    out = capsys.readouterr().out
    assert "20 x 12 tiles of 16x16 px" in out
    assert "sectors (3): Test House, Test Cafe, Test Park" in out
    assert "table 3" in out and "OK: no problems" in out


def test_map_without_semantic_layers_names_what_is_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = run_json(BARE, capsys)
    assert code == 1
    missing = sorted(p["subject"] for p in report["problems"] if p["code"] == "missing_layer")
    assert missing == ["collision", "locations", "objects", "spawns"]
    assert main(["check", str(BARE)]) == 1
    assert "[missing_layer] no object layer named 'spawns'" in capsys.readouterr().out


def test_unreadable_and_missing_files_exit_two_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text("this is not xml", encoding="utf-8")
    for path in (bad, tmp_path / "missing.tmx"):
        proc = subprocess.run(
            [sys.executable, "-m", "aga_npc.maps", "check", str(path), "--json"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith("error: ") and str(path) in proc.stderr


def test_render_without_pygame_is_a_clear_error(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pygame'] = None; "
        "from aga_npc.maps.__main__ import main; "
        f"sys.exit(main(['render', {str(SMALL_TOWN)!r}, {str(tmp_path / 'out.png')!r}]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "rendering needs pygame" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.png").exists()


# ----------------------------------------------------------------- broken maps, one each
def codes_of(path: Path) -> list[str]:
    return [p.code for p in check_map(path).problems]


def test_missing_layer(editor: MapEditor) -> None:
    editor.remove_layer("collision")
    editor.remove_layer("spawns")
    report = check_map(editor.save())
    assert sorted(p.subject for p in report.problems if p.code == "missing_layer") == [
        "collision",
        "spawns",
    ]


def test_unknown_kind(editor: MapEditor) -> None:
    editor.set_prop(editor.obj("objects", "bench"), "kind", "hovercraft")
    report = check_map(editor.save())
    assert report.codes() == {"unknown_kind"}
    (problem,) = report.problems
    assert "'hovercraft'" in problem.message and "'bench'" in problem.message


def test_missing_kind(editor: MapEditor) -> None:
    editor.del_prop(editor.obj("objects", "garden"), "kind")
    assert codes_of(editor.save()) == ["missing_kind"]


def test_object_outside_any_arena(editor: MapEditor) -> None:
    bench = editor.obj("objects", "bench")
    bench.set("y", "128")  # tile row 8: the street
    report = check_map(editor.save())
    assert report.codes() == {"object_outside_arena"}
    assert "'bench'" in report.problems[0].message
    assert "Test Park:park:bench" not in report.objects  # not addressable


def test_arena_outside_its_sector(editor: MapEditor) -> None:
    kitchen = editor.location("Test House", "kitchen")
    kitchen.set("x", "144")  # tiles 9-10: sticks out of the house rectangle
    report = check_map(editor.save())
    assert "arena_outside_sector" in report.codes()
    assert any(p.subject == "Test House:kitchen" for p in report.problems)


def test_location_without_sector(editor: MapEditor) -> None:
    editor.del_prop(editor.location("Test Cafe"), "sector")
    assert "location_without_sector" in codes_of(editor.save())


@pytest.mark.parametrize("value", ["0", "-2", "lots"])
def test_bad_capacity(editor: MapEditor, value: str) -> None:
    editor.set_prop(editor.obj("objects", "table 2"), "capacity", value, kind="string")
    report = check_map(editor.save())
    assert report.codes() == {"bad_capacity"}
    assert report.problems[0].subject == "Test Cafe:cafe:table 2"


@pytest.mark.parametrize("value", ["off,,on", "on,on", "on,"])
def test_bad_states(editor: MapEditor, value: str) -> None:
    editor.set_prop(editor.obj("objects", "stove"), "states", value)
    assert codes_of(editor.save()) == ["bad_states"]


def test_duplicate_address(editor: MapEditor) -> None:
    editor.obj("objects", "table 2").set("name", "table 1")
    report = check_map(editor.save())
    assert report.codes() == {"duplicate_address"}
    assert report.problems[0].subject == "Test Cafe:cafe:table 1"


def test_a_colon_in_an_object_name_is_refused(editor: MapEditor) -> None:
    editor.obj("objects", "table 2").set("name", "table:2")
    report = check_map(editor.save())
    assert report.codes() == {"duplicate_address"}
    assert report.problems[0].subject == "Test Cafe:cafe:table:2"
    assert "':' inside a name" in report.problems[0].message


def test_unreachable_bed_and_object(editor: MapEditor) -> None:
    # wall in a pocket at the street's east end, (19, 8), and send two use tiles there
    editor.set_cells("collision", [(18, 8), (19, 7), (19, 9)])
    for name in ("bed 2", "garden"):
        editor.set_prop(editor.obj("objects", name), "use_x", "19", kind="int")
        editor.set_prop(editor.obj("objects", name), "use_y", "8", kind="int")
    report = check_map(editor.save())
    assert report.codes() == {"unreachable_bed", "unreachable_object"}
    assert set(report.unreachable) == {"Test House:bedroom:bed 2", "Test Park:park:garden"}
    bed = next(p for p in report.problems if p.code == "unreachable_bed")
    assert bed.subject == "Test House:bedroom:bed 2" and "walled off" in bed.message


def test_bad_use_tile(editor: MapEditor) -> None:
    editor.set_prop(editor.obj("objects", "garden"), "use_x", "1", kind="int")
    editor.set_prop(editor.obj("objects", "garden"), "use_y", "1", kind="int")  # a wall
    assert codes_of(editor.save()) == ["bad_use_tile"]


def test_spawn_on_a_blocked_tile(editor: MapEditor) -> None:
    spawn = editor.obj("spawns", "spawn 2")
    spawn.set("x", "24")
    spawn.set("y", "24")  # tile (1, 1): the house wall
    report = check_map(editor.save())
    assert report.codes() == {"spawn_blocked"}


def test_spawn_with_unknown_bed(editor: MapEditor) -> None:
    editor.set_prop(editor.obj("spawns", "spawn 1"), "bed", "Test House:bedroom:bed 9")
    editor.set_prop(editor.obj("spawns", "spawn 2"), "bed", "Test House:kitchen:stove")
    report = check_map(editor.save())
    assert [p.code for p in report.problems] == ["spawn_unknown_bed", "spawn_unknown_bed"]
    assert "bed 9" in report.problems[0].message


def test_spawn_without_home(editor: MapEditor) -> None:
    editor.del_prop(editor.obj("spawns", "spawn 1"), "home")
    assert codes_of(editor.save()) == ["spawn_without_home"]


def test_object_without_name(editor: MapEditor) -> None:
    del editor.obj("objects", "bench").attrib["name"]
    assert codes_of(editor.save()) == ["object_without_name"]


def test_several_problems_each_named_and_cli_exits_one(
    editor: MapEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    editor.set_prop(editor.obj("objects", "bench"), "kind", "hovercraft")
    editor.set_prop(editor.obj("objects", "table 2"), "capacity", "0", kind="string")
    editor.remove_layer("collision")
    path = editor.save()
    code, report = run_json(path, capsys)
    assert code == 1
    assert {p["code"] for p in report["problems"]} == {
        "unknown_kind",
        "bad_capacity",
        "missing_layer",
    }
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "3 problem(s):" in out and "[unknown_kind]" in out and "[bad_capacity]" in out
