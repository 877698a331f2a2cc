"""Resolver: Lifestyle Policy lookups (exact without an embedding, similar after one), GA's
decomposition and per-action chain on a miss, the merged action_chain saving, refusing a
routine outside the planned place, a reused routine's failure and success, storing what
worked, and the resolution lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from brain_kit import (
    ADA,
    ADA_BED,
    ADA_HOME,
    BEN,
    BEN_HOME,
    CAFE,
    CLEO_BED,
    DAY,
    PARK,
    Rig,
    make_world,
    sector_rooms,
)

from aga_npc.brain.intent import Source
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.resolver import (
    MAX_CHAIN_ATTEMPTS,
    TRANSITIONS,
    Resolution,
    Resolver,
    ResStatus,
    TickWork,
    fit_actions,
    fit_minutes,
)
from aga_npc.brain.services import BrainServices, HitHandle, PlanKey, PolicyDecision
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import ServerError
from aga_npc.policy.store import PolicyStore
from aga_npc.testing import FakeWorld
from aga_npc.town.policy_port import StorePolicy
from aga_npc.types import Action

CHAIN = (
    "action_sector",
    "action_arena",
    "action_object",
    "action_emoji",
    "action_event",
    "object_state",
    "object_emoji",
    "object_event",
)
BREAKFAST = [
    ("take eggs from the fridge", 5),
    ("fry eggs on the stove", 15),
    ("eat at the table", 10),
]


def pick_object(ctx: dict[str, Any]) -> dict[str, str]:
    words = ctx["subtask"].lower().split()
    for obj in ctx["objects"]:
        if obj["kind"] in words or obj["name"] in words:
            return {"object": obj["name"], "verb": obj["verbs"][0]}
    first = ctx["objects"][0]
    return {"object": first["name"], "verb": first["verbs"][0]}


def chain_script(subtasks: Sequence[tuple[str, int]] = BREAKFAST, **changes: Any) -> dict[str, Any]:
    """GA's decomposition and per-action chain, answered sensibly."""
    rooms = ("kitchen", "kitchenette", "shop floor", "lawn")
    handlers: dict[str, Any] = {
        "decompose": {"subtasks": [{"task": t, "minutes": m} for t, m in subtasks]},
        "action_sector": lambda ctx: {"sector": ctx["planned_place"]},
        "action_arena": lambda ctx: {
            "arena": next((r for r in ctx["room_options"] if r in rooms), "nowhere")
        },
        "action_object": pick_object,
        "action_emoji": "🍳",
        "object_emoji": "🔥",
        "action_event": lambda ctx: {
            "subject": ctx["subject"],
            "predicate": ctx["action"].split()[0],
            "object": ctx["action"].split()[-1],
        },
        "object_state": lambda ctx: {"state": f"in use for {ctx['action']}"},
        "object_event": lambda ctx: {
            "subject": ctx["object"],
            "predicate": "is",
            "object": ctx["state"],
        },
    }
    handlers.update(changes)
    return handlers


def step(verb: str, target: str, minutes: int, **extra: Any) -> dict[str, Any]:
    return {"verb": verb, "object": target, "minutes": minutes, **extra}


GOOD_CHAIN = {
    "steps": [
        step("take", "Ada House:kitchen:fridge", 5, emoji="🥚", object_state="open"),
        step("cook", "Ada House:kitchen:stove", 15, description="fry eggs", object_state="hot"),
        step("eat", "Ada House:kitchen:table", 10),
    ]
}


