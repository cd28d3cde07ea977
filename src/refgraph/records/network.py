"""`Network`: a seller's records, checked against each other, and the way to a trust graph."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._checks import instance
from ..errors import DataError, UnknownContactError
from .acyclic import ReferralOrder
from .bulk import Origin, check_columns
from .columns import KINDS, empty_table, record_of, to_records, to_table
from .models import Contact, Interaction, Mention, Referral, Relationship
from .trust import TrustModel

if TYPE_CHECKING:
    from ..engine.graph import TrustGraph

__all__ = ["Contacts", "Network", "Owned", "Records", "as_network"]

Record = Contact | Relationship | Referral | Interaction | Mention


def as_network(value: Any, field: str = "net") -> Network:
    """``value`` when it is a :class:`Network`; else a :class:`~refgraph.errors.DataError`
    (a trust graph passed where its records are needed says so)."""
    return instance(value, Network, field, hint=": pass the Network the trust graph was built from")


def as_of_date(as_of: dt.date | str | None) -> dt.date | None:
    """``as_of`` as a date: a date, a datetime (its day) or ISO text; ``None`` stays ``None``.

    >>> as_of_date("2024-06-30"), as_of_date(None)
    (datetime.date(2024, 6, 30), None)
    """
    if as_of is None or (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)):
        return as_of
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    try:
        return dt.date.fromisoformat(as_of)
    except (TypeError, ValueError):
        raise DataError("expected a date as YYYY-MM-DD, e.g. 2024-03-31", field="as_of", value=as_of) from None


def check_not_future(
    record: Record,
    as_of: dt.date,
    *,
    file: Any = None,
    line: int | None = None,
    where: str | None = None,
    field: str | None = None,
) -> None:
    """Raise :class:`~refgraph.errors.DataError` if ``record`` is dated after ``as_of``.

    Relationships are checked on their last interaction and interactions on their date: both
    say something was done with a contact, which cannot be later than the day the network is
    read for. ``file``, ``line`` and ``where`` (``"interactions[3]"``) say where the record is;
    ``field`` renames the date's field as the file calls it.

    >>> rel = Relationship(source="a", target="b", kind="friend", last_interaction="2024-07-02")
    >>> check_not_future(rel, dt.date(2024, 6, 30), file="relationships.csv", line=4)
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: relationships.csv, line 4, field 'last_interaction' (value '2024-07-02'), contact 'b': \
dated after as_of 2024-06-30 (a future-dated record); fix the date or pass a later as_of
    """
    if isinstance(record, Relationship):
        name, day, contact = "last_interaction", record.last_interaction, record.target
    elif isinstance(record, Interaction):
        name, day, contact = "date", record.date, record.contact
    else:
        return
    if day is not None and day > as_of:
        name = field or name
        raise DataError(f"dated after as_of {as_of} (a future-dated record); fix the date or pass a later as_of",
                        file=file, line=line, field=f"{where}.{name}" if where else name, value=str(day),
                        contact=contact)


class _Store:
    """One kind's records: an Arrow table, and the records added one at a time since it was read."""

    def __init__(self, kind: str, table: pa.Table | None = None) -> None:
        self.kind = kind
        self._table = empty_table(kind) if table is None else table
        self._pending: list[Record] = []
        self._models: list[Record] | None = None if self._table.num_rows else []

    def __len__(self) -> int:
        return self._table.num_rows + len(self._pending)

    def append(self, record: Record) -> None:
        self._pending.append(record)
        if self._models is not None:
            self._models.append(record)

    def table(self) -> pa.Table:
        if self._pending:
            self._table = pa.concat_tables([self._table, to_table(self.kind, self._pending)]).combine_chunks()
            self._pending = []
        return self._table

    def models(self) -> list[Record]:
        """Every record, made from the table the first time they are asked for."""
        if self._models is None:
            self._models = cast(list[Record], to_records(self.kind, self.table()))
        return self._models

    def record(self, row: int) -> Record:
        if self._models is not None:
            return self._models[row]
        return cast(Record, record_of(self.kind, self.table().slice(row, 1).to_pylist()[0]))


