"""A network as a folder of CSV files, as people keep it in a spreadsheet or a CRM export.

Each file starts with a header; ``*`` marks the required columns, the others may be left out.

- ``contacts.csv`` (required): ``id*``, ``name*``, ``kinds``, ``organization``, ``title``,
  ``email``, ``notes``, ``owner``.
- ``roles.csv``: ``contact*``, ``organization*``, ``title``, ``start``, ``end``.
- ``relationships.csv``: ``source*``, ``target*``, ``kind*``, ``repeat_business``,
  ``response_hours``, ``candid_conversations``, ``last_interaction``, ``liking``,
  ``reciprocity``, ``credibility``, ``commitment``, ``trust``, ``directed``, ``evidence``,
  ``their_response_hours``.
- ``referrals.csv``: ``referrer*``, ``referred*``, ``date*``, ``status*``, ``value``, ``via``.
- ``interactions.csv``: ``contact*``, ``date*``, ``kind*``, ``note``.
- ``mentions.csv``: ``by*``, ``name*``, ``date*``, ``organization``, ``context``.

``kinds`` are separated by ``;`` or ``|``; dates are ISO (``2024-03-12``); ``owner`` marks the
seller's own row with ``yes`` (a team marks every seller's row); ``directed`` is ``yes``/``no``. Empty cells take the default.

The files are safe to open in a spreadsheet: :func:`write_csv` puts a ``'`` in front of text
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab, CR or
LF, as OWASP advises) and of text that starts with ``'`` itself; :func:`read_csv` takes one
leading ``'`` off again, as a spreadsheet does, so nothing is lost in a round trip.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .._checks import path as path_of
from .._files import atomic_folder, decode_text, read_bytes, remember_source, source_stamp, stamp
from ..errors import DataError, FileFormatError, StorageError, UnknownContactError
from ..records.bulk import NO, YES, Origin, end_bytes
from ..records.models import Interaction, Mention, Record, Referral, Relationship, Scorecard
from ..records.network import Network, as_network
from ._table import check_header, first_row, row_lines, table_rows

__all__ = ["read_csv", "write_csv"]

CONTACT_COLUMNS = ("id", "name", "kinds", "organization", "title", "email", "notes", "owner")
ROLE_COLUMNS = ("contact", "organization", "title", "start", "end")
RELATIONSHIP_COLUMNS = (
    "source", "target", "kind", "repeat_business", "response_hours", "candid_conversations",
    "last_interaction", *Scorecard.FIELDS, "trust", "directed", "evidence", "their_response_hours",
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


#: Each table's columns by kind (roles included), and how many leading ones are required.
COLUMNS: dict[str, tuple[tuple[str, ...], int]] = {
    "contacts": (CONTACT_COLUMNS, 2),
    "roles": (ROLE_COLUMNS, 2),
    **{name.removesuffix(".csv"): (columns, n) for name, (_, columns, n) in TABLES.items()},
}


def _utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:  # the decoder names it
        return False


def _flag(value: str, path: Any, line: int | None, field: str) -> bool:
    lowered = value.strip().lower()
    if lowered in YES or lowered in NO:
        return lowered in YES
    raise DataError("expected yes or no", file=path, line=line, field=field, value=value)


def read_csv(
    folder: str | PathLike[str],
    *,
    owner: str | None = None,
    encoding: str = "utf-8",
    as_of: dt.date | str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Network:
    """Read a network from a folder of CSV files (see the module documentation for columns).

    Only ``contacts.csv`` is required, and it must hold at least one contact. ``owner`` names
    the seller's contact id when no row of ``contacts.csv`` is marked ``owner``. With
    ``as_of``, a relationship or interaction dated after it is refused. ``columns`` renames
    the columns of the files (``{"Email Address": "email"}``) before they are read.

    The files are read by Arrow and checked a column at a time (see :mod:`refgraph.records.bulk`).
    Every problem is named by file, line and field (and the value or contact id); all of
    them are collected, the first one raised with the others counted in its message and
    listed in its ``errors``.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> rg.write_csv(rg.sample_network(), folder)
    >>> net = rg.read_csv(folder)
    >>> len(net.contacts) == len(rg.sample_network().contacts)
    True
    """
    folder = path_of(folder, "folder")
    if columns is not None and not isinstance(columns, Mapping):
        raise DataError("columns must map each file's column name to refgraph's, e.g. {'Email Address': 'email'}",
                        field="columns", value=columns)
    folder = Path(folder)
    if not folder.is_dir():
        raise StorageError(f"{folder}: not a folder (read_csv expects a folder holding contacts.csv)")
    contacts_path = folder / "contacts.csv"
    if not contacts_path.exists():
        raise StorageError(f"{contacts_path}: missing; a CSV network needs at least contacts.csv")
    taken = stamp(folder)  # so that write_csv refuses to replace a folder changed since
    files = {kind: (f"{kind}.csv", columns, n) for kind, (columns, n) in COLUMNS.items()}
    raw: dict[str, pa.Table] = {}
    origins: dict[str, Origin] = {}
    for kind, (name, all_columns, n_required) in files.items():
        if (folder / name).exists():
            raw[kind], origins[kind] = _read_table(folder / name, encoding, all_columns, n_required, columns or {})
    contacts = raw["contacts"]
    if not contacts.num_rows:
        raise FileFormatError("no contacts: the file has a header but no rows", file=contacts_path, line=2)
    owners = owners_marked(contacts, origins["contacts"], owner, contacts_path)
    if "owner" in contacts.column_names:
        raw["contacts"] = contacts.drop_columns(["owner"])
    rel_origin = origins.get("relationships")

    def relationship(row: int, data: dict[str, Any]) -> dict[str, Any]:
        return _relationship_row(data, rel_origin.name if rel_origin else "", (rel_origin.at(row)["line"]
                                                                                if rel_origin else None))

    try:
        net = Network.from_tables(raw, owners=owners or ([owner] if owner else []), as_of=as_of, roles=raw.pop("roles", None),
                                  origins=origins, prepare={"relationships": relationship})
    except UnknownContactError as err:
        if err.contact == owner and not owners and "owner" in err.where:
            raise UnknownContactError(owner, f"the owner passed to read_csv is not in {contacts_path}") from None
        raise
    remember_source(net, folder, taken)
    return net


def _relationship_row(row: dict[str, Any], path: Any, line: int | None) -> dict[str, Any]:
    if "directed" in row:
        row["directed"] = _flag(row["directed"], path, line, "directed")
    return row


def owners_marked(contacts: pa.Table, origin: Origin, owner: str | None = None, file: Any = None) -> list[str]:
    """The ids of the rows marked ``owner`` (several: a team); a mark that is neither yes nor no
    is refused, and so is an ``owner`` given besides that is not among them."""
    marked = _marked(contacts, origin)
    if marked and owner is not None and owner not in marked:
        raise DataError(f"more than one owner: {', '.join(sorted({*marked, owner}))}", file=file, field="owner")
    return marked


def _marked(contacts: pa.Table, origin: Origin) -> list[str]:
    if "owner" not in contacts.column_names:
        return []
    marks = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(contacts.column("owner"), "")))
    unclear = pc.invert(pc.is_in(marks, value_set=pa.array(sorted(YES | NO))))
    first = pc.index(unclear, True).as_py()
    if first >= 0:
        raise DataError("expected yes or no", **origin.at(first), field="owner",
                        value=contacts.column("owner")[first].as_py())
    picked = pc.is_in(marks, value_set=pa.array(sorted(YES)))
    return [str(c).strip() for c in contacts.column("id").filter(picked).to_pylist()]


def _arrow_csv(data: bytes, names: list[str]) -> pa.Table:
    """CSV ``data`` (its header skipped) as a table of text, an empty cell null; read by Arrow in one
    block up to a gigabyte, so that each column comes in one piece (joining pieces copies every string)."""
    return pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=min(len(data) + 1, 1 << 30)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), null_values=[""],
                                             strings_can_be_null=True, quoted_strings_can_be_null=True),
    )


def _read_table(path: Path, encoding: str, columns: tuple[str, ...], n_required: int,
                renamed: Mapping[str, str]) -> tuple[pa.Table, Origin]:
    """One file as a table of text (a blank cell is null, the ``'`` write_csv adds taken off)
    and the way to the line of each of its rows."""
    data = read_bytes(path)
    text = None  # ASCII bytes are their own UTF-8: then the text is decoded only when an error needs it
    if not (_utf8(encoding) and data.isascii()):
        text = decode_text(data, path, encoding)
        data = text.encode("utf-8")

    def full_text() -> str:
        return text if text is not None else data.decode("ascii")

    header = first_row(data if text is None else text, path)
    if header is not None:
        header = [renamed.get(h.strip(), h) for h in header]
    names = check_header(header, path, columns[:n_required], columns[n_required:])
    try:
        if data.count(b'"') % 2:  # a quote left open: Arrow would read on to the end of the file
            raise pa.ArrowInvalid("unbalanced quotes")
        table = _arrow_csv(data, names)
        lines: list[int] | None = None

        def find_lines() -> list[int]:
            nonlocal lines
            if lines is None:
                lines = list(np.asarray(row_lines(full_text(), path)[1:])[filled])
            return lines
    except (pa.ArrowInvalid, pa.ArrowException):  # ragged rows, bad quotes: the exact reader names the line
        numbered = list(table_rows(full_text(), path, columns[:n_required], columns[n_required:], renamed=renamed))
        table = pa.Table.from_pylist([row for _, row in numbered], schema=pa.schema([(c, pa.string()) for c in names]))
        found = [line for line, _ in numbered]

        def find_lines() -> list[int]:
            return found
    cleaned, filled = {}, np.zeros(table.num_rows, dtype=bool)  # filled: rows with a cell holding something
    apostrophes = b"'" in data
    for name in names:
        cells = table.column(name)
        if end_bytes(cells, last=False)[0] <= ord(" "):  # a cell may hold spaces alone: as blank as an empty one
            given = pc.fill_null(pc.greater(pc.binary_length(pc.utf8_trim(cells, " \t\r\n")), 0), False)
            cells = pc.if_else(given, cells, pa.scalar(None, pa.string()))
        quoted = pc.starts_with(cells, "'") if apostrophes else None
        if quoted is not None and pc.any(quoted).as_py():
            cells = pc.if_else(quoted, pc.utf8_slice_codeunits(cells, 1), cells)
        if not filled.all():
            filled |= np.asarray(pc.is_valid(cells), dtype=bool)
        cleaned[name] = cells
    table = pa.table(cleaned) if filled.all() else pa.table(cleaned).filter(pa.array(filled))
    return table.select([c for c in names if c in columns]), Origin(str(path), find_lines)


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
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        columns = list(columns)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])


def write_csv(net: Network, folder: str | PathLike[str], *, overwrite: bool = False) -> None:
    """Write ``net`` as the folder of CSV files that :func:`read_csv` reads, atomically.

    Text a spreadsheet would run as a formula is written with a leading ``'`` (see the module
    documentation); :func:`read_csv` reads it back as it was. The files are written into a
    new folder that then takes the place of ``folder`` in one step, so a reader finds all the
    old files or all the new ones, whenever the save stops (see
    :func:`refgraph._files.atomic_folder`); other files in ``folder`` are kept. As for
    :func:`~refgraph.io.save`, a folder changed since ``net`` was read from it is replaced
    only with ``overwrite=True``.

    >>> import refgraph as rg, tempfile
    >>> net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="=cmd|' /C calc'!A0")])
    >>> folder = Path(tempfile.mkdtemp())
    >>> rg.write_csv(net, folder)
    >>> (folder / "contacts.csv").read_text(encoding="utf-8").splitlines()[1]
    "me,'=cmd|' /C calc'!A0,,,,,,yes"
    >>> rg.read_csv(folder).contacts["me"].name
    "=cmd|' /C calc'!A0"
    """
    net = as_network(net)
    folder = Path(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(f"{folder}: cannot create the folder ({err.strerror or err})") from None
    stamp = atomic_folder(folder, lambda fresh: _write_tables(net, fresh), since=source_stamp(net, folder, overwrite))
    remember_source(net, folder, stamp)


def _write_tables(net: Network, folder: Path) -> None:
    contacts = list(net.contacts.values())
    _write_table(folder / "contacts.csv", CONTACT_COLUMNS, (
        {**c.model_dump(exclude={"roles"}), "owner": c.id in net.owners} for c in contacts
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
        dump: Callable[[Any], dict[str, Any]] = flatten.get(record_type, lambda r: r.model_dump())
        _write_table(folder / name, columns, (dump(r) for r in sources[record_type]))
