"""Forecast referral cascades, choose whom to cultivate, and calibrate on the seller's history.

The model is the independent cascade of Kempe, Kleinberg and Tardos (2003) with trust as the
chance that an introduction happens: when a contact is reached, each of their relationships
passes a referral on, once, with probability ``p * trust``. ``p`` puts the forecast in the
seller's own units; :func:`calibrate` fits it from the referrals the network records.

Every cascade runs on the graph's arrays, many at once: a *lane* is one cascade (one Monte
Carlo run), its active frontier is a list of ``(lane, contact)`` pairs, and one generation
expands every lane's frontier over its arcs in a handful of numpy operations. Each arc's coin
is a hash of ``(world, arc, seed)`` (a counter-based random number, SplitMix64), so run ``r``
of every forecast made with the same ``seed`` sees the same *world*: the same relationships
pass referrals in it whatever the seeds. That gives common random numbers: forecasts for two
seed sets differ only because the seeds differ, the greedy choice in
:func:`whom_to_cultivate` compares candidates fairly, and
``simulate_referrals(g, picks, runs=R, seed=s).expected_reach`` equals the plan's own estimate.

Examples
--------
>>> import refgraph as rg
>>> from refgraph.forecast import simulate_referrals, whom_to_cultivate
>>> g = rg.TrustGraph.from_edges(["hub"] * 4, ["a", "b", "c", "d"], [0.5] * 4)
>>> fc = simulate_referrals(g, "hub", runs=4000, seed=1)
>>> abs(fc.expected_reach - (1 + 4 * 0.5)) < 3 * fc.standard_error   # closed form 1 + n p trust
True
>>> plan = whom_to_cultivate(g, k=1, seed=1, compare=False)
>>> plan.contacts
('hub',)
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import math
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import DataError, UnknownContactError
from .graph import TrustGraph
from .results import Table

if TYPE_CHECKING:
    from .network import Network
    from .trust import TrustModel

__all__ = [
    "Calibration",
    "CultivationPlan",
    "Pick",
    "ReachRow",
    "ReferralForecast",
    "calibrate",
    "simulate_referrals",
    "whom_to_cultivate",
]

#: Cells of the (lanes x contacts) tables processed at once (5 bytes of memory each).
_CELLS = 1 << 22
#: Most (RR set, contact) entries the reverse-reachable method keeps.
_RR_ENTRIES = 50_000_000
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
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
class _Arcs:
    """A graph's arcs for cascades; ``threshold`` None means every arc passes (a fixed world)."""

    indptr: np.ndarray
    indices: np.ndarray
    threshold: np.ndarray | None
    salt: np.uint64

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def of(cls, g: TrustGraph, p: float, salt: np.uint64) -> _Arcs:
        threshold = np.floor(p * g.edge_trust * _ONE).astype(np.uint64)
        kind = np.int32 if max(len(g), g.indptr[-1]) < 2**31 else np.int64  # half the memory traffic
        return cls(g.indptr.astype(kind), g.indices.astype(kind), threshold, salt)

    def world(self, w: int) -> _Arcs:
        """The arcs that pass a referral in world ``w``, as a graph whose arcs always pass."""
        assert self.threshold is not None
        m = len(self.indices)
        live = _coins(np.full(m, w, dtype=np.int64), np.arange(m), m, self.salt) < self.threshold
        kept = np.concatenate([np.zeros(1, self.indptr.dtype), np.cumsum(live, dtype=self.indptr.dtype)])
        return _Arcs(kept[self.indptr], self.indices[live], None, self.salt)


class _Marks:
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


def _cascade(
    arcs: _Arcs,
    marks: _Marks,
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


def _batches(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(start + size, total)


# -- checks -------------------------------------------------------------------------------------------
def _check_runs(runs: int) -> None:
    if runs < 1:
        raise DataError("at least one run is needed", field="runs", value=runs)


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:  # also refuses NaN
        raise DataError("p must be in [0, 1]", field="p", value=p)


def _check_generations(max_generations: int | None) -> None:
    if max_generations is not None and max_generations < 0:
        raise DataError("max_generations must be at least 0", field="max_generations", value=max_generations)


def _seed_indices(g: TrustGraph, seeds: Hashable | Iterable[Hashable]) -> np.ndarray:
    wanted = [seeds] if seeds in g or isinstance(seeds, str) or not isinstance(seeds, Iterable) else list(seeds)
    if not wanted:
        raise DataError("no seeds: name at least one contact to start the cascade", field="seeds")
    found = []
    for contact in wanted:
        try:
            found.append(g.index(contact))
        except UnknownContactError:
            raise UnknownContactError(contact, "seed of a referral forecast") from None
    return np.unique(np.array(found, dtype=np.int64))


def _salt(rng: np.random.Generator) -> np.uint64:
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))


