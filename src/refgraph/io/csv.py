"""A network as a folder of CSV files, as people keep it in a spreadsheet or a CRM export.

=================== ========== =====================================================================
file                required   columns (``*`` required)
=================== ========== =====================================================================
``contacts.csv``    yes        ``id*, name*, kinds, organization, title, email, notes, owner``
``roles.csv``       no         ``contact*, organization*, title, start, end``
``relationships.csv`` no       ``source*, target*, kind*, repeat_business, response_hours,
                               candid_conversations, last_interaction, liking, reciprocity,
                               credibility, commitment, trust, directed``
``referrals.csv``   no         ``referrer*, referred*, date*, status*, value, via``
``interactions.csv`` no        ``contact*, date*, kind*, note``
``mentions.csv``    no         ``by*, name*, date*, organization, context``
=================== ========== =====================================================================

``kinds`` are separated by ``;`` or ``|``; dates are ISO (``2024-03-12``); ``owner`` marks the
seller's own row with ``yes``; ``directed`` is ``yes``/``no``. Empty cells take the default.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path
from typing import IO, Any

from ..errors import DataError, StorageError, UnknownContactError
from ..models import Contact, Interaction, Mention, Record, Referral, Relationship, Role, Scorecard
from ..network import Network
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


def read_csv(folder: str | PathLike[str], *, owner: str | None = None, encoding: str = "utf-8") -> Network:
    """Read a network from a folder of CSV files (see the module documentation for columns).

    Only ``contacts.csv`` is required. ``owner`` names the seller's contact id when no row
    of ``contacts.csv`` is marked ``owner``. Every problem raises an error naming the file,
    the line and the field (and the value or contact id).

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

    roles: dict[str, list[Role]] = defaultdict(list)
    roles_path = folder / "roles.csv"
    if roles_path.exists():
        for line, row in table_rows(read_text(roles_path, encoding), roles_path, ROLE_COLUMNS[:2], ROLE_COLUMNS[2:]):
            contact = row.pop("contact")
            roles[contact].append(Role.parse(row, file=roles_path, line=line))

    net = Network(owner=owner)
    owners: list[str] = []
    text = read_text(contacts_path, encoding)
    for line, row in table_rows(text, contacts_path, CONTACT_COLUMNS[:2], CONTACT_COLUMNS[2:]):
        if _flag(row.pop("owner", ""), contacts_path, line, "owner"):
            owners.append(row["id"])
        contact_roles = roles.pop(row.get("id", ""), [])
        if contact_roles:
            row["roles"] = sorted(contact_roles, key=lambda r: (r.start is None, r.start or r.end))
        _add(net, Contact.parse(row, file=contacts_path, line=line), contacts_path, line)
    if roles:
        raise UnknownContactError(next(iter(roles)), f"contact of a role in {roles_path}")
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
        for line, row in table_rows(read_text(path, encoding), path, columns[:n_required], columns[n_required:]):
            if record_type is Relationship:
                row = _relationship_row(row, path, line)
            _add(net, record_type.parse(row, file=path, line=line), path, line)
    return net


def _add(net: Network, record: Record, path: Path, line: int) -> None:
    try:
        net.add(record)
    except UnknownContactError as err:
        raise UnknownContactError(err.contact, f"{err.where} in {path}, line {line}") from None
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
    return str(value)


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

    Cells are written as they are; names starting with ``=`` stay as given, so open the files
    in a spreadsheet with care (result tables' ``to_csv`` neutralise such cells).
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
