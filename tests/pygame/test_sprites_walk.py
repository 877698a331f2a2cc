"""NPC sprites follow the stepper's path smoothly, face where they walk and animate."""

from __future__ import annotations

import itertools
import math

import pytest
from pygame_helpers import AppFactory, HostFactory

from aga_npc.brain.intent import Intent, IntentKind, Source
from aga_npc.pygame.characters import Facing, walk_frame
from aga_npc.pygame.sprites import emote_for


@pytest.mark.parametrize(
    ("dx", "dy", "facing"),
    [
        (1, 0, Facing.RIGHT),
        (-1, 0, Facing.LEFT),
        (0, 1, Facing.DOWN),
        (0, -1, Facing.UP),
        (0.7, -0.2, Facing.RIGHT),
        (0.1, 0.9, Facing.DOWN),
    ],
)
def test_facing_follows_the_larger_axis(dx: float, dy: float, facing: Facing) -> None:
    assert (
        Facing.from_delta(dx, dy, Facing.UP if facing is not Facing.UP else Facing.DOWN) is facing
    )


def test_standing_still_keeps_the_facing() -> None:
    assert Facing.from_delta(0.0, 0.0, Facing.LEFT) is Facing.LEFT


def test_walk_cycle_alternates_steps_with_standing() -> None:
    rows = [walk_frame(i / 8 + 0.01) for i in range(8)]
    assert rows == [0, 1, 0, 2, 0, 1, 0, 2]
    assert walk_frame(0.0) == 0


def test_emotes_name_the_action() -> None:
    assert emote_for(Intent(kind=IntentKind.USE, verb="sleep", target="a:b:c")) == "Zz"
    assert emote_for(Intent(kind=IntentKind.USE, verb="cook", target="a:b:c")) == "cook"
    assert emote_for(Intent(kind=IntentKind.TALK, partner="player")) == "..."
    assert emote_for(Intent(kind=IntentKind.STAY, source=Source.WAITING)) == "?"


def test_sprite_walks_along_the_path(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host(start="06:00")
    host.paused = True  # brains off: the test steps the walk itself
    app = make_app(host, size=(640, 400))
    name = host.names()[0]
    stepper = host.town.stepper
    world = host.town.world
    start = world.agent_tile(name)
    goal = (15, 9)  # out of the house, into the park
    assert stepper.send_to(name, goal)
    frames = 0
    while stepper.searching(name):  # the path search runs a slice per frame
        assert stepper.walking(name) and stepper.position(name) == start
        frames += 1
        assert frames < 30
        stepper.step(1 / 60)
    path = stepper.path_of(name)
    assert len(path) > 8
    sprite = app.sprites[name]
    images = set()
    facings = set()
    positions = []
    for _ in range(600):
        stepper.step(1 / 60)  # the host is paused: brains stay off, the walk goes on
        app.frame(1 / 60)
        assert sprite.pos is not None
        positions.append(sprite.pos)
        if sprite.moving:
            images.add(id(sprite.image))
            facings.add(sprite.facing)
        if stepper.arrived(name):
            break
    assert stepper.arrived(name)
    # The sprite ends on the goal tile's centre and started on the start tile's centre.
    assert positions[-1] == (goal[0] + 0.5, goal[1] + 0.5)
    assert start is not None and math.dist(positions[0], (start[0] + 0.5, start[1] + 0.5)) < 0.2
    # Smooth: each frame moves at most speed * dt tiles (4 tiles/s at 1x), never jumps.
    steps = [math.dist(a, b) for a, b in itertools.pairwise(positions)]
    assert max(steps) <= 4.0 / 60 + 1e-6
    # Every sprite position lies on the path's polyline (between consecutive path tiles).
    tiles = [(x + 0.5, y + 0.5) for x, y in path]
    for p in positions:
        assert any(_on_segment(p, a, b) for a, b in itertools.pairwise(tiles))
    # The walk animates (several frames) and turns with the path.
    assert len(images) >= 3
    expected = {
        Facing.from_delta(b[0] - a[0], b[1] - a[1], Facing.DOWN)
        for a, b in itertools.pairwise(path)
    }
    assert facings == expected
    # Standing again: the standing frame.
    app.frame(1 / 60)
    assert not sprite.moving
    sheet = app.npcs.sheet
    assert sprite.image is sheet.frame(
        sprite.character, sprite.facing, sheet.layout.stand, app.view.tile_px
    )


def _on_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> bool:
    ab = math.dist(a, b)
    return abs(math.dist(a, p) + math.dist(p, b) - ab) < 1e-6
