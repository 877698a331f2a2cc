"""The lookup path of the Lifestyle Policy: which stored routine serves a plan here and now.

Pure reading of a :class:`~aga_npc.policy.table.PlanTable`: scopes in order; in each, only
plans stored for the plan's place; the exact text first, then the nearest stored plans that
pass the same-plan rule, best cosine first, except a routine that does more than the plan
asks (stored for a broader plan, or working where the plan does not:
``lookalike.routine_refusal``); for each plan its variants in order; the first condition
that holds wins, and, for a plan of other words that names an object kind of the world
("on the sofa"), a variant that uses one; a variant that brushes teeth serves only a plan
that speaks of bed, or of getting up and washing. The store counts the outcome and records
the use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from aga_npc.policy.combiner import PhraseVectors
from aga_npc.policy.conditions import check_condition
from aga_npc.policy.entries import PolicyScope, rescale_actions
from aga_npc.policy.lookalike import routine_refusal
from aga_npc.policy.matching import MatchSettings, decide_signatures
from aga_npc.policy.results import LookupReason, LookupResult, better_miss
from aga_npc.policy.signature import Signature, signature
from aga_npc.policy.table import PlanTable
from aga_npc.ports import WorldView
from aga_npc.types import Action

__all__ = ["Query", "find_routine"]

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    """One plan to serve.

    Attributes:
        text: the activity words.
        vector: their embedding (unit or not), or None for exact text only.
        place: where the plan is (``@home``, ``@work`` or a sector).
        agent: who will act (conditions are evaluated for this agent).
        world: the live world view.
        duration: minutes the plan should take (actions are rescaled), or None.
        parts: the vectors of the text's parts (the learned same-plan rule), or None.
    """

    text: str
    vector: FloatArray | None
    place: str
    agent: str
    world: WorldView
    duration: int | None = None
    parts: PhraseVectors | None = None


def find_routine(
    table: PlanTable,
    query: Query,
    scopes: Sequence[PolicyScope],
    match: MatchSettings,
    vector_of: Callable[[str], FloatArray | None] | None = None,
) -> LookupResult:
    """The first stored routine that means ``query``'s plan and can run now, or the most
    informative miss (see the module docstring). Counts nothing, records nothing.

    ``vector_of`` reads the vectors of stored plans' parts (an embedding cache) for the
    learned rule, which decides when they and ``query.parts`` are known."""
    query_sig = signature(query.text) if query.vector is not None else None
    miss: LookupResult | None = None
    named: frozenset[str] | None = None  # object kinds the plan names (on the first need)
    for scope in scopes:
        part = (scope, query.place)
        exact_id = table.exact(part, query.text)
        if exact_id is not None:
            result = _try_entry(table, exact_id, query, 1.0, LookupReason.EXACT_HIT)
            if result.hit:
                return result
            miss = better_miss(miss, result)
        if query.vector is None or query_sig is None:
            continue
        for label, cosine in table.search(part, query.vector, match.candidates):
            if label == exact_id:
                continue
            parts = None
            if query.parts is not None and match.learned is not None:
                parts = (query.parts, table.parts(label, vector_of))
            stored_sig = table.signature(label)
            decision = decide_signatures(query_sig, stored_sig, cosine, match, parts)
            refusal = routine_refusal(stored_sig, query_sig) if decision.same else None
            if refusal is not None:
                decision = replace(decision, same=False, rule="lookalike", reason=refusal)
            if not decision.same:
                entry = table.get(label)
                reason = (
                    LookupReason.REJECTED_LOOKALIKE
                    if decision.rule == "lookalike"
                    else LookupReason.NO_CANDIDATE
                )
                miss = better_miss(
                    miss,
                    LookupResult(
                        reason=reason,
                        plan_text=query.text,
                        place=query.place,
                        cosine=cosine,
                        matched_text=entry.plan_text,
                        scope=entry.scope,
                        entry_id=entry.id,
                        detail=decision.reason,
                    ),
                )
                continue
            if named is None:
                named = _named(query_sig, query)
            result = _try_entry(table, label, query, cosine, LookupReason.SIMILAR_HIT, named)
            if result.hit:
                return result
            miss = better_miss(miss, result)
    if miss is None:
        return LookupResult(
            reason=LookupReason.NO_CANDIDATE,
            plan_text=query.text,
            place=query.place,
            detail="no stored plans" if not table else f"no stored plan near at {query.place}",
        )
    if miss.reason is LookupReason.NO_CANDIDATE and miss.entry_id is not None:
        return replace(miss, entry_id=None, scope=None)  # nothing matched: nothing to join
    return miss


def _try_entry(
    table: PlanTable,
    entry_id: int,
    query: Query,
    cosine: float,
    reason: LookupReason,
    named: frozenset[str] = frozenset(),
) -> LookupResult:
    entry = table.get(entry_id)
    found = LookupResult(
        reason=LookupReason.NO_CONDITION_HELD,
        plan_text=query.text,
        place=entry.place,
        cosine=cosine,
        matched_text=entry.plan_text,
        scope=entry.scope,
        entry_id=entry.id,
    )
    bedtime_ok = allows_teeth_brushing(query.text)
    if not bedtime_ok and all(_readies_for_bed(v.actions) for v in entry.variants):
        return replace(
            found,
            reason=LookupReason.REJECTED_LOOKALIKE,
            detail="its routine gets ready for bed, which the plan does not say",  # nor washing
        )
    if named and not any(named & _kinds_used(v.actions) for v in entry.variants):
        # another plan, not another circumstance of this one: the routine worked out now
        # gets an entry of its own rather than joining this one as a variant
        return replace(
            found,
            reason=LookupReason.REJECTED_LOOKALIKE,
            detail=f"its routine uses no {'/'.join(sorted(named))}, which the plan names",
        )
    failures = []
    for i, variant in enumerate(entry.variants):
        why = check_condition(variant.condition, query.world, query.agent)
        if why is None and not bedtime_ok and _readies_for_bed(variant.actions):
            why = "gets ready for bed, which the plan does not say"
        if why is None and named and not named & _kinds_used(variant.actions):
            why = f"uses no {'/'.join(sorted(named))}, which the plan names"
        if why is None:
            return replace(
                found,
                reason=reason,
                variant_index=i,
                variant_id=variant.id,
                actions=rescale_actions(variant.actions, query.duration),
                detail=f"variant {variant.id} ({i + 1} of {len(entry.variants)})",
            )
        failures.append(f"variant {variant.id}: {why}")
    return replace(found, detail="; ".join(failures))


def _named(sig: Signature, query: Query) -> frozenset[str]:
    """The object kinds of the live world that the query's plan names ("unwind on the
    sofa": sofa). A routine reused for another text must use one of them: the one stored
    for "wind down before bed" brushes teeth and lies in bed, never on the sofa."""
    words = sig.setting | sig.nouns
    return frozenset(w for w in words if query.world.objects(kind=w))


_BEDTIME_WORDS = re.compile(
    r"\b(?:bed|beds|bedtime|for\s+the\s+night|sleep\w*|asleep|turn(?:s|ing|ed)?\s+in|"
    r"pyjamas|pajamas|nightgown)\b",
    re.IGNORECASE,
)
# Plans a routine with brushing teeth fits besides bedtime: getting up and washing.
_GROOMING_WORDS = re.compile(
    r"\b(?:wak(?:e|es|ing)|woke|get(?:s|ting)?\s+up|morning|ready|dress\w*|wash\w*|"
    r"shower\w*|bath\w*|teeth|freshen\w*|groom\w*|hygiene|routine|bathroom)\b",
    re.IGNORECASE,
)
_BEDTIME_STEPS = frozenset(["brush teeth"])


def allows_teeth_brushing(text: str) -> bool:
    """Whether a plan text may take a routine that brushes teeth: one about (or framed by)
    going to bed ("wind down before bed", "Before turning in, relax"), or about getting up
    and washing ("get ready for the day", "shower and get dressed")."""
    return _BEDTIME_WORDS.search(text) is not None or _GROOMING_WORDS.search(text) is not None


def _readies_for_bed(actions: Sequence[Action]) -> bool:
    """Whether a routine has a step of getting ready for bed (brushing teeth). Such a
    routine, learned for "Before turning in, put on a record and relax", must not serve
    "relax at home" at 14:30 (it may have joined the "relax" plan as a variant)."""
    return any(a.verb in _BEDTIME_STEPS for a in actions)


def _kinds_used(actions: Sequence[Action]) -> frozenset[str]:
    """The object kinds a routine's actions use, read from their addresses ("bed 2": bed)."""
    kinds = set()
    for action in actions:
        name = action.target.rsplit(":", 1)[-1] if action.target else ""
        head, _, tail = name.rpartition(" ")
        kinds.add(head if head and tail.isdigit() else name)
    return frozenset(k for k in kinds if k)
