"""The Lifestyle Policy: plan -> (execution condition, actions) memory with fast reuse.

- :class:`PolicyStore`: scoped store (agent -> role -> town), ``lookup`` with a vector from
  the caller's off-thread embedding, ``add`` after successful execution, crash-safe flushes.
- Conditions (:mod:`aga_npc.policy.conditions`): declarative, msgpack-able, evaluated
  against a ``WorldView``; :func:`condition_for_actions` builds one from decomposed actions.
- :func:`plan_similarity`: the "do these two plans mean the same" rule (DESIGN.md §5).
"""

from aga_npc.policy.conditions import (
    TRUE,
    AddressCond,
    AgentInCond,
    AllCond,
    AnyCond,
    Condition,
    ConditionError,
    NotCond,
    ObjectCond,
    TimeWindowCond,
    check_condition,
    condition_for_actions,
    condition_from_data,
    condition_to_data,
    evaluate,
)
from aga_npc.policy.entries import (
    PolicyEntry,
    PolicyScope,
    Provenance,
    ScopeKind,
    Variant,
    rescale_actions,
)
from aga_npc.policy.index import IndexSettings, VectorIndex
from aga_npc.policy.matching import MatchSettings, PlanDecision, decide, plan_similarity
from aga_npc.policy.results import LookupReason, LookupResult, StoreStats
from aga_npc.policy.signature import Signature, signature
from aga_npc.policy.store import PolicyStore

__all__ = [
    "TRUE",
    "AddressCond",
    "AgentInCond",
    "AllCond",
    "AnyCond",
    "Condition",
    "ConditionError",
    "IndexSettings",
    "LookupReason",
    "LookupResult",
    "MatchSettings",
    "NotCond",
    "ObjectCond",
    "PlanDecision",
    "PolicyEntry",
    "PolicyScope",
    "PolicyStore",
    "Provenance",
    "ScopeKind",
    "Signature",
    "StoreStats",
    "TimeWindowCond",
    "Variant",
    "VectorIndex",
    "check_condition",
    "condition_for_actions",
    "condition_from_data",
    "condition_to_data",
    "decide",
    "evaluate",
    "plan_similarity",
    "rescale_actions",
    "signature",
]
