"""`TrustGraph`: who trusts whom, as compact arrays that every analysis runs on.

A trust graph holds one node per contact and one arc per direction a relationship can be
walked, with ``trust`` in (0, 1] and ``cost = -log(trust)`` on every arc, so the product of
trusts along a chain of introductions is ``exp(-sum of costs)`` and the most trusted chain is
the cheapest one. The arcs live in CSR arrays (a ``scipy.sparse.csr_array`` underneath):
about 16 bytes an arc where networkx needs about a kilobyte.

Node indices follow the sorted contact ids, so ties broken by index are broken by id.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .._checks import instance
from ..errors import DataError, UnknownContactError
from ..records.network import Owned
from ..records.trust import MIN_TRUST, TrustExplanation, TrustModel
from ._index import as_id_array, factorize, factorize_arrow, factorize_parts

if TYPE_CHECKING:
    from ..records.network import Network

__all__ = ["TrustGraph", "as_graph", "build_csr", "parse_kinds"]

Explainer = Callable[[Hashable, Hashable, float], TrustExplanation]

_ATTRIBUTES = ("name", "organization", "kinds")


def _readonly(arr: np.ndarray) -> np.ndarray:
    view = arr.view()
    view.flags.writeable = False
    return view


class TrustGraph(Owned):
    """A weighted trust graph over contacts, stored as CSR arrays.

    Build one with :meth:`Network.trust_graph <refgraph.Network.trust_graph>`,
    :meth:`from_edges` (numpy arrays, vectorised) or :meth:`from_networkx`. An undirected
    graph stores each relationship as two arcs, so it can be walked both ways.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["ana", "ben"], ["ben", "raj"], [0.9, 0.5], directed=False)
    >>> len(g), g.number_of_edges(), "raj" in g
    (3, 2, True)
    >>> g.trust("raj", "ben"), round(g.cost("ana", "ben"), 4)
    (0.5, 0.1054)
    >>> g.neighbors("ben")
    ['ana', 'raj']
    """

    def __init__(
        self,
        ids: np.ndarray,
        matrix: sp.csr_array,
        *,
        directed: bool,
        owner: Hashable | None = None,
        attributes: Mapping[str, Any] | None = None,
        explainer: Explainer | None = None,
        as_of: dt.date | None = None,
        owners: Iterable[Hashable] = (),
    ) -> None:
        self._ids = _readonly(np.asarray(ids))
        matrix.sort_indices()
        self._matrix = matrix
        cost = np.log(matrix.data)
        self._cost = _readonly(np.negative(cost, out=cost))  # in place: no second array of the graph's size
        self.directed = bool(directed)
        self._attributes = {k: list(v) for k, v in (attributes or {}).items()}
        self._explainer = explainer
        self._positions: dict[Hashable, int] | None = None
        self._reverse: TrustGraph | None = None
        self.owners = (*([] if owner is None else [owner]), *owners)
        #: The date the trust was computed for (set when built from a Network), else None.
        self.as_of = as_of
        for who in self.owners:
            if who not in self:
                raise UnknownContactError(who, "the owner is not in the graph")


    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_edges(
        cls,
        sources: Iterable[Hashable],
        targets: Iterable[Hashable],
        trust: Iterable[float],
        *,
        directed: bool = True,
        nodes: Iterable[Hashable] | None = None,
        owner: Hashable | None = None,
        names: Mapping[Hashable, str] | None = None,
        as_of: dt.date | None = None,
        owners: Iterable[Hashable] = (),
    ) -> TrustGraph:
        """Build a graph from parallel arrays of source ids, target ids and trust values.

        Vectorised throughout (no Python loop per edge). Ids may be integers or strings, in
        numpy arrays, lists or Arrow arrays (placed by Arrow's dictionary encoding, with no
        Python object made per id);
        ``nodes`` adds contacts with no relationship. An edge given twice, or both ways in an
        undirected graph, keeps its highest trust. A trust outside (0, 1] or an edge from a
        contact to itself raises :class:`~refgraph.errors.DataError` naming the position.
        ``names`` maps ids to display names; ``as_of`` is the date the trust values hold for;
        ``owners`` (a team) adds owners after ``owner``.

        >>> g = TrustGraph.from_edges([0, 1], [1, 2], [0.8, 0.4], nodes=[3])
        >>> len(g), g.number_of_edges(), g.directed
        (4, 2, True)
        """
        weights = np.asarray(trust, dtype=np.float64)
        if isinstance(sources, pa.Array | pa.ChunkedArray) and isinstance(targets, pa.Array | pa.ChunkedArray):
            return cls._from_arrow_edges(sources, targets, weights, directed=directed, nodes=nodes,
                                         owners=(*([] if owner is None else [owner]), *owners), names=names, as_of=as_of)
        src = as_id_array(sources)
        tgt = as_id_array(targets)
        if not (len(src) == len(tgt) == len(weights)):
            raise DataError(
                f"sources, targets and trust differ in length ({len(src)}, {len(tgt)}, {len(weights)})"
            )
        extra = as_id_array(list(nodes)) if nodes is not None else src[:0]
        parts = [src, tgt, extra]
        if len({p.dtype.kind for p in parts if len(p)}) > 1:
            parts = [p.astype(object) for p in parts]
        ids, (src_codes, tgt_codes, _) = factorize_parts(parts)
        matrix = build_csr(src_codes, tgt_codes, weights, len(ids), directed, ids)
        attributes = None
        if names is not None:
            attributes = {"name": [str(names.get(i, i)) for i in ids.tolist()]}
        return cls(ids, matrix, directed=directed, owner=owner, owners=owners, attributes=attributes, as_of=as_of)

    @classmethod
    def _from_arrow_edges(
        cls, sources: pa.Array | pa.ChunkedArray, targets: pa.Array | pa.ChunkedArray, weights: np.ndarray, *,
        directed: bool, nodes: Iterable[Hashable] | None, owners: Iterable[Hashable],
        names: Mapping[Hashable, str] | None, as_of: dt.date | None,
    ) -> TrustGraph:
        """:meth:`from_edges` for ids as Arrow arrays: placed by Arrow's dictionary encoding."""
        if not (len(sources) == len(targets) == len(weights)):
            raise DataError(
                f"sources, targets and trust differ in length ({len(sources)}, {len(targets)}, {len(weights)})"
            )
        parts = [sources, targets] + ([pa.array(list(nodes), type=sources.type)] if nodes is not None else [])
        everything = pa.chunked_array([c for p in parts for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])],
                                      type=sources.type)
        ids, codes = factorize_arrow(everything)
        m = len(sources)
        matrix = build_csr(codes[:m], codes[m : 2 * m], weights, len(ids), directed, ids)
        attributes = {"name": [str(names.get(i, i)) for i in ids.tolist()]} if names is not None else None
        return cls(ids, matrix, directed=directed, owners=owners, attributes=attributes, as_of=as_of)

    @classmethod
    def from_network(
        cls, net: Network, *, as_of: dt.date | str | None = None, model: TrustModel | None = None
    ) -> TrustGraph:
        """The trust graph of a :class:`~refgraph.Network` (what :meth:`Network.trust_graph
        <refgraph.Network.trust_graph>` returns), built from its columns: ids are placed and
        trust computed by Arrow and numpy, with no Python object made per relationship.

        >>> g = TrustGraph.from_network(rg.sample_network(), as_of="2024-12-31")
        >>> g.as_of, g.owner
        (datetime.date(2024, 12, 31), 'me')
        """
        contacts, rels = net.table("contacts"), net.table("relationships")
        if net.owner is not None and (not isinstance(net.owner, str)
                                      or pc.index(contacts.column("id"), net.owner).as_py() < 0):
            raise UnknownContactError(net.owner, "the network's owner")
        model = model or TrustModel()
        day = net.resolve_as_of(as_of)
        order = pc.sort_indices(contacts.column("id"))
        contacts = contacts.take(order)
        ids = contacts.column("id")
        src = np.asarray(pc.index_in(rels.column("source"), value_set=ids), dtype=np.int64)
        tgt = np.asarray(pc.index_in(rels.column("target"), value_set=ids), dtype=np.int64)
        trust = model.trust_table(rels, day)
        one_way = np.asarray(rels.column("directed"), dtype=bool)
        directed = bool(one_way.any())
        if directed:
            both = ~one_way
            src, tgt = np.concatenate([src, tgt[both]]), np.concatenate([tgt, src[both]])
            trust = np.concatenate([trust, trust[both]])
        id_array = np.empty(len(ids), dtype=object)
        id_array[:] = ids.to_pylist()
        matrix = build_csr(src, tgt, trust, len(ids), directed, id_array)
        kinds = pc.dictionary_encode(pc.binary_join(contacts.column("kinds"), ";")).combine_chunks()
        kind_sets = [frozenset(k.split(";")) - {""} for k in kinds.dictionary.to_pylist()]
        attributes = {
            "name": contacts.column("name").to_pylist(),
            "organization": contacts.column("organization").to_pylist(),
            "kinds": [kind_sets[k] for k in np.asarray(kinds.indices, dtype=np.int64).tolist()],
        }

        def explain(u: Hashable, v: Hashable, value: float) -> TrustExplanation:
            rel = net.relationship(str(u), str(v))
            assert rel is not None  # every arc of the graph is a relationship of the network
            return model.explain(rel, day)

        return cls(id_array, matrix, directed=directed, owners=net.owners, attributes=attributes,
                   explainer=explain, as_of=day)

    @classmethod
    def from_networkx(cls, graph: Any, trust: str = "trust", *, owner: Hashable | None = None) -> TrustGraph:
        """Build a graph from a networkx graph whose edges carry a ``trust`` attribute.

        Node attributes ``name``, ``organization`` and ``kinds`` are kept. A directed networkx
        graph gives a directed trust graph.

        >>> import networkx as nx
        >>> G = nx.Graph()
        >>> G.add_edge("ana", "ben", trust=0.9)
        >>> TrustGraph.from_networkx(G).trust("ben", "ana")
        0.9
        """
        nodes = list(graph.nodes)
        edges = list(graph.edges(data=trust, default=None))
        for u, v, t in edges:
            if t is None:
                raise DataError(f"edge ({u!r}, {v!r}) has no {trust!r} attribute", field=trust)
        sources = np.empty(len(edges), dtype=object)
        targets = np.empty(len(edges), dtype=object)
        sources[:] = [e[0] for e in edges]
        targets[:] = [e[1] for e in edges]
        ids_arr = np.empty(len(nodes), dtype=object)
        ids_arr[:] = nodes
        ids, codes = factorize(np.concatenate([ids_arr, sources, targets]))
        n_nodes, m = len(nodes), len(edges)
        weights = _as_trust_array([e[2] for e in edges], trust)
        matrix = build_csr(
            codes[n_nodes : n_nodes + m], codes[n_nodes + m :], weights, len(ids), graph.is_directed(), ids
        )
        data = graph.nodes
        attributes: dict[str, list[Any]] = {
            "name": [str(data[i].get("name", i)) for i in ids.tolist()],
            "organization": [data[i].get("organization") or None for i in ids.tolist()],
            "kinds": [parse_kinds(data[i].get("kinds")) for i in ids.tolist()],
        }
        if owner is None:
            owner = graph.graph.get("owner")
        return cls(ids, matrix, directed=graph.is_directed(), owner=owner, attributes=attributes)

    # -- size and membership --------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, contact: object) -> bool:
        try:
            return contact in self._position_map()
        except TypeError:
            return False

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._ids.tolist())

    def number_of_nodes(self) -> int:
        """How many contacts the graph holds."""
        return len(self._ids)

    def number_of_edges(self) -> int:
        """How many relationships: arcs if directed, pairs if undirected (as networkx counts)."""
        nnz = self._matrix.nnz
        return nnz if self.directed else nnz // 2

    # -- arrays -------------------------------------------------------------------------------
    @property
    def ids(self) -> np.ndarray:
        """Contact ids in index order (sorted), read-only."""
        return self._ids

    @property
    def indptr(self) -> np.ndarray:
        """CSR row pointers: the arcs out of node ``i`` are ``indptr[i]:indptr[i+1]``."""
        return _readonly(self._matrix.indptr)

    @property
    def indices(self) -> np.ndarray:
        """CSR column indices: the head node of each arc, sorted within each row."""
        return _readonly(self._matrix.indices)

    @property
    def edge_trust(self) -> np.ndarray:
        """Trust in (0, 1] of each arc, aligned with :attr:`indices`."""
        return _readonly(self._matrix.data)

    @property
    def edge_cost(self) -> np.ndarray:
        """``-log(trust)`` of each arc, aligned with :attr:`indices` (0 where trust is 1)."""
        return self._cost

    def trust_matrix(self) -> sp.csr_array:
        """The n×n sparse matrix of trust (a copy), rows and columns in index order."""
        return self._matrix.copy()

    def index(self, contact: Hashable) -> int:
        """The node index of ``contact``; :class:`UnknownContactError` if it is not here."""
        try:
            return self._position_map()[contact]
        except (KeyError, TypeError):
            from ..records.lookup import suggestions_for

            ids = self._ids.tolist()
            raise UnknownContactError(contact, suggestions=suggestions_for(contact, ids, self.node_values("name"))) from None

    def find(self, query: Hashable) -> Hashable:
        """The id of the contact whose id or name is ``query`` (case, accents and spaces ignored).

        Raises :class:`UnknownContactError` suggesting close matches when none is, and
        :class:`~refgraph.errors.DataError` naming the candidates when several share the name.

        >>> import refgraph as rg
        >>> g = rg.sample_network().trust_graph()
        >>> g.find("theo BROOKS")
        'theo.brooks'
        >>> g.find("Teo Brooks")
        Traceback (most recent call last):
        ...
        refgraph.errors.UnknownContactError: unknown contact 'Teo Brooks' (no contact has this id, name or e-mail); \
did you mean 'theo.brooks' (Theo Brooks) or 'tara.brooks' (Tara Brooks)?
        """
        from ..records.lookup import find_contact

        if query in self:
            return query
        return find_contact(query, self._ids.tolist(), self.node_values("name"))

    def _position_map(self) -> dict[Hashable, int]:
        if self._positions is None:
            self._positions = {c: i for i, c in enumerate(self._ids.tolist())}
        return self._positions

    # -- edges ----------------------------------------------------------------------------
    def _arc(self, u: Hashable, v: Hashable) -> int | None:
        i, j = self.index(u), self.index(v)
        start, stop = self._matrix.indptr[i], self._matrix.indptr[i + 1]
        pos = start + int(np.searchsorted(self._matrix.indices[start:stop], j))
        return pos if pos < stop and self._matrix.indices[pos] == j else None

    def has_edge(self, u: Hashable, v: Hashable) -> bool:
        """Whether ``u`` has a relationship that can be walked to ``v``."""
        return self._arc(u, v) is not None

    def trust(self, u: Hashable, v: Hashable) -> float:
        """Trust on the arc ``u → v``, or 0.0 when there is none."""
        pos = self._arc(u, v)
        return 0.0 if pos is None else float(self._matrix.data[pos])

    def cost(self, u: Hashable, v: Hashable) -> float:
        """``-log(trust)`` on the arc ``u → v``, or ``inf`` when there is none."""
        pos = self._arc(u, v)
        return float("inf") if pos is None else float(self._cost[pos])

    def neighbors(self, u: Hashable) -> list[Hashable]:
        """The contacts ``u`` can walk to, in id order."""
        i = self.index(u)
        row = self._matrix.indices[self._matrix.indptr[i] : self._matrix.indptr[i + 1]]
        return self._ids[row].tolist()

    def explain(self, u: Hashable, v: Hashable) -> TrustExplanation:
        """Why ``u`` trusts ``v`` as much as the graph says, part by part.

        For a graph built from a :class:`~refgraph.Network` this is the trust model's
        explanation of the relationship; otherwise the trust was given as data.
        """
        pos = self._arc(u, v)
        if pos is None:
            raise DataError(f"{u!r} has no relationship with {v!r}", contact=u)
        value = float(self._matrix.data[pos])
        if self._explainer is not None:
            return self._explainer(u, v, value)
        return TrustExplanation.given(value, "trust given with the graph's data")

    # -- attributes -----------------------------------------------------------------------
    def attributes(self, contact: Hashable) -> dict[str, Any]:
        """The node's ``name``, ``organization`` and ``kinds`` (those known)."""
        i = self.index(contact)
        found = {key: values[i] for key, values in self._attributes.items()}
        found.setdefault("name", str(contact))
        return found

    def node_values(self, key: str, *, at: Sequence[int] | None = None) -> list[Any] | None:
        """One attribute (``name``, ``organization``, ``kinds``) of every node in index order,
        or of the nodes at positions ``at``; None when the graph does not know it.

        >>> g = TrustGraph.from_edges(["a"], ["b"], [0.5], names={"a": "Ana"})
        >>> g.node_values("name"), g.node_values("name", at=[1])
        (['Ana', 'b'], ['b'])
        """
        values = self._attributes.get(key)
        if values is None:
            return None
        return list(values) if at is None else [values[i] for i in at]

    def name(self, contact: Hashable) -> str:
        """The contact's display name (its id when no name is known)."""
        names = self._attributes.get("name")
        i = self.index(contact)
        return str(names[i]) if names is not None else str(self._ids[i])

    # -- derived graphs ------------------------------------------------------------------
    def reverse(self) -> TrustGraph:
        """The graph with every arc turned round (the same graph when undirected); cached."""
        if not self.directed:
            return self
        if self._reverse is None:
            self._reverse = TrustGraph(
                self._ids,
                self._matrix.T.tocsr(),
                directed=True,
                owners=self.owners,
                attributes=self._attributes,
                explainer=None if self._explainer is None else _reversed(self._explainer),
                as_of=self.as_of,
            )
            self._reverse._reverse = self
        return self._reverse

    def subgraph(self, contacts: Iterable[Hashable]) -> TrustGraph:
        """The graph induced by ``contacts``; the owners are kept when among them.

        >>> g = TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.5, 0.5])
        >>> h = g.subgraph(["a", "b"])
        >>> list(h), h.number_of_edges()
        (['a', 'b'], 1)
        """
        keep = np.unique(np.array([self.index(c) for c in contacts], dtype=np.int64))
        matrix = self._matrix[keep][:, keep].tocsr()
        kept = set(keep.tolist())
        owners = [o for o in self.owners if self.index(o) in kept]
        attributes = {k: [v[i] for i in keep.tolist()] for k, v in self._attributes.items()}
        return TrustGraph(
            self._ids[keep], matrix, directed=self.directed, owners=owners,
            attributes=attributes, explainer=self._explainer, as_of=self.as_of,
        )

    def show(self, *, max_nodes: int = 300) -> Any:
        """The graph as an interactive view: zoom, hover, click to focus (see
        :mod:`refgraph.interactive`; needs the ``interactive`` extra). Larger graphs are shown on
        a sample of ``max_nodes`` contacts."""
        from ..interactive import graph_view

        return graph_view(self, max_nodes=max_nodes)

    def to_networkx(self) -> Any:
        """A networkx ``Graph`` (or ``DiGraph``) with ``trust`` and ``cost`` on every edge.

        Nodes carry ``name`` and, when known, ``organization`` and ``kinds``; the owner is in
        ``G.graph["owner"]``.

        >>> g = TrustGraph.from_edges(["a"], ["b"], [0.5], directed=False)
        >>> G = g.to_networkx()
        >>> G["b"]["a"]["trust"], round(G["a"]["b"]["cost"], 4)
        (0.5, 0.6931)
        """
        import networkx as nx

        G = nx.DiGraph() if self.directed else nx.Graph()
        G.graph["owner"] = self.owner
        if len(self.owners) > 1:
            G.graph["owners"] = list(self.owners)
        ids = self._ids.tolist()
        for i, contact in enumerate(ids):
            attrs = {k: v[i] for k, v in self._attributes.items() if v[i] is not None}
            attrs.setdefault("name", str(contact))
            G.add_node(contact, **attrs)
        arcs = zip(*(a.tolist() for a in self._edge_list()), strict=True)
        G.add_edges_from((ids[r], ids[c], {"trust": t, "cost": cost}) for r, c, t, cost in arcs)
        return G

    def to_pandas(self) -> Any:
        """The relationships as a pandas DataFrame: ``source``, ``target``, ``trust``, ``cost``
        (an undirected relationship once), built from the arrays without a Python loop.

        >>> TrustGraph.from_edges(["a"], ["b"], [0.5], directed=False).to_pandas()
          source target  trust      cost
        0      a      b    0.5  0.693147
        """
        from ..results import pandas

        rows, cols, trust, cost = self._edge_list()
        return pandas().DataFrame({"source": self._ids[rows], "target": self._ids[cols], "trust": trust, "cost": cost})

    def _edge_list(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each relationship's end positions, trust and cost (an undirected one once)."""
        rows = np.repeat(np.arange(len(self._ids)), np.diff(self._matrix.indptr))
        cols = self._matrix.indices
        keep = slice(None) if self.directed else rows < cols
        return rows[keep], cols[keep], self._matrix.data[keep], self._cost[keep]

    # -- display --------------------------------------------------------------------------
    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        owner = f", owner={self.owner!r}" if self.owner is not None else ""
        return f"<TrustGraph {len(self)} contacts, {self.number_of_edges()} relationships, {kind}{owner}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"


def as_graph(value: Any, field: str = "g") -> TrustGraph:
    """``value`` when it is a :class:`TrustGraph`; else a :class:`~refgraph.errors.DataError`
    saying how to make one (``net.trust_graph()``)."""
    return instance(value, TrustGraph, field, hint=": a Network's trust_graph() makes one")


def parse_kinds(value: Any) -> frozenset[str]:
    """A contact's kinds as a set, from a set, a list or text separated by ``;`` or ``|``.

    >>> sorted(parse_kinds("client; friend|client"))
    ['client', 'friend']
    """
    if value is None or value == "":
        return frozenset()
    if isinstance(value, str):
        return frozenset(p.strip() for p in value.replace("|", ";").split(";") if p.strip())
    return frozenset(str(v) for v in value)


def _py(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _reversed(explainer: Explainer) -> Explainer:
    return lambda u, v, value: explainer(v, u, value)


def _as_trust_array(values: Iterable[Any], field: str) -> np.ndarray:
    try:
        return np.asarray(list(values), dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise DataError(f"trust values must be numbers ({err})", field=field) from None


def build_csr(
    src: np.ndarray, tgt: np.ndarray, trust: np.ndarray, n: int, directed: bool, ids: np.ndarray
) -> sp.csr_array:
    """Validate arcs and pack them as CSR; duplicate arcs keep their highest trust."""
    bad = ~((trust >= MIN_TRUST) & (trust <= 1))  # also catches NaN
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"trust must be in (0, 1] and at least MIN_TRUST {MIN_TRUST:g} "
            f"(edge {k}: {_py(ids[src[k]])!r} -> {_py(ids[tgt[k]])!r})",
            field="trust", value=float(trust[k]),
        )
    loops = src == tgt
    if loops.any():
        k = int(np.flatnonzero(loops)[0])
        raise DataError(f"edge {k} goes from a contact to itself", contact=_py(ids[src[k]]))
    if not directed:
        src, tgt = np.concatenate([src, tgt]), np.concatenate([tgt, src])
        trust = np.concatenate([trust, trust])
    index_type = np.int32 if n < 2**31 else np.int64
    # codes already of the index type are used as they are: the build holds little more than
    # the codes and the finished arrays
    src, tgt = src.astype(index_type, copy=False), tgt.astype(index_type, copy=False)
    matrix = sp.csr_array((trust, (src, tgt)), shape=(n, n))
    if matrix.nnz == len(src):
        return matrix
    # Some arcs repeat: scipy summed them; keep the highest trust instead.
    key = src.astype(np.int64) * n + tgt
    order = np.lexsort((trust, key))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = key[order][1:] != key[order][:-1]
    kept = order[last]
    return sp.csr_array(
        (trust[kept], (src[kept].astype(index_type), tgt[kept].astype(index_type))), shape=(n, n)
    )
