"""The player walks with the keys' direction and stops flush at walls."""

from __future__ import annotations

import math

import pygame
import pytest
from pygame_helpers import AppFactory, HostFactory

from aga_npc.pygame.player import PlayerBody, direction_from_keys

# A room: walls around, a one-tile door at (3, 0) in the top wall.
ROOM = [
    "###.###",
    "#.....#",
    "#.....#",
    "#######",
]


def _walkable(tile: tuple[int, int]) -> bool:
    x, y = tile
    if not (0 <= y < len(ROOM) and 0 <= x < len(ROOM[0])):
        return y < 0 and x == 3  # the corridor north of the door
    return ROOM[y][x] != "#"


class _Keys:
    """What ``pygame.key.get_pressed()`` returns: indexable by key code."""

    def __init__(self, down: set[int]) -> None:
        self.down = down

    def __getitem__(self, key: int) -> bool:
        return key in self.down


def test_walking_into_a_wall_stops_flush_at_it() -> None:
    body = PlayerBody(2.5, 1.5, _walkable, speed=5.0, half=0.3)
    for _ in range(120):
        body.move(1.0, 0.0, 1 / 60)
    assert body.x == pytest.approx(6 - 0.3, abs=1e-3)  # wall tile x=6 starts at 6.0
    assert not body.overlaps_blocked()
    for _ in range(120):
        body.move(0.0, 1.0, 1 / 60)
    assert body.y == pytest.approx(3 - 0.3, abs=1e-3)


def test_sliding_along_a_wall_keeps_the_free_axis() -> None:
    body = PlayerBody(4.0, 1.5, _walkable, speed=5.0, half=0.3)
    s = math.sqrt(0.5)
    for _ in range(6):
        body.move(s, -s, 1 / 60)  # up-right: the top wall stops y, x goes on
    assert body.y == pytest.approx(1 + 0.3, abs=1e-3)
    assert body.x == pytest.approx(4.0 + 6 * 5.0 * s / 60, abs=1e-6)
    for _ in range(60):
        body.move(s, -s, 1 / 60)
    assert (body.x, body.y) == (pytest.approx(6 - 0.3, abs=1e-3), pytest.approx(1.3, abs=1e-3))


def test_a_one_tile_door_lets_the_player_through() -> None:
    body = PlayerBody(3.5, 2.5, _walkable, speed=5.0, half=0.3)
    for _ in range(120):
        body.move(0.0, -1.0, 1 / 60)
    assert body.y < -1.0
    assert not body.overlaps_blocked()


def test_a_huge_step_cannot_tunnel_through_a_wall() -> None:
    body = PlayerBody(1.5, 1.5, _walkable, speed=5.0, half=0.3)
    body.move(0.0, 1.0, 10.0)  # 50 tiles in one step
    assert body.y == pytest.approx(3 - 0.3, abs=1e-3)


def test_keys_give_a_unit_direction() -> None:
    down = {pygame.K_d, pygame.K_UP}
    pressed = _Keys(down)
    dx, dy = direction_from_keys(pressed)
    assert dx == pytest.approx(math.sqrt(0.5)) and dy == pytest.approx(-math.sqrt(0.5))


def test_player_collides_with_the_town_walls(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host()
    app = make_app(host, player_start=(3, 3))  # inside Test House's bedroom
    app.autopilot = lambda dt: (-1.0, 0.0)  # walk west into the house wall
    for _ in range(120):
        app.frame(1 / 60)
    world = host.town.world
    wall_x = max(x for x in range(3) if not world.grid.is_walkable((x, 3)))
    assert app.player.x == pytest.approx(wall_x + 1 + 0.3, abs=1e-3)
    assert not app.player.overlaps_blocked()
    sprite = app.sprites["player"]
    assert sprite.pos == (app.player.x, app.player.y)


def test_the_demo_tells_the_brains_where_the_player_stands(
    make_host: HostFactory, make_app: AppFactory
) -> None:
    """Each frame the demo hands the player's tile to the host (set_player), so walkers
    wait before the player instead of walking through; a move to another tile is told."""
    host = make_host()
    app = make_app(host, player_start=(3, 3))
    assert host.town.player_tile is None or host.town.player_tile == (3, 3)
    app.frame(1 / 60)
    assert host.town.player_tile == app.player.tile
    app.player.x, app.player.y = 4.5, 3.5
    app.frame(1 / 60)
    assert host.town.player_tile == (4, 3)