class Setup:
    """A resolver for one agent over the small world, with a real policy store."""

    def __init__(
        self,
        rig: Rig,
        *,
        mode: Mode = Mode.BASELINE,
        profile: AgentProfile = ADA,
        store: PolicyStore | None = None,
        world: FakeWorld | None = None,
        settings: LoopSettings | None = None,
        policy: Any = None,
    ) -> None:
        self.rig = rig
        self.profile = profile
        self.world = world or make_world()
        self.store = store or PolicyStore(embedder=rig.embedder)
        self.policy = policy if policy is not None else StorePolicy(self.store)
        self.book = rig.book(profile.name)
        self.resolver = Resolver(
            profile=profile,
            mode=mode,
            settings=settings or LoopSettings.for_mode(mode),
            requests=self.book,
            services=BrainServices(
                requests=rig.gateway,
                embedder=rig.embedder,
                cached_vector=rig.embedder.cached,
                policy=self.policy if mode.uses_policy else None,
            ),
            sectors=sector_rooms,
        )

    def item(
        self, text: str, place: str, *, start: int = 8 * 60, duration: int = 30, index: int = 0
    ) -> Resolution:
        return self.resolver.ensure(
            (1, 1, index), text=text, place=place, start=start, duration=duration
        )

    def resolve(self, res: Resolution, now: int | None = None) -> Resolution:
        now = res.start if now is None else now
        for _ in range(60):
            self.resolver.advance(res, now, self.world, TickWork())
            if res.ready:
                return res
            self.rig.settle(self.book)
        raise AssertionError(f"{res.text} never got ready ({res.status})")

    def learn(
        self, text: str, actions: Sequence[Action], *, place: str = "@home", agent: str = ""
    ) -> None:
        """Store a routine directly in the policy (as if it had run before)."""
        self.policy.store(
            plan=PlanKey(text=text, place=place),
            vector=self.rig.embedder.embed([text])[0],
            agent=agent or self.profile.name,
            role=self.profile.role,
            duration=sum(a.duration for a in actions),
            actions=actions,
            now=0,
            world=self.world,
        )


STORED = [
    Action(
        verb="cook",
        target="@home:kitchen:stove",
        duration=20,
        description="fry eggs",
        emoji="🍳",
        object_state="hot",
    ),
    Action(verb="eat", target="@home:kitchen:table", duration=10, description="eat eggs"),
]


# ---------------------------------------------------------------------- policy lookups


def test_an_exact_plan_text_hits_without_an_embedding_or_a_call(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA_PAPER)
    s.learn("have breakfast", STORED)
    calls_before = s.rig.gateway.stats()["calls"]
    res = s.item("Have breakfast", ADA_HOME)
    s.resolver.advance(res, res.start, s.world, TickWork())
    assert res.ready, "an exact hit is ready in the same tick"
    assert len(s.book) == 0 and s.rig.gateway.stats()["calls"] == calls_before
    assert s.rig.kinds() == {}
    assert res.source is Source.POLICY and res.reason.startswith("exact_hit")
    assert res.cosine == 1.0 and res.handle is not None and res.scope
    assert [a.target for a in res.actions] == ["Ada House:kitchen:stove", "Ada House:kitchen:table"]
    assert res.actions[0].emoji == "🍳" and res.actions[0].object_state == "hot"
    assert s.resolver.stats.policy_hits == 1 and s.resolver.stats.policy_misses == 0


def test_a_similar_plan_text_is_embedded_once_then_hits(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA_PAPER)
    s.learn("have breakfast", STORED)
    res = s.item("have a quick breakfast", ADA_HOME)
    s.resolver.advance(res, res.start, s.world, TickWork())
    assert res.status is ResStatus.EMBEDDING
    assert s.book.kinds() == ("embed_plan",)
    s.resolver.advance(res, res.start, s.world, TickWork())
    assert s.book.kinds() == ("embed_plan",), "no second embedding while one is in flight"
    s.resolve(res)
    assert res.source is Source.POLICY and res.reason.startswith("similar_hit")
    assert 0.0 < res.cosine < 1.0
    assert s.rig.kinds() == {}, "no LLM call for a hit"


def test_a_cached_embedding_goes_straight_to_the_similar_lookup(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA_PAPER)
    s.learn("have breakfast", STORED)
    # the plan text and the parts the same-plan rule reads, as the resolver embeds them
    s.rig.embedder.embed(list(s.resolver.services.policy.embedding_texts("have a quick breakfast")))
    res = s.item("have a quick breakfast", ADA_HOME)
    s.resolver.advance(res, res.start, s.world, TickWork())
    assert res.ready and res.source is Source.POLICY
    assert len(s.book) == 0


