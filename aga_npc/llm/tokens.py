"""Offline token counting with tiktoken's cl100k_base, from the BPE file shipped in the package.

tiktoken would download the BPE file at first use, which fails without internet; this module
reads ``aga_npc/llm/data/cl100k_base.tiktoken`` (checked against its sha256), builds the
encoding once, lazily, and never touches the network or tiktoken's cache directory.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import threading
from collections.abc import Iterable
from importlib import resources
from typing import Any

from aga_npc.types import ChatMessage

__all__ = [
    "chat_text",
    "chat_tokens",
    "count_message_tokens",
    "count_tokens",
    "encoding",
    "shared_prefix_tokens",
]

BPE_FILE = "cl100k_base.tiktoken"
BPE_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# The cl100k_base split pattern and special tokens, as tiktoken_ext.openai_public defines them.
_PAT_STR = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
# Chat framing overhead of gpt-3.5/4-family models: tokens per message and reply priming.
TOKENS_PER_MESSAGE = 3
REPLY_PRIMING_TOKENS = 3

_lock = threading.Lock()
_encoding: Any = None


def _load_ranks(blob: bytes) -> dict[bytes, int]:
    digest = hashlib.sha256(blob).hexdigest()
    if digest != BPE_SHA256:
        raise RuntimeError(
            f"aga_npc/llm/data/{BPE_FILE}: sha256 {digest} does not match {BPE_SHA256}"
        )
    ranks: dict[bytes, int] = {}
    for line in blob.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def encoding() -> Any:
    """The ``tiktoken.Encoding`` for cl100k_base, built from the shipped file on first use.

    Thread-safe; the first call takes about 0.2 s, later calls return the cached object.
    """
    global _encoding
    if _encoding is not None:
        return _encoding
    with _lock:
        if _encoding is None:
            import tiktoken

            blob = resources.files("aga_npc.llm").joinpath("data", BPE_FILE).read_bytes()
            _encoding = tiktoken.Encoding(
                "cl100k_base",
                pat_str=_PAT_STR,
                mergeable_ranks=_load_ranks(blob),
                special_tokens=_SPECIAL_TOKENS,
            )
    return _encoding


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text`` (special-token strings count as plain text).

    Short texts (roles, system prompts, emoji answers) repeat all the time and are counted
    once (a bounded cache); long ones are counted each time.
    """
    if not text:
        return 0
    if len(text) <= _CACHED_CHARS:
        return _count_short(text)
    return len(encoding().encode_ordinary(text))


_CACHED_CHARS = 600


@functools.lru_cache(maxsize=8192)
def _count_short(text: str) -> int:
    return len(encoding().encode_ordinary(text))


def count_message_tokens(messages: Iterable[ChatMessage]) -> int:
    """Prompt tokens of a chat: each message's role and content plus the chat framing.

    Uses OpenAI's published accounting for gpt-3.5/4-family chat models: 3 tokens per
    message, plus 3 tokens priming the assistant's reply.
    """
    total = REPLY_PRIMING_TOKENS
    for m in messages:
        total += TOKENS_PER_MESSAGE + count_tokens(m.role) + count_tokens(m.content)
    return total


def chat_text(messages: Iterable[ChatMessage]) -> str:
    """A chat as one text in the order a server's template lays it out (role, content),
    for prefix comparisons; not any one model's exact template."""
    return "".join(f"<|{m.role}|>\n{m.content}\n" for m in messages)


def shared_prefix_tokens(a: Iterable[ChatMessage], b: Iterable[ChatMessage]) -> int:
    """How many leading cl100k_base tokens two chats have in common: the part of ``b`` a
    server's prefix cache can serve after it has seen ``a``."""
    enc = encoding()
    ta = enc.encode_ordinary(chat_text(a))
    tb = enc.encode_ordinary(chat_text(b))
    n = 0
    for x, y in zip(ta, tb, strict=False):
        if x != y:
            break
        n += 1
    return n


def chat_tokens(messages: Iterable[ChatMessage]) -> int:
    """cl100k_base tokens of ``chat_text(messages)`` (the denominator of prefix shares)."""
    return len(encoding().encode_ordinary(chat_text(messages)))
