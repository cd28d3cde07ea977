"""Centralities: refgraph's sparse kernels against networkx on the same generated graphs.

PageRank on trust (refgraph stops when its L1 error bound is below 1e-6; networkx at its default
``tol``, which is looser), betweenness on cost from ``K`` sampled sources, closeness of
``SUBSET`` contacts, and Burt's brokerage of every contact (refgraph: effective size and
constraint; networkx: constraint only, as its all-contacts effective size builds a dense n×n
array), trusted reach and the ``centres_of_influence`` ranking (whose betweenness is estimated
from sampled pairs until its top settles; the same number of pairs is timed on its own). Where installed (``pip install
refgraph[bench]``), igraph's and networkit's times for the same work go in the note: igraph's
``neighborhood_size(order=2)`` counts what reach's ``contacts`` column counts, its
``constraint`` is brokerage's, and networkit's ``EstimateBetweenness`` samples as many sources
as refgraph's sampled betweenness, on both cores. Hubs: a star of 100k leaves, ranked. Above
``NX_LIMIT`` relationships networkx is not built; for sampled betweenness above
``NX_FULL_SOURCES`` relationships networkx runs ``NX_SOURCES`` sources and its time is scaled to
``K`` (Brandes' time is linear in the number of sources), as the note says.
"""

from __future__ import annotations

import re
import sys

import networkx as nx
import numpy as np
from common import HEADER, generate, joined, peer_modules, row, size_label, timed

import refgraph as rg
from refgraph.analysis.influence import centrality, centres_of_influence

SIZES = [(100_000, 1_000_000), (1_000_000, 10_000_000)]
NX_LIMIT = 1_000_000
NX_FULL_SOURCES = 100_000
K = 256
NX_SOURCES = 16
SUBSET = 100


def nx_closeness(G: nx.DiGraph, contacts: list[str]) -> dict[str, float]:
    """networkx's closeness of ``contacts`` (incoming distances on cost), one Dijkstra each on a
    reversed view, so that networkx does not copy the graph per contact."""
    reverse, n = G.reverse(copy=False), len(G)
    found = {}
    for u in contacts:
        lengths = nx.single_source_dijkstra_path_length(reverse, u, weight="cost")
        total, r = sum(lengths.values()), len(lengths) - 1
        found[u] = r / total * r / (n - 1) if total > 0 else 0.0
    return found


def peers(e, contacts: list[int]) -> dict[str, str]:
    """igraph's and networkit's times for the same work as notes, by measure (empty where they
    are not installed): PageRank on trust, closeness of ``contacts`` on cost (incoming
    distances: igraph ``mode="in"``, networkit's multi-source ``SPSP`` on the reversed graph),
    brokerage (igraph's ``constraint``), reach (igraph's ``neighborhood_size(order=2)``) and
    256-source betweenness (networkit's ``EstimateBetweenness``), networkit on two threads."""
    notes: dict[str, list[str]] = {}
    ig, nk = peer_modules()
    cost = -np.log(e.trust)
    if ig is not None:
        G = ig.Graph(n=e.n, edges=np.column_stack([e.source_codes, e.target_codes]), directed=True,
                     edge_attrs={"trust": e.trust, "cost": cost})
        t, _ = timed(lambda: G.pagerank(weights="trust"))
        notes.setdefault("pagerank", []).append(f"igraph {t:.3g} s")
        t, _ = timed(lambda: G.closeness(vertices=contacts, mode="in", weights="cost"))
        notes.setdefault("closeness", []).append(f"igraph {t:.3g} s")
        t, _ = timed(lambda: G.neighborhood_size(order=2, mode="out"))
        notes.setdefault("reach", []).append(f"igraph neighborhood_size(order=2) {t:.3g} s")
        t, _ = timed(lambda: G.constraint(weights="trust"))
        notes.setdefault("brokerage", []).append(f"igraph constraint {t:.3g} s")
        del G
    if nk is not None:
        nk.setNumberOfThreads(2)
        trusted = nk.GraphFromCoo((e.trust, (e.source_codes, e.target_codes)), n=e.n, weighted=True, directed=True)
        walk = nk.centrality.PageRank(trusted, damp=0.85, tol=1e-6, distributeSinks=nk.centrality.SinkHandling.DistributeSinks)
        t, _ = timed(lambda: walk.run())
        notes.setdefault("pagerank", []).append(f"networkit 2 threads {t:.3g} s")
        inward = nk.GraphFromCoo((cost, (e.target_codes, e.source_codes)), n=e.n, weighted=True, directed=True)
        t, _ = timed(lambda: nk.distance.SPSP(inward, contacts).run())
        notes.setdefault("closeness", []).append(f"networkit SPSP 2 threads {t:.3g} s")
        G = nk.GraphFromCoo((cost, (e.source_codes, e.target_codes)), n=e.n, weighted=True,
                            directed=True)  # on cost, as refgraph's
        t, _ = timed(lambda: nk.centrality.EstimateBetweenness(G, K, normalized=True, parallel=True).run())
        notes.setdefault("betweenness", []).append(f"networkit EstimateBetweenness({K}) 2 threads {t:.3g} s")
    return {measure: "; ".join(found) for measure, found in notes.items()}


