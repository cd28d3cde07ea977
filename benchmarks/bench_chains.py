"""Referral chains: refgraph's vectorised forest against networkx on the same referrals.

A generated forest of ``m`` referrals: a quarter come from contacts who start a chain (each
starts about three); every other referred contact was referred by a contact who arrived
earlier, a recent one more often than an old one. refgraph builds the forest (parents,
conflicts, generations, reach and downstream value) and attributes value under all three
policies; networkx builds a DiGraph and takes ``nx.descendants`` per root (reach) and
``nx.shortest_path_length`` per root (generations), then ``nx.ancestors`` per won deal for the
equal split. Answers are compared before timing.
"""

from __future__ import annotations

import sys

import networkx as nx
import numpy as np
from common import HEADER, SEED, row, timed

from refgraph.analysis.chains import ReferralForest

SIZES = [10_000, 100_000, 1_000_000]
NX_LIMIT = 100_000  # networkx is only run up to this many referrals (time)
STATUSES = np.array(["asked", "introduced", "met", "won", "lost"])


def generate(m: int, seed: int = SEED) -> tuple[np.ndarray, ...]:
    """``m`` referrals as arrays: referrer and referred ids (integers), dates, statuses, values."""
    rng = np.random.default_rng(seed)
    n = m + m // 3
    referred = np.arange(n - m, n)  # the first n - m contacts only refer: they start the chains
    back = rng.geometric(0.001, size=m)  # how far back the referrer arrived
    starter = (rng.random(m) < 0.25) | (back > referred - (n - m))
    referrer = np.where(starter, rng.integers(0, n - m, size=m), referred - back)
    perm = rng.permutation(n)
    day = np.datetime64("2020-01-01") + rng.integers(0, 1500, size=m)
    status = STATUSES[rng.integers(0, len(STATUSES), size=m)]
    value = np.round(rng.gamma(2.0, 5000.0, size=m), 2)
    return perm[referrer], perm[referred], day, status, value


def networkx_chains(src: np.ndarray, dst: np.ndarray, every: bool = False) -> tuple[dict[int, int], dict[int, int]]:
    """Reach of every root (or of ``every`` source) and every contact's generation, the networkx way."""
    G = nx.DiGraph(zip(src.tolist(), dst.tolist(), strict=True))
    roots = [c for c in G if G.in_degree(c) == 0]
    reach = {r: len(nx.descendants(G, r)) for r in (G if every else roots) if G.out_degree(r)}
    generation: dict[int, int] = {}
    for r in roots:
        generation.update(nx.single_source_shortest_path_length(G, r))
    return reach, generation


def networkx_equal(src: np.ndarray, dst: np.ndarray, status: np.ndarray, value: np.ndarray) -> dict[int, float]:
    """The equal split: each won deal's value shared among the referred contact's ancestors."""
    G = nx.DiGraph(zip(src.tolist(), dst.tolist(), strict=True))
    credit: dict[int, float] = {}
    for c, s, v in zip(dst.tolist(), status.tolist(), value.tolist(), strict=True):
        if s == "won":
            ancestors = nx.ancestors(G, c)
            for a in ancestors:
                credit[a] = credit.get(a, 0.0) + v / len(ancestors)
    return credit


def run(sizes: list[int]) -> list[str]:
    lines = ["### Referral chains (generated forests, integer ids; best of 3 for refgraph)", "", HEADER]
    for m in sizes:
        src, dst, day, status, value = generate(m)
        label = f"{m / 1e6:g}M" if m >= 1_000_000 else f"{m / 1e3:g}k"
        t_build, forest = timed(lambda: ReferralForest.from_arrays(src, dst, day, status, value), repeat=3)
        t_attr, _ = timed(lambda: [forest.credit(p) for p in ("direct", "equal", "decay")], repeat=3)
        t_equal, _ = timed(lambda: forest.credit("equal"), repeat=3)
        t_table, _ = timed(lambda: forest.attribution("equal"), repeat=3)
        text = np.char.add("c", src.astype(str)), np.char.add("c", dst.astype(str))
        t_text, _ = timed(lambda: ReferralForest.from_arrays(*text, day, status, value), repeat=3)
        nx_roots = nx_every = nx_equal = None
        if m <= NX_LIMIT:
            nx_roots, (reach, generation) = timed(lambda: networkx_chains(src, dst))
            nx_every, (every, _) = timed(lambda: networkx_chains(src, dst, every=True))
            nx_equal, credit = timed(lambda: networkx_equal(src, dst, status, value))
            assert all(forest.reach(c) == k for c, k in every.items())
            assert all(forest.generation_of(c) == g for c, g in generation.items())
            ours = {r.contact: r.total for r in forest.attribution("equal")}
            assert all(abs(ours[c] - v) <= 1e-6 * max(1.0, v) for c, v in credit.items())
        chains = f"{len(forest.roots):,} chains, {forest.depth} generations deep"
        lines.append(row(f"chains, generations, reach: {label} referrals", t_build, nx_roots,
                         f"{chains}; networkx: descendants per root"))
        lines.append(row(f"  ... reach of every source: {label}", t_build, nx_every,
                         "same forest; networkx: descendants per source"))
        lines.append(row(f"  ... with text ids: {label}", t_text, None, "ids hashed by refgraph.engine._index"))
        lines.append(row(f"equal attribution: {label} referrals", t_equal, nx_equal,
                         "arrays; networkx: ancestors per won deal"))
        lines.append(row(f"  ... as a table of rows: {label}", t_table, None, "a Python row per source"))
        lines.append(row(f"chains + all three attributions: {label}", t_build + t_attr, None,
                         "target: under 3 s at 1M"))
    return lines


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print("\n".join(run(sizes)))
