"""Building a trust graph: refgraph's TrustGraph.from_edges against networkx, time and memory,
with igraph's and networkit's builds from the same integer arrays in the note where installed
(``pip install refgraph[bench]``). The integer build's peak (tracemalloc: Python objects and
numpy arrays) is set beside the size of the finished graph's arrays."""

from __future__ import annotations

import sys

import networkx as nx
import numpy as np
from common import HEADER, generate, peak_memory, row, size_label, timed

import refgraph as rg


def networkx_build(sources, targets, trust) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(zip(sources.tolist(), targets.tolist(), trust.tolist(), strict=True), weight="trust")
    return G

SIZES = [(100_000, 1_000_000), (1_000_000, 10_000_000)]


def graph_bytes(g: rg.TrustGraph) -> int:
    """The bytes of a finished graph's arrays: ids, row pointers, columns, trust and cost."""
    return sum(a.nbytes for a in (g.ids, g.indptr, g.indices, g.edge_trust, g.edge_cost))


def peers(e) -> list[str]:
    """igraph's and networkit's build times from the integer arrays (best of three)."""
    found = []
    try:
        import igraph as ig

        edges = np.column_stack([e.source_codes, e.target_codes])
        t, _ = timed(lambda: ig.Graph(n=e.n, edges=edges, directed=True, edge_attrs={"trust": e.trust}), repeat=3)
        found.append(f"igraph {t:.3g} s")
    except ModuleNotFoundError:
        pass
    try:
        import networkit as nk

        t, _ = timed(lambda: nk.GraphFromCoo((e.trust, (e.source_codes, e.target_codes)), n=e.n, weighted=True,
                                             directed=True), repeat=3)
        found.append(f"networkit {t:.3g} s")
    except ModuleNotFoundError:
        pass
    return found


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = ["### Building the graph (directed; contacts / relationships)", "", HEADER]
    for n, m in sizes:
        e = generate(n, m)
        label = size_label(n, m)
        t_str, g = timed(lambda: rg.TrustGraph.from_edges(e.sources, e.targets, e.trust), repeat=3)
        t_int, _ = timed(lambda: rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust), repeat=3)
        mem_rg, _ = peak_memory(lambda: rg.TrustGraph.from_edges(e.sources, e.targets, e.trust))
        t_nx, G = timed(lambda: networkx_build(e.sources, e.targets, e.trust))
        assert G.number_of_edges() == g.number_of_edges()
        del G
        mem_nx, _ = peak_memory(lambda: networkx_build(e.sources, e.targets, e.trust))
        lines.append(row(f"from_edges {label}, string ids", t_str, t_nx,
                         f"peak {mem_rg / 2**30:.2f} GiB vs {mem_nx / 2**30:.2f} GiB"))
        peak_int, built = peak_memory(lambda: rg.TrustGraph.from_edges(e.source_codes, e.target_codes, e.trust))
        size = graph_bytes(built)
        note = f"peak {peak_int / 2**20:.0f} MiB, graph {size / 2**20:.0f} MiB ({peak_int / size:.2f}x)"
        lines.append(row(f"from_edges {label}, integer ids", t_int, t_nx, "; ".join([note, *peers(e)])))
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])))
