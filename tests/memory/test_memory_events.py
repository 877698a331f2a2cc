"""MemoryEvent validation and its plain-data round trip."""

from __future__ import annotations

import msgpack
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aga_npc.memory.events import EventKind, MemoryEvent, RetrievalWeights


def make(**changes):
    fields = dict(
        id=3, kind="done", text="ate breakfast", created=10.0, last_access=12.0, importance=2
    )
    fields.update(changes)
    return MemoryEvent(**fields)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"kind": "dreamt"}, "kind"),
        ({"text": "   "}, "text"),
        ({"importance": 0}, "importance"),
        ({"importance": 11}, "importance"),
        ({"importance": 2.5}, "importance"),
        ({"id": -1}, "id"),
        ({"count": 0}, "count"),
        ({"created": float("nan")}, "created"),
        ({"embedding": np.zeros(4)}, "norm 0"),
        ({"embedding": np.ones((2, 2))}, "1-D"),
        ({"people": "Maria"}, "people"),
    ],
)
def test_invalid_fields_are_named(changes, needle):
    with pytest.raises(ValueError, match=needle):
        make(**changes)


def test_kind_string_becomes_enum_and_embedding_is_normalised_read_only():
    ev = make(kind="said", embedding=[3.0, 4.0])
    assert ev.kind is EventKind.SAID
    assert ev.embedding is not None
    np.testing.assert_allclose(ev.embedding, [0.6, 0.8], rtol=1e-6)
    assert ev.embedding.dtype == np.float32
    with pytest.raises(ValueError):
        ev.embedding[0] = 1.0


def test_describe_shows_count_only_when_consolidated():
    assert make().describe() == "ate breakfast"
    assert make(count=7).describe() == "ate breakfast (7 times)"


def test_mentions_is_case_insensitive():
    ev = make(people=("Maria Lopez",))
    assert ev.mentions("maria lopez")
    assert not ev.mentions("Klaus")


def test_weights_reject_negative():
    with pytest.raises(ValueError, match="relevance"):
        RetrievalWeights(relevance=-1.0)


texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
names = st.lists(st.text(min_size=1, max_size=10), max_size=3)


@given(
    kind=st.sampled_from(list(EventKind)),
    text=texts,
    created=st.floats(min_value=0, max_value=1e6),
    importance=st.integers(1, 10),
    people=names,
    keywords=names,
    count=st.integers(1, 50),
    evidence=st.lists(st.integers(0, 10_000), max_size=4),
    vec=st.one_of(
        st.none(),
        st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=3).filter(
            lambda v: sum(x * x for x in v) > 1e-3
        ),
    ),
)
def test_round_trip_through_msgpack(
    kind, text, created, importance, people, keywords, count, evidence, vec
):
    ev = MemoryEvent(
        id=5,
        kind=kind,
        text=text,
        created=created,
        last_access=created + 1,
        importance=importance,
        embedding=vec,
        people=tuple(people),
        keywords=tuple(keywords),
        count=count,
        evidence=tuple(evidence),
    )
    blob = msgpack.packb(ev.to_dict(), use_bin_type=True)
    back = MemoryEvent.from_dict(msgpack.unpackb(blob, raw=False))
    assert back == ev
    if ev.embedding is None:
        assert back.embedding is None
    else:
        assert back.embedding is not None
        np.testing.assert_array_equal(back.embedding, ev.embedding)


def test_from_dict_names_missing_field():
    data = make().to_dict()
    del data["text"]
    with pytest.raises(ValueError, match="text"):
        MemoryEvent.from_dict(data)


def test_from_dict_rejects_wrong_embedding_length():
    data = make(embedding=[1.0, 0.0, 0.0]).to_dict()
    with pytest.raises(ValueError, match="bytes"):
        MemoryEvent.from_dict(data, dim=4)
