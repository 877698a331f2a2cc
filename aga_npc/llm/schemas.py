"""JSON schemas of request kinds' answers, for servers that constrain their output to one.

A JSON request declares its answer's schema through its validator: a validator decorated
with :func:`with_schema` carries either a fixed schema or a function of the request that
builds one (enums of the options this very prompt lists: object addresses, verbs, places).
:func:`schema_for` reads it; the ``openai`` backend sends it as ``response_format`` (or
Ollama's ``format``). Nothing here imports an SDK; any request kind (player dialogue
included) opts in by decorating its validator, and a kind without a schema is asked for a
plain JSON object as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aga_npc.types import LLMRequest

__all__ = ["SchemaSource", "schema_for", "with_schema"]

log = logging.getLogger(__name__)

SchemaSource = Mapping[str, Any] | Callable[[LLMRequest], Mapping[str, Any] | None]
F = TypeVar("F", bound=Callable[..., Any])
_ATTR = "json_schema"


def with_schema(source: SchemaSource) -> Callable[[F], F]:
    """Decorate a validator (function or the function under a ``classmethod``) with its
    answer's JSON schema: a mapping, or ``source(request)`` returning one (None: no schema
    for this request)."""

    def mark(fn: F) -> F:
        setattr(fn, _ATTR, source)
        return fn

    return mark


def schema_for(request: LLMRequest) -> dict[str, Any] | None:
    """The JSON schema the answer to ``request`` must follow, or None (not a JSON request,
    or its validator declares none). A builder that fails is logged and gives None: the
    request is still asked, without a schema."""
    if not request.json or request.validator is None:
        return None
    validator: Any = request.validator
    source = getattr(validator, _ATTR, None)
    if source is None:
        inner = getattr(validator, "func", None)  # functools.partial
        source = getattr(inner, _ATTR, None) if inner is not None else None
    if source is None:
        return None
    if callable(source):
        try:
            built = source(request)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            log.warning("no schema for %s: %s", request.module_name, exc)
            return None
        return dict(built) if built is not None else None
    return dict(source)
