"""What a persona's own texts say they do: pursuits with topics, meal habits, pronouns.

``read_person`` mines the persona fields a plan prompt carries (traits, backstory,
currently, lifestyle, daily requirements, role) for the things this person does in free
time ("studies chemistry", "builds model ships", "runs along the harbour"), each with its
topic, and turns them into leisure options with their own phrase grammar. It also finds
meal habits ("does crosswords over breakfast", "has dinner with her family").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aga_npc.offline.facts import PersonaFacts, persona_facts
from aga_npc.offline.leisure import LeisureOption, option
from aga_npc.offline.paraphrase import possessive
from aga_npc.offline.phrasing import wordset
from aga_npc.offline.roles import RoleSpec, role_for

__all__ = ["Person", "read_person"]

_STOP = wordset(
    "a an the his her their its my our your and or at in on for to of with from by before "
    "after until over about group hard early late every each new"
)
_STUDY = (
    re.compile(r"\bstud(?:ies|y|ying) ([a-z]+(?: science)?)\b"),
    re.compile(r"\b(?:year|degree|course) (?:of|in) ([a-z]+)\b"),
    re.compile(r"\b([a-z]+) (?:exams?|competition|quiz|homework)\b"),
)
_TEACH = re.compile(
    r"\bteach(?:es|ing)? (?:his |her |their )?([a-z]+(?: [a-z]+)?) (?:at|class|to)\b"
)
_WRITE = re.compile(
    r"\bwrit(?:es|e|ing) ((?:a |an |the |his |her |their )?[a-z' -]+?)"
    r"(?= over | at | for | about | from | in | on | until | and |[,.;]|$)"
)
_INSTRUMENTS = re.compile(r"\b(piano|guitar|violin|cello|flute|fiddle|drums|accordion|ukulele)\b")
_MODEL = re.compile(r"\b(?:builds?|building|makes?|making) (model [a-z]+?)s?\b")
_PUZZLE = re.compile(r"\b(puzzles?|crosswords?|jigsaws?)\b")
_RUN = re.compile(
    r"\b(?:go(?:es)? for a run|runs along|runs in|running(?! for| against)|jog\w*|marathon)\b"
)
_SWIM = re.compile(r"\bswim\w*\b")
_PLANT = re.compile(
    r"\b(?:plant(?:s|ing)?|tend(?:s|ing)?|water(?:s|ing)?) (?:the |some |new )*"
    r"((?:spring |summer )?(?:bulbs|flowers|herbs|roses|seedlings|vegetables|flower beds))\b"
)
_GARDENS = re.compile(r"\b(?:volunteers? in [a-z ]+ gardens|garden in|gardening)\b")
_SKETCH = re.compile(
    r"\b(?:sketch(?:es|ing)?|paints?|painting|draw(?:s|ing)?) (people|the [a-z]+)\b"
)
_DISHES = re.compile(r"\bmenu with ([a-z]+(?: [a-z]+)?)(?: and ([a-z]+(?: [a-z]+)?))?\b")
_CAMPAIGN = re.compile(r"\b(campaign\w*|running for mayor|leaflets|voters)\b")
_MEAL_HABIT = re.compile(
    r"\b(does|reads|writes|solves|plans) ([a-z ]+?) (over|before|after) (breakfast|lunch|dinner)\b"
)
_COMPANY = re.compile(
    r"\b(?:dinner|dinners|supper) (?:with|for) ((?:his |her |their |the )?"
    r"(?:family|flatmates|friends|wife|husband|kids|children|[A-Z][a-z]+))"
)
_WORDS = re.compile(r"[a-z']+")
_PAGE = re.compile(r"^(?:a |the )?(?:page|few pages|chapter|section) of ")


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One persona as the planner's wording needs it.

    Attributes:
        facts: the fields every stand-in answer reads.
        role: the occupation.
        poss: "her", "his" or "their"; ``self_word`` herself / himself / themselves.
        topic: the person's main subject ("chemistry", "model ship"), "" for none.
        pursuits: persona-specific leisure options, most characteristic first.
        meal_habits: meal -> marked templates ("~do the crossword over breakfast").
        company: who they eat dinner with ("the family"), "" for no one in particular.
        slots: template values for every phrase of this person.
    """

    facts: PersonaFacts
    role: RoleSpec
    poss: str
    self_word: str
    topic: str
    pursuits: tuple[LeisureOption, ...]
    meal_habits: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    company: str = ""
    slots: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)


