"""Offline answers of the per-action chain: sector, arena, object (with its verb), the two
emoji, the two event triples and the object's state; and this project's merged
``action_chain`` answer (the decomposition's steps with their emoji and object states).

The object a subtask needs is read off the decomposition recipe its phrase came from
(:func:`aga_npc.offline.words.step_hint`), else off what the phrase means
(:func:`aga_npc.offline.decompose.meaning`: an item too short to decompose is its own
subtask), else word overlap.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.decompose import build_steps, meaning
from aga_npc.offline.phrasing import chance, pick, render_json
from aga_npc.offline.words import gerund_phrase, step_hint, without_place

__all__ = [
    "answer_action_chain",
    "answer_action_emoji",
    "answer_action_event",
    "answer_arena",
    "answer_object",
    "answer_object_emoji",
    "answer_object_event",
    "answer_object_state",
    "answer_sector",
]

VERB_SLIP = 0.02  # how often the verb comes back in the subtask's -ing form ("sitting")
ECHO_SLIP = 0.3  # how often an object the room lacks is named back (else a listed one)
_WORDS = re.compile(r"[a-z]+")
_STOP = frozenset(
    {"a", "an", "the", "at", "in", "on", "of", "to", "and", "with", "for", "from", "some"}
)
_EMOJI = {
    "sleep": "😴",
    "nap": "😴",
    "rest": "🛋️",
    "cook": "🍳",
    "get food": "🥛",
    "store food": "🧊",
    "eat": "🍽️",
    "wash": "🧼",
    "wash dishes": "🧽",
    "brush teeth": "🪥",
    "shower": "🚿",
    "use toilet": "🚽",
    "sit": "🪑",
    "read": "📖",
    "write": "✍️",
    "work": "💼",
    "study": "📚",
    "chat": "💬",
    "serve": "☕",
    "order": "🧾",
    "pay": "💳",
    "prepare drinks": "🍹",
    "browse": "🛒",
    "stock": "📦",
    "pick": "🧺",
    "watch tv": "📺",
    "teach": "🏫",
    "lecture": "🏫",
    "play music": "🎹",
    "paint": "🎨",
    "garden": "🌱",
    "water plants": "💧",
    "drink": "🍺",
    "think": "💭",
}
_STATES = {
    "stove": ("heating a pan", "cooking food", "simmering a pot"),
    "fridge": ("open", "being opened for food", "cooling the groceries"),
    "sink": ("running water", "full of soapy water"),
    "shower": ("running hot water", "steaming"),
    "bed": ("being slept in", "occupied", "unmade"),
    "table": ("set for a meal", "in use", "covered with papers"),
    "desk": ("covered with notes", "in use"),
    "counter": ("busy with orders", "in use"),
    "tv": ("showing a programme", "on"),
    "piano": ("being played", "ringing with music"),
    "easel": ("holding a canvas", "in use"),
    "sofa": ("occupied", "in use"),
    "bench": ("occupied",),
    "bookshelf": ("being browsed",),
    "shelf": ("being restocked", "being browsed"),
    "blackboard": ("covered with notes",),
    "garden": ("being tended", "being watered"),
    "bar": ("busy with drinks", "in use"),
    "toilet": ("occupied",),
    "fountain": ("splashing",),
}


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _words(text: str) -> set[str]:
    return {w for w in _WORDS.findall(text.lower()) if w not in _STOP}


def answer_sector(context: Mapping[str, Any], rng: random.Random) -> str:
    """The planned place (the model follows the plan), else where the person is."""
    options = _map(context.get("area_options"))
    planned = str(context.get("planned_place") or "")
    current = str(context.get("currently_in") or "")
    sector = planned if planned in options else current if current in options else ""
    if not sector and options:
        sector = next(iter(options))
    return render_json(rng, {"sector": sector}, fence=0.03, compact=0.8)


def _rank_kinds(
    subtask: str, context: Mapping[str, Any], sector: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The object kinds and verbs the subtask needs, main ones first."""
    hint = step_hint(subtask)
    if hint is not None:
        return hint
    return meaning(without_place(subtask), _map(context.get("persona")), sector)


_ROOMS_FOR_KIND = {
    "stove": ("kitchen",),
    "fridge": ("kitchen",),
    "sink": ("kitchen", "bathroom"),
    "table": (
        "dining",
        "cafe",
        "bar",
        "kitchen",
        "common",
        "lounge",
        "meeting",
        "park",
        "library",
        "office",
        "living",
    ),
    "shower": ("bathroom",),
    "toilet": ("bathroom",),
    "bed": ("bedroom", "room", "apartment"),
    "desk": ("room", "office", "study", "apartment", "library", "classroom"),
    "sofa": ("living", "lounge", "common"),
    "tv": ("living", "lounge", "common"),
    "piano": ("living", "music"),
    "easel": ("studio",),
    "bookshelf": ("library", "living", "reading"),
    "shelf": ("shop", "store", "stock"),
    "counter": ("cafe", "shop", "counter", "front", "kitchen"),
    "bar": ("bar",),
    "blackboard": ("classroom",),
    "garden": ("garden", "yard"),
    "bench": ("park", "square", "garden"),
    "fountain": ("square", "park"),
}
_SLEEPY = frozenset({"sleep", "sleeping", "nap", "napping", "bed", "lie", "lying", "asleep"})


