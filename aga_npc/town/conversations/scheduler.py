"""ConversationScheduler: starts the conversations brains decided to have, advances them
once per game minute, and wraps them up.

A conversation starts when a brain has decided (by the LLM, see
``aga_npc.brain.reactions``) to talk to someone who is still close, awake and free. Its
dialogue style makes the lines (``aga_npc.town.conversations.styles``); it ends after
``max_lines`` lines (8 a side), when a line says so, or on two farewells. Then both agents
resume their day, one call summarises the conversation, each side remembers it and writes
a memo and a planning thought (an agreement for later today re-plans today), and in the
Social Memory modes each side's relationship, feeling and summary events are updated (one
call for both in the ``aga`` mode).
"""

from __future__ import annotations

import functools
import math
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from aga_npc.brain.answers import JointUpdate, SocialAnswer, Text, parsed_as
from aga_npc.brain.modes import Mode
from aga_npc.brain.requests import Failure, RequestBook
from aga_npc.brain.settings import LoopSettings
from aga_npc.prompts import (
    convo_summary_messages,
    joint_relationship_messages,
    relationship_messages,
)
from aga_npc.town.conversations.base import Conversation, DialogueStyle, Phase
from aga_npc.town.conversations.styles import GenerativeLines, SocialLines, WholeExchange
from aga_npc.types import Module, Priority

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["ConversationScheduler"]

DAY = 1440
MAX_DISTANCE = 4.0
FINISHED_KEPT = 200