def _np(text: str) -> str:
    """A noun phrase without its determiner ("the town newsletter" -> "town newsletter")."""
    words = text.strip().split()
    while words and words[0] in ("a", "an", "the", "his", "her", "their", "some"):
        words = words[1:]
    return " ".join(words)


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "ics", "us"))


def read_person(persona: Mapping[str, Any] | None) -> Person:
    """Mine a persona mapping (prompt fields) for the wording of its plans."""
    raw = persona if isinstance(persona, Mapping) else {}
    facts = persona_facts(raw)
    backstory = str(raw.get("backstory") or "")
    own = ". ".join((backstory, facts.currently, facts.lifestyle, *facts.requirements))
    text = own.lower()
    role = role_for(facts)
    poss = possessive(own)
    self_word = {"her": "herself", "his": "himself"}.get(poss, "themselves")
    found = _Finder(text, role, facts)
    topic = found.topic
    slots: dict[str, str | tuple[str, ...]] = {
        "first": facts.first,
        "poss": poss,
        "self": self_word,
    }
    if topic:
        slots["topic"] = topic
    manners = tuple(m for t in facts.traits for m in _manners(t))
    if manners:
        slots["manner"] = manners
    if found.subjects:
        slots["subject"] = tuple(found.subjects)
    if found.dishes:
        slots["dish"] = tuple(found.dishes)
    company = ""
    match = _COMPANY.search(own)
    if match:
        company = match.group(1)
        if company.split()[0] in ("his", "her", "their"):
            company = "the " + company.split(" ", 1)[1]
    return Person(
        facts=facts,
        role=role,
        poss=poss,
        self_word=self_word,
        topic=topic,
        pursuits=tuple(found.options),
        meal_habits=_meal_habits(text),
        company=company,
        slots=slots,
    )


# How a trait shows in what a person does (none of these words names an activity).
_MANNERS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = tuple(
    (frozenset(traits.split()), manners)
    for traits, manners in (
        (
            "careful precise perfectionist methodical rigorous meticulous conscientious",
            ("carefully", "with great care", "methodically"),
        ),
        ("cheerful jovial easygoing funny warm", ("cheerfully", "in good spirits")),
        ("restless impatient energetic ambitious", ("briskly", "without wasting a minute")),
        ("calm patient gentle", ("calmly", "at an easy pace", "patiently")),
        ("dreamy absent-minded", ("absent-mindedly", "lost in thought")),
        ("disorganised disorganized late", ("in a hurry", "a little behind schedule")),
        ("shy reserved introverted quiet private", ("quietly",)),
        ("anxious", ("a little anxiously",)),
        ("determined hard-working", ("with determination", "diligently")),
    )
)


def _manners(trait: str) -> tuple[str, ...]:
    words = set(trait.lower().split())
    return next((m for keys, m in _MANNERS if words & keys), ())


def _meal_habits(text: str) -> dict[str, tuple[str, ...]]:
    """ "does crosswords over breakfast" -> breakfast: "~do the crossword over breakfast"."""
    habits: dict[str, list[str]] = {}
    for verb, obj, when, meal in _MEAL_HABIT.findall(text):
        base = {"does": "do", "reads": "read", "writes": "write", "solves": "solve"}.get(verb)
        if base is None or when != "over":
            continue
        obj = _np(obj)
        if obj in ("crosswords", "crossword"):
            cores = [
                f"~do the crossword over {meal}",
                f"~work on the crossword over {meal}",
                f"~have {meal} with the crossword",
            ]
        elif obj in ("paper", "reports", "news"):
            thing = {"paper": "the paper", "reports": "reports", "news": "the news"}[obj]
            cores = [
                f"~read {thing} over {meal}",
                f"~have {meal} with {thing}",
                f"~go through {thing} over {meal}",
            ]
        else:
            cores = [f"~{base} {obj} over {meal}"]
        habits.setdefault(meal, []).extend(cores)
    return {k: tuple(v) for k, v in habits.items()}


