"""Fuzzed readers: random bytes, random CSV text and damaged real files into ``read_csv``,
``read_linkedin``, ``load`` (JSON and Parquet), ``read_graphml``, ``read_mail``,
``read_calendar``, ``read_vcard`` and ``read_crm``; nothing but a ``RefgraphError`` may escape.

A default run is part of ``make test``; ``make test-slow`` (``-m slow``) runs 10,000 examples per
reader. ``--hypothesis-show-statistics`` prints how many examples each run tried.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import RefgraphError
from refgraph.io import load, save
from refgraph.io.csv import CONTACT_COLUMNS, TABLES, read_csv, write_csv
from refgraph.io.graphml import read_graphml, write_graphml
from refgraph.io.linkedin import COLUMNS as LINKEDIN_COLUMNS
from refgraph.io.linkedin import read_linkedin

from .conftest import DATA

LONG = settings(max_examples=10_000, suppress_health_check=[HealthCheck.too_slow])

# -- what goes in --------------------------------------------------------------------------------------
WORDS = [
    *CONTACT_COLUMNS, *(c for _, columns, _ in TABLES.values() for c in columns), *LINKEDIN_COLUMNS,
    "me", "ana", "ben", "client", "friend", "won", "asked", "call", "thanks", "yes", "no", "maybe",
    "2024-01-31", "2024-02-30", "12 Mar 2024", "31 Feb 2024", "0", "1", "-1", "0.5", "1.5", "nan", "inf",
    "1e309", "", " ", "=1+1", "'", '"', '""', "\ufeff", "\x00", "é", "a;b|c", "https://www.linkedin.com/in/x",
    "x@y.z", "9" * 30,
]
cells = st.sampled_from(WORDS) | st.text(max_size=8)
separators = st.sampled_from([",", ",", ",", ";", "\t", '"', ', "'])
line_ends = st.sampled_from(["\r\n", "\n", "\r", ""])


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    """CSV-like text: a header of real and made-up column names, then rows of likely cells,
    joined with separators, quotes and line ends that are mostly but not always right."""
    lines = draw(st.lists(st.lists(cells, min_size=1, max_size=9), max_size=6))
    out = []
    for line in lines:
        sep = draw(separators)
        out.append(sep.join(line) + draw(line_ends))
    return draw(st.sampled_from(["", "\ufeff", "Notes:\r\n\r\n"])) + "".join(out)


def _encoded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.tuples(texts, st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1252"])).map(
        lambda te: te[0].encode(te[1], errors="replace"))


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` cut short, with bytes changed, removed or inserted at random places."""
    data = bytearray(original[: draw(st.integers(0, len(original)))] if draw(st.booleans()) else original)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["flip", "cut", "insert"]))
        if what == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif what == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at:at] = draw(st.binary(max_size=8) | st.sampled_from(
                [b'"', b",", b"\n", b"<", b"</", b"&lol;", b"<!ENTITY x 'y'>", b"{", b"]", b"null", b"-1", b"\xff"]))
    return bytes(data)


def _sample_files() -> dict[str, bytes]:
    """Real files to damage: the tiny network saved, as CSV, as GraphML; a LinkedIn export."""
    net = rg.Network(owner="sam", contacts=[rg.Contact(id="sam", name="Sam"), rg.Contact(id="ana", name="Ana")])
    net.add(rg.Relationship(source="sam", target="ana", kind="client", last_interaction="2024-05-01"),
            rg.Interaction(contact="ana", date="2024-02-02", kind="thanks", note="n"),
            rg.Referral(referrer="sam", referred="ana", date="2024-02-01", status="won", value=10))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        save(net, root / "net.json")
        write_graphml(net.trust_graph(), root / "g.graphml")
        write_csv(net, root / "csv")
        files = {p.name: p.read_bytes() for p in (root / "csv").iterdir()}
        files["net.json"] = (root / "net.json").read_bytes()
        files["g.graphml"] = (root / "g.graphml").read_bytes()
        save(net, root / "net.parquet")
        files.update({f"parquet/{p.name}": p.read_bytes() for p in (root / "net.parquet").iterdir()})
    files["Connections.csv"] = (DATA / "linkedin_connections.csv").read_bytes()
    files["mail.mbox"] = MBOX.encode()
    files["work.ics"] = ICS.encode()
    files["people.vcf"] = VCARD.encode()
    files["hubspot.csv"] = b"First Name,Last Name,Email,Company Name\r\nAna,Silva,ana@globex.example,Globex\r\n"
    return files


MBOX = """From ana@globex.example Mon Jan 15 09:00:00 2024
From: Ana Silva <ana@globex.example>
To: Sam <sam@example.com>
Subject: Lunch?
Date: Mon, 15 Jan 2024 09:00:00 +0000
Message-ID: <a1@globex.example>

body
From sam@example.com Mon Jan 15 11:00:00 2024
From: Sam <sam@example.com>
To: Ana Silva <ana@globex.example>
Subject: Re: Lunch?
Date: Mon, 15 Jan 2024 11:30:00 +0000
Message-ID: <s1@example.com>
In-Reply-To: <a1@globex.example>

yes
"""
ICS = """BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART:20240115T090000Z\r
DTEND:20240115T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nORGANIZER:mailto:sam@example.com\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@globex.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"""
VCARD = """BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\nEMAIL:ana@globex.example\r
ORG:Globex\r\nCATEGORIES:friends\r\nEND:VCARD\r\n"""