def answer_arena(context: Mapping[str, Any], rng: random.Random) -> str:
    """The room where the subtask's object usually is (kitchen for cooking, bathroom for a
    shower); a bedroom only for sleeping (one's own, when the persona says which it is);
    else the first room that is not a bedroom."""
    rooms = [str(r) for r in context.get("room_options") or ()]
    subtask = str(context.get("subtask") or "")
    named = _named(subtask, rooms)
    if named:
        return render_json(rng, {"arena": named}, fence=0.03, compact=0.8)
    kinds, _ = _rank_kinds(subtask, context, str(context.get("area") or ""))
    words = _words(subtask)
    sleepy = bool(words & _SLEEPY) or kinds[:1] == ("bed",)
    own = _own_room(_map(context.get("persona")), str(context.get("area") or ""))
    if sleepy and own in rooms:
        return render_json(rng, {"arena": own}, fence=0.03, compact=0.8)
    words |= _words(str(context.get("activity") or ""))
    best, best_score = "", -100.0
    for i, room in enumerate(rooms):
        parts = set(_WORDS.findall(room.lower()))
        # every kind the subtask needs votes for the rooms it is usually in, the main
        # kinds most (a pub's tables are in the bar room: its kitchen has a stove)
        votes = 0.0
        for rank, kind in enumerate(kinds):
            hints = _ROOMS_FOR_KIND.get(kind, ())
            fit = max(
                (1.0 if h == 0 else 0.8 for h, x in enumerate(hints) if x in parts), default=0
            )
            votes += 0.7**rank * fit
        score = 30 * votes + 2 * len(words & parts)
        if parts & {"kitchen", "living", "common", "lounge"}:
            score += 1
        private = _private(parts)
        if private and not sleepy:
            score -= 5
        if sleepy and private:
            score += 25 if not own or room == own else -10
        if (score, -i) > (best_score, -len(rooms)) and score > best_score:
            best, best_score = room, score
    return render_json(rng, {"arena": best or (rooms[0] if rooms else "")}, fence=0.03, compact=0.8)


def _private(parts: set[str]) -> bool:
    """A room someone sleeps in ("bedroom 2", "room 1", "apartment 3", "kids room")."""
    if parts & {"bedroom", "apartment"}:
        return True
    return "room" in parts and not parts & {"living", "common", "meeting", "bar", "dining"}


def _own_room(persona: Mapping[str, Any], sector: str) -> str:
    """The person's own room in ``sector`` when the persona block names it (Generative
    Agents' "living area", or the address of the person's bed); "" otherwise."""
    for key in ("living_area", "bed"):
        parts = str(persona.get(key) or "").split(":")
        if len(parts) >= 2 and parts[0] == sector:
            return parts[1]
    return ""


def _named(text: str, names: Sequence[str]) -> str:
    """The longest of ``names`` that the text names as a whole phrase ("" when none)."""
    lowered = " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "
    for name in sorted(names, key=len, reverse=True):
        key = " " + re.sub(r"[^a-z0-9]+", " ", name.lower()).strip() + " "
        if key.strip() and key in lowered:
            return name
    return ""


def _without_room(subtask: str, context: Mapping[str, Any]) -> str:
    """The subtask without "in the <room>": the room's name is no object's ("eating dinner
    in the bar room" names no bar)."""
    arena = str(context.get("room") or "").split(":")[-1].strip().lower()
    if not arena:
        return subtask
    return re.sub(rf"\b(?:in|at) the {re.escape(arena)}\b", " ", subtask.lower())


def _choose_object(context: Mapping[str, Any]) -> tuple[str, str]:
    objects = [o for o in context.get("objects") or () if isinstance(o, Mapping)]
    subtask = str(context.get("subtask") or "")
    sector = str(context.get("room") or "").split(":", 1)[0]
    kinds, verbs = _rank_kinds(subtask, context, sector)
    named = _named(_without_room(subtask, context), [str(o.get("name") or "") for o in objects])
    if named:
        obj = next(o for o in objects if str(o.get("name")) == named)
        obj_verbs = [str(v) for v in obj.get("verbs") or ()]
        verb = next((v for v in verbs if v in obj_verbs), "")
        return named, verb or _plain_verb(obj_verbs, _words(subtask))
    words = _words(subtask)
    if not kinds:
        words |= _words(str(context.get("activity") or ""))
    best: tuple[int, int] = (-100, 0)
    chosen: Mapping[str, Any] = objects[0] if objects else {}
    for i, obj in enumerate(objects):
        kind = str(obj.get("kind") or "")
        obj_verbs = [str(v) for v in obj.get("verbs") or ()]
        score = 0
        if kind in kinds:
            score += 10 - kinds.index(kind)
        score += 3 * len(words & _words(f"{kind} {obj.get('name', '')}"))
        score += sum(2 for v in obj_verbs if _words(v) & words)
        if kind == "bed" and "bed" not in kinds and not (words & _SLEEPY):
            score -= 20
        if score == 0 and ("sit" in obj_verbs or "rest" in obj_verbs):
            score = 1  # nothing fits: a seat, as a model would (never the stove by default)
        if (score, -i) > best:
            best, chosen = (score, -i), obj
    obj_verbs = [str(v) for v in chosen.get("verbs") or ()]
    verb = next((v for v in verbs if v in obj_verbs), "")
    return str(chosen.get("name") or ""), verb or _plain_verb(obj_verbs, words)


