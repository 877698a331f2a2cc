"""The plan-pair development set is well formed (the matching benchmark relies on it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from aga_npc.places import HOME, WORK

DATA = Path(__file__).resolve().parent.parent / "data" / "plan_pairs.jsonl"
KEYS = {"a", "b", "same", "kind", "split"}
PLACES = {"place_a", "place_b"}


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def _key(row: dict[str, object]) -> frozenset[tuple[str, str]]:
    return frozenset(
        (str(row[side]).lower(), str(row.get(f"place_{side}", ""))) for side in ("a", "b")
    )


def test_dev_set_shape_labels_and_splits() -> None:
    rows = _rows()
    assert len(rows) >= 1000
    for row in rows:
        assert set(row) in (KEYS, KEYS | PLACES), row
        assert isinstance(row["a"], str) and isinstance(row["b"], str)
        assert row["a"].strip() and row["b"].strip()
        assert row["same"] is (row["kind"] == "paraphrase")
        assert row["split"] in ("calib", "heldout")
        if set(row) >= PLACES:
            for side in ("place_a", "place_b"):
                place = row[side]
                assert isinstance(place, str) and place, row
                assert place in (HOME, WORK) or not place.startswith("@"), row
            if row["place_a"] != row["place_b"]:
                assert not row["same"], f"different places are never the same plan: {row}"
        else:
            assert row["a"] != row["b"], row  # the same text only differs by its place
    keys = [_key(r) for r in rows]
    assert len(set(keys)) == len(keys), "duplicate pairs (also across splits)"
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
    placed = [rows[i] for i in held if "place_a" in rows[i]]
    assert len(placed) == len(held), "every heldout pair carries its places"
    cross = [r for r in placed if r["place_a"] != r["place_b"]]
    assert 0 < len(cross) <= len(held) // 10, "cross-place pairs stay a small share"
