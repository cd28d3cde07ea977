"""Forecast referral cascades and choose whom to cultivate.

The model is the independent cascade of Kempe, Kleinberg and Tardos (2003) with trust as the
chance that an introduction happens: when a contact is reached, each of their relationships
passes a referral on, once, with probability ``p * trust``. ``p`` puts the forecast in the
seller's own units; :func:`~refgraph.calibrate` fits it from the referrals the network records.

Every cascade runs on the graph's arrays in a compiled kernel (numba), one Monte Carlo run at
a time, breadth first, touching only the contacts and relationships it reaches. Each arc's coin
is a hash of ``(world, arc, seed)`` (a counter-based random number, SplitMix64), so run ``r``
of every forecast made with the same ``seed`` sees the same *world*: the same relationships
pass referrals in it whatever the seeds. That gives common random numbers: forecasts for two
seed sets differ only because the seeds differ, the greedy choice in
:func:`whom_to_cultivate` compares candidates fairly, and
``simulate_referrals(g, picks, runs=R, seed=s).expected_reach`` equals the plan's own estimate.

Examples
--------
>>> import refgraph as rg
>>> from refgraph.analysis.forecast import simulate_referrals, whom_to_cultivate
>>> g = rg.TrustGraph.from_edges(["hub"] * 4, ["a", "b", "c", "d"], [0.5] * 4)
>>> fc = simulate_referrals(g, "hub", runs=4000, seed=1)
>>> abs(fc.expected_reach - (1 + 4 * 0.5)) < 3 * fc.standard_error   # closed form 1 + n p trust
True
>>> plan = whom_to_cultivate(g, top=1, seed=1, compare=False)
>>> plan.contacts
('hub',)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .._checks import count, probability
from .._checks import seed as check_seed
from .._progress import progress as progress_bar
from ..engine._cascade import Arcs, ReverseSets, Tally, Worlds, celf, salt, tally
from ..engine.graph import TrustGraph, as_graph
from ..errors import DataError, UnknownContactError
from ..results import Ranking, Table

__all__ = [
    "Check",
    "CultivationPlan",
    "Pick",
    "ReachRow",
    "ReferralForecast",
    "simulate_referrals",
    "whom_to_cultivate",
]

_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


# -- checks -------------------------------------------------------------------------------------------
#: The most runs one call makes: it keeps one reach per run (80 MB at this bound).
MAX_RUNS = 10_000_000


def _check_runs(runs: Any, seconds_per_run: Callable[[], float]) -> int:
    number = count(runs, "runs", low=1)
    if number > MAX_RUNS:
        took = number * seconds_per_run()
        raise DataError(f"at most {MAX_RUNS:,} runs in one call; {number:,} runs would take about "
                        f"{took / 3600:,.1f} hours on this graph: run fewer (the standard error falls as "
                        "1/sqrt(runs)) or batches with different seeds", field="runs", value=runs)
    return number


def _seconds_per_run(g: TrustGraph, seeds: Hashable | Iterable[Hashable], p: float, max_generations: int | None) -> float:
    """How long one run takes on ``g``, timed over 1,000 runs (for the message of a request too large)."""
    arcs, sources = Arcs.of(g, p, salt(np.random.default_rng(0))), _seed_indices(g, seeds)
    tally(arcs, sources, 10, max_generations, progress_bar(10, "", False))  # compiled before it is timed
    start = time.perf_counter()
    tally(arcs, sources, 1000, max_generations, progress_bar(1000, "", False))
    return (time.perf_counter() - start) / 1000


def _check_generations(max_generations: Any) -> int | None:
    return None if max_generations is None else count(max_generations, "max_generations")


def _seed_indices(g: TrustGraph, seeds: Hashable | Iterable[Hashable]) -> np.ndarray:
    wanted: list[Hashable] = (
        [seeds] if seeds in g or isinstance(seeds, str) or not isinstance(seeds, Iterable)  # type: ignore[list-item]
        else list(seeds))
    if not wanted:
        raise DataError("no seeds: name at least one contact to start the cascade", field="seeds")
    found = []
    for contact in wanted:
        try:
            found.append(g.index(contact))
        except UnknownContactError as err:
            raise UnknownContactError(contact, "seed of a referral forecast", suggestions=err.suggestions) from None
    return np.unique(np.array(found, dtype=np.int64))


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

    Rows are the contacts reached in at least one run, most likely first (ties by id), made
    the first time they are asked for.

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
    """

    def __init__(
        self,
        g: TrustGraph,
        seeds: tuple[Hashable, ...],
        *,
        runs: int,
        p: float,
        max_generations: int | None,
        tally: Tally,
    ) -> None:
        self.seeds = seeds
        #: The seeds' display names, for pictures.
        self.seed_names = tuple(g.name(c) for c in seeds)
        self.runs = runs
        self.p = p
        self.max_generations = max_generations
        self.reach = tally.reach
        self.per_generation = tally.per_generation / runs
        self._graph = g
        self._tally = tally
        # no Table.__init__: its rows would be built now; _rows builds them on first use
        self.title = (f"Referral forecast: expected reach {self.expected_reach:.3g} ± {self.standard_error:.2g} "
                      f"over {runs} runs (p = {p:.3g})")

    @cached_property
    def probabilities(self) -> np.ndarray:
        """Each contact's probability of being reached, in the graph's index order."""
        return self._tally.hits / self.runs

    @cached_property
    def _rows(self) -> tuple[ReachRow, ...]:  # type: ignore[override]
        hits, generation_sums = self._tally.hits, self._tally.generation_sums
        reached = np.flatnonzero(hits)
        order = reached[np.lexsort((reached, -hits[reached]))]
        names = self._graph.node_values("name")
        ids = self._graph.ids[order].tolist()
        probability = self.probabilities[order].tolist()
        mean_generation = (generation_sums[order] / hits[order]).tolist()
        return tuple(
            ReachRow(c, str(c) if names is None else names[i], pr, mg)
            for c, i, pr, mg in zip(ids, order.tolist(), probability, mean_generation, strict=True)
        )

    def __len__(self) -> int:
        return int(np.count_nonzero(self._tally.hits))

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
        from ..plot.forecast import reach_distribution

        return reach_distribution(self, ax=ax)


