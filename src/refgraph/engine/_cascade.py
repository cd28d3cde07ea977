"""The cascade engine behind forecasts: independent cascades on CSR arrays, one world at a time.

A *world* is one Monte Carlo run. Each arc's coin in it is a counter-based hash of ``(world,
arc, salt)`` (SplitMix64), so run ``r`` of every forecast with the same seed sees the same
world: common random numbers for fair comparisons between seed sets. The cascades run in
compiled kernels (:mod:`._cascade_kernels`, numba, loaded when a cascade first runs), breadth
first and node by node, with memory for one world's cascade at a time; this module says what
they run. :func:`tally` counts a forecast's runs; :class:`Worlds` evaluates seed sets over
fixed worlds (CELF's lazy greedy in :func:`celf`); :class:`ReverseSets` samples
reverse-reachable sets (Borgs et al. 2014) for large graphs.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import numpy as np

from .graph import TrustGraph

__all__ = ["Arcs", "ReverseSets", "Tally", "Worlds", "celf", "salt", "tally"]

#: Work (arcs looked at, plus contacts reached) after which a kernel comes back: 0.1-0.3 s of it.
_WORK = 1 << 24
#: Most (RR set, contact) entries the reverse-reachable method keeps.
_RR_ENTRIES = 50_000_000
_ONE = float(1 << 53)  # coins are 53-bit integers; an arc is live when its coin is below p * trust * 2**53


def _kernels() -> ModuleType:
    from . import _cascade_kernels  # numba is imported here, when a cascade first runs

    return _cascade_kernels


def _limit(max_generations: int | None) -> int:
    return -1 if max_generations is None else min(max_generations, 2**62)  # deeper than any graph


def salt(rng: np.random.Generator) -> np.uint64:
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))


@dataclass(frozen=True)
class Arcs:
    """A graph's arcs for cascades: an arc passes a referral in a world when its coin is below
    ``floor(p * trust * 2**53)``."""

    indptr: np.ndarray
    indices: np.ndarray
    trust: np.ndarray
    p: float
    salt: np.uint64

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def of(cls, g: TrustGraph, p: float, salt: np.uint64) -> Arcs:
        kind = np.int32 if max(len(g), g.indptr[-1]) < 2**31 else np.int64  # half the memory traffic
        return cls(g.indptr.astype(kind, copy=False), g.indices.astype(kind, copy=False), g.edge_trust, p, salt)

    @cached_property
    def kernel(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.uint64]:
        """The arcs as the kernels take them: ``(indptr, indices, trust, p * 2**53, salt)``."""
        return self.indptr, self.indices, self.trust, self.p * _ONE, self.salt


@dataclass(frozen=True)
class Tally:
    """What a forecast's runs reached: contacts per run (``reach``) and per generation, and for
    each contact the runs that reached it (``hits``) and the sum of the generations it came in."""

    reach: np.ndarray
    per_generation: np.ndarray
    hits: np.ndarray
    generation_sums: np.ndarray


def tally(arcs: Arcs, sources: np.ndarray, runs: int, max_generations: int | None, bar: Any) -> Tally:
    """Run worlds ``0 .. runs - 1`` from ``sources`` and count what they reach; ``bar`` is told
    of the runs as they finish."""
    kernels = _kernels()
    n = arcs.n
    reach = np.zeros(runs, dtype=np.int64)
    per_generation = np.zeros(n if max_generations is None else min(n, max_generations + 1), dtype=np.int64)
    hits = np.zeros(n, dtype=np.int64)
    generation_sums = np.zeros(n, dtype=np.int64)
    start = generations = 0
    while start < runs:
        stop, deepest = kernels.tally(arcs.kernel, sources, start, runs, _limit(max_generations), _WORK,
                                      reach, per_generation, hits, generation_sums)
        bar.update(stop - start)
        start, generations = stop, max(generations, deepest)
    return Tally(reach, per_generation[:generations], hits, generation_sums)


class Worlds:
    """Reach over ``runs`` fixed worlds (run ``r`` of :func:`simulate_referrals` is world ``r``)."""

    def __init__(self, arcs: Arcs, runs: int, max_generations: int | None) -> None:
        self.arcs = arcs
        self.runs = runs
        self.max_generations = max_generations

    def singles(self, candidates: np.ndarray, bar: Any) -> np.ndarray:
        """Total reach over the worlds of each candidate alone: each world's referring
        relationships are drawn once, then every candidate's cascade runs on them."""
        kernels = _kernels()
        totals = np.zeros(len(candidates), dtype=np.int64)
        for w in range(self.runs):
            kernels.singles(self.arcs.kernel, w, candidates, _limit(self.max_generations), totals)
            bar.update()
        return totals

    def reached(self, sources: np.ndarray, blocked: np.ndarray | None = None) -> np.ndarray:
        """Keys ``world * n + contact`` reached from ``sources`` in every world, world by world,
        not counting (or expanding) the sorted keys in ``blocked``."""
        kernels = _kernels()
        blocked = np.zeros(0, dtype=np.int64) if blocked is None else blocked
        found = []
        start = 0
        while start < self.runs:
            start, keys = kernels.reached_keys(self.arcs.kernel, sources, start, self.runs,
                                               _limit(self.max_generations), _WORK, blocked)
            found.append(keys)
        return np.concatenate(found)


