"""NPC-NPC conversations: who starts one, turn generation, and what is learned afterwards.

A turn in a Social Memory mode is one LLM call whose prompt is the last round plus the
speaker's Social Memory about the listener. The baseline does what Generative Agents does
before every line: retrieve raw memories relevant to the last line, ask the LLM to
summarise the relationship from them, then ask for the line with the summary and the raw
memories. Far from the player a conversation may instead be generated as one whole
exchange (cognitive level of detail, ``lod="whole"``).

After a conversation each side makes one relationship update call (relationship, feeling,
closeness, summary events, an agreed plan) in every mode, remembers what was said, and an
agreed plan becomes an invitation in the next daily plan.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from aga_npc.brain.npc import NpcBrain
from aga_npc.memory.events import EventKind, texts
from aga_npc.planning.schedule import format_hhmm, parse_hhmm
from aga_npc.prompts import (
    conversation_turn_messages,
    conversation_whole_messages,
    relationship_messages,
    relationship_summary_messages,
)
from aga_npc.social.conversation_rules import (
    ConversationRules,
    TalkerState,
    conversation_should_end,
    should_start_conversation,
)
from aga_npc.social.social_memory import SocialMemory, SocialUpdate
from aga_npc.types import LLMRequest, Module, Priority

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["Conversation", "ConversationManager"]

CHECK_EVERY = 5
RAW_MEMORIES = 10
MAX_TURNS = 8


@dataclass(slots=True)
class Conversation:
    """One conversation in progress."""

    a: str
    b: str
    place: str
    started: int
    lod: str
    max_turns: int
    turns: list[tuple[str, str]] = field(default_factory=list)
    phase: str = "talk"  # talk -> wrap -> done
    stage: str = ""  # baseline turn stages: embed -> summary -> line
    ticket: Any = None
    retrieved: list[str] = field(default_factory=list)
    summary: str = ""
    wraps_pending: int = 0
    ended: int = 0

    def speaker(self) -> tuple[str, str]:
        """(speaker, listener) of the next line."""
        return (self.a, self.b) if len(self.turns) % 2 == 0 else (self.b, self.a)


class ConversationManager:
    """Starts and advances conversations between NPCs.

    Args:
        social_prompts: dialogue prompts carry Social Memory (AGA, social-only) instead of
            raw retrieved memories (baseline, lifestyle-only).
        lod: "turns" (one call per line) or "whole" (one call per conversation).
        rules: the start rules.
        seed: seeds the start rolls.
    """

    def __init__(
        self,
        *,
        social_prompts: bool,
        lod: str = "turns",
        rules: ConversationRules | None = None,
        seed: int = 0,
        max_turns: int = MAX_TURNS,
    ) -> None:
        if lod not in ("turns", "whole"):
            raise ValueError(f"lod must be 'turns' or 'whole', got {lod!r}")
        self.social_prompts = social_prompts
        self.lod = lod
        self.rules = rules or ConversationRules()
        self.rng = random.Random(f"talk:{seed}")
        self.max_turns = max_turns
        self.active: dict[str, Conversation] = {}
        self.finished: list[dict[str, Any]] = []
        self.talks_today: dict[tuple[str, int], int] = {}
        self.last_end: dict[str, int] = {}
        self.turn_prompt_tokens: list[int] = []
        self.started = 0
        # this game minute's work still to do when it is spread over frames (``limit``)
        self._minute: int | None = None
        self._due: deque[Conversation] = deque()
        self._to_consider: deque[str] = deque()

    # ------------------------------------------------------------------ driving
    def step(
        self, now: int, town: Town, *, limit: int | None = None, ms: float | None = None
    ) -> bool:
        """Advance every conversation once per game minute; every few minutes, consider
        starting new ones for every agent.

        With ``limit`` (a frame loop calls this every frame), at most ``limit`` work items
        (one conversation advanced, or one agent considered) are done per call, and none
        after ``ms`` milliseconds once one is done; the rest goes on in the next calls. A
        new minute queues every conversation again (those left over first) and, on check
        minutes, every agent not yet queued. Without ``limit`` the minute's work is done at
        once (the headless simulation calls this once per game minute).

        Returns True when nothing of this minute's work is left.
        """
        if now != self._minute:
            self._minute = now
            queued = {id(c) for c in self._due}
            for convo in self.active.values():
                if id(convo) not in queued:
                    queued.add(id(convo))
                    self._due.append(convo)
            if now % CHECK_EVERY == 0:
                waiting = set(self._to_consider)
                self._to_consider.extend(n for n in town.names() if n not in waiting)
        if limit is None:
            while self._due:
                self._advance_due(self._due.popleft(), now, town)
            if self._to_consider:
                around = town.neighbourhoods(self.rules.max_distance)
                while self._to_consider:
                    a = self._to_consider.popleft()
                    self._consider(a, now, town, around.get(a, ()))
            return True
        started = time.perf_counter()
        done = 0
        while (self._due or self._to_consider) and done < limit:
            if done and ms is not None and (time.perf_counter() - started) * 1000.0 >= ms:
                break
            if self._due:
                self._advance_due(self._due.popleft(), now, town)
            else:
                a = self._to_consider.popleft()
                self._consider(a, now, town, town.nearby(a, self.rules.max_distance))
            done += 1
        return not (self._due or self._to_consider)

    def _advance_due(self, convo: Conversation, now: int, town: Town) -> None:
        if self.active.get(convo.a) is convo:  # not ended since it was queued
            self._advance(convo, now, town)

    def _consider(self, a: str, now: int, town: Town, around: Iterable[tuple[str, float]]) -> None:
        """Roll whether ``a`` starts talking with one of the agents ``around`` it."""
        day = now // 1440
        if a in self.active:
            return
        brain_a = town.brains[a]
        for b, _dist in around:
            if b <= a or b in self.active or a in self.active:
                continue
            brain_b = town.brains[b]
            state_a = self._talker(a, brain_a, town, day)
            state_b = self._talker(b, brain_b, town, day)
            social_a = _social(brain_a)
            decision = should_start_conversation(state_a, state_b, social_a, now, self.rng)
            if decision.rolled:
                social_a.note_considered(b, now)
                _social(brain_b).note_considered(a, now)
            if decision.start:
                self._start(a, b, now, town)
                break

    def _talker(self, name: str, brain: NpcBrain, town: Town, day: int) -> TalkerState:
        tile = town.world.agent_tile(name) or (0, 0)
        place = town.world.agent_place(name)
        intent = brain.intent
        asleep = intent.verb in ("sleep", "nap")
        return TalkerState(
            name=name,
            tile=tile,
            sector=place[0] if place else None,
            busy=not brain.available_for_chat(),
            asleep=asleep,
            in_conversation=name in self.active,
            talks_today=self.talks_today.get((name, day), 0),
            last_conversation_end=self.last_end.get(name),
        )

    def _start(self, a: str, b: str, now: int, town: Town) -> None:
        place = town.world.agent_place(a)
        convo = Conversation(
            a=a,
            b=b,
            place=place[0] if place else "the street",
            started=now,
            lod=self.lod,
            max_turns=self.max_turns,
        )
        self.active[a] = convo
        self.active[b] = convo
        self.started += 1
        day = now // 1440
        for name in (a, b):
            self.talks_today[(name, day)] = self.talks_today.get((name, day), 0) + 1
            town.brains[name].begin_talk(b if name == a else a)

    def interrupt(self, name: str, town: Town) -> None:
        """End ``name``'s conversation at once (the player wants to talk to it)."""
        convo = self.active.get(name)
        if convo is None:
            return
        if convo.ticket is not None:
            convo.ticket.cancel()
            convo.ticket = None
        self._finish(convo, town.now, town)

    # ------------------------------------------------------------------ turns
    def _advance(self, convo: Conversation, now: int, town: Town) -> None:
        if convo.ticket is not None:
            if not convo.ticket.done():
                return
            result = convo.ticket.result()
            convo.ticket = None
            self._on_result(convo, result, now, town)
            return
        if convo.phase == "talk":
            if convo.lod == "whole":
                self._ask_whole(convo, now, town)
            elif self.social_prompts:
                self._ask_line(convo, now, town, social=True)
            else:
                self._baseline_stage(convo, now, town)
        elif convo.phase == "wrap" and convo.wraps_pending == 0:
            self._finish(convo, now, town)

    def _ask_whole(self, convo: Conversation, now: int, town: Town) -> None:
        brain_a, brain_b = town.brains[convo.a], town.brains[convo.b]
        social = self.social_prompts
        messages = conversation_whole_messages(
            a=_persona(brain_a),
            b=_persona(brain_b),
            place=convo.place,
            time=format_hhmm(now),
            social_a=_social_context(brain_a, convo.b, now) if social else None,
            social_b=_social_context(brain_b, convo.a, now) if social else None,
            memories_a=None if social else _raw_memories(brain_a, convo.b, None, now),
            memories_b=None if social else _raw_memories(brain_b, convo.a, None, now),
            max_turns=convo.max_turns,
        )
        convo.stage = "whole"
        convo.ticket = town.gateway.submit(
            _request(convo.a, Module.CONVERSATION, messages, json=True, validate=_validate_lines)
        )

    def _baseline_stage(self, convo: Conversation, now: int, town: Town) -> None:
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        if convo.stage in ("", "line_done"):
            query = convo.turns[-1][1] if convo.turns else f"{listener}"
            vector = brain.services.cached_vector(query)
            if vector is None:
                convo.stage = "embed"
                convo.ticket = town.gateway.submit_call(
                    brain.services.embedder.embed,
                    [query],
                    agent=speaker,
                    kind="embed",
                    priority=Priority.HIGH,
                )
                return
            convo.retrieved = _raw_memories(brain, listener, vector, now)
            convo.stage = "embedded"
        if convo.stage == "embedded":
            convo.stage = "summary"
            messages = relationship_summary_messages(
                name=speaker, other=listener, memories=convo.retrieved
            )
            convo.ticket = town.gateway.submit(
                _request(speaker, Module.SUMMARY, messages, json=False)
            )
            return
        if convo.stage == "summarised":
            memories = [f"Relationship: {convo.summary}", *convo.retrieved]
            self._ask_line(convo, now, town, social=False, memories=memories)

    def _ask_line(
        self,
        convo: Conversation,
        now: int,
        town: Town,
        *,
        social: bool,
        memories: list[str] | None = None,
    ) -> None:
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        messages = conversation_turn_messages(
            speaker=_persona(brain),
            listener=listener,
            place=convo.place,
            time=format_hhmm(now),
            last_round=convo.turns[-2:],
            social=_social_context(brain, listener, now) if social else None,
            memories=None if social else (memories or []),
            turn=len(convo.turns),
            max_turns=convo.max_turns,
        )
        convo.stage = "line"
        convo.ticket = town.gateway.submit(
            _request(speaker, Module.CONVERSATION, messages, json=True, validate=_validate_line)
        )

    def _on_result(self, convo: Conversation, result: Any, now: int, town: Town) -> None:
        failed = getattr(result, "error", None) is not None
        if convo.stage == "embed":
            speaker, listener = convo.speaker()
            vector = None if failed else _first_row(result)
            convo.retrieved = _raw_memories(town.brains[speaker], listener, vector, now)
            convo.stage = "embedded"
            return
        if convo.stage == "summary":
            convo.summary = "" if failed else result.text.strip()[:400]
            convo.stage = "summarised"
            return
        if convo.stage == "line":
            if failed:
                self._wrap(convo, now, town)
                return
            self.turn_prompt_tokens.append(int(result.usage.prompt_tokens))
            speaker, _ = convo.speaker()
            line = str(result.parsed.get("line", "")).strip()[:300]
            convo.turns.append((speaker, line))
            convo.stage = "line_done"
            ended = (
                bool(result.parsed.get("end"))
                or conversation_should_end(
                    len(convo.turns), convo.max_turns, [t[1] for t in convo.turns]
                ).end
            )
            if ended:
                self._wrap(convo, now, town)
            return
        if convo.stage == "whole":
            if not failed:
                for who, line in result.parsed["lines"][: convo.max_turns]:
                    name = convo.a if str(who) == convo.a else convo.b
                    convo.turns.append((name, str(line)[:300]))
            self._wrap(convo, now, town)
            return
        if convo.stage == "wrap":
            convo.wraps_pending -= 1

    # ------------------------------------------------------------------ afterwards
    def _wrap(self, convo: Conversation, now: int, town: Town) -> None:
        """Ask each side (one call each) how it now sees the other."""
        convo.phase = "wrap"
        convo.stage = "wrap"
        convo.ended = now
        if not convo.turns:
            return
        for name, other in ((convo.a, convo.b), (convo.b, convo.a)):
            brain = town.brains[name]
            record = _social(brain).record_for(other)
            messages = relationship_messages(
                name=name,
                other=other,
                transcript=convo.turns,
                current={
                    "relationship": record.relationship,
                    "feeling": record.feeling,
                    "closeness": record.closeness,
                },
            )
            request = _request(
                name, Module.RELATIONSHIP, messages, json=True, validate=_validate_update
            )
            convo.wraps_pending += 1
            brain.submit_aux(
                "relationship", request, partial(self._on_update, convo, name, other, town=town)
            )

    def _on_update(
        self, convo: Conversation, name: str, other: str, result: Any, *, town: Town
    ) -> None:
        convo.wraps_pending -= 1
        brain = town.brains[name]
        now = town.now
        social = brain.mind.social
        ok = getattr(result, "error", None) is None and isinstance(result.parsed, Mapping)
        gist = "; ".join(line for who, line in convo.turns if who == other)[:240]
        brain.mind.remember(
            now,
            EventKind.SAID,
            f"{name} talked with {other} at {convo.place}: {other} said {gist}",
            people=(other,),
            importance=_importance(result.parsed) if ok else None,
        )
        if not ok:
            social.apply_update(other, now=now, closeness_delta=0.5)
            return
        update = SocialUpdate.from_llm(result.parsed)
        social.apply(other, update, now=now)
        about = brain.mind.stream.retrieve(None, now, k=3, person=other, touch=False)
        social.add_summary_events(other, texts(about), now=now)
        plan = result.parsed.get("plan")
        if isinstance(plan, Mapping) and plan.get("activity"):
            invitation = _invitation(plan, now)
            if invitation is not None:
                brain.add_invitation(invitation)

    def _finish(self, convo: Conversation, now: int, town: Town) -> None:
        for name in (convo.a, convo.b):
            self.active.pop(name, None)
            self.last_end[name] = now
            brain = town.brains[name]
            if brain.talk_partner in (convo.a, convo.b):
                brain.end_talk()
        self.finished.append(
            {
                "a": convo.a,
                "b": convo.b,
                "start": convo.started,
                "end": now,
                "place": convo.place,
                "lines": [[w, t] for w, t in convo.turns],
            }
        )
        del self.finished[:-200]


