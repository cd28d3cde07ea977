"""Opening and writing files safely: clear errors, atomic replacement, nothing left behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import IO

from ..errors import FileFormatError, StorageError

__all__ = ["atomic_write", "read_text"]


def read_text(path: str | PathLike[str], encoding: str = "utf-8") -> str:
    """The text of ``path``; a missing file or undecodable bytes raise errors naming it.

    A byte-order mark is removed; line endings are kept for the CSV reader to handle.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FileFormatError(
            f"bytes that are not {encoding} at byte {err.start}; pass encoding= "
            "(for example encoding='cp1252' or 'latin-1') to read it",
            file=path, line=line,
        ) from None
    except LookupError:
        raise FileFormatError(f"unknown encoding {encoding!r}", file=path) from None
    return text.removeprefix("\ufeff")


def atomic_write(path: str | PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write(fileobj)`` so that it is replaced whole or not at all.

    The data goes to a temporary file in the same folder, is flushed to disk, then moved over
    ``path`` with :func:`os.replace`. If anything fails, the temporary file is removed and
    the previous ``path`` is left as it was.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise StorageError(f"{path}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise StorageError(f"{path}: cannot write ({err.strerror or err}); the previous file is unchanged") from None
        raise
