"""The engine behind warm paths: exact hop-limited best paths on CSR arrays.

The best chain of introductions is the path with the least total cost (``-log(trust)``)
among paths of at most ``budget`` links. With costs >= 0 the best such walk can always be
made simple, and it splits into a forward half from the source and a backward half from the
target. :class:`Searcher` grows both halves in synchronous rounds (round *j* holds the best
walks of at most *j* links), relaxing only from the nodes that improved in the previous round
and always expanding the side with the smaller frontier, until the two round counts add up to
the budget. Each walk a side keeps records the walk it extends, so a path is rebuilt from the
rounds that made it and never exceeds the budget. The arrays are allocated once per graph and
only the entries a query touched are reset, so a query costs what it explores. A typical query
scans a few dozen links a round, a few hundred in all: too few for numpy's per-call overhead,
so each round runs as one compiled loop (:mod:`refgraph.engine._hopkernels`).

Paths rank by cost (to 12 digits), then fewer links, then ids: node indices are positions in
the graph's sorted ids, so comparing index tuples compares ids. The search ranks walks the same
way as it goes (cost, then links, then ids), so equal costs do not multiply its work: of many
tied walks into a contact it keeps one, the one the ranks prefer, and a walk as dear as the best
complete path but longer is dropped. Complete paths are costed link after link from the source,
as :class:`Found` costs them, so equal costs are equal to the last bit. Only costs that differ
yet come within ``TIE`` of each other (``near``: rounding to 12 digits may put them either
way) make :meth:`Searcher.top` gather every path within ``TIE`` of the last one wanted and let
the ranks decide.

The k best paths come from Yen's algorithm (:meth:`Searcher.paths`) with this search as the
spur step: the hop budget splits into the root's links plus the spur's, the spur's costs start
from the root's; root nodes are blocked with a reusable mask and already used deviations are
banned as links.

A searcher's arrays serve one query at a time: its entry points hold a lock, so threads sharing
a graph take turns.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, takewhile
from typing import Any, TypeVar

import numpy as np

__all__ = ["Constraints", "Found", "Searcher"]

Path = tuple[int, ...]
Source = int | tuple[int, ...]  # one source, or several (a team's owners) searched at once
T = TypeVar("T")


@dataclass(frozen=True)
class Constraints:
    """What every search of one query respects: removed nodes, weakest link allowed, a forced node."""

    avoid: frozenset[int] = frozenset()
    min_trust: float = 0.0
    via: int | None = None


@dataclass(frozen=True, order=True)
class Found:
    """A path with its total cost and its links' positions in the forward arrays; orders by
    cost (to 12 digits), then hops, then ids."""

    rank: tuple[float, int, Path]
    cost: float = field(compare=False)
    arcs: tuple[int, ...] = field(compare=False)

    @classmethod
    def of(cls, cost: float, nodes: Path, arcs: tuple[int, ...]) -> Found:
        return cls((round(cost, 12), len(nodes) - 1, nodes), cost, arcs)

    @property
    def nodes(self) -> Path:
        return self.rank[2]

    @property
    def hops(self) -> int:
        return self.rank[1]


TIE = 1e-9
"""Costs this close may rank as equal (ranks round costs to 12 digits)."""

_NO_BANS = np.zeros((0, 2), dtype=np.int64)


class _Side:
    """One direction of the search over one CSR graph, with state reused across queries.

    Its walks live in arrays (see :mod:`refgraph.engine._hopkernels`): entries ``(nodes, preds, steps,
    costs, depth)``, each round's a segment starting at ``offs``, the last segment being the
    frontier, and ``at``, each node's entry.
    """

    def __init__(self, arrays: tuple[np.ndarray, ...], blocked: np.ndarray) -> None:
        # numba loads with the first search, not with refgraph
        from . import _hopkernels

        self.kernels = _hopkernels
        self.graph = tuple(np.ascontiguousarray(a) for a in arrays)  # indptr, indices, cost, trust
        n = len(self.graph[0]) - 1
        self.views = tuple(memoryview(a) for a in self.graph)  # type: ignore[arg-type]  # numpy arrays are buffers
        self.at = np.full(n, -1, dtype=np.int64)
        self.blocked = blocked
        self.entries: tuple[np.ndarray, ...] = (np.zeros(64, dtype=np.int64), np.zeros(64, dtype=np.int64), np.zeros(64),
                        np.zeros(64), np.zeros(64, dtype=np.int64))
        self.offs = np.zeros(8, dtype=np.int64)
        self.rounds = 0
        self.used = 1  # entries in use
        self.work = -1  # links the next round would scan (-1 when the frontier is empty)
        self.width = -1  # nodes in the frontier (-1 when there are none)

    def start(self, node: int | tuple[int, ...], base: float = 0.0) -> None:
        """Begin at ``node``, its walk costing ``base``; at several nodes at once (a team's
        owners) when ``node`` is a tuple: each is a walk of no links, all in round 0."""
        if isinstance(node, tuple):
            starts = np.asarray(node, dtype=np.int64)
            if len(starts) > len(self.entries[0]):
                self.entries = tuple(_grown(a, len(starts)) for a in self.entries)
            nodes, preds, steps, costs, depth = self.entries
            k = len(starts)
            nodes[:k], preds[:k], steps[:k], costs[:k], depth[:k] = starts, -1, 0.0, base, 0
            self.at[starts] = np.arange(k)
            self.offs[:2] = 0, k
            self.rounds = 0
            self.used = self.width = k
            self.work = int((self.graph[0][starts + 1] - self.graph[0][starts]).sum())
            return
        nodes, preds, steps, costs, depth = self.entries
        nodes[0], preds[0], steps[0], costs[0], depth[0] = node, -1, 0.0, base, 0
        self.at[node] = 0
        self.offs[:2] = 0, 1
        self.rounds = 0
        self.used = self.width = 1
        ptr = self.views[0]
        self.work = ptr[node + 1] - ptr[node]

    def reset(self) -> None:
        self.at[self.entries[0][: self.used]] = -1

    def cost_to(self, node: int) -> float:
        """The cost of the best walk to ``node`` so far (inf when none)."""
        e = self.at[node]
        return float(self.entries[3][e]) if e >= 0 else np.inf

    def step(self, search: Searcher, bans: np.ndarray, other: _Side, last: bool = False) -> None:
        """One round from the frontier (see :func:`refgraph.engine._hopkernels.expand`), offering
        complete walks to ``search``'s best. ``bans`` holds banned links as rows ``(from, to)``."""
        if self.width < 0:
            return
        room = max(self.work, 1)  # the most entries the round can add
        if self.used + room > len(self.entries[0]) or self.rounds + 3 > len(self.offs):
            self.entries = tuple(_grown(a, self.used + room) for a in self.entries)
            self.offs = _grown(self.offs, self.rounds + 3)
        search.room(self.rounds + other.rounds + 3)
        forward = self is search.fw
        near, self.work, width = self.kernels.expand(
            *self.graph, self.blocked, search.min_trust, bans, forward, search.base, last, self.entries, self.at,
            self.offs, self.rounds, other.entries, other.at, other.rounds, search.best_cost, search.record,
            search.walk, search.scratch, TIE)  # type: ignore[call-arg]  # a numba dispatcher takes the kernel's arguments
        search.near |= near
        self.rounds += 1
        self.width = width
        self.used += max(width, 0)


