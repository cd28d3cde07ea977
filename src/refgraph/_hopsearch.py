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
A round that scans few links (most of them: a typical query scans a few hundred links in all)
runs as a Python loop over memoryviews of the arrays; a larger one runs vectorised. The last
round only looks for links into nodes the other side reached, so in Python it intersects each
row with those nodes (a set) and costs a row, not a link, at a time.

The k best paths come from Yen's algorithm (:meth:`Searcher.paths`) with this search as the
spur step: the hop budget splits into the root's links plus the spur's, and root nodes and
already used deviations are blocked with reusable masks.

Paths rank by cost (to 12 digits), then fewer links, then ids: node indices are positions in
the graph's sorted ids, so comparing index tuples compares ids. A search keeps one walk per
node, so among equal costs it keeps whichever it met first. It therefore notes when two walks
came within ``TIE`` of each other (``near``); only then does :meth:`Searcher.top` gather every
path tied with the last one wanted and let the ranks decide. The same best path found again
from another meeting node is not a tie: such rivals are rebuilt and compared at the end.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, takewhile
from typing import Any

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


SMALL_ROUND = 256
"""Rounds that would scan at most this many links run as plain Python loops over the rows;
larger ones run vectorised. A typical query's rounds scan tens of links, where numpy's
per-call overhead would cost more than the work."""

_SMALL_SET = 32  # node lists up to this size are walked in Python, longer ones with numpy

TIE = 1e-9
"""Costs this close may rank as equal (ranks round costs to 12 digits)."""


