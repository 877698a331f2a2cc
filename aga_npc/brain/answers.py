"""One frozen dataclass per request kind's answer, with the validator that builds it.

A JSON request carries ``validator=<Answer>.validate``: the gateway's JSON layer runs it on
the parsed value (a ValueError re-asks the model with the message), so the result's
``parsed`` is already the typed answer. Plain-text kinds (emoji, summaries, memos) are read
with :meth:`Text.read`. The brain's continuations receive these types only.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from aga_npc.brain import schemas
from aga_npc.llm.schemas import with_schema
from aga_npc.memory.importance import parse_importance
from aga_npc.planning.schedule import parse_hhmm
from aga_npc.social.player_talk import INTENTS, TONES
from aga_npc.social.social_memory import SocialUpdate
from aga_npc.types import LLMResult

__all__ = [
    "ChainStep",
    "Choice",
    "Commitment",
    "FocalPoints",
    "Insight",
    "Insights",
    "JointUpdate",
    "Line",
    "Outline",
    "PlanItem",
    "PlanningThought",
    "PlayerAnswer",
    "PlayerInvitation",
    "Poignancy",
    "PoignancyBatch",
    "ReactDecision",
    "SocialAnswer",
    "Steps",
    "Subtasks",
    "TalkDecision",
    "Text",
    "Triple",
    "WakeUp",
    "WholeConversation",
    "day_offset",
    "parsed_as",
]

A = TypeVar("A")
MAX_ITEMS = 40
MAX_SUBTASKS = 16


def parsed_as(kind: type[A]) -> Any:
    """A book parser that returns the result's ``parsed`` value, checked to be ``kind``."""

    def parse(result: LLMResult) -> A:
        value = result.parsed
        if not isinstance(value, kind):
            raise ValueError(f"expected a {kind.__name__} answer, got {type(value).__name__}")
        return value

    return parse


def _obj(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"the answer must be a JSON object ({what})")
    return value


def _text(value: Any, key: str, *, limit: int = 200, required: bool = True) -> str:
    raw = value.get(key) if isinstance(value, Mapping) else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ValueError(f"'{key}' is missing")
        return ""
    if not isinstance(raw, str | int | float):
        raise ValueError(f"'{key}' must be a string")
    return " ".join(str(raw).split())[:limit]


def _minutes(value: Any, key: str, *, default: int | None = None) -> int:
    raw = value.get(key, default)
    if raw is None or isinstance(raw, bool):
        raise ValueError(f"'{key}' must be a number of minutes")
    try:
        number = float(str(raw).split()[0]) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"'{key}' must be a number of minutes, got {raw!r}") from None
    if not math.isfinite(number) or number < 1:
        raise ValueError(f"'{key}' must be a positive number of minutes")
    return round(number)


