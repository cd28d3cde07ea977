"""Referral chains as diagrams: generations left to right, and how a chain grew."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._axes import PALETTE, axes, plain, shorten

if TYPE_CHECKING:
    from ..chains import ReferralForest, ReferralTree

__all__ = ["growth", "referral_chain"]

_GAP = 0.8  # blank rows between two chains of a forest
_OPEN = ("asked", "introduced", "met")


def _rows(G: Any) -> dict[Hashable, float]:
    """A row for every contact: leaves one after another (children by id), each referrer
    centred on its children, chains stacked with a gap. Iterative, so deep chains are fine."""
    row: dict[Hashable, float] = {}
    next_leaf = 0.0
    for root in sorted((c for c in G if G.in_degree(c) == 0), key=str):
        stack: list[tuple[Hashable, bool]] = [(root, False)]
        while stack:
            node, placed_children = stack.pop()
            kids = sorted(G.successors(node), key=str)
            if placed_children:
                row[node] = (row[kids[0]] + row[kids[-1]]) / 2
            elif not kids:
                row[node] = next_leaf
                next_leaf += 1
            else:
                stack.append((node, True))
                stack.extend((kid, False) for kid in reversed(kids))
        next_leaf += _GAP
    return row


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _colour(status: str | None) -> str:
    if status is None:
        return PALETTE["highlight"]
    return PALETTE["open"] if status in _OPEN else PALETTE[status]


def referral_chain(
    tree_or_forest: ReferralTree | ReferralForest,
    ax: Any = None,
    *,
    labels: bool | None = None,
    name_width: int = 16,
) -> Any:
    """Draw referral chains: generations left to right, one node per contact sized by the value
    its referral won, edges coloured by status (won, lost, open), chain starters in orange and
    contacts who changed organisation ringed and annotated; returns the Axes.

    Works on one :class:`~refgraph.chains.ReferralTree` or a whole
    :class:`~refgraph.chains.ReferralForest` (chains stacked). ``labels`` names every contact
    (default: when at most 60 are drawn; otherwise the chain starters, the movers and the ten
    largest wins); names are cut to ``name_width`` characters.

    >>> import refgraph as rg
    >>> from refgraph.chains import referral_chains
    >>> ax = referral_chain(referral_chains(rg.sample_network()).tree("marco.rossi"))
    >>> ax.get_title(loc="left")
    'Referral chain of Marco Rossi: 8 contacts, 4 generations, 85,500 won'
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from ..chains import ReferralTree

    G = tree_or_forest.to_networkx()
    forest = tree_or_forest.forest if isinstance(tree_or_forest, ReferralTree) else tree_or_forest
    row = _rows(G)
    nodes = list(row)
    top = [c for c in G if G.in_degree(c) == 0]
    gen = np.array([G.nodes[c]["generation"] for c in nodes])
    xy = np.column_stack([gen - gen.min(initial=0), [row[c] for c in nodes]]).astype(float).reshape(-1, 2)
    depth = int(xy[:, 0].max(initial=0))
    height = float(xy[:, 1].max(initial=0))
    ax = axes(ax, size=(min(6 + 2.2 * depth, 16), min(max(3.0, 0.28 * (height + 2)), 40)))

    edges = list(G.edges)
    if edges:
        where = {c: k for k, c in enumerate(nodes)}
        segments = np.array([[xy[where[u]], xy[where[v]]] for u, v in edges])
        ax.add_collection(LineCollection(segments, colors=[_colour(G.edges[e]["status"]) for e in edges],
                                         linewidths=1.6, zorder=1, gid="referrals"))
    value = np.array([G.nodes[c]["value"] for c in nodes])
    biggest = value.max(initial=0.0)
    sizes = 40 + (420 * np.sqrt(value / biggest) if biggest > 0 else 0 * value)
    colours = [_colour(G.nodes[c]["status"]) if G.in_degree(c) else PALETTE["highlight"] for c in nodes]
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="white", linewidths=0.8, zorder=2, gid="contacts")
    movers = [k for k, c in enumerate(nodes) if c in forest.moves]
    if movers:
        ax.scatter(xy[movers, 0], xy[movers, 1], s=sizes[movers] + 160, facecolors="none",
                   edgecolors=PALETTE["owner"], linewidths=2, zorder=3, gid="role moves")

    show_all = len(nodes) <= 60 if labels is None else labels
    largest = np.argsort(-value, kind="stable")[:10]
    wins = set(largest[value[largest] > 0].tolist())
    for k, c in enumerate(nodes):
        moved = forest.moves.get(c)
        if not (show_all or G.in_degree(c) == 0 or moved or k in wins):
            continue
        text = shorten(G.nodes[c]["name"], name_width)
        if moved:
            text += "\nmoved " + " → ".join(shorten(org, 14) for org in moved)
        ax.annotate(text, xy[k], xytext=(np.sqrt(sizes[k]) / 2 + 3, 0), textcoords="offset points", va="center",
                    fontsize=7.5, zorder=4, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                  "alpha": 0.85})

    ax.set_xlim(-0.2, depth + 0.8)
    ax.set_ylim(height + 0.8, -0.8)
    ax.set_xticks(range(depth + 1), [str(g) for g in range(depth + 1)])
    ax.set_xlabel("generation")
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    won = sum(G.nodes[c]["value"] for c in G if G.in_degree(c))
    if isinstance(tree_or_forest, ReferralTree):
        title = (f"Referral chain of {plain(forest.name(tree_or_forest.root))}: {_count(len(nodes), 'contact')}, "
                 f"{_count(depth, 'generation')}, {won:,.0f} won")
    else:
        title = f"Referral chains: {_count(len(top), 'chain')}, {_count(len(nodes), 'contact')}, {won:,.0f} won"
    ax.set_title(title, loc="left")
    handles = [Line2D([], [], color=_colour(s), linewidth=2, label=s) for s in ("won", "lost")]
    handles.append(Line2D([], [], color=PALETTE["open"], linewidth=2, label="open"))
    handles.append(Line2D([], [], marker="o", linestyle="", color=PALETTE["highlight"], label="started a chain"))
    if movers:
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor=PALETTE["owner"], markeredgewidth=2, label="changed organisation"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5, frameon=False,
              title="node size: value won", title_fontsize=7.5)
    return ax


