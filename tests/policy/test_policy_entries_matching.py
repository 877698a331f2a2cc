"""Duration rescaling, entry round trips, activity signatures and the same-plan rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aga_npc.policy import (
    AddressCond,
    MatchSettings,
    PolicyEntry,
    PolicyScope,
    Provenance,
    Variant,
    decide,
    rescale_actions,
    signature,
)
from aga_npc.types import Action


def _acts(*minutes: int) -> list[Action]:
    return [Action(verb=f"v{i}", duration=m) for i, m in enumerate(minutes)]


def test_rescale_is_proportional_and_exact() -> None:
    out = rescale_actions(_acts(10, 20, 30), 120)
    assert [a.duration for a in out] == [20, 40, 60]
    assert [a.verb for a in out] == ["v0", "v1", "v2"]
    assert [a.duration for a in rescale_actions(_acts(10, 20, 30), 30)] == [5, 10, 15]
    odd = rescale_actions(_acts(10, 20, 30), 61)
    assert sum(a.duration for a in odd) == 61


def test_rescale_keeps_every_action_at_least_a_minute() -> None:
    out = rescale_actions(_acts(1, 1, 100), 5)
    assert [a.duration for a in out] == [1, 1, 3]
    assert [a.duration for a in rescale_actions(_acts(10, 20), 1)] == [1, 1]


def test_rescale_without_duration_or_same_total_is_identity() -> None:
    acts = _acts(3, 4)
    assert rescale_actions(acts, None) == tuple(acts)
    assert rescale_actions(acts, 7) == tuple(acts)


@given(
    minutes=st.lists(st.integers(1, 240), min_size=1, max_size=8),
    duration=st.integers(1, 1000),
)
def test_rescale_properties(minutes: list[int], duration: int) -> None:
    out = rescale_actions(_acts(*minutes), duration)
    assert len(out) == len(minutes)
    assert all(a.duration >= 1 for a in out)
    assert sum(a.duration for a in out) == max(duration, len(minutes))
    if duration >= len(minutes):  # each within one minute of its exact share (or of 1)
        total = sum(minutes)
        for a, m in zip(out, minutes, strict=True):
            share = m * duration / total
            assert a.duration <= max(1, share) + 1 and a.duration >= min(share, 1) - 1e-9


def test_entry_round_trips_through_plain_data() -> None:
    entry = PolicyEntry(
        id=7,
        scope=PolicyScope.role("barista"),
        plan_text="serve customers",
        vector=np.arange(4, dtype=np.float32) / np.linalg.norm(np.arange(4)),
        duration=90,
        provenance=Provenance(agent="ann", role="barista", game_minute=500, backend="offline"),
        hits=3,
        last_use=900,
        variants=(
            Variant(
                condition=AddressCond(address="@work:cafe:counter", free=1),
                actions=(Action(verb="serve", target="@work:cafe:counter", duration=90),),
                hits=2,
                failures=1,
            ),
        ),
    )
    back = PolicyEntry.from_dict(entry.to_dict(), dim=4)
    assert back == entry
    np.testing.assert_array_equal(back.vector, entry.vector)
    with pytest.raises(ValueError, match="dimension"):
        PolicyEntry.from_dict(entry.to_dict(), dim=5)
    broken = entry.to_dict()
    broken["variants"][0]["actions"][0]["duration"] = 0
    with pytest.raises(ValueError, match=r"variants\[0\]\.actions\[0\]"):
        PolicyEntry.from_dict(broken)


def test_scopes_validate_names() -> None:
    assert str(PolicyScope.agent("ann")) == "agent:ann" and str(PolicyScope.town()) == "town"
    with pytest.raises(ValueError):
        PolicyScope.agent("")
    with pytest.raises(ValueError):
        PolicyScope(kind="town", name="x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("cook dinner", "cook"),
        ("eat dinner", "eat"),
        ("have breakfast", "eat"),
        ("grab a coffee at the cafe", "drink"),
        ("brewing coffee for customers at the cafe counter", "cook"),
        ("take a shower", "shower"),
        ("do the dishes", "clean"),
        ("washing her face", "hygiene"),
        ("work on her painting", "paint"),
        ("play the piano", "music"),
        ("going to bed", "sleep"),
        ("taking a relaxing bath", "shower"),
        ("eating a home-cooked dinner", "eat"),
        ("walk to the cafe to grab a coffee", "drink"),
        ("heading to the cafe", "go"),
    ],
)
def test_signature_main_activity(text: str, main: str) -> None:
    assert signature(text).main == main


def test_signature_objects_and_heads() -> None:
    sig = signature("having breakfast at home")
    assert sig.objects["meal"] == frozenset({"breakfast"})
    assert sig.objects["place"] == frozenset({"home"})
    assert sig.head is None  # "have" is a light verb
    tune = signature("tuning the guitar")
    assert tune.head == "tun" and not tune.head_known and tune.tags == ()


SETTINGS = MatchSettings(threshold=0.7, agree_threshold=0.5, strict_threshold=0.9)


@pytest.mark.parametrize(
    ("a", "b", "cosine", "same", "rule"),
    [
        ("Cook dinner.", "cook  dinner", 0.1, True, "exact"),
        ("cook dinner", "eat dinner", 0.83, False, "lookalike"),
        ("have breakfast", "eat breakfast", 0.91, True, "similar"),
        ("have breakfast", "have lunch", 0.9, False, "lookalike"),
        ("work at the cafe", "work at the library", 0.95, False, "lookalike"),
        ("go to sleep", "sleeping in bed", 0.59, True, "same-activity"),
        ("go to sleep", "sleeping in bed", 0.45, False, "below-threshold"),
        ("have a quiet evening", "spend a calm evening", 0.6, False, "below-threshold"),
        ("have a quiet evening", "spend a calm evening", 0.75, True, "similar"),
        ("playing the guitar", "tuning the guitar", 0.85, False, "lookalike"),
        ("playing the guitar", "tuning the guitar", 0.95, True, "similar"),
    ],
)
def test_decide(a: str, b: str, cosine: float, same: bool, rule: str) -> None:
    d = decide(a, b, cosine, SETTINGS)
    assert (d.same, d.rule) == (same, rule)


def test_lookalike_check_can_be_switched_off() -> None:
    plain = MatchSettings(threshold=0.7, agree_threshold=0.7, lookalike_check=False)
    assert decide("cook dinner", "eat dinner", 0.83, plain).same


def test_match_settings_validate_and_calibrate_per_embedder() -> None:
    with pytest.raises(ValueError):
        MatchSettings(threshold=0.5, agree_threshold=0.6)
    local = MatchSettings.for_embedder("local:all-MiniLM-L6-v2-int8")
    assert local == MatchSettings()
    assert MatchSettings.for_embedder("hashing:256").threshold != local.threshold
