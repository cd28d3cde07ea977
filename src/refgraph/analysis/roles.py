"""Role moves: a client who moves to a new organisation takes the relationship along.

:func:`role_moves` lists the contacts whose organisation changed, with the referrals they made
and the relationships they hold at each organisation, so a chain can say "moved from Globex to
Initech and referred 3 people there".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..records.network import as_network
from ..results import Table

if TYPE_CHECKING:
    from ..records.network import Network

__all__ = ["RoleMove", "organizations_held", "role_moves"]


@dataclass(frozen=True)
class RoleMove:
    """What a contact who changed organisation did from one of its organisations;
    ``moved_from`` is the organisation before this one (None for the first)."""

    contact: Hashable
    name: str
    organization: str
    moved_from: str | None
    start: dt.date | None
    end: dt.date | None
    referrals: int
    referred: frozenset[Hashable]
    relationships: int
    note: str


def organizations_held(net: Network) -> dict[Hashable, tuple[str, ...]]:
    """The organisations of each contact who changed organisation, oldest first."""
    moves: dict[Hashable, tuple[str, ...]] = {}
    for c in net.contacts.values():
        orgs = tuple(dict.fromkeys(r.organization for r in sorted(c.roles, key=lambda r: r.start or dt.date.min)))
        if len(orgs) > 1:
            moves[c.id] = orgs
    return moves


def role_moves(net: Network) -> Table[RoleMove]:
    """Contacts whose organisation changed: one row per organisation they worked at, with the
    referrals they made from it and how many of their relationships are with people there.

    >>> import refgraph as rg
    >>> for row in role_moves(rg.sample_network()):
    ...     print(row.organization, row.referrals, row.note)
    Globex 2 referred 2 people from Globex
    Initech 3 moved from Globex to Initech and referred 3 people there
    """
    net = as_network(net)
    people_at: dict[str, set[str]] = {}
    for c in net.contacts.values():
        for org in {c.organization, *(r.organization for r in c.roles)} - {None}:
            people_at.setdefault(org, set()).add(c.id)  # type: ignore[arg-type]
    rows = []
    for cid, orgs in sorted(organizations_held(net).items()):
        contact = net.contacts[cid]  # type: ignore[index]
        made = [r for r in net.referrals if r.referrer == cid]
        ties = {r.target if r.source == cid else r.source for r in net.relationships if cid in (r.source, r.target)}
        for k, role in enumerate(sorted(contact.roles, key=lambda r: r.start or dt.date.min)):
            referred = frozenset(r.referred for r in made if contact.organization_on(r.date) == role.organization)
            n = len(referred)
            people = f"{n} {'person' if n == 1 else 'people'}"
            before = orgs[orgs.index(role.organization) - 1] if k else None
            note = (f"moved from {before} to {role.organization} and referred {people} there" if before else
                    f"referred {people} from {role.organization}")
            rows.append(RoleMove(cid, contact.name, role.organization, before, role.start, role.end, n, referred,
                                 len(ties & people_at.get(role.organization, set())), note))
    return Table(rows, title="Role moves")
