"""A faulty OpenAI-compatible server on loopback for the fault campaign.

It answers ``/v1/chat/completions`` with the offline stand-in's text for the request (so a
town can live on it) and, for a seeded share of requests, fails in one of the ways real
endpoints fail: 429 with Retry-After, 500, a dropped connection, a timeout, empty content,
truncated JSON, JSON of the wrong shape, prose instead of JSON. fakellm cannot do this
(no probabilistic faults, no delays, no Retry-After, no dropped connections), hence this
small server. ``down()``/``up()`` stop and restart it on the same port (connection
refused in between).
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aga_npc.offline import answer_text
from aga_npc.prompts import extract_context
from aga_npc.types import ChatMessage, LLMRequest

FAULTS = (
    "rate_limit",
    "server_error",
    "drop",
    "timeout",
    "empty",
    "truncated_json",
    "wrong_shape",
    "prose",
)


class FaultServer:
    """Serve offline answers; fail ``rate`` of the requests, kinds drawn in turn by seed."""

    def __init__(self, *, rate: float = 0.3, seed: int = 0, timeout_delay: float = 1.5) -> None:
        self.rate = rate
        self.rng = random.Random(seed)
        self.timeout_delay = timeout_delay
        self.injected: Counter[str] = Counter()
        self.served = 0
        self._lock = threading.Lock()
        self._port = 0
        self._httpd: ThreadingHTTPServer | None = None
        self.up()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1"

    def up(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fault = server._draw()
                try:
                    server._answer(self, body, fault)
                except (BrokenPipeError, ConnectionResetError):
                    return

        httpd = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        httpd.daemon_threads = True
        self._port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def down(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _draw(self) -> str:
        with self._lock:
            self.served += 1
            if self.rng.random() >= self.rate:
                return ""
            kind = FAULTS[self.rng.randrange(len(FAULTS))]
            self.injected[kind] += 1
            return kind

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], fault: str) -> None:
        messages = tuple(
            ChatMessage(role=m["role"], content=m["content"]) for m in body.get("messages", [])
        )
        context = extract_context(messages) or {}
        module = str(context.get("module", "other"))
        text = answer_text(LLMRequest(agent="server", module=module, messages=messages))
        if fault == "rate_limit":
            _send(handler, 429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
        elif fault == "server_error":
            _send(handler, 500, {"error": {"message": "internal error"}})
        elif fault == "drop":
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
        elif fault == "timeout":
            time.sleep(self.timeout_delay)
            _send(handler, 200, _completion(text))
        elif fault == "empty":
            _send(handler, 200, _completion(""))
        elif fault == "truncated_json":
            _send(handler, 200, _completion(text[: max(1, len(text) // 2)]))
        elif fault == "wrong_shape":
            _send(handler, 200, _completion('{"answer": ["this", "is", "not", "it"]}'))
        elif fault == "prose":
            _send(handler, 200, _completion("Sure! Let me think about that for a moment."))
        else:
            _send(handler, 200, _completion(text))


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": "fault-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 50,
            "completion_tokens": max(1, len(content) // 4),
            "total_tokens": 50 + max(1, len(content) // 4),
        },
    }


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.end_headers()
    handler.wfile.write(data)
