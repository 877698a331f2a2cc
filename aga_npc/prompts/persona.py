"""The persona blocks prompts carry: the identity set (Generative Agents' "ISS") and a short
form for the small per-action prompts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["identity", "short_identity"]

Persona = Mapping[str, Any]

_IDENTITY_KEYS = (
    "name",
    "age",
    "traits",
    "backstory",
    "currently",
    "lifestyle",
    "home",
    "living_area",
    "workplace",
    "role",
    "work_days",
    "daily_requirements",
)


def identity(persona: Persona) -> dict[str, Any]:
    """Everything stable about the person: name, age, traits, backstory, what they are
    currently up to, lifestyle, home, work and daily requirements (what Generative Agents
    puts at the top of most prompts)."""
    return {k: persona[k] for k in _IDENTITY_KEYS if persona.get(k) not in (None, "", [], ())}


def short_identity(persona: Persona) -> dict[str, Any]:
    """Name, role, home, living area and workplace only (the per-action prompts)."""
    keep = ("name", "role", "home", "living_area", "workplace")
    return {k: persona[k] for k in keep if persona.get(k) not in (None, "")}
