"""Comparing two plan signatures: look-alike conflicts and how much their words agree.

Two plans are look-alikes, not the same plan, when their main activities clearly differ
("cook dinner" vs "eat dinner", "stock the shelves" vs "serve customers") or they name
different members of one class ("breakfast" vs "lunch"). Activities agree when they are
one (or one refines the other, "mop" and "clean"); kin activities (``kin`` in the lexicon:
"take stock" and "count") do not conflict but are weaker evidence. How far the words agree
(:func:`agreement`, :func:`object_fit`) decides how much cosine the rule asks for
(:mod:`aga_npc.policy.matching`). Pure.
"""

from __future__ import annotations

from enum import Enum

from aga_npc.policy.lexicon import GROUPS, KIN, OPPOSITES, PARENTS
from aga_npc.policy.signature import Signature

__all__ = [
    "LEISURE_MAINS",
    "Agreement",
    "ObjectFit",
    "activity_conflict",
    "agreement",
    "broader_routine",
    "extra_duty",
    "hard_conflict",
    "lookalike_reason",
    "object_fit",
    "objects_differ",
    "routine_refusal",
    "unverified_heads",
]

_HOME = frozenset(["home"])
LEISURE_MAINS = frozenset(["read", "relax", "listen", "watch"])
"""Main activities done for their own sake, with no food: a text doing only these ("read
on the sofa") is never a routine that names a meal and eats it ("read reports over
breakfast"), which would serve a breakfast in its place."""
_KIN: dict[str, frozenset[str]] = {}
for _group in KIN:
    for _tag in _group:
        _KIN[_tag] = _KIN.get(_tag, frozenset()) | _group


class Agreement(Enum):
    """How far two texts' activities agree (when nothing conflicts)."""

    SAME = "same"  # one activity
    KIN = "kin"  # kin activities, or one refines the other ("mop" and "clean")
    OPEN = "open"  # a text names no activity, or opens with a verb the lexicon lacks


class ObjectFit(Enum):
    """How two texts' objects compare."""

    SHARED = "shared"  # they name some object in common
    OPEN = "open"  # one of them names no object
    DISJOINT = "disjoint"  # both name objects, none in common


def _lineage(tag: str) -> set[str]:
    """``tag`` and its ancestors in ``PARENTS`` ("mop" -> {"mop", "clean"})."""
    out = {tag}
    while tag in PARENTS:
        tag = PARENTS[tag]
        out.add(tag)
    return out


def _fits(tag: str, other: Signature) -> bool:
    """Whether activity ``tag`` is among ``other``'s activities, or refines or generalises
    one of its main activities."""
    lineage = _lineage(tag)
    return tag in other.tags or any(tag in _lineage(m) or m in lineage for m in _mains(other))


def _kin_fits(tag: str, other: Signature) -> bool:
    """Whether ``tag`` is kin to one of ``other``'s main activities."""
    kin = _KIN.get(tag, frozenset())
    return any(m in kin for m in _mains(other))


def _mains(sig: Signature) -> tuple[str, ...]:
    return sig.mains or sig.tags[:1]


def _agrees(a: Signature, b: Signature, *, kin: bool) -> bool:
    """Some main activity of each is among the other's activities; with ``kin``, also one
    that refines or generalises one of its main ones, or is kin to one."""

    def fits(tag: str, other: Signature) -> bool:
        if not kin:
            return tag in other.tags
        return _fits(tag, other) or _kin_fits(tag, other)

    return any(fits(m, b) for m in _mains(a)) and any(fits(m, a) for m in _mains(b))


def lookalike_reason(a: Signature, b: Signature) -> str | None:
    """Why two signatures belong to different plans, or None when nothing conflicts.

    Conflicts: both have activities and no main activity of either (the main one, or one
    joined to its verb by "and") is among the other's or kin to one of its main ones (a
    general activity and one that refines it, "clean" and "mop", agree); or a hard conflict
    (:func:`hard_conflict`).
    """
    return activity_conflict(a, b) or hard_conflict(a, b)


def activity_conflict(a: Signature, b: Signature) -> str | None:
    """Why the main activities of two texts differ ("activity cook vs eat"), or None: both
    name activities and no main one of either fits the other's (see
    :func:`lookalike_reason`). The lexicon can be wrong here when it misreads a text, so
    the learned rule weighs it rather than obeying it."""
    if a.tags and b.tags and not _agrees(a, b, kin=True):
        return f"activity {a.tags[0]} vs {b.tags[0]}"
    return None


