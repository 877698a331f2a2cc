"""Plan-action agreement: does an executed action fit the schedule item it belongs to?

A schedule item's text ("stock the shelves", "have breakfast at home") is read into a few
*activities* by trigger words; each activity lists the (verb, object kind) pairs that
carry it out. An action fits when its pair belongs to one of the item's activities, or is
a generic supporting step (using the toilet, washing hands at a sink, sitting down on a
seat). Deliberately lenient where real decompositions are loose (cooking and eating belong
to one meal, sitting down belongs to almost anything) and strict where a player would see
the wrong thing ("stock the shelves" carried out as serving at the counter, "serve coffee"
as ordering one, "buy vegetables" as cooking at home).

Not judged (they fit): actions on no object or with a verb their object does not afford
(the object is only the spot where it happens), objects of a kind the conventions do not
list (a game's own kinds), and plan texts with no recognised activity word. The planned
place's name is removed from the text first, so "work at the Reading Room" does not read
as reading. Word forms are handled here (regular inflections, a few irregular ones and
phrases such as "go to bed"), independently of the policy lexicon, so the checker's
judgement does not move when that lexicon is retuned for look-alike detection. Phrases
that only look like an activity are read for what they mean: "pay a visit" is a visit,
"at a relaxed pace" says how, "listen to the debate" is no music, "mark essays" is
grading, and a food or drink word naming a store ("the beer cellar") is no meal.

Pure and cached; no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from aga_npc.world.kinds import KIND_AFFORDANCES, KNOWN_KINDS, KindRegistry

__all__ = [
    "ACTIVITIES",
    "GENERIC_STEPS",
    "Activity",
    "action_fits_plan",
    "fit_reason",
    "judged_pair",
    "plan_activities",
    "unafforded_pairs",
]

ANY = "*"


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """One activity a plan text can mean.

    Attributes:
        name: short name shown in reasons ("meal", "stock", ...).
        triggers: base words that name it (inflections are matched too).
        allows: verb -> object kinds that carry it out (``("*",)``: any kind affording
            the verb).
        weak: only read when the text names no other activity ("work at the cafe" is
            any work; "stock the shelves at work" is stocking).
    """

    name: str
    triggers: frozenset[str]
    allows: Mapping[str, tuple[str, ...]]
    weak: bool = False

    def __post_init__(self) -> None:
        for verb, kinds in self.allows.items():
            unknown = [k for k in kinds if k != ANY and k not in KNOWN_KINDS]
            if unknown:
                raise ValueError(f"activity {self.name}: {verb} on unknown kinds {unknown}")

    def permits(self, verb: str, kind: str) -> bool:
        kinds = self.allows.get(verb)
        return kinds is not None and (ANY in kinds or kind in kinds)


def _activity(name: str, triggers: str, allows: str, *, weak: bool = False) -> Activity:
    """An activity from compact text: ``allows`` reads "verb=kind kind; verb=*"."""
    table: dict[str, tuple[str, ...]] = {}
    for part in allows.split(";"):
        verb, _, kinds = part.partition("=")
        table[verb.strip()] = tuple(kinds.split())
    return Activity(
        name=name,
        triggers=frozenset(triggers.split()),
        allows=MappingProxyType(table),
        weak=weak,
    )


_HYGIENE = "shower=*; wash=*; brush teeth=*; use toilet=*"
_DESK = "work=desk table; write=*; read=desk table bookshelf; browse=bookshelf"

ACTIVITIES: tuple[Activity, ...] = (
    _activity(
        "sleep",
        "sleep slept nap doze snooze gotobed asleep bedtime siesta",
        f"sleep=bed; nap=bed; rest=bed sofa bench; {_HYGIENE}",
    ),
    _activity(
        "bedprep",
        "bedprep pyjamas pajamas nightgown undress",
        f"rest=*; sleep=bed; nap=bed; read=*; watch tv=*; {_HYGIENE}",
    ),
    _activity(
        "hygiene",
        "wakeup shower bath bathe freshen routine dress brush teeth toilet shave groom hygiene",
        f"rest=bed; {_HYGIENE}",
    ),
    _activity(
        "meal",
        "eat ate eaten dine feast breakfast brunch lunch dinner supper meal snack bite picnic "
        "lunchbox",
        "eat=*; get food=*; store food=*; cook=*; wash dishes=*; order=*; pay=*; drink=*; "
        "chat=table bar",
    ),
    _activity(
        "cook",
        "cook bake fry boil grill roast heat reheat microwave recipe prep simmer knead chop peel "
        "dough",
        "cook=*; get food=*; store food=*; wash dishes=*; serve=counter bar; work=table counter",
    ),
    _activity(
        "drink",
        "drank sip",
        "order=*; drink=*; pay=*; chat=table bar; eat=table; get food=fridge; cook=stove",
    ),
    _activity(
        "drinks_prep",
        "",
        "prepare drinks=*; serve=*; work=counter; cook=stove; get food=fridge; "
        "store food=fridge; wash dishes=*; chat=bar; drink=bar",
    ),
    _activity(
        "serve",
        "serve bartend customer regulars orders counter register till cashier queue "
        "haggle negotiate "
        "visitor rush service",
        "serve=*; work=counter table desk; prepare drinks=*; chat=bar table; "
        "wash dishes=*; cook=stove; get food=fridge; store food=fridge; browse=bookshelf",
    ),
    _activity(
        "stock",
        "stock restock shelve shelf shelves delivery storeroom inventory cellar supply "
        "supplies unpack supplier",
        "stock=*; pick=*; browse=*; get food=fridge; store food=fridge; work=counter",
    ),
    _activity(
        "shopping",
        "buy bought purchase shop shopping groceries pickup errand",
        "browse=*; pick=*; pay=*; order=*",
    ),
    _activity(
        "errand",
        "pay paid bill tax taxes rent bank",
        "pay=*; order=*; work=desk table; write=*; chat=table",
    ),
    _activity(
        "teach",
        "teach taught tutor instruct officehours grade",
        f"teach=*; lecture=*; chat=table; study=desk; play music=piano; {_DESK}",
    ),
    _activity(
        "attend",
        "",
        "study=*; write=*; read=*; work=desk table; browse=bookshelf; play music=piano",
    ),
    _activity(
        "study",
        "study revise review homework assignment exam test quiz research coursework problem "
        "thesis notes library studygroup textbook",
        "study=*; read=*; write=*; work=desk table; browse=bookshelf",
    ),
    _activity(
        "read",
        "read book novel chapter magazine newspaper borrow browse comic poetry biography",
        "read=*; browse=*; rest=sofa bench bed",
    ),
    _activity(
        "write",
        "write wrote written rewrite rewrote rewritten jot journal diary letter newsletter "
        "article essay poem story draft edit page blog",
        "write=*; work=desk table; read=*; browse=bookshelf",
    ),
    _activity(
        "desk",
        "paperwork file form permit document budget report email message catalogue plan "
        "admin proposal minutes account record",
        f"work=*; study=desk; {_DESK}",
    ),
    _activity(
        "meeting",
        "meeting council agenda election resident chair committee debate campaign canvass vote "
        "interview",
        "chat=*; write=*; work=desk table; read=desk table",
    ),
    _activity(
        "social",
        "chat talk meet met friend neighbour neighbor catchup hangout gossip family party "
        "celebration celebrate festival gathering mingle greet company studygroup speak "
        "decorate decoration",
        "chat=*; rest=bench fountain sofa; order=*; pay=*; drink=*; eat=table; "
        "play music=*; watch tv=*",
    ),
    _activity(
        "exhibition",
        "exhibition gallery museum",
        "chat=*; rest=bench sofa fountain; read=*; browse=*",
    ),
    _activity(
        "call",
        "call phone facetime",
        "chat=*; rest=*",
    ),
    _activity(
        "puzzle",
        "crossword puzzle sudoku jigsaw chess cards boardgame game",
        "read=*; write=*; rest=*; chat=table bench; work=desk table; browse=bookshelf",
    ),
    _activity(
        "tv",
        "tv television movie film series episode",
        "watch tv=*; rest=sofa bed",
    ),
    _activity(
        "relax",
        "relax rest unwind lounge chill break sit sat peoplewatch sunbathe laze",
        "rest=*; read=*; watch tv=*; play music=*; chat=table bench fountain bar; "
        "nap=bed; drink=bar",
    ),
    _activity(
        "walk",
        "walk stroll wander hike jog run ran exercise workout yoga stretch air swim bike cycle",
        "rest=bench fountain sofa; chat=bench fountain",
    ),
    _activity(
        "music",
        "music piano guitar violin cello flute drum drums song sing compose rehearse band "
        "concert instrument scales melody tune listen",
        "play music=*; rest=sofa bench bed; chat=bar table; order=bar; drink=bar; write=desk table",
    ),
    _activity(
        "craft",
        "craft crafts crafting knit knitting sew sewing origami scrapbook whittle",
        "work=desk table; write=*; paint=*; rest=sofa bench; chat=table",
    ),
    _activity(
        "paint",
        "paint painting sketch draw drew drawing canvas watercolour watercolor easel colour "
        "color portrait art",
        "paint=*; wash=*",
    ),
    _activity(
        "garden",
        "garden gardens plant flower weed prune hedge bush seedling lawn mow rake houseplant "
        "compost harvest",
        "garden=*; water plants=*; rest=bench fountain; wash=*",
    ),
    _activity(
        "chores",
        "clean tidy dust sweep mop vacuum wipe laundry chore dish declutter iron",
        "wash=*; wash dishes=*; get food=fridge; store food=fridge",
    ),
    _activity("work_verb", "", "work=desk table counter", weak=True),
    _activity(
        "visit",
        "visit",
        "chat=*; rest=*; read=*; browse=*; pick=shelf; order=*; pay=*; drink=*; eat=*; "
        "play music=*; watch tv=*",
        weak=True,
    ),
    _activity(
        "work",
        "work shift job task project open close duty office busy",
        "work=*; write=*; serve=*; prepare drinks=*; stock=*; pick=*; browse=*; cook=*; "
        "get food=*; store food=*; wash dishes=*; teach=*; lecture=*; garden=*; "
        "water plants=*; chat=table bar; study=*; read=desk table bookshelf; paint=*; "
        "play music=*",
        weak=True,
    ),
)
"""Every activity a plan text can mean, with the (verb, kind) pairs that carry it out."""

GENERIC_STEPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "use toilet": ("toilet",),
        "wash": ("sink",),
        "sit": ("table", "bench", "sofa", "fountain"),
    }
)
"""Supporting steps that fit any plan: the toilet, washing hands, sitting down."""

_BY_NAME = {a.name: a for a in ACTIVITIES}


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words whose activity depends on the rest of the text.
_FOOD = _set(
    "sandwich soup pasta pancake porridge egg toast leftover leftovers stir-fry croissant "
    "bread pastry pastries cookie cake pie pizza salad stew curry rice noodle oatmeal cereal "
    "meal fruit vegetable veggie muffin bagel waffle omelette omelet dessert food biscuit scone "
    "burger taco popcorn steak chicken"
)
_DRINKS = _set(
    "coffee latte espresso cappuccino americano tea chai juice cocoa smoothie beer wine pint "
    "cocktail lemonade drink"
)
# Verbs that handle food or drink without consuming it ("serve coffee", "buy vegetables").
_HANDLING = _set(
    "serve sell stock restock check deliver pour mix brew buy purchase shop shopping pickup "
    "make prepare prep fix whip cook bake unpack carry fetch count orders pull simmer steam "
    "froth"
)
_MAKING = _set("make prepare prep fix whip")
_DRINK_MAKING = _MAKING | _set("brew pour mix froth steam serve pull")
# Texts about food for others: "prepare meals for the customers", "the lunch service".
_FOR_OTHERS = _set("customer service orders menu guest")
_CLASS_NOUNS = _set("class lecture seminar course lesson lab tutorial")
_TEACHING = _set(
    "teach taught tutor instruct officehours grade give hold deliver prepare lead operate host "
    "chair conduct pupil"
)
# What one works on when one writes: "work on his book" is writing it.
_WRITINGS = _set("book novel chapter article essay newsletter paper story poem manuscript thesis")
_GARDEN_WORDS = _set("garden gardens plant flower bed hedge bush lawn seedling")
# Where food or drink is kept or handled: "check the beer cellar" is not a drink.
_STORES = _set(
    "cellar crate barrel keg delivery deliveries stock supply supplies shelf shelves storeroom "
    "machine grinder tap rack cupboard pantry fridge freezer order"
)
_DISH_WORDS = _set("dish plate cup pot pan glass laundry clothes car window floor")
_TV_WORDS = _set("tv television movie film news show series episode")

# Phrases rewritten before words are read (applied in order, on lower-cased text).
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), token)
    for pattern, token in (
        (r"people[- ]watch\w*", "peoplewatch"),
        (r"\b(?:go|goes|going|went|head\w*|get\w*|got|climb\w*)\s+(?:in)?to\s+bed\b", "gotobed"),
        (r"\bturn\w*\s+in\b", "gotobed"),
        (r"\b(?:fall\w*|fell|drift\w*)\s+(?:asleep|off)\b", "asleep"),
        (r"\b(?:before|for)\s+bed\b", "bedprep"),
        (r"\bwind\w*\s+down\b", "unwind"),
        (r"\b(?:wake|wakes|waking|woke|get|gets|getting|got)\s+up\b", "wakeup"),
        (r"\bout\s+of\s+bed\b", "wakeup"),
        (r"\b(?:wash\w*|freshen\w*)\s+up\b", "freshen"),
        (r"\bcatch\w*\s+up\s+on\b", "review"),
        (r"\bcatch\w*\s+up\b", "catchup"),
        (r"\bget\w*\s+(?:ready|dressed|changed)\b", "dress"),
        (r"\bpick\w*\s+up\b", "pickup"),
        (r"\boffice\s+hours\b", "officehours"),
        (r"\bmak\w*\s+time\s+(?:to|for)\b", " "),  # "make time to open the cafe"
        (r"\bas\s+(?:planned|usual|always)\b", " "),
        # manner, not an activity: "work at Town Hall at a relaxed pace"
        (r"\bat\s+an?\s+(?:relaxed|leisurely|gentle|easy|unhurried|slow|steady)\s+pace\b", " "),
        (r"\bpa(?:y|ys|id|ying)\s+(?:a|an)\s+(?:\w+\s+)?visits?\b", "visit"),  # no bill
        (r"\bart\s+(exhibition|gallery|show)", r"\1"),  # seeing art is not painting
        (r"\b(?:sit|sits|sitting|sat)\s+in\s+on\b", " "),  # "sit in on classes"
        (r"\b(?:sit|sits|sitting|sat)\s+down\s+(?:and|to)\b", " "),  # "sits down and writes"
        # what one hears is not music: "listen to the candidates' debate"
        (
            r"\blisten\w*\s+(?:in\s+)?to\b(?=(?:\s+[\w']+){0,3}?\s+(?:debate|discussion|"
            r"speech|talk|lecture|candidate|speaker|resident|podcast|news|stor(?:y|ie)|gossip|"
            r"complaint|concern|presentation|sermon|meeting|argument)s?\b)",
            "hear",
        ),
        # marking is grading: "mark local history essays"
        (
            r"\bmark(?:s|ed|ing)?\b(?=(?:\s+[\w'-]+){0,4}?\s+(?:essay|paper|exam|test|homework|"
            r"assignment|script|coursework|quiz|quizze)s?\b)",
            "grade",
        ),
        # baking another go at a dish: "try out a new version of his ginger cake"
        (
            r"\b(?:try|tries|tried|trying|test|tests|tested|testing)\s+(?:out\s+)?"
            r"(?:(?:a|an|the|his|her|their|new|another)\s+)*(?:version|batch|variation|twist)s?"
            r"\s+(?:of|on)\b",
            "make",
        ),
        (r"\b(?:go|goes|going|went|gone)\s+through\b", "check"),  # "go through the cellar"
        (
            r"\b(?:put\w*\s+on|play\w*|spin\w*)\s+(?:(?:a|an|the|some|his|her|old|new)\s+)*records?\b",
            "listen to music",
        ),
        (r"\blectur\w*\s+(on|about|to)\b", r"teach \1"),  # the verb: "lecture on history"
        (r"\bwork\w*\s+through\b", "review"),
        (r"\bwork\w*\s+out\b", "figure out"),
        (r"\bstock\w*\s+up\b", "shopping"),
        # choosing something to take home: "pick out a present for the party"
        (r"\bpick\w*\s+out\b", "shopping"),
        (r"\blook\w*\s+for\s+(?:something|a\s+gift|a\s+present)\b", "shopping for something"),
        # "browse Pine Street Grocery for a small gift for a friend": shopping, not reading
        (
            r"\b(?:brows\w*|look\w*\s+around)\b[^,;.]*?\bfor\s+(?:(?:a|an|some|the|small|little|"
            r"nice|new)\s+)*(?:gift|present|souvenir)s?\b",
            "shopping for a gift",
        ),
        # asking someone to come along is company: "asks Bram along for a walk"
        (r"\b(?:ask|asks|asked|asking|invite\w*)\s+[A-Za-z]+\s+along\b", "meet a friend"),
        # making things by hand: "make paper decorations" is a craft, not the party itself
        (
            r"\b(?:make|makes|making|made|cut\w*|fold\w*)\s+(?:(?:some|a|few|new|more|paper|party|"
            r"the)\s+)*decorations?\b",
            "craft decorations",
        ),
        (r"\bkeep\w*\s+the\s+drinks\s+flowing\b", "serve drinks"),
        (r"\bstudy\s+group", "studygroup"),
        (r"\brun\w*\s+(?:the|an|a)\b", "operate the"),
        (
            r"\b(?:walk|walks|walking|walked|head|heads|heading|headed|go|goes|going|went|"
            r"come|comes|coming|came|return\w*|drive\w*|drove|cycle\w*|bike\w*|hurry\w*|"
            r"run|runs|running|ran|stroll\w*|commute\w*)\s+(?:over\s+|back\s+)?"
            r"(?:to|home|back|across)\b",
            "travel to",
        ),
    )
)
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*|[,;:.]")
_IRREGULAR = {"shelves": "shelf", "dishes": "dish", "children": "child", "leaves": "leaf"}
# Where one clause ends: "eat breakfast while reading the news" names two activities.
_CLAUSE_ENDS = _set(", ; : . and then while before after or but")
# Things that name an activity only when nothing else in their clause does: "curl up with
# a book" is reading, "write a page of his book" is writing, "buy a guitar" is shopping.
_OBJECT_NOUNS = _set(
    "book novel chapter magazine newspaper comic poetry letter journal diary newsletter "
    "article essay poem story page blog piano guitar violin cello flute drum drums "
    "record instrument band concert painting drawing canvas "
    "watercolour watercolor portrait art easel tv television movie film series episode "
    "garden gardens flower hedge bush seedling lawn houseplant paperwork form permit "
    "document budget report email message proposal minutes account plan customer regulars "
    "orders counter register till visitor shelf shelves delivery storeroom inventory cellar "
    "supply supplies friend neighbour neighbor family company air record"
)


def _forms(base: str) -> set[str]:
    """Regular inflections of ``base`` (cook -> cooks, cooking, cooked; shop -> shopping)."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms.add(base[:-1] + "ing")
    if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    cvc = len(base) >= 3 and base[-3] not in "aeiou" and base[-2] in "aeiou"
    if cvc and base[-1] not in "aeiouwxy":  # shop -> shopping, jog -> jogged
        forms |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    return forms


