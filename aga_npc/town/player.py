"""Talking to the player: ``say(npc, text)`` returns a ticket whose reply streams in.

The NPC stops and faces the player while a dialogue is open. Player text is untrusted: it
is cut to a bounded length before anything else (cleaning a megabyte would cost the
frame), sanitised, and only ever shown quoted - in the reply prompt, in the transcript of
the relationship update and in the memory of the exchange (``The player said to Marta:
"..."``); it never changes the NPC's profile. When the dialogue closes, one relationship
update call refreshes the NPC's Social Memory about the player (as after an NPC-NPC
conversation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import RequestTicket
from aga_npc.prompts import player_reply_messages, sanitize_player_text
from aga_npc.prompts.sanitize import MAX_PLAYER_INPUT
from aga_npc.types import LLMRequest, LLMResult, Module, Priority

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["DEFAULT_PLAYER_NAME", "PLAYER", "PlayerChats"]

PLAYER = "player"
"""The player's key in Social Memory, memories' people and ``Intent.partner``, whatever
the player's name."""
DEFAULT_PLAYER_NAME = "player"
"""The name until the game sets one: prompts and memories then say "the player"."""
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
        text = text[:MAX_PLAYER_INPUT]  # cut before any cleaning: the cost stays bounded
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
            social=brain.social_context(PLAYER) if social else None,
            memories=None if social else brain.recent_memories(now, 10),
            history=session.history[-HISTORY:],
            player_text=text,
            player_name=self.name,
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

    @property
    def name(self) -> str:
        """The player's name as prompts and memories use it ("" while unnamed)."""
        name = self.town.player_name
        return "" if name == DEFAULT_PLAYER_NAME else name

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
                self.town.brains[session.npc].hear_player(said, reply, now, player=self.name)
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
        brain.update_social(PLAYER, session.history[-2 * HISTORY :], self.town.now)

    def poll_session(self, session: _Session) -> None:
        self.sessions[session.npc] = session
        self.poll()
        self.sessions.pop(session.npc, None)

    def talking(self, npc: str) -> bool:
        return npc in self.sessions
