"""The AGA brain on Generative Agents' loop: NpcBrain.tick() (non-blocking) over its parts -
planner, resolver and per-action chain, reactions, mind and reflection, the social side -
its modes, settings, intents and services."""

from aga_npc.brain.intent import Intent, IntentKind, Nearby, Perception, Source
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import BrainState, NpcBrain
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.services import (
    BrainServices,
    HitHandle,
    PlanKey,
    PolicyDecision,
    PolicyPort,
)
from aga_npc.brain.settings import LoopSettings, Savings
from aga_npc.brain.snapshot import BrainSnapshot

__all__ = [
    "AgentProfile",
    "BrainServices",
    "BrainSnapshot",
    "BrainState",
    "HitHandle",
    "Intent",
    "IntentKind",
    "LoopSettings",
    "Mind",
    "Mode",
    "Nearby",
    "NpcBrain",
    "Perception",
    "PlanKey",
    "PolicyDecision",
    "PolicyPort",
    "Savings",
    "Source",
]
