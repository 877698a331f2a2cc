"""Player text is untrusted: limit its length, drop control characters, quote it."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_PLAYER_CHARS", "quote_player_text", "sanitize_player_text"]

MAX_PLAYER_CHARS = 300
_QUOTE_OPEN = "<<player>>"
_QUOTE_CLOSE = "<</player>>"
_FENCE = re.compile(r"`{3,}")
_MARKERS = re.compile(r"<<\s*/?\s*player\s*>>", re.IGNORECASE)
_HASHES = re.compile(r"#+")
_SPACES = re.compile(r"\s+")


def sanitize_player_text(text: str, *, limit: int = MAX_PLAYER_CHARS) -> str:
    """Return the player's words made safe to embed in a prompt.

    Control and format characters (including zero-width and bidi overrides) are removed,
    whitespace collapses to single spaces and ``#`` marks are dropped (so no fake prompt
    section such as "## Task" can be opened), code fences and our own quote markers are
    neutralised, double quotes become single ones (so the quotation cannot be closed), and
    the text is cut to ``limit`` characters.
    """
    kept = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " "
        for ch in unicodedata.normalize("NFKC", text)
    )
    kept = _MARKERS.sub("", kept)
    kept = _FENCE.sub("'", kept)
    kept = _HASHES.sub("", kept)
    kept = _SPACES.sub(" ", kept).strip()
    kept = kept.replace('"', "'")
    if len(kept) > limit:
        kept = kept[:limit].rstrip() + "..."
    return kept


def quote_player_text(text: str) -> str:
    """The sanitised text as one delimited quotation."""
    return f'{_QUOTE_OPEN}"{sanitize_player_text(text)}"{_QUOTE_CLOSE}'
