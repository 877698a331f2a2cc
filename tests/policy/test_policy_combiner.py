"""The learned same-plan rule: plan parts, features, the tree ensemble, its weights file,
and the fallback to the cosine needs when the parts' vectors are not at hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aga_npc.embed import CachedEmbedder, HashingEmbedder
from aga_npc.policy import MatchSettings, PolicyScope, PolicyStore, decide, signature
from aga_npc.policy.combiner import (
    FEATURES,
    LearnedRule,
    PhraseVectors,
    packaged_rule,
    pair_features,
    phrase_vectors,
    vector_terms,
)
from aga_npc.policy.matching import embedding_texts
from aga_npc.testing.fake_world import FakeWorld
from aga_npc.types import Action


@pytest.mark.parametrize(
    ("text", "core", "action", "objects"),
    [
        (
            "As usual, Bram waters the plants in the park",
            "waters plants in park",
            "waters",
            "plants",
        ),
        ("hook up a new keg behind the bar", "hook up new keg behind bar", "hook up", "keg"),
        ("having lunch in her kitchen", "having lunch in her kitchen", "having lunch", "lunch"),
        ("put the TV on", "put on tv", "put on", "tv"),
        ("make time to open the cafe before the day gets away", "open cafe", "open", "cafe"),
        ("morning yoga practice", "yoga practice", "yoga", "practice"),
    ],
)
def test_plan_parts_in_the_texts_own_words(text: str, core: str, action: str, objects: str) -> None:
    parts = signature(text).phrases
    assert (parts.core, parts.action, parts.objects) == (core, action, objects)


def test_embedding_texts_put_the_plan_first_without_repeats() -> None:
    assert embedding_texts("cook dinner") == ("cook dinner", "cook", "dinner")
    assert embedding_texts("sleep") == ("sleep",)


def _rule(leaf: float, threshold: float = 0.5, split: float = 0.5, dim: int = 8) -> LearnedRule:
    """One depth-1 tree: same plan when the core cosine is above ``split`` (log-odds
    +-leaf)."""
    return LearnedRule(
        embedder="test",
        vector_weights=np.zeros(4 * dim, dtype=np.float32),
        vector_bias=0.0,
        features=np.array([[FEATURES.index("core_cosine")]]),
        thresholds=np.array([[split]]),
        leaves=np.array([[-leaf, leaf]]),
        base=0.0,
        threshold=threshold,
    )


def test_trees_are_read_level_by_level() -> None:
    rule = _rule(2.0)
    row = np.zeros(len(FEATURES))
    assert rule.probability(row) == pytest.approx(1 / (1 + np.exp(2.0)))
    row[FEATURES.index("core_cosine")] = 0.9
    assert rule.probability(row) == pytest.approx(1 / (1 + np.exp(-2.0)))
    rows = np.zeros((3, len(FEATURES)))
    rows[:, 1] = [0.1, 0.5, 0.51]  # <= goes left
    assert (rule.probabilities(rows) > 0.5).tolist() == [False, False, True]


def test_learned_rule_round_trips_and_validates() -> None:
    rule = _rule(1.5, threshold=0.7)
    back = LearnedRule.from_data(rule.to_data())
    assert back.threshold == 0.7 and back.dim == 8
    assert np.array_equal(back.features, rule.features)
    assert np.allclose(back.leaves, rule.leaves)
    with pytest.raises(ValueError, match="threshold"):
        replace(rule, threshold=1.0)
    with pytest.raises(ValueError, match="complete"):
        replace(
            rule,
            features=np.zeros((1, 2), np.int64),
            thresholds=np.zeros((1, 2)),
            leaves=np.zeros((1, 3)),
        )
    with pytest.raises(ValueError, match="other features"):
        LearnedRule.from_data({**rule.to_data(), "features": ["cosine"]})
    with pytest.raises(ValueError, match="malformed"):
        LearnedRule.from_data({"features": list(FEATURES)})


def test_packaged_weights_are_for_the_local_minilm_embedder() -> None:
    rule = packaged_rule()
    assert rule is not None
    assert rule.embedder.startswith("local:") and rule.dim == 384
    assert 0.0 < rule.threshold < 1.0
    assert rule.about["data"] == "tests/data/plan_pairs.jsonl, calib split only"
    local = MatchSettings.for_embedder(rule.embedder)
    assert local.learned is rule and MatchSettings() == local
    assert MatchSettings.for_embedder("hashing:256").learned is None
    assert MatchSettings.for_embedder("openai:text-embedding-3-small").learned is None


def _table(texts: list[str]) -> dict[str, np.ndarray]:
    """Vectors for ``texts`` and their parts from the hashing embedder (unit rows)."""
    embedder = HashingEmbedder(dim=8)
    wanted = sorted({t for text in texts for t in embedding_texts(text)})
    return dict(zip(wanted, np.asarray(embedder.embed(wanted)), strict=True))


def test_features_are_symmetric() -> None:
    a, b = "hook up a new keg", "tap the keg behind the bar"
    table = _table([a, b])
    sa, sb = signature(a), signature(b)
    va = phrase_vectors(sa, table[a], table.get)
    vb = phrase_vectors(sb, table[b], table.get)
    assert va is not None and vb is not None
    cosine = float(table[a] @ table[b])
    assert np.allclose(pair_features(sa, sb, cosine, va, vb), pair_features(sb, sa, cosine, vb, va))
    assert np.allclose(vector_terms(va, vb), vector_terms(vb, va))
    assert len(pair_features(sa, sb, cosine, va, vb)) == len(FEATURES) - 1


def test_parts_missing_from_the_cache_leave_no_vectors() -> None:
    text = "hook up a new keg"
    table = _table([text])
    del table["keg"]
    assert phrase_vectors(signature(text), table[text], table.get) is None
    sig = signature("sleep")  # its core and action are the text; it names no object
    parts = phrase_vectors(sig, np.ones(8), {"sleep": np.ones(8)}.get)
    assert isinstance(parts, PhraseVectors) and parts.objects is None


def test_decide_uses_the_learned_rule_only_with_the_parts_vectors() -> None:
    settings = MatchSettings(learned=_rule(5.0))
    a, b = "varnishing the table", "waxing the table"
    table = _table([a, b])
    table = {k: np.ones(8, dtype=np.float32) / 8**0.5 for k in table}  # every cosine is 1
    # without vectors the needs decide: an unknown verb needs 0.86
    assert decide(a, b, 0.5, settings).rule == "below-threshold"
    learned = decide(a, b, 0.5, settings, vector_of=table.get)
    assert (learned.same, learned.rule) == (True, "similar")
    assert learned.reason.startswith("learned")
    # conflicts the lexicon is sure of stay vetoes
    c, d = "have breakfast", "have lunch"
    table.update({k: np.ones(8, dtype=np.float32) / 8**0.5 for k in _table([c, d])})
    veto = decide(c, d, 0.99, settings, vector_of=table.get)
    assert (veto.same, veto.rule) == (False, "lookalike")
    # the learned rule's "no" on conflicting activities is reported as a look-alike
    no = decide(
        "cook dinner",
        "eat dinner",
        0.9,
        replace(settings, learned=_rule(-5.0)),
        vector_of={
            k: np.ones(8, dtype=np.float32) / 8**0.5 for k in _table(["cook dinner", "eat dinner"])
        }.get,
    )
    assert (no.same, no.rule) == (False, "lookalike") and "learned" in no.reason


def test_store_reads_parts_from_its_embedders_cache() -> None:
    embedder = CachedEmbedder(HashingEmbedder(dim=16))
    settings = MatchSettings(learned=_rule(5.0, split=-2.0, dim=16))  # always the same plan
    store = PolicyStore(embedder=embedder, match=settings)
    world = FakeWorld(homes={"ann": "Brook House"})
    world.add("Brook House:workshop:table", "table")
    action = Action(verb="varnish", target="@home:workshop:table", duration=30, description="v")
    stored = "varnishing the table"
    store.add(
        stored,
        embedder.embed(embedding_texts(stored))[0],
        place="@home",
        actions=[action],
        scope=PolicyScope.agent("ann"),
    )
    asked = "waxing the table"
    vector = embedder.embed([asked])[0]  # the parts are not cached: the needs decide
    miss = store.lookup(asked, vector, place="@home", agent="ann", world=world)
    assert not miss.hit
    embedder.embed(embedding_texts(asked))  # now they are
    hit = store.lookup(asked, vector, place="@home", agent="ann", world=world)
    assert hit.hit and hit.matched_text == stored


def test_one_row_and_batch_paths_agree_with_the_packaged_weights() -> None:
    rule = packaged_rule()
    assert rule is not None
    rng = np.random.default_rng(3)
    rows = rng.uniform(-0.2, 1.2, size=(20, len(FEATURES)))
    rows[:, -1] = rng.normal(0, 3, size=20)
    assert np.allclose(rule.probabilities(rows), [rule.probability(r) for r in rows])
    a, b = (
        PhraseVectors(*(v / np.linalg.norm(v) for v in rng.normal(size=(2, 384))), None)
        for _ in range(2)
    )
    assert rule.pair_score(a, b) == pytest.approx(rule.vector_score(vector_terms(a, b)), abs=1e-4)
