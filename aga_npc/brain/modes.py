"""The simulation modes: which AGA features are on. Everything else is identical."""

from __future__ import annotations

import enum

__all__ = ["Mode"]


class Mode(enum.StrEnum):
    """Which of AGA's substitutions are on; Generative Agents' loop is the same in all.

    ``baseline``: Generative Agents' loop, nothing cached. ``aga-paper``: the paper's two
    substitutions only (Lifestyle Policy for decomposition and the per-action chain, Social
    Memory for per-line retrieval and the relationship summary). ``aga``: ``aga-paper``
    plus this project's own savings (``aga_npc.brain.savings``). ``lifestyle-only`` and
    ``social-only``: one substitution each, as the paper's ablation.
    """

    AGA = "aga"
    AGA_PAPER = "aga-paper"
    BASELINE = "baseline"
    LIFESTYLE_ONLY = "lifestyle-only"
    SOCIAL_ONLY = "social-only"

    @property
    def uses_policy(self) -> bool:
        """Reuse cached routines from the Lifestyle Policy instead of decomposing."""
        return self in (Mode.AGA, Mode.AGA_PAPER, Mode.LIFESTYLE_ONLY)

    @property
    def uses_social_memory(self) -> bool:
        """Dialogue prompts carry Social Memory instead of raw retrieved memories."""
        return self in (Mode.AGA, Mode.AGA_PAPER, Mode.SOCIAL_ONLY)

    @classmethod
    def parse(cls, value: str) -> Mode:
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown mode {value!r}; expected one of {names}") from None
