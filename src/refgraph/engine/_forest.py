"""The referral forest's array engine: parents, generations, reach and value as arrays.

Every contact named by a referral is a position; ``parent[i]`` is the position of the contact
who referred ``i`` first (-1 at a root). Generations come from pointer doubling, sums over
subtrees from one sparse triangular solve: a million referrals take about a second and a
100,000-long chain needs no recursion. :mod:`refgraph.analysis.chains` builds its views on this.

>>> f = Forest.build(["ana", "ana", "raj"], ["raj", "ben", "lu"], ["2024-01-05"] * 3, ["won"] * 3, [1, 2, 3])
>>> f.ids.tolist(), f.parent.tolist(), f.generation.tolist(), f.reach.tolist()
(['ana', 'ben', 'lu', 'raj'], [-1, 0, 3, 0], [0, 1, 2, 1], [3, 0, 0, 1])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order
from scipy.sparse.linalg import spsolve_triangular

from ..errors import DataError, UnknownContactError
from ..records.models import ReferralStatus
from ._index import as_id_array, factorize

__all__ = ["POLICIES", "STATUSES", "WON", "Forest", "Upward", "check_arrays", "generations"]

STATUSES: tuple[str, ...] = tuple(s.value for s in ReferralStatus)
WON = STATUSES.index("won")
POLICIES = ("direct", "equal", "decay")


def _row_error(message: str, rows: np.ndarray, field: str, values: np.ndarray) -> DataError:
    row = int(np.flatnonzero(rows)[0])
    value = values[row]
    return DataError(message, field=f"referrals[{row}].{field}",
                     value=value.item() if isinstance(value, np.generic) else value)


def check_arrays(
    dates: Iterable[Any], status: Iterable[Any], value: Iterable[float], m: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    raw_dates, raw_status, raw_value = np.asarray(dates), np.asarray(status), np.asarray(value)
    if not (len(raw_dates) == len(raw_status) == len(raw_value) == m):
        raise DataError(f"referral arrays differ in length: {m} referrers, {len(raw_dates)} dates, "
                        f"{len(raw_status)} statuses, {len(raw_value)} values")
    try:
        day = raw_dates.astype("datetime64[D]")
    except (ValueError, TypeError):
        bad = np.array([_not_a_date(d) for d in raw_dates.tolist()], dtype=bool)
        raise _row_error("expected a date as YYYY-MM-DD, e.g. 2024-03-31", bad, "date", raw_dates) from None
    if np.isnat(day).any():
        raise _row_error("a referral needs a date", np.isnat(day), "date", raw_dates)
    if raw_status.dtype.kind in "iu":
        code = raw_status.astype(np.int8)
        bad = (raw_status < 0) | (raw_status >= len(STATUSES))
    else:
        code = np.full(m, -1, dtype=np.int8)
        folded = np.char.lower(np.char.strip(raw_status.astype(str)))  # "Won" and " won" are won
        for k, label in enumerate(STATUSES):
            code[folded == label] = k
        bad = code < 0
    if bad.any():
        raise _row_error(f"not a referral status ({', '.join(STATUSES)})", bad, "status", raw_status)
    try:
        val = raw_value.astype(np.float64)
    except (ValueError, TypeError):
        bad = np.array([_not_a_number(v) for v in raw_value.tolist()], dtype=bool)
        raise _row_error("expected a number", bad, "value", raw_value) from None
    bad = ~np.isfinite(val) | (val < 0)
    if bad.any():
        raise _row_error("a referral's value must be a finite number of at least 0", bad, "value", raw_value)
    return day, code, val


def _not_a_date(value: Any) -> bool:
    try:
        np.datetime64(value, "D")
    except (ValueError, TypeError):
        return True
    return False


def _not_a_number(value: Any) -> bool:
    try:
        float(value)
    except (ValueError, TypeError):
        return True
    return False


def generations(parent: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each node's number of ancestors, by pointer doubling (about log2(depth) vectorised rounds);
    a cycle raises :class:`DataError` naming its contacts."""
    n = len(parent)
    has = parent >= 0
    jump = np.where(has, parent, np.arange(n))
    depth = has.astype(np.int64)
    active = np.flatnonzero(has)
    for _ in range(n.bit_length() + 1):
        if not active.size:
            return depth
        up = jump[active]
        depth[active] += depth[up]
        jump[active] = jump[up]
        active = active[has[jump[active]]]
    start = int(jump[active[0]])  # after n steps up from a node that never reaches a root: on the cycle
    cycle = [start]
    while (nxt := int(parent[cycle[-1]])) != start:
        cycle.append(nxt)
    cycle.reverse()  # referral order: referrer first
    k = cycle.index(min(cycle))
    cycle = cycle[k:] + cycle[:k]
    names = " → ".join(str(ids[i]) for i in [*cycle, cycle[0]])
    raise DataError(f"referrals form a cycle: {names}", contact=ids[cycle[0]])


