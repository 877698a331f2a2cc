"""Atomic snapshots: round trip, truncation and trailing garbage, versions, backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aga_npc.errors import CorruptFileError, SchemaVersionError, StoreError
from aga_npc.store import read_snapshot, write_snapshot

SCHEMA = "test.save"


def test_round_trip_with_meta(tmp_path: Path) -> None:
    path = tmp_path / "save.aga"
    body = {"agents": ["ann", "bob"], "minute": 480, "blob": b"\x00\x01"}
    n = write_snapshot(path, body, schema=SCHEMA, version=2, meta={"game": "demo"})
    assert n == path.stat().st_size
    snap = read_snapshot(path, schema=SCHEMA, max_version=2)
    assert snap.body == body
    assert snap.version == 2
    assert snap.meta == {"game": "demo"}


def test_replace_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "save.aga"
    write_snapshot(path, 1, schema=SCHEMA, version=1)
    write_snapshot(path, 2, schema=SCHEMA, version=1)
    assert read_snapshot(path, schema=SCHEMA, max_version=1).body == 2
    assert [p.name for p in tmp_path.iterdir()] == ["save.aga"]


def test_truncated_snapshot_raises_with_offset_and_keeps_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "save.aga"
    write_snapshot(path, {"x": "y" * 100}, schema=SCHEMA, version=1)
    data = path.read_bytes()
    path.write_bytes(data[:-10])
    with pytest.raises(CorruptFileError) as info:
        read_snapshot(path, schema=SCHEMA, max_version=1)
    assert info.value.path == str(path)
    assert info.value.offset is not None and 0 < info.value.offset < len(data)
    assert (tmp_path / "save.aga.corrupt").read_bytes() == data[:-10]


def test_trailing_bytes_are_corruption(tmp_path: Path) -> None:
    path = tmp_path / "save.aga"
    write_snapshot(path, [1, 2, 3], schema=SCHEMA, version=1)
    size = path.stat().st_size
    with open(path, "ab") as fh:
        fh.write(b"xx")
    with pytest.raises(CorruptFileError) as info:
        read_snapshot(path, schema=SCHEMA, max_version=1, backup=False)
    assert info.value.offset == size


def test_newer_version_other_schema_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "save.aga"
    write_snapshot(path, None, schema=SCHEMA, version=5)
    with pytest.raises(SchemaVersionError):
        read_snapshot(path, schema=SCHEMA, max_version=4)
    with pytest.raises(StoreError, match="expected 'other'"):
        read_snapshot(path, schema="other", max_version=9)
    with pytest.raises(StoreError, match="no such"):
        read_snapshot(tmp_path / "missing.aga", schema=SCHEMA, max_version=1)


def test_unplain_body_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_snapshot(tmp_path / "s.aga", {"x": object()}, schema=SCHEMA, version=1)
    assert not (tmp_path / "s.aga").exists()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.dictionaries(
        st.text(max_size=10),
        st.lists(st.integers(min_value=-(10**9), max_value=10**9) | st.text(max_size=5)),
        max_size=5,
    )
)
def test_any_body_round_trips(tmp_path: Path, body: dict[str, list[object]]) -> None:
    path = tmp_path / "p.aga"
    write_snapshot(path, body, schema=SCHEMA, version=1)
    assert read_snapshot(path, schema=SCHEMA, max_version=1).body == body