def hard_conflict(a: Signature, b: Signature) -> str | None:
    """The conflicts the lexicon is sure of, or None: opposite activities ("open" vs
    "close", one text doing one and not the other); for some object class or group of
    classes, each text naming a member the other does not ("park" vs "office", "lunch" vs
    "coffee"; but "the park near home" and "the park" agree); or a meal eaten against
    leisure alone ("read reports over breakfast" vs "read on the sofa"); a meal eaten
    against a drink made ("make orange juice and eggs for breakfast" vs "make lemonade");
    or getting up against leisure alone ("wake up and lie in" vs "relax at home"); or
    work against company with no work in it ("take orders and chat with the regulars" vs
    "meet Lucia for coffee"); or getting ready for bed against leisure somewhere
    ("change into pyjamas and wind down" vs "unwind on the sofa")."""
    for first, second in OPPOSITES:
        for x, y in ((first, second), (second, first)):
            if x in a.tags and y in b.tags and y not in a.tags and x not in b.tags:
                return f"activity {x} vs {y}"
    for cls, members in a.objects.items():
        other = b.objects.get(cls)
        generic = frozenset([cls])  # "a drink" is any drink
        if other and (members - other - generic) and (other - members - generic):
            return f"{cls} {'/'.join(sorted(members))} vs {'/'.join(sorted(other))}"
    for group in GROUPS:
        mine = _group_members(a, b, group)
        theirs = _group_members(b, a, group)
        if mine and theirs and (mine - theirs) and (theirs - mine):
            return f"{'/'.join(sorted(mine))} vs {'/'.join(sorted(theirs))}"
    return (
        _meal_vs_leisure(a, b)
        or _meal_vs_leisure(b, a)
        or _meal_vs_drink(a, b)
        or _meal_vs_drink(b, a)
        or _waking_vs_leisure(a, b)
        or _waking_vs_leisure(b, a)
        or _duty_vs_company(a, b)
        or _duty_vs_company(b, a)
        or _bedtime_vs_leisure(a, b)
        or _bedtime_vs_leisure(b, a)
    )


_BEDTIME = frozenset(["undress", "brush", "bedprep"])


def _bedtime_vs_leisure(bedtime: Signature, other: Signature) -> str | None:
    """Getting ready for bed ("change into pyjamas and wind down") against leisure alone
    that says where or with what ("unwind on the sofa", "read a novel"): a routine stored
    for bedtime brushes teeth and changes. Leisure with neither ("wind down before bed")
    is left to the rule."""
    if not set(_mains(bedtime)) & _BEDTIME or not other.tags or set(other.tags) & _BEDTIME:
        return None
    if not set(_mains(other)) <= LEISURE_MAINS or not ((other.setting - _HOME) or other.nouns):
        return None
    return f"bedtime vs {'/'.join(_mains(other))}"


def _duties(tags: tuple[str, ...]) -> list[str]:
    """The activities among ``tags`` that are work ("serve", "stock": work in ``PARENTS``)."""
    return [t for t in tags if "work" in _lineage(t)]


def _duty_vs_company(duty: Signature, other: Signature) -> str | None:
    """A text whose main activity is work against one that keeps company and does no work:
    a routine stored for the shift serves customers where a friend was to be met, even at
    one's own workplace."""
    mine = _duties(_mains(duty))
    if not mine or "social" not in other.tags or _duties(other.tags):
        return None
    return f"work {mine[0]} vs company"


def broader_routine(stored: Signature, query: Signature) -> str | None:
    """Why a routine stored for ``stored`` must not serve ``query``, or None: every main
    activity of the stored plan is a broader one that a main activity of the query refines
    ("work the shift" stored, "keep the coffee orders moving" asked: serving is work).
    The two may mean the same plan, but the routine learned for the broad one can do any
    part of it (writing up the orders at a table), which the narrow one did not ask for.
    The other way round is fine: a narrow routine is one way to do a broad plan. Only the
    lookup is directional; the same-plan rule is not."""
    mine, theirs = _mains(stored), _mains(query)
    if not (stored.tags and query.tags) or any(m in query.tags for m in mine):
        return None
    narrower = {t: next((m for m in mine if m != t and m in _lineage(t)), None) for t in theirs}
    covered = {m for m in narrower.values() if m is not None}
    if covered and covered == set(mine):
        pairs = [f"{t} is {m}" for t, m in narrower.items() if m is not None]
        return f"routine for a broader plan ({', '.join(pairs)})"
    return None


def extra_duty(stored: Signature, query: Signature) -> str | None:
    """Why a routine stored for ``stored`` must not serve ``query``, or None: the stored
    plan works ("make soup and serve customers": serving is work) where the query names no
    work at all ("get started on the day's soup"); its routine would serve at the counter.
    Directional, like :func:`broader_routine`: the query's own work may be done by a
    routine that does less."""
    duties = _duties(_mains(stored))
    if not duties or not query.tags or _duties(query.tags):
        return None
    return f"routine also works ({duties[0]}), the plan does not"


