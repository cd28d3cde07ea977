"""Contacts and deals from CRM exports: HubSpot and Salesforce presets, any CRM by mapping.

A preset is plain data: a dict from the CRM's column header to refgraph's column. The
refgraph columns of a contacts export are ``id`` (the CRM's record id), ``first_name`` and
``last_name`` (joined into the name) or ``name``, ``email``, ``organization``, ``title`` and
``last_interaction``; those of a deals export are ``deal``, ``contact`` (the record id of the
deal's contact; several separated by ``;``), ``stage``, ``won`` (yes/no, when the CRM has
such a column), ``date`` (the close date), ``value`` (the amount) and ``deal_owner``.

Pipeliner CRM: we found no public documentation of the column headers of its exports, so there
is no preset; map its headers with ``read_crm(..., contact_columns=..., deal_columns=...)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, MutableMapping
from os import PathLike
from pathlib import Path

from .._files import read_text
from ..errors import DataError, FileFormatError
from ..records.models import Contact, Relationship
from ..records.network import Network
from ._signals import address, finish, paths_of, start
from ._table import table_rows

__all__ = [
    "HUBSPOT_CONTACTS", "HUBSPOT_DEALS", "PRESETS", "SALESFORCE_CONTACTS", "SALESFORCE_OPPORTUNITIES", "read_crm",
]

#: HubSpot's contacts export (CRM > Contacts > Export).
HUBSPOT_CONTACTS = {
    "Record ID": "id", "First Name": "first_name", "Last Name": "last_name", "Email": "email",
    "Company Name": "organization", "Job Title": "title", "Last Activity Date": "last_interaction",
}
#: HubSpot's deals export with associated contacts (CRM > Deals > Export, associations included).
HUBSPOT_DEALS = {
    "Record ID": "deal", "Associated Contact IDs": "contact", "Deal Stage": "stage", "Close Date": "date",
    "Amount": "value", "Deal owner": "deal_owner",
}
#: Salesforce's contacts report (Reports > Contacts & Accounts), exported as CSV.
SALESFORCE_CONTACTS = {
    "Contact ID": "id", "First Name": "first_name", "Last Name": "last_name", "Email": "email",
    "Account Name": "organization", "Title": "title", "Last Activity": "last_interaction",
}
#: Salesforce's "Opportunities with Contact Roles" report, exported as CSV.
SALESFORCE_OPPORTUNITIES = {
    "Opportunity ID": "deal", "Contact ID": "contact", "Stage": "stage", "Won": "won", "Close Date": "date",
    "Amount": "value", "Opportunity Owner": "deal_owner",
}
#: The presets by name: (contacts mapping, deals mapping).
PRESETS: Mapping[str, tuple[Mapping[str, str], Mapping[str, str]]] = {
    "hubspot": (HUBSPOT_CONTACTS, HUBSPOT_DEALS),
    "salesforce": (SALESFORCE_CONTACTS, SALESFORCE_OPPORTUNITIES),
}
_WON_STAGES = {"closed won", "closedwon", "won"}
_LOST_STAGES = {"closed lost", "closedlost", "lost"}
_YES = {"1", "true", "yes", "y", "x"}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y")


def _rows(path: Path, mapping: Mapping[str, str], required: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of one export, renamed to refgraph's columns (unmapped columns are ignored)."""
    crm = {v: k for k, v in mapping.items()}
    if required not in crm:
        raise DataError(f"the column mapping names no {required!r} column", field="columns")
    rows = table_rows(read_text(path, "utf-8-sig"), path, [crm[required]], list(mapping), strict=False)
    return [(line, {mapping[k]: v.strip() for k, v in row.items() if k in mapping}) for line, row in rows]


def _date(value: str, path: Path, line: int, field: str) -> dt.date:
    text = value.strip().split("T")[0].split(" ")[0] if value[:4].isdigit() else value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DataError("expected a date like 2024-03-12 or 3/12/2024", file=path, line=line, field=field, value=value)


def _amount(value: str, path: Path, line: int) -> float:
    try:
        return float(value.replace(",", "").lstrip("$€£ "))
    except ValueError:
        raise DataError("expected an amount like 12500.00", file=path, line=line, field="value", value=value) from None


