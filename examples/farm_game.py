"""Harvest Hollow: a small pygame + pytmx farming game whose villagers get aga_npc brains.

The game is an ordinary one: a Tiled map (examples/farm/farm.tmx, 16 px Kenney tiles drawn
4x), a camera that scrolls after the player, collisions from the map's `collision` object
layer of rectangles (the host reads the same layer for the villagers), and the farm's
own things - crop fields to harvest, a pond to fish, market stalls to trade at - declared
as object kinds in examples/farm/kinds.toml. The three villagers
(examples/farm/villagers.toml) plan their days with those kinds.

    arrows / WASD  walk             E  harvest, fish or trade at what is next to you
    T  talk to the nearest villager (Enter says, PgUp/PgDn scroll, Esc closes)
    N  sleep until 6:00 (the game clock skips)    Esc  quit

    python examples/farm_game.py
    python examples/farm_game.py --headless --frames 600   # no window; prints a JSON summary

What adding the brains took is between the `# --- aga_npc glue ---` markers, plus the
lines marked `# glue` (tests/examples/test_farm_game.py counts them: at most 60). There is
deliberately no `if __name__ == "__main__":` guard, as in many pygame tutorials: embedding
the host must not start the game twice.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

parser = argparse.ArgumentParser(description="Harvest Hollow, a farm with aga_npc villagers")
parser.add_argument("--headless", action="store_true", help="no window (SDL dummy driver)")
parser.add_argument("--frames", type=int, default=None, help="stop after N frames")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
if args.frames is not None and args.frames < 1:
    parser.error("--frames must be at least 1")
if args.headless:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
from pytmx.util_pygame import load_pygame  # noqa: E402

HERE = Path(__file__).resolve().parent / "farm"
TILE, SCALE = 16, 4
PX = TILE * SCALE  # one tile on screen
SIZE = (960, 640)
PLAYER_SPEED = 4.0  # tiles per second
ACTIONS = {"field": ("harvest", "vegetables", 2), "fishing spot": ("fish", "fish", 1)}

pygame.display.init()
pygame.font.init()
screen = pygame.display.set_mode(SIZE)
pygame.display.set_caption("Harvest Hollow")
font = pygame.font.Font(None, 26)

# ------------------------------------------------------------------ the map
tmx = load_pygame(str(HERE / "farm.tmx"))
MAP_W, MAP_H = tmx.width, tmx.height


def render_layers(foreground: bool) -> pygame.Surface:
    """The map's tile layers (the `foreground` ones, or the others) drawn 4x, once."""
    surface = pygame.Surface((MAP_W * PX, MAP_H * PX), pygame.SRCALPHA)
    for layer in tmx.visible_tile_layers:
        tiles = tmx.layers[layer]
        if bool(tiles.properties.get("foreground")) != foreground:
            continue
        for x, y, image in tiles.tiles():
            surface.blit(pygame.transform.scale(image, (PX, PX)), (x * PX, y * PX))
    return surface


