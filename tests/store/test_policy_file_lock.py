"""One writer per policy file: a second writer (another process or another store) is refused
with a clear error and the first writer's entries all survive; ``recover`` salvages a damaged
file through ``PolicyStore.open``, ``HostConfig`` and ``sim run --recover``."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from aga_npc.errors import CorruptFileError, PolicyFileLocked, StoreError
from aga_npc.policy import PolicyScope, PolicyStore
from aga_npc.store.lock import FileLock, lock_path_for
from aga_npc.types import Action

DIM = 8
ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from aga_npc.policy import PolicyScope, PolicyStore
    from aga_npc.types import Action

    def vec(i):
        v = np.random.default_rng(i).normal(size=8).astype(np.float32)
        return v / np.linalg.norm(v)

    acts = [Action(verb="use", target="Home:room:thing", duration=5)]
    store = PolicyStore.open(sys.argv[1], embedder_name="test", dim=8)
    for i in range(int(sys.argv[2])):
        store.add(f"routine {i}", vec(i), actions=acts, place="Home", scope=PolicyScope.town())
        store.flush()
    print("holding", flush=True)
    sys.stdin.readline()  # the parent tries to open the same file meanwhile
    for i in range(int(sys.argv[2]), 2 * int(sys.argv[2])):
        store.add(f"routine {i}", vec(i), actions=acts, place="Home", scope=PolicyScope.town())
        store.flush()
    store.close()
    print("closed", flush=True)
    """
)


def vec(i: int) -> np.ndarray:
    v = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def open_store(path: Path, **kw: object) -> PolicyStore:
    return PolicyStore.open(path, embedder_name="test", dim=DIM, **kw)  # type: ignore[arg-type]


def add(store: PolicyStore, i: int) -> int:
    acts = [Action(verb="use", target="Home:room:thing", duration=5)]
    return store.add(f"routine {i}", vec(i), actions=acts, place="Home", scope=PolicyScope.town())


def test_a_second_process_gets_a_clear_error_and_the_first_writer_keeps_everything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "policies.aga"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "100"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        assert proc.stdout.readline().strip() == "holding"
        with pytest.raises(PolicyFileLocked) as err:
            open_store(path)
        message = str(err.value)
        assert str(path) in message and "another aga_npc process" in message
        assert err.value.lock_path == str(lock_path_for(path))
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "closed"
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        proc.stdout.close()
    assert proc.returncode == 0
    with open_store(path) as store:  # the lock went with the writer
        assert sorted(e.plan_text for e in store.entries()) == sorted(
            f"routine {i}" for i in range(200)
        )


def test_a_second_store_in_the_same_process_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "policies.aga"
    first = open_store(path)
    add(first, 1)
    with pytest.raises(PolicyFileLocked):
        open_store(path)
    with pytest.raises(PolicyFileLocked):
        PolicyStore(embedder_name="test", dim=DIM).save(path)  # create() is guarded too
    first.close()
    with open_store(path) as again:
        assert [e.plan_text for e in again.entries()] == ["routine 1"]


def test_the_lock_is_released_by_a_writer_that_dies(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    code = (
        f"from aga_npc.store.lock import FileLock; FileLock({str(path)!r}); import os; os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert lock_path_for(path).exists()  # left behind, harmless
    with FileLock(path) as lock:
        assert lock.held


def _damage(path: Path) -> int:
    """Write 30 entries and flip a byte in the middle of the file; returns its size."""
    with open_store(path) as store:
        for i in range(30):
            add(store, i)
            store.flush()
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    return len(data)


def test_recover_says_what_it_salvaged(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    _damage(path)
    with pytest.raises(CorruptFileError):
        open_store(path)
    with open_store(path, recover=True) as store:
        report = store.recovery
        assert report is not None
        assert 0 < report.entries_kept < 30 and report.entries_kept == len(store)
        assert Path(report.damaged_copy).exists() and ".corrupt" in report.damaged_copy
        text = report.describe()
        assert f"kept {report.entries_kept} routines" in text and report.damaged_copy in text
    with open_store(path) as again:  # rewritten: opens without recover now
        assert again.recovery is None and len(again) == report.entries_kept


def test_sim_run_recover_flag_reports_the_salvage(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    from aga_npc.embed import CachedEmbedder, HashingEmbedder

    emb = CachedEmbedder(HashingEmbedder())
    with PolicyStore.open(path, embedder=emb) as store:
        for i in range(30):
            acts = [Action(verb="use", target="Home:room:thing", duration=5)]
            store.add(
                f"routine {i}",
                emb.embed([f"routine {i}"])[0],
                actions=acts,
                place="Home",
                scope=PolicyScope.town(),
            )
            store.flush()
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    base = [sys.executable, "-m", "aga_npc.sim", "run", "--npcs", "3", "--days", "1"]
    base += ["--embed", "hashing", "--quiet", "--policy-store", str(path)]
    base += ["--json", str(tmp_path / "r.json")]
    refused = subprocess.run(base, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert refused.returncode != 0 and "recover" in refused.stderr
    done = subprocess.run(
        [*base, "--recover"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "recovered" in done.stderr and "routines" in done.stderr and ".corrupt" in done.stderr


def test_host_config_recover_opens_a_damaged_file(tmp_path: Path) -> None:
    pytest.importorskip("pygame")
    from aga_npc.embed import CachedEmbedder, HashingEmbedder
    from aga_npc.host.town_host import HostConfig, TownHost
    from aga_npc.personas.loader import town_personas

    path = tmp_path / "policies.aga"
    emb = CachedEmbedder(HashingEmbedder())
    with PolicyStore.open(path, embedder=emb) as store:
        for i in range(30):
            acts = [Action(verb="use", target="Home:room:thing", duration=5)]
            store.add(
                f"routine {i}",
                emb.embed([f"routine {i}"])[0],
                actions=acts,
                place="Home",
                scope=PolicyScope.town(),
            )
            store.flush()
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    people = town_personas(3)
    config = HostConfig(embed="hashing", policy_path=path, standin_process=False)
    with pytest.raises(StoreError):
        TownHost.create(people, config=config, embedder=emb)
    host = TownHost.create(
        people,
        config=HostConfig(embed="hashing", policy_path=path, standin_process=False, recover=True),
        embedder=CachedEmbedder(HashingEmbedder()),
    )
    try:
        report = host.policy_recovery
        assert report is not None and 0 < report.entries_kept < 30
        assert len(host.policy_store) == report.entries_kept
        with pytest.raises(PolicyFileLocked):  # the host is the one writer now
            open_store(path)
    finally:
        host.close()
