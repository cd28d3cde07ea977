"""A network as a folder of CSV files, as people keep it in a spreadsheet or a CRM export.

Each file starts with a header; ``*`` marks the required columns, the others may be left out.

- ``contacts.csv`` (required): ``id*``, ``name*``, ``kinds``, ``organization``, ``title``,
  ``email``, ``notes``, ``owner``.
- ``roles.csv``: ``contact*``, ``organization*``, ``title``, ``start``, ``end``.
- ``relationships.csv``: ``source*``, ``target*``, ``kind*``, ``repeat_business``,
  ``response_hours``, ``candid_conversations``, ``last_interaction``, ``liking``,
  ``reciprocity``, ``credibility``, ``commitment``, ``trust``, ``directed``.
- ``referrals.csv``: ``referrer*``, ``referred*``, ``date*``, ``status*``, ``value``, ``via``.
- ``interactions.csv``: ``contact*``, ``date*``, ``kind*``, ``note``.
- ``mentions.csv``: ``by*``, ``name*``, ``date*``, ``organization``, ``context``.

``kinds`` are separated by ``;`` or ``|``; dates are ISO (``2024-03-12``); ``owner`` marks the
seller's own row with ``yes``; ``directed`` is ``yes``/``no``. Empty cells take the default.

The files are safe to open in a spreadsheet: :func:`write_csv` puts a ``'`` in front of text
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab, CR or
LF, as OWASP advises) and of text that starts with ``'`` itself; :func:`read_csv` takes one
leading ``'`` off again, as a spreadsheet does, so nothing is lost in a round trip.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import IO, Any

from ..errors import DataError, FileFormatError, StorageError, UnknownContactError
from ..models import Contact, Interaction, Mention, Record, Referral, Relationship, Role, Scorecard
from ..network import Network, as_of_date, check_not_future
from ._files import atomic_write, read_text
from ._table import table_rows

__all__ = ["read_csv", "write_csv"]

_TRUE = {"1", "true", "yes", "y", "x"}
_FALSE = {"0", "false", "no", "n", ""}

CONTACT_COLUMNS = ("id", "name", "kinds", "organization", "title", "email", "notes", "owner")
ROLE_COLUMNS = ("contact", "organization", "title", "start", "end")
RELATIONSHIP_COLUMNS = (
    "source", "target", "kind", "repeat_business", "response_hours", "candid_conversations",
    "last_interaction", *Scorecard.FIELDS, "trust", "directed",
)
REFERRAL_COLUMNS = ("referrer", "referred", "date", "status", "value", "via")
INTERACTION_COLUMNS = ("contact", "date", "kind", "note")
MENTION_COLUMNS = ("by", "name", "date", "organization", "context")

# file name -> (record type, all columns, how many leading columns are required)
TABLES: dict[str, tuple[type[Record], tuple[str, ...], int]] = {
    "relationships.csv": (Relationship, RELATIONSHIP_COLUMNS, 3),
    "referrals.csv": (Referral, REFERRAL_COLUMNS, 4),
    "interactions.csv": (Interaction, INTERACTION_COLUMNS, 3),
    "mentions.csv": (Mention, MENTION_COLUMNS, 3),
}


def _flag(value: str, path: Path, line: int, field: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE or lowered in _FALSE:
        return lowered in _TRUE
    raise DataError("expected yes or no", file=path, line=line, field=field, value=value)


def _relationship_row(row: dict[str, Any], path: Path, line: int) -> dict[str, Any]:
    parts = {f: row.pop(f) for f in Scorecard.FIELDS if f in row}
    if parts:
        row["scorecard"] = parts
    if "directed" in row:
        row["directed"] = _flag(row["directed"], path, line, "directed")
    return row


def read_csv(
    folder: str | PathLike[str],
    *,
    owner: str | None = None,
    encoding: str = "utf-8",
    as_of: dt.date | str | None = None,
) -> Network:
    """Read a network from a folder of CSV files (see the module documentation for columns).

    Only ``contacts.csv`` is required, and it must hold at least one contact. ``owner`` names
    the seller's contact id when no row of ``contacts.csv`` is marked ``owner``. With
    ``as_of``, a relationship or interaction dated after it is refused. Every problem raises
    an error naming the file, the line and the field (and the value or contact id).

    >>> import refgraph as rg, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> rg.write_csv(rg.sample_network(), folder)
    >>> net = rg.read_csv(folder)
    >>> len(net.contacts) == len(rg.sample_network().contacts)
    True
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise StorageError(f"{folder}: not a folder (read_csv expects a folder holding contacts.csv)")
    contacts_path = folder / "contacts.csv"
    if not contacts_path.exists():
        raise StorageError(f"{contacts_path}: missing; a CSV network needs at least contacts.csv")
    day = as_of_date(as_of)

    roles: dict[str, list[Role]] = defaultdict(list)
    role_lines: dict[str, int] = {}
    roles_path = folder / "roles.csv"
    if roles_path.exists():
        for line, row in _rows(roles_path, encoding, ROLE_COLUMNS, 2):
            contact = row.pop("contact")
            roles[contact].append(Role.parse(row, file=roles_path, line=line))
            role_lines.setdefault(contact, line)

    net = Network(owner=owner)
    owners: list[str] = []
    for line, row in _rows(contacts_path, encoding, CONTACT_COLUMNS, 2):
        if _flag(row.pop("owner", ""), contacts_path, line, "owner"):
            owners.append(row["id"])
        contact_roles = roles.pop(row.get("id", ""), [])
        if contact_roles:
            row["roles"] = contact_roles
        _add(net, Contact.parse(row, file=contacts_path, line=line), contacts_path, line)
    if not net.contacts:
        raise FileFormatError("no contacts: the file has a header but no rows", file=contacts_path, line=2)
    if roles:
        contact = min(roles, key=role_lines.__getitem__)
        raise UnknownContactError(contact, f"contact of a role in {roles_path}, line {role_lines[contact]}")
    if len(owners) > 1 or (owners and owner is not None and owners[0] != owner):
        raise DataError(f"more than one owner: {', '.join(sorted({*owners, *([owner] if owner else [])}))}",
                        file=contacts_path, field="owner")
    if owners:
        net.owner = owners[0]
    elif owner is not None and owner not in net.contacts:
        raise UnknownContactError(owner, f"the owner passed to read_csv is not in {contacts_path}")

    for name, (record_type, columns, n_required) in TABLES.items():
        path = folder / name
        if not path.exists():
            continue
        for line, row in _rows(path, encoding, columns, n_required):
            if record_type is Relationship:
                row = _relationship_row(row, path, line)
            record = record_type.parse(row, file=path, line=line)
            if day is not None:
                check_not_future(record, day, file=path, line=line)
            _add(net, record, path, line)
    return net


