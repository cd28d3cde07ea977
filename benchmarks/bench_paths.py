"""Warm paths: refgraph's exact hop-limited search against networkx, per query.

Queries go from a random contact to a contact three introductions away along the graph (a
random walk), so that each has an answer, as a seller's queries do. networkx's
``bidirectional_dijkstra`` on cost ignores the hop limit (so it answers an easier question);
for k paths, networkx's ``shortest_simple_paths`` is filtered to paths of at most four links.
Where installed (``pip install refgraph[bench]``), igraph's ``get_shortest_paths`` and
networkit's ``BidirectionalDijkstra`` answer the same best-path queries on cost, and igraph's
``get_k_shortest_paths`` (Yen's algorithm) the five-path ones, all without a hop limit; their
times go in the note. networkit has no k-paths search.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from itertools import islice

import networkx as nx
import numpy as np
from common import HEADER, generate, joined, peer_modules, row, size_label

import refgraph as rg

SIZES = [(100_000, 1_000_000), (1_000_000, 10_000_000)]
NX_LIMIT = 1_000_000  # networkx is only built up to this many relationships (memory)
HOPS = 4
PEER_QUERIES = 50  # of the same queries, asked of igraph and networkit
PEER_FIVE = 5  # of those, asked of igraph for five paths
LONG = 16  # a hop limit that binds on none of the peer queries (checked), for a like-for-like row


def queries(g: rg.TrustGraph, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` (source, target) pairs joined by a random walk of three links."""
    rng = np.random.default_rng(seed)
    indptr, indices, ids = g.indptr, g.indices, g.ids
    pairs = []
    while len(pairs) < count:
        start = node = int(rng.integers(len(g)))
        for _ in range(3):
            lo, hi = indptr[node], indptr[node + 1]
            if lo == hi:
                break
            node = int(indices[rng.integers(lo, hi)])
        if node != start:
            pairs.append((str(ids[start]), str(ids[node])))
    return pairs


def answered(fn, pairs) -> tuple[list, float]:
    """The answers of ``fn`` on each of ``pairs`` and the median time of one call in seconds."""
    found, times = [], []
    for s, t in pairs:
        start = time.perf_counter()
        found.append(fn(s, t))
        times.append(time.perf_counter() - start)
    return found, statistics.median(times)


def median_ms(fn, pairs) -> float:
    return answered(fn, pairs)[1]


def bound(g: rg.TrustGraph, pairs: list[tuple[str, str]], best: list[tuple[float, int]], hops: int) -> int:
    """On how many of ``pairs`` the limit of ``hops`` links binds, given each pair's best path
    without a limit as (cost, links); refgraph's best trust equals exp(-cost) on the others
    (within 1e-9) and is no higher on those."""
    count = 0
    for (s, t), (cost, links) in zip(pairs, best, strict=True):
        ours = rg.warm_paths(g, t, source=s, max_hops=hops)[0].trust
        if links <= hops:
            assert abs(ours - np.exp(-cost)) < 1e-9
        else:
            assert ours <= np.exp(-cost) + 1e-9
            count += 1
    return count


