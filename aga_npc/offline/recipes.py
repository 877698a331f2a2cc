"""The decomposition lexicon: what an activity means in steps on object kinds and verbs."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FOODS", "RECIPES", "Recipe", "StepSpec", "word_forms"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StepSpec:
    """One step of a recipe.

    Attributes:
        kinds: object kinds that can serve, in order of preference (empty: no object).
        verbs: verbs to use, in order of preference (the first the object affords wins).
        weight: (low, high) relative minutes, drawn per call.
        texts: descriptions; ``{meal}`` and ``{food}`` are filled in.
        optional: probability that the step is included.
        group: steps sharing a non-zero group may come in any order.
        fallback: only used when no earlier step of the recipe found an object.
        fixed: the drawn minutes are kept as they are instead of scaled to the duration.
    """

    kinds: tuple[str, ...]
    verbs: tuple[str, ...]
    weight: tuple[int, int]
    texts: tuple[str, ...]
    optional: float = 1.0
    group: int = 0
    fallback: bool = False
    fixed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    """An activity meaning: trigger words and phrases, an optional role, its steps, the
    rooms (parts of arena names) where it usually happens, and whether it makes sense with
    no object at all (a walk)."""

    key: str
    words: frozenset[str]
    phrases: tuple[str, ...]
    steps: tuple[StepSpec, ...]
    role: str = ""
    arenas: tuple[str, ...] = ()
    objectless: bool = False


def word_forms(word: str) -> set[str]:
    """Common inflections of a trigger word (cook -> cooks, cooking, cooked)."""
    forms = {word, word + "s", word + "es", word + "ing", word + "ed"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) <= 4 and word[-1] in "pgnt" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}
    return forms


def _s(
    kinds: str,
    verbs: str,
    lo: int,
    hi: int,
    texts: str,
    *,
    optional: float = 1.0,
    group: int = 0,
    fallback: bool = False,
    fixed: bool = False,
) -> StepSpec:
    """A step from compact text: kinds and verbs comma-separated, texts "|"-separated."""
    return StepSpec(
        kinds=tuple(k for k in kinds.split(",") if k),
        verbs=tuple(v for v in verbs.split(",") if v),
        weight=(lo, hi),
        texts=tuple(texts.split("|")),
        optional=optional,
        group=group,
        fallback=fallback,
        fixed=fixed,
    )


def _r(
    key: str,
    words: str,
    phrases: str,
    *steps: StepSpec,
    role: str = "",
    arenas: str = "",
    objectless: bool = False,
) -> Recipe:
    triggers: set[str] = set()
    for w in words.split():
        triggers |= word_forms(w)
    return Recipe(
        key=key,
        words=frozenset(triggers),
        phrases=tuple(p.strip() for p in phrases.split(",") if p.strip()),
        steps=steps,
        role=role,
        arenas=tuple(a for a in arenas.split(",") if a),
        objectless=objectless,
    )


FOODS = {
    "breakfast": ("eggs", "toast", "oatmeal", "pancakes", "porridge"),
    "lunch": ("a sandwich", "soup", "leftovers", "a salad"),
    "dinner": ("pasta", "vegetables", "a stew", "rice and beans", "a stir-fry"),
    "meal": ("something simple", "a quick meal"),
}

_MEALS = (
    "breakfast lunch dinner meal eat ate snack brunch supper food bite sandwich soup pasta "
    "pancake porridge egg toast leftovers stir-fry croissant"
)

# Earlier recipes win ties; role recipes get a bonus for their role.
RECIPES: tuple[Recipe, ...] = (
    _r(
        "meal_out",
        _MEALS,
        "",
        _s("counter,bar", "order", 3, 5, "order {meal}|order some food|look at the menu and order"),
        _s("table", "eat", 15, 30, "eat {meal} at a table|enjoy {food}|sit down and eat {food}"),
        _s("counter", "pay", 2, 3, "pay the bill|pay at the counter", optional=0.7),
        arenas="cafe,bar,dining",
    ),
    _r(
        "meal_home",
        _MEALS,
        "",
        _s(
            "fridge",
            "get food",
            2,
            5,
            "take {food} out of the fridge|grab ingredients from the fridge|"
            "get some food from the fridge",
        ),
        _s(
            "stove",
            "cook",
            6,
            15,
            "cook {food} on the stove|heat up {food}|prepare {meal} at the stove",
            optional=0.85,
        ),
        _s("table", "eat", 10, 25, "eat {meal} at the table|sit down and eat|enjoy {food}"),
        _s(
            "sink",
            "wash dishes",
            3,
            6,
            "wash the dishes|rinse the plates|clean up the dishes",
            optional=0.7,
        ),
        arenas="kitchen,dining",
    ),
    _r(
        "think",
        "think wonder daydream ponder reflect consider imagine",
        "what to wear, think about",
        _s("sofa,bench,table,bed", "sit,rest", 15, 30, "think it over|sit and daydream a little"),
        _s("", "think", 10, 20, "think about it|make a mental list", optional=0.6),
    ),
    _r(
        "bed_prep",
        "pyjamas",
        "ready for bed, before bed",
        _s("sink", "brush teeth", 3, 6, "brush teeth|wash face and brush teeth"),
        _s("bed", "rest", 5, 10, "lie in bed and wind down|get into bed"),
        arenas="bathroom,bedroom,room",
    ),
    _r(
        "sleep",
        "sleep bedtime asleep",
        "go to bed, turn in, head to bed",
        _s("sink", "brush teeth", 3, 5, "brush teeth before bed", optional=0.5, fixed=True),
        _s("", "set alarm", 1, 2, "set the alarm for the morning", optional=0.4, fixed=True),
        _s("bed", "sleep", 60, 60, "sleep|fall asleep|sleep through the night|get some sleep"),
        arenas="bedroom,room,bathroom",
    ),
    _r(
        "nap",
        "nap doze",
        "",
        _s("bed,sofa", "nap,rest", 1, 1, "take a nap|doze off for a while"),
        arenas="bedroom,living,lounge",
    ),
    _r(
        "morning",
        "shower wash dressed freshen brush teeth bath wake",
        "get ready, morning routine, wash up, get up",
        _s("toilet", "use toilet", 2, 4, "use the toilet", optional=0.5, group=1),
        _s(
            "shower",
            "shower",
            8,
            15,
            "take a shower|have a quick shower|shower and wash hair",
            group=1,
        ),
        _s("sink", "brush teeth,wash", 3, 5, "brush teeth|wash face and brush teeth", group=1),
        _s("", "get dressed", 3, 6, "get dressed|pick out clothes and get dressed", optional=0.6),
        arenas="bathroom",
    ),
    _r(
        "cafe_work",
        "serve coffee espresso drink order customer counter shift brew regular rush latte table "
        "pastry steam milk shot queue machine cappuccino open close",
        "morning rush",
        _s(
            "counter",
            "prepare drinks",
            30,
            60,
            "prepare drinks for customers|brew espresso and steam milk|make coffee orders",
            group=1,
        ),
        _s(
            "counter",
            "serve",
            30,
            60,
            "serve customers at the counter|hand out orders|serve the regulars",
            group=1,
        ),
        _s(
            "counter",
            "work",
            10,
            30,
            "take orders at the register|restock cups and lids",
            optional=0.5,
        ),
        _s(
            "sink",
            "wash dishes",
            10,
            20,
            "wash cups and plates|clean the coffee equipment",
            optional=0.5,
        ),
        role="barista",
        arenas="cafe,kitchen",
    ),
    _r(
        "bar_work",
        "bar drink pour mix serve regular shift customer cellar barrel open close",
        "",
        _s(
            "bar",
            "serve",
            40,
            80,
            "serve drinks at the bar|pour drinks for customers|mix cocktails",
            group=1,
        ),
        _s(
            "bar",
            "chat",
            10,
            30,
            "chat with the regulars|listen to a customer's story",
            group=1,
            optional=0.7,
        ),
        _s("sink", "wash dishes", 10, 20, "wash glasses|clean up behind the bar", optional=0.6),
        role="bartender",
        arenas="bar",
    ),
    _r(
        "kitchen_work",
        "cook prep meal vegetable bake bread pastries order kitchen service stove chop simmer "
        "plate knead dough soup",
        "",
        _s(
            "fridge",
            "get food",
            5,
            15,
            "take ingredients from the fridge|check the fridge for supplies",
        ),
        _s(
            "stove",
            "cook",
            40,
            80,
            "cook orders at the stove|prepare the dishes|bake a fresh batch",
        ),
        _s("counter", "serve", 10, 20, "pass plates to the counter", optional=0.5),
        _s("sink", "wash dishes", 10, 25, "wash pots and pans|clean the kitchen", optional=0.7),
        role="cook",
        arenas="kitchen",
    ),
    _r(
        "teach",
        "teach lecture class seminar student classroom tutorial",
        "",
        _s(
            "blackboard",
            "teach,lecture",
            40,
            70,
            "teach at the blackboard|give the lecture|explain the material on the board",
        ),
        _s(
            "desk", "work", 10, 25, "answer students' questions|hand back assignments", optional=0.6
        ),
        _s("desk", "write", 5, 10, "note down what to cover next time", optional=0.4),
        role="professor",
        arenas="classroom",
    ),
    _r(
        "class",
        "class lecture seminar note tutorial lab",
        "",
        _s(
            "desk",
            "study",
            40,
            70,
            "listen to the lecture and take notes|follow the class|take notes at a desk",
        ),
        _s("desk", "write", 10, 20, "write down the homework|work on an exercise", optional=0.6),
        arenas="classroom",
    ),
    _r(
        "study",
        "study assignment homework exam revise review library note research thesis solve problem "
        "flashcard textbook quiz cram",
        "study group, hit the books",
        _s(
            "bookshelf",
            "browse",
            5,
            15,
            "look for a reference book|find a book on the shelf",
            optional=0.5,
        ),
        _s(
            "desk,table",
            "study,read",
            40,
            80,
            "study hard|go over the notes|work through the assignment",
        ),
        _s("desk,table", "write", 10, 25, "write a summary|make flashcards", optional=0.5),
        arenas="library,room,apartment",
    ),
    _r(
        "hobby",
        "model ship rigging glue mast sail deck sand puzzle crossword jigsaw hobby kit",
        "",
        _s(
            "table,desk",
            "work,sit",
            30,
            60,
            "work on it at the table|fit a few more pieces|concentrate on the details",
        ),
        _s("sofa,bench", "sit,rest", 10, 20, "sit back and look it over", optional=0.4),
        arenas="kitchen,living,room",
    ),
    _r(
        "meeting",
        "meeting resident council discuss debate election agenda",
        "",
        _s(
            "table",
            "chat,sit",
            30,
            60,
            "discuss the agenda at the table|talk with everyone at the meeting|"
            "listen to the discussion",
        ),
        _s("desk", "write,work", 10, 20, "take notes|write down the decisions", optional=0.6),
        arenas="meeting,office",
    ),
    _r(
        "desk_work",
        "grade paper office prepare desk paperwork letter budget plan email catalogue article "
        "mark essay permit update document post report agenda file",
        "",
        _s(
            "desk",
            "work",
            40,
            80,
            "work through papers at the desk|go over documents|work at the desk",
        ),
        _s("desk", "write", 10, 30, "write replies|write up notes", optional=0.7),
        _s("bookshelf", "browse", 5, 15, "look up a reference", optional=0.3),
        arenas="office",
    ),
    _r(
        "garden",
        "garden tend water plant flower weed prune hedge herb bush seedling bulb mulch rake dig "
        "gardening",
        "flower beds",
        _s(
            "garden",
            "garden",
            30,
            60,
            "weed the flower beds|prune the bushes|plant new seedlings",
            group=1,
        ),
        _s("garden", "water plants", 10, 25, "water the plants|water the flower beds", group=1),
        _s("bench", "rest", 5, 10, "rest on a bench", optional=0.3),
    ),
    _r(
        "paint",
        "paint sketch canvas watercolour colour easel draw sketchbook",
        "",
        _s("easel", "paint", 40, 80, "paint at the easel|work on the canvas|mix colours and paint"),
        _s("sink", "wash", 3, 6, "rinse the brushes|clean the brushes", optional=0.4, fixed=True),
        _s(
            "bench,table,sofa,fountain",
            "sit",
            30,
            60,
            "sketch in a notebook|draw the view",
            fallback=True,
        ),
        arenas="studio",
    ),
    _r(
        "read",
        "read book novel chapter reread biography story stories poetry magazine",
        "curl up with, settle in with, get lost in",
        _s("", "make tea", 3, 6, "make a cup of tea|pour some water", optional=0.3, fixed=True),
        _s(
            "bookshelf",
            "browse",
            3,
            8,
            "pick a book from the shelf|browse the bookshelf",
            optional=0.5,
        ),
        _s(
            "sofa,bench,table,bed",
            "read",
            30,
            60,
            "read quietly|read a few chapters|settle in and read",
        ),
        arenas="living,lounge,library",
    ),
    _r(
        "tv",
        "tv movie news film watch show documentary",
        "",
        _s("sofa", "sit", 2, 4, "settle on the sofa|get comfortable", optional=0.6, fixed=True),
        _s("tv,sofa", "watch tv", 30, 60, "watch TV|watch a film|watch the news"),
        arenas="living,lounge",
    ),
    _r(
        "music",
        "piano music song record compose rehearse practise practice band hum guitar violin tune "
        "scale lesson concert radio listen album jazz",
        "",
        _s("piano", "play music", 5, 10, "warm up with scales|play an easy piece", optional=0.5),
        _s(
            "piano",
            "play music",
            30,
            60,
            "play the piano|practise scales on the piano|play a new song",
        ),
        _s(
            "sofa,bench,table,bed",
            "rest,sit",
            20,
            40,
            "listen to music|play a few tunes|practise quietly",
            fallback=True,
        ),
    ),
    _r(
        "bar_visit",
        "drink beer wine pub bar band live friend pint meet",
        "",
        _s("bar", "order", 3, 6, "order a drink at the bar|order a glass of wine|order a beer"),
        _s("bar,table", "drink", 20, 40, "sip the drink|enjoy a drink"),
        _s(
            "table,bar",
            "chat",
            15,
            30,
            "chat with friends|talk with the people nearby",
            optional=0.7,
        ),
    ),
    _r(
        "cafe_visit",
        "coffee latte cafe croissant tea cappuccino friend meet sit people-watch",
        "a coffee, for coffee, a latte, a cappuccino",
        _s("counter", "order", 3, 5, "order a coffee|order a latte at the counter"),
        _s("table", "sit", 15, 30, "sip the coffee at a table|sit by the window with the coffee"),
        _s("table", "chat", 10, 20, "chat with friends", optional=0.5),
        _s("counter", "pay", 2, 3, "pay for the coffee", optional=0.5),
    ),
    _r(
        "shopping",
        "buy grocery groceries shopping shop gift flour errand",
        "pick up",
        _s("shelf", "browse", 5, 15, "browse the shelves|look for {food}|compare prices"),
        _s("shelf", "pick", 5, 10, "pick what is on the list|put things in the basket"),
        _s("counter", "pay", 2, 5, "pay at the counter|pay the cashier"),
        arenas="store,shop",
    ),
    _r(
        "shop_work",
        "stock shelf shelves restock counter customer delivery storeroom store run fill till price "
        "unpack haggle supplier open close",
        "",
        _s(
            "counter",
            "work,serve",
            40,
            80,
            "serve customers at the counter|run the register",
            group=1,
        ),
        _s("shelf", "stock", 20, 40, "stock the shelves|restock items|unpack deliveries", group=1),
        role="shopkeeper",
    ),
    _r(
        "library_work",
        "shelve book catalogue visitor library",
        "",
        _s("bookshelf", "browse", 30, 60, "shelve returned books|sort the shelves"),
        _s("desk,table", "work", 20, 40, "help visitors at the desk|catalogue new books"),
        role="librarian",
        arenas="library",
    ),
    _r(
        "walk",
        "walk stroll jog run yoga sunset river air people-watch workout exercise swim lap sprint "
        "interval",
        "fresh air",
        _s("", "walk", 15, 30, "stroll along the path|walk around|take a slow walk"),
        _s(
            "bench,fountain",
            "sit,rest",
            10,
            20,
            "sit down for a while|take a short rest|sit and watch people go by",
            optional=0.7,
        ),
        objectless=True,
    ),
    _r(
        "party",
        "party celebration festival dance decorate gift",
        "",
        _s("table,bar,fountain,bench", "chat", 30, 60, "chat with the guests|mingle and chat"),
        _s("counter,bar", "order", 5, 10, "get a drink", optional=0.5),
        _s("", "dance", 15, 30, "dance with friends", optional=0.5),
    ),
    _r(
        "social",
        "chat talk friend neighbour neighbor visit gossip voter leaflet campaign canvass poster "
        "call phone ring",
        "catch up with",
        _s(
            "table,bench,fountain,bar,sofa",
            "chat",
            30,
            60,
            "chat with friends|catch up with neighbours|talk about the week",
        ),
    ),
    _r(
        "write",
        "write journal letter diary edit chapter draft jot rewrite speech poem newsletter essay "
        "paragraph page column writing",
        "plan the week, ideas for",
        _s("desk,table", "write", 30, 60, "write a few pages|write letters|put thoughts on paper"),
    ),
    _r(
        "chores",
        "tidy clean chore laundry dish houseplant wipe",
        "the dishes, tidy the kitchen, clean the kitchen",
        _s("sink", "wash,wash dishes", 10, 20, "wash the dishes|wipe the counters", group=1),
        _s("", "tidy up", 15, 30, "tidy up the room|put things away", group=1),
        arenas="kitchen",
    ),
    _r(
        "relax",
        "relax rest unwind sofa chill lounge break feet",
        "take it easy",
        _s(
            "sofa,bench,fountain,bed,table",
            "rest,sit",
            30,
            60,
            "relax for a while|put feet up and relax|sit back and rest",
        ),
        _s("", "make tea", 3, 6, "make a cup of tea", optional=0.3, fixed=True),
        arenas="living,lounge",
    ),
    _r(
        "bake",
        "bake cake bread cookie scone muffin biscuit dough pastry pie loaf recipe batch",
        "",
        _s(
            "fridge",
            "get food",
            3,
            6,
            "get butter and eggs from the fridge|take out the ingredients",
        ),
        _s("table", "work", 10, 20, "mix the dough at the table|weigh and mix the ingredients"),
        _s("stove", "cook", 20, 40, "bake it in the oven|bake the batch|keep an eye on the oven"),
        _s("sink", "wash dishes", 5, 10, "wash the bowls|clean up the kitchen", optional=0.7),
        arenas="kitchen",
    ),
    _r(
        "work",
        "work job task project shift",
        "",
        _s("desk,counter,table", "work", 40, 80, "get through the task list|focus on the work"),
        _s("desk,table", "write", 10, 20, "write a report", optional=0.4),
        arenas="office",
    ),
)
