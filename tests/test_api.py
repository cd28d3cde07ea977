"""The public surface: a sorted __all__ that matches what the package exports, and the CLI."""

from __future__ import annotations

import subprocess
import sys

import refgraph as rg
from refgraph import cli


def test_all_is_sorted_and_matches_public_names() -> None:
    assert rg.__all__ == sorted(rg.__all__)
    public = {n for n in dir(rg) if not n.startswith("_") and not isinstance(getattr(rg, n), type(sys))}
    assert public - {"annotations"} | {"plot"} == set(rg.__all__)  # plot is the one public submodule


def test_error_tree() -> None:
    assert issubclass(rg.UnknownContactError, KeyError) and issubclass(rg.UnknownContactError, rg.RefgraphError)
    assert issubclass(rg.FileFormatError, rg.DataError) and issubclass(rg.DataError, ValueError)
    assert issubclass(rg.StorageError, OSError)


def test_demo_prints_the_sample_summary(tmp_path, capsys) -> None:
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "contacts: 109" in out and "warmest ties" in out and "base as" in out
    assert (tmp_path / "index.html").exists() and "report written to" in out


def test_bad_input_gives_a_one_line_error_and_exit_code_2(tmp_path, capsys) -> None:
    assert cli.main(["summary", str(tmp_path / "nothing.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refgraph: error: ") and err.count("\n") == 1


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "refgraph", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "demo" in done.stdout
    done = subprocess.run([sys.executable, "-m", "refgraph", "frobnicate"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
