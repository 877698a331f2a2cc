"""Record log: round trips, commits, crash residue, truncation and corruption handling."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aga_npc.errors import CorruptFileError, SchemaVersionError, StoreError
from aga_npc.store import RecordLog, read_log

SCHEMA = "test.records"


def _open(path: Path, **kw: object) -> tuple[RecordLog, object]:
    return RecordLog.open(path, schema=SCHEMA, version=1, **kw)  # type: ignore[arg-type]


def _read(path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return read_log(path, schema=SCHEMA, max_version=1, **kw)  # type: ignore[arg-type]


def test_flushed_records_round_trip_and_unflushed_are_lost(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    log, contents = _open(path, meta={"who": "me"})
    assert contents.records == ()  # type: ignore[attr-defined]
    for i in range(5):
        log.append({"i": i, "blob": bytes([i]) * 3})
    assert log.flush() > 0
    log.append({"i": 99})  # never flushed
    log.close()
    got = _read(path)
    assert [r["i"] for r in got.records] == [0, 1, 2, 3, 4]
    assert got.records[2]["blob"] == b"\x02\x02\x02"
    assert got.meta == {"who": "me"}
    assert got.residue_bytes == 0


def test_reopen_appends_after_existing_records(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    log, _ = _open(path)
    log.append("a")
    log.flush()
    log.close()
    log, contents = _open(path)
    assert contents.records == ("a",)  # type: ignore[attr-defined]
    log.append("b")
    log.flush()
    log.close()
    assert _read(path).records == ("a", "b")


def test_residue_of_an_interrupted_flush_is_ignored_backed_up_and_cut(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    log, _ = _open(path)
    log.append({"ok": 1})
    log.flush()
    log.close()
    committed = path.stat().st_size
    with open(path, "ab") as fh:  # what a crash mid-flush leaves: bytes past the commit
        fh.write(b"\x10\x00\x00\x00garbage-of-a-half-written-frame")
    got = _read(path)
    assert got.records == ({"ok": 1},)
    assert got.residue_bytes == path.stat().st_size - committed
    log, contents = _open(path)
    assert contents.records == ({"ok": 1},)  # type: ignore[attr-defined]
    assert path.stat().st_size == committed
    residue = tmp_path / "log.bin.residue"
    assert residue.read_bytes().startswith(b"\x10\x00\x00\x00garbage")
    log.append({"ok": 2})
    log.flush()
    log.close()
    assert _read(path).records == ({"ok": 1}, {"ok": 2})


def test_truncated_file_names_file_and_offset_keeps_backup_and_recovers_prefix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.bin"
    log, _ = _open(path)
    for i in range(10):
        log.append({"i": i, "pad": "x" * 20})
    log.flush()
    log.close()
    offsets = _read(path).offsets
    data = path.read_bytes()
    path.write_bytes(data[: offsets[6] + 5])  # cut inside record 6
    with pytest.raises(CorruptFileError) as info:
        _read(path)
    assert info.value.path == str(path)
    assert info.value.offset == offsets[6]
    assert "truncated" in str(info.value)
    with pytest.raises(CorruptFileError) as info:
        _open(path)
    backup = tmp_path / "log.bin.corrupt"
    assert backup.read_bytes() == data[: offsets[6] + 5]
    assert str(backup) in str(info.value)
    log, contents = _open(path, recover=True)
    assert [r["i"] for r in contents.records] == [0, 1, 2, 3, 4, 5]  # type: ignore[attr-defined]
    assert contents.damage is not None  # type: ignore[attr-defined]
    log.close()
    assert [r["i"] for r in _read(path).records] == [0, 1, 2, 3, 4, 5]
    assert (tmp_path / "log.bin.corrupt.1").exists()  # the second look kept its own copy


def test_flipped_byte_is_reported_at_its_frame(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    log, _ = _open(path)
    for i in range(4):
        log.append({"text": f"record number {i}"})
    log.flush()
    log.close()
    offsets = _read(path).offsets
    data = bytearray(path.read_bytes())
    data[offsets[2] + 12] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError) as info:
        _read(path)
    assert info.value.offset == offsets[2]
    assert "checksum" in info.value.reason


def test_not_a_log_bad_schema_and_newer_version(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, this is not a log at all, really not")
    with pytest.raises(CorruptFileError) as info:
        _read(junk)
    assert info.value.offset == 0
    path = tmp_path / "log.bin"
    RecordLog.create(path, schema="other", version=1).close()
    with pytest.raises(StoreError, match="other"):
        _read(path)
    RecordLog.create(path, schema=SCHEMA, version=3).close()
    with pytest.raises(SchemaVersionError, match="version 3"):
        _read(path)


def test_rewrite_replaces_content_atomically(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    log, _ = _open(path)
    for i in range(20):
        log.append(i)
    log.flush()
    log.append("queued")
    log.rewrite(["compact"], meta={"gen": 2})
    log.append("after")
    log.flush()
    log.close()
    got = _read(path)
    assert got.records == ("compact", "after")
    assert got.meta == {"gen": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.bin"]


plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.binary(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(plain, max_size=5), max_size=4))
def test_any_plain_records_round_trip(tmp_path: Path, batches: list[list[object]]) -> None:
    path = tmp_path / "prop.bin"
    path.unlink(missing_ok=True)
    log, _ = _open(path)
    expected: list[object] = []
    for batch in batches:
        for record in batch:
            log.append(record)
        log.flush()
        expected += batch
    log.close()
    got = _read(path).records
    assert [_tuples_to_lists(r) for r in got] == expected


def _tuples_to_lists(value: object) -> object:
    if isinstance(value, list | tuple):
        return [_tuples_to_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _tuples_to_lists(v) for k, v in value.items()}
    return value


def test_recover_with_a_damaged_header_starts_over_but_keeps_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "log.bin"
    path.write_bytes(b"\x89AGALOG\n" + b"\x00" * 5)
    with pytest.raises(CorruptFileError, match="too short"):
        _open(path)
    log, contents = _open(path, recover=True, meta={"m": 1})
    assert contents.records == () and contents.damage is not None  # type: ignore[attr-defined]
    log.append("fresh")
    log.flush()
    log.close()
    assert _read(path).records == ("fresh",)
    assert (tmp_path / "log.bin.corrupt.1").read_bytes() == b"\x89AGALOG\n" + b"\x00" * 5
