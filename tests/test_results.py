"""The shared result table: rows, records, pandas, safe CSV and escaped HTML."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refgraph.results import Ranking, Table, safe_cell


@dataclass(frozen=True)
class Row:
    contact: str
    name: str
    score: float


ROWS = [Row("a", "=cmd|' /C calc'!A0", -1.5), Row("b", "<script>x</script>", 2.0), Row("c", "@SUM(1)", 0.0)]


def test_rows_records_and_pandas() -> None:
    t = Table(ROWS, title="T")
    assert list(t) == ROWS and t[1] is ROWS[1] and len(t) == 3
    assert t.to_records()[0] == {"contact": "a", "name": "=cmd|' /C calc'!A0", "score": -1.5}
    df = t.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == ["contact", "name", "score"]
    assert Table([]).to_pandas().empty and repr(Table([], title="E")) == "E (0 rows)"


def test_to_csv_neutralises_formulas_but_keeps_negative_numbers(tmp_path: Path) -> None:
    Table(ROWS).to_csv(tmp_path / "t.csv")
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["contact", "name", "score"]
    assert rows[1] == ["a", "'=cmd|' /C calc'!A0", "-1.5"]
    assert rows[3][1] == "'@SUM(1)"


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@A1", "\tx", "\rx", "\nx"])
def test_safe_cell_neutralises_every_risky_start(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_html_escapes_names_and_truncates() -> None:
    page = Table(ROWS * 10)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "10 more rows" in page
    assert "... 10 more" in repr(Table(ROWS * 10))


def test_long_text_wraps_in_notebook_tables(sample) -> None:
    import refgraph as rg

    page = rg.who_to_ask(sample, top=3)._repr_html_()
    action = rg.who_to_ask(sample, top=1)[0].action
    assert f'<td style="white-space:normal;text-align:left;min-width:16em">{html.escape(action)}</td>' in page


@given(st.lists(st.integers(0, 100), max_size=12), st.integers(-14, 14) | st.none(), st.integers(-14, 14) | st.none(),
       st.sampled_from([None, 1, 2, -1]))
def test_a_slice_is_a_table_of_the_same_kind_with_those_rows(values: list[int], start: int | None, stop: int | None,
                                                           step: int | None) -> None:
    @dataclass(frozen=True)
    class Ranked:
        name: str
        value: int

    rows = [Ranked(f"c{i}", v) for i, v in enumerate(values)]
    table = Ranking(rows, by="value", title="Values", note="thin signals")
    part = table[start:stop:step]
    assert type(part) is Ranking and list(part) == rows[start:stop:step]
    assert (part.title, part.note, part.by) == ("Values", "thin signals", "value")
    assert list(table) == rows  # the table sliced is unchanged
