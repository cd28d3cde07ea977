"""How the centres-of-influence ranking's betweenness is sampled: measured against exact.

On a generated graph small enough for exact betweenness (10k contacts / 100k relationships, the
benchmarks' skewed degrees), ``centres_of_influence(top=10)`` ranks with betweenness estimated
in two ways, for several seeds: from ``K`` sampled sources (Brandes from each, as networkx
samples them) and from sampled pairs (one shortest path per pair, KADABRA's estimator), which
the ranking draws until the two halves of its sample agree on the top 10. Each row says how
many of the exact top 10 the estimated top 10 holds (mean and least over the seeds), how often
two independent samples (seeds ``s`` and ``s + 1000``) show the same top 10, and the time of
one ranking. A larger size (``python benchmarks/bench_ranking.py 100000``) skips exact and
shows how many pairs the ranking drew and how long it took.

    python benchmarks/bench_ranking.py          # 10k / 100k, five seeds
"""

from __future__ import annotations

import re
import sys
import time

from common import generate

import refgraph as rg

SOURCES = [256, 1024]
SEEDS = range(5)
EXACT_LIMIT = 20_000


def ranking(g: rg.TrustGraph, **options: int) -> tuple[set, float, str]:
    start = time.perf_counter()
    shown = rg.centres_of_influence(g, top=10, **options)
    return {r.contact for r in shown}, time.perf_counter() - start, shown.note or ""


def run(n: int, m: int) -> list[str]:
    e = generate(n, m)
    g = rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust)
    rg.centres_of_influence(rg.TrustGraph.from_edges(e.source_codes[:100], e.target_codes[:100], e.trust[:100]))
    exact, spent, _ = ranking(g, betweenness_sample=n) if n <= EXACT_LIMIT else (set(), 0.0, "")
    lines = [f"### Centres of influence from estimated betweenness, {n:,} / {m:,}"
             + (f" (exact: {spent:.1f} s)" if exact else ""), "",
             "| betweenness | exact top 10 held (mean, least) | two samples agree | one ranking |",
             "|---|---|---|---|"]
    ways: list[tuple[str, dict[str, int]]] = [(f"{k} sources", {"betweenness_sample": k}) for k in SOURCES]
    for label, options in [*ways, ("sampled pairs until the halves agree", {})]:
        held, agree, times, drawn = [], 0, [], []
        for seed in SEEDS:
            shown, spent, note = ranking(g, **options, seed=seed)
            times.append(spent)
            held.append(len(shown & exact))
            agree += shown == ranking(g, **options, seed=seed + 1000)[0]
            found = re.search(r"from ([\d,]+) sampled pairs", note)
            drawn += [int(found.group(1).replace(",", ""))] if found else []
        if drawn:
            label += f" ({min(drawn):,} to {max(drawn):,} pairs)"
        heldout = f"{sum(held) / len(held):.1f}, {min(held)}" if exact else "n/a"
        lines.append(f"| {label} | {heldout} | {agree} of {len(held)} | {sum(times) / len(times):.2f} s |")
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run(size, 10 * size)), flush=True)
