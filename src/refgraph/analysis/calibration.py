"""Calibrate the cascade model on the seller's own history: fit ``p`` from the referrals made.

Examples
--------
>>> import refgraph as rg
>>> fit = rg.calibrate(rg.sample_network())
>>> 0 < fit.p < 1 and fit.referrals > 0
True
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DataError
from ..records.network import as_network

if TYPE_CHECKING:
    from ..records.network import Network
    from ..records.trust import TrustModel

__all__ = ["Calibration", "calibrate"]

@dataclass(frozen=True)
class Calibration:
    """The fit of ``p`` to a network's referral history (see :func:`calibrate`).

    Attributes
    ----------
    p : float
        Maximum-likelihood chance that a fully trusted relationship passes a referral on.
    standard_error : float
        From the observed information (the curvature of the log-likelihood at ``p``).
    log_likelihood : float
        At ``p``.
    links : int
        Relationships, each one trial.
    referrals : int
        Relationships that carried at least one referral (the successes).
    unlinked : int
        Referrals between contacts with no relationship from referrer to referred (not used).
    expected_referrals : float
        ``p`` times the links' total trust: the referring links the fit expects.
    pseudo_r2 : float
        McFadden's pseudo-R² against a model where every link refers at the same rate,
        ignoring trust: above 0 when trust tells referring links apart, below 0 when it misleads.
    as_of : datetime.date or None
        The day the trust was read and after which referrals were ignored.
    """

    p: float
    standard_error: float
    log_likelihood: float
    links: int
    referrals: int
    unlinked: int
    expected_referrals: float
    pseudo_r2: float
    as_of: dt.date | None

    def __str__(self) -> str:
        return (f"p = {self.p:.3g} ± {self.standard_error:.2g} from {self.referrals} referring links of "
                f"{self.links} (expected {self.expected_referrals:.1f}); log-likelihood "
                f"{self.log_likelihood:.2f}, pseudo-R² {self.pseudo_r2:.2f}"
                + (f"; {self.unlinked} referral{'' if self.unlinked == 1 else 's'} off any relationship"
                   if self.unlinked else ""))

    def _repr_html_(self) -> str:
        return f"<p><b>Calibration</b>: {html.escape(str(self))}</p>"


def _log_likelihood(p: float, hit: np.ndarray, miss: np.ndarray) -> float:
    return float(len(hit) * math.log(p) + np.log(hit).sum() + np.log1p(-p * miss).sum())


def calibrate(net: Network, *, as_of: dt.date | str | None = None, model: TrustModel | None = None) -> Calibration:
    """Fit ``p`` by maximum likelihood from the referrals the network records.

    Every relationship is one trial, as in a cascade: whoever of the two was reached first
    could refer the other (a directed relationship only from its source). It succeeded if a
    referral along it was made by ``as_of`` (once or more), with probability ``p * trust``, and
    failed otherwise. The log-likelihood ``S log p + Σ log trust_s + Σ log(1 - p trust_f)`` has
    one maximum in ``p``, found by Brent's method; it is 1 when even ``p = 1`` does not explain
    the successes.

    Parameters
    ----------
    net : Network
    as_of : date or ISO string, optional
        Trust is read on this day and later referrals ignored (default: the latest date recorded).
    model : TrustModel, optional
        The trust model the forecasts will use (default ``TrustModel()``), as for
        :meth:`Network.trust_graph <refgraph.Network.trust_graph>`.

    Returns
    -------
    Calibration
        ``p``, its standard error, the log-likelihood, the counts of links, referring links and
        unlinked referrals, the expected number of referring links and a pseudo-R².

    Raises
    ------
    RefgraphError
        A network with no relationship, or no referral by ``as_of`` along one: it has no
        referral history to learn from.

    Examples
    --------
    >>> import refgraph as rg
    >>> fit = calibrate(rg.sample_network())
    >>> 0 < fit.p < 1, fit.referrals <= fit.links
    (True, True)
    >>> net = rg.Network(owner="me", contacts=[rg.Contact(id=c, name=c) for c in ("me", "ana", "ben")])
    >>> _ = net.add(rg.Relationship(source="me", target="ana", kind="client", trust=0.5),
    ...             rg.Relationship(source="me", target="ben", kind="client", trust=1.0),
    ...             rg.Referral(referrer="ana", referred="me", date="2024-01-05", status="won"))
    >>> round(calibrate(net).p, 6)                      # maximises log(0.5 p) + log(1 - p)
    0.5
    """
    net = as_network(net)
    from scipy.optimize import brentq

    from ..records.trust import TrustModel

    as_of = net.resolve_as_of(as_of)
    links = net.relationships
    if not links:
        raise DataError("the network has no relationships, so no referral history to calibrate on",
                        field="relationships")
    trust = (model or TrustModel()).trust_many(links, as_of)
    position = {id(rel): i for i, rel in enumerate(links)}
    made = [r for r in net.referrals if as_of is None or r.date <= as_of]
    success = np.zeros(len(links), dtype=bool)
    unlinked = 0
    for referral in made:
        rel = net.relationship(referral.referrer, referral.referred)
        if rel is None:
            unlinked += 1
        else:
            success[position[id(rel)]] = True
    if not success.any():
        when = "" if as_of is None else f" by {as_of}"
        raise DataError(f"no referral{when} runs along a relationship ({len(made)} referrals recorded), "
                        "so there is no referral history to calibrate on", field="referrals")
    hit, miss = trust[success], trust[~success]
    s = len(hit)

    def slope(p: float) -> float:
        return float(s / p - (miss / (1.0 - p * miss)).sum())

    top = 1.0 if not len(miss) or miss.max() < 1.0 else 1.0 - 1e-12
    p = top if slope(top) >= 0 else float(brentq(slope, 1e-12, top, xtol=1e-14))
    information = s / p**2 + float((miss**2 / (1.0 - p * miss) ** 2).sum())
    ll = _log_likelihood(p, hit, miss)
    rate = s / len(trust)
    null = s * math.log(rate) + (len(trust) - s) * math.log1p(-rate) if rate < 1 else 0.0
    return Calibration(
        p=p, standard_error=1.0 / math.sqrt(information), log_likelihood=ll, links=len(trust), referrals=s,
        unlinked=unlinked, expected_referrals=p * float(trust.sum()),
        pseudo_r2=1.0 - ll / null if null < 0 else 0.0, as_of=as_of,
    )
