"""Duration rescaling, entry round trips, the activity lexicon and the same-plan rule."""

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
from aga_npc.policy.lexicon import (
    IMPLIED,
    LIGHT,
    OBJECT_VERBS,
    PARENTS,
    PREP_VERBS,
    VERBS,
    parse_lexicon,
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


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("cook dinner", "cook"),
        ("eat dinner", "eat"),
        ("have breakfast", "eat"),
        ("grab a coffee at the cafe", "drink"),
        ("brewing coffee for customers at the cafe counter", "cook"),
        ("take a shower", "shower"),
        ("do the dishes", "dishes"),
        ("washing her face", "hygiene"),
        ("work on her painting", "paint"),
        ("play the piano", "music"),
        ("going to bed", "sleep"),
        ("taking a relaxing bath", "shower"),
        ("eating a home-cooked dinner", "eat"),
        ("walk to the cafe to grab a coffee", "drink"),
        ("heading to the cafe", "go"),
        # phrases match on lemmas: an inflection the lexicon never lists
        ("turned in for the night", "sleep"),
        ("rolls out of bed", "wake"),
        # leading time and manner words are not the opening verb
        ("morning yoga practice", "exercise"),
        ("a quick shower before work", "shower"),
        # make/prepare without food or drink is making, not cooking
        ("making a scarf", "create"),
        ("mixing a margarita for a patron", "cook"),
        # the passive receives the activity
        ("being tutored in math", "teach:passive"),
        # of the objects in one noun phrase the last (its head) decides
        ("working on a research paper", "write"),
        # a background activity yields to the one joined to it
        ("sit by the pond and read a book", "read"),
        ("relaxing after dinner", "relax"),
        ("returning a library book", "giveback"),
        ("returning to the office", "go"),
        # spending time names no activity of its own, and yields to one that follows
        ("spend some time at the cafe", "idle"),
        ("stay home for the evening", "idle"),
        ("spend an hour reading a novel in bed", "read"),
        # receiving an activity named by its -ing noun
        ("get tutoring in math", "teach:passive"),
        ("bathing the dog", "petcare"),
        # food decides a make/prepare verb before its other objects
        ("prepare the day's lunch specials", "cook"),
        # every food implies eating; a gerund of a drink word is not the drink
        ("have a croissant", "eat"),
        ("give the flower beds a watering", None),
        ("lay the table for supper", "settable"),
    ],
)
def test_signature_main_activity(text: str, main: str | None) -> None:
    assert signature(text).main == main


def test_company_and_purpose_add_the_social_and_meal_activities() -> None:
    assert signature("meet a friend for coffee").tags == ("social", "drink")
    assert signature("have coffee with a friend").tags == ("drink", "social")
    assert signature("visit a neighbor for afternoon tea").tags == ("social", "drink")
    assert signature("have a board game night with the family").tags == ()  # company alone
    assert signature("cook dinner for the family").main == "cook"


def test_verbs_joined_by_and_are_main_activities_together() -> None:
    dry_polish = signature("dry and polish the glassware")
    assert dry_polish.mains == ("dry", "clean")
    wash_dry = signature("wash and dry the dishes")  # wash shares the dishes
    assert wash_dry.mains == ("dry", "dishes") and wash_dry.head_known
    assert signature("sort and file the permit forms").head_known  # file says what it is
    assert signature("stay in and clean").mains == ("clean",)  # a vague verb is no main
    assert decide("polish the glassware", "dry and polish the glassware", 0.8, SETTINGS).same


