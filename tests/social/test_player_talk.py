"""Reading the player's words (intent, tone, invitation, a given name), the player answer's
validator and the schedule entry of an accepted invitation: good and bad cases."""

from __future__ import annotations

import pytest

from aga_npc.brain.answers import PLAYER_ANSWER_SCHEMA, PlayerAnswer
from aga_npc.planning.schedule import Activity, DailyPlan, with_entry
from aga_npc.social.player_talk import (
    INTENTS,
    people_named,
    player_name_in,
    read_intent,
    read_invitation,
    read_tone,
    resolve_place,
)
from aga_npc.town.player import reply_so_far

PLACES = ("Brook House", "Juniper Cafe", "Town Hall", "The Copper Kettle", "Elm Park")
PEOPLE = ("Amara Osei", "Marta Ellison", "Silas Grue")


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("Hello!", "greeting"),
        ("What are you doing?", "doing"),
        ("What are you up to today?", "doing"),
        ("Where is Silas?", "where"),
        ("Have you seen amara osei?", "where"),
        ("What do you think of Marta?", "opinion"),
        ("What do you think about the election?", "opinion"),
        ("Meet me at the cafe at 5pm", "invitation"),
        ("Come to the park at 14:30", "invitation"),
        ("Who are you?", "name"),
        ("Lovely weather today", "small_talk"),
        ("Hello, how are you doing on this fine morning?", "small_talk"),
        ("Bye, see you later!", "goodbye"),
        ("Take care!", "goodbye"),
    ],
)
def test_intents_from_words(line: str, intent: str) -> None:
    assert intent in INTENTS
    assert read_intent(line, people=PEOPLE) == intent


@pytest.mark.parametrize(
    ("line", "tone"),
    [
        ("Shut up, nobody likes your band", "rude"),
        ("You're useless and boring", "rude"),
        ("Thanks, that's lovely of you", "kind"),
        ("Thanks a lot, idiot", "rude"),  # an insult outweighs thanks
        ("What are you doing?", "neutral"),
        ("Meet me at the cafe at 5pm", "neutral"),
    ],
)
def test_tone_from_words(line: str, tone: str) -> None:
    assert read_tone(line) == tone


@pytest.mark.parametrize(
    ("line", "now", "place", "time", "status"),
    [
        ("Meet me at the cafe at 5pm", 600, "Juniper Cafe", "17:00", "ok"),
        ("meet me at juniper cafe at 17:30", 600, "Juniper Cafe", "17:30", "ok"),
        ("Come to the park at 14:30", 600, "Elm Park", "14:30", "ok"),
        ("Let's meet at the pub at 7", 600, "The Copper Kettle", "19:00", "ok"),
        ("Meet me at the cafe at noon", 600, "Juniper Cafe", "12:00", "ok"),
        ("Meet me at the cafe at 9am", 600, "Juniper Cafe", "09:00", "past"),
        ("Meet me at the cafe at 10:00", 600, "Juniper Cafe", "10:00", "past"),
        ("Meet me at the moon base at 5pm", 600, "", "17:00", "no_place"),
        ("Meet me at 5pm", 600, "", "17:00", "no_place"),
        ("Meet me at the cafe", 600, "Juniper Cafe", "", "no_time"),
        ("Meet me at the cafe tomorrow at 5pm", 600, "Juniper Cafe", "17:00", "other_day"),
    ],
)
def test_invitations_are_checked_against_the_town_and_the_clock(
    line: str, now: int, place: str, time: str, status: str
) -> None:
    inv = read_invitation(line, places=PLACES, now=now)
    assert (inv.place, inv.time, inv.status) == (place, time, status)
    assert inv.ok is (status == "ok")


def test_a_place_not_in_town_is_named_as_said() -> None:
    inv = read_invitation("Come to the old mill at 3pm", places=PLACES, now=600)
    assert inv.said_place == "the old mill" and inv.place == "" and inv.status == "no_place"
    assert resolve_place("the library", PLACES) == ""
    assert resolve_place("town hall", PLACES) == "Town Hall"


def test_people_and_given_names() -> None:
    assert people_named("have you seen silas or Amara?", PEOPLE) == ["Amara Osei", "Silas Grue"]
    assert people_named("where is everyone?", PEOPLE) == []
    assert player_name_in("Hi, I'm Sam.") == "Sam"
    assert player_name_in("my name is Robin Hale") == "Robin Hale"
    assert player_name_in("I'm so tired") == ""
    assert player_name_in("i'm sam") == ""  # a name is written with a capital


def test_the_player_answer_validator_reads_a_model_s_answer_leniently() -> None:
    answer = PlayerAnswer.validate(
        {
            "reply": "  Sure,   see you there! ",
            "intent": "Invitation",
            "invitation": {"place": "Juniper Cafe", "time": "5 pm", "accepted": "yes"},
            "tone": "friendly",
        }
    )
    assert answer.reply == "Sure, see you there!" and answer.intent == "invitation"
    assert answer.invitation is not None and answer.invitation.time == 17 * 60
    assert answer.invitation.accepted and answer.tone == "kind"
    odd = PlayerAnswer.validate({"line": "Hi.", "intent": "chit-chat", "tone": "hostile"})
    assert (odd.reply, odd.intent, odd.tone, odd.invitation) == ("Hi.", "", "rude", None)
    declined = PlayerAnswer.validate(
        {"reply": "No.", "invitation": {"place": "x", "time": "never", "accepted": False}}
    )
    assert declined.invitation is not None and declined.invitation.time is None
    assert not declined.invitation.accepted
    for bad in ({"intent": "doing"}, {"reply": ""}, {"reply": 3}, ["reply"], "Hello"):
        with pytest.raises(ValueError):
            PlayerAnswer.validate(bad)
    assert set(PLAYER_ANSWER_SCHEMA["required"]) == {"reply", "intent", "invitation", "tone"}


def test_the_reply_is_read_out_of_a_json_answer_being_streamed() -> None:
    assert reply_so_far('{"reply": "Hel') == "Hel"
    assert reply_so_far('{"intent": "doing", "rep') == ""
    assert reply_so_far('```json\n{"reply": "A \\"quoted\\" word\\u00e9", "intent"') == (
        'A "quoted" word\u00e9'
    )
    assert reply_so_far("Just plain words.") == "Just plain words."
    assert reply_so_far('{"reply": "Done.", "tone": "kind"}') == "Done."


def _plan() -> DailyPlan:
    return DailyPlan(
        day=1,
        wake_up=420,
        activities=(
            Activity(start=420, duration=480, text="work", place="Juniper Cafe"),
            Activity(start=900, duration=300, text="rest", place="Brook House"),
            Activity(start=1200, duration=660, text="sleep", place="Brook House"),
        ),
    )


def test_an_entry_is_cut_into_the_plan_and_the_plan_stays_gap_free() -> None:
    entry = Activity(start=1020, duration=60, text="meet Sam at Elm Park", place="Elm Park")
    plan = with_entry(_plan(), entry)
    texts = [(a.start, a.end, a.text) for a in plan.activities]
    assert texts == [
        (420, 900, "work"),
        (900, 1020, "rest"),
        (1020, 1080, "meet Sam at Elm Park"),
        (1080, 1200, "rest"),
        (1200, 1860, "sleep"),
    ]
    covering = with_entry(_plan(), Activity(start=900, duration=300, text="meet", place="Elm Park"))
    assert [a.text for a in covering.activities] == ["work", "meet", "sleep"]
    with pytest.raises(ValueError):
        with_entry(_plan(), Activity(start=300, duration=30, text="too early", place="x"))
