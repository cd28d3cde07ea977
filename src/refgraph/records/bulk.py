"""Checking whole columns of records at once, with the errors one record at a time would give.

Readers of bulk data (CSV folders, Parquet, data frames) hand this module one Arrow table per
record kind as it arrived: text straight from a file, or typed columns from a data frame.
:func:`check_columns` turns them into the tables of :mod:`refgraph.records.columns` and checks every
column in one pass: required values, kinds and statuses, ranges, dates, unknown contacts,
duplicate ids and ties, referral cycles and records dated after ``as_of``.

A value in the ordinary form (``12``, ``0.5``, ``2024-03-12``, an ASCII id) is converted by
Arrow. Anything else, and every row that breaks a rule, is handed to its pydantic record, so
the value it ends with and the message it fails with are exactly those of building the record
by hand. Problems are collected rather than stopping at the first: the error raised is the
first one in file order and lists them all (see :func:`~refgraph.errors.collected`).

>>> import pyarrow as pa
>>> contacts = pa.table({"id": ["me", "ana"], "name": ["Sam Seller", "Ana Silva"]})
>>> rels = pa.table({"source": ["me", "me"], "target": ["ana", "zoe"], "kind": ["pal", "client"]})
>>> check_columns({"contacts": contacts, "relationships": rels})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
refgraph.errors.DataError: Relationship in relationships frame, row 0, field 'kind' (value 'pal'): Input should be \
'family', ... or 'prospect' (and 1 more problem: unknown contact 'zoe' (target of a relationship in relationships \
frame, row 1))
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SHOWN, DataError, RefgraphError, UnknownContactError, collected
from .acyclic import ReferralOrder, has_cycle
from .columns import KINDS, MODELS, SCHEMAS, row_of
from .models import (
    LATEST_DATE,
    MIN_TRUST,
    ContactKind,
    InteractionKind,
    ReferralStatus,
    RelationshipKind,
    Role,
    Scorecard,
    split_kinds,
)

__all__ = ["NO", "YES", "Origin", "check_columns", "end_bytes"]

# The records strip exactly these (pydantic: Unicode White_Space); Python's str.strip() would also
# take the separators \x1c-\x1f, which a record keeps.
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
         "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# Those spaces start with a byte up to 0x20 or from 0xc2 on in UTF-8, and end with one up to 0x20 or
# from 0x80 on: a column whose strings start and end between these has nothing to strip.
_INT = r"^(0|[1-9][0-9]{0,17})$"
_FLOAT = r"^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?$"
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: The words a yes/no column accepts (in any case).
YES = frozenset({"1", "true", "yes", "y", "x"})
NO = frozenset({"0", "false", "no", "n", ""})


@dataclass(frozen=True)
class Origin:
    """Where a table's rows came from: a file (with the line of each row, found when an error
    needs it) or a data frame (rows counted from 0)."""

    name: str
    lines: Callable[[], Sequence[int]] | None = None

    def at(self, row: int) -> dict[str, Any]:
        """``file`` and ``line`` keywords for an error about ``row``."""
        if self.lines is None:
            return {"file": f"{self.name}, row {row}", "line": None}
        return {"file": self.name, "line": int(self.lines()[row])}


@dataclass
class _Problems:
    found: list[tuple[int, int, RefgraphError]]

    def add(self, kind: str, row: int, error: RefgraphError) -> None:
        self.found.append((_ORDER[kind], row, error))


_ORDER = {"roles": 0, **{k: i + 1 for i, k in enumerate(KINDS)}}


# -- one column at a time ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    kind: str  # id, optional_id, name, text, optional, email, count, card, float, trust, value, date, day, enum, kinds, flag
    values: tuple[str, ...] = ()


def _enum(e: type[enum.Enum]) -> _Spec:
    return _Spec("enum", tuple(str(v) for v in e))


SPECS: Mapping[str, Mapping[str, _Spec]] = {
    "contacts": {"id": _Spec("id"), "name": _Spec("name"), "kinds": _Spec("kinds"), "organization": _Spec("optional"),
                 "title": _Spec("optional"), "email": _Spec("email"), "notes": _Spec("text")},
    "relationships": {
        "source": _Spec("id"), "target": _Spec("id"), "kind": _enum(RelationshipKind), "repeat_business": _Spec("count"),
        "response_hours": _Spec("float"), "candid_conversations": _Spec("count"), "last_interaction": _Spec("day"),
        **{f: _Spec("card") for f in Scorecard.FIELDS}, "trust": _Spec("trust"), "directed": _Spec("flag"),
        "evidence": _Spec("optional"), "their_response_hours": _Spec("float"),
    },
    "referrals": {"referrer": _Spec("id"), "referred": _Spec("id"), "date": _Spec("date"),
                  "status": _enum(ReferralStatus), "value": _Spec("value"), "via": _Spec("optional_id")},
    "interactions": {"contact": _Spec("id"), "date": _Spec("date"), "kind": _enum(InteractionKind), "note": _Spec("text")},
    "mentions": {"by": _Spec("id"), "name": _Spec("name"), "date": _Spec("date"), "organization": _Spec("optional"),
                 "context": _Spec("optional")},
}


def _buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Where each string of a text array ends (its start first) and the bytes they are cut from:
    numpy views of the array's own buffers."""
    _, offsets, data = chunk.buffers()
    wide = pa.types.is_large_string(chunk.type)
    ends = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32, count=len(chunk) + 1,
                         offset=chunk.offset * (8 if wide else 4))
    return ends, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _starts(chunk: pa.Array) -> np.ndarray:
    """The first byte of each string of a text array that has one; an empty or missing string may
    add the first byte of the next."""
    ends, data = _buffers(chunk)
    starts = ends[:-1]
    return data[starts[: np.searchsorted(starts, ends[-1])]]  # past the last string's end is padding