def test_signature_nouns_are_the_objects_by_one_name() -> None:
    assert signature("reading the newspaper").nouns == frozenset({"paper"})
    assert signature("watch some television").nouns == signature("watching tv").nouns
    assert signature("have supper at home").nouns == frozenset({"dinner", "home"})
    assert signature("spend some time at the cafe").nouns == frozenset({"cafe"})
    assert signature("practice yoga in the living room").nouns == frozenset({"livingroom"})
    assert signature("eat a bowl of cereal").nouns == frozenset({"cereal"})  # not the bowl


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
        # a general activity and a refinement of it agree, but only at the main threshold
        ("clean the kitchen", "mop the kitchen floor", 0.75, True, "similar"),
        ("clean the kitchen", "mop the kitchen floor", 0.6, False, "below-threshold"),
        # two refinements of one activity never match, even beside the general word
        ("mowing the lawn", "watering the lawn", 0.95, False, "lookalike"),
        ("weeding the garden", "planting seeds in the garden", 0.95, False, "lookalike"),
        ("eating dinner at home", "eating dinner at a friend's house", 0.95, False, "lookalike"),
        ("being tutored in math", "tutoring a student in math", 0.95, False, "lookalike"),
        ("combing her hair", "brushing her teeth", 0.9, False, "lookalike"),
        # spending time somewhere is not a specific activity there
        ("spend some time at the cafe", "have dinner at the cafe", 0.9, False, "lookalike"),
        ("spend some time at the cafe", "spend a while at the cafe", 0.55, True, "same-activity"),
        # below the main threshold the same activity needs a shared object
        ("reading the newspaper", "reading a novel", 0.6, False, "lookalike"),
        ("reading in the park", "reading in bed", 0.55, False, "lookalike"),
        ("watching tv", "watch some television", 0.6, True, "same-activity"),
        (
            "brush teeth and wash face",
            "wash her face and brush her teeth",
            0.6,
            True,
            "same-activity",
        ),
        # a meal and a drink differ across their classes
        ("meet a friend for lunch", "meet a friend for coffee", 0.9, False, "lookalike"),
        ("have coffee with a friend", "meet a friend for coffee", 0.8, True, "similar"),
        ("tutor a classmate in math", "get tutoring in math", 0.8, False, "lookalike"),
        ("eat a bowl of cereal", "eat a bowl of soup", 0.6, False, "lookalike"),
        ("singing karaoke at the bar", "singing in the shower", 0.52, False, "lookalike"),
    ],
)
def test_decide(a: str, b: str, cosine: float, same: bool, rule: str) -> None:
    d = decide(a, b, cosine, SETTINGS)
    assert (d.same, d.rule) == (same, rule)


def test_plans_at_different_places_never_match() -> None:
    d = decide("have lunch", "have lunch", 1.0, SETTINGS, places=("@home", "@work"))
    assert (d.same, d.rule, d.reason) == (False, "place", "at home vs at work")
    assert decide("have lunch", "eat lunch", 0.9, SETTINGS, places=("@work", "@work")).same
    cafe = ("Juniper Cafe", "Elm Park")
    assert decide("read a book", "read a book", 1.0, SETTINGS, places=cafe).rule == "place"


def test_lookalike_check_can_be_switched_off() -> None:
    plain = MatchSettings(threshold=0.7, agree_threshold=0.7, lookalike_check=False)
    assert decide("cook dinner", "eat dinner", 0.83, plain).same


def test_match_settings_validate_and_calibrate_per_embedder() -> None:
    with pytest.raises(ValueError):
        MatchSettings(threshold=0.5, agree_threshold=0.6)
    local = MatchSettings.for_embedder("local:all-MiniLM-L6-v2-int8")
    assert local == MatchSettings()
    assert MatchSettings.for_embedder("hashing:256").threshold != local.threshold


_LEXICON_TEXT = """
light = ["have"]
[verbs]
eat = ["eat"]
cook = ["cook"]
[object_verbs]
wash = { clean = ["dish"] }
[parents]
cook = "create"
[classes.meal]
lunch = ["lunch"]
"""


def test_lexicon_parses_and_implies_meal_activities() -> None:
    lex = parse_lexicon(_LEXICON_TEXT, "test.toml")
    assert lex.verbs == {"eat": ["eat"], "cook": ["cook"]}
    assert lex.object_verbs == {("wash", "dish"): "clean"}
    assert lex.implied == {"lunch": "eat"}
    assert lex.parents == {"cook": "create"} and lex.modifiers == frozenset()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("light = [", r"\(file\)"),
        ('light = "have"', "light"),
        ("[verbs]\neat = [1]", r"verbs\.eat"),
        ('[object_verbs]\nwash = ["dish"]', r"object_verbs\.wash"),
        ('[object_verbs]\nwash = { a = ["dish"], b = ["dish"] }', r"object_verbs\.wash\.b"),
        ('[parents]\na = "b"\nb = "a"', r"parents\.a"),
        ('[classes.meal]\nlunch = [""]', r"classes\.meal\.lunch"),
        ('groups = [["meal", "nothing"]]\n[classes.meal]\nlunch = ["lunch"]', "groups"),
        ('vague = "idle"', "vague"),
        ("[synonyms]\ntv = 1", r"synonyms\.tv"),
    ],
)
def test_lexicon_errors_name_the_field(text: str, field: str) -> None:
    with pytest.raises(ValueError, match=rf"bad\.toml: {field}"):
        parse_lexicon(text, "bad.toml")


def test_packaged_lexicon_is_consistent() -> None:
    owners: dict[str, str] = {}
    for tag, words in VERBS.items():
        for word in words:
            assert owners.setdefault(word, tag) == tag, f"{word!r} in {owners[word]} and {tag}"
    tags = set(VERBS) | set(OBJECT_VERBS.values()) | set(IMPLIED.values())
    tags |= set(PREP_VERBS.values())
    for child, parent in PARENTS.items():
        assert child in tags and parent in tags, (child, parent)
    assert not (LIGHT & set(owners)), "a light verb cannot name an activity"