# -- simulate -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReachRow:
    """A contact a forecast reaches: how likely, and in which generation on average (0 = seed)."""

    contact: Hashable
    name: str
    probability: float
    mean_generation: float


class ReferralForecast(Table[ReachRow]):
    """The forecast of referral cascades from some seeds (see :func:`simulate_referrals`).

    Rows are the contacts reached in at least one run, most likely first (ties by id).

    Attributes
    ----------
    seeds : tuple
        The seed contacts, in id order.
    runs, p, max_generations
        The simulation's settings.
    reach : numpy.ndarray
        Contacts reached (seeds included) in each run.
    per_generation : numpy.ndarray
        Expected number of contacts first reached in each generation (0 = the seeds).
    probabilities : numpy.ndarray
        Each contact's probability of being reached, in the graph's index order.
    """

    def __init__(
        self,
        g: TrustGraph,
        seeds: tuple[Hashable, ...],
        *,
        runs: int,
        p: float,
        max_generations: int | None,
        reach: np.ndarray,
        per_generation: np.ndarray,
        hits: np.ndarray,
        generation_sums: np.ndarray,
    ) -> None:
        self.seeds = seeds
        self.runs = runs
        self.p = p
        self.max_generations = max_generations
        self.reach = reach
        self.per_generation = per_generation
        self.probabilities = hits / runs
        self._graph = g
        reached = np.flatnonzero(hits)
        order = reached[np.lexsort((reached, -hits[reached]))]
        names = g.node_values("name")
        ids = g.ids[order].tolist()
        mean_generation = generation_sums[order] / hits[order]
        rows = [
            ReachRow(c, str(c) if names is None else names[i], float(self.probabilities[i]), float(mg))
            for c, i, mg in zip(ids, order.tolist(), mean_generation.tolist(), strict=True)
        ]
        title = (f"Referral forecast: expected reach {self.expected_reach:.3g} ± {self.standard_error:.2g} "
                 f"over {runs} runs (p = {p:.3g})")
        super().__init__(rows, title=title)

    @property
    def expected_reach(self) -> float:
        """Mean number of contacts reached, seeds included."""
        return float(self.reach.mean())

    @property
    def standard_error(self) -> float:
        """Monte Carlo standard error of :attr:`expected_reach` (0 with a single run)."""
        if self.runs < 2:
            return 0.0
        return float(self.reach.std(ddof=1) / math.sqrt(self.runs))

    @property
    def quantiles(self) -> dict[float, float]:
        """Quantiles (5, 25, 50, 75 and 95 %) of the reach across runs."""
        return dict(zip(_QUANTILES, np.quantile(self.reach, _QUANTILES).tolist(), strict=True))

    def probability(self, contact: Hashable) -> float:
        """The probability that a cascade reaches ``contact``."""
        return float(self.probabilities[self._graph.index(contact)])

    def plot(self, ax: Any = None) -> Any:
        """The distribution of reach across runs (see :func:`refgraph.plot.forecast.reach_distribution`)."""
        from .plot.forecast import reach_distribution

        return reach_distribution(self, ax=ax)