SAMPLES = _sample_files()
CSV_NAMES = ["contacts.csv", "roles.csv", *TABLES]

INPUTS: dict[str, st.SearchStrategy[bytes]] = {
    "read_csv": st.binary(max_size=300) | _encoded(csv_text()),
    "read_linkedin": st.binary(max_size=300) | _encoded(csv_text()) | damaged(SAMPLES["Connections.csv"]),
    "load": st.binary(max_size=300) | damaged(SAMPLES["net.json"]),
    "read_graphml": st.binary(max_size=300) | damaged(SAMPLES["g.graphml"]),
    "load_parquet": st.binary(max_size=300),  # or a damaged file of a saved network (see _check)
    "read_mail": st.binary(max_size=300) | damaged(SAMPLES["mail.mbox"]),
    "read_calendar": st.binary(max_size=300) | damaged(SAMPLES["work.ics"]),
    "read_vcard": st.binary(max_size=300) | damaged(SAMPLES["people.vcf"]),
    "read_crm": st.binary(max_size=300) | _encoded(csv_text()) | damaged(SAMPLES["hubspot.csv"]),
}
OWNER = ["sam@example.com"]


# -- running a reader on it ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _read_csv_folder(folder: Path, name: str, data: bytes) -> None:
    """A CSV folder of good files in which ``name`` holds ``data``."""
    for other in CSV_NAMES:
        (folder / other).write_bytes(data if other == name else SAMPLES[other])
    read_csv(folder)


def _run(reader: str, data: bytes, folder: Path, name: str) -> None:
    calls: dict[str, Callable[[], object]] = {
        "read_csv": lambda: _read_csv_folder(folder, name, data),
        "read_linkedin": lambda: read_linkedin(folder / "Connections.csv"),
        "load": lambda: load(folder / "net.json"),
        "read_graphml": lambda: read_graphml(folder / "g.graphml"),
        "load_parquet": lambda: load(_parquet_folder(folder, name, data)),
        "read_mail": lambda: rg.read_mail(folder / "mail.mbox", OWNER),
        "read_calendar": lambda: rg.read_calendar(folder / "work.ics", OWNER, as_of="2024-06-30"),
        "read_vcard": lambda: rg.read_vcard(folder / "people.vcf"),
        "read_crm": lambda: rg.read_crm(folder / "hubspot.csv"),
    }
    for file in ("Connections.csv", "net.json", "g.graphml", "mail.mbox", "work.ics", "people.vcf", "hubspot.csv"):
        (folder / file).write_bytes(data)
    try:
        calls[reader]()
    except RefgraphError:
        pass  # a clear error is the expected answer to most of these inputs


PARQUET_NAMES = sorted(name for name in SAMPLES if name.startswith("parquet/"))


def _parquet_folder(folder: Path, name: str, data: bytes) -> Path:
    """A saved Parquet network in which the file ``name`` holds ``data``."""
    path = folder / "net.parquet"
    path.mkdir(exist_ok=True)
    for other in PARQUET_NAMES:
        (path / other.removeprefix("parquet/")).write_bytes(data if other == name else SAMPLES[other])
    return path


def _check(reader: str, data: st.DataObject, folder: Path) -> None:
    names = {"read_csv": CSV_NAMES, "load_parquet": PARQUET_NAMES}.get(reader)
    name = data.draw(st.sampled_from(names)) if names else ""
    if names and data.draw(st.booleans()):
        _run(reader, data.draw(damaged(SAMPLES[name])), folder, name)
    else:
        _run(reader, data.draw(INPUTS[reader]), folder, name)


@pytest.mark.parametrize("reader", INPUTS)
@given(data=st.data())
def test_only_refgraph_errors_escape_the_readers(reader: str, data: st.DataObject, scratch: Path) -> None:
    _check(reader, data, scratch)


@pytest.mark.slow
@pytest.mark.parametrize("reader", INPUTS)
@LONG
@given(data=st.data())
def test_only_refgraph_errors_escape_the_readers_long_run(reader: str, data: st.DataObject, scratch: Path) -> None:
    _check(reader, data, scratch)


def test_the_damaged_files_start_out_readable(scratch: Path) -> None:
    net = load(_write(scratch / "net.json", SAMPLES["net.json"]))
    assert net.owner == "sam" and read_graphml(_write(scratch / "g.graphml", SAMPLES["g.graphml"])).owner == "sam"
    folder = scratch / "csv"
    folder.mkdir(exist_ok=True)
    for name in CSV_NAMES:
        _write(folder / name, SAMPLES[name])
    assert read_csv(folder).referrals == net.referrals


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
