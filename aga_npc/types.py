"""Value types shared by every layer: LLM requests and results, usage, and world facts.

All types are frozen, slotted, keyword-only dataclasses that validate themselves in
``__post_init__`` and round-trip to plain data (``to_dict`` / ``from_dict``) for msgpack.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aga_npc.places import Address

__all__ = [
    "Action",
    "CallResult",
    "ChatMessage",
    "LLMRequest",
    "LLMResult",
    "Module",
    "ObjectInfo",
    "Priority",
    "Usage",
]


class Module(enum.StrEnum):
    """The kind of an LLM request: which step of the cognitive loop asked (the token ledger,
    the reports and the offline stand-in all go by it).

    Generative Agents' loop, in the order an agent's day makes the calls: wake-up hour,
    daily plan, hourly schedule, task decomposition, then per action the sector, arena and
    object, two emoji, two event triples and the object's state; poignancy of every new
    event and thought; decide to talk / react; re-planning the rest of the day; per
    conversation line a relationship summary and the utterance, and at its end a summary,
    a memo and a planning thought; reflection's focal points and insights. AGA adds the
    Social Memory update; ``ACTION_CHAIN`` is this project's merged decomposition (one call
    for the steps with their places, objects, emoji, triples and states).
    """

    WAKE_UP = "wake_up"
    DAILY_PLAN = "daily_plan"
    HOURLY_SCHEDULE = "hourly_schedule"
    DECOMPOSE = "decompose"
    ACTION_SECTOR = "action_sector"
    ACTION_ARENA = "action_arena"
    ACTION_OBJECT = "action_object"
    ACTION_EMOJI = "action_emoji"
    OBJECT_EMOJI = "object_emoji"
    ACTION_EVENT = "action_event"
    OBJECT_EVENT = "object_event"
    OBJECT_STATE = "object_state"
    ACTION_CHAIN = "action_chain"
    POIGNANCY = "poignancy"
    POIGNANCY_BATCH = "poignancy_batch"
    DECIDE_TALK = "decide_talk"
    DECIDE_REACT = "decide_react"
    REPLAN = "replan"
    RELATIONSHIP_SUMMARY = "relationship_summary"
    UTTERANCE = "utterance"
    CONVERSATION = "conversation"
    CONVO_SUMMARY = "convo_summary"
    CONVO_MEMO = "convo_memo"
    PLANNING_THOUGHT = "planning_thought"
    FOCAL_POINTS = "focal_points"
    INSIGHTS = "insights"
    RELATIONSHIP = "relationship"
    PLAYER_REPLY = "player_reply"
    OTHER = "other"


class Priority(enum.IntEnum):
    """Lower value is served first. NPCs near the player get ``HIGH`` or ``PLAYER``."""

    PLAYER = 0
    HIGH = 10
    NORMAL = 50
    LOW = 90


_ROLES = frozenset({"system", "user", "assistant"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    """One chat message in OpenAI format."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise ValueError(f"ChatMessage.role must be one of {sorted(_ROLES)}, got {self.role!r}")
        if not isinstance(self.content, str):
            raise TypeError("ChatMessage.content must be a str")

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChatMessage:
        return cls(role=str(data["role"]), content=str(data["content"]))


