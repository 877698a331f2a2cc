"""The ``batched_poignancy`` saving: an agent's memories that need a rating wait and are
rated several to a call (sent when the batch is full or its oldest memory has waited),
each score landing on its own memory; a wrong answer keeps the provisional scores."""

from __future__ import annotations

from typing import Any

import pytest
from brain_kit import ADA, PLACES, Rig

from aga_npc.brain.answers import PoignancyBatch
from aga_npc.brain.mind import POIGNANCY_BATCH, POIGNANCY_WAIT, Mind, RateAs
from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import LoopSettings, Savings
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind

NOON = 12 * 60


def mind(rig: Rig, savings: Savings) -> tuple[Mind, Any]:
    book = rig.book()
    m = Mind(
        profile=ADA,
        settings=LoopSettings.for_mode(Mode.AGA, savings=savings),
        places=PLACES,
    )
    m.attach(book, rig.embedder)
    return m, book


def importance(m: Mind, event_id: int) -> int:
    event = m.stream.get(event_id)
    assert event is not None
    return event.importance


def rate_each(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """A model that finds arguments poignant (9), weddings very (10), the rest mild (2)."""
    out = []
    for item in ctx["memories"]:
        text = item["memory"]
        out.append(9 if "argu" in text else 10 if "wedding" in text else 2)
    return {"poignancy": out}


BATCHED = Savings(batched_poignancy=True)


def test_memories_wait_and_a_full_batch_is_one_call_scoring_each(rig: Any) -> None:
    r = rig({"poignancy_batch": rate_each})
    m, book = mind(r, BATCHED)
    texts = [f"Ben Ortiz is arguing with Cleo about plan {i}" for i in range(POIGNANCY_BATCH - 2)]
    texts += ["Ada hears of Dan's wedding", "Ada sees a cat on the wall"]
    ids = []
    for i, text in enumerate(texts[:-1]):
        ids.append(m.remember(NOON + i, EventKind.OBSERVED, text))
    r.settle(book)
    assert r.kinds() == {}, "nothing is asked before the batch is full or old enough"
    ids.append(m.remember(NOON + 9, EventKind.OBSERVED, texts[-1]))
    r.settle(book)
    assert r.kinds() == {"poignancy_batch": 1}
    sent = r.script.contexts["poignancy_batch"][0]["memories"]
    assert [x["memory"] for x in sent] == texts and [x["n"] for x in sent] == list(
        range(1, POIGNANCY_BATCH + 1)
    )
    assert [importance(m, i) for i in ids] == [9] * (POIGNANCY_BATCH - 2) + [10, 2]
    assert (m.poignancy_asked, m.poignancy_batches, m.poignancy_batched) == (
        POIGNANCY_BATCH,
        1,
        POIGNANCY_BATCH,
    )


def test_a_batch_goes_when_its_oldest_memory_has_waited(rig: Any) -> None:
    r = rig({"poignancy_batch": rate_each})
    m, book = mind(r, BATCHED)
    first = m.remember(NOON, EventKind.OBSERVED, "Ben Ortiz is arguing with Cleo")
    chat = m.remember(NOON + 3, EventKind.SAID, "Ada told Ben about the wedding", rate=RateAs.CHAT)
    m.tick(NOON + POIGNANCY_WAIT - 1)
    r.settle(book)
    assert r.kinds() == {}, "younger than the wait: still gathering"
    m.tick(NOON + POIGNANCY_WAIT)
    r.settle(book)
    assert r.kinds() == {"poignancy_batch": 1}
    assert [x["kind"] for x in r.script.contexts["poignancy_batch"][0]["memories"]] == [
        RateAs.EVENT,
        RateAs.CHAT,
    ]
    assert (importance(m, first), importance(m, chat)) == (9, 10)


def test_without_the_saving_each_memory_is_its_own_call(rig: Any) -> None:
    r = rig({"poignancy": {"poignancy": 4}})
    m, book = mind(r, Savings())
    for i in range(3):
        m.remember(NOON + i, EventKind.OBSERVED, f"Ben Ortiz waters plant {i}")
    r.settle(book)
    assert r.kinds() == {"poignancy": 3}
    assert m.poignancy_batches == 0


@pytest.mark.parametrize(
    "answer",
    [
        {"poignancy": [5, 5]},  # too few scores
        {"poignancy": "five"},  # not a list
        {"scores": [5] * (POIGNANCY_BATCH + 1)},  # too many
    ],
)
def test_a_wrong_batch_answer_keeps_every_provisional_score(rig: Any, answer: Any) -> None:
    r = rig({"poignancy_batch": answer})
    m, book = mind(r, BATCHED)
    ids = [
        m.remember(NOON + i, EventKind.OBSERVED, f"Ben Ortiz is arguing with Cleo, round {i}")
        for i in range(POIGNANCY_BATCH)
    ]
    provisional = [importance(m, i) for i in ids]
    r.settle(book)
    assert r.calls("poignancy_batch") >= 1, "the batch was asked (and re-asked)"
    assert [importance(m, i) for i in ids] == provisional


def test_a_failed_batch_call_keeps_the_provisional_scores(rig: Any) -> None:
    r = rig({"poignancy_batch": [ServerError("x", status=503)] * 6})
    m, book = mind(r, BATCHED)
    ids = [
        m.remember(NOON, EventKind.THOUGHT, f"Ada wonders about the fair, part {i}")
        for i in range(POIGNANCY_BATCH)
    ]
    provisional = [importance(m, i) for i in ids]
    r.settle(book)
    assert [importance(m, i) for i in ids] == provisional


def test_the_validator_reads_bare_lists_and_clamps_and_refuses_counts() -> None:
    assert PoignancyBatch.validate([3, "7/10", 12], count=3).scores == (3, 7, 10)
    assert PoignancyBatch.validate({"poignancy": [1, 2]}, count=2).scores == (1, 2)
    with pytest.raises(ValueError, match="3 scores"):
        PoignancyBatch.validate({"poignancy": [1, 2]}, count=3)
    with pytest.raises(ValueError):
        PoignancyBatch.validate({"poignancy": [1, "none"]}, count=2)


def test_the_batch_counters_survive_a_state_round_trip_and_waiting_memories_do_not(
    rig: Any,
) -> None:
    r = rig({"poignancy_batch": rate_each})
    m, book = mind(r, BATCHED)
    for i in range(POIGNANCY_BATCH + 2):
        m.remember(NOON + i, EventKind.OBSERVED, f"Ben Ortiz is arguing, round {i}")
    r.settle(book)
    state = m.get_state()
    again, book2 = mind(r, BATCHED)
    again.set_state(state)
    assert (again.poignancy_batches, again.poignancy_batched) == (1, POIGNANCY_BATCH)
    again.tick(NOON + 10 * POIGNANCY_WAIT)
    r.settle(book2)
    assert r.calls("poignancy_batch") == 1, "the two left waiting keep provisional scores"