# ---------------------------------------------------------------------- helpers
def _social(brain: NpcBrain) -> SocialMemory:
    return brain.mind.social


def _persona(brain: NpcBrain) -> dict[str, Any]:
    fields = brain.profile.prompt_fields()
    keep = ("name", "age", "traits", "currently", "role", "workplace")
    return {k: fields[k] for k in keep if k in fields}


def _social_context(brain: NpcBrain, other: str, now: int) -> dict[str, Any]:
    record = _social(brain).record_for(other)
    return {
        "about": other,
        "relationship": record.relationship,
        "feeling": record.feeling,
        "closeness": record.closeness,
        "summary_events": list(record.summary),
        "topics": list(record.topics),
    }


def _raw_memories(brain: NpcBrain, other: str, vector: Any, now: int) -> list[str]:
    hits = brain.mind.stream.retrieve(vector, now, k=RAW_MEMORIES)
    about = brain.mind.stream.retrieve(None, now, k=3, person=other)
    seen: list[str] = []
    for text in texts(about) + texts(hits):
        if text not in seen:
            seen.append(text)
    return seen[:RAW_MEMORIES]


def _first_row(result: Any) -> Any:
    value = getattr(result, "value", None)
    if value is None:
        return None
    arr = np.asarray(value, dtype=np.float32)
    return arr[0] if arr.ndim == 2 else arr


