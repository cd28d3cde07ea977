"""Columnar storage of a whole :class:`~refgraph.Network`: a folder of Parquet files.

``save(net, "net.parquet")`` writes a folder named ``net.parquet`` holding one Parquet file per
record kind (``contacts.parquet``, ``relationships.parquet`` ...; the columns of
:mod:`refgraph.records.columns`) and a small ``manifest.json`` with the format, its version and the
owner. pandas, polars, DuckDB and Spark read the files directly::

    pandas.read_parquet("net.parquet/relationships.parquet")
    duckdb.sql("select kind, count(*) from 'net.parquet/relationships.parquet' group by kind")
    spark.read.parquet("net.parquet/relationships.parquet")

A save writes the new folder beside the old one and swaps it in, so an interrupted or failed
save leaves the previous copy loadable (see :func:`~refgraph._files.atomic_folder`).
"""

from __future__ import annotations

import datetime as dt
import json
from os import PathLike
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .._files import atomic_folder, read_text, remember_source, source_stamp, stamp
from ..errors import FileFormatError, StorageError
from ..records.bulk import Origin
from ..records.columns import KINDS
from ..records.network import Network
from .csv import COLUMNS
from .json import FORMAT, VERSION

__all__ = ["load_parquet", "read_manifest", "save_parquet"]

MANIFEST = "manifest.json"


def save_parquet(net: Network, path: str | PathLike[str], *, overwrite: bool = False) -> None:
    """Write ``net`` as a folder of Parquet files at ``path``, replacing any previous copy whole;
    a copy changed since ``net`` was loaded from it is replaced only with ``overwrite=True``.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.parquet")
    >>> save_parquet(rg.sample_network(), path)
    >>> sorted(os.listdir(path))[:3]
    ['contacts.parquet', 'interactions.parquet', 'manifest.json']
    >>> len(load_parquet(path).relationships) == len(rg.sample_network().relationships)
    True
    """
    tables = net.to_frames()

    def write(folder: Path) -> None:
        for kind, table in tables.items():
            pq.write_table(table, folder / f"{kind}.parquet")
        manifest = {"format": FORMAT, "version": VERSION, "storage": "parquet", "owner": net.owner,
                    **({"owners": list(net.owners)} if len(net.owners) > 1 else {}),
                    "rows": {kind: table.num_rows for kind, table in tables.items()}}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")

    remember_source(net, path, atomic_folder(path, write, since=source_stamp(net, path, overwrite)))


def read_manifest(folder: str | PathLike[str]) -> dict[str, Any]:
    """The manifest of a Parquet network folder, checked: a missing or foreign folder or a newer
    format version raise a :class:`~refgraph.errors.RefgraphError` naming the file (what
    :func:`load_parquet` and ``refgraph.spark.read`` check before reading the tables).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.parquet")
    >>> save_parquet(rg.sample_network(), path)
    >>> read_manifest(path)["owner"]
    'me'
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise StorageError(f"{folder}: no such folder (a Parquet network is a folder)")
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(read_text(manifest_path))
    except json.JSONDecodeError as err:
        raise FileFormatError(f"not valid JSON ({err.msg})", file=manifest_path, line=err.lineno) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("storage") != "parquet":
        raise FileFormatError(f"not a refgraph Parquet network (no \"format\": \"{FORMAT}\")", file=manifest_path)
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise FileFormatError(f"unknown format version (this refgraph reads 1 to {VERSION})",
                              file=manifest_path, field="version", value=version)
    return manifest


def load_parquet(path: str | PathLike[str], *, as_of: dt.date | str | None = None) -> Network:
    """Read a network written by :func:`save_parquet`; every record is checked as it comes in.

    A missing or foreign folder, a newer format version, a missing or unreadable file or a
    column of the wrong type raise a :class:`~refgraph.errors.RefgraphError` naming the file.
    """
    folder = Path(path)
    taken = stamp(folder)
    manifest = read_manifest(folder)
    tables: dict[str, pa.Table] = {}
    origins: dict[str, Origin] = {}
    for kind in KINDS:
        file = folder / f"{kind}.parquet"
        try:
            table = pq.read_table(file)
        except (OSError, pa.ArrowException) as err:
            raise FileFormatError(f"cannot be read as Parquet ({err})", file=file) from None
        columns, n_required = COLUMNS[kind]  # optional columns may be missing: a file of an earlier schema
        missing = [name for name in columns[:n_required] if name not in table.column_names]
        if missing:
            raise FileFormatError(f"missing column(s) {', '.join(missing)}", file=file, field=missing[0])
        tables[kind], origins[kind] = table, Origin(str(file))
    net = Network.from_tables(tables, owner=manifest.get("owner"), owners=manifest.get("owners", []), as_of=as_of,
                              origins=origins)
    remember_source(net, folder, taken)
    return net
