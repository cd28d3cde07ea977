"""Referrals must never run in a circle: a check that stays cheap as chains grow long.

Who referred whom is a directed acyclic graph. :class:`ReferralOrder` keeps a topological
order of it (Pearce and Kelly's dynamic algorithm): a referral from a contact that comes
earlier in the order to one that comes later cannot close a cycle and costs nothing; only a
referral against the order searches, and only between the two contacts' places in it. Chains
added oldest first or newest first, and second referrals out of the middle of a 100,000-long
chain, all cost little. :func:`find_cycle` checks a whole table of referrals at once.

>>> order = ReferralOrder()
>>> order.add("ana", "ben"), order.add("ben", "raj")
(None, None)
>>> order.add("raj", "ana")
['raj', 'ana', 'ben', 'raj']
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["ReferralOrder", "has_cycle"]


class ReferralOrder:
    """Referrals added one at a time, each refused if it would close a cycle."""

    def __init__(self) -> None:
        self._rank: dict[Hashable, int] = {}
        self._low, self._high = 0, -1
        #: How many contacts the searches for cycles have visited, in all (a measure of the work).
        self.visited = 0
        self._down: dict[Hashable, list[Hashable]] = {}
        self._up: dict[Hashable, list[Hashable]] = {}

    def _place(self, contact: Hashable, *, first: bool) -> int:
        """The contact's place; one seen for the first time goes before everyone (``first``)
        or after everyone, where no referral of it can go against the order."""
        rank = self._rank.get(contact)
        if rank is None:
            if first:
                self._low -= 1
                rank = self._rank[contact] = self._low
            else:
                self._high += 1
                rank = self._rank[contact] = self._high
        return rank

    def add(self, referrer: Hashable, referred: Hashable) -> list[Hashable] | None:
        """Add ``referrer -> referred``; if it would close a cycle, add nothing and return the
        cycle (``[referrer, referred, ..., referrer]``), else ``None``."""
        low, high = self._place(referred, first=False), self._place(referrer, first=True)
        if high >= low:  # against the order: search the contacts placed between the two
            found: dict[Hashable, Hashable | None] = {referred: None}
            stack = [referred]
            while stack:
                node = stack.pop()
                for nxt in self._down.get(node, ()):
                    if nxt == referrer:
                        chain = [referrer, node]
                        while found[chain[-1]] is not None:
                            chain.append(found[chain[-1]])
                        return [referrer, *reversed(chain[1:]), referrer]
                    if nxt not in found and self._rank[nxt] < high:
                        found[nxt] = node
                        stack.append(nxt)
            back = {referrer}
            stack = [referrer]
            while stack:
                node = stack.pop()
                for prev in self._up.get(node, ()):
                    if prev not in back and self._rank[prev] > low:
                        back.add(prev)
                        stack.append(prev)
            self.visited += len(found) + len(back)
            moved = sorted(back, key=self._rank.__getitem__) + sorted(found, key=self._rank.__getitem__)
            for contact, rank in zip(moved, sorted(self._rank[c] for c in moved), strict=True):
                self._rank[contact] = rank
        self._down.setdefault(referrer, []).append(referred)
        self._up.setdefault(referred, []).append(referrer)
        return None


def has_cycle(referrers: np.ndarray, referred: np.ndarray, n: int) -> bool:
    """Whether the referrals between contact positions (``0 .. n-1``) contain a cycle.

    A directed graph without self-loops has a cycle exactly when one of its strongly
    connected components holds more than one contact.

    >>> has_cycle(np.array([0, 1]), np.array([1, 2]), 3), has_cycle(np.array([0, 1]), np.array([1, 0]), 2)
    (False, True)
    """
    if len(referrers) == 0:
        return False
    graph = sp.csr_array((np.ones(len(referrers), dtype=np.int8), (referrers, referred)), shape=(n, n))
    count, labels = connected_components(graph, directed=True, connection="strong")
    return bool(count < n and np.bincount(labels).max() > 1)
