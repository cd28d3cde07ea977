"""Centres of influence: who opens doors, by the raw measures and in words.

One function per measure (:func:`strength`, :func:`degree`, :func:`pagerank`,
:func:`eigenvector`, :func:`betweenness`, :func:`closeness`, :func:`harmonic`, :func:`brokerage`,
:func:`reach`, or :func:`centrality` by name) gives it for every contact as a :class:`Centrality`,
exactly as networkx defines it (on ``trust``, or on ``cost = -log(trust)`` for the path-based
measures), computed with sparse matrix and compiled kernels. :func:`centres_of_influence`
combines several measures into one ranking with a reason per contact. Who is ready to be
*asked* for an introduction is :mod:`refgraph.analysis.asking`.

Examples
--------
>>> import refgraph as rg
>>> from refgraph.analysis.influence import centrality, centres_of_influence
>>> g = rg.TrustGraph.from_edges(["ana", "ben", "ben", "raj"], ["ben", "raj", "eve", "eve"],
...                              [0.9, 0.8, 0.7, 0.6], directed=False)
>>> pr = centrality(g, "pagerank")
>>> list(pr)[:2], round(pr["ben"], 3)
(['ben', 'raj'], 0.388)
>>> centrality(g, "betweenness")["ben"]
0.6666666666666666
>>> centres_of_influence(g, top=1)[0].contact
'ben'
"""

from __future__ import annotations

import functools
import inspect
import random
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import make_dataclass
from os import PathLike
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._checks import choice, count, flag, positive, probability
from .._checks import seed as check_seed
from .._progress import progress as progress_bar
from ..engine import _centrality as engine
from ..engine.graph import TrustGraph, as_graph
from ..errors import DataError, UnknownContactError
from ..results import Ranking

__all__ = [
    "MEASURES",
    "PAGERANK_ALPHA",
    "PAGERANK_TOL",
    "Centrality",
    "CentresOfInfluence",
    "betweenness",
    "brokerage",
    "centrality",
    "centres_of_influence",
    "closeness",
    "degree",
    "eigenvector",
    "harmonic",
    "pagerank",
    "reach",
    "strength",
]

_SHOWN = 20

# -- the result ---------------------------------------------------------------------------------
@functools.cache
def _row_type(measure: str, extras: tuple[str, ...]) -> type:
    fields = [("contact", Hashable), ("name", str), (measure, float), *((e, float) for e in extras)]
    return make_dataclass(f"{measure.title()}Row", fields, frozen=True)


