"""Build the configured embedder from :class:`~aga_npc.config.Settings` (``AGA_EMBED``)."""

from __future__ import annotations

from aga_npc.config import DEFAULT_EMBED_MODEL, Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.embed.local import LocalEmbedder
from aga_npc.embed.openai_embedder import OpenAIEmbedder
from aga_npc.errors import ConfigError
from aga_npc.ports import Embedder

__all__ = ["DEFAULT_OPENAI_EMBED_MODEL", "build_embedder"]

DEFAULT_OPENAI_EMBED_MODEL = "text-embedding-3-small"


def build_embedder(settings: Settings | None = None, *, cache: bool = True) -> Embedder:
    """The embedder ``settings.embed`` names (``local`` | ``openai`` | ``hashing``).

    - ``local``: all-MiniLM-L6-v2 int8 ONNX (only that model is shipped).
    - ``openai``: ``settings.embed_model`` at ``settings.base_url``; the default model name
      becomes ``text-embedding-3-small`` there.
    - ``hashing``: feature hashing, 256 dimensions.

    Args:
        settings: resolved settings (default: ``Settings.from_env()``).
        cache: wrap the embedder in a :class:`CachedEmbedder` (the policy store persists it).

    Raises:
        ConfigError: the local backend was asked for another model.
    """
    settings = settings if settings is not None else Settings.from_env()
    inner: Embedder
    if settings.embed == "local":
        if settings.embed_model != DEFAULT_EMBED_MODEL:
            raise ConfigError(
                f"AGA_EMBED=local runs {DEFAULT_EMBED_MODEL} only, got AGA_EMBED_MODEL="
                f"{settings.embed_model!r}; use AGA_EMBED=openai for other models"
            )
        inner = LocalEmbedder()
    elif settings.embed == "openai":
        model = settings.embed_model
        if model == DEFAULT_EMBED_MODEL:
            model = DEFAULT_OPENAI_EMBED_MODEL
        inner = OpenAIEmbedder(
            model=model,
            base_url=settings.base_url,
            api_key=settings.api_key,
            timeout=settings.request_timeout,
        )
    else:
        inner = HashingEmbedder()
    return CachedEmbedder(inner) if cache else inner
