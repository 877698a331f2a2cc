"""Embedders behind ``aga_npc.ports.Embedder``: local MiniLM ONNX, OpenAI-compatible, hashing.

Heavy libraries (onnxruntime, tokenizers, openai) are imported on first use, never here.
"""

from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.embed.local import LocalEmbedder
from aga_npc.embed.openai_embedder import OpenAIEmbedder

__all__ = [
    "CachedEmbedder",
    "HashingEmbedder",
    "LocalEmbedder",
    "OpenAIEmbedder",
    "build_embedder",
]