background, foreground = render_layers(False), render_layers(True)
# collision rectangles in tiles, from the object layer
walls = [
    pygame.Rect(o.x // TILE, o.y // TILE, o.width // TILE, o.height // TILE)
    for o in tmx.get_layer_by_name("collision")
]
# the farm's things, by kind, as tile rectangles with their names
things = [
    (
        o.properties["kind"],
        o.name,
        pygame.Rect(o.x // TILE, o.y // TILE, o.width // TILE, o.height // TILE),
    )
    for o in tmx.get_layer_by_name("objects")
]
places = {name: rect for _, name, rect in things}


class Camera:
    """Scrolls so the player stays in the middle, never past the map's edges."""

    def __init__(self) -> None:
        self.x, self.y = 0.0, 0.0

    def follow(self, tx: float, ty: float) -> None:
        self.x = min(max(tx * PX - SIZE[0] / 2, 0), MAP_W * PX - SIZE[0])
        self.y = min(max(ty * PX - SIZE[1] / 2, 0), MAP_H * PX - SIZE[1])

    def world_to_screen(self, tx: float, ty: float) -> tuple[float, float]:
        """Tile coordinates -> screen pixels (what the aga_npc widgets are given)."""
        return (tx * PX - self.x, ty * PX - self.y)


class Player:
    """The farmer the player walks: a point in tiles with a small body that walls stop."""

    def __init__(self, x: float, y: float) -> None:
        self.x, self.y = x, y
        self.facing = (0, 1)

    def body(self, x: float, y: float) -> pygame.FRect:
        return pygame.FRect(x - 0.3, y - 0.3, 0.6, 0.6)

    def move(self, dx: float, dy: float, dt: float) -> None:
        if dx or dy:
            self.facing = (int(dx), int(dy))
        step = PLAYER_SPEED * dt
        for nx, ny in ((dx * step, 0.0), (0.0, dy * step)):  # x then y: slide along walls
            body = self.body(self.x + nx, self.y + ny)
            if pygame.FRect(0, 0, MAP_W, MAP_H).contains(body) and body.collidelist(walls) < 0:
                self.x, self.y = self.x + nx, self.y + ny

    @property
    def tile(self) -> tuple[int, int]:
        return (int(self.x), int(self.y))


def next_to(x: float, y: float, kind: str | None = None) -> tuple[str, str] | None:
    """The (kind, name) of the thing within a tile of (x, y)."""
    for thing_kind, name, rect in things:
        if (kind is None or thing_kind == kind) and rect.inflate(2, 2).collidepoint(x, y):
            return thing_kind, name
    return None


def autopilot() -> tuple[int, int]:
    """Headless runs: the player walks to the pond's fishing spot (and fishes there)."""
    tx, ty = 12.5, 16.5
    if abs(player.x - tx) > 0.2:
        return (1 if tx > player.x else -1, 0)
    if abs(player.y - ty) > 0.2:
        return (0, 1 if ty > player.y else -1)
    return (0, 0)


camera = Camera()
player = Player(10.5, 10.5)
inventory = {"vegetables": 0, "fish": 0, "coins": 0}
message = "Welcome to Harvest Hollow. E: work  T: talk  N: sleep"

# --- aga_npc glue ---
from aga_npc import HostConfig, IntentKind, TownHost, load_personas  # noqa: E402
from aga_npc.pygame import DialogueBox, NpcView  # noqa: E402

config = HostConfig(kinds=HERE / "kinds.toml", start="07:00", seed=args.seed, minutes_per_second=10)
people = load_personas(HERE / "villagers.toml")
host = TownHost.create(people, map_path=HERE / "farm.tmx", config=config)
host.set_player(name="Robin")
villagers = NpcView(host, camera.world_to_screen, text_size=18, label_width=240)
dialogue: DialogueBox | None = None
executed: dict[str, set[str]] = {}  # what each villager did at the farm's things


def brains_frame(dt: float) -> None:
    host.set_player(tile=player.tile)
    host.update(dt)
    villagers.update(dt)
    if dialogue is not None:
        dialogue.update(dt)
    for name in host.names():  # a villager at the thing it uses: record the verb
        intent, (x, y) = host.intent(name), host.position(name)
        rect = places.get(intent.target.rsplit(":", 1)[-1], pygame.Rect(-9, -9, 1, 1))
        near = rect.inflate(2, 2).collidepoint(x + 0.5, y + 0.5) and not host.walking(name)
        if intent.kind is IntentKind.USE and near:
            executed.setdefault(name, set()).add(intent.verb)


def talk_to_nearest() -> None:
    global dialogue
    name = host.nearest(player.x - 0.5, player.y - 0.5, 2.5)
    if name is not None and dialogue is None:
        host.begin_talk(name)
        dialogue = DialogueBox(
            name, send=lambda text: host.say(name, text), close=lambda: host.end_talk(name)
        )


def dialogue_takes(event: pygame.event.Event) -> bool:
    global dialogue
    if dialogue is None or not dialogue.handle_event(event):
        return False
    if dialogue.closed:
        dialogue = None
    return True


# --- end of aga_npc glue ---


def do_work() -> str:
    """E: the farm's own verbs, for the player."""
    at = next_to(player.x, player.y)
    if at is None:
        return "Nothing to do here."
    kind, name = at
    if kind in ACTIONS:
        verb, item, amount = ACTIONS[kind]
        inventory[item] += amount
        return f"You {verb} at the {name}: +{amount} {item}."
    if kind == "market stall":
        coins = 3 * inventory["vegetables"] + 5 * inventory["fish"]
        inventory.update(vegetables=0, fish=0, coins=inventory["coins"] + coins)
        return f"You trade at the {name}: +{coins} coins."
    return f"A {kind}: nothing to do with it."


def draw_player() -> None:
    sx, sy = camera.world_to_screen(player.x, player.y)
    pygame.draw.circle(screen, (250, 240, 200), (sx, sy - 10), 14)
    pygame.draw.rect(screen, (60, 110, 200), (sx - 12, sy, 24, 22), border_radius=6)
    eye = (sx + player.facing[0] * 6, sy - 12 + player.facing[1] * 4)
    pygame.draw.circle(screen, (30, 30, 30), eye, 3)


def draw_hud() -> None:
    goods = "  ".join(f"{item} {count}" for item, count in inventory.items())
    bar = f"{host.clock}   {goods}"  # glue
    for i, text in enumerate((bar, message)):
        surf = font.render(text, True, (255, 255, 255), (20, 24, 36))
        screen.blit(surf, (10, 8 + i * 26))


clock = pygame.time.Clock()
frame = 0
running = True
while running and (args.frames is None or frame < args.frames):
    dt = clock.tick(60) / 1000.0
    frame += 1
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            running = False
        elif dialogue_takes(event):  # glue
            continue
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            running = False
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_e:
            message = do_work()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_t:
            talk_to_nearest()  # glue
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_n:
            message = f"You sleep until {host.skip_to(6, 0)}."  # glue
    keys = pygame.key.get_pressed()
    if args.headless:
        dx, dy = autopilot()
        message = do_work() if frame % 120 == 0 else message
    else:
        dx = (keys[pygame.K_RIGHT] or keys[pygame.K_d]) - (keys[pygame.K_LEFT] or keys[pygame.K_a])
        dy = (keys[pygame.K_DOWN] or keys[pygame.K_s]) - (keys[pygame.K_UP] or keys[pygame.K_w])
    if dialogue is None:  # glue: the player stands still while talking
        player.move(dx, dy, dt)
    camera.follow(player.x, player.y)
    brains_frame(dt)  # glue
    screen.fill((0, 0, 0))
    screen.blit(background, (-camera.x, -camera.y))
    villagers.draw_sprites(screen)  # glue
    draw_player()
    screen.blit(foreground, (-camera.x, -camera.y))
    villagers.draw_labels(screen)  # glue
    draw_hud()
    if dialogue is not None:  # glue
        dialogue.draw(screen)  # glue
    pygame.display.flip()

if args.headless:
    done = {name: sorted(verbs) for name, verbs in executed.items()}  # glue
    summary = {"frames": frame, "clock": str(host.clock), "executed": done}  # glue
    summary["player"] = inventory
    print(json.dumps(summary, sort_keys=True))
host.close()  # glue
pygame.quit()
