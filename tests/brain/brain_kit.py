"""Shared pieces of the brain tests: a scripted LLM behind the real wrapper stack and the
inline gateway, a small world with two differently built homes, and the agents' profiles.

``Script`` answers each request kind from a handler (a fixed answer, a list served in turn,
or a function of the request's JSON context) and records every context it was asked with;
a kind with no handler is refused with a permanent error (so the brain sees a Failure and
the test sees ``script.unexpected``). The token ledger tells which kinds were sent.

``script()`` answers a whole day of Ada's (her plan ``OUTLINE``, an action chain on the
first object that fits) and ``Body`` runs her ``NpcBrain`` in a FakeWorld.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aga_npc.brain.intent import Intent, IntentKind, Nearby, Perception
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import NpcBrain
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.services import BrainServices
from aga_npc.brain.settings import LoopSettings
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.errors import PermanentLLMError
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.registry import build_stack
from aga_npc.policy.store import PolicyStore
from aga_npc.ports import WorldView
from aga_npc.prompts import extract_context
from aga_npc.runtime.inline import InlineGateway
from aga_npc.testing import FakeLLM, FakeWorld
from aga_npc.town.policy_port import StorePolicy
from aga_npc.types import LLMRequest, ObjectInfo

DAY = 1440

Handler = str | Mapping[str, Any] | list[Any] | Callable[[dict[str, Any]], Any]


async def no_sleep(_: float) -> None:
    return None


class Script:
    """A FakeLLM responder with one handler per request kind.

    A handler is an answer (a string, or a JSON-able value dumped to JSON), a list of
    answers served in turn (the last repeats), or ``fn(context) -> answer``.
    """

    def __init__(self, handlers: Mapping[str, Handler] | None = None) -> None:
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self.contexts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.unexpected: list[str] = []
        self._served: dict[str, int] = defaultdict(int)

    def __call__(self, request: LLMRequest) -> str:
        module = request.module_name
        ctx = extract_context(request.messages) or {}
        self.contexts[module].append(ctx)
        handler = self.handlers.get(module)
        if handler is None:
            self.unexpected.append(module)
            raise PermanentLLMError(f"unscripted request kind {module}")
        if isinstance(handler, list):
            i = min(self._served[module], len(handler) - 1)
            self._served[module] += 1
            value = handler[i]
        else:
            value = handler
        if callable(value):
            value = value(ctx)
        if isinstance(value, BaseException):
            raise value
        return value if isinstance(value, str) else json.dumps(value)


@dataclass
class Rig:
    """The real stack (retry, JSON repair, metering) around a FakeLLM, inline gateway."""

    script: Script
    fake: FakeLLM
    ledger: TokenLedger
    gateway: InlineGateway
    embedder: CachedEmbedder
    books: list[RequestBook] = field(default_factory=list)

    def book(self, agent: str = "Ada Finch") -> RequestBook:
        book = RequestBook(self.gateway, agent)
        self.books.append(book)
        return book

    def calls(self, module: str) -> int:
        """Backend calls of one request kind (re-asks included), from the ledger."""
        return int(self.ledger.by_module().get(module, {}).get("calls", 0))

    def kinds(self) -> dict[str, int]:
        """Backend calls by request kind."""
        return {m: int(row["calls"]) for m, row in self.ledger.by_module().items()}

    def settle(self, *books: RequestBook, rounds: int = 200) -> None:
        """Serve and hand over answers until nothing is left in flight."""
        books = books or tuple(self.books)
        for _ in range(rounds):
            ran = self.gateway.pump()
            polled = sum(b.poll() for b in books)
            if not ran and not polled and not any(len(b) for b in books):
                return
        raise AssertionError(f"requests kept coming after {rounds} rounds")


def make_rig(
    handlers: Mapping[str, Handler] | Script | None = None,
    *,
    failures: Iterable[BaseException | None] = (),
) -> Rig:
    script = handlers if isinstance(handlers, Script) else Script(handlers)
    fake = FakeLLM(script, failures=failures)
    ledger = TokenLedger()
    stack = build_stack(Settings(), ledger, backend=fake, sleep=no_sleep)
    gateway = InlineGateway(stack, ledger=ledger)
    return Rig(
        script=script,
        fake=fake,
        ledger=ledger,
        gateway=gateway,
        embedder=CachedEmbedder(HashingEmbedder()),
    )


# ---------------------------------------------------------------------- the world

ADA_HOME = "Ada House"
BEN_HOME = "Ben Flat"
CAFE = "Cafe"
PARK = "Park"
ADA_BED = "Ada House:bedroom:bed"
CLEO_BED = "Ada House:small room:cot"
BEN_BED = "Ben Flat:sleeping area:bed"


def thing(
    address: str,
    kind: str,
    verbs: tuple[str, ...],
    *,
    capacity: int = 1,
    occupants: tuple[str, ...] = (),
) -> ObjectInfo:
    sector, arena, name = address.split(":")
    return ObjectInfo(
        address=address,
        kind=kind,
        sector=sector,
        arena=arena,
        name=name,
        capacity=capacity,
        occupants=occupants,
        affordances=verbs,
    )


def town_objects() -> list[ObjectInfo]:
    """Two homes whose rooms and objects are named differently, a cafe and a park.

    Cleo lives with Ada: her cot is in a room of its own in Ada's house.
    """
    return [
        thing("Ada House:kitchen:stove", "stove", ("cook",)),
        thing("Ada House:kitchen:fridge", "fridge", ("take",)),
        thing("Ada House:kitchen:table", "table", ("eat", "read", "sit"), capacity=4),
        thing(ADA_BED, "bed", ("sleep",)),
        thing(CLEO_BED, "bed", ("sleep",)),
        thing("Ben Flat:kitchenette:hob", "stove", ("cook",)),
        thing("Ben Flat:kitchenette:bar", "table", ("eat", "sit"), capacity=2),
        thing(BEN_BED, "bed", ("sleep",)),
        thing("Cafe:shop floor:counter", "counter", ("serve",), capacity=2),
        thing("Cafe:shop floor:table 1", "table", ("eat", "sit"), capacity=2),
        thing("Cafe:back room:desk", "desk", ("work", "read")),
        thing("Park:lawn:bench", "bench", ("sit", "rest", "read"), capacity=3),
    ]


def make_world(minute: int = 8 * 60) -> FakeWorld:
    return FakeWorld(
        objects=town_objects(),
        minute=minute,
        homes={"Ada Finch": ADA_HOME, "Ben Ortiz": BEN_HOME, "Cleo Park": ADA_HOME},
        works={"Ada Finch": CAFE, "Ben Ortiz": CAFE},
        places={"Ada Finch": (ADA_HOME, "kitchen"), "Ben Ortiz": (BEN_HOME, "kitchenette")},
    )


def sector_rooms(world: WorldView) -> dict[str, list[str]]:
    rooms: dict[str, list[str]] = {}
    for obj in world.objects():
        arenas = rooms.setdefault(obj.sector, [])
        if obj.arena not in arenas:
            arenas.append(obj.arena)
    return rooms


ADA = AgentProfile(
    name="Ada Finch",
    home=ADA_HOME,
    bed=ADA_BED,
    workplace=CAFE,
    role="barista",
    wake=7 * 60,
    sleep=23 * 60,
    prompt={"age": 31, "traits": "cheerful"},
)
BEN = AgentProfile(
    name="Ben Ortiz",
    home=BEN_HOME,
    bed=BEN_BED,
    workplace=CAFE,
    role="barista",
    wake=6 * 60,
    sleep=22 * 60,
)
PLACES = [ADA_HOME, BEN_HOME, CAFE, PARK]


# ---------------------------------------------------------------------- Ada's day

OUTLINE = [
    ("07:00", 60, "have breakfast", ADA_HOME),
    ("08:00", 240, "serve coffee", CAFE),
    ("12:00", 60, "have lunch", CAFE),
    ("13:00", 240, "serve coffee", CAFE),
    ("17:00", 120, "walk in the park", PARK),
    ("19:00", 180, "read at home", ADA_HOME),
    ("22:00", 540, "sleep", ADA_HOME),
]
VERBS = {
    "breakfast": "cook",
    "coffee": "serve",
    "lunch": "eat",
    "park": "sit",
    "read": "read",
    "sleep": "sleep",
}


def plan_answer(_: Any = None) -> dict[str, Any]:
    return {
        "wake_up": "07:00",
        "activities": [
            {"start": s, "duration": d, "activity": t, "place": p} for s, d, t, p in OUTLINE
        ],
    }


def chain(ctx: dict[str, Any]) -> dict[str, Any]:
    """One step on the first object of the place that affords the activity's verb."""
    verb = next((v for w, v in VERBS.items() if w in ctx["activity"]), "think")
    for obj in ctx["objects"]:
        if verb in obj["verbs"]:
            return {
                "steps": [
                    {
                        "verb": verb,
                        "object": obj["address"],
                        "minutes": ctx["duration"],
                        "object_state": "in use",
                    }
                ]
            }
    return {"steps": [{"verb": "think", "object": "", "minutes": ctx["duration"]}]}


