"""Social Memory: updates, clamping, summary dedup and bounds, prompt block, round trip."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.social.social_memory import (
    SocialLimits,
    SocialMemory,
    SocialRecord,
    SocialUpdate,
    closeness_for_relationship,
    merge_summary,
)


def test_unknown_person_gets_a_fresh_record_that_is_not_stored():
    sm = SocialMemory("Klaus")
    r = sm.record_for("Maria")
    assert (r.relationship, r.feeling, r.closeness, r.times_talked) == (
        "unknown",
        "neutral",
        0.0,
        0,
    )
    assert "Maria" not in sm and len(sm) == 0


def test_update_sets_phrases_and_counts_conversations():
    sm = SocialMemory("Klaus")
    r = sm.apply_update("Maria", now=600, relationship=" colleague. ", feeling="friendly")
    assert (r.relationship, r.feeling) == ("colleague", "friendly")
    assert (r.last_talked, r.times_talked, r.talks_on_day) == (600, 1, 1)
    r = sm.apply_update("Maria", now=900, relationship="", feeling=None)
    assert (r.relationship, r.feeling) == ("colleague", "friendly")  # empty keeps the old
    assert (r.times_talked, r.talks_on_day) == (2, 2)
    r = sm.apply_update("Maria", now=1440 + 60)  # next game day
    assert (r.times_talked, r.talks_on_day) == (3, 1)
    r = sm.apply_update("Maria", now=1440 + 90, summary_events=["Maria studies"], talked=False)
    assert (r.times_talked, r.last_talked) == (3, 1500)
    assert sm.people() == ["Maria"]


def test_closeness_is_clamped_and_follows_relationship_when_not_given():
    sm = SocialMemory("Klaus")
    assert sm.apply_update("Maria", now=0, closeness_delta=-3).closeness == 0.0
    assert sm.apply_update("Maria", now=0, closeness=42).closeness == 10.0
    assert sm.apply_update("Maria", now=0, closeness_delta=-2.5).closeness == 7.5
    assert sm.apply_update("Sam", now=0, relationship="acquaintance").closeness == 3.0
    assert sm.apply_update("Sam", now=0, relationship="co-worker").closeness == 5.0
    # an explicit value wins over the phrase
    assert sm.apply_update("Sam", now=0, relationship="married", closeness=4).closeness == 4.0
    # the same phrase again does not reset a value the LLM set
    assert sm.apply_update("Sam", now=0, relationship="married").closeness == 4.0
    with pytest.raises(ValueError, match="finite"):
        sm.apply_update("Sam", now=0, closeness=float("nan"))
    with pytest.raises(ValueError, match="themself"):
        sm.apply_update("Klaus", now=0)


def test_phrases_are_bounded():
    sm = SocialMemory("Klaus", limits=SocialLimits(max_phrase_chars=12))
    r = sm.apply_update("Maria", now=0, relationship="a very long relationship phrase indeed")
    assert len(r.relationship) <= 12 and r.relationship.startswith("a very long")


@pytest.mark.parametrize(
    ("phrase", "score"),
    [
        ("unknown", 0.0),
        ("strangers", 0.0),
        ("acquaintance", 3.0),
        ("neighbours", 3.0),
        ("colleague", 5.0),
        ("co-workers", 5.0),
        ("business partner", 5.0),
        ("friends", 6.0),
        ("close friends", 8.0),
        ("married", 10.0),
        ("Mei's husband", 10.0),
        ("son", 10.0),
        ("rival", None),
    ],
)
def test_closeness_for_relationship_follows_the_paper_scale(phrase, score):
    assert closeness_for_relationship(phrase) == score


def test_summary_deduplicates_near_duplicates_keeping_newest_wording():
    sm = SocialMemory("Klaus")
    sm.add_summary_events(
        "Maria",
        ["Maria is writing a thesis on gravity", "Maria likes coffee", "Maria likes coffee."],
        now=0,
    )
    r = sm.add_summary_events("Maria", ["Maria is writing her thesis on gravity"], now=10)
    assert r.summary == ("Maria likes coffee.", "Maria is writing her thesis on gravity")


def test_summary_is_bounded_in_count_and_characters():
    limits = SocialLimits(max_summary_events=3, max_summary_chars=100, max_event_chars=40)
    facts = [f"fact number {w} about the town" for w in ("one", "two", "three", "four", "five")]
    merged = merge_summary((), facts, limits)
    assert merged == tuple(facts[-3:])
    long = merge_summary(merged, ["x" * 200], limits)
    assert len(long[-1]) == 40 and long[-1].endswith("...")
    assert sum(len(s) + 1 for s in long) <= 100
    assert long[-1] == "x" * 37 + "..."
    huge = SocialLimits(max_summary_events=50, max_summary_chars=60, max_event_chars=50)
    assert len(merge_summary((), ["a" * 50, "b" * 50], huge)) == 1  # newest always stays


def test_topics_are_case_insensitive_deduplicated_and_bounded():
    sm = SocialMemory("Klaus", limits=SocialLimits(max_topics=3))
    sm.apply_update("Maria", now=0, topics=["Research", "the party", "coffee"])
    r = sm.apply_update("Maria", now=5, topics=["research", "chess"])
    assert r.topics == ("coffee", "research", "chess")


def test_prompt_block_is_compact_and_complete():
    sm = SocialMemory("Klaus Mueller")
    assert "never talked before" in sm.prompt_block("Maria Lopez")
    sm.apply_update(
        "Maria Lopez",
        now=600,
        relationship="colleague",
        feeling="friendly",
        summary_events=["Maria is studying physics", "Maria plans a party on Friday"],
        topics=["physics"],
    )
    block = sm.prompt_block("Maria Lopez", now=600 + 180)
    assert "relationship: colleague" in block and "feeling: friendly" in block
    assert "closeness 5/10" in block
    assert "talked once, last 3 h ago" in block
    assert "- Maria is studying physics\n- Maria plans a party on Friday" in block
    assert "Topics discussed before: physics." in block
    assert len(block) < 400


def test_social_update_from_llm_is_lenient_but_typed():
    up = SocialUpdate.from_llm(
        {
            "relationship": "friends",
            "feeling": "warm",
            "closeness": "7/10",
            "summary": "Maria got a grant",
            "topics": "grants, coffee , ",
            "extra": 1,
        }
    )
    assert up == SocialUpdate(
        relationship="friends",
        feeling="warm",
        closeness=7.0,
        summary_events=("Maria got a grant",),
        topics=("grants", "coffee"),
    )
    assert SocialUpdate.from_llm({"summary_events": ["a", " "]}).summary_events == ("a",)
    for bad, field in [
        ([], "object"),
        ({"closeness": "close"}, "closeness"),
        ({"closeness": True}, "closeness"),
        ({"relationship": 3}, "relationship"),
        ({"topics": [1]}, "topics"),
        ({"summary": {"a": 1}}, "summary"),
    ]:
        with pytest.raises(ValueError, match=field):
            SocialUpdate.from_llm(bad)


def test_apply_parsed_update():
    sm = SocialMemory("Klaus")
    up = SocialUpdate.from_llm({"relationship": "acquaintance", "closeness_delta": 1})
    r = sm.apply("Isabella", up, now=30)
    assert (r.relationship, r.closeness, r.times_talked) == ("acquaintance", 1.0, 1)


def test_relationships_report_is_sorted_plain_data():
    sm = SocialMemory("Klaus")
    sm.apply_update("Sam", now=0, relationship="neighbour", feeling="wary")
    sm.apply_update("Maria", now=0, relationship="colleague")
    assert list(sm.relationships()) == ["Maria", "Sam"]
    assert sm.relationships()["Sam"] == {
        "relationship": "neighbour",
        "feeling": "wary",
        "closeness": 3.0,
        "times_talked": 1,
    }


phrases = st.text(max_size=50)
update = st.fixed_dictionaries(
    {
        "person": st.sampled_from(["Maria", "Sam", "player", "Isabella Rodriguez"]),
        "now": st.floats(0, 20_000),
        "relationship": st.one_of(st.none(), phrases),
        "feeling": st.one_of(st.none(), phrases),
        "closeness_delta": st.one_of(st.none(), st.floats(-20, 20)),
        "summary_events": st.lists(st.text(max_size=260), max_size=4),
        "topics": st.lists(phrases, max_size=4),
        "talked": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(update, max_size=25))
def test_round_trip_and_bounds_hold_for_any_updates(updates):
    limits = SocialLimits(max_summary_events=4, max_summary_chars=300, max_topics=3)
    sm = SocialMemory("Klaus", limits=limits)
    for u in updates:
        sm.apply_update(u.pop("person"), **u)
    for person in sm.people():
        r = sm.record_for(person)
        assert 0.0 <= r.closeness <= 10.0
        assert len(r.summary) <= 4 and len(r.topics) <= 3
        assert len(r.summary) <= 1 or sum(len(s) + 1 for s in r.summary) <= 300
        assert all(len(s) <= limits.max_event_chars for s in r.summary)
    blob = msgpack.packb(sm.to_dict(), use_bin_type=True)
    back = SocialMemory.from_dict(msgpack.unpackb(blob, raw=False), limits=limits)
    assert back.to_dict() == sm.to_dict()


def test_loading_with_smaller_limits_rebounds():
    sm = SocialMemory("Klaus")
    sm.add_summary_events("Maria", [f"fact {w}" for w in ("one", "two", "three", "four")], now=0)
    small = SocialMemory.from_dict(sm.to_dict(), limits=SocialLimits(max_summary_events=2))
    assert small.record_for("Maria").summary == ("fact three", "fact four")


def test_from_dict_names_bad_record():
    with pytest.raises(ValueError, match=r"records\[0\].*closeness"):
        SocialMemory.from_dict(
            {"owner": "Klaus", "records": [{"person": "Maria", "closeness": 11}]}
        )
    with pytest.raises(ValueError, match=r"records\[0\].*person"):
        SocialMemory.from_dict({"owner": "Klaus", "records": [{"closeness": 1}]})


def test_record_rejects_bad_values():
    with pytest.raises(ValueError, match="closeness"):
        SocialRecord(person="Maria", closeness=-1)
    with pytest.raises(ValueError, match="person"):
        SocialRecord(person=" ")
