"""The judge: its answer's schema parsed and validated, a malformed answer kept unscored
(fakellm and a scripted loopback server, through the openai SDK), the summary per mode."""

from __future__ import annotations

import pytest
from eval_kit import GARBAGE_MARK, VERDICT
from llm_servers import FakeLLMServer, Reply, ScriptedServer, completion_body

from aga_npc.config import Settings
from aga_npc.eval.judge import (
    JUDGE_SCHEMA,
    Item,
    judge,
    summarise,
    validate_verdict,
)
from aga_npc.eval.llm import STAND_IN_LABEL, EvalLLM, judge_settings


def test_a_verdict_needs_an_integer_score_1_to_5_and_a_reason() -> None:
    assert validate_verdict({"score": 3, "reason": "ok"}).score == 3
    assert validate_verdict({"score": "5", "reason": "ok"}).score == 5
    assert validate_verdict({"score": 2.0, "reason": " fine "}).reason == "fine"
    bad = [
        {"score": 0, "reason": "x"},
        {"score": 6, "reason": "x"},
        {"score": 3.5, "reason": "x"},
        {"score": True, "reason": "x"},
        {"score": "four", "reason": "x"},
        {"score": 3},
        {"score": 3, "reason": "  "},
        ["score", 3],
        "4",
    ]
    for value in bad:
        with pytest.raises(ValueError):
            validate_verdict(value)


def items() -> list[Item]:
    return [
        Item("interview answer", "aga", "Amara Osei", "I study chemistry.", "Who are you?"),
        Item("activity log", "baseline", "Silas Grue", ["open the bar", "pour a pint"]),
        Item("dialogue", "aga", "Amara & Silas", [["Amara", "Hi!"], ["Silas", "Hello."]]),
        Item("interview answer", "aga", "Marta Ellison", f"Fine {GARBAGE_MARK}", "How are you?"),
    ]


@pytest.mark.integration
def test_the_judge_scores_through_fakellm_and_keeps_a_malformed_answer_unscored(
    fakellm: FakeLLMServer,
) -> None:
    settings = Settings(llm="openai", base_url=fakellm.base_url, api_key="sk-test")
    llm = EvalLLM(settings)
    assert not llm.stand_in and "label" not in llm.describe()
    rows = judge(items(), llm)
    assert [r["score"] for r in rows[:3]] == [VERDICT["score"]] * 3
    assert rows[0]["reason"] == VERDICT["reason"]
    bad = rows[3]
    assert bad["score"] is None
    assert "Malformed" in bad["error"] and "quite human" in bad["raw"]
    summary = summarise(rows)
    assert summary["aga"]["interview answer"] == {
        "n": 1,
        "mean": 4.0,
        "sd": 0.0,
        "min": 4,
        "max": 4,
        "unscored": 1,
    }
    assert summary["aga"]["all"]["n"] == 2 and summary["baseline"]["all"]["n"] == 1


@pytest.mark.integration
def test_the_judge_sends_its_schema_and_refuses_an_out_of_range_score(
    scripted: ScriptedServer,
) -> None:
    scripted.replies.extend(
        [
            Reply(body=completion_body('{"score": 9, "reason": "too good"}')),
            Reply(body=completion_body('{"score": 7, "reason": "still too good"}')),
        ]
    )
    settings = Settings(llm="openai", base_url=scripted.base_url, api_key="sk-test")
    rows = judge(items()[:1], EvalLLM(settings))
    assert rows[0]["score"] is None and "score must be an integer" in rows[0]["error"]
    body = scripted.bodies[0]
    sent = body["response_format"]["json_schema"]["schema"]
    assert sent["required"] == JUDGE_SCHEMA["required"]
    assert sent["properties"]["score"]["maximum"] == 5
    assert len(scripted.bodies) == 2  # re-asked once with the reason, then given up


def test_the_offline_judge_is_the_stand_in_and_says_so_everywhere() -> None:
    llm = EvalLLM(Settings(llm="offline", embed="hashing"))
    rows = judge(items()[:3], llm)
    assert llm.describe()["label"] == STAND_IN_LABEL
    for row in rows:
        assert row["label"] == STAND_IN_LABEL
        assert row["reason"].startswith(STAND_IN_LABEL)
        assert 1 <= row["score"] <= 5


def test_judge_settings_come_from_arguments_then_the_environment() -> None:
    agents = Settings(llm="offline", embed="hashing")
    env = {"AGA_JUDGE_BASE_URL": "http://127.0.0.1:9/v1", "AGA_JUDGE_MODEL": "judge-model"}
    judge_with = judge_settings(agents, environ=env)
    assert (judge_with.llm, judge_with.base_url, judge_with.model) == (
        "openai",
        "http://127.0.0.1:9/v1",
        "judge-model",
    )
    assert judge_settings(agents, environ={}).llm == "offline"
    assert judge_settings(agents, model="m2", environ=env).model == "m2"