def _base_table() -> dict[str, str]:
    words: set[str] = set()
    for activity in ACTIVITIES:
        words |= activity.triggers
    words |= _FOOD | _DRINKS | _HANDLING | _CLASS_NOUNS | _TEACHING | _GARDEN_WORDS
    words |= _DISH_WORDS | _TV_WORDS | {"wash", "tend", "watch"}
    table: dict[str, str] = {}
    for base in sorted(words):
        for form in _forms(base):
            # of two bases the longer is the nearer: "canvassing" is "canvass", not "canvas"
            if len(table.get(form, "")) < len(base):
                table[form] = base
    for base in words:  # a listed word is always its own base
        table[base] = base
    table.update(_IRREGULAR)
    return table


_BASE = _base_table()
_TRIGGERS: dict[str, list[str]] = {}
for _act in ACTIVITIES:
    for _word in _act.triggers:
        _TRIGGERS.setdefault(_word, []).append(_act.name)


def _bases(text: str, place: str) -> list[str]:
    """The text's words as base forms (and clause punctuation), the place name removed."""
    lowered = text.lower().replace("’", "'")
    if len(place) > 2:
        lowered = lowered.replace(place.lower(), " ")
    for pattern, token in _PHRASES:
        lowered = pattern.sub(token, lowered)
    lowered = lowered.replace("'s ", " ")
    words = _TOKEN.findall(lowered)
    bases = [_BASE.get(w, w) for w in words]
    return [
        b
        for i, b in enumerate(bases)
        if not (b in _FOOD | _DRINKS and i + 1 < len(words) and _is_store(words[i + 1]))
    ]


