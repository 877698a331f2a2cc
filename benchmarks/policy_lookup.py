"""Lifestyle Policy lookup latency and recall at 1k, 10k and 100k stored plans.

Vectors are clustered like real plan embeddings: a shared direction (sentence embeddings
are anisotropic), topics, activities within topics, and paraphrase noise within each
activity (paraphrase cosine ~0.75, unrelated plans ~0.2-0.4). All plans sit in one scope at
one place (the worst case: one big index; a town's plans are spread over scopes and
places). Each lookup runs the whole path: exact-text table, nearest-plan search, the
same-plan rule, a condition check against a FakeWorld and duration rescaling.
``recall_at_5`` compares the index's top 5 with exact search. "with embedding" adds the
local MiniLM embedder on one real plan phrase per lookup.

    python benchmarks/policy_lookup.py [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIM = 384


def clustered(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` unit vectors in activities of ~25, plus each activity's centre and label."""
    shared = rng.normal(size=DIM)
    shared /= np.linalg.norm(shared)
    n_activities = max(1, n // 25)
    n_topics = max(1, n_activities // 20)
    topics = rng.normal(size=(n_topics, DIM))
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    centres = rng.normal(size=(n_activities, DIM))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centres = centres + 0.8 * topics[rng.integers(0, n_topics, n_activities)] + 0.5 * shared
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = rng.integers(0, n_activities, n)
    points = centres[labels] + 0.03 * rng.normal(size=(n, DIM))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points.astype(np.float32), centres.astype(np.float32), labels


def percentiles(samples: list[float]) -> dict[str, float]:
    arr = np.asarray(samples) * 1000.0
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 4),
        "p99_ms": round(float(np.percentile(arr, 99)), 4),
        "max_ms": round(float(arr.max()), 4),
    }


def build_store(
    n: int, rng: np.random.Generator, ef_search: int | None
) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    from aga_npc.policy import AddressCond, IndexSettings, PolicyScope, PolicyStore
    from aga_npc.testing.fake_world import FakeWorld
    from aga_npc.types import Action

    world = FakeWorld(homes={"ann": "Home"})
    for i in range(20):
        world.add(f"Home:room:thing {i}", "thing", capacity=2)
    settings = IndexSettings(build_threads=os.cpu_count() or 1)
    if ef_search is not None:
        settings = IndexSettings(build_threads=settings.build_threads, ef_search=ef_search)
    store = PolicyStore(embedder_name="bench", dim=DIM, index=settings)
    points, centres, labels = clustered(n, rng)
    town = PolicyScope.town()
    with store.bulk_load():
        for i in range(n):
            target = f"@home:room:thing {i % 20}"
            store.add(
                f"routine {labels[i]} variant {i}",
                points[i],
                place="@home",
                actions=[
                    Action(verb="use", target=target, duration=10),
                    Action(verb="rest", duration=5),
                ],
                condition=AddressCond(address=target, reachable=True, free=1),
                scope=town,
            )
    return store, world, centres, labels


def measure_size(
    n: int, queries: int, rng: np.random.Generator, embedder: Any, ef_search: int | None = None
) -> dict[str, Any]:
    from aga_npc.policy import PolicyScope

    started = time.perf_counter()
    store, world, centres, _ = build_store(n, rng, ef_search)
    build_s = time.perf_counter() - started
    index = store.vector_index(PolicyScope.town(), "@home")
    assert index is not None
    qlabels = rng.integers(0, len(centres), queries)
    qs = centres[qlabels] + 0.03 * rng.normal(size=(queries, DIM))
    qs = (qs / np.linalg.norm(qs, axis=1, keepdims=True)).astype(np.float32)
    for q in qs[:50]:  # warm up caches and code paths
        store.lookup("routine query", q, place="@home", agent="ann", world=world, duration=30)
    lookup_s, knn_s, hits = [], [], 0
    for q in qs:
        t0 = time.perf_counter()
        result = store.lookup(
            "routine query", q, place="@home", agent="ann", world=world, duration=30
        )
        lookup_s.append(time.perf_counter() - t0)
        hits += result.hit
        t0 = time.perf_counter()
        index.search(q, 5)
        knn_s.append(time.perf_counter() - t0)
    found = 0
    for q in qs[: min(queries, 500)]:
        approx = {label for label, _ in index.search(q, 5)}
        exact = {label for label, _ in index.exact_search(q, 5)}
        found += len(approx & exact)
    recall = found / (5 * min(queries, 500))
    out: dict[str, Any] = {
        **{k: v for k, v in percentiles(lookup_s).items()},
        "recall_at_5": round(recall, 4),
        "index": "hnswlib" if index.uses_hnsw else "exact",
        "knn_only": percentiles(knn_s),
        "hit_rate": round(hits / queries, 3),
        "build_s": round(build_s, 2),
        "queries": queries,
    }
    if embedder is not None:
        phrases = _phrases()
        with_embed = []
        for i in range(min(queries, 300)):
            text = phrases[i % len(phrases)]
            t0 = time.perf_counter()
            embedder.embed([text])  # a real phrase through the real model ...
            # ... then the lookup with a vector from the store's synthetic distribution
            store.lookup(text, qs[i], place="@home", agent="ann", world=world, duration=30)
            with_embed.append(time.perf_counter() - t0)
        out["with_embedding"] = percentiles(with_embed)
    return out