class ConversationScheduler:
    """Starts, advances and wraps up NPC-NPC conversations.

    Args:
        mode: decides the dialogue style (Social Memory or Generative Agents' lines) and
            whether Social Memory is updated afterwards.
        settings: the loop's settings (``max_lines``, the joint update saving).
        lod: "turns" (line by line) or "whole" (one call per conversation).
    """

    def __init__(self, *, mode: Mode, settings: LoopSettings, lod: str = "turns") -> None:
        if lod not in ("turns", "whole"):
            raise ValueError(f"lod must be 'turns' or 'whole', got {lod!r}")
        self.mode = mode
        self.settings = settings
        self.lod = lod
        self.social = mode.uses_social_memory
        self.style: DialogueStyle = (
            WholeExchange(social=self.social)
            if lod == "whole"
            else SocialLines()
            if self.social
            else GenerativeLines()
        )
        self.active: dict[str, Conversation] = {}
        self.wrapping: list[Conversation] = []
        self.finished: list[dict[str, Any]] = []
        self.line_prompt_tokens: list[int] = []
        self.started = 0
        self.lines = 0
        self._minute: int | None = None
        self._due: deque[Conversation] = deque()

    # ------------------------------------------------------------------ driving
    def step(
        self, now: int, town: Town, *, limit: int | None = None, ms: float | None = None
    ) -> bool:
        """Advance every conversation once per game minute and start the decided ones.

        With ``limit`` (a frame loop calls this every frame), at most ``limit``
        conversations are advanced per call, and none after ``ms`` milliseconds once one
        is done; the rest goes on in the next calls. Returns True when nothing of this
        minute's work is left.
        """
        if now != self._minute:
            self._minute = now
            queued = {id(c) for c in self._due}
            for convo in [*self._unique_active(), *self.wrapping]:
                if id(convo) not in queued:
                    queued.add(id(convo))
                    self._due.append(convo)
            self._start_decided(now, town)
        started = time.perf_counter()
        done = 0
        while self._due and (limit is None or done < limit):
            if done and ms is not None and (time.perf_counter() - started) * 1000.0 >= ms:
                break
            self._advance(self._due.popleft(), now, town)
            done += 1
        return not self._due

    def _start_decided(self, now: int, town: Town) -> None:
        for name in town.names():
            brain = town.brains[name]
            other = brain.wants_talk
            if not other or name in self.active:
                continue
            brain.reactions.wants_talk = ""
            partner = town.brains.get(other)
            if partner is None or other in self.active or not partner.available_for_chat():
                continue
            last = brain.reactions.last_chat.get(other)
            if last is not None and now - last < self.settings.chat_cooldown:
                continue  # decided before their last conversation: a stale decision
            here, there = town.world.agent_tile(name), town.world.agent_tile(other)
            if here is None or there is None:
                continue
            if math.hypot(here[0] - there[0], here[1] - there[1]) > MAX_DISTANCE + 2:
                continue
            self._start(name, other, now, town)

    def _start(self, a: str, b: str, now: int, town: Town) -> None:
        place = town.world.agent_place(a)
        convo = Conversation(
            a=a,
            b=b,
            place=place[0] if place else "the street",
            started=now,
            max_lines=self.settings.max_lines,
            book=RequestBook(town.gateway, a),
        )
        self.active[a] = convo
        self.active[b] = convo
        self.started += 1
        town.brains[a].begin_talk(b)
        town.brains[b].begin_talk(a)

    def _advance(self, convo: Conversation, now: int, town: Town) -> None:
        convo.book.poll()
        if convo.phase is Phase.TALK:
            if self.active.get(convo.a) is not convo or now < self.line_due(convo):
                return
            if convo.scratch.get("end") or len(convo.lines) >= convo.max_lines:
                self._wrap(convo, now, town)
            elif not convo.busy:
                self.style.next_line(convo, now, town)
        elif convo.phase is Phase.WRAP and convo.wraps_pending == 0:
            convo.move(Phase.DONE)
            if convo in self.wrapping:
                self.wrapping.remove(convo)

    def line_due(self, convo: Conversation) -> int:
        """The first game minute at which ``convo`` may ask for its next line or end:
        with ``line_minutes`` set, line k is asked ``k * line_minutes`` minutes after the
        first, and the conversation ends that long after its last line was asked, however
        quickly the answers came (a late answer is used when it comes, and the later lines
        catch up)."""
        pace = self.settings.line_minutes
        return convo.started + 1 + len(convo.lines) * pace if pace else 0

    def _unique_active(self) -> list[Conversation]:
        seen: dict[int, Conversation] = {}
        for convo in self.active.values():
            seen.setdefault(id(convo), convo)
        return list(seen.values())

    def drop_all(self) -> None:
        """Forget every conversation in flight (a save is being loaded)."""
        for convo in [*self._unique_active(), *self.wrapping]:
            convo.book.drop_all()
        self.active.clear()
        self.wrapping.clear()
        self._due.clear()
        self._minute = None

    def get_state(self) -> dict[str, Any]:
        """What outlives a save: counters and the finished conversations (conversations in
        progress are not saved; the agents resume their day after a load)."""
        return {
            "started": self.started,
            "lines": self.lines,
            "finished": [dict(c) for c in self.finished],
            "line_prompt_tokens": list(self.line_prompt_tokens),
        }

    def set_state(self, state: Any) -> None:
        self.drop_all()
        self.started = int(state.get("started", 0))
        self.lines = int(state.get("lines", 0))
        self.finished = [dict(c) for c in state.get("finished", [])]
        self.line_prompt_tokens = [int(t) for t in state.get("line_prompt_tokens", [])]

    def interrupt(self, name: str, town: Town) -> None:
        """End ``name``'s conversation at once (the player wants to talk to it)."""
        convo = self.active.get(name)
        if convo is not None:
            convo.book.drop_all()
            convo.busy = False
            self._wrap(convo, town.now, town)

    # ------------------------------------------------------------------ afterwards
    def _wrap(self, convo: Conversation, now: int, town: Town) -> None:
        convo.ended = now
        for name in (convo.a, convo.b):
            self.active.pop(name, None)
            brain = town.brains[name]
            if brain.talk_partner in (convo.a, convo.b):
                brain.end_talk()
        self.lines += len(convo.lines)
        self.line_prompt_tokens.extend(convo.line_prompt_tokens)
        self.finished.append(
            {
                "a": convo.a,
                "b": convo.b,
                "start": convo.started,
                "end": now,
                "place": convo.place,
                "lines": [[w, t] for w, t in convo.lines],
            }
        )
        del self.finished[:-FINISHED_KEPT]
        # the cooldown starts now, not when the summary arrives (meanwhile both are free)
        for name, other in ((convo.a, convo.b), (convo.b, convo.a)):
            town.brains[name].reactions.talked(other, now)
        if not convo.lines:
            convo.move(Phase.DONE)
            return
        convo.move(Phase.WRAP)
        self.wrapping.append(convo)
        convo.wraps_pending = 1
        convo.book.ask(
            Module.CONVO_SUMMARY,
            convo_summary_messages(a=convo.a, b=convo.b, lines=convo.lines),
            json=False,
            parse=Text.read,
            then=lambda answer: self._on_summary(convo, town, answer),
            day=now // DAY + 1,
            priority=Priority.LOW,
            max_tokens=80,
            agent=convo.a,
        )

    def _on_summary(self, convo: Conversation, town: Town, answer: Text | Failure) -> None:
        convo.wraps_pending -= 1
        now = town.now
        convo.summary = (
            answer.text
            if not isinstance(answer, Failure)
            else "; ".join(line for _, line in convo.lines[:2])[:200]
        )
        for name, other in ((convo.a, convo.b), (convo.b, convo.a)):
            town.brains[name].debrief(other, convo.lines, convo.summary, now)
        if not self.social:
            return
        a, b = town.brains[convo.a], town.brains[convo.b]
        day = now // DAY + 1
        if self.settings.savings.joint_relationship_update:
            convo.wraps_pending += 1
            convo.book.ask(
                Module.RELATIONSHIP,
                joint_relationship_messages(
                    a=convo.a,
                    b=convo.b,
                    transcript=convo.lines,
                    current_a=_current(a.social_context(convo.b)),
                    current_b=_current(b.social_context(convo.a)),
                ),
                validator=JointUpdate.validate,
                parse=parsed_as(JointUpdate),
                then=lambda answer: self._on_joint(convo, town, answer),
                day=day,
                priority=Priority.LOW,
                max_tokens=300,
                agent=convo.a,
            )
            return
        for name, other in ((convo.a, convo.b), (convo.b, convo.a)):
            brain = town.brains[name]
            convo.wraps_pending += 1
            convo.book.ask(
                Module.RELATIONSHIP,
                relationship_messages(
                    name=name,
                    other=other,
                    transcript=convo.lines,
                    current=_current(brain.social_context(other)),
                ),
                validator=SocialAnswer.validate,
                parse=parsed_as(SocialAnswer),
                then=functools.partial(self._on_update, convo, town, name, other),
                day=day,
                priority=Priority.LOW,
                max_tokens=250,
                agent=name,
            )

    def _on_update(
        self, convo: Conversation, town: Town, name: str, other: str, answer: Any
    ) -> None:
        convo.wraps_pending -= 1
        if not isinstance(answer, Failure):
            town.brains[name].apply_social(other, answer, town.now)

    def _on_joint(self, convo: Conversation, town: Town, answer: JointUpdate | Failure) -> None:
        convo.wraps_pending -= 1
        if isinstance(answer, Failure):
            return
        now = town.now
        town.brains[convo.a].note_joint_update()
        town.brains[convo.a].apply_social(convo.b, answer.a, now)
        town.brains[convo.b].apply_social(convo.a, answer.b, now)


def _current(social: dict[str, Any]) -> dict[str, Any]:
    return {k: social[k] for k in ("relationship", "feeling", "closeness")}