def test_a_limited_tick_takes_one_heavy_step(rig: Any) -> None:
    s = Setup(rig(chain_script()), mode=Mode.AGA_PAPER)
    s.rig.embedder.embed(list(s.resolver.services.policy.embedding_texts("cook dinner")))
    res = s.item("cook dinner", ADA_HOME)
    work = TickWork(limited=True)
    s.resolver.advance(res, res.start, s.world, work)
    assert res.status is ResStatus.LOOKUP, "the exact lookup was this tick's step"
    s.resolver.advance(res, res.start, s.world, work)
    assert res.status is ResStatus.LOOKUP, "nothing more in a spent tick"
    s.resolver.advance(res, res.start, s.world, TickWork(limited=True))
    assert res.status is ResStatus.MISS
    s.resolver.advance(res, res.start, s.world, TickWork(limited=True))
    assert res.status is ResStatus.DECOMPOSING and s.book.kinds() == ("decompose",)


def test_the_routine_key_drops_the_agents_own_name_and_uses_place_symbols(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA_PAPER)
    key = s.resolver.plan_key(s.item("Ada Finch bakes scones", CAFE))
    assert key == PlanKey(text="bakes scones", place="@work")
    assert s.resolver.plan_key(s.item("Ada reads", ADA_HOME, index=1)).text == "reads"
    assert s.resolver.plan_key(s.item("Adam visits", PARK, index=2)) == PlanKey(
        text="Adam visits", place=PARK
    )
    assert s.resolver.plan_key(s.item("Ada", PARK, index=3)).text == "Ada"


# ---------------------------------------------------------------------- GA's way


def test_a_miss_is_decomposed_and_every_subtask_gets_the_eight_call_chain(rig: Any) -> None:
    s = Setup(rig(chain_script()))
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    kinds = s.rig.kinds()
    assert kinds.pop("decompose") == 1
    assert kinds == dict.fromkeys(CHAIN, len(BREAKFAST))
    assert res.source is Source.LLM and not res.failed
    assert [(a.verb, a.target) for a in res.actions] == [
        ("take", "Ada House:kitchen:fridge"),
        ("cook", "Ada House:kitchen:stove"),
        ("eat", "Ada House:kitchen:table"),
    ]
    assert sum(a.duration for a in res.actions) == res.duration
    fry = res.actions[1]
    assert fry.emoji == "🍳" and fry.object_emoji == "🔥"
    assert fry.event == ("Ada Finch", "fry", "stove")
    assert fry.object_state == "in use for fry eggs on the stove"
    assert fry.object_event == ("stove", "is", "in use for fry eggs on the stove")
    # the decomposition saw the place's objects, never other people's beds
    [ctx] = s.rig.script.contexts["decompose"]
    offered = {o["address"] for o in ctx["objects"]}
    assert "Ada House:kitchen:stove" in offered and ADA_BED in offered
    assert CLEO_BED not in offered
    assert s.resolver.stats.decompositions == 1 and s.resolver.stats.invalid_actions == 0


def test_decomposed_minutes_are_fitted_to_the_item(rig: Any) -> None:
    s = Setup(rig(chain_script([("a", 7), ("b", 7), ("c", 7)])))
    res = s.resolve(s.item("have breakfast", ADA_HOME, duration=45))
    assert [a.duration for a in res.actions] == [15, 15, 15]


@pytest.mark.parametrize(("text", "duration"), [("tidy up", 10), ("sleep", 480)])
def test_short_items_and_sleep_are_one_action_without_a_decomposition(
    rig: Any, text: str, duration: int
) -> None:
    s = Setup(rig(chain_script()))
    res = s.resolve(s.item(text, ADA_HOME, duration=duration))
    assert "decompose" not in s.rig.kinds()
    assert s.rig.calls("action_sector") == 1
    assert len(res.actions) == 1 and res.actions[0].duration == duration


def test_a_failed_decomposition_is_one_step_for_the_whole_item(rig: Any) -> None:
    s = Setup(rig(chain_script(decompose=ServerError("down", status=503))))
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert len(res.actions) == 1 and res.actions[0].description == "have breakfast"
    assert s.rig.calls("action_sector") == 1 and res.source is Source.LLM


def test_an_action_on_no_object_skips_the_object_calls(rig: Any) -> None:
    s = Setup(rig(chain_script([("stretch", 10), ("look at the sky", 10)])))
    res = s.resolve(s.item("enjoy the square", "Town Square", duration=20))
    kinds = s.rig.kinds()
    assert kinds["action_arena"] == 2 and kinds["action_emoji"] == 2
    assert kinds["action_event"] == 2
    for skipped in ("action_object", "object_state", "object_emoji", "object_event"):
        assert skipped not in kinds
    assert all(not a.target for a in res.actions)
    assert [a.verb for a in res.actions] == ["think", "think"]


