"""One composition root: TownHost.create and the sim runner both build through
aga_npc.host.assemble; the local embedder warms up off the frame."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from host_helpers import RESIDENTS, SMALL_TOWN, HostFactory

import aga_npc.host.town_host as town_host_module
import aga_npc.sim.runner as runner_module
from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.embed.local import LocalEmbedder
from aga_npc.errors import EmbeddingError
from aga_npc.host.assemble import Wiring, assemble, resolve_settings
from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.runtime.gateway import Gateway
from aga_npc.runtime.inline import InlineGateway
from aga_npc.sim.runner import RunConfig, simulate
from aga_npc.town.build import TownSpec


class _Stop(Exception):
    pass


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, stop: bool) -> list[Wiring]:
    seen: list[Wiring] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["wiring"])
        built = assemble(*args, **kwargs)
        if stop:
            built.gateway.close()
            raise _Stop
        return built

    monkeypatch.setattr(module, "assemble", spy)
    return seen


def test_the_sim_runner_builds_through_assemble(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(monkeypatch, runner_module, stop=True)
    embedder = CachedEmbedder(HashingEmbedder())
    config = RunConfig(
        personas=tuple(load_personas(RESIDENTS)),
        mode=Mode.AGA,
        days=1,
        seed=0,
        map_path=SMALL_TOWN,
        wording="paraphrase",
        answer_delay=2,
        sharing="agent",
    )
    with pytest.raises(_Stop):
        simulate(
            config,
            settings=Settings(embed="hashing"),
            embedder=embedder,
            store=PolicyStore(embedder=embedder),
        )
    assert len(seen) == 1
    wiring = seen[0]
    assert not wiring.realtime
    assert (wiring.wording, wiring.answer_delay, wiring.sharing) == ("paraphrase", 2, "agent")


def test_town_host_builds_through_assemble(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(monkeypatch, town_host_module, stop=False)
    host = TownHost.create(
        clone_personas(load_personas(RESIDENTS), 2),
        map_path=SMALL_TOWN,
        config=HostConfig(seed=3, sharing="role", llm_latency=0.5, gc_freeze=False),
        settings=Settings(embed="hashing"),
        backend=OfflineLLM(seed=3),
        embedder=CachedEmbedder(HashingEmbedder()),
    )
    try:
        assert len(seen) == 1 and seen[0].realtime
        assert (seen[0].sharing, seen[0].llm_latency) == ("role", 0.5)
        assert isinstance(host.gateway, Gateway)
    finally:
        host.close()


def test_headless_assembly_is_inline_and_shares_the_given_store() -> None:
    embedder = CachedEmbedder(HashingEmbedder())
    store = PolicyStore(embedder=embedder)
    built = assemble(
        TownSpec(personas=tuple(load_personas(RESIDENTS)), map_path=SMALL_TOWN, seed=1),
        wiring=Wiring(realtime=False),
        settings=Settings(embed="hashing"),
        embedder=embedder,
        store=store,
    )
    try:
        assert isinstance(built.gateway, InlineGateway)
        assert built.embedder is embedder and built.store is store
        assert built.backend.name == "offline"
        assert built.warm_up is None
        assert sorted(built.town.names()) == ["Ada Finch", "Ben Ortiz"]
    finally:
        built.gateway.close()


def test_resolve_settings_overrides_the_embedder() -> None:
    assert resolve_settings(Settings(embed="local"), embed="hashing").embed == "hashing"
    assert resolve_settings(Settings(embed="local")).embed == "local"


# ----------------------------------------------------------------------- warm-up
class _GatedLocal(LocalEmbedder):
    """A real LocalEmbedder whose warm-up waits for the test's go."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.go = threading.Event()
        self.warmed = threading.Event()

    def warm_up(self) -> None:
        self.nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        assert self.go.wait(60)
        super().warm_up()
        self.warmed.set()


def _local_host(embedder: LocalEmbedder, warm_up: bool = True) -> TownHost:
    return TownHost.create(
        clone_personas(load_personas(RESIDENTS), 2),
        map_path=SMALL_TOWN,
        config=HostConfig(seed=0, warm_up=warm_up, gc_freeze=False),
        settings=Settings(embed="local"),
        backend=OfflineLLM(seed=0),
        embedder=embedder,
    )


def test_the_local_embedder_warms_up_beside_the_frames() -> None:
    embedder = _GatedLocal()
    host = _local_host(embedder)
    try:
        for _ in range(5):
            host.update(1 / 60)  # the warm-up is held: frames go on without it
        assert not host.embedder_ready
        assert not embedder.warmed.is_set()
        embedder.go.set()
        assert host.wait_ready(120)
        assert embedder.warmed.is_set() and embedder.loaded
        if sys.platform.startswith("linux"):  # a background thread: the frame goes first
            mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            assert embedder.nice == min(19, mine + HostConfig().background_nice) > mine
        vec = embedder.embed(["a quiet morning"])
        assert vec.shape == (1, 384) and np.isclose(np.linalg.norm(vec[0]), 1.0)
    finally:
        embedder.go.set()
        host.close()


def test_no_warm_up_when_switched_off() -> None:
    embedder = LocalEmbedder()
    host = _local_host(embedder, warm_up=False)
    try:
        assert host.embedder_ready  # nothing to wait for
        assert host.wait_ready(0)
        assert not embedder.loaded
    finally:
        host.close()


def test_a_bad_model_fails_at_the_first_embedding_not_in_the_warm_up(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    embedder = LocalEmbedder(model_path=bad)
    host = _local_host(embedder)
    try:
        assert host.wait_ready(60)  # the thread ended; the host is still usable
        assert not embedder.loaded
        host.update(1 / 60)
        with pytest.raises(EmbeddingError, match="checksum"):
            embedder.embed(["anything"])
    finally:
        host.close()


def test_the_host_factory_still_works(make_host: HostFactory) -> None:
    host = make_host()
    assert host.embedder_ready
    host.update(1 / 60)
