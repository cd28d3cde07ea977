"""The engine behind warm paths: exact hop-limited best paths on CSR arrays.

The best chain of introductions is the path with the least total cost (``-log(trust)``)
among paths of at most ``budget`` links. With costs >= 0 the best such walk can always be
made simple, and it splits into a forward half from the source and a backward half from the
target. :class:`Searcher` grows both halves in synchronous rounds (round *j* holds the best
walks of at most *j* links), relaxing only from the nodes that improved in the previous round
and always expanding the side with the smaller frontier, until the two round counts add up to
the budget. Predecessors are recorded per round, so a path is rebuilt from the round that set
each node's value and never exceeds the budget. The distance arrays are allocated once per
graph and only the entries a query touched are reset, so a query costs what it explores.

The k best paths come from Yen's algorithm (:meth:`Searcher.paths`) with this search as the
spur step: the hop budget splits into the root's links plus the spur's, and root nodes and
already used deviations are blocked with reusable masks.

Node indices are positions in the graph's sorted ids, so comparing index tuples compares
ids: ties between equal costs go to the path whose ids sort first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Constraints", "Found", "Searcher"]

Path = tuple[int, ...]


@dataclass(frozen=True)
class Constraints:
    """What every search of one query respects: removed nodes, weakest link allowed, a forced node."""

    avoid: frozenset[int] = frozenset()
    min_trust: float = 0.0
    via: int | None = None


@dataclass(frozen=True, order=True)
class Found:
    """A path with its total cost; orders by cost (to 12 digits), then hops, then ids."""

    rank: tuple[float, int, Path]
    cost: float = field(compare=False)

    @classmethod
    def of(cls, cost: float, nodes: Path) -> Found:
        return cls((round(cost, 12), len(nodes) - 1, nodes), cost)

    @property
    def nodes(self) -> Path:
        return self.rank[2]

    @property
    def hops(self) -> int:
        return self.rank[1]


class _Side:
    """One direction of the search over one CSR graph, with state reused across queries."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, cost: np.ndarray, trust: np.ndarray) -> None:
        self.indptr, self.indices, self.cost, self.trust = indptr, indices, cost, trust
        self.dist = np.full(len(indptr) - 1, np.inf)
        self.touched: list[np.ndarray] = []
        self.rounds: list[tuple[np.ndarray, np.ndarray]] = []
        self.frontier = np.empty(0, dtype=np.int64)

    def start(self, node: int) -> None:
        self.frontier = np.array([node], dtype=np.int64)
        self.dist[node] = 0.0
        self.touched = [self.frontier]
        self.rounds = []

    def reset(self) -> None:
        for nodes in self.touched:
            self.dist[nodes] = np.inf
        self.touched = []

    def work(self) -> int:
        """Links the next round would scan (-1 when the frontier is empty)."""
        f = self.frontier
        if len(f) <= 1:
            return int(self.indptr[f[0] + 1] - self.indptr[f[0]]) if len(f) else -1
        return int((self.indptr[f + 1] - self.indptr[f]).sum())

    def step(self, blocked: np.ndarray, bound: float, min_trust: float, banned: Sequence[tuple[int, int]]) -> np.ndarray:
        """One synchronous round from the frontier; returns the nodes that improved (sorted)."""
        f = self.frontier
        if len(f) == 1:  # one node (every search's first round): its row, no duplicates possible
            lo, hi = self.indptr[f[0]], self.indptr[f[0] + 1]
            total = int(hi - lo)
            pos = np.arange(lo, hi, dtype=np.int64)
            src = np.full(total, f[0], dtype=np.int64)
        else:
            starts = self.indptr[f]
            counts = self.indptr[f + 1] - starts
            total = int(counts.sum())
            ends = np.cumsum(counts)
            pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)
            src = np.repeat(f, counts)
        if total == 0:
            improved = np.empty(0, dtype=np.int64)
        else:
            tgt = self.indices[pos].astype(np.int64, copy=False)
            c = self.dist[src] + self.cost[pos]
            keep = (c < self.dist[tgt]) & (c < bound) & ~blocked[tgt]
            if min_trust > 0.0:
                keep &= self.trust[pos] >= min_trust
            for a, b in banned:
                keep &= (src != a) | (tgt != b)
            src, tgt, c = src[keep], tgt[keep], c[keep]
            if len(tgt) > 1:
                order = np.lexsort((src, c, tgt))
                src, tgt, c = src[order], tgt[order], c[order]
                first = np.empty(len(tgt), dtype=bool)
                first[0] = True
                np.not_equal(tgt[1:], tgt[:-1], out=first[1:])
                src, tgt, c = src[first], tgt[first], c[first]
            self.dist[tgt] = c
            self.touched.append(tgt)
            improved = tgt
            self.rounds.append((tgt, src))
        if total == 0:
            self.rounds.append((improved, improved))
        self.frontier = improved
        return improved

    def trace(self, node: int) -> list[int]:
        """The walk from the start to ``node`` that gave ``node`` its current value, start first."""
        walk = [node]
        r = len(self.rounds) - 1
        while r >= 0:
            nodes, preds = self.rounds[r]
            k = int(np.searchsorted(nodes, walk[-1]))
            if k < len(nodes) and nodes[k] == walk[-1]:
                walk.append(int(preds[k]))
            r -= 1
        walk.reverse()
        return walk


