"""Harvest: people mentioned in passing who are not contacts yet, as referrals to ask for.

Clients mention people: a colleague who is unhappy with a provider, a friend opening a
practice. Each such :class:`~refgraph.Mention` is a lead. :func:`harvest` gathers the mentions
of people who are not yet contacts, merges those of the same person (same name and
organisation), and ranks them by how much the seller trusts whoever mentioned them and how
recently, with the ask to make.

Examples
--------
>>> import refgraph as rg
>>> leads = harvest(rg.sample_network())
>>> leads[0].suggestion
'Ask Orla Bianchi for an introduction to Tom Becker at Granite Build.'
>>> [(lead.name, lead.mentions, lead.ask) for lead in leads if lead.name == "Raj Patel"]
[('Raj Patel', 2, 'orla.bianchi')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DataError, no_owner
from ..records.models import Mention
from ..records.network import as_network
from ..results import Table

if TYPE_CHECKING:
    from ..records.network import Network

__all__ = ["Lead", "harvest"]


@dataclass(frozen=True)
class Lead:
    """A person mentioned but not yet a contact, and who to ask for an introduction.

    ``trust`` is the seller's trust in ``ask`` (the contact whose mention scores best),
    ``score`` that trust times the mention's recency; ``mentioned_by`` lists everyone who
    mentioned the person.
    """

    name: str
    organization: str | None
    ask: Hashable
    ask_name: str
    trust: float
    last_mentioned: dt.date
    mentions: int
    mentioned_by: frozenset[Hashable]
    score: float
    context: str | None
    suggestion: str


def _key(text: str | None) -> str:
    """Names and organisations compared without case or extra spaces."""
    return " ".join((text or "").split()).casefold()


def harvest(net: Network, *, as_of: dt.date | str | None = None, half_life_days: float = 180.0) -> Table[Lead]:
    """Mentioned people who are not contacts yet, best lead first.

    Mentions of the same name and organisation (ignoring case and spacing) are one lead. A
    mention is worth the seller's trust in whoever made it (1 for the seller's own), halved
    every ``half_life_days`` of age at ``as_of`` (default: the network's latest date; later
    mentions are left out); a lead takes its best mention, whose author is the one to ask. A
    person whose name matches a contact's, at the same organisation or with one unknown, is
    already a contact and is left out. Ties go to the more recent mention, then the name.
    """
    net = as_network(net)
    if net.owner is None:
        raise no_owner("harvest, to weigh who made each mention,")
    if half_life_days <= 0:
        raise DataError("must be more than 0", field="half_life_days", value=half_life_days)
    as_of = net.resolve_as_of(as_of)
    g = net.trust_graph(as_of=as_of)
    known: dict[str, set[str]] = {}
    for c in net.contacts.values():
        orgs = (c.organization, *(r.organization for r in c.roles))
        known.setdefault(_key(c.name), set()).update(_key(org) for org in orgs)

    def is_contact(m: Mention) -> bool:
        orgs = known.get(_key(m.name))
        return orgs is not None and (m.organization is None or "" in orgs or _key(m.organization) in orgs)

    def trust(by: Hashable) -> float:
        return 1.0 if by == net.owner else g.trust(net.owner, by)

    groups: dict[tuple[str, str], list[tuple[float, Mention]]] = {}
    for m in net.mentions:
        if (as_of is None or m.date <= as_of) and not is_contact(m):
            age = 0 if as_of is None else (as_of - m.date).days
            groups.setdefault((_key(m.name), _key(m.organization)), []).append(
                (trust(m.by) * 0.5 ** (age / half_life_days), m))
    rows = []
    for scored in groups.values():
        score, best = max(scored, key=lambda sm: (sm[0], sm[1].date, str(sm[1].by)))
        asker = net.contacts[best.by].name
        at = f" at {best.organization}" if best.organization else ""
        rows.append(Lead(best.name, best.organization, best.by, asker, trust(best.by), max(m.date for _, m in scored),
                         len(scored), frozenset(m.by for _, m in scored), score, best.context,
                         f"Ask {asker} for an introduction to {best.name}{at}."))
    rows.sort(key=lambda lead: (-lead.score, -lead.last_mentioned.toordinal(), _key(lead.name)))
    return Table(rows, title="Leads to harvest")
