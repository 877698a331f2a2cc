"""Town: the brains, the world and its stepper, the conversations, driven by one loop.

The headless simulation calls ``step_minute()``; the pygame demo calls ``update(dt)`` once
per frame. Both tick the same brains and apply their intents to the same world stepper.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aga_npc.brain.intent import Intent, IntentKind, Nearby, Perception, Source
from aga_npc.brain.npc import NpcBrain
from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.ports import RequestGateway, RequestTicket
from aga_npc.town.checker import ActionRecord, ActionSource, AgentDay, ScheduleStart
from aga_npc.town.conversations import ConversationScheduler
from aga_npc.town.player import DEFAULT_PLAYER_NAME, PlayerChats
from aga_npc.types import LLMResult
from aga_npc.world.model import World
from aga_npc.world.sight import SightGrid
from aga_npc.world.stepper import WorldStepper

__all__ = ["Body", "Town", "in_use_state"]

DAY = 1440
SLEEP_CHECK_MINUTE = 3 * 60
SIGHT_EVERY = 1  # game minutes between looks around (Generative Agents: every step)
SIGHT_RADIUS = 8.0  # tiles (Generative Agents' agents: vision radius 8)
DAY_STARTS_AT = 4 * 60  # an agent-day runs 04:00 to 04:00, so a night belongs to its evening
TALK_SHARE = 0.5  # of the brain budget for conversation work in a frame
ANSWER_START = 0.25  # a brain with answers to handle is ticked only this early
LONG_TICK = 0.25  # a tick longer than this share of the brain budget ends the frame's slice


def agent_day(now: int) -> int:
    """The agent-day (1-based) that game minute ``now`` belongs to."""
    return (now - DAY_STARTS_AT) // DAY + 1


@dataclass(slots=True)
class _Doing:
    """The action a body is executing (closed into an ``ActionRecord`` when it changes)."""

    start: int
    verb: str
    target: str
    kind: str
    plan: str
    place: str
    source: ActionSource
    description: str


@dataclass(slots=True)
class Body:
    """What the town knows about one agent's body between ticks."""

    target: str = ""
    claimed: str = ""
    failed: str = ""
    state_on: str = ""
    intent: Intent | None = None
    retry_at: int = 0
    doing: _Doing | None = None
    item: tuple[int, str] | None = None


_SOURCES = {
    Source.POLICY: ActionSource.POLICY,
    Source.LLM: ActionSource.LLM,
    Source.FALLBACK: ActionSource.FALLBACK,
    Source.WAITING: ActionSource.WAITING,
    Source.TALK: ActionSource.TALK,
}


@dataclass(slots=True)
class _Timing:
    brain_ms: list[float] = field(default_factory=list)


