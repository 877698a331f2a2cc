"""Checks the generator runs before writing: the contract, reachability, tile sanity.

Any failure raises ``TownError`` with every problem listed, so a bad map is never written.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from pathlib import Path

from aga_npc.maps.districts import district_sector
from towngen.canvas import LAYERS, Canvas, Location, Thing
from towngen.catalogue import SHEETS, TILES

# docs/MAP_CONVENTIONS.md: sector -> (beds, arenas)
HOMES: dict[str, tuple[int, set[str]]] = {
    "Brook House": (4, {"kitchen", "living room", "main bedroom", "kids room", "bathroom"}),
    "Harbor Flat": (
        3,
        {"kitchen", "common room", "bedroom 1", "bedroom 2", "bedroom 3", "bathroom"},
    ),
    "Alder Dorm": (6, {"common kitchen", "lounge", "room 1", "room 2", "room 3", "bathroom"}),
    "Rowan Cottage": (2, {"kitchen", "bedroom", "studio", "bathroom"}),
    "Fenwick House": (
        3,
        {"kitchen", "living room", "bedroom", "small bedroom", "bathroom"},
    ),
    "Cedar Apartments": (
        4,
        {"shared kitchen", "apartment 1", "apartment 2", "apartment 3", "apartment 4", "bathroom"},
    ),
    "Mill Cottage": (1, {"kitchen", "bedroom", "bathroom"}),
    "Lantern House": (2, {"kitchen", "living room", "bedroom", "bathroom"}),
}
PUBLIC: dict[str, dict[str, set[str]]] = {
    "Juniper Cafe": {"cafe": {"counter", "table"}, "kitchen": {"stove", "fridge", "sink"}},
    "Alder College": {
        "classroom A": {"desk", "blackboard"},
        "classroom B": {"desk", "blackboard"},
        "library": {"bookshelf", "table"},
        "office": {"desk"},
    },
    "Pine Street Grocery": {"store": {"shelf", "counter"}, "storeroom": {"shelf"}},
    "The Copper Kettle": {
        "bar room": {"bar", "table", "piano"},
        "kitchen": {"stove", "fridge", "sink"},
    },
    "Town Hall": {"office": {"desk"}, "meeting room": {"table"}},
    "Elm Park": {"park": {"bench", "garden", "fountain"}},
    "Town Square": {"square": {"bench", "fountain"}},
}
EXTRA_KINDS = {"Lantern House": {"piano"}, "Rowan Cottage": {"easel"}}
HOME_KINDS = {"stove", "fridge", "sink", "table", "shower", "toilet"}


class TownError(Exception):
    """The generated town breaks a rule; the message lists every problem."""


def _contract(c: Canvas, districts: int = 1) -> list[str]:
    problems: list[str] = []
    arenas: dict[str, set[str]] = {}
    for loc in c.locations:
        arenas.setdefault(loc.sector, set())
        if loc.arena:
            arenas[loc.sector].add(loc.arena)
    expected = {district_sector(n, k) for k in range(districts) for n in (*HOMES, *PUBLIC)}
    if set(arenas) != expected:
        problems.append(
            f"sectors differ: extra {set(arenas) - expected}, missing {expected - set(arenas)}"
        )
    kinds: dict[tuple[str, str], set[str]] = {}
    by_sector: dict[str, list[Thing]] = {}
    for t in c.things:
        kinds.setdefault((t.sector, t.arena), set()).add(t.kind)
        by_sector.setdefault(t.sector, []).append(t)
    for k in range(districts):
        for base, (beds, want) in HOMES.items():
            home = district_sector(base, k)
            things = by_sector.get(home, [])
            if arenas.get(home) != want:
                problems.append(f"{home}: arenas {sorted(arenas.get(home, ()))} != {sorted(want)}")
            got = [t for t in things if t.kind == "bed"]
            if len(got) != beds:
                problems.append(f"{home}: {len(got)} beds, want {beds}")
            have = {t.kind for t in things}
            missing = (HOME_KINDS | EXTRA_KINDS.get(base, set())) - have
            if missing:
                problems.append(f"{home}: no {sorted(missing)}")
            bath = kinds.get((home, "bathroom"), set())
            if not {"shower", "toilet", "sink"} <= bath:
                problems.append(f"{home}: bathroom has only {sorted(bath)}")
            kitchen = next((a for a in want if "kitchen" in a), None)
            if kitchen and not {"stove", "fridge", "sink", "table"} <= kinds.get(
                (home, kitchen), set()
            ):
                problems.append(
                    f"{home}: {kitchen} has only {sorted(kinds.get((home, kitchen), ()))}"
                )
        for base, spec in PUBLIC.items():
            sector = district_sector(base, k)
            if arenas.get(sector) != set(spec):
                problems.append(
                    f"{sector}: arenas {sorted(arenas.get(sector, ()))} != {sorted(spec)}"
                )
            for arena, want_kinds in spec.items():
                missing = want_kinds - kinds.get((sector, arena), set())
                if missing:
                    problems.append(f"{sector}:{arena}: no {sorted(missing)}")
    addresses = Counter(t.address for t in c.things)
    problems += [f"duplicate object {a}" for a, n in addresses.items() if n > 1]
    for t in c.things:
        if t.kind == "bed" and not t.name.startswith("bed "):
            problems.append(f"{t.address}: beds are named 'bed N'")
    beds_by_arena: dict[tuple[str, str], list[int]] = {}
    for t in c.things:
        if t.kind == "bed":
            beds_by_arena.setdefault((t.sector, t.arena), []).append(int(t.name.split()[1]))
    for key, nums in beds_by_arena.items():
        if sorted(nums) != list(range(1, len(nums) + 1)):
            problems.append(f"{key}: beds numbered {sorted(nums)}")
    if len(c.spawns) != districts * sum(b for b, _ in HOMES.values()):
        problems.append(f"{len(c.spawns)} spawns")
    return problems


def _inside_arena(c: Canvas) -> list[str]:
    problems = []
    by_arena: dict[tuple[str, str | None], list[Location]] = {}
    for loc in c.locations:
        by_arena.setdefault((loc.sector, loc.arena), []).append(loc)
    for t in c.things:
        rects = by_arena.get((t.sector, t.arena), [])
        if not any(
            r.x <= t.x and r.y <= t.y and t.x + t.w <= r.x + r.w and t.y + t.h <= r.y + r.h
            for r in rects
        ):
            problems.append(f"{t.address} is not inside its arena rectangle")
        for yy in range(t.y, t.y + t.h):
            for xx in range(t.x, t.x + t.w):
                if not any(c.layers[n][yy][xx] for n in ("furniture", "decor", "paths")):
                    problems.append(f"{t.address}: no tile drawn at ({xx}, {yy})")
        ux, uy = t.use
        near = t.x - 1 <= ux <= t.x + t.w and t.y - 1 <= uy <= t.y + t.h
        corner = (ux in (t.x - 1, t.x + t.w)) and (uy in (t.y - 1, t.y + t.h))
        if not near or corner:
            problems.append(f"{t.address}: use tile {t.use} is not on or beside it")
    return problems


def reachable(c: Canvas, start: tuple[int, int]) -> set[tuple[int, int]]:
    """Tiles reachable from ``start`` by 4-neighbour steps over unblocked tiles."""
    seen = {start}
    todo = deque([start])
    while todo:
        x, y = todo.popleft()
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if c.inside(nx, ny) and not c.blocked[ny][nx] and (nx, ny) not in seen:
                seen.add((nx, ny))
                todo.append((nx, ny))
    return seen


def _reachability(c: Canvas) -> list[str]:
    if not c.spawns:
        return ["no spawns"]
    problems = []
    for s in c.spawns:
        x, y = s.tile
        if c.blocked[y][x]:
            problems.append(f"spawn of {s.bed} is on a blocked tile")
    area = reachable(c, c.spawns[0].tile)
    for s in c.spawns:
        if s.tile not in area:
            problems.append(f"spawn of {s.bed} cannot reach {c.spawns[0].bed}")
    for t in c.things:
        ux, uy = t.use
        if c.blocked[uy][ux]:
            problems.append(f"{t.address}: use tile {t.use} is blocked")
        elif t.use not in area:
            problems.append(f"{t.address}: use tile {t.use} cannot be reached from the spawns")
    return problems


def _opaque_tiles(root: Path) -> set[str]:
    """Names of catalogue tiles without a single transparent pixel (needs pygame)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    sheets = {}
    for key, s in SHEETS.items():
        img = pygame.image.load(str(root / s.path))
        flat = pygame.Surface(img.get_size(), pygame.SRCALPHA)
        flat.fill((0, 0, 0, 0))
        flat.blit(img, (0, 0))
        sheets[key] = flat
    out = set()
    for name, (key, col, row) in TILES.items():
        sp = SHEETS[key].spacing
        sub = sheets[key].subsurface((col * (16 + sp), row * (16 + sp), 16, 16))
        if pygame.mask.from_surface(sub, 254).count() == 256:
            out.add(name)
    return out


def _tile_sanity(c: Canvas, root: Path) -> list[str]:
    """Every cell's lowest drawn tile must be opaque (no see-through holes to the void)."""
    opaque = _opaque_tiles(root)
    problems = []
    for y in range(c.height):
        for x in range(c.width):
            lowest = next((c.layers[n][y][x] for n in LAYERS if c.layers[n][y][x]), None)
            if lowest is None:
                problems.append(f"({x}, {y}) has no tile at all")
            elif lowest not in opaque:
                problems.append(f"({x}, {y}): lowest tile {lowest} is transparent")
            if len(problems) > 40:
                return problems
    return problems


def check(c: Canvas, root: Path, districts: int = 1) -> None:
    """Raise ``TownError`` listing every problem of a town of ``districts`` districts."""
    problems = _contract(c, districts) + _inside_arena(c) + _reachability(c) + _tile_sanity(c, root)
    if problems:
        raise TownError(f"{len(problems)} problem(s):\n  " + "\n  ".join(problems))
