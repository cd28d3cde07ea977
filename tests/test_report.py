"""The HTML report, from the sample, a CSV folder and the command line; names are escaped."""

from __future__ import annotations

from pathlib import Path

import refgraph as rg
from refgraph import cli


def test_report_on_the_sample_has_its_sections_and_figures(tmp_path: Path) -> None:
    page = rg.write_report(rg.sample_network(), tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    for heading in ("Your network", "Warmest relationships"):
        assert f"<h2>{heading}</h2>" in text
    for figure in ("network.png", "scorecard.png"):
        assert (tmp_path / "out" / figure).stat().st_size > 10_000
        assert f'src="{figure}"' in text


def test_report_escapes_names_from_user_files(tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
                                           rg.Contact(id="x", name="<script>alert(1)</script>")],
                     relationships=[rg.Relationship(source="me", target="x", kind="friend")])
    text = rg.write_report(net, tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_report_command_on_a_csv_folder(tmp_path: Path, capsys) -> None:
    rg.write_csv(rg.sample_network(), tmp_path / "csv")
    assert cli.main(["report", str(tmp_path / "csv"), "--out", str(tmp_path / "r")]) == 0
    assert "report written to" in capsys.readouterr().out
    assert (tmp_path / "r" / "index.html").exists() and (tmp_path / "r" / "network.png").exists()