def _rows(path: Path, encoding: str, columns: tuple[str, ...], n_required: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """The numbered rows of one file, with the ``'`` that :func:`write_csv` adds taken off."""
    for line, row in table_rows(read_text(path, encoding), path, columns[:n_required], columns[n_required:]):
        yield line, {k: v[1:] if v.startswith("'") else v for k, v in row.items()}


def _add(net: Network, record: Record, path: Path, line: int) -> None:
    try:
        net.add(record)
    except UnknownContactError as err:
        raise UnknownContactError(err.contact, f"{err.where} in {path}, line {line}",
                                  suggestions=err.suggestions) from None
    except DataError as err:
        raise DataError(err.message, file=path, line=line, contact=err.contact) from None


# -- writing ------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set | list | tuple):
        return ";".join(sorted(str(v) for v in value))
    if isinstance(value, str):
        return _spreadsheet_safe(value)
    return str(value)


def _spreadsheet_safe(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would run it, or when it starts with ``'``."""
    from ..results import safe_cell  # results imports refgraph.io: import it when first writing

    return "'" + text if text.startswith("'") or safe_cell(text) != text else text


def _write_table(path: Path, columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = list(columns)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    data = buffer.getvalue().encode("utf-8")

    def write(fh: IO[bytes]) -> None:
        fh.write(data)

    atomic_write(path, write)


def write_csv(net: Network, folder: str | PathLike[str]) -> None:
    """Write ``net`` as the folder of CSV files that :func:`read_csv` reads (each file atomically).

    Text a spreadsheet would run as a formula is written with a leading ``'`` (see the module
    documentation); :func:`read_csv` reads it back as it was.

    >>> import refgraph as rg, tempfile
    >>> net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="=cmd|' /C calc'!A0")])
    >>> folder = Path(tempfile.mkdtemp())
    >>> rg.write_csv(net, folder)
    >>> (folder / "contacts.csv").read_text(encoding="utf-8").splitlines()[1]
    "me,'=cmd|' /C calc'!A0,,,,,,yes"
    >>> rg.read_csv(folder).contacts["me"].name
    "=cmd|' /C calc'!A0"
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(f"{folder}: cannot create the folder ({err.strerror or err})") from None
    contacts = list(net.contacts.values())
    _write_table(folder / "contacts.csv", CONTACT_COLUMNS, (
        {**c.model_dump(exclude={"roles"}), "owner": c.id == net.owner} for c in contacts
    ))
    _write_table(folder / "roles.csv", ROLE_COLUMNS, (
        {"contact": c.id, **r.model_dump()} for c in contacts for r in c.roles
    ))
    flatten: dict[type[Record], Callable[[Any], dict[str, Any]]] = {
        Relationship: lambda r: {**r.model_dump(exclude={"scorecard"}),
                                 **(r.scorecard.model_dump() if r.scorecard else {})},
    }
    sources = {Relationship: net.relationships, Referral: net.referrals,
               Interaction: net.interactions, Mention: net.mentions}
    for name, (record_type, columns, _) in TABLES.items():
        dump = flatten.get(record_type, lambda r: r.model_dump())
        _write_table(folder / name, columns, (dump(r) for r in sources[record_type]))