def growth(tree: ReferralTree, ax: Any = None) -> Any:
    """Contacts per generation (bars) and the K-factor (line, right axis; above 1 the chain
    grows) of one :class:`~refgraph.chains.ReferralTree`; returns the Axes with the bars.

    >>> import refgraph as rg
    >>> from refgraph.chains import referral_chains
    >>> ax = growth(referral_chains(rg.sample_network()).tree("marco.rossi"))
    >>> ax.get_title(), [int(b.get_height()) for b in ax.patches]
    ('Growth of the chain started by Marco Rossi', [1, 1, 2, 3, 1])
    """
    from matplotlib.ticker import MaxNLocator

    rows = list(tree.growth())
    ax = axes(ax, size=(7, 4))
    gens = np.array([r.generation for r in rows])
    ax.bar(gens, [r.contacts for r in rows], color=PALETTE["node"], label="contacts")
    ax.set_xlabel("generation")
    ax.set_ylabel("contacts")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(gens, [str(g) for g in gens])
    k = ax.twinx()
    k.plot(gens, [r.k_factor for r in rows], color=PALETTE["edge"], marker="o", label="K-factor")
    k.axhline(1.0, color="grey", linestyle="--", linewidth=0.8, label="K = 1: each generation replaces itself")
    k.set_ylabel("K-factor (referrals made ÷ contacts)")
    k.set_ylim(0, max(1.2, *(r.k_factor * 1.15 for r in rows)))
    ax.set_title(f"Growth of the chain started by {plain(tree.forest.name(tree.root))}")
    bars, line = ax.get_legend_handles_labels(), k.get_legend_handles_labels()
    ax.legend(bars[0] + line[0], bars[1] + line[1], loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3,
              fontsize=8, frameon=False)
    return ax
