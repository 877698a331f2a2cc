"""The plan-pair development set is well formed (the matching benchmark relies on it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "plan_pairs.jsonl"


def test_dev_set_shape_labels_and_splits() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    for row in rows:
        assert set(row) == {"a", "b", "same", "kind", "split"}
        assert row["a"].strip() and row["b"].strip() and row["a"] != row["b"]
        assert row["same"] is (row["kind"] == "paraphrase")
        assert row["split"] in ("calib", "heldout")
    pairs = [frozenset((r["a"].lower(), r["b"].lower())) for r in rows]
    assert len(set(pairs)) == len(pairs), "duplicate pairs"
    counts = Counter((r["split"], r["same"]) for r in rows)
    for split in ("calib", "heldout"):
        assert counts[(split, True)] >= 90 and counts[(split, False)] >= 90
    assert sum(r["kind"] == "hard_negative" for r in rows) >= 150
