"""Referral cascades: refgraph's compiled independent cascades against a plain Python loop.

The baseline is the loop networkx users (and NDlib's independent cascade) write: per run, per
newly reached contact, per relationship, one coin. Both sides run the same graph, seeds and
``p``; the loop runs fewer runs (its time is scaled to the same number, noted in the table) and
the two means are checked to agree. ``whom_to_cultivate(top=10)`` has no networkx counterpart
(plain greedy would be k × n full simulations); its time is shown alone.

refgraph's kernels are compiled by numba the first time they run (or loaded from its cache on
disk): each graph warms them up once, untimed, before anything is timed. ``simulate_referrals``
is then timed as the best of three calls, everything else once, each after a garbage
collection; refgraph's forecasts are timed before the networkx graph is built, since a
collection walking its millions of objects leaves every cache cold for the millisecond call
that follows (about 1 ms more at 100k contacts, which neither side's work accounts for).
"""

from __future__ import annotations

import random
import sys

import networkx as nx
import numpy as np
from common import HEADER, generate, row, size_label, timed

import refgraph as rg
from refgraph.analysis.forecast import simulate_referrals, whom_to_cultivate

SIZES = [(10_000, 100_000), (100_000, 1_000_000)]
RUNS = 1000
SEEDS = 10
CELF_LIMIT = 10_000  # CELF's first round simulates every contact: run it only up to this size


def loop_cascades(G: nx.DiGraph, seeds: list[str], runs: int, p: float, seed: int = 1) -> np.ndarray:
    """Reach of each run of the independent cascade, written as a plain loop."""
    rng = random.Random(seed)
    reach = np.empty(runs)
    for r in range(runs):
        active = set(seeds)
        frontier = list(seeds)
        while frontier:
            new = []
            for u in frontier:
                for v, data in G[u].items():
                    if v not in active and rng.random() < p * data["trust"]:
                        active.add(v)
                        new.append(v)
            frontier = new
        reach[r] = len(active)
    return reach


def warm_up(g: rg.TrustGraph) -> None:
    """Compile (or load from the cache) every kernel the timings below use, for this graph's arrays."""
    simulate_referrals(g, g.ids[:2].tolist(), runs=2, p=0.1, seed=1)
    for method in ("celf", "rr"):
        whom_to_cultivate(g, 1, runs=2, p=0.01, seed=1, method=method, compare=False)


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = [f"### Referral cascades (directed, {SEEDS} seeds; {RUNS} runs)", "", HEADER]
    for n, m in sizes:
        e = generate(n, m)
        g = rg.TrustGraph.from_edges(e.sources, e.targets, e.trust)
        warm_up(g)
        label = size_label(n, m)
        seeds = np.random.default_rng(3).choice(g.ids, SEEDS, replace=False).tolist()
        forecasts = {p: timed(lambda p=p: simulate_referrals(g, seeds, runs=RUNS, p=p, seed=1), repeat=3)
                     for p in (0.1, 0.3)}
        G = g.to_networkx()
        for p, (ours, fc) in forecasts.items():
            loop_runs = 200 if p == 0.1 else max(20, 2_000_000 // max(1, int(fc.expected_reach) * (m // n)))
            loop_runs = min(loop_runs, RUNS)
            theirs, reach = timed(lambda p=p, k=loop_runs, G=G: loop_cascades(G, seeds, k, p))
            se = np.hypot(fc.standard_error, reach.std(ddof=1) / np.sqrt(len(reach)))
            assert abs(fc.expected_reach - reach.mean()) < 4 * se, (fc.expected_reach, reach.mean())
            note = (f"p={p}: reach {fc.expected_reach:.4g}, {RUNS / ours:,.0f} runs/s; "
                    f"loop: {loop_runs} runs, scaled")
            lines.append(row(f"simulate_referrals {label}", ours, theirs * RUNS / loop_runs, note))
        del G
        for method in ("celf", "rr"):
            if method == "celf" and n > CELF_LIMIT:
                continue
            for p in (0.1, 0.2):
                took, plan = timed(lambda p=p, method=method: whom_to_cultivate(  # 200 worlds: fixed, not automatic
                    g, 10, p=p, seed=1, method=method, runs=200 if method == "celf" else None, compare=False))
                note = f"p={p}: reach {plan.expected_reach:.4g} ({plan.runs} {'worlds' if method == 'celf' else 'sets'})"
                lines.append(row(f"whom_to_cultivate k=10 {method} {label}", took, None, note))
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])))
