"""Grounding: binding what the LLM (or a stored routine) says to real objects of the world.

Pure functions over a ``WorldView``: the options a per-action prompt offers, checking each
answer against them (a wrong answer falls back to the best option, as Generative Agents'
fail-safes do, and is counted), binding a stored routine's actions for one agent here and
now, and the actions an NPC falls back to when no answer can be had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aga_npc.brain.answers import ChainStep
from aga_npc.brain.profile import AgentProfile
from aga_npc.places import Address
from aga_npc.ports import WorldView
from aga_npc.types import Action, ObjectInfo

__all__ = [
    "Grounded",
    "arena_options",
    "bind",
    "fallback_actions",
    "ground_chain_steps",
    "object_options",
    "pick_arena",
    "pick_object",
    "pick_sector",
]

_WORD = re.compile(r"[a-z]+")
_SLEEP = re.compile(r"\b(?:sleep(?:s|ing)?|asleep|naps?|napping|bedtime|go(?:es|ing)? to bed)\b")
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "at",
        "in",
        "on",
        "of",
        "to",
        "and",
        "with",
        "for",
        "from",
        "her",
        "his",
        "their",
        "my",
        "your",
        "some",
    }
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _usable(obj: ObjectInfo, profile: AgentProfile) -> bool:
    """Other people's beds are not an option: an NPC sleeps in its own bed."""
    return not (obj.kind == "bed" and profile.bed and obj.address != profile.bed)


def arena_options(world: WorldView, sector: str, profile: AgentProfile) -> list[str]:
    """The rooms of a sector (bedrooms holding only other people's beds left out)."""
    rooms: dict[str, bool] = {}
    for obj in world.objects(sector=sector):
        rooms[obj.arena] = rooms.get(obj.arena, False) or _usable(obj, profile)
    return [room for room, usable in rooms.items() if usable]


def object_options(
    world: WorldView, sector: str, arena: str, profile: AgentProfile
) -> list[ObjectInfo]:
    """The objects of a room the agent may use."""
    return [o for o in world.objects(sector=sector, arena=arena) if _usable(o, profile)]


def _score(text: str, obj: ObjectInfo) -> int:
    words = _words(text)
    score = 0
    names = _words(f"{obj.kind} {obj.name}")
    score += 3 * len(words & names)
    for verb in obj.affordances:
        if _words(verb) & words:
            score += 2
    return score


def pick_sector(answer: str, options: Iterable[str], planned: str) -> tuple[str, bool]:
    """The chosen sector and whether the answer was valid (else the planned place)."""
    names = list(options)
    if answer in names:
        return answer, True
    folded = {n.casefold(): n for n in names}
    if answer.strip().casefold() in folded:
        return folded[answer.strip().casefold()], True
    return planned, False


def pick_arena(
    answer: str, world: WorldView, sector: str, subtask: str, profile: AgentProfile
) -> tuple[str, bool]:
    """The chosen room and whether the answer was valid (else the room whose objects fit
    the subtask best; "" when the sector has no rooms)."""
    rooms = arena_options(world, sector, profile)
    folded = {r.casefold(): r for r in rooms}
    if answer.strip().casefold() in folded:
        return folded[answer.strip().casefold()], True
    best, best_score = "", -1
    for room in rooms:
        score = max(
            (_score(subtask, o) for o in object_options(world, sector, room, profile)), default=0
        )
        if score > best_score:
            best, best_score = room, score
    return best, False


def pick_object(
    answer: str,
    verb: str,
    world: WorldView,
    sector: str,
    arena: str,
    subtask: str,
    profile: AgentProfile,
) -> tuple[ObjectInfo | None, str, bool]:
    """The chosen object, the verb used with it, and whether the answer was valid (a
    listed object with one of its verbs). A wrong object falls back to the room's object
    that fits the subtask best; a verb it does not afford to its first verb."""
    objects = object_options(world, sector, arena, profile)
    if not objects:
        return None, "", False
    by_name = {o.name.casefold(): o for o in objects}
    by_address = {o.address.casefold(): o for o in objects}
    key = answer.strip().casefold()
    obj = by_name.get(key) or by_address.get(key)
    valid = obj is not None
    if obj is None:
        obj = max(objects, key=lambda o: (_score(subtask, o), -objects.index(o)))
    chosen = verb.strip().lower()
    if chosen not in obj.affordances:
        valid = False
        fitting = [v for v in obj.affordances if _words(v) & _words(subtask)]
        chosen = fitting[0] if fitting else obj.affordances[0] if obj.affordances else "use"
    return obj, chosen, valid


