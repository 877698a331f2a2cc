"""The game's kind registry: the household default, code and TOML declarations, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from aga_npc.errors import MapError
from aga_npc.world.kinds import (
    KIND_AFFORDANCES,
    KindRegistry,
    KindSpec,
    affordances,
    kinds_for_verb,
    things_on_map,
)

DATA = Path(__file__).parent / "data"
FARM_KINDS = DATA / "farm_kinds.toml"


def test_default_registry_is_the_twenty_household_kinds() -> None:
    reg = KindRegistry.default()
    assert len(reg) == 20
    assert reg.kinds[:3] == ("bed", "stove", "fridge")
    assert {k: reg.verbs(k) for k in reg} == dict(KIND_AFFORDANCES)
    assert reg.verbs("piano") == ("play music",) == affordances("piano")
    assert reg.kinds_for_verb("sit") == ("table", "bench", "sofa", "fountain")
    assert kinds_for_verb("sit") == reg.kinds_for_verb("sit")
    assert reg.verbs("fishing spot") == ()
    assert all(reg.spec(k).capacity == 1 and reg.spec(k).states == () for k in reg)  # type: ignore[union-attr]


def test_extended_in_code_adds_and_redefines_keeping_the_order() -> None:
    reg = KindRegistry.default().extended(
        {
            "fishing spot": {"verbs": ["fish", "sit"], "duration": 30, "capacity": 2},
            "table": KindSpec(name="table", verbs=("eat", "craft")),
        }
    )
    assert reg.kinds[-1] == "fishing spot" and reg.kinds.index("table") == 6
    assert reg.verbs("table") == ("eat", "craft")
    assert reg.kinds_for_verb("fish") == ("fishing spot",)
    assert "sit" in reg.verbs("fishing spot") and "fishing spot" in reg.kinds_for_verb("sit")
    spot = reg.spec("fishing spot")
    assert spot is not None and spot.duration == 30 and spot.capacity == 2
    assert KindRegistry.default().verbs("table")[0] == "eat"  # the default is untouched
    assert "fishing spot" not in KindRegistry.default()


def test_from_toml_reads_every_field_and_round_trips() -> None:
    reg = KindRegistry.from_toml(FARM_KINDS)
    assert reg.kinds == ("field", "fishing spot", "market stall")
    spot = reg.spec("fishing spot")
    assert spot == KindSpec(
        name="fishing spot",
        verbs=("fish", "sit"),
        duration=30,
        capacity=2,
        states=("idle", "being fished"),
    )
    assert KindRegistry.from_mapping(reg.to_dict()) == reg


def test_resolve_a_path_adds_the_file_to_the_household_kinds() -> None:
    reg = KindRegistry.resolve(FARM_KINDS)
    assert "bed" in reg and "fishing spot" in reg and len(reg) == 23
    assert KindRegistry.resolve(None) is KindRegistry.default()
    assert KindRegistry.resolve(reg) is reg
    assert KindRegistry.resolve(str(FARM_KINDS)) == reg


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[kinds.pond]\nverbs = ["fish"]\nsmell = "fresh"\n', 'kinds."pond".smell'),
        ('[kinds.pond]\nverbs = "fish"\n', 'kinds."pond".verbs'),
        ("[kinds.pond]\nverbs = []\n", 'kinds."pond".verbs'),
        ("[kinds.pond]\nduration = 5\n", 'kinds."pond".verbs'),
        ('[kinds.pond]\nverbs = ["fish", "fish"]\n', 'kinds."pond".verbs'),
        ('[kinds.pond]\nverbs = ["fish", ""]\n', 'kinds."pond".verbs'),
        ('[kinds.pond]\nverbs = ["fish"]\ncapacity = 0\n', 'kinds."pond".capacity'),
        ('[kinds.pond]\nverbs = ["fish"]\ncapacity = "2"\n', 'kinds."pond".capacity'),
        ('[kinds.pond]\nverbs = ["fish"]\nduration = true\n', 'kinds."pond".duration'),
        ('[kinds.pond]\nverbs = ["fish"]\nduration = 2.5\n', 'kinds."pond".duration'),
        ('[kinds.pond]\nverbs = ["fish"]\nstates = ["a", "a"]\n', 'kinds."pond".states'),
        ('[kinds.pond]\nverbs = ["fish"]\nstates = [1]\n', 'kinds."pond".states'),
        ('[kinds.Pond]\nverbs = ["fish"]\n[kinds.pond]\nverbs = ["sit"]\n', 'kinds."pond"'),
        ('[kinds]\npond = "fish"\n', 'kinds."pond"'),
        ('[kind.pond]\nverbs = ["fish"]\n', "'kind'"),
        ("title = 'farm'\n", "'title'"),
        ("", "kinds: no kinds"),
    ],
)
def test_a_bad_kinds_file_names_the_file_and_the_field(
    tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "kinds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MapError) as info:
        KindRegistry.from_toml(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert field in message
    assert "\n" not in message


def test_a_duplicate_table_or_broken_toml_or_missing_file_is_one_clear_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kinds.toml"
    path.write_text('[kinds.pond]\nverbs = ["fish"]\n[kinds.pond]\nverbs = ["sit"]\n')
    with pytest.raises(MapError, match=r"kinds\.toml: not valid TOML"):
        KindRegistry.from_toml(path)
    path.write_text("[kinds.pond\n")
    with pytest.raises(MapError, match="not valid TOML"):
        KindRegistry.from_toml(path)
    with pytest.raises(MapError, match="cannot read the kinds file"):
        KindRegistry.from_toml(tmp_path / "absent.toml")
    path.write_bytes(b"\xff\xfe[kinds]")
    with pytest.raises(MapError, match="not UTF-8"):
        KindRegistry.from_toml(path)


def test_kind_spec_validates_itself() -> None:
    with pytest.raises(ValueError, match="verbs must not be empty"):
        KindSpec(name="pond", verbs=())
    with pytest.raises(ValueError, match="lower case"):
        KindSpec(name="Pond", verbs=("fish",))
    with pytest.raises(ValueError, match="capacity"):
        KindSpec(name="pond", verbs=("fish",), capacity=0)
    with pytest.raises(ValueError, match="duration"):
        KindSpec(name="pond", verbs=("fish",), duration=0)
    with pytest.raises(ValueError, match="repeats"):
        KindSpec(name="pond", verbs=("fish", "fish"))
    with pytest.raises(MapError, match="another name"):
        KindRegistry.from_mapping({"lake": KindSpec(name="pond", verbs=("fish",))})


def test_things_on_map_lists_nothing_for_every_household_kind_else_all() -> None:
    default = KindRegistry.default()
    every = [(k, "Town") for k in default.kinds]
    assert things_on_map(default, every) == ()
    no_piano = [(k, "Town") for k in default.kinds if k != "piano"]
    listed = things_on_map(default, no_piano)
    assert [t["kind"] for t in listed] == [k for k in default.kinds if k != "piano"]
    farm = default.extended(KindRegistry.from_toml(FARM_KINDS))
    things = things_on_map(
        farm, [("bed", "Cottage"), ("fishing spot", "Mill Pond"), ("bed", "Barn")]
    )
    assert things == (
        {"kind": "bed", "verbs": ["sleep", "rest", "nap"], "places": ["Cottage", "Barn"]},
        {"kind": "fishing spot", "verbs": ["fish", "sit"], "places": ["Mill Pond"], "minutes": 30},
    )
    # every household kind, but one given other verbs by the game: listed
    changed = default.extended({"tv": {"verbs": ["watch tv", "play games"]}})
    assert things_on_map(changed, every) != ()
