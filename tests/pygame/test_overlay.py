"""F1 draws each NPC's snapshot (plan, action, marker) and the pipeline panel; clicking an
NPC opens the inspector; F2 draws the relationship heatmap."""

from __future__ import annotations

import pygame
from pygame_helpers import AppFactory, HostFactory, run_until

from aga_npc.pygame.relations import closeness_matrix


def _post_key(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def test_overlay_text_is_the_snapshot(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host(start="08:00", npcs=6)  # copies crowd the house: text blocks must dodge
    app = make_app(host, size=(640, 400))
    _post_key(pygame.K_F1)
    app.frame(1 / 60)
    assert app.show_overlay

    def planned() -> bool:
        return any(s.activity for s in app.overlay.snapshots.values())

    run_until(app, planned)
    app.frame(1 / 60)
    lines = app.overlay.text_lines()
    checked = 0
    for name, snap in app.overlay.snapshots.items():
        if name in app.overlay.drawn and snap.activity:
            assert snap.activity in lines
            assert any(snap.marker() in line for line in lines)
            checked += 1
    assert checked >= 1
    blocks = list(app.overlay.blocks.values())
    assert len(blocks) == len(app.overlay.drawn)
    for i, a in enumerate(blocks):  # crowded NPCs: their text blocks never cover each other
        assert a.collidelist(blocks[i + 1 :]) == -1
    assert any(line.startswith("queue ") for line in lines)
    assert any(line.startswith("policy hit rate") for line in lines)
    assert any("offline" in line for line in lines)


def test_clicking_an_npc_opens_its_inspector(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host(start="08:00")
    app = make_app(host, size=(640, 400))
    app.show_overlay = True
    run_until(app, lambda: bool(host.town.brains[host.names()[0]].plans))
    app.frame(1 / 60)
    target = next(s for s in app.sprites.visible if s.name != "player")
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=target.box.center))
    app.frame(1 / 60)
    app.frame(1 / 60)
    assert app.inspector.name == target.name
    snap = app.overlay.snapshots[target.name]
    assert "Schedule today" in app.inspector.lines
    for start, what, where in snap.schedule:
        assert f"{start}  {what}  ({where})" in app.inspector.lines
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1))
    app.frame(1 / 60)
    assert app.inspector.scroll == 3  # the wheel scrolls the panel
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(2, 300)))
    app.frame(1 / 60)
    assert app.inspector.name is None


def test_relations_view_reads_social_memory(make_host: HostFactory, make_app: AppFactory) -> None:
    host = make_host()
    app = make_app(host, size=(640, 400))
    _post_key(pygame.K_F2)
    app.frame(1 / 60)
    assert app.show_relations and app.relations.image is not None
    snaps = host.snapshots()
    names, columns = app.relations.names, app.relations.columns
    assert columns == [*names, "player"]
    matrix = closeness_matrix(snaps, names, columns)
    assert app.relations.matrix == matrix
    ada, ben = names.index("Ada Finch"), names.index("Ben Ortiz")
    # Seeded from Ada's persona: Ben is her housemate, closeness 4.
    assert matrix[ada][ben] == 4.0
    assert matrix[ada][ada] is None
    assert matrix[ada][columns.index("player")] is None  # never met


def test_the_panel_needs_only_the_hosts_stats() -> None:
    """A game of its own passes ``host.stats()``; the lines of figures it did not give are
    left out rather than asked for."""
    from aga_npc.host.town_host import HostStats
    from aga_npc.pygame import panel_lines

    stats = HostStats(llm_calls=7, tokens=1234, policy_hits=3, policy_misses=1)
    lines = panel_lines(stats)
    assert "LLM calls 7   tokens used 1,234" in lines
    assert "policy hit rate 75% (3 hits / 1 misses)" in lines
    assert not any(line.startswith(("LLM:", "frame ", "NPCs ")) for line in lines)
    full = panel_lines(stats, backend="offline", npcs=3, speed=2.0, frame_ms=4.0, brain_ms=0.5)
    assert full[0] == "LLM: offline" and full[-1] == "NPCs 3   speed x2"
    assert "frame 4.00 ms   brains 0.500 ms/frame" in full