def routine_refusal(stored: Signature, query: Signature) -> str | None:
    """Why a routine stored for a plan judged the same must still not serve this one (it
    does more than asked), or None: :func:`broader_routine` or :func:`extra_duty`."""
    return broader_routine(stored, query) or extra_duty(stored, query)


def _meal_vs_drink(meal: Signature, other: Signature) -> str | None:
    """A text that names a meal and eats it against one that makes or has a drink and
    names no food or meal: a routine stored for the meal cooks and eats."""
    if not (meal.objects.get("meal") and "eat" in meal.tags) or "eat" in other.tags:
        return None
    drinks = other.objects.get("drink")
    if not drinks or other.objects.get("meal") or other.objects.get("food"):
        return None
    return f"meal {'/'.join(sorted(meal.objects['meal']))} vs drink {'/'.join(sorted(drinks))}"


def _waking_vs_leisure(waking: Signature, other: Signature) -> str | None:
    """Getting up ("wake up and lie in", "wake up, shower, get dressed") against a text
    that only reads, relaxes, listens or watches: a routine stored for waking up goes on
    to the morning's washing and dressing."""
    if "wake" not in waking.mains or "wake" in other.tags or not other.tags:
        return None
    if not set(_mains(other)) <= LEISURE_MAINS:
        return None
    return f"waking vs {'/'.join(_mains(other))}"


def _meal_vs_leisure(meal: Signature, other: Signature) -> str | None:
    """A text that names a meal and eats it against one that only reads, relaxes, listens
    or watches and names no meal or drink: a routine stored for the first serves food."""
    if not (meal.objects.get("meal") and "eat" in meal.tags) or "eat" in other.tags:
        return None
    if other.objects.get("meal") or other.objects.get("drink") or not other.tags:
        return None
    if not set(_mains(other)) <= LEISURE_MAINS:
        return None
    return f"meal {'/'.join(sorted(meal.objects['meal']))} vs {'/'.join(_mains(other))}"


def _group_members(sig: Signature, other: Signature, group: frozenset[str]) -> frozenset[str]:
    """``sig``'s members of the classes in ``group``; a generic member ("a meal") is left
    out where ``other`` names a member of its class ("prepare meals" and "cook lunch")."""
    out: frozenset[str] = frozenset()
    for cls in group:
        members = sig.objects.get(cls, frozenset())
        if other.objects.get(cls):
            members = members - {cls}
        out |= members
    return out


def agreement(a: Signature, b: Signature) -> Agreement:
    """How far the activities of two texts that do not conflict agree."""
    if a.head is not None and a.head == b.head and not (a.tags and b.tags):
        return Agreement.SAME  # one verb, the lexicon's or not ("tinker with the radio")
    if not (a.tags and b.tags) or unverified_heads(a, b):
        return Agreement.OPEN
    return Agreement.SAME if _agrees(a, b, kin=False) else Agreement.KIN


def object_fit(a: Signature, b: Signature) -> ObjectFit:
    """Whether two texts' objects overlap, one names none, or they are disjoint. An object
    of one named as the other's setting is shared ("count the cash in the register", "count
    the register"); when one names no object, their settings decide the same way ("reading
    in the park" and "reading in bed" are disjoint, "reading a novel" and "reading on the
    sofa" open)."""
    if (a.nouns & b.nouns) or (a.nouns & b.setting) or (a.setting & b.nouns):
        return ObjectFit.SHARED  # "count the cash in the register" and "count the register"
    if a.nouns and b.nouns:
        return ObjectFit.DISJOINT
    mine, theirs = a.setting - _HOME, b.setting - _HOME  # "on the sofa" is at home
    if mine & theirs:
        return ObjectFit.SHARED
    return ObjectFit.DISJOINT if mine and theirs else ObjectFit.OPEN


def objects_differ(a: Signature, b: Signature) -> str | None:
    """Why two texts name different objects (both name some and they share none), or
    None."""
    if a.nouns and b.nouns and not (a.nouns & b.nouns):
        return f"objects {'/'.join(sorted(a.nouns))} vs {'/'.join(sorted(b.nouns))}"
    return None


def unverified_heads(a: Signature, b: Signature) -> bool:
    """True when the texts open with different words and one of them is a verb the lexicon
    does not know, so it cannot tell whether they mean the same ("tuning" vs "playing")."""
    if a.head == b.head:
        return False
    return (a.head is not None and not a.head_known) or (b.head is not None and not b.head_known)
