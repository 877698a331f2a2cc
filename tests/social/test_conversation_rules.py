"""Conversation end rules."""

from __future__ import annotations

import pytest

from aga_npc.social.conversation_rules import conversation_should_end, is_farewell


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