def _grown(a: np.ndarray, size: int) -> np.ndarray:
    """``a`` in a larger array (at least ``size`` rows, doubling), its contents kept."""
    out = np.zeros((max(size, 2 * len(a)), *a.shape[1:]), dtype=a.dtype)
    out[: len(a)] = a
    return out


def _exclusive(method: Callable[..., T]) -> Callable[..., T]:
    """Run ``method`` holding the searcher's lock."""

    @functools.wraps(method)
    def run(self: Searcher, *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return method(self, *args, **kwargs)

    return run


class Searcher:
    """Hop-limited best paths on one graph; reuse one per graph (see the module notes)."""

    def __init__(self, forward: tuple[np.ndarray, ...], backward: tuple[np.ndarray, ...]) -> None:
        blocked = np.zeros(len(forward[0]) - 1, dtype=bool)
        self.fw = _Side(forward, blocked)
        self.bw = _Side(backward, blocked)
        self.lock = threading.RLock()  # the entry points call each other
        # the best complete walk of the search under way (see refgraph.engine._hopkernels)
        self.best_cost = np.full(1, np.inf)
        self.record = np.full(4, -1, dtype=np.int64)
        self.walk = np.zeros(16, dtype=np.int64)
        self.scratch = np.zeros(16, dtype=np.int64)
        self.min_trust = 0.0
        self.base = 0.0  # the cost of the path before the source (the root of a spur)
        #: Whether a search since the last :meth:`top`, :meth:`introducers` or :meth:`many` began
        #: met two different costs within ``TIE`` of each other.
        self.near = False

    def room(self, size: int) -> None:
        """Make the walk buffers hold at least ``size`` nodes."""
        if size > len(self.walk):
            self.walk, self.scratch = _grown(self.walk, size), _grown(self.scratch, size)

    def _begin(self, min_trust: float, base: float = 0.0) -> None:
        self.best_cost[0] = np.inf
        self.record[:] = -1
        self.min_trust, self.base = min_trust, base

    @_exclusive
    def top(self, s: Source, t: int, budget: int, rules: Constraints, k: int,
            blocked: Sequence[int] = ()) -> list[Found]:
        """The ``k`` best paths in rank order: equal costs go to fewer links, then smaller ids.

        The searches pick among equal costs by the order they meet them; when they met any
        near-equal costs, every path within ``TIE`` of the k-th is gathered (rounding may put
        such a path on either side of it) and the ranks decide."""
        self.near = False
        paths = self.paths(s, t, budget, rules, blocked)
        found = list(islice(paths, k))
        if found and self.near:  # costs within TIE of the k-th may round either side of it
            edge = found[-1].cost + TIE
            found = sorted([*found, *takewhile(lambda f: f.cost <= edge, paths)])[:k]
        return found

    @_exclusive
    def introducers(self, s: Source, t: int, budget: int, rules: Constraints, k: int) -> list[Found]:
        """The best path through each of the ``k`` best first introducers, best first."""
        self.near = False
        found: list[Found] = []
        while len(found) < k or self.near:  # with near costs, also every introducer tied with the k-th
            nxt = self.best(s, t, budget, rules, banned=[(f.nodes[0], f.nodes[1]) for f in found])
            if nxt is None or (len(found) >= k and nxt.cost > found[-1].cost + TIE):
                break
            found.append(nxt)
        if self.near:  # each introducer's path among its ties, from the introducer on
            found = [f if f.hops == 1 else self._prefixed(f.nodes[0], f.nodes[1], t, budget, rules) for f in found]
        return sorted(found)[:k]

    def _prefixed(self, s: int, x: int, t: int, budget: int, rules: Constraints) -> Found:
        rest_rules = Constraints(rules.avoid, rules.min_trust) if rules.via in (s, x) else rules
        rest = self.top(x, t, budget - 1, rest_rules, 1, blocked=[s])[0]
        return self._found((s, *rest.nodes))

    # -- one best path ------------------------------------------------------------------------
    def best(self, s: Source, t: int, budget: int, rules: Constraints,
             blocked: Sequence[int] = (), banned: Sequence[tuple[int, int]] = (), base: float = 0.0) -> Found | None:
        """The best simple path ``s → t`` of at most ``budget`` links (least cost, then fewest
        links, then smallest ids), or None. ``base`` is the cost of what precedes ``s`` (a spur's
        root): costs are summed from it, as the whole path's cost is."""
        if rules.via is not None and rules.via not in (*_starts(s), t):
            return self._best_via(s, t, budget, rules, blocked, banned)
        masked = set(blocked) | rules.avoid
        if isinstance(s, tuple):  # a team: every owner not masked, the target aside
            s = tuple(x for x in s if x not in masked and x != t)
            if not s:
                return None
        elif s in masked:
            return None
        if t in masked:
            return None
        stop = list(masked)
        self.fw.blocked[stop] = True
        try:
            return self._meet(s, t, budget, rules.min_trust, banned, base)
        finally:
            self.fw.blocked[stop] = False

    def _meet(self, s: Source, t: int, budget: int, min_trust: float, banned: Sequence[tuple[int, int]],
              base: float) -> Found | None:
        fw, bw = self.fw, self.bw
        self._begin(min_trust, base)
        fw.start(s, base)
        bw.start(t)
        bans = np.array(banned, dtype=np.int64).reshape(-1, 2) if banned else _NO_BANS
        back_bans = bans[:, ::-1].copy() if banned else _NO_BANS
        done = 0
        try:
            while done < budget:
                last = done == budget - 1
                if last:  # a last round only checks links into the other side: it costs a row a node
                    wf, wb = fw.width, bw.width
                else:
                    wf, wb = fw.work, bw.work
                if wf < 0 and wb < 0:
                    break
                forward = wb < 0 or (0 <= wf <= wb)
                side, other = (fw, bw) if forward else (bw, fw)
                side.step(self, bans if forward else back_bans, other, last)
                done += 1
            if self.record[0] < 0:
                return None
            nodes = self.walk[: self.record[3]].tolist()
        finally:
            fw.reset()
            bw.reset()
        return self._found(_without_loops(nodes))

    def trust_of(self, found: Found) -> list[float]:
        """The trust of each link of a path, source first."""
        trust = self.fw.views[3]
        return [trust[a] for a in found.arcs]

    def _found(self, nodes: Sequence[int]) -> Found:
        ptr, idx, cost = self.fw.views[:3]
        arcs = tuple(ptr[u] + bisect.bisect_left(idx[ptr[u]:ptr[u + 1]], v) for u, v in zip(nodes, nodes[1:], strict=False))
        total = 0.0
        for a in arcs:
            total += cost[a]
        return Found.of(total, tuple(nodes), arcs)

    def _best_via(self, s: Source, t: int, budget: int, rules: Constraints,
                  blocked: Sequence[int], banned: Sequence[tuple[int, int]]) -> Found | None:
        """Best ``s → via → t``: first halves in order of cost, each with its best disjoint second half."""
        via = rules.via
        assert via is not None
        free = Constraints(rules.avoid, rules.min_trust)
        lower = self.best(via, t, budget - 1, free, [*blocked, *_starts(s)], banned)
        if lower is None:
            return None
        winner: Found | None = None
        for half in self.paths(s, via, budget - 1, free, [*blocked, t], banned):
            if winner is not None and (half.cost + lower.cost > winner.cost + TIE or
                                       (half.cost + lower.cost >= winner.cost and half.hops >= winner.hops)):
                break  # every later path through ``via`` is dearer, or as dear and longer
            rest = self.best(via, t, budget - half.hops, free, [*blocked, *half.nodes[:-1]], banned)
            if rest is not None:
                found = self._found(half.nodes + rest.nodes[1:])
                if winner is not None:
                    self.near |= found.cost != winner.cost and abs(found.cost - winner.cost) <= TIE
                winner = found if winner is None else min(winner, found)
        return winner

    # -- one source, many targets ----------------------------------------------------------------
    @_exclusive
    def many(self, s: Source, targets: Sequence[int], budget: int, rules: Constraints) -> list[Found | None]:
        """The best path to each target: the source's ``ceil(budget / 2)`` rounds run once,
        then each target runs the remaining rounds from its end and meets them."""
        fw, bw = self.fw, self.bw
        masked = np.fromiter(rules.avoid, dtype=np.int64)
        if isinstance(s, tuple):
            s = tuple(x for x in s if x not in rules.avoid)
        fw.blocked[masked] = True
        self.near = False
        self._begin(rules.min_trust)
        fw.start(s)
        out: list[Found | None] = []
        redo = []  # targets whose search met near-equal costs: ranked exactly afterwards
        try:
            for _ in range((budget + 1) // 2):
                if fw.width < 0:  # nothing left to expand (hop limits can be huge)
                    break
                fw.step(self, _NO_BANS, bw)
            shared_near = self.near  # near costs on the source's side concern every target
            for i, t in enumerate(targets):
                self.near = False
                self._begin(rules.min_trust)
                bw.start(t)
                try:
                    if fw.at[t] >= 0:  # the source's side reached the target itself
                        self.room(fw.rounds + 2)
                        e = int(fw.at[t])
                        fw.kernels.offer(fw.entries, bw.entries, e, 0, fw.cost_to(t), fw.entries[4][e],
                                         self.best_cost, self.record, self.walk, self.scratch, TIE)
                    for j in range(budget // 2):
                        if bw.width < 0:
                            break
                        bw.step(self, _NO_BANS, fw, last=j == budget // 2 - 1)
                    nodes = self.walk[: self.record[3]].tolist() if self.record[0] >= 0 else None
                finally:
                    bw.reset()
                out.append(None if nodes is None else self._found(_without_loops(nodes)))
                if nodes is not None and (self.near or shared_near):
                    redo.append(i)
        finally:
            fw.reset()
            fw.blocked[masked] = False
        for i in redo:
            out[i] = self.top(s, targets[i], budget, rules, 1)[0]
        return out

    # -- k best paths (Yen) ---------------------------------------------------------------------
    def paths(self, s: Source, t: int, budget: int, rules: Constraints,
              blocked: Sequence[int] = (), banned: Sequence[tuple[int, int]] = ()) -> Iterator[Found]:
        """Simple paths ``s → t`` of at most ``budget`` links, best first, found lazily.

        Lawler's refinement of Yen: a path's spurs start where it left the path it came from
        (its ``deviation``), as its roots before that point were spurred from that path. With
        several sources (a tuple) the paths start from any of them, as if from one node before
        them all: that node's spur (deviation -1) starts from the sources no path taken yet
        starts from."""
        first = self.best(s, t, budget, rules, blocked, banned)
        if first is None:
            return
        accepted = [first]
        candidates: list[Found] = []
        deviation = {first.nodes: -1 if isinstance(s, tuple) else 0}
        yield first
        while True:
            last = accepted[-1].nodes
            bases = list(itertools.accumulate((self.fw.views[2][a] for a in accepted[-1].arcs), initial=0.0))
            for j in range(deviation[last], len(last) - 1):
                if j < 0:
                    rest = tuple(x for x in _starts(s) if x not in {p.nodes[0] for p in accepted})
                    spur = self.best(rest, t, budget, rules, blocked, banned) if rest else None
                    if spur is not None and spur.nodes not in deviation:
                        deviation[spur.nodes] = -1
                        heapq.heappush(candidates, spur)
                    continue
                root = last[: j + 1]
                used = [(p.nodes[j], p.nodes[j + 1]) for p in accepted if p.nodes[: j + 1] == root]
                spur_rules = rules if rules.via is None or rules.via not in root else Constraints(rules.avoid, rules.min_trust)
                spur = self.best(root[-1], t, budget - j, spur_rules, [*blocked, *root[:-1]], [*banned, *used],
                                 bases[j])
                if spur is not None:
                    nodes = root[:-1] + spur.nodes
                    if nodes not in deviation:
                        deviation[nodes] = j
                        heapq.heappush(candidates, self._found(nodes))
            if not candidates:
                return
            accepted.append(heapq.heappop(candidates))
            yield accepted[-1]


def _starts(s: int | tuple[int, ...]) -> tuple[int, ...]:
    """The sources of a search: one, or a team's."""
    return s if isinstance(s, tuple) else (s,)


def _without_loops(nodes: list[int]) -> list[int]:
    """The walk with any cycle cut out (only zero-cost cycles can survive the search)."""
    if len(set(nodes)) == len(nodes):
        return nodes
    out: list[int] = []
    where: dict[int, int] = {}
    for v in nodes:
        if v in where:
            del out[where[v] + 1 :]
            where = {u: i for i, u in enumerate(out)}
        else:
            where[v] = len(out)
            out.append(v)
    return out