def pairs_drawn(note: str | None) -> int:
    """How many pairs the ranking's note says its betweenness was estimated from."""
    found = re.search(r"from ([\d,]+) sampled pairs", note or "")
    assert found, note
    return int(found.group(1).replace(",", ""))


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = ["### Centralities (directed)", "", HEADER]
    tiny = rg.TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.5, 0.5])
    for measure in ("reach", "brokerage", "closeness", "betweenness"):  # load the compiled kernels before timing
        centrality(tiny, measure)
    centrality(tiny, "betweenness", pairs=10)
    for n, m in sizes:
        e = generate(n, m)
        g = rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust)
        label = size_label(n, m)
        contacts = np.random.default_rng(5).choice(n, SUBSET, replace=False).tolist()
        t_pr, pr = timed(lambda: centrality(g, "pagerank"), repeat=2)
        t_bc, _ = timed(lambda: centrality(g, "betweenness", betweenness_sample=K, seed=1))
        t_cl, cl = timed(lambda: centrality(g, "closeness", contacts=contacts))
        t_br, br = timed(lambda: centrality(g, "brokerage"))
        t_re, _ = timed(lambda: centrality(g, "reach"))
        t_co, co = timed(lambda: centres_of_influence(g, top=10))
        drawn = pairs_drawn(co.note)
        t_pairs, _ = timed(lambda: centrality(g, "betweenness", pairs=drawn, seed=1))
        notes = peers(e, contacts)
        nx_pr = nx_bc = nx_cl = nx_br = None
        bc_note = f"{K} sampled sources, seed 1"
        if m <= NX_LIMIT:
            G = g.to_networkx()
            nx_pr, theirs = timed(lambda: nx.pagerank(G, weight="trust"))
            assert max(abs(pr[c] - v) for c, v in theirs.items()) < 1e-5  # networkx's own tol is looser
            sources = K if m <= NX_FULL_SOURCES else NX_SOURCES
            nx_bc, _ = timed(lambda: nx.betweenness_centrality(G, k=sources, seed=1, weight="cost"))
            if sources != K:
                nx_bc *= K / sources
                bc_note += f"; networkx timed on {sources} sources, scaled to {K}"
            nx_cl, theirs = timed(lambda: nx_closeness(G, contacts))
            assert max(abs(cl[c] - v) for c, v in theirs.items()) < 1e-9
            nx_br, theirs = timed(lambda: nx.constraint(G, weight="trust"))
            limit = br.column("constraint")
            assert all(abs(limit[c] - v) < 1e-9 for c, v in theirs.items() if v == v)
            del G
        lines.append(row(f"pagerank {label}", t_pr, nx_pr, joined("refgraph within 1e-6 (L1) of exact",
                                                                   notes.get("pagerank"))))
        lines.append(row(f"betweenness, sampled {label}", t_bc, nx_bc, joined(bc_note, notes.get("betweenness"))))
        lines.append(row(f"betweenness, {drawn:,} sampled pairs {label}", t_pairs, None,
                         "the pairs the ranking drew; networkit's KadabraBetweenness is for unweighted graphs only"))
        lines.append(row(f"closeness of {SUBSET} contacts {label}", t_cl, nx_cl, notes.get("closeness", "")))
        lines.append(row(f"brokerage {label}", t_br, nx_br, joined("networkx: constraint only", notes.get("brokerage"))))
        lines.append(row(f"reach (two introductions) {label}", t_re, None, notes.get("reach", "")))
        lines.append(row(f"centres_of_influence(top=10) {label}", t_co, None, f"betweenness from {drawn:,} sampled pairs"))
    star = 100_000
    g = rg.TrustGraph.from_edges(["hub"] * star, [f"l{i}" for i in range(star)], np.full(star, 0.7), directed=False)
    t_star, co = timed(lambda: centres_of_influence(g, top=10))
    lines.append(row("centres_of_influence: a star of 100k leaves", t_star, None,
                     f"betweenness from {pairs_drawn(co.note):,} sampled pairs"))
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])))
