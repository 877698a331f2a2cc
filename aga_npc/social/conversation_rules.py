"""When NPCs start and end conversations: pure rules, no LLM call per encounter.

Generative Agents asks the LLM "should A talk to B?" on every encounter. Here a start is a
cheap decision from distance, busy flags, cooldowns, daily limits and closeness, with one
draw from the injected ``random.Random`` per encounter (not per frame: a pair is re-rolled
only after ``reconsider_after`` game minutes). The end of a conversation is decided from its
lines: two farewells in a row, a repeated line, or the turn limit.

How the brain (or world) should use :func:`should_start_conversation`: evaluate each
unordered pair of nearby agents once per tick from one side (say the one whose name sorts
first), and when ``decision.rolled`` is true call ``note_considered(other, now)`` on both
agents' Social Memories, so the pair is not rolled again at once.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aga_npc.memory.text import near_duplicate, normalise_text
from aga_npc.social.social_memory import MINUTES_PER_DAY, SocialMemory

__all__ = [
    "DEFAULT_RULES",
    "ConversationRules",
    "Decision",
    "EndDecision",
    "TalkerState",
    "conversation_should_end",
    "is_farewell",
    "should_start_conversation",
    "start_probability",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TalkerState:
    """What the start rule needs to know about one agent (NPC or player) right now.

    Attributes:
        name: the agent's name (the key in Social Memory).
        tile: (x, y) tile position.
        sector: the sector (building/area) it stands in, None outdoors or unknown.
        busy: doing something that must not be interrupted (working a shift, cooking).
        asleep: sleeping.
        in_conversation: already talking to someone.
        is_player: the human player.
        talks_today: conversations it has had on the current game day.
        last_conversation_end: game minute its last conversation ended, None if never.
    """

    name: str
    tile: tuple[int, int]
    sector: str | None = None
    busy: bool = False
    asleep: bool = False
    in_conversation: bool = False
    is_player: bool = False
    talks_today: int = 0
    last_conversation_end: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversationRules:
    """Tunables of the start rule (game minutes, tiles, probabilities).

    Attributes:
        max_distance: farthest Euclidean tile distance for a start.
        same_sector: require both to be in the same sector when both sectors are known
            (so two agents on either side of a wall do not chat).
        pair_cooldown: minutes after a conversation before the same pair talks again.
        agent_cooldown: minutes after any conversation before an agent starts another.
        reconsider_after: minutes before the same pair is rolled for again.
        max_per_day: conversations per agent per game day.
        max_pair_per_day: conversations per pair per game day.
        p_stranger: start probability at closeness 0.
        p_close: start probability at closeness 10 (linear in between).
        player_factor: multiplier of the probability when the other one is the player.
    """

    max_distance: float = 6.0
    same_sector: bool = True
    pair_cooldown: float = 240.0
    agent_cooldown: float = 60.0
    reconsider_after: float = 30.0
    max_per_day: int = 4
    max_pair_per_day: int = 2
    p_stranger: float = 0.25
    p_close: float = 0.8
    player_factor: float = 0.5

    def __post_init__(self) -> None:
        for name in ("max_distance", "pair_cooldown", "agent_cooldown", "reconsider_after"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"ConversationRules.{name} must be finite and >= 0, got {value}")
        for name in ("p_stranger", "p_close", "player_factor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"ConversationRules.{name} must be within [0, 1], got {value}")
        if self.max_per_day < 0 or self.max_pair_per_day < 0:
            raise ValueError("ConversationRules daily limits must be >= 0")


DEFAULT_RULES = ConversationRules()


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """Whether to start a conversation, and why.

    Attributes:
        start: start it now.
        reason: a short human-readable reason (for the debug overlay and logs).
        rolled: a random draw was made (the brain then calls ``note_considered``).
        probability: the start probability used for the draw (0 when not rolled).
    """

    start: bool
    reason: str
    rolled: bool = False
    probability: float = 0.0


def start_probability(closeness: float, *, is_player: bool, rules: ConversationRules) -> float:
    """Start probability for an encounter: linear in closeness (0..10), scaled for the player."""
    c = min(10.0, max(0.0, closeness)) / 10.0
    p = rules.p_stranger + (rules.p_close - rules.p_stranger) * c
    return p * rules.player_factor if is_player else p


def _blocked(who: TalkerState) -> str | None:
    if who.in_conversation:
        return f"{who.name} is already talking"
    if who.asleep:
        return f"{who.name} is asleep"
    if who.busy:
        return f"{who.name} is busy"
    return None


def should_start_conversation(
    a: TalkerState,
    b: TalkerState,
    social: SocialMemory,
    now: float,
    rng: random.Random,
    *,
    rules: ConversationRules = DEFAULT_RULES,
) -> Decision:
    """Whether NPC ``a`` starts a conversation with ``b`` (an NPC or the player) now.

    Gates, in order (the first that fails is the reason): distinct agents, ``a`` is not the
    player (the player starts conversations with a key press), neither is talking, asleep or
    busy, within ``max_distance`` tiles and in the same sector, daily limits, agent
    cooldowns, pair cooldown and pair daily limit (from ``a``'s Social Memory of ``b``), and
    not rolled for this pair within ``reconsider_after``. Then one draw from ``rng`` against
    :func:`start_probability` of ``a``'s closeness to ``b``. No draw is made when a gate
    fails, so the rng sequence only advances on real encounters.

    Args:
        a: the would-be initiator (an NPC).
        b: the other agent.
        social: ``a``'s Social Memory.
        now: game minutes.
        rng: the injected random source.
        rules: tunables.

    Returns:
        The decision with its reason.
    """
    if a.name == b.name:
        return Decision(start=False, reason="same agent")
    if a.is_player:
        return Decision(start=False, reason="the player starts conversations themself")
    for who in (a, b):
        blocked = _blocked(who)
        if blocked:
            return Decision(start=False, reason=blocked)
    distance = math.hypot(a.tile[0] - b.tile[0], a.tile[1] - b.tile[1])
    if distance > rules.max_distance:
        return Decision(start=False, reason=f"too far ({distance:.1f} tiles)")
    if rules.same_sector and a.sector and b.sector and a.sector != b.sector:
        return Decision(start=False, reason="not in the same place")
    for who in (a, b):
        if not who.is_player and who.talks_today >= rules.max_per_day:
            return Decision(start=False, reason=f"{who.name} has talked enough today")
        if (
            not who.is_player
            and who.last_conversation_end is not None
            and now - who.last_conversation_end < rules.agent_cooldown
        ):
            return Decision(start=False, reason=f"{who.name} just finished a conversation")
    record = social.record_for(b.name)
    if record.last_talked is not None:
        if now - record.last_talked < rules.pair_cooldown:
            return Decision(start=False, reason=f"talked with {b.name} recently")
        same_day = int(record.last_talked // MINUTES_PER_DAY) == int(now // MINUTES_PER_DAY)
        if same_day and record.talks_on_day >= rules.max_pair_per_day:
            return Decision(start=False, reason=f"talked with {b.name} enough today")
    if record.last_considered is not None and now - record.last_considered < rules.reconsider_after:
        return Decision(start=False, reason=f"already considered talking to {b.name}")
    p = start_probability(record.closeness, is_player=b.is_player, rules=rules)
    roll = rng.random()
    if roll < p:
        return Decision(start=True, reason=f"chose to talk (p={p:.2f})", rolled=True, probability=p)
    return Decision(
        start=False, reason=f"chose not to talk (p={p:.2f})", rolled=True, probability=p
    )


_FAREWELL = re.compile(
    r"\b(good ?bye|bye|bye bye|see (you|ya)|take care|farewell|talk (to you )?(later|soon)|"
    r"catch you later|gotta go|got to go|have to go|must go|have a (good|nice|great|lovely) "
    r"(day|one|evening|night|morning|afternoon|weekend)|good ?night|until next time)\b"
)


def is_farewell(line: str) -> bool:
    """Whether a dialogue line says goodbye ("Bye!", "See you later", "Take care")."""
    return bool(_FAREWELL.search(normalise_text(line)))


@dataclass(frozen=True, slots=True, kw_only=True)
class EndDecision:
    """Whether a conversation is over, and why ("max turns", "goodbye", "repetition", ...)."""

    end: bool
    reason: str


def conversation_should_end(
    turns: int,
    max_turns: int,
    last_lines: Sequence[str],
    *,
    repeat_threshold: float = 0.8,
) -> EndDecision:
    """Whether to stop a conversation after its latest line.

    Ends on: ``turns >= max_turns``; an empty latest line (the speaker had nothing to say);
    the latest two lines both farewells (one goodbye alone lets the other answer it); or
    the latest line nearly repeating an earlier line in ``last_lines`` (word-set Jaccard
    >= ``repeat_threshold``), which is how LLM dialogue loops look.

    Args:
        turns: lines spoken so far.
        max_turns: the limit.
        last_lines: the recent lines' texts without speaker names, oldest first.
        repeat_threshold: near-duplicate threshold for the repetition rule.
    """
    if max_turns < 1:
        raise ValueError(f"max_turns must be >= 1, got {max_turns}")
    if turns >= max_turns:
        return EndDecision(end=True, reason="max turns")
    if not last_lines:
        return EndDecision(end=False, reason="continue")
    latest = last_lines[-1]
    if not normalise_text(latest):
        return EndDecision(end=True, reason="nothing more to say")
    if len(last_lines) >= 2 and is_farewell(latest) and is_farewell(last_lines[-2]):
        return EndDecision(end=True, reason="goodbye")
    for earlier in last_lines[:-1]:
        if near_duplicate(latest, earlier, threshold=repeat_threshold):
            return EndDecision(end=True, reason="repetition")
    return EndDecision(end=False, reason="continue")
