"""Putting networks together: a CSV folder, LinkedIn, mail, calendar and CRM in one network.

:func:`update` adds the records of other networks to a network, in place and all at once: if
anything cannot be added, an error is raised and the network is left as it was.

The rules, applied in the order the networks are given:

- **Contacts** with the same id, or with the same e-mail address (compared in lower case), are
  one person, known by the id the network already has. The contact already there keeps what it
  says; what it leaves blank (organisation, title, e-mail, notes, roles) is taken from the
  other, and the kinds of both are united.
- **Relationships** over the same tie (the same two contacts; for a directed one, the same
  direction) become one: counts add (``repeat_business``, ``candid_conversations``), the latest
  ``last_interaction`` wins, so does the fastest ``response_hours`` (and
  ``their_response_hours``), the scorecard of the later
  record (or the earlier one if the later has none), and the kind of the earlier one unless that
  is ``acquaintance`` (all a bare connection says). A ``trust`` override is kept when the two
  do not disagree (one gives it, or both give the same value); two different overrides cancel
  and the model decides. The tie is directed only if both are. The ``evidence`` of both is kept,
  joined with ``"; "``; a relationship whose evidence the tie already cites is the same
  evidence read again and adds nothing (so importing a file twice does not count it twice).
- **Referrals, interactions and mentions** are kept once: a record equal to one already there
  is not added again.
- **The owner** is the network's, else the first other network's; two different owners are
  refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from .errors import DataError
from .models import Contact, Record, Relationship
from .network import Network

__all__ = ["update"]

R = TypeVar("R", bound=Record)


def update(net: Network, *others: Network) -> Network:
    """Add the records of ``others`` to ``net`` by the rules of the module documentation;
    returns ``net``. A failure raises an error and leaves ``net`` as it was.

    Examples
    --------
    >>> import refgraph as rg
    >>> from refgraph.combine import update
    >>> crm = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
    ...     rg.Contact(id="ana", name="Ana Silva", email="ana@globex.example")],
    ...     relationships=[rg.Relationship(source="me", target="ana", kind="client", repeat_business=2)])
    >>> mail = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
    ...     rg.Contact(id="mail:ana@globex.example", name="Ana", email="ana@globex.example")],
    ...     relationships=[rg.Relationship(source="mail:ana@globex.example", target="me", kind="acquaintance",
    ...                                    response_hours=3.5, last_interaction="2024-05-02",
    ...                                    evidence="12 e-mails, from mail.mbox")])
    >>> rel = update(crm, mail).relationship("me", "ana")
    >>> str(rel.kind), rel.repeat_business, rel.response_hours, rel.evidence
    ('client', 2, 3.5, '12 e-mails, from mail.mbox')
    >>> len(crm.contacts)
    2
    """
    merged = _Merge(net)
    for other in others:
        merged.add(other)
    fresh = Network(merged.owner, merged.contacts.values(), merged.relationships, *merged.records.values())
    vars(net).update(vars(fresh))
    return net


class _Merge:
    """The records of a network being combined with others, as plain lists and dicts."""

    def __init__(self, net: Network) -> None:
        self.owner = net.owner
        self.contacts: dict[str, Contact] = dict(net.contacts)
        self.emails = {c.email.lower(): c.id for c in self.contacts.values() if c.email}
        self.relationships: list[Relationship] = list(net.relationships)
        self.ties: dict[tuple[str, str], int] = {}
        for k, rel in enumerate(self.relationships):
            for arc in _arcs(rel):
                self.ties[arc] = k
        self.records: dict[str, list[Any]] = {
            "referrals": list(net.referrals), "interactions": list(net.interactions), "mentions": list(net.mentions),
        }
        self.seen = {name: set(items) for name, items in self.records.items()}

    def add(self, other: Network) -> None:
        alias = {c.id: self.emails[c.email.lower()] for c in other.contacts.values()
                 if c.id not in self.contacts and c.email and c.email.lower() in self.emails}
        owner = alias.get(other.owner, other.owner) if other.owner is not None else None
        if owner is not None and self.owner is not None and owner != self.owner:
            raise DataError(f"the networks have different owners, {self.owner!r} and {owner!r}; "
                            "read the files with the same owner", field="owner", value=owner)
        self.owner = self.owner or owner
        for contact in other.contacts.values():
            contact = _renamed(contact, alias, ("id",))
            known = self.contacts.get(contact.id)
            self.contacts[contact.id] = contact if known is None else _contact(known, contact)
            if contact.email:
                self.emails.setdefault(contact.email.lower(), contact.id)
        for rel in other.relationships:
            self._relationship(_renamed(rel, alias, ("source", "target")))
        fields = {"referrals": ("referrer", "referred", "via"), "interactions": ("contact",), "mentions": ("by",)}
        for name, names in fields.items():
            for record in getattr(other, name):
                record = _renamed(record, alias, names)
                if record not in self.seen[name]:
                    self.seen[name].add(record)
                    self.records[name].append(record)

    def _relationship(self, rel: Relationship) -> None:
        k = next((self.ties[arc] for arc in _arcs(rel) if arc in self.ties), None)
        if k is None:
            k = len(self.relationships)
            self.relationships.append(rel)
        else:
            self.relationships[k] = _relationship(self.relationships[k], rel)
        for arc in _arcs(self.relationships[k]):
            self.ties.setdefault(arc, k)


def _arcs(rel: Relationship) -> list[tuple[str, str]]:
    return [(rel.source, rel.target)] if rel.directed else [(rel.source, rel.target), (rel.target, rel.source)]


def _renamed(record: R, alias: dict[str, str], fields: Iterable[str]) -> R:
    changes = {f: alias[getattr(record, f)] for f in fields if getattr(record, f) in alias}
    if not changes:
        return record
    return type(record).parse({**record.model_dump(), **changes})  # type: ignore[no-any-return]


def _contact(known: Contact, other: Contact) -> Contact:
    filled = {f: getattr(other, f) for f in ("organization", "title", "email", "notes", "roles")
              if not getattr(known, f) and getattr(other, f)}
    return known.model_copy(update={**filled, "kinds": known.kinds | other.kinds})


def _relationship(a: Relationship, b: Relationship) -> Relationship:
    if b.evidence is not None and a.evidence is not None and b.evidence in a.evidence.split("; "):
        return a
    dates = [d for d in (a.last_interaction, b.last_interaction) if d is not None]
    hours = [h for h in (a.response_hours, b.response_hours) if h is not None]
    theirs = [h for h in (a.their_response_hours, b.their_response_hours) if h is not None]
    trust = a.trust if b.trust is None else b.trust if a.trust is None or a.trust == b.trust else None
    return Relationship(
        source=a.source, target=a.target, kind=b.kind if a.kind == "acquaintance" else a.kind,
        repeat_business=a.repeat_business + b.repeat_business,
        candid_conversations=a.candid_conversations + b.candid_conversations,
        last_interaction=max(dates, default=None), response_hours=min(hours, default=None),
        their_response_hours=min(theirs, default=None),
        scorecard=b.scorecard or a.scorecard, trust=trust, directed=a.directed and b.directed,
        evidence="; ".join(e for e in (a.evidence, b.evidence) if e) or None,
    )