def test_wrong_chain_answers_fall_back_to_valid_options_and_are_counted(rig: Any) -> None:
    script = chain_script(
        [("fry eggs on the stove", 20)],
        action_sector={"sector": "Mars"},
        action_arena={"arena": "attic"},
        action_object={"object": "dragon", "verb": "ride"},
    )
    s = Setup(rig(script))
    res = s.resolve(s.item("cook breakfast", ADA_HOME, duration=20))
    [action] = res.actions
    assert (action.target, action.verb) == ("Ada House:kitchen:stove", "cook")
    assert s.resolver.stats.invalid_actions == 3


def test_a_listed_object_with_a_verb_it_does_not_afford_gets_one_it_does(rig: Any) -> None:
    script = chain_script(
        [("eat at the table", 10)], action_object={"object": "table", "verb": "cook"}
    )
    s = Setup(rig(script))
    res = s.resolve(s.item("have lunch", ADA_HOME, duration=10))
    assert (res.actions[0].target, res.actions[0].verb) == ("Ada House:kitchen:table", "eat")
    assert s.resolver.stats.invalid_actions == 1


def test_the_chain_never_offers_other_peoples_beds(rig: Any) -> None:
    s = Setup(rig(chain_script([("sleep in bed", 10)])))
    s.resolve(s.item("lie down", ADA_HOME, duration=10))
    [arena] = s.rig.script.contexts["action_arena"]
    assert "small room" not in arena["room_options"] and "bedroom" in arena["room_options"]


# ---------------------------------------------------------------------- merged chain (aga)


def test_the_merged_chain_is_one_call_instead_of_the_chain(rig: Any) -> None:
    s = Setup(rig({"action_chain": GOOD_CHAIN}), mode=Mode.AGA)
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert s.rig.kinds() == {"action_chain": 1}
    assert res.source is Source.LLM and not res.failed
    assert [a.target for a in res.actions] == [
        "Ada House:kitchen:fridge",
        "Ada House:kitchen:stove",
        "Ada House:kitchen:table",
    ]
    cook = res.actions[1]
    assert cook.event == ("Ada Finch", "cook", "stove") and cook.object_event == (
        "stove",
        "is",
        "hot",
    )
    assert res.actions[0].emoji == "🥚"
    # GA: a decomposition and eight calls per action, against the one call made
    assert s.resolver.stats.chain_calls_avoided == 1 + 8 * 3 - 1
    [ctx] = s.rig.script.contexts["action_chain"]
    assert "forbidden" not in ctx
    assert CLEO_BED not in {o["address"] for o in ctx["objects"]}


def test_a_bad_merged_chain_is_reasked_with_what_was_wrong(rig: Any) -> None:
    bad = {
        "steps": [
            step("cook", "Ada House:kitchen:dragon", 10),
            step("cook", "Ada House:kitchen:fridge", 10),
            step("serve", "Cafe:shop floor:counter", 10),
        ]
    }
    s = Setup(rig({"action_chain": [bad, GOOD_CHAIN]}), mode=Mode.AGA)
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert s.rig.calls("action_chain") == 2
    forbidden = s.rig.script.contexts["action_chain"][1]["forbidden"]
    assert any("dragon" in f and "no such object" in f for f in forbidden)
    assert any("fridge" in f and "affords only take" in f for f in forbidden)
    assert any("counter" in f and f"not in {ADA_HOME}" in f for f in forbidden)
    assert s.resolver.stats.invalid_actions == 3
    assert not res.failed and len(res.actions) == 3


def test_an_unreachable_object_is_forbidden_too(rig: Any) -> None:
    s = Setup(rig({"action_chain": [GOOD_CHAIN]}), mode=Mode.AGA)
    s.world.block("Ada Finch", "Ada House:kitchen:stove")
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert s.rig.calls("action_chain") == MAX_CHAIN_ATTEMPTS
    assert any("not reachable" in f for f in s.rig.script.contexts["action_chain"][-1]["forbidden"])
    # the usable steps of the last answer stand and make the routine (issue 18: a partly
    # valid decomposition still yields a routine from its valid steps)
    assert [a.verb for a in res.actions] == ["take", "eat"]
    assert sum(a.duration for a in res.actions) == res.duration
    assert not res.failed


