"""Writing a Canvas as a Tiled TMX file (orthogonal, CSV layers, embedded tilesets)."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

from towngen.canvas import LAYERS, Canvas
from towngen.catalogue import SHEETS, TILES

TILE = 16
FOREGROUND = {"above"}


def _props(props: dict[str, object]) -> list[str]:
    if not props:
        return []
    out = ["   <properties>"]
    for key, value in props.items():
        if isinstance(value, bool):
            out.append(f'    <property name="{key}" type="bool" value="{str(value).lower()}"/>')
        elif isinstance(value, int):
            out.append(f'    <property name="{key}" type="int" value="{value}"/>')
        else:
            out.append(f"    <property name={quoteattr(key)} value={quoteattr(str(value))}/>")
    out.append("   </properties>")
    return out


def render_tmx(canvas: Canvas, tmx_path: Path, root: Path) -> str:
    """The TMX text for ``canvas``; image paths are relative to ``tmx_path``'s folder."""
    used = {TILES[t][0] for layer in canvas.layers.values() for row in layer for t in row if t}
    used.add(TILES["collision"][0])
    firstgid: dict[str, int] = {}
    gid = 1
    for key, sheet in SHEETS.items():
        if key in used:
            firstgid[key] = gid
            gid += sheet.columns * sheet.rows

    def gid_of(name: str | None) -> int:
        if name is None:
            return 0
        key, col, row = TILES[name]
        sheet = SHEETS[key]
        if not (0 <= col < sheet.columns and 0 <= row < sheet.rows):
            raise ValueError(f"tile {name!r} is outside sheet {key}")
        return firstgid[key] + row * sheet.columns + col

    w, h = canvas.width, canvas.height
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    n_layers = len(LAYERS) + 1 + 3
    n_objects = len(canvas.locations) + len(canvas.things) + len(canvas.spawns)
    lines.append(
        f'<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" '
        f'renderorder="right-down" width="{w}" height="{h}" tilewidth="{TILE}" '
        f'tileheight="{TILE}" infinite="0" nextlayerid="{n_layers + 1}" '
        f'nextobjectid="{n_objects + 1}">'
    )
    for key, first in firstgid.items():
        s = SHEETS[key]
        rel = os.path.relpath(root / s.path, tmx_path.parent).replace(os.sep, "/")
        lines.append(
            f' <tileset firstgid="{first}" name="{key}" tilewidth="{TILE}" tileheight="{TILE}" '
            f'spacing="{s.spacing}" margin="0" tilecount="{s.columns * s.rows}" '
            f'columns="{s.columns}">'
        )
        lines.append(f'  <image source="{rel}" width="{s.width}" height="{s.height}"/>')
        lines.append(" </tileset>")

    layer_id = 0

    def tile_layer(name: str, rows: list[list[int]], props: dict[str, object], visible: bool):
        nonlocal layer_id
        layer_id += 1
        vis = "" if visible else ' visible="0"'
        lines.append(f' <layer id="{layer_id}" name="{name}" width="{w}" height="{h}"{vis}>')
        lines.extend(_props(props))
        lines.append('  <data encoding="csv">')
        body = [",".join(str(v) for v in row) for row in rows]
        lines.append(",\n".join(body))
        lines.append("</data>")
        lines.append(" </layer>")

    for name in LAYERS:
        rows = [[gid_of(t) for t in row] for row in canvas.layers[name]]
        props: dict[str, object] = {"foreground": True} if name in FOREGROUND else {}
        tile_layer(name, rows, props, True)
    col_gid = gid_of("collision")
    tile_layer(
        "collision", [[col_gid if b else 0 for b in row] for row in canvas.blocked], {}, False
    )

    obj_id = 0

    def obj(name: str, x: float, y: float, w_: float, h_: float, props: dict[str, object]):
        nonlocal obj_id
        obj_id += 1
        size = f' width="{w_:g}" height="{h_:g}"' if w_ else ""
        head = f'  <object id="{obj_id}" name={quoteattr(name)} x="{x:g}" y="{y:g}"{size}>'
        lines.append(head)
        lines.extend("  " + p for p in _props(props))
        if not w_:
            lines.append("   <point/>")
        lines.append("  </object>")

    layer_id += 1
    lines.append(f' <objectgroup id="{layer_id}" name="locations">')
    for loc in canvas.locations:
        props = {"sector": loc.sector}
        if loc.arena:
            props["arena"] = loc.arena
        name = loc.arena or loc.sector
        obj(name, loc.x * TILE, loc.y * TILE, loc.w * TILE, loc.h * TILE, props)  # type: ignore[arg-type]
    lines.append(" </objectgroup>")

    layer_id += 1
    lines.append(f' <objectgroup id="{layer_id}" name="objects">')
    for t in canvas.things:
        props2: dict[str, object] = {"kind": t.kind, "capacity": t.capacity}
        if t.states:
            props2["states"] = t.states
        props2["use_x"], props2["use_y"] = t.use
        obj(t.name, t.x * TILE, t.y * TILE, t.w * TILE, t.h * TILE, props2)
    lines.append(" </objectgroup>")

    layer_id += 1
    lines.append(f' <objectgroup id="{layer_id}" name="spawns">')
    for s in canvas.spawns:
        x, y = s.tile
        obj(
            f"spawn {s.bed}",
            x * TILE + TILE / 2,
            y * TILE + TILE / 2,
            0,
            0,
            {"home": s.home, "bed": s.bed},
        )
    lines.append(" </objectgroup>")
    lines.append("</map>")
    return "\n".join(lines) + "\n"


def write_tmx(canvas: Canvas, tmx_path: Path, root: Path) -> None:
    """Write atomically (temporary file, then replace)."""
    text = render_tmx(canvas, tmx_path, root)
    tmp = tmx_path.with_suffix(".tmx.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(tmx_path)