def _plain_verb(obj_verbs: Sequence[str], words: set[str]) -> str:
    """The object's verb for a subtask none of whose own verbs it affords: one the phrase
    names, else what one does at a seat while doing something else (sit, or rest on a
    bed), else its first."""
    named = next((v for v in obj_verbs if _words(v) & words), "")
    if named:
        return named
    for verb in ("sit", "rest"):
        if verb in obj_verbs:
            return verb
    return obj_verbs[0] if obj_verbs else ""


def answer_object(context: Mapping[str, Any], rng: random.Random) -> str:
    """The object and its verb; now and then a real model's slip: an object the subtask
    names but the room does not have ("at the microwave") named back as if it were listed
    (else the listed object that fits), or the right verb in the subtask's -ing form
    ("sitting"), which the object does not list. The brain's grounding falls back on
    both."""
    name, verb = _choose_object(context)
    objects = [o for o in context.get("objects") or () if isinstance(o, Mapping)]
    named = re.search(r" at the ([a-z][a-z ]*?) in the ", str(context.get("subtask") or ""))
    listed = {str(o.get("name") or "").lower() for o in objects}
    invented = named and named.group(1) not in listed and not _named(named.group(1), list(listed))
    if invented and named and chance(rng, ECHO_SLIP):
        name = named.group(1)
    elif verb and chance(rng, VERB_SLIP):
        verb = gerund_phrase(verb)  # "sitting" for "sit": the form of the subtask's words
    return render_json(rng, {"object": name, "verb": verb}, fence=0.03, compact=0.8)


def _emoji_for(text: str) -> str:
    words = _words(text)
    for verb, emoji in _EMOJI.items():
        if _words(verb) <= words or any(w.startswith(verb[:4]) for w in words):
            return emoji
    return "🙂"


def answer_action_emoji(context: Mapping[str, Any], rng: random.Random) -> str:
    return _emoji_for(str(context.get("action") or ""))


def answer_object_emoji(context: Mapping[str, Any], rng: random.Random) -> str:
    state = str(context.get("state") or "")
    obj = str(context.get("object") or "")
    return _emoji_for(f"{state} {obj}")


def answer_action_event(context: Mapping[str, Any], rng: random.Random) -> str:
    """(subject, predicate, object) from the action phrase: its verb and its object words."""
    subject = str(context.get("subject") or "")
    words = str(context.get("action") or "").lower().split()
    predicate = words[0] if words else "is"
    rest = [w for w in words[1:] if w not in _STOP]
    obj = " ".join(rest[:3]) or "something"
    triple = {"subject": subject, "predicate": predicate, "object": obj}
    return render_json(rng, triple, fence=0.03, compact=0.7)


def answer_object_state(context: Mapping[str, Any], rng: random.Random) -> str:
    obj = str(context.get("object") or "")
    kind = next((k for k in _STATES if k in obj.lower()), "")
    state = pick(rng, _STATES[kind]) if kind else "in use"
    return render_json(rng, {"state": state}, fence=0.03, compact=0.8)


def answer_object_event(context: Mapping[str, Any], rng: random.Random) -> str:
    obj = str(context.get("object") or "")
    words = str(context.get("state") or "in use").split()
    triple = {
        "subject": obj,
        "predicate": "is",
        "object": " ".join(words) if words else "in use",
    }
    return render_json(rng, triple, fence=0.03, compact=0.7)


def answer_action_chain(context: Mapping[str, Any], rng: random.Random) -> str:
    """The merged call: the decomposition's steps with an emoji and the object's state."""
    value = build_steps(context, rng)
    steps: Sequence[dict[str, Any]] = value["steps"]
    for step in steps:
        step["emoji"] = _emoji_for(str(step.get("verb") or ""))
        address = str(step.get("object") or "")
        if address:
            kind = next((k for k in _STATES if k in address.lower()), "")
            step["object_state"] = pick(rng, _STATES[kind]) if kind else "in use"
    return render_json(rng, {"steps": list(steps)}, fence=0.1, compact=0.25)
