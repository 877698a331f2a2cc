"""Importance without an LLM call per routine: heuristic, pattern cache, answer parsing."""

from __future__ import annotations

import msgpack
import pytest

from aga_npc.memory.importance import (
    KIND_DEFAULTS,
    ImportanceCache,
    heuristic_importance,
    parse_importance,
)


@pytest.mark.parametrize(
    "text",
    [
        "Klaus Mueller is sleeping in bed",
        "brushing his teeth",
        "walking to Hobbs Cafe",
        "eating breakfast at home",
        "bed is idle",
        "taking a shower",
        "waking up and stretching",
    ],
)
def test_routines_get_a_low_score(text):
    score = heuristic_importance(text, "done")
    assert score is not None and 1 <= score <= 2


@pytest.mark.parametrize(
    "text",
    [
        "planning a Valentine's Day party at the cafe",
        "Maria told Klaus that her father died",
        "had an argument with Sam while eating dinner",
        "looking at the mysterious map",
    ],
)
def test_eventful_or_unknown_texts_need_an_llm(text):
    assert heuristic_importance(text, "observed") is None


@pytest.mark.parametrize("kind", ["said", "thought", "reflection"])
def test_dialogue_thoughts_and_reflections_are_never_guessed(kind):
    assert heuristic_importance("sleeping in bed", kind) is None


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(7, 7), (7.6, 8), ("7", 7), ("Rating: 8/10", 8), ("0", 1), (15, 10), ("-3", 1), (" 10 ", 10)],
)
def test_parse_importance(answer, expected):
    assert parse_importance(answer) == expected


@pytest.mark.parametrize("answer", ["very important", "", True, float("nan")])
def test_parse_importance_rejects_non_numbers(answer):
    with pytest.raises(ValueError):
        parse_importance(answer)


def test_cache_reuses_scores_across_numbers_and_names():
    cache = ImportanceCache()
    assert cache.lookup("Maria Lopez is reading chapter 3 of the thesis draft", "done") == 2
    assert (
        cache.lookup("Maria Lopez met the mayor at 10", "observed", names=["Maria Lopez"]) is None
    )
    assert cache.store("Maria Lopez met the mayor at 10", "observed", 6, names=["Maria Lopez"]) == 6
    # another agent, another hour: same pattern
    assert (
        cache.lookup("Klaus Mueller met the mayor at 14", "observed", names=["Klaus Mueller"]) == 6
    )
    # same text but another kind is another key
    assert cache.lookup("met the mayor at 14", "said") is None
    assert cache.stats() == {"hits": 1, "heuristic_hits": 1, "misses": 2, "entries": 1}


def test_cached_value_wins_over_heuristic():
    cache = ImportanceCache()
    cache.store("sleeping in bed", "done", 4)
    assert cache.lookup("sleeping in bed", "done") == 4


def test_heuristics_can_be_disabled():
    cache = ImportanceCache(use_heuristics=False)
    assert cache.lookup("sleeping in bed", "done") is None
    assert cache.estimate("sleeping in bed", "done") == KIND_DEFAULTS["done"]


def test_estimate_prefers_cache_then_heuristic_then_kind_default():
    cache = ImportanceCache()
    assert cache.estimate("something odd happened", "said") == KIND_DEFAULTS["said"]
    assert cache.estimate("sleeping in bed", "done") == 1
    cache.store("something odd happened", "said", 9)
    assert cache.estimate("something odd happened", "said") == 9
    assert cache.stats()["misses"] == 0


def test_least_recently_used_is_evicted():
    cache = ImportanceCache(max_entries=2)
    cache.store("met the mayor", "observed", 5)
    cache.store("found a coin", "observed", 3)
    assert cache.lookup("met the mayor", "observed") == 5  # refresh
    cache.store("saw a comet", "observed", 8)
    assert len(cache) == 2
    assert cache.lookup("found a coin", "observed") is None
    assert cache.lookup("met the mayor", "observed") == 5


def test_round_trip_through_msgpack_keeps_order():
    cache = ImportanceCache(max_entries=3)
    for text, score in [("a coin", 2), ("a comet", 8), ("the mayor", 5)]:
        cache.store(text, "observed", score)
    blob = msgpack.packb(cache.to_dict(), use_bin_type=True)
    back = ImportanceCache.from_dict(msgpack.unpackb(blob, raw=False), max_entries=3)
    assert back.to_dict() == cache.to_dict()
    back.store("a fox", "observed", 4)
    assert back.lookup("a coin", "observed") is None  # the oldest went first


def test_from_dict_names_bad_entry():
    with pytest.raises(ValueError, match=r"entries\[1\]"):
        ImportanceCache.from_dict({"entries": [["done|x", 3], ["done|y", 42]]})


@pytest.mark.parametrize(
    ("text", "names", "key"),
    [
        ("Klaus Mueller is sleeping", ["Klaus Mueller"], "sleeping"),
        ("Klaus is reading; Klaus Mueller naps", ["Klaus", "Klaus Mueller"], "reading naps"),
        ("Klausi is reading", ["Klaus"], "klausi reading"),  # whole words only
        ("Maria Lopez 2 met Maria Lopez at 10", ["Maria Lopez 2"], "met maria lopez #"),
        ("anna anna sings", ["Anna"], "sings"),
    ],
)
def test_pattern_key_strips_names_as_whole_words(text, names, key):
    from aga_npc.memory.text import pattern_key

    assert pattern_key(text, names=names) == key
