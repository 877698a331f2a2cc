"""comparison.json from hand-made reports: per-seed ratios, normalisation, paper, fidelity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aga_npc.sim.compare import (
    DIALOGUE_KINDS,
    build_comparison,
    format_summary,
    is_dialogue_kind,
    paper_ratio,
    strip_wall_times,
)


def report(
    mode: str,
    seed: int,
    kinds: dict[str, tuple[int, int, int]],
    *,
    lines: int = 0,
    npcs: int = 3,
    days: int = 2,
    by_rule: dict[str, int] | None = None,
    hits: int = 0,
    lookups: int = 0,
) -> dict[str, Any]:
    """A report with the keys the comparison reads; kinds: kind -> (prompt, completion, calls)."""
    by_module = {k: {"prompt": p, "completion": c, "calls": n} for k, (p, c, n) in kinds.items()}
    prompt = sum(p for p, _, _ in kinds.values())
    completion = sum(c for _, c, _ in kinds.values())
    calls = sum(n for _, _, n in kinds.values())
    rules = by_rule or {"sleep": 0, "meals": 0, "work": 0, "actions": 0}
    return {
        "mode": mode,
        "npcs": npcs,
        "days": days,
        "seed": seed,
        "llm": {"backend": "offline", "model": "offline"},
        "embedder": "hashing:256",
        "tokens": {
            "prompt": prompt,
            "completion": completion,
            "total": prompt + completion,
            "by_module": by_module,
        },
        "llm_calls": calls,
        "llm_failures": 0,
        "llm_fallbacks": 0,
        "calls_per_agent_day": calls / (npcs * days),
        "policy": {
            "lookups": lookups,
            "hits": hits,
            "misses": lookups - hits,
            "stored": 0,
            "by_day": {
                str(days): {
                    "hits": hits // 2,
                    "lookups": lookups // 2,
                    "hit_rate": (hits / lookups) if lookups else 0.0,
                }
            },
            "wrong_place_actions": 0,
        },
        "conversations": {
            "started": 1 if lines else 0,
            "turns": lines,
            "turn_prompt_tokens_mean": 100.0 * lines,
        },
        "violations": {"total": sum(rules.values()), "by_rule": rules, "agent_days": npcs * days},
        "wall_seconds": 0.25,
    }


def test_ratios_are_taken_per_seed_against_that_seeds_baseline_then_aggregated() -> None:
    runs = {
        0: {
            "baseline": report("baseline", 0, {"decompose": (900, 100, 10)}),
            "aga-paper": report("aga-paper", 0, {"decompose": (400, 100, 5)}),
        },
        1: {
            "baseline": report("baseline", 1, {"decompose": (2900, 100, 30)}),
            "aga-paper": report("aga-paper", 1, {"decompose": (500, 100, 6)}),
        },
    }
    comp = build_comparison(runs, warm_runs=2)
    ratio = comp["modes"]["aga-paper"]["ratio_to_baseline"]
    # 0.5 and 0.2 per seed: mean 0.35 (the ratio of the summed tokens would be 0.275)
    assert ratio == {"mean": 0.35, "min": 0.2, "max": 0.5}
    assert comp["modes"]["baseline"]["ratio_to_baseline"] == {"mean": 1.0, "min": 1.0, "max": 1.0}
    calls = comp["modes"]["aga-paper"]["calls_per_agent_day"]
    assert calls == pytest.approx({"mean": 11 / 12, "min": 5 / 6, "max": 1.0}, abs=1e-6)
    assert [row["seed"] for row in comp["modes"]["aga-paper"]["per_seed"]] == [0, 1]
    assert [row["ratio"] for row in comp["modes"]["aga-paper"]["per_seed"]] == [0.5, 0.2]
    assert comp["seeds"] == [0, 1] and comp["mode_order"] == ["baseline", "aga-paper"]
    assert comp["warm_runs"] == 2 and comp["npcs"] == 3 and comp["days"] == 2


def test_dialogue_tokens_are_scaled_to_the_baselines_conversation_lines() -> None:
    base = report(
        "baseline", 0, {"decompose": (700, 100, 8), "conversation": (150, 50, 2)}, lines=2
    )
    aga = report(
        "aga",
        0,
        {
            "decompose": (250, 50, 3),
            "conversation": (300, 60, 6),
            "relationship_summary": (120, 0, 6),
            "convo_memo": (120, 0, 1),
            "decide_talk": (100, 0, 2),
        },
        lines=6,
    )
    comp = build_comparison({0: {"baseline": base, "aga": aga}}, warm_runs=0)
    block = comp["modes"]["aga"]
    # dialogue: 360 + 120 + 120 = 600 tokens over 6 lines -> 200 at the baseline's 2 lines
    row = block["per_seed"][0]
    assert row["dialogue_tokens"] == 600
    assert row["normalised_tokens"] == 300 + 100 + 200
    assert block["ratio_to_baseline"]["mean"] == 1.0
    assert block["ratio_to_baseline_normalised"]["mean"] == 0.6
    assert block["seeds_normalised"] == 1
    assert "scaled" in comp["normalisation"] and "conversations.turns" in comp["normalisation"]
    assert block["by_kind"]["convo_memo"]["dialogue"] is True
    assert block["by_kind"]["decide_talk"]["dialogue"] is False


def test_a_seed_where_only_the_baseline_talked_has_no_normalised_ratio() -> None:
    runs = {
        0: {
            "baseline": report(
                "baseline", 0, {"decompose": (900, 0, 9), "summary": (100, 0, 1)}, lines=3
            ),
            "social-only": report("social-only", 0, {"decompose": (900, 0, 9)}, lines=0),
        },
        1: {
            "baseline": report("baseline", 1, {"decompose": (800, 0, 8)}, lines=0),
            "social-only": report("social-only", 1, {"decompose": (400, 0, 4)}, lines=0),
        },
    }
    block = build_comparison(runs, warm_runs=0)["modes"]["social-only"]
    assert [r["ratio_normalised"] for r in block["per_seed"]] == [None, 0.5]
    assert block["seeds_normalised"] == 1
    assert block["ratio_to_baseline_normalised"] == {"mean": 0.5, "min": 0.5, "max": 0.5}
    assert block["dialogue_prompt_tokens_per_line"] is None  # no line in either seed
    base = build_comparison(runs, warm_runs=0)["modes"]["baseline"]
    assert base["dialogue_prompt_tokens_per_line"] == {"mean": 300.0, "min": 300.0, "max": 300.0}
    assert block["ratio_to_baseline"] == {"mean": 0.7, "min": 0.5, "max": 0.9}


def test_kinds_are_averaged_per_seed_and_per_agent_day_violations_and_hits_summed() -> None:
    runs = {
        0: {
            "baseline": report("baseline", 0, {"decompose": (600, 0, 6), "poignancy": (60, 0, 6)}),
            "lifestyle-only": report(
                "lifestyle-only",
                0,
                {"decompose": (300, 0, 3)},
                by_rule={"sleep": 1},
                hits=3,
                lookups=6,
            ),
        },
        1: {
            "baseline": report("baseline", 1, {"decompose": (600, 0, 6)}),
            "lifestyle-only": report(
                "lifestyle-only",
                1,
                {"decompose": (100, 0, 1), "poignancy": (12, 0, 2)},
                by_rule={"sleep": 1, "meals": 2},
                hits=5,
                lookups=6,
            ),
        },
    }
    block = build_comparison(runs, warm_runs=1)["modes"]["lifestyle-only"]
    assert block["by_kind"]["decompose"]["prompt"] == 200.0
    assert block["by_kind"]["decompose"]["calls"] == 2.0
    assert block["by_kind"]["poignancy"]["prompt"] == 6.0  # 0 on seed 0, 12 on seed 1
    assert block["by_kind"]["decompose"]["per_agent_day"]["prompt"] == pytest.approx(
        200 / 6, abs=1e-6
    )
    assert block["violations"]["by_rule"] == {"meals": 2, "sleep": 2}
    assert block["violations"]["sum"] == 4
    assert block["violations"]["total"] == {"mean": 2.0, "min": 1.0, "max": 3.0}
    assert block["violations"]["agent_days"] == 12
    policy = block["policy"]
    assert (policy["hits"], policy["lookups"], policy["hit_rate"]) == (8, 12, 0.666667)
    assert policy["store_size"] is None and policy["wrong_place_actions"] == 0
    assert policy["last_day_hit_rate"] == {"mean": 0.666667, "min": 0.5, "max": 0.833333}


def test_the_paper_column_follows_the_town_size_and_aga_has_no_paper_figure() -> None:
    assert paper_ratio("aga-paper", 3) == 0.311
    assert paper_ratio("lifestyle-only", 3) == 0.402
    assert paper_ratio("social-only", 3) == 0.586
    assert paper_ratio("aga-paper", 25) == 0.427
    assert paper_ratio("lifestyle-only", 25) is None
    assert paper_ratio("aga", 3) is None and paper_ratio("aga", 25) is None
    assert paper_ratio("aga-paper", 7) is None
    for npcs, expected in ((3, 0.311), (25, 0.427), (7, None)):
        runs = {
            0: {
                "baseline": report("baseline", 0, {"decompose": (1000, 0, 10)}, npcs=npcs),
                "aga-paper": report("aga-paper", 0, {"decompose": (330, 0, 3)}, npcs=npcs),
                "aga": report("aga", 0, {"decompose": (200, 0, 2)}, npcs=npcs),
            }
        }
        comp = build_comparison(runs, warm_runs=2)
        assert comp["modes"]["aga-paper"]["paper"] == expected
        assert comp["modes"]["aga"]["paper"] is None
        assert comp["paper"]["npcs"] == npcs


@pytest.mark.parametrize(
    ("npcs", "aga_tokens", "verdict"),
    [
        (3, 300, "within the paper's band 0.20-0.45"),
        (3, 500, "above the paper's band 0.20-0.45"),
        (3, 100, "below the paper's band 0.20-0.45"),
        (25, 500, "within the paper's band 0.30-0.55"),
        (25, 250, "below the paper's band 0.30-0.55"),
        (7, 300, "no paper figure for 7 agents"),
    ],
)
def test_the_aga_paper_ratio_is_judged_against_the_band_for_the_town_size(
    npcs: int, aga_tokens: int, verdict: str
) -> None:
    runs = {
        0: {
            "baseline": report("baseline", 0, {"decompose": (1000, 0, 10)}, npcs=npcs),
            "aga-paper": report("aga-paper", 0, {"decompose": (aga_tokens, 0, 3)}, npcs=npcs),
        }
    }
    fid = build_comparison(runs, warm_runs=2)["fidelity"]["aga_paper_ratio"]
    assert fid["verdict"].startswith(verdict), fid["verdict"]
    assert fid["mean"] == aga_tokens / 1000


def test_fidelity_sets_the_baseline_beside_generative_agents_measured_calls() -> None:
    def fid(calls: int) -> dict[str, Any]:
        runs = {
            0: {"baseline": report("baseline", 0, {"decompose": (6000, 0, calls)}, npcs=1, days=1)}
        }
        return build_comparison(runs, warm_runs=0)["fidelity"]

    low = fid(20)
    assert low["baseline_calls_per_agent_day"]["mean"] == 20.0
    assert low["baseline_calls_per_agent_day"]["verdict"].startswith("below: 20.0 LLM calls")
    assert (
        "50x below Generative Agents' measured 1,000-1,450"
        in low["baseline_calls_per_agent_day"]["verdict"]
    )
    assert "far fewer calls" in low["baseline_calls_per_agent_day"]["verdict"]
    close = fid(730)["baseline_calls_per_agent_day"]["verdict"]
    assert "27% below" in close and "far fewer" not in close
    assert fid(1200)["baseline_calls_per_agent_day"]["verdict"].startswith("within")
    assert fid(2900)["baseline_calls_per_agent_day"]["verdict"].startswith("above: 2,900.0")
    tokens = low["baseline_tokens_per_agent_day"]
    assert tokens["mean"] == 6000.0 and tokens["public_report"]["tokens_per_agent"] == 264_000
    assert tokens["verdict"].startswith("below: 6,000 tokens per agent-day")
    assert low["aga_paper_ratio"]["verdict"].startswith("not measured")


def test_dialogue_kinds() -> None:
    for kind in ("conversation", "summary", "relationship", "dialogue", "convo_summary"):
        assert is_dialogue_kind(kind)
    for kind in ("decompose", "plan_day", "poignancy", "decide_talk", "player_reply"):
        assert not is_dialogue_kind(kind)
    assert {"conversation", "summary", "relationship"} <= DIALOGUE_KINDS


def test_the_comparison_is_plain_deterministic_data_and_the_summary_names_every_mode() -> None:
    def runs() -> dict[int, dict[str, Any]]:
        return {
            s: {
                "baseline": report("baseline", s, {"decompose": (900 + s, 0, 9)}, lines=2),
                "aga": report(
                    "aga", s, {"decompose": (300, 0, 3), "conversation": (90, 0, 3)}, lines=3
                ),
            }
            for s in (0, 1, 2)
        }

    a, b = build_comparison(runs(), warm_runs=2), build_comparison(runs(), warm_runs=2)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    text = format_summary(a)
    assert "seeds (0-2)" in text and "normalised" in text
    for mode in ("baseline", "aga"):
        assert any(line.startswith(mode) for line in text.splitlines())
    stripped = strip_wall_times({**a, "timing": {"wall_seconds": 3}})
    assert "timing" not in stripped
    assert all("wall_seconds" not in row for row in stripped["modes"]["aga"]["per_seed"])


def test_every_seed_needs_a_baseline_and_the_same_modes() -> None:
    with pytest.raises(ValueError, match="no baseline"):
        build_comparison({0: {"aga": report("aga", 0, {"decompose": (1, 0, 1)})}}, warm_runs=0)
    with pytest.raises(ValueError, match="modes"):
        build_comparison(
            {
                0: {"baseline": report("baseline", 0, {"decompose": (1, 0, 1)})},
                1: {
                    "baseline": report("baseline", 1, {"decompose": (1, 0, 1)}),
                    "aga": report("aga", 1, {"decompose": (1, 0, 1)}),
                },
            },
            warm_runs=0,
        )
    with pytest.raises(ValueError, match="at least one seed"):
        build_comparison({}, warm_runs=0)


def test_reach_says_how_low_aga_paper_can_go_on_this_baseline() -> None:
    kinds = {
        "decompose": (200, 0, 2),
        "action_sector": (400, 0, 8),
        "poignancy": (300, 0, 10),
        "relationship_summary": (100, 0, 1),
    }
    runs = {
        0: {
            "baseline": report("baseline", 0, kinds),
            "aga-paper": report("aga-paper", 0, {"poignancy": (300, 0, 10)}, hits=3, lookups=4),
        }
    }
    reach = build_comparison(runs, warm_runs=2)["fidelity"]["aga_paper_reach"]
    assert reach["lifestyle_share"] == 0.6 and reach["social_share"] == 0.1
    assert reach["floor"] == pytest.approx(0.3)
    # 0.45 = 1 - 0.1 - 0.6 h  ->  h = 0.75
    assert reach["hit_rate_for_band"] == pytest.approx(0.75)
    assert reach["hit_rate"] == 0.75
    assert "needs a policy hit rate of 75% (measured 75%)" in reach["verdict"]
    # a baseline spending most on kinds nothing replaces: the band is out of reach
    heavy = {**kinds, "poignancy": (3000, 0, 100)}
    runs[0]["baseline"] = report("baseline", 0, heavy, npcs=25)
    runs[0]["aga-paper"] = report("aga-paper", 0, {"poignancy": (3000, 0, 100)}, npcs=25)
    far = build_comparison(runs, warm_runs=2)["fidelity"]["aga_paper_reach"]
    assert far["floor"] > 0.55 and far["hit_rate_for_band"] > 1
    assert "out of reach" in far["verdict"]
    text = format_summary(build_comparison(runs, warm_runs=2))
    assert "aga-paper reach: the kinds aga-paper replaces are" in text


def _with_savings(rep: dict[str, Any], avoided: int) -> dict[str, Any]:
    rep["savings"] = {
        "joint_relationship_update": {"calls_avoided": avoided, "kinds": ["relationship"]},
        "poignancy_cache": {"calls_avoided": avoided, "kinds": ["poignancy"]},
    }
    return rep


def test_a_saving_the_baseline_never_calls_is_priced_from_the_paper_mode() -> None:
    """The joint relationship update avoids per-person ``relationship`` calls, which only the
    Social Memory modes make: it is priced at aga-paper's tokens per relationship call, and
    says so; a kind the baseline does call stays priced from the baseline."""
    base = report("baseline", 0, {"poignancy": (900, 100, 10), "relationship_summary": (500, 0, 5)})
    paper = report("aga-paper", 0, {"poignancy": (900, 100, 10), "relationship": (380, 20, 4)})
    aga = _with_savings(
        report("aga", 0, {"poignancy": (450, 50, 5), "relationship": (200, 10, 1)}), 2
    )
    out = build_comparison({0: {"baseline": base, "aga-paper": paper, "aga": aga}}, warm_runs=0)
    switches = out["modes"]["aga"]["savings"]["by_switch"]
    joint = switches["joint_relationship_update"]
    assert joint["priced_from"] == ["aga-paper"]
    assert joint["tokens_avoided"]["mean"] == pytest.approx(2 * 400 / 4)  # 2 calls at 100 each
    assert switches["poignancy_cache"]["priced_from"] == ["baseline"]
    assert switches["poignancy_cache"]["tokens_avoided"]["mean"] == pytest.approx(2 * 100)


def test_a_saving_no_mode_prices_is_zero_and_named_none() -> None:
    """Bad case: without a mode that makes the avoided kind, the saving is worth 0 tokens and
    the comparison says it could not price it, rather than borrowing another kind's cost."""
    base = report("baseline", 0, {"poignancy": (900, 100, 10)})
    aga = _with_savings(report("aga", 0, {"poignancy": (450, 50, 5)}), 3)
    out = build_comparison({0: {"baseline": base, "aga": aga}}, warm_runs=0)
    joint = out["modes"]["aga"]["savings"]["by_switch"]["joint_relationship_update"]
    assert joint["priced_from"] == ["none"]
    assert joint["tokens_avoided"]["mean"] == 0.0