def simulate_referrals(
    g: TrustGraph,
    seeds: Hashable | Iterable[Hashable],
    *,
    runs: int = 1000,
    p: float = 1.0,
    max_generations: int | None = None,
    seed: int | None = None,
    progress: bool = False,
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
    progress : bool
        Show a progress bar over the runs (tqdm's when installed).

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
    DataError
        ``g`` not a TrustGraph, no seeds, ``runs < 1``, ``p`` outside [0, 1] or
        ``max_generations < 0``.

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
    g = as_graph(g)
    p, max_generations, seed = probability(p, "p"), _check_generations(max_generations), check_seed(seed)
    runs = _check_runs(runs, lambda: _seconds_per_run(g, seeds, p, max_generations))
    sources = _seed_indices(g, seeds)
    arcs = Arcs.of(g, p, salt(np.random.default_rng(seed)))
    bar = progress_bar(runs, "simulating", progress)
    counts = tally(arcs, sources, runs, max_generations, bar)
    bar.close()
    return ReferralForecast(g, tuple(g.ids[sources].tolist()), runs=runs, p=p, max_generations=max_generations,
                            tally=counts)


# -- whom to cultivate ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pick:
    """One contact to cultivate: its ``rank``, the reach it adds and the total reach so far."""

    rank: int
    contact: Hashable
    name: str
    marginal_gain: float
    expected_reach: float


@dataclass(frozen=True)
class Check:
    """The picks re-scored on ``runs`` fresh worlds (none of those they were chosen on) beside
    PageRank's top contacts on the very same worlds, so the comparison is paired.

    ``reach`` is the expected reach of the first 1, 2 ... k picks together, ``standard_error``
    that of all k; ``pagerank_reach`` is PageRank's top k's and ``advantage`` the picks' reach
    minus it, with its own ``advantage_error`` (paired, world by world). The same worlds are
    ``simulate_referrals(g, plan.contacts, runs=check.runs, p=plan.p, seed=check.seed)``.
    """

    runs: int
    seed: int
    reach: tuple[float, ...]
    standard_error: float
    pagerank_reach: float | None
    advantage: float | None
    advantage_error: float | None

    @property
    def beats_pagerank(self) -> bool | None:
        """Whether the picks reach more than PageRank's top, beyond twice the noise (None when
        not compared)."""
        if self.advantage is None or self.advantage_error is None:
            return None
        return self.advantage > NOISE * self.advantage_error


#: An advantage counts only beyond this many standard errors (about 95 % one-sided confidence).
NOISE = 2.0


class CultivationPlan(Ranking[Pick]):
    """The contacts whose cultivation reaches the most people (see :func:`whom_to_cultivate`);
    :meth:`plot` draws each pick's marginal gain.

    ``contacts`` are the picks in the order greedy chose them and ``expected_reach`` the expected
    reach of all of them together (seeds included).

    Attributes
    ----------
    method, runs, p
        How the plan was made (``runs``: worlds for CELF, reverse-reachable sets for RR).
    pagerank : tuple or None
        The top contacts by PageRank (as many as picks), for comparison; None when not compared.
    pagerank_reach : float or None
        Their expected reach, estimated on the same worlds as the picks'.
    check : Check or None
        The picks and PageRank's top re-scored on fresh worlds (automatic runs only): the
        numbers to report, free of the optimism of scoring picks on the worlds that chose them.
    tied_with : tuple or None
        Another set of picks as good within the noise (automatic runs only), when two
        independent sets of worlds kept choosing differently: the candidates are tied.
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
        check: Check | None = None,
        tied_with: tuple[Hashable, ...] | None = None,
    ) -> None:
        self.method = method
        self.runs = runs
        self.p = p
        self.pagerank = pagerank
        self.pagerank_reach = pagerank_reach
        self.check = check
        self.tied_with = tied_with
        title = f"Whom to cultivate ({method}, p = {p:.3g}): expected reach {rows[-1].expected_reach:.3g}"
        if pagerank_reach is not None:
            title += f"; PageRank's top {len(rows)} reach {pagerank_reach:.3g}"
        super().__init__(rows, by="marginal_gain", title=title)

    @property
    def contacts(self) -> tuple[Hashable, ...]:
        """The picks in the order they were chosen."""
        return tuple(r.contact for r in self)

    @property
    def expected_reach(self) -> float:
        """Expected reach of all the picks together."""
        return self[len(self) - 1].expected_reach


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
    top: int,
    *,
    runs: int | None = None,
    p: float = 1.0,
    max_generations: int | None = None,
    seed: int | None = None,
    method: str = "celf",
    compare: bool = True,
    progress: bool = False,
) -> CultivationPlan:
    """The ``top`` contacts whose cultivation maximises the expected reach of their referrals.

    Greedy on the estimated expected reach, which is monotone and submodular, so the picks
    reach at least ``1 - 1/e`` (63 %) of the best possible set's estimate (Kempe, Kleinberg and
    Tardos 2003). The graph's owner is never picked.

    Parameters
    ----------
    g : TrustGraph
    top : int
        How many contacts to pick.
    runs : int, optional
        ``"celf"``: Monte Carlo worlds, the same for every candidate (common random numbers).
        By default they are chosen for a stable answer: greedy runs on two independent sets
        of 500 worlds, then 2,000, 8,000 and 32,000 (fewer on large graphs), until both pick
        the same contacts; if they never agree, the two sets are tied within the noise and
        ``tied_with`` names the other one. ``"rr"``: reverse-reachable sets (default 20 times
        the number of contacts, at least 10,000 and at most 1,000,000; fewer when the sets
        grow too large).
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
        Also estimate the reach of PageRank's ``top`` contacts, on the same worlds.
    progress : bool
        Show a progress bar over the worlds (or sets) and the picks (tqdm's when installed).

    Returns
    -------
    CultivationPlan
        A row per pick in order (``rank``, ``contact``, ``name``, ``marginal_gain``,
        cumulative ``expected_reach``); ``contacts``, ``expected_reach``, ``pagerank`` and
        ``pagerank_reach``. With automatic runs, or ``"rr"``, also ``check``: the picks and
        PageRank's top re-scored on four times as many fresh worlds, with standard errors
        (estimates on the worlds that chose the picks flatter them), and ``tied_with``.

    Raises
    ------
    DataError
        ``g`` not a TrustGraph, ``top < 1``, ``top`` above the number of contacts that can be
        picked, ``runs < 1``, ``p`` outside [0, 1], ``max_generations < 0`` or an unknown ``method``.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["ana"] * 3 + ["ben"] * 2, ["a1", "a2", "a3", "b1", "b2"], [0.9] * 5)
    >>> plan = whom_to_cultivate(g, top=2, runs=2000, seed=0, compare=False)
    >>> plan.contacts                                   # two separate hubs, the bigger first
    ('ana', 'ben')
    >>> [round(r.marginal_gain, 1) for r in plan]       # about 1 + 3 * 0.9 and 1 + 2 * 0.9
    [3.7, 2.8]

    With automatic runs the picks are re-scored on fresh worlds beside PageRank's top:

    >>> plan = whom_to_cultivate(g, top=1, seed=0)
    >>> plan.contacts, plan.tied_with, plan.check.runs
    (('ana',), None, 2000)
    >>> abs(plan.check.reach[-1] - (1 + 3 * 0.9)) < 3 * plan.check.standard_error
    True
    """
    g = as_graph(g)
    if top < 1:
        raise DataError("pick at least one contact", field="top", value=top)
    if method not in ("celf", "rr"):
        raise DataError("method must be 'celf' or 'rr'", field="method", value=method)
    p, max_generations, seed = probability(p, "p"), _check_generations(max_generations), check_seed(seed)
    n = len(g)
    auto = runs is None and method == "celf"
    if runs is None:
        runs = _rounds(n)[0] if method == "celf" else min(1_000_000, max(10_000, 20 * n))
    runs = _check_runs(runs, lambda: _seconds_per_run(g, g.ids[:1].tolist(), p, max_generations))
    candidate = np.ones(n, dtype=bool)
    if g.owner is not None:
        candidate[g.index(g.owner)] = False
    candidates = np.flatnonzero(candidate)
    if top > len(candidates):
        raise DataError(f"only {len(candidates)} contacts can be picked", field="top", value=top)
    rng = np.random.default_rng(seed)
    pagerank_top = _pagerank_top(g, top, candidate) if compare else None
    check = tied = None
    if auto:
        rounds = _rounds(n)
        bar = progress_bar(2 * sum(rounds) + 2 * top * len(rounds) + 1, "cultivating", progress)
        worlds, picks, gains, tied = _stable_celf(g, p, max_generations, candidates, top, rng, rounds, bar)
        runs = worlds.runs
        scale = 1.0 / runs
        top_reach = None if pagerank_top is None else len(worlds.reached(np.array(pagerank_top))) * scale
        check = _check(g, p, max_generations, picks, pagerank_top, 4 * runs, int(rng.integers(0, 2**62)))
        bar.update()
    elif method == "celf":
        bar = progress_bar(runs + top, "cultivating", progress)
        worlds = Worlds(Arcs.of(g, p, salt(rng)), runs, max_generations)
        picks, gains = celf(worlds, candidates, top, bar)
        scale = 1.0 / runs
        top_reach = None if pagerank_top is None else len(worlds.reached(np.array(pagerank_top))) * scale
    else:
        bar = progress_bar(runs + top, "cultivating", progress)
        sets = ReverseSets(g, p, runs, max_generations, rng, bar)
        runs = sets.count
        picks, gains = sets.greedy(candidates, top, bar)
        scale = n / runs
        top_reach = None if pagerank_top is None else sets.reach(pagerank_top)
        check = _check(g, p, max_generations, picks, pagerank_top, 4 * _rounds(n)[-1], int(rng.integers(0, 2**62)))
    bar.close()
    names = g.node_values("name")
    cumulative = np.cumsum(gains) * scale
    rows = [
        Pick(rank + 1, contact, str(contact) if names is None else names[v], gain * scale, float(reach))
        for rank, (contact, v, gain, reach) in enumerate(zip(g.ids[picks].tolist(), picks, gains, cumulative,
                                                              strict=True))
    ]
    pagerank = None if pagerank_top is None else tuple(g.ids[pagerank_top].tolist())
    return CultivationPlan(rows, method=method, runs=runs, p=p, pagerank=pagerank, pagerank_reach=top_reach,
                           check=check, tied_with=None if tied is None else tuple(g.ids[tied].tolist()))


def _rounds(n: int) -> list[int]:
    """The numbers of worlds automatic runs try, each four times the last: from 500 up to
    32,000, fewer on large graphs (at most about 4e7 contact-worlds, so 4,000 at 10,000
    contacts and one round of 500 from 80,000 on)."""
    rounds = [500]
    while rounds[-1] < 32_000 and 4 * rounds[-1] * n <= 40_000_000:
        rounds.append(4 * rounds[-1])
    return rounds


def _stable_celf(
    g: TrustGraph, p: float, max_generations: int | None, candidates: np.ndarray, k: int,
    rng: np.random.Generator, rounds: list[int], bar: Any,
) -> tuple[Worlds, list[int], list[int], list[int] | None]:
    """Greedy picks that two independent sets of worlds agree on, trying more worlds until they
    do: ``(worlds, picks, gains, tied)``. When the largest round still disagrees, the two sets
    are tied within the noise: ``tied`` is the second one (else None)."""
    first, second = salt(rng), salt(rng)  # the first is simulate_referrals(seed=seed)'s worlds
    for runs in rounds:
        worlds = Worlds(Arcs.of(g, p, first), runs, max_generations)
        picks, gains = celf(worlds, candidates, k, bar)
        other, _ = celf(Worlds(Arcs.of(g, p, second), runs, max_generations), candidates, k, bar)
        if set(other) == set(picks):
            return worlds, picks, gains, None
    return worlds, picks, gains, other


def _check(
    g: TrustGraph, p: float, max_generations: int | None, picks: list[int], top: list[int] | None, runs: int,
    seed: int,
) -> Check:
    """Re-score ``picks`` (each prefix) and PageRank's ``top`` on ``runs`` fresh worlds, those of
    ``simulate_referrals(..., seed=seed)``."""
    worlds = Worlds(Arcs.of(g, p, salt(np.random.default_rng(seed))), runs, max_generations)
    n = len(g)

    def per_world(sources: list[int]) -> np.ndarray:
        return np.bincount(worlds.reached(np.array(sources)) // n, minlength=runs).astype(np.float64)

    reach = tuple(float(per_world(picks[: j + 1]).mean()) for j in range(len(picks)))
    ours = per_world(picks)
    error = float(ours.std(ddof=1) / math.sqrt(runs)) if runs > 1 else math.inf
    if top is None:
        return Check(runs, seed, reach, error, None, None, None)
    diff = ours - per_world(top)
    spread = float(diff.std(ddof=1) / math.sqrt(runs)) if runs > 1 else math.inf
    return Check(runs, seed, reach, error, reach[-1] - float(diff.mean()), float(diff.mean()), spread)
