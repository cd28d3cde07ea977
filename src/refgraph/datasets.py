"""The bundled sample network: a fictional seller's relationships, referrals and notes."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ._checks import count
from .errors import DataError
from .graph import TrustGraph
from .io.json import load
from .network import Network

__all__ = ["bitcoin_otc", "sample_network"]


def sample_network() -> Network:
    """A realistic fictional seller's network, owned by ``"me"`` (Sam Rivera).

    About 130 contacts of every kind across a dozen organisations, relationships with trust
    signals and scorecards, referral chains four generations deep (one started by a client
    who moved from Globex to Initech and kept referring), follow-up interactions and
    mentions of people not yet met. Each call returns a fresh copy.

    >>> import refgraph as rg
    >>> net = rg.sample_network()
    >>> net.owner, 100 <= len(net.contacts) <= 150
    ('me', True)
    """
    with resources.as_file(resources.files("refgraph") / "data" / "sample.json") as path:
        return load(path)


def bitcoin_otc(*, min_rating: int = 1) -> TrustGraph:
    """The Bitcoin OTC web of trust: 5,881 real traders who rated each other after trading.

    Members rated each other from -10 (total distrust) to +10 (total trust). Ratings of at
    least ``min_rating`` become directed trust ``rating / 10`` (so +10 is full trust);
    lower ones (distrust) are left out, since nobody asks a person they distrust for an
    introduction. Ids are the members' integer ids.

    Source: S. Kumar, F. Spezzano, V.S. Subrahmanian and C. Faloutsos, "Edge Weight
    Prediction in Weighted Signed Networks", ICDM 2016 (SNAP soc-sign-bitcoin-otc); cite it
    when you publish results on it.

    >>> g = bitcoin_otc()
    >>> g.directed, len(g), g.number_of_edges()
    (True, 5573, 32029)
    """
    min_rating = count(min_rating, "min_rating", low=-10, high=10)
    if not 1 <= min_rating <= 10:
        raise DataError("must be between 1 and 10", field="min_rating", value=min_rating)
    with resources.as_file(resources.files("refgraph") / "data" / "bitcoin_otc.csv") as path:
        rater, rated, rating = np.loadtxt(path, delimiter=",", dtype=np.int64, unpack=True, ndmin=2)
    keep = rating >= min_rating
    return TrustGraph.from_edges(rater[keep], rated[keep], rating[keep] / 10, directed=True)
