"""Furniture groups that put the tiles down and register the matching objects."""

from __future__ import annotations

from towngen.building import Building
from towngen.canvas import Thing

# kitchen run letters -> (tile, object kind or None)
RUN: dict[str, tuple[str, str | None]] = {
    "F": ("fridge", "fridge"),
    "S": ("counter_sink", "sink"),
    "T": ("stove", "stove"),
    "U": ("stove2", "stove"),
    "l": ("counter_l", None),
    "r": ("counter_r", None),
    "d": ("counter_drawers", None),
    "o": ("counter_doors", None),
    "p": ("counter_plates", None),
    "b": ("counter_bottles", None),
    "B": ("counter_bottles2", None),
    "j": ("counter_jars", None),
    "e": ("counter_open", None),
}
STATES = {"stove": "off,on", "sink": "off,on", "tv": "off,on", "shower": "off,on"}


def kitchen_run(b: Building, x: int, y: int, spec: str, *, facing: int = 1) -> list[Thing]:
    """A row of counters and appliances along a wall; objects are used from ``y+facing``."""
    kinds = [RUN[ch][1] for ch in spec if ch != " "]
    seen: dict[str, int] = {}
    out = []
    for i, ch in enumerate(spec):
        if ch == " ":
            continue
        tile, kind = RUN[ch]
        b.put(x + i, y, tile)
        if kind:
            seen[kind] = seen.get(kind, 0) + 1
            name = f"{kind} {seen[kind]}" if kinds.count(kind) > 1 else kind
            out.append(
                b.thing(name, kind, x + i, y, use=(x + i, y + facing), states=STATES.get(kind))
            )
    return out


def oval_table(b: Building, x: int, y: int, name: str = "table", chairs: str = "wchair") -> Thing:
    """A 2x1 oval table: a chair at each end and two below it (use tile: the west chair)."""
    b.row(x, y, ["table_oval_tl", "table_oval_tr"])
    b.put(x - 1, y, f"{chairs}_e", block=False)
    b.put(x + 2, y, f"{chairs}_w", block=False)
    b.put(x, y + 1, f"{chairs}_n", block=False)
    b.put(x + 1, y + 1, f"{chairs}_n", block=False)
    return b.thing(name, "table", x, y, 2, 1, use=(x - 1, y), capacity=4)


def big_table(
    b: Building, x: int, y: int, name: str = "table", chairs: str = "chair", ends: bool = True
) -> Thing:
    """A 3x1 table with three chairs above, three below and one at each end."""
    b.row(x, y, ["table_big_tl", "table_big_t", "table_big_tr"])
    for i in range(3):
        b.put(x + i, y - 1, f"{chairs}_s", block=False)
        b.put(x + i, y + 1, f"{chairs}_n", block=False)
    if ends:
        b.put(x - 1, y, f"{chairs}_e", block=False)
        b.put(x + 3, y, f"{chairs}_w", block=False)
    return b.thing(name, "table", x, y, 3, 1, use=(x + 1, y + 1), capacity=8 if ends else 6)


def cloth_table(b: Building, x: int, y: int, name: str, colour: str = "cloth") -> Thing:
    """A 3x1 table with a cloth, a chair at each end and two below."""
    b.row(x, y, [f"{colour}_tl", f"{colour}_t", f"{colour}_tr"])
    b.put(x - 1, y, "chair_e", block=False)
    b.put(x + 3, y, "chair_w", block=False)
    b.put(x, y + 1, "chair_n", block=False)
    b.put(x + 2, y + 1, "chair_n", block=False)
    return b.thing(name, "table", x, y, 3, 1, use=(x - 1, y), capacity=4)


def cafe_table(b: Building, x: int, y: int, name: str, chairs: str = "chair") -> Thing:
    """A small round table for two: chairs west and east of it."""
    b.put(x, y, "table_small_round")
    b.put(x - 1, y, f"{chairs}_e", block=False)
    b.put(x + 1, y, f"{chairs}_w", block=False)
    return b.thing(name, "table", x, y, use=(x - 1, y), capacity=2)


def sofa(b: Building, x: int, y: int, width: int = 3, name: str = "sofa") -> Thing:
    """A sofa facing south (walkable: people sit on it)."""
    tiles = ["sofa_l"] + ["sofa_m"] * (width - 2) + ["sofa_r"]
    b.row(x, y, tiles, block=False)
    return b.thing(name, "sofa", x, y, width, 1, use=(x + width // 2, y), capacity=width)


def tv(b: Building, x: int, y: int, *, use: tuple[int, int], name: str = "tv") -> Thing:
    b.put(x, y, "tv")
    return b.thing(name, "tv", x, y, use=use, capacity=3, states=STATES["tv"])


def desk(
    b: Building, x: int, y: int, name: str = "desk", tile: str = "desk", chair: str = "chair_n"
) -> Thing:
    """A desk with its chair south of it (the chair is the use tile)."""
    b.put(x, y, tile)
    b.put(x, y + 1, chair, block=False)
    return b.thing(name, "desk", x, y, use=(x, y + 1))


def bookshelf(b: Building, x: int, y: int, name: str = "bookshelf", alt: bool = False) -> Thing:
    b.put(x, y, "bookshelf2" if alt else "bookshelf")
    return b.thing(name, "bookshelf", x, y, use=(x, y + 1))


def bathroom(
    b: Building,
    *,
    toilet: tuple[int, int],
    shower: tuple[int, int],
    sink: tuple[int, int],
    bath: tuple[int, int] | None = None,
    suffix: str = "",
) -> list[Thing]:
    """Toilet and shower are walkable (used standing on them); the sink is used from below."""
    tx, ty = toilet
    sx, sy = shower
    kx, ky = sink
    b.put(tx, ty, "toilet", block=False)
    b.put(sx, sy, "shower", block=False)
    b.put(kx, ky, "counter1_sink")
    if bath:
        b.row(bath[0], bath[1], ["bath_l", "bath_r"])
    return [
        b.thing(f"toilet{suffix}", "toilet", tx, ty, use=(tx, ty)),
        b.thing(f"shower{suffix}", "shower", sx, sy, use=(sx, sy), states=STATES["shower"]),
        b.thing(f"sink{suffix}", "sink", kx, ky, use=(kx, ky + 1), states=STATES["sink"]),
    ]


def rug(b: Building, x: int, y: int, colour: str = "orange", width: int = 3) -> None:
    tiles = [f"rug_{colour}_l"] + [f"rug_{colour}_m"] * (width - 2) + [f"rug_{colour}_r"]
    b.row(x, y, tiles, layer="rugs", block=False)


def plant(b: Building, x: int, y: int, alt: bool = False) -> None:
    b.put(x, y, "plant2" if alt else "plant")


def sideboard(b: Building, x: int, y: int, middle: list[str]) -> None:
    """A wooden sideboard run: left end, ``middle`` (shelf_* names), right end."""
    b.row(x, y, ["shelf_l", *middle, "shelf_r"])


def double_bed(b: Building, x: int, y: int, colour: str = "orange", first: int = 1) -> None:
    """A double bed of two sleeping places: ``bed {first}`` (west) and ``bed {first+1}``."""
    b.bed(f"bed {first}", x, y, f"bed2_{colour}_l")
    b.bed(f"bed {first + 1}", x + 1, y, f"bed2_{colour}_r")
