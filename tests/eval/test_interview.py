"""Interviews: the question set (bundled, edited, bad), and an agent of a saved run
answering through fakellm with the memories its retrieval found."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_kit import INTERVIEW_ANSWER
from llm_servers import FakeLLMServer

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import ConfigError
from aga_npc.eval.interview import CATEGORIES, Question, interview, load_questions
from aga_npc.eval.llm import EvalLLM
from aga_npc.eval.runs import town_from_save
from aga_npc.sim.population import town_for

OFFLINE = Settings(llm="offline", embed="hashing")


def test_the_bundled_questions_cover_the_five_categories() -> None:
    questions = load_questions()
    assert {q.category for q in questions} == set(CATEGORIES)
    assert all(q.text for q in questions)


def test_an_edited_question_file_is_read_and_a_bad_one_refused(tmp_path: Path) -> None:
    good = tmp_path / "q.toml"
    good.write_text('[[question]]\ncategory = "plans"\ntext = "What now?"\n', encoding="utf-8")
    assert load_questions(good) == [Question("plans", "What now?")]
    cases = {
        "unknown.toml": '[[question]]\ncategory = "gossip"\ntext = "Who?"\n',
        "empty.toml": 'title = "no questions"\n',
        "blank.toml": '[[question]]\ncategory = "self"\ntext = "  "\n',
        "broken.toml": "[[question]\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=name):
            load_questions(path)
    with pytest.raises(ConfigError):
        load_questions(tmp_path / "missing.toml")


def load(saved_run: Path) -> tuple[CachedEmbedder, object]:
    embedder = CachedEmbedder(HashingEmbedder())
    personas, map_path = town_for(3)
    town = town_from_save(
        saved_run,
        personas,
        mode="aga",
        seed=0,
        settings=OFFLINE,
        embedder=embedder,
        map_path=map_path,
    )
    return embedder, town


@pytest.mark.integration
def test_an_agent_of_a_saved_run_answers_through_fakellm_from_its_memories(
    saved_run: Path, fakellm: FakeLLMServer
) -> None:
    embedder, town = load(saved_run)
    assert town.now == 360 + 1440  # the save is the end of the one-day run
    settings = Settings(llm="openai", base_url=fakellm.base_url, api_key="sk-test")
    questions = [Question("memory", "Who is {other}?"), Question("self", "Who are you?")]
    before = fakellm.rule_count("interview")
    rows = interview(town, ["Amara Osei"], questions, EvalLLM(settings), embedder)
    assert fakellm.rule_count("interview") - before == 2
    assert [r["answer"] for r in rows] == [INTERVIEW_ANSWER] * 2
    assert all(not r["error"] for r in rows)
    who = rows[0]["question"].removeprefix("Who is ").rstrip("?")
    assert who in ("Marta Ellison", "Silas Grue")  # {other}: the closest resident
    assert rows[0]["memories"], "the question retrieved no memory"
    assert any(who.split()[0] in m for m in rows[0]["memories"])


def test_the_offline_interview_answers_from_the_persona_and_the_plan(saved_run: Path) -> None:
    embedder, town = load(saved_run)
    questions = [Question("self", "Give an introduction of yourself."), *load_questions()]
    rows = interview(town, ["Silas Grue"], questions, EvalLLM(OFFLINE), embedder)
    intro = rows[0]["answer"]
    assert intro.startswith("I'm Silas Grue") and "The Copper Kettle" in intro
    plans = [r for r in rows if r["category"] == "plans"]
    assert plans and all(r["answer"].startswith("At ") for r in plans)