def _is_store(word: str) -> bool:
    """Whether ``word`` names where food or drink is kept or handled, so that a food or
    drink word before it only says which ("the beer cellar", "the coffee machine")."""
    return word in _STORES or (word.endswith("s") and word[:-1] in _STORES)


def _word_activities(word: str, present: set[str]) -> list[str]:
    """What one word names, given every word of the text (``present``)."""
    names: list[str] = []
    handled = bool(present & _HANDLING)
    if word in _FOOD:
        names += [] if handled else ["meal"]
        names += ["cook"] if present & _MAKING else []
    if word in _DRINKS:
        names += [] if handled else ["drink"]
        names += ["drinks_prep"] if present & _DRINK_MAKING else []
    if word in _CLASS_NOUNS:
        names.append("teach" if present & _TEACHING else "attend")
    special = {
        "tend": ("garden", "serve", _GARDEN_WORDS),
        "wash": ("chores", "hygiene", _DISH_WORDS),
        "watch": ("tv", "relax", _TV_WORDS),
    }.get(word)
    if special is not None:
        names.append(special[0] if present & special[2] else special[1])
    for name in _TRIGGERS.get(word, ()):
        if not (name == "meal" and present & _FOR_OTHERS):  # "the lunch service" is work
            names.append(name)
    return names


