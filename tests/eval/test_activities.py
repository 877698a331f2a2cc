"""Activity types by embedding, and the "why" of an activity."""

from __future__ import annotations

import pytest

from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.eval.activities import ActivityTypes, activity_core, cumulative_types, inspired_by


def test_activity_core_drops_the_agents_name() -> None:
    names = ["Marta Ellison"]
    assert activity_core("Marta gives the kitchen a good clean.", names) == (
        "gives the kitchen a good clean"
    )
    assert activity_core("Marta Ellison  bakes", names) == "bakes"
    assert activity_core("Martha bakes", names) == "martha bakes"


def test_identical_activities_are_one_type_and_different_ones_are_not() -> None:
    types = ActivityTypes(HashingEmbedder(), threshold=0.8)
    assert types.add(["take a walk in elm park", "take a walk in elm park"]) == 1
    assert types.add(["take a walk in elm park"]) == 0
    assert types.add(["bake a batch of muffins", "mix cocktails at the bar"]) == 2
    assert len(types) == 3
    assert types.type_of("bake a batch of muffins") == "bake a batch of muffins"


def test_a_lower_threshold_merges_more() -> None:
    texts = ["take a walk in elm park", "take a long walk in elm park", "walk in elm park"]
    strict = ActivityTypes(HashingEmbedder(), threshold=0.99)
    loose = ActivityTypes(HashingEmbedder(), threshold=0.5)
    strict.add(texts)
    loose.add(texts)
    assert len(loose) < len(strict) == 3


def test_cumulative_types_never_decrease() -> None:
    runs = [["a walk in the park"], ["a walk in the park", "paint by the river"], []]
    assert cumulative_types(runs, HashingEmbedder()) == [1, 2, 2]


def test_bad_threshold_refused() -> None:
    with pytest.raises(ValueError):
        ActivityTypes(HashingEmbedder(), threshold=0.0)


def test_inspired_by_names_the_memory_with_most_shared_words() -> None:
    wandered = ["table is in use", "Silas Grue: play a few tunes at Town Square"]
    activity = "play a few tunes at Town Square like Silas did"
    assert inspired_by(activity, wandered, min_shared=2) == wandered[1]
    assert inspired_by("go to sleep", wandered, min_shared=2) == ""


def test_adjusted_rand_is_one_for_the_same_partition_and_near_zero_for_a_random_one() -> None:
    from aga_npc.eval.activities import adjusted_rand

    truth = ["a", "a", "b", "b", "c", "c"]
    assert adjusted_rand(truth, [1, 1, 2, 2, 3, 3]) == 1.0
    assert adjusted_rand(truth, [5, 5, 9, 9, 7, 7]) == 1.0  # labels' names do not matter
    assert adjusted_rand(truth, [1, 2, 3, 4, 5, 6]) == 0.0
    # sklearn.metrics.adjusted_rand_score([0,0,1,1,2,2], [0,0,1,2,2,2]) = 0.444...
    assert abs(adjusted_rand([0, 0, 1, 1, 2, 2], [0, 0, 1, 2, 2, 2]) - 4 / 9) < 1e-9
    with pytest.raises(ValueError):
        adjusted_rand([1, 2], [1])


def test_the_calibration_set_words_each_activity_several_ways() -> None:
    from aga_npc.eval.activities import calibration_set

    texts, labels = calibration_set(0)
    assert len(texts) == len(labels) == len(set(texts))
    per = {label: labels.count(label) for label in set(labels)}
    assert len(per) > 40 and max(per.values()) > 3
    assert all("{" not in t and "~" not in t for t in texts)
