"""Pseudonymisation: a network that can be shared without exposing the seller's clients.

:func:`pseudonymize` replaces every contact id, name, e-mail address, organisation and note
with a made-up one, consistently (the same organisation gets the same fake name everywhere,
and a mentioned person who is also a contact keeps matching them), while the structure, the
kinds, the dates and every trust signal stay as they were: the trust graph of the copy is the
same graph with other names. A title is kept only when every word of it is a common job-title
word (:data:`TITLE_WORDS`: "VP Sales", "Head of Operations"); any other title ("Chief of Staff to
Ana Silva at Globex") is replaced with a made-up one, as it may name a person or a client.
Contacts and records are put in the order of their new ids, so not even the alphabetical order
of the real names shows through.

Examples
--------
>>> import refgraph as rg
>>> from refgraph.records.privacy import pseudonymize
>>> net = rg.sample_network()
>>> fake = pseudonymize(net, seed=1)
>>> len(fake.contacts) == len(net.contacts), len(fake.relationships) == len(net.relationships)
(True, True)
>>> "Sam Rivera" in {c.name for c in fake.contacts.values()}
False
>>> g, h = net.trust_graph(), fake.trust_graph()
>>> bool((np.sort(g.edge_trust) == np.sort(h.edge_trust)).all())
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from .._checks import seed as check_seed
from .models import Contact
from .network import Network, as_network

__all__ = ["TITLE_WORDS", "pseudonymize"]

#: The words a title may be made of to be kept as it is by :func:`pseudonymize` (lower case).
TITLE_WORDS = frozenset("""
    a account accountant accounts administrator advisor adviser agent analyst and architect assistant associate
    board business buyer ceo cfo chair chairman chairwoman chief cio clerk client co coo consultant controller
    coordinator cpo cso cto customer data deputy design designer developer development digital director
    engineer engineering executive finance financial for founder general growth head hr human it junior lead
    legal manager marketing member of officer operations owner partner practice president principal procurement
    product project purchasing representative research resources sales scientist senior service services
    software specialist staff strategy success supply support team technical technology the vice vp
