"""NPC-NPC conversations: a scheduler plus one class per dialogue style."""

from aga_npc.town.conversations.base import Conversation, DialogueStyle, Phase
from aga_npc.town.conversations.scheduler import ConversationScheduler
from aga_npc.town.conversations.styles import GenerativeLines, SocialLines, WholeExchange

__all__ = [
    "Conversation",
    "ConversationScheduler",
    "DialogueStyle",
    "GenerativeLines",
    "Phase",
    "SocialLines",
    "WholeExchange",
]
