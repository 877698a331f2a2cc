"""A dialogue through the UI: E opens it, typed text goes to the NPC, the reply types out."""

from __future__ import annotations

import json

import pygame
from pygame_helpers import AppFactory, HostFactory, run_until

from aga_npc.brain.npc import BrainState
from aga_npc.testing import FakeLLM

REPLY = "Lovely weather for baking bread today, neighbour. Come by the cafe later!"


def _post_key(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def _post_text(text: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))


def test_dialogue_round_trip_through_the_ui(make_host: HostFactory, make_app: AppFactory) -> None:
    answer = {"reply": REPLY, "intent": "greeting", "invitation": None, "tone": "kind"}
    llm = FakeLLM({"player_reply": json.dumps(answer)})  # the JSON a model answers
    host = make_host(llm)
    app = make_app(host, player_start=(3, 4))  # next to Ada's bed
    npc = host.nearest(app.player.x - 0.5, app.player.y - 0.5, app.config.talk_radius)
    assert npc is not None

    _post_key(pygame.K_e)
    _post_text("e")  # SDL sends the typed "e" too: it must not reach the text field
    app.frame(1 / 60)
    box = app.dialogue
    assert box is not None and box.npc == npc and box.input == ""
    for ch in "Hello there":
        _post_text(ch)
    _post_key(pygame.K_d)  # a movement key while typing moves nobody
    _post_text("!")
    x_before = app.player.x
    app.frame(1 / 60)
    assert box.input == "Hello there!"
    assert app.player.x == x_before
    _post_key(pygame.K_RETURN)
    app.frame(1 / 60)
    assert box.waiting and box.input == ""

    shown: list[str] = []

    def reply_shown() -> bool:
        shown.append(box.shown_reply())
        return not box.waiting

    run_until(app, reply_shown)
    assert box.history == [("You", "Hello there!"), (npc, REPLY)]
    # Typewriter: the reply appeared a few characters at a time, always a prefix.
    partial = [s for s in shown if 0 < len(s) < len(REPLY)]
    assert len(partial) >= 10
    assert all(REPLY.startswith(s) for s in shown)
    assert [len(s) for s in partial] == sorted(len(s) for s in partial)
    # The NPC heard the player's words and is talking with the player.
    asked = llm.calls_for("player_reply")
    assert len(asked) == 1 and "Hello there!" in asked[0].prompt_text()
    brain = host.town.brains[npc]
    assert brain.state is BrainState.TALKING and brain.talk_partner == "player"
    npc_sprite, me = app.sprites[npc], app.sprites["player"]
    assert npc_sprite.pos is not None and me.pos is not None

    _post_key(pygame.K_ESCAPE)
    app.frame(1 / 60)
    assert app.dialogue is None and box.closed
    assert brain.state is not BrainState.TALKING
    said = [m for m in brain.snapshot().memories if "The player said" in m]
    assert said and "Hello there!" in said[0] and REPLY in said[0]


def test_no_npc_in_reach_says_so(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host()
    app = make_app(host, player_start=(18, 10))  # far corner of the park
    _post_key(pygame.K_e)
    app.frame(1 / 60)
    assert app.dialogue is None
    assert any("nobody" in m for m, _ in app.hud.messages)
