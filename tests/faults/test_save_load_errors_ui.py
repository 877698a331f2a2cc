"""The demo shows every load error in its HUD and keeps running with the town unchanged:
a malformed save (valid checksums, wrong structure), a save of another map, a walk path
off the map, a missing file."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pygame = pytest.importorskip("pygame")

from aga_npc.config import Settings  # noqa: E402
from aga_npc.embed.cache import CachedEmbedder  # noqa: E402
from aga_npc.embed.hashing import HashingEmbedder  # noqa: E402
from aga_npc.host.town_host import HostConfig, TownHost  # noqa: E402
from aga_npc.offline import OfflineLLM  # noqa: E402
from aga_npc.personas.loader import load_personas  # noqa: E402
from aga_npc.pygame.app import AppConfig, GameApp  # noqa: E402
from aga_npc.store.framing import encode_frame, encode_header  # noqa: E402
from aga_npc.store.snapshot import SNAPSHOT_MAGIC  # noqa: E402
from aga_npc.town.save import SCHEMA, VERSION, encode_save, read_save  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[GameApp]:
    host = TownHost.create(
        load_personas(RESIDENTS),
        map_path=SMALL_TOWN,
        config=HostConfig(seed=0, start="07:00"),
        settings=Settings(embed="hashing"),
        backend=OfflineLLM(seed=0),
        embedder=CachedEmbedder(HashingEmbedder()),
    )
    game = GameApp(
        host, SMALL_TOWN, config=AppConfig(size=(480, 320), save_path=tmp_path / "town.aga")
    )
    try:
        yield game
    finally:
        game.close()
        host.close()
        pygame.quit()


def _run_until(app: GameApp, done: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the load never finished"
        app.frame(1 / 60)
        time.sleep(0.002)


def _write(path: Path, body: Any, meta: dict[str, Any]) -> None:
    path.write_bytes(SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION, meta) + encode_frame(body))


def _bad_saves(app: GameApp, tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.aga"
    good.write_bytes(encode_save(app.host.town, policy=app.host.policy_store))
    snap = read_save(good)
    body, meta = snap.body, snap.meta
    who = sorted(body["brains"])[0]
    out: dict[str, Path] = {}

    def variant(name: str, change: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
        b, m = read_save(good).body, dict(meta)
        change(b, m)
        out[name] = tmp_path / f"{name}.aga"
        _write(out[name], b, m)

    variant("wrong type", lambda b, m: b["world"].__setitem__("agents", "everyone"))
    variant("missing key", lambda b, m: b.pop("stepper"))
    variant(
        "path off the map",
        lambda b, m: b["stepper"].__setitem__(
            "walks", {who: {"path": [[1, 1], [900, 1]], "progress": 0.0, "target": ""}}
        ),
    )
    variant("other map", lambda b, m: m.__setitem__("map_hash", "0" * 64))
    variant("unknown name", lambda b, m: b["brains"].__setitem__("Nobody", b["brains"][who]))
    variant("bad memory", lambda b, m: b["brains"][who]["mind"]["stream"].__setitem__("dim", -4))
    out["missing file"] = tmp_path / "nowhere.aga"
    return out


def test_every_load_error_is_shown_in_the_hud_and_the_town_is_unchanged(
    app: GameApp, tmp_path: Path
) -> None:
    host = app.host
    host.paused = True
    for _ in range(3):
        app.frame(1 / 60)
    before = encode_save(host.town, policy=host.policy_store)
    shown: dict[str, str] = {}
    for name, path in _bad_saves(app, tmp_path).items():
        app.hud.messages.clear()
        app.load(path)
        _run_until(app, lambda: app._load_ticket is None)
        new = [m for m, _ in app.hud.messages]
        assert any("load failed" in m and str(path) in m for m in new), (name, new)
        assert encode_save(host.town, policy=host.policy_store) == before, name
        shown[name] = new[-1]
    assert "another map" in shown["other map"]
    assert "outside" in shown["path off the map"]
    assert "other residents" in shown["unknown name"]
    assert "no such" in shown["missing file"]
