"""RequestBook: typed continuations, Failures, parse errors, no coalescing, poll limits,
drop_all and the per-book stats."""

from __future__ import annotations

from typing import Any

import pytest
from brain_kit import Rig

from aga_npc.brain.answers import Text, WakeUp, parsed_as
from aga_npc.brain.requests import Failure, RequestBook
from aga_npc.errors import ServerError
from aga_npc.prompts import wake_up_messages
from aga_npc.types import LLMRequest, Module

PERSONA = {"name": "Ada Finch", "home": "Ada House", "workplace": "Cafe", "role": "barista"}
DAY_FACTS = {"day": 1, "weekday": "monday", "is_work_day": True}


def ask_wake(book: RequestBook, got: list[Any], *, tag: str = "") -> None:
    book.ask(
        Module.WAKE_UP,
        wake_up_messages(persona=PERSONA, day=DAY_FACTS),
        validator=WakeUp.validate,
        parse=parsed_as(WakeUp),
        then=lambda answer: got.append((tag, answer)) if tag else got.append(answer),
        day=1,
    )


def ask_text(book: RequestBook, got: list[Any], tag: str) -> None:
    book.ask(
        Module.CONVO_MEMO,
        wake_up_messages(persona=PERSONA, day={**DAY_FACTS, "tag": tag}),
        json=False,
        parse=Text.read,
        then=lambda answer: got.append((tag, answer)),
        day=1,
    )


def test_the_continuation_gets_the_validated_typed_answer(rig: Any) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "6:45 am"}})
    book = r.book()
    got: list[Any] = []
    ask_wake(book, got)
    assert book.poll() == 0 and got == [], "nothing runs before the answer is served"
    r.gateway.pump()
    assert book.has_answers()
    assert book.poll() == 1
    assert got == [WakeUp(minute=6 * 60 + 45)]
    assert len(book) == 0 and not book.has_answers()


def test_a_failed_request_gives_a_failure_with_the_ledger_outcome(rig: Any) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "07:00"}}, failures=[ServerError("down", status=503)] * 4)
    book = r.book()
    got: list[Any] = []
    ask_wake(book, got)
    r.settle(book)
    [answer] = got
    assert isinstance(answer, Failure)
    assert answer.kind == "wake_up" and answer.outcome == "failed"
    assert "down" in answer.reason
    assert book.stats.failures == 1
    assert r.fake.call_count == 4, "the retry wrapper tried four times before giving up"


def test_an_answer_the_parser_rejects_is_an_unparsed_failure(rig: Any) -> None:
    r: Rig = rig({"convo_memo": '  ""  '})
    book = r.book()
    got: list[Any] = []
    ask_text(book, got, "memo")
    r.settle(book)
    [(_, answer)] = got
    assert answer == Failure(kind="convo_memo", reason="empty answer", outcome="unparsed")
    assert book.stats.failures == 1
    # the call itself was made and paid for
    assert book.stats.llm_calls == 1 and book.stats.tokens > 0


@pytest.mark.parametrize("error", [KeyError("plan"), TypeError("not a dict")])
def test_key_and_type_errors_of_a_parser_are_unparsed_failures(rig: Any, error: Exception) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "07:00"}})
    book = r.book()
    got: list[Any] = []

    def parse(_: Any) -> Any:
        raise error

    book.ask(
        Module.WAKE_UP,
        wake_up_messages(persona=PERSONA, day=DAY_FACTS),
        parse=parse,
        then=got.append,
        day=1,
    )
    r.settle(book)
    assert len(got) == 1 and isinstance(got[0], Failure) and got[0].outcome == "unparsed"


def test_a_json_answer_the_validator_rejects_is_reasked_then_failed(rig: Any) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "half past never"}})
    book = r.book()
    got: list[Any] = []
    ask_wake(book, got)
    r.settle(book)
    [answer] = got
    assert isinstance(answer, Failure)
    assert "not a time of day" in answer.reason
    assert r.calls("wake_up") == 2, "one re-ask with the validator's complaint"


def test_identical_requests_are_never_coalesced(rig: Any) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "07:00"}})
    one, two = r.book(), r.book()
    got: list[Any] = []
    for book in (one, one, two):
        ask_wake(book, got)
    # the same content from the same agent: without per-request keys the gateway would
    # serve all three with one backend call
    r.settle(one, two)
    assert r.fake.call_count == 3
    assert r.gateway.stats()["coalesced"] == 0
    assert got == [WakeUp(minute=420)] * 3
    keys = {req.dedup_key for req in r.fake.calls}
    assert len(keys) == 3


def test_poll_with_a_limit_runs_the_oldest_first(rig: Any) -> None:
    r: Rig = rig({"convo_memo": lambda ctx: f"memo {ctx['day']['tag']}"})
    book = r.book()
    got: list[Any] = []
    for tag in ("a", "b", "c"):
        ask_text(book, got, tag)
    r.gateway.pump()
    assert book.poll(limit=1) == 1
    assert [t for t, _ in got] == ["a"]
    assert book.kinds() == ("convo_memo", "convo_memo") and book.count("convo_memo") == 2
    assert book.poll(limit=5) == 2
    assert [t for t, _ in got] == ["a", "b", "c"]
    assert [a.text for _, a in got] == ["memo a", "memo b", "memo c"]


