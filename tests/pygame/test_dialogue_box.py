"""The dialogue box on a real surface: scrollback over the whole conversation (PgUp/PgDn,
the wheel) and a visible input limit that refuses more characters instead of cutting."""

from __future__ import annotations

from typing import Any

import pygame
import pytest

from aga_npc.prompts.sanitize import sanitize_player_text
from aga_npc.pygame import DialogueBox
from aga_npc.pygame.dialogue import MAX_INPUT
from aga_npc.types import LLMResult


class Reply:
    """A reply ticket that is already answered (the box only reads it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.id = 1
        self.request = None

    def done(self) -> bool:
        return True

    def result(self) -> LLMResult:
        return LLMResult(text=self.text)

    def partial_text(self) -> str:
        return self.text

    def cancel(self) -> bool:
        return False

    def set_priority(self, priority: int) -> None:
        return None


@pytest.fixture
def screen() -> Any:
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((800, 600))
    yield surface
    pygame.display.quit()


def _box(**kw: Any) -> DialogueBox:
    count = iter(range(1, 1000))
    return DialogueBox(
        "Mira Holt",
        send=lambda text: Reply(f"Answer {next(count)} to '{text}'."),  # type: ignore[arg-type,return-value]
        close=lambda: None,
        chars_per_second=1e6,
        **kw,
    )


def _talk(box: DialogueBox, screen: Any, turns: int) -> None:
    for turn in range(1, turns + 1):
        box.type_text(f"Question number {turn}, about the harvest and the weather?")
        assert box.submit()
        box.update(1.0)
        box.draw(screen)
        assert not box.waiting


def _key(key: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)


def test_pgup_pgdn_and_the_wheel_scroll_through_the_whole_conversation(screen: Any) -> None:
    box = _box()
    _talk(box, screen, 12)
    assert len(box.history) == 24
    newest = box.shown_lines[:]
    assert any("Answer 12" in line for line in newest)
    assert not any("Question number 1," in line for line in newest), "too long to fit"
    # back to the very beginning with PgUp
    for _ in range(30):
        assert box.handle_event(_key(pygame.K_PAGEUP))
        box.draw(screen)
    assert box.shown_lines[0].startswith("You: Question number 1,")
    assert box.scroll > 0
    # PgDn returns to the newest lines
    for _ in range(30):
        box.handle_event(_key(pygame.K_PAGEDOWN))
        box.draw(screen)
    assert box.scroll == 0 and box.shown_lines == newest
    # the wheel: up three lines per notch, down again
    assert box.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1))
    box.draw(screen)
    assert box.scroll == 3 and box.shown_lines != newest
    box.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1))
    box.draw(screen)
    assert box.shown_lines == newest


def test_new_lines_do_not_move_what_is_being_read(screen: Any) -> None:
    box = _box()
    _talk(box, screen, 8)
    box.scroll_by(4)
    box.draw(screen)
    reading = box.shown_lines[:]
    # a reply that arrives while the player reads back leaves the view where it is
    box.history.append(("Mira Holt", "A late afterthought that arrives while you read. " * 3))
    box.draw(screen)
    assert box.shown_lines == reading and box.scroll > 4
    # saying something jumps to the newest lines
    box.type_text("And another thing?")
    box.submit()
    box.update(1.0)
    box.draw(screen)
    assert box.scroll == 0 and "Answer 9" in " ".join(box.shown_lines)


def test_the_counter_shows_the_length_and_the_limit(screen: Any) -> None:
    box = _box()
    box.type_text("x" * 183)
    box.draw(screen)
    assert box.counter == f"183/{MAX_INPUT}"
    assert box.refused == 0 and not box.at_limit


def test_at_the_limit_more_characters_are_refused_with_a_visible_cue(screen: Any) -> None:
    box = _box(limit=200)
    for _ in range(199):
        assert box.handle_event(pygame.event.Event(pygame.TEXTINPUT, text="a"))
    box.draw(screen)
    assert box.counter == "199/200" and not box.at_limit
    # a paste that would go past the limit: what fits is taken, the rest refused, visibly
    box.handle_event(pygame.event.Event(pygame.TEXTINPUT, text="bcd"))
    box.draw(screen)
    assert box.input == "a" * 199 + "b"
    assert box.refused == 2 and box.at_limit
    assert box.counter == "200/200  limit reached"
    box.update(2.0)  # the cue lasts a moment; the count stays
    box.draw(screen)
    assert box.counter == "200/200" and not box.at_limit
    box.handle_event(_key(pygame.K_BACKSPACE))
    box.handle_event(pygame.event.Event(pygame.TEXTINPUT, text="z"))
    assert box.input.endswith("z") and box.refused == 2


def test_the_limit_is_what_an_npc_hears_of_a_line() -> None:
    # every character the box lets through reaches the prompt; one more would be cut there
    assert sanitize_player_text("a" * MAX_INPUT) == "a" * MAX_INPUT
    assert sanitize_player_text("a" * (MAX_INPUT + 1)) != "a" * (MAX_INPUT + 1)


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        _box(limit=0)
