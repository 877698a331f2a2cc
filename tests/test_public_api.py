"""The public API is exactly ``aga_npc.__all__`` (pinned here) and every name resolves."""

from __future__ import annotations

import aga_npc

PINNED = [
    "AgaError",
    "AgentProfile",
    "BrainSnapshot",
    "ChatMessage",
    "Gateway",
    "HostConfig",
    "InlineGateway",
    "Intent",
    "IntentKind",
    "LLMRequest",
    "LLMResult",
    "Mode",
    "Module",
    "NpcBrain",
    "OfflineLLM",
    "Perception",
    "Persona",
    "PolicyStore",
    "Priority",
    "Settings",
    "TokenLedger",
    "Town",
    "TownHost",
    "TownSpec",
    "Usage",
    "World",
    "WorldStepper",
    "__version__",
    "build_embedder",
    "build_stack",
    "build_town",
    "grid_world",
    "load_personas",
    "plan_similarity",
    "town_personas",
]


def test_all_is_pinned() -> None:
    assert aga_npc.__all__ == PINNED


def test_every_public_name_resolves_to_the_defining_object() -> None:
    for name in PINNED:
        value = getattr(aga_npc, name)
        assert value is not None
        if name != "__version__":
            assert getattr(value, "__name__", name) == name


def test_unknown_names_raise_attribute_error() -> None:
    try:
        aga_npc.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("expected AttributeError")
