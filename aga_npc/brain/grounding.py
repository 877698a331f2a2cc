"""Grounding: binding what the LLM (or a stored routine) says to real objects of the world.

Pure functions over a ``WorldView``: the options a per-action prompt offers, checking each
answer against them (a wrong answer falls back to the best option, as Generative Agents'
fail-safes do, and is counted), binding a stored routine's actions for one agent here and
now, and the actions an NPC falls back to when no answer can be had.
"""

from __future__ import annotations

import functools
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
    "repair_target",
]

_WORD = re.compile(r"[a-z]+")
_SLEEP = re.compile(
    r"\b(?:sleep(?:s|ing)?|slept|asleep|naps?|napp(?:ing|ed)|doz(?:e|es|ed|ing)|"
    r"snooz(?:e|es|ed|ing)|siesta|bedtime|go(?:es|ing)? to bed|turn(?:s|ing)? in)\b"
)
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
_MOVING = re.compile(
    r"^(?:[A-Z][a-z]+\s+)?"
    r"(?:(?i:takes?|taking|goes|go|going|heads?|heading)\s+(?i:out\s+)?"
    r"(?:(?i:a|for a|on a)\s+)?"
    r"(?:(?i:slow|short|long|quick|brisk|gentle|leisurely|little|nice|morning|evening)\s+)?)?"
    r"(?i:(walk|stroll|wander|amble|saunter|jog|hike))(?i:s|es|ed|ing)?\b"
)
SLEEP_VERBS = frozenset({"sleep", "nap"})
"""Verbs that put an agent to sleep: never a fall-back unless the text is about sleeping."""

NEUTRAL_VERBS = ("sit", "rest", "browse")
"""What one does at an object while doing something else (a seat, a shelf to look at): the
fall-back verb when neither the answer nor the subtask names one the object affords. At
one's workplace ``work`` comes next; elsewhere the verbs of a visitor."""

_VISITOR_VERBS = ("read", "order", "chat", "work")

_IRREGULAR = {
    "ate": "eat",
    "eaten": "eat",
    "slept": "sleep",
    "sat": "sit",
    "got": "get",
    "gotten": "get",
    "wrote": "write",
    "written": "write",
    "taught": "teach",
    "drank": "drink",
    "drunk": "drink",
    "paid": "pay",
}

# Nouns that ask for a verb without naming it ("a snack" is eaten, "the news" is read).
_HINTS: dict[str, frozenset[str]] = {
    verb: frozenset(words.split())
    for verb, words in {
        "eat": "breakfast brunch lunch dinner supper meal snack soup sandwich toast porridge "
        "cereal pasta salad leftovers dessert cake pastry croissant",
        "drink": "coffee tea beer wine pint cocktail juice",
        "read": "book novel newspaper news magazine article chapter",
        "write": "letter journal diary essay notes email",
        "watch tv": "tv television programme film movie series episode",
        "play music": "music piano song scales tune melody",
        "chat": "talk conversation gossip friends friend neighbours neighbors",
        "garden": "weeding weeds seedlings flowers flower beds",
        "wash dishes": "dishes plates",
        "brush teeth": "teeth",
        "sleep": "asleep doze dozing dozed snooze snoozing bedtime",
        "nap": "siesta",
    }.items()
}


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=1024)
def _forms(base: str) -> frozenset[str]:
    """Regular inflections of a verb (sit -> sits, sitting, sat; cook -> cooking, cooked;
    write -> writing, wrote; study -> studies, studied)."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms |= {base[:-1] + "ing", base[:-1] + "ed"}
    if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    cvc = len(base) >= 3 and base[-3] not in "aeiou" and base[-2] in "aeiou"
    if cvc and base[-1] not in "aeiouwxy":  # sit -> sitting, chat -> chatted
        forms |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    forms |= {word for word, lemma in _IRREGULAR.items() if lemma == base}
    return frozenset(forms)


def _key(word: str) -> str:
    """A noun's singular-ish key (shelves -> shelf, dishes -> dish, benches -> bench)."""
    if word.endswith("ves") and len(word) > 4:
        return word[:-3] + "f"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _names_verb(tokens: Sequence[str], verb: str) -> int:
    """How fully ``tokens`` name ``verb`` by stem: 2 every word ("washing the dishes" names
    "wash dishes"), 1 only its first word ("watching" names "watch tv"), 0 not at all."""
    head, *tail = verb.split()
    if not any(t in _forms(head) for t in tokens):
        return 0
    keys = {_key(t) for t in tokens}
    return 2 if all(_key(w) in keys for w in tail) else 1


