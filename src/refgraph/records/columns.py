"""Every record kind as Arrow columns: the one schema that storage, frames and Spark share.

A :class:`~refgraph.Network` keeps its records as Apache Arrow tables, one per kind, with the
columns below; Parquet files, :meth:`Network.to_frames <refgraph.Network.to_frames>` and
``refgraph.spark`` all use the same names and types. A record and its row convert into each
other without loss:

- ``contacts``: ``id``, ``name``, ``kinds`` (a sorted list of kind names), ``organization``,
  ``title``, ``email``, ``notes`` and ``roles`` (a list of ``organization``, ``title``,
  ``start``, ``end``, oldest first);
- ``relationships``: ``source``, ``target``, ``kind``, ``repeat_business``,
  ``response_hours``, ``candid_conversations``, ``last_interaction``, the scorecard's
  ``liking``, ``reciprocity``, ``credibility`` and ``commitment`` (all four, or none),
  ``trust``, ``directed`` and ``evidence``;
- ``referrals``: ``referrer``, ``referred``, ``date``, ``status``, ``value``, ``via``;
- ``interactions``: ``contact``, ``date``, ``kind``, ``note``;
- ``mentions``: ``by``, ``name``, ``date``, ``organization``, ``context``.

Dates are Arrow ``date32``, counts ``int64``, the scorecard ``int8``, other numbers
``float64``; a missing optional value is null.

>>> import refgraph as rg
>>> rel = rg.Relationship(source="me", target="ana", kind="client", repeat_business=2)
>>> table = to_table("relationships", [rel])
>>> table.column("repeat_business").to_pylist(), table.column("liking").to_pylist()
([2], [None])
>>> to_records("relationships", table) == [rel]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from .models import Contact, Interaction, Mention, Record, Referral, Relationship, Scorecard

__all__ = ["KINDS", "MODELS", "SCHEMAS", "empty_table", "record_of", "row_of", "to_records", "to_table"]

#: The record kinds in the order they are read and checked: contacts first.
KINDS = ("contacts", "relationships", "referrals", "interactions", "mentions")

MODELS: Mapping[str, type[Record]] = {
    "contacts": Contact,
    "relationships": Relationship,
    "referrals": Referral,
    "interactions": Interaction,
    "mentions": Mention,
}

_TEXT = pa.string()
_DATE = pa.date32()
ROLE = pa.struct([("organization", _TEXT), ("title", _TEXT), ("start", _DATE), ("end", _DATE)])

SCHEMAS: Mapping[str, pa.Schema] = {
    "contacts": pa.schema([
        ("id", _TEXT), ("name", _TEXT), ("kinds", pa.list_(_TEXT)), ("organization", _TEXT),
        ("title", _TEXT), ("email", _TEXT), ("notes", _TEXT), ("roles", pa.list_(ROLE)),
    ]),
    "relationships": pa.schema([
        ("source", _TEXT), ("target", _TEXT), ("kind", _TEXT), ("repeat_business", pa.int64()),
        ("response_hours", pa.float64()), ("candid_conversations", pa.int64()), ("last_interaction", _DATE),
        *((name, pa.int8()) for name in Scorecard.FIELDS),
        ("trust", pa.float64()), ("directed", pa.bool_()), ("evidence", _TEXT),
        ("their_response_hours", pa.float64()),
    ]),
    "referrals": pa.schema([
        ("referrer", _TEXT), ("referred", _TEXT), ("date", _DATE), ("status", _TEXT),
        ("value", pa.float64()), ("via", _TEXT),
    ]),
    "interactions": pa.schema([("contact", _TEXT), ("date", _DATE), ("kind", _TEXT), ("note", _TEXT)]),
    "mentions": pa.schema([
        ("by", _TEXT), ("name", _TEXT), ("date", _DATE), ("organization", _TEXT), ("context", _TEXT),
    ]),
}


def row_of(record: Record) -> dict[str, Any]:
    """A record as one row of its kind's table (plain values, the scorecard spread out)."""
    row = record.model_dump()
    if isinstance(record, Relationship):
        card = row.pop("scorecard")
        row.update(card or dict.fromkeys(Scorecard.FIELDS))
    return {k: str(v) if isinstance(v, str) else v for k, v in row.items()}  # enum members as plain text


def record_of(kind: str, row: Mapping[str, Any]) -> Record:
    """The record a row of ``kind`` holds (the inverse of :func:`row_of`)."""
    data = {k: v for k, v in row.items() if v is not None}
    if kind == "relationships":
        card = {f: data.pop(f) for f in Scorecard.FIELDS if f in data}
        if card:
            data["scorecard"] = card
    return MODELS[kind].model_validate(data)


def empty_table(kind: str) -> pa.Table:
    """A table of ``kind`` with no rows."""
    return SCHEMAS[kind].empty_table()


def to_table(kind: str, records: Iterable[Record]) -> pa.Table:
    """The records (all of ``kind``) as one Arrow table."""
    return pa.Table.from_pylist([row_of(r) for r in records], schema=SCHEMAS[kind])


def to_records(kind: str, table: pa.Table) -> list[Record]:
    """The records a table of ``kind`` holds, one model per row."""
    return [record_of(kind, row) for row in table.to_pylist()]

