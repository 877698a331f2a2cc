"""Duration rescaling and entry round trips (the same-plan rule: test_policy_matching.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aga_npc.policy import (
    AddressCond,
    PolicyEntry,
    PolicyScope,
    Provenance,
    Variant,
    rescale_actions,
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
        place="@work",
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
    old = entry.to_dict()
    del old["place"]
    with pytest.raises(ValueError, match="place"):
        PolicyEntry.from_dict(old)


def test_an_entry_refuses_actions_outside_its_place_and_repeated_variant_ids() -> None:
    counter = Variant(
        condition=AddressCond(address="@work:cafe:counter"),
        actions=(Action(verb="serve", target="@work:cafe:counter"),),
    )
    base = {
        "id": 1,
        "scope": PolicyScope.town(),
        "plan_text": "serve customers",
        "vector": np.ones(4, dtype=np.float32) / 2,
        "duration": 30,
    }
    with pytest.raises(ValueError, match="acts outside the place"):
        PolicyEntry(place="@home", variants=(counter,), **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="variant ids repeat"):
        PolicyEntry(place="@work", variants=(counter, counter), **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PolicyEntry(place="", variants=(), **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PolicyEntry(place="@work:cafe", variants=(), **base)  # type: ignore[arg-type]


def test_scopes_validate_names() -> None:
    assert str(PolicyScope.agent("ann")) == "agent:ann" and str(PolicyScope.town()) == "town"
    with pytest.raises(ValueError):
        PolicyScope.agent("")
    with pytest.raises(ValueError):
        PolicyScope(kind="town", name="x")  # type: ignore[arg-type]
