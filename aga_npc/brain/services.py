"""The narrow ports the brain talks through: a request sink, the policy, an embedder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from aga_npc.places import place_label
from aga_npc.ports import Embedder, RequestGateway, RequestTicket, WorldView
from aga_npc.types import Action

__all__ = [
    "BrainServices",
    "HitHandle",
    "PlanKey",
    "PolicyDecision",
    "PolicyPort",
    "RequestSink",
    "TicketLike",
]

Vector = npt.NDArray[np.float32]


TicketLike = RequestTicket[Any]
RequestSink = RequestGateway


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanKey:
    """What a Lifestyle Policy routine is stored under and looked up by.

    Attributes:
        text: the activity as the schedule names it ("have lunch").
        place: where it is planned, as a place symbol (``@home``, ``@work``) or a sector
            name (``aga_npc.places.place_symbol``). Place is part of the meaning: a routine
            learned at home never serves a plan at work.
    """

    text: str
    place: str

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("PlanKey.text must not be empty")

    def describe(self) -> str:
        """ "have lunch (at home)": the text and the place in words (logs, overlay)."""
        return f"{self.text} ({place_label(self.place)})"


@dataclass(frozen=True, slots=True, kw_only=True)
class HitHandle:
    """Opaque reference to the stored routine behind a hit; the brain hands it back with
    ``report_failure`` / ``report_success`` and never looks inside."""

    entry: int
    variant: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyDecision:
    """A Lifestyle Policy lookup outcome, reduced to what the brain needs.

    Attributes:
        hit: a routine matched and its condition holds now.
        actions: the routine's actions (targets may carry place symbols), rescaled to the
            planned duration; every target lies in the planned place.
        reason: why (hit kind or miss reason, for the overlay and logs).
        cosine: the similarity of the matched plan (1.0 for an exact text hit).
        matched: the stored plan text that matched.
        scope: the scope kind of the hit ("agent", "role", "town"; "" on a miss).
        handle: the routine behind a hit, for failure and success reports.
    """

    hit: bool
    actions: tuple[Action, ...] = ()
    reason: str = ""
    cosine: float = 0.0
    matched: str = ""
    scope: str = ""
    handle: HitHandle | None = None


class PolicyPort(Protocol):
    """The Lifestyle Policy as the brain sees it.

    ``lookup`` with ``vector=None`` tries exact plan text only (no embedding needed); with a
    vector it also tries similar plans. Both answer in well under a millisecond.
    """

    def lookup(
        self,
        *,
        plan: PlanKey,
        vector: Vector | None,
        agent: str,
        role: str,
        duration: int,
        world: WorldView,
        now: int,
    ) -> PolicyDecision: ...

    def store(
        self,
        *,
        plan: PlanKey,
        vector: Vector,
        agent: str,
        role: str,
        duration: int,
        actions: Sequence[Action],
        now: int,
        world: WorldView,
    ) -> None: ...

    def report_failure(self, handle: HitHandle, *, now: int, why: str) -> None:
        """An action of a reused routine failed (object gone, unreachable, full for long):
        the variant is demoted, and evicted when it keeps failing."""
        ...

    def report_success(self, handle: HitHandle, *, now: int) -> None:
        """A reused routine ran to its end."""
        ...

    def embedding_texts(self, text: str) -> tuple[str, ...]:
        """What to embed for a plan key text, in one call: the text first, then any parts
        the same-plan rule reads (their vectors are looked up in the embedder's cache)."""
        ...


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
