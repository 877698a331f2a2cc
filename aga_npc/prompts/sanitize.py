"""Player text is untrusted: cut it first, drop control characters, neutralise markers, quote it.

The player's words reach prompts two ways, always as one quoted, delimited span:

- in the reply prompt, as ``<<player>>"..."<</player>>`` (:func:`quote_player_text`);
- in what the NPC remembers, as ``The player said to Marta: "..."`` (:func:`player_memory_text`),
  which later prompts carry among their memories, statements and transcripts.

Inside a span nothing can close it or open a prompt section: double quotes become single
ones, newlines collapse, ``#`` marks, code fences, angle brackets (``</persona>``,
``<|im_start|>``), square brackets (``[INST]``) and role markers (``SYSTEM:``) are
neutralised. :func:`outside_player_spans` returns a text with every such span removed (tests).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_PLAYER_CHARS",
    "MAX_PLAYER_INPUT",
    "MAX_REPLY_CHARS",
    "outside_player_spans",
    "player_memory_text",
    "quote_player_text",
    "sanitize_player_text",
]

MAX_PLAYER_CHARS = 300
MAX_REPLY_CHARS = 600
# what is read of any input before cleaning: cleaning costs linear time, so a 1 MB line is
# cut to this first (NFKC may grow a character into several; 4x leaves room for that)
_INPUT_FACTOR = 4
MAX_PLAYER_INPUT = _INPUT_FACTOR * MAX_PLAYER_CHARS
_QUOTE_OPEN = "<<player>>"
_QUOTE_CLOSE = "<</player>>"
_FENCE = re.compile(r"`{3,}")
_MARKERS = re.compile(r"<<\s*/?\s*player\s*>>", re.IGNORECASE)
_HASHES = re.compile(r"#+")
_SPACES = re.compile(r"\s+")
_ROLE = re.compile(
    r"\b(system|assistant|user|developer|human|ai|tool|function|model|instruction|"
    r"instructions|context|task|answer format|persona)\s*:",
    re.IGNORECASE,
)
_BRACKETS = str.maketrans({"<": "\u2039", ">": "\u203a", "[": "(", "]": ")", '"': "'", "\\": "/"})
# a span may be cut short by a later length limit (an insight quoting a memory): then it
# runs to the end of its string
_SPAN = re.compile(
    r'<<player>>\\?"[^"\\]*\\?"<</player>>'
    r'|(?i:the player\)? said to) [^:"]{1,80}: \\?"[^"\\]*(?:\\?")?'
    r'|(?<= answered: )\\?"[^"\\]*(?:\\?")?'
)


def sanitize_player_text(text: str, *, limit: int = MAX_PLAYER_CHARS) -> str:
    """Return the player's words made safe to embed in a prompt.

    The input is cut to ``4 * limit`` characters before anything else (cleaning a megabyte
    costs time on the frame). Control and format characters (including zero-width and bidi
    overrides) are removed, whitespace collapses to single spaces, ``#`` marks are dropped
    (no fake "## Task" section), code fences and our own quote markers are neutralised,
    angle and square brackets become harmless look-alikes (no ``</persona>`` or
    ``<|im_start|>`` or ``[INST]``), role markers lose their colon ("SYSTEM:" reads
    "SYSTEM -"), double quotes become single ones (the quotation cannot be closed), and the
    text is cut to ``limit`` characters.
    """
    text = text[: _INPUT_FACTOR * limit]
    kept = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " "
        for ch in unicodedata.normalize("NFKC", text)
    )
    kept = _MARKERS.sub("", kept)
    kept = _FENCE.sub("'", kept)
    kept = _HASHES.sub("", kept)
    kept = _ROLE.sub(lambda m: f"{m.group(1)} -", kept)
    kept = kept.translate(_BRACKETS)
    kept = _SPACES.sub(" ", kept).strip()
    if len(kept) > limit:
        kept = kept[:limit].rstrip() + "..."
    return kept


def quote_player_text(text: str) -> str:
    """The sanitised text as one delimited quotation."""
    return f'{_QUOTE_OPEN}"{sanitize_player_text(text)}"{_QUOTE_CLOSE}'


def player_memory_text(npc: str, said: str, reply: str = "", player: str = "") -> str:
    """What ``npc`` remembers of an exchange with the player: the player's words (and the
    model-written reply, which may echo them) each as one quoted, sanitised span; a named
    player as ``"<name> (the player) said to ..."``."""
    who = f"{player} (the player)" if player else "The player"
    text = f'{who} said to {npc}: "{sanitize_player_text(said)}"'
    if reply:
        text += f' / {npc} answered: "{sanitize_player_text(reply, limit=MAX_REPLY_CHARS)}"'
    return text


def outside_player_spans(text: str) -> str:
    """``text`` with every quoted player span removed (also inside JSON, where the quotes
    are escaped): what a prompt says in its own voice."""
    return _SPAN.sub("\u2026", text)
