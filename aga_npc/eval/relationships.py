"""Relationship evolution: closeness and labels per pair at the end of every game day."""

from __future__ import annotations

from typing import Any

from aga_npc.eval.runs import Watched

__all__ = ["relationship_timeline"]


def relationship_timeline(watched: Watched) -> dict[str, Any]:
    """Per ordered pair "A -> B" (how A sees B): one row per game day with the closeness
    (0-10), the relationship label and the feeling, from A's Social Memory."""
    pairs: dict[str, list[dict[str, Any]]] = {}
    for day in sorted(watched.relations):
        for name, rows in watched.relations[day].items():
            for other, row in sorted(rows.items()):
                pairs.setdefault(f"{name} -> {other}", []).append(
                    {
                        "day": day,
                        "closeness": round(float(row.get("closeness", 0.0)), 2),
                        "relationship": str(row.get("relationship", "")),
                        "feeling": str(row.get("feeling", "")),
                        "times_talked": int(row.get("times_talked", 0)),
                    }
                )
    report = watched.report
    return {
        "mode": report["mode"],
        "npcs": report["npcs"],
        "days": report["days"],
        "seed": report["seed"],
        "llm": report["llm"],
        "pairs": pairs,
        "changed": sorted(
            key
            for key, rows in pairs.items()
            if len({(r["closeness"], r["relationship"]) for r in rows}) > 1
        ),
    }
