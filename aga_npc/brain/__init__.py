"""The AGA brain: NpcBrain.tick() (non-blocking), its modes, intents and services."""

from aga_npc.brain.intent import Intent, IntentKind, Nearby, Perception, Source
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import BrainState, NpcBrain
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.services import BrainServices, PolicyDecision, PolicyPort
from aga_npc.brain.snapshot import BrainSnapshot

__all__ = [
    "AgentProfile",
    "BrainServices",
    "BrainSnapshot",
    "BrainState",
    "Intent",
    "IntentKind",
    "Mind",
    "Mode",
    "Nearby",
    "NpcBrain",
    "Perception",
    "PolicyDecision",
    "PolicyPort",
    "Source",
]
