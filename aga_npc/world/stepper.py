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
        for agent in list(self._walks):
            walk = self._walks[agent]
            last = len(walk.path) - 1
            walk.progress = min(float(last), walk.progress + distance)
            if walk.progress >= last - 1e-9:
                self.world.move_agent(agent, walk.path[last])
                del self._walks[agent]
                self._arrived[agent] = walk.path[last]
                arrivals.append(agent)
            else:
                self.world.move_agent(agent, walk.path[int(walk.progress + 0.5)])
        return tuple(arrivals)

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