def simulate_referrals(
    g: TrustGraph,
    seeds: Hashable | Iterable[Hashable],
    runs: int = 1000,
    p: float = 1.0,
    max_generations: int | None = None,
    seed: int | None = None,
) -> ReferralForecast:
    """Forecast how far referrals started by ``seeds`` spread: Monte Carlo independent cascades.

    In every run the seeds are reached first (generation 0); each contact reached in
    generation ``t`` then passes a referral, once, along each relationship to a contact not yet
    reached, succeeding with probability ``p * trust``; those reached form generation ``t + 1``.

    Parameters
    ----------
    g : TrustGraph
    seeds : contact id or iterable of contact ids
    runs : int
        Monte Carlo runs (independent worlds).
    p : float
        Chance in [0, 1] that a fully trusted relationship passes a referral on (see
        :func:`calibrate`).
    max_generations : int, optional
        Stop after this many generations of referrals (None: until the cascade dies out).
    seed : int, optional
        Makes the forecast reproducible; run ``r`` is the same world for every set of seeds.

    Returns
    -------
    ReferralForecast
        ``expected_reach`` (seeds included), ``standard_error``, ``quantiles``,
        ``per_generation``, ``probability(contact)`` and a row per contact reached; ``plot()``
        draws the distribution of reach.

    Raises
    ------
    UnknownContactError
        A seed that is not in the graph.
    RefgraphError
        No seeds, ``runs < 1``, ``p`` outside [0, 1] or ``max_generations < 0``.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["a", "b", "c"], ["b", "c", "d"], [1.0, 0.5, 0.5])
    >>> fc = simulate_referrals(g, "a", runs=2000, p=0.8, seed=3)
    >>> exact = 1 + 0.8 + 0.8 * 0.4 + 0.8 * 0.4 * 0.4          # a path: a geometric sum
    >>> abs(fc.expected_reach - exact) < 3 * fc.standard_error
    True
    >>> fc.probability("a"), [r.contact for r in fc]
    (1.0, ['a', 'b', 'c', 'd'])
    >>> simulate_referrals(g, "a", runs=10, p=1.0, max_generations=1).reach.tolist() == [2] * 10
    True
    """
    _check_runs(runs)
    _check_p(p)
    _check_generations(max_generations)
    sources = _seed_indices(g, seeds)
    arcs = _Arcs.of(g, p, _salt(np.random.default_rng(seed)))
    n = arcs.n
    marks = _Marks(n)
    reach = np.zeros(runs, dtype=np.int64)
    hits = np.zeros(n, dtype=np.int64)
    generation_sums = np.zeros(n, dtype=np.int64)
    per_generation: list[int] = []
    for start, stop in _batches(runs, marks.lanes):
        lanes = stop - start
        seed_lane = np.repeat(np.arange(lanes, dtype=np.int64), len(sources))
        seed_node = np.tile(sources, lanes)
        world = np.arange(start, stop, dtype=np.int64)
        for lane, node, generation in _cascade(arcs, marks, seed_lane, seed_node, lanes, world, max_generations):
            reach[start:stop] += np.bincount(lane, minlength=lanes)
            counts = np.bincount(node, minlength=n)
            hits += counts
            generation_sums += counts * generation
            if generation == len(per_generation):
                per_generation.append(0)
            per_generation[generation] += len(node)
    return ReferralForecast(
        g, tuple(g.ids[sources].tolist()), runs=runs, p=p, max_generations=max_generations, reach=reach,
        per_generation=np.array(per_generation, dtype=np.float64) / runs, hits=hits, generation_sums=generation_sums,
    )


# -- whom to cultivate ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pick:
    """One contact to cultivate: its ``rank``, the reach it adds and the total reach so far."""

    rank: int
    contact: Hashable
    name: str
    marginal_gain: float
    expected_reach: float


class CultivationPlan(Table[Pick]):
    """The contacts whose cultivation reaches the most people (see :func:`whom_to_cultivate`).

    Attributes
    ----------
    contacts : tuple
        The picks, in the order greedy chose them.
    expected_reach : float
        Expected reach of all the picks together (seeds included).
    method, runs, p
        How the plan was made (``runs``: worlds for CELF, reverse-reachable sets for RR).
    pagerank : tuple or None
        The top contacts by PageRank (as many as picks), for comparison; None when not compared.
    pagerank_reach : float or None
        Their expected reach, estimated on the same worlds as the picks'.
    """

    def __init__(
        self,
        rows: list[Pick],
        *,
        method: str,
        runs: int,
        p: float,
        pagerank: tuple[Hashable, ...] | None,
        pagerank_reach: float | None,
    ) -> None:
        self.method = method
        self.runs = runs
        self.p = p
        self.pagerank = pagerank
        self.pagerank_reach = pagerank_reach
        title = f"Whom to cultivate ({method}, p = {p:.3g}): expected reach {rows[-1].expected_reach:.3g}"
        if pagerank_reach is not None:
            title += f"; PageRank's top {len(rows)} reach {pagerank_reach:.3g}"
        super().__init__(rows, title=title)

    @property
    def contacts(self) -> tuple[Hashable, ...]:
        """The picks in the order they were chosen."""
        return tuple(r.contact for r in self)

    @property
    def expected_reach(self) -> float:
        """Expected reach of all the picks together."""
        return self[len(self) - 1].expected_reach


