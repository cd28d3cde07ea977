"""The compiled inner loops of the warm-path search (see :mod:`refgraph.engine._hopsearch`).

A typical query scans a few dozen links a round: too few for numpy's per-call overhead to pay
off, too many for a Python loop to be quick. numba compiles these functions the first time a
search runs and caches the machine code on disk; :mod:`refgraph.engine._hopsearch` imports this module
only then, so ``import refgraph`` does not load numba.

One side of the search is a list of *entries*, each a walk from the side's start: its last node
(``nodes``), the entry it extends (``preds``, -1 for the start), the cost of that last link
(``steps``), its total cost (``costs``) and its links (``depth``). Round *r*'s entries are
``offs[r]:offs[r + 1]``, round 0 being the start alone; ``at[v]`` is the entry holding node
``v``'s best walk so far (-1 when none). Walks compare by cost, then links, then ids: the
forward side's walks from the source on, the backward side's from their last node on toward
the target, so that every walk a side keeps is the best of its links for the complete paths
built on it.

A complete walk is a forward entry ``ef`` and a backward entry ``eb`` joined by a link (or met
at one node). The best so far is ``best_cost[0]`` (its cost summed from the source, link after
link, as :class:`refgraph.engine._hopsearch.Found` sums it) with ``best[:] = links, ef, eb, length``
and its nodes in ``walk``. ``tie`` is :data:`refgraph.engine._hopsearch.TIE`, passed in so that
numba's cache, which watches only this file, never keeps an old value.
"""

from __future__ import annotations

import numba


@numba.njit(cache=True)
def expand(indptr, indices, cost, trust, blocked, min_trust, bans, forward, base, last,
           mine, at, offs, rounds, theirs, their_at, their_rounds, best_cost, best, walk, scratch, tie):
    """Round ``rounds + 1`` from the frontier ``offs[rounds]:offs[rounds + 1]``.

    ``mine`` and ``theirs`` are the two sides' entries ``(nodes, preds, steps, costs, depth)``;
    ``forward`` says whether this side starts at the source. Each frontier entry relaxes its
    links: a walk better than the node's walk so far (cheaper; as cheap with fewer links; else
    smaller ids) becomes the node's entry in this round, and a walk into a node the other side
    reached is offered as a complete walk. Links into blocked nodes, banned links (rows of
    ``bans``) and links below ``min_trust`` are skipped. On the ``last`` round walks are only
    offered. A walk that cannot beat the best complete walk is not kept: every complete walk of
    at most ``rounds + their_rounds`` links was already offered, so a walk as dear as the best
    and a longer one are of no use. ``base`` is the cost before the source (the backward side
    adds it to compare its walks with the best).

    Returns ``(near, work, width)``: whether two different costs came within ``tie`` of each
    other, the links the next round would scan and the nodes it would scan them from (both -1
    when there are none).
    """
    nodes, preds, steps, costs, depth = mine
    start, stop = offs[rounds], offs[rounds + 1]
    extra = 0.0 if forward else base
    near = False
    end = stop
    for i in range(start, stop):
        u = nodes[i]
        du = costs[i]
        if best[0] >= 0 and (du + extra > best_cost[0] + tie or
                             (du + extra >= best_cost[0] and rounds + their_rounds + 1 > best[0])):
            continue
        banned_row = False
        for b in range(len(bans)):
            banned_row |= bans[b, 0] == u
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            if blocked[v] or trust[a] < min_trust:
                continue
            if banned_row and _banned(bans, u, v):
                continue
            c = du + cost[a]
            if best[0] >= 0 and c + extra > best_cost[0] + tie:
                continue
            if not last:
                e = at[v]
                if e >= 0:
                    dv = costs[e]
                    if c != dv and abs(c - dv) <= tie:
                        near = True
                    if c > dv or (c == dv and (e < stop or _order(nodes, preds, i, preds[e], forward) >= 0)):
                        continue
                if e < stop:  # a new entry; otherwise this round's entry of v is replaced
                    e = end
                    end += 1
                    at[v] = e
                    nodes[e] = v
                    depth[e] = rounds + 1
                preds[e], steps[e], costs[e] = i, cost[a], c
            there = their_at[v]
            if there >= 0:
                if forward:
                    near |= offer(mine, theirs, i, there, c, rounds + 1 + theirs[4][there], best_cost, best, walk,
                                  scratch, tie)
                else:
                    near |= offer(theirs, mine, there, i, theirs[3][there] + cost[a], rounds + 1 + theirs[4][there],
                                  best_cost, best, walk, scratch, tie)
    work = 0
    for e in range(stop, end):
        v = nodes[e]
        work += indptr[v + 1] - indptr[v]
    offs[rounds + 2] = end
    if end == stop:
        return near, -1, -1
    return near, work, end - stop


@numba.njit(cache=True)
def _banned(bans, u, v):
    for b in range(len(bans)):
        if bans[b, 0] == u and bans[b, 1] == v:
            return True
    return False


@numba.njit(cache=True)
def _order(nodes, preds, a, b, forward):
    """-1, 0 or 1 as entry ``a``'s walk comes before, equals or follows entry ``b``'s, both of
    the same links on one side: forward walks compare from the start, backward walks from their
    last node."""
    decided = 0
    while a != b:
        if nodes[a] != nodes[b]:
            decided = -1 if nodes[a] < nodes[b] else 1
            if not forward:
                return decided
        a, b = preds[a], preds[b]
    return decided


@numba.njit(cache=True)
def _write(fw, bw, ef, eb, out):
    """The complete walk of forward entry ``ef`` then backward entry ``eb`` into ``out``,
    source first (a node where the two meet written once); returns its length."""
    nodes, preds = fw[0], fw[1]
    k = 0
    e = ef
    while e >= 0:
        out[k] = nodes[e]
        k += 1
        e = preds[e]
    out[:k] = out[:k][::-1].copy()
    nodes, preds = bw[0], bw[1]
    e = eb
    if nodes[e] == out[k - 1]:
        e = preds[e]
    while e >= 0:
        out[k] = nodes[e]
        k += 1
        e = preds[e]
    return k


@numba.njit(cache=True)
def offer(fw, bw, ef, eb, head, links, best_cost, best, walk, scratch, tie):
    """Offer the complete walk of forward entry ``ef`` and backward entry ``eb``, of ``links``
    links, whose part up to the backward entry costs ``head``; keep it if it beats the best.
    Returns whether its cost and the best's differ by no more than ``tie`` but differ."""
    total = head
    e = eb
    steps, preds = bw[2], bw[1]
    while preds[e] >= 0:  # summed link after link from the source, as a path's cost is
        total += steps[e]
        e = preds[e]
    near = False
    if best[0] >= 0:
        gap = total - best_cost[0]
        if gap > tie:
            return False
        if gap >= -tie:
            if gap != 0.0:
                near = True
            elif links > best[0]:
                return False
            elif links == best[0]:
                n = _write(fw, bw, ef, eb, scratch)
                for j in range(n):
                    if scratch[j] != walk[j]:
                        break
                if j == n - 1 and scratch[j] == walk[j] or scratch[j] > walk[j]:
                    return False
                walk[:n] = scratch[:n]
                best_cost[0] = total
                best[0], best[1], best[2], best[3] = links, ef, eb, n
                return False
            if gap > 0.0:
                return near
    best_cost[0] = total
    best[0], best[1], best[2] = links, ef, eb
    best[3] = _write(fw, bw, ef, eb, walk)
    return near
