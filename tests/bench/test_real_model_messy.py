"""benchmarks/real_model.py against fakellm rules that answer the way small models do.

Acceptance of issue 18: with the server honouring answer schemas, >= 90% of JSON answers
parse at the first try; >= 99% after the repair path, with or without schemas; no crash.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._messy import MessyServer, start_messy  # noqa: E402
from benchmarks.real_model import run_day  # noqa: E402


@pytest.fixture
def honoured(tmp_path: Path) -> Iterator[MessyServer]:
    server = start_messy(tmp_path, honour_schemas=True)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def ignored(tmp_path: Path) -> Iterator[MessyServer]:
    server = start_messy(tmp_path, honour_schemas=False)
    try:
        yield server
    finally:
        server.close()


def day(server: MessyServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return run_day(base_url=server.base_url, model="fake-small-model", timeout=30.0)


def test_with_schemas_honoured_most_answers_parse_at_the_first_try(
    honoured: MessyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = day(honoured, monkeypatch)
    assert figures["crashes"] == 0, figures["error"]
    assert figures["json_requests"] >= 50
    assert figures["first_try_parse_rate"] >= 0.90
    assert figures["after_repair_parse_rate"] >= 0.99
    # every JSON kind asked sent its schema; the day had conversations
    assert len(honoured.schemas) >= figures["json_requests"]
    assert figures["conversations"] >= 1
    kinds = figures["by_kind"]
    assert kinds["decide_talk"]["first_try_rate"] == 1.0  # its mess is a missing field


def test_without_schemas_the_mess_is_repaired(
    ignored: MessyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = day(ignored, monkeypatch)
    assert figures["crashes"] == 0, figures["error"]
    kinds = figures["by_kind"]
    # fences, prose, single quotes, trailing commas, repeated text: mended at once
    for kind in ("wake_up", "daily_plan", "hourly_schedule", "utterance"):
        assert kinds[kind]["first_try_rate"] == 1.0, kind
    # a missing field, a wrong count, an empty answer: re-asked, then right
    for kind in ("decide_talk", "poignancy_batch", "planning_thought"):
        assert kinds[kind]["first_try_rate"] == 0.0, kind
        assert kinds[kind]["after_repair_rate"] == 1.0, kind
    assert figures["first_try_parse_rate"] < 0.90
    assert figures["after_repair_parse_rate"] >= 0.99
    assert figures["llm_fallbacks"] == 0