@dataclass(frozen=True, slots=True, kw_only=True)
class Grounded:
    """The merged chain's steps checked against the world: usable actions, rejections."""

    actions: tuple[Action, ...]
    rejected: tuple[str, ...]


def ground_chain_steps(
    steps: Sequence[ChainStep], *, world: WorldView, agent: str, subject: str
) -> Grounded:
    """Turn ``action_chain`` steps into actions; a step whose object is missing,
    unreachable or does not afford the verb is rejected (a "forbidden" line for the
    re-ask). Event triples are read off the step (subject, verb, object)."""
    actions: list[Action] = []
    rejected: list[str] = []
    for step in steps:
        target = step.target
        info = None
        if target:
            info = world.object_at(target)
            if info is None:
                rejected.append(f"{step.verb} on {target}: no such object")
                continue
            if step.verb not in info.affordances:
                rejected.append(
                    f"{step.verb} on {target}: a {info.kind} affords only "
                    f"{', '.join(info.affordances)}"
                )
                continue
            if not world.is_reachable(agent, target):
                rejected.append(f"{step.verb} on {target}: not reachable")
                continue
        name = info.name if info is not None else ""
        actions.append(
            Action(
                verb=step.verb,
                target=target,
                duration=step.minutes,
                description=step.description,
                emoji=step.emoji,
                event=(subject, step.verb, name or step.description),
                object_state=step.object_state if info is not None else "",
                object_event=(name, "is", step.object_state)
                if info is not None and step.object_state
                else (),
            )
        )
    return Grounded(actions=tuple(actions), rejected=tuple(rejected))


def bind(action: Action, world: WorldView, profile: AgentProfile, place: str) -> Action | None:
    """A stored routine's action for this agent, here and now, in the planned ``place``
    (a real sector); None when it cannot be done there.

    Place symbols resolve to the agent's own home/workplace; a bed means the agent's own
    bed; an object that is taken, or that does not exist under that name in this agent's
    room (another home names its sinks differently), is replaced by a free object of the
    same room that affords the verb (of the same kind when known).
    """
    if not action.target:
        return action
    stored = Address.parse(action.target)
    try:
        real = stored.resolve(home=profile.home, work=profile.workplace)
    except ValueError:
        return None
    if real.sector != place:
        return None
    address = str(real)
    info = world.object_at(address)
    if profile.bed and (
        (info is not None and info.kind == "bed") or (info is None and action.verb == "sleep")
    ):
        if Address.parse(profile.bed).sector != place:
            return None
        address = profile.bed  # beds are personal: a routine means one's own bed
        info = world.object_at(address)
    if info is not None and (info.free_capacity > 0 or profile.name in info.occupants):
        return action.with_(target=address)
    kind = info.kind if info is not None else _kind_of(world, action)
    # the same room first; in one's own home or workplace any room of the place (homes
    # name their rooms differently)
    rooms = [real.arena] + ([None] if stored.is_symbolic else [])
    for room in rooms:
        candidates = [
            o
            for o in world.objects(sector=real.sector, arena=room)
            if action.verb in o.affordances and (not kind or o.kind == kind) and _usable(o, profile)
        ]
        free = [o for o in candidates if o.free_capacity > 0]
        if free:
            return action.with_(target=free[0].address)
        if candidates:
            return action.with_(target=candidates[0].address)
    if info is not None:
        return action.with_(target=address)
    return None


def _kind_of(world: WorldView, action: Action) -> str:
    """The kind the stored routine's object had, read off its name ("stove", "desk 2")."""
    name = Address.parse(action.target).obj.lower()
    for obj in world.objects():
        if obj.name.lower() == name:
            return obj.kind
    return ""


def fallback_actions(
    text: str, place: str, duration: int, world: WorldView, profile: AgentProfile
) -> tuple[Action, ...]:
    """Actions without an LLM when none can be had: sleep in the own bed (when it is at the
    planned place), work at the workplace, else sit somewhere at the planned place (or
    just think there)."""
    lowered = text.lower()
    if profile.bed and _SLEEP.search(lowered) and Address.parse(profile.bed).sector == place:
        return (
            Action(verb="sleep", target=profile.bed, duration=duration, description="sleeping"),
        )
    wanted: tuple[str, ...] = ("work", "serve", "study", "sit", "rest", "read")
    if place != profile.workplace:
        wanted = ("sit", "rest", "read", "eat", "work")
    for verb in wanted:
        for obj in world.objects(sector=place):
            if (
                verb in obj.affordances
                and obj.kind != "bed"
                and obj.free_capacity > 0
                and world.is_reachable(profile.name, obj.address)
            ):
                return (Action(verb=verb, target=obj.address, duration=duration, description=text),)
    return (Action(verb="think", duration=duration, description=text),)
