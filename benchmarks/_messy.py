"""fakellm rules that answer the way small local models do, and a loopback proxy in front of
fakellm that plays a server honouring answer schemas.

Without a schema, the first answer of every JSON request kind is messy in one of the ways
small models are (code fences, prose around the JSON, single quotes, trailing commas,
missing or extra fields, wrong types, repeated text, empty answers); the JSON wrapper's
re-ask (the same conversation's second turn, by fakellm's turn counter) gets a clean one.
fakellm reads only messages, model and headers, so the proxy turns a request's
``response_format`` of type ``json_schema`` into the header ``x-answer-schema: yes`` (the
rules then answer as a schema-constrained server does) and keeps every schema it saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["MESSY_KINDS", "MessyServer", "messy_rules", "start_messy"]

_TIKTOKEN_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_PLAN = [
    {"start": "07:00", "duration": 60, "activity": "have breakfast at home", "place": "<home>"},
    {"start": "08:00", "duration": 240, "activity": "work", "place": "<work>"},
    {"start": "12:00", "duration": 60, "activity": "have lunch", "place": "Juniper Cafe"},
    {"start": "13:00", "duration": 240, "activity": "work", "place": "<work>"},
    {"start": "17:00", "duration": 120, "activity": "meet friends", "place": "The Copper Kettle"},
    {"start": "19:00", "duration": 60, "activity": "have dinner", "place": "Juniper Cafe"},
    {"start": "20:00", "duration": 120, "activity": "unwind at home", "place": "<home>"},
    {"start": "22:00", "duration": 540, "activity": "sleep", "place": "<home>"},
]
_SIDE = {"relationship": "acquaintance", "feeling": "friendly", "closeness": 4, "importance": 3}
# clean answer of every JSON kind, and the mess its first answer comes in without a schema
CLEAN: dict[str, Any] = {
    "wake_up": {"wake_up": "07:00"},
    "daily_plan": {"wake_up": "07:00", "activities": _PLAN},
    "hourly_schedule": {"activities": _PLAN},
    "replan": {"activities": _PLAN[-3:]},
    "decompose": {"subtasks": [{"task": "get ready", "minutes": 10}]},
    "action_chain": {
        "steps": [
            {"description": "sits down", "object": "chair", "verb": "sitting", "minutes": 20},
            {"description": "reads a little", "object": "", "verb": "think", "minutes": 10},
        ]
    },
    "poignancy": {"poignancy": 3},
    "decide_talk": {"talk": True, "reason": "a friendly face"},
    "decide_react": {"react": "continue", "minutes": 5, "reason": "busy"},
    "utterance": {"line": "Good to see you. How is your day going?", "end": False},
    "conversation": {"lines": [["A", "Hello there."], ["B", "Hello, nice day."]]},
    "planning_thought": {"thought": "It was a pleasant chat.", "plan": None},
    "focal_points": {"questions": ["What matters most to me today?"]},
    "insights": {"insights": [{"insight": "I like my routine.", "because_of": [1]}]},
    "relationship": {**_SIDE, "a_about_b": _SIDE, "b_about_a": _SIDE},
    "player_reply": {"reply": "Hello!", "intent": "small_talk", "invitation": None},
}


def _mess(kind: str, clean: Any) -> str:
    """The messy first answer of ``kind``: each kind fails in its own small-model way."""
    text = json.dumps(clean, ensure_ascii=False)
    messes = {
        "wake_up": f"```json\n{text}\n```",
        "daily_plan": f"Sure! Here is the plan for the day:\n{text}\nLet me know if it helps.",
        "hourly_schedule": text.replace('"', "'"),
        "replan": text[:-1] + ", }".replace(" ", ""),
        "decompose": text.replace("]", ",]"),
        "action_chain": text.replace("}]", "},]"),
        "poignancy": json.dumps({"poignancy": "quite high"}),
        "decide_talk": json.dumps({"reason": "I would like to"}),
        "decide_react": json.dumps({**clean, "mood": "calm", "extra": [1, 2]}),
        "utterance": text + "\n" + text + "\n" + text,
        "conversation": json.dumps({"lines": "Hello there. Hello, nice day."}),
        "planning_thought": "",
        "focal_points": json.dumps({"questions": "What matters most?"}),
        "insights": "Insights: I like my routine. I should rest more.",
        "relationship": f"```\n{text}\n``` I hope this is what you wanted.",
        "player_reply": "",
    }
    return messes.get(kind, "")


MESSY_KINDS = (*CLEAN, "poignancy_batch")


def _respond(content: str) -> dict[str, Any]:
    return {"content": content}


def messy_rules() -> str:
    """The fakellm YAML: per kind, a clean answer with a schema or from turn 2, else a mess
    (an empty answer is a single space: fakellm needs content; the backend strips it)."""
    rules: list[dict[str, Any]] = []
    for kind, clean in CLEAN.items():
        needle = f'"module": "{kind}"'
        text = json.dumps(clean, ensure_ascii=False)
        rules.append(
            {
                "name": f"{kind}-schema",
                "when": {"messages_contain": needle, "header.x-answer-schema": "yes"},
                "respond": _respond(text),
            }
        )
        rules.append(
            {
                "name": f"{kind}-messy",
                "when": {"messages_contain": needle, "turn": 1},
                "respond": _respond(_mess(kind, clean) or " "),
            }
        )
        rules.append(
            {
                "name": f"{kind}-clean",
                "when": {"messages_contain": needle},
                "respond": _respond(text),
            }
        )
    rules.extend(_batch_rules())
    return json.dumps(
        {"version": 1, "defaults": {"fallback": "deterministic_echo"}, "rules": rules}
    )


def _batch_rules(most: int = 8) -> list[dict[str, Any]]:
    """``poignancy_batch`` asks for as many scores as it lists memories ("Give exactly 3
    scores"): one set of rules per count; the mess is one score too many."""
    rules: list[dict[str, Any]] = []
    for k in range(most, 0, -1):
        needle = f"give exactly {k} scores"
        clean = json.dumps({"poignancy": [3] * k})
        rules += [
            {
                "name": f"poignancy_batch-{k}-schema",
                "when": {"messages_contain": needle, "header.x-answer-schema": "yes"},
                "respond": _respond(clean),
            },
            {
                "name": f"poignancy_batch-{k}-messy",
                "when": {"messages_contain": needle, "turn": 1},
                "respond": _respond(json.dumps({"poignancy": [3] * (k + 1)})),
            },
            {
                "name": f"poignancy_batch-{k}-clean",
                "when": {"messages_contain": needle},
                "respond": _respond(clean),
            },
        ]
    return rules


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MessyServer:
    """fakellm with the messy rules, behind the schema proxy (``base_url``)."""

    base_url: str
    fakellm_url: str
    process: subprocess.Popen[bytes]
    httpd: ThreadingHTTPServer
    schemas: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _start_fakellm(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    config = root / "fakellm.yaml"  # JSON is YAML
    config.write_text(messy_rules(), encoding="utf-8")
    blob = resources.files("aga_npc.llm").joinpath("data", "cl100k_base.tiktoken").read_bytes()
    (root / hashlib.sha1(_TIKTOKEN_URL.encode()).hexdigest()).write_bytes(blob)
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(root)}
    env.pop("OPENAI_API_KEY", None)
    port = _free_port()
    with (root / "fakellm.log").open("wb") as log:  # the child keeps its own handle
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "fakellm.cli", "serve", "--host", "127.0.0.1"),
                *("--port", str(port), "--config", str(config)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_fakellm/stats", timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("fakellm did not start: " + (root / "fakellm.log").read_text())


def start_messy(root: Path | None = None, *, honour_schemas: bool = True) -> MessyServer:
    """Start fakellm (messy rules) and the schema proxy; ``honour_schemas`` False: the
    proxy forwards schemas without telling fakellm (a server that ignores them)."""
    work = root if root is not None else Path(tempfile.mkdtemp(prefix="aga-messy-"))
    proc, upstream = _start_fakellm(work)
    holder: dict[str, MessyServer] = {}

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            server = holder["server"]
            headers = {"content-type": "application/json"}
            try:
                fmt = json.loads(body).get("response_format") or {}
            except ValueError:
                fmt = {}
            with lock:
                server.requests += 1
                if fmt.get("type") == "json_schema":
                    server.schemas.append(fmt.get("json_schema") or {})
                    if honour_schemas:
                        headers["x-answer-schema"] = "yes"
            request = urllib.request.Request(
                upstream + self.path, data=body, headers=headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as r:
                    status, payload = r.status, r.read()
            except urllib.error.HTTPError as exc:
                status, payload = exc.code, exc.read()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    lock = threading.Lock()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = MessyServer(
        base_url=f"http://127.0.0.1:{httpd.server_address[1]}/v1",
        fakellm_url=upstream,
        process=proc,
        httpd=httpd,
    )
    holder["server"] = server
    return server
