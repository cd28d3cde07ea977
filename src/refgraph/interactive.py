"""Interactive views: zoom, drag, hover for name, organisation, trust and reason, click a
contact to focus on its neighbourhood, in Jupyter or any browser, with no network needed.

Drawn by `pyvis <https://pyvis.readthedocs.io>`_ (vis-network), the optional extra
``pip install 'refgraph[interactive]'``, with its scripts and styles inlined in the page (no CDN).
``Network.show()``, ``TrustGraph.show()``, ``ReferralForest.show()`` and ``IntroPath.show()``
return an :class:`InteractiveView`: Jupyter shows it (in a sandboxed frame), ``save(path)``
writes it as one HTML file, and the report embeds the same view. The matplotlib figures
(``.plot()``) stay the default and the fallback.

Every name is handed to vis-network as data, never as markup: the page shows it as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Any

from ._files import atomic_write
from .errors import RefgraphError
from .plot._axes import PALETTE

if TYPE_CHECKING:
    from .analysis.chains import ReferralForest, ReferralTree
    from .analysis.paths import IntroPath
    from .engine.graph import TrustGraph

__all__ = ["InteractiveView", "chain_view", "graph_view", "path_view"]

#: Beyond this many contacts a trust graph is shown on a sample (the owner's circle and the
#: contacts with the most trust), as the static map does: a browser lays out a few hundred well.
MAX_NODES = 300


@dataclass(frozen=True)
class Node:
    id: Hashable
    label: str
    hover: str
    colour: str
    size: float
    level: int | None = None


@dataclass(frozen=True)
class Edge:
    source: Hashable
    target: Hashable
    hover: str
    colour: str
    width: float


@dataclass(frozen=True)
class InteractiveView:
    """A self-contained interactive page (``html``); shown inline by Jupyter, saved by :meth:`save`."""

    html: str
    title: str
    height: int = 600

    def save(self, path: str | PathLike[str]) -> None:
        """Write the page to ``path`` (atomically); it opens offline in any browser."""
        atomic_write(path, lambda fh: fh.write(self.html.encode("utf-8")))

    def iframe(self, src: str | None = None) -> str:
        """An ``<iframe>`` of the view: of the file ``src`` when given, else of the page itself."""
        where = f'src="{html.escape(src)}"' if src else f'srcdoc="{html.escape(self.html)}"'
        return (f'<iframe {where} title="{html.escape(self.title)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{self.height + 20}px;border:1px solid #ddd"></iframe>')

    def _repr_html_(self) -> str:
        return self.iframe()

    def __repr__(self) -> str:
        return f"<InteractiveView: {self.title}>"


def _pyvis() -> Any:
    try:
        from pyvis.network import Network as PyvisNetwork
    except ImportError:
        raise RefgraphError("interactive views need pyvis: pip install 'refgraph[interactive]' "
                            "(or use .plot() for a static figure)") from None
    return PyvisNetwork


def _text(value: Any) -> str:
    # pyvis switches its tooltips to raw HTML when a title mentions "href": never let a name do so
    return str(value).replace("href", "hre\u200bf")


def render(nodes: Sequence[Node], edges: Sequence[Edge], *, title: str, directed: bool,
           left_to_right: bool = False, height: int = 600) -> InteractiveView:
    """The page of a graph drawn by vis-network, every resource inlined, nothing fetched."""
    view = _pyvis()(height=f"{height}px", width="100%", directed=directed, cdn_resources="in_line",
                    neighborhood_highlight=True, notebook=False)
    for n in nodes:
        extra = {} if n.level is None else {"level": n.level}
        view.add_node(str(n.id), label=_text(n.label), title=_text(n.hover), color=n.colour, size=n.size,
                      **extra)
    for e in edges:
        view.add_edge(str(e.source), str(e.target), title=_text(e.hover), color=e.colour, width=e.width)
    layout = ('"layout": {"hierarchical": {"enabled": true, "direction": "LR", "sortMethod": "directed", '
              '"levelSeparation": 240, "nodeSpacing": 60, "treeSpacing": 70}}, "physics": {"enabled": false},'
              if left_to_right else '"physics": {"stabilization": {"iterations": 300}},')
    view.set_options('{' + layout + ' "interaction": {"hover": true, "navigationButtons": true}, '
                     '"nodes": {"font": {"size": 14}}, "edges": {"smooth": false}}')
    page = view.generate_html(notebook=False)
    page = re.sub(r'<link[^>]*href="https?://[^"]*"[^>]*/?>\s*', "", page)  # bootstrap, from a CDN:
    page = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>\s*', "", page)  # only looks
    page = page.replace("<html>", '<!doctype html><html lang="en">', 1)
    # a view first laid out unseen (in a folded part of the report) fits itself once it is shown
    page = page.replace("</body>", _REFIT + "</body>", 1)
    return InteractiveView(page.replace("<h1></h1>", ""), title, height)


_REFIT = ('<script>window.addEventListener("resize", () => { if (typeof network !== "undefined") '
          '{ network.fit(); } });</script>')


def _who(name: str, organization: Any, kinds: Any) -> str:
    lines = [name]
    if organization:
        lines.append(str(organization))
    if kinds:
        lines.append(", ".join(sorted(str(k).replace("_", " ") for k in kinds)))
    return "\n".join(lines)


def graph_view(g: TrustGraph, *, max_nodes: int = MAX_NODES, height: int = 600) -> InteractiveView:
    """The trust graph: hover a contact for name, organisation and kinds, a relationship for its
    trust and the trust model's reason; the owner in pink; thicker lines are more trusted."""
    from .plot.layout import sample_nodes

    shown = g.subgraph(g.ids[sample_nodes(g, max_nodes)].tolist())
    ids = shown.ids.tolist()
    orgs, kinds = shown.node_values("organization"), shown.node_values("kinds")
    nodes = [Node(c, shown.name(c), _who(shown.name(c), orgs[i] if orgs else None, kinds[i] if kinds else None),
                  PALETTE["owner"] if c == g.owner else PALETTE["node"], 22 if c == g.owner else 12)
             for i, c in enumerate(ids)]
    edges = []
    for i, c in enumerate(ids):
        for k in range(shown.indptr[i], shown.indptr[i + 1]):
            j = int(shown.indices[k])
            if shown.directed or i < j:
                other, trust = ids[j], float(shown.edge_trust[k])
                reason = g.explain(c, other).summary
                edges.append(Edge(c, other, f"{shown.name(c)} – {shown.name(other)}\n{reason}", PALETTE["edge"],
                                  0.5 + 4 * trust))
    note = "" if len(ids) == len(g) else f" (showing {len(ids):,} of {len(g):,})"
    return render(nodes, edges, title=f"Trust network: {len(g):,} contacts{note}", directed=g.directed,
                  height=height)