class _Worlds:
    """Reach over ``runs`` fixed worlds (run ``r`` of :func:`simulate_referrals` is world ``r``)."""

    def __init__(self, arcs: _Arcs, runs: int, max_generations: int | None) -> None:
        self.arcs = arcs
        self.runs = runs
        self.max_generations = max_generations
        self.marks = _Marks(arcs.n)

    def singles(self, candidates: np.ndarray) -> np.ndarray:
        """Total reach over the worlds of each candidate alone: each world's referring
        relationships are drawn once, then every candidate's cascade runs on them."""
        totals = np.zeros(len(candidates), dtype=np.int64)
        for w in range(self.runs):
            live = self.arcs.world(w)
            for start, stop in _batches(len(candidates), self.marks.lanes):
                lanes = stop - start
                seed_lane = np.arange(lanes, dtype=np.int64)
                for lane, _, _ in _cascade(live, self.marks, seed_lane, candidates[start:stop], lanes, None,
                                           self.max_generations):
                    totals[start:stop] += np.bincount(lane, minlength=lanes)
        return totals

    def reached(self, sources: np.ndarray, blocked: np.ndarray | None = None) -> np.ndarray:
        """Keys ``world * n + contact`` reached from ``sources`` in every world, sorted, not
        counting (or expanding) the sorted keys in ``blocked``."""
        n = self.arcs.n
        found = []
        for start, stop in _batches(self.runs, self.marks.lanes):
            lanes = stop - start
            local = None
            if blocked is not None:
                lo, hi = np.searchsorted(blocked, [start * n, stop * n])
                local = blocked[lo:hi] - start * n
            seed_lane = np.repeat(np.arange(lanes, dtype=np.int64), len(sources))
            world = np.arange(start, stop, dtype=np.int64)
            for lane, node, _ in _cascade(self.arcs, self.marks, seed_lane, np.tile(sources, lanes), lanes, world,
                                          self.max_generations, local):
                found.append((lane.astype(np.int64) + start) * n + node)
        return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _celf(worlds: _Worlds, candidates: np.ndarray, k: int) -> tuple[list[int], list[int]]:
    """Lazy greedy (CELF): picks and their marginal gains (summed over the worlds).

    A candidate's last gain bounds its gain now (the estimate is a coverage function, so
    submodular); only the top of the queue is re-evaluated. Equal gains go to the lower index.
    """
    unlimited = worlds.max_generations is None
    heap = [(-int(t), int(v), 0) for v, t in zip(candidates, worlds.singles(candidates), strict=True)]
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
        total -= neg
        if unlimited:
            reached = np.union1d(reached, adds[v])
            adds.clear()
    return picks, gains


class _ReverseSets:
    """Reverse-reachable sets (Borgs et al. 2014): a random contact, a random world, and
    everyone whose cascade would reach that contact in it."""

    def __init__(self, g: TrustGraph, p: float, count: int, max_generations: int | None,
                 rng: np.random.Generator) -> None:
        arcs = _Arcs.of(g.reverse(), p, _salt(rng))
        n = arcs.n
        roots = rng.integers(0, n, size=count)
        marks = _Marks(n)
        sets, members, entries = [], [], 0
        self.count = count
        for start, stop in _batches(count, marks.lanes):
            lanes = stop - start
            world = np.arange(start, stop, dtype=np.int64)
            for lane, node, _ in _cascade(arcs, marks, np.arange(lanes, dtype=np.int64), roots[start:stop], lanes,
                                          world, max_generations):
                sets.append(lane + start)
                members.append(node)
                entries += len(node)
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

    def greedy(self, candidates: np.ndarray, k: int) -> tuple[list[int], list[int]]:
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
        return picks, gains


def _pagerank_top(g: TrustGraph, k: int, candidate: np.ndarray) -> list[int]:
    from .influence import centrality

    top: list[int] = []
    for contact in centrality(g, "pagerank"):
        i = g.index(contact)
        if candidate[i]:
            top.append(i)
            if len(top) == k:
                break
    return top


