"""The API key never appears in any file a run writes (reports, checkpoints, ledgers,
policy stores), nor in what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fault_server import FaultServer

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
SECRET = "sk-proj-SECRET-do-not-write-4f2a9c"


@pytest.mark.integration
def test_api_key_is_in_no_file_the_run_writes(tmp_path: Path) -> None:
    server = FaultServer(rate=0.1, seed=5)
    try:
        env = {
            **os.environ,
            "AGA_LLM": "openai",
            "AGA_LLM_BASE_URL": server.base_url,
            "OPENAI_API_KEY": SECRET,
        }
        out = tmp_path / "run"
        out.mkdir()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "aga_npc.sim",
                "run",
                "--map",
                str(DATA / "small_town.tmx"),
                "--personas",
                str(DATA / "residents"),
                "--days",
                "1",
                "--embed",
                "hashing",
                "--checkpoint",
                str(out / "town.sav"),
                "--policy-store",
                str(out / "policy.log"),
                "--json",
                str(out / "report.json"),
            ],
            env=env,
            capture_output=True,
            timeout=300,
        )
    finally:
        server.down()
    assert done.returncode == 0, done.stderr.decode()
    written = [p for p in out.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"town.sav", "town.sav.ledger", "policy.log", "report.json"} <= names
    assert server.served > 0, "the run really talked to the endpoint with the key"
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET.encode() not in done.stdout + done.stderr
    report = (out / "report.json").read_text()
    assert '"backend": "openai"' in report
