"""Reflections and conversation thoughts of the stand-in, asked with the brain's own prompt
builders, for every resident of the bundled town over several seeds.

A reflection is fed its own earlier answers again (as the memory stream retrieves stored
reflections), round after round: no answer may nest a template in another, lower-case a
name, cut a sentence off, repeat a word, take a verb or a generic word for a theme, or
be longer than the brain keeps. A conversation memo notes news, never a greeting, a
question, a sighting or a memory repeated back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from offline_town import profile, residents
from test_offline_insight import JUNK, WRAPS, defects

from aga_npc.brain.answers import FocalPoints, Insights, PlanningThought
from aga_npc.llm.jsonrepair import extract_json
from aga_npc.offline import OfflineLLM
from aga_npc.prompts import (
    convo_memo_messages,
    focal_points_messages,
    insights_messages,
    planning_thought_messages,
)
from aga_npc.types import ChatMessage, LLMRequest, Module

SEEDS = (0, 1, 2)
ROUNDS = 3


def _ask(module: Module, messages: Sequence[ChatMessage], seed: int, *, json: bool = True) -> Any:
    request = LLMRequest(
        agent="x", module=module, messages=tuple(messages), json=json, max_tokens=400
    )
    text = asyncio.run(OfflineLLM(seed=seed).complete(request)).text
    return extract_json(text) if json else " ".join(text.split())


def _reflect(seed: int) -> list[tuple[str, str]]:
    """(resident, insight) of ``ROUNDS`` reflections per resident, each fed the last."""
    said: list[tuple[str, str]] = []
    for persona in residents():
        fields = profile(persona).prompt_fields()
        me = persona.name.split()[0]
        statements = [
            *persona.events,
            persona.currently,
            f"{persona.name} is talking with everyone at the meeting at the table in the "
            "meeting room, carefully",
            "Hana Novak is reading at the table 1 in the library at Alder College",
            f"{me} should go to the party at Juniper Cafe with Marta on Saturday at 18:00.",
            *JUNK,
        ]
        for _ in range(ROUNDS):
            focal = FocalPoints.validate(
                _ask(
                    Module.FOCAL_POINTS,
                    focal_points_messages(persona=fields, statements=statements),
                    seed,
                )
            )
            for question in focal.questions[:2]:
                found = Insights.validate(
                    _ask(
                        Module.INSIGHTS,
                        insights_messages(
                            persona=fields,
                            question=question,
                            statements=statements[-30:],
                            count=3,
                            with_poignancy=bool(seed % 2),
                        ),
                        seed,
                    )
                )
                texts = [i.text for i in found.items]
                said += [(persona.name, t) for t in texts]
                statements += texts
    return said


@pytest.mark.parametrize("seed", SEEDS)
def test_reflections_fed_their_own_insights_stay_clean(seed: int) -> None:
    said = _reflect(seed)
    assert len(said) > 25 * ROUNDS * 2
    bad = [(who, text, defects(text)) for who, text in said if defects(text)]
    assert not bad, bad[:10]
    for _, text in said:
        low = text.lower()
        assert sum(low.count(w) for w in WRAPS) <= 1, text
        assert low.count("it matters to") <= 1
        assert low.count("seems to care about this") == 0  # the stilted template is gone
        assert low.count("will likely remember that") <= 1


def test_reflections_vary_and_say_something() -> None:
    said = [t for _, t in _reflect(0)]
    assert len(set(said)) > 100
    kinds = {
        "person": ("enjoys spending time with", "an important part of", "running into each other"),
        "topic": ("thinking a lot about", "keeps coming up", "cares more about"),
        "place": ("much of the time", "favourite places", "good part of the day"),
    }
    for kind, phrases in kinds.items():
        assert any(p in t for t in said for p in phrases), kind
    news = [t for t in said if not any(p in t for ps in kinds.values() for p in ps)]
    assert len(news) > 20


def test_focal_questions_ask_about_people_not_places() -> None:
    persona = residents()[0]
    fields = profile(persona).prompt_fields()
    statements = [
        "Amara Osei is studying at the desk in the library at Alder College",
        "Amara chatted with Nora Ellison about the study group",
        "Nora Ellison joined the study group at Alder College",
        "Pine Street Grocery is open until 18:00",
        "Nothing new to plan after talking with Kenji.",
    ]
    for seed in SEEDS:
        focal = FocalPoints.validate(
            _ask(
                Module.FOCAL_POINTS,
                focal_points_messages(persona=fields, statements=statements),
                seed,
            )
        )
        about = [q for q in focal.questions if q.startswith("How does Amara feel about")]
        assert about == ["How does Amara feel about Nora?"], focal.questions


# Lines 25-NPC runs turned into memos ("Rosa told Owen: I'm Rosa, I don't believe we've been
# introduced."), none of them news of the speaker's life.
NO_NEWS = (
    "I'm Rosa, I don't believe we've been introduced.",
    "I'm doing well, thanks.",
    "I didn't know that.",
    "I'm new around here.",
    "I talked with you: Calvin and Rosa talked about the election, remember?",
    "I should go to the election debate with you tomorrow at 17:00, remember?",
    "I'm going to the election debate tomorrow at 17:00 - want to join me?",
    "I will likely remember that marta is planning the cafe's anniversary party on Saturday.",
    "I've been thinking about a new supermarket planned outside town a lot lately a lot lately.",
    "I'm listening to the lecture and taking notes at the desk 8 in the classroom A, taking a "
    "short pause.",
)


@pytest.mark.parametrize("line", NO_NEWS)
def test_a_memo_notes_news_not_greetings_questions_or_sightings(line: str) -> None:
    persona = residents()[0]
    fields = profile(persona).prompt_fields()
    lines = [("Rosa Delgado", "Hello there!"), (persona.name, "Hi Rosa."), ("Rosa Delgado", line)]
    for seed in SEEDS:
        memo = _ask(
            Module.CONVO_MEMO,
            convo_memo_messages(persona=fields, other="Rosa Delgado", lines=lines),
            seed,
            json=False,
        )
        assert line.rstrip(".?") not in memo, memo
        assert "?." not in memo and not defects(memo), memo


def test_a_memo_keeps_real_news_whole() -> None:
    persona = residents()[0]
    fields = profile(persona).prompt_fields()
    news = (
        "I've been busy - I'm collecting old photographs of the town for my book and ask older "
        "residents about the past."
    )
    lines = [("Tobias Ellison", "Good to see you."), ("Tobias Ellison", news)]
    memo = _ask(
        Module.CONVO_MEMO,
        convo_memo_messages(persona=fields, other="Tobias Ellison", lines=lines),
        0,
        json=False,
    )
    assert memo == f"Tobias told Amara: {news}"


def test_a_planning_thought_does_not_send_one_to_ones_own_name() -> None:
    persona = next(p for p in residents() if p.name.startswith("Marisol"))
    fields = profile(persona).prompt_fields()
    lines = [
        (
            "Amara Osei",
            "Would you like to come to the election debate at Marisol's tomorrow at 17:00?",
        ),
        ("Marisol Ruiz", "Yes, I would love to."),
    ]
    for seed in SEEDS:
        thought = PlanningThought.validate(
            _ask(
                Module.PLANNING_THOUGHT,
                planning_thought_messages(
                    persona=fields, other="Amara Osei", lines=lines, time="12:00"
                ),
                seed,
            )
        )
        assert thought.thought.startswith("Marisol should go to the election debate with Amara")
        assert "at Marisol's" not in thought.thought, thought.thought
        assert not defects(thought.thought)


def test_a_conversation_topic_keeps_the_names_as_said() -> None:
    persona = next(p for p in residents() if p.name.startswith("Marisol"))
    fields = profile(persona).prompt_fields()
    lines = [
        (
            "Hana Novak",
            "What do you think about the mayoral election between Rosa Delgado and Calvin Reyes?",
        ),
        ("Marisol Ruiz", "I have not made up my mind yet."),
    ]
    for seed in SEEDS:
        memo = _ask(
            Module.CONVO_MEMO,
            convo_memo_messages(persona=fields, other="Hana Novak", lines=lines),
            seed,
            json=False,
        )
        assert memo == (
            "Marisol chatted with Hana about the mayoral election between Rosa Delgado and "
            "Calvin Reyes."
        ), memo
