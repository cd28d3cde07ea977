"""`Network`: a seller's records, checked against each other, and the way to a trust graph."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Hashable, Iterable
from os import PathLike
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import DataError, UnknownContactError
from .models import Contact, Interaction, Mention, Referral, Relationship
from .trust import TrustExplanation, TrustModel

if TYPE_CHECKING:
    from .graph import TrustGraph

__all__ = ["Network"]

Record = Contact | Relationship | Referral | Interaction | Mention


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


class Network:
    """The records of one seller's network: contacts, relationships, referrals, interactions
    and mentions, with every reference checked as it is added.

    ``owner`` is the id of the seller (a contact of the network), the default starting point
    of warm paths and the centre of "who to ask". Records can be passed to the constructor or
    added one by one with :meth:`add`; contacts must be added before the records naming them.

    Examples
    --------
    >>> import refgraph as rg
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
    ) -> None:
        self.owner = owner
        self.contacts: dict[str, Contact] = {}
        self.relationships: list[Relationship] = []
        self.referrals: list[Referral] = []
        self.interactions: list[Interaction] = []
        self.mentions: list[Mention] = []
        self._ties: dict[tuple[str, str], Relationship] = {}
        self._referred: dict[str, list[str]] = {}  # referrer -> the contacts they referred
        self._referrers: dict[str, list[str]] = {}  # referred -> who referred them
        self.add(*contacts, *relationships, *referrals, *interactions, *mentions)

    # -- adding -------------------------------------------------------------------------------
    def add(self, *records: Record) -> Network:
        """Add records (any mix of kinds), checking every contact they name; returns the network.

        A duplicate contact id, a second relationship over the same tie, a referral that
        closes a cycle (``a`` referred ``b`` who referred ``a``), or a reference to a contact
        not yet added raises an error naming the contact.
        """
        for record in records:
            if isinstance(record, Contact):
                if record.id in self.contacts:
                    raise DataError("a contact with this id was already added", contact=record.id)
                self.contacts[record.id] = record
            elif isinstance(record, Relationship):
                self._add_relationship(record)
            elif isinstance(record, Referral):
                self._require(record.referrer, "referrer of a referral")
                self._require(record.referred, "referred of a referral")
                if record.via is not None:
                    self._require(record.via, "via of a referral")
                self._check_acyclic(record)
                self._referred.setdefault(record.referrer, []).append(record.referred)
                self._referrers.setdefault(record.referred, []).append(record.referrer)
                self.referrals.append(record)
            elif isinstance(record, Interaction):
                self._require(record.contact, "contact of an interaction")
                self.interactions.append(record)
            elif isinstance(record, Mention):
                self._require(record.by, "by of a mention")
                self.mentions.append(record)
            else:
                raise DataError(f"cannot add {type(record).__name__} to a Network; expected a refgraph record")
        return self

    def _require(self, contact: str, role: str) -> None:
        if contact not in self.contacts:
            raise UnknownContactError(contact, role, suggestions=self._suggestions(contact))

    def _suggestions(self, contact: Any) -> list[str]:
        from .lookup import suggestions_for

        return suggestions_for(contact, list(self.contacts), [c.name for c in self.contacts.values()])

    def _check_acyclic(self, referral: Referral) -> None:
        """Refuse a referral whose referrer was, down the chain, referred by its referred.

        A cycle needs a chain of referrals from ``referred`` down to ``referrer``. Two searches
        take turns, one down from ``referred`` and one up from ``referrer``, and stop as soon as
        either runs out: the cost is about twice the smaller of the referred's descendants and
        the referrer's ancestors, so chains added oldest first or newest first both cost little.
        """
        down: dict[str, str] = {referral.referred: ""}  # contact -> the contact it was reached from
        up: dict[str, str] = {referral.referrer: ""}
        todo_down, todo_up = [referral.referred], [referral.referrer]
        meet = referral.referred if referral.referred in up else None
        while meet is None and todo_down and todo_up:
            for todo, seen, other, links in ((todo_down, down, up, self._referred), (todo_up, up, down, self._referrers)):
                node = todo.pop()
                for nxt in links.get(node, ()):
                    if nxt not in seen:
                        seen[nxt] = node
                        todo.append(nxt)
                        if nxt in other:
                            meet = nxt
                            break
                if meet is not None:
                    break
        if meet is None:
            return
        chain = [meet]
        while down[chain[0]]:
            chain.insert(0, down[chain[0]])
        while up[chain[-1]]:
            chain.append(up[chain[-1]])
        cycle = " -> ".join([referral.referrer, *chain])
        raise DataError(f"this referral closes a cycle of referrals: {cycle}", contact=referral.referrer)

    def _add_relationship(self, rel: Relationship) -> None:
        self._require(rel.source, "source of a relationship")
        self._require(rel.target, "target of a relationship")
        arcs = [(rel.source, rel.target)] if rel.directed else [(rel.source, rel.target), (rel.target, rel.source)]
        for arc in arcs:
            if arc in self._ties:
                raise DataError(
                    f"a relationship {arc[0]!r} -> {arc[1]!r} was already added; merge the two into one",
                    contact=rel.source,
                )
        for arc in arcs:
            self._ties[arc] = rel
        self.relationships.append(rel)

    # -- looking up ---------------------------------------------------------------------------
    def contact(self, contact_id: str) -> Contact:
        """The contact with this id; :class:`~refgraph.errors.UnknownContactError` otherwise."""
        try:
            return self.contacts[contact_id]
        except (KeyError, TypeError):
            raise UnknownContactError(contact_id, suggestions=self._suggestions(contact_id)) from None

    def relationship(self, u: str, v: str) -> Relationship | None:
        """The relationship that can be walked from ``u`` to ``v``, if any."""
        return self._ties.get((u, v))

    def latest_date(self) -> dt.date | None:
        """The latest date any record carries (the default ``as_of``), or ``None``."""
        dates = [r.last_interaction for r in self.relationships if r.last_interaction]
        dates += [r.date for r in self.referrals]
        dates += [i.date for i in self.interactions]
        dates += [m.date for m in self.mentions]
        return max(dates, default=None)

    def resolve_as_of(self, as_of: dt.date | str | None) -> dt.date | None:
        """``as_of`` as a date (``None`` means :meth:`latest_date`), checked against the records.

        A relationship whose last interaction, or an interaction, dated after ``as_of`` raises
        :class:`~refgraph.errors.DataError` naming it: the network cannot be read as it was on
        a day before its own records.
        """
        day = as_of_date(as_of)
        if day is None:
            return self.latest_date()
        for kind, records in (("relationships", self.relationships), ("interactions", self.interactions)):
            for k, record in enumerate(records):
                check_not_future(record, day, where=f"{kind}[{k}]")
        return day

    # -- the trust graph ----------------------------------------------------------------------
    def trust_graph(self, as_of: dt.date | str | None = None, model: TrustModel | None = None) -> TrustGraph:
        """The :class:`~refgraph.TrustGraph` of this network on ``as_of`` under ``model``.

        ``as_of=None`` uses the latest date recorded in the network (never the clock); with no
        date at all recency plays no part. The graph is directed when any relationship is;
        an undirected relationship is then two arcs. Every contact is a node, with its name,
        organisation and kinds; ``g.explain(u, v)`` gives the model's reasons.
        """
        from .graph import TrustGraph, build_csr

        if self.owner is not None:
            self._require(self.owner, "the network's owner")
        model = model or TrustModel()
        as_of = self.resolve_as_of(as_of)
        ids = sorted(self.contacts)
        position = {c: i for i, c in enumerate(ids)}
        rels = self.relationships
        trust = model.trust_many(rels, as_of)
        directed = any(r.directed for r in rels)
        src = np.array([position[r.source] for r in rels], dtype=np.int64)
        tgt = np.array([position[r.target] for r in rels], dtype=np.int64)
        id_array = np.empty(len(ids), dtype=object)
        id_array[:] = ids
        if directed:
            both = np.array([not r.directed for r in rels], dtype=bool)
            src, tgt = np.concatenate([src, tgt[both]]), np.concatenate([tgt, src[both]])
            trust = np.concatenate([trust, trust[both]])
        matrix = build_csr(src, tgt, trust, len(ids), directed, id_array)
        contacts = [self.contacts[c] for c in ids]
        attributes = {
            "name": [c.name for c in contacts],
            "organization": [c.organization for c in contacts],
            "kinds": [frozenset(str(k) for k in c.kinds) for c in contacts],
        }

        def explain(u: Hashable, v: Hashable, value: float) -> TrustExplanation:
            rel = self._ties[(str(u), str(v))]
            return model.explain(rel, as_of)

        return TrustGraph(id_array, matrix, directed=directed, owner=self.owner,
                          attributes=attributes, explainer=explain, as_of=as_of)

    # -- files ----------------------------------------------------------------------------------
    def save(self, path: str | PathLike[str]) -> None:
        """Save as versioned JSON, atomically (see :func:`refgraph.io.save`)."""
        from .io import save

        save(self, path)

    def pseudonymize(self, seed: int | None = None) -> Network:
        """A copy with made-up ids, names, e-mails, organisations and notes, and the same
        structure and trust, to share for help or benchmarking (see
        :func:`refgraph.privacy.pseudonymize`).

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
            "owner": self.owner,
            "contacts": len(self.contacts),
            "relationships": len(self.relationships),
            "referrals": len(self.referrals),
            "interactions": len(self.interactions),
            "mentions": len(self.mentions),
            "organizations": len({c.organization for c in self.contacts.values() if c.organization}),
            "latest_date": self.latest_date(),
        }

    def to_pandas(self) -> dict[str, Any]:
        """One pandas DataFrame per record kind (``contacts``, ``relationships``, ``referrals``,
        ``interactions``, ``mentions``), a row per record, a column per field.

        >>> import refgraph as rg
        >>> frames = rg.sample_network().to_pandas()
        >>> len(frames["contacts"]), list(frames["referrals"].columns)[:3]
        (109, ['referrer', 'referred', 'date'])
        """
        from .results import pandas

        pd = pandas()
        kinds = {"contacts": list(self.contacts.values()), "relationships": self.relationships,
                 "referrals": self.referrals, "interactions": self.interactions, "mentions": self.mentions}
        return {kind: pd.DataFrame([r.model_dump() for r in records]) for kind, records in kinds.items()}

    def __len__(self) -> int:
        return len(self.contacts)

    def __repr__(self) -> str:
        return (
            f"<Network owner={self.owner!r}: {len(self.contacts)} contacts, "
            f"{len(self.relationships)} relationships, {len(self.referrals)} referrals>"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary().items()
        )
        return f"<table><caption>refgraph Network</caption>{rows}</table>"

    def show(self) -> Any:
        """The trust graph as an interactive view (see :meth:`TrustGraph.show <refgraph.TrustGraph.show>`).

        >>> import refgraph as rg
        >>> view = rg.sample_network().show()  # doctest: +SKIP
        """
        return self.trust_graph().show()

    def find(self, query: str) -> Contact:
        """The contact whose id, name or e-mail is ``query`` (case, accents and spaces ignored);
        see :func:`refgraph.lookup.find_contact` for the errors, which suggest close matches.

        >>> import refgraph as rg
        >>> rg.sample_network().find("Theo Brooks").id
        'theo.brooks'
        """
        from .lookup import find_contact

        contacts = list(self.contacts.values())
        found = find_contact(query, list(self.contacts), [c.name for c in contacts], [c.email for c in contacts])
        return self.contacts[str(found)]
