"""The bad-input corpus (tests/data/bad/cases.toml): every case raises its error, naming where.

Each case is one file and the error its reader must raise, with the words (file name, line
number, field, offending value or contact id) its message must contain. Separate tests check
that the corpus covers what the issue asks for, that a billion-laughs file fails fast, and
that no pickle, eval or exec is left in the source.
"""

from __future__ import annotations

import re
import shutil
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from refgraph import errors
from refgraph.io.csv import read_csv
from refgraph.io.graphml import read_graphml
from refgraph.io.json import load
from refgraph.io.linkedin import read_linkedin

from .conftest import DATA

BAD = DATA / "bad"
CASES: list[dict[str, Any]] = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]
READERS = {"read_csv": read_csv, "read_linkedin": read_linkedin, "load": load, "read_graphml": read_graphml}
SRC = Path(__file__).resolve().parents[1] / "src" / "refgraph"


def _input(case: dict[str, Any], tmp_path: Path) -> Path:
    """The path the reader is given: the file itself, or a CSV folder holding it."""
    if case["reader"] != "read_csv":
        return shutil.copy(BAD / case["file"], tmp_path / case["file"])
    shutil.copy(BAD / "base_contacts.csv", tmp_path / "contacts.csv")
    shutil.copy(BAD / case["file"], tmp_path / case["save_as"])
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_bad_input_raises_its_error_naming_where(case: dict[str, Any], tmp_path: Path) -> None:
    expected = getattr(errors, case["error"])
    with pytest.raises(errors.RefgraphError) as info:
        READERS[case["reader"]](_input(case, tmp_path), **case.get("kwargs", {}))
    assert type(info.value) is expected, f"{case['why']}: {info.value!r}"
    message = str(info.value)
    missing = [w for w in case["words"] if w not in message]
    assert not missing, f"{case['why']}: {missing} not in {message!r}"
    assert "Traceback" not in message and len(message) < 2000


def test_the_corpus_covers_the_issue() -> None:
    names = {c["name"] for c in CASES}
    readers = {c["reader"] for c in CASES}
    assert len(CASES) >= 40 and len(names) == len(CASES)
    assert readers == set(READERS)
    unknown_in = {c["file"].split("_unknown")[0] for c in CASES if c["error"] == "UnknownContactError"}
    assert {"relationship", "referral", "interaction", "mention", "role"} <= unknown_in
    for topic in ("duplicate", "missing", "empty", "header_only", "negative", "trust", "impossible", "after_as_of",
                  "unknown_kind", "unknown_status", "self", "cycle", "not_utf8", "bom", "ragged", "no_header",
                  "truncated", "newer_version", "billion_laughs"):
        assert any(topic in name for name in names), topic
    files = {p.name for p in BAD.iterdir()} - {"cases.toml", "base_contacts.csv"}
    assert files == {c["file"] for c in CASES}  # one file per case, none forgotten


def test_every_csv_case_names_its_file_and_line() -> None:
    for case in CASES:
        if case["reader"] == "read_csv":
            assert case["save_as"] in case["words"] and any(re.fullmatch(r"line \d+", w) for w in case["words"])


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    path = BAD / "graphml_billion_laughs.graphml"
    assert path.stat().st_size < 2000  # a billion 'lol's if expanded
    start = time.process_time()
    with pytest.raises(errors.FileFormatError, match="refused"):
        read_graphml(path)
    assert time.process_time() - start < 5  # a guard against expansion, not a benchmark


def test_readers_name_the_missing_file(tmp_path: Path) -> None:
    for reader in (read_linkedin, load, read_graphml):
        with pytest.raises(errors.StorageError, match="nothing.xyz"):
            reader(tmp_path / "nothing.xyz")


def test_no_pickle_eval_or_exec_in_the_source() -> None:
    forbidden = re.compile(r"\b(pickle|marshal|shelve)\b|(?<![\w.])(eval|exec)\s*\(|\bliteral_eval\b")
    hits = [
        f"{path.relative_to(SRC)}:{k}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert hits == []
