"""A building drawn from an ASCII plan, and helpers that furnish it (objects + tiles).

Plan characters: ``#`` wall, ``+`` door (a walkable gap; its floor is the neighbouring
room's), ``.`` or space outside the building, any letter a room (see ``rooms``). Each room
letter must cover a rectangle; several letters may name the same arena. Coordinates given
to the methods are relative to the plan's top-left corner.
"""

from __future__ import annotations

from collections.abc import Sequence

from towngen.canvas import Canvas, Thing


class Building:
    """A sector with walls, rooms (arenas), doors and furniture."""

    def __init__(
        self,
        canvas: Canvas,
        sector: str,
        x: int,
        y: int,
        plan: str,
        rooms: dict[str, tuple[str | None, str]],
        *,
        wall: str,
    ) -> None:
        self.c = canvas
        self.sector = sector
        self.x, self.y = x, y
        lines = [ln for ln in plan.strip("\n").splitlines()]
        width = max(len(ln) for ln in lines)
        self.grid = [ln.ljust(width, ".") for ln in lines]
        self.w, self.h = width, len(lines)
        self.rooms = rooms
        self.arena_rects: dict[str, list[tuple[int, int, int, int]]] = {}
        self.doors: list[tuple[int, int]] = []
        self._draw(wall)

    # -- plan -----------------------------------------------------------------------
    def cell(self, x: int, y: int) -> str:
        if 0 <= y < self.h and 0 <= x < self.w:
            return self.grid[y][x]
        return "."

    def _draw(self, wall: str) -> None:
        letters: dict[str, list[tuple[int, int]]] = {}
        for y, row in enumerate(self.grid):
            for x, ch in enumerate(row):
                if ch.isalpha():
                    letters.setdefault(ch, []).append((x, y))
        for ch, cells in letters.items():
            if ch not in self.rooms:
                raise ValueError(f"{self.sector}: plan letter {ch!r} has no room")
            xs, ys = [p[0] for p in cells], [p[1] for p in cells]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs) + 1, max(ys) + 1
            if len(cells) != (x1 - x0) * (y1 - y0):
                raise ValueError(f"{self.sector}: room {ch!r} is not a rectangle")
            arena, floor = self.rooms[ch]
            self.c.fill("floor", self.x + x0, self.y + y0, x1 - x0, y1 - y0, floor)
            if arena is not None:
                self.arena_rects.setdefault(arena, []).append((x0, y0, x1 - x0, y1 - y0))
                self.c.location(self.sector, arena, self.x + x0, self.y + y0, x1 - x0, y1 - y0)
        for y, row in enumerate(self.grid):
            for x, ch in enumerate(row):
                ax, ay = self.x + x, self.y + y
                if ch == "#":
                    self.c.put("walls", ax, ay, wall, block=True)
                    self.c.put("ground", ax, ay, "grass")
                elif ch == "+":
                    self.doors.append((x, y))
                    self.c.put("floor", ax, ay, self._door_floor(x, y), block=False)
        self.c.location(self.sector, None, self.x, self.y, self.w, self.h)

    def _door_floor(self, x: int, y: int) -> str:
        for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            ch = self.cell(x + dx, y + dy)
            if ch.isalpha():
                return self.rooms[ch][1]
        raise ValueError(f"{self.sector}: door at ({x}, {y}) touches no room")

    def arena_of(self, x: int, y: int) -> str:
        ch = self.cell(x, y)
        arena = self.rooms[ch][0] if ch.isalpha() else None
        if arena is None:
            raise ValueError(f"{self.sector}: ({x}, {y}) is not inside an arena (it is {ch!r})")
        return arena

    # -- drawing --------------------------------------------------------------------
    def put(self, x: int, y: int, tile: str, *, layer: str = "furniture", block: bool = True):
        if not self.cell(x, y).isalpha():
            raise ValueError(f"{self.sector}: {tile} at ({x}, {y}) is not on a room floor")
        self.c.put(layer, self.x + x, self.y + y, tile, block=block)

    def row(self, x: int, y: int, tiles: Sequence[str], **kw: object) -> None:
        for i, t in enumerate(tiles):
            self.put(x + i, y, t, **kw)  # type: ignore[arg-type]

    def col(self, x: int, y: int, tiles: Sequence[str], **kw: object) -> None:
        for i, t in enumerate(tiles):
            self.put(x, y + i, t, **kw)  # type: ignore[arg-type]

    def thing(
        self,
        name: str,
        kind: str,
        x: int,
        y: int,
        w: int = 1,
        h: int = 1,
        *,
        use: tuple[int, int],
        capacity: int = 1,
        states: str | None = None,
    ) -> Thing:
        """Register an interactable object over tiles already placed (relative coords)."""
        arena = self.arena_of(x, y)
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                if self.arena_of(xx, yy) != arena:
                    raise ValueError(f"{self.sector}: {name} spans two rooms")
        return self.c.thing(
            Thing(
                sector=self.sector,
                arena=arena,
                name=name,
                kind=kind,
                x=self.x + x,
                y=self.y + y,
                w=w,
                h=h,
                use=(self.x + use[0], self.y + use[1]),
                capacity=capacity,
                states=states,
            )
        )

    def bed(self, name: str, x: int, y: int, tile: str, *, spawn: bool = True) -> Thing:
        """A bed you lie on (walkable); its use tile is the bed itself."""
        self.put(x, y, tile, block=False)
        bed = self.thing(name, "bed", x, y, use=(x, y))
        if spawn:
            self.c.spawn(self.sector, bed)
        return bed

    def add_windows(self, tile: str = "window_cross") -> None:
        """Windows in the north and south outer walls, centred on each room behind them."""
        for wall_y, inner_y in ((0, 1), (self.h - 1, self.h - 2)):
            runs: list[list[int]] = []
            for x in range(1, self.w - 1):
                backed = self.cell(x, inner_y)
                ok = (
                    self.cell(x, wall_y) == "#"
                    and backed.isalpha()
                    and self.cell(x - 1, wall_y) == "#"
                    and self.cell(x + 1, wall_y) == "#"
                )
                if ok and runs and runs[-1][-1] == x - 1 and self.cell(x - 1, inner_y) == backed:
                    runs[-1].append(x)
                elif ok:
                    runs.append([x])
            for run in runs:
                if len(run) < 3:
                    continue
                picks = (
                    [run[len(run) // 2]]
                    if len(run) < 7
                    else [run[len(run) // 3], run[2 * len(run) // 3]]
                )
                for x in picks:
                    self.c.put("decor", self.x + x, self.y + wall_y, tile, block=True)

    def abs(self, x: int, y: int) -> tuple[int, int]:
        return (self.x + x, self.y + y)