def _readonly(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view


class Centrality(Mapping[Hashable, float]):
    """One measure for each scored contact: a read-only mapping from contact id to value.

    Iterating (``list(result)``, ``keys()``, ``items()``) goes best first, ties broken by id;
    ``result[id]`` is the value, :meth:`column` gives the measure's other columns (``constraint``
    for ``brokerage``, ``contacts`` for ``reach``). As arrays, in the graph's index order (not
    ranked): :attr:`nodes` (the scored contacts' ids), :attr:`values` and :attr:`columns`. It
    shows as a table of the top contacts, with names, and turns into a
    :class:`~refgraph.results.Table`, a DataFrame or a CSV file.

    >>> c = rg.degree(rg.sample_network().trust_graph())
    >>> c.measure, len(c), c.top(1)
    ('degree', 109, ['me'])
    >>> first = c.nodes[0]
    >>> bool(c.values[0] == c[first]), list(c.nodes) == sorted(c.nodes)
    (True, True)
    >>> list(rg.reach(rg.sample_network().trust_graph()).columns)
    ['contacts']
    """

    def __init__(
        self,
        graph: TrustGraph,
        measure: str,
        values: np.ndarray,
        *,
        nodes: np.ndarray | None = None,
        columns: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        self.graph = graph
        self.measure = measure
        self._nodes = np.arange(len(graph)) if nodes is None else nodes
        self._values = values
        self._columns = dict(columns or {})
        self._order: np.ndarray | None = None

    # -- arrays ---------------------------------------------------------------------------
    @property
    def nodes(self) -> np.ndarray:
        """The scored contacts' ids, in the graph's index order (read-only)."""
        return _readonly(self.graph.ids[self._nodes])

    @property
    def values(self) -> np.ndarray:  # type: ignore[override]
        """The measure's values as a float array aligned with :attr:`nodes` (read-only).

        ``values`` of a :class:`~collections.abc.Mapping` is a method; here it is this array, so
        ``result.values`` is the array and ``result.values()`` is refused: use :meth:`items`."""
        return _readonly(self._values)

    @property
    def columns(self) -> Mapping[str, np.ndarray]:
        """The measure's other columns (``constraint`` of ``brokerage``, ``contacts`` of ``reach``)
        as float arrays aligned with :attr:`nodes` (read-only)."""
        return MappingProxyType({name: _readonly(c) for name, c in self._columns.items()})

    # -- mapping --------------------------------------------------------------------------
    def _position(self, contact: Hashable) -> int:
        i = self.graph.index(contact)
        k = int(np.searchsorted(self._nodes, i))
        if k == len(self._nodes) or self._nodes[k] != i:
            raise UnknownContactError(contact, f"not scored by this {self.measure}")
        return k

    def __getitem__(self, contact: Hashable) -> float:
        return float(self._values[self._position(contact)])

    def __len__(self) -> int:
        return len(self._nodes)

    def _ranked(self) -> np.ndarray:
        if self._order is None:
            self._order = np.lexsort((self._nodes, -self._values))
        return self._order

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.graph.ids[self._nodes[self._ranked()]].tolist())

    def top(self, k: int) -> list[Hashable]:
        """The ``k`` best contacts' ids, best first (ties by id)."""
        return self.graph.ids[self._nodes[self._ranked()[:k]]].tolist()

    def column(self, name: str) -> dict[Hashable, float]:
        """Another column of this measure (e.g. ``constraint`` of ``brokerage``) by contact id."""
        if name not in self._columns:
            raise DataError(f"this {self.measure} has the columns {sorted(self._columns) or 'none'}",
                            field="column", value=name)
        return dict(zip(self.graph.ids[self._nodes].tolist(), self._columns[name].tolist(), strict=True))

    # -- tables and pictures --------------------------------------------------------------
    def _names(self, positions: np.ndarray) -> list[str]:
        names = self.graph.node_values("name")
        ids = self.graph.ids[self._nodes[positions]].tolist()
        if names is None:
            return [str(i) for i in ids]
        return [str(names[j]) for j in self._nodes[positions].tolist()]

    def table(self, top: int | None = None) -> Ranking[Any]:
        """The ``top`` rows (all by default) as a :class:`~refgraph.results.Ranking`, best first."""
        positions = self._ranked()[:top]
        row = _row_type(self.measure, tuple(self._columns))
        ids = self.graph.ids[self._nodes[positions]].tolist()
        cells = zip(ids, self._names(positions), self._values[positions].tolist(),
                    *(c[positions].tolist() for c in self._columns.values()), strict=True)
        shown = "" if top is None or top >= len(self) else f": top {len(positions)} of {len(self)} contacts"
        return Ranking([row(*c) for c in cells], by=self.measure, title=f"{self.measure}{shown}")

    def to_pandas(self) -> Any:
        """All contacts, best first, as a ``pandas.DataFrame`` (needs pandas)."""
        return self.table().to_pandas()

    def to_csv(self, path: str | PathLike[str]) -> None:
        """Write all contacts, best first, to a spreadsheet-safe CSV file, atomically."""
        self.table().to_csv(path)

    def plot(self, ax: Any = None, *, top: int = 15) -> Any:
        """Horizontal bars of the ``top`` contacts (:meth:`Ranking.plot <refgraph.results.Ranking.plot>`
        of :meth:`table`); returns the Axes."""
        return self.table(top).plot(ax, top=top)

    def __repr__(self) -> str:
        return repr(self.table(_SHOWN))

    def _repr_html_(self) -> str:
        return self.table(_SHOWN)._repr_html_()


# -- the measures -------------------------------------------------------------------------------
def _by_mode(g: TrustGraph, weights: np.ndarray, mode: str) -> np.ndarray:
    choice(mode, "mode", ("all", "in", "out"))
    n = len(g)
    out = np.bincount(np.repeat(np.arange(n), np.diff(g.indptr)), weights=weights, minlength=n)
    if not g.directed:
        return out
    into = np.bincount(g.indices, weights=weights, minlength=n)
    return {"all": out + into, "in": into, "out": out}[mode]


def strength(g: TrustGraph, *, mode: str = "all") -> Centrality:
    """The sum of trust on each contact's relationships (``G.degree(weight="trust")``).

    ``mode="all"`` counts both directions of a directed graph, ``"in"`` and ``"out"`` one.

    >>> g = rg.TrustGraph.from_edges(["ana", "ana", "ben"], ["ben", "raj", "raj"], [0.9, 0.5, 0.8])
    >>> s = rg.strength(g)
    >>> s.top(1), round(s["ana"], 2), round(rg.strength(g, mode="in")["raj"], 2)
    (['ben'], 1.4, 1.3)
    """
    g = as_graph(g)
    return Centrality(g, "strength", _by_mode(g, np.asarray(g.edge_trust), mode))


def degree(g: TrustGraph, *, mode: str = "all") -> Centrality:
    """The number of each contact's relationships (``G.degree()``), with :func:`strength`'s ``mode``.

    >>> g = rg.TrustGraph.from_edges(["ana", "ana", "ben"], ["ben", "raj", "raj"], [0.9, 0.5, 0.8])
    >>> dict(rg.degree(g, mode="out").items())
    {'ana': 2.0, 'ben': 1.0, 'raj': 0.0}
    """
    g = as_graph(g)
    return Centrality(g, "degree", _by_mode(g, np.ones(len(g.indices)), mode))


#: PageRank's damping and tolerance (L1 distance to the exact ranks) unless told otherwise.
PAGERANK_ALPHA = 0.85
PAGERANK_TOL = 1e-6


def pagerank(
    g: TrustGraph,
    *,
    alpha: float = PAGERANK_ALPHA,
    personalization: Mapping[Hashable, float] | None = None,
    tol: float = PAGERANK_TOL,
    max_iter: int = 1000,
) -> Centrality:
    """PageRank on trust, as ``nx.pagerank(G, weight="trust")`` computes it.

    ``alpha`` is the damping; ``personalization`` maps contact ids to weights (at least 0, not
    all 0) and dangling contacts follow it, as in networkx; the result is within ``tol`` of the
    exact PageRank in L1 (so in every value); more than ``max_iter`` iterations raise
    :class:`~refgraph.errors.RefgraphError`.

    >>> g = rg.sample_network().trust_graph()
    >>> pr = rg.pagerank(g)
    >>> pr.top(2), round(float(pr.values.sum()), 6)
    (['me', 'erik.haddad'], 1.0)
    >>> rg.pagerank(g, personalization={"ana.silva": 1.0}).top(2)  # the walk restarts at Ana
    ['me', 'ana.silva']
    """
    g = as_graph(g)
    alpha = probability(alpha, "alpha")
    tol = positive(tol, "tol")
    max_iter = count(max_iter, "max_iter", low=1)
    p = None
    if personalization is not None:
        if not isinstance(personalization, Mapping):
            raise DataError("give a mapping of contact id to weight", field="personalization",
                            value=type(personalization).__name__)
        p = np.zeros(len(g))
        for contact, weight in personalization.items():
            p[g.index(contact)] = positive(weight, "personalization") if weight else 0.0
        if not p.sum() > 0:
            raise DataError("weights must be at least 0 and not all 0", field="personalization")
    if len(g) == 0:
        return Centrality(g, "pagerank", np.zeros(0))
    values = engine.pagerank(g.trust_matrix(), alpha=alpha, personalization=p, tol=tol, max_iter=max_iter)
    return Centrality(g, "pagerank", values)


def eigenvector(g: TrustGraph, *, tol: float = 1e-9, max_iter: int = 1000) -> Centrality:
    """Eigenvector centrality on trust, as ``nx.eigenvector_centrality(G, weight="trust")``
    iterates it; more than ``max_iter`` iterations raise :class:`~refgraph.errors.RefgraphError`.

    >>> g = rg.TrustGraph.from_edges(["ana", "ben", "ben"], ["ben", "raj", "eve"], [0.9, 0.8, 0.7], directed=False)
    >>> rg.eigenvector(g).top(1)
    ['ben']
    """
    g = as_graph(g)
    tol = positive(tol, "tol")
    max_iter = count(max_iter, "max_iter", low=1)
    if len(g) == 0:
        return Centrality(g, "eigenvector", np.zeros(0))
    return Centrality(g, "eigenvector", engine.eigenvector(g.trust_matrix(), tol=tol, max_iter=max_iter))


def betweenness(
    g: TrustGraph,
    *,
    betweenness_sample: int | None = None,
    pairs: int | None = None,
    seed: int | None = 0,
    normalized: bool = True,
    rtol: float = 1e-9,
    progress: bool = False,
) -> Centrality:
    """Betweenness on ``cost = -log(trust)``: ``nx.betweenness_centrality(G, weight="cost")``.

    Every equal-cost path is counted (costs equal within ``rtol``, relative; arcs of trust 1
    cost 1e-6). With ``betweenness_sample`` (between 1 and the number of contacts) the
    dependencies are summed from that many sources, sampled with ``seed`` as networkx samples
    them from ``g.to_networkx()``, and rescaled as networkx does: with one source, that source has
    no data on itself and scores NaN (it ranks last).

    With ``pairs`` it is estimated from that many pairs of contacts drawn with ``seed``, one
    shortest path of each drawn uniformly among its equal-cost ones (KADABRA's estimator,
    :class:`refgraph.engine._centrality.PairSampler`), on networkx's scale. The estimate is
    unbiased, and its standard error is ``sqrt(b (1 - b) / pairs)`` on the share ``b`` of pairs
    a contact lies between, whatever the graph: 100,000 pairs pin a contact between 1% of
    pairs to about ±0.03%, in seconds on a million relationships, where sources would each
    need a search of the whole graph. ``progress=True`` shows a progress bar.

    >>> g = rg.TrustGraph.from_edges(["ana", "ben", "ben", "raj"], ["ben", "raj", "eve", "eve"],
    ...                              [0.9, 0.8, 0.7, 0.6], directed=False)
    >>> rg.betweenness(g)["ben"]
    0.6666666666666666
    >>> import networkx as nx  # the same sources as networkx draws for the seed
    >>> theirs = nx.betweenness_centrality(g.to_networkx(), k=2, seed=1, weight="cost")
    >>> rg.betweenness(g, betweenness_sample=2, seed=1)["ben"] == theirs["ben"]
    True
    >>> estimate = rg.betweenness(g, pairs=20_000)["ben"]  # from 20,000 pairs: within 0.02 of exact
    >>> abs(estimate - 0.6667) < 0.02
    True
    """
    g = as_graph(g)
    n = len(g)
    if betweenness_sample is not None:
        betweenness_sample = count(betweenness_sample, "betweenness_sample", low=1, high=max(n, 1))
    if pairs is not None:
        pairs = count(pairs, "pairs", low=1)
        if betweenness_sample is not None:
            raise DataError("give betweenness_sample (sources) or pairs, not both", field="pairs", value=pairs)
    seed = check_seed(seed)
    normalized, progress = flag(normalized, "normalized"), flag(progress, "progress")
    rtol = positive(rtol, "rtol")
    if pairs is not None and n > 2:
        sampler = engine.PairSampler(g.trust_matrix(), seed=_stream(seed), rtol=rtol)
        bar = progress_bar(pairs, "betweenness", progress)
        hits = sampler.draw(pairs, bar)
        bar.close()
        return Centrality(g, "betweenness", _from_pairs(g, hits, pairs, normalized=normalized))
    k = n if betweenness_sample is None else betweenness_sample
    sampled = k < n
    # The sources networkx picks for the same seed: random.Random(seed).sample(list(G), k).
    sources = np.array(sorted(random.Random(seed).sample(range(n), k)) if sampled else np.arange(n), dtype=np.int64)
    bar = progress_bar(len(sources), "betweenness", progress)
    values = engine.brandes(g.trust_matrix(), sources, rtol=rtol, bar=bar) if n else np.zeros(0)
    bar.close()
    if n > 2:  # networkx's rescaling (endpoints excluded), with sources of a sample apart
        pairs_scale = 1.0 / (n - 2) if normalized else (n - 1) / (1 if g.directed else 2)
        values *= pairs_scale / (k if sampled else n - 1)
        if sampled:
            values[sources] *= k / (k - 1) if k > 1 else np.nan  # one source: no data on itself
    return Centrality(g, "betweenness", values)


def _stream(seed: int | None) -> int:
    """The 64-bit seed of a pair sampler: ``seed`` itself, or a fresh one when ``None``."""
    return random.SystemRandom().randrange(2**64) if seed is None else seed % 2**64


def _from_pairs(g: TrustGraph, hits: np.ndarray, drawn: int, *, normalized: bool = True) -> np.ndarray:
    """Betweenness on networkx's scale from the ``hits`` of ``drawn`` pairs (``len(g) > 2``): a
    pair's share estimates the sum over the ``n (n - 1)`` ordered pairs, which networkx divides
    by ``(n - 1) (n - 2)`` when normalised, and by 2 more on undirected graphs when not."""
    n = len(g)
    share = hits / drawn
    if normalized:
        return share * n / (n - 2)
    return share * n * (n - 1) / (1 if g.directed else 2)


def _subset(g: TrustGraph, contacts: Iterable[Hashable] | None) -> np.ndarray:
    if contacts is None:
        return np.arange(len(g))
    if isinstance(contacts, (str, bytes)) or not isinstance(contacts, Iterable):
        raise DataError("give a list of contact ids", field="contacts", value=contacts)
    return np.unique(np.array([g.index(c) for c in contacts], dtype=np.int64))


def _distance_sums(g: TrustGraph, contacts: Iterable[Hashable] | None, label: str,
                   progress: bool) -> tuple[np.ndarray, ...]:
    nodes = _subset(g, contacts)
    progress = flag(progress, "progress")
    if not len(nodes):
        return nodes, np.zeros(0), np.zeros(0), np.zeros(0)
    bar = progress_bar(len(nodes), label, progress)
    sums = engine.distance_sums(g.trust_matrix(), nodes, bar)
    bar.close()
    return nodes, *sums


def closeness(g: TrustGraph, *, contacts: Iterable[Hashable] | None = None, progress: bool = False) -> Centrality:
    """Closeness on cost: ``nx.closeness_centrality(G, distance="cost")`` (incoming distances
    when directed, scaled by the share of contacts that reach each one).

    ``contacts`` scores only those contacts (one search each, on both cores); ``progress=True``
    shows a progress bar.

    >>> g = rg.TrustGraph.from_edges(["ana", "ben"], ["ben", "raj"], [0.5, 0.5], directed=False)
    >>> c = rg.closeness(g, contacts=["ana", "ben"])
    >>> c.top(2), round(c["ben"], 3)
    (['ben', 'ana'], 1.443)
    """
    g = as_graph(g)
    nodes, reached, total, _ = _distance_sums(g, contacts, "closeness", progress)
    others = reached - 1
    ok = total > 0
    values = np.zeros(len(nodes))
    if len(g) > 1:
        values[ok] = others[ok] / total[ok] * others[ok] / (len(g) - 1)
    return Centrality(g, "closeness", values, nodes=nodes)


def harmonic(g: TrustGraph, *, contacts: Iterable[Hashable] | None = None, progress: bool = False) -> Centrality:
    """Harmonic centrality on cost: ``nx.harmonic_centrality(G, distance="cost")``, the sum of
    ``1 / distance`` from every contact that reaches each one; ``contacts`` and ``progress`` as
    in :func:`closeness`.

    >>> g = rg.TrustGraph.from_edges(["ana", "ben"], ["ben", "raj"], [0.5, 0.5], directed=False)
    >>> round(rg.harmonic(g)["ben"], 3)
    2.885
    """
    g = as_graph(g)
    nodes, *_, values = _distance_sums(g, contacts, "harmonic", progress)
    return Centrality(g, "harmonic", values, nodes=nodes)


def brokerage(g: TrustGraph) -> Centrality:
    """Burt's effective size (``nx.effective_size(G, nodes, weight="trust")``), with
    ``constraint`` (``nx.constraint``, lower is more brokerage) as a column.

    A contact with no relationship has effective size 0 and constraint NaN (networkx: NaN and NaN;
    when directed, networkx also gives NaN to contacts with incoming relationships only, which are
    scored here from those).

    >>> b = rg.brokerage(rg.sample_network().trust_graph())
    >>> round(b["me"], 1), round(b.column("constraint")["me"], 3)
    (90.9, 0.036)
    """
    g = as_graph(g)
    if len(g) == 0:
        return Centrality(g, "brokerage", np.zeros(0), columns={"constraint": np.zeros(0)})
    effective, constraint = engine.structural_holes(g.trust_matrix())
    return Centrality(g, "brokerage", effective, columns={"constraint": constraint})


def reach(g: TrustGraph, *, max_hops: int = 2) -> Centrality:
    """Trusted reach: the sum, over the contacts within ``max_hops`` introductions, of the trust
    of the best chain to each (the product of its trusts); the column ``contacts`` counts them.

    >>> g = rg.TrustGraph.from_edges(["ana", "ben"], ["ben", "raj"], [0.5, 0.5])
    >>> r = rg.reach(g)
    >>> r["ana"], r.column("contacts")["ana"], rg.reach(g, max_hops=1)["ana"]
    (0.75, 2.0, 0.5)
    """
    g = as_graph(g)
    max_hops = count(max_hops, "max_hops", low=1)
    if len(g) == 0:
        return Centrality(g, "reach", np.zeros(0), columns={"contacts": np.zeros(0)})
    contacts, weighted = engine.reach(g.trust_matrix(), max_hops)
    return Centrality(g, "reach", weighted, columns={"contacts": contacts})


_MEASURES: dict[str, Callable[..., Centrality]] = {
    "betweenness": betweenness,
    "brokerage": brokerage,
    "closeness": closeness,
    "degree": degree,
    "eigenvector": eigenvector,
    "harmonic": harmonic,
    "pagerank": pagerank,
    "reach": reach,
    "strength": strength,
}
#: The names :func:`centrality` accepts.
MEASURES: tuple[str, ...] = tuple(_MEASURES)


def centrality(g: TrustGraph, measure: str, **options: Any) -> Centrality:
    """One centrality ``measure`` of every contact of ``g``, best first.

    ``centrality(g, "pagerank", alpha=0.9)`` is ``pagerank(g, alpha=0.9)``: each measure is one of
    the functions below, which say what it computes (each equal to the networkx function it
    names, on small graphs) and take the options named here:

    - ``"strength"``, ``"degree"``: :func:`strength`, :func:`degree` (``mode``).
    - ``"pagerank"``: :func:`pagerank` (``alpha``, ``personalization``, ``tol``, ``max_iter``).
    - ``"eigenvector"``: :func:`eigenvector` (``tol``, ``max_iter``).
    - ``"betweenness"``: :func:`betweenness` (``betweenness_sample``, ``pairs``, ``seed``, ``normalized``,
      ``rtol``, ``progress``).
    - ``"closeness"``, ``"harmonic"``: :func:`closeness`, :func:`harmonic` (``contacts``,
      ``progress``).
    - ``"brokerage"``: :func:`brokerage` (no option; ``constraint`` is a column).
    - ``"reach"``: :func:`reach` (``max_hops``; ``contacts`` is a column).

    An unknown measure or option raises :class:`~refgraph.errors.DataError` naming the valid
    ones, as does a bad value of an option; an unknown contact in an option raises
    :class:`~refgraph.errors.UnknownContactError`; an empty graph gives an empty result.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.sample_network().trust_graph()
    >>> pr = centrality(g, "pagerank")
    >>> pr.top(3), round(sum(v for _, v in pr.items()), 6)
    (['me', 'erik.haddad', 'gabriel.sato'], 1.0)
    >>> centrality(g, "betweenness", betweenness_sample=50, seed=1).top(1)
    ['me']
    >>> centrality(g, "fame")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: field 'measure' (value 'fame'): unknown measure; choose one of betweenness, ..., strength
    >>> centrality(g, "betweenness", k=50)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: field 'k': betweenness takes the options betweenness_sample, pairs, seed, ..., progress
    """
    g = as_graph(g)
    if measure not in _MEASURES:
        raise DataError(f"unknown measure; choose one of {', '.join(MEASURES)}", field="measure", value=measure)
    fn = _MEASURES[measure]
    allowed = [p for p in inspect.signature(fn).parameters if p != "g"]
    for name in options:
        if name not in allowed:
            raise DataError(f"{measure} takes the options {', '.join(allowed) or 'none'}", field=name)
    return fn(g, **options)


# -- centres of influence -------------------------------------------------------------------
_CENTRE_MEASURES = ("pagerank", "betweenness", "brokerage", "reach")
#: Contacts up to which :func:`centres_of_influence` computes betweenness exactly.
EXACT_BETWEENNESS_LIMIT = 5_000
#: Above that size, the ranking's betweenness is estimated from sampled pairs, first this many...
FIRST_PAIRS = 4_096
#: ... doubling until both halves of the sample show the same top, or until this many.
PAIR_LIMIT = 2**16
#: Scores (mean percentile ranks) this close to the last place's are near-ties: either half of the
#: sample may put them in or out of the top.
NEAR_TIE = 1e-4
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


class CentresOfInfluence(Ranking[Any]):
    """The composite ranking of :func:`centres_of_influence`, one row per contact, best first;
    :meth:`plot` draws the composite scores."""

    title = "Centres of influence"


def _undirected_pattern(g: TrustGraph) -> sp.csr_array:
    """Who is linked to whom, either way, as a symmetric 0/1 matrix."""
    n = len(g)
    both = sp.csr_array((np.ones(len(g.indices)), g.indices, g.indptr), shape=(n, n))
    return (both + both.T).tocsr()


def _groups(both: sp.csr_array, i: int) -> int:
    """How many groups ``i``'s contacts form when two are grouped if they know each other or
    share a contact other than ``i`` (``both``: :func:`_undirected_pattern`). Only ``i``'s
    contacts and theirs are looked at."""
    friends = both.indices[both.indptr[i] : both.indptr[i + 1]]
    if len(friends) < 2:
        return len(friends)
    sub = both[friends]
    sub.data[sub.indices == i] = 0.0  # the contacts they share other than i
    sub.eliminate_zeros()
    k = len(friends)
    local, cols = np.unique(np.concatenate([sub.indices, friends]), return_inverse=True)
    rows = np.concatenate([np.repeat(np.arange(k), np.diff(sub.indptr)), np.arange(k)])
    links = sp.coo_array((np.ones(len(rows)), (rows, cols + k)), shape=(k + len(local), k + len(local)))
    labels = connected_components(links, directed=False)[1]
    return len(np.unique(labels[:k]))


def _reason(both: sp.csr_array, i: int, values: Mapping[str, float], reach_count: float, max_hops: int) -> str:
    parts = []
    groups = _groups(both, i)
    if groups >= 2:
        parts.append(f"bridges {groups} groups that share no other contact")
    hops = _WORDS.get(max_hops, str(max_hops))
    parts.append(f"{int(reach_count)} contacts within {hops} trusted introduction{'s' * (max_hops != 1)}")
    if values.get("betweenness", 0) > 0:
        parts.append(f"on the most trusted chains between {values['betweenness']:.0%} of other pairs")
    if values.get("brokerage", 0) > 0:
        parts.append(f"{values['brokerage']:.1f} non-redundant contacts")
    return "; ".join(parts)


def _percentiles(values: np.ndarray) -> np.ndarray:
    """Each value's rank (average for ties, 1 the least) among ``values``, after rounding them
    to 9 significant digits of their largest so that equal measures reached by different float
    sums rank as ties; NaN (a lone sampled source's betweenness) ranks with the least."""
    from scipy.stats import rankdata  # scipy.stats takes half a second to import: only when ranking

    values = np.nan_to_num(values, nan=0.0)
    scale = float(np.max(np.abs(values), initial=0.0)) or 1.0
    return rankdata(np.round(values / scale, 9), method="average")


def _leaders(score: np.ndarray, candidates: np.ndarray, top: int) -> np.ndarray:
    """Positions of the ``top`` best ``score``, ties broken by contact."""
    return np.lexsort((candidates, -score))[:top]


def _ranked_betweenness(g: TrustGraph, candidates: np.ndarray, others: np.ndarray, measures: int, top: int,
                        seed: int | None) -> tuple[Centrality, str]:
    """Betweenness estimated from sampled pairs (:func:`betweenness` with ``pairs``) for as long
    as the ranking needs: :data:`FIRST_PAIRS`, then doubling until the two halves of the sample,
    each on its own, put the same contacts in the ``top`` but for near-ties (contacts whose score
    from the whole sample is within :data:`NEAR_TIE` of the last place's), or until
    :data:`PAIR_LIMIT`. ``others`` are the candidates' summed ranks by the other measures, of
    ``measures`` in all. Returns it and a note saying how it went."""
    sampler = engine.PairSampler(g.trust_matrix(), seed=_stream(seed), rtol=1e-9)
    tie = NEAR_TIE * measures * len(candidates)  # a near-tie in the units of summed ranks

    def scores(hits: np.ndarray) -> np.ndarray:
        return others + _percentiles(hits[candidates])

    hits = sampler.draw(FIRST_PAIRS)
    while True:
        more = sampler.draw(sampler.drawn)
        halves = [set(_leaders(scores(h), candidates, top).tolist()) for h in (hits, more)]
        hits += more
        score = scores(hits)
        last = np.sort(score)[::-1][min(top, len(score)) - 1] if top else 0.0
        apart = halves[0] ^ halves[1]
        settled = all(abs(score[j] - last) <= tie for j in apart)
        if settled or sampler.drawn >= PAIR_LIMIT:
            break
    if not settled:
        outcome = "the two halves of the sample still differ at the top: the last places may swap"
    elif apart:
        outcome = "both halves of the sample put the same contacts in the top, but for near-ties at the last place"
    else:
        outcome = "both halves of the sample put the same contacts in the top"
    note = f"Betweenness estimated from {sampler.drawn:,} sampled pairs of contacts; {outcome}."
    return Centrality(g, "betweenness", _from_pairs(g, hits, sampler.drawn)), note


def centres_of_influence(
    g: TrustGraph,
    top: int = 10,
    *,
    exclude_owner: bool = True,
    measures: Iterable[str] = _CENTRE_MEASURES,
    betweenness_sample: int | None = None,
    seed: int | None = 0,
) -> CentresOfInfluence:
    """The contacts who open the most doors: a composite of several centralities, with reasons.

    Each of ``measures`` (names of :func:`centrality`) is turned into a percentile rank among the candidates
    (average rank for ties, so the best gets 1 and the worst ``1/n``); the ``score`` is the mean
    of those ranks. Rows are the ``top`` contacts by score, ties broken by id, without the graph's
    owner when ``exclude_owner``. Each row carries ``contact``, ``name``, ``score``, the value of
    each measure and a ``reason`` in words: how many groups of contacts it bridges (groups whose
    members share no contact but it), how many contacts it reaches within two trusted
    introductions, and its betweenness and effective size when measured.

    Betweenness is exact up to :data:`EXACT_BETWEENNESS_LIMIT` contacts. Above, it is estimated
    from pairs of contacts sampled with ``seed`` (:func:`betweenness` with ``pairs``): first
    :data:`FIRST_PAIRS`, then twice as many at each step, until the two halves of the sample,
    each ranked on its own, agree on who is in the ``top``, but for near-ties (scores within
    :data:`NEAR_TIE` of the last place's), or until :data:`PAIR_LIMIT` pairs. Two independent
    samples that agree are the sign that the top no longer depends on the sample; the result's
    ``note`` says how many pairs it took and whether the halves agreed. On generated graphs of
    10,000 contacts, where exact betweenness is affordable, the ranking stopped this way held the
    exact top 10 for every seed tried (``benchmarks/bench_ranking.py``); 100,000 contacts and a
    million relationships take seconds, ten times that about a minute. With ``betweenness_sample``,
    betweenness is :func:`betweenness` from that many sources sampled with ``seed``, as
    networkx samples them.

    Examples
    --------
    >>> import refgraph as rg
    >>> from itertools import combinations
    >>> edges = [*combinations("abcd", 2), *combinations("wxyz", 2), ("d", "hub"), ("hub", "w")]
    >>> g = rg.TrustGraph.from_edges(*zip(*edges), [0.8] * len(edges), directed=False)
    >>> best = centres_of_influence(g, top=3)
    >>> [(r.contact, round(r.score, 2)) for r in best]
    [('d', 0.89), ('w', 0.89), ('hub', 0.72)]
    >>> print(best[2].reason.replace("; ", ";\\n"))
    bridges 2 groups that share no other contact;
    8 contacts within two trusted introductions;
    on the most trusted chains between 57% of other pairs;
    2.0 non-redundant contacts
    """
    g = as_graph(g)
    top = count(top, "top")
    exclude_owner = flag(exclude_owner, "exclude_owner")
    seed = check_seed(seed)
    if isinstance(measures, str) or not isinstance(measures, Iterable):
        raise DataError("give a list of measure names", field="measures", value=measures)
    chosen = list(dict.fromkeys(measures))
    if not chosen:
        raise DataError("name at least one measure", field="measures")
    n = len(g)
    if betweenness_sample is not None:
        betweenness_sample = min(count(betweenness_sample, "betweenness_sample", low=1), max(n, 1))
    estimate = "betweenness" in chosen and betweenness_sample is None and n > EXACT_BETWEENNESS_LIMIT
    sampling = {"betweenness_sample": betweenness_sample, "seed": seed}
    computed = {m: centrality(g, m, **(sampling if m == "betweenness" else {}))
                for m in chosen if not (estimate and m == "betweenness")}
    candidates = np.arange(n)
    if exclude_owner and g.owner is not None:
        candidates = candidates[candidates != g.index(g.owner)]
    if not len(candidates):
        return CentresOfInfluence([])
    ranked = {m: _percentiles(c.values[candidates]) for m, c in computed.items()}
    note = None
    if estimate:
        others = np.sum(list(ranked.values()), axis=0) if ranked else np.zeros(len(candidates))
        computed["betweenness"], note = _ranked_betweenness(g, candidates, others, len(chosen), top, seed)
        ranked["betweenness"] = _percentiles(computed["betweenness"].values[candidates])
    values = {m: computed[m].values[candidates] for m in chosen}
    score = np.mean([ranked[m] for m in chosen], axis=0) / len(candidates)
    best = _leaders(score, candidates, top)
    counts = (computed["reach"] if "reach" in computed else reach(g)).columns["contacts"]
    row = make_dataclass("CentreRow", [("contact", Hashable), ("name", str), ("score", float),
                                       *((m, float) for m in chosen), ("reason", str)], frozen=True)
    ids = g.ids.tolist()
    both = _undirected_pattern(g)
    rows = []
    for j in best.tolist():
        i = int(candidates[j])
        own = {m: float(v[j]) for m, v in values.items()}
        rows.append(row(ids[i], g.name(ids[i]), float(score[j]), *own.values(),
                        _reason(both, i, own, counts[i], 2)))
    return CentresOfInfluence(rows, note=note)