class Upward:
    """Subtree sums over a forest: ``U[p] = sum over children c of (x[c] + r * U[c])``.

    With the nodes in ``order`` (by generation) parents come before children, so
    ``(I - r A) U = A x`` (``A`` parent → child) is upper triangular: one sparse triangular
    solve, however deep the chains are. The matrix is kept in CSR form with its unit diagonal
    stored, which is what SciPy's solver needs to work in place.
    """

    def __init__(self, parent: np.ndarray, order: np.ndarray) -> None:
        n = len(parent)
        pos = np.empty(n, dtype=np.int64)
        pos[order] = np.arange(n)
        child = order[parent[order] >= 0]  # children in position order
        self.child, self.order, self.pos = child, order, pos
        up = pos[parent[child]]
        by_row = np.argsort(up, kind="stable")  # each row: its diagonal, then its children in order
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(up, minlength=n) + 1)])
        self.diagonal = self.indptr[:-1].copy()
        self.indices = np.empty(n + len(child), dtype=np.int64)
        self.indices[self.diagonal] = np.arange(n)
        off = np.ones(len(self.indices), dtype=bool)
        off[self.diagonal] = False
        self.indices[off] = pos[child][by_row]
        self.off = off
        self.up = up

    def children(self) -> sp.csr_array:
        """Parent → child in position space (with a harmless self-loop on every node)."""
        return sp.csr_array((np.ones(len(self.indices)), self.indices, self.indptr))

    def __call__(self, x: np.ndarray, r: float = 1.0) -> np.ndarray:
        """``U`` for node values ``x`` (one or several columns) and factor ``r``."""
        n = len(self.order)
        data = np.where(self.off, -r, 1.0)
        xs = x[self.child]
        rhs = (np.column_stack([np.bincount(self.up, weights=col, minlength=n) for col in xs.T]) if xs.ndim == 2
               else np.bincount(self.up, weights=xs, minlength=n))
        solved = spsolve_triangular(sp.csr_array((data, self.indices, self.indptr), shape=(n, n)), rhs,
                                    lower=False, unit_diagonal=True, overwrite_A=True, overwrite_b=True)
        out: np.ndarray = np.empty_like(solved)
        out[self.order] = solved
        return out


