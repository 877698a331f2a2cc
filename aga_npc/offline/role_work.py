"""Whose work an activity is: words that only a job's work uses.

A memory of someone else at work ("Marisol Vega: shelve returned books") must not become
one's own pastime somewhere else ("shelve returned books at Juniper Cafe like Marisol
did"). ``ROLE_WORK`` lists, for each occupation the stand-in knows
(:data:`aga_npc.offline.roles.ROLES`), the words of its work that a pastime does not use:
serving customers, shelving returned books, restocking shelves, grading essays. Words a
pastime shares with a job are left out on purpose (people cook, read, garden and play
the piano at home), so "cook a new dish on the stove" is no cook's work while "cook
orders for the customers" is. An activity with ``MIN_SHARED`` words of one job is that
job's work (:func:`role_work`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["MIN_SHARED", "ROLE_WORK", "role_work"]

_WORDS = re.compile(r"[a-z]+")
MIN_SHARED = 2


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SERVICE = "serve serves serving served customer customers orders regulars"
# not "order": a customer orders a coffee; "coffee orders" are the barista's
ROLE_WORK: Mapping[str, frozenset[str]] = {
    "barista": _set(f"{_SERVICE} coffee espresso shots steam rush till pastry case"),
    "cook": _set(f"{_SERVICE} service prep plate knead dough stock"),
    "bartender": _set(
        f"{_SERVICE} drinks mix mixes pour pours pints barrel barrels kegs taps tend tends"
    ),
    "shopkeeper": _set(
        f"{_SERVICE} restock restocks stock shelves deliveries delivery storeroom till price "
        "haggle supplier unpack"
    ),
    "librarian": _set("shelve shelves shelving catalogue returned visitors loans overdue"),
    "professor": _set(
        "grade grades grading mark marking essays lecture lectures tutorial students"
    ),
    "student": _set("lecture lectures seminar tutorial lab assignment assignments attend class"),
    "gardener": _set("prune pruning mulch weed weeding hedges rake beds"),
    "clerk": _set("permits paperwork agenda council budget residents documents file records"),
    "mayor": _set("permits paperwork agenda council budget residents documents chair"),
    "painter": _set("studio commission commissioned client"),
    "musician": _set("rehearse rehearsal performance pupil pupils lesson scales"),
    "writer": _set("article chapter edit manuscript editor deadline"),
}
"""Job (``RoleSpec.key``) -> words of its work that no pastime uses (hand-written)."""


def role_work(text: str, own: str = "") -> str:
    """The job whose work ``text`` is, "" when none or only ``own``'s (a role key): words
    ``own``'s work uses too do not count (a cafe owner serving customers is not doing a
    cook's or a bartender's work).

    >>> role_work("shelve returned books at Juniper Cafe like Marisol did")
    'librarian'
    >>> role_work("read a novel on the sofa")
    ''
    """
    words = set(_WORDS.findall(text.lower())) - ROLE_WORK.get(own, frozenset())
    for key, vocab in ROLE_WORK.items():
        if key != own and len(words & vocab) >= MIN_SHARED:
            return key
    return ""
