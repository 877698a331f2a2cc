"""The world stepper: advances game time and walks agents along their paths.

The pygame demo calls ``step(dt)`` once per frame (smooth float positions for drawing);
the headless simulation calls ``step_minutes(n)`` (the same motion in one jump per call).
Both go through one movement routine, so both runs see the same arrivals for the same
game time. Agents pass through each other while walking; where they stop is spread by the
world's stand-tile reservations, so NPCs sharing a target do not stand on one tile.

Path searches can be spread over frames: with ``path_budget`` set, a path that is not in
the grid's caches is searched (A*) a bounded number of nodes per ``step(dt)``, first come
first served, and the agent starts walking in the step that finds it; whether a path
exists is known at once (connected components), so ``send_to`` still answers at once.
``step_minutes`` finishes every waiting search before moving anyone, so whole-minute runs
see the same walks either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aga_npc.brain.intent import facing_of
from aga_npc.world.grid import PathSearch, Tile
from aga_npc.world.model import World

__all__ = ["WorldStepper"]


@dataclass(slots=True)
class _Walk:
    path: tuple[Tile, ...]
    progress: float  # index along ``path``; the walk ends at len(path) - 1
    target: str  # object address, or "" for a tile target


@dataclass(slots=True)
class _Search:
    goal: Tile
    target: str
    search: PathSearch | None = None  # started at the first step that works on it


class WorldStepper:
    """Moves agents of a ``World`` and keeps its clock.

    Args:
        world: the world to drive (its clock and agent tiles are updated).
        speed: walking speed in tiles per real second (default 4).
        minutes_per_second: game minutes that pass per real second (default 1).
        path_budget: A* nodes searched per game minute of ``step(dt)`` (at least one
            per step; about 3 us each), shared by the agents waiting for a path; None
            searches every path at once in ``send_to``.

    One game minute therefore carries an agent ``speed / minutes_per_second`` tiles.
    """

    def __init__(
        self,
        world: World,
        *,
        speed: float = 4.0,
        minutes_per_second: float = 1.0,
        path_budget: int | None = None,
    ) -> None:
        if speed <= 0 or minutes_per_second <= 0:
            raise ValueError("speed and minutes_per_second must be positive")
        if path_budget is not None and path_budget < 1:
            raise ValueError(f"path_budget must be at least 1 node, got {path_budget}")
        self.world = world
        self.speed = float(speed)
        self.minutes_per_second = float(minutes_per_second)
        self.path_budget = path_budget
        self._searches: dict[str, _Search] = {}  # agents waiting for a path, in order
        self._failed: dict[str, str] = {}
        self._walks: dict[str, _Walk] = {}
        self._arrived: dict[str, Tile] = {}
        self._carry = 0.0
        self._facing: dict[str, str] = {}
        self._held: set[str] = set()  # walkers that waited for an obstacle this step
        self.obstacles: frozenset[Tile] = frozenset()
        """Tiles walkers do not enter (the player's): one in the way holds the walker on
        the tile before it until it moves away. Paths are not searched around them (the
        player moves every frame; a path cache per player step would cost the frame)."""

    @property
    def tiles_per_game_minute(self) -> float:
        return self.speed / self.minutes_per_second

    # ----------------------------------------------------------------- commands
    def send_to(self, agent: str, target: str | Tile) -> bool:
        """Start walking ``agent`` to an object (address) or a tile.

        For an object the destination is a reserved stand tile near it (its use tile
        first); for a tile, that tile or the nearest free one. Returns False, and leaves
        the agent where it stands, when the target is unknown or unreachable. With a
        ``path_budget``, a path not in the grid's caches is searched by later steps; the
        agent counts as walking meanwhile.
        """
        start = self.world.agent_tile(agent)
        if start is None:
            raise ValueError(f"unknown agent {agent!r}")
        if isinstance(target, str):
            stand = self.world.reserve_stand_tile(agent, target)
            label = target
        else:
            stand = self.world.reserve_tile(agent, (int(target[0]), int(target[1])))
            label = ""
        self._walks.pop(agent, None)
        self._arrived.pop(agent, None)
        self._searches.pop(agent, None)
        self._failed.pop(agent, None)
        search = self.world.path_search(start, stand) if stand is not None else None
        if search is None or (search.done and search.path is None):
            self.world.release_stand_tile(agent)
            return False
        if self.path_budget is None or search.done:
            path = search.finish()
            assert path is not None  # start and goal are connected
            self._start_walk(agent, path, label)
        else:
            self._searches[agent] = _Search(goal=search.goal, target=label, search=search)
        return True

    def _start_walk(self, agent: str, path: tuple[Tile, ...], label: str) -> None:
        if len(path) == 1:
            self._arrived[agent] = path[0]
        else:
            self._walks[agent] = _Walk(path=path, progress=0.0, target=label)

    def take_failures(self) -> dict[str, str]:
        """Agents whose waiting path search found no path after all (the walls changed
        while it ran), with their targets; they stand where they are. Cleared by the call.
        """
        out, self._failed = self._failed, {}
        return out

    def stop(self, agent: str) -> None:
        """Stop walking where the agent stands now (its tile); it has not arrived.

        Its stand-tile reservation is released, so others may use that spot.
        """
        self._walks.pop(agent, None)
        self._arrived.pop(agent, None)
        self._searches.pop(agent, None)
        self.world.release_stand_tile(agent)

    # ------------------------------------------------------------------ queries
    def walking(self, agent: str) -> bool:
        """Whether the agent is on its way (walking, or waiting for its path search)."""
        return agent in self._walks or agent in self._searches

    def searching(self, agent: str) -> bool:
        """Whether the agent waits for its path search (see ``path_budget``)."""
        return agent in self._searches

    def arrived(self, agent: str) -> bool:
        """Whether the agent reached the destination of its last ``send_to``."""
        return agent in self._arrived

    def destination(self, agent: str) -> Tile | None:
        """Where the agent is walking to (or has arrived at)."""
        walk = self._walks.get(agent)
        if walk is not None:
            return walk.path[-1]
        pending = self._searches.get(agent)
        return pending.goal if pending is not None else self._arrived.get(agent)

    def path_of(self, agent: str) -> tuple[Tile, ...]:
        """The remaining path (current tile first); ``()`` when not walking."""
        walk = self._walks.get(agent)
        if walk is None:
            return ()
        return walk.path[int(walk.progress) :]

    def position(self, agent: str) -> tuple[float, float]:
        """Float tile coordinates for drawing (interpolated between path tiles)."""
        walk = self._walks.get(agent)
        if walk is None:
            tile = self.world.agent_tile(agent)
            if tile is None:
                raise ValueError(f"unknown agent {agent!r}")
            return (float(tile[0]), float(tile[1]))
        i = min(int(walk.progress), len(walk.path) - 1)
        frac = walk.progress - i
        x0, y0 = walk.path[i]
        if frac <= 0.0 or i + 1 >= len(walk.path):
            return (float(x0), float(y0))
        x1, y1 = walk.path[i + 1]
        return (x0 + (x1 - x0) * frac, y0 + (y1 - y0) * frac)

    def facing(self, agent: str) -> str:
        """The direction of the agent's current step while walking, else of its last
        step ("" if it never walked; see ``face``)."""
        walk = self._walks.get(agent)
        if walk is not None:
            i = min(int(walk.progress), len(walk.path) - 2)
            if i >= 0:
                (x0, y0), (x1, y1) = walk.path[i], walk.path[i + 1]
                return facing_of(x1 - x0, y1 - y0, self._facing.get(agent, ""))
        return self._facing.get(agent, "")

    def face(self, agent: str, facing: str) -> None:
        """Remember ``facing`` as the agent's last direction (a standing agent turned)."""
        if facing:
            self._facing[agent] = facing

    def current_speed(self, agent: str) -> float:
        """Tiles per real second the agent moves at now: ``speed`` while it walks, 0.0
        standing, waiting for its path search, or held up by an obstacle."""
        if agent in self._walks and agent not in self._held:
            return self.speed
        return 0.0

    def held(self, agent: str) -> bool:
        """Whether the agent's last step was held up by a tile in ``obstacles``."""
        return agent in self._held

    # ------------------------------------------------------------- walls changed
    def reroute(self) -> tuple[str, ...]:
        """After tiles were blocked: every walk whose remaining path crosses a blocked tile
        is searched again (at once) from where the walker stands to its destination; a
        walker with no way left stops where it stands and is reported by
        ``take_failures``. Returns the agents that stand on a blocked tile (the caller
        moves them off; see ``World.nearest_walkable``).

        Cost: one path search per walker whose path was cut.
        """
        grid = self.world.grid
        for agent in list(self._walks):
            walk = self._walks[agent]
            i = min(int(walk.progress), len(walk.path) - 1)
            rest = walk.path[i:]
            if all(grid.is_walkable(t) for t in rest):
                continue
            frac = walk.progress - i
            here = walk.path[i]
            nxt = walk.path[i + 1] if i + 1 < len(walk.path) else None
            path: tuple[Tile, ...] | None = None
            progress = 0.0
            if grid.is_walkable(here):
                if nxt is not None and frac > 0 and grid.is_walkable(nxt):
                    ahead = self.world.find_path(nxt, walk.path[-1])
                    if ahead is not None:  # keep the step under way
                        path, progress = (here, *ahead), frac
                if path is None:
                    path = self.world.find_path(here, walk.path[-1])
            del self._walks[agent]
            if path is None:
                self.world.release_stand_tile(agent)
                if grid.is_walkable(here):
                    self.world.move_agent(agent, here)
                self._failed[agent] = walk.target
                continue
            self.world.move_agent(agent, here)
            if len(path) == 1:
                self._arrived[agent] = path[0]
            else:
                self._walks[agent] = _Walk(path=path, progress=progress, target=walk.target)
        stuck = []
        for agent in self.world.agents():
            tile = self.world.agent_tile(agent)
            if tile is not None and not grid.is_walkable(tile) and agent not in self._walks:
                stuck.append(agent)
        return tuple(stuck)

    def finish_walks(self) -> tuple[str, ...]:
        """Every walker arrives at once (the clock skipped ahead); waiting path searches
        are finished first. Returns the agents that arrived."""
        if self._searches:
            self._search(None)
        arrivals = []
        for agent in list(self._walks):
            walk = self._walks.pop(agent)
            last = walk.path[-1]
            self.world.move_agent(agent, last)
            if len(walk.path) > 1:
                self._facing[agent] = self._step_facing(walk.path, len(walk.path) - 2, agent)
            self._arrived[agent] = last
            arrivals.append(agent)
        self._carry = 0.0
        return tuple(arrivals)

    def _step_facing(self, path: tuple[Tile, ...], i: int, agent: str) -> str:
        (x0, y0), (x1, y1) = path[i], path[i + 1]
        return facing_of(x1 - x0, y1 - y0, self._facing.get(agent, ""))

    # ---------------------------------------------------------------- advancing
    def step(self, dt: float) -> tuple[str, ...]:
        """Advance ``dt`` real seconds: game time by ``dt * minutes_per_second`` minutes
        (fractions carried over) and every walking agent by ``dt * speed`` tiles.

        Per-frame cost: O(walking agents). Returns the agents that arrived in this step.
        """
        if dt < 0:
            raise ValueError(f"dt must be >= 0, got {dt}")
        self._carry += dt * self.minutes_per_second
        whole = math.floor(self._carry + 1e-9)
        if whole:
            self._carry = max(0.0, self._carry - whole)
            self.world.advance_clock(whole)
        if self._searches:
            budget = self.path_budget
            self._search(None if budget is None else budget * dt * self.minutes_per_second)
        return self._move(dt * self.speed)

    def step_minutes(self, minutes: int) -> tuple[str, ...]:
        """Advance whole game minutes in one jump (headless runs): agents cover
        ``minutes * speed / minutes_per_second`` tiles. Returns the agents that arrived."""
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes}")
        self.world.advance_clock(minutes)
        if self._searches:
            self._search(None)
        return self._move(minutes * self.tiles_per_game_minute)

    def _search(self, budget: float | None) -> None:
        """Work on the waiting path searches, oldest first, ``budget`` nodes in all (at
        least one; None: finish them all)."""
        left = None if budget is None else max(1, int(budget))
        for agent in list(self._searches):
            pending = self._searches[agent]
            search = pending.search
            if search is None:
                start = self.world.agent_tile(agent)
                if start is None:  # the agent left the world meanwhile
                    del self._searches[agent]
                    continue
                search = pending.search = self.world.path_search(start, pending.goal)
            if left is None:
                search.finish()
            else:
                left -= search.advance(left)
            if search.done:
                del self._searches[agent]
                if search.path is None:
                    self.world.release_stand_tile(agent)
                    self._failed[agent] = pending.target
                else:
                    self._start_walk(agent, search.path, pending.target)
            if left is not None and left <= 0:
                break

    def _move(self, distance: float) -> tuple[str, ...]:
        arrivals: list[str] = []
        obstacles = self.obstacles
        self._held.clear()
        for agent in list(self._walks):
            walk = self._walks[agent]
            last = len(walk.path) - 1
            goal = min(float(last), walk.progress + distance)
            if obstacles:
                goal = self._hold(agent, walk, goal, obstacles)
            if goal > walk.progress:
                i = min(int(goal - 1e-9), last - 1)
                self._facing[agent] = self._step_facing(walk.path, max(0, i), agent)
            walk.progress = goal
            if walk.progress >= last - 1e-9:
                self.world.move_agent(agent, walk.path[last])
                del self._walks[agent]
                self._arrived[agent] = walk.path[last]
                arrivals.append(agent)
            else:
                self.world.move_agent(agent, walk.path[int(walk.progress + 0.5)])
        return tuple(arrivals)

    def _hold(self, agent: str, walk: _Walk, goal: float, obstacles: frozenset[Tile]) -> float:
        """How far the walker may go towards ``goal`` without entering an obstacle: up to
        the tile before the first one in the way (never backwards)."""
        start = int(walk.progress)
        for j in range(start + 1, min(len(walk.path), math.ceil(goal) + 1)):
            if walk.path[j] in obstacles:
                self._held.add(agent)
                return max(walk.progress, min(goal, float(j - 1)))
        return goal

    # -------------------------------------------------------------------- state
    def get_state(self) -> dict[str, Any]:
        """Walks, arrivals and the fractional minute carry as plain data."""
        return {
            "carry": self._carry,
            "walks": {
                a: {"path": [list(t) for t in w.path], "progress": w.progress, "target": w.target}
                for a, w in self._walks.items()
            },
            "arrived": {a: list(t) for a, t in self._arrived.items()},
            "searching": {
                a: {"goal": list(p.goal), "target": p.target} for a, p in self._searches.items()
            },
        }

    def set_state(self, data: Mapping[str, Any]) -> None:
        """Restore what ``get_state`` returned."""
        self._carry = float(data.get("carry", 0.0))
        self._walks = {
            a: _Walk(
                path=tuple((int(t[0]), int(t[1])) for t in w["path"]),
                progress=float(w["progress"]),
                target=str(w.get("target", "")),
            )
            for a, w in data.get("walks", {}).items()
        }
        self._arrived = {a: (int(t[0]), int(t[1])) for a, t in data.get("arrived", {}).items()}
        self._searches = {
            a: _Search(goal=(int(p["goal"][0]), int(p["goal"][1])), target=str(p["target"]))
            for a, p in data.get("searching", {}).items()
        }
        self._failed = {}
