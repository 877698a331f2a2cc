"""What the brain knows about its own character (built from a persona file)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["WEEKDAYS", "AgentProfile"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentProfile:
    """The fixed facts of one NPC.

    Attributes:
        name: unique name in the town.
        home: home sector; ``bed`` the address of the NPC's own bed.
        workplace: work sector ("" for none); ``role`` shares policies (e.g. "barista").
        wake, sleep: usual times in minutes since midnight.
        work_days: weekday names the NPC works.
        prompt: the persona fields written into prompts (name, age, traits, lifestyle ...).
    """

    name: str
    home: str
    bed: str = ""
    workplace: str = ""
    role: str = ""
    wake: int = 7 * 60
    sleep: int = 23 * 60
    work_days: tuple[str, ...] = WEEKDAYS[:5]
    prompt: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("AgentProfile.name must not be empty")
        if not self.home:
            raise ValueError(f"AgentProfile.home must not be empty ({self.name})")
        bad = [d for d in self.work_days if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown work days {bad} for {self.name}")

    def is_work_day(self, day: int) -> bool:
        """Whether game day ``day`` (day 1 is a Monday) is a work day."""
        return bool(self.workplace) and WEEKDAYS[(day - 1) % 7] in self.work_days

    def prompt_fields(self) -> dict[str, Any]:
        """Persona fields for prompts, with home/workplace/role always present and the
        living area (the bed's sector and room) when the agent has a bed."""
        fields = {"name": self.name, **dict(self.prompt)}
        fields.setdefault("home", self.home)
        fields.setdefault("workplace", self.workplace)
        fields.setdefault("role", self.role)
        if self.bed and self.bed.count(":") == 2:
            # where the agent sleeps (Generative Agents' "living area"): sector and room
            fields.setdefault("living_area", self.bed.rsplit(":", 1)[0])
        return fields
