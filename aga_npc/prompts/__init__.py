"""Prompt builders and the prompt envelope (pure: no I/O)."""

from aga_npc.prompts.builders import (
    conversation_turn_messages,
    conversation_whole_messages,
    decompose_messages,
    importance_messages,
    plan_day_messages,
    player_reply_messages,
    reflect_messages,
    relationship_messages,
    relationship_summary_messages,
)
from aga_npc.prompts.format import envelope, extract_context, extract_task
from aga_npc.prompts.sanitize import quote_player_text, sanitize_player_text

__all__ = [
    "conversation_turn_messages",
    "conversation_whole_messages",
    "decompose_messages",
    "envelope",
    "extract_context",
    "extract_task",
    "importance_messages",
    "plan_day_messages",
    "player_reply_messages",
    "quote_player_text",
    "reflect_messages",
    "relationship_messages",
    "relationship_summary_messages",
    "sanitize_player_text",
]
