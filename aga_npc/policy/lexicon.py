"""The activity lexicon: loads and checks ``lexicon.toml`` (the words, as data).

Embeddings put "cook dinner" and "eat dinner" close together (0.83 with MiniLM); what tells
them apart is the activity (prepare food vs consume it). The lexicon maps words to a small
set of activity tags and object classes; :mod:`aga_npc.policy.signature` reads texts with
it. The tables (each described in the TOML file's comments):

- ``VERBS``: tag -> words whose lemma names the activity (verbs or activity nouns).
- ``OBJECT_VERBS``: (word, object) -> tag, for verbs whose meaning depends on their object.
- ``PREP_VERBS``: make/prepare-like verb -> its tag when no food or drink follows.
- ``IMPLIED``: objects that imply an activity when no activity word is present.
- ``HEAD_VERBS``: words that name an activity only as a verb (opening the text or a
  clause, or as a gerund): "water the tomatoes", "go fishing"; elsewhere they are nouns
  ("a glass of water", "fish and chips").
- ``CLASSES``: object classes whose members conflict ("breakfast" vs "lunch").
- ``PHRASES``: multi-word expressions (matched on lemmas) rewritten to one token.
- ``PARENTS``: tag -> a more general tag it refines ("mop" -> "clean"): a plan naming the
  general activity may match one naming the specific one, two specific ones never do.
- ``BACKGROUND``: tags that yield the main role to a joined activity ("sit and read").
- ``VAGUE``: tags that name no activity of their own ("spend the afternoon at the cafe"):
  they yield to any other activity in the text, and conflict with every other main one.
- ``GROUPS``: object classes whose members also conflict across the classes (a meal and a
  drink: "meet a friend for lunch" vs "for coffee").
- ``OPPOSITES``: pairs of activity tags that undo each other ("open" and "close").
- ``KIN``: groups of activity tags that can name one activity in other words (weaker
  evidence than one tag, but no conflict).
- ``FUNCTION``: words that name no object (pronouns, determiners, "time", "bit" ...); the
  rest of a text's non-activity words are its objects.
- ``RELATIONS``: people whose home is someone else's ("a friend's house").
- ``COMPANY``: people whose company makes an activity social too ("coffee with a friend").
- ``SYNONYMS``: object words -> the one word their objects are compared by ("television"
  -> "tv").
- ``FRAMES``: phrases around an activity that do not change it ("make time to", "as
  usual"), removed before a text is read; ``NOT_ADVERBS``: -ly words that are not manner
  words (other unknown -ly words are, and are skipped).
- ``LIGHT``, ``FOOD``, ``IRREGULAR``, ``MODIFIERS``, ``PASSIVE``: word lists.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = [
    "BACKGROUND",
    "CLASSES",
    "COMPANY",
    "FOOD",
    "FRAMES",
    "FUNCTION",
    "GROUPS",
    "HEAD_VERBS",
    "IMPLIED",
    "IRREGULAR",
    "KIN",
    "LIGHT",
    "MODIFIERS",
    "NOT_ADVERBS",
    "OBJECT_VERBS",
    "OPPOSITES",
    "PARENTS",
    "PASSIVE",
    "PHRASES",
    "PREP_VERBS",
    "RELATIONS",
    "SYNONYMS",
    "VAGUE",
    "VERBS",
    "Lexicon",
    "parse_lexicon",
]

_RESOURCE = "lexicon.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Lexicon:
    """The checked tables of one lexicon file (see the module docstring)."""

    light: frozenset[str]
    background: frozenset[str]
    vague: frozenset[str]
    function: frozenset[str]
    modifiers: frozenset[str]
    passive: frozenset[str]
    relations: frozenset[str]
    company: frozenset[str]
    food: frozenset[str]
    prep_verbs: dict[str, str]
    phrases: dict[str, str]
    irregular: dict[str, str]
    synonyms: dict[str, str]
    verbs: dict[str, list[str]]
    object_verbs: dict[tuple[str, str], str]
    implied: dict[str, str]
    classes: dict[str, dict[str, tuple[str, ...]]]
    parents: dict[str, str]
    groups: tuple[frozenset[str], ...] = ()
    frames: tuple[str, ...] = ()
    kin: tuple[frozenset[str], ...] = ()
    opposites: tuple[tuple[str, str], ...] = ()
    head_verbs: dict[str, str] = field(default_factory=dict)
    not_adverbs: frozenset[str] = frozenset()


def _fail(source: str, field: str, problem: str) -> ValueError:
    return ValueError(f"{source}: {field}: {problem}")


def _words(raw: dict[str, Any], key: str, source: str) -> frozenset[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise _fail(source, key, "expected a list of non-empty strings")
    return frozenset(value)


def _table(raw: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise _fail(source, key, "expected a table")
    return value


def _str_map(raw: dict[str, Any], key: str, source: str) -> dict[str, str]:
    table = _table(raw, key, source)
    for name, value in table.items():
        if not isinstance(value, str) or not value:
            raise _fail(source, f"{key}.{name}", "expected a non-empty string")
    return dict(table)


def _lists(table: dict[str, Any], field: str, source: str) -> dict[str, list[str]]:
    for name, value in table.items():
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise _fail(source, f"{field}.{name}", "expected a list of non-empty strings")
    return {name: list(value) for name, value in table.items()}


def _object_verbs(raw: dict[str, Any], source: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for verb, tags in _table(raw, "object_verbs", source).items():
        field = f"object_verbs.{verb}"
        if not isinstance(tags, dict):
            raise _fail(source, field, "expected a table of tag = [objects]")
        for tag, objects in _lists(tags, field, source).items():
            for obj in objects:
                if (verb, obj) in out:
                    raise _fail(source, f"{field}.{tag}", f"object {obj!r} already has a tag")
                out[verb, obj] = tag
    return out


def _classes(raw: dict[str, Any], source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for cls, members in _table(raw, "classes", source).items():
        if not isinstance(members, dict):
            raise _fail(source, f"classes.{cls}", "expected a table of member = [forms]")
        checked = _lists(members, f"classes.{cls}", source)
        out[cls] = {member: tuple(forms) for member, forms in checked.items()}
    return out


def parse_lexicon(text: str, source: str = _RESOURCE) -> Lexicon:
    """Parse and check a lexicon in the ``lexicon.toml`` format.

    Args:
        text: the TOML text.
        source: the name used in error messages.

    Returns:
        The checked :class:`Lexicon`. Every meal and drink class form implies its activity
        ("breakfast" -> eat, "tea" -> drink), and every other food word implies eating,
        unless ``implied`` says otherwise.

    Raises:
        ValueError: the text is not TOML or a table is malformed (names the field).
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "(file)", f"not valid TOML: {exc}") from exc
    verbs = _lists(_table(raw, "verbs", source), "verbs", source)
    classes = _classes(raw, source)
    implied = _str_map(raw, "implied", source)
    for cls, activity in (("meal", "eat"), ("drink", "drink")):
        for forms in classes.get(cls, {}).values():
            for form in forms:
                implied.setdefault(form, activity)
    for word in _words(raw, "food", source):  # "have a croissant": eating
        implied.setdefault(word, "eat")
    parents = _str_map(raw, "parents", source)
    for child in parents:
        seen = {child}
        tag = child
        while tag in parents:
            tag = parents[tag]
            if tag in seen:
                raise _fail(source, f"parents.{child}", "the parent chain loops")
            seen.add(tag)
    groups = raw.get("groups", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(c in classes for c in g) for g in groups
    ):
        raise _fail(source, "groups", "expected lists of at least two known class names")
    kin = raw.get("kin", [])
    if not isinstance(kin, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(t, str) and t for t in g)
        for g in kin
    ):
        raise _fail(source, "kin", "expected lists of at least two activity tags")
    opposites = raw.get("opposites", [])
    if not isinstance(opposites, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(t, str) and t for t in p)
        for p in opposites
    ):
        raise _fail(source, "opposites", "expected pairs of activity tags")
    return Lexicon(
        opposites=tuple((p[0], p[1]) for p in opposites),
        kin=tuple(frozenset(g) for g in kin),
        head_verbs=_str_map(raw, "head_verbs", source),
        frames=tuple(sorted(_words(raw, "frames", source))),
        not_adverbs=_words(raw, "not_adverbs", source),
        light=_words(raw, "light", source),
        background=_words(raw, "background", source),
        vague=_words(raw, "vague", source),
        function=_words(raw, "function", source),
        groups=tuple(frozenset(g) for g in groups),
        modifiers=_words(raw, "modifiers", source),
        passive=_words(raw, "passive", source),
        relations=_words(raw, "relations", source),
        company=_words(raw, "company", source),
        food=_words(raw, "food", source),
        prep_verbs=_str_map(raw, "prep_verbs", source),
        phrases=_str_map(raw, "phrases", source),
        irregular=_str_map(raw, "irregular", source),
        synonyms=_str_map(raw, "synonyms", source),
        verbs=verbs,
        object_verbs=_object_verbs(raw, source),
        implied=implied,
        classes=classes,
        parents=parents,
    )


def _packaged() -> Lexicon:
    text = resources.files("aga_npc.policy").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return parse_lexicon(text, f"aga_npc/policy/{_RESOURCE}")


_LEXICON = _packaged()
LIGHT = _LEXICON.light
BACKGROUND = _LEXICON.background
VAGUE = _LEXICON.vague
FUNCTION = _LEXICON.function
GROUPS = _LEXICON.groups
MODIFIERS = _LEXICON.modifiers
PASSIVE = _LEXICON.passive
RELATIONS = _LEXICON.relations
COMPANY = _LEXICON.company
FOOD = _LEXICON.food
PREP_VERBS = _LEXICON.prep_verbs
PHRASES = _LEXICON.phrases
IRREGULAR = _LEXICON.irregular
SYNONYMS = _LEXICON.synonyms
VERBS = _LEXICON.verbs
OBJECT_VERBS = _LEXICON.object_verbs
IMPLIED = _LEXICON.implied
CLASSES = _LEXICON.classes
PARENTS = _LEXICON.parents
FRAMES = _LEXICON.frames
KIN = _LEXICON.kin
OPPOSITES = _LEXICON.opposites
HEAD_VERBS = _LEXICON.head_verbs
NOT_ADVERBS = _LEXICON.not_adverbs