def test_poll_skips_unfinished_requests_and_keeps_them(rig: Any) -> None:
    r: Rig = rig({"convo_memo": "noted"})
    book = r.book()
    got: list[Any] = []
    ask_text(book, got, "first")
    r.gateway.pump()
    ask_text(book, got, "second")  # not served yet
    assert book.poll() == 1
    assert [t for t, _ in got] == ["first"]
    assert book.kinds() == ("convo_memo",)
    r.settle(book)
    assert [t for t, _ in got] == ["first", "second"]


class ServingGateway:
    """The inline gateway, serving every request the moment it is submitted."""

    def __init__(self, rig: Rig) -> None:
        self.inner = rig.gateway

    def submit(self, request: LLMRequest) -> Any:
        ticket = self.inner.submit(request)
        self.inner.pump()
        return ticket

    def submit_call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        ticket = self.inner.submit_call(fn, *args, **kwargs)
        self.inner.pump()
        return ticket

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_continuation_that_asks_again_waits_for_the_next_poll(rig: Any) -> None:
    r: Rig = rig({"convo_memo": "noted"})
    book = RequestBook(ServingGateway(r), "Ada Finch")
    got: list[Any] = []

    def again(answer: Any) -> None:
        got.append(answer)
        if len(got) < 3:
            book.ask(
                Module.CONVO_MEMO,
                wake_up_messages(persona=PERSONA, day=DAY_FACTS),
                json=False,
                parse=Text.read,
                then=again,
                day=1,
            )

    book.ask(
        Module.CONVO_MEMO,
        wake_up_messages(persona=PERSONA, day=DAY_FACTS),
        json=False,
        parse=Text.read,
        then=again,
        day=1,
    )
    # every ticket is done as soon as it exists; still one continuation per poll
    assert book.poll() == 1 and len(got) == 1 and len(book) == 1
    assert book.poll() == 1 and len(got) == 2
    assert book.poll() == 1 and len(got) == 3
    assert book.poll() == 0 and len(book) == 0


def test_drop_all_cancels_what_waits_and_forgets_it(rig: Any) -> None:
    r: Rig = rig({"convo_memo": "noted"})
    book = r.book()
    got: list[Any] = []
    for tag in ("a", "b"):
        ask_text(book, got, tag)
    book.drop_all()
    assert len(book) == 0 and book.kinds() == ()
    r.gateway.pump()
    assert book.poll() == 0
    assert got == []
    assert r.fake.call_count == 0, "a dropped request never reaches the backend"
    assert book.stats.llm_calls == 0


def test_calls_run_the_function_and_report_its_errors_as_failures(rig: Any) -> None:
    r: Rig = rig()
    book = r.book()
    got: list[Any] = []

    def boom(x: int) -> int:
        raise RuntimeError(f"embedder broke on {x}")

    book.call("embed_query", lambda x: x * 2, 21, then=got.append)
    book.call("embed_query", boom, 7, then=got.append)
    r.settle(book)
    assert got[0] == 42
    assert got[1] == Failure(kind="embed_query", reason="embedder broke on 7", outcome="failed")
    # calls are not LLM calls
    assert book.stats.llm_calls == 0 and book.stats.by_kind == {}
    assert book.stats.failures == 1


def test_stats_count_llm_calls_tokens_and_kinds_per_book(rig: Any) -> None:
    r: Rig = rig({"wake_up": {"wake_up": "07:00"}, "convo_memo": "noted"})
    mine, theirs = r.book("Ada Finch"), r.book("Ben Ortiz")
    got: list[Any] = []
    ask_wake(mine, got)
    ask_wake(mine, got)
    ask_text(mine, got, "m")
    ask_text(theirs, got, "t")
    r.settle(mine, theirs)
    assert mine.stats.llm_calls == 3 and theirs.stats.llm_calls == 1
    assert mine.stats.by_kind == {"wake_up": 2, "convo_memo": 1}
    ledger = r.ledger.by_agent()
    assert mine.stats.tokens == ledger["Ada Finch"]["total"] > 0
    assert theirs.stats.tokens == ledger["Ben Ortiz"]["total"] > 0
    copy = r.book("Cleo Park")
    copy.stats.load(mine.stats.to_dict())
    assert copy.stats == mine.stats


def test_a_request_can_be_made_for_another_agent(rig: Any) -> None:
    r: Rig = rig({"convo_memo": "noted"})
    book = r.book("Ada Finch")
    book.ask(
        Module.CONVO_MEMO,
        wake_up_messages(persona=PERSONA, day=DAY_FACTS),
        json=False,
        parse=Text.read,
        then=lambda _: None,
        day=3,
        agent="Ben Ortiz",
    )
    r.settle(book)
    [request] = r.fake.calls
    assert request.agent == "Ben Ortiz" and request.day == 3
    assert set(r.ledger.by_agent()) == {"Ben Ortiz"}
