"""Conversation start and end rules."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from aga_npc.social.conversation_rules import (
    ConversationRules,
    TalkerState,
    conversation_should_end,
    is_farewell,
    should_start_conversation,
    start_probability,
)
from aga_npc.social.social_memory import SocialMemory

A = TalkerState(name="Klaus", tile=(10, 10), sector="Hobbs Cafe")
B = TalkerState(name="Maria", tile=(12, 11), sector="Hobbs Cafe")
ALWAYS = ConversationRules(p_stranger=1.0, p_close=1.0, player_factor=1.0)


def decide(a=A, b=B, social=None, now=600.0, rng=None, rules=ALWAYS):
    social = social if social is not None else SocialMemory(a.name)
    return should_start_conversation(a, b, social, now, rng or random.Random(0), rules=rules)


@pytest.mark.parametrize(
    ("a", "b", "needle"),
    [
        (A, replace(B, name="Klaus"), "same agent"),
        (replace(A, is_player=True), B, "player"),
        (A, replace(B, in_conversation=True), "Maria is already talking"),
        (replace(A, asleep=True), B, "Klaus is asleep"),
        (A, replace(B, busy=True), "Maria is busy"),
        (A, replace(B, tile=(20, 10)), "too far"),
        (A, replace(B, sector="Town Hall"), "same place"),
        (replace(A, talks_today=6), B, "Klaus has talked enough today"),
        (A, replace(B, last_conversation_end=590.0), "Maria just finished"),
    ],
)
def test_gates_refuse_without_drawing(a, b, needle):
    rng = random.Random(5)
    before = rng.getstate()
    d = decide(a, b, rng=rng)
    assert not d.start and not d.rolled
    assert needle in d.reason
    assert rng.getstate() == before


def test_unknown_sectors_do_not_block_and_player_limits_do_not_apply():
    d = decide(b=replace(B, sector=None, is_player=True, talks_today=99))
    assert d.start and d.rolled


def test_pair_cooldown_and_daily_pair_limit_come_from_social_memory():
    social = SocialMemory("Klaus")
    social.apply_update("Maria", now=500)
    assert "recently" in decide(social=social, now=600).reason
    assert decide(social=social, now=500 + 240).start  # cooldown over
    social.apply_update("Maria", now=800)
    d = decide(social=social, now=1200)
    assert not d.start and "enough today" in d.reason
    assert decide(social=social, now=1440 + 60).start  # a new day


def test_reconsider_after_prevents_rolling_every_frame():
    social = SocialMemory("Klaus")
    rules = ConversationRules(p_stranger=0.0, p_close=0.0)
    first = decide(social=social, now=600, rules=rules)
    assert first.rolled and not first.start
    social.note_considered("Maria", 600)
    wait = rules.reconsider_after
    again = decide(social=social, now=600 + wait / 2, rules=rules)
    assert not again.rolled and "already considered" in again.reason
    assert decide(social=social, now=600 + wait, rules=rules).rolled


def test_start_probability_grows_with_closeness_and_is_scaled_for_player():
    rules = ConversationRules(p_stranger=0.1, p_close=0.5, player_factor=0.5)
    assert start_probability(0, is_player=False, rules=rules) == pytest.approx(0.1)
    assert start_probability(5, is_player=False, rules=rules) == pytest.approx(0.3)
    assert start_probability(10, is_player=False, rules=rules) == pytest.approx(0.5)
    assert start_probability(10, is_player=True, rules=rules) == pytest.approx(0.25)
    assert start_probability(99, is_player=False, rules=rules) == pytest.approx(0.5)


def start_rate(closeness: float, seed: int, n: int = 3000) -> float:
    rng = random.Random(seed)
    social = SocialMemory("Klaus")
    if closeness:
        social.apply_update("Maria", now=-10_000, closeness=closeness, talked=False)
    starts = sum(decide(social=social, rng=rng, rules=ConversationRules()).start for _ in range(n))
    return starts / n


def test_closer_agents_talk_more_often_at_the_configured_rates():
    stranger, family = start_rate(0, seed=1), start_rate(10, seed=1)
    rules = ConversationRules()
    assert stranger == pytest.approx(rules.p_stranger, abs=0.03)
    assert family == pytest.approx(rules.p_close, abs=0.03)
    assert family > stranger + 0.3


def test_decisions_replay_with_the_same_seed():
    def run(seed: int) -> list[bool]:
        rng = random.Random(seed)
        return [decide(rng=rng, rules=ConversationRules()).start for _ in range(50)]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_rules_validate():
    with pytest.raises(ValueError, match="p_close"):
        ConversationRules(p_close=1.5)
    with pytest.raises(ValueError, match="max_distance"):
        ConversationRules(max_distance=-1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Bye!", True),
        ("Goodbye, Maria.", True),
        ("See you later!", True),
        ("Take care of yourself.", True),
        ("Have a nice evening", True),
        ("I've got to go, sorry.", True),
        ("By the way, did you hear about the party?", False),
        ("Good morning!", False),
    ],
)
def test_is_farewell(line, expected):
    assert is_farewell(line) is expected


@pytest.mark.parametrize(
    ("turns", "lines", "end", "reason"),
    [
        (8, ["hi", "hello"], True, "max turns"),
        (2, ["Hi Maria!", "Hello Klaus, how are you?"], False, "continue"),
        (3, ["How is the thesis?", "Going well.", "Well, I must go. Bye!"], False, "continue"),
        (4, ["Going well.", "Well, I must go. Bye!", "See you later!"], True, "goodbye"),
        (4, ["I love the cafe here.", "Me too.", "I love this cafe here!"], True, "repetition"),
        (3, ["Hi", "  "], True, "nothing more to say"),
        (0, [], False, "continue"),
    ],
)
def test_conversation_should_end(turns, lines, end, reason):
    d = conversation_should_end(turns, 8, lines)
    assert (d.end, d.reason) == (end, reason)


def test_conversation_should_end_validates_max_turns():
    with pytest.raises(ValueError, match="max_turns"):
        conversation_should_end(0, 0, [])
