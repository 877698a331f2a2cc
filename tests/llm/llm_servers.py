"""Loopback servers for the LLM integration tests: fakellm (subprocess) and ScriptedServer.

fakellm (a third-party OpenAI-compatible mock, YAML rules) covers what it can: plain and
JSON answers, streaming, 429/500 statuses, and "fail on turn 1, succeed on turn 2" by its
per-conversation turn counter. It cannot delay an answer, set a Retry-After header, reject
``response_format``, answer with empty content or report usage while streaming, so
``ScriptedServer`` (stdlib ``http.server`` on loopback) does those.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

# The URL tiktoken downloads cl100k_base from; its cache file is named by the URL's sha1.
_TIKTOKEN_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"

FAKELLM_RULES = """\
version: 1
defaults:
  fallback: deterministic_echo
rules:
  - name: rate-limit-once
    when:
      messages_contain: "[rate-limit-once]"
      turn: 1
    respond:
      status: 429
      error: "slow down (mock)"
  - name: rate-limit-once-then-ok
    when:
      messages_contain: "[rate-limit-once]"
    respond:
      content: "Recovered after one rate limit."
  - name: always-500
    when:
      messages_contain: "[always-500]"
    respond:
      status: 500
      error: "internal failure (mock)"
  - name: always-400
    when:
      messages_contain: "[always-400]"
    respond:
      status: 400
      error: "bad request (mock)"
  - name: garbage-once
    when:
      messages_contain: "[garbage-once]"
      turn: 1
    respond:
      content: "Sure! I would love to plan the day, but here it is in prose."
  - name: garbage-once-then-json
    when:
      messages_contain: "[garbage-once]"
    respond:
      content: '{"activities": ["open the shop", "bake bread"]}'
  - name: garbage-always
    when:
      messages_contain: "[garbage-always]"
    respond:
      content: "Here is your plan: wake up, eat, work. (Not JSON, sorry.)"
  - name: fenced-json
    when:
      messages_contain: "[json-plan]"
    respond:
      content: "```json\\n{\\"activities\\": [\\"wake up\\", \\"eat breakfast\\"]}\\n```"
  - name: dialogue
    when:
      messages_contain: "[dialogue]"
    respond:
      content: "Good morning! The bakery opens at seven and the bread is still warm."
  - name: player-doing
    when:
      messages_contain: "zqdoing"
    respond:
      content: '{"reply": "Right now I am kneading dough for the morning rolls.",
        "intent": "doing", "invitation": null, "tone": "neutral"}'
  - name: player-where
    when:
      messages_contain: "zqwhere"
    respond:
      content: '{"reply": "I saw Ben over at Test Park an hour ago.", "intent": "where",
        "invitation": null, "tone": "neutral"}'
  - name: player-opinion
    when:
      messages_contain: "zqopinion"
    respond:
      content: '{"reply": "Ben? He is a good neighbour, I like him.", "intent": "opinion",
        "invitation": null, "tone": "neutral"}'
  - name: player-invite
    when:
      messages_contain: "zqinvite"
    respond:
      content: '{"reply": "Test Park at two? I will be there!", "intent": "invitation",
        "invitation": {"place": "Test Park", "time": "14:00", "accepted": true}, "tone": "kind"}'
  - name: player-moon
    when:
      messages_contain: "zqmoon"
    respond:
      content: '{"reply": "Sure, see you at the moon base!", "intent": "invitation",
        "invitation": {"place": "moon base", "time": "14:00", "accepted": true},
        "tone": "neutral"}'
  - name: player-late
    when:
      messages_contain: "zqlate"
    respond:
      content: '{"reply": "Alright, see you at the park at eight!", "intent": "invitation",
        "invitation": {"place": "Test Park", "time": "08:00", "accepted": true},
        "tone": "neutral"}'
  - name: player-rude
    when:
      messages_contain: "zqrude"
    respond:
      content: '{"reply": "Well, that was uncalled for.", "intent": "small_talk",
        "invitation": null, "tone": "neutral"}'
  - name: player-kind
    when:
      messages_contain: "zqkind"
    respond:
      content: '{"reply": "Thank you, that is very sweet of you.", "intent": "small_talk",
        "invitation": null, "tone": "kind"}'
  - name: player-small
    when:
      messages_contain: "zqsmall"
    respond:
      content: '{"reply": "Yes, the sky has been clear all week.", "intent": "small_talk",
        "invitation": null, "tone": "neutral"}'
  - name: player-greet
    when:
      messages_contain: "zqgreet"
    respond:
      content: '{"reply": "Hello again, nice to see you.", "intent": "greeting",
        "invitation": null, "tone": "neutral"}'
  - name: player-bye
    when:
      messages_contain: "zqbye"
    respond:
      content: '{"reply": "Goodbye, take care on your way home!", "intent": "goodbye",
        "invitation": null, "tone": "neutral"}'
  - name: player-reply
    when:
      messages_contain: "player_reply"
    respond:
      content: "Welcome to the cafe, stranger! The scones are fresh out of the oven today."
  - name: hello
    when:
      messages_contain: "[hello]"
    respond:
      content: "Hello from fakellm."
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tiktoken_cache(dir_: Path) -> Path:
    # fakellm imports tiktoken and asks for cl100k_base; serve it from a cache dir holding
    # our shipped BPE file so the server never tries the network.
    blob = resources.files("aga_npc.llm").joinpath("data", "cl100k_base.tiktoken").read_bytes()
    name = hashlib.sha1(_TIKTOKEN_URL.encode()).hexdigest()
    (dir_ / name).write_bytes(blob)
    return dir_


