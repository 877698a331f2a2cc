"""Configuration from the environment (docs/DESIGN.md section 5); flags override it.

Variables: ``AGA_LLM`` (offline|openai), ``AGA_LLM_BASE_URL`` (else ``OPENAI_BASE_URL``),
``OPENAI_API_KEY``, ``AGA_LLM_MODEL``, ``AGA_EMBED`` (local|openai|hashing),
``AGA_EMBED_MODEL``, ``AGA_LLM_CONCURRENCY`` (LLM calls in flight at once; unset: the
host picks, one per NPC and at least 8). The API key is held in memory only: ``repr``
and ``to_public_dict`` never show it, and nothing in the package writes it to disk or logs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aga_npc.errors import ConfigError

__all__ = ["DEFAULT_EMBED_MODEL", "DEFAULT_LLM_MODEL", "Settings"]

LLM_BACKENDS = ("offline", "openai")
EMBED_BACKENDS = ("local", "openai", "hashing")
DEFAULT_LLM_MODEL = "gpt-4o-mini"
DEFAULT_EMBED_MODEL = "all-MiniLM-L6-v2"
MIN_CONCURRENCY = 8


def _concurrency(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"AGA_LLM_CONCURRENCY must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"AGA_LLM_CONCURRENCY must be >= 1, got {value}")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Resolved settings. Build with ``Settings.from_env()`` and override with ``replace``.

    ``max_concurrency`` None lets the host size it (see :meth:`concurrency_for`).
    """

    llm: str = "offline"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    model: str = DEFAULT_LLM_MODEL
    embed: str = "local"
    embed_model: str = DEFAULT_EMBED_MODEL
    request_timeout: float = 60.0
    max_concurrency: int | None = None

    def __post_init__(self) -> None:
        if self.llm not in LLM_BACKENDS:
            raise ConfigError(f"AGA_LLM must be one of {', '.join(LLM_BACKENDS)}, got {self.llm!r}")
        if self.embed not in EMBED_BACKENDS:
            raise ConfigError(
                f"AGA_EMBED must be one of {', '.join(EMBED_BACKENDS)}, got {self.embed!r}"
            )
        if self.request_timeout <= 0:
            raise ConfigError(f"request timeout must be positive, got {self.request_timeout}")
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise ConfigError(f"max concurrency must be >= 1, got {self.max_concurrency}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``).

        ``AGA_LLM`` defaults to ``openai`` when a base URL or an API key is set, else
        ``offline``.
        """
        env = os.environ if environ is None else environ
        base_url = env.get("AGA_LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or None
        api_key = env.get("OPENAI_API_KEY") or None
        llm = env.get("AGA_LLM") or ("openai" if (base_url or api_key) else "offline")
        return cls(
            llm=llm.strip().lower(),
            base_url=base_url,
            api_key=api_key,
            model=env.get("AGA_LLM_MODEL") or DEFAULT_LLM_MODEL,
            embed=(env.get("AGA_EMBED") or "local").strip().lower(),
            embed_model=env.get("AGA_EMBED_MODEL") or DEFAULT_EMBED_MODEL,
            max_concurrency=_concurrency(env.get("AGA_LLM_CONCURRENCY")),
        )

    def concurrency_for(self, agents: int) -> int:
        """LLM calls allowed in flight for ``agents`` NPCs: ``max_concurrency`` when set,
        else one per NPC and at least :data:`MIN_CONCURRENCY` - each brain has about one
        request out at a time, so a slow server (seconds per answer) still keeps up with
        the town instead of queueing its decisions behind one another."""
        if self.max_concurrency is not None:
            return self.max_concurrency
        return max(MIN_CONCURRENCY, agents)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given fields replaced (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_public_dict(self) -> dict[str, Any]:
        """Settings safe to write into reports: the API key is reduced to whether it is set."""
        return {
            "llm": self.llm,
            "base_url": self.base_url,
            "api_key_set": self.api_key is not None,
            "model": self.model if self.llm != "offline" else "offline",
            "embed": self.embed,
            "embed_model": self.embed_model,
            "max_concurrency": self.max_concurrency,
        }
