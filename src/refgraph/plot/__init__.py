"""refgraph's drawings, with matplotlib (imported only when a figure is drawn).

Every function takes ``ax=None``: without one it makes a new figure; it returns the Axes it
drew on and never calls ``plt.show()``. Layout (where nodes go) lives in
:mod:`refgraph.plot.layout`, apart from the drawing.
"""

from __future__ import annotations

from .chains import growth, referral_chain
from .forecast import reach_distribution
from .network import network
from .path import path
from .ranking import ranking
from .scorecard import scorecard

__all__ = ["growth", "network", "path", "ranking", "reach_distribution", "referral_chain", "scorecard"]
