"""The bundled sample network: a fictional seller's relationships, referrals and notes."""

from __future__ import annotations

from importlib import resources

from .io.json import load
from .network import Network

__all__ = ["sample_network"]


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
