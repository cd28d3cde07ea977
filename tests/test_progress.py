"""Opt-in progress: silent when off, a counter on stderr that reaches 100% when on (without tqdm)."""

from __future__ import annotations

import builtins

import pytest

from refgraph._progress import progress


def test_off_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    bar = progress(10, "work", enabled=False)
    for _ in range(10):
        bar.update()
    bar.close()
    assert capsys.readouterr() == ("", "")


def test_counter_on_stderr_without_tqdm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_import = builtins.__import__

    def no_tqdm(name: str, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    bar = progress(4, "simulating", enabled=True)
    for _ in range(4):
        bar.update()
    bar.close()
    err = capsys.readouterr().err
    assert err.startswith("\rsimulating: 25% (1/4)") and "100% (4/4)" in err and err.endswith("\n")