class _Side:
    """One direction of the search over one CSR graph, with state reused across queries.

    ``dist`` is the one copy of the distances; the memoryviews beside the arrays give the
    small rounds fast scalar access to the same memory. ``rounds[j]`` maps each node
    improved in round *j* to its predecessor (a dict, or sorted nodes and predecessors as
    arrays). ``near`` says the side met two walks within ``TIE`` of each other; ``rivals``
    keeps the complete walks that came within ``TIE`` of the best so far.
    """

    def __init__(self, arrays: tuple[np.ndarray, ...], blocked: np.ndarray) -> None:
        self.indptr, self.indices, self.cost, self.trust = (np.ascontiguousarray(a) for a in arrays)
        self.dist = np.full(len(self.indptr) - 1, np.inf)
        self.degree = np.diff(self.indptr)
        self.blocked = blocked
        self.views = tuple(memoryview(a) for a in
                           (self.indptr, self.indices, self.cost, self.trust, self.dist, blocked, self.degree))
        self.touched: list[Any] = []
        self.rounds: list[Any] = []
        self.frontier: Any = []
        self._work: int | None = None
        self.near = False
        self.guarded = False  # whether any node is blocked
        self.rivals: list[tuple[int, int, int, int, float]] = []
        self.reached: set[int] = set()  # every node with a finite distance

    def start(self, node: int) -> None:
        self.frontier = [node]
        self.views[4][node] = 0.0
        self.touched = [self.frontier]
        self.rounds = []
        self.rivals = []
        self.reached = {node}
        self._work = None

    def reset(self) -> None:
        dist = self.views[4]
        for nodes in self.touched:
            if len(nodes) > _SMALL_SET:
                self.dist[nodes] = np.inf
            else:
                for v in nodes:
                    dist[v] = np.inf
        self.touched = []

    def step(self, bound: float, min_trust: float, banned: Sequence[tuple[int, int]], other: _Side,
             last: bool = False) -> tuple[float, int]:
        """One synchronous round from the frontier: each frontier node relaxes with the value it
        had when the round began, and each improved node keeps its least cost (then least
        predecessor). Returns the least complete cost ``dist + other.dist`` below ``bound``
        through a node this round improved (the first in link order on ties) and that node, or
        ``(bound, -1)``. On the ``last`` round only that meeting node is recorded: nothing else
        the round finds could be used."""
        if not len(self.frontier):
            return bound, -1
        if (len(self.frontier) if last else self.work) > SMALL_ROUND:  # a last round costs a row a node
            return self._vector(bound, min_trust, banned, other, last)
        bans: dict[int, set[int]] = {}
        for a, b in banned:
            bans.setdefault(a, set()).add(b)
        frontier = self.frontier if isinstance(self.frontier, list) else self.frontier.tolist()
        engine = self._last_small if last else self._small
        return engine(bound, min_trust, bans, other, frontier)

    def _advance(self, won: Any, improved: Any) -> None:
        """Record a round: ``won`` maps each improved node to its predecessor (a dict, or the
        sorted nodes and their predecessors as arrays); ``improved`` is the next frontier."""
        self.rounds.append(won)
        self.touched.append(improved)
        self.frontier = improved
        self.reached.update(improved if isinstance(improved, list) else improved.tolist())
        self._work = None

    @property
    def work(self) -> int:
        """Links the next round would scan (-1 when the frontier is empty)."""
        if self._work is None:
            f = self.frontier
            if len(f) > _SMALL_SET:
                self._work = int(self.degree[f].sum())
            else:
                degree = self.views[6]
                self._work = sum([degree[v] for v in f]) if len(f) else -1
        return self._work

    def _settle(self, best: float, meet: int, pred: int, cost: float) -> tuple[float, int]:
        """Record a last round: only its best meeting node, if it found one."""
        if meet >= 0:
            self.views[4][meet] = cost
            self._advance({meet: pred}, [meet])
        return best, meet

    def _small(self, bound: float, min_trust: float, bans: dict[int, set[int]], other: _Side,
               frontier: list[int]) -> tuple[float, int]:
        ptr, idx, cost, trust, dist, stop, _ = self.views
        there = other.views[4]
        won: dict[int, int] = {}
        best, meet = bound, -1
        near = False
        rivals: list[tuple[int, int, float]] = []
        cut = bound + TIE  # walks this close to the bound still count: they may tie
        inf, tie = np.inf, TIE
        sift = min_trust > 0.0 or self.guarded  # every row needs sifting; else only banned links' rows
        for u, du in [(u, dist[u]) for u in frontier]:  # values as the round began
            lo, hi = ptr[u], ptr[u + 1]
            heads, costs = idx[lo:hi].tolist(), cost[lo:hi].tolist()
            if sift or u in bans:
                skip = bans.get(u, ())
                ok = [t >= min_trust and not stop[v] and v not in skip
                      for v, t in zip(heads, trust[lo:hi].tolist())]
                heads = [v for v, keep in zip(heads, ok) if keep]
                costs = [c for c, keep in zip(costs, ok) if keep]
            for v, cv in zip(heads, costs):
                c = du + cv
                if c >= cut:
                    continue
                dv = dist[v]
                if c >= dv - tie:
                    near |= c <= dv + tie
                    if c >= dv:
                        continue
                tv = there[v]
                if tv < inf:
                    total = c + tv
                    if total <= best + tie:
                        rivals.append((u, v, total))
                        if total < best:
                            best, meet = total, v
                dist[v] = c
                won[v] = u
        self.near |= near
        if rivals:
            self._rivals(rivals, other)
        self._advance(won, sorted(won))
        return best, meet

    def _last_small(self, bound: float, min_trust: float, bans: dict[int, set[int]], other: _Side,
                    frontier: list[int]) -> tuple[float, int]:
        """The last round in Python: only links into nodes the other side reached can complete a
        walk, so each row is intersected with those nodes first."""
        ptr, idx, cost, trust, dist, stop, _ = self.views
        there, reached = other.views[4], other.reached
        best, meet, pred, meet_cost = bound, -1, -1, np.inf
        rivals: list[tuple[int, int, float]] = []
        cut = bound + TIE
        for u, du in [(u, dist[u]) for u in frontier]:
            if du >= cut:
                continue
            lo, hi = ptr[u], ptr[u + 1]
            heads = idx[lo:hi].tolist()
            hits = reached.intersection(heads)
            if not hits:
                continue
            skip = bans.get(u, ())
            for v in sorted(hits):  # in link order (rows are sorted by id)
                at = lo + bisect.bisect_left(heads, v)
                if stop[v] or v in skip or trust[at] < min_trust:
                    continue
                c = du + cost[at]
                total = c + there[v]
                if total <= best + TIE:
                    rivals.append((u, v, total))
                    if total < best:
                        best, meet, pred, meet_cost = total, v, u, c
        if rivals:
            self._rivals(rivals, other)
        return self._settle(best, meet, pred, meet_cost)

    def _vector(self, bound: float, min_trust: float, banned: Sequence[tuple[int, int]], other: _Side,
                last: bool) -> tuple[float, int]:
        f = np.asarray(self.frontier, dtype=np.int64)
        counts = self.degree[f]
        ends = np.cumsum(counts)
        pos = np.arange(ends[-1], dtype=np.int64) + np.repeat(self.indptr[f] - (ends - counts), counts)
        src = np.repeat(f, counts)
        tgt = self.indices[pos]
        c = self.dist[src] + self.cost[pos]
        keep = ~self.blocked[tgt] if self.guarded else np.ones(len(tgt), dtype=bool)
        if min_trust > 0.0:
            keep &= self.trust[pos] >= min_trust
        for a, b in banned:
            keep &= (src != a) | (tgt != b)
        if last:  # only the best meeting counts (a link that does not improve its head cannot win)
            totals = np.where(keep, c + other.dist[tgt], np.inf)
            k = int(np.argmin(totals)) if len(totals) else 0
            if not len(totals) or totals[k] >= bound + TIE:
                return bound, -1
            self._rivals_near(src, tgt, totals, min(bound, totals[k]), other)
            if totals[k] >= bound:
                return bound, -1
            return self._settle(float(totals[k]), int(tgt[k]), int(src[k]), float(c[k]))
        here = self.dist[tgt]
        self.near |= bool(np.any(keep & (np.abs(c - here) <= TIE)))
        keep &= (c < here) & (c < bound + TIE)
        src, tgt, c = src[keep], tgt[keep], c[keep]
        best, meet = bound, -1
        if len(tgt):
            totals = c + other.dist[tgt]
            k = int(np.argmin(totals))
            self._rivals_near(src, tgt, totals, min(bound, totals[k]), other)
            if totals[k] < bound:
                best, meet = float(totals[k]), int(tgt[k])
        order = np.lexsort((src, c, tgt))
        src, tgt, c = src[order], tgt[order], c[order]
        first = np.empty(len(tgt), dtype=bool)
        first[:1] = True
        np.not_equal(tgt[1:], tgt[:-1], out=first[1:])
        self.near |= bool(np.any(~first[1:] & (c[1:] - c[:-1] <= TIE)))
        src, tgt, c = src[first], tgt[first], c[first]
        self.dist[tgt] = c
        self._advance((tgt, src), tgt)
        return best, meet

    def _rivals(self, found: list[tuple[int, int, float]], other: _Side) -> None:
        """Keep complete walks ``u → v`` whose cost came within ``TIE`` of the best so far, with
        the rounds each side had done, so the search can tell afterwards whether they are the
        best path itself (found again from another meeting node) or a tie."""
        mine, theirs = len(self.rounds), len(other.rounds)
        self.rivals += [(u, v, mine, theirs, total) for u, v, total in found]

    def _rivals_near(self, src: np.ndarray, tgt: np.ndarray, totals: np.ndarray, best: float, other: _Side) -> None:
        if not np.isfinite(best):
            return
        close = np.flatnonzero(totals <= best + TIE)
        self._rivals([(int(src[i]), int(tgt[i]), float(totals[i])) for i in close], other)

    def trace(self, node: int, rounds: int | None = None) -> list[int]:
        """The walk from the start to ``node`` that gave ``node`` its value after ``rounds``
        rounds (all so far by default), start first."""
        walk = [node]
        for won in reversed(self.rounds[:rounds]):
            if isinstance(won, dict):
                pred = won.get(walk[-1])
            else:
                nodes, preds = won
                k = int(np.searchsorted(nodes, walk[-1]))
                pred = int(preds[k]) if k < len(nodes) and nodes[k] == walk[-1] else None
            if pred is not None:
                walk.append(pred)
        walk.reverse()
        return walk


