"""Sentence frames of plan texts: a leading clause and the name of the person who acts.

Chat models (and the offline stand-in) write plan items as sentences about someone: "As
usual, Bram waters the plants in the park", "At the desk, plan the next history class".
What the plan *does* is the main clause; the leading clause only says when, where or how.
:func:`main_clause` moves such a clause to the end (its words stay, as the setting) and
drops a name that opens the main clause after it ("Bram"), so the reader of
:mod:`aga_npc.policy.signature` sees the activity first. A text's own opening name is the
caller's business (the brain keys routines without the agent's own name). Pure.
"""

from __future__ import annotations

import re

__all__ = ["main_clause", "split_clause"]

# The first word of a leading clause that is a setting, not an activity of its own
# ("get up, shower and get dressed" lists activities and is left alone).
_OPENERS = frozenset(
    [
        "as",
        "at",
        "in",
        "on",
        "with",
        "after",
        "before",
        "for",
        "to",
        "first",
        "all",
        "through",
        "until",
        "without",
        "by",
        "once",
        "when",
        "while",
        "during",
        "later",
        "then",
        "this",
        "every",
        "each",
        "around",
        "over",
        "under",
        "near",
        "from",
        "since",
        "tonight",
        "today",
        "tomorrow",
        "early",
        "late",
        "again",
    ]
)
_CLAUSE = re.compile(r"^\s*([^,:;]{1,60}),\s+(?=\S)")
_MAX_CLAUSE_WORDS = 6
_NAME = re.compile(r"^([A-Z][a-z'’-]+)\s+(?=(?:[a-z]+ly\s+)?[a-z]+s\b)")


def split_clause(text: str) -> tuple[str, str]:
    """(main clause, leading setting clause) of ``text``; the clause is "" when there is none,
    and a name that opens the main clause after it is dropped.

    >>> split_clause("As usual, Bram waters the plants in the park")
    ('waters the plants in the park', 'As usual')
    >>> split_clause("get up, shower and get dressed")
    ('get up, shower and get dressed', '')
    """
    match = _CLAUSE.match(text)
    if match is None:
        return text, ""
    clause = match.group(1).strip()
    words = clause.split()
    if len(words) > _MAX_CLAUSE_WORDS or words[0].lower() not in _OPENERS:
        return text, ""
    rest = text[match.end() :]
    rest = _NAME.sub("", rest, count=1)  # "Bram waters": a name, capitalised mid-sentence
    return rest, clause


def main_clause(text: str) -> str:
    """``text`` with a leading setting clause moved to its end and the name after it dropped.

    >>> main_clause("As usual, Bram waters the plants in the park")
    'waters the plants in the park As usual'
    >>> main_clause("get up, shower and get dressed")
    'get up, shower and get dressed'
    """
    rest, clause = split_clause(text)
    return f"{rest} {clause}" if clause else rest
