"""Talking to the player: ``say(npc, text)`` returns a ticket whose reply streams in.

The NPC stops and faces the player while a dialogue is open. Player text is untrusted: it
is cut to a bounded length before anything else (cleaning a megabyte would cost the
frame), sanitised, and only ever shown quoted - in the reply prompt, in the transcript of
the relationship update and in the memory of the exchange (``The player said to Marta:
"..."``); it never changes the NPC's profile.

The reply is one JSON answer (``PlayerAnswer``: the reply, the intent, an invitation's
place and time, the tone), parsed through the JSON repair path; the ticket ``say`` returns
shows only the reply (streamed as it is written). A model that answers in plain text still
answers: its text is the reply and the intent, invitation and tone are read from the
player's words. An accepted invitation to a place of the town at a time later today goes
straight into today's schedule (a time gone by, a place the town does not have or another
day: no entry). When the dialogue closes, one relationship update call refreshes the NPC's
Social Memory about the player, held to the exchange's tone (rudeness lowers closeness,
kindness raises it).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from aga_npc.brain.answers import Commitment, PlayerAnswer
from aga_npc.errors import MalformedOutputError
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import RequestTicket
from aga_npc.prompts import player_reply_messages, sanitize_player_text
from aga_npc.prompts.sanitize import MAX_PLAYER_INPUT
from aga_npc.social.player_talk import (
    Invitation,
    check_invitation,
    people_named,
    player_name_in,
    read_intent,
    read_invitation,
    read_tone,
    resolve_place,
)
from aga_npc.types import LLMRequest, LLMResult, Module, Priority

if TYPE_CHECKING:
    from aga_npc.brain.npc import NpcBrain
    from aga_npc.town.town import Town

__all__ = ["DEFAULT_PLAYER_NAME", "PLAYER", "PlayerChats", "ReplyTicket", "reply_so_far"]

PLAYER = "player"
"""The player's key in Social Memory, memories' people and ``Intent.partner``, whatever
the player's name."""
DEFAULT_PLAYER_NAME = "player"
"""The name until the game sets one: prompts and memories then say "the player"."""
HISTORY = 6
PROMPT_HISTORY = 24
"""Lines of the conversation so far a reply prompt carries (12 exchanges)."""
PROMPT_PLACES = 60
"""Places a reply prompt lists (an invitation is checked against every place)."""
DAY = 1440
MEETING_MINUTES = 60
_DECLINE = re.compile(
    r"\b(can't|cannot|can not|won't|wish i could|another time|no thanks|rain check|"
    r"already (gone|past|passed)|doesn't exist|don't know (a|any|where)|never heard)\b",
    re.I,
)


@dataclass(slots=True)
class _Session:
    npc: str
    history: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, RequestTicket[LLMResult]]] = field(default_factory=list)
    tones: list[str] = field(default_factory=list)
    meetings: list[Invitation] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Heard:
    """One finished exchange as the town read it (kept on the dialogue for tests and UIs).

    Attributes:
        said: the player's words (sanitised).
        reply: the NPC's reply ("" when none came).
        intent: the line's intent (the model's, else read from the words).
        tone: "kind", "neutral" or "rude".
        invitation: the invitation checked against the town and the clock (None: no
            invitation).
        scheduled: whether it went into today's schedule.
    """

    said: str
    reply: str
    intent: str
    tone: str
    invitation: Invitation | None
    scheduled: bool


def reply_so_far(text: str) -> str:
    """The reply inside a JSON answer being streamed (``{"reply": "Hel``-> ``Hel``); a
    plain-text answer as it is."""
    stripped = text.lstrip()
    if not stripped:
        return ""
    if not stripped.startswith(("{", "```")):
        brace = stripped.find('{"')
        return stripped if brace < 0 else stripped[:brace].strip()
    match = re.search(r'"(?:reply|line|answer|text|say)"\s*:\s*"', stripped)
    if match is None:
        return ""
    out: list[str] = []
    i = match.end()
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "r": "", "b": "", "f": ""}
    while i < len(stripped):
        c = stripped[i]
        if c == "\\":
            if i + 1 >= len(stripped):
                break
            nxt = stripped[i + 1]
            if nxt == "u":
                code = stripped[i + 2 : i + 6]
                if len(code) < 4:
                    break
                with contextlib.suppress(ValueError):
                    out.append(chr(int(code, 16)))
                i += 6
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        if c == '"':
            break
        out.append(c)
        i += 1
    return "".join(out)


