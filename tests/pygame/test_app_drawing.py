"""The game draws the map under sprites and the foreground above them (real surfaces)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
from pygame_helpers import SMALL_TOWN, TILES_PNG, AppFactory, HostFactory

from aga_npc.host.town_host import TownHost
from aga_npc.pygame.app import AppConfig, GameApp

GRASS_GID, WALL_GID = 1, 2


def _tile_colours() -> dict[int, pygame.Color]:
    image = pygame.image.load(str(TILES_PNG))
    return {GRASS_GID: image.get_at((8, 8)), WALL_GID: image.get_at((24, 8))}


def _walls_layer() -> list[list[int]]:
    text = SMALL_TOWN.read_text(encoding="utf-8")
    block = text.split('name="walls"')[1].split('<data encoding="csv">')[1].split("</data>")[0]
    return [
        [int(v) for v in row.strip().rstrip(",").split(",")] for row in block.strip().splitlines()
    ]


def _covered(app: GameApp) -> list[pygame.Rect]:
    rects = [pygame.Rect(0, 0, app.view.width, 40)]  # the HUD bar and messages
    for sprite in app.sprites.visible:
        rects.append(sprite.box.inflate(8, 8))
    for rect in [*app.npcs.label_rects.values(), *app.npcs.bubble_rects.values()]:
        rects.append(rect.inflate(4, 4))
    return rects


def test_map_tiles_are_drawn_at_their_places(make_host: HostFactory, make_app: AppFactory) -> None:
    app = make_app(make_host(), size=(640, 400))
    app.frame(1 / 60)
    colours = _tile_colours()
    walls = _walls_layer()
    covered = _covered(app)
    checked = {GRASS_GID: 0, WALL_GID: 0}
    for ty, row in enumerate(walls):
        for tx, gid in enumerate(row):
            pos = app.view.to_screen(tx + 0.5, ty + 0.5)
            if not app.screen.get_rect().collidepoint(pos):
                continue
            if any(r.collidepoint(pos) for r in covered):
                continue
            expected = colours[WALL_GID if gid == WALL_GID else GRASS_GID]
            assert app.screen.get_at(pos) == expected, (tx, ty)
            checked[WALL_GID if gid == WALL_GID else GRASS_GID] += 1
    assert checked[WALL_GID] >= 10 and checked[GRASS_GID] >= 50


def _map_with_foreground(tmp_path: Path, tile: tuple[int, int]) -> Path:
    """The small town plus a foreground layer holding one wall tile at ``tile``."""
    shutil.copy(TILES_PNG, tmp_path / "tiles.png")
    text = SMALL_TOWN.read_text(encoding="utf-8")
    rows = [[0] * 20 for _ in range(12)]
    rows[tile[1]][tile[0]] = WALL_GID
    csv = ",\n".join(",".join(str(v) for v in row) for row in rows)
    layer = (
        ' <layer id="9" name="above" width="20" height="12">\n'
        '  <properties><property name="foreground" type="bool" value="true"/></properties>\n'
        f'  <data encoding="csv">\n{csv}\n</data>\n </layer>\n'
    )
    text = text.replace(' <objectgroup id="4"', layer + ' <objectgroup id="4"', 1)
    path = tmp_path / "town_fg.tmx"
    path.write_text(text, encoding="utf-8")
    return path


def test_foreground_is_drawn_above_sprites(make_host: HostFactory, tmp_path: Path) -> None:
    tile = (12, 9)  # open park
    wall = _tile_colours()[WALL_GID]
    seen: dict[str, pygame.Color] = {}
    for label, path in (
        ("plain", SMALL_TOWN),
        ("foreground", _map_with_foreground(tmp_path, tile)),
    ):
        host: TownHost = make_host(map_path=path)
        app = GameApp(host, path, config=AppConfig(size=(480, 320)), player_start=tile)
        app.frame(1 / 60)
        sprite = app.sprites["player"]
        # a pixel of the player's body inside the tile it stands on
        probe = (sprite.box.centerx, sprite.box.bottom - sprite.box.height // 3)
        seen[label] = app.screen.get_at(probe)
        pygame.display.quit()
    assert seen["plain"] != wall  # the player is visible
    assert seen["foreground"] == wall  # the foreground tile hides the player's feet


def test_name_tags_in_a_crowd_make_room_for_each_other(
    make_host: HostFactory, make_app: AppFactory
) -> None:
    host = make_host(npcs=10)  # eight copies start packed around Test House
    app = make_app(host, size=(640, 400), player_start=(3, 4))
    app.frame(1 / 60)
    view = app.npcs
    assert "player" in view.label_rects
    rects = list(view.label_rects.values()) + list(view.bubble_rects.values())
    for i, rect in enumerate(rects):
        assert rect.collidelist(rects[i + 1 :]) == -1
    # The crowd is dense: some tags had to move from under their character's feet.
    moved = [
        name for name, rect in view.label_rects.items() if rect.top != app.sprites[name].box.bottom
    ]
    assert moved