""".split())
_WORD = re.compile(r"[^\W\d_]+")

_FIRST = (
    "Alex", "Blair", "Casey", "Dana", "Eden", "Finley", "Gray", "Harper", "Indigo", "Jules", "Kai",
    "Lane", "Morgan", "Noa", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum", "Umber", "Vale",
    "Wren", "Xen", "Yael", "Zion", "Arden", "Bellamy", "Cove", "Darcy", "Ellis", "Frankie",
)
_LAST = (
    "Ashdown", "Brightwater", "Calloway", "Dunmore", "Eastwick", "Fairbanks", "Glenholm", "Hartwell",
    "Ironside", "Juniper", "Kestrel", "Larkspur", "Merriweather", "Northcott", "Oakhurst", "Pennywhistle",
    "Quarrington", "Rookwood", "Silverton", "Thornbury", "Underhill", "Vanterpool", "Westbrook",
    "Yarrowby", "Zephyrine", "Amberley", "Birchall", "Coldstream", "Duskwood", "Elmsworth",
)
_ORG_FIRST = (
    "Acorn", "Beacon", "Cobalt", "Drift", "Ember", "Fjord", "Granite", "Harbor", "Isle", "Jade",
    "Kiln", "Lumen", "Meridian", "Nimbus", "Orchard", "Pinnacle", "Quill", "Ridge", "Summit", "Tidal",
)
_ORG_SECOND = ("Works", "Labs", "Partners", "Holdings", "Systems", "Group", "Studio", "Logistics",
               "Analytics", "Foods", "Health", "Capital", "Energy", "Media", "Robotics")


def pseudonymize(net: Network, *, seed: int | None = None) -> Network:
    """A copy of ``net`` with made-up ids, names, e-mails, organisations and notes.

    Same structure and trust: every relationship, referral, interaction and mention is kept
    with its kinds, dates, statuses, values and signals, between the same (renamed) contacts;
    the owner is renamed too. Each distinct name, e-mail, organisation or note maps to one
    distinct fake, never to a real one of the network. ``seed`` makes the choice repeatable.

    Parameters
    ----------
    net
        The network to copy; it is not changed.
    seed
        Seed of the random choice of fakes; ``None`` draws a fresh one.

    Returns
    -------
    Network
        The pseudonymised copy.

    Examples
    --------
    >>> import refgraph as rg
    >>> net = rg.Network(owner="me", contacts=[
    ...     rg.Contact(id="me", name="Sam Seller"),
    ...     rg.Contact(id="ana", name="Ana Silva", email="ana@globex.com", organization="Globex")])
    >>> _ = net.add(rg.Relationship(source="me", target="ana", kind="client", trust=0.8))
    >>> fake = pseudonymize(net, seed=7)
    >>> ana = fake.contacts[fake.relationships[0].target]
    >>> ana.name != "Ana Silva", ana.email.endswith("@example.com"), ana.organization != "Globex"
    (True, True, True)
    >>> fake.relationships[0].trust, fake.owner in fake.contacts
    (0.8, True)
    """
    seed = check_seed(seed)
    net = as_network(net)
    rng = np.random.default_rng(seed)
    contacts = list(net.contacts.values())
    width = len(str(max(len(contacts) - 1, 0)))
    ids = {c.id: f"c{k:0{width}d}" for c, k in zip(contacts, rng.permutation(len(contacts)).tolist(), strict=True)}

    person_names = [c.name for c in contacts] + [m.name for m in net.mentions]
    names = _fake_map(person_names, _person, rng, len(_FIRST) * len(_LAST))
    organizations = _fake_map(
        [c.organization for c in contacts] + [r.organization for c in contacts for r in c.roles]
        + [m.organization for m in net.mentions],
        _organization, rng, len(_ORG_FIRST) * len(_ORG_SECOND),
    )
    notes = _fake_map([c.notes for c in contacts] + [i.note for i in net.interactions]
                      + [m.context for m in net.mentions], lambda k: f"Note {k + 1}", rng)
    emails = _emails(contacts, names)
    titles = _fake_map(
        [t for t in [c.title for c in contacts] + [r.title for c in contacts for r in c.roles] if t and not _plain_title(t)],
        lambda k: f"Title {k + 1}", rng,
    )

    def title(value: str | None) -> str | None:
        return None if value is None else titles.get(value, value)

    def org(value: str | None) -> str | None:
        return None if value is None else organizations[value]

    out = Network(owner=None if net.owner is None else ids[net.owner])
    renamed = [
        c.model_copy(update={
            "id": ids[c.id], "name": names[c.name], "organization": org(c.organization),
            "email": emails.get(c.email or ""), "notes": notes.get(c.notes, ""), "title": title(c.title),
            "roles": tuple(r.model_copy(update={"organization": organizations[r.organization], "title": title(r.title)})
                           for r in c.roles),
        })
        for c in contacts
    ]
    out.add(*sorted(renamed, key=lambda c: c.id))
    out.add(*sorted(
        (r.model_copy(update={"source": ids[r.source], "target": ids[r.target]}) for r in net.relationships),
        key=lambda r: (r.source, r.target),
    ))
    out.add(*sorted(
        (r.model_copy(update={"referrer": ids[r.referrer], "referred": ids[r.referred],
                              "via": None if r.via is None else ids[r.via]}) for r in net.referrals),
        key=lambda r: (r.date, r.referrer, r.referred),
    ))
    out.add(*sorted(
        (i.model_copy(update={"contact": ids[i.contact], "note": notes.get(i.note, "")}) for i in net.interactions),
        key=lambda i: (i.date, i.contact, i.kind, i.note),
    ))
    out.add(*sorted(
        (m.model_copy(update={"by": ids[m.by], "name": names[m.name], "organization": org(m.organization),
                              "context": notes.get(m.context) if m.context else m.context})
         for m in net.mentions),
        key=lambda m: (m.date, m.by, m.name),
    ))
    return out


def _plain_title(title: str) -> bool:
    """Whether ``title`` is made only of common job-title words (nothing that could name anyone)."""
    return all(word.lower() in TITLE_WORDS for word in _WORD.findall(title))


def _person(k: int) -> str:
    """The ``k``-th made-up person name (all distinct; a number once the pairs run out)."""
    first, rest = k % len(_FIRST), k // len(_FIRST)
    last, round_ = rest % len(_LAST), rest // len(_LAST)
    return f"{_FIRST[first]} {_LAST[last]}" + (f" {round_ + 1}" if round_ else "")


def _organization(k: int) -> str:
    """The ``k``-th made-up organisation name (all distinct)."""
    first, rest = k % len(_ORG_FIRST), k // len(_ORG_FIRST)
    second, round_ = rest % len(_ORG_SECOND), rest // len(_ORG_SECOND)
    return f"{_ORG_FIRST[first]} {_ORG_SECOND[second]}" + (f" {round_ + 1}" if round_ else "")


def _fake_map(
    values: Iterable[str | None], make: Callable[[int], str], rng: np.random.Generator, plain: int = 1
) -> dict[str, str]:
    """Each distinct non-empty value to a distinct fake ``make(k)``, never one of the values.

    ``make`` must give distinct text for distinct ``k``, numbered only from ``k = plain`` on.
    The ``k`` are drawn at random from a range holding the ``plain`` ones and at least twice
    as many as needed, so that skipping fakes equal to real values still leaves enough.
    """
    real = list(dict.fromkeys(v for v in values if v))
    taken = set(real)
    fakes: list[str] = []
    for k in rng.permutation(max(2 * len(real), plain)).tolist():
        if len(fakes) == len(real):
            break
        fake = make(k)
        if fake not in taken:
            fakes.append(fake)
    return dict(zip(real, fakes, strict=True))


def _emails(contacts: list[Contact], names: dict[str, str]) -> dict[str, str]:
    """Each distinct e-mail address to one at example.com built from its first holder's fake name."""
    emails: dict[str, str] = {}
    used: set[str] = set()
    for contact in contacts:
        if contact.email is None or contact.email in emails:
            continue
        base = re.sub(r"[^a-z0-9]+", ".", names[contact.name].lower()).strip(".")
        local, k = base, 2
        while local in used:
            local, k = f"{base}.{k}", k + 1
        used.add(local)
        emails[contact.email] = f"{local}@example.com"
    return emails