def _lasts(chunk: pa.Array) -> np.ndarray:
    """The last byte of each string of a text array that has one; an empty or missing string may
    add the last byte of the one before."""
    ends, data = _buffers(chunk)
    stops = ends[1:]
    return data[stops[np.searchsorted(stops, 0, side="right"):] - 1]


def end_bytes(column: pa.Array | pa.ChunkedArray, *, last: bool = True) -> tuple[int, int, int, int]:
    """The smallest and largest first byte and the smallest and largest last byte of the strings
    of a text column (an empty or missing string may count its neighbours'), read from the
    column's buffers without copying a string; ``(255, 0, 255, 0)`` when no string has a byte
    (and for the last bytes, unless ``last``).

    >>> end_bytes(pa.array(["ab", None, "'c "])), end_bytes(pa.array(["ab"]), last=False)
    ((39, 97, 32, 98), (97, 97, 255, 0))
    """
    found = [255, 0, 255, 0]
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        for k, ends in ((0, _starts(chunk)), *([(2, _lasts(chunk))] if last else [])):
            if len(ends):
                found[k], found[k + 1] = min(found[k], int(ends.min())), max(found[k + 1], int(ends.max()))
    return found[0], found[1], found[2], found[3]


def _has_x(column: pa.Array) -> bool:
    """Whether some string of a text array holds an ``x`` or ``X`` (as ``0x1F`` does)."""
    ends, data = _buffers(column)
    return bool(((data[ends[0]:ends[-1]] | 0x20) == ord("x")).any())


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = pc.binary_join(column, ";")
    return column if pa.types.is_string(column.type) else pc.cast(column, pa.string())