class Town:
    """Owns the per-agent bodies and runs brains against the world.

    Args:
        world: the loaded map with agents added (one per brain).
        stepper: moves agents and keeps the clock.
        brains: one brain per agent, by name.
        gateway: carries requests; ``pump()`` is called once per step (inline gateways
            serve their queue there; threaded ones ignore it).
        conversations: the conversation manager (None: nobody talks).
    """

    def __init__(
        self,
        *,
        world: World,
        stepper: WorldStepper,
        brains: dict[str, NpcBrain],
        gateway: RequestGateway,
        conversations: ConversationScheduler | None = None,
        seed: int = 0,
    ) -> None:
        self.world = world
        self.stepper = stepper
        self.brains = brains
        self.gateway = gateway
        self.conversations = conversations
        self.rng = random.Random(seed)
        self.bodies: dict[str, Body] = {name: Body() for name in brains}
        self.records: dict[tuple[str, int], AgentDay] = {}
        self._names = sorted(brains)
        self.player = PlayerChats(self)
        self.player_name = DEFAULT_PLAYER_NAME
        self.player_tile: tuple[int, int] | None = None
        # each brain's last tick, least recently ticked first (ticks move a brain last)
        self._ticked_at: OrderedDict[str, int] = OrderedDict.fromkeys(self._names, self.now)
        self._last_minute = self.now - 1
        self._sight: tuple[int, SightGrid] | None = None
        self.timing = _Timing()

    # ------------------------------------------------------------------ time
    @property
    def now(self) -> int:
        """Absolute game minutes since day 1, 00:00."""
        return self.world.clock.total_minutes

    # ------------------------------------------------------------------ headless
    def step_minute(self) -> None:
        """One game minute: tick every brain, talk, apply intents, move, serve requests."""
        now = self.now
        for name in self._names:
            self._tick(name, now)
        if self.conversations is not None:
            self.conversations.step(now, self)
        self._record(now)
        self.stepper.step_minutes(1)
        self._lost_paths(now)
        self.gateway.pump()
        self.player.poll()

    def run_minutes(self, minutes: int, progress: Any = None) -> None:
        """Run ``minutes`` game minutes headless (``progress(done, total)`` each hour)."""
        for i in range(minutes):
            self.step_minute()
            if progress is not None and (i + 1) % 60 == 0:
                progress(i + 1, minutes)

    # ------------------------------------------------------------------ real-time
    def update(
        self,
        dt: float,
        *,
        brain_budget: int | None = None,
        brain_ms_budget: float | None = None,
        max_gap: int | None = None,
        overdue_ms_budget: float | None = None,
    ) -> float:
        """One frame: tick a slice of the brains, talk, move by ``dt`` real seconds.

        Brains are ticked least recently ticked first, a few times per second each,
        spread over frames (``brain_budget`` brains per frame; default: all within ~0.25 s
        of frames). With ``brain_ms_budget``, no further brain is ticked once the slice has
        taken that many milliseconds, or once a single tick took a quarter of it, and a
        brain with answers to handle is ticked only within the first quarter of the slice
        (the next frame goes on from there); the conversations' work of a game minute is then spread
        over frames too (a slice of it first in each frame, at least one item, within half
        the budget) instead of all landing in the frame that starts the minute. With
        ``max_gap``, the brains not ticked for that many game minutes are ticked first,
        oldest first, until ``overdue_ms_budget`` milliseconds are spent (None: all of
        them), at least one a frame: every overdue brain is ticked within as many frames
        as there are brains, however slow the frames or fast the clock.

        Time budget: the conversations' share plus ``overdue_ms_budget`` plus
        ``brain_ms_budget`` (each may run over by one tick), plus O(walking agents).
        Returns the milliseconds spent in brains this frame.
        """
        now = self.now
        count = len(self._names)
        per_frame = brain_budget if brain_budget is not None else max(1, math.ceil(count / 15))
        started = time.perf_counter()
        if self.conversations is not None and brain_ms_budget is not None:
            self.conversations.step(
                now, self, limit=max(1, per_frame), ms=brain_ms_budget * TALK_SHARE
            )
        if max_gap is not None:
            per_frame -= self._tick_overdue(now, max_gap, overdue_ms_budget)
        slice_started = time.perf_counter()
        for _ in range(min(per_frame, count)):
            before = time.perf_counter()
            if brain_ms_budget is not None and (before - started) * 1000.0 >= brain_ms_budget:
                break
            name = next(iter(self._ticked_at))
            if (
                brain_ms_budget is not None
                and (before - slice_started) * 1000.0 >= brain_ms_budget * ANSWER_START
                and self.brains[name].has_answers()
            ):
                break  # handling an answer is a long tick: it starts the next frame's slice
            self._tick(name, now)
            if (
                brain_ms_budget is not None
                and (time.perf_counter() - before) * 1000.0 >= brain_ms_budget * LONG_TICK
            ):
                break  # one long tick (a result handled, a path found) is this frame's share
        if self.conversations is not None and brain_ms_budget is None and now != self._last_minute:
            self.conversations.step(now, self)
        self.player.poll()
        brain_ms = (time.perf_counter() - started) * 1000.0
        if now != self._last_minute:
            self._record(now)
            self._last_minute = now
        self.stepper.step(dt)
        self._lost_paths(now)
        return brain_ms

    def tick_order(self) -> list[str]:
        """The brains in the order the next frames tick them: least recently ticked first."""
        return list(self._ticked_at)

    def last_ticked(self, name: str) -> int:
        """The game minute of ``name``'s last tick (or of the start / the last load)."""
        return self._ticked_at[name]

    def restart_ticks(self) -> None:
        """The clock jumped (a save was loaded): every brain counts as ticked now."""
        now = self.now
        for name in self._ticked_at:
            self._ticked_at[name] = now

    def _tick_overdue(self, now: int, max_gap: int, ms_budget: float | None) -> int:
        """Tick the brains not ticked for ``max_gap`` game minutes, oldest first, until
        ``ms_budget`` milliseconds are spent (at least one; None: all); returns how many.

        Every tick moves its brain to the back of the line, so the front is always the
        brain waiting longest: an overdue brain is ticked within as many frames as there
        are brains ahead of it, and the work of one frame never grows with how far the
        clock jumped."""
        order = self._ticked_at
        count = len(order)
        started = time.perf_counter()
        ticked = 0
        while ticked < count:
            name = next(iter(order))
            if now - order[name] < max_gap:
                break
            if (
                ticked
                and ms_budget is not None
                and (time.perf_counter() - started) * 1000.0 >= ms_budget
            ):
                break
            self._tick(name, now)
            ticked += 1
        return ticked

    # ------------------------------------------------------------------ the world
    def set_player(self, *, name: str | None = None, tile: tuple[int, int] | None = None) -> None:
        """The player's name (what NPCs call them in replies and remember them by) and the
        tile they stand on (walkers wait before it; None: off the map). A None name keeps
        the current one.

        Raises:
            ValueError: an empty name, or a tile outside the map.
        """
        if name is not None:
            clean = " ".join(str(name).split())
            if not clean:
                raise ValueError("the player's name must not be empty")
            self.player_name = clean
        if tile is not None:
            t = (int(tile[0]), int(tile[1]))
            if not self.world.grid.in_bounds(t):
                raise ValueError(
                    f"player tile {t} is outside the map "
                    f"({self.world.width}x{self.world.height} tiles)"
                )
            self.player_tile = t
            self.stepper.obstacles = frozenset((t,))

    def clear_player_tile(self) -> None:
        """The player left the map (walkers no longer wait for them)."""
        self.player_tile = None
        self.stepper.obstacles = frozenset()

    def set_blocked(self, tiles: Iterable[tuple[int, int]], blocked: bool = True) -> int:
        """Block (or free) tiles at runtime; returns how many changed.

        After blocking, walks whose remaining path crosses a blocked tile are searched
        again (an NPC with no way left stops and its brain hears the action failed), and
        an NPC standing on a blocked tile steps to the nearest free walkable tile and gives
        up the object it was using there (its brain sends it back, to another stand tile).
        Freeing tiles changes paths searched from then on; walks under way keep theirs.
        """
        changed = self.world.set_blocked(tiles, blocked)
        if changed and blocked:
            for name in self.stepper.reroute():
                self._push_off(name)
            self._lost_paths(self.now)
        return changed

    def _push_off(self, name: str) -> None:
        """Move ``name`` off a tile that became blocked."""
        tile = self.world.agent_tile(name)
        if tile is None:
            return
        body = self.bodies.get(name)
        if body is not None and body.target:
            self._release(name, body)
        self.stepper.stop(name)
        free = self.world.nearest_walkable(tile)
        if free is not None:
            self.world.move_agent(name, free)

    def jump_to(self, minute: int) -> None:
        """Move the clock forward to absolute game minute ``minute`` at once (the player
        slept): conversations under way end now, walks under way arrive, running action
        records close now; then every brain counts as ticked at the new time, and its next
        tick picks the schedule item of the new time (re-planning a new day as at any
        wake-up) and walks there. Nothing of the skipped minutes is replayed.

        Raises:
            ValueError: ``minute`` is earlier than now (the clock never goes back).
        """
        now = self.now
        if minute < now:
            day, mod = divmod(minute, DAY)
            raise ValueError(
                f"the game clock cannot go back: it is {self.world.clock}, asked for day "
                f"{day + 1} {mod // 60:02d}:{mod % 60:02d}"
            )
        if minute == now:
            return
        if self.conversations is not None:
            for name in list(self.conversations.active):
                if name in self.conversations.active:
                    self.conversations.interrupt(name, self)
        self.stepper.finish_walks()
        for name in self._names:
            self._close_action(name, self.bodies[name], now)
        self.world.set_clock(self.world.clock.advance(minute - now))
        self.restart_ticks()
        self._last_minute = minute - 1
        self._sight = None

    # ------------------------------------------------------------------ the player
    def begin_talk(self, npc: str) -> None:
        """The player opened a dialogue with ``npc``: it stops and faces the player until
        ``end_talk`` (``say`` does this too)."""
        self.player.open(npc)

    def say(self, npc: str, text: str) -> RequestTicket[LLMResult]:
        """The player speaks to ``npc``; the returned ticket streams the reply
        (``partial_text()``). The NPC stops and faces the player until ``end_talk``."""
        return self.player.say(npc, text)

    def end_talk(self, npc: str) -> None:
        """The player closed the dialogue with ``npc``."""
        self.player.close(npc)

    def snapshots(self) -> dict[str, BrainSnapshot]:
        """Every brain's snapshot, for debug views."""
        return {name: self.brains[name].snapshot() for name in self._names}

    # ------------------------------------------------------------------ per agent
    def _tick(self, name: str, now: int) -> None:
        self._ticked_at[name] = now
        self._ticked_at.move_to_end(name)
        body = self.bodies[name]
        brain = self.brains[name]
        arrived = self.stepper.arrived(name)
        place = self.world.agent_place(name)
        perception = Perception(
            world=self.world,
            place=place,
            arrived=arrived,
            failed=body.failed,
            nearby=self._seen(name, place, now),
        )
        body.failed = ""
        intent = brain.tick(now, perception)
        self._apply(name, body, intent, now)
        self._note_item(name, body, brain, now)

    def sight(self) -> SightGrid:
        """Where everyone stood at the start of this game minute, bucketed for sight
        questions (built once per game minute, O(agents))."""
        now = self.now
        if self._sight is None or self._sight[0] != now:
            self._sight = (now, self._grid(SIGHT_RADIUS))
        return self._sight[1]

    def in_sight(self, name: str) -> list[tuple[str, float]]:
        """The agents ``name`` can see: in its own arena and within the vision radius,
        nearest first, as they stood at the start of this game minute."""
        return self.sight().near(name, same_place=True)

    def _grid(self, radius: float) -> SightGrid:
        world = self.world
        agents = []
        for name in self._names:
            tile = world.agent_tile(name)
            if tile is not None:
                agents.append((name, tile, world.agent_place(name)))
        return SightGrid(radius, agents)

    def _seen(self, name: str, place: tuple[str, str] | None, now: int) -> tuple[Nearby, ...]:
        """Who ``name`` sees (same room, within the vision radius), every few minutes.

        Through the sight grid: only the agents of the nine cells around ``name`` are
        looked at, never the whole town."""
        if place is None or now % SIGHT_EVERY != 0:
            return ()
        seen = []
        for other, distance in self.in_sight(name):
            brain = self.brains[other]
            intent = brain.intent
            doing = _seen_doing(intent)
            if not doing:
                continue
            _, state = brain.current_action()
            seen.append(
                Nearby(
                    name=other,
                    distance=distance,
                    doing=doing,
                    busy=not brain.available_for_chat(),
                    target=intent.target if intent.kind is IntentKind.USE else "",
                    object_state=state,
                )
            )
        player = self._player_seen(name, place)
        if player is not None:
            seen.append(player)
        return tuple(seen)

    def _player_seen(self, name: str, place: tuple[str, str] | None) -> Nearby | None:
        """The player, when ``name`` sees them: in the same arena and within the vision
        radius of the tile ``set_player`` gave (remembered once by name, "Sam (the player)
        is walking about at ..."; the player is never asked to chat)."""
        tile = self.player_tile
        here = self.world.agent_tile(name)
        if tile is None or here is None or self.world.place_of_tile(tile) != place:
            return None
        distance = math.hypot(tile[0] - here[0], tile[1] - here[1])
        if distance > SIGHT_RADIUS:
            return None
        who = self.player.name
        return Nearby(
            name=f"{who} (the player)" if who else "the player",
            distance=distance,
            doing="walking about",
            player=True,
        )

    def _note_item(self, name: str, body: Body, brain: NpcBrain, now: int) -> None:
        """Record the schedule item the agent is on, once when it starts."""
        res, _ = brain.current_action()
        if res is None:
            return
        item = (res.start, res.text)
        if body.item != item:
            body.item = item
            self._day_record(name, now).schedule.append(
                ScheduleStart(minute=now, text=res.text, place=res.place)
            )

    def _record_action(self, name: str, body: Body, intent: Intent, now: int) -> None:
        """Close the running action record and open one for ``intent`` when it changed."""
        doing = body.doing
        key = (intent.verb or intent.kind.value, intent.target, intent.description)
        if doing is not None and (doing.verb, doing.target, doing.description) == key:
            return
        self._close_action(name, body, now)
        res, _ = self.brains[name].current_action()
        info = self.world.object_at(intent.target) if intent.target else None
        body.doing = _Doing(
            start=now,
            verb=key[0],
            target=intent.target if intent.kind is IntentKind.USE else "",
            kind=info.kind if info is not None else "",
            plan=intent.activity or (res.text if res is not None else ""),
            place=res.place if res is not None else "",
            source=_SOURCES.get(intent.source, ActionSource.FALLBACK),
            description=intent.description,
        )

    def _close_action(self, name: str, body: Body, now: int) -> None:
        doing = body.doing
        if doing is None:
            return
        body.doing = None
        self._day_record(name, doing.start).executed.append(
            ActionRecord(
                start=doing.start,
                minutes=max(0, now - doing.start),
                verb=doing.verb,
                target=doing.target,
                kind=doing.kind,
                plan=doing.plan,
                place=doing.place,
                source=doing.source,
            )
        )

    def _apply(self, name: str, body: Body, intent: Intent, now: int) -> None:
        body.intent = intent
        self._record_action(name, body, intent, now)
        if intent.kind is IntentKind.USE and intent.target:
            if intent.target != body.target:
                self._release(name, body)
                body.target = intent.target
                if not self.stepper.send_to(name, intent.target):
                    self._day_record(name, now).failed_actions += 1
                    body.failed = intent.target
                    body.target = ""
                return
            if (
                self.stepper.arrived(name)
                and body.claimed != intent.target
                and now >= body.retry_at
            ):
                if self.world.claim(name, intent.target):
                    body.claimed = intent.target
                    self._switch_on(name, body, intent)
                else:
                    body.retry_at = now + 5  # full: wait nearby and try again
            return
        if intent.kind in (IntentKind.STAY, IntentKind.TALK) and body.target:
            self._release(name, body)
            self.stepper.stop(name)

    def _lost_paths(self, now: int) -> None:
        """Walks whose path search came back empty (the walls changed meanwhile) fail like
        an unreachable target: the brain hears of it at its next tick."""
        for name, target in self.stepper.take_failures().items():
            body = self.bodies[name]
            if target and body.target == target:
                self._day_record(name, now).failed_actions += 1
                body.failed = target
                body.target = ""

    def _switch_on(self, name: str, body: Body, intent: Intent) -> None:
        """Put the object just claimed into its in-use state (:func:`in_use_state`); the
        first of its states is the resting one, which :meth:`_release` puts back."""
        info = self.world.object_at(intent.target)
        if info is None or len(info.states) < 2:
            return
        _, named = self.brains[name].current_action()
        state = in_use_state(info.states, verb=intent.verb, named=named)
        if info.state != state:
            self.world.set_state(intent.target, state)
        body.state_on = intent.target

    def _release(self, name: str, body: Body) -> None:
        if body.state_on:
            info = self.world.object_at(body.state_on)
            if info is not None and len(info.occupants) <= 1 and info.states:
                self.world.set_state(body.state_on, info.states[0])
            body.state_on = ""
        if body.claimed:
            self.world.release(name, body.claimed)
            body.claimed = ""
        self.world.release_stand_tile(name)
        body.target = ""

    # ------------------------------------------------------------------ records
    def _day_record(self, name: str, now: int) -> AgentDay:
        day = agent_day(now)
        record = self.records.get((name, day))
        if record is None:
            profile = self.brains[name].profile
            record = AgentDay(
                agent=name,
                day=day,
                work_day=profile.is_work_day(day),
                home=profile.home,
                workplace=profile.workplace,
            )
            self.records[(name, day)] = record
        return record

    def _record(self, now: int) -> None:
        mod = now % DAY
        for name in self._names:
            brain = self.brains[name]
            record = self._day_record(name, now)
            place = self.world.agent_place(name)
            if place is not None and place[0] == brain.profile.workplace:
                record.work_minutes += 1
            if mod == SLEEP_CHECK_MINUTE:
                own_bed = self.world.agent_bed(name) or brain.profile.bed
                record.slept_in_own_bed = bool(own_bed) and self.bodies[name].claimed == own_bed

    def agent_days(self, days: int | None = None) -> list[AgentDay]:
        """Records of agent-days 1..``days`` (all when None), with the running actions
        closed at the current minute (copies: the town's own records stay open)."""
        now = self.now
        out: list[AgentDay] = []
        for (name, day), record in sorted(
            self.records.items(), key=lambda kv: (kv[0][1], kv[0][0])
        ):
            if day < 1 or (days is not None and day > days):
                continue
            executed = list(record.executed)
            doing = self.bodies[name].doing
            if doing is not None and agent_day(doing.start) == day:
                executed.append(
                    ActionRecord(
                        start=doing.start,
                        minutes=max(0, now - doing.start),
                        verb=doing.verb,
                        target=doing.target,
                        kind=doing.kind,
                        plan=doing.plan,
                        place=doing.place,
                        source=doing.source,
                    )
                )
            out.append(
                dataclasses.replace(record, executed=executed, schedule=list(record.schedule))
            )
        return out

    def records_state(self) -> list[dict[str, Any]]:
        """The day records as plain data (for save games and checkpoints)."""
        return [
            r.to_dict()
            for _, r in sorted(self.records.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]

    def load_records(self, data: Iterable[Mapping[str, Any] | AgentDay]) -> None:
        """Restore what ``records_state`` returned (rows, or records a worker decoded)."""
        self.records = {}
        for row in data:
            record = row if isinstance(row, AgentDay) else AgentDay.from_dict(row)
            self.records[(record.agent, record.day)] = record
        for body in self.bodies.values():
            body.doing = None
            body.item = None

    def names(self) -> Sequence[str]:
        return self._names

    def nearby(self, name: str, radius: float) -> Iterable[tuple[str, float]]:
        """Agents within ``radius`` tiles of ``name``, nearest first."""
        tile = self.world.agent_tile(name)
        if tile is None:
            return []
        found = []
        for other in self._names:
            if other == name:
                continue
            t = self.world.agent_tile(other)
            if t is None:
                continue
            d = math.hypot(t[0] - tile[0], t[1] - tile[1])
            if d <= radius:
                found.append((other, d))
        found.sort(key=lambda x: (x[1], x[0]))
        return found

    def neighbourhoods(self, radius: float) -> dict[str, list[tuple[str, float]]]:
        """``nearby(name, radius)`` for every agent on the map at once.

        Through a ``SightGrid``: each agent is compared only with the agents in its own
        and the eight surrounding cells, about O(n) for a spread-out town instead of the
        O(n^2) of asking ``nearby`` for everyone.
        """
        grid = self._grid(radius)
        return {name: grid.near(name) for name in grid}


def _seen_doing(intent: Intent) -> str:
    """What an onlooker sees someone doing. Standing about while one's next step is worked
    out (or with nothing to do) is seen as idle, as Generative Agents words it: such events
    are rated 1 without a poignancy call in every mode, and they are not behaviour."""
    if intent.kind is IntentKind.STAY and intent.source in (Source.WAITING, Source.FALLBACK):
        return "idle"
    return intent.description or intent.activity


def in_use_state(states: Sequence[str], *, verb: str, named: str = "") -> str:
    """The state an object with ``states`` (the resting one first, at least two) takes
    while it is used for ``verb``: the state the action names (the chain's object state)
    when the object has it, else one that says the verb ("being planted" for "plant"),
    else "on", else the second."""
    busy = states[1:]
    if named in busy:
        return named
    if verb:
        said = re.compile(rf"\b{re.escape(verb.split()[0].lower())}")
        for state in busy:
            if said.search(state.lower()):
                return state
    return "on" if "on" in busy else busy[0]
