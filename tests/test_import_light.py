"""`import aga_npc` must stay light: no pygame, no LLM SDK, no HTTP client, no ONNX runtime."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pygame", "openai", "httpx", "onnxruntime", "tokenizers", "tiktoken")


def test_import_aga_npc_pulls_no_heavy_modules() -> None:
    code = (
        "import json, sys; import aga_npc; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
