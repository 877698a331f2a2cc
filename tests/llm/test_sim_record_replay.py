"""``python -m aga_npc.sim run --record/--replay``: a 3-NPC day recorded against fakellm on
loopback (the real openai SDK), replayed with every network connection refused."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
from llm_servers import FakeLLMServer, start_fakellm

from aga_npc.llm.recording import read_recording
from aga_npc.sim.cli import main
from aga_npc.types import Module

pytestmark = pytest.mark.integration

KEY = "sk-test-NEVER-IN-A-FILE-4711"
MODEL = "fake-small-model"
RUN = ["run", "--npcs", "3", "--days", "1", "--embed", "hashing", "--quiet"]
Recorded = tuple[Path, dict[str, Any], str]  # recording, live report, server URL


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every socket connect fails (and is listed)."""
    tried: list[Any] = []

    def refuse(self: socket.socket, address: Any, *args: Any) -> Any:
        tried.append(address)
        self.close()
        raise NetworkUsed(f"network use during a replay: connect to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield tried


def _live_env(monkeypatch: pytest.MonkeyPatch, fakellm: FakeLLMServer) -> None:
    monkeypatch.setenv("AGA_LLM", "openai")
    monkeypatch.setenv("AGA_LLM_BASE_URL", fakellm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AGA_LLM_MODEL", MODEL)
    monkeypatch.delenv("AGA_LLM_CONCURRENCY", raising=False)


def _replay_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing points at a model: the replay must take everything from the recording.
    for name in ("AGA_LLM", "AGA_LLM_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AGA_LLM_MODEL", "some-other-model")


def _module_rules(recording_path: Path) -> str:
    """fakellm rules answering each request kind with a text the offline stand-in gave for
    that kind (matched by the ``"module": "<kind>"`` line of the prompt's context block)."""
    texts: dict[str, str] = {}
    for answers in read_recording(recording_path).entries.values():
        for answer in answers:
            if not answer["error"]:
                texts.setdefault(str(answer["module"]), str(answer["text"]))
    lines = ["version: 1", "defaults:", "  fallback: deterministic_echo", "rules:"]
    # poignancy_batch asks for one score per memory: a canned answer fits one count only
    for k in range(8, 0, -1):
        lines += [
            f"  - name: poignancy_batch_{k}",
            "    when:",
            f"      messages_contain: {json.dumps(f'Give exactly {k} scores')}",
            "    respond:",
            f"      content: {json.dumps(json.dumps({'poignancy': [3] * k}))}",
        ]
    for module in sorted(texts):
        needle = json.dumps({"module": module}, separators=(", ", ": "))[1:-1]
        lines += [
            f"  - name: {module}",
            "    when:",
            f"      messages_contain: {json.dumps(needle)}",
            "    respond:",
            f"      content: {json.dumps(texts[module])}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """One 3-NPC day recorded against fakellm (module-scoped: a while on a loaded machine).

    fakellm answers each request kind with a canned text of that kind (taken from an
    offline recording), so the day has plans, actions and talk, not only fallbacks."""
    root = tmp_path_factory.mktemp("record")
    offline = root / "offline.rec"
    with pytest.MonkeyPatch.context() as mp:
        for name in ("AGA_LLM", "AGA_LLM_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
            mp.delenv(name, raising=False)
        assert main([*RUN, "--record", str(offline), "--json", str(root / "offline.json")]) == 0
    server = start_fakellm(root, _module_rules(offline))
    try:
        rec, out = root / "day.rec", root / "live.json"
        with pytest.MonkeyPatch.context() as mp:
            _live_env(mp, server)
            assert main([*RUN, "--record", str(rec), "--json", str(out)]) in (0, 3)
        served = _served(server.stats())
        report = json.loads(out.read_text("utf-8"))
        assert served >= report["llm_calls"] > 50  # the live run talked to the server
        yield rec, report, server.base_url
    finally:
        server.stop()


def _served(stats: dict[str, Any]) -> int:
    return int(stats["total_requests"])


def _without_wall(report: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in report.items() if k != "wall_seconds"}, sort_keys=True)


def test_replay_reproduces_the_report_without_any_network(
    recorded: Recorded,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_network: list[Any],
) -> None:
    rec, live, url = recorded
    _replay_env(monkeypatch)
    # the guard works: the server that answered the live run cannot be reached now
    with pytest.raises(NetworkUsed):
        urllib.request.urlopen(url.removesuffix("/v1") + "/_fakellm/stats", timeout=2)
    no_network.clear()
    out = tmp_path / "replay.json"
    assert main([*RUN, "--replay", str(rec), "--json", str(out)]) in (0, 3)
    assert no_network == []
    replay = json.loads(out.read_text("utf-8"))
    assert live["health"]["answered"] > 20  # a day with answers, not only fallbacks
    assert live["llm"] == {"backend": "openai", "model": MODEL}
    assert live["tokens"]["cached"] == 0  # fakellm reports no prompt cache
    assert _without_wall(replay) == _without_wall(live)


def test_recording_names_model_endpoint_and_seed_never_the_key(
    recorded: Recorded,
) -> None:
    rec, live, url = recorded
    blob = rec.read_bytes()
    assert KEY.encode() not in blob
    assert b"NEVER-IN-A-FILE" not in blob
    recording = read_recording(rec)
    assert recording.meta["model"] == MODEL
    assert recording.meta["base_url"] == url
    assert recording.meta["seed"] == 0
    assert recording.meta["run"]["npcs"] == 3
    # every request of the live run is in it with its attempts (retries, failures)
    answers = [a for v in recording.entries.values() for a in v if a["day"] <= 1]
    assert sum(len(a["attempts"]) for a in answers) == live["llm_calls"]
    assert sum(a["prompt_tokens"] for a in answers) == live["tokens"]["prompt"]
    assert not list(rec.parent.glob(".*tmp*"))  # the atomic write left no temporary file


def test_replay_of_another_seed_stops_naming_the_request_kind(
    recorded: Recorded,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_network: list[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    rec, _, _ = recorded
    _replay_env(monkeypatch)
    out = tmp_path / "other.json"
    assert main([*RUN, "--seed", "1", "--replay", str(rec), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert "recorded with seed 0, this run uses seed 1" in err
    assert "error:" in err and "no recording of " in err
    kind = err.split("no recording of ", 1)[1].split()[0]
    assert kind in {m.value for m in Module}
    assert "seed 0" in err.split("no recording of ", 1)[1]  # says how it was recorded
    assert "Traceback" not in err
    assert not out.exists()
    assert no_network == []


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "bad entry"])
def test_damaged_recording_exits_2_with_a_clear_error(
    recorded: Recorded, tmp_path: Path, damage: str
) -> None:
    rec, _, _ = recorded
    bad = tmp_path / f"{damage.replace(' ', '_')}.rec"
    blob = rec.read_bytes()
    if damage == "truncated":
        bad.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        bad.write_bytes(b"\xc1 this is not msgpack at all")
    elif damage == "foreign":
        bad.write_bytes(msgpack.packb({"format": "something else", "entries": {}}))
    else:
        data = msgpack.unpackb(blob, raw=False)
        key = sorted(data["entries"])[0]
        data["entries"][key][0]["prompt_tokens"] = "many"
        bad.write_bytes(msgpack.packb(data, use_bin_type=True))
    proc = subprocess.run(
        [sys.executable, "-m", "aga_npc.sim", *RUN, "--replay", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "AGA_EMBED": "hashing"},
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(bad) in proc.stderr
    assert proc.stdout == ""
    expected = {
        "truncated": "corrupt or truncated",
        "garbage": "corrupt or truncated",
        "foreign": "not an aga_npc.llm.recording file",
        "bad entry": "prompt_tokens is not a token count",
    }[damage]
    assert expected in proc.stderr


def test_record_and_replay_together_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*RUN, "--record", "a.rec", "--replay", "b.rec"])
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
