"""LLM adapters: backends, the wrappers that stack on them, the token ledger, token counting.

Importing this package does not import ``openai`` or ``tiktoken``: the ``openai`` backend
module is imported when ``build_backend`` first needs it, and the tokenizer on first count.
"""

from __future__ import annotations

from aga_npc.llm.budget import BudgetBackend, TokenBudget
from aga_npc.llm.context import AttemptProbe, CallTrace, stream_sink, trace_call
from aga_npc.llm.jsonrepair import JsonRepairBackend, extract_json
from aga_npc.llm.ledger import DEFAULT_PRICES, LedgerEntry, ModelPrice, TokenLedger
from aga_npc.llm.metering import MeteringBackend
from aga_npc.llm.recording import Recorder, Replayer
from aga_npc.llm.registry import available_backends, build_backend, build_stack, register_backend
from aga_npc.llm.retry import RetryingBackend, RetryPolicy, parse_retry_after, retry_delay
from aga_npc.llm.tokens import count_message_tokens, count_tokens

__all__ = [
    "DEFAULT_PRICES",
    "AttemptProbe",
    "BudgetBackend",
    "CallTrace",
    "JsonRepairBackend",
    "LedgerEntry",
    "MeteringBackend",
    "ModelPrice",
    "Recorder",
    "Replayer",
    "RetryPolicy",
    "RetryingBackend",
    "TokenBudget",
    "TokenLedger",
    "available_backends",
    "build_backend",
    "build_stack",
    "count_message_tokens",
    "count_tokens",
    "extract_json",
    "parse_retry_after",
    "register_backend",
    "retry_delay",
    "stream_sink",
    "trace_call",
]
