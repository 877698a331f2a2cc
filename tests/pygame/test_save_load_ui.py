"""F5 saves through a worker, F9 loads through a worker and applies on the main thread."""

from __future__ import annotations

from pathlib import Path

import pygame
from pygame_helpers import AppFactory, HostFactory, run_until

from aga_npc.town.save import previous_save_path


def _post_key(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def test_f5_then_f9_restores_positions_clock_and_memories(
    make_host: HostFactory, make_app: AppFactory, tmp_path: Path
) -> None:
    host = make_host(start="07:30")
    save = tmp_path / "saves" / "town.aga"
    app = make_app(host, save_path=save)
    host.set_speed(60.0)  # a game minute per frame: the town moves on quickly
    run_until(app, lambda: host.clock.minute_of_day >= 8 * 60)
    host.paused = True  # the state packed by F5 stays as it is while we look at it
    _post_key(pygame.K_F5)
    app.frame(1 / 60)
    town = host.town
    clock = host.clock
    tiles = {n: town.world.agent_tile(n) for n in host.names()}
    memories = {n: town.brains[n].snapshot().memories for n in host.names()}
    run_until(app, lambda: app._save_ticket is None)
    assert save.is_file()
    assert any("saved" in m for m, _ in app.hud.messages)
    host.paused = False

    run_until(app, lambda: host.clock.total_minutes >= clock.total_minutes + 45)
    assert {n: town.world.agent_tile(n) for n in host.names()} != tiles or host.clock != clock

    host.paused = True  # so the restored clock can be compared exactly
    _post_key(pygame.K_F9)
    app.frame(1 / 60)
    run_until(app, lambda: app._load_ticket is None)
    assert host.clock == clock
    assert {n: town.world.agent_tile(n) for n in host.names()} == tiles
    assert {n: town.brains[n].snapshot().memories for n in host.names()} == memories
    assert any("loaded" in m for m, _ in app.hud.messages)
    for name in host.names():
        x, y = host.position(name)
        assert app.sprites[name].pos == (x + 0.5, y + 0.5)


def test_f9_on_a_damaged_save_loads_the_previous_one(
    make_host: HostFactory, make_app: AppFactory, tmp_path: Path
) -> None:
    host = make_host(start="07:00")
    save = tmp_path / "town.aga"
    app = make_app(host, save_path=save)
    host.set_speed(60.0)
    host.paused = True
    _post_key(pygame.K_F5)
    app.frame(1 / 60)
    first = host.clock
    run_until(app, lambda: app._save_ticket is None)
    host.paused = False
    run_until(app, lambda: host.clock.total_minutes >= first.total_minutes + 20)
    _post_key(pygame.K_F5)
    app.frame(1 / 60)
    run_until(app, lambda: app._save_ticket is None)
    assert previous_save_path(save).is_file()
    save.write_bytes(save.read_bytes()[:-7])  # truncated

    host.paused = True
    _post_key(pygame.K_F9)
    app.frame(1 / 60)
    run_until(app, lambda: app._load_ticket is None and host.clock == first, timeout=10)
    messages = " | ".join(m for m, _ in app.hud.messages)
    assert "corrupt" in messages and str(save) in messages
    assert "previous save" in messages