@dataclass
class FakeLLMServer:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stats(self) -> dict[str, Any]:
        url = self.base_url.removesuffix("/v1") + "/_fakellm/stats"
        with urllib.request.urlopen(url, timeout=5) as r:
            data: dict[str, Any] = json.loads(r.read())
        return data

    def rule_count(self, rule: str) -> int:
        return int(self.stats()["by_rule"].get(rule, 0))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# -- scripted loopback server ---------------------------------------------------------------


@dataclass
class Reply:
    """One scripted HTTP answer. ``sse`` (a list of JSON chunks) makes it a stream."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    sse: list[dict[str, Any]] | None = None


def completion_body(
    content: str | None, *, usage: tuple[int, int] | None = (11, 7)
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }
    if usage is not None:
        body["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        }
    return body


def stream_chunks(pieces: list[str], *, usage: tuple[int, int] | None) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "scripted-model",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    out = [chunk({"role": "assistant"})]
    out += [chunk({"content": p}) for p in pieces]
    out.append(chunk({}, "stop"))
    if usage is not None:
        out.append(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "scripted-model",
                "choices": [],
                "usage": {
                    "prompt_tokens": usage[0],
                    "completion_tokens": usage[1],
                    "total_tokens": sum(usage),
                },
            }
        )
    return out


class ScriptedServer:
    """An OpenAI-style ``/v1/chat/completions`` endpoint answering from a script.

    ``responder(body)`` decides each answer when set; else the queued replies are served
    in order (the last one repeats). ``bodies`` records every request body received.
    """

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._next(body, headers)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.sse is not None:
                        self._send_sse(reply)
                    else:
                        self._send_json(reply)
                except (BrokenPipeError, ConnectionResetError):
                    return

            def _send_json(self, reply: Reply) -> None:
                data = json.dumps(reply.body if reply.body is not None else {}).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _send_sse(self, reply: Reply) -> None:
                assert reply.sse is not None
                payload = (
                    b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in reply.sse)
                    + b"data: [DONE]\n\n"
                )
                self.send_response(reply.status)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.bodies.append(body)
            self.headers.append(headers)
            if self.responder is not None:
                return self.responder(body)
            if len(self.replies) > 1:
                return self.replies.popleft()
            if self.replies:
                return self.replies[0]
        return Reply(status=500, body={"error": {"message": "script is empty"}})

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def start_fakellm(root: Path, rules: str = FAKELLM_RULES) -> FakeLLMServer:
    """Start fakellm on a free loopback port with ``rules`` (YAML; default
    ``FAKELLM_RULES``); waits until it answers."""
    config = root / "fakellm.yaml"
    config.write_text(rules, encoding="utf-8")
    cache = _tiktoken_cache(root)
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache)}
    env.pop("OPENAI_API_KEY", None)
    last_error = ""
    for _try in range(3):
        port = free_port()
        log_path = root / f"server-{port}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "fakellm.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--config",
                    str(config),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=root,
            )
        server = FakeLLMServer(f"http://127.0.0.1:{port}/v1", proc, log_path)
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                server.stats()
                return server
            except OSError:
                time.sleep(0.05)
        last_error = log_path.read_text(errors="replace")
        server.stop()
    raise RuntimeError(f"fakellm did not start:\n{last_error}")