def plan_activities(plan_text: str, *, place: str = "") -> tuple[str, ...]:
    """The activities ``plan_text`` names, in order of first mention.

    ``place`` (the item's planned place) is removed from the text first. An object noun
    ("book", "counter") counts only when nothing earlier in its clause named another
    activity. Weak activities (any work, a visit) are kept only when nothing else is
    named. Cooking for oneself includes eating it.
    """
    return tuple(n for n in _read(plan_text, place) if n != "work_verb")


@functools.lru_cache(maxsize=4096)
def _read(plan_text: str, place: str) -> tuple[str, ...]:
    """``plan_activities`` plus ``work_verb`` when a named "work" was outweighed ("work on
    music" is music, yet the verb ``work`` at a desk still fits it)."""
    words = _bases(plan_text, place)
    present = set(words)
    found: list[str] = []
    clause: set[str] = set()
    for word in words:
        if word in _CLAUSE_ENDS:
            clause = set()
            continue
        names = _word_activities(word, present)
        if word in _OBJECT_NOUNS and clause - set(names):
            continue  # the object of another activity: "write a page of his book"
        for name in names:
            if not _BY_NAME[name].weak:  # "work in the flower beds" is gardening
                clause.add(name)
            if name not in found:
                found.append(name)
    if "work" in found and present & _WRITINGS and "write" not in found:
        found.append("write")  # "work on his book"
    if "cook" in found and "meal" not in found and not present & _FOR_OTHERS:
        found.append("meal")  # what one cooks for oneself one may eat ("prepare soup")
    strong = [n for n in found if not _BY_NAME[n].weak]
    if strong and "work" in found:
        strong.append("work_verb")  # "work on music": the verb "work" itself still fits
    return tuple(strong or found)