def _request(
    agent: str, module: Module, messages: Any, *, json: bool, validate: Any = None
) -> LLMRequest:
    return LLMRequest(
        agent=agent,
        module=module,
        messages=messages,
        json=json,
        validator=validate,
        priority=Priority.NORMAL,
        allow_fallback=True,
        max_tokens=400,
    )


def _validate_line(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("line"), str):
        raise ValueError("the answer must be an object with a 'line' string")
    return value


def _validate_lines(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("lines"), list):
        raise ValueError("the answer must be an object with a 'lines' list")
    for item in value["lines"]:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ValueError("each line must be [speaker, text]")
    return value


def _validate_update(value: Any) -> Any:
    SocialUpdate.from_llm(value)
    plan = value.get("plan")
    if plan is not None and not isinstance(plan, dict):
        raise ValueError("'plan' must be an object or null")
    return value


def _importance(value: Any) -> int | None:
    """The conversation's importance from the relationship update (saves an LLM call)."""
    try:
        return max(1, min(10, int(value.get("importance"))))
    except (TypeError, ValueError, AttributeError):
        return None


def _invitation(plan: Mapping[str, Any], now: int) -> dict[str, Any] | None:
    """An agreed plan as an invitation for tomorrow's daily plan (today's is already made)."""
    try:
        start = parse_hhmm(plan.get("start", "18:00"))
        duration = max(15, min(240, int(plan.get("duration", 60))))
    except (TypeError, ValueError):
        return None
    return {
        "day": now // 1440 + 2,
        "activity": str(plan["activity"])[:120],
        "start": format_hhmm(start),
        "duration": duration,
        "place": str(plan.get("place", "")),
    }
