"""The words and frames of the stand-in's reactions to a memory that came to mind (data for
:mod:`aga_npc.offline.reactions`).

``THINGS`` sorts the nouns a memory may name into kinds; ``STYLES`` tells a persona's ways
of going about things from its words; a frame (``style | where | template``) is a reaction
of one style ("-": anyone) to a kind of thing (``THING_FRAMES``), a person
(``PERSON_FRAMES``) or a kind of place (``PLACE_FRAMES``), done at home or at a place of
the type ``where`` names. Templates are :mod:`aga_npc.offline.paraphrase` templates:
``~verb``, ``{thing}`` (the noun as the memory names it), ``{who}``, ``{place}``,
``{poss}``, and the persona's ``{topic}``, ``{past}`` (a former job) and ``{concern}``.

No template names a meal (a wish lands at whatever hour is free) or another job's work
(``tests/offline/test_reactions.py`` checks every reaction against the persona check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "DULL",
    "PAIRS",
    "PERSON_FRAMES",
    "PLACE_FRAMES",
    "STYLES",
    "THINGS",
    "THING_FRAMES",
    "Frame",
]


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


THINGS: Mapping[str, frozenset[str]] = {
    "kitchen": _set(
        "stove oven pot pan pans kettle fridge dishes plates cups mugs kitchen soup stew "
        "bread eggs spices jar jars teapot recipe ingredients leftovers groceries"
    ),
    "paper": _set(
        "desk papers notes letter letters cards notebook journal pen postcard diary "
        "accounts photographs photos map"
    ),
    "rest": _set("sofa couch armchair cushions blanket curtains window windows lamp clock bed"),
    "screen": _set("tv television film films radio news"),
    "music": _set("piano guitar records record song songs tunes music band violin"),
    "books": _set("book books bookshelf novel novels poems poetry library reference"),
    "outdoors": _set(
        "bench benches fountain pond river trees tree ducks pigeons birds grass path "
        "flowers garden roses sunset walk stroll"
    ),
    "shopping": _set("cashier basket market shelf shop"),
    "drinks": _set("bar drinks glasses pint pints wine cider beer"),
    "cafe": _set("coffee latte tea cake scones cappuccino cafe counter menu"),
    "art": _set("easel canvas painting paint sketch blackboard chalk"),
    "party": _set(
        "party decorations streamers balloons invitations anniversary birthday birthdays"
    ),
    "table": _set("table tables chairs chair tablecloth"),
}
"""Kinds of things by the nouns that name them in a memory."""
PAIRS: Mapping[str, str] = {
    "place cards": "party",
    "coffee beans": "cafe",
    "beer cellar": "drinks",
}
DULL = _set("toilet teeth shower sink bath towel pyjamas underwear bin rubbish asleep")
"""Things no reaction is built on (the memory is passed over)."""

STYLES: Mapping[str, frozenset[str]] = {
    "curious": _set(
        "student studies study curious scientist researcher professor teacher learning "
        "chemistry physics history reader pharmacist inquisitive"
    ),
    "storyteller": _set("storyteller stories story writer tells talkative chatty poet"),
    "organiser": _set("organised organized bossy planner plans notebook accounts methodical"),
    "host": _set("warm generous helpful friendly kind caring hospitable sociable"),
    "maker": _set(
        "bakes baking cook cooking cooks builds handy crafts knits gardener fisherman "
        "carpenter woodwork"
    ),
}
"""Ways of going about things, by the persona words that show them."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A reaction: a marked template (``~verb``), the persona style it needs ("" for
    anyone) and where it happens ("home" or a place type)."""

    style: str
    where: str
    text: str


def _frames(rows: str) -> tuple[Frame, ...]:
    """``style | where | template`` lines (style "-" for anyone)."""
    out = []
    for line in rows.strip().splitlines():
        style, where, text = (p.strip() for p in line.split("|", 2))
        out.append(Frame("" if style == "-" else style, where, text))
    return tuple(out)


THING_FRAMES: Mapping[str, tuple[Frame, ...]] = {
    "kitchen": _frames("""
        - | home | ~give {thing} a proper clean
        - | home | ~cook something slow and warming for the evening
        - | shop | ~buy a few things at {place} to cook something new
        - | home | ~clear out the fridge and ~make a soup from what is left
        - | home | ~try pickling some vegetables
        - | home | ~make a batch of lemon biscuits
        curious | home | ~read up on the science of baking bread
        curious | home | ~try a recipe from an old cookbook
        curious | home | ~work out why the last loaf did not rise
        storyteller | home | ~write down the recipe {poss} mother used to make
        storyteller | home | ~cook something from {poss} {past} days
        organiser | home | ~plan the cooking for the week ahead
        organiser | home | ~sort the kitchen cupboards and ~label the jars
        organiser | home | ~write out {poss} favourite recipes in a notebook
        host | home | ~cook a big pot of stew to share with {who}
        host | home | ~bake a loaf of bread to give to {who}
        host | home | ~make a fruit cake for the neighbours
        maker | home | ~make jam from scratch
        maker | home | ~make butter in a jar
        maker | home | ~make fresh pasta by hand
        - | home | ~make dumplings for the first time
        - | home | ~make a pot of soup for the freezer
        curious | home | ~test which way of boiling an egg works best
        host | home | ~make a tray of flapjacks for {who}
        maker | home | ~tie fishing flies at the kitchen table
    """),
    "paper": _frames("""
        - | home | ~sort through {thing} and ~throw out what is not needed
        - | home | ~enter a competition from the newspaper
        - | home | ~put old photographs into an album
        - | home | ~fill in a crossword from an old newspaper
        curious | home | ~write up notes on {topic} for the week
        curious | cafe | ~read over old notes on {topic} at {place}
        curious | home | ~start a journal of things to learn
        storyteller | home | ~write down an old story from {poss} {past} days
        storyteller | home | ~write a short story about {thing}
        storyteller | home | ~write a funny poem for a friend
        organiser | home | ~draw up a list of everything to do this week
        organiser | home | ~put {poss} old papers in order
        organiser | home | ~go through the household bills
        host | home | ~write a card to {who}
        host | home | ~write thank-you notes to friends
        maker | home | ~make a notebook out of scrap paper
        maker | home | ~fold paper cranes
        - | home | ~write a letter to the local newspaper
        - | home | ~plan a day trip to the coast
        curious | home | ~write down questions to look up later
        storyteller | home | ~start writing a memoir
        host | home | ~plan a games evening for the neighbours
    """),
    "rest": _frames("""
        - | home | ~rearrange the living room furniture
        - | home | ~give the curtains a wash and ~open up the windows
        - | home | ~do some stretches on the living room floor
        curious | home | ~curl up on the sofa with a book on {topic}
        storyteller | home | ~sit by the window and ~remember {poss} {past} days
        organiser | home | ~make a plan to redecorate the living room
        host | home | ~make the living room cosy for guests
        maker | home | ~sew new cushion covers
        maker | home | ~knit a blanket for the sofa
        - | home | ~move the armchair over to the window
        - | home | ~light a candle and ~listen to the rain
        curious | home | ~learn a few words of a new language
        storyteller | home | ~sit in the armchair and ~think about the old days
        host | home | ~air the spare room for visitors
    """),
    "screen": _frames("""
        - | home | ~watch a silent comedy
        - | home | ~phone in to a radio quiz
        - | home | ~watch a nature documentary
        curious | home | ~watch a documentary about {topic}
        curious | home | ~listen to a science programme on the radio
        storyteller | home | ~listen to a storytelling programme on the radio
        organiser | home | ~pick out films for the week and ~write them down
        host | home | ~invite {who} round to watch a film
        maker | home | ~fix the old radio
        - | home | ~listen to the football on the radio
        curious | home | ~listen to a history podcast
        storyteller | home | ~watch an old western
        host | home | ~record a programme for {who}
    """),
    "music": _frames("""
        - | home | ~make a mixtape of old favourites
        - | bar | ~listen to the live music at {place}
        - | home | ~dance around the living room to the radio
        curious | home | ~read about the composer of a favourite piece
        storyteller | home | ~sing the old songs from {poss} {past} days
        storyteller | bar | ~sing an old sea shanty at {place}
        organiser | home | ~catalogue the old records in a notebook
        host | home | ~put together a playlist for {who}
        maker | home | ~try to learn a tune by ear
        maker | home | ~make a wind chime from old spoons
        - | home | ~learn the words of a new song
        curious | home | ~learn to read sheet music
        host | home | ~sing along with {who} to old songs
        storyteller | home | ~hum the tunes of the old dance halls
    """),
    "books": _frames("""
        - | home | ~read an atlas and ~pick a place to visit one day
        - | park | ~learn a poem by heart under a tree in {place}
        - | home | ~write a review of the last book read
        curious | college | ~look for a book on {topic} in the library at {place}
        curious | home | ~read a popular science book
        curious | home | ~read a biography of a famous scientist
        storyteller | home | ~read a collection of old folk tales
        storyteller | home | ~read an adventure novel about the sea
        organiser | home | ~sort {poss} bookshelf by author
        host | home | ~lend a favourite book to {who}
        host | cafe | ~start a book swap at {place}
        maker | home | ~repair the spine of an old book
        - | home | ~read poetry aloud
        curious | home | ~read up on the history of the town
        storyteller | home | ~read a book of ghost stories
        organiser | home | ~make a list of books to read this year
        host | home | ~read a story aloud to {who}
    """),
    "outdoors": _frames("""
        - | park | ~sit on a bench in {place} and ~watch the birds
        - | square | ~sit by the fountain in {place} and ~watch people go by
        - | park | ~count the different trees in {place}
        - | park | ~skip stones on the pond in {place}
        - | park | ~lie on the grass in {place} and ~look at the clouds
        curious | park | ~identify the birds in {place} with a guidebook
        curious | park | ~collect leaves in {place} and ~look them up
        storyteller | square | ~tell stories to whoever sits by the fountain in {place}
        storyteller | park | ~watch the boats on the river in {place} and ~think up a tale
        organiser | park | ~plan a picnic in {place} for the weekend
        organiser | park | ~time a lap of {place} with a stopwatch
        host | park | ~ask {who} along for a walk in {place}
        host | park | ~bring a flask of tea to share in {place}
        maker | park | ~make a daisy chain in {place}
        maker | park | ~pick wild flowers in {place} to press
        - | park | ~look for blackberries in {place}
        - | square | ~watch a street musician in {place}
        curious | park | ~look for frogs by the pond in {place}
        storyteller | park | ~fish from the river bank in {place}
        host | square | ~hand out flowers to passers-by in {place}
        maker | park | ~whittle a stick on a bench in {place}
    """),
    "shopping": _frames("""
        - | shop | ~browse {place} for something new to try
        - | home | ~sort out the cupboard under the stairs
        - | shop | ~look for a new houseplant at {place}
        curious | shop | ~read the labels on everything at {place}
        organiser | home | ~work out a budget for the month
        host | shop | ~pick up a small gift for {who} at {place}
        maker | shop | ~buy wool at {place} for a new project
        maker | shop | ~buy seeds at {place} for the window box
        - | shop | ~compare the price of tea at {place}
        curious | shop | ~look for an unusual spice at {place}
        host | shop | ~buy biscuits at {place} to share with {who}
        organiser | shop | ~stock up on candles and matches at {place}
    """),
    "drinks": _frames("""
        - | bar | ~have a quiet drink at {place}
        - | home | ~make iced tea with mint
        - | bar | ~play darts at {place}
        curious | bar | ~try a new kind of cider at {place}
        curious | bar | ~join the quiz night at {place}
        storyteller | bar | ~swap stories over a drink at {place}
        organiser | home | ~plan a night out with friends
        host | bar | ~buy {who} a drink at {place}
        maker | home | ~try making ginger beer at home
        maker | home | ~make elderflower cordial
        - | bar | ~play dominoes at {place}
        curious | bar | ~watch a game of pool at {place}
        organiser | bar | ~book a table at {place} for the weekend
        storyteller | bar | ~listen to the old-timers' stories at {place}
    """),
    "cafe": _frames("""
        - | cafe | ~try something new with a coffee at {place}
        - | home | ~brew a pot of tea and ~sit a while
        - | cafe | ~sit in the window at {place} and ~people-watch
        curious | cafe | ~read the newspaper over a coffee at {place}
        curious | home | ~try brewing coffee a new way
        storyteller | cafe | ~tell {who} an old story over coffee at {place}
        organiser | cafe | ~plan the week over a coffee at {place}
        host | cafe | ~treat {who} to a slice of cake at {place}
        maker | home | ~make fudge
        maker | home | ~make a batch of cinnamon buns
        - | cafe | ~write postcards at {place}
        - | home | ~try a new herbal tea
        curious | cafe | ~ask about the coffee beans at {place}
        host | cafe | ~bring a friend to {place} for hot chocolate
        organiser | cafe | ~put up a notice at {place}
    """),
    "art": _frames("""
        - | home | ~sketch {thing} from memory
        - | park | ~photograph the light in {place}
        - | home | ~colour in a pattern book
        curious | home | ~read about a famous painter
        storyteller | home | ~draw a scene from {poss} {past} days from memory
        storyteller | home | ~draw a comic strip
        organiser | home | ~frame a few old drawings and ~hang them up
        maker | home | ~make a mosaic from broken tiles
        maker | home | ~carve a little figure from a piece of wood
        - | square | ~sketch the old buildings around {place}
        curious | home | ~try painting with only three colours
        host | home | ~paint a picture for {who}
        maker | home | ~paint an old chair a bright colour
    """),
    "party": _frames("""
        - | home | ~learn the steps of an old waltz for the party
        - | shop | ~buy a present for the party at {place}
        - | home | ~practise a dance for the party
        curious | home | ~look up party games for the party
        storyteller | home | ~think up a story to tell at the party
        storyteller | home | ~write a toast for the party
        organiser | home | ~draw up a list of who is coming to the party
        host | home | ~make decorations for the party
        host | home | ~plan a surprise for the party
        maker | home | ~make paper crowns for the party
        maker | home | ~make paper lanterns for the party
        - | home | ~iron a shirt for the party
        curious | home | ~learn a magic trick for the party
        host | home | ~help {who} get ready for the party
        organiser | home | ~plan the music for the party
    """),
    "table": _frames("""
        - | home | ~oil the squeaky door hinges
        - | home | ~build a house of cards
        - | home | ~play a board game
        curious | home | ~spread out notes on {topic} on the table
        curious | home | ~work through a book of chess puzzles
        storyteller | home | ~play cards and ~tell old stories with {who}
        organiser | home | ~label the drawers of the dresser
        host | home | ~invite {who} round for tea
        maker | home | ~sand and ~oil the old table
        maker | home | ~build a birdhouse at the table
        - | home | ~lay the table with the best china
        curious | home | ~do a logic puzzle at the table
        host | home | ~set up a card table for {who}
        storyteller | home | ~teach {who} an old card game
    """),
}
"""Reactions to a kind of thing, by style."""

PERSON_FRAMES: tuple[Frame, ...] = _frames("""
    - | home | ~call {who} to talk about {concern}
    - | {rel} | ~drop in on {who} at {place}
    - | home | ~look through old photos of {who}
    - | square | ~walk around {place} hoping to run into {who}
    curious | cafe | ~ask {who} for advice about {concern} at {place}
    curious | home | ~look up something {who} mentioned
    storyteller | home | ~tell {who} about {poss} years as a {past}
    storyteller | cafe | ~tell {who} an old story at {place}
    organiser | home | ~plan a get-together with {who}
    organiser | home | ~write {who}'s birthday in the calendar
    host | home | ~invite {who} round for tea
    host | home | ~bake something for {who}
    host | park | ~take {who} for a walk in {place}
    maker | home | ~make a small gift for {who}
    maker | park | ~ask {who} along for a walk in {place}
    - | home | ~send {who} a postcard
    - | cafe | ~leave a note for {who} at {place}
    - | home | ~think over the last talk with {who}
    curious | home | ~write down what {who} said to think it over
    storyteller | bar | ~tell {who} tall tales at {place}
    organiser | home | ~plan a day out with {who}
    host | home | ~help {who} with a chore
    host | cafe | ~save {who} a seat at {place}
    maker | home | ~fix something for {who}