class Records(Sequence[Any]):
    """The records of one kind, in the order they were added: a read-only list, each record
    made when it is first asked for (the network keeps them as columns)."""

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, index: Any) -> Any:
        return self._store.models()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._store.models())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"<{len(self)} {self._store.kind}>"


class Contacts(Mapping[str, Contact]):
    """The contacts by id, in the order they were added (a read-only mapping)."""

    def __init__(self, net: Network) -> None:
        self._net = net

    def __getitem__(self, contact_id: str) -> Contact:
        row = self._net._rows().get(contact_id) if isinstance(contact_id, str) else None
        if row is None:
            raise KeyError(contact_id)
        return self._net._stores["contacts"].record(row)  # type: ignore[return-value]

    def __contains__(self, contact_id: object) -> bool:
        return isinstance(contact_id, str) and contact_id in self._net._rows()

    def __iter__(self) -> Iterator[str]:
        return iter(self._net._rows())

    def __len__(self) -> int:
        return len(self._net._stores["contacts"])

    def values(self) -> list[Contact]:  # type: ignore[override]
        return self._net._stores["contacts"].models()  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"<{len(self)} contacts>"


class Owned:
    """The owners of a :class:`Network` or a :class:`~refgraph.TrustGraph`: the seller, or
    every seller of a team."""

    _owners: tuple[Any, ...] = ()

    @property
    def owners(self) -> tuple[Any, ...]:
        """The owners' ids: the seller, or every seller of a team (the first is :attr:`owner`);
        ``warm_paths(g, target, source="team")`` starts from the nearest of them.

        >>> rg.Network(owners=["ana", "raj"]).owners
        ('ana', 'raj')
        """
        return self._owners

    @owners.setter
    def owners(self, owners: Iterable[Any]) -> None:
        if isinstance(owners, str):
            raise DataError("owners is a list of contact ids; for one owner write owners=[id] or owner=id",
                            field="owners", value=owners)
        self._owners = tuple(dict.fromkeys(owners))

    @property
    def owner(self) -> Any:
        """The owner's id (the first owner of a team), or ``None``."""
        return self._owners[0] if self._owners else None

    @owner.setter
    def owner(self, owner: Any) -> None:
        self.owners = () if owner is None else (owner,)


_KEY = np.int64(1 << 31)  # a tie's key: source position * _KEY + target position


