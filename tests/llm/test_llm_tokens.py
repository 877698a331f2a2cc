"""Offline token counting from the shipped cl100k_base file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from aga_npc.llm import count_message_tokens, count_tokens
from aga_npc.llm import tokens as tokens_mod
from aga_npc.types import ChatMessage

SAMPLES = [
    "tiktoken is great!",
    "Isabella Rodriguez is planning a Valentine's Day party at Hobbs Cafe on Feb 14th, 5pm.",
    "日本語のテキストも数えます。",
    "  leading spaces\n\nand\ttabs  ",
    "<|endoftext|> is plain text here",
    "emoji 🍞🥐 and numbers 1234567",
]


def test_known_token_ids() -> None:
    # From OpenAI's tiktoken documentation: cl100k_base encodes this as 6 tokens.
    assert tokens_mod.encoding().encode("tiktoken is great!") == [83, 1609, 5963, 374, 2294, 0]
    assert count_tokens("tiktoken is great!") == 6
    assert count_tokens("") == 0


def test_matches_tiktoken_own_cl100k_encoding(tmp_path: Path) -> None:
    # tiktoken.get_encoding("cl100k_base"), fed the same file through its cache directory
    # (so it does not download), must tokenize exactly like our encoding.
    blob = resources.files("aga_npc.llm").joinpath("data", "cl100k_base.tiktoken").read_bytes()
    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(blob)
    code = (
        "import json, sys, tiktoken; e = tiktoken.get_encoding('cl100k_base'); "
        "print(json.dumps([e.encode_ordinary(s) for s in json.loads(sys.argv[1])]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(SAMPLES)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path)},
        timeout=60,
    ).stdout
    reference = json.loads(out)
    ours = [tokens_mod.encoding().encode_ordinary(s) for s in SAMPLES]
    assert ours == reference


def test_loads_without_network_or_cache(tmp_path: Path) -> None:
    # A fresh interpreter with sockets disabled and an empty tiktoken cache still counts.
    code = (
        "import socket\n"
        "def _no(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = _no; socket.socket.connect_ex = _no\n"
        "socket.create_connection = _no; socket.getaddrinfo = _no\n"
        "from aga_npc.llm import count_tokens\n"
        "print(count_tokens('hello world'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path)},
        timeout=60,
    )
    assert out.stdout.strip() == "2"
    assert list(tmp_path.iterdir()) == []  # nothing written to tiktoken's cache


def test_corrupted_bpe_file_is_rejected() -> None:
    blob = resources.files("aga_npc.llm").joinpath("data", "cl100k_base.tiktoken").read_bytes()
    assert hashlib.sha256(blob).hexdigest() == tokens_mod.BPE_SHA256
    with pytest.raises(RuntimeError, match="sha256"):
        tokens_mod._load_ranks(blob[:-10])


def test_message_tokens_add_chat_framing() -> None:
    messages = (
        ChatMessage(role="system", content="You are Klaus."),
        ChatMessage(role="user", content="What are you reading?"),
    )
    content_only = sum(count_tokens(m.content) for m in messages)
    role_tokens = sum(count_tokens(m.role) for m in messages)
    # 3 per message + 3 priming the reply, on top of roles and contents.
    assert count_message_tokens(messages) == content_only + role_tokens + 3 * 2 + 3
    assert count_message_tokens(()) == 3
