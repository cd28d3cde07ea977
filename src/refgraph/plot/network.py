"""The trust graph as a map: who trusts whom, with the centres of influence marked."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np

from ..engine.graph import TrustGraph
from ._axes import PALETTE, axes, shorten
from .layout import sample_nodes, spring

__all__ = ["network"]


def network(
    g: TrustGraph,
    ax: Any = None,
    *,
    highlight: Iterable[Hashable] = (),
    top: int = 0,
    max_nodes: int = 300,
    labels: bool | None = None,
    seed: int = 0,
) -> Any:
    """Draw the trust graph: edge width and darkness by trust, the owner and the contacts in
    ``highlight`` marked and named; returns the Axes. ``top`` also marks that many centres of
    influence (from :func:`refgraph.centres_of_influence`).

    A graph larger than ``max_nodes`` is drawn on a sample (the owner's circle and the
    contacts with the most trust) and the figure says so. Edges are one LineCollection, so
    thousands of them draw quickly. ``labels`` names every drawn contact (default: only when
    at most 40 are drawn; the owner and highlighted contacts are always named).

    >>> import refgraph as rg
    >>> g = rg.sample_network().trust_graph()
    >>> ax = rg.plot.network(g, highlight=["ana.silva"])
    >>> ax.get_title()
    'Trust network: 109 contacts, 240 relationships'
    """
    from matplotlib.collections import LineCollection

    ax = axes(ax, size=(8.4, 6.6))
    keep = sample_nodes(g, max_nodes)
    degree = np.diff(g.indptr) + np.bincount(g.indices, minlength=len(g))
    alone = int((degree[keep] == 0).sum())
    keep = keep[degree[keep] > 0]  # contacts without relationships would only squash the map
    shown = g.subgraph(g.ids[keep].tolist())
    pos = spring(shown, seed)
    ids = shown.ids.tolist()
    xy = np.array([pos[c] for c in ids]) if ids else np.zeros((0, 2))
    rows = np.repeat(np.arange(len(ids)), np.diff(shown.indptr))
    cols = shown.indices
    once = rows < cols if not shown.directed else np.ones(len(rows), dtype=bool)
    trust = shown.edge_trust[once]
    segments = np.stack([xy[rows[once]], xy[cols[once]]], axis=1) if len(ids) else np.zeros((0, 2, 2))
    if len(segments):
        ax.add_collection(LineCollection(
            list(segments), linewidths=0.3 + 2.2 * trust, colors=PALETTE["edge"], alpha=0.15 + 0.6 * trust, zorder=1,
        ))
    if top > 0:
        from ..analysis.influence import centres_of_influence

        highlight = [*highlight, *(row.contact for row in centres_of_influence(g, top=top))]
    marked = {c for c in highlight if c in shown}
    colours = [PALETTE["owner"] if c == g.owner else PALETTE["highlight"] if c in marked else PALETTE["node"]
               for c in ids]
    sizes = [160 if c == g.owner or c in marked else 40 for c in ids]
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="white", linewidths=0.6, zorder=2)
    show_all = len(ids) <= 40 if labels is None else labels
    for c, (x, y) in zip(ids, xy, strict=True):
        if show_all or c == g.owner or c in marked:
            ax.annotate(shorten(g.name(c), 24), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8,
                        zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_title(f"Trust network: {len(g):,} contacts, {g.number_of_edges():,} relationships")
    notes = []
    if len(keep) + alone < len(g):
        notes.append(f"showing {len(keep):,} of {len(g):,} contacts: the owner's circle and the contacts "
                     "with the most trust")
    if alone:
        notes.append(f"{alone} contact{'s' if alone > 1 else ''} without relationships not drawn")
    if notes:
        ax.text(0.01, 0.01, "; ".join(notes), transform=ax.transAxes, fontsize=8, color="grey")
    ax.autoscale()
    ax.set_axis_off()
    _legend(ax, g.owner in shown if g.owner is not None else False, bool(marked), "centre of influence" if top else
            "highlighted")
    return ax


def _legend(ax: Any, owner: bool, marked: bool, marked_label: str) -> None:
    """What the colours and line widths mean."""
    from matplotlib.lines import Line2D

    def dot(colour: str, size: float, label: str) -> Line2D:
        return Line2D([], [], marker="o", linestyle="", markersize=size, color=colour, markeredgecolor="white",
                      label=label)

    handles = [dot(PALETTE["owner"], 11, "you (the owner)")] if owner else []
    if marked:
        handles.append(dot(PALETTE["highlight"], 11, marked_label))
    handles.append(dot(PALETTE["node"], 6, "contact"))
    handles += [Line2D([], [], color=PALETTE["edge"], linewidth=0.3 + 2.2 * t, alpha=0.15 + 0.6 * t,
                       label=f"trust {t:.0%}") for t in (0.2, 0.5, 0.9)]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), fontsize=8,
              frameon=False, handlelength=1.6, columnspacing=1.0)
