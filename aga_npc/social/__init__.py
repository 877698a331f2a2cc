"""Social Memory and the end-of-conversation rules (pure): what NPCs remember of each other
and when a conversation is over."""

from aga_npc.social.conversation_rules import EndDecision, conversation_should_end, is_farewell
from aga_npc.social.social_memory import (
    SocialLimits,
    SocialMemory,
    SocialRecord,
    SocialUpdate,
    closeness_for_relationship,
    merge_summary,
    merge_topics,
)

__all__ = [
    "EndDecision",
    "SocialLimits",
    "SocialMemory",
    "SocialRecord",
    "SocialUpdate",
    "closeness_for_relationship",
    "conversation_should_end",
    "is_farewell",
    "merge_summary",
    "merge_topics",
]