def _phrases() -> list[str]:
    path = ROOT / "tests" / "data" / "plan_pairs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return sorted({r["a"] for r in rows} | {r["b"] for r in rows})


def crossover(rng: np.random.Generator, sizes: list[int]) -> list[dict[str, Any]]:
    """Exact numpy vs hnswlib query time by size (where ``EXACT_BELOW`` comes from)."""
    from aga_npc.policy import IndexSettings, VectorIndex

    rows = []
    for n in sizes:
        points, centres, _ = clustered(n, rng)
        idx = VectorIndex(DIM, IndexSettings(exact_below=0, build_threads=os.cpu_count() or 1))
        idx.add_many(list(range(n)), points)
        qs = centres[rng.integers(0, len(centres), 300)]
        exact, approx = [], []
        for q in qs:
            t0 = time.perf_counter()
            idx.exact_search(q, 5)
            exact.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            idx.search(q, 5)
            approx.append(time.perf_counter() - t0)
        rows.append(
            {
                "n": n,
                "exact_p50_ms": percentiles(exact)["p50_ms"],
                "hnsw_p50_ms": percentiles(approx)["p50_ms"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k only (< 1 minute)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--no-embedding", action="store_true", help="skip the embedder timing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ef-search", type=int, default=None, help="override hnswlib ef")
    parser.add_argument("--sizes", type=str, default=None, help="comma-separated sizes")
    args = parser.parse_args(argv)

    from aga_npc.policy import IndexSettings

    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
    queries = args.queries or (500 if args.quick else 2000)
    embedder = None
    if not args.no_embedding:
        from aga_npc.embed import LocalEmbedder

        embedder = LocalEmbedder()
        embedder.load()
    rng = np.random.default_rng(args.seed)
    defaults = IndexSettings()
    report: dict[str, Any] = {
        "sizes": {},
        "quick": args.quick,
        "dim": DIM,
        "index_settings": {
            "exact_below": defaults.exact_below,
            "m": defaults.m,
            "ef_construction": defaults.ef_construction,
            "ef_search": args.ef_search or defaults.ef_search,
        },
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "note": "p50_ms/p99_ms: full store.lookup without embedding; with_embedding adds "
        "one local MiniLM embed per lookup",
    }
    print(f"{'N':>7} {'index':>8} {'p50 ms':>8} {'p99 ms':>8} {'knn p99':>8} {'recall@5':>9}"
          f" {'+embed p50':>10} {'+embed p99':>10} {'build s':>8}")  # fmt: skip
    for n in sizes:
        row = measure_size(n, queries, rng, embedder, args.ef_search)
        report["sizes"][str(n)] = row
        emb = row.get("with_embedding", {})
        print(
            f"{n:>7} {row['index']:>8} {row['p50_ms']:>8.3f} {row['p99_ms']:>8.3f}"
            f" {row['knn_only']['p99_ms']:>8.3f} {row['recall_at_5']:>9.3f}"
            f" {emb.get('p50_ms', float('nan')):>10.3f} {emb.get('p99_ms', float('nan')):>10.3f}"
            f" {row['build_s']:>8.1f}"
        )
    report["crossover"] = crossover(rng, [500, 1000, 2000, 4000] if args.quick else
                                    [500, 1000, 2000, 3000, 4000, 8000, 16000])  # fmt: skip
    print("exact vs hnswlib query p50 (ms):")
    for row in report["crossover"]:
        print(f"  {row['n']:>6}: exact {row['exact_p50_ms']:.3f}  hnswlib {row['hnsw_p50_ms']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