class ReplyTicket:
    """The ticket ``say`` returns: the model's JSON answer shows as its reply only.

    ``partial_text()`` is the reply streamed so far; ``result()`` an ``LLMResult`` whose
    ``text`` is the reply and ``parsed`` the ``PlayerAnswer`` (None for a plain-text
    answer, which is the reply itself).
    """

    def __init__(self, inner: RequestTicket[LLMResult]) -> None:
        self.inner = inner
        self._result: LLMResult | None = None

    @property
    def id(self) -> int:
        return self.inner.id

    @property
    def request(self) -> LLMRequest | None:
        return self.inner.request

    def done(self) -> bool:
        return self.inner.done()

    def result(self) -> LLMResult | None:
        if self._result is not None:
            return self._result
        raw = self.inner.result()
        if raw is None:
            return None
        self._result = _as_reply(raw)
        return self._result

    def cancel(self) -> bool:
        return self.inner.cancel()

    def set_priority(self, priority: int) -> None:
        self.inner.set_priority(priority)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done or ``timeout`` seconds pass (tools and tests only)."""
        wait = getattr(self.inner, "wait", None)
        return bool(wait(timeout)) if callable(wait) else self.inner.done()

    def partial_text(self) -> str:
        if self.inner.done():
            result = self.result()
            return result.text if result is not None else ""
        return reply_so_far(self.inner.partial_text())


def _as_reply(raw: LLMResult) -> LLMResult:
    if raw.ok and isinstance(raw.parsed, PlayerAnswer):
        return replace(raw, text=raw.parsed.reply)
    if raw.ok:
        return replace(raw, text=reply_so_far(raw.text).strip())
    error = raw.error
    if isinstance(error, MalformedOutputError) and error.text.strip():
        # a model that answers in plain text: its words are the reply
        text = reply_so_far(error.text).strip()
        if text:
            return replace(raw, text=" ".join(text.split())[:400], error=None, parsed=None)
    return raw


class PlayerChats:
    """The player's open dialogues, one per NPC."""

    def __init__(self, town: Town) -> None:
        self.town = town
        self.sessions: dict[str, _Session] = {}
        self.heard: list[Heard] = []
        """Every exchange read so far (the last 200), oldest first."""

    def say(self, npc: str, text: str) -> RequestTicket[LLMResult]:
        """Send the player's words to ``npc``; the ticket streams the reply.

        Raises:
            KeyError: no such NPC.
        """
        text = text[:MAX_PLAYER_INPUT]  # cut before any cleaning: the cost stays bounded
        brain = self.town.brains[npc]
        session = self.open(npc)
        clean = sanitize_player_text(text)
        if not self.name:
            learned = player_name_in(clean)
            if learned and learned not in self.town.brains:
                self.town.set_player(name=learned)
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
            history=session.history[-PROMPT_HISTORY:],
            player_text=text,
            player_name=self.name,
            doing=_doing(brain, now),
            people=self._people(brain, clean, now, social),
            places=self.town.world.sector_names()[:PROMPT_PLACES],
        )
        ticket = self.town.gateway.submit(
            LLMRequest(
                agent=npc,
                module=Module.PLAYER_REPLY,
                messages=messages,
                json=True,
                validator=PlayerAnswer.validate,
                stream=True,
                priority=Priority.PLAYER,
                allow_fallback=False,
                max_tokens=250,
                temperature=0.8,
            )
        )
        reply = ReplyTicket(ticket)
        session.pending.append((clean, reply))
        return reply

    @property
    def name(self) -> str:
        """The player's name as prompts and memories use it ("" while unnamed)."""
        name = self.town.player_name
        return "" if name == DEFAULT_PLAYER_NAME else name

    def _people(
        self, brain: NpcBrain, said: str, now: int, social: bool
    ) -> dict[str, dict[str, Any]]:
        """What ``brain`` knows of the residents the player's words name."""
        out: dict[str, dict[str, Any]] = {}
        for name in people_named(said, self.town.names())[:3]:
            if name == brain.profile.name:
                out[name] = {"who": "you yourself"}
                continue
            other = self.town.brains[name].profile
            known: dict[str, Any] = {"memories": brain.social.recent_about(name, now, 2)}
            if other.workplace:
                known["works_at"] = other.workplace
            if social:
                row = brain.social_context(name)
                known.update(
                    relationship=row["relationship"],
                    feeling=row["feeling"],
                    closeness=row["closeness"],
                )
            out[name] = known
        return out

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
                answer = (
                    result.parsed
                    if result is not None and isinstance(result.parsed, PlayerAnswer)
                    else None
                )
                session.history.append((PLAYER, said))
                if reply:
                    session.history.append((session.npc, reply))
                brain = self.town.brains[session.npc]
                brain.hear_player(said, reply, now, player=self.name)
                self._read(session, brain, said, reply, answer, now)
            session.pending = still

    def _read(
        self,
        session: _Session,
        brain: NpcBrain,
        said: str,
        reply: str,
        answer: PlayerAnswer | None,
        now: int,
    ) -> None:
        """The exchange's intent and tone; an accepted invitation into today's schedule."""
        intent = (answer.intent if answer is not None else "") or read_intent(
            said, people=self.town.names()
        )
        tone = (answer.tone if answer is not None else "") or read_tone(said)
        if read_tone(said) == "rude":
            tone = "rude"  # an insult is rude whatever a model made of it
        session.tones.append(tone)
        invitation = None
        scheduled = False
        if intent == "invitation" or (answer is not None and answer.invitation is not None):
            invitation, accepted = self._invitation(said, reply, answer, now)
            if invitation.ok and accepted and invitation.start is not None:
                who = self.name or "the player"
                scheduled = brain.planner.commit_now(
                    now,
                    Commitment(
                        activity=f"meet {who} at {invitation.place}",
                        day_offset=0,
                        start=invitation.start,
                        duration=MEETING_MINUTES,
                        place=invitation.place,
                    ),
                )
                if scheduled:
                    session.meetings.append(invitation)
        self.heard.append(
            Heard(
                said=said,
                reply=reply,
                intent=intent,
                tone=tone,
                invitation=invitation,
                scheduled=scheduled,
            )
        )
        del self.heard[:-200]

    def _invitation(
        self, said: str, reply: str, answer: PlayerAnswer | None, now: int
    ) -> tuple[Invitation, bool]:
        """The invitation checked against the town's places and the clock, and whether the
        NPC accepted it (the model's word, else its reply does not decline)."""
        places = self.town.world.sector_names()
        mod = now % DAY
        words = read_invitation(said, places=places, now=mod)
        given = answer.invitation if answer is not None else None
        if given is None:
            return words, not _DECLINE.search(reply)
        place = resolve_place(given.place, places) if given.place else ""
        # the place must be one the player named: a model may not send the NPC elsewhere
        if place and words.place and place != words.place:
            place = words.place
        start = given.time if given.time is not None else words.start
        if words.start is not None and start != words.start:
            start = words.start  # the player's own clock time wins over a misread one
        checked = check_invitation(
            words.said_place or given.place,
            place or words.place,
            start,
            now=mod,
            other_day=words.status == "other_day",
        )
        return checked, given.accepted

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
        brain.social.update_social(
            PLAYER, session.history[-2 * HISTORY :], self.town.now, tone=_tone(session.tones)
        )

    def poll_session(self, session: _Session) -> None:
        self.sessions[session.npc] = session
        self.poll()
        self.sessions.pop(session.npc, None)

    def talking(self, npc: str) -> bool:
        return npc in self.sessions


def _tone(tones: list[str]) -> str:
    """The tone of a whole dialogue: rude when rudeness outweighs kindness (an insult
    counts twice), kind when there was kindness and no rudeness."""
    rude, kind = tones.count("rude"), tones.count("kind")
    if rude and 2 * rude > kind:
        return "rude"
    if kind:
        return "kind"
    return "neutral"


def _doing(brain: NpcBrain, now: int) -> dict[str, str]:
    """What the NPC is doing now (its plan's activity) and next, as the prompt carries it."""
    day, mod = divmod(now, DAY)
    plan = brain.planner.plan(day + 1)
    out: dict[str, str] = {}
    current = brain.intent.activity if brain.intent is not None else ""
    if plan is not None:
        idx = plan.activity_at(mod)
        if idx is not None:
            act = plan.activities[idx]
            current = current or act.text
            out["place"] = act.place
            if idx + 1 < len(plan.activities):
                nxt = plan.activities[idx + 1]
                out["next"] = nxt.text
                out["next_at"] = format_hhmm(nxt.start)
    if current:
        out["now"] = current
    return out
