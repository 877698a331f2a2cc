"""A tiny pygame game of its own that gives its NPCs an aga_npc brain.

The game draws a plain tile grid, three NPCs as coloured circles and the player as a
square (arrows or WASD to walk, T to talk to the nearest NPC, Z to sleep until 07:00,
Esc to quit). NPCs call the player Ash and wait rather than walk through them. Everything
between the "brain glue" markers is what it takes to add the brain; the rest is an
ordinary pygame loop.

    python examples/embed_minimal.py                       # a window
    python examples/embed_minimal.py --headless --frames 300
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

MAP = [
    "##############################",
    "#.......#....................#",
    "#.......#.......#######......#",
    "#.......#.......#.....#......#",
    "#####.###.......#.....#......#",
    "#.......#.......###.###......#",
    "#.......#....................#",
    "#.......#....................#",
    "####.####....................#",
    "#............................#",
    "#............................#",
    "##############################",
]
TILE = 24
COLOURS = [(220, 90, 80), (80, 150, 230), (240, 190, 60)]
FACING = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}

# --- brain glue: begin --------------------------------------------------------------
from aga_npc import HostConfig, Persona, TownHost, grid_world  # noqa: E402

ROOMS = {
    "Home:kitchen": (1, 1, 7, 3),
    "Home:bedroom": (1, 5, 7, 3),
    "Cafe:cafe": (17, 3, 5, 2),
    "Park:park": (9, 6, 20, 5),
}
OBJECTS = {
    "Home:kitchen:stove": ("stove", (2, 1)),
    "Home:kitchen:table": {"kind": "table", "tile": (5, 2), "capacity": 3},
    "Home:bedroom:bed 1": ("bed", (1, 5)),
    "Home:bedroom:bed 2": ("bed", (3, 5)),
    "Home:bedroom:bed 3": ("bed", (5, 5)),
    "Cafe:cafe:counter": {"kind": "counter", "tile": (19, 3), "capacity": 2},
    "Park:park:bench": {"kind": "bench", "tile": (14, 9), "capacity": 3},
}
PEOPLE = [
    Persona(name="Mira Holt", home="Home", workplace="Cafe", role="barista", age=29),
    Persona(name="Tomas Reed", home="Home", age=35, lifestyle="a painter who reads a lot"),
    Persona(name="June Park", home="Home", age=22, lifestyle="a student who loves the park"),
]


def make_brains() -> TownHost:
    world = grid_world(MAP, rooms=ROOMS, objects=OBJECTS)
    return TownHost.create(PEOPLE, world=world, config=HostConfig(start="08:00"))


def npc_position(host: TownHost, name: str) -> tuple[float, float]:
    x, y = host.position(name)  # float tiles (a tile's top-left corner), smooth
    return x, y


def npc_doing(host: TownHost, name: str) -> str:
    return host.intent(name).description or host.intent(name).verb


# --- brain glue: end ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headless", action="store_true")
    parser.add_argument("--frames", type=int, default=None)
    args = parser.parse_args(argv)
    if args.frames is not None and args.frames < 1:
        print("embed_minimal.py: error: --frames must be at least 1", file=sys.stderr)
        return 2
    if args.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    import pygame

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((len(MAP[0]) * TILE, len(MAP) * TILE + 60))
    font = pygame.font.Font(None, 18)
    clock = pygame.time.Clock()
    host = make_brains()  # brain glue
    player = [12.0, 9.0]
    reply = None  # brain glue: the ticket of the NPC's answer
    talking_to = ""
    frame = 0
    running = True
    while running and (args.frames is None or frame < args.frames):
        dt = clock.tick(60) / 1000.0
        frame += 1
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            ):
                running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_t:
                talking_to = nearest(host, player)
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_z:
                host.skip_to(7)  # brain glue: the player slept; the town jumps to 07:00
        if args.headless and frame == 60:
            talking_to = nearest(host, player, anyone=True)
        if talking_to and reply is None:
            reply = host.say(talking_to, "Hello! What are you up to today?")  # brain glue
        if reply is not None and reply.done() and (args.headless or far(host, player, talking_to)):
            print(f"{talking_to}: {reply.partial_text()}")
            host.end_talk(talking_to)  # brain glue: the NPC resumes its day
            reply, talking_to = None, ""
        keys = pygame.key.get_pressed()
        dx = (keys[pygame.K_RIGHT] or keys[pygame.K_d]) - (keys[pygame.K_LEFT] or keys[pygame.K_a])
        dy = (keys[pygame.K_DOWN] or keys[pygame.K_s]) - (keys[pygame.K_UP] or keys[pygame.K_w])
        nx, ny = player[0] + dx * 6 * dt, player[1] + dy * 6 * dt
        if MAP[int(ny + 0.5)][int(nx + 0.5)] != "#":
            player[:] = [nx, ny]
        host.set_player(name="Ash", tile=(round(player[0]), round(player[1])))  # brain glue
        host.update(dt)  # brain glue: drains results, ticks brains, moves NPCs
        draw(screen, font, host, player, talking_to, reply)
        pygame.display.flip()
    if args.headless and reply is not None:  # a busy machine: let the answer arrive
        deadline = time.monotonic() + 60
        while not reply.done() and time.monotonic() < deadline:
            host.update(0.0)  # drains results; the game clock stands still
            time.sleep(0.01)
        print(f"{talking_to}: {reply.partial_text()}")
    print(f"{host.clock}: " + "; ".join(f"{n} {npc_doing(host, n)}" for n in host.names()))
    host.close()  # brain glue
    pygame.quit()
    return 0


def nearest(host: TownHost, player: list[float], *, anyone: bool = False) -> str:
    name = host.nearest(player[0], player[1], 1000.0 if anyone else 2.5)  # brain glue
    return name or ""


def far(host: TownHost, player: list[float], name: str) -> bool:
    x, y = npc_position(host, name)
    return abs(x - player[0]) + abs(y - player[1]) > 4


def draw(
    screen: Any, font: Any, host: TownHost, player: list[float], talking_to: str, reply: Any
) -> None:
    import pygame

    screen.fill((30, 30, 36))
    for y, row in enumerate(MAP):
        for x, ch in enumerate(row):
            colour = (70, 70, 80) if ch == "#" else (150, 190, 120)
            pygame.draw.rect(screen, colour, (x * TILE, y * TILE, TILE - 1, TILE - 1))
    for i, name in enumerate(host.names()):
        x, y = npc_position(host, name)
        centre = (int((x + 0.5) * TILE), int((y + 0.5) * TILE))
        pygame.draw.circle(screen, COLOURS[i % len(COLOURS)], centre, TILE // 2 - 2)
        fx, fy = FACING.get(host.intent(name).facing, (0, 0))  # brain glue: where it looks
        pygame.draw.circle(screen, (20, 20, 20), (centre[0] + fx * 6, centre[1] + fy * 6), 3)
        label = font.render(f"{name.split()[0]}: {npc_doing(host, name)}", True, (255, 255, 255))
        screen.blit(label, (centre[0] - label.get_width() // 2, centre[1] - TILE))
    px, py = int(player[0] * TILE), int(player[1] * TILE)
    pygame.draw.rect(screen, (250, 250, 250), (px + 4, py + 4, TILE - 8, TILE - 8))
    bottom = len(MAP) * TILE
    text = f"{host.clock}   T: talk to the nearest NPC"
    if reply is not None:
        text = f"{talking_to}: {reply.partial_text()}"
    screen.blit(font.render(text[:140], True, (255, 255, 255)), (8, bottom + 20))


if __name__ == "__main__":
    sys.exit(main())
