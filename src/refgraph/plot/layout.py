"""Where to put nodes: positions only, no drawing (the drawings call these)."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ..engine.graph import TrustGraph

__all__ = ["sample_nodes", "spring"]


def sample_nodes(g: TrustGraph, limit: int) -> np.ndarray:
    """Indices of at most ``limit`` nodes worth drawing: the owner and its circle first, then
    the contacts with the most trust (strength); all of them when the graph is small enough.
    """
    n = len(g)
    if n <= limit:
        return np.arange(n)
    strength = np.bincount(np.repeat(np.arange(n), np.diff(g.indptr)), weights=g.edge_trust, minlength=n)
    order = np.argsort(-strength, kind="stable")
    chosen: list[int] = []
    if g.owner is not None:
        o = g.index(g.owner)
        circle = g.indices[g.indptr[o] : g.indptr[o + 1]]
        circle = circle[np.argsort(-strength[circle], kind="stable")]
        chosen = [o, *circle.tolist()][:limit]
    picked = set(chosen)
    for i in order.tolist():
        if len(chosen) >= limit:
            break
        if i not in picked:
            chosen.append(i)
            picked.add(i)
    return np.sort(np.array(chosen, dtype=np.int64))


def spring(g: TrustGraph, seed: int = 0) -> dict[Hashable, np.ndarray]:
    """Force-directed positions (networkx's spring layout, pulled by trust), deterministic."""
    import networkx as nx

    G = g.to_networkx()
    if G.is_directed():
        G = G.to_undirected()
    positions: dict[Hashable, np.ndarray] = nx.spring_layout(G, weight="trust", seed=seed, k=1.5 / max(1, len(G)) ** 0.5)
    return positions
