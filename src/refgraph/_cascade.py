"""The cascade engine behind forecasts: many independent cascades at once on CSR arrays.

A *lane* is one cascade (one Monte Carlo run); its active frontier is a list of ``(lane,
contact)`` pairs, and one generation expands every lane's frontier over its arcs in a handful
of numpy operations. Each arc's coin is a counter-based hash of ``(world, arc, salt)``
(SplitMix64), so run ``r`` of every forecast with the same seed sees the same *world*: common
random numbers for fair comparisons between seed sets. :class:`Worlds` evaluates seed sets over
fixed worlds (CELF's lazy greedy in :func:`celf`); :class:`ReverseSets` samples
reverse-reachable sets (Borgs et al. 2014) for large graphs.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .graph import TrustGraph

__all__ = ["Arcs", "Marks", "ReverseSets", "Worlds", "batches", "cascade", "celf", "salt"]

#: Cells of the (lanes x contacts) tables processed at once (5 bytes of memory each).
_CELLS = 1 << 22
#: Most (RR set, contact) entries the reverse-reachable method keeps.
_RR_ENTRIES = 50_000_000
_ONE = 1 << 53  # coins are 53-bit integers; an arc is live when its coin is below p * trust * 2**53

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


# -- the engine -------------------------------------------------------------------------------------
def _coins(world: np.ndarray, arc: np.ndarray, n_arcs: int, salt: np.uint64) -> np.ndarray:
    """A 53-bit random integer for each ``(world, arc)`` pair: SplitMix64 of its counter."""
    x = (world.astype(np.int64) * n_arcs + arc).view(np.uint64)
    x *= _GOLDEN
    x += salt
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x >> np.uint64(11)


@dataclass(frozen=True)
class Arcs:
    """A graph's arcs for cascades; ``threshold`` None means every arc passes (a fixed world)."""

    indptr: np.ndarray
    indices: np.ndarray
    threshold: np.ndarray | None
    salt: np.uint64

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def of(cls, g: TrustGraph, p: float, salt: np.uint64) -> Arcs:
        threshold = np.floor(p * g.edge_trust * _ONE).astype(np.uint64)
        kind = np.int32 if max(len(g), g.indptr[-1]) < 2**31 else np.int64  # half the memory traffic
        return cls(g.indptr.astype(kind), g.indices.astype(kind), threshold, salt)

    def world(self, w: int) -> Arcs:
        """The arcs that pass a referral in world ``w``, as a graph whose arcs always pass."""
        assert self.threshold is not None
        m = len(self.indices)
        live = _coins(np.full(m, w, dtype=np.int64), np.arange(m), m, self.salt) < self.threshold
        kept = np.concatenate([np.zeros(1, self.indptr.dtype), np.cumsum(live, dtype=self.indptr.dtype)])
        return Arcs(kept[self.indptr], self.indices[live], None, self.salt)


