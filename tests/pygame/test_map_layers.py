"""MapLayers: the keyed (RLE colour-key) foreground draws exactly what alpha blending draws."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from aga_npc.pygame.maps import KEY_CANDIDATES, _chunks, keyed_copy, layers, load_map_layers

TOWN = Path(__file__).resolve().parents[2] / "aga_npc" / "data" / "maps" / "town.tmx"
VIEW = (320, 200)


@pytest.fixture
def display() -> Iterator[None]:
    pygame.display.init()
    pygame.display.set_mode(VIEW)
    yield
    pygame.display.quit()


def _draw(layer: object, x: int, y: int) -> pygame.Surface:
    target = pygame.Surface(VIEW)
    target.fill((10, 20, 30))
    layer.draw_foreground(target, x, y)  # type: ignore[attr-defined]
    return target


def _same(a: pygame.Surface, b: pygame.Surface) -> bool:
    return bool((pygame.surfarray.array3d(a) == pygame.surfarray.array3d(b)).all())


def _alpha_only(layer: object) -> object:
    from aga_npc.pygame.maps import MapLayers

    fg = layer.foreground  # type: ignore[attr-defined]
    return MapLayers(background=None, foreground=fg, zoom=2, foreground_chunks=_chunks(fg))


def test_the_town_foreground_is_keyed_and_draws_like_alpha_blending(display: None) -> None:
    town = load_map_layers(TOWN, 2)
    assert town.keyed is not None  # pixel-art tiles: every pixel opaque or transparent
    assert town.foreground_chunks == ()
    reference = _alpha_only(town)
    w, h = town.foreground.get_size()
    rng = random.Random(3)
    views = [(0, 0), (-40, -25), (w - VIEW[0] + 30, h - VIEW[1] + 17)]
    views += [(rng.randrange(w), rng.randrange(h)) for _ in range(12)]
    covered = 0
    for x, y in views:
        keyed, blended = _draw(town, x, y), _draw(reference, x, y)
        assert _same(keyed, blended), (x, y)
        covered += int((pygame.surfarray.array3d(keyed) != (10, 20, 30)).any(axis=2).sum())
    assert covered > 0  # the views did show foreground art


def test_a_key_colour_used_by_the_art_is_skipped(display: None) -> None:
    fg = pygame.Surface((64, 64), pygame.SRCALPHA)
    fg.fill((0, 0, 0, 0))
    fg.fill((*KEY_CANDIDATES[0], 255), (8, 8, 16, 16))  # the first candidate is in the art
    fg.fill((200, 120, 40, 255), (30, 30, 10, 10))
    keyed = keyed_copy(fg)
    assert keyed is not None
    assert keyed.get_colorkey()[:3] == KEY_CANDIDATES[1]
    layer = layers(None, fg, 1)
    for x, y in [(0, 0), (-5, 3), (20, 20)]:
        assert _same(_draw(layer, x, y), _draw(_alpha_only(layer), x, y))
    assert _draw(layer, 0, 0).get_at((10, 10))[:3] == KEY_CANDIDATES[0]


def test_soft_edges_keep_alpha_blending(display: None) -> None:
    fg = pygame.Surface((300, 300), pygame.SRCALPHA)
    fg.fill((0, 0, 0, 0))
    fg.fill((255, 255, 255, 128), (140, 140, 20, 20))  # half transparent
    layer = layers(None, fg, 1)
    assert layer.keyed is None
    assert layer.foreground_chunks == ((128, 128, 128, 128),)
    out = _draw(layer, 100, 100)
    r, g, b = out.get_at((45, 45))[:3]
    assert (
        120 <= r <= 140 and 130 <= g <= 145 and 135 <= b <= 150
    )  # blended over the (10, 20, 30) fill
