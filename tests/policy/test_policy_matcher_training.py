"""The learned rule's trainer (tools/train_plan_matcher.py): made-up verbs, the numpy
models it fits, and its operating point."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from aga_npc.policy import signature

TOOL = Path(__file__).resolve().parents[2] / "tools" / "train_plan_matcher.py"


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_plan_matcher", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_made_up_verbs_are_unknown_and_keep_the_inflection(trainer: ModuleType) -> None:
    word = trainer.made_up_verb("cook")
    assert word == trainer.made_up_verb("cook") != trainer.made_up_verb("eat")
    fake, made, real = trainer.masked("As usual, Bram waters the plants in the park")
    assert (made, real) == (trainer.made_up_verb("water") + "s", "waters")
    assert fake == f"As usual, Bram {made} the plants in the park"
    sig = signature(fake)
    assert sig.head is not None and not sig.head_known and not sig.tags
    assert trainer.masked("have lunch") is None  # a light verb: nothing to make up


def test_trees_and_linear_score_learn_a_toy_rule(trainer: ModuleType) -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, size=(400, 3))
    y = (x[:, 0] > 0.6) & (x[:, 2] < 0.5)
    w = np.ones(len(y))
    trees = trainer.fit_trees(x, y, w, trees=60, depth=3, rate=0.3)
    p = trainer.tree_probabilities(trees, np.hstack([x, np.zeros((400, 14))]))
    assert ((p >= 0.5) == y).mean() > 0.95
    terms = rng.normal(size=(400, 8)).astype(np.float32)
    labels = terms[:, 1] > 0
    model = trainer.fit_linear(terms, labels, w, 1.0)
    assert ((trainer.linear_scores(terms, model) > 0) == labels).mean() > 0.95


def test_operating_point_is_the_lowest_probability_at_the_target(trainer: ModuleType) -> None:
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    y = np.array([True, True, False, True, False])
    w = np.ones(5)
    assert trainer.operating_point(p, y, w, 1.0) == 0.8
    assert trainer.operating_point(p, y, w, 0.75) == 0.6