class Searcher:
    """Hop-limited best paths on one graph; reuse one per graph (see the module notes)."""

    def __init__(self, forward: tuple[np.ndarray, ...], backward: tuple[np.ndarray, ...]) -> None:
        blocked = np.zeros(len(forward[0]) - 1, dtype=bool)
        self.fw = _Side(forward, blocked)
        self.bw = _Side(backward, blocked)

    @property
    def near(self) -> bool:
        """Whether a search since the last :meth:`top`, :meth:`introducers` or :meth:`many` began
        met two walks within ``TIE`` of each other."""
        return self.fw.near or self.bw.near

    def top(self, s: int, t: int, budget: int, rules: Constraints, k: int,
            blocked: Sequence[int] = ()) -> list[Found]:
        """The ``k`` best paths in rank order: equal costs go to fewer links, then smaller ids.

        The searches pick among equal costs by the order they meet them; when they met any
        near-equal costs, every path tied with the k-th is gathered and the ranks decide."""
        self.fw.near = self.bw.near = False
        paths = self.paths(s, t, budget, rules, blocked)
        found = list(islice(paths, k))
        if found and self.near:
            edge = found[-1].rank[0]
            found = sorted([*found, *takewhile(lambda f: f.rank[0] == edge, paths)])[:k]
        return found

    def introducers(self, s: int, t: int, budget: int, rules: Constraints, k: int) -> list[Found]:
        """The best path through each of the ``k`` best first introducers, best first."""
        self.fw.near = self.bw.near = False
        found: list[Found] = []
        while len(found) < k or self.near:  # with near costs, also every introducer tied with the k-th
            nxt = self.best(s, t, budget, rules, banned=[(s, f.nodes[1]) for f in found])
            if nxt is None or (len(found) >= k and nxt.rank[0] != found[-1].rank[0]):
                break
            found.append(nxt)
        if self.near:  # each introducer's path among its ties, from the introducer on
            found = [f if f.hops == 1 else self._prefixed(s, f.nodes[1], t, budget, rules) for f in found]
        return sorted(found)[:k]

    def _prefixed(self, s: int, x: int, t: int, budget: int, rules: Constraints) -> Found:
        rest_rules = Constraints(rules.avoid, rules.min_trust) if rules.via in (s, x) else rules
        rest = self.top(x, t, budget - 1, rest_rules, 1, blocked=[s])[0]
        return self._found((s, *rest.nodes))

    # -- one best path ------------------------------------------------------------------------
    def best(self, s: int, t: int, budget: int, rules: Constraints,
             blocked: Sequence[int] = (), banned: Sequence[tuple[int, int]] = ()) -> Found | None:
        """The least-cost simple path ``s → t`` of at most ``budget`` links, or None."""
        if rules.via is not None and rules.via not in (s, t):
            return self._best_via(s, t, budget, rules, blocked, banned)
        masked = set(blocked) | rules.avoid
        if s in masked or t in masked:
            return None
        if not masked:
            return self._meet(s, t, budget, rules.min_trust, banned)
        stop = self.fw.views[5]
        for v in masked:
            stop[v] = True
        self.fw.guarded = self.bw.guarded = True
        try:
            return self._meet(s, t, budget, rules.min_trust, banned)
        finally:
            for v in masked:
                stop[v] = False
            self.fw.guarded = self.bw.guarded = False

    def _meet(self, s: int, t: int, budget: int, min_trust: float, banned: Sequence[tuple[int, int]]) -> Found | None:
        fw, bw = self.fw, self.bw
        fw.start(s)
        bw.start(t)
        back_banned = [(b, a) for a, b in banned]
        best, meet = np.inf, -1
        done = 0
        try:
            while done < budget:
                last = done == budget - 1
                if last:  # a last round costs a row per frontier node (see _last_small)
                    wf, wb = len(fw.frontier) or -1, len(bw.frontier) or -1
                else:
                    wf, wb = fw.work, bw.work
                if wf < 0 and wb < 0:
                    break
                forward = wb < 0 or (0 <= wf <= wb)
                side, other = (fw, bw) if forward else (bw, fw)
                total, node = side.step(best, min_trust, banned if forward else back_banned, other, last)
                done += 1
                if node >= 0:
                    best, meet = total, node
            if meet < 0:
                return None
            nodes = fw.trace(meet) + bw.trace(meet)[::-1][1:]
            fw.near = fw.near or any(walk != nodes for walk in self._rival_walks(best))
        finally:
            fw.reset()
            bw.reset()
        return self._found(_without_loops(nodes))

    def _rival_walks(self, best: float) -> Iterator[list[int]]:
        """The walks the sides kept as rivals that cost within ``TIE`` of ``best``, source first."""
        fw, bw = self.fw, self.bw
        for u, v, r_fw, r_bw, total in fw.rivals:
            if total - best <= TIE:
                yield fw.trace(u, r_fw) + bw.trace(v, r_bw)[::-1]
        for u, v, r_bw, r_fw, total in bw.rivals:
            if total - best <= TIE:
                yield fw.trace(v, r_fw) + bw.trace(u, r_bw)[::-1]

    def trust_of(self, found: Found) -> list[float]:
        """The trust of each link of a path, source first."""
        trust = self.fw.views[3]
        return [trust[a] for a in found.arcs]

    def _found(self, nodes: Sequence[int]) -> Found:
        ptr, idx, cost = self.fw.views[:3]
        arcs = tuple(ptr[u] + bisect.bisect_left(idx[ptr[u]:ptr[u + 1]], v) for u, v in zip(nodes, nodes[1:]))
        total = 0.0
        for a in arcs:
            total += cost[a]
        return Found.of(total, tuple(nodes), arcs)

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
            if winner is not None and half.cost + lower.cost > winner.cost + TIE:
                break
            rest = self.best(via, t, budget - half.hops, free, [*blocked, *half.nodes[:-1]], banned)
            if rest is not None:
                found = self._found(half.nodes + rest.nodes[1:])
                if winner is not None:
                    self.fw.near |= abs(found.cost - winner.cost) <= TIE
                winner = found if winner is None else min(winner, found)
        return winner

    # -- one source, many targets ----------------------------------------------------------------
    def many(self, s: int, targets: Sequence[int], budget: int, rules: Constraints) -> list[Found | None]:
        """The best path to each target: the source's ``ceil(budget / 2)`` rounds run once,
        then each target runs the remaining rounds from its end and meets them."""
        fw, bw = self.fw, self.bw
        masked = np.fromiter(rules.avoid, dtype=np.int64)
        self.fw.blocked[masked] = True
        fw.guarded = bw.guarded = len(masked) > 0
        fw.near = False
        fw.start(s)
        out: list[Found | None] = []
        redo = []  # targets whose search met near-equal costs: ranked exactly afterwards
        try:
            for _ in range((budget + 1) // 2):
                fw.step(np.inf, rules.min_trust, (), bw)
            for i, t in enumerate(targets):
                bw.near = False
                best, meet = (float(fw.dist[t]), t) if np.isfinite(fw.dist[t]) else (np.inf, -1)
                bw.start(t)
                try:
                    for j in range(budget // 2):
                        total, node = bw.step(best, rules.min_trust, (), fw, last=j == budget // 2 - 1)
                        if node >= 0:
                            best, meet = total, node
                    nodes = None if meet < 0 else fw.trace(meet) + bw.trace(meet)[::-1][1:]
                finally:
                    bw.reset()
                out.append(None if nodes is None else self._found(_without_loops(nodes)))
                if nodes is not None and (self.near or any(walk != nodes for walk in self._rival_walks(best))):
                    redo.append(i)
        finally:
            fw.reset()
            self.fw.blocked[masked] = False
            fw.guarded = bw.guarded = False
        for i in redo:
            out[i] = self.top(s, targets[i], budget, rules, 1)[0]
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