""")
"""Reactions to a person a memory names, by style (``{rel}``: the type of the place of
the relation the memory states, "cafe owner" -> cafe)."""

PLACE_FRAMES: Mapping[str, tuple[Frame, ...]] = {
    "cafe": _frames("""
        - | cafe | ~try a new kind of tea at {place}
        curious | cafe | ~do the crossword at a corner table in {place}
        host | cafe | ~meet a friend at {place}
    """),
    "bar": _frames("""
        - | bar | ~watch the football at {place}
        storyteller | bar | ~tell tall tales at {place}
        curious | bar | ~join the quiz night at {place}
    """),
    "college": _frames("""
        - | college | ~go to a public talk at {place}
        curious | college | ~browse the noticeboards at {place} for evening courses
        organiser | college | ~sign up for an evening course at {place}
    """),
    "park": _frames("""
        - | park | ~join a game of frisbee in {place}
        maker | park | ~fly a home-made kite in {place}
        storyteller | park | ~tell the children in {place} a story
    """),
    "square": _frames("""
        - | square | ~browse the market stalls in {place}
        host | square | ~chat with neighbours in {place}
        curious | square | ~read the plaques on the old buildings in {place}
    """),
    "hall": _frames("""
        - | hall | ~read the notices at {place}
        organiser | hall | ~go to a town meeting at {place}
        curious | hall | ~look at the old town maps at {place}
    """),
    "shop": _frames("""
        - | shop | ~look at the noticeboard at {place}
        host | shop | ~pick up flowers at {place} for a friend
    """),
}
"""Reactions to a place a memory names, by its type (the place itself)."""
