"""LinkedIn's ``Connections.csv`` export, as LinkedIn writes it.

The export opens with a few lines of notes before the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; it may carry a
byte-order mark and CRLF line ends, quoted commas, empty e-mails and names with accents; dates
look like ``12 Mar 2024``. The header is found, not skipped by a fixed count.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from os import PathLike
from pathlib import Path

from .._checks import path as path_of
from .._files import read_text
from ..errors import DataError, FileFormatError
from ..records.models import Contact, Relationship
from ..records.network import Network, as_of_date, check_not_future
from ._table import table_rows

__all__ = ["read_linkedin"]

COLUMNS = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
_SLUG = re.compile(r"linkedin\.com/in/([^/?#]+)", re.IGNORECASE)
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y")


def _date(value: str, path: Path, line: int) -> dt.date:
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DataError("expected a date like 12 Mar 2024", file=path, line=line, field="Connected On", value=value)


def _contact_id(row: dict[str, str], name: str, taken: set[str]) -> str:
    match = _SLUG.search(row.get("URL", ""))
    if match:
        return "li:" + match.group(1).lower()
    if "Email Address" in row:
        return "mail:" + row["Email Address"].lower()
    base = "name:" + re.sub(r"\s+", "-", name.lower())
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}-{k}", k + 1
    return candidate


def read_linkedin(
    path: str | PathLike[str],
    *,
    owner: str = "me",
    owner_name: str = "Me",
    encoding: str = "utf-8",
    as_of: dt.date | str | None = None,
) -> Network:
    """Read a LinkedIn ``Connections.csv`` into a network owned by ``owner``.

    Each connection becomes a contact (id from the profile URL, else the e-mail, else the
    name; organisation and title from Company and Position) and an ``acquaintance``
    relationship with the owner whose last interaction is the day you connected. An export
    with no connections is refused; with ``as_of``, so is a connection made after it.

    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "Connections.csv")
    >>> with open(path, "w", encoding="utf-8-sig", newline="") as fh:
    ...     _ = fh.write("Notes:\\r\\n\\"When exporting, some e-mails are hidden.\\"\\r\\n\\r\\n"
    ...                  "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\r\\n"
    ...                  "Zoë,Durand,https://www.linkedin.com/in/zoe-durand,,\\"Acme, Inc.\\",CTO,12 Mar 2024\\r\\n")
    >>> net = rg.read_linkedin(path)
    >>> c = net.contacts["li:zoe-durand"]
    >>> c.name, c.organization, net.relationships[0].last_interaction
    ('Zoë Durand', 'Acme, Inc.', datetime.date(2024, 3, 12))
    """
    path = path_of(path, "path")
    path = Path(path)
    day = as_of_date(as_of)
    text = read_text(path, encoding)
    lines = io.StringIO(text, newline="").readlines()  # lines as CSV counts them: not at U+2028 or NEL
    start = next(
        (k for k, line in enumerate(lines) if line.lstrip().lower().startswith("first name,last name")),
        None,
    )
    if start is None:
        raise FileFormatError(
            f"no header line {','.join(COLUMNS)!r} found; is this LinkedIn's Connections.csv?", file=path
        )
    net = Network(owner=owner)
    net.add(Contact(id=owner, name=owner_name))
    taken: set[str] = {owner}
    for line, row in table_rows("".join(lines[start:]), path, COLUMNS[:2], COLUMNS[2:],
                                first_line=start + 1, strict=False):
        row = {k: v.strip() for k, v in row.items()}
        name = " ".join(p for p in (row.get("First Name", ""), row.get("Last Name", "")) if p)
        if not name:
            match = _SLUG.search(row.get("URL", ""))
            name = match.group(1) if match else f"LinkedIn member (line {line})"
        contact_id = _contact_id(row, name, taken)
        if contact_id in taken:
            raise DataError("this connection appears twice in the export", file=path, line=line,
                            contact=contact_id)
        taken.add(contact_id)
        fields: dict[str, object] = {"id": contact_id, "name": name, "email": row.get("Email Address"),
                                     "title": row.get("Position")}
        if "Company" in row:
            fields["roles"] = [{"organization": row["Company"], "title": row.get("Position")}]
        connected = _date(row["Connected On"], path, line) if "Connected On" in row else None
        net.add(Contact.parse(fields, file=path, line=line))
        tie = Relationship(source=owner, target=contact_id, kind="acquaintance", last_interaction=connected)
        if day is not None:
            check_not_future(tie, day, file=path, line=line, field="Connected On")
        net.add(tie)
    if len(net.contacts) == 1:
        raise FileFormatError("no connections: the export has a header but no rows", file=path, line=start + 2)
    return net