class Searcher:
    """Hop-limited best paths on one graph; reuse one per graph (see the module notes)."""

    def __init__(self, forward: tuple[np.ndarray, ...], backward: tuple[np.ndarray, ...]) -> None:
        self.fw = _Side(*forward)
        self.bw = _Side(*backward)
        self.blocked = np.zeros(len(self.fw.dist), dtype=bool)

    # -- one best path ------------------------------------------------------------------------
    def best(self, s: int, t: int, budget: int, rules: Constraints,
             blocked: Sequence[int] = (), banned: Sequence[tuple[int, int]] = ()) -> Found | None:
        """The least-cost simple path ``s → t`` of at most ``budget`` links, or None."""
        if rules.via is not None and rules.via not in (s, t):
            return self._best_via(s, t, budget, rules, blocked, banned)
        masked_set = set(blocked) | rules.avoid
        if s in masked_set or t in masked_set:
            return None
        masked = np.fromiter(masked_set, dtype=np.int64)
        self.blocked[masked] = True
        try:
            return self._meet(s, t, budget, rules.min_trust, banned)
        finally:
            self.blocked[masked] = False

    def _meet(self, s: int, t: int, budget: int, min_trust: float, banned: Sequence[tuple[int, int]]) -> Found | None:
        fw, bw = self.fw, self.bw
        fw.start(s)
        bw.start(t)
        back_banned = [(b, a) for a, b in banned]
        best, meet = np.inf, -1
        done = 0
        try:
            while done < budget:
                wf, wb = fw.work(), bw.work()
                if wf < 0 and wb < 0:
                    break
                forward = wb < 0 or (0 <= wf <= wb)
                side, other = (fw, bw) if forward else (bw, fw)
                improved = side.step(self.blocked, best, min_trust, banned if forward else back_banned)
                done += 1
                if len(improved):
                    totals = side.dist[improved] + other.dist[improved]
                    k = int(np.argmin(totals))
                    if totals[k] < best:
                        best, meet = float(totals[k]), int(improved[k])
            if meet < 0:
                return None
            nodes = fw.trace(meet) + bw.trace(meet)[::-1][1:]
        finally:
            fw.reset()
            bw.reset()
        return self._found(_without_loops(nodes))

    def _found(self, nodes: Sequence[int]) -> Found:
        cost = 0.0
        for u, v in zip(nodes, nodes[1:]):
            cost += self.arc_cost(u, v)
        return Found.of(cost, tuple(nodes))

    def arc_cost(self, u: int, v: int) -> float:
        fw = self.fw
        lo, hi = fw.indptr[u], fw.indptr[u + 1]
        k = lo + int(np.searchsorted(fw.indices[lo:hi], v))
        return float(fw.cost[k])

    def _best_via(self, s: int, t: int, budget: int, rules: Constraints,
                  blocked: Sequence[int], banned: Sequence[tuple[int, int]]) -> Found | None:
        """Best ``s → via → t``: first halves in order of cost, each with its best disjoint second half."""
        via = rules.via
        assert via is not None
        free = Constraints(rules.avoid, rules.min_trust)
        lower = self.best(via, t, budget - 1, free, [*blocked, s], banned)
        if lower is None:
            return None
        winner: Found | None = None
        for half in self.paths(s, via, budget - 1, free, [*blocked, t], banned):
            if winner is not None and half.cost + lower.cost >= winner.cost:
                break
            rest = self.best(via, t, budget - half.hops, free, [*blocked, *half.nodes[:-1]], banned)
            if rest is not None:
                found = self._found(half.nodes + rest.nodes[1:])
                winner = found if winner is None else min(winner, found)
        return winner

    # -- one source, many targets ----------------------------------------------------------------
    def many(self, s: int, targets: Sequence[int], budget: int, rules: Constraints) -> list[Found | None]:
        """The best path to each target: the source's ``ceil(budget / 2)`` rounds run once,
        then each target runs the remaining rounds from its end and meets them."""
        fw, bw = self.fw, self.bw
        masked = np.fromiter(rules.avoid, dtype=np.int64)
        self.blocked[masked] = True
        fw.start(s)
        out: list[Found | None] = []
        try:
            for _ in range((budget + 1) // 2):
                fw.step(self.blocked, np.inf, rules.min_trust, ())
            for t in targets:
                best, meet = (float(fw.dist[t]), t) if np.isfinite(fw.dist[t]) else (np.inf, -1)
                bw.start(t)
                try:
                    for _ in range(budget // 2):
                        improved = bw.step(self.blocked, best, rules.min_trust, ())
                        if len(improved):
                            totals = bw.dist[improved] + fw.dist[improved]
                            k = int(np.argmin(totals))
                            if totals[k] < best:
                                best, meet = float(totals[k]), int(improved[k])
                    nodes = None if meet < 0 else fw.trace(meet) + bw.trace(meet)[::-1][1:]
                finally:
                    bw.reset()
                out.append(None if nodes is None else self._found(_without_loops(nodes)))
        finally:
            fw.reset()
            self.blocked[masked] = False
        return out

    # -- k best paths (Yen) ---------------------------------------------------------------------
    def paths(self, s: int, t: int, budget: int, rules: Constraints,
              blocked: Sequence[int] = (), banned: Sequence[tuple[int, int]] = ()) -> Iterator[Found]:
        """Simple paths ``s → t`` of at most ``budget`` links, best first, found lazily."""
        first = self.best(s, t, budget, rules, blocked, banned)
        if first is None:
            return
        accepted = [first]
        candidates: list[Found] = []
        seen = {first.nodes}
        yield first
        while True:
            last = accepted[-1].nodes
            for j in range(len(last) - 1):
                root = last[: j + 1]
                used = [(p.nodes[j], p.nodes[j + 1]) for p in accepted if p.nodes[: j + 1] == root]
                spur_rules = rules if rules.via is None or rules.via not in root else Constraints(rules.avoid, rules.min_trust)
                spur = self.best(root[-1], t, budget - j, spur_rules, [*blocked, *root[:-1]], [*banned, *used])
                if spur is not None:
                    nodes = root[:-1] + spur.nodes
                    if nodes not in seen:
                        seen.add(nodes)
                        heapq.heappush(candidates, self._found(nodes))
            if not candidates:
                return
            accepted.append(heapq.heappop(candidates))
            yield accepted[-1]


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