def script(**changes: Any) -> dict[str, Any]:
    handlers: dict[str, Any] = {
        "wake_up": {"wake_up": "07:00"},
        "daily_plan": plan_answer,
        "hourly_schedule": plan_answer,
        "action_chain": chain,
        "poignancy": {"poignancy": 3},
        "poignancy_batch": lambda ctx: {"poignancy": [3] * len(ctx["memories"])},
        "decide_talk": {"talk": False},
        "convo_memo": "Ben is kind.",
        "planning_thought": {"thought": "nothing to plan", "plan": None},
        "replan": lambda ctx: {
            "activities": [
                {
                    "start": ctx["new_commitment"]["start"],
                    "duration": ctx["new_commitment"]["duration"],
                    "activity": ctx["new_commitment"]["activity"],
                    "place": ctx["new_commitment"]["place"],
                },
                {"start": "22:00", "duration": 540, "activity": "sleep", "place": ADA_HOME},
            ]
        },
        "relationship": {"relationship": "friend", "feeling": "warm", "closeness": 6},
    }
    handlers.update(changes)
    return handlers


class Body:
    """Ada's body in a FakeWorld: it is wherever its intent's object is, at once.

    ``think`` is what a tick asks (the brain's ``tick``; a test of one part may ask that
    part instead).
    """

    def __init__(
        self, rig: Rig, *, mode: Mode = Mode.AGA, store: PolicyStore | None = None
    ) -> None:
        self.rig = rig
        self.world: FakeWorld = make_world()
        self.store = store or PolicyStore(embedder=rig.embedder)
        self.policy = StorePolicy(self.store)
        self.brain = NpcBrain(
            profile=ADA,
            mode=mode,
            services=BrainServices(
                requests=rig.gateway,
                embedder=rig.embedder,
                cached_vector=rig.embedder.cached,
                policy=self.policy if mode.uses_policy else None,
            ),
            mind=Mind(profile=ADA, settings=LoopSettings.for_mode(mode), places=PLACES),
        )
        self.failed = ""

    def tick(self, now: int, nearby: tuple[Nearby, ...] = ()) -> Intent:
        self.world.set_minute(now)
        place = self.world.agent_place("Ada Finch")
        intent = self.think(
            now, Perception(world=self.world, place=place, failed=self.failed, nearby=nearby)
        )
        self.failed = ""
        if intent.kind is IntentKind.USE and intent.target:
            sector, arena, _ = intent.target.split(":")
            self.world.move_agent("Ada Finch", sector, arena)
        self.rig.gateway.pump()
        return intent

    def think(self, now: int, perception: Perception) -> Intent:
        return self.brain.tick(now, perception)

    def run(self, start: int, end: int) -> Intent:
        intent = self.brain.intent
        for now in range(start, end):
            intent = self.tick(now)
        return intent
