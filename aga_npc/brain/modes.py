"""The simulation modes: which AGA features are on. Everything else is identical."""

from __future__ import annotations

import enum

__all__ = ["Mode"]


class Mode(enum.StrEnum):
    """``aga`` = Lifestyle Policy + Social Memory; ``baseline`` = Generative-Agents style."""

    AGA = "aga"
    BASELINE = "baseline"
    LIFESTYLE_ONLY = "lifestyle-only"
    SOCIAL_ONLY = "social-only"

    @property
    def uses_policy(self) -> bool:
        """Reuse cached routines from the Lifestyle Policy instead of decomposing."""
        return self in (Mode.AGA, Mode.LIFESTYLE_ONLY)

    @property
    def uses_social_memory(self) -> bool:
        """Dialogue prompts carry Social Memory instead of raw retrieved memories."""
        return self in (Mode.AGA, Mode.SOCIAL_ONLY)

    @classmethod
    def parse(cls, value: str) -> Mode:
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown mode {value!r}; expected one of {names}") from None
