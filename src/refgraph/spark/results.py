"""`SparkTable`: an answer held by Spark, and its way back into a refgraph table.

Every analysis of :mod:`refgraph.spark` returns its rows as a Spark DataFrame (:attr:`SparkTable.frame`,
best first when read in order) wrapped with a title; :meth:`SparkTable.to_local` collects the
first rows into a :class:`~refgraph.results.Table`, the table every local analysis gives.

>>> from refgraph import spark as rs
>>> net = rs.sample(rs.session("local[2]"))
>>> table = rs.degree(net).to_local(top=2)
>>> table.columns, table[0].contact
(('contact', 'name', 'degree'), 'me')
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import make_dataclass
from typing import Any

from pyspark.sql import Column, DataFrame, Row

from ..errors import DataError
from ..results import Table

__all__ = ["LOCAL_LIMIT", "SparkTable", "checkpoint"]

#: The most rows :meth:`SparkTable.to_local` collects without ``top``.
LOCAL_LIMIT = 1_000_000


@functools.cache
def _row_type(columns: tuple[str, ...]) -> type:
    return make_dataclass("SparkRow", [(c, Any) for c in columns], frozen=True)


class SparkTable:
    """Rows computed by Spark: :attr:`frame` in order, :meth:`to_local` to collect them."""

    def __init__(self, frame: DataFrame, *, order: Sequence[Column], title: str) -> None:
        self._frame = frame
        self._order = list(order)
        self.title = title

    @property
    def unsorted(self) -> DataFrame:
        """The rows as a Spark DataFrame in no particular order (to join or aggregate further)."""
        return self._frame

    @property
    def frame(self) -> DataFrame:
        """The rows as a Spark DataFrame, best first (sorting happens when Spark reads it)."""
        return self._frame.orderBy(*self._order)

    def to_local(self, top: int | None = None) -> Table[Any]:
        """The first ``top`` rows (all when ``None``, at most :data:`LOCAL_LIMIT`) collected into
        a refgraph :class:`~refgraph.results.Table`."""
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 0):
            raise DataError("top must be a whole number of at least 0", field="top", value=top)
        rows = self.frame.limit(LOCAL_LIMIT + 1 if top is None else top).collect()
        if len(rows) > LOCAL_LIMIT:
            raise DataError(f"more than {LOCAL_LIMIT:,} rows: pass top= or filter .frame first", field="top")
        row = _row_type(tuple(self._frame.columns))
        return Table([row(**r.asDict()) for r in rows], title=self.title)

    def __repr__(self) -> str:
        return f"<SparkTable {self.title!r}: {', '.join(self._frame.columns)}>"


def aggregate(frame: DataFrame) -> Row:
    """The one row of an aggregate over ``frame`` (Spark types it as perhaps none)."""
    row = frame.first()
    if row is None:
        raise DataError("a Spark aggregate gave no row")
    return row


def checkpoint(frame: DataFrame) -> DataFrame:
    """``frame`` computed now and its plan cut: written to the session's checkpoint directory
    when one is set (``spark.sparkContext.setCheckpointDir``, as a cluster should), else kept
    by the executors (a local checkpoint). Iterations call it so that plans stay short."""
    if frame.sparkSession.sparkContext.getCheckpointDir() is not None:
        return frame.checkpoint(eager=True)
    return frame.localCheckpoint(eager=True)
