"""The plan-pair development set is well formed (the matching benchmark relies on it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "plan_pairs.jsonl"


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def test_dev_set_shape_labels_and_splits() -> None:
    rows = _rows()
    assert len(rows) >= 1000
    for row in rows:
        assert set(row) == {"a", "b", "same", "kind", "split"}
        assert isinstance(row["a"], str) and isinstance(row["b"], str)
        assert row["a"].strip() and row["b"].strip() and row["a"] != row["b"]
        assert row["same"] is (row["kind"] == "paraphrase")
        assert row["split"] in ("calib", "heldout")
    pairs = [frozenset((str(r["a"]).lower(), str(r["b"]).lower())) for r in rows]
    assert len(set(pairs)) == len(pairs), "duplicate pairs (also across splits)"
    counts = Counter((r["split"], r["same"]) for r in rows)
    for split in ("calib", "heldout"):
        assert counts[(split, True)] >= 100 and counts[(split, False)] >= 100
    assert sum(r["kind"] == "hard_negative" for r in rows) >= 400


def test_heldout_split_is_one_block_of_at_least_200_pairs_with_hard_negatives() -> None:
    rows = _rows()
    held = [i for i, r in enumerate(rows) if r["split"] == "heldout"]
    assert len(held) >= 200
    assert held == list(range(held[0], held[0] + len(held))), "heldout rows are contiguous"
    kinds = Counter(rows[i]["kind"] for i in held)
    assert kinds["hard_negative"] >= 80 and kinds["paraphrase"] >= 100
