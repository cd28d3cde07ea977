"""How far referrals could spread: the distribution of a forecast's reach across runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._axes import PALETTE, axes, shorten

if TYPE_CHECKING:
    from ..analysis.forecast import ReferralForecast

__all__ = ["reach_distribution"]

_MAX_BARS = 60


def reach_distribution(forecast: ReferralForecast, ax: Any = None) -> Any:
    """Draw the share of runs reaching each number of contacts, with the expected reach and
    the 5–95 % range marked; returns the Axes.

    Small reaches get a bar each; wide ones are grouped into at most 60 bins.

    Examples
    --------
    >>> import refgraph as rg
    >>> from refgraph.analysis.forecast import simulate_referrals
    >>> g = rg.TrustGraph.from_edges(["hub"] * 4, ["a", "b", "c", "d"], [0.5] * 4)
    >>> ax = reach_distribution(simulate_referrals(g, "hub", runs=500, seed=0))
    >>> ax.get_xlabel()
    'contacts reached (seeds included)'
    """
    ax = axes(ax)
    reach = forecast.reach
    low, high = int(reach.min()), int(reach.max())
    width = max(1, int(np.ceil((high - low + 1) / _MAX_BARS)))
    edges = np.arange(low, high + width + 1, width) - 0.5
    counts, _ = np.histogram(reach, bins=edges)
    ax.bar(edges[:-1] + width / 2, counts / forecast.runs, width=0.9 * width, color=PALETTE["node"],
           label="share of runs")
    q = forecast.quantiles
    ax.axvspan(q[0.05], q[0.95], color=PALETTE["open"], alpha=0.15, label="5–95 % of runs")
    mean = forecast.expected_reach
    ax.axvline(mean, color=PALETTE["highlight"], linewidth=2,
               label=f"expected {mean:.3g} ± {forecast.standard_error:.2g}")
    seeds = ", ".join(shorten(name, 16) for name in forecast.seed_names[:3])
    more = f" and {len(forecast.seeds) - 3} more" if len(forecast.seeds) > 3 else ""
    ax.set_title(f"Referrals from {seeds}{more}: {forecast.runs} runs, p = {forecast.p:.3g}")
    ax.set_xlabel("contacts reached (seeds included)")
    ax.set_ylabel("share of runs")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
