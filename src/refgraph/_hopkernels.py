"""The compiled inner loops of the warm-path search (see :mod:`refgraph._hopsearch`).

A typical query scans a few dozen links a round: too few for numpy's per-call overhead to pay
off, too many for a Python loop to be quick. numba compiles these functions the first time a
search runs and caches the machine code on disk; :mod:`refgraph._hopsearch` imports this module
only then, so ``import refgraph`` does not load numba.

One side of the search is kept in arrays: ``dist`` (each node's best cost so far), and the
rounds as segments of ``nodes``/``preds``: round *r*'s improved nodes and their predecessors are
``nodes[offs[r]:offs[r + 1]]``, round 0 being the start node alone. ``rivals`` rows are complete
walks ``(u, v, rounds of u's side, rounds of v's side)`` that came within ``tie`` of the best,
with their costs in ``totals``; ``tie`` is :data:`refgraph._hopsearch.TIE`, passed in so that
numba's cache, which watches only this file, never keeps an old value.
"""

from __future__ import annotations

import numba
import numpy as np

_INF = np.inf


@numba.njit(cache=True)
def expand(indptr, indices, cost, trust, blocked, min_trust, bans, there, bound, last,
           dist, nodes, preds, offs, rounds, slot, rivals, totals, n_rivals, theirs, tie):
    """Round ``rounds + 1`` from the frontier ``nodes[offs[rounds]:offs[rounds + 1]]``: each
    frontier node relaxes with its value as the round began; an improved node keeps its least
    cost (the first predecessor on equal costs). Improved nodes make the next segment.

    Links into blocked nodes, banned links (rows of ``bans``) and links below ``min_trust`` are
    skipped. A walk that reaches a node the other side reached (``there`` finite) is complete;
    those within ``tie`` of the best so far are kept as rivals. On the ``last`` round only the
    best meeting node is recorded, as nothing else it finds could be used.

    Returns ``(best, meet, n_rivals, near, work, width)``: the least complete cost below
    ``bound`` and its meeting node (or ``bound, -1``), the rivals kept, whether two walks to one
    node came within ``tie``, and the links the next round would scan and the nodes it would
    scan them from (both -1 when there are none).
    """
    start, stop = offs[rounds], offs[rounds + 1]
    cut = bound + tie  # walks this close to the bound still count: they may tie
    best, meet, pred, meet_cost = bound, -1, -1, _INF
    near = False
    end = stop
    began = dist[nodes[start:stop]]  # values as the round began
    for i in range(stop - start):
        u = nodes[start + i]
        du = began[i]
        if du >= cut:
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
            if c >= cut:
                continue
            if not last:
                dv = dist[v]
                if c >= dv - tie:
                    near |= c <= dv + tie
                    if c >= dv:
                        continue
            tv = there[v]
            if tv < _INF:
                total = c + tv
                if total <= best + tie:
                    rivals[n_rivals, 0] = u
                    rivals[n_rivals, 1] = v
                    rivals[n_rivals, 2] = rounds
                    rivals[n_rivals, 3] = theirs
                    totals[n_rivals] = total
                    n_rivals += 1
                    if total < best:
                        best, meet, pred, meet_cost = total, v, u, c
            if not last:
                dist[v] = c
                if slot[v] < 0:
                    slot[v] = end
                    nodes[end] = v
                    end += 1
                preds[slot[v]] = u
    if last and meet >= 0:
        dist[meet] = meet_cost
        nodes[end] = meet
        preds[end] = pred
        end += 1
    work = 0
    for i in range(stop, end):
        v = nodes[i]
        slot[v] = -1
        work += indptr[v + 1] - indptr[v]
    offs[rounds + 2] = end
    if end == stop:
        return best, meet, n_rivals, near, -1, -1
    return best, meet, n_rivals, near, work, end - stop


@numba.njit(cache=True)
def _banned(bans, u, v):
    for b in range(len(bans)):
        if bans[b, 0] == u and bans[b, 1] == v:
            return True
    return False


@numba.njit(cache=True)
def _back(nodes, preds, offs, rounds, node, out, pos):
    """Write the walk that gave ``node`` its value after ``rounds`` rounds, from ``node`` back to
    the start, into ``out`` from ``pos``; return where it ends."""
    out[pos] = node
    pos += 1
    for r in range(rounds, 0, -1):
        for i in range(offs[r], offs[r + 1]):
            if nodes[i] == out[pos - 1]:
                out[pos] = preds[i]
                pos += 1
                break
    return pos


@numba.njit(cache=True)
def _walk(fw, bw, u, fw_rounds, v, bw_rounds, out):
    """The walk from the source to ``u`` (forward side) and on from ``v`` to the target
    (backward side) into ``out``, source first; ``u == v`` is written once. Returns its length."""
    k = _back(fw[0], fw[1], fw[2], fw_rounds, u, out, 0)
    out[:k] = out[:k][::-1].copy()
    if u == v:
        k -= 1
    return _back(bw[0], bw[1], bw[2], bw_rounds, v, out, k)


@numba.njit(cache=True)
def finish(fw, bw, meet, best, out, scratch, tie):
    """The best walk (through ``meet``) into ``out``, and whether a rival within ``tie`` of
    ``best`` is a different walk (a tie) rather than the same one met from another node.

    Each side is ``(nodes, preds, offs, rounds, rivals, totals, n_rivals)``."""
    n = _walk(fw, bw, meet, fw[3], meet, bw[3], out)
    for forward in (True, False):
        side = fw if forward else bw
        rivals, totals = side[4], side[5]
        for i in range(side[6]):
            if totals[i] - best > tie:
                continue
            u, v, mine, theirs = rivals[i, 0], rivals[i, 1], rivals[i, 2], rivals[i, 3]
            if forward:
                m = _walk(fw, bw, u, mine, v, theirs, scratch)
            else:
                m = _walk(fw, bw, v, theirs, u, mine, scratch)
            if m != n or np.any(scratch[:m] != out[:n]):
                return n, True
    return n, False