class _Finder:
    """Pursuits found in one persona's lower-case text."""

    def __init__(self, text: str, role: RoleSpec, facts: PersonaFacts) -> None:
        self.text = text
        self.role = role
        self.facts = facts
        self.options: list[LeisureOption] = []
        self.subjects: list[str] = []
        self.dishes: list[str] = []
        self.topic = ""
        self._study()
        self._teach()
        self._write()
        self._music()
        self._hobby()
        self._exercise()
        self._garden()
        self._sketch()
        self._cook()
        self._campaign()

    def _add(self, key: str, place: str, times: str, cores: tuple[str, ...], **kw: Any) -> None:
        kw.setdefault("weight", 2.5)
        kw.setdefault("gated", False)
        self.options.append(option(f"own:{key}", place, times, cores, **kw))

    # ---------------------------------------------------------------- families
    def _study(self) -> None:
        if self.role.key != "student" and not re.search(r"\bstud(?:ies|ying)\b", self.text):
            return
        topics: list[str] = []
        for pattern in _STUDY:
            for match in pattern.findall(self.text):
                word = match.strip()
                if word and word.split()[0] not in _STOP and word not in topics:
                    topics.append(word)
        topic = topics[0] if topics else ""
        self.topic = self.topic or topic
        slots = {"topic": tuple(topics)} if topics else {}
        with_topic = (
            "~revise {poss} {topic} notes",
            "~go over {poss} notes on {topic}",
            "~revise {poss} notes on {topic} for {later}'s [quiz|seminar|class]",
            "~work through [a chapter|the next chapter|two chapters] of the {topic} textbook",
            "~make flashcards for the {topic} exam",
            "~study {topic}[ at the desk| with a pot of tea|]",
            "~do the {topic} homework[ due {later}|]",
            "~review the week's {topic} lectures",
            "~solve [a set of|some|a few] {topic} problems",
        )
        plain = (
            "~review notes for class",
            "~do homework at the desk",
            "~study for the upcoming exam",
            "~go over the week's notes",
        )
        self._add(
            "study",
            "home",
            "afternoon evening",
            with_topic if topics else plain,
            mods=("at the desk", "with a pot of tea", "before {later}", "in peace and quiet"),
            family="study",
            slots=slots,
            longest=120,
        )
        self._add(
            "study-out",
            "college",
            "afternoon evening",
            (
                "~study in the library at {place}",
                "~revise for the {topic} exam in the library at {place}",
                "~look up {topic} sources in the library at {place}",
            )
            if topics
            else ("~study in the library at {place}",),
            family="study",
            slots=slots,
            weight=1.2,
            longest=120,
        )
        if "study group" in self.text:
            self._add(
                "study-group",
                "college",
                "evening",
                (
                    "~meet the study group in the library at {place}",
                    "~quiz each other with the study group at {place}",
                    "~go over past exam questions with the study group at {place}",
                ),
                family="study",
                slots=slots,
                weight=1.5,
                longest=90,
            )

    def _teach(self) -> None:
        if self.role.key != "professor":
            return
        match = _TEACH.search(self.text)
        topic = match.group(1) if match else ""
        if topic.split(" ")[0] in _STOP:
            topic = ""
        self.topic = self.topic or topic
        cores = (
            (
                "~grade {topic} papers",
                "~mark a stack of {topic} essays",
                "~prepare {later}'s {topic} lecture",
                "~plan the next {topic} class",
                "~write questions for the {topic} exam",
                "~go over lecture notes on {topic}",
            )
            if topic
            else ("~grade papers", "~prepare {later}'s lecture", "~plan the next class")
        )
        self._add(
            "teach",
            "home",
            "afternoon evening",
            cores,
            mods=("at the desk", "with a cup of tea", "before {later}"),
            family="study",
            slots={"topic": topic} if topic else {},
            weight=1.8,
            longest=90,
        )

    def _write(self) -> None:
        topics: list[str] = []
        for raw in _WRITE.findall(self.text):
            noun = _np(_PAGE.sub("", raw.strip()))
            if not noun or noun.split()[0] in _STOP or noun in ("songs", "song", "music"):
                continue
            if noun not in topics:
                topics.append(noun)
        if not topics and self.role.key != "writer":
            return
        singular = [t for t in topics if not _plural(t)]
        plural = [t for t in topics if _plural(t)]
        cores: list[str] = ["~write [a few pages|for an hour] at the desk"]
        if singular:
            cores += [
                "~work on {poss} {wsg}",
                "~draft the next part of {poss} {wsg}",
                "~write a few paragraphs of {poss} {wsg}",
                "~edit {poss} {wsg}[ at the desk|]",
                "~jot down ideas for {poss} {wsg}",
                "~write the next section of {poss} {wsg}",
            ]
        if plural:
            cores += [
                "~write [new|a couple of] {wpl}",
                "~draft [a few|two] new {wpl}",
                "~jot down ideas for new {wpl}",
                "~rewrite one of {poss} {wpl}",
            ]
        self.topic = self.topic or (singular or plural or [""])[0]
        self._add(
            "write",
            "home",
            "morning afternoon evening",
            tuple(cores),
            mods=("at the desk", "with a cup of coffee", "in peace and quiet", "before {later}"),
            family="write",
            slots={"wsg": tuple(singular), "wpl": tuple(plural)},
            longest=120,
        )

    def _music(self) -> None:
        found = list(dict.fromkeys(_INSTRUMENTS.findall(self.text)))
        if not found:
            return
        gig = "the Friday set" if "friday" in self.text else "a few songs"
        self._add(
            "music",
            "home",
            "morning afternoon evening",
            (
                "~practise {poss} {inst}[ for an hour|]",
                "~play {poss} {inst}[ for a while|]",
                "~practise scales on the {inst}",
                "~work out a new tune on the {inst}",
                "~rehearse {gig} on the {inst}",
                "~write a new song on the {inst}",
                "~play through some old songs on the {inst}",
            ),
            mods=("in the living room", "with the window open", "to unwind"),
            family="music",
            slots={"inst": tuple(found), "gig": gig},
            longest=120,
        )

    def _hobby(self) -> None:
        model = _MODEL.search(self.text)
        if model:
            thing = model.group(1)
            self._add(
                "model",
                "home",
                "afternoon evening",
                (
                    "~work on {poss} {thing}[ at the kitchen table|]",
                    "~glue [the rigging|a few planks|the mast] onto {poss} {thing}",
                    "~spend [an hour|some time] on {poss} {thing}",
                    "~fit [the sails|the deck|a new piece] to {poss} {thing}",
                    "~sand down a part for {poss} {thing}",
                ),
                mods=("under a good lamp", "with the radio on", "in peace and quiet"),
                family="hobby",
                slots={"thing": thing},
                longest=150,
            )
        puzzle = _PUZZLE.search(self.text)
        if puzzle:
            crossword = puzzle.group(1).startswith("crossword")
            cores = (
                (
                    "~do the crossword",
                    "~finish [the|yesterday's] crossword",
                    "~puzzle over the crossword",
                    "~fill in the crossword[ with a cup of tea|]",
                )
                if crossword
                else (
                    "~solve [a puzzle|a logic puzzle|a few puzzles]",
                    "~work on [a jigsaw puzzle|a chess puzzle|a puzzle book]",
                    "~try [a tricky|a new] puzzle[ from the book|]",
                )
            )
            self._add(
                "puzzle",
                "home",
                "afternoon evening",
                cores,
                mods=("to relax", "with a cup of tea", "on the sofa"),
                family="hobby",
                weight=1.5,
                longest=60,
            )

    def _exercise(self) -> None:
        if _RUN.search(self.text):
            race = " for the half marathon" if "marathon" in self.text else ""
            self._add(
                "run",
                "park",
                "morning afternoon",
                (
                    "~go for a run[ along the river|] in {place}",
                    "~jog [a few laps|a loop] around {place}",
                    "~do a [long|easy|steady] training run in {place}",
                    f"~run [intervals|hill sprints] in {{place}}{race}",
                ),
                family="exercise",
                longest=75,
            )
        if _SWIM.search(self.text):
            self._add(
                "swim",
                "park",
                "morning afternoon",
                (
                    "~go for a swim in the river at {place}",
                    "~swim [a few lengths|for half an hour] in the river at {place}",
                    "~take an [early|quick] swim in the river at {place}",
                ),
                family="exercise",
                longest=60,
            )

    def _garden(self) -> None:
        if self.role.key == "gardener":
            return
        plants = [p for p in _PLANT.findall(self.text)]
        if not plants and not _GARDENS.search(self.text):
            return
        self._add(
            "garden",
            "park",
            "morning afternoon",
            (
                "~plant {plants} in {place}",
                "~help plant {plants} in {place}",
                "~weed the flower beds in {place}",
                "~water the [rose|flower] beds in {place}",
                "~tend the flower beds in {place}",
                "~dig a new [flower|bulb] bed in {place}",
            ),
            family="garden",
            slots={"plants": tuple(plants) or ("flowers", "spring bulbs")},
            longest=120,
        )

    def _sketch(self) -> None:
        subjects = list(dict.fromkeys(_SKETCH.findall(self.text)))
        if not subjects:
            return
        self.subjects = subjects
        self._add(
            "sketch",
            "square",
            "afternoon",
            (
                "~sketch {subject} in {place}",
                "~sit by the fountain in {place} and ~sketch {subject}",
                "~fill a page of {poss} sketchbook with {subject} in {place}",
                "~draw {subject} from a bench in {place}",
            ),
            family="paint",
            slots={"subject": tuple(subjects)},
            longest=120,
        )
        self._add(
            "sketch-park",
            "park",
            "afternoon",
            (
                "~sketch {subject} in {place}",
                "~draw {subject} from a bench in {place}",
                "~sketch the trees in {place}",
            ),
            family="paint",
            slots={"subject": tuple(subjects)},
            weight=1.5,
            longest=120,
        )

    def _cook(self) -> None:
        dishes: list[str] = []
        for first, second in _DISHES.findall(self.text):
            dishes += [d.strip() for d in (first, second) if d.strip()]
        self.dishes = dishes
        if not dishes and not re.search(r"\bbak(?:es|ing)\b", self.text):
            return
        cores = (
            (
                "~test {poss} {dish} recipe at home",
                "~try out a new version of {poss} {dish} at home",
                "~cook a trial batch of {dish} at home",
            )
            if dishes
            else ("~bake [bread|a cake|scones] at home", "~bake a batch of [scones|muffins]")
        )
        self._add(
            "cook",
            "home",
            "afternoon",
            cores,
            family="bake",
            slots={"dish": tuple(dishes)} if dishes else {},
            weight=1.5,
            longest=90,
        )

    def _campaign(self) -> None:
        if not _CAMPAIGN.search(self.text) or self.role.key == "mayor":
            return
        self._add(
            "campaign",
            "square",
            "afternoon evening",
            (
                "~hand out [campaign |]leaflets in {place}",
                "~talk to voters about the election in {place}",
                "~canvass [the neighbours|voters] in {place}",
                "~chat with residents about the campaign in {place}",
                "~put up [campaign |]posters around {place}",
            ),
            family="election",
            longest=120,
        )
