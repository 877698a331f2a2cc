"""Settings.from_env: the LLM concurrency variable and how a host sizes concurrency."""

from __future__ import annotations

import pytest

from aga_npc.config import MIN_CONCURRENCY, Settings
from aga_npc.errors import ConfigError


def test_unset_concurrency_is_one_call_per_npc_and_at_least_the_minimum() -> None:
    s = Settings.from_env({})
    assert s.max_concurrency is None
    assert s.concurrency_for(3) == MIN_CONCURRENCY
    assert s.concurrency_for(50) == 50
    assert s.concurrency_for(200) == 200


def test_the_variable_fixes_the_concurrency() -> None:
    s = Settings.from_env({"AGA_LLM_CONCURRENCY": " 16 "})
    assert s.max_concurrency == 16
    assert s.concurrency_for(3) == 16
    assert s.concurrency_for(50) == 16
    assert s.to_public_dict()["max_concurrency"] == 16


@pytest.mark.parametrize("raw", ["0", "-2", "eight", "1.5"])
def test_a_bad_concurrency_names_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError, match="AGA_LLM_CONCURRENCY"):
        Settings.from_env({"AGA_LLM_CONCURRENCY": raw})


def test_a_blank_variable_counts_as_unset() -> None:
    assert Settings.from_env({"AGA_LLM_CONCURRENCY": ""}).max_concurrency is None
