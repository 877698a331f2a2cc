"""Make the README screenshots from a headless run of the real demo town.

    python tools/screenshots.py --out docs/screenshots

Runs the demo's own GameApp with the SDL dummy driver: the town lives through its first
day at x60 and 60 frames a second, the clock held whenever more than a few LLM requests
are open (so the day is lived as at play speed: routines are learned and come back on
day 2 as Lifestyle Policy hits; a few minutes), the
player walks to where most NPCs are, and four pictures are saved: the town (``town.png``),
the F1 overlay with one NPC's inspector (``overlay.png``), a dialogue (``dialogue.png``)
and the F2 relationship heatmap (``relations.png``). Look at them before committing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame

from aga_npc.host.town_host import HostConfig, TownHost
from aga_npc.personas.loader import town_personas
from aga_npc.pygame.app import AppConfig, GameApp
from aga_npc.town.build import default_map_path
from aga_npc.world.clock import GameClock


def busiest_spot(app: GameApp) -> tuple[float, float]:
    """The tile point whose screenful holds the most NPCs outside their homes."""
    host = app.host
    world = host.town.world
    view_w = app.view.width / app.view.tile_px
    view_h = app.view.height / app.view.tile_px
    points = []
    for name in host.names():
        place = world.agent_place(name)
        x, y = host.position(name)
        home = world.agent_home(name)
        if place is not None and place[0] == home:
            continue
        points.append((x, y))
    best, best_n = (world.width / 2, world.height / 2), -1
    for cx, cy in points:
        n = sum(1 for x, y in points if abs(x - cx) < view_w / 2.5 and abs(y - cy) < view_h / 2.5)
        if n > best_n:
            best, best_n = (cx, cy), n
    return best


def place_player(app: GameApp, x: float, y: float) -> None:
    """Put the player on a walkable tile near ``(x, y)`` with no NPC within two tiles."""
    host = app.host
    grid = host.town.world.grid
    npcs = [host.position(n) for n in host.names()]
    best, best_d = None, 1e9
    for ty in range(int(y) - 8, int(y) + 9):
        for tx in range(int(x) - 8, int(x) + 9):
            if not grid.is_walkable((tx, ty)):
                continue
            if any(abs(nx - tx) < 2 and abs(ny - ty) < 2 for nx, ny in npcs):
                continue
            d = (tx - x) ** 2 + (ty - y) ** 2
            if d < best_d:
                best, best_d = (tx, ty), d
    if best is not None:
        app.player.x, app.player.y = best[0] + 0.5, best[1] + 0.5


def pick_npc(app: GameApp) -> str:
    """An on-screen NPC to inspect: one acting on a Lifestyle Policy hit if any, else the
    one nearest the middle of the screen."""
    cx, cy = app.view.width / 2, app.view.height / 2
    shown = [s for s in app.sprites.visible if s.name != "player"]
    if not shown:
        return app.host.names()[0]
    snaps = app.overlay.snapshots
    reused = [s for s in shown if s.name in snaps and snaps[s.name].source == "policy"]
    pool = reused or shown
    best = min(pool, key=lambda s: (s.box.centerx - cx) ** 2 + (s.box.centery - cy) ** 2)
    return best.name


def talk_partner(app: GameApp) -> str | None:
    """The NPC nearest the player among those drawn above where the dialogue box opens
    (the lower third of the screen), so the picture shows who is talking."""
    px, py = app.sprites["player"].box.center
    above = [
        s
        for s in app.sprites.visible
        if s.name != "player" and s.box.bottom < app.view.height * 0.62
    ]
    if not above:
        return None
    return min(above, key=lambda s: (s.box.centerx - px) ** 2 + (s.box.centery - py) ** 2).name


def open_requests(host: TownHost) -> int:
    """Requests queued or running on the gateway."""
    stats = host.gateway.stats()
    return stats["pending"] + stats["in_flight"]


def catch_up(app: GameApp, backlog: int = 4, limit: float = 20.0) -> None:
    """At x60 a game day passes in 24 s, faster than the LLM answers: while more than
    ``backlog`` requests are open, hold the clock (frames go on, paused) for at most
    ``limit`` seconds, so the first day is lived and learned as at play speed."""
    host = app.host
    deadline = time.monotonic() + limit
    host.paused = True
    try:
        while open_requests(host) > backlog and time.monotonic() < deadline:
            run(app, 1)
    finally:
        host.paused = False


def run(app: GameApp, frames: int) -> None:
    """``frames`` frames at the demo's pace (60 a second): the gateway's work runs in the
    gaps between frames, as it does when the game is played."""
    for _ in range(frames):
        started = time.perf_counter()
        app.step(1 / 60)
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - started)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--start", default="07:30")
    parser.add_argument(
        "--until",
        default="2 10:00",
        help="game time of the pictures: 'DAY HH:MM' (day 2: "
        "routines learned on day 1 come back as Lifestyle Policy hits)",
    )
    parser.add_argument("--embed", default=None, help="local | openai | hashing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--map", type=Path, default=None, help="TMX map (default: bundled)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    map_path = args.map or default_map_path()
    host = TownHost.create(
        town_personas(25),
        map_path=map_path,
        config=HostConfig(seed=args.seed, start=args.start, embed=args.embed),
    )
    app = GameApp(host, map_path, config=AppConfig(size=(1280, 720)))
    try:
        day_text, hhmm = args.until.split()
        until = GameClock.at(hhmm, day=int(day_text)).total_minutes
        host.set_speed(60.0)  # a game minute per frame
        while host.clock.total_minutes < until - 5:
            run(app, 1)
            catch_up(app)
        host.set_speed(1.0)
        place_player(app, *busiest_spot(app))
        run(app, 90)
        pygame.image.save(app.screen, str(args.out / "town.png"))

        app.show_overlay = True
        run(app, 30)
        npc = pick_npc(app)
        app.inspector.open(npc)
        run(app, 30)
        pygame.image.save(app.screen, str(args.out / "overlay.png"))
        app.inspector.close()
        app.show_overlay = False

        talk_to = talk_partner(app) or npc
        box = app.open_dialogue(talk_to, swallow="")
        assert box is not None
        box.input = "Good morning! What are you up to today?"
        box.submit()
        deadline = time.monotonic() + 30
        while box.waiting and time.monotonic() < deadline:
            run(app, 1)
        box.input = "Sounds lovely. See you later!"
        run(app, 20)
        pygame.image.save(app.screen, str(args.out / "dialogue.png"))
        box.close()
        app.dialogue = None

        app.show_relations = True
        run(app, 5)
        pygame.image.save(app.screen, str(args.out / "relations.png"))
        print(f"screenshots of {host.clock} written to {args.out}")
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