@pytest.mark.parametrize(
    "answers",
    [
        [{"steps": [step("cook", "Nowhere:x:y", 30)]}],
        [ServerError("down", status=503)],
    ],
)
def test_a_merged_chain_that_never_works_falls_back(rig: Any, answers: list[Any]) -> None:
    s = Setup(rig({"action_chain": answers}), mode=Mode.AGA)
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert res.source is Source.FALLBACK and res.failed
    assert s.book.stats.by_kind["action_chain"] <= MAX_CHAIN_ATTEMPTS
    assert sum(a.duration for a in res.actions) == res.duration
    assert all(not a.target or a.target.startswith(ADA_HOME) for a in res.actions)


# ---------------------------------------------------------------------- refusing a hit


class FixedPolicy:
    """A policy that always answers with the same hit (a store that got it wrong)."""

    def __init__(self, actions: Sequence[Action]) -> None:
        self.actions = tuple(actions)
        self.lookups = 0

    def lookup(self, **_: Any) -> PolicyDecision:
        self.lookups += 1
        return PolicyDecision(
            hit=True,
            actions=self.actions,
            reason="exact_hit",
            cosine=1.0,
            scope="town",
            handle=HitHandle(entry=1, variant=0),
        )

    def store(self, **_: Any) -> None:
        raise AssertionError("nothing is stored here")

    def report_failure(self, handle: HitHandle, *, now: int, why: str) -> None: ...

    def report_success(self, handle: HitHandle, *, now: int) -> None: ...

    def embedding_texts(self, text: str) -> tuple[str, ...]:
        return (text,)


CLEO = AgentProfile(name="Cleo Park", home=ADA_HOME, bed=CLEO_BED)


@pytest.mark.parametrize(
    ("profile", "actions"),
    [
        (CLEO, [STORED[0], Action(verb="serve", target="Cafe:shop floor:counter", duration=5)]),
        (BEN, [Action(verb="sleep", target=ADA_BED, duration=30)]),  # his bed is at home
        (CLEO, [Action(verb="work", target="@work:back room:desk", duration=30)]),  # no work
        (CLEO, []),
    ],
    ids=["elsewhere", "own-bed-elsewhere", "no-workplace", "nothing"],
)
def test_a_hit_whose_actions_are_not_all_in_the_planned_place_is_refused(
    rig: Any, profile: AgentProfile, actions: list[Action]
) -> None:
    policy = FixedPolicy(actions)
    s = Setup(rig({"action_chain": GOOD_CHAIN}), mode=Mode.AGA, profile=profile, policy=policy)
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    assert policy.lookups >= 1
    assert res.source is Source.LLM, "refused: decomposed instead"
    assert s.resolver.stats.wrong_place_rejected == policy.lookups
    assert s.resolver.stats.policy_hits == 0 and s.rig.calls("action_chain") == 1


def test_a_reused_bed_is_always_the_agents_own(rig: Any) -> None:
    sleep = Action(verb="sleep", target="@home:bedroom:bed", duration=480)
    s = Setup(rig(), mode=Mode.AGA, profile=CLEO, policy=FixedPolicy([sleep]))
    res = s.resolve(s.item("sleep", ADA_HOME, duration=480))
    assert res.source is Source.POLICY and res.actions[0].target == CLEO_BED


# ---------------------------------------------------------------------- outcomes


def test_a_routine_that_worked_is_stored_with_place_symbols_and_reused_elsewhere(
    rig: Any,
) -> None:
    r = rig({"action_chain": GOOD_CHAIN})
    ada = Setup(r, mode=Mode.AGA)
    res = ada.resolve(ada.item("have breakfast", ADA_HOME))
    ada.resolver.finished(res, res.start + res.duration, ada.world)
    assert ada.resolver.stats.stored == 1 and len(ada.store) == 1
    [entry] = ada.store.entries()
    [variant] = entry.variants
    assert entry.plan_text == "have breakfast"
    assert [a.target for a in variant.actions] == [
        "@home:kitchen:fridge",
        "@home:kitchen:stove",
        "@home:kitchen:table",
    ]
    assert variant.provenance.agent == "Ada Finch"
    # Cleo lives in the same house: the stored routine serves her with no call
    other = Setup(r, mode=Mode.AGA, profile=CLEO, store=ada.store, world=ada.world)
    again = other.resolve(other.item("have breakfast", ADA_HOME))
    assert again.source is Source.POLICY
    assert r.calls("action_chain") == 1


