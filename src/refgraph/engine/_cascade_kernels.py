"""The compiled loops of the cascade engine (numba); :mod:`._cascade` imports this module when a
cascade first runs, so ``import refgraph`` does not load numba. Compiled code is cached on disk.

Every kernel runs one world (one Monte Carlo run) at a time, breadth first, node by node: a
reached contact's arcs are tried in CSR order, an arc to a contact already reached is skipped
without a coin, and a coin is flipped only when it could matter. The coin of arc ``a`` in world
``w`` is the top 53 bits of SplitMix64's output for counter ``w * n_arcs + a`` (the hash of
``(w * n_arcs + a) * golden + salt``); the arc passes a referral when it is below
``floor(trust * p * 2**53)``. A cascade's memory is three arrays of the contacts (reached, the
order they were reached in, their generations), cleared by the contacts reached, not by the
whole graph, so one world costs what its cascade reaches.

A graph is handed over as a tuple ``(indptr, indices, trust, scale, salt)`` with ``scale = p *
2**53``; ``max_generations`` is -1 for no limit. Kernels that run many worlds stop after the
first world at which their work (arcs looked at, plus contacts reached) passes ``budget``, and
say where they stopped, so that a long computation comes back often enough for a progress bar
and Ctrl-C.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

#: numba reads none of these annotations (it types each kernel from the arrays it is given).
Array = np.ndarray[Any, Any]
Graph = tuple[Array, Array, Array, float, np.uint64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# numba mixes uint64 with int64 in float64: every constant of the hash is a uint64
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_NOTHING = np.zeros(0, dtype=np.int64)  # no blocked keys


@numba.njit(cache=True)
def _coin(counter: int, salt: np.uint64) -> np.uint64:
    """The 53-bit coin of ``counter`` (``world * n_arcs + arc``)."""
    x = np.uint64(counter) * _GOLDEN + salt
    x ^= x >> _S30
    x *= _MIX1
    x ^= x >> _S27
    x *= _MIX2
    x ^= x >> _S31
    return x >> _S11


@numba.njit(cache=True)
def _live(graph: Graph, base: int, a: int) -> bool:
    """Whether arc ``a`` passes a referral in the world whose counters start at ``base``."""
    _, _, trust, scale, salt = graph
    return bool(_coin(base + a, salt) < np.floor(trust[a] * scale))


@numba.njit(cache=True)
def _holds(keys: Array, key: int) -> bool | np.bool_:
    """Whether the sorted ``keys`` hold ``key``."""
    i = np.searchsorted(keys, key)
    return i < len(keys) and keys[i] == key


@numba.njit(cache=True)
def _spread(graph: Graph, flip: bool, world: int, blocked: Array, reached: Array, order: Array, generation: Array,
            size: int, max_generations: int) -> tuple[int, int]:
    """Run the cascade of one world from ``order[:size]`` (generation 0, marked ``reached``):
    append whoever it reaches, with their generations; return the new size and the arcs looked
    at. ``flip``: arcs pass by their coins; otherwise every arc passes (a fixed world). The
    sorted keys ``world * n + contact`` in ``blocked`` count as reached: they are looked up
    only for the arcs that pass, so a cascade costs what it reaches, not what is blocked."""
    indptr, indices = graph[0], graph[1]
    base = world * len(indices)
    first = world * (len(indptr) - 1)
    head = 0
    depth = 0
    looked = 0
    while head < size and depth != max_generations:
        end = size
        depth += 1
        for i in range(head, end):
            u = order[i]
            lo, hi = indptr[u], indptr[u + 1]
            looked += hi - lo
            for a in range(lo, hi):
                v = indices[a]
                if reached[v]:
                    continue
                if flip and not _live(graph, base, a):
                    continue
                if len(blocked) and _holds(blocked, first + v):
                    continue
                reached[v] = True
                order[size] = v
                generation[size] = depth
                size += 1
        head = end
    return size, looked


@numba.njit(cache=True)
def _start(sources: Array, first: int, blocked: Array, reached: Array, order: Array, generation: Array) -> int:
    """Mark the sources not reached yet (nor blocked: ``first`` is the world's first key) as
    generation 0; return how many."""
    size = 0
    for s in sources:
        if not reached[s] and not (len(blocked) and _holds(blocked, first + s)):
            reached[s] = True
            order[size] = s
            generation[size] = 0
            size += 1
    return size


@numba.njit(cache=True)
def _buffers(graph: Graph) -> tuple[Array, Array, Array]:
    """Reached flags (all clear), reach order and generations, one entry per contact."""
    n = len(graph[0]) - 1
    return np.zeros(n, np.bool_), np.empty(n, graph[1].dtype), np.empty(n, np.int32)


@numba.njit(cache=True)
def _grow(buffer: Array, need: int) -> Array:
    """``buffer``, or a copy with room for at least ``need`` entries."""
    if need <= len(buffer):
        return buffer
    bigger = np.empty(max(need, 2 * len(buffer)), buffer.dtype)
    bigger[: len(buffer)] = buffer
    return bigger


@numba.njit(cache=True)
def tally(graph: Graph, sources: Array, start: int, stop: int, max_generations: int, budget: int, reach: Array,
          per_generation: Array, hits: Array, generation_sums: Array) -> tuple[int, int]:
    """Run worlds ``start, start + 1, ...`` (before ``stop``) from ``sources``, counting into
    ``reach`` (per world), ``per_generation``, and per contact ``hits`` and ``generation_sums``.
    Returns the world it stopped before and the number of generations its worlds reached."""
    reached, order, generation = _buffers(graph)
    generations = 0
    work = 0
    world = start
    while world < stop and work < budget:
        size = _start(sources, 0, _NOTHING, reached, order, generation)
        size, looked = _spread(graph, True, world, _NOTHING, reached, order, generation, size,
                               max_generations)
        reach[world] = size
        for i in range(size):
            v, depth = order[i], generation[i]
            reached[v] = False
            hits[v] += 1
            generation_sums[v] += depth
            per_generation[depth] += 1
        generations = max(generations, generation[size - 1] + 1)
        work += looked + size
        world += 1
    return world, generations


@numba.njit(cache=True)
def reached_keys(graph: Graph, sources: Array, start: int, stop: int, max_generations: int, budget: int,
                 blocked: Array) -> tuple[int, Array]:
    """The keys ``world * n + contact`` reached from ``sources`` in worlds ``start, start + 1,
    ...`` (before ``stop``), world by world; the sorted keys in ``blocked`` count as reached
    already and are not expanded. Returns the world it stopped before and the keys."""
    reached, order, generation = _buffers(graph)
    n = len(reached)
    keys = np.empty(1024, np.int64)
    count = 0
    work = 0
    world = start
    while world < stop and work < budget:
        lo, hi = np.searchsorted(blocked, world * n), np.searchsorted(blocked, (world + 1) * n)
        size = _start(sources, world * n, blocked[lo:hi], reached, order, generation)
        size, looked = _spread(graph, True, world, blocked[lo:hi], reached, order, generation, size,
                               max_generations)
        keys = _grow(keys, count + size)
        for i in range(size):
            reached[order[i]] = False
            keys[count] = world * n + order[i]
            count += 1
        work += looked + size
        world += 1
    return world, keys[:count]


@numba.njit(cache=True)
def singles(graph: Graph, world: int, candidates: Array, max_generations: int, totals: Array) -> None:
    """Add to ``totals`` the reach of each candidate alone in ``world``: the arcs that pass in
    it are drawn once, then every candidate's cascade runs on them."""
    indptr, indices, trust, scale, salt = graph
    n = len(indptr) - 1
    base = world * len(indices)
    live_ptr = np.empty(n + 1, indptr.dtype)
    live = np.empty(len(indices), indices.dtype)
    kept = 0
    for u in range(n):
        live_ptr[u] = kept
        for a in range(indptr[u], indptr[u + 1]):
            if _live(graph, base, a):
                live[kept] = indices[a]
                kept += 1
    live_ptr[n] = kept
    fixed = (live_ptr, live[:kept], trust, scale, salt)
    reached, order, generation = _buffers(graph)
    for i in range(len(candidates)):
        size = _start(candidates[i : i + 1], 0, _NOTHING, reached, order, generation)
        size, _ = _spread(fixed, False, 0, _NOTHING, reached, order, generation, size, max_generations)
        totals[i] += size
        for j in range(size):
            reached[order[j]] = False


@numba.njit(cache=True)
def reverse_sets(graph: Graph, roots: Array, start: int, max_generations: int, budget: int, entries: int,
                 most: int) -> tuple[int, Array, Array]:
    """Reverse-reachable sets ``start, start + 1, ...``: set ``i`` holds whoever reaches
    ``roots[i]`` in world ``i`` (``graph`` is the reversed graph). Stops as the work passes
    ``budget`` or once the ``entries`` held before plus those made pass ``most``. Returns the
    set it stopped before, each set's size and their members, set by set."""
    reached, order, generation = _buffers(graph)
    sizes = np.empty(0, np.int64)
    members = np.empty(1024, order.dtype)
    count = 0
    work = 0
    i = start
    while i < len(roots) and work < budget and entries + count <= most:
        size = _start(roots[i : i + 1], 0, _NOTHING, reached, order, generation)
        size, looked = _spread(graph, True, i, _NOTHING, reached, order, generation, size, max_generations)
        members = _grow(members, count + size)
        for j in range(size):
            reached[order[j]] = False
            members[count + j] = order[j]
        count += size
        sizes = _grow(sizes, i - start + 1)
        sizes[i - start] = size
        work += looked + size
        i += 1
    return i, sizes[: i - start], members[:count]


@numba.njit(cache=True)
def sets_by_contact(sizes: Array, members: Array, n: int) -> tuple[Array, Array]:
    """The sets each contact is in, in set order: a counting sort of ``members`` (set ``i``
    holds the next ``sizes[i]`` of them) by contact. Returns each contact's first position
    (and the end) and the sets."""
    ptr = np.zeros(n + 1, np.int64)
    for v in members:
        ptr[v + 1] += 1
    ptr = np.cumsum(ptr)
    fill = ptr[:-1].copy()
    sets = np.empty(len(members), np.int64)
    j = 0
    for i in range(len(sizes)):
        for _ in range(sizes[i]):
            v = members[j]
            sets[fill[v]] = i
            fill[v] += 1
            j += 1
    return ptr, sets
