"""The two-resident TMX test town around a scripted LLM (the offline stand-in answers every
kind the test does not script), and a loop that drives conversations without ticking the
brains (so their intents, and whether they are free to talk, stay as the test sets them)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import LoopSettings
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.offline.backend import answer_text
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.prompts import extract_context
from aga_npc.runtime.inline import InlineGateway
from aga_npc.testing import FakeLLM
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.conversations import ConversationScheduler
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.town import Town
from aga_npc.types import LLMRequest

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
ADA, BEN = "Ada Finch", "Ben Ortiz"
DAY = 1440

Handler = Any


async def no_sleep(_: float) -> None:
    return None


class Script:
    """Answers scripted kinds (an answer, a list served in turn, or ``fn(context)``); the
    offline stand-in answers the rest. Records every context and the agent asked for."""

    def __init__(self, handlers: Mapping[str, Handler] | None = None) -> None:
        self.handlers = dict(handlers or {})
        self.contexts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.agents: dict[str, list[str]] = defaultdict(list)
        self._served: dict[str, int] = defaultdict(int)

    def __call__(self, request: LLMRequest) -> str:
        module = request.module_name
        ctx = extract_context(request.messages) or {}
        self.contexts[module].append(ctx)
        self.agents[module].append(request.agent)
        if module not in self.handlers:
            return answer_text(request, seed=0)
        value = self.handlers[module]
        if isinstance(value, list):
            i = min(self._served[module], len(value) - 1)
            self._served[module] += 1
            value = value[i]
        if callable(value):
            value = value(ctx)
        if isinstance(value, BaseException):
            raise value
        return value if isinstance(value, str) else json.dumps(value)


@dataclass
class Built:
    town: Town
    script: Script
    ledger: TokenLedger
    gateway: InlineGateway

    @property
    def convos(self) -> ConversationScheduler:
        convos = self.town.conversations
        assert convos is not None
        return convos

    def calls(self, module: str) -> int:
        return int(self.ledger.by_module().get(module, {}).get("calls", 0))

    def talk(self, minutes: int = 30) -> None:
        """Advance the conversations minute by minute; the brains only handle answers."""
        town = self.town
        convos = town.conversations
        assert convos is not None
        for _ in range(minutes):
            convos.step(town.now, town)
            self.gateway.pump()
            for brain in town.brains.values():
                brain.book.poll()
            town.stepper.step_minutes(1)

    def decide(self, who: str, other: str) -> None:
        """As if ``who``'s decide_talk had said yes to ``other``."""
        self.town.brains[who].reactions.wants_talk = other


def make_town(
    handlers: Mapping[str, Handler] | None = None,
    *,
    mode: Mode = Mode.AGA,
    lod: str = "turns",
    start: str = "10:00",
    **loop: Any,
) -> Built:
    script = Script(handlers)
    ledger = TokenLedger()
    stack = build_stack(Settings(), ledger, backend=FakeLLM(script), sleep=no_sleep)
    gateway = InlineGateway(stack, ledger=ledger)
    embedder = CachedEmbedder(HashingEmbedder())
    spec = TownSpec(
        personas=load_personas(DATA / "residents"),
        mode=mode,
        map_path=DATA / "small_town.tmx",
        lod=lod,
        start=start,
        loop=LoopSettings.for_mode(mode, **loop),
    )
    town = build_town(
        spec,
        gateway=gateway,
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=StorePolicy(PolicyStore(embedder=embedder)),
    )
    return Built(town=town, script=script, ledger=ledger, gateway=gateway)


TownMaker = Callable[..., Built]
