"""NPC-to-NPC talk you can read, in the demo on a real host: each line in a bubble near its
speaker, and the inspector's conversation log with the lines."""

from __future__ import annotations

import time

import pygame
from pygame_helpers import AppFactory, HostFactory

from aga_npc.host.town_host import TownHost
from aga_npc.pygame.app import GameApp


def _talk_until_done(app: GameApp, host: TownHost, a: str, b: str) -> list[dict[str, str]]:
    """Have ``a`` decide to talk to ``b`` and run frames until their talk has ended; returns
    what the bubbles showed each frame."""
    shown: list[dict[str, str]] = []
    deadline = time.monotonic() + 30
    host.set_speed(10)
    while not host.conversation_log(a):
        assert time.monotonic() < deadline, "no conversation finished in 30 s"
        if host.conversation(a) is None:
            host.town.brains[a].reactions.wants_talk = b  # a decision, as a reaction makes
        app.frame(1 / 60)
        shown.append(app.npcs.speech())
        time.sleep(0.002)
    app.frame(1 / 60)
    shown.append(app.npcs.speech())
    return shown


def test_every_line_of_an_npc_conversation_is_shown_near_its_speaker(
    make_host: HostFactory, make_app: AppFactory
) -> None:
    host = make_host(start="12:00")
    app = make_app(host, size=(640, 400), player_start=(3, 4))
    a, b = host.names()
    shown = _talk_until_done(app, host, a, b)
    talk = host.conversation_log(a)[0]
    lines = talk["lines"]
    assert len(lines) >= 2 and {talk["a"], talk["b"]} == {a, b}
    # each line appeared in its speaker's bubble, in order
    seen: list[tuple[str, str]] = []
    for frame in shown:
        for speaker, line in frame.items():
            if (speaker, line) not in seen:
                seen.append((speaker, line))
    assert seen == [tuple(line) for line in lines]
    # drawn on the surface: a bubble rectangle above the speaker, clear of other labels
    app.frame(1 / 60)
    speaker = lines[-1][0]
    rect = app.npcs.bubble_rects[speaker]
    sprite = app.sprites[speaker].box
    assert rect.bottom <= sprite.top + 1
    assert app.screen.get_rect().contains(rect)
    others = [r for n, r in app.npcs.label_rects.items()]
    assert rect.collidelist(others) == -1


def test_bubbles_fade_after_a_few_seconds(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host(start="12:00")
    app = make_app(host, size=(640, 400), player_start=(3, 4))
    a, b = host.names()
    _talk_until_done(app, host, a, b)
    assert app.npcs.speech()
    host.paused = True
    for _ in range(60 * 6):  # six seconds of frames, nobody talking
        app.frame(1 / 60)
    assert app.npcs.speech() == {}


def test_the_inspector_lists_recent_conversations_with_their_lines(
    make_host: HostFactory, make_app: AppFactory
) -> None:
    host = make_host(start="12:00")
    app = make_app(host, size=(800, 600), player_start=(3, 4))
    a, b = host.names()
    _talk_until_done(app, host, a, b)
    talk = host.conversation_log(a)[0]
    app.show_overlay = True
    app.frame(1 / 60)
    box = app.sprites[a].box
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=box.center))
    app.frame(1 / 60)
    app.frame(1 / 60)
    assert app.inspector.name == a
    lines = app.inspector.lines
    assert "Conversations" in lines
    log = lines[lines.index("Conversations") + 1 :]
    assert log[0].startswith(f"with {b} at {talk['place']}, 12:")
    first_speaker, first_line = talk["lines"][0]
    assert f"  {first_speaker.split()[0]}: {first_line}" in log


def test_the_hosts_conversation_views_are_copies(
    make_host: HostFactory, make_app: AppFactory
) -> None:
    host = make_host(start="12:00")
    app = make_app(host, size=(640, 400), player_start=(3, 4))
    a, b = host.names()
    _talk_until_done(app, host, a, b)
    talk = host.conversation_log(a)[0]
    talk["lines"] = ()
    talk["a"] = "nobody"
    again = host.conversation_log(b)[0]
    assert again["a"] in (a, b) and len(again["lines"]) >= 2
    assert host.conversation_log("nobody at all") == []
    assert host.conversation(a) is None
