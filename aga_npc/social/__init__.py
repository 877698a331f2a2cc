"""Social Memory and conversation rules (pure): who talks to whom, and what they remember."""

from aga_npc.social.conversation_rules import (
    DEFAULT_RULES,
    ConversationRules,
    Decision,
    EndDecision,
    TalkerState,
    conversation_should_end,
    is_farewell,
    should_start_conversation,
    start_probability,
)
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
    "DEFAULT_RULES",
    "ConversationRules",
    "Decision",
    "EndDecision",
    "SocialLimits",
    "SocialMemory",
    "SocialRecord",
    "SocialUpdate",
    "TalkerState",
    "closeness_for_relationship",
    "conversation_should_end",
    "is_farewell",
    "merge_summary",
    "merge_topics",
    "should_start_conversation",
    "start_probability",
]