class Network(Owned):
    """The records of one seller's network: contacts, relationships, referrals, interactions
    and mentions, with every reference checked as it is added.

    ``owner`` is the id of the seller (a contact of the network), the default starting point
    of warm paths and the centre of "who to ask". A team's network has several owners
    (``owners=[...]``, or :func:`refgraph.merge` of each seller's network): ``net.owners`` is
    all of them, ``net.owner`` the first. Records can be passed to the constructor or
    added one by one with :meth:`add`; contacts must be added before the records naming them.
    Whole tables of records come in through :meth:`from_tables` (and the readers built on it),
    checked column by column.

    The records are kept as Apache Arrow columns (see :mod:`refgraph.records.columns`):
    ``net.contacts`` maps ids to :class:`~refgraph.Contact` records and ``net.relationships``,
    ``net.referrals``, ``net.interactions`` and ``net.mentions`` are read-only lists, each
    record made when it is first asked for; :meth:`to_frames` gives the columns themselves.

    Examples
    --------
    >>> net = rg.Network(owner="me")
    >>> net.add(rg.Contact(id="me", name="Sam Seller"), rg.Contact(id="ana", name="Ana Silva"))
    <Network owner='me': 2 contacts, 0 relationships, 0 referrals>
    >>> _ = net.add(rg.Relationship(source="me", target="ana", kind="friend", trust=0.9))
    >>> g = net.trust_graph()
    >>> g.trust("ana", "me")
    0.9
    >>> net.add(rg.Referral(referrer="ana", referred="zoe", date="2024-05-01", status="met"))
    Traceback (most recent call last):
    ...
    refgraph.errors.UnknownContactError: unknown contact 'zoe' (referred of a referral)
    """

    def __init__(
        self,
        owner: str | None = None,
        contacts: Iterable[Contact] = (),
        relationships: Iterable[Relationship] = (),
        referrals: Iterable[Referral] = (),
        interactions: Iterable[Interaction] = (),
        mentions: Iterable[Mention] = (),
        *,
        owners: Iterable[str] = (),
    ) -> None:
        self.owners = owners
        if owner is not None:
            self.owners = (owner, *self.owners)
        self._stores = {kind: _Store(kind) for kind in KINDS}
        self._forget()
        self.add(*contacts, *relationships, *referrals, *interactions, *mentions)

    def _forget(self) -> None:
        """Drop the indexes single additions use; they are rebuilt from the columns when needed."""
        self._row_of: dict[str, int] | None = None
        self._ties: tuple[np.ndarray, np.ndarray, dict[int, int]] | None = None
        self._order: ReferralOrder | None = None

    @classmethod
    def from_tables(
        cls,
        tables: Mapping[str, pa.Table],
        *,
        owner: str | None = None,
        owners: Iterable[str] = (),
        as_of: dt.date | str | None = None,
        roles: pa.Table | None = None,
        origins: Mapping[str, Origin] | None = None,
        prepare: Mapping[str, Callable[[int, dict[str, Any]], dict[str, Any]]] | None = None,
    ) -> Network:
        """A network from one Arrow table per record kind, checked a column at a time.

        Keys are the kinds of :data:`refgraph.records.columns.KINDS`; columns are those of
        :mod:`refgraph.records.columns`, typed or as text. Every problem is collected and raised
        together, the first one first (see :func:`refgraph.records.bulk.check_columns`, which also
        explains ``roles``, ``origins`` and ``prepare``); ``as_of`` refuses records dated
        after it.

        >>> import pyarrow as pa
        >>> net = rg.Network.from_tables({
        ...     "contacts": pa.table({"id": ["me", "ana"], "name": ["Sam", "Ana"]}),
        ...     "relationships": pa.table({"source": ["me"], "target": ["ana"], "kind": ["client"],
        ...                                "repeat_business": [2]})}, owner="me")
        >>> net.relationships[0].repeat_business, net.contacts["ana"].name
        (2, 'Ana')
        """
        checked = check_columns(tables, origins=origins, as_of=as_of_date(as_of), roles=roles, prepare=prepare)
        net = cls(owner=owner, owners=owners)
        for kind, table in checked.items():
            net._stores[kind] = _Store(kind, table)
        for who in net.owners:
            if pc.index(net.table("contacts").column("id"), who).as_py() < 0:
                raise UnknownContactError(who, "the network's owner is not among its contacts")
        return net

    # -- adding -------------------------------------------------------------------------------
    def add(self, *records: Record) -> Network:
        """Add records (any mix of kinds), checking every contact they name; returns the network.

        A duplicate contact id, a second relationship over the same tie, a referral that
        closes a cycle (``a`` referred ``b`` who referred ``a``), or a reference to a contact
        not yet added raises an error naming the contact.
        """
        for record in records:
            if isinstance(record, Contact):
                rows = self._rows()
                if record.id in rows:
                    raise DataError("a contact with this id was already added", contact=record.id)
                rows[record.id] = len(rows)
                self._stores["contacts"].append(record)
            elif isinstance(record, Relationship):
                self._add_relationship(record)
            elif isinstance(record, Referral):
                self._require(record.referrer, "referrer of a referral")
                self._require(record.referred, "referred of a referral")
                if record.via is not None:
                    self._require(record.via, "via of a referral")
                cycle = self._referral_order().add(record.referrer, record.referred)
                if cycle is not None:
                    raise DataError(f"this referral closes a cycle of referrals: {' -> '.join(map(str, cycle))}",
                                    contact=record.referrer)
                self._stores["referrals"].append(record)
            elif isinstance(record, Interaction):
                self._require(record.contact, "contact of an interaction")
                self._stores["interactions"].append(record)
            elif isinstance(record, Mention):
                self._require(record.by, "by of a mention")
                self._stores["mentions"].append(record)
            else:
                raise DataError(f"cannot add {type(record).__name__} to a Network; expected a refgraph record")
        return self

    def _rows(self) -> dict[str, int]:
        """Each contact id's row."""
        if self._row_of is None:
            ids = self._stores["contacts"].table().column("id").to_pylist()
            self._row_of = {c: k for k, c in enumerate(ids)}
        return self._row_of

    def _require(self, contact: str, role: str) -> None:
        if contact not in self._rows():
            raise UnknownContactError(contact, role, suggestions=self._suggestions(contact))

    def _suggestions(self, contact: Any) -> list[str]:
        from .lookup import suggestions_for

        table = self._stores["contacts"].table()
        return suggestions_for(contact, table.column("id").to_pylist(), table.column("name").to_pylist())

    def _referral_order(self) -> ReferralOrder:
        if self._order is None:
            self._order = ReferralOrder()
            table = self._stores["referrals"].table()
            for a, b in zip(table.column("referrer").to_pylist(), table.column("referred").to_pylist(), strict=True):
                self._order.add(a, b)
        return self._order

    def _tie_index(self) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
        """Sorted keys of every arc a relationship can be walked along, each arc's row, and the
        arcs added one at a time since (a dict): found by a binary search, not a dict of pairs."""
        if self._ties is None:
            table = self._stores["relationships"].table()
            ids = self._stores["contacts"].table().column("id")
            s = np.asarray(pc.index_in(table.column("source"), value_set=ids), dtype=np.int64)
            t = np.asarray(pc.index_in(table.column("target"), value_set=ids), dtype=np.int64)
            both = ~np.asarray(table.column("directed"), dtype=bool)
            rows = np.arange(len(s))
            keys = np.concatenate([s * _KEY + t, (t * _KEY + s)[both]])
            rows = np.concatenate([rows, rows[both]])
            order = np.argsort(keys, kind="stable")
            self._ties = (keys[order], rows[order], {})
        return self._ties

    def _tie_row(self, u: str, v: str) -> int | None:
        rows = self._rows()
        if u not in rows or v not in rows:
            return None
        keys, tie_rows, recent = self._tie_index()
        key = rows[u] * int(_KEY) + rows[v]
        if key in recent:
            return recent[key]
        at = int(np.searchsorted(keys, key))
        return int(tie_rows[at]) if at < len(keys) and keys[at] == key else None

    def _add_relationship(self, rel: Relationship) -> None:
        self._require(rel.source, "source of a relationship")
        self._require(rel.target, "target of a relationship")
        arcs = [(rel.source, rel.target)] if rel.directed else [(rel.source, rel.target), (rel.target, rel.source)]
        for u, v in arcs:
            if self._tie_row(u, v) is not None:
                raise DataError(f"a relationship {u!r} -> {v!r} was already added; merge the two into one",
                                contact=rel.source)
        store, rows, recent = self._stores["relationships"], self._rows(), self._tie_index()[2]
        for u, v in arcs:
            recent[rows[u] * int(_KEY) + rows[v]] = len(store)
        store.append(rel)

    # -- looking up ---------------------------------------------------------------------------
    @property
    def contacts(self) -> Contacts:
        """The contacts by id, in the order they were added (a read-only mapping)."""
        return Contacts(self)

    @property
    def relationships(self) -> Records:
        """The relationships, in the order they were added."""
        return Records(self._stores["relationships"])

    @property
    def referrals(self) -> Records:
        """The referrals, in the order they were added."""
        return Records(self._stores["referrals"])

    @property
    def interactions(self) -> Records:
        """The interactions, in the order they were added."""
        return Records(self._stores["interactions"])

    @property
    def mentions(self) -> Records:
        """The mentions, in the order they were added."""
        return Records(self._stores["mentions"])

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id; :class:`~refgraph.errors.UnknownContactError` otherwise."""
        try:
            return self.contacts[contact_id]
        except (KeyError, TypeError):
            raise UnknownContactError(contact_id, suggestions=self._suggestions(contact_id)) from None

    def relationship(self, u: str, v: str) -> Relationship | None:
        """The relationship that can be walked from ``u`` to ``v``, if any."""
        row = self._tie_row(u, v)
        return None if row is None else self._stores["relationships"].record(row)  # type: ignore[return-value]

    def table(self, kind: str) -> pa.Table:
        """The records of ``kind`` (``"contacts"``, ``"relationships"`` ...) as an Arrow table
        with the columns of :mod:`refgraph.records.columns`.

        >>> rg.sample_network().table("referrals").column_names
        ['referrer', 'referred', 'date', 'status', 'value', 'via']
        """
        if kind not in self._stores:
            raise DataError(f"unknown record kind; known: {', '.join(KINDS)}", field="kind", value=kind)
        return self._stores[kind].table()

    def to_frames(self) -> dict[str, pa.Table]:
        """Every record kind as an Arrow table (see :meth:`table`): the way to pandas, polars,
        DuckDB or a database, and back through :func:`refgraph.from_frames` without loss.

        >>> frames = rg.sample_network().to_frames()
        >>> sorted(frames), frames["contacts"].num_rows
        (['contacts', 'interactions', 'mentions', 'referrals', 'relationships'], 109)
        """
        return {kind: self.table(kind) for kind in KINDS}

    def latest_date(self) -> dt.date | None:
        """The latest date any record carries (the default ``as_of``), or ``None``."""
        dates = [pc.max(self.table(kind).column(field)).as_py() for kind, field in
                 (("relationships", "last_interaction"), ("referrals", "date"), ("interactions", "date"),
                  ("mentions", "date"))]
        return max((d for d in dates if d is not None), default=None)

    def resolve_as_of(self, as_of: dt.date | str | None) -> dt.date | None:
        """``as_of`` as a date (``None`` means :meth:`latest_date`), checked against the records.

        A relationship whose last interaction, or an interaction, dated after ``as_of`` raises
        :class:`~refgraph.errors.DataError` naming it: the network cannot be read as it was on
        a day before its own records.
        """
        day = as_of_date(as_of)
        if day is None:
            return self.latest_date()
        for kind, field in (("relationships", "last_interaction"), ("interactions", "date")):
            late = pc.greater(self.table(kind).column(field), pa.scalar(day, pa.date32()))
            first = pc.index(pc.fill_null(late, False), True).as_py()
            if first >= 0:
                check_not_future(self._stores[kind].record(first), day, where=f"{kind}[{first}]")
        return day

    # -- the trust graph ----------------------------------------------------------------------
    def trust_graph(self, as_of: dt.date | str | None = None, model: TrustModel | None = None) -> TrustGraph:
        """The :class:`~refgraph.TrustGraph` of this network on ``as_of`` under ``model``.

        ``as_of=None`` uses the latest date recorded in the network (never the clock); with no
        date at all recency plays no part. The graph is directed when any relationship is;
        an undirected relationship is then two arcs. Every contact is a node, with its name,
        organisation and kinds; ``g.explain(u, v)`` gives the model's reasons. Built from the
        columns, with no Python object made per relationship.
        """
        from ..engine.graph import TrustGraph

        return TrustGraph.from_network(self, as_of=as_of, model=model)

    # -- files ----------------------------------------------------------------------------------
    def save(self, path: str | PathLike[str], *, overwrite: bool = False) -> None:
        """Save atomically: Parquet when ``path`` ends in ``.parquet``, JSON otherwise; a copy
        changed since this network was loaded from it is replaced only with ``overwrite=True``
        (see :func:`refgraph.io.save`)."""
        from ..io import save

        save(self, path, overwrite=overwrite)

    def pseudonymize(self, *, seed: int | None = None) -> Network:
        """A copy with made-up ids, names, e-mails, organisations and notes, and the same
        structure and trust, to share for help or benchmarking (see
        :func:`refgraph.records.privacy.pseudonymize`).

        >>> import refgraph as rg
        >>> net = rg.sample_network()
        >>> fake = net.pseudonymize(seed=3)
        >>> len(fake.relationships) == len(net.relationships), fake.owner == net.owner
        (True, False)
        """
        from .privacy import pseudonymize

        return pseudonymize(self, seed=seed)

    # -- display --------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts of every record kind, the owner and the date span."""
        return {
            "owner" if len(self.owners) < 2 else "owners": self.owner if len(self.owners) < 2 else ", ".join(self.owners),
            "contacts": len(self.contacts),
            "relationships": len(self.relationships),
            "referrals": len(self.referrals),
            "interactions": len(self.interactions),
            "mentions": len(self.mentions),
            "organizations": pc.count_distinct(self.table("contacts").column("organization")).as_py(),
            "latest_date": self.latest_date(),
        }

    def to_pandas(self) -> dict[str, Any]:
        """One pandas DataFrame per record kind (``contacts``, ``relationships``, ``referrals``,
        ``interactions``, ``mentions``), a row per record, a column per field of
        :mod:`refgraph.records.columns` (the tables of :meth:`to_frames`).

        >>> import refgraph as rg
        >>> frames = rg.sample_network().to_pandas()
        >>> len(frames["contacts"]), list(frames["referrals"].columns)[:3]
        (109, ['referrer', 'referred', 'date'])
        """
        from ..results import pandas

        pandas()  # a clear hint when pandas is missing
        return {kind: table.to_pandas() for kind, table in self.to_frames().items()}

    def __len__(self) -> int:
        return len(self.contacts)

    def __repr__(self) -> str:
        who = f"owner={self.owner!r}" if len(self.owners) < 2 else f"owners={list(self.owners)!r}"
        return (
            f"<Network {who}: {len(self.contacts)} contacts, "
            f"{len(self.relationships)} relationships, {len(self.referrals)} referrals>"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary().items()
        )
        return f"<table><caption>refgraph Network</caption>{rows}</table>"

    def update(self, *others: Network) -> Network:
        """Add the records of ``others`` to this network, all or nothing; returns the network.

        Contacts with the same id or e-mail are one person, relationships over the same tie are
        combined (counts add, the latest date and the fastest reply win ...): see
        :func:`refgraph.records.combine.update` for the rules.
        """
        from .combine import update

        return update(self, *others)

    def merge(self, *others: Network, **options: Any) -> tuple[Network | None, Any]:
        """This network merged with ``others`` into a new one, and the
        :class:`~refgraph.records.combine.MergeReport`: see :func:`refgraph.merge` for the rules and
        ``options``. This network is left as it was.

        >>> a = rg.Network(owner="ana", contacts=[rg.Contact(id="ana", name="Ana")])
        >>> b = rg.Network(owner="raj", contacts=[rg.Contact(id="raj", name="Raj")])
        >>> team, report = a.merge(b)
        >>> team.owners
        ('ana', 'raj')
        """
        from .combine import merge

        return merge(self, *others, **options)

    def show(self) -> Any:
        """The trust graph as an interactive view (see :meth:`TrustGraph.show <refgraph.TrustGraph.show>`).

        >>> import refgraph as rg
        >>> view = rg.sample_network().show()  # doctest: +SKIP
        """
        return self.trust_graph().show()

    def find(self, query: str) -> Contact:
        """The contact whose id, name or e-mail is ``query`` (case, accents and spaces ignored);
        see :func:`refgraph.records.lookup.find_contact` for the errors, which suggest close matches.

        >>> import refgraph as rg
        >>> rg.sample_network().find("Theo Brooks").id
        'theo.brooks'
        """
        from .lookup import find_contact

        table = self._stores["contacts"].table()
        ids, names, emails = (table.column(c).to_pylist() for c in ("id", "name", "email"))
        return self.contact(str(find_contact(query, ids, names, emails)))
