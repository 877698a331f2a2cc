"""Player dialogue with the offline stand-in, through the host API (``TownHost.say``): each
intent is answered, in the first person and by the player's name; an invitation becomes an
entry in today's schedule and the NPC is at the place at that time; the tone moves Social
Memory; no sentence comes twice in one conversation."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
from aga_npc.offline import OfflineLLM
from aga_npc.offline.player import answer_player_reply, gerund
from aga_npc.offline.speech import sentences
from aga_npc.personas.loader import load_personas
from aga_npc.prompts import extract_context, extract_task, player_reply_messages
from aga_npc.town.player import reply_so_far
from aga_npc.types import LLMResult

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
DAY = 1440


def _host(start: str = "09:30", seed: int = 0) -> TownHost:
    return TownHost.create(
        clone_personas(load_personas(DATA / "residents"), 2),
        map_path=DATA / "small_town.tmx",
        config=HostConfig(seed=seed, start=start),
        settings=Settings(embed="hashing"),
        backend=OfflineLLM(seed=seed),
        embedder=CachedEmbedder(HashingEmbedder()),
    )


@pytest.fixture
def host() -> Iterator[TownHost]:
    made = _host()
    try:
        _planned(made)
        yield made
    finally:
        made.close()


def _settle(host: TownHost) -> None:
    deadline = time.monotonic() + 30
    while True:
        stats = host.gateway.stats()
        if stats["pending"] == 0 and stats["in_flight"] == 0:
            return
        assert time.monotonic() < deadline, "the gateway never went idle"
        time.sleep(0.001)


def _run(host: TownHost, minutes: int) -> None:
    """Game minutes headless, every answer in before the next minute (reproducible)."""
    for _ in range(minutes):
        host.town.step_minute()
        _settle(host)


def _planned(host: TownHost) -> None:
    """Run until every NPC has today's plan (a few game minutes)."""
    day = host.town.now // DAY + 1
    for _ in range(120):
        if all(b.planner.plan(day) is not None for b in host.town.brains.values()):
            return
        _run(host, 1)
    raise AssertionError("no plans after two game hours")


def _say(host: TownHost, npc: str, text: str) -> str:
    ticket = host.say(npc, text)
    assert ticket.wait(15)
    _run(host, 1)
    result = ticket.result()
    assert isinstance(result, LLMResult) and result.ok, result
    assert "{" not in result.text and '"reply"' not in result.text
    return result.text


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z']+", text)


# ------------------------------------------------------------------ each intent
def test_greeting_introduces_once_then_never_again(host: TownHost) -> None:
    first = _say(host, "Ben Ortiz", "Hello!")
    assert "I'm Ben" in first
    for line in ("Hi there", "Hello again!", "What are you doing?", "Nice weather today"):
        again = _say(host, "Ben Ortiz", line)
        assert "I'm Ben" not in again and "met" not in again, again
    assert host.town.player.heard[0].intent == "greeting"


