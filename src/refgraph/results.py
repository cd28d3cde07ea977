"""`Table`: the one base of every table-like answer refgraph gives.

A table is an immutable sequence of rows (frozen dataclasses), best first. It iterates over its
rows, turns into plain records (:meth:`Table.to_records`), a pandas DataFrame
(:meth:`Table.to_pandas`, pandas imported only then), a spreadsheet-safe CSV file
(:meth:`Table.to_csv`), plain text (``repr``) and escaped HTML for Jupyter
(``_repr_html_``). Subclasses set ``title`` and may add ``plot(ax=None)``.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Row:
...     contact: str
...     score: float
>>> t = Table([Row("ana", 0.5), Row("<b>", 0.25)], title="Scores")
>>> len(t), t[0].contact, t.columns
(2, 'ana', ('contact', 'score'))
>>> t[:1]                          # a slice is a table of the same kind
Scores (1 row)
contact  score
ana       0.50
>>> print(t)
Scores (2 rows)
contact  score
ana       0.50
<b>       0.25
>>> "&lt;b&gt;" in t._repr_html_()
True
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import html
import io
from collections.abc import Iterator, Sequence
from os import PathLike
from typing import IO, Any, Generic, Self, TypeVar, overload

from ._files import atomic_write
from .errors import RefgraphError

__all__ = ["Ranking", "Table", "safe_cell"]

Row = TypeVar("Row")
_RISKY = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHOWN = 20


def safe_cell(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula (OWASP CSV injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading ``'``; numbers,
    including negative ones, stay numbers.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell(-2.5), safe_cell("-2.5"), safe_cell("Ana")
    ("'=HYPERLINK(1)", -2.5, '-2.5', 'Ana')
    """
    if not isinstance(value, str) or not value.startswith(_RISKY):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def pandas() -> Any:
    """The pandas module, or a :class:`~refgraph.errors.RefgraphError` saying how to install it."""
    try:
        import pandas as pd
    except ImportError:
        raise RefgraphError("to_pandas() needs pandas: pip install 'refgraph[pandas]'") from None
    return pd


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if (value and abs(value) < 0.01) or abs(value) >= 1e6 else f"{value:.2f}"
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(map(str, value)))
    if isinstance(value, (list, tuple)):
        return " → ".join(map(str, value))
    return "" if value is None else str(value)


class Table(Generic[Row]):
    """An immutable, ordered table of result rows (see the module documentation)."""

    title: str = "Table"
    #: A caveat shown with the rows (such as thin trust signals), else ``""``.
    note: str = ""

    def __init__(self, rows: Sequence[Row], *, title: str | None = None, note: str | None = None) -> None:
        self._rows = tuple(rows)
        if title is not None:
            self.title = title
        if note is not None:
            self.note = note

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names, from the row type's fields."""
        if not self._rows:
            return ()
        return tuple(f.name for f in dataclasses.fields(self._rows[0]))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    @overload
    def __getitem__(self, k: int) -> Row: ...
    @overload
    def __getitem__(self, k: slice) -> Self: ...
    def __getitem__(self, k: int | slice) -> Row | Self:
        """A row, or for a slice the same kind of table with those rows (title, note and the
        rest kept)."""
        if not isinstance(k, slice):
            return self._rows[k]
        part = copy.copy(self)
        part._rows = self._rows[k]
        return part

    def to_records(self) -> list[dict[str, Any]]:
        """Each row as a plain dict."""
        return [dataclasses.asdict(r) for r in self._rows]  # type: ignore[call-overload]

    def to_pandas(self) -> Any:
        """The table as a ``pandas.DataFrame`` (needs pandas: ``pip install refgraph[pandas]``)."""
        return pandas().DataFrame.from_records(self.to_records(), columns=list(self.columns) or None)

    def to_csv(self, path: str | PathLike[str]) -> None:
        """Write the table as CSV, atomically, with cells made safe for spreadsheets."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns)
        for record in self.to_records():
            writer.writerow([safe_cell(_text(v) if isinstance(v, (set, frozenset, list, tuple)) else v)
                             for v in record.values()])
        data = buffer.getvalue().encode("utf-8")

        def write(fh: IO[bytes]) -> None:
            fh.write(data)

        atomic_write(path, write)

    def _cells(self) -> list[list[str]]:
        return [[_text(v) for v in rec.values()] for rec in self.to_records()[:_SHOWN]]

    def __repr__(self) -> str:
        head = f"{self.title} ({len(self)} row{'' if len(self) == 1 else 's'})"
        if self.note:
            head += f"\nnote: {self.note}"
        if not self._rows:
            return head
        cells = self._cells()
        widths = [max(len(c), *(len(r[k]) for r in cells)) for k, c in enumerate(self.columns)]
        numeric = [all(isinstance(getattr(r, c), (int, float)) for r in self._rows[:_SHOWN]) for c in self.columns]

        def fmt(row: Sequence[str]) -> str:
            return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(row, widths, numeric, strict=True))

        lines = [head, fmt(self.columns).rstrip(), *(fmt(r).rstrip() for r in cells)]
        if len(self) > _SHOWN:
            lines.append(f"... {len(self) - _SHOWN} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td{_WRAP if len(v) > 30 else ''}>{html.escape(v)}</td>" for v in row) + "</tr>"
            for row in self._cells()
        )
        more = f"<p>… {len(self) - _SHOWN} more rows</p>" if len(self) > _SHOWN else ""
        more += f"<p><i>{html.escape(self.note)}</i></p>" if self.note else ""
        return (f"<table><caption>{html.escape(self.title)} ({len(self)} rows)</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}")


#: Long text (an action, what is missing) wraps within its cell instead of being cut off by a
#: notebook's one-line table cells.
_WRAP = ' style="white-space:normal;text-align:left;min-width:16em"'


class Ranking(Table[Row]):
    """A table whose rows are contacts ranked by one column, drawn as bars by :meth:`plot`.

    Every ranking refgraph returns shares this :meth:`plot`. Subclasses may set ``by`` (the
    ranked column) and ``label`` (the axis label) as class attributes.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Row:
    ...     name: str
    ...     value: float
    >>> ax = Ranking([Row("Ana", 3.0), Row("Ben", 1.0)], by="value", title="Value").plot()
    >>> [t.get_text() for t in ax.get_yticklabels()]  # the best on top
    ['Ana', 'Ben']
    """

    by: str = "score"
    label: str | None = None

    def __init__(self, rows: Sequence[Row], *, by: str | None = None, title: str | None = None,
                 note: str | None = None) -> None:
        super().__init__(rows, title=title, note=note)
        if by is not None:
            self.by = by

    def plot(self, ax: Any = None, *, top: int = 15) -> Any:
        """Horizontal bars of the first ``top`` rows' ``by`` column, named by their ``name``."""
        from .plot.ranking import ranking

        shown = self._rows[:top]
        return ranking([r.name for r in shown], [getattr(r, self.by) for r in shown], ax=ax,  # type: ignore[attr-defined]
                       title=self.title, xlabel=self.label or self.by.replace("_", " "))
