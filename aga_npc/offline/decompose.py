"""Offline decomposition: an activity as steps on the place's listed objects (the merged
``action_chain`` answer and the text of Generative Agents' ``decompose``), plus what an
activity text means in object kinds and verbs (the per-action chain's answers)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.offline.facts import first_name, persona_facts, place_type
from aga_npc.offline.phrasing import chance, fill, pick, render_json, wordset
from aga_npc.offline.recipes import EXTRAS, FOODS, RECIPES, Recipe, StepSpec, word_forms
from aga_npc.offline.roles import role_for
from aga_npc.offline.words import strip_fillers

__all__ = ["MISTAKE_RATE", "answer_decompose", "build_steps", "meaning", "plan_steps"]

MISTAKE_RATE = 0.03
MAX_STEPS = 6
_WORDS = re.compile(r"[a-z][a-z'-]*")
_MEALS = ("breakfast", "lunch", "dinner")
_INVENTED = ("chair", "coffee machine", "microwave", "cupboard", "lamp", "window", "kettle")
_WRONG_VERBS = ("use", "clean", "open", "fix", "check", "move")
_SEATS = ("table", "sofa", "bench", "fountain")
_SKIP_FIRST = frozenset({"the", "a", "an", "to", "and", "some", "more"})
_MEAL_WORDS = ("breakfast", "brunch", "lunch", "dinner", "supper")
_NOT_A_MEAL = ("service", "customers", "orders", "menu", "shift", "for the guests")
_MEAL_RECIPES = frozenset({"meal_out", "meal_home"})
_CUSTOMER_VERBS = frozenset({"order", "pay"})
_NIGHT_RECIPES = frozenset({"sleep", "bed_prep"})
_BED_PREP = frozenset({"bed_prep"})
# Work recipes of a role apply at the kind of place where that work is done.
_ROLE_PLACES = {
    "barista": ("cafe",),
    "bartender": ("bar",),
    "cook": ("cafe", "bar"),
    "gardener": ("park",),
    "shopkeeper": ("shop",),
    "student": ("college",),
    "professor": ("college",),
    "librarian": ("college",),
    "clerk": ("hall",),
    "mayor": ("hall",),
}
_IRREGULAR = {"has": "have", "does": "do", "goes": "go", "is": "be"}
# A fronted clause ("Before the morning rush, ...") says when, not what.
_FRONTED = wordset(
    "before after with in at through as on for first without during once by while when"
)
# Verbs that say little about what is done ("have lunch", "make time to ...").
_LIGHT = wordset("have has make makes take takes get gets go goes do does grab grabs put puts")
_WRAPPERS = re.compile(
    r"^(?:makes? time to|finds? time to|takes? some time to|sets? aside time to) "
)
_WORK_AT = re.compile(r"^works? (?:on|at|in) ")
_STOCK_UP = re.compile(r"\bstocks? up on\b")  # "stock up on groceries" is shopping
_PAY_VISIT = re.compile(r"\bpays? a visit to\b")  # "pay a visit to" is a visit
# Off duty at one's own workplace: a visit's head verb and no word of the job.
_VISIT_HEADS = wordset(
    "have grab get enjoy eat drink sip meet join attend celebrate visit stop head go relax "
    "read chat catch sit hang listen watch buy shop pick treat try taste sample"
)
_ON_DUTY = wordset(
    "serve serves serving customer customers shift open opens close closes rush regulars "
    "restock stock orders work works working"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Obj:
    address: str
    kind: str
    verbs: tuple[str, ...]


def answer_decompose(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text: the steps and condition as JSON, styled like a chat model."""
    return render_json(rng, build_steps(context, rng), fence=0.1, compact=0.25)