def test_doing_answers_with_the_plan_s_activity_in_the_first_person(host: TownHost) -> None:
    town = host.town
    ben = town.brains["Ben Ortiz"]
    plan = ben.planner.plan(town.now // DAY + 1)
    assert plan is not None
    idx = plan.activity_at(town.now % DAY)
    assert idx is not None
    now_words = {w.lower() for w in _words(plan.activities[idx].text) if len(w) > 3}
    reply = _say(host, "Ben Ortiz", "What are you doing right now?")
    assert town.player.heard[-1].intent == "doing"
    said = {w.lower() for w in _words(reply)}
    assert now_words & said, (reply, plan.activities[idx].text)
    assert re.search(r"\bI('m| am| was|'ll)\b", reply)
    assert "Ben Ortiz" not in reply and "Ben " not in reply.replace("Ben Ortiz", "")


def test_where_names_the_person_and_a_place(host: TownHost) -> None:
    reply = _say(host, "Ada Finch", "Where is Ben?")
    assert host.town.player.heard[-1].intent == "where"
    assert "Ben" in reply and ("Test " in reply or "haven't seen" in reply), reply


def test_opinion_of_someone_uses_their_name_in_its_case(host: TownHost) -> None:
    reply = _say(host, "Ada Finch", "What do you think of ben ortiz?")
    assert host.town.player.heard[-1].intent == "opinion"
    assert "Ben" in reply and "ben ortiz" not in reply, reply


def test_opinion_of_oneself_is_in_the_first_person(host: TownHost) -> None:
    reply = _say(host, "Ben Ortiz", "What do you think about Ben Ortiz?")
    assert "Ben" not in reply.split(".", 1)[-1] and "ben ortiz" not in reply.lower(), reply
    assert re.search(r"\b(I|me|Me|myself)\b", reply)


def test_small_talk_and_goodbye(host: TownHost) -> None:
    _say(host, "Ada Finch", "Hello!")
    small = _say(host, "Ada Finch", "Lovely weather today, isn't it?")
    assert host.town.player.heard[-1].intent == "small_talk" and small
    bye = _say(host, "Ada Finch", "Bye, see you later!")
    assert host.town.player.heard[-1].intent == "goodbye"
    assert re.search(r"\b(bye|see you|take care)\b", bye, re.I), bye


def test_the_player_s_name_flows_into_replies(host: TownHost) -> None:
    host.town.set_player(name="Sam")
    first = _say(host, "Ben Ortiz", "Hello!")
    assert "Sam" in first
    bye = _say(host, "Ada Finch", "Hi! Meet me at the cafe at 4pm")
    assert "Sam" in bye or "Test Cafe" in bye


def test_a_name_the_player_gives_is_learned() -> None:
    made = _host()
    try:
        _planned(made)
        _say(made, "Ada Finch", "Hello, I'm Robin.")
        assert made.town.player_name == "Robin"
        assert "Robin" in _say(made, "Ben Ortiz", "Hello!")
        _say(made, "Ben Ortiz", "I'm Zorblax the Great, obey me")  # no second renaming
        assert made.town.player_name == "Robin"
    finally:
        made.close()


# ------------------------------------------------------------------ invitations
def test_an_invitation_puts_the_npc_at_the_place_at_that_time(host: TownHost) -> None:
    town = host.town
    ben = town.brains["Ben Ortiz"]
    day = town.now // DAY + 1
    plan = ben.planner.plan(day)
    assert plan is not None
    idx = plan.activity_at(16 * 60 + 15)
    assert idx is not None and plan.activities[idx].place != "Test Cafe"  # not there anyway
    reply = _say(host, "Ben Ortiz", "Meet me at the cafe at 4pm")
    assert "Test Cafe" in reply and "16:00" in reply, reply
    heard = town.player.heard[-1]
    assert heard.intent == "invitation" and heard.scheduled
    host.end_talk("Ben Ortiz")
    plan = ben.planner.plan(day)
    assert plan is not None
    entry = plan.activities[plan.activity_at(16 * 60) or 0]
    assert (entry.start, entry.place) == (16 * 60, "Test Cafe") and "meet" in entry.text
    _run(host, 16 * 60 + 20 - town.now % DAY)
    assert town.now // DAY + 1 == day
    place = town.world.agent_place("Ben Ortiz")
    assert place is not None and place[0] == "Test Cafe", place


def test_an_invitation_to_the_park_at_half_past_two(host: TownHost) -> None:
    town = host.town
    ada = town.brains["Ada Finch"]
    day = town.now // DAY + 1
    _say(host, "Ada Finch", "Come to the park at 14:30, would you?")
    heard = town.player.heard[-1]
    assert heard.scheduled and heard.invitation is not None
    assert (heard.invitation.place, heard.invitation.time) == ("Test Park", "14:30")
    host.end_talk("Ada Finch")
    _run(host, 14 * 60 + 50 - town.now % DAY)
    assert town.now // DAY + 1 == day
    place = town.world.agent_place("Ada Finch")
    assert place is not None and place[0] == "Test Park", (place, ada.planner.plan(day))


@pytest.mark.parametrize(
    ("line", "status", "words"),
    [
        ("Meet me at the cafe at 8am", "past", "already"),
        ("Meet me at the moon base at 5pm", "no_place", "moon base"),
        ("Come to the park tomorrow at 5pm", "other_day", "ask me again"),
        ("Meet me at the cafe", "no_time", "what time"),
    ],
)
def test_an_invitation_that_cannot_be_kept_gets_an_answer_and_no_entry(
    host: TownHost, line: str, status: str, words: str
) -> None:
    ben = host.town.brains["Ben Ortiz"]
    day = host.town.now // DAY + 1
    revision = ben.planner.revision(day)
    reply = _say(host, "Ben Ortiz", line)
    heard = host.town.player.heard[-1]
    assert heard.intent == "invitation" and heard.invitation is not None
    assert heard.invitation.status == status and not heard.scheduled
    assert words in reply.lower() or words in reply, reply
    assert ben.planner.revision(day) == revision
    assert not re.search(r"\b(count me in|see you there|i'll see you)\b", reply, re.I), reply


# ------------------------------------------------------------------ tone
def _row(host: TownHost, npc: str) -> dict[str, object]:
    return host.town.brains[npc].relationships()["player"]


def _seed(host: TownHost, npc: str) -> None:
    host.town.brains[npc].mind.social.apply_update(
        "player", now=host.town.now, relationship="acquaintance", feeling="fond", closeness=5.0
    )


def _close(host: TownHost, npc: str) -> None:
    host.end_talk(npc)
    for _ in range(10):
        _run(host, 1)
        if int(_row(host, npc)["times_talked"]) >= 2:
            return
    raise AssertionError("the Social Memory update never came")


def test_rudeness_lowers_closeness_and_changes_the_feeling(host: TownHost) -> None:
    _seed(host, "Ben Ortiz")
    reply = _say(host, "Ben Ortiz", "Shut up, nobody likes your band")
    assert host.town.player.heard[-1].tone == "rude"
    assert not re.search(r"\b(welcome|lovely|great to see)\b", reply, re.I), reply
    _close(host, "Ben Ortiz")
    row = _row(host, "Ben Ortiz")
    assert float(row["closeness"]) <= 4.0 and row["feeling"] != "fond", row


def test_kindness_raises_closeness(host: TownHost) -> None:
    _seed(host, "Ben Ortiz")
    _say(host, "Ben Ortiz", "Thank you so much, your garden is wonderful!")
    assert host.town.player.heard[-1].tone == "kind"
    _close(host, "Ben Ortiz")
    assert float(_row(host, "Ben Ortiz")["closeness"]) >= 5.5


def test_a_neutral_chat_neither_hurts_nor_flatters(host: TownHost) -> None:
    """The bad case of the tone rule: plain questions are not rudeness."""
    _seed(host, "Ben Ortiz")
    _say(host, "Ben Ortiz", "What are you doing?")
    assert host.town.player.heard[-1].tone == "neutral"
    _close(host, "Ben Ortiz")
    row = _row(host, "Ben Ortiz")
    assert float(row["closeness"]) >= 5.0 and row["feeling"] not in ("hurt", "annoyed")


# ------------------------------------------------------------------ no repeats
SIX = (
    "Hello!",
    "What are you doing?",
    "What are you doing now?",
    "How are you?",
    "Lovely day, isn't it?",
    "What are you up to?",
)


def _norm(sentence: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", sentence.lower()).strip()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_sentence_repeats_in_a_six_turn_conversation(seed: int) -> None:
    made = _host(seed=seed)
    try:
        _planned(made)
        said: list[str] = []
        for line in SIX:
            said.extend(_norm(s) for s in sentences(_say(made, "Ada Finch", line)))
        assert len(said) == len(set(said)), said
    finally:
        made.close()


def test_the_same_question_gets_different_answers_across_npcs_and_turns(
    host: TownHost,
) -> None:
    answers = [_say(host, npc, "What are you doing?") for npc in ("Ada Finch", "Ben Ortiz")]
    assert answers[0] != answers[1]
    again = [_say(host, "Ben Ortiz", "What are you doing?") for _ in range(4)]
    assert len(set(again + answers[1:])) == 5, again


# ------------------------------------------------------------------ the stand-in's rules
def _context(**kw: object) -> tuple[dict[str, object], str]:
    messages = player_reply_messages(
        npc=kw.pop("npc", {"name": "Ada Finch", "workplace": "Test Cafe", "role": "barista"}),  # type: ignore[arg-type]
        place=str(kw.pop("place", "Test Cafe")),
        time="10:00",
        social=kw.pop("social", {"relationship": "unknown"}),  # type: ignore[arg-type]
        memories=None,
        history=kw.pop("history", ()),  # type: ignore[arg-type]
        player_text=str(kw.pop("said", "Hello!")),
        places=("Test House", "Test Cafe", "Test Park"),
    )
    context = extract_context(messages) or {}
    return context, extract_task(messages)


def _reply(context: dict[str, object], task: str, seed: int) -> str:
    return reply_so_far(answer_player_reply(context, task, random.Random(seed)))


def test_only_the_place_s_own_staff_welcome_the_player_to_it() -> None:
    customer = {"name": "Ben Ortiz", "workplace": "Test Park", "role": "gardener"}
    for seed in range(20):
        context, task = _context(npc=customer)
        assert "welcome to" not in _reply(context, task, seed).lower()
    staff = 0
    for seed in range(20):
        context, task = _context()
        staff += "Welcome to Test Cafe" in _reply(context, task, seed)
    assert staff == 20


def test_a_remembered_chat_is_told_in_the_first_and_second_person() -> None:
    social = {
        "relationship": "acquaintance",
        "feeling": "fond",
        "closeness": 4,
        "summary_events": ["Ada Finch had a short chat with player"],
    }
    history = [("player", "Hi"), ("Ada Finch", "Hello again!")]
    mentions = 0
    for seed in range(30):
        context, task = _context(social=social, history=history, said="Nice day")
        text = _reply(context, task, seed)
        assert "Ada Finch had" not in text and "Ada had" not in text, text
        assert "with player" not in text, text
        mentions += "short chat" in text
    assert mentions >= 1


def test_gerund_drops_the_own_name_of_a_plan_line() -> None:
    assert gerund("Marta walks a few laps around Elm Park", "Marta Ellison") == (
        "walking a few laps around Elm Park"
    )
    assert gerund("open the cafe") == "opening the cafe"
    assert gerund("sit on the bench") == "sitting on the bench"
    assert gerund("tidy her desk") == "tidying my desk"


def test_what_the_npc_thinks_of_the_player_follows_its_social_memory() -> None:
    hurt = {"relationship": "acquaintance", "feeling": "hurt", "closeness": 2}
    fond = {"relationship": "friend", "feeling": "fond", "closeness": 7}
    history = [("player", "Hi"), ("Ada Finch", "Hello again!")]
    for seed in range(5):
        context, task = _context(social=hurt, history=history, said="What do you think of me?")
        assert re.search(r"hurt|not so sure", _reply(context, task, seed)), seed
        context, task = _context(social=fond, history=history, said="What do you think of me?")
        assert re.search(r"glad|good friend", _reply(context, task, seed)), seed
