"""Opening and writing files safely: clear errors, atomic replacement, nothing left behind."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import IO

from ..errors import FileFormatError, StorageError

__all__ = ["atomic_write", "read_text"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
        hint = ("encoding='utf-16' (the file starts with a UTF-16 byte-order mark)" if data.startswith(_UTF16_BOMS)
                else "for example encoding='cp1252' or 'latin-1'")
        raise FileFormatError(
            f"bytes that are not {encoding} at byte {err.start}; pass encoding= ({hint}), or --encoding "
            "on the command line, to read it",
            file=path, line=line,
        ) from None
    except LookupError:
        raise FileFormatError(f"unknown encoding {encoding!r}", file=path) from None
    return text.removeprefix("\ufeff")


def atomic_write(path: str | PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write(fileobj)`` so that it is replaced whole or not at all.

    The data goes to a temporary file in the same folder, is flushed and synced to disk, then
    moved over ``path`` with :func:`os.replace`. The new file has the permissions ``open()``
    would give it: those of the file it replaces, else the default under the umask. If
    anything fails (``write`` raising, a full disk, the replace refused), the temporary file
    is removed and the previous ``path`` is left as it was.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "note.txt")
    >>> atomic_write(path, lambda fh: fh.write(b"hello"))
    >>> path.read_bytes(), [p.name for p in path.parent.iterdir()]
    (b'hello', ['note.txt'])
    """
    path = Path(path)
    try:
        fd, tmp = _create_temporary(path)
    except OSError as err:
        raise StorageError(f"{path}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise StorageError(f"{path}: cannot write ({err.strerror or err}); the previous file is unchanged") from None
        raise
    _sync_folder(path.parent)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, empty temporary file beside ``path``, opened for writing, with ``path``'s mode.

    Created with mode 0o666 so the umask applies as it does for ``open()`` (``mkstemp`` would
    give 0o600); a file being replaced lends its own mode instead.
    """
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.chmod(tmp, mode)
            except OSError:
                os.close(fd)
                os.unlink(tmp)
                raise
        return fd, tmp


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows syncing a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)
