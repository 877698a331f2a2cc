"""Text normalisation shared by the memory and social modules: pattern keys and near-duplicates.

Everything here is a pure function of its arguments (no locale, no randomness), so keys built
from it are stable across runs and machines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "STOPWORDS",
    "jaccard",
    "near_duplicate",
    "normalise_text",
    "pattern_key",
    "tokens",
]

# Words that carry no meaning for "is this the same kind of event" keys.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "of", "to",
    "at", "in", "on", "for", "with", "and", "or", "her", "his", "their", "its", "my", "your",
    "our", "some", "this", "that", "these", "those",
})
# fmt: on

_PUNCT = re.compile(r"[^\w\s']", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Lower-case ``text``, drop punctuation and collapse whitespace.

    Args:
        text: any text.

    Returns:
        The normalised text ("Ate breakfast, at home!" -> "ate breakfast at home").
    """
    lowered = _PUNCT.sub(" ", text.casefold())
    return _SPACES.sub(" ", lowered.replace("'", "")).strip()


def tokens(text: str) -> tuple[str, ...]:
    """The normalised words of ``text``, in order (stop words kept)."""
    norm = normalise_text(text)
    return tuple(norm.split()) if norm else ()


def pattern_key(text: str, *, names: Iterable[str] = ()) -> str:
    """A key under which routine variants of one event share a cached value.

    Lower-cases, removes the given names (the agent's own name, say, so "Klaus Mueller is
    sleeping" and "sleeping" match), replaces every number by ``#`` and drops stop words.

    Args:
        text: the event text.
        names: names to strip (each may have several words; matched as whole words).

    Returns:
        The key; "" when nothing meaningful is left.
    """
    # Normalised text is words joined by single spaces, so a whole-word match of a
    # normalised name is a match of " name " in " text " (no regex to compile per name).
    padded = f" {normalise_text(text)} "
    for name in sorted({normalise_text(n) for n in names if n.strip()}, key=len, reverse=True):
        needle = f" {name} "
        while needle in padded:
            padded = padded.replace(needle, " ")
    norm = _DIGITS.sub("#", padded)
    words = [w for w in norm.split() if w not in STOPWORDS]
    return " ".join(words)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard similarity of two token collections (1.0 for two empty ones)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def near_duplicate(a: str, b: str, *, threshold: float = 0.8) -> bool:
    """Whether two texts say nearly the same thing (word-set Jaccard >= ``threshold``).

    Stop words are ignored so "Maria likes the cafe" and "Maria likes cafe" match; texts
    whose content words are all stop words compare on their full normalised form.

    Args:
        a: first text.
        b: second text.
        threshold: minimum Jaccard similarity of the content-word sets, in (0, 1].

    Returns:
        True when the two are the same up to wording noise.
    """
    ta = [w for w in tokens(a) if w not in STOPWORDS] or list(tokens(a))
    tb = [w for w in tokens(b) if w not in STOPWORDS] or list(tokens(b))
    if not ta or not tb:
        return ta == tb
    return jaccard(ta, tb) >= threshold
