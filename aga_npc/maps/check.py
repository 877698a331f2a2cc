"""Validating a map against docs/MAP_CONVENTIONS.md and summarising what it holds."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aga_npc.world import Problem, Spawn, World
from aga_npc.world.kinds import KindRegistry

__all__ = ["MapReport", "check_map", "check_world", "format_report"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MapReport:
    """What ``maps check`` found: the map's contents and its problems.

    ``to_dict`` gives the contract keys of docs/DESIGN.md section 6 (``width``, ``height``,
    ``sectors``, ``arenas``, ``objects``, ``spawns``, ``unreachable``, ``problems``) plus
    ``path``, ``tile_size`` and ``layers``.
    """

    path: str
    width: int
    height: int
    tile_size: tuple[int, int]
    tile_layers: tuple[str, ...]
    object_layers: tuple[str, ...]
    sectors: tuple[str, ...]
    arenas: tuple[str, ...]
    objects: dict[str, int] = field(default_factory=dict)
    spawns: tuple[Spawn, ...] = ()
    unreachable: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        """The distinct problem codes found."""
        return {p.code for p in self.problems}

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "tile_size": list(self.tile_size),
            "layers": {"tile": list(self.tile_layers), "object": list(self.object_layers)},
            "sectors": list(self.sectors),
            "arenas": list(self.arenas),
            "objects": dict(self.objects),
            "spawns": [s.to_dict() for s in self.spawns],
            "unreachable": list(self.unreachable),
            "problems": [p.to_dict() for p in self.problems],
        }


def _reachability(world: World) -> tuple[tuple[str, ...], list[Problem]]:
    labels = world.grid.labels
    spawn_comps = {
        (s.bed or f"spawn at {s.tile}"): int(labels[s.tile[1], s.tile[0]])
        for s in world.spawns
        if world.grid.is_walkable(s.tile)
    }
    if not spawn_comps:
        counts = Counter(int(v) for v in labels[labels >= 0].ravel())
        if not counts:
            return (), []
        main = counts.most_common(1)[0][0]
        spawn_comps = {"the largest walkable area": main}
    unreachable: list[str] = []
    problems: list[Problem] = []
    for info in world.objects():
        x, y = info.tile
        comp = int(labels[y, x]) if world.grid.in_bounds(info.tile) else -1
        missed = [name for name, c in spawn_comps.items() if c != comp]
        if not missed:
            continue
        unreachable.append(info.address)
        code = "unreachable_bed" if info.kind == "bed" else "unreachable_object"
        where = "its use tile is blocked" if comp < 0 else f"its use tile {info.tile} is walled off"
        sample = ", ".join(missed[:3]) + (f" and {len(missed) - 3} more" if len(missed) > 3 else "")
        problems.append(
            Problem(
                code=code,
                message=f"{info.address} cannot be reached from {sample} ({where})",
                subject=info.address,
            )
        )
    return tuple(unreachable), problems


def check_world(world: World) -> MapReport:
    """Summarise a loaded world and list its problems, reachability included."""
    unreachable, reach_problems = _reachability(world)
    kinds = Counter(o.kind for o in world.objects())
    return MapReport(
        path=world.raw.path,
        width=world.width,
        height=world.height,
        tile_size=(world.raw.tile_width, world.raw.tile_height),
        tile_layers=world.raw.tile_layers,
        object_layers=world.raw.object_layers,
        sectors=world.sector_names(),
        arenas=tuple(world.layout.arenas),
        objects=dict(sorted(kinds.items())),
        spawns=world.spawns,
        unreachable=unreachable,
        problems=(*world.problems, *reach_problems),
    )


def check_map(path: str | os.PathLike[str], *, kinds: KindRegistry | None = None) -> MapReport:
    """Load ``path`` and check it against ``kinds`` (default: the household kinds).

    Raises:
        MapError: the file cannot be read as a TMX map.
    """
    return check_world(World.load(path, kinds=kinds))


def _listing(items: list[str] | tuple[str, ...], limit: int = 40) -> str:
    if not items:
        return "none"
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


def format_report(report: MapReport) -> str:
    """The human-readable ``maps check`` output."""
    tw, th = report.tile_size
    homes = Counter(s.home for s in report.spawns if s.home)
    lines = [
        f"{report.path}: {report.width} x {report.height} tiles of {tw}x{th} px",
        f"tile layers: {_listing(report.tile_layers)}",
        f"object layers: {_listing(report.object_layers)}",
        f"sectors ({len(report.sectors)}): {_listing(report.sectors)}",
        f"arenas ({len(report.arenas)}): {_listing(report.arenas, 12)}",
        f"objects ({sum(report.objects.values())}): "
        + _listing([f"{k} {n}" for k, n in report.objects.items()]),
        f"spawns ({len(report.spawns)}): " + _listing([f"{h} {n}" for h, n in homes.items()]),
        f"unreachable ({len(report.unreachable)}): {_listing(report.unreachable, 10)}",
    ]
    if report.ok:
        lines.append("OK: no problems")
    else:
        lines.append(f"{len(report.problems)} problem(s):")
        lines.extend(f"  [{p.code}] {p.message}" for p in report.problems)
    return "\n".join(lines)
