"""Prompt builders and the prompt envelope (pure: no I/O).

One builder per request kind (``aga_npc.types.Module``), grouped by the part of the loop
that asks: :mod:`~aga_npc.prompts.planning`, :mod:`~aga_npc.prompts.acting`,
:mod:`~aga_npc.prompts.memory`, :mod:`~aga_npc.prompts.talk`.
"""

from aga_npc.prompts.acting import (
    action_chain_messages,
    action_emoji_messages,
    action_event_messages,
    arena_messages,
    object_emoji_messages,
    object_event_messages,
    object_messages,
    object_state_messages,
    sector_messages,
)
from aga_npc.prompts.format import envelope, extract_context, extract_task
from aga_npc.prompts.memory import (
    focal_points_messages,
    insights_messages,
    poignancy_batch_messages,
    poignancy_messages,
)
from aga_npc.prompts.planning import (
    daily_plan_messages,
    decompose_messages,
    hourly_schedule_messages,
    replan_messages,
    wake_up_messages,
)
from aga_npc.prompts.sanitize import quote_player_text, sanitize_player_text
from aga_npc.prompts.talk import (
    conversation_whole_messages,
    convo_memo_messages,
    convo_summary_messages,
    decide_react_messages,
    decide_talk_messages,
    joint_relationship_messages,
    planning_thought_messages,
    player_reply_messages,
    relationship_messages,
    relationship_summary_messages,
    utterance_messages,
)

__all__ = [
    "action_chain_messages",
    "action_emoji_messages",
    "action_event_messages",
    "arena_messages",
    "conversation_whole_messages",
    "convo_memo_messages",
    "convo_summary_messages",
    "daily_plan_messages",
    "decide_react_messages",
    "decide_talk_messages",
    "decompose_messages",
    "envelope",
    "extract_context",
    "extract_task",
    "focal_points_messages",
    "hourly_schedule_messages",
    "insights_messages",
    "joint_relationship_messages",
    "object_emoji_messages",
    "object_event_messages",
    "object_messages",
    "object_state_messages",
    "planning_thought_messages",
    "player_reply_messages",
    "poignancy_batch_messages",
    "poignancy_messages",
    "quote_player_text",
    "relationship_messages",
    "relationship_summary_messages",
    "replan_messages",
    "sanitize_player_text",
    "sector_messages",
    "utterance_messages",
    "wake_up_messages",
]
