"""The exceptions refgraph raises.

Every error refgraph raises on purpose derives from :class:`RefgraphError`, and each one
also inherits the builtin a caller would expect, so ``except KeyError`` and
``except ValueError`` keep working::

    RefgraphError (Exception)
    ├── UnknownContactError (KeyError)      a contact id that is not in the network or graph
    ├── DataError (ValueError)              a record, value or argument that cannot be used
    │   └── FileFormatError                 a file whose content cannot be read (names file and line)
    └── StorageError (OSError)              a file that cannot be opened, found or written

Messages name where the problem is: the file, the line, the field, the offending value or
the contact id. The same facts are kept as attributes (``file``, ``line``, ``field``,
``value``, ``contact``) for programs that want them.

Examples
--------
>>> from refgraph.errors import DataError
>>> err = DataError("must be at least 0", file="contacts.csv", line=3, field="value", value=-2)
>>> print(err)
contacts.csv, line 3, field 'value' (value -2): must be at least 0
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["DataError", "FileFormatError", "RefgraphError", "StorageError", "UnknownContactError", "collected"]

_UNSET = object()

#: How many problems the message of a collected error shows (``errors`` holds them all).
SHOWN = 20


class RefgraphError(Exception):
    """Root of every error refgraph raises on purpose.

    ``errors`` lists every problem when a reader collected several (the message shows the
    first :data:`SHOWN`); it is ``[self]`` otherwise.
    """

    @property
    def errors(self) -> list[RefgraphError]:
        return getattr(self, "_errors", None) or [self]

    def _retold(self, suffix: str) -> RefgraphError:
        """The same error with ``suffix`` after its message."""
        return type(self)(f"{self}{suffix}")


class UnknownContactError(RefgraphError, KeyError):
    """A contact id that the network or trust graph does not hold.

    ``suggestions`` are the close matches the network or graph knows (``'zoe.li' (Zoe Li)``),
    kept as an attribute and offered in the message.

    >>> str(UnknownContactError("zoe"))
    "unknown contact 'zoe'"
    >>> str(UnknownContactError("zoe", "source of a relationship", suggestions=["'zoe.li' (Zoe Li)"]))
    "unknown contact 'zoe' (source of a relationship); did you mean 'zoe.li' (Zoe Li)?"
    """

    def __init__(self, contact: Any, where: str = "", *, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.contact = contact
        self.where = where
        self.suggestions = tuple(suggestions)
        super().__init__(contact)

    def _retold(self, suffix: str) -> RefgraphError:
        return UnknownContactError(self.contact, f"{self.where}{suffix}" if self.where else suffix.lstrip(),
                                   suggestions=self.suggestions)

    def __str__(self) -> str:
        suffix = f" ({self.where})" if self.where else ""
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"unknown contact {self.contact!r}{suffix}{hint}"


class DataError(RefgraphError, ValueError):
    """A record, value or argument that refgraph cannot use.

    The optional keyword arguments say where the problem is; they are kept as attributes
    and put in front of the message.
    """

    def __init__(
        self,
        message: str,
        *,
        file: Any = None,
        line: int | None = None,
        field: str | None = None,
        value: Any = _UNSET,
        contact: Any = None,
    ) -> None:
        self.message = message
        self._place = {"file": file, "line": line, "field": field, "contact": contact,
                       **({} if value is _UNSET else {"value": value})}
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        self.value = None if value is _UNSET else value
        self.contact = contact
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if line is not None:
            parts.append(f"line {line}")
        if field is not None:
            parts.append(f"field {field!r}" + ("" if value is _UNSET else f" (value {value!r})"))
        elif value is not _UNSET:
            parts.append(f"value {value!r}")
        if contact is not None:
            parts.append(f"contact {contact!r}")
        self.where = ", ".join(parts)
        super().__init__(f"{self.where}: {message}" if parts else message)

    def _retold(self, suffix: str) -> RefgraphError:
        return type(self)(self.message + suffix, **self._place)


class FileFormatError(DataError):
    """A file that cannot be read: missing, not the expected format, truncated or corrupt."""


class StorageError(RefgraphError, OSError):
    """A file or folder that cannot be opened, found or written; the message names it."""


def no_owner(what: str) -> DataError:
    """The error for ``what`` (an analysis) run on a network that marks no seller, with the fix.

    >>> print(no_owner("who_to_ask"))
    field 'owner': who_to_ask needs the network's owner (the seller); mark the seller's row owner=yes \
in contacts.csv, pass owner= to read_network or Network, or --owner on the command line
    """
    return DataError(f"{what} needs the network's owner (the seller); mark the seller's row owner=yes in "
                     "contacts.csv, pass owner= to read_network or Network, or --owner on the command line",
                     field="owner")


def collected(problems: list[RefgraphError]) -> RefgraphError | None:
    """One error to raise for many: the first, its message counting the others and showing
    up to :data:`SHOWN` of them, with every problem in ``errors``; ``None`` for none.

    >>> err = collected([DataError("bad", line=2), DataError("worse", line=5)])
    >>> print(err)
    line 2: bad (and 1 more problem: line 5: worse)
    >>> [e.line for e in err.errors]
    [2, 5]
    """
    if not problems:
        return None
    first = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        shown = "; ".join(str(p) for p in problems[1:SHOWN])
        rest = f"; and {more - SHOWN + 1} more" if more >= SHOWN else ""
        first = first._retold(f" (and {more} more problem{'s' if more > 1 else ''}: {shown}{rest})")
    first._errors = list(problems)  # type: ignore[attr-defined]
    return first
