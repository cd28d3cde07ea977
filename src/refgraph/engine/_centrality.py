"""Array engines of the centralities in :mod:`refgraph.analysis.influence`.

Every function takes the graph's CSR matrix of trust (rows are arc sources) and returns one
numpy array in node-index order. Nothing here loops over nodes in Python: PageRank and
eigenvector are sparse power iterations. Betweenness (a Dijkstra and Brandes' accumulation per
source), closeness and harmonic (a Dijkstra per contact), brokerage and reach, whose work per
source or contact is irregular, run as compiled loops on every core
(:mod:`refgraph.engine._centrality_kernels`).

>>> import numpy as np, scipy.sparse as sp
>>> path = sp.csr_array(np.array([[0, .5, 0], [.5, 0, .5], [0, .5, 0]]))
>>> np.round(pagerank(path, alpha=0.85, personalization=None, tol=1e-9, max_iter=1000), 3)
array([0.257, 0.486, 0.257])
>>> brandes(path, np.arange(3), rtol=1e-9).tolist()
[0.0, 2.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import RefgraphError

__all__ = [
    "PairSampler",
    "brandes",
    "distance_sums",
    "eigenvector",
    "hop_limited_best",
    "pagerank",
    "reach",
    "structural_holes",
]

#: Cost given to arcs of trust 1 (cost 0) by betweenness, so that equal-cost ties stay a DAG.
COST_FLOOR = 1e-6
#: Groups of sources betweenness sums apart (fixed, so that sums do not depend on the threads).
SOURCE_GROUPS = 8
#: Pairs :class:`PairSampler` draws a kernel call.
PAIR_BLOCK = 16_384
#: About how many sparse entries (or distances) one chunk of a blocked computation may hold.
CHUNK_ENTRIES = 4_000_000


def _converged_or_raise(what: str, max_iter: int, tol: float) -> RefgraphError:
    return RefgraphError(f"{what} did not converge in max_iter={max_iter} iterations to tol={tol:g}; "
                         "raise max_iter or tol")


def pagerank(
    A: sp.csr_array, *, alpha: float, personalization: np.ndarray | None, tol: float, max_iter: int
) -> np.ndarray:
    """PageRank by power iteration, as networkx computes it (dangling mass follows the
    personalisation), stopped once the L1 distance to the exact vector is provably below ``tol``.
    """
    n = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = np.flatnonzero(out == 0)
    inv = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    walk = (A.T @ sp.diags_array(inv)).tocsr()  # column-stochastic except dangling columns
    p = np.full(n, 1.0 / n) if personalization is None else personalization / personalization.sum()
    x = np.full(n, 1.0 / n)
    # The iteration is an alpha-contraction in L1: |x_k - x*| <= alpha / (1 - alpha) |x_k - x_{k-1}|.
    bound = tol * (1 - alpha) / alpha if alpha > 0 else np.inf
    teleport = (1 - alpha) * p
    for _ in range(max_iter):
        last = x
        x = walk @ last
        x += last[dangling].sum() * p
        x *= alpha
        x += teleport
        if np.abs(x - last).sum() < bound:
            return x
    raise _converged_or_raise("PageRank", max_iter, tol)


def eigenvector(A: sp.csr_array, *, tol: float, max_iter: int) -> np.ndarray:
    """Eigenvector centrality as networkx iterates it: ``x <- (A^T + I) x``, Euclidean norm 1,
    from the uniform vector, until the L1 change is below ``tol``."""
    n = A.shape[0]
    step = (A.T + sp.eye_array(n, format="csr")).tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = step @ last
        x /= np.linalg.norm(x) or 1.0
        if np.abs(x - last).sum() < tol:
            return x
    raise _converged_or_raise("eigenvector centrality", max_iter, tol)


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(starts[i], stops[i])`` for every ``i``, vectorised."""
    counts = stops - starts
    ends = np.cumsum(counts)
    return np.repeat(starts - ends + counts, counts) + np.arange(ends[-1] if len(ends) else 0)