class RecordingPolicy(StorePolicy):
    """The real port, keeping what the brain handed to ``store``."""

    def __init__(self, store: PolicyStore) -> None:
        super().__init__(store)
        self.stored: list[dict[str, Any]] = []

    def store(self, **kwargs: Any) -> None:
        self.stored.append(kwargs)
        super().store(**kwargs)


def test_the_brain_hands_the_policy_symbolic_targets_and_the_plan_key(rig: Any) -> None:
    r = rig({"action_chain": GOOD_CHAIN})
    policy = RecordingPolicy(PolicyStore(embedder=r.embedder))
    s = Setup(r, mode=Mode.AGA, policy=policy)
    res = s.resolve(s.item("Ada makes breakfast", ADA_HOME))
    s.resolver.finished(res, res.start + res.duration, s.world)
    [call] = policy.stored
    assert call["plan"] == PlanKey(text="makes breakfast", place="@home")
    assert [a.target for a in call["actions"]] == [
        "@home:kitchen:fridge",
        "@home:kitchen:stove",
        "@home:kitchen:table",
    ]
    assert call["duration"] == res.duration and call["agent"] == "Ada Finch"
    assert call["vector"].shape == (r.embedder.dim,)


def test_a_routine_learned_in_one_home_serves_a_home_with_other_room_names(rig: Any) -> None:
    r = rig(
        {
            "action_chain": {
                "steps": [
                    step("cook", "Ada House:kitchen:stove", 20),
                    step("eat", "Ada House:kitchen:table", 10),
                ]
            }
        }
    )
    ada = Setup(r, mode=Mode.AGA)
    res = ada.resolve(ada.item("have breakfast", ADA_HOME))
    ada.resolver.finished(res, res.start + res.duration, ada.world)
    ben = Setup(r, mode=Mode.AGA, profile=BEN, store=ada.store, world=ada.world)
    reused = ben.resolve(ben.item("have breakfast", BEN_HOME))
    assert reused.source is Source.POLICY, reused.reason
    assert [(a.verb, a.target) for a in reused.actions] == [
        ("cook", "Ben Flat:kitchenette:hob"),
        ("eat", "Ben Flat:kitchenette:bar"),
    ]
    assert r.calls("action_chain") == 1


@pytest.mark.parametrize("why", ["failed", "fallback", "not ready", "no policy mode"])
def test_only_a_successful_llm_routine_is_stored(rig: Any, why: str) -> None:
    answers: Any = GOOD_CHAIN if why != "fallback" else ServerError("down", status=503)
    mode = Mode.BASELINE if why == "no policy mode" else Mode.AGA
    script = chain_script() if mode is Mode.BASELINE else {"action_chain": answers}
    s = Setup(rig(script), mode=mode)
    res = s.item("have breakfast", ADA_HOME)
    if why != "not ready":
        s.resolve(res)
    if why == "failed":
        s.resolver.failed(res, res.actions[0].target, res.start + 2)
    s.resolver.finished(res, res.start + res.duration, s.world)
    assert len(s.store) == 0 and s.resolver.stats.stored == 0