def _first_mention(tokens: Sequence[str], verb: str) -> int:
    head = verb.split()[0]
    return next((i for i, t in enumerate(tokens) if t in _forms(head)), len(tokens))


def match_verb(said: str, verbs: Sequence[str], *, whole: bool = False) -> str:
    """The verb of ``verbs`` an answered verb means by stem ("sitting" -> "sit", "reads" ->
    "read", "washing the dishes" -> "wash dishes", "watching" -> "watch tv"); "" when it
    names none of them (``whole``: every word of the verb must be named)."""
    tokens = _tokens(said)
    best, best_rank = "", (0, 0, 0)
    for verb in verbs:
        level = _names_verb(tokens, verb)
        if whole and level < 2:
            continue
        size = len(verb.split())
        rank = (level, size if level == 2 else -size, -_first_mention(tokens, verb))
        if level and rank > best_rank:
            best, best_rank = verb, rank
    return best


def _named_verbs(text: str, verbs: Sequence[str]) -> list[str]:
    """The verbs the text names in full by stem, first mentioned first."""
    tokens = _tokens(text)
    named = [v for v in verbs if _names_verb(tokens, v) == 2]
    return sorted(named, key=lambda v: (_first_mention(tokens, v), -len(v.split())))


def _hinted_verbs(text: str, verbs: Sequence[str]) -> list[str]:
    """The verbs the text's nouns ask for ("a snack" -> eat), in ``verbs``' order."""
    keys = {_key(t) for t in _tokens(text)} | set(_tokens(text))
    return [v for v in verbs if _HINTS.get(v, frozenset()) & keys]


def is_sleepy(text: str) -> bool:
    """Whether the text is about sleeping (sleep, a nap, going to bed, dozing off)."""
    return bool(_SLEEP.search(text.lower()))


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


def _for_sleep_only(obj: ObjectInfo) -> bool:
    return obj.kind == "bed" or (
        bool(obj.affordances) and all(v in SLEEP_VERBS for v in obj.affordances)
    )


def _names_object(text: str, obj: ObjectInfo) -> int:
    """How many of the object's kind and name words the text names (shelves -> shelf), plus
    one more when it names the object itself ("the desk 2")."""
    keys = {_key(w) for w in _words(text)}
    count = len(keys & {_key(w) for w in _words(f"{obj.kind} {obj.name}")})
    phrase = " " + " ".join(re.findall(r"[a-z0-9]+", obj.name.lower())) + " "
    if (
        count
        and phrase.strip()
        and phrase in " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
    ):
        count += 1
    return count


def _score(
    text: str, obj: ObjectInfo, *, verb: str = "", answer: str = "", activity: str = ""
) -> int:
    """How well an object fits a subtask: it affords the answered verb, the answer or the
    subtask names it, the subtask names (or asks for) verbs it affords, the activity does;
    a bed only for sleeping or when the text names it."""
    score = 0
    if verb and match_verb(verb, obj.affordances):
        score += 8
    if answer:
        score += 5 * _names_object(answer, obj)
    named = _names_object(text, obj)
    score += 3 * named
    score += 2 * len(
        set(_named_verbs(text, obj.affordances)) | set(_hinted_verbs(text, obj.affordances))
    )
    if activity:
        score += _names_object(activity, obj)
        score += len(
            set(_named_verbs(activity, obj.affordances))
            | set(_hinted_verbs(activity, obj.affordances))
        )
    if _for_sleep_only(obj) and not named and not is_sleepy(f"{text} {activity}"):
        awake = [v for v in obj.affordances if v not in SLEEP_VERBS]
        if not (verb and match_verb(verb, awake)):  # "resting" on a bed is no sleep
            score -= 20
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
    best, best_score = "", -(10**6)
    for room in rooms:
        score = max(
            (_score(subtask, o) for o in object_options(world, sector, room, profile)), default=0
        )
        if score > best_score:
            best, best_score = room, score
    return best, False


