"""Opening and writing files safely: clear errors, atomic replacement, nothing left behind.

Writers replace a file (:func:`atomic_write`) or a whole folder (:func:`atomic_folder`) in one
step, so a reader finds the old copy or the new one, never a mix, whenever the writer is
killed. Saves into one folder take turns under an advisory lock (:func:`locked`), and a save
can refuse to replace what changed since it was read (:func:`stamp`, ``since=``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from os import PathLike
from pathlib import Path
from typing import IO, Any

from .errors import FileFormatError, StorageError

__all__ = ["atomic_folder", "atomic_write", "decode_text", "locked", "read_bytes", "read_text", "remember_source",
           "source_stamp", "stamp"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Every temporary file or folder refgraph makes ends so; stale ones are removed under the lock.
_SUFFIX = ".refgraph-tmp"
_NAME_MAX = 255  # bytes in one file name on the usual file systems

Stamp = tuple[Any, ...]


def read_bytes(path: str | PathLike[str]) -> bytes:
    """The bytes of ``path``; a file that cannot be read raises an error naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None


def read_text(path: str | PathLike[str], encoding: str = "utf-8") -> str:
    """The text of ``path``; a missing file or undecodable bytes raise errors naming it.

    A byte-order mark is removed; line endings are kept for the CSV reader to handle.
    """
    return decode_text(read_bytes(path), path, encoding)


def decode_text(data: bytes, path: str | PathLike[str], encoding: str = "utf-8") -> str:
    """The text of the bytes ``data`` read from ``path`` (see :func:`read_text`)."""
    path = Path(path)
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


# -- what was read --------------------------------------------------------------------------------
def stamp(path: str | PathLike[str]) -> Stamp | None:
    """A fingerprint of ``path`` as it is now (``None`` if it does not exist).

    A file's device, inode, size and modification time; a folder's, with those of every
    entry. Every atomic save makes a new inode, so a save by anyone changes the stamp; so
    does an edit in place. Take it *before* reading, so that a change while reading shows.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "f.txt")
    >>> before = stamp(path)
    >>> _ = path.write_text("x")
    >>> before is None, stamp(path) == stamp(path), stamp(path) != stamp(path.parent)
    (True, True, True)
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    own = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if not stat.S_ISDIR(st.st_mode):
        return own
    with contextlib.suppress(OSError), os.scandir(path) as entries:
        return own + tuple(sorted((e.name, *_entry(e)) for e in entries))
    return own


def _entry(entry: os.DirEntry[str]) -> tuple[int, int, int]:
    st = entry.stat(follow_symlinks=False)
    return st.st_ino, st.st_size, st.st_mtime_ns


def remember_source(net: Any, path: str | PathLike[str], taken: Stamp | None) -> None:
    """Note on ``net`` that it was read from ``path`` when ``path`` had stamp ``taken``."""
    net._source = (str(_real(path)), taken)


def source_stamp(net: Any, path: str | PathLike[str], overwrite: bool) -> Stamp | None:
    """The stamp ``path`` must still have for ``net`` to be saved over it without ``overwrite``.

    ``None`` (no check) when ``overwrite`` is true or ``net`` was not read from ``path``.
    """
    source: tuple[str, Stamp] | None = getattr(net, "_source", None)
    if overwrite or source is None or source[0] != str(_real(path)):
        return None
    return source[1]


# -- taking turns -------------------------------------------------------------------------------
@contextlib.contextmanager
def locked(folder: str | PathLike[str]) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``folder`` (``flock``) while writing into it.

    Every refgraph save takes it on the folder it writes into, so two processes saving there
    take turns. Where folders cannot be locked (Windows, some network file systems) saves go
    on unlocked. The lock is advisory: programs that do not ask for it are not held back.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as err:
        raise StorageError(f"{folder}: cannot write ({err.strerror or err})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: write unlocked, and leave others' temporaries
            yield
            return
        _remove_stale(Path(folder))
        yield
    finally:
        os.close(fd)


def _remove_stale(folder: Path) -> None:
    """Remove the temporary files and folders of saves that were killed (called under the lock)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(_SUFFIX):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