def chain_view(chains: ReferralForest | ReferralTree, *, height: int = 600) -> InteractiveView:
    """Referral chains, generations left to right: hover a contact for name, generation and
    value won, a referral for its date and status; links coloured by status as in the figure."""
    G = chains.to_networkx()
    base = min((d["generation"] for _, d in G.nodes(data=True)), default=0)
    biggest = max((d["value"] for _, d in G.nodes(data=True)), default=0.0) or 1.0
    nodes = []
    for c, d in G.nodes(data=True):
        won = f"\nwon {d['value']:,.0f}" if d["value"] else ""
        colour = PALETTE["highlight"] if G.in_degree(c) == 0 else PALETTE["node"]
        nodes.append(Node(c, d["name"], f"{d['name']}\ngeneration {d['generation']}{won}", colour,
                          10 + 20 * (d["value"] / biggest) ** 0.5, d["generation"] - base))
    edges = [Edge(u, v, f"{G.nodes[u]['name']} referred {G.nodes[v]['name']}\n{d.get('date', '')} {d['status']}",
                  PALETTE.get(d["status"], PALETTE["open"]), 2.5) for u, v, d in G.edges(data=True)]
    return render(nodes, edges, title=f"Referral chains: {G.number_of_nodes():,} contacts", directed=True,
                  left_to_right=True, height=height)


def path_view(path: IntroPath, *, height: int = 320) -> InteractiveView:
    """A warm path, left to right: hover a contact for name and organisation, a link for its trust."""
    nodes = [Node(c, name, _who(name, org, None), PALETTE["owner"] if k == 0 else
                  PALETTE["highlight"] if k == len(path.contacts) - 1 else PALETTE["node"], 16, k)
             for k, (c, name, org) in enumerate(zip(path.contacts, path.names, path.organizations, strict=True))]
    edges = [Edge(u, v, f"{a} trusts {b}: {t:.0%}", PALETTE["edge"], 1 + 5 * t)
             for u, v, a, b, t in zip(path.contacts, path.contacts[1:], path.names, path.names[1:], path.link_trust,
                                      strict=False)]
    return render(nodes, edges, title=repr(path)[1:-1], directed=True, left_to_right=True, height=height)
