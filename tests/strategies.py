"""Hypothesis strategies shared by the test files: small random trust graphs.

Contacts are ``c00``, ``c01`` ... so that their ids sort as their positions do, and every
drawn graph may be directed or not and may hold isolated contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from hypothesis import strategies as st

import refgraph as rg

#: Trusts that recur in real data (and make exact ties), beside any trust in [0.05, 1].
TRUSTS = [1.0, 0.9, 0.5, 0.25, 0.8, 0.3, 0.61, 0.77]
ANY_TRUST = st.sampled_from(TRUSTS) | st.floats(0.05, 1.0)


@dataclass(frozen=True)
class Arcs:
    """A drawn graph as plain lists: its contacts, its arcs (source, target, trust), directedness."""

    nodes: list[str]
    arcs: list[tuple[str, str, float]]
    directed: bool

    def trust_graph(self, **options: object) -> rg.TrustGraph:
        sources, targets, trusts = (list(c) for c in zip(*self.arcs, strict=True)) if self.arcs else ([], [], [])
        return rg.TrustGraph.from_edges(sources, targets, trusts, directed=self.directed, nodes=self.nodes,
                                        **options)  # type: ignore[arg-type]

    def networkx(self) -> nx.Graph:
        """The same relationships in networkx, each with ``trust``."""
        G = nx.DiGraph() if self.directed else nx.Graph()
        G.add_nodes_from(self.nodes)
        G.add_edges_from((u, v, {"trust": t}) for u, v, t in self.arcs)
        return G


@st.composite
def arcs(draw: st.DrawFn, *, nodes: tuple[int, int] = (2, 8), max_arcs: int | None = None,
         trusts: st.SearchStrategy[float] = ANY_TRUST, directed: bool | None = None) -> Arcs:
    """A graph of ``nodes[0]`` to ``nodes[1]`` contacts with at most ``max_arcs`` relationships
    (an undirected one counts twice), each trust drawn from ``trusts``."""
    n = draw(st.integers(*nodes))
    is_directed = draw(st.booleans()) if directed is None else directed
    names = [f"c{i:02d}" for i in range(n)]
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and (is_directed or u < v)]
    most = len(pairs) if max_arcs is None else max_arcs if is_directed else max_arcs // 2
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=most)) if pairs else []
    trust = draw(st.lists(trusts, min_size=len(chosen), max_size=len(chosen)))
    return Arcs(names, [(names[u], names[v], t) for (u, v), t in zip(chosen, trust, strict=True)], is_directed)


def trust_graphs(**options: object) -> st.SearchStrategy[rg.TrustGraph]:
    """:func:`arcs` as a :class:`refgraph.TrustGraph`."""
    return arcs(**options).map(lambda a: a.trust_graph())  # type: ignore[arg-type]