# -- writing one file ---------------------------------------------------------------------------
def atomic_write(
    path: str | PathLike[str], write: Callable[[IO[bytes]], object], *, since: Stamp | None = None
) -> Stamp | None:
    """Write ``path`` through ``write(fileobj)`` so that it is replaced whole or not at all.

    The data goes to a temporary file in the same folder, is flushed and synced to disk, then
    moved over ``path`` with :func:`os.replace`. A symbolic link is followed (its target is
    replaced and the link stays); a FIFO, device or folder at ``path`` is refused. The
    temporary file is created with its final permissions (those of the file it replaces, else
    what ``open()`` gives under the umask) and, where the process may, with the owner and
    group of the file it replaces, so no other user can read it half-way. If anything fails
    (``write`` raising, a full disk, the replace refused), the temporary file is removed and
    the previous ``path`` is left as it was; temporaries of a save that was killed are removed
    by the next save into the same folder.

    Saves into one folder take turns (:func:`locked`). With ``since`` (the :func:`stamp` of
    ``path`` when it was read), a file changed since then is not replaced: a
    :class:`~refgraph.errors.StorageError` says so. Returns the stamp of the new file.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "note.txt")
    >>> _ = atomic_write(path, lambda fh: fh.write(b"hello"))
    >>> path.read_bytes(), [p.name for p in path.parent.iterdir()]
    (b'hello', ['note.txt'])
    """
    target = _real(path)
    with locked(target.parent):
        old = _check_target(path, target, since, folder=False)
        try:
            tmp = _temporary_name(target)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _mode(old, 0o666))
        except OSError as err:
            raise StorageError(f"{path}: cannot write ({err.strerror or err})") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                _take_over(fh.fileno(), old)
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException as err:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            _raise_storage(err, path)
            raise
        _sync_folder(target.parent)
        return stamp(target)


def _real(path: str | PathLike[str]) -> Path:
    """``path`` with every symbolic link followed (the file a save must replace)."""
    return Path(os.path.realpath(path))


def _check_target(path: str | PathLike[str], target: Path, since: Stamp | None, *, folder: bool) -> os.stat_result | None:
    """The status of what ``target`` holds now, after refusing what a save must not replace."""
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as err:
        raise StorageError(f"{path}: cannot write ({err.strerror or err})") from None
    if old is not None and not (stat.S_ISDIR(old.st_mode) if folder else stat.S_ISREG(old.st_mode)):
        kind = _KINDS.get(stat.S_IFMT(old.st_mode), "not a regular file")
        raise StorageError(f"{path}: cannot write ({kind}, not a {'folder' if folder else 'file'}); "
                           "refgraph replaces it whole and will not replace that")
    if since is not None and stamp(target) != since:
        raise StorageError(f"{path}: changed since it was read (another program or process saved it); "
                           "read it again and redo your changes, or pass overwrite=True to replace it")
    return old


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket"}


def _temporary_name(target: Path, extra: str = "") -> Path:
    """A fresh hidden name beside ``target``, no longer than a file name may be."""
    tail = f".{secrets.token_hex(6)}{extra}{_SUFFIX}"
    name = os.fsencode(target.name)[: _NAME_MAX - 1 - len(tail)].decode(errors="ignore") or "x"
    return target.parent / f".{name}{tail}"


def _mode(old: os.stat_result | None, default: int) -> int:
    return default if old is None else stat.S_IMODE(old.st_mode)


def _take_over(fd: int, old: os.stat_result | None) -> None:
    """Give the open file ``fd`` the owner, group and mode of ``old`` (where the process may)."""
    if old is None:
        return
    for uid in (old.st_uid, -1):
        try:
            os.fchown(fd, uid, old.st_gid)
            break
        except OSError:
            continue
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _raise_storage(err: BaseException, path: str | PathLike[str]) -> None:
    if isinstance(err, OSError) and not isinstance(err, StorageError):
        raise StorageError(f"{path}: cannot write ({err.strerror or err}); the previous file is unchanged") from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows syncing a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


