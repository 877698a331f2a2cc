"""Social Memory (AGA idea 2): per other person, relationship, feeling, closeness, summary events.

One :class:`SocialMemory` per agent holds a :class:`SocialRecord` per person it has met (NPC
or player). A dialogue prompt carries :meth:`SocialMemory.prompt_block` (a few compact lines)
instead of many raw memory snippets. After a conversation the brain asks the LLM for a
relationship update, parses it with :meth:`SocialUpdate.from_llm` and applies it with
:meth:`SocialMemory.apply`. Summary events grow from retrieved memories, deduplicated
(near-duplicates replace the older wording) and bounded in count and characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aga_npc.memory.text import near_duplicate, normalise_text

__all__ = [
    "SocialLimits",
    "SocialMemory",
    "SocialRecord",
    "SocialUpdate",
    "closeness_for_relationship",
    "merge_summary",
    "merge_topics",
]

MINUTES_PER_DAY = 1440
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialLimits:
    """Bounds that keep a record (and the dialogue prompt) small.

    Attributes:
        max_summary_events: summary events kept per person (oldest dropped first).
        max_summary_chars: total characters of the summary events per person.
        max_event_chars: characters of one summary event (longer ones are cut).
        max_topics: topics kept per person (oldest dropped first).
        max_phrase_chars: characters of a relationship, feeling or topic phrase.
        dedup_threshold: word-set Jaccard at or above which two summary events are duplicates.
    """

    max_summary_events: int = 10
    max_summary_chars: int = 800
    max_event_chars: int = 200
    max_topics: int = 8
    max_phrase_chars: int = 40
    dedup_threshold: float = 0.75

    def __post_init__(self) -> None:
        if self.max_summary_events < 1 or self.max_topics < 1:
            raise ValueError("SocialLimits: max_summary_events and max_topics must be >= 1")
        if not 20 <= self.max_event_chars <= self.max_summary_chars:
            raise ValueError("SocialLimits: need 20 <= max_event_chars <= max_summary_chars")
        if self.max_phrase_chars < 8:
            raise ValueError("SocialLimits: max_phrase_chars must be >= 8")
        if not 0.0 < self.dedup_threshold <= 1.0:
            raise ValueError("SocialLimits: dedup_threshold must be within (0, 1]")


DEFAULT_LIMITS = SocialLimits()


def _clip(text: str, limit: int) -> str:
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    return text[: limit - 3].rstrip() + "..."


def _phrase(value: Any, limit: int) -> str:
    """A short phrase: whitespace collapsed, cut to ``limit``, quotes and dots trimmed."""
    return _SPACES.sub(" ", str(value)).strip()[:limit].strip(" \"'.")


# (pattern, closeness); first match wins, so specific phrases come first.
_CLOSENESS_TABLE: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), s)
    for p, s in (
        (r"\b(business|research|tennis|chess) partners?\b", 5.0),
        (
            r"\b(married|spouses?|wife|husband|partners?|family|son|daughter|mother|father|"
            r"mom|mum|dad|parents?|brothers?|sisters?|siblings?|fianc\w*|boyfriend|girlfriend|"
            r"grand\w*|uncle|aunt|cousins?|child|children|lovers?)\b",
            10.0,
        ),
        (r"\b(best|close|good|old) friends?\b", 8.0),
        (r"\bfriends?\b", 6.0),
        (
            r"\b(colleagues?|co ?workers?|coworkers?|classmates?|collaborators?|team ?mates?|"
            r"boss|employee|employer|mentor|student|teacher|fellow)\b",
            5.0,
        ),
        (r"\b(acquaintances?|neighbou?rs?|customers?|regulars?|clients?|friendly)\b", 3.0),
        (r"\b(unknown|strangers?|none|nobody|never met)\b", 0.0),
    )
)


def closeness_for_relationship(phrase: str) -> float | None:
    """The paper's closeness scale for a relationship phrase, or None when unrecognised.

    0 strangers/unknown, 3 acquaintances and neighbours, 5 colleagues, 6 friends,
    8 close friends, 10 family and partners ("business partner" counts as a colleague).
    """
    norm = normalise_text(phrase.replace("-", " "))
    for pattern, score in _CLOSENESS_TABLE:
        if pattern.search(norm):
            return score
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialRecord:
    """What one agent knows and feels about one other person.

    Attributes:
        person: the other person's name.
        relationship: a short phrase ("unknown", "colleague", "married").
        feeling: a short phrase ("neutral", "friendly", "wary").
        closeness: 0..10 (0 strangers, 3 acquaintance, 5 co-worker, 10 family/partner).
        summary: summary events about the person and what was discussed, oldest first.
        topics: topics discussed, oldest first.
        last_talked: game minute the last conversation ended, None if never.
        times_talked: conversations so far.
        talks_on_day: conversations on the game day of ``last_talked``.
    """

    person: str
    relationship: str = "unknown"
    feeling: str = "neutral"
    closeness: float = 0.0
    summary: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    last_talked: float | None = None
    times_talked: int = 0
    talks_on_day: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.person, str) or not self.person.strip():
            raise ValueError("SocialRecord.person must be a non-empty str")
        if not isinstance(self.closeness, int | float) or not math.isfinite(self.closeness):
            raise ValueError(f"SocialRecord.closeness must be a number, got {self.closeness!r}")
        if not 0.0 <= self.closeness <= 10.0:
            raise ValueError(f"SocialRecord.closeness must be within 0..10, got {self.closeness}")
        if self.times_talked < 0 or self.talks_on_day < 0:
            raise ValueError("SocialRecord talk counters must be >= 0")
        for name in ("summary", "topics"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ValueError(f"SocialRecord.{name} must be a sequence of str, not a str")
            object.__setattr__(self, name, tuple(str(v) for v in value))

    def summary_text(self) -> str:
        """The summary events as one line each, prefixed with "- "."""
        return "\n".join(f"- {s}" for s in self.summary)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for msgpack."""
        return {
            "person": self.person,
            "relationship": self.relationship,
            "feeling": self.feeling,
            "closeness": float(self.closeness),
            "summary": list(self.summary),
            "topics": list(self.topics),
            "last_talked": self.last_talked,
            "times_talked": self.times_talked,
            "talks_on_day": self.talks_on_day,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SocialRecord:
        """Inverse of :meth:`to_dict`.

        Raises:
            ValueError: a field is missing or invalid.
        """

        def opt(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        try:
            return cls(
                person=str(data["person"]),
                relationship=str(data.get("relationship", "unknown")),
                feeling=str(data.get("feeling", "neutral")),
                closeness=float(data.get("closeness", 0.0)),
                summary=tuple(str(s) for s in data.get("summary", ())),
                topics=tuple(str(t) for t in data.get("topics", ())),
                last_talked=opt("last_talked"),
                times_talked=int(data.get("times_talked", 0)),
                talks_on_day=int(data.get("talks_on_day", 0)),
            )
        except KeyError as exc:
            raise ValueError(f"social record is missing field {exc.args[0]!r}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialUpdate:
    """A parsed relationship update (what the LLM says after a conversation).

    Attributes:
        relationship: new relationship phrase, or None to keep it.
        feeling: new feeling phrase, or None to keep it.
        closeness: new closeness (clamped to 0..10), or None.
        closeness_delta: change of closeness, used when ``closeness`` is None.
        summary_events: new summary events to merge.
        topics: topics discussed.
    """

    relationship: str | None = None
    feeling: str | None = None
    closeness: float | None = None
    closeness_delta: float | None = None
    summary_events: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @classmethod
    def from_llm(cls, data: Any) -> SocialUpdate:
        """Parse an LLM's JSON answer leniently; usable as (part of) a request validator.

        Accepted keys: ``relationship``, ``feeling`` (strings), ``closeness`` and
        ``closeness_delta`` (numbers or numeric strings), ``summary`` / ``summary_events``
        and ``topics`` (a list of strings or one string; topics may be comma-separated).
        Other keys are ignored.

        Raises:
            ValueError: not an object, or a field of the wrong type (named in the message).
        """
        if not isinstance(data, Mapping):
            raise ValueError("the relationship update must be a JSON object")

        def text(key: str) -> str | None:
            value = data.get(key)
            if value is None:
                return None
            if not isinstance(value, str):
                raise ValueError(f"'{key}' must be a string")
            return value if value.strip() else None

        def number(key: str) -> float | None:
            value = data.get(key)
            if value is None or value == "":
                return None
            if isinstance(value, bool):
                raise ValueError(f"'{key}' must be a number")
            try:
                out = float(str(value).split("/")[0]) if isinstance(value, str) else float(value)
            except ValueError:
                raise ValueError(f"'{key}' must be a number, got {value!r}") from None
            if not math.isfinite(out):
                raise ValueError(f"'{key}' must be finite")
            return out

        def strings(key: str, *, split_commas: bool = False) -> tuple[str, ...]:
            value = data.get(key)
            if value is None:
                return ()
            if isinstance(value, str):
                parts = value.split(",") if split_commas else [value]
            elif isinstance(value, list | tuple):
                parts = []
                for item in value:
                    if not isinstance(item, str):
                        raise ValueError(f"'{key}' must hold strings")
                    parts.append(item)
            else:
                raise ValueError(f"'{key}' must be a string or a list of strings")
            return tuple(p.strip() for p in parts if p.strip())

        summary_key = "summary_events" if "summary_events" in data else "summary"
        return cls(
            relationship=text("relationship"),
            feeling=text("feeling"),
            closeness=number("closeness"),
            closeness_delta=number("closeness_delta"),
            summary_events=strings(summary_key),
            topics=strings("topics", split_commas=True),
        )


def merge_summary(
    existing: Sequence[str], new: Iterable[str], limits: SocialLimits = DEFAULT_LIMITS
) -> tuple[str, ...]:
    """Merge new summary events into existing ones: dedup, newest last, bounded.

    A new event that nearly duplicates an existing one replaces it (moved to the end, in
    the new wording). Then the oldest are dropped until both the count and the character
    bounds hold; the newest event always stays.
    """
    items = list(existing)
    for raw in new:
        text = _clip(str(raw), limits.max_event_chars)
        if not normalise_text(text):
            continue
        items = [
            old for old in items if not near_duplicate(old, text, threshold=limits.dedup_threshold)
        ]
        items.append(text)
    items = items[-limits.max_summary_events :]
    while len(items) > 1 and sum(len(s) + 1 for s in items) > limits.max_summary_chars:
        items.pop(0)
    return tuple(items)


def merge_topics(
    existing: Sequence[str], new: Iterable[str], limits: SocialLimits = DEFAULT_LIMITS
) -> tuple[str, ...]:
    """Merge topics: lower-case phrases, exact duplicates move to the end, bounded."""
    items = list(existing)
    for raw in new:
        topic = _phrase(str(raw).casefold(), limits.max_phrase_chars)
        if not normalise_text(topic):
            continue
        items = [t for t in items if normalise_text(t) != normalise_text(topic)]
        items.append(topic)
    return tuple(items[-limits.max_topics :])


def _ago(minutes: float) -> str:
    if minutes < 60:
        return f"{int(minutes)} min ago"
    if minutes < MINUTES_PER_DAY:
        return f"{int(minutes // 60)} h ago"
    return f"{int(minutes // MINUTES_PER_DAY)} days ago"


class SocialMemory:
    """One agent's Social Memory: a :class:`SocialRecord` per person.

    Args:
        owner: the agent's name.
        limits: bounds of each record.
    """

    def __init__(self, owner: str, *, limits: SocialLimits = DEFAULT_LIMITS) -> None:
        if not owner.strip():
            raise ValueError("SocialMemory.owner must not be empty")
        self.owner = owner
        self.limits = limits
        self._records: dict[str, SocialRecord] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, person: object) -> bool:
        return person in self._records

    def people(self) -> list[str]:
        """Names with a record, sorted."""
        return sorted(self._records)

    def record_for(self, person: str) -> SocialRecord:
        """The record for ``person``; a fresh "unknown" record (not stored) when none."""
        record = self._records.get(person)
        return record if record is not None else SocialRecord(person=person)

    def apply_update(
        self,
        person: str,
        *,
        now: float,
        relationship: str | None = None,
        feeling: str | None = None,
        closeness: float | None = None,
        closeness_delta: float | None = None,
        summary_events: Iterable[str] = (),
        topics: Iterable[str] = (),
        talked: bool = True,
    ) -> SocialRecord:
        """Update (or create) the record for ``person`` and return it.

        Closeness: ``closeness`` sets it, else ``closeness_delta`` moves it, else a changed
        relationship phrase that :func:`closeness_for_relationship` recognises sets it;
        the result is clamped to 0..10. Phrases are trimmed to ``max_phrase_chars``; empty
        ones keep the old value.

        Args:
            person: the other person (not the owner).
            now: game minutes.
            relationship: new relationship phrase.
            feeling: new feeling phrase.
            closeness: new closeness.
            closeness_delta: closeness change.
            summary_events: events to merge into the summary (see :func:`merge_summary`).
            topics: topics discussed.
            talked: a conversation ended now (updates ``last_talked`` and the counters);
                False for seeding from a persona or growing the summary before a chat.
        """
        if person == self.owner:
            raise ValueError(f"{self.owner} cannot hold a social record about themself")
        old = self.record_for(person)
        lim = self.limits
        new_rel = _phrase(relationship, lim.max_phrase_chars) if relationship else ""
        new_feel = _phrase(feeling, lim.max_phrase_chars) if feeling else ""
        value = old.closeness
        if closeness is not None:
            value = float(closeness)
        elif closeness_delta is not None:
            value = old.closeness + float(closeness_delta)
        elif new_rel and new_rel.casefold() != old.relationship.casefold():
            mapped = closeness_for_relationship(new_rel)
            if mapped is not None:
                value = mapped
        if not math.isfinite(value):
            raise ValueError(f"closeness for {person} must be finite, got {value}")
        changes: dict[str, Any] = {
            "relationship": new_rel or old.relationship,
            "feeling": new_feel or old.feeling,
            "closeness": min(10.0, max(0.0, value)),
            "summary": merge_summary(old.summary, summary_events, lim),
            "topics": merge_topics(old.topics, topics, lim),
        }
        if talked:
            same_day = old.last_talked is not None and int(
                old.last_talked // MINUTES_PER_DAY
            ) == int(now // MINUTES_PER_DAY)
            changes["last_talked"] = float(now)
            changes["times_talked"] = old.times_talked + 1
            changes["talks_on_day"] = old.talks_on_day + 1 if same_day else 1
        record = replace(old, **changes)
        self._records[person] = record
        return record

    def apply(
        self, person: str, update: SocialUpdate, *, now: float, talked: bool = True
    ) -> SocialRecord:
        """Apply a parsed :class:`SocialUpdate` (see :meth:`apply_update`)."""
        return self.apply_update(
            person,
            now=now,
            relationship=update.relationship,
            feeling=update.feeling,
            closeness=update.closeness,
            closeness_delta=update.closeness_delta,
            summary_events=update.summary_events,
            topics=update.topics,
            talked=talked,
        )

    def add_summary_events(self, person: str, events: Iterable[str], *, now: float) -> SocialRecord:
        """Grow the summary about ``person`` from retrieved memories (no conversation)."""
        return self.apply_update(person, now=now, summary_events=events, talked=False)

    def prompt_block(self, person: str, *, now: float | None = None) -> str:
        """Compact Social Memory text about ``person`` for a dialogue prompt.

        Args:
            person: the interlocutor.
            now: game minutes; when given, the last conversation is shown as "N h ago".

        Returns:
            A few lines: relationship, feeling, closeness and history; the summary events;
            the topics (empty sections are left out).
        """
        r = self.record_for(person)
        if r.times_talked == 0:
            history = "never talked before"
        else:
            times = "once" if r.times_talked == 1 else f"{r.times_talked} times"
            history = f"talked {times}"
            if now is not None and r.last_talked is not None:
                history += f", last {_ago(max(0.0, now - r.last_talked))}"
        lines = [
            f"{self.owner} about {person}: relationship: {r.relationship}; feeling: {r.feeling}; "
            f"closeness {r.closeness:g}/10; {history}."
        ]
        if r.summary:
            lines.append(f"What {self.owner} knows about {person}:")
            lines.append(r.summary_text())
        if r.topics:
            lines.append("Topics discussed before: " + ", ".join(r.topics) + ".")
        return "\n".join(lines)

    def relationships(self) -> dict[str, dict[str, Any]]:
        """``{person: {"relationship", "feeling", "closeness", "times_talked"}}`` for
        reports, sorted."""
        return {
            p: {
                "relationship": r.relationship,
                "feeling": r.feeling,
                "closeness": r.closeness,
                "times_talked": r.times_talked,
            }
            for p, r in sorted(self._records.items())
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain data (msgpack-able), records sorted by person."""
        return {
            "version": 1,
            "owner": self.owner,
            "records": [r.to_dict() for _, r in sorted(self._records.items())],
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, limits: SocialLimits = DEFAULT_LIMITS
    ) -> SocialMemory:
        """Inverse of :meth:`to_dict`.

        Raises:
            ValueError: a malformed record (the message names its index).
        """
        memory = cls(str(data.get("owner", "")), limits=limits)
        for i, raw in enumerate(data.get("records", ())):
            try:
                record = SocialRecord.from_dict(raw)
            except (ValueError, TypeError, AttributeError) as exc:
                raise ValueError(f"social memory of {memory.owner}: records[{i}]: {exc}") from None
            memory._records[record.person] = replace(
                record,
                summary=merge_summary((), record.summary, limits),
                topics=merge_topics((), record.topics, limits),
            )
        return memory
