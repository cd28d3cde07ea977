"""Exports of a :class:`~refgraph.TrustGraph` for Gephi, yEd and networkx: GraphML and GEXF."""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import IO, Any

from ..graph import TrustGraph
from ._files import atomic_write

__all__ = ["write_gexf", "write_graphml"]


def _clean(g: TrustGraph) -> Any:
    """``g`` as networkx with only strings and numbers as attributes (what the writers accept)."""
    G = g.to_networkx()
    if G.graph.get("owner") is None:
        G.graph.pop("owner", None)
    else:
        G.graph["owner"] = str(G.graph["owner"])
    for _, data in G.nodes(data=True):
        if "kinds" in data:
            data["kinds"] = ";".join(sorted(data["kinds"]))
    return G


def _write(g: TrustGraph, path: str | PathLike[str], writer: Callable[[Any, IO[bytes]], None]) -> None:
    G = _clean(g)
    atomic_write(path, lambda fh: writer(G, fh))


def write_graphml(g: TrustGraph, path: str | PathLike[str]) -> None:
    """Write ``g`` as GraphML (atomically): nodes with name, organisation and kinds; edges
    with ``trust`` and ``cost``. Opens in Gephi and in ``networkx.read_graphml``.

    >>> import refgraph as rg, networkx as nx, tempfile, os
    >>> g = rg.sample_network().trust_graph()
    >>> path = os.path.join(tempfile.mkdtemp(), "sample.graphml")
    >>> rg.write_graphml(g, path)
    >>> nx.read_graphml(path).number_of_nodes() == len(g)
    True
    """
    import networkx as nx

    _write(g, path, nx.write_graphml)


def write_gexf(g: TrustGraph, path: str | PathLike[str]) -> None:
    """Write ``g`` as GEXF (atomically), Gephi's own format, with the same attributes."""
    import networkx as nx

    _write(g, path, nx.write_gexf)
