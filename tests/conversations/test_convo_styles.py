"""The dialogue styles: Generative Agents' line (embed the last line, retrieve, summarise the
relationship, then speak with the memories), the Social Memory line (one utterance call
with the last round and Social Memory) and the whole exchange in one call."""

from __future__ import annotations

from typing import Any

import pytest
from convo_kit import ADA, BEN, Built, TownMaker

from aga_npc.brain.modes import Mode
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind
from aga_npc.town.conversations import GenerativeLines, SocialLines, WholeExchange

TOPICS = [
    "Morning, Ben!",
    "The tomatoes are ripe.",
    "Will you come on Friday?",
    "Only if there is cake.",
    "There will be scones.",
    "Then I will be there.",
]


def line(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"line": TOPICS[int(ctx["turn"]) % len(TOPICS)], "end": False}


def summary(ctx: dict[str, Any]) -> str:
    return f"{ctx['persona']['name']} and {ctx['other']} share a house."


def run(built: Built, minutes: int = 30) -> list[tuple[str, str]]:
    built.decide(ADA, BEN)
    built.talk(minutes)
    [convo] = built.convos.finished
    return [(w, t) for w, t in convo["lines"]]


def embedder(built: Built) -> Any:
    return built.town.brains[ADA].services.embedder


# ---------------------------------------------------------------------- Generative Agents


@pytest.mark.parametrize("mode", [Mode.BASELINE, Mode.LIFESTYLE_ONLY])
def test_generative_lines_summarise_then_speak_for_every_line(make: TownMaker, mode: Mode) -> None:
    built = make({"utterance": line, "relationship_summary": summary}, mode=mode, max_lines=4)
    assert isinstance(built.convos.style, GenerativeLines)
    lines = run(built)
    assert [w for w, _ in lines] == [ADA, BEN, ADA, BEN]
    assert built.calls("relationship_summary") == 4 and built.calls("utterance") == 4
    assert built.script.agents["relationship_summary"] == [ADA, BEN, ADA, BEN]
    asked = built.script.contexts["utterance"]
    for i, ctx in enumerate(asked):
        speaker, listener = (ADA, BEN) if i % 2 == 0 else (BEN, ADA)
        assert ctx["listener"] == listener
        assert ctx["relationship_summary"] == f"{speaker} and {listener} share a house."
        assert [tuple(x) for x in ctx["conversation"]] == lines[:i], "the whole conversation"
        assert len(ctx["memories"]) <= built.town.brains[ADA].settings.convo_line_memories
        assert "social_memory" not in ctx
    # Ada remembers that Ben is her housemate: it is among what she recalls about him
    first = built.script.contexts["relationship_summary"][0]
    assert (first["persona"]["name"], first["other"]) == (ADA, BEN)
    assert f"{ADA}'s housemate is {BEN}" in first["memories"]


def test_generative_lines_embed_each_last_line_as_the_query(make: TownMaker) -> None:
    built = make(
        {"utterance": line, "relationship_summary": summary}, mode=Mode.BASELINE, max_lines=4
    )
    lines = run(built)
    cache = embedder(built)
    for _, text in lines[:-1]:
        assert cache.cached(text) is not None, text
    assert cache.cached(lines[-1][1]) is None, "nobody answers the last line"


def test_a_failed_relationship_summary_still_gets_the_line(make: TownMaker) -> None:
    built = make(
        {"utterance": line, "relationship_summary": ServerError("x", status=503)},
        mode=Mode.BASELINE,
        max_lines=2,
    )
    assert len(run(built)) == 2
    assert all(c["relationship_summary"] == "" for c in built.script.contexts["utterance"])


# ---------------------------------------------------------------------- Social Memory