class Forest:
    """The arrays of a referral forest, one entry per contact named by a referral (by id).

    ``parent``, ``generation``, ``reach`` (contacts below), ``made`` (referrals made),
    ``value`` (of the won referral that brought the contact), ``downstream`` (value won
    below), and the referral that brought each contact: ``date``, ``status`` (a position in
    :data:`STATUSES`, -1 for none) and ``rows`` (its row in the input, -1 for none).
    ``dropped`` holds (row, referred, referrer) of every later referral of a contact already
    referred; ``day`` is every input row's date.
    """

    def __init__(self, ids: np.ndarray, parent: np.ndarray, rows: np.ndarray, day: np.ndarray, status: np.ndarray,
                 value: np.ndarray, dropped: np.ndarray, known: frozenset[Hashable] | None) -> None:
        n = len(ids)
        self.ids, self.parent, self.rows, self.day, self.dropped, self.known = ids, parent, rows, day, dropped, known
        self.generation = generations(parent, ids)
        self.upward = Upward(parent, np.argsort(self.generation, kind="stable"))
        brought = rows >= 0
        self.date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        self.date[brought] = day[rows[brought]]
        self.status = np.full(n, -1, dtype=np.int8)
        self.status[brought] = status[rows[brought]]
        self.value = np.zeros(n)
        self.value[brought] = value[rows[brought]]
        self.value[self.status != WON] = 0.0
        self.made = np.bincount(parent[parent >= 0], minlength=n)
        sums = self.upward(np.column_stack([np.ones(n), self.value]))
        self.reach = np.rint(sums[:, 0]).astype(np.int64)
        self.downstream = sums[:, 1]
        self._positions: dict[Hashable, int] | None = None
        self._children: sp.csr_array | None = None

    @classmethod
    def build(cls, referrer: Iterable[Hashable], referred: Iterable[Hashable], dates: Iterable[Any],
              status: Iterable[Any], value: Iterable[float], contacts: Iterable[Hashable] | None = None) -> Forest:
        """The forest of parallel arrays, one entry per referral (see
        :meth:`refgraph.ReferralForest.from_arrays`): the earliest referral of a contact is kept,
        ties broken by the referrer's id."""
        src, dst = as_id_array(referrer), as_id_array(referred)
        m = len(src)
        if len(dst) != m:
            raise DataError(f"referral arrays differ in length: {m} referrers, {len(dst)} referred")
        day, code, val = check_arrays(dates, status, value, m)
        if src.dtype != dst.dtype:
            src, dst = src.astype(object), dst.astype(object)
        same = src == dst
        if np.any(same):
            row = int(np.flatnonzero(same)[0])
            raise DataError("a contact cannot refer themselves", field=f"referrals[{row}]", contact=src[row])
        ids, codes = factorize(np.concatenate([src, dst]))
        s, t = codes[:m], codes[m:]
        known = None
        if contacts is not None:
            known = frozenset(as_id_array(list(contacts)).tolist())
            present = np.array([c in known for c in ids.tolist()], dtype=bool)
            for arr, codes_of, role in ((src, s, "referrer"), (dst, t, "referred")):
                if not present[codes_of].all():
                    row = int(np.flatnonzero(~present[codes_of])[0])
                    raise UnknownContactError(arr[row], f"{role} of referral {row}")
        twice = np.flatnonzero(np.bincount(t)[t] > 1)  # rows of contacts referred more than once
        order = twice[np.lexsort((s[twice], day[twice], t[twice]))]  # by referred, date, referrer id
        first = np.ones(len(order), dtype=bool)
        first[1:] = t[order][1:] != t[order][:-1]
        kept_mask = np.ones(m, dtype=bool)
        kept_mask[order[~first]] = False
        kept, dropped = np.flatnonzero(kept_mask), order[~first]
        parent = np.full(len(ids), -1, dtype=np.int64)
        parent[t[kept]] = s[kept]
        rows = np.full(len(ids), -1, dtype=np.int64)
        rows[t[kept]] = kept
        return cls(ids, parent, rows, day, code, val, np.column_stack([dropped, t[dropped], s[dropped]]), known)

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, contact: Hashable) -> int | None:
        """The position of ``contact``; None for a known contact in no referral; an unknown one
        raises :class:`~refgraph.errors.UnknownContactError`."""
        if self._positions is None:
            self._positions = {c: i for i, c in enumerate(self.ids.tolist())}
        try:
            i = self._positions.get(contact)
        except TypeError:
            i = None
        if i is None and (self.known is None or contact not in self.known):
            raise UnknownContactError(contact, "not in the referral chains")
        return i

    def id(self, i: int) -> Hashable:
        """The contact id at position ``i``, as a Python value."""
        value: Hashable = self.ids[i]
        return value.item() if isinstance(value, np.generic) else value

    def subtree(self, i: int) -> np.ndarray:
        """Position ``i`` and every position below it, by generation, then position."""
        if self._children is None:
            self._children = self.upward.children()
        start = int(self.upward.pos[i])
        nodes: np.ndarray = self.upward.order[breadth_first_order(self._children, start, directed=True,
                                                                 return_predecessors=False)]
        return nodes[np.lexsort((nodes, self.generation[nodes]))]

    def credit(self, policy: str, decay: float) -> tuple[np.ndarray, np.ndarray]:
        """The total credit of every position under ``policy`` and its direct part (see
        :meth:`refgraph.ReferralForest.attribution`)."""
        if policy not in POLICIES:
            raise DataError(f"expected one of {', '.join(POLICIES)}", field="policy", value=policy)
        if not 0 < decay <= 1:
            raise DataError("must be in (0, 1]", field="decay", value=decay)
        child = np.flatnonzero(self.parent >= 0)
        depth = np.maximum(self.generation, 1).astype(np.float64)
        if policy == "direct":
            share, r = np.ones(len(self)), 0.0
        elif policy == "equal" or decay == 1:
            share, r = 1.0 / depth, 1.0
        else:
            share, r = (1.0 - decay) / (1.0 - np.power(decay, depth)), decay
        nearest = self.value * share
        direct = np.bincount(self.parent[child], weights=nearest[child], minlength=len(self))
        total = direct if r == 0 else self.upward(nearest, r)
        return total, direct