@dataclass(frozen=True, slots=True, kw_only=True)
class WakeUp:
    """``wake_up``: minutes since midnight."""

    minute: int

    @classmethod
    @with_schema(schemas.WAKE_UP)
    def validate(cls, value: Any) -> WakeUp:
        data = value if isinstance(value, Mapping) else {"wake_up": value}
        return cls(minute=parse_hhmm(data.get("wake_up", data.get("time", ""))))


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanItem:
    """One timed item of a plan or schedule; ``start`` in minutes since midnight (after
    midnight items may exceed 1440 once placed in a day)."""

    start: int
    duration: int
    text: str
    place: str

    def to_dict(self) -> dict[str, Any]:
        h, m = divmod(self.start % 1440, 60)
        return {
            "start": f"{h:02d}:{m:02d}",
            "duration": self.duration,
            "activity": self.text,
            "place": self.place,
        }

    @classmethod
    def read(cls, value: Any, where: str) -> PlanItem:
        data = _obj(value, where)
        try:
            start = parse_hhmm(data.get("start", ""))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        duration = _minutes(data, "duration", default=data.get("minutes"))
        text = _text(data, "activity", limit=160)
        return cls(
            start=start, duration=duration, text=text, place=_text(data, "place", required=False)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outline:
    """``daily_plan``, ``hourly_schedule`` and ``replan``: timed items with places."""

    wake_up: int | None
    items: tuple[PlanItem, ...]

    @classmethod
    @with_schema(schemas.outline_schema)
    def validate(cls, value: Any) -> Outline:
        data = _obj(value, "plan")
        raw = data.get("activities", data.get("items"))
        if not isinstance(raw, list):
            raise ValueError("'activities' must be a list of timed items")
        items = tuple(PlanItem.read(x, f"item {i}") for i, x in enumerate(raw[:MAX_ITEMS]))
        wake = data.get("wake_up")
        return cls(wake_up=parse_hhmm(wake) if wake not in (None, "") else None, items=items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subtasks:
    """``decompose``: (what, minutes) in order."""

    items: tuple[tuple[str, int], ...]

    @classmethod
    @with_schema(schemas.SUBTASKS)
    def validate(cls, value: Any) -> Subtasks:
        data = _obj(value, "subtasks")
        raw = data.get("subtasks")
        if not isinstance(raw, list) or not raw:
            raise ValueError("'subtasks' must be a non-empty list")
        items = []
        for i, x in enumerate(raw[:MAX_SUBTASKS]):
            item = _obj(x, f"subtask {i}")
            task = _not_copied(_text(item, "task", limit=120), f"subtask {i}")
            items.append((task, _minutes(item, "minutes")))
        return cls(items=tuple(items))


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """``action_sector`` / ``action_arena`` / ``action_object``: the chosen option (and for
    an object, the verb)."""

    value: str
    verb: str = ""

    @classmethod
    @with_schema(schemas.sector_schema)
    def sector(cls, value: Any) -> Choice:
        return cls(value=_text(_obj(value, "sector"), "sector", limit=80))

    @classmethod
    @with_schema(schemas.arena_schema)
    def arena(cls, value: Any) -> Choice:
        return cls(value=_text(_obj(value, "arena"), "arena", limit=80))

    @classmethod
    @with_schema(schemas.object_schema)
    def object(cls, value: Any) -> Choice:
        data = _obj(value, "object")
        return cls(
            value=_text(data, "object", limit=80),
            verb=_text(data, "verb", limit=40, required=False).lower(),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Triple:
    """``action_event`` / ``object_event``: (subject, predicate, object)."""

    subject: str
    predicate: str
    obj: str

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.obj)

    @classmethod
    @with_schema(schemas.TRIPLE)
    def validate(cls, value: Any) -> Triple:
        if isinstance(value, list | tuple) and len(value) == 3:
            value = dict(zip(("subject", "predicate", "object"), value, strict=True))
        data = _obj(value, "triple")
        return cls(
            subject=_text(data, "subject", limit=60),
            predicate=_text(data, "predicate", limit=60),
            obj=_text(data, "object", limit=60, required=False),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    """A plain-text answer (emoji, relationship summary, conversation summary, memo)."""

    text: str

    @classmethod
    def read(cls, result: LLMResult) -> Text:
        text = " ".join(result.text.strip().strip('"').split())
        if not text:
            raise ValueError("empty answer")
        return cls(text=text[:400])

    @classmethod
    @with_schema(schemas.STATE)
    def state(cls, value: Any) -> Text:
        return cls(text=_text(_obj(value, "state"), "state", limit=80))


def _copied(text: str) -> bool:
    """Whether an answer's text is the answer format's placeholder copied ("<what the
    person does>", "...", "<sector:arena:object>")."""
    t = text.strip()
    return t in ("...", "…") or (len(t) > 2 and t[0] == "<" and t[-1] == ">")


def _not_copied(text: str, where: str) -> str:
    if _copied(text):
        raise ValueError(f"{where} copies the answer format's placeholder {text!r}: say it")
    return text


def _blank_if_copied(text: str) -> str:
    return "" if _copied(text) else text


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainStep:
    """One step of the merged ``action_chain`` answer."""

    verb: str
    target: str
    minutes: int
    description: str
    emoji: str = ""
    object_state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Steps:
    """``action_chain``: the activity's steps with objects, emoji and object states."""

    steps: tuple[ChainStep, ...]

    @classmethod
    @with_schema(schemas.steps_schema)
    def validate(cls, value: Any) -> Steps:
        data = _obj(value, "steps")
        raw = data.get("steps")
        if not isinstance(raw, list) or not raw:
            raise ValueError("'steps' must be a non-empty list")
        steps = []
        for i, x in enumerate(raw[:8]):
            item = _obj(x, f"step {i}")
            verb = _not_copied(_text(item, "verb", limit=40).lower(), f"step {i}'s verb")
            target = item.get("object") or ""
            if not isinstance(target, str):
                raise ValueError(f"step {i}: object must be an address string")
            description = _text(item, "description", limit=120, required=False)
            steps.append(
                ChainStep(
                    verb=verb,
                    target=_not_copied(target.strip(), f"step {i}'s object"),
                    minutes=_minutes(item, "minutes"),
                    description=_not_copied(description, f"step {i}'s description") or verb,
                    emoji=_blank_if_copied(_text(item, "emoji", limit=8, required=False)),
                    object_state=_blank_if_copied(
                        _text(item, "object_state", limit=80, required=False)
                    ),
                )
            )
        return cls(steps=tuple(steps))


@dataclass(frozen=True, slots=True, kw_only=True)
class Poignancy:
    """``poignancy``: 1..10."""

    score: int

    @classmethod
    @with_schema(schemas.POIGNANCY)
    def validate(cls, value: Any) -> Poignancy:
        if isinstance(value, Mapping):
            value = value.get("poignancy", value.get("importance", value.get("rating")))
        return cls(score=parse_importance(value))


@dataclass(frozen=True, slots=True, kw_only=True)
class PoignancyBatch:
    """``poignancy_batch``: one score 1..10 per memory asked about, in order."""

    scores: tuple[int, ...]

    @classmethod
    @with_schema(schemas.POIGNANCY_BATCH)
    def validate(cls, value: Any, *, count: int) -> PoignancyBatch:
        """Raises ValueError unless ``value`` gives exactly ``count`` scores (a list under
        ``poignancy``, or a bare list); each score is read as :class:`Poignancy` reads one."""
        if isinstance(value, Mapping):
            value = value.get("poignancy", value.get("scores", value.get("ratings")))
        if not isinstance(value, list):
            raise ValueError("'poignancy' must be a list of scores")
        if len(value) != count:
            raise ValueError(
                f"'poignancy' must give {count} scores, one per memory, not {len(value)}"
            )
        return cls(scores=tuple(parse_importance(v) for v in value))


def _flag(value: Any, key: str) -> bool:
    raw = value.get(key)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("yes", "true", "no", "false"):
        return raw.strip().lower() in ("yes", "true")
    raise ValueError(f"'{key}' must be true or false")


@dataclass(frozen=True, slots=True, kw_only=True)
class TalkDecision:
    """``decide_talk``."""

    talk: bool
    reason: str = ""

    @classmethod
    @with_schema(schemas.TALK)
    def validate(cls, value: Any) -> TalkDecision:
        data = _obj(value, "decision")
        return cls(talk=_flag(data, "talk"), reason=_text(data, "reason", required=False))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactDecision:
    """``decide_react``: wait for the other (for ``minutes``) or carry on."""

    wait: bool
    minutes: int = 10
    reason: str = ""

    @classmethod
    @with_schema(schemas.REACT)
    def validate(cls, value: Any) -> ReactDecision:
        data = _obj(value, "decision")
        choice = str(data.get("react", "")).strip().lower()
        if choice not in ("wait", "1", "continue", "2", "other", "do something else"):
            raise ValueError("'react' must be 'wait' or 'continue'")
        minutes = data.get("minutes", 10)
        try:
            wait_for = max(1, min(60, int(float(minutes))))
        except (TypeError, ValueError, OverflowError):
            wait_for = 10
        return cls(
            wait=choice in ("wait", "1"),
            minutes=wait_for,
            reason=_text(data, "reason", required=False),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """``utterance``: the line and whether the conversation ends with it."""

    text: str
    end: bool = False

    @classmethod
    @with_schema(schemas.LINE)
    def validate(cls, value: Any) -> Line:
        data = _obj(value, "line")
        line = data.get("line")
        if not isinstance(line, str) or not line.strip():
            raise ValueError("the answer must be an object with a 'line' string")
        end = data.get("end") is not None and _flag(data, "end")
        return cls(text=" ".join(line.split())[:300], end=end)


@dataclass(frozen=True, slots=True, kw_only=True)
class WholeConversation:
    """``conversation`` (one call for the whole exchange)."""

    lines: tuple[tuple[str, str], ...]

    @classmethod
    @with_schema(schemas.WHOLE_CONVERSATION)
    def validate(cls, value: Any) -> WholeConversation:
        data = _obj(value, "conversation")
        raw = data.get("lines")
        if not isinstance(raw, list):
            raise ValueError("the answer must be an object with a 'lines' list")
        lines = []
        for item in raw[:20]:
            if not (isinstance(item, list | tuple) and len(item) == 2):
                raise ValueError("each line must be [speaker, text]")
            lines.append((str(item[0]), " ".join(str(item[1]).split())[:300]))
        return cls(lines=tuple(lines))


@dataclass(frozen=True, slots=True, kw_only=True)
class Commitment:
    """Something agreed in a conversation: what, which day (0 today, 1 tomorrow, 2..7 a
    later day of the coming week), when, for how long, where."""

    activity: str
    day_offset: int
    start: int
    duration: int
    place: str

    def to_dict(self) -> dict[str, Any]:
        h, m = divmod(self.start, 60)
        return {
            "activity": self.activity,
            "start": f"{h:02d}:{m:02d}",
            "duration": self.duration,
            "place": self.place,
        }


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS = {name: i for i, name in enumerate(_WEEKDAY_NAMES)} | {
    name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)
}
_WEEKDAY_WORDS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_WEEKDAY_WORDS |= {name + "s": i for i, name in enumerate(_WEEKDAY_NAMES)}  # "on mondays"
_DAY_WORDS = re.compile(r"[a-z]+|\d+")
_DATE = re.compile(r"\d+\s*[/.-]\s*\d+|\b\d+(?:st|nd|rd|th)\b")
_MONTHS = frozenset(
    (
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "apr",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    )
)  # "may" and "mar" left out: a date with them has a number
_TODAY = frozenset(("today", "tonight"))
_NOT_TODAY = frozenset(("next", "week", "weekend", "month", "year", "someday", "sometime"))


def day_offset(day: str, *, today: int | None = None) -> int | None:
    """How many days after today an answer's ``day`` is: 0 today, 1 tomorrow, 2 the day
    after; with ``today`` (the game day; day 1 is a Monday, as
    ``AgentProfile.is_work_day`` counts) a weekday name is placed in the coming week
    ("saturday" on a Tuesday is 4, "tuesday" on a Tuesday 0, "next tuesday" 7) and
    "day 5" is game day 5. None when a day is named that cannot be placed (a weekday or
    day number while today is unknown, a past day, a calendar date, "next week"): a
    thought about a later day, never today.

    A text naming no day ("", "today", "tonight at 18:00", "this evening", "after work")
    is today, as it always was.
    """
    lowered = day.lower()
    words = _DAY_WORDS.findall(lowered)
    if "day after tomorrow" in " ".join(words):
        return 2
    if any(w.startswith("tom") or w in ("tmrw", "tmr", "tmw") for w in words):
        return 1
    weekdays = [_WEEKDAY_WORDS[w] for w in words if w in _WEEKDAY_WORDS]
    if weekdays:
        if today is None:
            return None
        ahead = (weekdays[0] - (today - 1)) % 7
        return 7 if ahead == 0 and "next" in words else ahead
    if len(words) >= 2 and words[0] == "day" and words[1].isdigit():
        number = int(words[1])
        return None if today is None or number < today else number - today
    if _TODAY.intersection(words):
        return 0
    if _DATE.search(lowered) or _MONTHS.intersection(words) or _NOT_TODAY.intersection(words):
        return None
    return 0


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanningThought:
    """``planning_thought``: the thought and any agreed plan.

    The plan's ``day`` is read by :func:`day_offset`: only a day that is today (named as
    today or not named) is scheduled as today; "saturday" on a Tuesday is a plan for
    Saturday when the validator knows today (:meth:`on_day`), else a thought only - never a
    change of today's plan.
    """

    thought: str
    plan: Commitment | None

    @classmethod
    def on_day(cls, day: int) -> Callable[[Any], PlanningThought]:
        """The validator for an answer asked on game ``day`` (weekday names placed)."""
        return functools.partial(cls.validate, today=day)

    @classmethod
    @with_schema(schemas.PLANNING_THOUGHT)
    def validate(cls, value: Any, *, today: int | None = None) -> PlanningThought:
        data = _obj(value, "planning thought")
        thought = _text(data, "thought", limit=300, required=False)
        raw = data.get("plan")
        plan = None
        if isinstance(raw, Mapping) and raw.get("activity"):
            offset = day_offset(str(raw.get("day") or "today"), today=today)
            try:
                if offset is None:
                    raise ValueError("a day that cannot be placed")
                plan = Commitment(
                    activity=_text(raw, "activity", limit=120),
                    day_offset=offset,
                    start=parse_hhmm(raw.get("start", "18:00")),
                    duration=max(15, min(240, _minutes(raw, "duration", default=60))),
                    place=_text(raw, "place", limit=80, required=False),
                )
            except ValueError:
                plan = None  # a vague plan (or one for a day not placed) is a thought only
        elif raw is not None and not isinstance(raw, Mapping):
            raise ValueError("'plan' must be an object or null")
        return cls(thought=thought or "nothing to plan", plan=plan)


@dataclass(frozen=True, slots=True, kw_only=True)
class FocalPoints:
    """``focal_points``: up to three questions."""

    questions: tuple[str, ...]

    @classmethod
    @with_schema(schemas.FOCAL_POINTS)
    def validate(cls, value: Any) -> FocalPoints:
        data = _obj(value, "focal points")
        raw = data.get("questions")
        if not isinstance(raw, list) or not raw:
            raise ValueError("'questions' must be a non-empty list")
        return cls(questions=tuple(" ".join(str(q).split())[:200] for q in raw[:3]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Insight:
    text: str
    evidence: tuple[int, ...]
    poignancy: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """``insights``: insights with the (1-based) statement numbers they rest on."""

    items: tuple[Insight, ...]

    @classmethod
    @with_schema(schemas.INSIGHTS)
    def validate(cls, value: Any) -> Insights:
        data = _obj(value, "insights")
        raw = data.get("insights")
        if not isinstance(raw, list) or not raw:
            raise ValueError("'insights' must be a non-empty list")
        items = []
        for x in raw[:8]:
            if isinstance(x, str):
                text = " ".join(x.split())[:200]
                if text:  # a blank insight is no memory
                    items.append(Insight(text=text, evidence=()))
                continue
            item = _obj(x, "insight")
            evidence = item.get("because_of", ())
            numbers = tuple(
                int(n) for n in (evidence if isinstance(evidence, list) else []) if _is_int(n)
            )
            score = item.get("poignancy")
            items.append(
                Insight(
                    text=_text(item, "insight", limit=200),
                    evidence=numbers,
                    poignancy=parse_importance(score) if score is not None else None,
                )
            )
        if not items:
            raise ValueError("'insights' must be a non-empty list of insights")
        return cls(items=tuple(items))


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def _importance(value: Any) -> int | None:
    try:
        return max(1, min(10, int(value)))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialAnswer:
    """``relationship``: one side's Social Memory update and the conversation's
    importance for it."""

    update: SocialUpdate
    importance: int | None = None

    @classmethod
    @with_schema(schemas.RELATIONSHIP)
    def validate(cls, value: Any) -> SocialAnswer:
        data = _obj(value, "relationship update")
        return cls(
            update=SocialUpdate.from_llm(data), importance=_importance(data.get("importance"))
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class JointUpdate:
    """``relationship`` asked once for both sides (the ``aga`` mode's saving)."""

    a: SocialAnswer
    b: SocialAnswer

    @classmethod
    @with_schema(schemas.JOINT_RELATIONSHIP)
    def validate(cls, value: Any) -> JointUpdate:
        data = _obj(value, "joint relationship update")
        sides = []
        for key in ("a_about_b", "b_about_a"):
            try:
                sides.append(SocialAnswer.validate(data.get(key)))
            except ValueError as exc:  # say which side is wrong
                raise ValueError(f"'{key}': {exc}") from None
        return cls(a=sides[0], b=sides[1])


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerInvitation:
    """The place and time of an invitation the player made, as the model read them, and
    whether the NPC accepts (the town still checks the place and the time)."""

    place: str
    time: int | None
    accepted: bool = True


_TONE_WORDS = {
    "kind": "kind",
    "friendly": "kind",
    "warm": "kind",
    "polite": "kind",
    "positive": "kind",
    "nice": "kind",
    "rude": "rude",
    "hostile": "rude",
    "mean": "rude",
    "insulting": "rude",
    "negative": "rude",
    "angry": "rude",
    "neutral": "neutral",
}
PLAYER_ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reply": {"type": "string"},
        "intent": {"type": "string", "enum": list(INTENTS)},
        "invitation": {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {
                        "place": {"type": "string"},
                        "time": {"type": "string"},
                        "accepted": {"type": "boolean"},
                    },
                    "required": ["place", "time", "accepted"],
                    "additionalProperties": False,
                },
                {"type": "null"},
            ]
        },
        "tone": {"type": "string", "enum": list(TONES)},
    },
    "required": ["reply", "intent", "invitation", "tone"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerAnswer:
    """``player_reply``: what the NPC says to the player and how the model read the
    player's line (intent, an invitation's place and time, the tone). Empty ``intent`` or
    ``tone``: the model did not say (the town reads them from the words instead)."""

    reply: str
    intent: str = ""
    invitation: PlayerInvitation | None = None
    tone: str = ""

    @classmethod
    @with_schema(PLAYER_ANSWER_SCHEMA)
    def validate(cls, value: Any) -> PlayerAnswer:
        data = _obj(value, "player reply")
        reply = next(
            (
                data[k]
                for k in ("reply", "line", "answer", "text", "say")
                if isinstance(data.get(k), str) and data[k].strip()
            ),
            None,
        )
        if reply is None:
            raise ValueError("the answer must be an object with a 'reply' string")
        intent = str(data.get("intent") or "").strip().lower().replace(" ", "_")
        tone = _TONE_WORDS.get(str(data.get("tone") or "").strip().lower(), "")
        raw = data.get("invitation")
        invitation = None
        if isinstance(raw, Mapping) and (raw.get("place") or raw.get("time")):
            try:
                start: int | None = parse_hhmm(raw.get("time", ""))
            except ValueError:
                start = None
            accepted = raw.get("accepted", True)
            invitation = PlayerInvitation(
                place=_text(raw, "place", limit=80, required=False),
                time=start,
                accepted=accepted
                if isinstance(accepted, bool)
                else str(accepted).lower() not in ("false", "no", "0"),
            )
        return cls(
            reply=" ".join(reply.split())[:400],
            intent=intent if intent in INTENTS else "",
            invitation=invitation,
            tone=tone,
        )
