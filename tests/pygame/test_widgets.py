"""The reusable widgets under a game's own camera: walk sheets of any layout, sprites placed
through ``world_to_screen``, labels that make room for each other, fading talk bubbles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pygame
import pytest

from aga_npc.brain.intent import Intent, IntentKind
from aga_npc.pygame import NpcView, RoomPlacer, SheetLayout, TalkBubbles, TextCache, WalkSheet
from aga_npc.pygame.characters import KENNEY_TOWNSFOLK, kenney_townsfolk
from aga_npc.pygame.walksheet import Facing

FACINGS = ("down", "left", "right", "up")


def _coloured_sheet(layout: SheetLayout, size: tuple[int, int]) -> Any:
    """A sheet whose every frame is filled with a colour telling (character, facing, step)."""
    image = pygame.Surface(size, pygame.SRCALPHA)
    for c in range(len(layout.origins)):
        for f, facing in enumerate(Facing):
            for step in range(layout.steps):
                image.fill(
                    (40 * c + 10, 40 * f + 10, 40 * step + 10, 255),
                    layout.frame_rect(c, facing, step),
                )
    return image


def _colour(surface: Any) -> tuple[int, int, int]:
    r, g, b, _ = surface.get_at((surface.get_width() // 2, surface.get_height() // 2))
    return (r, g, b)


@pytest.mark.parametrize("axis", ["row", "column"])
def test_a_walk_sheet_reads_rows_or_columns_of_frames(axis: str) -> None:
    layout = SheetLayout(
        frame_size=(12, 20),
        origins=((0, 0), (3, 0) if axis == "row" else (4, 0)),
        facings=FACINGS,
        facing_axis=axis,
        steps=3,
        spacing=2,
        margin=1,
    )
    sheet = WalkSheet(_coloured_sheet(layout, (200, 200)), layout)
    assert sheet.count == 2
    for c in range(2):
        for f, facing in enumerate(Facing):
            for step in range(3):
                frame = sheet.frame(c, facing, step)
                assert frame.get_size() == (12, 20)
                assert _colour(frame) == (40 * c + 10, 40 * f + 10, 40 * step + 10)
    # where the frames are: a row sheet steps along x, a column sheet along y
    x, y, _, _ = layout.frame_rect(0, Facing.LEFT, 2)
    assert (x, y) == ((1 + 2 * 14, 1 + 1 * 22) if axis == "row" else (1 + 1 * 14, 1 + 2 * 22))


def test_frames_scale_to_the_games_tile_size_and_keep_their_shape() -> None:
    layout = SheetLayout(frame_size=(16, 24), origins=((0, 0),), tile=16)
    sheet = WalkSheet(_coloured_sheet(layout, (48, 96)), layout)
    big = sheet.frame(0, Facing.UP, 1, tile_px=64)  # 16 px tiles drawn 4x
    assert big.get_size() == (64, 96)
    assert sheet.frame(0, Facing.UP, 1, tile_px=64) is big  # scaled once, then cached


def test_the_walk_cycle_and_standing_frame_come_from_the_layout() -> None:
    layout = SheetLayout(
        frame_size=(8, 8), origins=((0, 0),), steps=3, cycle=(1, 0, 1, 2), stand=1, fps=4
    )
    sheet = WalkSheet(_coloured_sheet(layout, (24, 32)), layout)
    assert sheet.step(0.0) == 1
    assert [sheet.step(i / 4 + 0.01) for i in range(5)] == [1, 0, 1, 2, 1]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"facings": ("down", "left", "left", "up")}, "facings"),
        ({"facing_axis": "diagonal"}, "facing_axis"),
        ({"steps": 0}, "steps"),
        ({"cycle": (0, 3)}, "cycle"),
        ({"stand": 5}, "stand"),
        ({"frame_size": (0, 16)}, "frame_size"),
        ({"origins": ()}, "origins"),
    ],
)
def test_a_bad_layout_is_refused(fields: dict[str, Any], message: str) -> None:
    base: dict[str, Any] = {"frame_size": (16, 16), "origins": ((0, 0),)}
    with pytest.raises(ValueError, match=message):
        SheetLayout(**{**base, **fields})


def test_frames_outside_the_image_are_refused_naming_the_sheet() -> None:
    layout = SheetLayout(frame_size=(16, 16), origins=((0, 0), (0, 4)))
    image = pygame.Surface((48, 64))  # room for one character only
    with pytest.raises(ValueError, match=r"hero\.png: character 1"):
        WalkSheet(image, layout, name="hero.png")


def test_the_kenney_townsfolk_are_one_layout_among_others() -> None:
    sheet = kenney_townsfolk()
    assert sheet.layout is KENNEY_TOWNSFOLK and sheet.count == 6
    # column 24 faces down, rows 3p..3p+2 are townsperson p's stand and steps
    assert KENNEY_TOWNSFOLK.frame_rect(2, Facing.DOWN, 1) == (24 * 16, 7 * 16, 16, 16)
    assert sheet.frame(2, Facing.DOWN, 1, tile_px=64).get_size() == (64, 64)


# ---------------------------------------------------------------- a game's own camera
class Camera:
    """A scrolling camera of a game: 16 px tiles scaled 4x, offset by its scroll."""

    def __init__(self, scroll: tuple[int, int] = (0, 0), tile: int = 64) -> None:
        self.scroll = scroll
        self.tile = tile

    def world_to_screen(self, x: float, y: float) -> tuple[float, float]:
        return (x * self.tile - self.scroll[0], y * self.tile - self.scroll[1])


class Source:
    """A stand-in host: fixed positions and intents, scripted conversations."""

    def __init__(self, spots: Mapping[str, tuple[float, float]]) -> None:
        self.spots = dict(spots)
        self.intents: dict[str, Intent] = {n: Intent(kind=IntentKind.STAY) for n in spots}
        self.talks: dict[str, dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = []

    def names(self) -> Sequence[str]:
        return list(self.spots)

    def position(self, name: str) -> tuple[float, float]:
        return self.spots[name]

    def intent(self, name: str) -> Intent:
        return self.intents[name]

    def conversation(self, name: str) -> Mapping[str, Any] | None:
        return self.talks.get(name)

    def conversation_log(self, name: str, limit: int = 5) -> Sequence[Mapping[str, Any]]:
        return [c for c in reversed(self.log) if name in (c["a"], c["b"])][:limit]


def test_sprites_stand_where_the_games_camera_says(screen: Any) -> None:
    camera = Camera(scroll=(100, 40))
    source = Source({"Ann": (5.0, 3.0)})
    view = NpcView(source, camera.world_to_screen, sheet=kenney_townsfolk())
    view.update(0.0)
    view.draw(screen)
    sprite = view.sprites["Ann"]
    # feet on the bottom of tile (5, 3), centred on it; frames scaled to the 64 px tiles
    assert sprite.box.midbottom == (5.5 * 64 - 100, 4 * 64 - 40)
    assert sprite.box.size == (64, 64)
    camera.scroll = (300, 40)  # the camera scrolls: the same view follows it
    view.draw(screen)
    assert sprite.box.midbottom == (5.5 * 64 - 300, 4 * 64 - 40)
    camera.scroll = (5000, 0)  # off screen: not drawn, not clickable
    view.draw(screen)
    assert view.sprites.visible == [] and view.at((10, 10)) is None


@pytest.mark.parametrize("other", [(6.0, 5.0), (5.0, 6.0), (5.0, 4.0), (5.3, 5.0)])
def test_labels_of_npcs_on_neighbouring_tiles_do_not_overlap(
    screen: Any, other: tuple[float, float]
) -> None:
    camera = Camera(scroll=(0, 0), tile=32)
    source = Source({"Annabel Longname": (5.0, 5.0), "Bartholomew Q": other})
    for name in source.spots:
        source.intents[name] = Intent(
            kind=IntentKind.STAY, verb="cook", description="cooking a big breakfast"
        )
    view = NpcView(source, camera.world_to_screen, sheet=kenney_townsfolk())
    view.update(0.0)
    view.draw(screen)
    rects = view.label_rects
    assert set(rects) == {"Annabel Longname", "Bartholomew Q"}, "both labels are shown"
    a, b = rects.values()
    assert not a.colliderect(b)
    # each label is a name over a plan line, and stays near its own character
    for name, rect in rects.items():
        assert abs(rect.centerx - view.sprites[name].box.centerx) <= 1
        assert rect.height > 20


def test_the_placer_moves_a_box_off_another_or_gives_it_up() -> None:
    placer = RoomPlacer(pygame.Rect(0, 0, 200, 200))
    first = placer.place(pygame.Rect(50, 100, 60, 20))
    second = placer.place(pygame.Rect(60, 105, 60, 20))  # would cover the first
    assert first is not None and second is not None
    assert not first.colliderect(second) and second.bottom < first.top
    # the first free candidate is taken as it is; none free: None, nothing placed
    side = placer.first_free([pygame.Rect(55, 100, 60, 20), pygame.Rect(120, 100, 60, 20)])
    assert side == pygame.Rect(120, 100, 60, 20)
    count = len(placer.placed)
    assert placer.first_free([pygame.Rect(50, 100, 10, 10), pygame.Rect(190, 0, 20, 5)]) is None
    assert len(placer.placed) == count
    down = placer.place(pygame.Rect(60, 105, 60, 20), prefer=1)
    assert down is not None and down.top > first.bottom
    # no room anywhere: left out rather than drawn over another
    tight = RoomPlacer(pygame.Rect(0, 0, 100, 30))
    assert tight.place(pygame.Rect(0, 0, 100, 30)) is not None
    assert tight.place(pygame.Rect(0, 5, 100, 20)) is None


def test_npc_to_npc_lines_show_in_bubbles_near_the_speakers(screen: Any) -> None:
    camera = Camera(tile=32)
    source = Source({"Ann": (4.0, 8.0), "Bob": (5.0, 8.0), "Cy": (4.0, 6.8)})
    talk = {"a": "Ann", "b": "Bob", "start": 600, "place": "Park", "lines": ()}
    for a, b in (("Ann", "Bob"), ("Bob", "Ann")):
        source.intents[a] = Intent(kind=IntentKind.TALK, partner=b)
        source.talks[a] = talk
    view = NpcView(source, camera.world_to_screen, sheet=kenney_townsfolk())
    view.update(1 / 60)
    view.draw(screen)
    assert view.speech() == {}
    talk["lines"] = (("Ann", "Morning, Bob! Did the tomatoes survive the frost last night?"),)
    view.update(1 / 60)
    view.draw(screen)
    assert view.speech() == {"Ann": talk["lines"][0][1]}
    bubble = view.bubble_rects["Ann"]
    ann = view.sprites["Ann"].box
    assert bubble.bottom <= ann.top and abs(bubble.centerx - ann.centerx) < 40
    talk["lines"] = (*talk["lines"], ("Bob", "Most of them. I covered them with sacks."))
    view.update(1 / 60)
    view.draw(screen)
    assert set(view.speech()) == {"Ann", "Bob"}
    assert not view.bubble_rects["Ann"].colliderect(view.bubble_rects["Bob"])
    # no bubble covers a character's head (Cy stands right above Ann: hers goes aside)
    for rect in view.bubble_rects.values():
        for sprite in view.sprites.visible:
            assert not rect.colliderect(sprite.box.inflate(-sprite.box.w // 4, -sprite.box.h // 8))
    # the talkers face each other
    assert view.sprites["Ann"].facing is Facing.RIGHT and view.sprites["Bob"].facing is Facing.LEFT
    # the conversation ends with a last line that came with the end: it is still shown
    last = ("Ann", "Good. See you at the market!")
    source.log.append({**talk, "lines": (*talk["lines"], last), "end": 612})
    source.talks.clear()
    for name in ("Ann", "Bob"):
        source.intents[name] = Intent(kind=IntentKind.STAY)
    view.update(1 / 60)
    assert view.speech()["Ann"] == last[1]
    # nobody talks to Cy: no bubble there
    assert "Cy" not in view.speech()


def test_a_conversation_first_seen_midway_shows_only_its_current_line(screen: Any) -> None:
    source = Source({"Ann": (4.0, 8.0), "Bob": (5.0, 8.0)})
    lines = (("Ann", "one"), ("Bob", "two"), ("Ann", "three"))
    talk = {"a": "Ann", "b": "Bob", "start": 600, "place": "Park", "lines": lines}
    for a, b in (("Ann", "Bob"), ("Bob", "Ann")):
        source.intents[a] = Intent(kind=IntentKind.TALK, partner=b)
        source.talks[a] = talk
    view = NpcView(source, Camera(tile=32).world_to_screen, sheet=kenney_townsfolk())
    view.update(0.0)
    view.draw(screen)  # now on screen
    view.update(0.0)
    assert view.speech() == {"Ann": "three"}


def test_bubbles_wrap_bound_and_fade() -> None:
    bubbles = TalkBubbles(TextCache(), seconds=4.0, fade=1.0, max_width=120, max_lines=2)
    long = "I have been thinking about the harvest festival and the whole village " * 3
    speech = bubbles.say("Ann", long)
    assert len(speech.lines) == 2 and speech.lines[-1].endswith("\u2026")
    assert speech.surface.get_width() <= 120 + 12
    short = bubbles.say("Bob Stone", "Hi!")
    assert short.lines == ["Bob: Hi!"]  # the speaker's first name: stacked bubbles stay clear
    assert TalkBubbles(TextCache(), names=False).say("Bob", "Hi!").lines == ["Hi!"]
    bubbles.update(2.9)
    assert bubbles.alpha("Ann") == 255
    bubbles.update(0.6)  # 0.5 s left of the 1 s fade
    assert 100 < bubbles.alpha("Ann") < 160
    assert bubbles.surface("Ann").get_alpha() == bubbles.alpha("Ann")
    bubbles.say("Bob Stone", "Still here.")  # a new line from Bob starts his clock again
    bubbles.update(0.6)
    assert "Ann" not in bubbles.speech and bubbles.alpha("Ann") == 0
    assert bubbles.alpha("Bob Stone") == 255


@pytest.mark.parametrize(
    "kwargs", [{"seconds": 0}, {"seconds": 2.0, "fade": 3.0}, {"max_lines": 0}, {"max_width": 5}]
)
def test_bad_bubble_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        TalkBubbles(TextCache(), **kwargs)


def test_a_label_setting_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="labels"):
        NpcView(Source({}), Camera().world_to_screen, sheet=WalkSheet.plain(), labels="plans")


@pytest.fixture
def screen() -> Any:
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((800, 600))
    yield surface
    pygame.display.quit()


def test_labels_and_bubbles_grow_with_the_text_size(screen: Any) -> None:
    heights = {}
    for size in (14, 24):
        source = Source({"Ann": (4.0, 4.0), "Bob": (5.0, 4.0)})
        talk = {"a": "Ann", "b": "Bob", "start": 1, "place": "Park", "lines": (("Ann", "Hi"),)}
        source.intents["Ann"] = Intent(kind=IntentKind.TALK, partner="Bob", verb="chat")
        source.talks["Ann"] = talk
        view = NpcView(source, Camera(tile=64).world_to_screen, text_size=size)
        view.update(0.0)
        view.draw(screen)
        view.update(0.0)
        view.draw(screen)
        heights[size] = (view.label_rects["Bob"].height, view.bubble_rects["Ann"].height)
    assert heights[24][0] > heights[14][0] and heights[24][1] > heights[14][1]
