"""GameApp: the demo's frame loop (events, brains, movement, drawing) around a TownHost.

One frame: handle events; move the player; ``host.update(dt)`` (drains finished requests,
ticks a slice of the brains, advances conversations, the clock and walking agents); move
the sprites to the agents' positions; draw map, sprites, foreground, labels, overlays and
UI; flip. Nothing in a frame waits on the network, a model or the disk: saving packs the
state here and a worker writes the file; loading reads on a worker and applies here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygame

from aga_npc.errors import AgaError, CorruptFileError
from aga_npc.host.stats import FrameStats
from aga_npc.host.town_host import TownHost
from aga_npc.ports import RequestTicket
from aga_npc.pygame.characters import kenney_townsfolk
from aga_npc.pygame.dialogue import DialogueBox
from aga_npc.pygame.hud import OFFLINE_NOTICE, Hud
from aga_npc.pygame.inspector import Inspector
from aga_npc.pygame.maps import MapLayers, load_map_layers
from aga_npc.pygame.npc_view import NpcView
from aga_npc.pygame.overlay import DebugOverlay, panel_lines
from aga_npc.pygame.player import PlayerBody, direction_from_keys
from aga_npc.pygame.relations import RelationsView
from aga_npc.pygame.sprites import SpriteLayer
from aga_npc.pygame.text import TextCache
from aga_npc.pygame.viewport import Viewport
from aga_npc.town.save import previous_save_path
from aga_npc.types import CallResult

__all__ = ["SPEEDS", "AppConfig", "GameApp"]

SPEEDS = {pygame.K_1: 1.0, pygame.K_2: 10.0, pygame.K_3: 60.0}
PLAYER = "player"
MAX_DT = 0.1
STATS_EVERY = 0.25
RELATIONS_EVERY = 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class AppConfig:
    """Window and loop settings.

    Attributes:
        size: window size in pixels.
        zoom: integer map zoom (16 px tiles are drawn ``16 * zoom`` px wide).
        fps: frame cap (``clock.tick(fps)``); 0 runs uncapped.
        save_path: where F5 saves and F9 loads.
        player_speed: tiles per real second.
        talk_radius: how near (tiles) an NPC must be for ``E``.
        warmup_frames: first frames left out of the frame statistics.
        brain_budget: brains ticked per frame (None: all within about 15 frames).
        title: window title.
    """

    size: tuple[int, int] = (1280, 720)
    zoom: int = 2
    fps: int = 60
    save_path: Path = field(default_factory=lambda: Path("saves") / "town.aga")
    player_speed: float = 5.0
    talk_radius: float = 2.5
    warmup_frames: int = 30
    brain_budget: int | None = None
    title: str = "aga_npc - demo town"

    def __post_init__(self) -> None:
        if self.zoom < 1:
            raise ValueError(f"zoom must be an integer >= 1, got {self.zoom}")
        if self.fps < 0:
            raise ValueError(f"fps must be >= 0, got {self.fps}")


class GameApp:
    """The demo game around a host: window, input, drawing, the frame loop.

    Args:
        host: the town and its brains.
        map_path: the TMX file drawn as the map (the one the host's world was loaded from).
        config: window and loop settings.
        player_start: the player's start tile (default: the map's centre area).
    """

    def __init__(
        self,
        host: TownHost,
        map_path: str | os.PathLike[str],
        *,
        config: AppConfig | None = None,
        player_start: tuple[int, int] | None = None,
    ) -> None:
        self.host = host
        self.config = config or AppConfig()
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(self.config.title)
        self.screen = pygame.display.set_mode(self.config.size)
        if hasattr(pygame.key, "start_text_input"):
            pygame.key.start_text_input()
        self.clock = pygame.time.Clock()
        self.text = TextCache()
        zoom = self.config.zoom
        self.map: MapLayers = load_map_layers(map_path, zoom)
        world = host.town.world
        self.view = Viewport(self.config.size, (world.width, world.height), 16 * zoom)
        # the same reusable widget a game of its own uses, under this demo's viewport
        self.npcs = NpcView(
            host,
            self.view.to_screen,
            sheet=kenney_townsfolk(),
            text=self.text,
            labels="name",
            emotes=True,
            tile_px=16 * zoom,
        )
        self.sprites: SpriteLayer = self.npcs.sprites
        start = player_start or _player_start(host)
        self._player_tile_told: tuple[int, int] | None = None
        self.player = PlayerBody(
            start[0] + 0.5, start[1] + 0.5, world.grid.is_walkable, speed=self.config.player_speed
        )
        self.npcs.add(PLAYER, character=0, tag="You")
        self.hud = Hud(self.text, notice=OFFLINE_NOTICE if host.offline else "")
        self.overlay = DebugOverlay(self.text)
        self.show_overlay = False
        self.inspector = Inspector(self.text)
        self.relations = RelationsView(self.text)
        self.show_relations = False
        self.dialogue: DialogueBox | None = None
        self.stats = FrameStats(warmup=self.config.warmup_frames)
        self.running = True
        self.autopilot: Callable[[float], tuple[float, float]] | None = None
        self._save_ticket: RequestTicket[CallResult] | None = None
        self._load_ticket: tuple[RequestTicket[CallResult], Path] | None = None
        self._clock_s = 0.0
        self._stats_at = -1.0
        self._relations_at = -1e9
        self._panel: list[str] = []
        self._brain_ms = 0.0
        self._talks: list[dict[str, Any]] = []
        self._talks_at = -1e9
        self._sync_sprites(0.0)
        # The first draw pays one-time costs (glyphs rendered, surfaces converted at their
        # first blit, 15-20 ms): paid here, before the first frame.
        self.draw()

    # ------------------------------------------------------------------ the loop
    def run(self, frames: int | None = None) -> FrameStats:
        """Run until the window closes (or ``frames`` frames); returns the frame statistics.

        Frame time is update plus draw, measured without the frame-cap sleep.
        """
        count = 0
        while self.running and (frames is None or count < frames):
            ms = self.clock.tick(self.config.fps) if self.config.fps else self.clock.tick()
            self.step(ms / 1000.0)
            count += 1
        return self.stats

    def step(self, dt: float) -> float:
        """One frame of ``dt`` seconds, timed into the frame statistics (wall time and the
        main thread's CPU time); returns its wall ms."""
        started = time.perf_counter()
        cpu_started = time.thread_time()
        self.host.begin_frame()
        try:
            brain_ms = self.frame(dt)
        finally:
            self.host.end_frame()
        frame_ms = (time.perf_counter() - started) * 1000.0
        self.stats.record(frame_ms, brain_ms, (time.thread_time() - cpu_started) * 1000.0)
        return frame_ms

    def frame(self, dt: float) -> float:
        """One frame of ``dt`` real seconds; returns the milliseconds spent in brains."""
        dt = min(max(dt, 0.0), MAX_DT)
        self._clock_s += dt
        for event in pygame.event.get():
            self.handle_event(event)
        self._move_player(dt)
        self._tell_host_where_the_player_is()
        self._brain_ms = self.host.update(dt, brain_budget=self.config.brain_budget)
        self._poll_files()
        if self.dialogue is not None:
            self.dialogue.update(dt)
        self._sync_sprites(dt)
        self.draw()
        pygame.display.flip()
        return self._brain_ms

    # ------------------------------------------------------------------ input
    def handle_event(self, event: Any) -> None:
        """React to one pygame event (the dialogue box gets key events first)."""
        if event.type == pygame.QUIT:
            self.running = False
            return
        if self.dialogue is not None and self.dialogue.handle_event(event):
            if self.dialogue.closed:
                self.dialogue = None
            return
        if event.type == pygame.KEYDOWN:
            self._key(event.key)
        elif event.type == pygame.MOUSEWHEEL and self.inspector.name is not None:
            self.inspector.scroll_by(-3 * int(event.y))
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.show_overlay:
            name = self.sprites.at(event.pos)
            if name is not None and name != PLAYER:
                self.inspector.open(name)
                self._talks_at = -1e9
            else:
                self.inspector.close()

    def _key(self, key: int) -> None:
        host = self.host
        if key == pygame.K_e:
            self.open_dialogue()
        elif key in (pygame.K_SPACE, pygame.K_p):
            host.paused = not host.paused
        elif key in SPEEDS:
            host.set_speed(SPEEDS[key])
            self.hud.message(f"game speed x{SPEEDS[key]:g}", self._clock_s, 1.5)
        elif key == pygame.K_F1:
            self.show_overlay = not self.show_overlay
            if not self.show_overlay:
                self.inspector.close()
        elif key == pygame.K_F2:
            self.show_relations = not self.show_relations
            self._relations_at = -1e9
        elif key == pygame.K_F5:
            self.save()
        elif key == pygame.K_F9:
            self.load()
        elif key == pygame.K_h:
            self.hud.show_help = not self.hud.show_help
        elif key == pygame.K_ESCAPE:
            self.inspector.close()
            self.hud.show_help = False
            self.show_relations = False

    def open_dialogue(self, npc: str | None = None, *, swallow: str = "e") -> DialogueBox | None:
        """Open the dialogue with ``npc`` (default: the nearest NPC within talk range)."""
        if self.dialogue is not None:
            return self.dialogue
        if npc is None:
            px, py = self.player.x - 0.5, self.player.y - 0.5
            npc = self.host.nearest(px, py, self.config.talk_radius)
        if npc is None:
            self.hud.message("nobody near enough to talk to", self._clock_s, 2.0)
            return None
        self.host.begin_talk(npc)
        name = npc
        self.dialogue = DialogueBox(
            npc,
            send=lambda text: self.host.say(name, text),
            close=lambda: self.host.end_talk(name),
            text=self.text,
            note="offline stand-in LLM" if self.host.offline else "",
            swallow=swallow,
        )
        return self.dialogue

    def _move_player(self, dt: float) -> None:
        if self.dialogue is not None:
            return
        if self.autopilot is not None:
            dx, dy = self.autopilot(dt)
        else:
            dx, dy = direction_from_keys(pygame.key.get_pressed())
        if dx or dy:
            self.player.move(dx, dy, dt)

    def _tell_host_where_the_player_is(self) -> None:
        """NPCs wait before the player's tile instead of walking through the player."""
        tile = self.player.tile
        if tile != self._player_tile_told:
            self._player_tile_told = tile
            try:
                self.host.set_player(tile=tile)
            except ValueError:  # off the map (a debug teleport): nobody waits
                self.host.clear_player()

    # ------------------------------------------------------------------ save / load
    def save(self) -> None:
        """Pack the town now and let a worker write it (F5)."""
        if self._save_ticket is not None:
            return
        try:
            self._save_ticket = self.host.save(self.config.save_path)
        except (AgaError, TypeError, ValueError) as exc:
            self.hud.message(f"cannot save: {exc}", self._clock_s, 6.0)
            return
        self.hud.message("saving...", self._clock_s, 1.0)

    def load(self, path: Path | None = None) -> None:
        """Read a save on a worker and apply it when read (F9)."""
        if self._load_ticket is not None:
            return
        target = path or self.config.save_path
        self._load_ticket = (self.host.begin_load(target), target)

    def _poll_files(self) -> None:
        now = self._clock_s
        ticket = self._save_ticket
        if ticket is not None and ticket.done():
            self._save_ticket = None
            result = ticket.result()
            if result is not None and result.ok:
                self.hud.message(
                    f"saved {self.host.clock} to {self.config.save_path} "
                    f"({int(result.value) // 1024} KB)",
                    now,
                )
            else:
                error = result.error if result is not None else "no result"
                self.hud.message(f"save failed: {error}", now, 8.0)
        if self._load_ticket is not None and self._load_ticket[0].done():
            load_ticket, path = self._load_ticket
            self._load_ticket = None
            result = load_ticket.result()
            assert result is not None
            try:
                info = self.host.finish_load(result, path)
            except CorruptFileError as exc:
                self.hud.message(str(exc), now, 8.0)
                prev = previous_save_path(path)
                if path != prev and prev.exists():
                    self.hud.message(f"loading the previous save {prev}", now, 8.0)
                    self.load(prev)
                return
            except AgaError as exc:
                self.hud.message(f"load failed: {exc}", now, 8.0)
                return
            self._after_load()
            self.hud.message(f"loaded {info.clock} from {path}", now)

    def _after_load(self) -> None:
        if self.dialogue is not None:
            self.dialogue.closed = True
            self.dialogue = None
        self.overlay.invalidate()
        self._relations_at = -1e9
        for sprite in self.sprites.sprites.values():
            if sprite.name != PLAYER:
                sprite.pos = None
        self._sync_sprites(0.0)

    # ------------------------------------------------------------------ sprites
    def _sync_sprites(self, dt: float) -> None:
        player = self.sprites[PLAYER]
        player.move_to(self.player.x, self.player.y, dt)
        self.view.follow(self.player.x, self.player.y)
        self.npcs.update(dt)
        if self.dialogue is not None and self.dialogue.npc in self.sprites.sprites:
            sprite = self.sprites[self.dialogue.npc]
            if sprite.pos is not None:
                sprite.face_towards(self.player.x, self.player.y)
                player.face_towards(*sprite.pos)

    # ------------------------------------------------------------------ drawing
    def draw(self) -> None:
        """Draw one frame into the window surface (without flipping)."""
        screen = self.screen
        view = self.view
        area = view.source_rect()
        dest = view.dest_pos()
        if dest != (0, 0) or area[2] < view.width or area[3] < view.height:
            screen.fill((20, 22, 30))
        screen.blit(self.map.background, dest, area)
        self.npcs.draw_sprites(screen)
        self.map.draw_foreground(screen, view.x, view.y)
        self.npcs.draw_labels(screen)
        host = self.host
        now = self._clock_s
        if self.show_overlay:
            names = [s.name for s in self.sprites.visible if s.name != PLAYER]
            if self.inspector.name is not None:
                names.append(self.inspector.name)
            self.overlay.refresh(names, host.snapshot, now)
            if now - self._stats_at >= STATS_EVERY or not self._panel:
                self._stats_at = now
                frame_ms, brain_ms = self.stats.recent()
                self._panel = panel_lines(
                    host.stats(),
                    backend=self._backend_label(),
                    npcs=len(host.names()),
                    speed=host.minutes_per_second,
                    frame_ms=frame_ms,
                    brain_ms=brain_ms,
                )
            self.overlay.draw(screen, self.npcs.anchors(), self._panel)
            name = self.inspector.name
            if name is not None:
                snap = self.overlay.snapshots.get(name)
                if now - self._talks_at >= STATS_EVERY:
                    self._talks_at = now
                    talk = host.conversation(name)
                    self._talks = [talk] if talk is not None else []
                    self._talks.extend(host.conversation_log(name))
                if snap is not None:
                    self.inspector.draw(screen, snap, self._talks)
        if self.show_relations:
            if now - self._relations_at >= RELATIONS_EVERY:
                self._relations_at = now
                self.relations.rebuild(host.snapshots(), include_player=True)
            self.relations.draw(screen)
        if self.dialogue is not None:
            self.dialogue.draw(screen)
        self.hud.draw(
            screen,
            clock=str(host.clock),
            speed=host.minutes_per_second,
            paused=host.paused,
            npcs=len(host.names()),
            now=now,
        )

    def _backend_label(self) -> str:
        host = self.host
        if host.offline:
            return "offline stand-in"
        where = host.settings.base_url or "api.openai.com"
        return f"{host.backend_name} {host.model} @ {where}"

    def close(self) -> None:
        """Close the host and the window."""
        self.host.close()
        pygame.display.quit()


def _player_start(host: TownHost) -> tuple[int, int]:
    """A walkable tile in the town square (or near the map's centre)."""
    world = host.town.world
    layout = world.layout
    for sector in ("Town Square", "Elm Park"):
        info = layout.sectors.get(sector)
        if info is not None and info.rects:
            x0, y0, x1, y1 = info.rects[0]
            origin = ((x0 + x1) // 2, (y0 + y1) // 2)
            break
    else:
        origin = (world.width // 2, world.height // 2)
    best: tuple[int, int] | None = None
    best_d = 1 << 30
    for y in range(world.height):
        for x in range(world.width):
            if world.grid.is_walkable((x, y)):
                d = abs(x - origin[0]) + abs(y - origin[1])
                if d < best_d:
                    best, best_d = (x, y), d
    if best is None:
        raise ValueError("the map has no walkable tile for the player")
    return best