@pytest.mark.parametrize("mode", [Mode.AGA, Mode.AGA_PAPER, Mode.SOCIAL_ONLY])
def test_social_lines_are_one_call_with_the_last_round_and_social_memory(
    make: TownMaker, mode: Mode
) -> None:
    built = make({"utterance": line}, mode=mode, max_lines=4)
    assert isinstance(built.convos.style, SocialLines)
    lines = run(built)
    assert len(lines) == 4
    assert built.calls("utterance") == 4 and built.calls("relationship_summary") == 0
    assert all(embedder(built).cached(t) is None for _, t in lines), "no per-line embedding"
    asked = built.script.contexts["utterance"]
    for i, ctx in enumerate(asked):
        assert [tuple(x) for x in ctx["last_round"]] == lines[max(0, i - 2) : i]
        for key in ("conversation", "memories", "relationship_summary"):
            assert key not in ctx
    ada_about_ben = asked[0]["social_memory"]
    assert ada_about_ben["about"] == BEN and ada_about_ben["relationship"] == "housemate"
    assert ada_about_ben["feeling"] == "fond" and ada_about_ben["closeness"] == 4
    ben_about_ada = asked[1]["social_memory"]
    assert ben_about_ada["about"] == ADA


# ---------------------------------------------------------------------- one call


WHOLE = {
    "lines": [
        [ADA, "Morning, Ben!"],
        [BEN, "Morning."],
        [ADA, "The tomatoes are ripe."],
        [BEN, "Finally."],
        [ADA, "Scones on Friday."],
    ]
}


@pytest.mark.parametrize(("mode", "social"), [(Mode.AGA, True), (Mode.BASELINE, False)])
def test_the_whole_exchange_is_one_call(make: TownMaker, mode: Mode, social: bool) -> None:
    built = make({"conversation": WHOLE}, mode=mode, lod="whole", max_lines=4)
    assert isinstance(built.convos.style, WholeExchange)
    lines = run(built)
    assert built.calls("conversation") == 1 and built.calls("utterance") == 0
    assert lines == [
        (ADA, "Morning, Ben!"),
        (BEN, "Morning."),
        (ADA, "The tomatoes are ripe."),
        (BEN, "Finally."),
    ]
    [ctx] = built.script.contexts["conversation"]
    assert ctx["max_turns"] == 4
    assert ("social_memory" in ctx) is social and ("memories" in ctx) is not social
    if social:
        assert ctx["social_memory"]["a_about_b"]["relationship"] == "housemate"
    else:
        assert f"{ADA}'s housemate is {BEN}" in ctx["memories"]["a"]
    assert built.calls("convo_summary") == 1


def test_a_failed_whole_exchange_ends_with_no_lines(make: TownMaker) -> None:
    built = make({"conversation": ServerError("x", status=503)}, lod="whole")
    assert run(built) == []
    assert built.calls("convo_summary") == 0


def test_generative_lines_speak_with_what_the_last_line_recalls(make: TownMaker) -> None:
    """GA retrieves 50 memories about the listener for the relationship summary and 15 for
    the line itself: the utterance carries the ones the last line brings to mind."""
    built = make(
        {
            "utterance": [{"line": "Did you bake the scones for the fair?"}, {"line": "Yes."}],
            "relationship_summary": summary,
        },
        mode=Mode.BASELINE,
        max_lines=2,
    )
    town = built.town
    ben = town.brains[BEN]
    now = town.now
    for i in range(30):
        ben.mind.remember(
            now - 200 + i,
            EventKind.OBSERVED,
            f"{ADA} served customer {i} at the counter",
            people=(ADA,),
            importance=2,
        )
    recalled = "The scones for the fair are baked in the big oven"
    ben.mind.remember(now - 100, EventKind.THOUGHT, recalled, importance=3)
    for hour in range(4):
        ben.mind.tick(now + 60 * hour)
        built.gateway.pump()
        ben.book.poll()
    assert ben.mind.stream.pending_embeddings() == []
    run(built)
    ben_line = built.script.contexts["utterance"][1]
    assert ben_line["listener"] == ADA
    assert recalled in ben_line["memories"]
    assert recalled in built.script.contexts["relationship_summary"][1]["memories"]