def pick_verb(
    obj: ObjectInfo, said: str, subtask: str, *, activity: str = "", at_work: bool = False
) -> str:
    """The verb to use ``obj`` with when the answered one is not among its verbs.

    In order: the verb the answer means by stem ("sitting" -> "sit"); one the subtask
    names ("cooking" -> "cook") or asks for ("a snack" -> "eat"); one the activity names or
    asks for; ``sleep`` or ``nap`` when the text is about sleeping; a neutral one (sit,
    rest, browse; ``work`` at one's workplace, else a visitor's read, order, chat, work);
    else its first verb. ``sleep`` and ``nap`` only when the subtask or activity is about
    sleeping ("" when the object affords nothing else).
    """
    sleepy = is_sleepy(f"{subtask} {activity}")
    verbs = [v for v in obj.affordances if sleepy or v not in SLEEP_VERBS]
    meant = match_verb(said, obj.affordances) if said else ""
    if meant:  # what the answer says, in another form: no fall-back
        return meant
    for text in (subtask, activity):
        if not text:
            continue
        for found in (_named_verbs(text, verbs), _hinted_verbs(text, verbs)):
            if found:
                return found[0]
    neutral = NEUTRAL_VERBS + (("work",) if at_work else _VISITOR_VERBS)
    if sleepy:  # "go to bed": the text is about sleeping
        neutral = ("sleep", "nap", *neutral)
    for verb in neutral:
        if verb in verbs:
            return verb
    return verbs[0] if verbs else ""


def pick_object(
    answer: str,
    verb: str,
    world: WorldView,
    sector: str,
    arena: str,
    subtask: str,
    profile: AgentProfile,
    *,
    activity: str = "",
) -> tuple[ObjectInfo | None, str, bool]:
    """The chosen object, the verb used with it, and whether the answer was valid (a
    listed object with one of its verbs).

    A wrong object falls back to the room's object that fits best (:func:`_score`: one
    affording the answered verb, named by the answer or the subtask, affording verbs the
    subtask or ``activity`` names; ties go to one with a neutral verb, then a free one,
    then the first listed); a verb it does not afford to :func:`pick_verb`. A bed (or any
    object for sleeping only) is a fall-back only for sleeping or when the subtask names it.
    """
    objects = object_options(world, sector, arena, profile)
    if not objects:
        return None, "", False
    obj, picked, valid = _pick_object(answer, verb, objects, sector, subtask, profile, activity)
    moving = moving_verb(subtask)
    if obj is not None and moving and picked != moving and not _names_object(subtask, obj):
        # "walks over to Town Hall": the object is only where the walk ends up, as for an
        # action on no object (a bookshelf's "read" would be a different activity)
        return obj, moving, valid
    return obj, picked, valid


def moving_verb(subtask: str) -> str:
    """The verb of a subtask that is a walk ("Rosa walks over to Town Hall", "take a
    stroll"): walk, stroll, wander, amble, saunter, jog or hike; "" otherwise."""
    found = _MOVING.match(subtask.strip())
    return found.group(1).lower() if found else ""


def _pick_object(
    answer: str,
    verb: str,
    objects: Sequence[ObjectInfo],
    sector: str,
    subtask: str,
    profile: AgentProfile,
    activity: str,
) -> tuple[ObjectInfo | None, str, bool]:
    by_name = {o.name.casefold(): o for o in objects}
    by_address = {o.address.casefold(): o for o in objects}
    key = answer.strip().casefold()
    obj = by_name.get(key) or by_address.get(key)
    chosen = verb.strip().lower()
    if obj is not None and chosen in obj.affordances:
        return obj, chosen, True
    at_work = bool(profile.workplace) and sector == profile.workplace
    if obj is None:

        def rank(o: ObjectInfo) -> tuple[int, bool, bool, int]:
            score = _score(subtask, o, verb=chosen, answer=answer, activity=activity)
            neutral = any(v in o.affordances for v in NEUTRAL_VERBS)
            return (score, neutral, o.free_capacity > 0, -objects.index(o))

        obj = max(objects, key=rank)
        if rank(obj)[0] < 0:  # only a bed, and nothing is about sleeping
            return None, "", False
    picked = pick_verb(obj, chosen, subtask, activity=activity, at_work=at_work)
    if not picked:
        return None, "", False
    return obj, picked, False


