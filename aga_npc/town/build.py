"""Assemble a Town: map, residents, brains, conversations, from a ``TownSpec``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import NpcBrain
from aga_npc.brain.profile import WEEKDAYS, AgentProfile
from aga_npc.brain.services import BrainServices, PolicyPort
from aga_npc.brain.settings import LoopSettings
from aga_npc.data import town_map_path
from aga_npc.maps.districts import known_sectors
from aga_npc.memory.events import EventKind
from aga_npc.personas.loader import check_on_map
from aga_npc.personas.model import Persona
from aga_npc.ports import Embedder, RequestGateway
from aga_npc.town.conversations import ConversationScheduler
from aga_npc.town.town import Town
from aga_npc.world.clock import GameClock
from aga_npc.world.kinds import KindRegistry, KindsSource, things_on_map
from aga_npc.world.model import World
from aga_npc.world.stepper import WorldStepper

__all__ = ["TownSpec", "build_town", "default_map_path", "profile_from_persona"]

_SHORT_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def default_map_path() -> Path:
    """The bundled demo town (``aga_npc/data/maps/town.tmx``, package data)."""
    return town_map_path()


@dataclass(frozen=True, slots=True, kw_only=True)
class TownSpec:
    """What to build.

    Attributes:
        personas: the residents.
        mode: which AGA features are on.
        seed: seeds brains, conversations and the offline LLM.
        map_path: the TMX map (default: the demo town).
        lod: NPC-NPC conversations turn by turn ("turns") or as one call ("whole").
        mind_wandering: sample rare memories into daily planning.
        start: the game time the town starts at ("06:00" of day 1 by default).
        speed: walking speed in tiles per real second.
        minutes_per_second: game minutes per real second (the demo's clock rate).
        per_tick_limit: finished requests handled and observations taken per brain tick
            (None: all; a real-time frame loop uses 1, see ``NpcBrain``).
        start_tiles: start tiles by resident name, for residents without a bed of their
            own (more NPCs than the map has beds); the others start at their bed's spawn.
        path_budget: A* nodes the world stepper searches per game minute of real-time
            steps (None: every path at once; see ``WorldStepper``).
        loop: the cognitive loop's settings (None: ``LoopSettings.for_mode(mode)``).
        kinds: the object kinds of the game when the map is loaded here: a
            ``KindRegistry``, a kinds TOML file (added to the household kinds) or None
            (the household kinds). A world given to ``build_town`` keeps its own.
    """

    personas: Sequence[Persona]
    mode: Mode = Mode.AGA
    seed: int = 0
    map_path: Path | None = None
    lod: str = "turns"
    mind_wandering: bool = True
    start: str = "06:00"
    speed: float = 4.0
    minutes_per_second: float = 1.0
    start_tiles: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    per_tick_limit: int | None = None
    path_budget: int | None = None
    loop: LoopSettings | None = None
    kinds: KindsSource = None


def profile_from_persona(persona: Persona, *, bed: str) -> AgentProfile:
    """The brain's view of a persona (work days as full weekday names)."""
    days = tuple(WEEKDAYS[_SHORT_DAYS.index(d)] for d in persona.work_days if d in _SHORT_DAYS)
    prompt: dict[str, Any] = {
        "age": persona.age,
        "traits": list(persona.traits),
        "backstory": persona.backstory,
        "currently": persona.currently,
        "lifestyle": persona.lifestyle,
        "home": persona.home,
        "workplace": persona.workplace,
        "role": persona.role,
        "work_days": list(persona.work_days),
        "wake_time": persona.wake_time,
        "sleep_time": persona.sleep_time,
        "daily_requirements": list(persona.daily_requirements),
    }
    return AgentProfile(
        name=persona.name,
        home=persona.home,
        bed=bed,
        workplace=persona.workplace,
        role=persona.role,
        wake=persona.wake_minute,
        sleep=persona.sleep_minute,
        work_days=days,
        prompt={k: v for k, v in prompt.items() if v not in (None, "", [])},
    )


def build_town(
    spec: TownSpec,
    *,
    gateway: RequestGateway,
    embedder: Embedder,
    cached_vector: Any,
    policy: PolicyPort | None,
    world: World | None = None,
) -> Town:
    """Load the map, place the residents, give each a brain.

    Raises:
        MapError: the map cannot be read or has no sectors, or the kinds file is bad.
        PersonaError: a resident's home, workplace or bed is not on the map (naming the
            persona's file, the field and the map).
    """
    if world is None:
        world = World.load(
            spec.map_path or default_map_path(),
            clock=GameClock.at(spec.start),
            kinds=KindRegistry.resolve(spec.kinds),
        )
    check_on_map(spec.personas, world, start_tiles=spec.start_tiles)
    places = list(world.sector_names())
    things = things_on_map(world.kinds, ((o.kind, o.sector) for o in world.objects()))
    loop = spec.loop or LoopSettings.for_mode(spec.mode)
    brains: dict[str, NpcBrain] = {}
    services = BrainServices(
        requests=gateway,
        embedder=embedder,
        cached_vector=cached_vector,
        policy=policy if spec.mode.uses_policy else None,
    )
    for persona in spec.personas:
        world.add_agent(
            persona.name,
            spec.start_tiles.get(persona.name),
            home=persona.home,
            workplace=persona.workplace or None,
            bed=persona.bed or None,
        )
        profile = profile_from_persona(persona, bed=world.agent_bed(persona.name) or "")
        known = known_sectors(places, home=persona.home, workplace=persona.workplace)
        mind = Mind(
            profile=profile,
            settings=loop,
            places=known,
            things=_things_at(things, known),
            mind_wandering=spec.mind_wandering,
        )
        _seed_memories(mind, persona, world.clock.total_minutes)
        brains[persona.name] = NpcBrain(
            profile=profile,
            mode=spec.mode,
            services=services,
            seed=spec.seed,
            mind=mind,
            per_tick_limit=spec.per_tick_limit,
            settings=loop,
        )
    stepper = WorldStepper(
        world,
        speed=spec.speed,
        minutes_per_second=spec.minutes_per_second,
        path_budget=spec.path_budget,
    )
    conversations = ConversationScheduler(mode=spec.mode, settings=loop, lod=spec.lod)
    return Town(
        world=world,
        stepper=stepper,
        brains=brains,
        gateway=gateway,
        conversations=conversations,
        seed=spec.seed,
    )


def _things_at(things: Sequence[Mapping[str, Any]], known: Sequence[str]) -> list[dict[str, Any]]:
    """The town's things a resident knows of: kinds with a place among its ``known`` ones."""
    out = []
    for thing in things:
        where = [p for p in thing["places"] if p in known]
        if where:
            out.append({**thing, "places": where})
    return out


def _seed_memories(mind: Mind, persona: Persona, now: int) -> None:
    """Seeded relationships go into Social Memory, seeded events into the memory stream."""
    for other, rel in sorted(persona.relationships.items()):
        mind.social.apply_update(
            other,
            now=now,
            relationship=rel.relationship,
            feeling=rel.feeling or None,
            closeness=float(rel.closeness),
            talked=False,
        )
        mind.remember(
            now,
            EventKind.THOUGHT,
            f"{persona.name}'s {rel.relationship} is {other}",
            people=(other,),
            importance=5,
        )
    for event in persona.events:
        mind.remember(now, EventKind.THOUGHT, event, importance=6)