def _row_chunks(per_row: np.ndarray, budget: int = CHUNK_ENTRIES) -> Iterator[np.ndarray]:
    """Consecutive blocks of row numbers whose summed ``per_row`` sizes stay near ``budget``
    (a row larger than the budget gets a block of its own)."""
    offsets = np.cumsum(per_row) - per_row
    starts = np.flatnonzero(np.diff(offsets // budget, prepend=-1))
    for start, stop in zip(starts.tolist(), [*starts[1:].tolist(), len(per_row)], strict=True):
        yield np.arange(start, stop)


def brandes(A: sp.csr_array, sources: np.ndarray, *, rtol: float, bar: Any = None) -> np.ndarray:
    """Brandes' dependency sums over ``sources`` on ``cost = -log(trust)`` (not yet rescaled).

    Equal-cost paths are all counted: an arc ``u -> v`` lies on a shortest path from ``s`` when
    ``d(u) + cost <= d(v) * (1 + rtol)``. Costs below :data:`COST_FLOOR` are raised to it.
    Compiled and on every core (:func:`refgraph.engine._centrality_kernels.brandes`), a block of
    sources a call; ``bar`` (see :mod:`refgraph._progress`) is told of each block done.
    """
    from . import _centrality_kernels as kernels  # numba loads with the first use

    n = A.shape[0]
    cost = np.maximum(-np.log(A.data), COST_FLOOR)
    indptr, indices = A.indptr.astype(np.int64), A.indices.astype(np.int64)
    total = np.zeros(n)
    for block in _row_chunks(np.full(len(sources), n)):
        total += kernels.brandes(indptr, indices, cost, sources[block].astype(np.int64), rtol, SOURCE_GROUPS)
        if bar is not None:
            bar.update(len(block))
    return total


class PairSampler:
    """Betweenness by KADABRA's estimator (Borassi and Natale, 2016): draw a pair of contacts
    uniformly, draw one of its shortest paths on ``cost = -log(trust)`` uniformly among the
    equal-cost ones, and count one hit for each contact inside it. A contact's hits over ``N``
    draws are binomial with mean ``N`` times its betweenness over all ordered pairs, so the
    estimate is unbiased and its error shrinks as ``1 / sqrt(N)`` whatever the graph.

    Each path comes from a balanced bidirectional Dijkstra (compiled, on every core:
    :func:`refgraph.engine._centrality_kernels.pair_paths`). Draw ``i`` uses its own random
    stream from ``seed`` and ``i``, so the hits of draws ``0 .. N`` are the same however they
    are split into calls or threads.

    >>> import numpy as np, scipy.sparse as sp
    >>> path = sp.csr_array(np.array([[0, .5, 0], [.5, 0, .5], [0, .5, 0]]))
    >>> sampler = PairSampler(path, seed=0, rtol=1e-9)
    >>> hits = sampler.draw(600)
    >>> hits[[0, 2]].tolist(), bool(150 < hits[1] < 250)  # the middle is inside 2 of the 6 ordered pairs
    ([0, 0], True)
    """

    def __init__(self, A: sp.csr_array, *, seed: int, rtol: float) -> None:
        inward = A.T.tocsr()
        self._arcs = tuple(part for M in (A, inward) for part in (
            M.indptr.astype(np.int64), M.indices.astype(np.int64), np.maximum(-np.log(M.data), COST_FLOOR)))
        self._seed, self._rtol = np.uint64(seed), rtol
        #: How many arcs between its two searches a draw keeps; more are found again in the rows.
        self.room = A.shape[0]
        #: How many pairs have been drawn so far.
        self.drawn = 0

    def draw(self, count: int, bar: Any = None) -> np.ndarray:
        """The hits of ``count`` more draws (int64, one per contact); ``bar`` is told of each
        block of :data:`PAIR_BLOCK` draws done."""
        import numba

        from . import _centrality_kernels as kernels  # numba loads with the first use

        indptr, indices, cost, rindptr, rindices, rcost = self._arcs
        hits = np.zeros(len(indptr) - 1, dtype=np.int64)
        for first in range(self.drawn, self.drawn + count, PAIR_BLOCK):
            size = min(PAIR_BLOCK, self.drawn + count - first)
            hits += kernels.pair_paths(indptr, indices, cost, rindptr, rindices, rcost, self._rtol, self._seed, first,
                                       size, numba.get_num_threads(), self.room)
            if bar is not None:
                bar.update(size)
        self.drawn += count
        return hits


def distance_sums(A: sp.csr_array, targets: np.ndarray, bar: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each target ``u``, over the contacts that can reach it on cost: how many there are
    (``u`` included), the sum of their distances, and the sum of ``1/d`` over nonzero ``d``
    (a Dijkstra into each target, compiled and on every core:
    :func:`refgraph.engine._centrality_kernels.distance_sums`; ``bar`` is told of each block done)."""
    from . import _centrality_kernels as kernels  # numba loads with the first use

    n = A.shape[0]
    inward = A.T.tocsr()
    indptr, indices, cost = inward.indptr.astype(np.int64), inward.indices.astype(np.int64), -np.log(inward.data)
    sums = np.zeros((3, len(targets)))
    for block in _row_chunks(np.full(len(targets), n)):
        chosen = targets[block].astype(np.int64)
        sums[:, block] = kernels.distance_sums(indptr, indices, cost, chosen, kernels.blocks(len(chosen)))
        if bar is not None:
            bar.update(len(block))
    return sums[0], sums[1], sums[2]


def structural_holes(A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Burt's effective size and constraint on mutual trust, as networkx defines them
    (``weight="trust"``); contacts without any neighbour get effective size 0, constraint NaN
    (compiled, on every core: :func:`refgraph.engine._centrality_kernels.structural_holes`)."""
    from . import _centrality_kernels as kernels  # numba loads with the first use

    mutual = _sorted((A + A.T).tocsr())
    return kernels.structural_holes(mutual.indptr.astype(np.int64), mutual.indices.astype(np.int64),
                                    mutual.data.astype(np.float64), kernels.blocks(A.shape[0]))


def reach(A: sp.csr_array, max_hops: int) -> tuple[np.ndarray, np.ndarray]:
    """For every contact: how many others it reaches in at most ``max_hops`` arcs, and the sum
    of the trust of its best chain (product of trust, at most ``max_hops`` arcs) to each
    (compiled, on every core: :func:`refgraph.engine._centrality_kernels.reach`)."""
    from . import _centrality_kernels as kernels  # numba loads with the first use

    A = _sorted(A)
    return kernels.reach(A.indptr.astype(np.int64), A.indices.astype(np.int64), A.data.astype(np.float64), max_hops,
                         kernels.blocks(A.shape[0]))


def _sorted(A: sp.csr_array) -> sp.csr_array:
    """``A`` with each row's columns in order (the kernels bisect rows)."""
    if not A.has_sorted_indices:
        A = A.sorted_indices()
    return A


def hop_limited_best(A: sp.csr_array, rows: np.ndarray, max_hops: int) -> tuple[np.ndarray, np.ndarray]:
    """Best chain trust from each of ``rows`` to every contact within ``max_hops`` arcs, as
    (key = local row * n + contact, trust) pairs: rounds of relaxation from the improved set."""
    n, out_degree = A.shape[0], np.diff(A.indptr)
    keys = np.arange(len(rows), dtype=np.int64) * n + rows
    best = np.ones(len(rows))
    front_keys, front_val = keys, best
    for _ in range(max_hops):
        node = front_keys % n
        arcs = _ranges(A.indptr[node], A.indptr[node + 1])
        cand_keys = np.repeat(front_keys // n, out_degree[node]) * n + A.indices[arcs]
        cand_val = np.repeat(front_val, out_degree[node]) * A.data[arcs]
        all_keys = np.concatenate([keys, cand_keys])
        all_val = np.concatenate([best, cand_val])
        fresh = np.concatenate([np.zeros(len(keys), bool), np.ones(len(cand_keys), bool)])
        order = np.lexsort((fresh, -all_val, all_keys))  # per key: best first, the old one on ties
        first = np.ones(len(order), dtype=bool)
        first[1:] = all_keys[order][1:] != all_keys[order][:-1]
        win = order[first]
        keys, best = all_keys[win], all_val[win]
        improved = fresh[win]
        front_keys, front_val = keys[improved], best[improved]
        if not len(front_keys):
            break
    return keys, best
