"""The narrow ports the brain talks through: a request sink, the policy, an embedder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from aga_npc.ports import Embedder, RequestGateway, RequestTicket, WorldView
from aga_npc.types import Action

__all__ = ["BrainServices", "PolicyDecision", "PolicyPort", "RequestSink", "TicketLike"]

Vector = npt.NDArray[np.float32]


TicketLike = RequestTicket[Any]
RequestSink = RequestGateway


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyDecision:
    """A Lifestyle Policy lookup outcome, reduced to what the brain needs."""

    hit: bool
    actions: tuple[Action, ...] = ()
    reason: str = ""
    cosine: float = 0.0
    matched: str = ""


class PolicyPort(Protocol):
    """The Lifestyle Policy: fast lookup with a ready vector, store after success."""

    def lookup(
        self,
        *,
        plan: str,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        world: WorldView,
        now: int,
    ) -> PolicyDecision: ...

    def store(
        self,
        *,
        plan: str,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        actions: Sequence[Action],
        now: int,
        world: WorldView,
    ) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class BrainServices:
    """Everything a brain needs from outside, injected.

    Attributes:
        requests: the gateway (threaded in games, inline in headless simulations).
        embedder: used only through ``requests.submit_call`` (never on the main thread).
        cached_vector: a fast in-memory lookup of already-embedded texts (None on a miss).
        policy: the Lifestyle Policy, or None when the mode does not use it.
    """

    requests: RequestSink
    embedder: Embedder
    cached_vector: Callable[[str], Vector | None]
    policy: PolicyPort | None = None
