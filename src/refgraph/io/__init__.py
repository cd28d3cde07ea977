"""Reading and writing networks: JSON storage, CSV folders, LinkedIn exports, GraphML and GEXF.

Readers are the only code in refgraph that touches files. Every reader raises a
:class:`~refgraph.errors.RefgraphError` naming the file, line and field of a problem; every
writer replaces its file atomically.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from ..errors import StorageError
from ..network import Network
from .csv import read_csv, write_csv
from .graphml import read_graphml, write_gexf, write_graphml
from .json import load, save
from .linkedin import read_linkedin

__all__ = [
    "load", "read_csv", "read_graphml", "read_linkedin", "read_network", "save", "write_csv", "write_gexf",
    "write_graphml",
]


def read_network(path: str | PathLike[str], *, owner: str | None = None, encoding: str = "utf-8") -> Network:
    """Read a network from whatever ``path`` is: a CSV folder, a saved ``.json``, or a
    LinkedIn ``Connections.csv`` export (owned by ``owner``, ``"me"`` by default).

    ``encoding`` is the CSV files' text encoding (``"cp1252"`` for a file saved by Excel on
    Windows, for example); saved JSON is always UTF-8.

    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> rg.sample_network().save(path)
    >>> rg.read_network(path).owner
    'me'
    """
    path = Path(path)
    if path.is_dir():
        return read_csv(path, owner=owner, encoding=encoding)
    if path.suffix.lower() == ".json":
        return load(path)
    if path.suffix.lower() == ".csv":
        return read_linkedin(path, owner=owner or "me", encoding=encoding)
    if not path.exists():
        raise StorageError(f"{path}: no such file or folder")
    raise StorageError(f"{path}: expected a CSV folder, a .json network or a LinkedIn .csv export")
