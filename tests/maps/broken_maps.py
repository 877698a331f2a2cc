"""Derives deliberately broken maps from the hand-made test town (XML-level edits)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SMALL_TOWN = Path(__file__).parents[1] / "world" / "data" / "small_town.tmx"


class MapEditor:
    """Edits a copy of tests/world/data/small_town.tmx at the XML level."""

    def __init__(self, out_dir: Path) -> None:
        self.tree = ET.parse(SMALL_TOWN)
        self.root = self.tree.getroot()
        self.out_dir = out_dir

    def group(self, layer: str) -> ET.Element:
        for g in self.root.iter("objectgroup"):
            if g.get("name") == layer:
                return g
        raise KeyError(layer)

    def obj(self, layer: str, name: str) -> ET.Element:
        for o in self.group(layer).iter("object"):
            if o.get("name") == name:
                return o
        raise KeyError(name)

    def location(self, sector: str, arena: str | None = None) -> ET.Element:
        for o in self.group("locations").iter("object"):
            props = {p.get("name"): p.get("value") for p in o.iter("property")}
            if props.get("sector") == sector and props.get("arena") == arena:
                return o
        raise KeyError((sector, arena))

    @staticmethod
    def set_prop(elem: ET.Element, name: str, value: str, kind: str | None = None) -> None:
        props = elem.find("properties")
        if props is None:
            props = ET.SubElement(elem, "properties")
        for p in props.iter("property"):
            if p.get("name") == name:
                p.set("value", value)
                if kind:
                    p.set("type", kind)
                return
        p = ET.SubElement(props, "property", {"name": name, "value": value})
        if kind:
            p.set("type", kind)

    @staticmethod
    def del_prop(elem: ET.Element, name: str) -> None:
        props = elem.find("properties")
        assert props is not None
        for p in list(props):
            if p.get("name") == name:
                props.remove(p)

    def remove_layer(self, name: str) -> None:
        for child in list(self.root):
            if child.get("name") == name:
                self.root.remove(child)

    def set_cells(self, layer: str, cells: list[tuple[int, int]], gid: int = 2) -> None:
        for lay in self.root.iter("layer"):
            if lay.get("name") == layer:
                data = lay.find("data")
                assert data is not None and data.text is not None
                rows = [r.rstrip(",").split(",") for r in data.text.strip().splitlines()]
                for x, y in cells:
                    rows[y][x] = str(gid)
                data.text = "\n" + ",\n".join(",".join(r) for r in rows) + "\n"
                return
        raise KeyError(layer)

    def save(self, name: str = "broken.tmx") -> Path:
        path = self.out_dir / name
        self.tree.write(path, encoding="UTF-8", xml_declaration=True)
        return path
