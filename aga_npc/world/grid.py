"""The walkable grid: A* paths (4-connected), connected components and a path cache.

Tiles are ``(x, y)`` tuples. Internally the grid is padded with a blocked border and cells
are flat ints, so the A* inner loop needs no bounds checks and no tuples. A* uses the ALT
heuristic (A*, landmarks, triangle inequality): BFS distance fields from a few far-apart
landmark tiles give a lower bound that sees walls and doors, which keeps the search narrow
where the plain Manhattan bound would flood a building. Every change of the walkable cells
bumps ``version``, which clears the path cache, the landmarks and the component labels.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Generator, Iterable
from heapq import heappop, heappush

import numpy as np
import numpy.typing as npt

__all__ = ["Grid", "PathSearch", "Tile"]

Tile = tuple[int, int]
IntGrid = npt.NDArray[np.int32]
BoolGrid = npt.NDArray[np.bool_]
Path = tuple[Tile, ...]


class Grid:
    """A walkable grid with cached shortest paths.

    Args:
        walkable: bool array of shape ``(height, width)``, True where agents may stand.
        cache_size: how many paths the LRU path cache keeps.
        field_cache_size: how many per-goal distance fields the LRU field cache keeps
            (filled by ``distance_field``; a cached field answers any path to its goal by
            following the gradient, O(path length)).
        landmarks: landmark count for the ALT heuristic (0: plain Manhattan). They cost
            one BFS each, computed lazily once per grid version.
    """

    def __init__(
        self,
        walkable: npt.ArrayLike,
        *,
        cache_size: int = 4096,
        field_cache_size: int = 64,
        landmarks: int = 4,
    ) -> None:
        arr = np.array(walkable, dtype=np.bool_, copy=True)
        if arr.ndim != 2 or arr.size == 0:
            raise ValueError(f"walkable must be a non-empty 2-D array, got shape {arr.shape}")
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self.height, self.width = int(arr.shape[0]), int(arr.shape[1])
        self._wp = self.width + 2
        self._walkable = arr
        self._walkable.setflags(write=False)
        self._free = self._pad(arr)
        self._nbits = ((self.height + 2) * self._wp).bit_length()
        # f and h are path lengths, bounded by the cell count
        self._hbits = ((self.height + 2) * self._wp + self.width + self.height).bit_length()
        self.version = 0
        self._labels: IntGrid | None = None
        self._cache: OrderedDict[tuple[int, int], Path | None] = OrderedDict()
        self._cache_size = cache_size
        self._fields: OrderedDict[int, list[int]] = OrderedDict()
        self._field_cache_size = max(1, field_cache_size)
        self._landmark_count = max(0, landmarks)
        self._landmarks: list[list[int]] | None = None
        self.cache_hits = 0
        self.cache_misses = 0

    # ----------------------------------------------------------------- cells and changes
    def _pad(self, arr: BoolGrid) -> bytearray:
        padded = np.zeros((self.height + 2, self._wp), dtype=np.uint8)
        padded[1:-1, 1:-1] = arr
        return bytearray(padded.tobytes())

    def _flat(self, tile: Tile) -> int:
        return (tile[1] + 1) * self._wp + tile[0] + 1

    def _tile(self, flat: int) -> Tile:
        y, x = divmod(flat, self._wp)
        return (x - 1, y - 1)

    @property
    def walkable(self) -> BoolGrid:
        """Read-only bool array ``(height, width)``; a new array after every change."""
        return self._walkable

    def in_bounds(self, tile: Tile) -> bool:
        return 0 <= tile[0] < self.width and 0 <= tile[1] < self.height

    def is_walkable(self, tile: Tile) -> bool:
        """Whether ``tile`` is inside the map and not blocked."""
        return self.in_bounds(tile) and bool(self._free[self._flat(tile)])

    def set_blocked(self, tiles: Iterable[Tile], blocked: bool = True) -> int:
        """Block (or free) ``tiles``; returns how many cells changed.

        Any change bumps ``version`` and invalidates cached paths and component labels.
        Tiles outside the map are ignored.
        """
        arr = self._walkable.copy()
        changed = 0
        for x, y in tiles:
            if 0 <= x < self.width and 0 <= y < self.height and arr[y, x] == blocked:
                arr[y, x] = not blocked
                self._free[self._flat((x, y))] = 0 if blocked else 1
                changed += 1
        if changed:
            arr.setflags(write=False)
            self._walkable = arr
            self.version += 1
            self._labels = None
            self._cache.clear()
            self._fields.clear()
            self._landmarks = None
        return changed

    # ------------------------------------------------------------ connected components
    @property
    def labels(self) -> IntGrid:
        """Read-only int32 ``(height, width)``: component id per walkable tile, -1 if blocked.

        Computed once per grid version (a new array each time, so old snapshots stay valid).
        """
        if self._labels is None:
            self._labels = self._label()
        return self._labels

    def _label(self) -> IntGrid:
        free, wp = self._free, self._wp
        lab = [-1] * len(free)
        comp = 0
        for start in range(len(free)):
            if not free[start] or lab[start] >= 0:
                continue
            lab[start] = comp
            stack = [start]
            while stack:
                cur = stack.pop()
                for nb in (cur + 1, cur - 1, cur + wp, cur - wp):
                    if free[nb] and lab[nb] < 0:
                        lab[nb] = comp
                        stack.append(nb)
            comp += 1
        out = np.array(lab, dtype=np.int32).reshape(self.height + 2, wp)[1:-1, 1:-1].copy()
        out.setflags(write=False)
        return out

    def component(self, tile: Tile) -> int:
        """Component id of ``tile``; -1 when blocked or outside the map."""
        if not self.in_bounds(tile):
            return -1
        return int(self.labels[tile[1], tile[0]])

    def connected(self, a: Tile, b: Tile) -> bool:
        """Whether a walk from ``a`` to ``b`` exists (O(1) after the first call per version)."""
        ca = self.component(a)
        return ca >= 0 and ca == self.component(b)

    # --------------------------------------------------------------------- shortest paths
    def find_path(self, start: Tile, goal: Tile) -> Path | None:
        """Shortest 4-connected path from ``start`` to ``goal``, both included.

        Returns ``(start,)`` when they are equal and None when no path exists (either end
        blocked, or in different components). Results are cached per grid version; the
        reverse query is served from the same entry.
        """
        return self.search(start, goal).finish()

    def search(self, start: Tile, goal: Tile) -> PathSearch:
        """The shortest path from ``start`` to ``goal`` as a search that can run in slices.

        Answered at once (``done``) from the path cache, a cached distance field, or when
        no path exists; otherwise A* runs as :meth:`PathSearch.advance` asks, a bounded
        number of node expansions at a time, and its path enters the cache when found.
        ``finish()`` runs the rest at once. The result equals :meth:`find_path`'s.
        """
        if not (self.is_walkable(start) and self.is_walkable(goal)):
            return PathSearch(self, start, goal, None, done=True)
        s, g = self._flat(start), self._flat(goal)
        cached = self._cache.get((s, g))
        if cached is not None or (s, g) in self._cache:
            self._cache.move_to_end((s, g))
            self.cache_hits += 1
            return PathSearch(self, start, goal, cached, done=True)
        back = self._cache.get((g, s))
        path: Path | None
        if back is not None:
            self.cache_hits += 1
            path = back[::-1]
        elif s == g:
            path = (start,)
        elif g in self._fields:
            self.cache_hits += 1
            path = self._descend(self._fields[g], s)
        elif s in self._fields:
            self.cache_hits += 1
            path = self._descend(self._fields[s], g)[::-1]
        elif not self.connected(start, goal):
            self.cache_misses += 1
            path = None
        else:
            self.cache_misses += 1
            return PathSearch(self, start, goal, None, done=False)
        self._remember(s, g, path)
        return PathSearch(self, start, goal, path, done=True)

    def _remember(self, s: int, g: int, path: Path | None) -> None:
        if self._cache_size:
            self._cache[(s, g)] = path
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def path_length(self, start: Tile, goal: Tile) -> int | None:
        """Steps of the shortest path, or None when unreachable."""
        path = self.find_path(start, goal)
        return None if path is None else len(path) - 1

    def astar_slices(
        self, start: Tile, goal: Tile
    ) -> Generator[None, int, tuple[Path | None, int]]:
        """The A* of :meth:`search` in slices, for :class:`PathSearch` to drive.

        Prime with ``next()``; each ``send(n)`` expands at most ``n`` nodes. Returns the
        path (None when there is none) and what was left of the last slice's budget; the
        path enters the path cache. Both ends must be walkable and in one component, and
        the grid must not change while the slices run (``PathSearch`` starts over when
        ``version`` moves).
        """
        s, g = self._flat(start), self._flat(goal)
        path, left = yield from self._astar(s, g)
        self._remember(s, g, path)
        return path, left

    def _landmark_fields(self) -> list[list[int]]:
        """BFS fields from far-apart tiles of the largest component (farthest-point picks)."""
        if self._landmarks is not None:
            return self._landmarks
        fields: list[list[int]] = []
        labels = self.labels
        if self._landmark_count and labels.max() >= 0:
            counts = np.bincount(labels[labels >= 0])
            ys, xs = np.nonzero(labels == int(counts.argmax()))
            cur = self._flat((int(xs[0]), int(ys[0])))
            seed = np.asarray(self._bfs(cur))
            cur = int(seed.argmax())
            nearest: npt.NDArray[np.int64] | None = None
            for _ in range(self._landmark_count):
                dist = self._bfs(cur)
                fields.append(dist)
                arr = np.asarray(dist, dtype=np.int64)
                nearest = arr if nearest is None else np.minimum(nearest, arr)
                cur = int(nearest.argmax())
                if nearest[cur] <= 0:
                    break
        self._landmarks = fields
        return fields

    def _astar(self, s: int, g: int) -> Generator[None, int, tuple[Path | None, int]]:
        """A* from flat ``s`` to flat ``g`` (same component) in slices: each ``send(n)``
        expands at most ``n`` nodes. Returns the path (None if the heap runs dry) and what
        was left of the last slice's budget. Prime with ``next()`` before the first
        ``send``."""
        free, wp = self._free, self._wp
        nbits, hbits = self._nbits, self._hbits
        node_mask = (1 << nbits) - 1
        h_mask = (1 << hbits) - 1
        gx, gy = g % wp, g // wp
        marks = [(d, d[g]) for d in self._landmark_fields() if d[g] >= 0 and d[s] >= 0]
        inf = 1 << 30
        gs = [inf] * len(free)
        came = [-1] * len(free)
        gs[s] = 0
        heap = [s]  # f = h = 0 is fine for the start: it is popped first anyway
        left = yield
        while heap:
            if left <= 0:
                left = yield
            left -= 1
            item = heappop(heap)
            cur = item & node_mask
            if cur == g:
                break
            key = item >> nbits
            gc = gs[cur]
            if (key >> hbits) - (key & h_mask) > gc:  # stale entry
                continue
            gc += 1
            for nb in (cur + 1, cur - 1, cur + wp, cur - wp):
                if free[nb] and gc < gs[nb]:
                    gs[nb] = gc
                    came[nb] = cur
                    hn = abs(nb % wp - gx) + abs(nb // wp - gy)
                    for field, at_goal in marks:
                        bound = at_goal - field[nb]
                        if bound < 0:
                            bound = -bound
                        if bound > hn:
                            hn = bound
                    heappush(heap, (((gc + hn) << hbits | hn) << nbits) | nb)
        else:
            return None, left
        out = [g]
        cur = g
        while cur != s:
            cur = came[cur]
            out.append(cur)
        return tuple(self._tile(c) for c in reversed(out)), left

    def _bfs(self, s: int) -> list[int]:
        free, wp = self._free, self._wp
        dist = [-1] * len(free)
        dist[s] = 0
        queue = deque([s])
        pop, push = queue.popleft, queue.append
        while queue:
            cur = pop()
            d = dist[cur] + 1
            for nb in (cur + 1, cur - 1, cur + wp, cur - wp):
                if free[nb] and dist[nb] < 0:
                    dist[nb] = d
                    push(nb)
        return dist

    def _goal_field(self, g: int) -> list[int]:
        found = self._fields.get(g)
        if found is None:
            found = self._bfs(g)
            self._fields[g] = found
            if len(self._fields) > self._field_cache_size:
                self._fields.popitem(last=False)
        else:
            self._fields.move_to_end(g)
        return found

    def _descend(self, dist: list[int], s: int) -> Path:
        """Follow a distance field downhill from ``s`` to its source (0)."""
        wp = self._wp
        cur = s
        out = [cur]
        d = dist[cur]
        while d > 0:
            for nb in (cur + 1, cur - 1, cur + wp, cur - wp):
                if dist[nb] == d - 1:
                    cur = nb
                    break
            out.append(cur)
            d -= 1
        return tuple(self._tile(c) for c in out)

    def distance_field(self, source: Tile) -> IntGrid:
        """Steps from ``source`` to every tile (BFS); -1 where unreachable or blocked.

        The field is kept in the per-goal cache, so later paths to ``source`` are cheap.
        """
        if self.is_walkable(source):
            dist = self._goal_field(self._flat(source))
        else:
            dist = [-1] * len(self._free)
        arr = np.array(dist, dtype=np.int32).reshape(self.height + 2, self._wp)[1:-1, 1:-1]
        out = arr.copy()
        out.setflags(write=False)
        return out

    def prepare(self) -> None:
        """Compute the component labels and ALT landmarks now rather than on first use."""
        self._landmark_fields()

    def clear_cache(self) -> None:
        """Drop every cached path and distance field (the benchmark's cold runs use this)."""
        self._cache.clear()
        self._fields.clear()


class PathSearch:
    """One shortest-path query of a :class:`Grid`, answered at once or run in slices.

    Made by :meth:`Grid.search`. While ``done`` is False, :meth:`advance` expands at most
    the given number of A* nodes; a change of the grid (``set_blocked``) before the end
    starts the query again on the new grid.

    Attributes:
        start, goal: the query's ends.
        done: whether ``path`` is final.
        path: the shortest path (both ends included), or None when there is none.
        expanded: A* nodes expanded so far (0 for an answer from the caches).
    """

    __slots__ = ("_grid", "_steps", "_version", "done", "expanded", "goal", "path", "start")

    def __init__(
        self, grid: Grid, start: Tile, goal: Tile, path: Path | None, *, done: bool
    ) -> None:
        self._grid = grid
        self.start = start
        self.goal = goal
        self.path = path
        self.done = done
        self.expanded = 0
        self._version = grid.version
        self._steps: Generator[None, int, tuple[Path | None, int]] | None = None

    def advance(self, budget: int) -> int:
        """Expand at most ``budget`` nodes (at least one); returns how many it expanded.

        Time budget: about ``budget`` times 3 us (the demo town, ALT landmarks on).
        """
        if self.done:
            return 0
        grid = self._grid
        if self._version != grid.version:  # the walls moved: ask the new grid
            fresh = grid.search(self.start, self.goal)
            self._version, self._steps = grid.version, None
            if fresh.done:
                self.path, self.done = fresh.path, True
                return 0
        steps = self._steps
        if steps is None:
            steps = self._steps = grid.astar_slices(self.start, self.goal)
            next(steps)
        budget = max(1, int(budget))
        try:
            steps.send(budget)
        except StopIteration as end:
            self.path, left = end.value
            self.done, self._steps = True, None
            budget -= left
        self.expanded += budget
        return budget

    def finish(self) -> Path | None:
        """Run the rest of the search now; returns ``path``."""
        while not self.done:
            self.advance(1 << 62)
        return self.path
