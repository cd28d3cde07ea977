"""Reading and writing networks: JSON storage, CSV folders, LinkedIn exports, GraphML and GEXF,
and trust signals from mail, calendars, address books and CRM exports.

Readers are the only code in refgraph that touches files. Every reader raises a
:class:`~refgraph.errors.RefgraphError` naming the file, line and field of a problem; every
writer replaces its file atomically.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from ..errors import StorageError
from ..network import Network
from .calendar import read_calendar
from .crm import read_crm
from .csv import read_csv, write_csv
from .graphml import read_graphml, write_gexf, write_graphml
from .json import load, save
from .linkedin import read_linkedin
from .mail import read_mail
from .vcard import read_vcard

__all__ = [
    "load", "read_calendar", "read_crm", "read_csv", "read_graphml", "read_linkedin", "read_mail", "read_network", "read_vcard", "save", "write_csv", "write_gexf",
    "write_graphml",
]


def read_network(path: str | PathLike[str], *, owner: str | None = None) -> Network:
    """Read a network from whatever ``path`` is: a CSV folder, a saved ``.json``, or a
    LinkedIn ``Connections.csv`` export (owned by ``owner``, ``"me"`` by default).

    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> rg.sample_network().save(path)
    >>> rg.read_network(path).owner
    'me'
    """
    path = Path(path)
    if path.is_dir():
        return read_csv(path, owner=owner)
    if path.suffix.lower() == ".json":
        return load(path)
    if path.suffix.lower() == ".csv":
        return read_linkedin(path, owner=owner or "me")
    if not path.exists():
        raise StorageError(f"{path}: no such file or folder")
    raise StorageError(f"{path}: expected a CSV folder, a .json network or a LinkedIn .csv export")
