"""A ranking as horizontal bars: the best at the top, each bar labelled with its value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._axes import PALETTE, axes, shorten

__all__ = ["ranking"]


def ranking(
    labels: Sequence[str],
    values: Sequence[float],
    ax: Any = None,
    *,
    title: str | None = None,
    xlabel: str = "score",
) -> Any:
    """Draw ``values`` (best first) as horizontal bars named by ``labels``; returns the Axes.

    Long names are shortened on the axis. Results such as
    :func:`~refgraph.analysis.influence.centrality` draw themselves with this through ``.plot()``.

    >>> from refgraph.plot.ranking import ranking
    >>> ax = ranking(["Ana Silva", "Ben Okafor"], [0.42, 0.17], title="PageRank")
    >>> [(t.get_text(), int(t.get_position()[1])) for t in ax.get_yticklabels()]  # the best on top
    [('Ana Silva', 1), ('Ben Okafor', 0)]
    """
    ax = axes(ax, size=(7, 0.8 + 0.32 * max(len(values), 1)))
    positions = range(len(values) - 1, -1, -1)  # the first value on top
    bars = ax.barh(list(positions), list(values), color=PALETTE["node"])
    if len(values):
        bars.patches[0].set_color(PALETTE["highlight"])
    ax.bar_label(bars, labels=[f"{v:.3g}" for v in values], padding=3, fontsize=8)
    ax.set_yticks(list(positions), [shorten(str(label)) for label in labels])
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
