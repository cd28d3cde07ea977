"""The compiled loops of :mod:`refgraph.engine._centrality` whose work is per contact and irregular:
trusted reach (each contact's neighbourhood a few introductions out), brokerage (each
contact's neighbours and the neighbours they share), and the searches from many sources of
betweenness, closeness and harmonic centrality.

numba compiles them the first time they run and caches the machine code on disk;
:mod:`refgraph.engine._centrality` imports this module only then, so ``import refgraph`` does not load
numba. Contacts are split into blocks that run on all cores (``prange``); each block has its
own scratch arrays, cleared entry by entry after each contact, and every contact's result is
computed by one thread alone, so the results do not depend on the number of threads.
"""

from __future__ import annotations

import numba
import numpy as np


def blocks(n: int) -> np.ndarray:
    """Bounds of the blocks of contacts the kernels share among threads (a few per thread)."""
    return np.linspace(0, n, min(n, 8 * numba.get_num_threads()) + 1).astype(np.int64)


@numba.njit(cache=True)
def _find(indices, lo, hi, v):
    """The position of ``v`` in the sorted ``indices[lo:hi]``, or -1."""
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if indices[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < end and indices[lo] == v else -1


@numba.njit(cache=True, parallel=True)
def reach(indptr, indices, trust, max_hops, bounds):
    """For every contact: how many others it reaches within ``max_hops`` arcs, and the sum over
    them of the trust of its best chain (the product of its arcs' trust) to each.

    Two introductions, the default, take one pass over each contact's neighbours' rows, except
    the row of its best-connected neighbour ``h``: every contact ``h`` trusts is reached through
    it, so ``h``'s part is ``trust(u, h) * (sum of h's row)`` less the contact itself, and only
    the contacts reached another way are looked up in ``h``'s row (by bisection) to add what
    their better chain adds. A star's leaves thus cost one step each, not the star's size.
    Other hop limits relax rounds from the contacts improved in the last round."""
    n = len(indptr) - 1
    count = np.zeros(n)
    weighted = np.zeros(n)
    row_sum = np.zeros(n)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            row_sum[u] += trust[a]
    for b in numba.prange(len(bounds) - 1):
        best = np.zeros(n)
        touched = np.empty(n, dtype=np.int64)
        if max_hops == 2:
            for u in range(bounds[b], bounds[b + 1]):
                count[u], weighted[u] = _two_steps(indptr, indices, trust, row_sum, u, best, touched)
        else:
            front, later = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
            values, stamps = np.empty(n), np.zeros(n, dtype=np.int64)
            stamp = 0
            for u in range(bounds[b], bounds[b + 1]):
                count[u], weighted[u], stamp = _rounds(indptr, indices, trust, max_hops, u, best, touched,
                                                       front, later, values, stamps, stamp)
    return count, weighted


@numba.njit(cache=True)
def _two_steps(indptr, indices, trust, row_sum, u, best, touched):
    hub, hub_trust, size = -1, 0.0, -1
    for a in range(indptr[u], indptr[u + 1]):
        w = indices[a]
        if indptr[w + 1] - indptr[w] > size:
            hub, hub_trust, size = w, trust[a], indptr[w + 1] - indptr[w]
    k = 0
    for a in range(indptr[u], indptr[u + 1]):
        w = indices[a]
        t = trust[a]
        if best[w] == 0.0:
            touched[k] = w
            k += 1
        best[w] = max(best[w], t)
        if w == hub:
            continue
        for c in range(indptr[w], indptr[w + 1]):
            v = indices[c]
            if v == u:
                continue
            x = t * trust[c]
            if best[v] == 0.0:
                touched[k] = v
                k += 1
            best[v] = max(best[v], x)
    count, total = 0.0, 0.0
    if hub >= 0:
        lo, hi = indptr[hub], indptr[hub + 1]
        count = hi - lo
        total = hub_trust * row_sum[hub]
        back = _find(indices, lo, hi, u)
        if back >= 0:  # the hub's row holds the contact itself
            count -= 1
            total -= hub_trust * trust[back]
    for i in range(k):
        v = touched[i]
        x = best[v]
        best[v] = 0.0
        through = _find(indices, indptr[hub], indptr[hub + 1], v) if hub >= 0 else -1
        if through >= 0:
            total += max(x - hub_trust * trust[through], 0.0)
        else:
            total += x
            count += 1
    return count, total


@numba.njit(cache=True)
def _rounds(indptr, indices, trust, max_hops, u, best, touched, front, later, values, stamps, stamp):
    """Reach from ``u`` by rounds: round *r* relaxes the arcs of the contacts improved in round
    *r - 1* with their values as that round ended. ``stamps`` marks a round's improved contacts
    with that round's (ever increasing) ``stamp``; returns the count, the sum and the last stamp."""
    best[u] = 1.0  # nothing beats it: the contact itself is never improved
    touched[0] = front[0] = u
    values[0] = 1.0
    k, width = 1, 1
    for _ in range(max_hops):
        stamp += 1
        m = 0
        for i in range(width):
            x, value = front[i], values[i]
            for a in range(indptr[x], indptr[x + 1]):
                v = indices[a]
                c = value * trust[a]
                if c <= best[v]:
                    continue
                if best[v] == 0.0:
                    touched[k] = v
                    k += 1
                best[v] = c
                if stamps[v] != stamp:
                    stamps[v] = stamp
                    later[m] = v
                    m += 1
        for i in range(m):
            front[i] = later[i]
            values[i] = best[later[i]]
        width = m
        if width == 0:
            break
    total = 0.0
    for i in range(1, k):
        total += best[touched[i]]
        best[touched[i]] = 0.0
    best[u] = 0.0
    return k - 1.0, total, stamp


@numba.njit(cache=True, parallel=True)
def structural_holes(indptr, indices, mutual, bounds):
    """Burt's effective size and constraint of every contact from the symmetric matrix of
    mutual trust (rows sorted), as networkx defines them.

    For a contact ``u`` and each neighbour ``v``, both measures sum over the neighbours ``w``
    the two share: ``p(u, w) m(v, w) / max_x m(v, x)`` (redundancy) and ``p(u, w) m(w, v) /
    sum_x m(w, x)`` (indirect constraint), with ``p(u, w) = m(u, w) / sum_x m(u, x)``. The
    shared neighbours come from whichever of the two rows is shorter, looked up in the other
    (``u``'s row is spread over a scratch array, ``v``'s is bisected), so a hub's row is never
    walked once per neighbour."""
    n = len(indptr) - 1
    share = np.zeros(n)
    strongest = np.zeros(n)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            share[u] += mutual[a]
            strongest[u] = max(strongest[u], mutual[a])
    effective = np.zeros(n)
    constraint = np.full(n, np.nan)
    for b in numba.prange(len(bounds) - 1):
        p = np.zeros(n)  # p(u, w) over u's row, cleared after each contact
        for u in range(bounds[b], bounds[b + 1]):
            lo, hi = indptr[u], indptr[u + 1]
            if lo == hi:
                continue
            for a in range(lo, hi):
                p[indices[a]] = mutual[a] / share[u]
            redundancy, total = 0.0, 0.0
            for a in range(lo, hi):
                v = indices[a]
                shared_v, shared_c = 0.0, 0.0
                if indptr[v + 1] - indptr[v] <= hi - lo:
                    for c in range(indptr[v], indptr[v + 1]):
                        w = indices[c]
                        if p[w] > 0.0:
                            shared_v += p[w] * mutual[c]
                            shared_c += p[w] * mutual[c] / share[w]
                else:
                    for c in range(lo, hi):
                        w = indices[c]
                        d = _find(indices, indptr[v], indptr[v + 1], w)
                        if d >= 0:
                            shared_v += p[w] * mutual[d]
                            shared_c += p[w] * mutual[d] / share[w]
                redundancy += shared_v / strongest[v]
                local = p[v] + shared_c
                total += local * local
            for a in range(lo, hi):
                p[indices[a]] = 0.0
            effective[u] = (hi - lo) - redundancy
            constraint[u] = total
    return effective, constraint


@numba.njit(cache=True, parallel=True)
def brandes(indptr, indices, cost, sources, rtol, parts):
    """Brandes' dependency sums over ``sources`` (not yet rescaled): per source a Dijkstra with
    a binary heap, the shortest-path DAG (arcs with ``d(u) + cost <= d(v) (1 + rtol)``), path
    counts in topological order and dependencies in reverse. The sources are split into
    ``parts`` fixed groups, each summed apart and the groups summed in order, so the answer does
    not depend on the number of threads."""
    n = len(indptr) - 1
    bounds = np.linspace(0, len(sources), parts + 1).astype(np.int64)
    partial = np.zeros((parts, n))
    for b in numba.prange(parts):
        dist = np.full(n, np.inf)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        waiting = np.zeros(n, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)
        queue = np.empty(n, dtype=np.int64)
        heap_cost = np.empty(n)
        heap_node = np.empty(n, dtype=np.int64)
        place = np.full(n, -1, dtype=np.int64)
        for i in range(bounds[b], bounds[b + 1]):
            _dependencies(indptr, indices, cost, sources[i], rtol, dist, sigma, delta, waiting, order, queue,
                          heap_cost, heap_node, place, partial[b])
    total = np.zeros(n)
    for b in range(parts):
        total += partial[b]
    return total


@numba.njit(cache=True, parallel=True)
def distance_sums(indptr, indices, cost, targets, bounds):
    """For each of ``targets``, over the nodes a Dijkstra from it on ``cost`` reaches (itself
    included): how many, the sum of their distances and the sum of ``1 / d`` over ``d > 0``.
    Blocks of targets (``bounds``) run on all cores, each target on one thread alone, so the
    sums do not depend on the number of threads."""
    n = len(indptr) - 1
    count, total, harmonic = np.zeros(len(targets)), np.zeros(len(targets)), np.zeros(len(targets))
    for b in numba.prange(len(bounds) - 1):
        dist = np.full(n, np.inf)
        order = np.empty(n, dtype=np.int64)
        heap_cost = np.empty(n)
        heap_node = np.empty(n, dtype=np.int64)
        place = np.full(n, -1, dtype=np.int64)
        for i in range(bounds[b], bounds[b + 1]):
            reached = _dijkstra(indptr, indices, cost, targets[i], dist, order, heap_cost, heap_node, place)
            for j in range(reached):
                d = dist[order[j]]
                total[i] += d
                if d > 0:
                    harmonic[i] += 1.0 / d
                dist[order[j]] = np.inf
            count[i] = reached
    return count, total, harmonic


@numba.njit(cache=True)
def _dijkstra(indptr, indices, cost, s, dist, order, heap_cost, heap_node, place):
    """Distances from ``s`` into ``dist`` (all ``inf`` before), with a heap of decreasing keys (so
    never more than n entries); the reached nodes go into ``order`` as they are settled, and
    their number is returned."""
    reached = 0
    size = _push(heap_cost, heap_node, place, 0, 0.0, s)
    dist[s] = 0.0
    while size:
        d, u, size = _pop(heap_cost, heap_node, place, size)
        order[reached] = u
        reached += 1
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            c = d + cost[a]
            if c < dist[v]:
                dist[v] = c
                size = _push(heap_cost, heap_node, place, size, c, v)
    return reached


@numba.njit(cache=True)
def _dependencies(indptr, indices, cost, s, rtol, dist, sigma, delta, waiting, order, queue, heap_cost, heap_node,
                  place, out):
    reached = _dijkstra(indptr, indices, cost, s, dist, order, heap_cost, heap_node, place)
    # the DAG's arcs into each node, then path counts in Kahn order from the source
    for i in range(reached):
        u = order[i]
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            if dist[u] + cost[a] <= dist[v] * (1 + rtol):
                waiting[v] += 1
    sigma[s] = 1.0
    queue[0] = s
    head, tail = 0, 1
    while head < tail:
        u = queue[head]
        head += 1
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            if dist[u] + cost[a] <= dist[v] * (1 + rtol):
                sigma[v] += sigma[u]
                waiting[v] -= 1
                if waiting[v] == 0:
                    queue[tail] = v
                    tail += 1
    for i in range(tail - 1, -1, -1):
        u = queue[i]
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            if dist[u] + cost[a] <= dist[v] * (1 + rtol):
                delta[u] += sigma[u] / sigma[v] * (1.0 + delta[v])
    for i in range(tail):
        u = queue[i]
        if u != s:
            out[u] += delta[u]
    for i in range(reached):
        u = order[i]
        dist[u], sigma[u], delta[u], waiting[u] = np.inf, 0.0, 0.0, 0


@numba.njit(cache=True)
def _push(keys, nodes, place, size, key, node):
    """Put ``node`` with ``key`` on the heap, or lower its key if it is there (``place[node]``
    is its position, -1 when absent); returns the new size."""
    i = place[node]
    if i < 0:
        i = size
        size += 1
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        _put(keys, nodes, place, i, keys[parent], nodes[parent])
        i = parent
    _put(keys, nodes, place, i, key, node)
    return size


@numba.njit(cache=True)
def _pop(keys, nodes, place, size):
    """The node with the least key, its key, and the new size."""
    key, node = keys[0], nodes[0]
    place[node] = -1
    size -= 1
    if size == 0:
        return key, node, size
    last_key, last_node = keys[size], nodes[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= last_key:
            break
        _put(keys, nodes, place, i, keys[child], nodes[child])
        i = child
    _put(keys, nodes, place, i, last_key, last_node)
    return key, node, size


@numba.njit(cache=True)
def _put(keys, nodes, place, i, key, node):
    keys[i], nodes[i] = key, node
    place[node] = i


# -- betweenness from sampled pairs (KADABRA's estimator) ------------------------------------
@numba.njit(cache=True)
def _mix(x):
    """splitmix64: a well-mixed 64-bit number from ``x`` (a counter), for per-sample randomness
    that does not depend on which thread draws it."""
    x = x + np.uint64(0x9E3779B97F4A7C15)  # uint64 arithmetic wraps around
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.njit(cache=True)
def _uniform(state):
    """A uniform draw in [0, 1) from the counter ``state[0]``, which it advances."""
    state[0] += np.uint64(1)
    return float(_mix(state[0]) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, parallel=True)
def pair_paths(indptr, indices, cost, rindptr, rindices, rcost, rtol, seed, first, count, parts, room):
    """How often each contact lies inside one shortest path drawn uniformly from the shortest
    paths between a pair of contacts drawn uniformly: samples ``first`` to ``first + count``,
    each from its own stream of random numbers (``seed`` and its number), so any split of the
    samples into calls or threads gives the same counts. ``rindptr/rindices/rcost`` are the
    arcs reversed. Paths within ``rtol`` (relative) of the shortest are shortest. Each of
    ``parts`` blocks of samples (one per thread) has its own scratch arrays; the hits are
    integers, so their sum does not depend on the blocks. ``room``: how many arcs between the
    two searches each keeps (see :func:`_sample_path`)."""
    n = len(indptr) - 1
    hits = np.zeros((parts, n), dtype=np.int64)
    bounds = np.linspace(first, first + count, parts + 1).astype(np.int64)
    for b in numba.prange(parts):
        dist = np.full((n, 2), np.inf)
        sigma = np.zeros((n, 2))
        state = np.zeros((n, 2), dtype=np.int8)  # 1 settled, 2 its path count known (3 on the count's stack)
        touched = np.empty((2, n), dtype=np.int64)
        heap_cost = np.empty((2, n))
        heap_node = np.empty((2, n), dtype=np.int64)
        place = np.full((2, n), -1, dtype=np.int64)
        meet = np.empty((3, room))  # arcs from forward- to backward-settled contacts: tail, head, cost
        path = np.empty(n, dtype=np.int64)
        random = np.zeros(1, dtype=np.uint64)
        for i in range(bounds[b], bounds[b + 1]):
            random[0] = _mix(np.uint64(seed) * np.uint64(0x100000001B3) + np.uint64(i))
            s = int(_uniform(random) * n)
            t = int(_uniform(random) * (n - 1))
            t += t >= s
            length = _sample_path(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, random, dist, sigma,
                                  state, touched, heap_cost, heap_node, place, meet, path)
            for j in range(length):
                hits[b, path[j]] += 1
    total = np.zeros(n, dtype=np.int64)
    for b in range(parts):
        total += hits[b]
    return total


@numba.njit(cache=True)
def _sample_path(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, random, dist, sigma, state, touched,
                 heap_cost, heap_node, place, meet, path):
    """One shortest ``s``-``t`` path drawn uniformly among the shortest, by a balanced
    bidirectional Dijkstra (side 0 forward from ``s``, side 1 backward from ``t``, each step on
    the side that has scanned fewer arcs); its inner contacts go into ``path`` and their number
    is returned (0 when ``t`` is out of reach).

    The search stops once the two heaps' least keys sum past the best meeting cost found (times
    ``1 + rtol``), which is then the distance. Every shortest path either lies among the
    forward-settled contacts (when ``t`` is one of them) or leaves them by a tight arc into a
    backward-settled contact; that arc, the first one out, splits the paths into classes of
    ``sigma_forward(u) * sigma_backward(v)`` paths. Arcs between settled contacts of the two
    sides are kept in ``meet`` as the search finds them (as many as it has room for; past that
    the forward rows are scanned again). A contact is not queued when its distance plus the least it could
    still need to the other end passes the best meeting cost: it lies on no shortest path, and
    the leaves of a hub are then read but never queued."""
    reached = np.zeros(2, dtype=np.int64)
    size = np.zeros(2, dtype=np.int64)
    work = np.zeros(2, dtype=np.int64)
    ends = (s, t)
    for side in range(2):
        x = ends[side]
        dist[x, side] = 0.0
        touched[side, 0] = x
        reached[side] = 1
        size[side] = _push(heap_cost[side], heap_node[side], place[side], 0, 0.0, x)
    best = np.inf
    found = 0
    while size[0] > 0 and size[1] > 0:
        if heap_cost[0, 0] + heap_cost[1, 0] > best * (1 + rtol):
            break
        side = 0 if work[0] <= work[1] else 1
        out_ptr, out_idx, out_cost = (indptr, indices, cost) if side == 0 else (rindptr, rindices, rcost)
        d, u, size[side] = _pop(heap_cost[side], heap_node[side], place[side], size[side])
        state[u, side] = 1
        work[side] += out_ptr[u + 1] - out_ptr[u] + 1
        for a in range(out_ptr[u], out_ptr[u + 1]):
            v = out_idx[a]
            c = d + out_cost[a]
            if dist[v, 1 - side] < np.inf:
                best = min(best, c + dist[v, 1 - side])
                if state[v, 1 - side]:
                    if found < meet.shape[1]:
                        meet[0, found], meet[1, found] = (u, v) if side == 0 else (v, u)
                        meet[2, found] = out_cost[a]
                    found += 1
            if state[v, side] or c >= dist[v, side]:
                continue
            # no shorter way on from v than its settled distance, or the other side's least key
            ahead = dist[v, 1 - side] if state[v, 1 - side] else (heap_cost[1 - side, 0] if size[1 - side] else np.inf)
            if c + ahead > best * (1 + rtol):
                continue  # v lies on no shortest path: a hub's row is read, not pushed
            if dist[v, side] == np.inf:
                touched[side, reached[side]] = v
                reached[side] += 1
            dist[v, side] = c
            size[side] = _push(heap_cost[side], heap_node[side], place[side], size[side], c, v)
    length = _draw(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, best, random, dist, sigma, state,
                   place, touched, reached[0], meet, found, path)
    for side in range(2):
        for j in range(reached[side]):
            x = touched[side, j]
            dist[x, side], sigma[x, side], state[x, side], place[side, x] = np.inf, 0.0, 0, -1
    return length


@numba.njit(cache=True)
def _draw(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, shortest, random, dist, sigma, state, place,
          touched, forward, meet, found, path):
    """Draw the path once the search has stopped (see :func:`_sample_path`); ``shortest`` is the
    distance from ``s`` to ``t``, ``meet`` holds ``found`` arcs between the two sides."""
    if state[t, 0]:  # every shortest path lies among the forward-settled contacts: walk back from t
        _count(rindptr, rindices, rcost, rtol, t, s, 0, dist, sigma, state, place, path)
        length = _walk(rindptr, rindices, rcost, rtol, t, s, 0, random, dist, sigma, state, path, 0)
        path[:length - 1] = path[1:length]  # without t itself
        return length - 1
    if shortest == np.inf:
        return 0
    if found > meet.shape[1]:  # more than could be kept: only those inside the forward rows count
        return _draw_from_rows(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, shortest * (1 + rtol),
                               random, dist, sigma, state, place, touched, forward, path)
    total = 0.0
    for j in range(found):
        u, v = int(meet[0, j]), int(meet[1, j])
        if state[v, 0] or dist[u, 0] + meet[2, j] + dist[v, 1] > shortest * (1 + rtol):
            meet[2, j] = -1.0  # not a first arc out of the forward side on a shortest path
            continue
        _count(rindptr, rindices, rcost, rtol, u, s, 0, dist, sigma, state, place, path)
        _count(indptr, indices, cost, rtol, v, t, 1, dist, sigma, state, place, path)
        total += sigma[u, 0] * sigma[v, 1]
    pick = _uniform(random) * total
    u = v = -1
    for j in range(found):
        if meet[2, j] >= 0.0:
            u, v = int(meet[0, j]), int(meet[1, j])
            pick -= sigma[u, 0] * sigma[v, 1]
            if pick < 0.0:
                break
    return _through(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, u, v, random, dist, sigma, state, path)


@numba.njit(cache=True)
def _through(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, u, v, random, dist, sigma, state, path):
    """A path drawn through the arc ``u -> v`` (``u`` forward-, ``v`` backward-settled): back from
    ``u`` to ``s``, on from ``v`` to ``t``; its length. The last class takes whatever of the pick
    rounding leaves, and ``u = -1`` (no class: ``t`` out of reach) gives no path."""
    if u < 0:
        return 0
    length = _walk(rindptr, rindices, rcost, rtol, u, s, 0, random, dist, sigma, state, path, 0)
    return _walk(indptr, indices, cost, rtol, v, t, 1, random, dist, sigma, state, path, length)


@numba.njit(cache=True)
def _walk(ptr, idx, arc_cost, rtol, x, end, side, random, dist, sigma, state, path, length):
    """From ``x`` toward ``end`` along the tight arcs of ``side``'s search (``ptr/idx/arc_cost``
    lead back toward that side's start), each step to a neighbour with probability
    ``sigma(neighbour) / sigma(here)``; the contacts passed, ``x`` included and ``end`` not,
    are appended to ``path`` after ``length`` entries."""
    while x != end:
        path[length] = x
        length += 1
        pick = _uniform(random) * sigma[x, side]
        nxt = -1
        for a in range(ptr[x], ptr[x + 1]):
            w = idx[a]
            if state[w, side] and dist[w, side] + arc_cost[a] <= dist[x, side] * (1 + rtol):
                nxt = w
                pick -= sigma[w, side]
                if pick < 0.0:
                    break
        x = nxt
    return length


@numba.njit(cache=True)
def _draw_from_rows(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, limit, random, dist, sigma, state, place,
                    touched, forward, path):
    """:func:`_draw` when the arcs between the sides were too many to keep: the first arcs out
    of the forward side (tight, of cost within ``limit``) are found in the forward rows, once to
    sum their classes and once to pick one."""
    total, pick = 0.0, -1.0
    last_u = last_v = -1
    for rounds in range(2):
        for j in range(forward):
            u = touched[0, j]
            if not state[u, 0]:
                continue
            for a in range(indptr[u], indptr[u + 1]):
                v = indices[a]
                if not state[v, 1] or state[v, 0] or dist[u, 0] + cost[a] + dist[v, 1] > limit:
                    continue
                if rounds == 0:
                    _count(rindptr, rindices, rcost, rtol, u, s, 0, dist, sigma, state, place, path)
                    _count(indptr, indices, cost, rtol, v, t, 1, dist, sigma, state, place, path)
                    total += sigma[u, 0] * sigma[v, 1]
                    continue
                last_u, last_v = u, v
                pick -= sigma[u, 0] * sigma[v, 1]
                if pick < 0.0:
                    return _through(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, u, v, random, dist,
                                    sigma, state, path)
        pick = _uniform(random) * total
    return _through(indptr, indices, cost, rindptr, rindices, rcost, rtol, s, t, last_u, last_v, random, dist, sigma,
                    state, path)


@numba.njit(cache=True)
def _count(ptr, idx, arc_cost, rtol, x, end, side, dist, sigma, state, cursor, stack):
    """``sigma[x, side]``: how many shortest paths lead from ``end`` (that side's start) to the
    settled ``x``, as the sum over its tight arcs back to settled contacts. Counted only when
    needed, by a depth-first walk of those arcs (``stack``, the contacts waiting on the one
    above them; ``cursor``, the next arc each has to look at); ``state`` is 2 once known and 3
    while waiting."""
    if state[x, side] == 2:
        return
    stack[0] = x
    state[x, side] = 3
    cursor[side, x] = ptr[x]
    top = 1
    while top:
        y = stack[top - 1]
        a = cursor[side, y]
        while y != end and a < ptr[y + 1]:
            w = idx[a]
            a += 1
            if state[w, side] == 1 and dist[w, side] + arc_cost[a - 1] <= dist[y, side] * (1 + rtol):
                state[w, side] = 3
                cursor[side, w] = ptr[w]
                stack[top] = w
                top += 1
                break
        else:
            total = 1.0 if y == end else 0.0
            if y != end:
                for b in range(ptr[y], ptr[y + 1]):
                    w = idx[b]
                    if state[w, side] == 2 and dist[w, side] + arc_cost[b] <= dist[y, side] * (1 + rtol):
                        total += sigma[w, side]
            sigma[y, side] = total
            state[y, side] = 2
            top -= 1
            continue
        cursor[side, y] = a
