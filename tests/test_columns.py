"""Records as columns: bulk checks give what one record at a time gives, frames in and out,
Parquet readable by pandas and DuckDB, string ids placed by Arrow."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import DataError, FileFormatError, RefgraphError, UnknownContactError
from refgraph.io._table import table_rows
from refgraph.io.csv import RELATIONSHIP_COLUMNS
from refgraph.records.columns import to_table

CONTACTS = "id,name,kinds,organization,email\nme,Sam Seller,,,\nana,Ana Silva,client,Globex,ana@globex.example\n"


def _folder(tmp: Path, relationships: str, contacts: str = CONTACTS) -> Path:
    (tmp / "contacts.csv").write_text(contacts, encoding="utf-8")
    (tmp / "relationships.csv").write_text(relationships, encoding="utf-8")
    return tmp


def test_a_file_with_many_bad_rows_lists_them_all(tmp_path: Path) -> None:
    rows = ["source,target,kind,repeat_business"]
    bad_lines = []
    for k in range(30):
        rows.append(f"me,ana,client,{k}" if k == 0 else f"me,ana{k},client,lots{k}")
        if k:
            bad_lines.append(k + 2)
    with pytest.raises(DataError) as info:
        rg.read_csv(_folder(tmp_path, "\n".join(rows) + "\n"))
    errors = info.value.errors
    assert [e.line for e in errors] == bad_lines  # each bad row once, in file order
    assert all(e.field == "repeat_business" and e.value == f"lots{e.line - 2}" for e in errors)
    message = str(info.value)
    assert "line 3" in message and "(and 28 more problems" in message and "; and 9 more)" in message
    assert message.count("lots") == 20  # the first and 19 more are shown


def test_a_row_of_blank_cells_is_skipped_and_later_lines_keep_their_numbers(tmp_path: Path) -> None:
    text = 'source,target,kind\nme,ana,client\n , ,\t\n" ",,\nana,zoe,friend\n'
    with pytest.raises(UnknownContactError) as info:
        rg.read_csv(_folder(tmp_path, text))
    assert len(info.value.errors) == 1 and "relationships.csv, line 5" in str(info.value)
    (tmp_path / "relationships.csv").write_text(text.replace("ana,zoe,friend\n", ""), encoding="utf-8")
    assert [(r.source, r.target) for r in rg.read_csv(tmp_path).relationships] == [("me", "ana")]


def test_unknown_contacts_and_repeated_ties_are_all_named(tmp_path: Path) -> None:
    text = "source,target,kind\nme,ana,client\nme,zoe,client\nana,me,friend\nxavier,ana,friend\n"
    with pytest.raises(UnknownContactError) as info:
        rg.read_csv(_folder(tmp_path, text))
    found = [(type(e).__name__, getattr(e, "contact", None)) for e in info.value.errors]
    assert found == [("UnknownContactError", "zoe"), ("DataError", "ana"), ("UnknownContactError", "xavier")]
    assert "line 3" in str(info.value) and "line 4" in str(info.value.errors[1])


# -- the bulk path gives what one record at a time gives ------------------------------------------
_CELLS = {  # with spaces of every kind the records strip, and cells of spaces alone
    "kind": ["client", "friend", " client ", "Client", "pal", "", " ", "\u3000client", "client\u2029"],
    "repeat_business": ["", "0", "3", " 12 ", "+3", "3.0", "-1", "1e2", "lots", "007", "0x1F", "1_000", "\t",
                        "\u00a03", "3\u2003"],
    "response_hours": ["", "0", "2.5", ".5", "1e3", "1E-2", "-1", "nan", "inf", "2,5", " 4 ", "Infinity", "-0",
                       "1_000", "+1.5", "2.5\u205f"],
    "last_interaction": ["", "2024-03-01", "2024-02-30", "2024-3-1", "20240301", "2999-12-31", "3000-01-01",
                         " 2024-01-05 ", "2024-01-05T00:00:00", "\u16802024-01-05"],
    "liking": ["", "0", "10", "11", "5", "5\u0085"],
    "trust": ["", "1", "0.5", "0", "1.5", "1e-13", "true", "0.000001"],
    "directed": ["", "yes", "no", "Y", "TRUE", "maybe", "0", " yes\u202f"],
    "target": ["ana", " ana", "ana\u00a0", "me", "zoe", "Jos\u00e9", "Jose\u0301", "ana\u200b", "ana\u3000",
               "\u2028ana", " "],
    "evidence": ["", "met twice", "met twice\u3000", "\u2003met", "\u00a0"],
}


def _one_at_a_time(folder: Path) -> tuple[list[Any], list[str]]:
    """The oracle: each row made into its record by pydantic and added to a network in order."""
    net = rg.read_csv(folder / "only_contacts")
    got, problems = [], []
    text = (folder / "relationships.csv").read_text(encoding="utf-8")
    for line, row in table_rows(text, folder / "relationships.csv", RELATIONSHIP_COLUMNS[:3], RELATIONSHIP_COLUMNS[3:]):
        card = {f: row.pop(f) for f in rg.Scorecard.FIELDS if f in row}
        if card:
            row["scorecard"] = card
        if "directed" in row:
            flag = row["directed"].strip().lower()
            if flag not in {"1", "true", "yes", "y", "x", "0", "false", "no", "n", ""}:
                problems.append(f"line {line}")
                continue
            row["directed"] = flag in {"1", "true", "yes", "y", "x"}
        try:
            net.add(rg.Relationship.parse(row))
        except RefgraphError:
            problems.append(f"line {line}")
            continue
        got.append(net.relationships[-1])
    return got, problems


_VALID = {"kind": "client", "repeat_business": "1", "response_hours": "", "last_interaction": "2024-01-01",
          "liking": "", "trust": "", "directed": "", "target": "ana", "evidence": ""}
_ROWS = st.sampled_from(sorted(_CELLS)).flatmap(  # a valid row but for one or two columns
    lambda column: st.fixed_dictionaries({k: st.sampled_from(v) if k == column else st.just(_VALID[k])
                                          for k, v in _CELLS.items()}))


@settings(max_examples=250)
@given(st.lists(_ROWS, min_size=1, max_size=6))
def test_bulk_checks_accept_and_refuse_exactly_what_records_do(rows: list[dict[str, str]]) -> None:
    contacts = CONTACTS + "zoe2,Zoe,,,\nJos\u00e9,Jos\u00e9 Diaz,,,\n"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "only_contacts").mkdir()
        (folder / "only_contacts" / "contacts.csv").write_text(contacts, encoding="utf-8")
        header = ["source", *_CELLS]
        lines = [",".join(header)] + [",".join(['"me"', *(f'"{r[k]}"' for k in _CELLS)]) for r in rows]
        _folder(folder, "\n".join(lines) + "\n", contacts)
        expected, problems = _one_at_a_time(folder)
        if problems:
            with pytest.raises(RefgraphError) as info:
                rg.read_csv(folder)
            assert [f"line {e.line}" if getattr(e, "line", None) else _line_of(e) for e in info.value.errors] == problems
        else:
            net = rg.read_csv(folder)
            assert list(net.relationships) == expected
            assert net.table("relationships").to_pylist() == to_table("relationships", expected).to_pylist()  # as kept


def _line_of(error: RefgraphError) -> str:
    return "line " + str(error).split(", line ")[1].split(")")[0].split(" ")[0].rstrip(",")


# -- frames ---------------------------------------------------------------------------------------
def test_from_frames_takes_pandas_with_a_column_mapping_and_typed_columns() -> None:
    pd = pytest.importorskip("pandas")
    contacts = pd.DataFrame({"Contact ID": ["me", "ana"], "Full Name": ["Sam Seller", "Ana Silva"],
                             "Email Address": [None, "ana@globex.example"]})
    rels = pd.DataFrame({"source": ["me"], "target": ["ana"], "kind": ["client"], "repeat_business": [3],
                         "last_interaction": pd.to_datetime(["2024-05-01"]), "response_hours": [2.5]})
    net = rg.from_frames(contacts=contacts, relationships=rels, owner="me",
                         columns={"contacts": {"Contact ID": "id", "Full Name": "name", "Email Address": "email"}})
    rel = net.relationships[0]
    assert rel == rg.Relationship(source="me", target="ana", kind="client", repeat_business=3,
                                  last_interaction=dt.date(2024, 5, 1), response_hours=2.5)
    assert net.contacts["ana"].email == "ana@globex.example" and net.contacts["me"].email is None


def test_from_frames_takes_anything_that_speaks_the_arrow_stream_protocol() -> None:
    contacts = pa.table({"id": ["me", "ana"], "name": ["Sam", "Ana"]})
    reader = pa.RecordBatchReader.from_batches(contacts.schema, contacts.to_batches())
    assert hasattr(reader, "__arrow_c_stream__")
    assert list(rg.from_frames(contacts=reader).contacts) == ["me", "ana"]


def test_from_frames_names_an_unknown_column_and_refuses_true_as_a_trust() -> None:
    contacts = {"id": ["me", "ana"], "name": ["Sam", "Ana"]}
    with pytest.raises(FileFormatError, match="unknown column.*colour") as info:
        rg.from_frames(contacts={**contacts, "colour": ["red", "blue"]})
    assert "contacts frame" in str(info.value)
    with pytest.raises(DataError, match=r"relationships frame, row 0.*'trust'"):
        rg.from_frames(contacts=contacts, relationships={"source": ["me"], "target": ["ana"], "kind": ["client"],
                                                         "trust": [True]})


def test_the_records_are_read_only_lists_made_when_asked(sample: rg.Network) -> None:
    net = rg.from_frames(**sample.to_frames(), owner=sample.owner)
    assert len(net.relationships) == sample.table("relationships").num_rows
    assert net.relationships[-1] == list(sample.relationships)[-1]
    assert net.relationships[:2] == list(sample.relationships)[:2]
    assert net.contacts["ana.silva"] == sample.contacts["ana.silva"] and "nobody" not in net.contacts
    with pytest.raises(AttributeError):
        net.relationships.append  # noqa: B018
    assert net.relationship("me", "ana.silva") == sample.relationship("me", "ana.silva")


# -- Parquet read by others -----------------------------------------------------------------------
def test_pandas_and_duckdb_read_a_saved_parquet_network(sample: rg.Network, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "net.parquet"
    rg.save(sample, path)
    frame = pd.read_parquet(path / "relationships.parquet")
    assert len(frame) == len(sample.relationships) and list(frame["source"]) == [r.source for r in sample.relationships]
    counts = dict(duckdb.sql(f"select status, count(*) from '{path}/referrals.parquet' group by status").fetchall())
    assert counts == {s: sum(r.status == s for r in sample.referrals) for s in {r.status for r in sample.referrals}}


def test_a_parquet_file_of_the_wrong_shape_is_named(sample: rg.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.parquet"
    rg.save(sample, path)
    (path / "mentions.parquet").write_bytes(b"not parquet")
    with pytest.raises(FileFormatError, match="mentions.parquet"):
        rg.load(path)


# -- string ids -----------------------------------------------------------------------------------
def test_arrow_string_ids_build_the_same_graph_as_python_strings() -> None:
    rng = np.random.default_rng(4)
    names = np.array([f"c{i}" for i in range(300)] + ["Zo\u00eb", "\u00e9mile", "b", "B"], dtype=object)
    s, t = rng.integers(0, len(names), 2000), rng.integers(0, len(names), 2000)
    keep = s != t
    src, tgt, w = names[s[keep]], names[t[keep]], rng.uniform(0.01, 1, int(keep.sum()))
    as_objects = rg.TrustGraph.from_edges(src, tgt, w)
    as_arrow = rg.TrustGraph.from_edges(pa.chunked_array([src[:700].tolist(), src[700:].tolist()]),
                                        pa.array(tgt.tolist()), w)
    assert list(as_arrow.ids) == sorted(set(src) | set(tgt)) == list(as_objects.ids)
    assert (as_arrow.indptr == as_objects.indptr).all() and (as_arrow.edge_trust == as_objects.edge_trust).all()


@pytest.mark.parametrize("length", [132_000, 17_000_000])  # over the csv module's limit; over Arrow's block
def test_a_field_longer_than_the_csv_modules_limit_round_trips(length: int, tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me", notes="x" * length),
                                           rg.Contact(id="ana", name="Ana")])
    rg.write_csv(net, tmp_path / "csv")
    back = rg.read_csv(tmp_path / "csv")
    assert back.contacts["me"].notes == "x" * length and list(back.contacts) == ["me", "ana"]


def test_a_parquet_file_missing_optional_columns_loads_and_one_missing_a_required_one_is_named(
        sample: rg.Network, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "net.parquet"
    rg.save(sample, path)
    ties = pq.read_table(path / "relationships.parquet")
    pq.write_table(ties.drop_columns(["evidence", "their_response_hours"]), path / "relationships.parquet")
    assert rg.load(path).relationships == sample.relationships  # a file of an earlier schema
    pq.write_table(ties.drop_columns(["kind"]), path / "relationships.parquet")
    with pytest.raises(FileFormatError, match=r"relationships.parquet, field 'kind'.*missing column"):
        rg.load(path)
