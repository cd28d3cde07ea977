"""How many betweenness sources the centres-of-influence ranking needs: measured against exact.

On a generated graph small enough for exact betweenness (10k contacts / 100k relationships, the
benchmarks' skewed degrees), ``centres_of_influence(top=10)`` ranks with betweenness from ``K``
sampled sources for several seeds. Each row says how many of the exact top 10 the sampled top 10
holds (mean and least over the seeds), and for how many seeds two independent samples of ``K``
sources (seeds ``s`` and ``s + 1000``) show the same top 10: the signal a stopping rule
("sample until two independent samples agree", or until the top set stops changing) would
wait for. The last column is the time of one ranking.

    python benchmarks/bench_ranking.py          # 10k / 100k, five seeds
"""

from __future__ import annotations

import sys
import time

from common import generate

import refgraph as rg

SIZES = [(10_000, 100_000)]
SOURCES = [32, 64, 128, 256, 512, 1024]
SEEDS = range(5)


def top_ids(g: rg.TrustGraph, **options: int) -> set:
    return {r.contact for r in rg.centres_of_influence(g, top=10, **options)}


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = []
    for n, m in sizes:
        e = generate(n, m)
        g = rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust)
        start = time.perf_counter()
        exact = top_ids(g, betweenness_sample=n)
        lines += [f"### Centres of influence from sampled betweenness, {n:,} / {m:,} (exact: "
                  f"{time.perf_counter() - start:.1f} s)", "",
                  "| sources | exact top 10 held (mean, least) | two samples agree | one ranking |",
                  "|---|---|---|---|"]
        for k in SOURCES:
            held, agree, spent = [], 0, 0.0
            for seed in SEEDS:
                start = time.perf_counter()
                shown = top_ids(g, betweenness_sample=k, seed=seed)
                spent += time.perf_counter() - start
                held.append(len(shown & exact))
                agree += shown == top_ids(g, betweenness_sample=k, seed=seed + 1000)
            lines.append(f"| {k} | {sum(held) / len(held):.1f}, {min(held)} | {agree} of {len(held)} | "
                         f"{spent / len(held):.2f} s |")
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])), flush=True)