# A validator receives the parsed JSON value and returns it (possibly normalised) or raises
# ValueError with a message saying what is wrong; the JSON wrapper re-asks with that message.
Validator = Callable[[Any], Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class LLMRequest:
    """A request for one chat completion, as the brain submits it to the gateway.

    Attributes:
        agent: the NPC (or "player", "system") the request is made for.
        module: which cognitive module asks; the ledger groups by it.
        messages: the chat messages.
        json: whether a JSON object is expected; ``validator`` then checks its shape.
        validator: optional callable applied to the parsed JSON (raises ValueError when bad).
        priority: queue priority (lower first).
        deadline: optional absolute deadline in the gateway clock's seconds
            (``time.monotonic()`` for the threaded gateway); expired requests are dropped.
        dedup_key: identical keys in flight are coalesced into one backend call.
            Defaults to a hash of the request content.
        allow_fallback: the caller can live without the answer (cached routine or idle);
            such requests are refused at once when over budget.
        stream: stream the completion token by token (dialogue lines).
        max_tokens: completion limit passed to the backend.
        temperature: sampling temperature passed to the backend.
        seed: optional sampling seed passed to backends that honour it.
        day: the game day the request is made for (the ledger's measurement window; not
            part of the content hash).
    """

    agent: str
    module: Module | str
    messages: tuple[ChatMessage, ...]
    json: bool = False
    validator: Validator | None = field(default=None, compare=False, hash=False, repr=False)
    priority: int = Priority.NORMAL
    deadline: float | None = None
    dedup_key: str | None = None
    allow_fallback: bool = True
    stream: bool = False
    max_tokens: int = 512
    temperature: float = 0.7
    seed: int | None = None
    day: int = 0

    def __post_init__(self) -> None:
        if not self.agent:
            raise ValueError("LLMRequest.agent must not be empty")
        if not isinstance(self.messages, tuple):
            object.__setattr__(self, "messages", tuple(self.messages))
        if not self.messages:
            raise ValueError("LLMRequest.messages must not be empty")
        for m in self.messages:
            if not isinstance(m, ChatMessage):
                raise TypeError("LLMRequest.messages must hold ChatMessage values")
        if self.max_tokens <= 0:
            raise ValueError("LLMRequest.max_tokens must be positive")
        if not 0.0 <= self.temperature <= 2.0:
            raise ValueError("LLMRequest.temperature must be within [0, 2]")

    @property
    def module_name(self) -> str:
        """The module as a plain string."""
        return self.module.value if isinstance(self.module, Module) else str(self.module)

    def content_hash(self) -> str:
        """A stable hash of what the backend sees (messages, json flag, limits, seed).

        Used for record/replay keys and as the default coalescing key. Agent, priority and
        deadline are not part of it: two agents asking the same thing get the same answer.
        """
        payload = {
            "module": self.module_name,
            "messages": [m.to_dict() for m in self.messages],
            "json": self.json,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "seed": self.seed,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def effective_dedup_key(self) -> str:
        """The key used for coalescing identical in-flight requests."""
        return self.dedup_key if self.dedup_key is not None else self.content_hash()

    def prompt_text(self) -> str:
        """All message contents joined, for token estimates and logs."""
        return "\n".join(m.content for m in self.messages)


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """Token usage of one call.

    ``cached_tokens``: of the prompt tokens, those the server served from its prompt
    (prefix) cache (``usage.prompt_tokens_details.cached_tokens``; 0 when not reported).
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def __post_init__(self) -> None:
        if self.prompt_tokens < 0 or self.completion_tokens < 0 or self.cached_tokens < 0:
            raise ValueError("token counts must be non-negative")

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        out = {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}
        if self.cached_tokens:
            out["cached_tokens"] = self.cached_tokens
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Usage:
        return cls(
            prompt_tokens=int(data.get("prompt_tokens", 0)),
            completion_tokens=int(data.get("completion_tokens", 0)),
            cached_tokens=int(data.get("cached_tokens", 0)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LLMResult:
    """The outcome of one request: text and parsed value on success, or a typed error.

    Attributes:
        text: the completion text ("" on failure).
        parsed: the parsed (and validated) JSON value for JSON requests, else None.
        usage: tokens spent, summed over every attempt (retries and re-asks included).
        latency: wall seconds from the first attempt to the result.
        attempts: backend calls made (1 when served at once; 0 when refused; a replay: the
            recorded run's).
        error: the exception when the request failed (an ``aga_npc.errors.LLMError``).
        backend: name of the backend that answered ("openai", "offline", "fake", "replay").
        model: the model name reported by the backend.
        outcome: the ledger outcome ("ok", "retried", "failed", "refused", "coalesced",
            "replayed", "cancelled", "expired").
    """

    text: str = ""
    parsed: Any = None
    usage: Usage = field(default_factory=Usage)
    latency: float = 0.0
    attempts: int = 1
    error: BaseException | None = None
    backend: str = ""
    model: str = ""
    outcome: str = "ok"

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallResult:
    """The outcome of a blocking call run off the main thread (``gateway.submit_call``).

    Not an LLM call: nothing here touches the token ledger.

    Attributes:
        value: what the callable returned (None on failure).
        error: the exception it raised, or the gateway's ``RequestCancelledError`` /
            ``DeadlineExceededError`` / ``GatewayClosedError``; None on success.
        latency: wall seconds the callable ran (0.0 when it never ran).
        agent: who asked (free text, for stats and logs).
        kind: what was asked (``"embed"``, ...), for stats and logs.
        outcome: ``"ok"``, ``"failed"``, ``"cancelled"`` or ``"expired"``.
    """

    value: Any = None
    error: BaseException | None = None
    latency: float = 0.0
    agent: str = ""
    kind: str = "call"
    outcome: str = "ok"

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectInfo:
    """What a world view tells about one interactable object (read-only facts).

    Attributes:
        address: ``sector:arena:object`` address, unique in the world.
        kind: object kind (bed, stove, desk, ...).
        sector: the sector (building or area) the object is in.
        arena: the arena (room) the object is in.
        name: the object's own name (last address part).
        state: current state (one of ``states``; "" when stateless).
        states: the states this object can be in.
        capacity: how many agents can use it at once.
        occupants: agents currently using it.
        affordances: verbs this object supports (sleep, cook, eat, ...).
        tile: the (x, y) tile agents stand on to use it.
    """

    address: str
    kind: str
    sector: str
    arena: str
    name: str
    state: str = ""
    states: tuple[str, ...] = ()
    capacity: int = 1
    occupants: tuple[str, ...] = ()
    affordances: tuple[str, ...] = ()
    tile: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        parsed = Address.try_parse(self.address)
        if parsed is None or not parsed.is_object:
            raise ValueError(f"object address must read sector:arena:object, got {self.address!r}")
        if self.capacity < 1:
            raise ValueError(f"object capacity must be >= 1, got {self.capacity} ({self.address})")

    @property
    def free_capacity(self) -> int:
        return max(0, self.capacity - len(self.occupants))


def as_messages(pairs: Sequence[tuple[str, str]]) -> tuple[ChatMessage, ...]:
    """Build a message tuple from ``(role, content)`` pairs."""
    return tuple(ChatMessage(role=r, content=c) for r, c in pairs)


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One concrete step of an activity: a verb on an object for some game minutes.

    The optional fields are what Generative Agents' per-action chain produces besides the
    place (emoji, event triples, the object's new state); a Lifestyle Policy routine stores
    them so that a reused routine needs none of those calls.

    Attributes:
        verb: what is done (one of the target object's affordances, e.g. "cook").
        target: the object's address ``sector:arena:object``; the sector may be a place
            symbol (``@home``, ``@work``) so one stored routine serves every agent of a role.
            Empty for actions on no object (e.g. "think about the party").
        duration: game minutes, >= 1.
        description: natural-language description shown to players ("frying eggs").
        emoji: the action's emoji ("🍳").
        event: the action as (subject, predicate, object), subject "" for "the agent".
        object_state: what the object is doing meanwhile ("heating the pan").
        object_emoji: the object's emoji while in that state.
        object_event: the object's event triple.
    """

    verb: str
    target: str = ""
    duration: int = 5
    description: str = ""
    emoji: str = ""
    event: tuple[str, ...] = ()
    object_state: str = ""
    object_emoji: str = ""
    object_event: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.verb:
            raise ValueError("Action.verb must not be empty")
        if self.duration < 1:
            raise ValueError(f"Action.duration must be >= 1 minute, got {self.duration}")
        if self.target:
            parsed = Address.try_parse(self.target)
            if parsed is None or not parsed.is_object:
                raise ValueError(
                    f"Action.target must read sector:arena:object, got {self.target!r}"
                )
        for name in ("event", "object_event"):
            triple = getattr(self, name)
            if not isinstance(triple, tuple):
                object.__setattr__(self, name, tuple(str(x) for x in triple))
                triple = getattr(self, name)
            if triple and len(triple) != 3:
                raise ValueError(f"Action.{name} must be a (subject, predicate, object) triple")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verb": self.verb,
            "target": self.target,
            "duration": self.duration,
            "description": self.description,
        }
        for name in ("emoji", "object_state", "object_emoji"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        for name in ("event", "object_event"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Action:
        return cls(
            verb=str(data["verb"]),
            target=str(data.get("target", "")),
            duration=int(data.get("duration", 5)),
            description=str(data.get("description", "")),
            emoji=str(data.get("emoji", "")),
            event=tuple(str(x) for x in data.get("event", ())),
            object_state=str(data.get("object_state", "")),
            object_emoji=str(data.get("object_emoji", "")),
            object_event=tuple(str(x) for x in data.get("object_event", ())),
        )

    def with_(self, **changes: Any) -> Action:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)
