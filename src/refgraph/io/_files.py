"""Opening and writing files safely: clear errors, atomic replacement, nothing left behind."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import IO

from ..errors import FileFormatError, StorageError

__all__ = ["atomic_folder", "atomic_write", "read_text", "readable_folder"]

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


def atomic_folder(path: str | PathLike[str], write: Callable[[Path], None]) -> None:
    """Write the folder ``path`` through ``write(folder)`` so it is replaced whole or not at all.

    ``write`` fills a new folder beside ``path`` (``.NAME.TOKEN.tmp``); its files are synced to
    disk, then the old folder is renamed aside (``.NAME.TOKEN.old``), the new one renamed into
    place and the old one removed. A failure leaves the previous folder as it was. A process
    killed between the two renames leaves the previous folder under its ``.old`` name, where
    :func:`readable_folder` finds it and the next save puts it back before replacing it.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "net.parquet")
    >>> atomic_folder(path, lambda folder: (folder / "a.txt").write_text("one"))
    >>> atomic_folder(path, lambda folder: (folder / "b.txt").write_text("two"))
    >>> sorted(p.name for p in path.iterdir()), [p.name for p in path.parent.iterdir()]
    (['b.txt'], ['net.parquet'])
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StorageError(f"{path}: exists and is not a folder; choose another name")
    _recover(path)
    token = secrets.token_hex(6)
    tmp, old = path.parent / f".{path.name}.{token}.tmp", path.parent / f".{path.name}.{token}.old"
    try:
        tmp.mkdir(mode=0o700)
        write(tmp)
        for file in tmp.iterdir():
            fd = os.open(file, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_folder(tmp)
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            os.rename(path, old)
        os.rename(tmp, path)
        _sync_folder(path.parent)
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError):
            raise StorageError(f"{path}: cannot write ({err.strerror or err}); the previous copy is unchanged") from None
        raise
    shutil.rmtree(old, ignore_errors=True)
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)


def _recover(path: Path) -> None:
    """Put back the previous folder a save killed half-way left aside, if ``path`` is missing."""
    if not path.exists():
        aside = sorted(path.parent.glob(f".{path.name}.*.old"), key=lambda p: p.stat().st_mtime)
        if aside:
            os.rename(aside[-1], path)


def readable_folder(path: str | PathLike[str]) -> Path:
    """The folder to read for ``path``: itself, or the previous copy a killed save left aside."""
    path = Path(path)
    if path.is_dir():
        return path
    aside = sorted(path.parent.glob(f".{path.name}.*.old"), key=lambda p: p.stat().st_mtime)
    if aside:
        return aside[-1]
    raise StorageError(f"{path}: no such folder")
