"""A warm path drawn as a chain of introductions, each link labelled with its trust."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._axes import PALETTE, axes, plain, shorten

if TYPE_CHECKING:
    from ..analysis.paths import IntroPath

__all__ = ["path"]


def path(intro_path: IntroPath, ax: Any = None) -> Any:
    """Draw ``intro_path`` left to right: the seller, each introducer, the target; each link's
    width and label show its trust, and the weakest link is marked. Returns the Axes.

    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["sam", "ana"], ["ana", "raj"], [0.9, 0.5], owner="sam")
    >>> ax = rg.plot.path(rg.warm_paths(g, "raj")[0])
    >>> ax.get_title()
    'Warm path to raj: 45% over 2 links'
    """
    p = intro_path
    ax = axes(ax, size=(2.2 * (p.hops + 1), 2.6))
    weakest = p.weakest_link
    for i, link in enumerate(p.links):
        colour = PALETTE["lost"] if link == weakest else PALETTE["edge"]
        ax.annotate("", xy=(i + 1, 0), xytext=(i, 0),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1 + 6 * link.trust,
                                "shrinkA": 22, "shrinkB": 22})
        note = f"{link.trust:.0%}" + ("\nweakest" if link == weakest else "")
        ax.text(i + 0.5, 0.12, note, ha="center", va="bottom", fontsize=9, color=colour)
    colours = [PALETTE["owner"]] + [PALETTE["node"]] * (p.hops - 1) + [PALETTE["highlight"]]
    ax.scatter(range(p.hops + 1), [0] * (p.hops + 1), s=900, c=colours, zorder=3, edgecolors="white")
    for i, (name, org) in enumerate(zip(p.names, p.organizations, strict=True)):
        label = shorten(name, 16) + (f"\n{shorten(org, 18)}" if org else "")
        ax.text(i, -0.22, label, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.6, p.hops + 0.6)
    ax.set_ylim(-0.55, 0.45)
    ax.set_axis_off()
    ax.set_title(f"Warm path to {plain(p.names[-1])}: {p.trust:.0%} over {p.hops} link{'s' * (p.hops != 1)}")
    return ax
