"""Reading and writing networks: JSON storage, CSV folders, LinkedIn exports, GraphML and GEXF,
and trust signals from mail, calendars, address books and CRM exports.

Readers are the only code in refgraph that touches files. Every reader raises a
:class:`~refgraph.errors.RefgraphError` naming the file, line and field of a problem; every
writer replaces its file atomically.
"""

from __future__ import annotations

import datetime as dt
from os import PathLike
from pathlib import Path

from .._checks import path as path_of
from ..errors import StorageError
from ..records.network import Network, as_network
from . import json as _json
from .calendar import read_calendar
from .crm import read_crm
from .csv import read_csv, write_csv
from .frames import from_frames
from .graphml import read_graphml, write_gexf, write_graphml
from .linkedin import read_linkedin
from .mail import read_mail
from .parquet import load_parquet, save_parquet
from .vcard import read_vcard

__all__ = [
    "from_frames", "load", "load_parquet", "read_calendar", "read_crm", "read_csv", "read_graphml", "read_linkedin",
    "read_mail", "read_network", "read_vcard", "save", "save_parquet", "write_csv", "write_gexf", "write_graphml",
]


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet" or (path.is_dir() and (path / "manifest.json").exists())


def save(net: Network, path: str | PathLike[str], *, overwrite: bool = False) -> None:
    """Save ``net`` at ``path``: a folder of Parquet files when the name ends in ``.parquet``
    (:func:`save_parquet`, for networks of any size), versioned JSON otherwise
    (:func:`refgraph.io.json.save`, small and human-readable). Either replaces the previous
    copy whole or not at all, and refuses to replace a copy changed since ``net`` was loaded
    from it unless ``overwrite=True`` (saves take turns under an advisory lock).

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> for name in ("net.json", "net.parquet"):
    ...     rg.save(rg.sample_network(), os.path.join(folder, name))
    >>> sorted(os.listdir(folder)), rg.load(os.path.join(folder, "net.parquet")).owner
    (['net.json', 'net.parquet'], 'me')
    """
    net = as_network(net)
    path = Path(path)
    (save_parquet if path.suffix.lower() == ".parquet" else _json.save)(net, path, overwrite=overwrite)


def load(path: str | PathLike[str], *, as_of: dt.date | str | None = None) -> Network:
    """Read a network written by :func:`save`, JSON or Parquet (told apart by the path)."""
    path = path_of(path, "path")
    path = Path(path)
    return (load_parquet if _is_parquet(path) else _json.load)(path, as_of=as_of)


def read_network(path: str | PathLike[str], *, owner: str | None = None, encoding: str = "utf-8") -> Network:
    """Read a network from whatever ``path`` is: a CSV folder, a saved ``.json`` or
    ``.parquet`` network, or a LinkedIn ``Connections.csv`` export (owned by ``owner``, ``"me"`` by default).

    ``encoding`` is the CSV files' text encoding (``"cp1252"`` for a file saved by Excel on
    Windows, for example); saved JSON is always UTF-8.

    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> rg.sample_network().save(path)
    >>> rg.read_network(path).owner
    'me'
    """
    path = path_of(path, "path")
    path = Path(path)
    if _is_parquet(path):
        return load_parquet(path)
    if path.is_dir():
        return read_csv(path, owner=owner, encoding=encoding)
    if path.suffix.lower() == ".json":
        return load(path)
    if path.suffix.lower() == ".csv":
        return read_linkedin(path, owner=owner or "me", encoding=encoding)
    if not path.exists():
        raise StorageError(f"{path}: no such file or folder")
    raise StorageError(f"{path}: expected a CSV folder, a .json network or a LinkedIn .csv export")
