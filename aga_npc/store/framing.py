"""Record framing shared by every aga_npc file: ``length u32 | crc32 u32 | msgpack payload``.

Each frame carries its own length and checksum, so a reader finds the exact byte where a
file stops making sense, and a torn or flipped byte is never decoded as data.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgpack

from aga_npc.errors import CorruptFileError

__all__ = [
    "FRAME_HEADER",
    "MAX_FRAME_BYTES",
    "Frame",
    "decode_frame",
    "decode_header",
    "encode_frame",
    "encode_header",
    "iter_frames",
    "pack",
]

FRAME_HEADER = struct.Struct("<II")
MAX_FRAME_BYTES = 1 << 30


def pack(value: Any) -> bytes:
    """msgpack-encode plain data (bytes stay binary, strings stay UTF-8 strings)."""
    try:
        return msgpack.packb(value, use_bin_type=True)
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(f"value is not plain msgpack data: {exc}") from exc


def encode_frame(value: Any) -> bytes:
    """One framed record: little-endian length and crc32 of the payload, then the payload."""
    payload = pack(value)
    if len(payload) > MAX_FRAME_BYTES:
        raise ValueError(f"record of {len(payload)} bytes exceeds the {MAX_FRAME_BYTES} limit")
    return FRAME_HEADER.pack(len(payload), zlib.crc32(payload)) + payload


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """A decoded frame: where it starts, where the next one starts, and its value."""

    offset: int
    end: int
    value: Any


def decode_frame(buf: bytes | memoryview, offset: int, limit: int, path: str) -> Frame:
    """Decode the frame at ``offset``; it must end at or before ``limit``.

    Raises:
        CorruptFileError: naming ``path`` and the frame's offset when the frame is cut
            short, its checksum does not match, or its payload is not msgpack.
    """
    if offset + FRAME_HEADER.size > limit:
        raise CorruptFileError(
            path, offset, f"frame header cut short ({limit - offset} of 8 bytes present)"
        )
    length, crc = FRAME_HEADER.unpack_from(buf, offset)
    start = offset + FRAME_HEADER.size
    if length > MAX_FRAME_BYTES:
        raise CorruptFileError(path, offset, f"frame length {length} is implausible")
    if start + length > limit:
        raise CorruptFileError(
            path,
            offset,
            f"frame of {length} bytes cut short ({max(0, limit - start)} bytes present)",
        )
    payload = bytes(buf[start : start + length])
    if zlib.crc32(payload) != crc:
        raise CorruptFileError(path, offset, "frame checksum mismatch")
    try:
        value = msgpack.unpackb(payload, raw=False, strict_map_key=False)
    except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as exc:
        raise CorruptFileError(path, offset, f"frame payload is not msgpack: {exc}") from exc
    return Frame(offset=offset, end=start + length, value=value)


def iter_frames(buf: bytes | memoryview, start: int, end: int, path: str) -> Iterator[Frame]:
    """Decode consecutive frames from ``start`` until exactly ``end``."""
    offset = start
    while offset < end:
        frame = decode_frame(buf, offset, end, path)
        yield frame
        offset = frame.end


def encode_header(schema: str, version: int, meta: dict[str, Any] | None) -> bytes:
    """The header frame every file starts with (after its magic): schema name, version, meta."""
    if not schema:
        raise ValueError("schema name must not be empty")
    if version < 1:
        raise ValueError(f"schema version must be >= 1, got {version}")
    return encode_frame({"schema": schema, "version": int(version), "meta": dict(meta or {})})


def decode_header(
    buf: bytes | memoryview, offset: int, limit: int, path: str, *, schema: str, max_version: int
) -> tuple[Frame, int, dict[str, Any]]:
    """Decode and check the header frame at ``offset``.

    Returns:
        The frame, the file's schema version and its meta mapping.

    Raises:
        CorruptFileError: the header is damaged or not a header.
        StoreError: the file holds another schema (a different kind of file).
        SchemaVersionError: the file was written by a newer schema version.
    """
    from aga_npc.errors import SchemaVersionError, StoreError

    frame = decode_frame(buf, offset, limit, path)
    value = frame.value
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("schema"), str)
        or not isinstance(value.get("version"), int)
        or not isinstance(value.get("meta", {}), dict)
    ):
        raise CorruptFileError(path, offset, "header frame lacks schema/version/meta")
    if value["schema"] != schema:
        raise StoreError(f"{path}: holds schema {value['schema']!r}, expected {schema!r}")
    version = int(value["version"])
    if version > max_version or version < 1:
        raise SchemaVersionError(
            f"{path}: schema {schema!r} version {version} is not supported "
            f"(this aga_npc reads versions 1..{max_version}); upgrade aga_npc to load it"
        )
    return frame, version, dict(value.get("meta", {}))