def build_steps(context: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """``{"steps": [...], "condition": {"requires": [...]}}`` for the context's activity.

    Only listed objects and their own verbs are used, except for an occasional mistake
    (about 3 % of calls) when the context has no ``forbidden`` list; objects and verbs that
    the forbidden lines name are never used again, so a validation loop converges.
    """
    steps = plan_steps(context, rng)
    for step in steps:
        step.pop("_spot", None)
    requires: list[dict[str, str]] = []
    for step in steps:
        if step["object"] and all(r["object"] != step["object"] for r in requires):
            requires.append({"object": step["object"], "state": ""})
    return {"steps": steps, "condition": {"requires": requires}}


def plan_steps(context: Mapping[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """The steps of ``build_steps``; a step on no object also carries ``"_spot"``, the kinds
    of object it would be done at (see ``StepSpec.spot``; empty: nowhere in particular)."""
    activity = str(context.get("activity") or "").strip()
    try:
        duration = max(1, int(context.get("duration") or 30))
    except (TypeError, ValueError):
        duration = 30
    objects = _objects(context.get("objects"))
    forbidden = [str(f) for f in context.get("forbidden") or () if str(f).strip()]
    objects, banned_pairs = _apply_forbidden(objects, forbidden)
    raw_persona = context.get("persona")
    persona = raw_persona if isinstance(raw_persona, Mapping) else {}
    core = _core(activity, str(persona.get("name") or ""))
    role = _role(persona, str(context.get("place") or ""), core)
    text = _without_places(core, context.get("place"), objects)
    words = set(_WORDS.findall(text))
    meal = next((m for m in _MEALS if m in words), "meal")
    values = {"meal": meal, "food": pick(rng, FOODS[meal])}
    steps: list[dict[str, Any]] = []
    own = persona_facts(persona).workplace == str(context.get("place") or "")
    for recipe in _ranked(text, words, role, objects, own=own):
        steps = _instantiate(recipe, objects, banned_pairs, rng, values, words, own=own)
        if steps:
            break
    if not steps:
        steps = _generic(words, objects, banned_pairs, rng, core or activity)
    if len(steps) < MAX_STEPS and chance(rng, 0.12):
        steps.insert(rng.randrange(1, len(steps) + 1), _extra(rng))
    steps = steps[: min(MAX_STEPS, duration)]
    _minutes(steps, duration, rng)
    if not forbidden and chance(rng, MISTAKE_RATE):
        _mistake(steps, objects, rng)
    for step in steps:
        step.pop("_w", None)
    return steps


def meaning(
    text: str, persona: Mapping[str, Any], place: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What an activity text means in object kinds and verbs, main ones first (the steps of
    the recipe it reads as, longest first): "take a quick shower" -> (shower, sink, toilet).
    ``((), ())`` when no recipe fits."""
    core = _core(text, str(persona.get("name") or ""))
    role = _role(persona, place, core)
    core = _without_places(core, place, [])
    ranked = _ranked(core, set(_WORDS.findall(core)), role, [])
    if not ranked:
        return (), ()
    specs = sorted(ranked[0].steps, key=lambda spec: -spec.weight[1])
    kinds = dict.fromkeys(k for spec in specs for k in spec.kinds)
    verbs = dict.fromkeys(v for spec in specs for v in spec.verbs)
    return tuple(kinds), tuple(verbs)


def _role(persona: Mapping[str, Any], place: str, text: str = "") -> str:
    """The role whose work recipes apply here: the persona's, when the place is its
    workplace (or when the request does not say where it works) and the text is not a visit
    off duty ("grab a coffee at the cafe" is no shift behind its counter); else none."""
    facts = persona_facts(persona)
    if facts.workplace and place and facts.workplace != place:
        return ""
    words = _WORDS.findall(text.lower())
    head = next((w for w in words if w not in _SKIP_FIRST), "")
    if _verb_forms(head) & _VISIT_HEADS and not set(words) & _ON_DUTY:
        return ""
    if not facts.workplace and facts.role and place:
        # "cafe owner" at Juniper Cafe: the role's own words name the place's kind
        kind = place_type(place)
        if kind in ("cafe", "bar", "shop", "hall", "park", "college") and kind == place_type(
            facts.role
        ):
            facts = persona_facts({**persona, "workplace": place})
    role = role_for(facts).key
    usual = _ROLE_PLACES.get(role)
    if usual and place and place_type(place) not in usual:
        return ""
    return role


def _verb_forms(word: str) -> set[str]:
    """A word and the base forms it may be an -ing form of ("sipping" -> sip)."""
    forms = {word}
    if word.endswith("ing") and len(word) > 4:
        stem = word[:-3]
        forms |= {stem, stem + "e"}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.add(stem[:-1])
    return forms


def _core(activity: str, name: str) -> str:
    """The activity's words about what is done: lower case, without a fronted clause
    ("Before the rush, ..."), the person's name or a "make time to" wrapper."""
    text = activity.strip().lower()
    head, sep, rest = text.partition(", ")
    if sep and head.split(" ", 1)[0] in _FRONTED:
        text = rest
    for who in (name.lower(), first_name(name).lower()):
        if who and text.startswith(who + " "):
            text = text[len(who) + 1 :]
            verb, _, rest = text.partition(" ")
            text = f"{_base(verb)} {rest}".strip()
            break
    text = _STOCK_UP.sub("buy", strip_fillers(_WRAPPERS.sub("", text)))
    return _PAY_VISIT.sub("visit", text)


def _base(verb: str) -> str:
    """The base form of a third-person verb (plans -> plan, tidies -> tidy)."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("shes", "ches", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def _without_places(text: str, place: Any, objects: Sequence[_Obj]) -> str:
    """The activity text without the place's name (so "Juniper Cafe" does not mean coffee)."""
    names = {str(place or "").lower()} | {o.address.split(":", 1)[0].lower() for o in objects}
    for name in sorted(names, key=len, reverse=True):
        if len(name) > 2:
            text = text.replace(name, " ")
    return text


def _objects(raw: Any) -> list[_Obj]:
    out: list[_Obj] = []
    if not isinstance(raw, Sequence):
        return out
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        address = str(item.get("address") or "")
        if address.count(":") != 2:
            continue
        verbs = item.get("verbs") or item.get("affordances") or ()
        out.append(
            _Obj(
                address=address,
                kind=str(item.get("kind") or address.rsplit(":", 1)[-1]).lower(),
                verbs=tuple(str(v).lower() for v in verbs) if isinstance(verbs, Sequence) else (),
            )
        )
    return out


def _apply_forbidden(
    objects: list[_Obj], forbidden: Sequence[str]
) -> tuple[list[_Obj], set[tuple[str, str]]]:
    """Drop objects a forbidden line rules out; remember (verb, object) pairs it rules out."""
    banned: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for line in forbidden:
        lowered = line.lower()
        verb = lowered.split(" on ", 1)[0].strip() if " on " in lowered else ""
        for obj in objects:
            if obj.address.lower() not in lowered:
                continue
            if "affords only" in lowered and verb:
                pairs.add((verb, obj.address))
            else:
                banned.add(obj.address)
    return [o for o in objects if o.address not in banned], pairs


def _ranked(
    text: str, words: set[str], role: str, objects: list[_Obj], *, own: bool = False
) -> list[Recipe]:
    """Recipes whose trigger words or phrases occur, best first (role recipes win ties).

    A text that names a meal is a meal and the night's sleep is sleep, whatever else it
    mentions ("eat lunch with the team at the counter", "fall asleep reading"); the head
    verb counts extra ("write a page of his book" is writing, not reading). At one's
    ``own`` workplace a meal is not ordered and paid for at the counter.
    """
    scored: list[tuple[float, int, Recipe]] = []
    has_order = any("order" in o.verbs for o in objects)
    only: frozenset[str] = frozenset()
    if not any(w in text for w in _NOT_A_MEAL) and any(m in text for m in _MEAL_WORDS):
        only = _MEAL_RECIPES
    elif "sleep" in text or "go to bed" in text or "bedtime" in text:
        only = _NIGHT_RECIPES
    elif any(p in text for p in ("for bed", "before bed", "pyjamas")):
        only = _BED_PREP
    head = next((w for w in _WORDS.findall(text) if w not in _SKIP_FIRST), "")
    if head in _LIGHT or _WORK_AT.match(text.strip()):
        head = ""
    for index, recipe in enumerate(RECIPES):
        if recipe.role and recipe.role != role:
            continue
        if recipe.key == "meal_out" and (not has_order or own):
            continue  # no counter to order at, or one's own (staff do not order and pay)
        if only and recipe.key not in only:
            continue
        score = float(len(words & recipe.words)) + 2.0 * sum(p in text for p in recipe.phrases)
        if score <= 0:
            continue
        if head and head in recipe.words:
            score += 1.0
        if recipe.role:
            score += 0.5
        scored.append((-score, index, recipe))
    scored.sort(key=lambda t: (t[0], t[1]))
    if role and any(r.role == role for _, _, r in scored):
        # "work the afternoon shift" at one's own cafe is the barista's shift, not desk work
        scored = [t for t in scored if t[2].key != "work"]
    return [r for _, _, r in scored]


def _candidates(
    spec: StepSpec, objects: list[_Obj], pairs: set[tuple[str, str]]
) -> list[tuple[_Obj, str, int]]:
    """Objects of the step's kinds with an allowed verb, each with its kind's rank."""
    found = []
    for obj in objects:
        if obj.kind not in spec.kinds:
            continue
        verb = next(
            (v for v in spec.verbs if v in obj.verbs and (v, obj.address) not in pairs), None
        )
        if verb is not None:
            found.append((obj, verb, spec.kinds.index(obj.kind)))
    return found


def _instantiate(
    recipe: Recipe,
    objects: list[_Obj],
    pairs: set[tuple[str, str]],
    rng: random.Random,
    values: Mapping[str, str],
    words: set[str],
    *,
    own: bool = False,
) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    groups: list[int] = []
    any_object = False
    room = ""
    for spec in recipe.steps:
        if spec.optional < 1.0 and not chance(rng, spec.optional):
            continue
        if spec.when and not spec.when & words:
            continue
        if spec.fallback and any_object:
            continue
        weight = rng.randint(*spec.weight)
        description = fill(pick(rng, spec.texts), values)
        if own and spec.kinds and set(spec.verbs) <= _CUSTOMER_VERBS:
            continue  # staff do not order and pay at their own workplace's counter
        if not spec.kinds:
            steps.append(_step(spec.verbs[0], "", weight, description, spec.fixed, spec.spot))
            groups.append(spec.group)
            continue
        found = _candidates(spec, objects, pairs)
        if not found:
            continue
        obj, verb = _choose(found, recipe.arenas, words, room, rng)
        room = obj.address.split(":")[1]
        any_object = True
        steps.append(_step(verb, obj.address, weight, description, spec.fixed))
        groups.append(spec.group)
    if not any_object and not recipe.objectless:
        return []
    _shuffle_groups(steps, groups, rng)
    return steps


def _choose(
    found: list[tuple[_Obj, str, int]],
    hints: Sequence[str],
    words: set[str],
    room: str,
    rng: random.Random,
) -> tuple[_Obj, str]:
    """Prefer objects in the recipe's usual rooms, a room the activity names, or the room
    of the previous step, then the step's preferred kinds; pick among equals by seed."""

    def score(obj: _Obj, rank: int) -> int:
        arena = obj.address.split(":")[1].lower()
        names = set(arena.split())
        points = 2 if names & set(hints) else 0
        if any(len(w) >= 4 and w in names for w in words):
            points += 2
        if arena == room:
            points += 1
        return 3 * points - rank

    scores = [score(o, rank) for o, _, rank in found]
    best = max(scores)
    obj, verb, _ = pick(rng, [f for f, sc in zip(found, scores, strict=True) if sc == best])
    return obj, verb


def _step(
    verb: str,
    address: str,
    weight: int,
    description: str,
    fixed: bool,
    spot: tuple[str, ...] = (),
) -> dict[str, Any]:
    step = {
        "verb": verb,
        "object": address,
        "minutes": weight,
        "description": description,
        "_w": "fixed" if fixed else "scaled",
    }
    if not address:
        step["_spot"] = spot
    return step


def _shuffle_groups(steps: list[dict[str, Any]], groups: list[int], rng: random.Random) -> None:
    """Reorder steps whose order does not matter (same non-zero group)."""
    for group in set(groups) - {0}:
        idx = [i for i, g in enumerate(groups) if g == group]
        if len(idx) < 2:
            continue
        chosen = [steps[i] for i in idx]
        rng.shuffle(chosen)
        for i, step in zip(idx, chosen, strict=True):
            steps[i] = step


def _generic(
    words: set[str],
    objects: list[_Obj],
    pairs: set[tuple[str, str]],
    rng: random.Random,
    activity: str,
) -> list[dict[str, Any]]:
    """No recipe fits: use objects whose verb is named in the activity, else no object."""
    forms = {
        v: word_forms(v.split()[0]) if set(v.split()[1:]) <= words else set()
        for o in objects
        for v in o.verbs
    }
    steps: list[dict[str, Any]] = []
    seen: set[str] = set()
    shuffled = list(objects)
    rng.shuffle(shuffled)
    for obj in shuffled:
        for verb in obj.verbs:
            if verb in seen or (verb, obj.address) in pairs or not (forms[verb] & words):
                continue
            seen.add(verb)
            steps.append(_step(verb, obj.address, rng.randint(10, 30), activity or verb, False))
            break
        if len(steps) >= 2:
            break
    if steps:
        return steps
    lead = next((w for w in _WORDS.findall(activity.lower()) if w not in _SKIP_FIRST), "")
    verb = lead if len(lead) >= 3 and lead.isalpha() else "relax"
    return [_step(verb, "", 1, activity or "relax for a while", False, _SEATS)]


def _extra(rng: random.Random) -> dict[str, Any]:
    text = pick(rng, EXTRAS)
    return _step(text.split(" ", 1)[0], "", rng.randint(2, 5), text, True, _SEATS)


def _minutes(steps: list[dict[str, Any]], duration: int, rng: random.Random) -> None:
    """Spread ``duration`` over the steps: fixed steps keep their minutes, the rest scale."""
    fixed = sum(s["minutes"] for s in steps if s["_w"] == "fixed")
    scaled = [s for s in steps if s["_w"] == "scaled"]
    if not scaled or fixed >= duration:
        scaled = steps
        fixed = 0
    budget = max(len(scaled), duration - fixed)
    total = sum(s["minutes"] for s in scaled)
    acc = 0
    for i, s in enumerate(scaled):
        if i == len(scaled) - 1:
            s["minutes"] = max(1, budget - acc)
        else:
            s["minutes"] = max(1, round(s["minutes"] * budget / total))
            acc += s["minutes"]
    if len(scaled) > 1 and chance(rng, 0.12):
        # Models' arithmetic is approximate: a few minutes over or under.
        s = scaled[rng.randrange(len(scaled))]
        s["minutes"] = max(1, s["minutes"] + pick(rng, (-3, -2, 2, 5)))


def _mistake(steps: list[dict[str, Any]], objects: list[_Obj], rng: random.Random) -> None:
    """A real model's slip: an invented object, or a verb the object does not afford."""
    with_object = [s for s in steps if s["object"]]
    if not with_object:
        return
    step = pick(rng, with_object)
    by_address = {o.address: o for o in objects}
    if chance(rng, 0.5):
        sector, arena, _ = step["object"].split(":", 2)
        taken = {o.address for o in objects}
        for name in _INVENTED:
            if f"{sector}:{arena}:{name}" not in taken:
                step["object"] = f"{sector}:{arena}:{name}"
                return
    obj = by_address.get(step["object"])
    afforded = obj.verbs if obj is not None else ()
    step["verb"] = next((v for v in _WRONG_VERBS if v not in afforded), "use")
