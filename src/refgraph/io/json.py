"""Versioned JSON storage of a whole :class:`~refgraph.Network`."""

from __future__ import annotations

import datetime as dt
import json
from os import PathLike
from typing import IO, Any

from .._files import atomic_write, read_text, remember_source, source_stamp, stamp
from ..errors import DataError, FileFormatError, UnknownContactError
from ..records.models import Contact, Interaction, Mention, Record, Referral, Relationship
from ..records.network import Network, as_of_date, check_not_future

__all__ = ["FORMAT", "VERSION", "load", "save"]

FORMAT = "refgraph-network"
#: The version this refgraph writes; files from a newer version are refused.
VERSION = 1
SECTIONS: dict[str, type[Record]] = {
    "contacts": Contact,
    "relationships": Relationship,
    "referrals": Referral,
    "interactions": Interaction,
    "mentions": Mention,
}


def to_dict(net: Network) -> dict[str, Any]:
    """The network as plain JSON-ready data (what :func:`save` writes)."""
    records = {
        "contacts": list(net.contacts.values()),
        "relationships": net.relationships,
        "referrals": net.referrals,
        "interactions": net.interactions,
        "mentions": net.mentions,
    }
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "owner": net.owner}
    if len(net.owners) > 1:  # a team
        data["owners"] = list(net.owners)
    for name, items in records.items():
        data[name] = [r.model_dump(mode="json", exclude_defaults=True) for r in items]
    return data


def save(net: Network, path: str | PathLike[str], *, overwrite: bool = False) -> None:
    """Write ``net`` to ``path`` as versioned JSON, atomically.

    The file is replaced whole or not at all: a failure half-way leaves the previous file
    untouched and no temporary file behind. Saving, loading and saving again gives the same
    bytes. Saves take turns under an advisory lock, and if ``net`` was loaded from ``path``
    and the file changed since (another process saved it), the save is refused with a
    :class:`~refgraph.errors.StorageError` unless ``overwrite=True``: nobody's work is lost
    silently (see the reliability notes).

    >>> import refgraph as rg, tempfile, os
    >>> net = rg.sample_network()
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> rg.save(net, path)
    >>> len(rg.load(path).contacts) == len(net.contacts)
    True
    """
    text = json.dumps(to_dict(net), ensure_ascii=False, indent=1) + "\n"

    def write(fh: IO[bytes]) -> None:
        fh.write(text.encode("utf-8"))

    remember_source(net, path, atomic_write(path, write, since=source_stamp(net, path, overwrite)))


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; a key given twice raises (json keeps the last one silently)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return data


def load(path: str | PathLike[str], *, as_of: dt.date | str | None = None) -> Network:
    """Read a network written by :func:`save`.

    A missing, truncated or corrupt file, a file of another format or of a newer version,
    and any invalid record raise a :class:`~refgraph.errors.RefgraphError` naming the file
    (and the line or the record). With ``as_of``, a relationship or interaction dated after
    it is refused.

    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> rg.save(rg.sample_network(), path)
    >>> rg.load(path, as_of="2024-06-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: ...net.json, field 'relationships[...].last_interaction' (value '2024-...'), \
contact '...': dated after as_of 2024-06-30 (a future-dated record); fix the date or pass a later as_of
    """
    day = as_of_date(as_of)
    taken = stamp(path)
    text = read_text(path)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as err:
        raise FileFormatError(f"the key {err.key!r} appears twice in one object; which one is meant is unclear, "
                              "so the file is refused (keep one)", file=path, field=err.key) from None
    except json.JSONDecodeError as err:
        raise FileFormatError(
            f"not valid JSON ({err.msg} at column {err.colno}); the file may be truncated or corrupt",
            file=path, line=err.lineno,
        ) from None
    except (ValueError, RecursionError) as err:  # a number too long to convert, nesting too deep
        raise FileFormatError(f"not readable as a network ({err})", file=path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileFormatError(f"not a refgraph network file (no \"format\": \"{FORMAT}\")", file=path)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise FileFormatError("the format version is missing or not a number", file=path, field="version")
    if version < 1:
        raise FileFormatError(f"unknown format version {version}", file=path, field="version", value=version)
    if version > VERSION:
        raise FileFormatError(
            f"written by a newer refgraph (format version {version}; this one reads up to {VERSION}); "
            "upgrade refgraph to read it",
            file=path, field="version", value=version,
        )
    unknown = set(data) - {"format", "version", "owner", "owners", *SECTIONS}
    if unknown:
        raise FileFormatError(f"unknown sections {sorted(unknown)}", file=path)
    owner = data.get("owner")
    if owner is not None and not isinstance(owner, str):
        raise FileFormatError("the owner must be a contact id", file=path, field="owner", value=owner)
    owners = data.get("owners", [])
    if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
        raise FileFormatError("owners must be a list of contact ids", file=path, field="owners", value=owners)
    net = Network(owner=owner, owners=owners)
    for section, record_type in SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            raise FileFormatError(f"{section!r} must be a list", file=path, field=section)
        for k, item in enumerate(items):
            where = f"{section}[{k}]"
            record = record_type.parse(item, file=path, where=where)
            if day is not None:
                check_not_future(record, day, file=path, where=where)
            try:
                net.add(record)
            except UnknownContactError as err:
                raise UnknownContactError(err.contact, f"{err.where} at {where} in {path}",
                                          suggestions=err.suggestions) from None
            except DataError as err:
                raise DataError(err.message, file=path, field=where, contact=err.contact) from None
    for who in net.owners:
        if who not in net.contacts:
            raise UnknownContactError(who, f"the owner named in {path}")
    remember_source(net, path, taken)
    return net
