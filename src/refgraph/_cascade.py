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
from functools import cached_property
from typing import Any

import numpy as np

from .graph import TrustGraph

__all__ = ["Arcs", "Dense", "Lanes", "ReverseSets", "Sparse", "Visited", "Worlds", "cascade", "celf", "salt"]

#: Cells of the (lanes x contacts) tables processed at once (5 bytes of memory each); a sparse
#: batch holds about as many (cells reached and arcs tried) times :data:`_SPARSE_COST`.
_CELLS = 1 << 22
_SPARSE_COST = 4
#: Sparse batches are used when they hold this many times the lanes of a dense table ...
_SPARSE_GAIN = 4
#: ... and at most this many times the runs already seen.
_GROWTH = 32
#: Runs in the pilot batch that measures how large the cascades are.
_PILOT = 32
#: Most (RR set, contact) entries the reverse-reachable method keeps.
_RR_ENTRIES = 50_000_000
_ONE = 1 << 53  # coins are 53-bit integers; an arc is live when its coin is below p * trust * 2**53

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


# -- the engine -------------------------------------------------------------------------------------
def _coins(counter: np.ndarray, salt: np.uint64, first: int) -> np.ndarray:
    """A 53-bit random integer for each ``(world, arc)`` pair: SplitMix64 of its counter
    ``world * n_arcs + arc``, given as ``first`` plus ``counter`` (an int64 array, overwritten)."""
    x = counter.view(np.uint64)
    x *= _GOLDEN
    x += np.uint64((int(salt) + first * int(_GOLDEN)) % 2**64)  # (first + c) * golden + salt
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x >> np.uint64(11)


@dataclass(frozen=True)
class Arcs:
    """A graph's arcs for cascades; ``trust`` None means every arc passes (a fixed world).

    An arc is live in a world when its coin is below ``floor(p * trust * 2**53)``; the bound is
    computed only for the arcs a cascade tries, not for every arc of the graph.
    """

    indptr: np.ndarray
    indices: np.ndarray
    trust: np.ndarray | None
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
    def threshold(self) -> np.ndarray:
        """Every arc's bound, for cascades that try most arcs."""
        assert self.trust is not None
        return np.floor(self.p * self.trust * _ONE).astype(np.uint64)

    def live(self, counter: np.ndarray, arc: np.ndarray, first_world: int, every: bool = False) -> np.ndarray:
        """Whether each ``arc`` passes a referral in its world, ``first_world + lane``; ``counter``
        holds ``lane * m`` (int64, ``m`` arcs; or a column of them, for a table of lanes x
        arcs). ``every``: use (and make) every arc's bound, as large cascades try most arcs."""
        assert self.trust is not None
        m = len(self.indices)
        coins = _coins(counter + arc, self.salt, first_world * m)
        if every:
            return coins < self.threshold.take(arc)
        threshold = self.trust.take(arc)
        threshold *= self.p * _ONE  # exactly p * trust * 2**53: scaling by 2**53 is exact
        np.floor(threshold, out=threshold)  # floor(p * trust * 2**53): integers, exact as floats
        return coins < threshold

    def world(self, w: int) -> Arcs:
        """The arcs that pass a referral in world ``w``, as a graph whose arcs always pass."""
        m = len(self.indices)
        live = self.live(np.zeros(m, dtype=np.int64), np.arange(m), w)
        kept = np.concatenate([np.zeros(1, self.indptr.dtype), np.cumsum(live, dtype=self.indptr.dtype)])
        return Arcs(kept[self.indptr], self.indices[live], None, self.p, self.salt)


class Visited:
    """The cells (``lane * n + contact``) a batch of cascades has reached: what the engine asks
    of a visited set. :class:`Dense` keeps a table of every cell, :class:`Sparse` a sorted array
    of the cells reached; both give the same cascades."""

    #: Whether a look-up costs less than a coin, so the engine drops reached cells before flipping.
    cheap = False

    def __init__(self, n: int) -> None:
        self.n = n
        self.marked = 0  # cells marked, over every batch: the planner's measure of a run's size
        self._counts: dict[type, np.ndarray] = {}

    def start(self, lanes: int, kind: type, blocked: np.ndarray | None) -> None:
        """Begin a batch of ``lanes`` with nothing reached but the sorted ``blocked`` cells."""
        raise NotImplementedError

    def mark(self, keys: np.ndarray) -> None:
        """Mark cells reached (distinct, not reached before, as :meth:`distinct` orders them)."""
        raise NotImplementedError

    def unreached(self, keys: np.ndarray) -> np.ndarray:
        """Positions of the ``keys`` not reached yet."""
        raise NotImplementedError

    def distinct(self, keys: np.ndarray) -> np.ndarray:
        """``keys`` without repeats."""
        raise NotImplementedError

    def count(self, total: int, kind: type) -> np.ndarray:
        """``np.arange(total, dtype=kind)``, from a buffer kept between generations."""
        held = self._counts.get(kind)
        if held is None or len(held) < total:
            held = self._counts[kind] = np.arange(max(total, 2 * (0 if held is None else len(held))), dtype=kind)
        return held[:total]