def peers(g: rg.TrustGraph, pairs: list[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[float, int]]]:
    """igraph's and networkit's median times for the best path of each of ``pairs``, and
    igraph's for the five best of the first PEER_FIVE, as notes by kind ("one", "five"), with
    the best paths' (cost, links), on which the installed peers agree (empty where neither is
    installed). Both are built from the graph's own arcs and costs and search without a hop
    limit; igraph's five paths are checked against refgraph's where they have at most HOPS links
    (the best paths of at most HOPS links among them are refgraph's best)."""
    notes: dict[str, list[str]] = {"one": [], "five": []}
    best: list[tuple[float, int]] = []
    ig, nk = peer_modules()
    heads, cost = g.indices, g.edge_cost
    tails = np.repeat(np.arange(len(g), dtype=heads.dtype), np.diff(g.indptr))
    codes = [(g.index(s), g.index(t)) for s, t in pairs]

    def best_path(name: str, search) -> None:
        found, took = answered(search, codes)
        assert all(abs(a - b) < 1e-9 for (a, _), (b, _) in zip(found, best, strict=False))  # the peers agree
        best[:] = found
        notes["one"].append(f"{name} {took:.3g} s")

    if ig is not None:
        G = ig.Graph(n=len(g), edges=np.column_stack([tails, heads]), directed=True, edge_attrs={"cost": cost})

        def ig_one(s: int, t: int) -> tuple[float, int]:
            arcs = G.get_shortest_paths(s, to=t, weights="cost", mode="out", output="epath")[0]
            return float(cost[arcs].sum()), len(arcs)

        def ig_five(s: int, t: int) -> list[tuple[float, int]]:
            return [(float(cost[arcs].sum()), len(arcs))
                    for arcs in G.get_k_shortest_paths(s, to=t, k=5, weights="cost", mode="out", output="epath")]

        best_path("igraph get_shortest_paths", ig_one)
        found, took = answered(ig_five, codes[:PEER_FIVE])
        longer = 0
        for (s, t), theirs in zip(pairs, found, strict=False):
            within = [np.exp(-c) for c, links in theirs if links <= HOPS]
            ours = [p.trust for p in rg.warm_paths(g, t, source=s, top=5, max_hops=HOPS)]
            assert all(abs(a - b) < 1e-9 for a, b in zip(within, ours, strict=False))
            longer += len(within) < len(theirs)
        notes["five"].append(f"igraph get_k_shortest_paths {took:.3g} s, no hop limit "
                             f"(a path > {HOPS} links in {longer} of {len(found)})")
        del G
    if nk is not None:
        G = nk.GraphFromCoo((cost, (tails, heads)), n=len(g), weighted=True, directed=True)

        def nk_one(s: int, t: int) -> tuple[float, int]:
            search = nk.distance.BidirectionalDijkstra(G, s, t, storePred=True)
            search.run()
            return search.getDistance(), len(search.getPath()) + 1  # getPath leaves out both ends

        best_path("networkit BidirectionalDijkstra", nk_one)
        notes["five"].append("networkit n/a")
    return {kind: "; ".join(found) for kind, found in notes.items()}, best


def nx_k_paths(G: nx.DiGraph, s: str, t: str, k: int, cap: int = 200) -> list[list[str]]:
    """The k best paths of at most HOPS links from networkx's simple paths in order of cost
    (stopping after ``cap`` paths, which only makes networkx look faster)."""
    short = (p for p in islice(nx.shortest_simple_paths(G, s, t, weight="cost"), cap) if len(p) - 1 <= HOPS)
    return list(islice(short, k))


def tied_graphs() -> list[tuple[str, rg.TrustGraph, str, int]]:
    """Graphs where many paths tie exactly, as (label, graph from its owner, target, max_hops): a
    family of 24 relatives trusted fully, layered graphs of trust 1/2 (30 wide, 3 and 30 deep)
    and a complete graph of 2,000 contacts at trust 1."""
    rel = [f"r{i:02}" for i in range(24)]
    family = [("me", r) for r in rel] + list(itertools.combinations(rel, 2)) + [(r, "p") for r in rel]

    def layered(depth: int) -> list[tuple[str, str]]:
        layers = [["s"], *([f"l{j:02}_{i:02}" for i in range(30)] for j in range(depth)), ["t"]]
        return [(a, b) for one, two in itertools.pairwise(layers) for a in one for b in two]

    clique = list(itertools.combinations([f"c{i:04}" for i in range(2000)], 2))

    def graph(edges: list[tuple[str, str]], trust: float, owner: str) -> rg.TrustGraph:
        return rg.TrustGraph.from_edges(*zip(*edges, strict=False), [trust] * len(edges), directed=False, owner=owner)

    deep = graph(layered(30), 0.5, "s")
    return [("family of 24, trust 1", graph(family, 1.0, "me"), "p", HOPS),
            ("layered 30 x 3, trust 1/2", graph(layered(3), 0.5, "s"), "t", HOPS),
            ("layered 30 x 30, trust 1/2", deep, "t", HOPS),
            ("layered 30 x 30, trust 1/2, ≤31 links", deep, "t", 31),
            ("complete 2,000, trust 1", graph(clique, 1.0, "c0000"), "c1999", HOPS)]