def read_crm(
    contacts: str | PathLike[str],
    deals: str | PathLike[str] | None = None,
    *,
    crm: str = "hubspot",
    contact_columns: Mapping[str, str] | None = None,
    deal_columns: Mapping[str, str] | None = None,
    owner: str | None = None,
    owner_name: str = "Me",
    network: Network | None = None,
    summary: MutableMapping[str, int] | None = None,
) -> Network:
    """The owner's contacts and deals from a CRM's exports (``crm`` names a preset of
    :data:`PRESETS`; ``contact_columns`` / ``deal_columns`` map another CRM's headers).

    Each contact becomes a contact of the network (id ``mail:<e-mail>`` when it has one, so
    that mail and calendar find the same person, else ``<crm>:<record id>``) with a
    relationship to the owner. Deals are counted per contact: **won deals** (stage ``Closed
    Won``, or a ``won`` column saying yes) become ``repeat_business``, the contact becomes a
    ``client`` and the tie ``client`` (``prospect`` when they only have open or lost deals,
    ``acquaintance`` without deals); ``last_interaction`` is the latest of the contact's last
    activity and its won deals' close dates. The ``evidence`` keeps the amounts won and the deal
    owners. A deal naming an unknown contact is left out and counted; a bad date or amount raises
    :class:`~refgraph.errors.DataError` naming the file, line and column. With ``network``,
    what was read is added to it (all or nothing) and it is returned.

    Examples
    --------
    >>> import refgraph as rg, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "contacts.csv"), "w") as fh:
    ...     _ = fh.write("Record ID,First Name,Last Name,Email,Company Name\\n101,Ana,Silva,ana@globex.example,Globex\\n")
    >>> with open(os.path.join(folder, "deals.csv"), "w") as fh:
    ...     _ = fh.write("Record ID,Deal Name,Associated Contact IDs,Deal Stage,Close Date,Amount,Deal owner\\n"
    ...                  "9,Renewal,101,Closed Won,2024-03-01,12000,Sam Seller\\n"
    ...                  "10,Upsell,101,Closed Won,2024-06-15,3000.50,Lee Chan\\n")
    >>> net = rg.read_crm(os.path.join(folder, "contacts.csv"), os.path.join(folder, "deals.csv"))
    >>> rel = net.relationship("me", "mail:ana@globex.example")
    >>> str(rel.kind), rel.repeat_business, rel.last_interaction
    ('client', 2, datetime.date(2024, 6, 15))
    >>> print(rel.evidence)
    2 won deals (15,000.50 in all; deal owners Lee Chan, Sam Seller), from contacts.csv and deals.csv
    """
    if crm not in PRESETS and (contact_columns is None or (deals is not None and deal_columns is None)):
        raise DataError(f"unknown CRM preset; known: {', '.join(PRESETS)} (or pass the column mappings)",
                        field="crm", value=crm)
    preset = PRESETS.get(crm, ({}, {}))
    contact_map, deal_map = contact_columns or preset[0], deal_columns or preset[1]
    [contacts_path, *deals_path] = paths_of([contacts] if deals is None else [contacts, deals])
    counts: Counter[str] = Counter()
    net = start(network, owner, owner_name)
    ids: dict[str, str] = {}
    people: dict[str, tuple[int, dict[str, str | None]]] = {}
    activity: dict[str, dt.date] = {}
    for line, row in _rows(contacts_path, contact_map, "id"):
        counts["contacts"] += 1
        record = row.get("id", "")
        email = address(row["email"]) if "@" in row.get("email", "") else None
        name = row.get("name") or " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p) or email
        if not record or not name:
            counts["without_id_or_name"] += 1
            continue
        if record in ids:
            raise DataError("this record id appears twice", file=contacts_path, line=line, field="id", value=record)
        ids[record] = contact_id = f"mail:{email}" if email else f"{crm}:{record}"
        if "last_interaction" in row:
            activity[contact_id] = _date(row["last_interaction"], contacts_path, line, "last_interaction")
        people[contact_id] = line, {"id": contact_id, "name": name, "email": email,
                                    "organization": row.get("organization"), "title": row.get("title")}
    won: dict[str, list[tuple[dt.date | None, float, str | None]]] = defaultdict(list)
    other: Counter[str] = Counter()
    for line, row in _rows(deals_path[0], deal_map, "contact") if deals_path else ():
        counts["deals"] += 1
        stage = row.get("stage", "").lower()
        is_won = row.get("won", "").lower() in _YES if "won" in row else stage in _WON_STAGES
        day = _date(row["date"], deals_path[0], line, "date") if "date" in row else None
        value = _amount(row["value"], deals_path[0], line) if "value" in row else 0.0
        for record in (r.strip() for r in row.get("contact", "").split(";") if r.strip()):
            if record not in ids:
                counts["deals_of_unknown_contacts"] += 1
                continue
            if is_won:
                won[ids[record]].append((day, value, row.get("deal_owner")))
            else:
                other[ids[record]] += 1
                counts["lost_deals" if stage in _LOST_STAGES else "open_deals"] += 1
    files = " and ".join(p.name for p in (contacts_path, *deals_path))
    for contact_id, (line, fields) in people.items():
        deals_won = won.get(contact_id, [])
        net.add(Contact.parse({**fields, "kinds": "client" if deals_won else ""}, file=contacts_path, line=line))
        dates = [d for d, _, _ in deals_won if d is not None] + ([activity[contact_id]] if contact_id in activity else [])
        if deals_won:
            owners = sorted({o for _, _, o in deals_won if o})
            words = (f"{len(deals_won)} won deal{'s' * (len(deals_won) != 1)} "
                     f"({sum(v for _, v, _ in deals_won):,.2f} in all"
                     + (f"; deal owner{'s' * (len(owners) != 1)} {', '.join(owners)})" if owners else ")"))
        else:
            words = f"{other[contact_id]} open or lost deal{'s' * (other[contact_id] != 1)}" if other[contact_id] \
                else "in the CRM, no deals"
        kind = "client" if deals_won else "prospect" if other[contact_id] else "acquaintance"
        net.add(Relationship(source=str(net.owner), target=contact_id, kind=kind, repeat_business=len(deals_won),
                             last_interaction=max(dates, default=None), evidence=f"{words}, from {files}"))
    if not ids:
        raise FileFormatError("no contacts: the export has a header but no usable rows", file=contacts_path)
    return finish(net, network, f"read_crm {files}", counts, summary)
