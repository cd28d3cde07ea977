"""The HTML report, from the sample, a CSV folder and the command line; names are escaped."""

from __future__ import annotations

from pathlib import Path

import refgraph as rg
from refgraph import cli


def test_report_on_the_sample_has_its_sections_and_figures(tmp_path: Path) -> None:
    page = rg.write_report(rg.sample_network(), tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    for heading in ("Your network", "Warmest relationships", "Centres of influence", "Who to ask for a referral",
                    "Referral chains", "Value attribution", "Whom to cultivate", "Warm introductions to your prospects", "Follow-ups",
                    "Leads mentioned in passing"):
        assert f"<h2>{heading}</h2>" in text
    for figure in ("network.png", "scorecard.png", "influence.png", "chains.png", "growth.png", "forecast.png",
                   "warm-path.png"):
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


def test_warm_paths_section_leads_with_the_warmest_unknown_prospect(sample: rg.Network, tmp_path: Path) -> None:
    g = sample.trust_graph()
    best = {}
    for c in sample.contacts.values():
        if "prospect" in c.kinds and not g.has_edge("me", c.id):
            paths = rg.warm_paths(g, c.id)
            if paths:
                best[c.name] = paths[0].trust
    warmest = max(best, key=best.get)
    text = rg.write_report(sample, tmp_path).read_text(encoding="utf-8")
    section = text.split("<h2>Warm introductions to your prospects</h2>")[1]
    assert section.split("<tbody><tr><td>")[1].startswith(warmest)
    assert f"<h3>Plan for {warmest}</h3>" in section


def test_influence_and_asking_sections_follow_the_rankings(sample: rg.Network, tmp_path: Path) -> None:
    text = rg.write_report(sample, tmp_path).read_text(encoding="utf-8")
    centres = text.split("<h2>Centres of influence</h2>")[1]
    first = rg.centres_of_influence(sample.trust_graph(), top=1)[0]
    assert centres.split("<tbody><tr><td>")[1].startswith(first.name)
    asks = text.split("<h2>Who to ask for a referral</h2>")[1]
    assert asks.split("<tbody><tr><td>")[1].startswith(rg.who_to_ask(sample, top=1)[0].name)


def test_chain_sections_show_generations_the_role_move_and_open_follow_ups(sample: rg.Network, tmp_path: Path) -> None:
    text = rg.write_report(sample, tmp_path).read_text(encoding="utf-8")
    forest = rg.referral_chains(sample)
    assert f"{len(forest.roots)} chains reach {len(forest)} contacts over {forest.depth} generations" in text
    assert "Orla Bianchi moved from Globex to Initech and referred 3 people there" in text
    due = [f for f in rg.follow_ups(sample) if f.due is not None and not f.done]
    overdue = sum(f.overdue for f in due)
    assert f"{len(due)} follow-ups are open, {overdue} of them overdue" in text
    assert rg.harvest(sample)[0].suggestion in text


def test_forecast_section_without_referral_history_says_so(tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id=c, name=c.upper()) for c in ("me", "a", "b", "c", "d")],
                     relationships=[rg.Relationship(source="me", target=c, kind="friend") for c in "abcd"])
    text = rg.write_report(net, tmp_path).read_text(encoding="utf-8")
    assert "<h2>Whom to cultivate</h2>" in text and "no referral history to fit it on" in text
    assert "<h2>Referral chains</h2>" not in text
