"""The Lifestyle Policy: plan-at-a-place -> (execution condition, actions) memory with fast
reuse.

- :class:`PolicyStore`: scoped store of plans per place, ``lookup`` with a vector from the
  caller's off-thread embedding (or none, for exact text), ``add`` after successful
  execution, ``report_failure`` / ``report_success`` from run time, crash-safe flushes
  (:class:`PolicyJournal`).
- Conditions (:mod:`aga_npc.policy.conditions`): declarative, msgpack-able, evaluated
  against a ``WorldView``; :func:`routine_condition` is the one builder of a routine's.
- Sharing (:class:`Sharing`): which scope a routine is stored in and which a lookup tries.
- :func:`plan_similarity`: the "do these two plans mean the same" rule (docs/DESIGN.md §4, §5).
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
    PlaceCond,
    TimeWindowCond,
    check_condition,
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
from aga_npc.policy.persist import PolicyJournal
from aga_npc.policy.requirements import UNUSABLE_STATES, off_place_targets, routine_condition
from aga_npc.policy.results import FailureVerdict, LookupReason, LookupResult, StoreStats
from aga_npc.policy.sharing import Sharing, lookup_scopes, store_scope
from aga_npc.policy.signature import Signature, signature
from aga_npc.policy.store import PolicyStore

__all__ = [
    "TRUE",
    "UNUSABLE_STATES",
    "AddressCond",
    "AgentInCond",
    "AllCond",
    "AnyCond",
    "Condition",
    "ConditionError",
    "FailureVerdict",
    "IndexSettings",
    "LookupReason",
    "LookupResult",
    "MatchSettings",
    "NotCond",
    "ObjectCond",
    "PlaceCond",
    "PlanDecision",
    "PolicyEntry",
    "PolicyJournal",
    "PolicyScope",
    "PolicyStore",
    "Provenance",
    "ScopeKind",
    "Sharing",
    "Signature",
    "StoreStats",
    "TimeWindowCond",
    "Variant",
    "VectorIndex",
    "check_condition",
    "condition_from_data",
    "condition_to_data",
    "decide",
    "evaluate",
    "lookup_scopes",
    "off_place_targets",
    "plan_similarity",
    "rescale_actions",
    "routine_condition",
    "signature",
    "store_scope",
]
