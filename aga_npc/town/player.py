"""Talking to the player: ``say(npc, text)`` returns a ticket whose reply streams in.

The NPC stops and faces the player while a dialogue is open. Player text is untrusted: it
is sanitised and quoted by the prompt builder and never changes the NPC's profile. Each
exchange is remembered; when the dialogue closes, one relationship update call refreshes
the NPC's Social Memory about the player (as after an NPC-NPC conversation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from aga_npc.memory.events import EventKind, texts
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import RequestTicket
from aga_npc.prompts import player_reply_messages, relationship_messages, sanitize_player_text
from aga_npc.social.social_memory import SocialUpdate
from aga_npc.types import LLMRequest, LLMResult, Module, Priority

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["PLAYER", "PlayerChats"]

PLAYER = "player"
HISTORY = 6


@dataclass(slots=True)
class _Session:
    npc: str
    history: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, RequestTicket[LLMResult]]] = field(default_factory=list)


class PlayerChats:
    """The player's open dialogues, one per NPC."""

    def __init__(self, town: Town) -> None:
        self.town = town
        self.sessions: dict[str, _Session] = {}

    def say(self, npc: str, text: str) -> RequestTicket[LLMResult]:
        """Send the player's words to ``npc``; the ticket streams the reply.

        Raises:
            KeyError: no such NPC.
        """
        brain = self.town.brains[npc]
        session = self.open(npc)
        clean = sanitize_player_text(text)
        now = self.town.now
        social = brain.mode.uses_social_memory
        place = self.town.world.agent_place(npc)
        messages = player_reply_messages(
            npc={
                k: v
                for k, v in brain.profile.prompt_fields().items()
                if k in ("name", "age", "traits", "currently", "role", "workplace", "lifestyle")
            },
            place=place[0] if place else "the street",
            time=format_hhmm(now),
            social=_social_block(brain, now) if social else None,
            memories=None if social else texts(brain.mind.stream.retrieve(None, now, k=10)),
            history=session.history[-HISTORY:],
            player_text=text,
        )
        ticket = self.town.gateway.submit(
            LLMRequest(
                agent=npc,
                module=Module.PLAYER_REPLY,
                messages=messages,
                stream=True,
                priority=Priority.PLAYER,
                allow_fallback=False,
                max_tokens=200,
                temperature=0.8,
            )
        )
        session.pending.append((clean, ticket))
        return ticket

    def open(self, npc: str) -> _Session:
        """Start a dialogue with ``npc`` (it stops and faces the player); no-op when open.

        Raises:
            KeyError: no such NPC.
        """
        brain = self.town.brains[npc]
        session = self.sessions.get(npc)
        if session is None:
            session = self.sessions[npc] = _Session(npc=npc)
            if self.town.conversations is not None:
                self.town.conversations.interrupt(npc, self.town)
            brain.begin_talk(PLAYER)
        return session

    def poll(self) -> None:
        """Record finished replies (call once per frame or game minute)."""
        now = self.town.now
        for session in self.sessions.values():
            still = []
            for said, ticket in session.pending:
                if not ticket.done():
                    still.append((said, ticket))
                    continue
                result = ticket.result()
                reply = result.text.strip() if result is not None and result.ok else ""
                session.history.append((PLAYER, said))
                if reply:
                    session.history.append((session.npc, reply))
                brain = self.town.brains[session.npc]
                brain.mind.remember(
                    now,
                    EventKind.SAID,
                    f"The player said to {session.npc}: {said}"
                    + (f" / {session.npc} answered: {reply}" if reply else ""),
                    people=(PLAYER,),
                    importance=4,
                )
            session.pending = still

    def close(self, npc: str) -> None:
        """The player walked away: the NPC resumes its day and updates how it sees them."""
        session = self.sessions.pop(npc, None)
        if session is None:
            return
        self.poll_session(session)
        brain = self.town.brains[npc]
        brain.end_talk()
        if not session.history:
            return
        record = brain.mind.social.record_for(PLAYER)
        messages = relationship_messages(
            name=npc,
            other=PLAYER,
            transcript=session.history[-2 * HISTORY :],
            current={
                "relationship": record.relationship,
                "feeling": record.feeling,
                "closeness": record.closeness,
            },
        )
        request = LLMRequest(
            agent=npc,
            module=Module.RELATIONSHIP,
            messages=messages,
            json=True,
            validator=_validate_update,
            priority=Priority.NORMAL,
            allow_fallback=True,
            max_tokens=300,
        )
        brain.submit_aux("relationship", request, partial(_apply_update, self.town, npc))

    def poll_session(self, session: _Session) -> None:
        self.sessions[session.npc] = session
        self.poll()
        self.sessions.pop(session.npc, None)

    def talking(self, npc: str) -> bool:
        return npc in self.sessions


def _social_block(brain: Any, now: int) -> dict[str, Any]:
    record = brain.mind.social.record_for(PLAYER)
    return {
        "about": PLAYER,
        "relationship": record.relationship,
        "feeling": record.feeling,
        "closeness": record.closeness,
        "summary_events": list(record.summary),
        "topics": list(record.topics),
    }


def _validate_update(value: Any) -> Any:
    SocialUpdate.from_llm(value)
    return value


def _apply_update(town: Town, npc: str, result: Any) -> None:
    brain = town.brains[npc]
    now = town.now
    if getattr(result, "error", None) is not None or not isinstance(result.parsed, dict):
        brain.mind.social.apply_update(PLAYER, now=now, closeness_delta=0.5)
        return
    brain.mind.social.apply(PLAYER, SocialUpdate.from_llm(result.parsed), now=now)
