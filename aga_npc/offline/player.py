"""The offline ``player_reply`` answer: the NPC's reply to the player as the JSON a model
gives (``{"reply", "intent", "invitation", "tone"}``), with the intent, tone and
invitation read from the player's words (``aga_npc.social.player_talk``).

The reply answers what was asked - what the NPC is doing (its plan's activity now and
next), where someone is (what it saw of them), what it thinks of someone (its Social
Memory row), an invitation (accepted at a place of the town later today, else why not),
small talk, goodbye -, in the first person, by the player's name when known. It goes on
from the conversation so far: no second introduction, and no sentence the NPC already said
in it. Only a place's own staff at work welcome the player to it. Injections are deflected.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.dialogue import Talker, opinion
from aga_npc.offline.facts import first_name
from aga_npc.offline.phrasing import pick, render_json
from aga_npc.offline.roles import role_for
from aga_npc.offline.speech import (
    part_of_day,
    sentences,
    soft_lower,
    to_first_person,
    to_second_person,
)
from aga_npc.planning.schedule import format_hhmm, parse_hhmm
from aga_npc.social.player_talk import read_intent, read_invitation, read_tone

__all__ = ["answer_player_reply", "is_injection", "player_words"]

_QUOTE = re.compile(r'<<player>>"(.*?)"<</player>>', re.S)
_INJECTION = re.compile(
    r"ignore (all |any |the |your )?(previous|prior|above|earlier)|you are now|system prompt|"
    r"(your|the) instructions|developer mode|pretend (to be|you are)|\bact as\b|"
    r"forget (everything|who you are|your)|\breveal\b|jailbreak|new persona|roleplay as|"
    r"disregard|\bprompt\b|as an ai|language model",
    re.I,
)
_SEEN = re.compile(
    r"^([A-Z][\w'-]*(?: [A-Z][\w'-]*)*) (?:is|was) (.+?) (?:at|in) (?:the )?"
    r"([A-Z][\w']*(?: [A-Z][\w']*)*)\.?$"
)
_TOPIC = re.compile(r"\b(?:about|of) ((?:the |your |my )?[\w' -]+?)(?:[.?!,]|$)", re.I)
_HURT = frozenset(("hurt", "annoyed", "wary", "uneasy", "offended", "angry", "upset", "cold"))


def player_words(task: str) -> str:
    """The player's quoted words inside the task text ("" when absent)."""
    match = _QUOTE.search(task)
    return match.group(1) if match else ""


def is_injection(text: str) -> bool:
    """Whether the player tries to change the NPC's identity or extract its instructions."""
    return bool(_INJECTION.search(text))


