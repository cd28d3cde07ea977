"""Reading CSV text into checked rows: header, columns and ragged lines, with line numbers."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import FileFormatError

__all__ = ["check_header", "first_row", "row_lines", "table_rows"]

# A byte-order mark left in the text: doubled, or decoded as cp1252 / latin-1.
_BOMS = ("\ufeff", "\u00ef\u00bb\u00bf", "\u00ff\u00fe", "\u00fe\u00ff")


def _listed(names: Sequence[str], most: int = 10) -> str:
    """The first ``most`` of ``names`` and how many more (a header may have 100,000 columns)."""
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most:,} more" if len(names) > most else "")


def _filled(cell: str) -> bool:
    return bool(cell.strip(" \t\r\n"))


def table_rows(
    text: str,
    path: Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    first_line: int = 1,
    strict: bool = True,
    renamed: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` for each data row of CSV ``text`` that starts with a header.

    Missing required columns, unknown columns (when ``strict``), duplicate columns, an empty
    file and rows with too many or too few fields raise
    :class:`~refgraph.errors.FileFormatError` naming the file, line and column. Blank lines
    are skipped; empty cells are left out of the row (the records strip the others).
    ``renamed`` maps header names to the names the columns are read as.
    """
    rows = _numbered(csv.reader(io.StringIO(text, newline=""), strict=True), path, first_line)
    _, header = next(rows, (first_line, None))
    if header is not None and renamed:
        header = [renamed.get(h.strip(), h) for h in header]
    columns = check_header(header, path, required, optional, first_line=first_line, strict=strict)
    known = set(required) | set(optional)
    for line, cells in rows:
        if not any(_filled(cell) for cell in cells):
            continue
        if len(cells) != len(columns):
            raise FileFormatError(
                f"expected {len(columns)} fields as in the header, found {len(cells)} (a ragged row)",
                file=path, line=line,
            )
        yield line, {c: v for c, v in zip(columns, cells, strict=True) if _filled(v) and c in known}


def check_header(
    header: Sequence[str] | None,
    path: Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    first_line: int | None = 1,
    strict: bool = True,
) -> list[str]:
    """The column names of a header row, checked: none missing, none unknown (when
    ``strict``), none twice; otherwise a :class:`~refgraph.errors.FileFormatError` naming the
    file, the line (``first_line``, ``None`` for a data frame) and the column."""
    if header is None:
        raise FileFormatError(f"the file is empty; expected a header with {', '.join(required)}",
                              file=path, line=first_line)
    columns = [h.strip() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        bom = columns and columns[0].startswith(_BOMS)
        raise FileFormatError(
            f"missing required column(s) {', '.join(missing)}; the header has {_listed(columns) or 'nothing'}"
            + ("; it starts with a byte-order mark read as text: pass encoding='utf-8-sig' or "
               "save the file once more without the mark" if bom else ""),
            file=path, line=first_line, field=missing[0],
        )
    known = set(required) | set(optional)
    unknown = [c for c in columns if c not in known]
    if strict and unknown:
        raise FileFormatError(
            f"unknown column(s) {_listed(unknown)}; known columns are {', '.join([*required, *optional])}",
            file=path, line=first_line, field=unknown[0],
        )
    duplicated = sorted(c for c, n in Counter(columns).items() if n > 1)
    if duplicated:
        raise FileFormatError(f"column {duplicated[0]} appears twice", file=path, line=first_line,
                              field=duplicated[0])
    return columns


def first_row(text: str | bytes, path: Path) -> list[str] | None:
    """The cells of the first row of CSV ``text`` (its header), or ``None`` for an empty text;
    ``text`` may be ASCII bytes, of which only the start is decoded."""
    for whole in (len(text) <= 1 << 16, True):  # the header is read from the start alone, unless it runs on
        head = text if whole else text[: 1 << 16]
        rows = _numbered(csv.reader(io.StringIO(head.decode("ascii") if isinstance(head, bytes) else head,
                                                newline=""), strict=True), path, 1)
        first = next((cells for _, cells in rows), None)
        if whole:
            return first
        try:
            if next(rows, None) is not None:  # a second row began: the header was whole
                return first
        except FileFormatError:  # the second row is cut where the start ends: the header was whole
            return first
    return None


def row_lines(text: str, path: Path) -> list[int]:
    """The line each non-empty row of CSV ``text`` starts on, the header's first."""
    return [line for line, cells in _numbered(csv.reader(io.StringIO(text, newline=""), strict=True), path, 1)
            if cells]


def _numbered(reader: Any, path: Path, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Each row's cells with the line it starts on; bad quoting names the row's first line."""
    line = first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise FileFormatError(f"not readable as CSV ({err}); check the quotes of the row starting here",
                                  file=path, line=line) from None
        yield line, cells
        line = first_line + reader.line_num
