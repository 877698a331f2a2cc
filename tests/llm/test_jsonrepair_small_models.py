"""What small models write around and inside their JSON, mended by ``extract_json``."""

from __future__ import annotations

import pytest

from aga_npc.llm.jsonrepair import extract_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{'talk': true, 'reason': 'hi'}", {"talk": True, "reason": "hi"}),
        ('{"steps": [{"a": 1}, {"a": 2},], }', {"steps": [{"a": 1}, {"a": 2}]}),
        ("{'talk': True, 'plan': None}", {"talk": True, "plan": None}),
        ("{'line': 'it\\'s fine'}", {"line": "it's fine"}),
        ('{"line": "Sam\'s cafe", \'end\': false,}', {"line": "Sam's cafe", "end": False}),
        ('{"a": 1}\n{"a": 1}\n{"a": 1}', {"a": 1}),  # repeated text: the first object
        ("Sure! Here it is:\n{'a': [1, 2,],}\nHope it helps", {"a": [1, 2]}),
        ("```json\n{'wake_up': '07:00',}\n```", {"wake_up": "07:00"}),
    ],
)
def test_small_model_json_is_mended(text: str, expected: object) -> None:
    assert extract_json(text) == expected


def test_an_apostrophe_inside_a_valid_string_is_left_alone() -> None:
    assert extract_json('{"line": "I don\'t know, it\'s late"}') == {
        "line": "I don't know, it's late"
    }


@pytest.mark.parametrize("text", ["", "   ", "no json here", "{'a': ", "{unquoted: value}"])
def test_what_cannot_be_mended_is_still_an_error(text: str) -> None:
    with pytest.raises(ValueError):
        extract_json(text)