def _convert(spec: _Spec, column: pa.ChunkedArray | None, n: int, target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """The column converted to ``target`` and which rows were converted as the record would."""
    if column is None:
        column = pa.chunked_array([pa.nulls(n, pa.string())])
    if isinstance(column, pa.ChunkedArray):  # one chunk is taken as it is (combining would copy it)
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    present = np.asarray(pc.is_valid(column), dtype=bool)
    k = spec.kind
    if k == "flag" and pa.types.is_boolean(column.type):
        return pc.fill_null(column, False), np.ones(n, dtype=bool)
    if k in ("card", "count", "float", "trust", "value", "date", "day") and not pa.types.is_string(column.type):
        return _typed(spec, column, present, target)
    raw = _text(column)
    low, high, last_low, last_high = end_bytes(raw)  # only some of them can start or end a value with spaces
    spaced = low <= 0x20 or high >= 0xC2 or last_low <= 0x20 or last_high >= 0x80
    if k not in ("id", "name", "text", "optional", "email", "optional_id"):
        # only text fields are stripped by their record: other values with spaces around are its to judge
        converted, ok = _convert_text(spec, raw, present, n, target)
        if spaced:
            trimmed = pc.utf8_trim(raw, _SPACE)
            ok &= ~np.asarray(pc.fill_null(pc.not_equal(pc.binary_length(trimmed), pc.binary_length(raw)), False),
                              dtype=bool)
        return converted, ok
    return _convert_text(spec, pc.utf8_trim(raw, _SPACE) if spaced else raw, present, n, target)


def _convert_text(spec: _Spec, text: pa.Array, present: np.ndarray, n: int,
                  target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """A column of text (stripped as a record strips) converted to ``target``."""
    k = spec.kind
    if k in ("id", "name", "text", "optional", "email", "optional_id"):
        filled = np.asarray(pc.fill_null(pc.greater(pc.binary_length(text), 0), False), dtype=bool)
        if k == "text":
            return pc.fill_null(text, ""), np.ones(n, dtype=bool)
        ok = filled.copy() if k in ("id", "name") else np.ones(n, dtype=bool)
        if k not in ("id", "name"):  # blank optional text means "not given"
            text = pc.if_else(pa.array(filled), text, pa.scalar(None, pa.string()))
        if k in ("id", "optional_id"):  # other ids are left to the record to normalise
            ok &= np.asarray(pc.fill_null(pc.string_is_ascii(text), True), dtype=bool)
        if k == "email":
            ok &= np.asarray(pc.fill_null(pc.match_substring(text, "@"), True), dtype=bool)
        return text, ok
    if k == "enum":  # any case, spaces or hyphens for underscores, as the records read them; each distinct text once
        encoded = pc.dictionary_encode(text)
        names = pc.replace_substring_regex(pc.utf8_lower(pc.utf8_trim_whitespace(encoded.dictionary)), r"[\s-]+", "_")
        known = np.asarray(pc.is_in(names, value_set=pa.array(spec.values)), dtype=bool)
        codes = np.asarray(pc.fill_null(encoded.indices, -1), dtype=np.int64)
        return names.take(encoded.indices), np.append(known, False)[codes]
    if k in ("kinds", "flag"):
        return _by_unique(k, text, present)
    if k in ("date", "day"):
        found = _days_by_unique(text)
        if found is not None:
            return _finish(spec, found[0], found[1], present, target)
    number = pa.float64() if k in ("float", "trust", "value") else pa.int64()
    hexadecimal = number == pa.int64() and _has_x(text)
    if k not in ("date", "day") and not hexadecimal:  # Arrow reads 0x1F as 31, a record does not
        try:  # a column of plain numbers converts whole; the ranges are checked below
            return _finish(spec, pc.cast(text, number), np.ones(n, dtype=bool), present, target)
        except pa.ArrowInvalid:
            pass  # some value is not a plain number: find which below
    pattern = _DAY if k in ("date", "day") else _INT if k in ("card", "count") else _FLOAT
    ok = np.asarray(pc.fill_null(pc.match_substring_regex(text, pattern), False), dtype=bool)
    placeholder = "1970-01-01" if k in ("date", "day") else "0"
    safe = pc.if_else(pa.array(ok), text, placeholder)
    if k in ("date", "day"):
        stamps = pc.strptime(safe, format="%Y-%m-%d", unit="s", error_is_null=True)
        same = pc.equal(pc.cast(pc.cast(stamps, pa.date32()), pa.string()), safe)  # 2024-02-30 is not March 1st
        ok &= np.asarray(pc.fill_null(same, False), dtype=bool)
        values = pc.cast(pc.fill_null(stamps, 0), pa.date32())
    else:
        values = pc.cast(safe, number)
    return _finish(spec, values, ok, present, target)


def _days_by_unique(text: pa.Array) -> tuple[pa.Array, np.ndarray] | None:
    """Dates in ISO form, each distinct text read once (a column of dates repeats few days);
    ``None`` when the column holds too many distinct texts for that to pay."""
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) > max(1000, len(text) // 10):
        return None
    days: list[dt.date | None] = []
    for value in encoded.dictionary.to_pylist():
        try:
            days.append(dt.date.fromisoformat(value) if _ISO_DAY.fullmatch(value) else None)
        except ValueError:  # 2024-02-30
            days.append(None)
    codes = pc.fill_null(encoded.indices, 0)
    values = pa.array(days + [None], pa.date32()).take(pc.if_else(pc.is_valid(encoded.indices), codes, len(days)))
    return values, np.asarray(pc.is_valid(values), dtype=bool)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _typed(spec: _Spec, column: pa.Array, present: np.ndarray, target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """A typed column (numbers, dates) from a data frame: cast, then the same range checks."""
    numeric = pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
    dated = pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)
    if not (dated if spec.kind in ("date", "day") else numeric):  # true is not a trust of 1: the record says so
        return pa.nulls(len(column), target), np.zeros(len(column), dtype=bool)
    try:
        if spec.kind in ("date", "day"):
            values = pc.cast(column, pa.timestamp("s")) if pa.types.is_timestamp(column.type) else column
            values = pc.cast(values, pa.date32())
        else:
            wanted = pa.float64() if spec.kind in ("float", "trust", "value") else pa.int64()
            values = pc.cast(column, wanted)  # safe casts only: 2.5 is not a count
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.nulls(len(column), target), np.zeros(len(column), dtype=bool)
    return _finish(spec, values, present.copy(), present, target)


def _finish(spec: _Spec, values: pa.Array, ok: np.ndarray, present: np.ndarray,
            target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """Range checks on converted values; a missing value takes the record's default."""
    k = spec.kind
    # a missing value is NaN here and fails the checks, which only the present values are held to
    if k in ("date", "day"):
        valid = pc.cast(values, pa.int32()).to_numpy(zero_copy_only=False) <= _LAST_DAY
    else:
        number = values.to_numpy(zero_copy_only=False)
        low, high = _BOUNDS[k]
        valid = number >= (MIN_TRUST if k == "trust" else low)
        if high < np.inf:
            valid &= number <= high
        if number.dtype.kind == "f":  # infinity is no number of any field
            valid &= np.isfinite(number)
    ok = np.where(present, ok & valid, k != "date")  # a date a record must have goes to it to say so
    if values.null_count != len(present) - np.count_nonzero(present):  # a placeholder stands for a missing value
        values = pc.if_else(pa.array(present), values, pa.scalar(None, values.type))
    if k in _DEFAULTS and values.null_count:
        values = pc.fill_null(values, _DEFAULTS[k])
    return pc.cast(values, target), ok


_CONTACT_KINDS = {str(k) for k in ContactKind}
_BOUNDS = {"count": (0, np.inf), "card": (0, 10), "float": (0, np.inf), "value": (0, np.inf), "trust": (0, 1)}
_DEFAULTS: dict[str, Any] = {"count": 0, "value": 0.0}
_LAST_DAY = (LATEST_DATE - dt.date(1970, 1, 1)).days  # later dates are left to the record to refuse


def _by_unique(kind: str, text: pa.Array, present: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Columns with few distinct values (kinds, yes/no flags): each distinct value judged once."""
    encoded = pc.dictionary_encode(pc.fill_null(text, ""))
    uniques = encoded.dictionary.to_pylist()
    codes = np.asarray(encoded.indices, dtype=np.int64)
    if kind == "flag":
        lowered = [u.lower() for u in uniques]
        judged = [u in YES or u in NO for u in lowered]
        values = pa.array([u in YES for u in lowered], pa.bool_()).take(pa.array(codes))
        return values, np.asarray(judged, dtype=bool)[codes] | ~present
    parsed: list[list[str] | None] = []
    for u in uniques:
        parts = split_kinds(u)
        known = parts <= _CONTACT_KINDS
        parsed.append(sorted(parts) if known else None)
    values = pa.array([p or [] for p in parsed], pa.list_(pa.string())).take(pa.array(codes))
    return values, np.asarray([p is not None for p in parsed], dtype=bool)[codes] | ~present


def _records_table(kind: str, raw: pa.Table, origin: Origin, problems: _Problems,
                   prepare: Callable[[int, dict[str, Any]], dict[str, Any]] | None,
                   slow: np.ndarray | None = None) -> tuple[pa.Table, np.ndarray]:
    """``raw`` converted to ``kind``'s schema; returns the table and the raw row of each row."""
    n = raw.num_rows
    schema = SCHEMAS[kind]
    columns, ok = {}, np.ones(n, dtype=bool) if slow is None else ~slow
    for name, spec in SPECS[kind].items():
        column = raw.column(name) if name in raw.column_names else None
        columns[name], good = _convert(spec, column, n, schema.field(name).type)
        ok &= good
    if kind == "contacts":  # contacts with roles are made by their record, below
        columns["roles"] = pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, dtype=np.int32)),
                                                    pa.array([], schema.field("roles").type.value_type))
    ok &= _row_rules(kind, columns, n)
    table = pa.table([columns[f.name] for f in schema], schema=schema)
    slow_rows = np.flatnonzero(~ok)
    if not len(slow_rows):
        return table, np.arange(n)
    records, rows_ok = [], []
    for row, values in zip(slow_rows.tolist(), raw.take(pa.array(slow_rows)).to_pylist(), strict=True):
        data = _given(values)
        if kind == "relationships":
            card = {f: data.pop(f) for f in Scorecard.FIELDS if f in data}
            if card:
                data["scorecard"] = card
        try:
            if prepare is not None:
                data = prepare(row, data)
            records.append(row_of(MODELS[kind].parse(data, **origin.at(row))))
            rows_ok.append(row)
        except RefgraphError as err:
            problems.add(kind, row, err)
    fast = np.flatnonzero(ok)
    merged = pa.concat_tables([table.take(pa.array(fast)), pa.Table.from_pylist(records, schema=schema)])
    kept = np.concatenate([fast, np.asarray(rows_ok, dtype=np.int64)])
    order = np.argsort(kept, kind="stable")
    return merged.take(pa.array(order)), kept[order]


def _row_rules(kind: str, columns: Mapping[str, pa.Array], n: int) -> np.ndarray:
    """Rows that break a rule across fields, for their record to name (self-ties and the like)."""
    def same(a: str, b: str) -> np.ndarray:
        return np.asarray(pc.fill_null(pc.equal(columns[a], columns[b]), False), dtype=bool)

    if kind == "relationships":
        cards = np.array([np.asarray(pc.is_valid(columns[f]), dtype=bool) for f in Scorecard.FIELDS])
        return ~same("source", "target") & (cards.all(axis=0) | ~cards.any(axis=0))
    if kind == "referrals":
        return ~(same("referrer", "referred") | same("via", "referrer") | same("via", "referred"))
    return np.ones(n, dtype=bool)


# -- across records ---------------------------------------------------------------------------
_ROLES = {
    "relationships": (("source", "source of a relationship"), ("target", "target of a relationship")),
    "referrals": (("referrer", "referrer of a referral"), ("referred", "referred of a referral"), ("via", "via of a referral")),
    "interactions": (("contact", "contact of an interaction"),),
    "mentions": (("by", "by of a mention"),),
}
_DATED = {"relationships": ("last_interaction", "target"), "interactions": ("date", "contact")}


def check_columns(
    raw: Mapping[str, pa.Table],
    *,
    origins: Mapping[str, Origin] | None = None,
    as_of: dt.date | None = None,
    roles: pa.Table | None = None,
    prepare: Mapping[str, Callable[[int, dict[str, Any]], dict[str, Any]]] | None = None,
) -> dict[str, pa.Table]:
    """Check and convert one raw table per record kind into :mod:`refgraph.records.columns` tables.

    ``origins`` names where each kind's rows came from (default: ``"<kind> frame"``);
    ``roles`` is a table of roles (``contact``, ``organization``, ``title``, ``start``,
    ``end``) to attach to the contacts; ``prepare`` adapts a row a record must judge (the CSV
    reader turns its ``yes``/``no`` flags and scorecard columns into fields). Every problem found is raised
    together (see :func:`~refgraph.errors.collected`).
    """
    origins = {k: origins.get(k, Origin(f"{k} frame")) if origins else Origin(f"{k} frame") for k in (*KINDS, "roles")}
    prepare = prepare or {}
    problems = _Problems([])
    out: dict[str, pa.Table] = {}
    kept: dict[str, np.ndarray] = {}
    role_lists: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    if roles is not None:
        role_lists = _roles(roles, origins["roles"], problems)
    contacts = raw.get("contacts", pa.table({"id": pa.array([], pa.string())}))
    slow = None
    if role_lists and "id" in contacts.column_names:
        ids_raw = pc.utf8_trim(_text(contacts.column("id")), _SPACE)
        slow = np.asarray(pc.fill_null(pc.is_in(ids_raw, value_set=pa.array(list(role_lists))), False), dtype=bool)
    if "roles" in contacts.column_names:
        has = np.asarray(pc.fill_null(pc.greater(pc.list_value_length(contacts.column("roles")), 0), False), dtype=bool)
        slow = has if slow is None else slow | has

    def with_roles(row: int, data: dict[str, Any]) -> dict[str, Any]:
        given = role_lists.get(str(data.get("id", "")).strip())
        if given:
            data["roles"] = [role for _, role in given]
        return prepare["contacts"](row, data) if "contacts" in prepare else data

    out["contacts"], kept["contacts"] = _records_table("contacts", contacts, origins["contacts"], problems, with_roles, slow)
    ids = out["contacts"].column("id")
    _duplicates(ids, kept["contacts"], origins["contacts"], problems)
    everyone = ids
    if role_lists:
        missing = set(role_lists) - set(pc.unique(everyone).to_pylist())
        for contact in missing:
            first = role_lists[contact][0][0]
            problems.add("roles", first, UnknownContactError(contact, f"contact of a role in {_where(origins['roles'], first)}"))
    for kind in KINDS[1:]:
        if kind not in raw:
            continue
        table, rows = _records_table(kind, raw[kind], origins[kind], problems, prepare.get(kind))
        places: dict[str, np.ndarray] = {}
        alive = _known(kind, table, rows, out["contacts"], origins[kind], problems, places)
        if as_of is not None and kind in _DATED:
            alive &= _not_future(kind, table, rows, as_of, origins[kind], problems)
        if not alive.all():  # filtering copies every column
            table, rows = table.filter(pa.array(alive)), rows[alive]
        if kind == "relationships":
            table, rows = _unique_ties(table, rows, places["source"][alive], places["target"][alive], everyone,
                                       origins[kind], problems)
        if kind == "referrals":
            table, rows = _acyclic(table, rows, places["referrer"][alive], places["referred"][alive], everyone,
                                   origins[kind], problems)
        out[kind], kept[kind] = table, rows
    error = collected([e for _, _, e in sorted(problems.found, key=lambda p: (p[0], p[1]))])
    if error is not None:
        raise error
    for kind in out:
        out[kind] = out[kind].combine_chunks()
    return out


def _where(origin: Origin, row: int) -> str:
    place = origin.at(row)
    return place["file"] if place["line"] is None else f"{place['file']}, line {place['line']}"


def _roles(roles: pa.Table, origin: Origin, problems: _Problems) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Each contact's roles with the row they came from, each checked by :class:`Role` (roles
    are few: one record a row)."""
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for row, values in enumerate(roles.to_pylist()):
        data = _given(values)
        contact = str(data.pop("contact", "")).strip()
        try:
            found.setdefault(contact, []).append((row, Role.parse(data, **origin.at(row)).model_dump()))
        except RefgraphError as err:
            problems.add("roles", row, err)
    return found


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The cells of a row that hold something (a blank cell takes the record's default)."""
    return {k: v for k, v in values.items() if v is not None and not (isinstance(v, str) and not v.strip(" \t\r\n"))}