def judged_pair(verb: str, kind: str, kinds: KindRegistry | None = None) -> bool:
    """Whether an action ``verb`` on an object of ``kind`` is judged at all: the object is
    of a kind the conventions list and affords the verb, there and in the world's
    ``kinds`` (default: the household kinds); else it is no object, a game's own kind (or
    a household kind the game gave other verbs), or only the spot where an action on no
    object happens."""
    if kind not in KNOWN_KINDS or verb not in KIND_AFFORDANCES[kind]:
        return False
    return kinds is None or verb in kinds.verbs(kind)


def fit_reason(
    plan_text: str, verb: str, kind: str, *, place: str = "", kinds: KindRegistry | None = None
) -> str | None:
    """Why the action ``verb`` on an object of ``kind`` does not fit ``plan_text``, or None
    when it fits or cannot be judged: no object, a kind outside the conventions, a verb
    the object does not afford (the town puts actions on no object at a spot, e.g. "walk"
    at a fountain: the object is only where it happens), or a plan with no recognised
    activity. ``kinds``: the world's registry (see ``judged_pair``)."""
    verb = verb.strip().lower()
    if not judged_pair(verb, kind, kinds) or kind in GENERIC_STEPS.get(verb, ()):
        return None
    names = _read(plan_text, place)
    if not names:
        return None
    if any(_BY_NAME[n].permits(verb, kind) for n in names):
        return None
    shown = " / ".join(n for n in names if n != "work_verb")
    return f"{verb} on a {kind} is not part of {shown}"


def action_fits_plan(plan_text: str, verb: str, kind: str, *, place: str = "") -> bool:
    """Whether the action ``verb`` on an object of ``kind`` fits the plan ``plan_text``.

    Example: "stock the shelves" fits ``stock`` on a shelf, not ``serve`` on a counter;
    "have breakfast" fits ``cook`` on a stove and ``eat`` at a table.
    """
    return fit_reason(plan_text, verb, kind, place=place) is None


def unafforded_pairs(activities: Iterable[Activity] = ACTIVITIES) -> list[str]:
    """Allowed pairs whose kind does not afford the verb (a table typo check for tests)."""
    bad = []
    for activity in activities:
        for verb, kinds in activity.allows.items():
            named = [k for k in kinds if k != ANY]
            if not named and not any(verb in v for v in KIND_AFFORDANCES.values()):
                bad.append(f"{activity.name}: {verb} on any kind")
            bad += [
                f"{activity.name}: {verb} on {k}" for k in named if verb not in KIND_AFFORDANCES[k]
            ]
    for verb, kinds in GENERIC_STEPS.items():
        bad += [f"generic: {verb} on {k}" for k in kinds if verb not in KIND_AFFORDANCES[k]]
    return bad