def test_a_failed_reused_routine_is_reported_once_and_the_rest_decomposed(rig: Any) -> None:
    s = Setup(rig({"action_chain": GOOD_CHAIN}), mode=Mode.AGA)
    s.learn("have breakfast", STORED)
    res = s.resolve(s.item("have breakfast", ADA_HOME, start=8 * 60, duration=30))
    assert res.source is Source.POLICY
    now = 8 * 60 + 12
    s.resolver.failed(res, "Ada House:kitchen:stove", now)
    assert s.policy.stats.failures == 1 and s.resolver.stats.routine_failures == 1
    assert res.status is ResStatus.MISS and res.failed and res.handle is None
    assert (res.start, res.begin, res.duration) == (now, now, 18)
    s.resolver.failed(res, "Ada House:kitchen:stove", now + 1)
    assert s.policy.stats.failures == 1, "reported once"
    s.resolve(res, now)
    assert res.source is Source.LLM and s.rig.calls("action_chain") == 1
    assert sum(a.duration for a in res.actions) == 18
    s.resolver.failed(res, "Ada House:kitchen:table", now + 5)
    assert s.policy.stats.failures == 1 and s.resolver.stats.routine_failures == 1
    s.resolver.finished(res, 8 * 60 + 30, s.world)
    assert s.policy.stats.successes == 0
    assert len(s.store) == 1 and s.resolver.stats.stored == 0


def test_a_reused_routine_that_ran_to_its_end_is_reported_a_success(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA)
    s.learn("have breakfast", STORED)
    res = s.resolve(s.item("have breakfast", ADA_HOME))
    s.resolver.finished(res, res.start + res.duration, s.world)
    assert s.policy.stats.successes == 1
    assert s.resolver.stats.stored == 0 and len(s.store) == 1


# ---------------------------------------------------------------------- lifecycle and state


def test_the_resolution_table_is_enforced() -> None:
    for status in ResStatus:
        for target in ResStatus:
            res = Resolution(key=(1, 1, 0), text="x", place=PARK, start=0, duration=10)
            res.status = status
            if target in TRANSITIONS[status]:
                res.move(target)
                assert res.status is target
            else:
                with pytest.raises(RuntimeError, match="illegal resolution transition"):
                    res.move(target)
    # only a failed reuse leaves READY, and only towards a new decomposition
    assert TRANSITIONS[ResStatus.READY] == frozenset({ResStatus.MISS})


def test_resolver_state_keeps_ready_resolutions_only(rig: Any) -> None:
    s = Setup(rig({"action_chain": GOOD_CHAIN}), mode=Mode.AGA)
    s.learn("have breakfast", STORED)
    done = s.resolve(s.item("have breakfast", ADA_HOME))
    waiting = s.item("cook dinner", ADA_HOME, index=1, start=18 * 60)
    s.resolver.advance(waiting, waiting.start, s.world, TickWork())
    assert not waiting.ready
    assert s.resolver.stats.lookups_by_day == {1: [1, 1]}
    state = s.resolver.get_state()
    other = Setup(rig(), mode=Mode.AGA)
    other.resolver.set_state(state)
    assert other.resolver.get_state() == state
    back = other.resolver.get(done.key)
    assert back is not None and back.ready and back.actions == done.actions
    assert back.handle == done.handle and back.source is Source.POLICY
    assert other.resolver.get(waiting.key) is None
    assert other.resolver.stats == s.resolver.stats


def test_old_ready_resolutions_are_pruned(rig: Any) -> None:
    s = Setup(rig(), mode=Mode.AGA)
    s.learn("read", [Action(verb="sit", target="Park:lawn:bench", duration=30)], place=PARK)
    for i in range(70):
        res = s.item("read", PARK, index=i, start=DAY + i)
        s.resolver.advance(res, res.start, s.world, TickWork())
        assert res.ready
    assert len(s.resolver.resolutions) <= 64
    assert s.resolver.get((1, 1, 69)) is not None, "the newest is kept"
    assert s.resolver.get((1, 1, 0)) is None


@pytest.mark.parametrize(
    ("minutes", "total"),
    [([5, 15, 10], 30), ([7, 7, 7], 45), ([1, 1, 1, 1], 2), ([60], 25), ([3, 0, -2], 10)],
)
def test_fit_minutes_keeps_order_and_sums_exactly(minutes: list[int], total: int) -> None:
    items = [(f"s{i}", m) for i, m in enumerate(minutes)]
    fitted = fit_minutes(items, total)
    assert [t for t, _ in fitted] == [t for t, _ in items]
    assert all(m >= 1 for _, m in fitted)
    assert sum(m for _, m in fitted) == max(total, len(items))
    assert fit_minutes(items, total) == fitted
    actions = [Action(verb="think", duration=max(1, m)) for m in minutes]
    assert sum(a.duration for a in fit_actions(actions, total)) == max(total, len(items))
