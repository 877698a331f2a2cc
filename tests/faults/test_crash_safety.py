"""Crash safety: a headless run killed with SIGKILL at random moments restarts from its last
checkpoint, loses at most one game hour, and never leaves a file that fails to load."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgpack
import pytest

from aga_npc.errors import CorruptFileError
from aga_npc.town.save import previous_save_path, read_save

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
START = 6 * 60  # the town starts at 06:00 of day 1
DAYS = 3
KILLS = 20
PROGRESS = re.compile(rb"(\d+)/(\d+) h")


def command(ck: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "aga_npc.sim",
        "run",
        "--map",
        str(DATA / "small_town.tmx"),
        "--personas",
        str(DATA / "residents"),
        "--days",
        str(DAYS),
        "--embed",
        "hashing",
        "--checkpoint",
        str(ck),
        "--resume",
        "--json",
        str(out),
    ]


def saved_minute(ck: Path) -> int:
    """The game minute of the checkpoint (it must load); START when none was written yet."""
    if not ck.exists():
        return START
    snap = read_save(ck)
    clock = snap.meta["clock"]
    minute = (int(clock["day"]) - 1) * 1440 + int(clock["minute_of_day"])
    ledger = msgpack.unpackb((ck.parent / (ck.name + ".ledger")).read_bytes(), raw=False)
    assert isinstance(ledger["ledger"]["entries"], list)
    return minute


@pytest.mark.slow
def test_sigkill_at_twenty_random_points_loses_at_most_an_hour(tmp_path: Path) -> None:
    ck = tmp_path / "town.sav"
    out = tmp_path / "report.json"
    rng = random.Random(2024)
    kills = 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for _attempt in range(120):
        before = saved_minute(ck)
        proc = subprocess.Popen(
            command(ck, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        time.sleep(rng.uniform(0.3, 1.2))
        if proc.poll() is not None:  # finished before the kill: start a new run
            _, err = proc.communicate()
            assert proc.returncode == 0, err.decode()
            if kills >= KILLS:
                break
            for path in (ck, previous_save_path(ck), ck.parent / (ck.name + ".ledger")):
                path.unlink(missing_ok=True)
            continue
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        kills += 1
        hours = [int(m.group(1)) for m in PROGRESS.finditer(err)]
        reached = before + (hours[-1] * 60 if hours else 0)
        after = saved_minute(ck)  # loads, or the test fails here
        assert after >= before, "a restart never goes back in time"
        assert reached - after <= 60, f"lost {reached - after} game minutes"
    assert kills >= KILLS, f"only {kills} kill points (runs too fast?)"
    final = subprocess.run(command(ck, out), capture_output=True, timeout=300)
    assert final.returncode == 0, final.stderr.decode()
    report = json.loads(out.read_text())
    assert report["violations"]["agent_days"] == DAYS * report["npcs"]
    assert all(a["activities"] for a in report["agents"].values())


def test_resume_from_a_truncated_checkpoint_uses_the_previous_save(tmp_path: Path) -> None:
    ck = tmp_path / "town.sav"
    out = tmp_path / "report.json"
    cmd = command(ck, out)
    cmd[cmd.index("--days") + 1] = "1"
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    prev = previous_save_path(ck)
    assert ck.exists() and prev.exists()
    data = ck.read_bytes()
    ck.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError) as exc:
        read_save(ck)
    assert str(ck) in str(exc.value)
    done = subprocess.run(cmd, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert b"warning" in done.stderr and str(ck).encode() in done.stderr
    read_save(prev)  # the previous good save is still there and loads