def _norm(sentence: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", sentence.lower()).strip()


class _Voice:
    """Picks sentences the NPC has not said yet in this conversation."""

    def __init__(self, rng: random.Random, said_before: Sequence[str]) -> None:
        self.rng = rng
        self.used = {_norm(s) for line in said_before for s in sentences(line)}

    def pick(self, options: Sequence[str]) -> str:
        fresh = [o for o in options if not all(_norm(s) in self.used for s in sentences(o))]
        choice = pick(self.rng, fresh or options)
        self.used.update(_norm(s) for s in sentences(choice))
        return choice


def answer_player_reply(context: Mapping[str, Any], task: str, rng: random.Random) -> str:
    """The completion text: one JSON object (see the module doc)."""
    you = context.get("you") if isinstance(context.get("you"), Mapping) else {}
    me = Talker.from_context(you or {}, context.get("social_memory"), context.get("memories"))
    said = player_words(task)
    place = str(context.get("place") or "")
    time = str(context.get("time") or "")
    who = context.get("player")
    player = str(who.get("name") or "") if isinstance(who, Mapping) else ""
    history = [
        (str(x[0]), str(x[1]))
        for x in context.get("history") or ()
        if isinstance(x, Sequence) and not isinstance(x, str) and len(x) == 2
    ]
    mine = [line for w, line in history if w != "player"]
    voice = _Voice(rng, mine)
    people = context.get("people") if isinstance(context.get("people"), Mapping) else {}
    places = [str(p) for p in context.get("places") or () if isinstance(p, str)]
    doing = context.get("doing") if isinstance(context.get("doing"), Mapping) else {}
    to = f", {player}" if player else ""
    if is_injection(said):
        deflect = voice.pick(
            (
                f"I'm {me.persona.name}, and I'm afraid I don't follow you.",
                f"Ha, you're a strange one. I'm just {me.persona.name}, nothing more.",
                f"I don't know what you mean by that - I'm {me.persona.name}, same as always.",
                f"That makes no sense to me{to}. I'm {me.persona.name}, that's all.",
                f"Sorry{to}, you've lost me there. I'm {me.persona.name}.",
            )
        )
        return _render(
            rng, [deflect, _busy(me, doing or {}, voice)], "small_talk", None, "neutral", voice
        )
    intent = read_intent(said, people=list(people or {}))
    tone = read_tone(said)
    parts: list[str] = []
    if not history:
        hello = _hello(me, place, time, voice, player)
        if intent not in ("greeting", "small_talk", "name"):
            hello = sentences(hello)[0]  # the answer comes first, the greeting stays short
        parts.append(hello)
    invitation: dict[str, Any] | None = None
    if intent == "invitation":
        line, invitation = _invitation(me, said, places, time, tone, voice, to)
        parts.append(line)
    elif intent == "goodbye":
        parts.append(
            voice.pick(
                (
                    f"Bye{to}! Take care.",
                    f"See you around{to}!",
                    f"Good talking to you{to}. Bye!",
                    f"Take care{to}, and come by again.",
                    "Bye now - enjoy the rest of your day!",
                )
            )
        )
        return _render(rng, parts, intent, None, tone, voice)
    elif tone == "rude":
        parts.append(
            voice.pick(
                (
                    "Well, that's not a very nice thing to say.",
                    "Wow. I don't think I deserved that.",
                    "That hurt, you know.",
                    "There's no need to be rude.",
                    "I'd rather you didn't talk to me like that.",
                )
            )
        )
    elif intent == "doing":
        parts.append(_doing_now(me, doing or {}, voice))
    elif intent == "where":
        parts.append(_where(me, said, people or {}, voice))
    elif intent == "opinion":
        parts.append(_opinion(me, said, people or {}, voice, rng))
    elif intent == "name":
        parts.append(_intro(me) if history else voice.pick((_self_line(me),)))
    elif intent == "greeting":
        if history:
            parts.append(voice.pick((f"Hello again{to}!", f"Hi again{to}!", "Yes, hello!")))
    else:
        parts.append(_small_talk(me, said, tone, voice, to, doing or {}))
    if len(parts) < 2 and tone != "rude" and intent in ("greeting", "small_talk", "name"):
        extra = _mention(me, player, voice)
        parts.append(extra or _busy(me, doing or {}, voice))
    return _render(rng, parts, intent, invitation, tone, voice)


def _render(
    rng: random.Random,
    parts: Sequence[str],
    intent: str,
    invitation: dict[str, Any] | None,
    tone: str,
    voice: _Voice,
) -> str:
    seen: set[str] = set()
    kept = []
    for s in sentences(" ".join(p for p in parts if p)):
        key = _norm(s)
        if key and key not in seen:
            seen.add(key)
            kept.append(s)
    reply = " ".join(kept[:4]) or voice.pick(_FILLERS)
    value = {"reply": reply, "intent": intent, "invitation": invitation, "tone": tone}
    return render_json(rng, value, fence=0.05, compact=0.7)


_FILLERS = (
    "Hmm, let me think about that.",
    "I'm not sure, honestly.",
    "Well, that's something to think about.",
    "Funny you should say that.",
    "I hadn't thought of it like that.",
    "Interesting!",
)


def _hello(me: Talker, place: str, time: str, voice: _Voice, player: str) -> str:
    """The first words of a dialogue, by how well the NPC knows the player. Only a place's
    own staff welcome the player to it."""
    tod = part_of_day(time)
    first = me.persona.first
    to = f", {player}" if player else ""
    staff = bool(place) and place == me.persona.workplace
    if me.relationship in ("", "unknown", "stranger"):
        where = f" Welcome to {place}!" if staff else ""
        return voice.pick(
            (
                f"Hello there{to}, I'm {first}.{where}",
                f"Hi{to}, I don't think we've met - I'm {first}.{where}",
                f"Good {tod}{to}! I'm {first}, nice to meet you.{where}",
            )
        )
    if me.feeling in _HURT:
        return voice.pick((f"Oh. It's you{to}.", f"Hello{to}.", "Oh, hi."))
    return voice.pick((f"Oh, hello again{to}!", f"Hi{to}, good to see you!", f"Good {tod}{to}!"))


def _self_line(me: Talker) -> str:
    return _intro(me)


def _intro(me: Talker) -> str:
    """ "I'm <name>, <what they do>." in one sentence."""
    p = me.persona
    role = role_for(p)
    if p.workplace and role.key == "student":
        return f"I'm {p.name}, a student at {p.workplace}."
    if p.workplace and role.key != "worker":
        return f"I'm {p.name}, the {p.role or role.key} at {p.workplace}."
    if p.workplace:
        return f"I'm {p.name}, and I work at {p.workplace}."
    return f"I'm {p.name}, I live at {p.home}." if p.home else f"I'm {p.name}, I live here in town."


_DOUBLE = frozenset(
    (
        *("sit", "run", "get", "put", "shop", "stop", "plan", "chat", "jog", "swim", "set"),
        *("dig", "nap", "skip", "mop", "hug", "cut", "begin", "jot", "scrub", "drop", "trim"),
    )
)
_ING = {"be": "being", "see": "seeing", "lie": "lying", "die": "dying", "tie": "tying"}


_BASE = {"has": "have", "does": "do", "goes": "go", "is": "be"}


def _base(verb: str) -> str:
    """ "walks" -> "walk", "watches" -> "watch", "tidies" -> "tidy" (a verb after a name)."""
    if verb in _BASE:
        return _BASE[verb]
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "xes", "sses", "zes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith(("ss", "us", "is")):
        return verb[:-1]
    return verb


def gerund(phrase: str, name: str = "") -> str:
    """ "open the cafe" -> "opening the cafe"; a plan line that starts with the person's
    own name ("Marta walks a few laps") loses it ("walking a few laps"); a phrase already
    in -ing is kept."""
    text = phrase.strip().rstrip(".")
    for n in (name, name.split()[0] if name.split() else ""):
        if n and text.startswith(n + " "):
            rest = text[len(n) + 1 :].split(" ", 1)
            text = " ".join([_base(rest[0].lower()), *rest[1:]])
            break
    words = text.split()
    if not words:
        return ""
    verb = words[0].lower()
    if verb.endswith("ing") or not verb.isalpha():
        return " ".join([verb, *words[1:]])
    if verb in _ING:
        ing = _ING[verb]
    elif verb.endswith("ie"):
        ing = verb[:-2] + "ying"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        ing = verb[:-1] + "ing"
    elif verb in _DOUBLE:
        ing = verb + verb[-1] + "ing"  # "sit" -> "sitting", "shop" -> "shopping"
    else:
        ing = verb + "ing"
    tail = re.sub(r"\b(his|her|their)\b", "my", " ".join(words[1:]))
    return f"{ing} {tail}".strip()


def _doing_now(me: Talker, doing: Mapping[str, Any], voice: _Voice) -> str:
    now = str(doing.get("now") or "")
    nxt = str(doing.get("next") or "")
    at = str(doing.get("next_at") or "")
    if not now:
        return _busy(me, doing, voice)
    g = gerund(now, me.persona.name)
    line = voice.pick(
        (
            f"Right now I'm {g}.",
            f"I'm {g} at the moment.",
            f"Oh, just {g}.",
            f"I was in the middle of {g}.",
            f"At the moment? {g[:1].upper()}{g[1:]}.",
        )
    )
    if nxt and at:
        line += " " + voice.pick(
            (
                f"After that I'm {gerund(nxt, me.persona.name)}, around {at}.",
                f"At {at} I'll be {gerund(nxt, me.persona.name)}.",
                f"Then at {at} it's {gerund(nxt, me.persona.name)}.",
            )
        )
    return line


def _busy(me: Talker, doing: Mapping[str, Any], voice: _Voice) -> str:
    p = me.persona
    now = str(doing.get("now") or "")
    options: list[str] = []
    if now:
        g = gerund(now, me.persona.name)
        options += [f"I should get back to {g} soon.", f"I've been {g} all this time."]
    if p.currently:
        clause = to_first_person(p.currently.split(".")[0], p.name)
        options += [f"These days {soft_lower(clause)}.", f"{clause[:1].upper()}{clause[1:]}."]
    if p.workplace:
        options += [
            f"Work at {p.workplace} keeps me busy.",
            f"It's been a long week at {p.workplace}.",
        ]
    options += ["Just enjoying a quiet day.", "It's been a calm day so far."]
    return voice.pick(options)


def _named(said: str, people: Mapping[str, Any], me: Talker) -> tuple[str, Mapping[str, Any]]:
    for name, known in people.items():
        return str(name), known if isinstance(known, Mapping) else {}
    return "", {}


def _where(me: Talker, said: str, people: Mapping[str, Any], voice: _Voice) -> str:
    name, known = _named(said, people, me)
    if not name:
        return voice.pick(("Sorry, who do you mean?", "Who are you looking for?"))
    first = first_name(name)
    if name == me.persona.name or known.get("who") == "you yourself":
        return voice.pick(("Ha, I'm right here!", "Well, you've found me!"))
    for memory in known.get("memories") or ():
        seen = _SEEN.match(str(memory).strip())
        if seen is not None and first_name(seen.group(1)) == first:
            at = seen.group(3)
            what = seen.group(2)
            return voice.pick(
                (
                    f"Last I saw, {first} was {what} at {at}.",
                    f"I saw {first} at {at} not long ago.",
                    f"Try {at} - that's where I last saw {first}.",
                )
            )
    work = str(known.get("works_at") or "")
    if work:
        return voice.pick(
            (
                f"I haven't seen {first} today. Maybe try {work}, that's where {first} works.",
                f"No idea, sorry - {first} is often at {work} though.",
            )
        )
    return voice.pick(
        (f"Sorry, I haven't seen {first} around today.", f"I couldn't tell you where {first} is.")
    )


def _opinion(
    me: Talker, said: str, people: Mapping[str, Any], voice: _Voice, rng: random.Random
) -> str:
    name, known = _named(said, people, me)
    if not name:
        match = _TOPIC.search(said)
        topic = match.group(1).strip() if match else ""
        if topic.lower() in ("me", "us", "the player"):
            return _of_the_player(me, voice)
        if not topic or topic.lower() in ("it", "that", "this", "you"):
            return voice.pick(("Hmm, I'd have to think about that.", "I'm not sure what to say."))
        return voice.pick(
            (
                opinion(topic, rng),
                f"I don't have strong feelings about {topic}.",
                f"{topic[:1].upper()}{topic[1:]}? It's fine, I suppose.",
            )
        )
    first = first_name(name)
    if name == me.persona.name or known.get("who") == "you yourself":
        return voice.pick(
            (
                "Me? I just try to do my best, I suppose.",
                "Ha, you're asking me about myself? I'm doing all right.",
            )
        )
    feeling = str(known.get("feeling") or "").lower()
    rel = str(known.get("relationship") or "")
    try:
        closeness = float(known.get("closeness") or 0.0)
    except (TypeError, ValueError):
        closeness = 0.0
    options: tuple[str, ...]
    if feeling in _HURT:
        options = (
            f"Honestly, {first} and I don't really get along.",
            f"I'd rather not talk about {first}.",
        )
    elif closeness >= 6:
        options = (
            f"{first} is one of my favourite people in town.",
            f"I'm very fond of {first} - we're {rel or 'close'}.",
            f"{first}? We get on really well.",
        )
    elif closeness >= 3:
        options = (
            f"{first} is nice - we chat now and then.",
            f"I like {first}, though I don't know {first} that well.",
            f"{first} seems kind enough.",
        )
    else:
        options = (
            f"I don't really know {first}, to be honest.",
            f"{first}? We've hardly spoken.",
            f"I've seen {first} around, but that's about it.",
        )
    return voice.pick(options)


def _of_the_player(me: Talker, voice: _Voice) -> str:
    """What the NPC thinks of the player, from its Social Memory row."""
    if me.feeling in _HURT:
        return voice.pick(
            ("Honestly? You hurt my feelings earlier.", "After last time, I'm not so sure.")
        )
    if me.closeness >= 5:
        return voice.pick(("I'm always glad to see you.", "You're a good friend, you know."))
    if me.relationship in ("", "unknown", "stranger"):
        return voice.pick(("I hardly know you yet!", "Ask me again once we've talked more."))
    return voice.pick(("You seem nice enough.", "I like talking with you."))


def _invitation(
    me: Talker,
    said: str,
    places: Sequence[str],
    time: str,
    tone: str,
    voice: _Voice,
    to: str,
) -> tuple[str, dict[str, Any] | None]:
    try:
        now = parse_hhmm(time) if time else 0
    except ValueError:
        now = 0
    inv = read_invitation(said, places=places, now=now)
    field: dict[str, Any] | None = None
    if inv.place or inv.said_place or inv.start is not None:
        field = {
            "place": inv.place or inv.said_place,
            "time": inv.time,
            "accepted": inv.ok and tone != "rude",
        }
    if inv.ok and tone == "rude":
        return voice.pick(("After talking to me like that? No, thank you.",)), field
    if inv.ok:
        return (
            voice.pick(
                (
                    f"Sure{to}! I'll see you at {inv.place} at {inv.time}.",
                    f"{inv.place} at {inv.time}? Count me in.",
                    f"I'd like that - {inv.place}, {inv.time}. See you there!",
                )
            ),
            field,
        )
    if inv.status == "past":
        return (
            voice.pick(
                (
                    f"{inv.time}? That's already gone by today - it's {format_hhmm(now)} now.",
                    f"We'd need to turn back the clock for {inv.time}! It's already "
                    f"{format_hhmm(now)}.",
                )
            ),
            field,
        )
    if inv.status == "other_day":
        return (
            voice.pick(
                (
                    "I don't plan that far ahead - ask me again on the day.",
                    "That's not today, is it? Ask me again then.",
                )
            ),
            field,
        )
    if inv.status == "no_time" and inv.place:
        asked = (f"{inv.place} sounds good - what time?", "Sure, but at what time?")
        return voice.pick(asked), field
    if inv.said_place:
        return (
            voice.pick(
                (
                    f"{inv.said_place[:1].upper()}{inv.said_place[1:]}? I don't know any place "
                    "like that around here.",
                    f"I've never heard of {inv.said_place} - is it in this town?",
                )
            ),
            field,
        )
    return voice.pick(("Where would we meet?", "Meet where, though?")), field


def _small_talk(
    me: Talker, said: str, tone: str, voice: _Voice, to: str, doing: Mapping[str, Any]
) -> str:
    low = said.lower()
    if "how are you" in low or "how's it going" in low or "how are things" in low:
        return voice.pick(
            (
                "I'm well, thank you!",
                "Pretty good, thanks for asking.",
                "Not bad at all.",
                "Can't complain!",
                "A little tired, but good.",
            )
        )
    if tone == "kind":
        return voice.pick(
            (
                f"That's kind of you{to}!",
                "Thank you, that means a lot.",
                "Aw, you're sweet.",
                "That made my day, thank you.",
            )
        )
    if "weather" in low or "sunny" in low or "rain" in low:
        return voice.pick(
            (
                "It's lovely out, isn't it?",
                "The weather's been kind to us lately.",
                "I hope it stays like this all week.",
            )
        )
    if "?" in said:
        return voice.pick(
            (
                "Hmm, let me think about that.",
                "I'm not sure, honestly.",
                "Good question - I've wondered that myself.",
                "I couldn't say for certain.",
            )
        )
    return voice.pick(
        (
            "Oh, really?",
            "That's nice to hear.",
            "Interesting!",
            "I see.",
            "Ha, is that so?",
            "Well, fancy that.",
        )
    )


def _mention(me: Talker, player: str, voice: _Voice) -> str:
    """Something from Social Memory or memories, in the NPC's own voice."""
    facts = [f for f in (_in_my_voice(x, me, player) for x in me.facts) if f]
    if not facts:
        return ""
    fact = pick(voice.rng, facts)
    if len(fact.split()) <= 3:
        return voice.pick(
            (f"Have you heard anything about {fact}?", f"Everyone's talking about {fact} lately.")
        )
    if fact.startswith("you ") or " you" in fact:
        return voice.pick((f"I remember {fact}.", f"Last time, {fact}, didn't you?"))
    if fact.startswith(("I ", "I'm ", "my ")):
        return voice.pick((f"{fact[:1].upper()}{fact[1:]}.", f"Oh, and {fact}."))
    return voice.pick(
        (
            f"By the way, {soft_lower(fact)}.",
            f"Did you know that {soft_lower(fact)}?",
            f"I was just thinking - {soft_lower(fact)}.",
        )
    )


def _in_my_voice(fact: str, me: Talker, player: str) -> str:
    """A fact as the NPC says it to the player: the player as "you", the NPC as "I";
    "" for a fact that quotes what was said (it could carry the player's words back)."""
    text = fact.strip().rstrip(".")
    if not text or '"' in text or "said to" in text or "answered" in text:
        return ""
    text = re.sub(r"\b(?:[Tt]he )?player\b", "the player", text)
    if player:
        text = re.sub(rf"\b{re.escape(player)}\b", "the player", text)
    p = me.persona
    if text.startswith((p.name, p.first + " ")):
        text = to_first_person(text, p.name if text.startswith(p.name) else p.first)
    for name in (p.name, p.first):
        text = re.sub(rf"\b(with|to|and|for|about|from) {re.escape(name)}\b", r"\1 me", text)
    if re.search(rf"\b{re.escape(p.first)}\b", text):
        return ""  # still about itself in the third person: leave it unsaid
    if "the player" in text:
        text = to_second_person(text, "the player")
    return text