class Dense(Visited):
    """A reusable (lanes x contacts) table of cells not yet reached; only the cells a batch
    touched are reset. Fast for large cascades, but only :attr:`lanes` of them fit.

    A second table of the same shape removes repeats from a list of cells in linear time
    (no sort): each position writes its number into its cell, and the position that
    reads its own number back is the one kept for that cell (in no particular order).
    """

    cheap = True

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.lanes = max(1, _CELLS // max(n, 1))
        self._open = np.ones(0, dtype=bool)
        self._owner = np.zeros(0, dtype=np.int32)  # positions in one generation's list of cells
        self._dirty: list[np.ndarray] = []

    def start(self, lanes: int, kind: type, blocked: np.ndarray | None) -> None:
        for keys in self._dirty:
            self._open[keys] = True
        self._dirty = []
        if len(self._open) < lanes * self.n:
            self._open = np.ones(lanes * self.n, dtype=bool)
            self._owner = np.zeros(lanes * self.n, dtype=np.int32)
        if blocked is not None and len(blocked):
            self.mark(blocked)

    def mark(self, keys: np.ndarray) -> None:
        self._open[keys] = False
        self._dirty.append(keys)
        self.marked += len(keys)

    def unreached(self, keys: np.ndarray) -> np.ndarray:
        return np.flatnonzero(self._open[keys])

    def distinct(self, keys: np.ndarray) -> np.ndarray:
        position = self.count(len(keys), np.int32)
        self._owner[keys] = position
        return keys[self._owner[keys] == position]


class Sparse(Visited):
    """The cells reached, sorted (a binary search to look one up, a merge to add): memory and
    time grow with the cells reached, not with lanes x contacts, so many small cascades fit."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self._keys = np.zeros(0, dtype=np.int64)

    def start(self, lanes: int, kind: type, blocked: np.ndarray | None) -> None:
        self._keys = np.zeros(0, dtype=kind) if blocked is None else blocked.astype(kind)
        self.marked += len(self._keys)

    def mark(self, keys: np.ndarray) -> None:
        merged = np.concatenate([self._keys, keys])
        merged.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
        self._keys = merged
        self.marked += len(keys)

    def unreached(self, keys: np.ndarray) -> np.ndarray:
        if not len(self._keys):
            return self.count(len(keys), np.int64)
        return (self._keys.take(self._keys.searchsorted(keys), mode="clip") != keys).nonzero()[0]

    def distinct(self, keys: np.ndarray) -> np.ndarray:  # sorted, as mark wants them
        keys = np.sort(keys, kind="stable")  # lane by lane: timsort merges the runs
        first = np.empty(len(keys), dtype=bool)
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        return keys.compress(first)


class Lanes:
    """Plans batches of cascades and picks each batch's visited set.

    A small first batch (a pilot, its runs as real as any) uses the sparse set. When the runs
    so far touched few cells each (reach x (1 + mean degree)), the rest run in batches far
    larger than a dense table holds, sized from that observed reach (and at most
    :data:`_GROWTH` times the runs seen so far, in case the pilot was lucky); otherwise in
    batches of the dense table, which is faster for large cascades.
    """

    def __init__(self, arcs: Arcs) -> None:
        n = arcs.n
        self.dense = Dense(n)
        self.sparse = Sparse(n)
        self.spread = 1 + len(arcs.indices) / max(n, 1)  # a reached cell and the arcs it tries
        self.runs = 0

    def batches(self, total: int) -> Iterator[tuple[int, int, Visited]]:
        """``(start, stop, visited)`` covering runs ``0 .. total - 1``; run each batch before the next."""
        start = 0
        while start < total:
            visited, size = self._next(total)
            stop = min(total, start + size)
            yield start, stop, visited
            self.runs += stop - start
            start = stop

    def _next(self, total: int) -> tuple[Visited, int]:
        dense = self.dense.lanes
        if dense >= total:
            return self.dense, dense
        if not self.runs:
            return self.sparse, min(dense, _PILOT)
        cells = (self.dense.marked + self.sparse.marked) / self.runs * self.spread
        sparse = int(_CELLS / (_SPARSE_COST * max(cells, 1.0)))
        if sparse < _SPARSE_GAIN * dense:
            return self.dense, dense
        return self.sparse, min(sparse, _GROWTH * self.runs)


def cascade(
    arcs: Arcs,
    visited: Visited,
    sources: np.ndarray,
    lanes: int,
    first_world: int | None,
    max_generations: int | None,
    blocked: np.ndarray | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """Run ``lanes`` cascades at once (at most ``visited.lanes`` on a dense table); yield each
    generation's newly reached ``(lane, contact, generation)``.

    Lane ``i`` starts from the contacts in row ``i`` of ``sources`` (a single row: every lane
    starts from it) and sees world ``first_world + i`` (None: ``arcs`` is a fixed world); the
    sorted ``blocked`` keys (``lane * n + contact``) count as reached already and are not expanded.
    """
    n = arcs.n
    kind = np.int32 if lanes * n < 2**31 else np.int64
    visited.start(lanes, kind, blocked)
    m = len(arcs.indices)
    keys = visited.distinct((np.arange(lanes, dtype=kind)[:, None] * n + sources.astype(kind)).ravel())
    keys = keys.take(visited.unreached(keys))
    # every lane starts from the same cells, so the first tries are one row of arcs for all lanes
    # (sparse sets only: they look the tries that pass up after the coins)
    shared = (len(sources) == 1 < lanes and first_world is not None and not visited.cheap
              and (blocked is None or not len(blocked)))
    generation = 0
    while len(keys):
        visited.mark(keys)
        lane = keys // n  # np.divmod is several times slower
        first = lane * n  # the lane's first cell
        node = keys - first
        yield lane, node, generation
        if max_generations is not None and generation >= max_generations:
            return
        generation += 1
        if shared:  # lane 0's cells stand for every lane's
            node = node[: len(node) // lanes]
        end = arcs.indptr.take(node + 1)
        degree = end - arcs.indptr.take(node)
        # int64 arc numbers: numpy gathers with narrower indices are several times slower
        arc = (end - degree.cumsum(dtype=np.int64)).repeat(degree)
        arc += visited.count(len(arc), np.int64)
        if shared:  # coins in a table of lanes x arcs: the arcs are not repeated for every lane
            shared = False
            counter = np.arange(lanes, dtype=np.int64)[:, None] * m
            lane, column = arcs.live(counter, arc, first_world).nonzero()
            keys = (lane * n).astype(kind) + arcs.indices.take(arc.take(column))
        elif visited.cheap:  # drop the cells reached before flipping coins
            keys = first.repeat(degree)  # each try's lane's first cell, then the cell it tries
            keys += arcs.indices.take(arc)
            fresh = visited.unreached(keys)
            keys = keys.take(fresh)
            if first_world is not None:
                counter = np.multiply(keys // n, m, dtype=np.int64)
                keys = keys.compress(arcs.live(counter, arc.take(fresh), first_world, every=True))  # not keys[mask]
        else:  # flip coins first: only the few tries that pass are looked up
            keys = first.repeat(degree)
            if first_world is not None:
                counter = np.multiply(lane, m, dtype=np.int64).repeat(degree)
                passed = arcs.live(counter, arc, first_world).nonzero()[0]
                keys, arc = keys.take(passed), arc.take(passed)
            keys += arcs.indices.take(arc)
        keys = visited.distinct(keys)
        if not visited.cheap:
            keys = keys.take(visited.unreached(keys))


def salt(rng: np.random.Generator) -> np.uint64:
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))


class Worlds:
    """Reach over ``runs`` fixed worlds (run ``r`` of :func:`simulate_referrals` is world ``r``)."""

    def __init__(self, arcs: Arcs, runs: int, max_generations: int | None) -> None:
        self.arcs = arcs
        self.runs = runs
        self.max_generations = max_generations
        self.lanes = Lanes(arcs)

    def singles(self, candidates: np.ndarray, bar: Any) -> np.ndarray:
        """Total reach over the worlds of each candidate alone: each world's referring
        relationships are drawn once, then every candidate's cascade runs on them."""
        totals = np.zeros(len(candidates), dtype=np.int64)
        for w in range(self.runs):
            live = self.arcs.world(w)
            for start, stop, visited in self.lanes.batches(len(candidates)):
                lanes = stop - start
                for lane, _, _ in cascade(live, visited, candidates[start:stop, None], lanes, None,
                                          self.max_generations):
                    totals[start:stop] += np.bincount(lane, minlength=lanes)
            bar.update()
        return totals

    def reached(self, sources: np.ndarray, blocked: np.ndarray | None = None) -> np.ndarray:
        """Keys ``world * n + contact`` reached from ``sources`` in every world, sorted, not
        counting (or expanding) the sorted keys in ``blocked``."""
        n = self.arcs.n
        found = []
        for start, stop, visited in self.lanes.batches(self.runs):
            lanes = stop - start
            local = None
            if blocked is not None:
                lo, hi = np.searchsorted(blocked, [start * n, stop * n])
                local = blocked[lo:hi] - start * n
            for lane, node, _ in cascade(self.arcs, visited, sources[None, :], lanes, start, self.max_generations,
                                         local):
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
        sets, members, entries = [], [], 0
        self.count = count
        for start, stop, visited in Lanes(arcs).batches(count):
            lanes = stop - start
            for lane, node, _ in cascade(arcs, visited, roots[start:stop, None], lanes, start, max_generations):
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
