"""The public surface: a sorted __all__ that matches what the package exports, and the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    forest = rg.referral_chains(rg.sample_network())
    assert f"chains: {len(forest.roots)} chains, {len(forest)} contacts, {forest.depth} generations deep" in out
    assert forest.depth == 4 and "Orla Bianchi moved from Globex to Initech and referred 3 people there" in out


def test_bad_input_gives_a_one_line_error_and_exit_code_2(tmp_path, capsys) -> None:
    assert cli.main(["summary", str(tmp_path / "nothing.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refgraph: error: ") and err.count("\n") == 1


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "refgraph", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "demo" in done.stdout
    done = subprocess.run([sys.executable, "-m", "refgraph", "frobnicate"], capture_output=True, text=True, check=False)
    assert done.returncode == 2


def test_bad_arguments_are_one_line_too(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--bogus"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and err.startswith("refgraph: error: ")


def test_paths_command_prints_distinct_introducers_and_a_plan(capsys) -> None:
    assert cli.main(["paths", "theo.brooks", "-k", "2"]) == 0
    out = capsys.readouterr().out
    g = rg.sample_network().trust_graph()
    expected = rg.warm_paths(g, "theo.brooks", top=2, distinct_introducers=True)
    assert [line for line in out.splitlines() if line.startswith("<IntroPath")] == [repr(p) for p in expected]
    assert "1. Ask " in out
    assert cli.main(["paths", "Nowhere Ltd"]) == 2
    assert "unknown contact 'Nowhere Ltd'" in capsys.readouterr().err


def test_help_lists_every_command() -> None:
    text = cli._parser().format_help()
    assert all(command in text for command in ("demo", "report", "summary", "paths"))


def _hostile_network(tmp_path) -> str:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me \x1b]0;owned\x07"),
                                           rg.Contact(id="cls", name="Clear \x1b[2J\x9b31m screen")])
    net.add(rg.Relationship(source="me", target="cls", kind="friend", trust=0.9))
    path = tmp_path / "net.json"
    net.save(path)
    return str(path)


def test_summary_never_sends_control_characters_from_the_data_to_the_terminal(tmp_path, capsys) -> None:
    assert cli.main(["summary", _hostile_network(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "Clear \\x1b[2J\\x9b31m screen" in out


def test_ctrl_c_is_one_line_and_exit_code_130(monkeypatch, capsys) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "summarize", interrupted)
    assert cli.main(["demo"]) == 130
    assert capsys.readouterr().err == "refgraph: interrupted\n"  # demo says nothing of a fallback


def test_a_reader_leaving_the_pipe_gives_no_traceback(tmp_path) -> None:
    child = subprocess.Popen([sys.executable, "-m", "refgraph", "summary", _hostile_network(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # as `| head -0` would
    with child.stderr:
        err = child.stderr.read().decode()
    assert child.wait() == 1 and err == ""
