"""Referral chains as diagrams: generations left to right, and how a chain grew."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._axes import PALETTE, axes, plain, shorten

if TYPE_CHECKING:
    from ..analysis.chains import ReferralForest, ReferralTree

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
    name_width: int | None = None,
    width: float = 8.4,
) -> Any:
    """Draw referral chains: generations left to right, one node per contact sized by the value
    its referral won (with a size key), links coloured by status (won, lost, open), chain
    starters in orange and contacts who changed organisation ringed and annotated; returns the
    Axes.

    Works on one :class:`~refgraph.analysis.chains.ReferralTree` or a whole
    :class:`~refgraph.analysis.chains.ReferralForest` (chains stacked). ``labels`` names every contact
    (default: when at most 60 are drawn; otherwise the chain starters, the movers and the ten
    largest wins). Names are written in full above their link, which bends just before the
    next generation so no line runs through a name; ``name_width`` cuts them to that many
    characters. A new figure is ``width`` inches wide (8.4 fits a report's column at 110 dpi)
    and as tall as its rows need.

    >>> import refgraph as rg
    >>> from refgraph.analysis.chains import referral_chains
    >>> ax = referral_chain(referral_chains(rg.sample_network()).tree("marco.rossi"))
    >>> ax.get_title(loc="left")
    'Referral chain of Marco Rossi: 8 contacts, 4 generations, 85,500 won'
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.transforms import offset_copy

    from ..analysis.chains import ReferralTree

    G = tree_or_forest.to_networkx()
    forest = tree_or_forest.forest if isinstance(tree_or_forest, ReferralTree) else tree_or_forest
    row = _rows(G)
    nodes = list(row)
    top = [c for c in G if G.in_degree(c) == 0]
    gen = np.array([G.nodes[c]["generation"] for c in nodes])
    xy = np.column_stack([gen - gen.min(initial=0), [row[c] for c in nodes]]).astype(float).reshape(-1, 2)
    depth = int(xy[:, 0].max(initial=0))
    height = float(xy[:, 1].max(initial=0))
    ax = axes(ax, size=(width, min(max(3.0, 0.34 * (height + 3)), 60)))

    edges = list(G.edges)
    if edges:  # out of the parent along its row, bending just before the next generation, so the names
        # (above the rows) are never crossed; a trunk shared by several referrals is thin and dark
        where = {c: k for k, c in enumerate(nodes)}
        bend = {(u, v): xy[where[v]][0] - 0.12 for u, v in edges}
        shared = [u for u in G if G.out_degree(u) > 1]
        ax.add_collection(LineCollection([[xy[where[u]], (xy[where[u]][0] + 0.88, xy[where[u]][1])] for u in shared],
                                         colors="#444444", linewidths=1.0, zorder=1, gid="trunks"))
        segments = [[xy[where[u]] if G.out_degree(u) == 1 else (bend[u, v], xy[where[u]][1]),
                     (bend[u, v], xy[where[u]][1]), (bend[u, v], xy[where[v]][1]), xy[where[v]]] for u, v in edges]
        ax.add_collection(LineCollection(segments, colors=[_colour(G.edges[e]["status"]) for e in edges],
                                         linewidths=1.6, zorder=1, gid="referrals"))
    value = np.array([G.nodes[c]["value"] for c in nodes])
    biggest = value.max(initial=0.0)

    def size(v: Any) -> Any:
        return 30 + (300 * np.sqrt(np.asarray(v) / biggest) if biggest > 0 else 0 * np.asarray(v))

    sizes = size(value)
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
        name = G.nodes[c]["name"]
        above = np.sqrt(sizes[k]) / 2 + 1
        left = np.sqrt(sizes[k] + 160) / 2 + 1 if moved else -3  # clear of a mover's ring
        ax.annotate(plain(name) if name_width is None else shorten(name, name_width), xy[k], xytext=(left, above),
                    textcoords="offset points", ha="left", va="bottom", fontsize=8, zorder=4)
        if moved:  # below the node, clear of the names and links of the next generation
            ax.annotate(plain("moved " + " → ".join(moved)), xy[k], xytext=(left, -above - 1), textcoords="offset points",
                        ha="left", va="top", fontsize=7.5, color=PALETTE["owner"], zorder=4)

    ax.set_xlim(-0.15, depth + 0.95)
    ax.set_ylim(height + 0.6, -1.0)
    ax.set_xticks(range(depth + 1), [str(g) for g in range(depth + 1)])
    ax.set_xlabel("generation (0: started the chain, 1: referred by them, 2: referred by those ...)")
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
    handles = [Line2D([], [], color=_colour(s), linewidth=2, label=f"referral {s}") for s in ("won", "lost")]
    handles.append(Line2D([], [], color=PALETTE["open"], linewidth=2, label="referral still open"))
    handles.append(Line2D([], [], marker="o", linestyle="", color=PALETTE["highlight"], label="started a chain"))
    if movers:
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor=PALETTE["owner"], markeredgewidth=2, label="changed organisation"))
    if biggest > 0:  # the size key: what a node's area says it won
        for amount in _key_values(biggest):
            handles.append(Line2D([], [], marker="o", linestyle="", color=PALETTE["won"],
                                  markersize=float(np.sqrt(size(amount))), label=f"won {amount:,.0f}"))
    below = offset_copy(ax.transAxes, fig=ax.figure, y=-36, units="points")  # under the axis and its label
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=4,
              fontsize=8, frameon=False, title="node size: value its referral won", title_fontsize=8)
    return ax


def _key_values(biggest: float) -> list[float]:
    """Round amounts for the size key: the largest win rounded down to one significant digit,
    and a tenth of it.

    >>> _key_values(43_500.0)
    [4000.0, 40000.0]
    """
    step = 10 ** np.floor(np.log10(biggest))
    top = float(np.floor(biggest / step) * step)
    return [top / 10, top]


def growth(tree: ReferralTree, ax: Any = None) -> Any:
    """Contacts per generation (bars) and the K-factor (line, right axis; above 1 the chain
    grows) of one :class:`~refgraph.analysis.chains.ReferralTree`; returns the Axes with the bars.

    >>> import refgraph as rg
    >>> from refgraph.analysis.chains import referral_chains
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