def tied(calls: int = 20) -> list[str]:
    """The slowest of k=1, k=5 and five distinct introducers on each tied graph (median of ``calls``)."""
    lines = ["### Warm paths on exactly tied graphs (median per query, slowest of k=1, k=5, 5 introducers)",
             "", HEADER]
    for label, g, target, hops in tied_graphs():
        kinds = [{"top": 1}, {"top": 5}, {"top": 5, "distinct_introducers": True}]
        for kind in kinds:
            rg.warm_paths(g, target, max_hops=hops, **kind)
        slowest = max(median_ms(lambda s, t, kind=kind: rg.warm_paths(g, t, source=s, max_hops=hops, **kind),
                                [(g.owner, target)] * calls) for kind in kinds)
        lines.append(row(label, slowest, None, ""))
    return lines


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = [f"### Warm paths (directed; median per query, max_hops={HOPS})", "", HEADER]
    for n, m in sizes:
        e = generate(n, m)
        g = rg.TrustGraph.from_edges(e.sources, e.targets, e.trust)
        label = size_label(n, m)
        pairs = queries(g, 200)
        rg.warm_paths(g, pairs[0][1], source=pairs[0][0])  # builds the id map and the searcher once
        one = median_ms(lambda s, t: rg.warm_paths(g, t, source=s, max_hops=HOPS), pairs)
        five = median_ms(lambda s, t: rg.warm_paths(g, t, source=s, top=5, max_hops=HOPS), pairs[:100])
        distinct = median_ms(lambda s, t: rg.warm_paths(g, t, source=s, top=5, max_hops=HOPS, distinct_introducers=True),
                             pairs[:100])
        t_one = t_five = None
        if m <= NX_LIMIT:
            G = g.to_networkx()
            t_one = median_ms(lambda s, t: nx.bidirectional_dijkstra(G, s, t, weight="cost"), pairs)  # the same queries
            t_five = median_ms(lambda s, t: nx_k_paths(G, s, t, 5), pairs[:3])
            for s, t in pairs[:10]:  # same answers, where networkx's is within the hop limit
                ours = rg.warm_paths(g, t, source=s, max_hops=HOPS)[0]
                cost, path = nx.bidirectional_dijkstra(G, s, t, weight="cost")
                if len(path) - 1 <= HOPS:
                    assert abs(-np.log(ours.trust) - cost) < 1e-9
            del G
        asked = pairs[:PEER_QUERIES]
        notes, best = peers(g, asked)
        lines.append(row(f"best path (k=1) {label}", one, t_one, "networkx: bidirectional_dijkstra, no hop limit"))
        if best:  # refgraph's answers are checked against the peers' first, at both limits
            limited, longer = bound(g, asked, best, HOPS), bound(g, asked, best, LONG)
            lines[-1] += (f"; {notes['one']} ({len(asked)} queries), no hop limit: best path > {HOPS} links "
                          f"in {limited}")
            lone = median_ms(lambda s, t: rg.warm_paths(g, t, source=s, max_hops=LONG), asked)
            lines.append(row(f"best path (k=1), ≤{LONG} links {label}", lone, None,
                             f"the same {len(asked)} queries; limit binds in {longer}, same answers as the peers"))
        lines.append(row(f"5 best paths {label}", five, t_five, joined("networkx: shortest_simple_paths, ≤4 links",
                                                                       notes["five"])))
        lines.append(row(f"5 distinct introducers {label}", distinct, None, ""))
    return [*lines, "", *tied()]


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])))
