"""Referral chains: who referred whom, generation after generation, and who gets the credit.

A referred client refers others, and they refer more: the referrals form a forest whose roots
are the contacts who started a chain. :func:`referral_chains` builds it as a
:class:`ReferralForest`, a view over the arrays of :mod:`refgraph.engine._forest` (vectorised: a
million referrals take about a second and a 100,000-long chain needs no recursion). A contact referred twice keeps the earliest
referral as its parent (ties broken by the referrer's id); the others are listed in
:attr:`ReferralForest.conflicts` and take no further part. Only a *won* referral carries value
(the value of its deal).

:meth:`ReferralForest.attribution` shares the value of every won referral among the referred
contact's ancestors: ``direct`` gives it all to the referrer, ``equal`` splits it equally
from the referrer up to the root, ``decay`` gives the referrer the largest share and each
earlier ancestor ``decay`` times the share of the next. Every policy conserves value.

Examples
--------
>>> import refgraph as rg
>>> from refgraph.analysis.chains import referral_chains
>>> forest = referral_chains(rg.sample_network())
>>> forest.roots[:3]
('erik.haddad', 'marco.rossi', 'nadia.karimi')
>>> chain = forest.tree("marco.rossi")
>>> chain.size, max(chain.generations), chain.path_to("maya.weber")
(8, 4, ('marco.rossi', 'hiro.demir', 'ivy.adeyemi', 'katya.laurent', 'maya.weber'))
>>> forest.reach("marco.rossi"), forest.generation_of("maya.weber"), forest.parent_of("jamal.fischer")
(7, 4, 'hiro.demir')
>>> credit = forest.attribution("equal")
>>> round(sum(r.total for r in credit)) == round(forest.value)
True
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import count, instance
from ..engine._forest import STATUSES, WON, Forest
from ..errors import DataError, UnknownContactError
from ..records.network import as_network
from ..results import Ranking, Table
from .roles import organizations_held

if TYPE_CHECKING:
    from ..records.network import Network

__all__ = [
    "Attribution",
    "Conflict",
    "Generation",
    "Growth",
    "Member",
    "ReferralForest",
    "ReferralTree",
    "Source",
    "UniqueReach",
    "referral_chains",
    "unique_reach",
]



# -- rows -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conflict:
    """A second referral of ``contact``: by ``referrer`` on ``date``, set aside for the kept one."""

    contact: Hashable
    referrer: Hashable
    date: dt.date
    kept_referrer: Hashable
    kept_date: dt.date


@dataclass(frozen=True)
class Source:
    """A contact who referred someone: referrals made, reach and the value won downstream."""

    contact: Hashable
    name: str
    generation: int
    referrals: int
    reach: int
    value: float


@dataclass(frozen=True)
class Member:
    """One contact of a chain: who referred them, when, how it ended, and what came after."""

    contact: Hashable
    name: str
    referrer: Hashable | None
    generation: int
    date: dt.date | None
    status: str | None
    value: float
    reach: int
    downstream_value: float


@dataclass(frozen=True)
class Attribution:
    """The value credited to ``contact``: from its own referrals (``direct``) and deeper ones."""

    contact: Hashable
    name: str
    total: float
    direct: float
    indirect: float


@dataclass(frozen=True)
class Generation:
    """One generation of a chain: its contacts, the referrals they made and what was won."""

    generation: int
    contacts: int
    referrals_made: int
    k_factor: float
    referred: int
    won: int
    conversion: float | None
    value: float


@dataclass(frozen=True)
class UniqueReach:
    """A source picked by :func:`unique_reach` and the contacts its chain adds."""

    contact: Hashable
    name: str
    gain: int


# -- checking and building ----------------------------------------------------------------------
# -- the forest ---------------------------------------------------------------------------------
class ReferralForest:
    """Every referral chain of a network: parents, generations, reach, value and credit.

    Build it with :func:`referral_chains` (from a :class:`~refgraph.Network`) or
    :meth:`from_arrays` (parallel arrays, vectorised). The contacts in it are those named by a
    referral; a contact of the network in no referral has no parent, generation 0 and reach 0.

    Examples
    --------
    >>> f = ReferralForest.from_arrays(["ana", "ana", "raj", "ben"], ["raj", "ben", "lu", "raj"],
    ...                                ["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02"],
    ...                                ["won", "met", "won", "won"], [100, 0, 50, 70])
    >>> f.roots, f.parent_of("raj"), f.generation_of("lu"), f.reach("ana")
    (('ana',), 'ana', 2, 3)
    >>> [(c.contact, c.referrer, c.kept_referrer) for c in f.conflicts]
    [('raj', 'ben', 'ana')]
    >>> [(r.contact, r.total, r.direct, r.indirect) for r in f.attribution("equal")]
    [('ana', 125.0, 100.0, 25.0), ('raj', 25.0, 25.0, 0.0)]
    """

    def __init__(
        self,
        arrays: Forest,
        *,
        names: Mapping[Hashable, str] | None = None,
        moves: Mapping[Hashable, tuple[str, ...]] | None = None,
    ) -> None:
        self.arrays = arrays
        """The forest's arrays (:class:`refgraph.engine._forest.Forest`), one entry per contact by id."""
        self._names = dict(names or {})
        self.moves: dict[Hashable, tuple[str, ...]] = dict(moves or {})
        """Contacts who changed organisation, with their organisations oldest first."""

    @classmethod
    def from_arrays(
        cls,
        referrer: Iterable[Hashable],
        referred: Iterable[Hashable],
        dates: Iterable[Any],
        status: Iterable[Any],
        value: Iterable[float],
        *,
        contacts: Iterable[Hashable] | None = None,
        names: Mapping[Hashable, str] | None = None,
        moves: Mapping[Hashable, tuple[str, ...]] | None = None,
    ) -> ReferralForest:
        """Build the forest from parallel arrays, one entry per referral (vectorised).

        ``dates`` are dates (``datetime.date``, ISO text or ``datetime64``), ``status`` the
        :class:`~refgraph.ReferralStatus` values (text), ``value`` the deals' values.
        ``contacts``, when given, is every known contact: a referral naming another raises
        :class:`~refgraph.errors.UnknownContactError`. A bad status, date or value, or a
        negative value, raises :class:`~refgraph.errors.DataError` naming the row
        (``referrals[3].value``); a self-referral or a cycle names the contacts.

        >>> ReferralForest.from_arrays(["a", "b"], ["b", "a"], ["2024-01-01"] * 2, ["met"] * 2, [0, 0])
        Traceback (most recent call last):
        ...
        refgraph.errors.DataError: contact 'a': referrals form a cycle: a → b → a
        """
        return cls(Forest.build(referrer, referred, dates, status, value, contacts), names=names, moves=moves)

    # -- looking up -----------------------------------------------------------------------------
    def name(self, contact: Hashable) -> str:
        """The contact's display name (its id when the forest has no names)."""
        return self._names.get(contact, str(contact))

    def __len__(self) -> int:
        return len(self.arrays)

    def __contains__(self, contact: object) -> bool:
        try:
            return self.arrays.index(contact) is not None
        except UnknownContactError:
            return False

    @property
    def contacts(self) -> tuple[Hashable, ...]:
        """Every contact named by a referral, sorted by id."""
        return tuple(self.arrays.ids.tolist())

    @property
    def roots(self) -> tuple[Hashable, ...]:
        """The contacts who started a chain (referred someone, were not referred), by id."""
        f = self.arrays
        return tuple(f.ids[(f.parent < 0) & (f.made > 0)].tolist())

    @property
    def depth(self) -> int:
        """The most generations any chain runs to."""
        return int(self.arrays.generation.max(initial=0))

    @property
    def value(self) -> float:
        """The value of every won referral in the chains."""
        return float(self.arrays.value.sum())

    def parent_of(self, contact: Hashable) -> Hashable | None:
        """Who referred ``contact`` (the earliest referrer), or None."""
        f = self.arrays
        i = f.index(contact)
        return None if i is None or f.parent[i] < 0 else f.id(f.parent[i])

    def generation_of(self, contact: Hashable) -> int:
        """How many referrals separate ``contact`` from the start of its chain (0 at a root)."""
        f = self.arrays
        i = f.index(contact)
        return 0 if i is None else int(f.generation[i])

    def reach(self, contact: Hashable) -> int:
        """The number of contacts in the chain below ``contact`` (0 for one in no referral)."""
        f = self.arrays
        i = f.index(contact)
        return 0 if i is None else int(f.reach[i])

    def tree(self, contact: Hashable) -> ReferralTree:
        """The chain that starts at ``contact``: it and everyone below it."""
        i = self.arrays.index(contact)
        if i is None:
            return ReferralTree(self, np.empty(0, dtype=np.int64), contact)
        return ReferralTree(self, self.arrays.subtree(i), contact)

    def trees(self) -> Iterator[ReferralTree]:
        """Each chain from a root, roots in id order."""
        return (self.tree(root) for root in self.roots)

    # -- answers --------------------------------------------------------------------------------
    @property
    def conflicts(self) -> Table[Conflict]:
        """Every referral of a contact already referred earlier, with the referral kept."""
        f = self.arrays
        rows = [
            Conflict(f.id(t), f.id(s), f.day[row].item(), f.id(f.parent[t]),
                     f.day[f.rows[t]].item())
            for row, t, s in f.dropped.tolist()
        ]
        rows.sort(key=lambda c: (str(c.contact), c.date, str(c.referrer)))
        return Table(rows, title="Referral conflicts")

    def top_sources(self, top: int | None = 10, *, by: str = "value") -> Table[Source]:
        """The ``top`` contacts whose referrals went furthest, ``by`` downstream ``"value"`` or
        ``"reach"`` (the other breaks ties, then the id); ``top=None`` lists every source."""
        f = self.arrays
        if by not in ("value", "reach"):
            raise DataError("expected 'value' or 'reach'", field="by", value=by)
        top = None if top is None else count(top, "top")
        idx = np.flatnonzero(f.made > 0)
        keys = (f.reach[idx], f.downstream[idx]) if by == "value" else (f.downstream[idx], f.reach[idx])
        idx = idx[np.lexsort((idx, -keys[0], -keys[1]))][:top]
        rows = [Source(c, self.name(c), int(f.generation[i]), int(f.made[i]), int(f.reach[i]),
                       float(f.downstream[i])) for i, c in zip(idx.tolist(), f.ids[idx].tolist(), strict=True)]
        return Ranking(rows, by=by, title=f"Top referral sources by {by}")

    def credit(self, policy: str = "equal", decay: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
        """Arrays over :attr:`contacts`: the total credit under ``policy`` and the direct part."""
        return self.arrays.credit(policy, decay)

    def attribution(self, policy: str = "equal", decay: float = 0.5) -> Table[Attribution]:
        """The value of the won referrals credited to the sources, largest first.

        ``direct``: the referrer of each won deal gets its value. ``equal``: each won deal's
        value is split equally among the referred contact's ancestors (its referrer up to the
        root). ``decay``: ancestor ``k`` links above gets ``decay ** (k - 1)`` times the
        referrer's share. ``direct`` in a row is what came from the contact's own referrals,
        ``indirect`` the rest; the totals sum to :attr:`value`.
        """
        f = self.arrays
        total, direct = self.credit(policy, decay)
        idx = np.flatnonzero(f.made > 0)
        idx = idx[np.lexsort((idx, -total[idx]))]
        rows = [Attribution(c, self.name(c), float(total[i]), float(direct[i]), float(total[i] - direct[i]))
                for i, c in zip(idx.tolist(), f.ids[idx].tolist(), strict=True)]
        return Ranking(rows, by="total", title=f"Value attribution ({policy})")

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph`` referrer → referred of the kept referrals (see :meth:`ReferralTree.to_networkx`)."""
        return self._networkx(np.arange(len(self)))

    def show(self) -> Any:
        """Every chain as an interactive view (see :mod:`refgraph.interactive`; needs the
        ``interactive`` extra)."""
        from ..interactive import chain_view

        return chain_view(self)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw every chain (see :func:`refgraph.plot.chains.referral_chain`); returns the Axes."""
        from ..plot.chains import referral_chain

        return referral_chain(self, ax, **kwargs)

    def _networkx(self, nodes: np.ndarray) -> Any:
        f = self.arrays
        import networkx as nx

        G = nx.DiGraph()
        for i in nodes.tolist():
            c = f.id(i)
            G.add_node(c, name=self.name(c), generation=int(f.generation[i]), value=float(f.value[i]),
                       status=None if f.status[i] < 0 else STATUSES[f.status[i]])
        for i in nodes.tolist():
            p = f.parent[i]
            if p >= 0 and f.id(p) in G:
                G.add_edge(f.id(p), f.id(i), date=f.date[i].item(),
                           status=STATUSES[f.status[i]], value=float(f.value[i]))
        return G

    def members(self, nodes: np.ndarray | None = None) -> Table[Member]:
        """Every contact of the forest (or of ``nodes``, positions in it) as a row: referrer,
        generation, date and status of the referral that brought them, value, reach and the
        value won below them."""
        f = self.arrays
        idx = np.arange(len(self)) if nodes is None else nodes
        rows = []
        for i in idx.tolist():
            c, p, st = f.id(i), int(f.parent[i]), int(f.status[i])
            rows.append(Member(c, self.name(c), None if p < 0 else f.id(p), int(f.generation[i]),
                               None if st < 0 else f.date[i].item(), None if st < 0 else STATUSES[st],
                               float(f.value[i]), int(f.reach[i]), float(f.downstream[i])))
        return Table(rows, title="Referral chains")

    def to_pandas(self) -> Any:
        """:meth:`members` as a pandas DataFrame."""
        return self.members().to_pandas()

    def __repr__(self) -> str:
        f = self.arrays
        return (f"<ReferralForest: {len(self.roots)} chains, {len(self)} contacts, "
                f"{int((f.parent >= 0).sum())} referrals, {self.depth} generations deep>")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.top_sources(10)._repr_html_()


class Growth(Table[Generation]):
    """A chain's growth per generation; :meth:`plot` draws contacts and K-factor."""

    def __init__(self, tree: ReferralTree, rows: list[Generation]) -> None:
        super().__init__(rows, title=f"Growth of {tree.root}'s chain")
        self.tree = tree

    def plot(self, ax: Any = None) -> Any:
        """See :func:`refgraph.plot.growth`."""
        from ..plot.chains import growth

        return growth(self.tree, ax)


class ReferralTree:
    """One referral chain: a contact (``root``) and everyone its referrals reached, by generation.

    Generation numbers count from the tree's root (0), even when the root was itself referred.
    Get one from :meth:`ReferralForest.tree`.

    Examples
    --------
    >>> f = ReferralForest.from_arrays(["ana", "ana", "raj"], ["raj", "ben", "lu"],
    ...                                ["2024-01-05", "2024-02-01", "2024-03-01"], ["won", "lost", "won"],
    ...                                [100, 0, 50], names={"ana": "Ana", "raj": "Raj"})
    >>> t = f.tree("ana")
    >>> t.size, t.generations, t.path_to("lu")
    (4, {0: ('ana',), 1: ('ben', 'raj'), 2: ('lu',)}, ('ana', 'raj', 'lu'))
    >>> [(g.generation, g.contacts, g.k_factor, g.conversion, g.value) for g in t.growth()]
    [(0, 1, 2.0, None, 0.0), (1, 2, 0.5, 0.5, 100.0), (2, 1, 0.0, 1.0, 50.0)]
    """

    def __init__(self, forest: ReferralForest, nodes: np.ndarray, root: Hashable) -> None:
        self.forest = forest
        self._nodes = nodes if len(nodes) else np.empty(0, dtype=np.int64)
        self.root = root
        self._gens = forest.arrays.generation[nodes] - (forest.arrays.generation[nodes[0]] if len(nodes) else 0)

    @property
    def size(self) -> int:
        """The number of contacts in the chain, its root included."""
        return max(1, len(self._nodes))

    def __len__(self) -> int:
        return self.size

    @property
    def contacts(self) -> tuple[Hashable, ...]:
        """The contacts by generation, then id."""
        return tuple(self.forest.arrays.ids[self._nodes].tolist()) or (self.root,)

    def __contains__(self, contact: object) -> bool:
        return contact in self.contacts

    @property
    def generations(self) -> dict[int, tuple[Hashable, ...]]:
        """Generation number → the contacts in it (by id)."""
        if not len(self._nodes):
            return {0: (self.root,)}
        cuts = np.flatnonzero(np.diff(self._gens)) + 1
        ids = self.forest.arrays.ids
        return {int(g[0]): tuple(ids[part].tolist())
                for g, part in zip(np.split(self._gens, cuts), np.split(self._nodes, cuts), strict=True)}

    @property
    def depth(self) -> int:
        """The number of generations below the root."""
        return int(self._gens.max(initial=0))

    @property
    def value(self) -> float:
        """The value won by the referrals in the chain below the root."""
        return float(self.forest.arrays.value[self._nodes[1:]].sum())

    def path_to(self, contact: Hashable) -> tuple[Hashable, ...]:
        """The referrals from the root down to ``contact``: root first."""
        f = self.forest
        i = f.arrays.index(contact)
        top = self._nodes[0] if len(self._nodes) else None
        path = []
        while i is not None and i >= 0:
            path.append(i)
            if i == top:
                return tuple(f.arrays.ids[path[::-1]].tolist())
            i = int(f.arrays.parent[i])
        if contact == self.root:
            return (contact,)
        raise DataError(f"not in the referral chain of {self.root!r}", contact=contact)

    def growth(self) -> Table[Generation]:
        """One row per generation: contacts, referrals made, K-factor (referrals made ÷ contacts),
        referred and won contacts, conversion (won ÷ referred) and the value won."""
        f = self.forest
        if not len(self._nodes):
            return Growth(self, [Generation(0, 1, 0, 0.0, 0, 0, None, 0.0)])
        size = np.bincount(self._gens)
        made = np.append(size[1:], 0)
        referred = np.bincount(self._gens, weights=f.arrays.status[self._nodes] >= 0).astype(np.int64)
        won = np.bincount(self._gens, weights=f.arrays.status[self._nodes] == WON).astype(np.int64)
        value = np.bincount(self._gens, weights=f.arrays.value[self._nodes])
        rows = [Generation(g, int(size[g]), int(made[g]), float(made[g] / size[g]), int(referred[g]), int(won[g]),
                           float(won[g] / referred[g]) if referred[g] else None, float(value[g]))
                for g in range(len(size))]
        return Growth(self, rows)

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph`` referrer → referred; nodes carry ``name``, ``generation``
        (in the forest), ``status`` and ``value`` of the referral that brought them, edges
        ``date``, ``status`` and ``value``."""
        if not len(self._nodes):
            import networkx as nx

            G = nx.DiGraph()
            G.add_node(self.root, name=self.forest.name(self.root), generation=0, value=0.0, status=None)
            return G
        return self.forest._networkx(self._nodes)

    def to_pandas(self) -> Any:
        """The tree's contacts (see :meth:`ReferralForest.members`) as a pandas DataFrame;
        ``generation`` counts from the whole forest's roots."""
        return self.forest.members(self._nodes).to_pandas()

    def show(self) -> Any:
        """The chain as an interactive view (see :mod:`refgraph.interactive`)."""
        from ..interactive import chain_view

        return chain_view(self)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the chain (see :func:`refgraph.plot.chains.referral_chain`); returns the Axes."""
        from ..plot.chains import referral_chain

        return referral_chain(self, ax, **kwargs)

    def __repr__(self) -> str:
        return (f"<ReferralTree root={self.root!r}: {self.size} contacts, {self.depth} generations, "
                f"value {self.value:,.0f}>")

    def _repr_html_(self) -> str:
        head = (f"<p>Referral chain of <b>{html.escape(self.forest.name(self.root))}</b>: {self.size} contacts, "
                f"{self.depth} generations, value won {self.value:,.0f}</p>")
        return head + self.growth()._repr_html_()


def referral_chains(net: Network) -> ReferralForest:
    """The referral chains of ``net`` as a :class:`ReferralForest`.

    A bad status or value names the row of ``net.referrals`` (``referrals[3].value``); a
    self-referral, a referral naming an unknown contact, or a cycle names the contacts.

    >>> import refgraph as rg
    >>> f = referral_chains(rg.sample_network())
    >>> f
    <ReferralForest: 9 chains, 35 contacts, 26 referrals, 4 generations deep>
    >>> [(c.contact, c.referrer, str(c.date), c.kept_referrer) for c in f.conflicts]
    [('jamal.fischer', 'priya.sharma', '2023-02-14', 'hiro.demir')]
    >>> f.moves["orla.bianchi"]
    ('Globex', 'Initech')
    """
    net = as_network(net)
    refs = net.referrals
    return ReferralForest.from_arrays(
        [r.referrer for r in refs], [r.referred for r in refs],
        np.array([r.date for r in refs], dtype="datetime64[D]"),
        [str(r.status) for r in refs], [r.value for r in refs],
        contacts=net.contacts, names={c.id: c.name for c in net.contacts.values()}, moves=organizations_held(net),
    )


# -- unique reach ----------------------------------------------------------------------------------
def unique_reach(forest: ReferralForest, *, top: int = 5) -> Table[UniqueReach]:
    """The ``k`` sources whose chains together reach the most distinct contacts, greedily.

    Each pick adds the contacts below it that no earlier pick reached (``gain``; a source does
    not count itself). In a forest two chains are nested or apart, so a chain inside a picked
    one adds nothing: the picks are chain starters, largest first, and the list stops when no
    source adds anyone.

    >>> import refgraph as rg
    >>> [(r.contact, r.gain) for r in unique_reach(referral_chains(rg.sample_network()), top=3)]
    [('erik.haddad', 7), ('marco.rossi', 7), ('orla.bianchi', 6)]
    """
    forest = instance(forest, ReferralForest, "forest")
    top = count(top, "top")
    f = forest
    idx = np.flatnonzero((f.arrays.parent < 0) & (f.arrays.made > 0))
    idx = idx[np.lexsort((idx, -f.arrays.reach[idx]))][:top]
    picks = zip(idx.tolist(), f.arrays.ids[idx].tolist(), strict=True)
    rows = [UniqueReach(c, f.name(c), int(f.arrays.reach[i])) for i, c in picks]
    return Table(rows, title="Unique reach")