# -- writing a folder -------------------------------------------------------------------------------
def atomic_folder(
    folder: str | PathLike[str], write: Callable[[Path], None], *, since: Stamp | None = None
) -> Stamp | None:
    """Replace the folder ``folder`` with what ``write(fresh)`` writes into a fresh, empty folder.

    The one commit point of a save of several files (a CSV folder, a Parquet dataset):
    ``write`` gets a new hidden folder beside ``folder`` and writes its files there with plain
    ``open()`` calls. Then every file is synced; entries of the old folder that ``write`` did
    not make (a user's own notes) are carried over; files and the folder take the permissions,
    owner and group of the ones they replace (new ones: what ``open()`` and ``mkdir`` give);
    and the two folders swap in one step (``renameat2(RENAME_EXCHANGE)`` on Linux). The old
    copy is then removed. So a reader finds the whole old folder or the whole new one, even if
    the process is killed at any point; if ``write`` fails or the disk fills, the old folder is
    left as it was. Where the swap is not available (not Linux, or a file system without it),
    the old folder is renamed away and the new one into place: two steps, with a moment
    between them when ``folder`` is missing.

    Locking, stale temporaries and ``since`` work as for :func:`atomic_write`; the fresh folder
    is readable by its owner alone until it is swapped in. Returns the stamp of the new folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp(), "net")
    >>> def write(fresh):
    ...     (fresh / "a.csv").write_text("a")
    ...     (fresh / "b.csv").write_text("b")
    >>> _ = atomic_folder(folder, write)
    >>> sorted(p.name for p in folder.iterdir()), sorted(p.name for p in folder.parent.iterdir())
    (['a.csv', 'b.csv'], ['net'])
    """
    target = _real(folder)
    with locked(target.parent):
        old = _check_target(folder, target, since, folder=True)
        fresh = _temporary_name(target)
        try:
            os.mkdir(fresh, 0o700)
        except OSError as err:
            raise StorageError(f"{folder}: cannot write ({err.strerror or err})") from None
        try:
            write(fresh)
            _settle(fresh, target if old is not None else None)
            cwd = _cwd()
            previous = None
            if old is not None:
                previous = _swap(fresh, target)
            else:
                os.rename(fresh, target)
        except BaseException as err:
            shutil.rmtree(fresh, ignore_errors=True)
            _raise_storage(err, folder)
            raise
        _stay_in(target, cwd)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        _sync_folder(target.parent)
        return stamp(target)


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:
        return None


def _stay_in(target: Path, cwd: str | None) -> None:
    """If the process worked inside ``target`` (``cwd``, taken before the swap), move it into the
    new folder now at that path: else it would work in the old copy, about to be removed."""
    if cwd is not None and (cwd == str(target) or cwd.startswith(str(target) + os.sep)):
        with contextlib.suppress(OSError):
            os.chdir(cwd)


def _settle(fresh: Path, old: Path | None) -> None:
    """Carry over the old folder's other entries, its files' modes and owners; sync it all."""
    made = set(os.listdir(fresh))
    for name in os.listdir(old) if old is not None else ():
        if name not in made:
            source = old / name  # type: ignore[operator]
            if source.is_dir() and not source.is_symlink():
                shutil.copytree(source, fresh / name, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(source, fresh / name)
    for name in made:
        path = fresh / name
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                with contextlib.suppress(OSError):
                    _take_over(fd, os.stat(old / name) if old is not None and (old / name).is_file() else None)
                os.fsync(fd)
            finally:
                os.close(fd)
    old_stat = os.stat(old) if old is not None else None
    fd = os.open(fresh, os.O_RDONLY)
    try:
        if old_stat is None:
            os.fchmod(fd, 0o777 & ~_umask())
        else:
            _take_over(fd, old_stat)
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_or_copy(source: Any, destination: Any) -> None:
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _swap(fresh: Path, target: Path) -> Path:
    """Put ``fresh`` in the place of ``target`` in one step (else in two renames); returns
    where the old copy now is."""
    if _exchange(fresh, target):
        return fresh
    aside = _temporary_name(target, ".old")
    os.rename(target, aside)
    try:
        os.rename(fresh, target)
    except BaseException:
        os.rename(aside, target)
        raise
    return aside


def _exchange(a: Path, b: Path) -> bool:
    """``renameat2(a, b, RENAME_EXCHANGE)``: True if done, False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
