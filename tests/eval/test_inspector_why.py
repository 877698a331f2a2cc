"""The inspector shows what came to mind and which activity each memory inspired."""

from __future__ import annotations

from aga_npc.brain.snapshot import BrainSnapshot
from aga_npc.pygame.inspector import inspector_sections


def snapshot(wandered: tuple[str, ...]) -> BrainSnapshot:
    return BrainSnapshot(
        name="Amara Osei",
        state="active",
        mode="aga",
        activity="",
        action="",
        verb="",
        target="",
        source="idle",
        reason="",
        cosine=0.0,
        schedule=(
            ("07:00", "have breakfast", "Juniper Cafe"),
            ("16:00", "play a few tunes at Town Square like Silas did", "Town Square"),
        ),
        pending=(),
        memories=(),
        relationships=(),
        tokens=0,
        tokens_saved=0,
        llm_calls=0,
        policy_hits=0,
        policy_misses=0,
        talking_to="",
        wandered=wandered,
    )


def test_the_why_line_links_the_activity_to_the_memory() -> None:
    memory = "Silas Grue: play a few tunes at Town Square"
    sections = dict(inspector_sections(snapshot(("table is in use", memory))))
    lines = sections["Came to mind (mind wandering)"]
    assert f"- {memory}" in lines
    assert f"why play a few tunes at Town Square like Silas did: {memory}" in lines
    assert not any(line.startswith("why have breakfast") for line in lines)


def test_nothing_came_to_mind_yet() -> None:
    sections = dict(inspector_sections(snapshot(())))
    assert sections["Came to mind (mind wandering)"] == ["(nothing yet)"]