class Marks:
    """A reusable (lanes x contacts) table of cells not yet reached; only the cells a batch
    touched are reset.

    A second table of the same shape removes repeats from a list of cells in linear time
    (no sort): each position writes its number into its cell, and the position that
    reads its own number back is the one kept for that cell.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.lanes = max(1, _CELLS // max(n, 1))
        self._open = np.ones(0, dtype=bool)
        self._owner = np.zeros(0, dtype=np.int32)  # positions in one generation's list of cells
        self._counts: dict[type, np.ndarray] = {}
        self._dirty: list[np.ndarray] = []

    def take(self, lanes: int) -> np.ndarray:
        """The table for a batch of ``lanes``: True where a cell is not reached yet."""
        for keys in self._dirty:
            self._open[keys] = True
        self._dirty = []
        if len(self._open) < lanes * self.n:
            self._open = np.ones(lanes * self.n, dtype=bool)
            self._owner = np.zeros(lanes * self.n, dtype=np.int32)
        return self._open

    def count(self, total: int, kind: type) -> np.ndarray:
        """``np.arange(total, dtype=kind)``, from a buffer kept between generations."""
        held = self._counts.get(kind)
        if held is None or len(held) < total:
            held = self._counts[kind] = np.arange(max(total, 2 * (0 if held is None else len(held))), dtype=kind)
        return held[:total]

    def distinct(self, keys: np.ndarray) -> np.ndarray:
        """``keys`` without repeats (in no particular order)."""
        position = self.count(len(keys), np.int32)
        self._owner[keys] = position
        return keys[self._owner[keys] == position]

    def mark(self, keys: np.ndarray) -> None:
        """Mark cells reached."""
        self._open[keys] = False
        self._dirty.append(keys)


def cascade(
    arcs: Arcs,
    marks: Marks,
    seed_lane: np.ndarray,
    seed_node: np.ndarray,
    lanes: int,
    world: np.ndarray | None,
    max_generations: int | None,
    blocked: np.ndarray | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """Run ``lanes`` (at most ``marks.lanes``) cascades at once; yield each generation's newly
    reached ``(lane, contact, generation)``. ``world[lane]`` picks the coins of each lane;
    ``blocked`` keys (``lane * n + contact``) count as reached already and are not expanded.
    """
    n = arcs.n
    table = marks.take(lanes)
    if blocked is not None and len(blocked):
        marks.mark(blocked)
    kind = np.int32 if lanes * n < 2**31 else np.int64
    keys = marks.distinct(seed_lane.astype(kind) * n + seed_node.astype(kind))
    keys = keys[table[keys]]
    generation = 0
    while len(keys):
        marks.mark(keys)
        lane, node = np.divmod(keys, n)
        yield lane, node, generation
        if max_generations is not None and generation >= max_generations:
            return
        generation += 1
        start = arcs.indptr[node]
        degree = arcs.indptr[node + 1] - start
        total = int(degree.sum())
        ends = np.cumsum(degree, dtype=degree.dtype)
        arc = np.repeat(start - ends + degree, degree)
        arc += marks.count(total, arc.dtype)
        keys = np.repeat(keys - node, degree)  # the lane's first cell, then the target's cell
        keys += arcs.indices[arc]
        fresh = np.flatnonzero(table[keys])
        keys = keys[fresh]
        if arcs.threshold is not None:
            assert world is not None
            arc = arc[fresh]
            coins = _coins(world[keys // n], arc, len(arcs.indices), arcs.salt)
            keys = keys[coins < arcs.threshold[arc]]
        keys = marks.distinct(keys)


def batches(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(start + size, total)


def salt(rng: np.random.Generator) -> np.uint64:
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))


class Worlds:
    """Reach over ``runs`` fixed worlds (run ``r`` of :func:`simulate_referrals` is world ``r``)."""

    def __init__(self, arcs: Arcs, runs: int, max_generations: int | None) -> None:
        self.arcs = arcs
        self.runs = runs
        self.max_generations = max_generations
        self.marks = Marks(arcs.n)

    def singles(self, candidates: np.ndarray, bar: Any) -> np.ndarray:
        """Total reach over the worlds of each candidate alone: each world's referring
        relationships are drawn once, then every candidate's cascade runs on them."""
        totals = np.zeros(len(candidates), dtype=np.int64)
        for w in range(self.runs):
            live = self.arcs.world(w)
            for start, stop in batches(len(candidates), self.marks.lanes):
                lanes = stop - start
                seed_lane = np.arange(lanes, dtype=np.int64)
                for lane, _, _ in cascade(live, self.marks, seed_lane, candidates[start:stop], lanes, None,
                                           self.max_generations):
                    totals[start:stop] += np.bincount(lane, minlength=lanes)
            bar.update()
        return totals

    def reached(self, sources: np.ndarray, blocked: np.ndarray | None = None) -> np.ndarray:
        """Keys ``world * n + contact`` reached from ``sources`` in every world, sorted, not
        counting (or expanding) the sorted keys in ``blocked``."""
        n = self.arcs.n
        found = []
        for start, stop in batches(self.runs, self.marks.lanes):
            lanes = stop - start
            local = None
            if blocked is not None:
                lo, hi = np.searchsorted(blocked, [start * n, stop * n])
                local = blocked[lo:hi] - start * n
            seed_lane = np.repeat(np.arange(lanes, dtype=np.int64), len(sources))
            world = np.arange(start, stop, dtype=np.int64)
            for lane, node, _ in cascade(self.arcs, self.marks, seed_lane, np.tile(sources, lanes), lanes, world,
                                          self.max_generations, local):
                found.append((lane.astype(np.int64) + start) * n + node)
        return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


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
            reached = np.union1d(reached, adds[v])
            adds.clear()
    return picks, gains


class ReverseSets:
    """Reverse-reachable sets (Borgs et al. 2014): a random contact, a random world, and
    everyone whose cascade would reach that contact in it."""

    def __init__(self, g: TrustGraph, p: float, count: int, max_generations: int | None,
                 rng: np.random.Generator, bar: Any) -> None:
        arcs = Arcs.of(g.reverse(), p, salt(rng))
        n = arcs.n
        roots = rng.integers(0, n, size=count)
        marks = Marks(n)
        sets, members, entries = [], [], 0
        self.count = count
        for start, stop in batches(count, marks.lanes):
            lanes = stop - start
            world = np.arange(start, stop, dtype=np.int64)
            for lane, node, _ in cascade(arcs, marks, np.arange(lanes, dtype=np.int64), roots[start:stop], lanes,
                                          world, max_generations):
                sets.append(lane + start)
                members.append(node)
                entries += len(node)
            bar.update(lanes)
            if entries > _RR_ENTRIES:
                self.count = stop
                break
        set_of = np.concatenate(sets)
        member = np.concatenate(members)
        self.n = n
        by_set = np.argsort(set_of, kind="stable")
        self.set_ptr = np.concatenate([[0], np.cumsum(np.bincount(set_of, minlength=self.count))])
        self.set_members = member[by_set]
        by_node = np.argsort(member, kind="stable")
        self.node_ptr = np.concatenate([[0], np.cumsum(np.bincount(member, minlength=n))])
        self.node_sets = set_of[by_node]

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