def whom_to_cultivate(
    g: TrustGraph,
    k: int,
    runs: int | None = None,
    p: float = 1.0,
    max_generations: int | None = None,
    seed: int | None = None,
    method: str = "celf",
    compare: bool = True,
) -> CultivationPlan:
    """The ``k`` contacts whose cultivation maximises the expected reach of their referrals.

    Greedy on the estimated expected reach, which is monotone and submodular, so the picks
    reach at least ``1 - 1/e`` (63 %) of the best possible set's estimate (Kempe, Kleinberg and
    Tardos 2003). The graph's owner is never picked.

    Parameters
    ----------
    g : TrustGraph
    k : int
        How many contacts to pick.
    runs : int, optional
        ``"celf"``: Monte Carlo worlds (default 200), the same for every candidate (common
        random numbers). ``"rr"``: reverse-reachable sets (default 20 times the number of
        contacts, at least 10,000 and at most 1,000,000; fewer when the sets grow too large).
    p, max_generations
        As for :func:`simulate_referrals`.
    seed : int, optional
        Makes the plan reproducible. With ``"celf"``, world ``r`` is run ``r`` of
        ``simulate_referrals(..., seed=seed)``.
    method : {"celf", "rr"}
        ``"celf"``: lazy greedy (Leskovec et al. 2007) on Monte Carlo cascades; each world's
        referring relationships are drawn once for the first round. Its cost grows with the
        size of a typical cascade. ``"rr"``: greedy maximum coverage of reverse-reachable sets
        (Borgs et al. 2014), for large graphs.
    compare : bool
        Also estimate the reach of the top ``k`` contacts by PageRank, on the same worlds.

    Returns
    -------
    CultivationPlan
        A row per pick in order (``rank``, ``contact``, ``name``, ``marginal_gain``,
        cumulative ``expected_reach``); ``contacts``, ``expected_reach``, ``pagerank`` and
        ``pagerank_reach``.

    Raises
    ------
    RefgraphError
        ``k < 1``, ``k`` above the number of contacts that can be picked, ``runs < 1``, ``p``
        outside [0, 1], ``max_generations < 0`` or an unknown ``method``.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["ana"] * 3 + ["ben"] * 2, ["a1", "a2", "a3", "b1", "b2"], [0.9] * 5)
    >>> plan = whom_to_cultivate(g, k=2, runs=2000, seed=0, compare=False)
    >>> plan.contacts                                   # two separate hubs, the bigger first
    ('ana', 'ben')
    >>> [round(r.marginal_gain, 1) for r in plan]       # about 1 + 3 * 0.9 and 1 + 2 * 0.9
    [3.7, 2.8]
    """
    if k < 1:
        raise DataError("pick at least one contact", field="k", value=k)
    if method not in ("celf", "rr"):
        raise DataError("method must be 'celf' or 'rr'", field="method", value=method)
    _check_p(p)
    _check_generations(max_generations)
    n = len(g)
    if runs is None:
        runs = 200 if method == "celf" else min(1_000_000, max(10_000, 20 * n))
    _check_runs(runs)
    candidate = np.ones(n, dtype=bool)
    if g.owner is not None:
        candidate[g.index(g.owner)] = False
    candidates = np.flatnonzero(candidate)
    if k > len(candidates):
        raise DataError(f"only {len(candidates)} contacts can be picked", field="k", value=k)
    rng = np.random.default_rng(seed)
    top = _pagerank_top(g, k, candidate) if compare else None
    if method == "celf":
        worlds = _Worlds(_Arcs.of(g, p, _salt(rng)), runs, max_generations)
        picks, gains = _celf(worlds, candidates, k)
        scale = 1.0 / runs
        top_reach = None if top is None else len(worlds.reached(np.array(top))) * scale
    else:
        sets = _ReverseSets(g, p, runs, max_generations, rng)
        runs = sets.count
        picks, gains = sets.greedy(candidates, k)
        scale = n / runs
        top_reach = None if top is None else sets.reach(top)
    names = g.node_values("name")
    cumulative = np.cumsum(gains) * scale
    rows = [
        Pick(rank + 1, contact, str(contact) if names is None else names[v], gain * scale, float(reach))
        for rank, (contact, v, gain, reach) in enumerate(zip(g.ids[picks].tolist(), picks, gains, cumulative,
                                                              strict=True))
    ]
    pagerank = None if top is None else tuple(g.ids[top].tolist())
    return CultivationPlan(rows, method=method, runs=runs, p=p, pagerank=pagerank, pagerank_reach=top_reach)


# -- calibration ------------------------------------------------------------------------------------------
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
                + (f"; {self.unlinked} referrals off any relationship" if self.unlinked else ""))

    def _repr_html_(self) -> str:
        return f"<p><b>Calibration</b>: {html.escape(str(self))}</p>"


def _log_likelihood(p: float, hit: np.ndarray, miss: np.ndarray) -> float:
    return float(len(hit) * math.log(p) + np.log(hit).sum() + np.log1p(-p * miss).sum())


def calibrate(net: Network, as_of: dt.date | str | None = None, model: TrustModel | None = None) -> Calibration:
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
    from scipy.optimize import brentq

    from .trust import TrustModel

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