def celf(worlds: Worlds, candidates: np.ndarray, k: int, bar: Any) -> tuple[list[int], list[int]]:
    """Lazy greedy (CELF): picks and their marginal gains (summed over the worlds).

    A candidate's last gain bounds its gain now (the estimate is a coverage function, so
    submodular); only the top of the queue is re-evaluated. Equal gains go to the lower index.
    ``bar`` is told of each world of the first round and of each pick.
    """
    unlimited = worlds.max_generations is None
    heap = [(-int(t), int(v), 0) for v, t in zip(candidates, worlds.singles(candidates, bar), strict=True)]
    heapq.heapify(heap)
    picks: list[int] = []
    gains: list[int] = []
    reached = np.zeros(0, dtype=np.int64)
    total = 0
    adds: dict[int, np.ndarray] = {}  # what each candidate evaluated this round would add
    while len(picks) < k:
        neg, v, stamp = heapq.heappop(heap)
        if stamp < len(picks) or (unlimited and v not in adds):
            if unlimited:  # what v adds: its cascade with everything already reached blocked
                adds[v] = worlds.reached(np.array([v]), reached)
                gain = len(adds[v])
            else:  # hop limits make the reached set not closed under reaching: run everyone again
                gain = len(worlds.reached(np.array([*picks, v]))) - total
            heapq.heappush(heap, (-gain, v, len(picks)))
            continue
        picks.append(v)
        gains.append(-neg)
        bar.update()
        total -= neg
        if unlimited:
            reached = np.sort(np.concatenate([reached, adds[v]]))  # disjoint: faster than union1d
            adds.clear()
    return picks, gains


class ReverseSets:
    """Reverse-reachable sets (Borgs et al. 2014): a random contact, a random world, and
    everyone whose cascade would reach that contact in it."""

    node_ptr: np.ndarray
    node_sets: np.ndarray

    def __init__(self, g: TrustGraph, p: float, count: int, max_generations: int | None,
                 rng: np.random.Generator, bar: Any) -> None:
        kernels = _kernels()
        arcs = Arcs.of(g.reverse(), p, salt(rng))
        n = arcs.n
        roots = rng.integers(0, n, size=count)
        sizes, members = [], []
        start = entries = 0
        limit = _limit(max_generations)
        while start < count and entries <= _RR_ENTRIES:  # set i is drawn in world i
            stop, size, member = kernels.reverse_sets(arcs.kernel, roots, start, limit, _WORK, entries,
                                                      _RR_ENTRIES)
            sizes.append(size)
            members.append(member)
            entries += len(member)
            bar.update(stop - start)
            start = stop
        self.count = start
        self.n = n
        size = np.concatenate(sizes)
        self.set_ptr = np.concatenate([[0], np.cumsum(size)])
        self.set_members = np.concatenate(members)
        self.node_ptr, self.node_sets = kernels.sets_by_contact(size, self.set_members, n)

    def sets_of(self, v: int) -> np.ndarray:
        return self.node_sets[self.node_ptr[v] : self.node_ptr[v + 1]]

    def reach(self, sources: Iterable[int]) -> float:
        """Estimated expected reach: ``n`` times the share of sets that ``sources`` hit."""
        hit = np.zeros(self.count, dtype=bool)
        for v in sources:
            hit[self.sets_of(v)] = True
        return self.n * float(hit.mean())

    def greedy(self, candidates: np.ndarray, k: int, bar: Any) -> tuple[list[int], list[int]]:
        """Greedy maximum coverage: picks and the number of new sets each covers."""
        counts = np.full(self.n, -1, dtype=np.int64)
        counts[candidates] = np.diff(self.node_ptr)[candidates]
        covered = np.zeros(self.count, dtype=bool)
        picks, gains = [], []
        for _ in range(k):
            v = int(np.argmax(counts))  # the first maximum: ties go to the lower index
            new = self.sets_of(v)[~covered[self.sets_of(v)]]
            covered[new] = True
            start, size = self.set_ptr[new], np.diff(self.set_ptr)[new]
            ends = np.cumsum(size)
            gone = self.set_members[np.arange(int(size.sum())) + np.repeat(start - ends + size, size)]
            counts -= np.bincount(gone, minlength=self.n)
            counts[v] = -1
            picks.append(v)
            gains.append(len(new))
            bar.update()
        return picks, gains
