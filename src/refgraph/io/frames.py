"""A network from data frames: pandas, polars, Arrow, or anything that speaks Arrow's stream protocol.

:func:`from_frames` is the bridge to the databases a user already has (a SQL result becomes a
data frame, the frame a network); :meth:`Network.to_frames <refgraph.Network.to_frames>` gives
the Arrow tables back, and ``from_frames(**net.to_frames(), owner=net.owner)`` is the same
network. Columns are those of :mod:`refgraph.records.columns` (a CSV folder's columns work too, as
text); ``columns`` renames others first, so a CRM export's ``Email Address`` can be ``email``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import DataError, FileFormatError
from ..records.bulk import Origin
from ..records.columns import SCHEMAS
from ..records.network import Network
from ._table import check_header
from .csv import COLUMNS, owners_marked

__all__ = ["from_frames"]


def _arrow(frame: Any, kind: str) -> pa.Table:
    """``frame`` as an Arrow table, without a copy where Arrow allows."""
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    if hasattr(frame, "__arrow_c_stream__") or isinstance(frame, Mapping):
        return pa.table(frame)
    if type(frame).__module__.startswith("pandas"):
        return pa.Table.from_pandas(frame, preserve_index=False)
    raise DataError(f"expected a data frame or an Arrow table, got {type(frame).__name__}", field=kind)


def from_frames(
    *,
    contacts: Any,
    relationships: Any = None,
    referrals: Any = None,
    interactions: Any = None,
    mentions: Any = None,
    roles: Any = None,
    owner: str | None = None,
    columns: Mapping[str, Any] | None = None,
    as_of: dt.date | str | None = None,
) -> Network:
    """A network from one data frame per record kind, checked a column at a time.

    Each frame may be a pandas or polars DataFrame, an Arrow table or record batch, a dict of
    columns, or any object with ``__arrow_c_stream__``. ``columns`` renames columns before
    they are read: one mapping for every frame (``{"Email Address": "email"}``) or one per
    kind (``{"contacts": {...}}``). ``owner`` is the seller's id (or mark a contact with an
    ``owner`` column of yes/no). A problem in any row is named by frame, row (counted from 0)
    and field; every problem is collected (see :mod:`refgraph.records.bulk`).

    >>> import pyarrow as pa
    >>> net = rg.from_frames(
    ...     contacts={"id": ["me", "ana"], "Full name": ["Sam Seller", "Ana Silva"]},
    ...     relationships={"source": ["me"], "target": ["ana"], "kind": ["client"], "trust": [0.8]},
    ...     owner="me", columns={"Full name": "name"})
    >>> net.trust_graph().trust("me", "ana")
    0.8
    >>> same = rg.from_frames(**net.to_frames(), owner=net.owner)
    >>> all(same.table(k).equals(net.table(k)) for k in net.to_frames())
    True
    """
    given = {"contacts": contacts, "relationships": relationships, "referrals": referrals,
             "interactions": interactions, "mentions": mentions, "roles": roles}
    tables: dict[str, pa.Table] = {}
    for kind, frame in given.items():
        if frame is None:
            continue
        table = _arrow(frame, kind)
        renamed = dict(columns.get(kind, {})) if columns and kind in columns else dict(columns or {})
        names = [renamed.get(name, name) for name in table.column_names]
        known, n_required = COLUMNS[kind]
        extra = ("roles",) if kind == "contacts" else ()
        check_header(names, Path(f"{kind} frame"), known[:n_required], (*known[n_required:], *extra), first_line=None)
        tables[kind] = table.rename_columns(names)
    marked = owners_marked(tables["contacts"], Origin("contacts frame"), owner, "contacts frame")
    if "owner" in tables["contacts"].column_names:
        tables["contacts"] = tables["contacts"].drop_columns(["owner"])
    if not tables["contacts"].num_rows and any(t.num_rows for t in tables.values()):
        raise FileFormatError("no contacts: the records name contacts that are not there", file="contacts frame")
    roles_table = tables.pop("roles", None)
    origins = {kind: Origin(f"{kind} frame") for kind in (*SCHEMAS, "roles")}
    return Network.from_tables(tables, owners=marked or ([owner] if owner else []), as_of=as_of, roles=roles_table,
                               origins=origins)