@dataclass(frozen=True, slots=True, kw_only=True)
class Grounded:
    """The merged chain's steps checked against the world: usable actions, rejections,
    and how many steps were put right (an object or a verb named slightly off)."""

    actions: tuple[Action, ...]
    rejected: tuple[str, ...]
    repaired: int = 0


def _address_keys(text: str) -> list[frozenset[str]]:
    """An object reference's words, lower case, without filler words, each with its
    singular forms ("Stoves" -> stoves, stove; "shelves" -> shelves, shelve, shelf)."""
    out: list[frozenset[str]] = []
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if w in _STOP:
            continue
        forms = {w, _key(w)}
        if w.endswith("s") and len(w) > 3:
            forms.add(w[:-1])
        if w.endswith("es") and len(w) > 4:
            forms.add(w[:-2])
        out.append(frozenset(forms))
    return out


def _flat(keys: list[frozenset[str]]) -> set[str]:
    return set().union(*keys) if keys else set()


def repair_target(
    said: str, world: WorldView, *, place: str = "", verb: str = ""
) -> ObjectInfo | None:
    """The object a near-miss reference means, or None.

    ``said`` is read as words (case, plural and separators do not matter): an object of
    ``place`` (every object when ""), every word of which ``said`` names is one of the
    object's sector, room, name or kind words, and at least one of them is its name or kind
    ("kitchen stove", "stoves", "Kitchen:Stove", "home kitchen stove" all mean
    ``Home:kitchen:stove``). Several such objects: one that affords ``verb`` (by stem),
    then the one whose address has the fewest words left unnamed, then map order. Nothing
    is guessed from a word the object does not carry ("oven" is not the stove)."""
    wanted = _address_keys(said)
    if not wanted:
        return None
    best: ObjectInfo | None = None
    best_rank: tuple[int, int] = (-1, 0)
    for obj in world.objects(sector=place) if place else world.objects():
        own = _flat(_address_keys(f"{obj.name} {obj.kind}"))
        if not any(w & own for w in wanted):
            continue
        carried = _address_keys(obj.address)
        words = own | _flat(carried)
        if not all(w & words for w in wanted):
            continue
        affords = int(bool(verb) and bool(match_verb(verb, obj.affordances, whole=True)))
        unnamed = sum(1 for c in carried if not any(c & w for w in wanted))
        rank = (affords, -unnamed)
        if rank > best_rank:
            best, best_rank = obj, rank
    return best


def ground_chain_steps(
    steps: Sequence[ChainStep], *, world: WorldView, agent: str, subject: str, place: str = ""
) -> Grounded:
    """Turn ``action_chain`` steps into actions; a step whose object is missing,
    unreachable or does not afford the verb is rejected (a "forbidden" line for the
    re-ask). Near misses are put right first: an object named slightly off is the one
    :func:`repair_target` finds (in ``place`` when given), a verb in another form of one
    the object affords ("cooking", "sitting", "washes the dishes") is that verb. Event
    triples are read off the step (subject, verb, object)."""
    actions: list[Action] = []
    rejected: list[str] = []
    repaired = 0
    for step in steps:
        target = step.target
        verb = step.verb
        info = None
        if target:
            info = world.object_at(target)
            if info is None:
                info = repair_target(target, world, place=place, verb=verb)
                if info is None:
                    rejected.append(f"{step.verb} on {target}: no such object")
                    continue
                target = info.address
                repaired += 1
            if verb not in info.affordances:
                meant = match_verb(verb, info.affordances, whole=True)
                if meant:
                    verb = meant
                    repaired += 1
            if verb not in info.affordances:
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
                verb=verb,
                target=target,
                duration=step.minutes,
                description=step.description,
                emoji=step.emoji,
                event=(subject, verb, name or step.description),
                object_state=step.object_state if info is not None else "",
                object_event=(name, "is", step.object_state)
                if info is not None and step.object_state
                else (),
            )
        )
    return Grounded(actions=tuple(actions), rejected=tuple(rejected), repaired=repaired)


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
