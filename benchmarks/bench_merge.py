"""Merging sources and teams: ``rg.merge`` of three generated sources, and team warm paths.

Merge: three sources (CSV, LinkedIn, CRM) of ``n`` contacts each from
:func:`refgraph.datasets.split_people` (30% of each source's people also in another source,
with nicknames, typos, changed e-mails and moved jobs): wall time, the process's peak resident
memory, and precision and recall on pairs of records against the known truth.

Team paths: on a generated graph, the warmest path from a team of owners (one search from all
of them, ``source="team"``) beside a path from one owner and beside one search per owner (what
a team query costs without the multi-source search), median per query.

Run: ``python benchmarks/bench_merge.py [n]`` or ``python benchmarks/bench.py --only bench_merge``.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time

import numpy as np
from common import generate, size_label

import refgraph as rg

SIZES = [(100_000, 1_000_000), (1_000_000, 10_000_000)]
QUERIES = 200


def pair_scores(report: rg.MergeReport, people: list[np.ndarray]) -> tuple[float, float]:
    """Precision and recall on pairs of records (the owner's contact left out)."""
    found, truth = [], []
    for k, who in enumerate(people):
        ids = report.networks[k].table("contacts").column("id").to_pylist()
        for cid, person in zip(ids, who.tolist(), strict=True):
            if person >= 0:
                found.append(report.final_id(k, cid))
                truth.append(person)

    def pairs(labels: list[object]) -> int:
        _, counts = np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)
        return int((counts * (counts - 1) // 2).sum())

    both = pairs([f"{f}\x1f{t}" for f, t in zip(found, truth, strict=True)])
    return both / pairs(found), both / pairs(truth)


def merge_lines(n: int) -> list[str]:
    nets, people = rg.datasets.split_people(n, sources=("csv", "linkedin", "crm"), seed=3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    net, report = rg.merge(*nets)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    precision, recall = pair_scores(report, people)
    return [f"| merge 3 x {n:,} contacts | {took:8.2f} s | peak RSS {peak:,.0f} MB (before {before:,.0f} MB) "
            f"| {len(net.contacts):,} contacts, {report.merged:,} pairs merged | precision {precision:.4f}, "
            f"recall {recall:.4f} |"]


def team_lines(n: int, m: int, owners: int = 10) -> list[str]:
    e = generate(n, m)
    g = rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust, directed=True)
    rng = np.random.default_rng(5)
    team = [int(x) for x in rng.choice(n, size=owners, replace=False)]
    g.owners = team
    targets = [int(x) for x in rng.choice(n, size=QUERIES, replace=False)]
    rg.warm_paths(g, targets[0], source="team")  # compile the kernels

    def median_ms(fn) -> float:
        times = []
        for t in targets:
            start = time.perf_counter()
            fn(t)
            times.append(time.perf_counter() - start)
        return 1000 * statistics.median(times)

    single = median_ms(lambda t: rg.warm_paths(g, t, source=team[0]))
    together = median_ms(lambda t: rg.warm_paths(g, t, source="team"))
    each = median_ms(lambda t: [rg.warm_paths(g, t, source=o) for o in team])
    return [f"| team path, {size_label(n, m)}, {owners} owners | team {together:.3f} ms | one owner {single:.3f} ms "
            f"| one search per owner {each:.3f} ms ({each / together:.1f}x the team search) | median of {QUERIES} |"]


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = ["Merging sources, and warm paths for a team"]
    lines += merge_lines(sizes[0][0])
    for n, m in sizes:
        lines += team_lines(n, m)
    return lines


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print("\n".join(run([(n, 10 * n)])), flush=True)