def _duplicates(ids: pa.ChunkedArray, rows: np.ndarray, origin: Origin, problems: _Problems) -> None:
    encoded = pc.dictionary_encode(ids).combine_chunks()
    codes = np.asarray(encoded.indices, dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    repeated = np.ones(len(codes), dtype=bool)
    repeated[first] = False
    for k in np.flatnonzero(repeated).tolist():
        problems.add("contacts", int(rows[k]), DataError("a contact with this id was already added",
                                                         **origin.at(int(rows[k])), contact=ids[k].as_py()))


def _known(kind: str, table: pa.Table, rows: np.ndarray, contacts: pa.Table, origin: Origin,
           problems: _Problems, places: dict[str, np.ndarray]) -> np.ndarray:
    """Rows naming only known contacts; ``places`` gets each id column's contact positions."""
    everyone = contacts.column("id")
    alive = np.ones(table.num_rows, dtype=bool)
    for column, role in _ROLES[kind]:
        values = table.column(column)
        found = pc.index_in(values, value_set=everyone)
        if not found.null_count:  # every row names a known contact
            places[column] = np.asarray(found, dtype=np.int64)
            continue
        from .lookup import suggestions_for

        places[column] = np.asarray(pc.fill_null(found, -1), dtype=np.int64)
        unknown = np.asarray(pc.and_(pc.is_valid(values), pc.is_null(found)), dtype=bool)
        for n, k in enumerate(np.flatnonzero(unknown & alive).tolist()):
            where = _where(origin, int(rows[k]))
            contact = values[k].as_py()
            close = (suggestions_for(contact, everyone.to_pylist(), contacts.column("name").to_pylist())
                     if n < SHOWN else [])  # only for the problems an error shows
            problems.add(kind, int(rows[k]), UnknownContactError(contact, f"{role} in {where}", suggestions=close))
        alive &= ~unknown
    return alive


def _not_future(kind: str, table: pa.Table, rows: np.ndarray, as_of: dt.date, origin: Origin,
                problems: _Problems) -> np.ndarray:
    field, contact = _DATED[kind]
    days = table.column(field)
    late = np.asarray(pc.fill_null(pc.greater(days, pa.scalar(as_of, pa.date32())), False), dtype=bool)
    for k in np.flatnonzero(late).tolist():
        problems.add(kind, int(rows[k]), DataError(
            f"dated after as_of {as_of} (a future-dated record); fix the date or pass a later as_of",
            **origin.at(int(rows[k])), field=field, value=str(days[k].as_py()), contact=table.column(contact)[k].as_py()))
    return ~late


def _unique_ties(table: pa.Table, rows: np.ndarray, s: np.ndarray, t: np.ndarray, everyone: pa.ChunkedArray,
                 origin: Origin, problems: _Problems) -> tuple[pa.Table, np.ndarray]:
    """Refuse a relationship whose tie (either way, when undirected) an earlier one holds;
    ``s`` and ``t`` are the positions of its contacts."""
    n = len(everyone)
    both = ~np.asarray(table.column("directed"), dtype=bool)
    keys = np.concatenate([s * n + t, (t * n + s)[both]])
    ordered = np.sort(keys)
    if not (ordered[1:] == ordered[:-1]).any():
        return table, rows
    record = np.arange(len(s))
    owner = np.concatenate([record, record[both]])
    turn = np.concatenate([np.zeros(len(s), np.int8), np.ones(int(both.sum()), np.int8)])
    order = np.lexsort((turn, owner, keys))
    keys, owner, turn = keys[order], owner[order], turn[order]
    return _refuse_repeats(table, rows, s, t, keys, owner, turn, everyone, origin, problems)


def _refuse_repeats(table: pa.Table, rows: np.ndarray, s: np.ndarray, t: np.ndarray, keys: np.ndarray,
                    owner: np.ndarray, turn: np.ndarray, everyone: pa.ChunkedArray, origin: Origin,
                    problems: _Problems) -> tuple[pa.Table, np.ndarray]:
    """Refuse, in row order as one at a time would, each row an earlier kept row holds a tie of.

    Only rows sharing an arc with another row can be refused, so only they are walked.
    """
    shared = np.zeros(len(keys), dtype=bool)
    shared[1:] |= keys[1:] == keys[:-1]
    shared[:-1] |= keys[1:] == keys[:-1]
    arcs_of: dict[int, list[tuple[int, int]]] = {}
    for key, rec, arc in zip(keys[shared].tolist(), owner[shared].tolist(), turn[shared].tolist(), strict=True):
        arcs_of.setdefault(rec, []).append((arc, key))
    holders: set[int] = set()
    alive = np.ones(len(s), dtype=bool)
    ids = everyone.to_pylist()
    for rec in sorted(arcs_of):
        arcs = sorted(arcs_of[rec])
        taken = [arc for arc, key in arcs if key in holders]
        if not taken:
            holders.update(key for _, key in arcs)
            continue
        u, v = (s[rec], t[rec]) if taken[0] == 0 else (t[rec], s[rec])
        problems.add("relationships", int(rows[rec]), DataError(
            f"a relationship {ids[u]!r} -> {ids[v]!r} was already added; merge the two into one",
            **origin.at(int(rows[rec])), contact=ids[s[rec]]))
        alive[rec] = False
    return table.filter(pa.array(alive)), rows[alive]


def _acyclic(table: pa.Table, rows: np.ndarray, a: np.ndarray, b: np.ndarray, everyone: pa.ChunkedArray,
             origin: Origin, problems: _Problems) -> tuple[pa.Table, np.ndarray]:
    """Refuse each referral that closes a cycle, the way adding them in order would; ``a`` and
    ``b`` are the positions of its referrer and referred."""
    if not has_cycle(a, b, len(everyone)):
        return table, rows
    order, alive = ReferralOrder(), np.ones(len(a), dtype=bool)
    referrers, referred = table.column("referrer").to_pylist(), table.column("referred").to_pylist()
    for k, (x, y) in enumerate(zip(referrers, referred, strict=True)):
        cycle = order.add(x, y)
        if cycle is not None:
            alive[k] = False
            problems.add("referrals", int(rows[k]), DataError(
                f"this referral closes a cycle of referrals: {' -> '.join(map(str, cycle))}", **origin.at(int(rows[k])),
                contact=x))
    return table.filter(pa.array(alive)), rows[alive]
