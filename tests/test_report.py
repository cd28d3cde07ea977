"""The HTML report, from the sample, a CSV folder and the command line; names are escaped."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

import refgraph as rg
from refgraph import cli


def test_report_on_the_sample_has_its_sections_and_figures(tmp_path: Path) -> None:
    page = rg.write_report(rg.sample_network(), tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    for heading in ("Your network", "Warmest relationships", "Centres of influence", "Who to ask for a referral",
                    "Referral chains", "Value attribution", "Whom to cultivate", "Warm introductions to your prospects",
                    "Follow-ups",
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
    assert f"{len(due)} follow-ups to do, {overdue} of them overdue" in text
    assert rg.harvest(sample)[0].suggestion in text


def test_forecast_section_without_referral_history_says_so(tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id=c, name=c.upper()) for c in ("me", "a", "b", "c", "d")],
                     relationships=[rg.Relationship(source="me", target=c, kind="friend") for c in "abcd"])
    text = rg.write_report(net, tmp_path).read_text(encoding="utf-8")
    assert "<h2>Whom to cultivate</h2>" in text and "no referral history to fit it on" in text
    assert "<h2>Referral chains</h2>" not in text


def _overdue_network() -> rg.Network:
    """Three referrals met on 2024-05-01 by one referrer, nothing thanked: six follow-ups fall
    due on 2024-05-02 (a thanks and a status report each)."""
    people = ["me", "ana", "b1", "b2", "b3"]
    return rg.Network(
        owner="me", contacts=[rg.Contact(id=c, name=c.title()) for c in people],
        relationships=[rg.Relationship(source="me", target="ana", kind="client", last_interaction="2024-05-01")],
        referrals=[rg.Referral(referrer="ana", referred=b, date="2024-05-01", status="met") for b in people[2:]])


def test_follow_ups_count_as_of_the_day_given(tmp_path: Path) -> None:
    net = _overdue_network()
    on_the_day = rg.write_report(net, tmp_path / "a", as_of="2024-05-02").read_text(encoding="utf-8")
    assert "6 follow-ups to do, 0 of them overdue as of 2024-05-02" in on_the_day
    later = rg.write_report(net, tmp_path / "b", as_of=dt.date(2024, 6, 1)).read_text(encoding="utf-8")
    assert "6 follow-ups to do, 6 of them overdue as of 2024-06-01" in later
    with pytest.raises(rg.DataError, match="YYYY-MM-DD"):
        rg.write_report(net, tmp_path / "c", as_of="01/06/2024")
    with pytest.raises(rg.DataError, match="dated after as_of 2024-04-01"):
        rg.write_report(net, tmp_path / "c", as_of="2024-04-01")


def test_report_command_reads_the_network_as_of_today(tmp_path: Path, capsys) -> None:
    rg.write_csv(_overdue_network(), tmp_path / "csv")
    args = ["report", str(tmp_path / "csv"), "--out", str(tmp_path / "r"), "--as-of", "today"]
    assert cli.main(args) == 0
    text = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert f"6 of them overdue as of {dt.date.today().isoformat()}" in text
    assert cli.main([*args[:-1], "2024-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_every_open_follow_up_is_listed_most_urgent_first(sample: rg.Network, tmp_path: Path) -> None:
    text = rg.write_report(sample, tmp_path).read_text(encoding="utf-8")
    section = text.split("<h2>Follow-ups</h2>")[1].split("<h2>")[0]
    wanted = [f for f in rg.follow_ups(sample) if f.due is not None and not f.done]
    assert len(wanted) > 15  # the sample has more than fit in the first table
    assert f"15 of {len(wanted)} here, the other {len(wanted) - 15} folded below" in section
    shown = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>(overdue|due)</td><td>([^<]*)</td></tr>", section)
    assert sorted(action for _, _, action in shown) == sorted(html.escape(f.action) for f in wanted)
    keys = [(state != "overdue", day) for day, state, _ in shown]
    assert keys == sorted(keys)  # overdue first, the longest overdue at the top
    assert "<details>" in section.split("</table>", 1)[1]


def test_whom_to_cultivate_shows_one_set_of_numbers(sample: rg.Network, tmp_path: Path) -> None:
    text = rg.write_report(sample, tmp_path).read_text(encoding="utf-8")
    section = text.split("<h2>Whom to cultivate</h2>")[1].split("<h2>")[0]
    g = sample.trust_graph()
    p = rg.calibrate(sample).p
    plan = rg.whom_to_cultivate(g, 3, p=p, seed=0)
    chart = rg.simulate_referrals(g, plan.contacts, runs=plan.check.runs, p=p, seed=plan.check.seed)
    table = re.findall(r"<tr><td>(\d)</td><td>([^<]*)</td><td>([\d.]+)</td><td>([\d.]+)</td></tr>", section)
    assert [name for _, name, _, _ in table] == [g.name(c) for c in plan.contacts]
    assert table[-1][3] == f"{chart.expected_reach:.1f}"  # the table's reach is the chart's
    assert f"about {chart.expected_reach:.1f} people (± {chart.standard_error:.2f})" in section
    assert "<details><summary>How this is worked out</summary>" in section


def _star_network(hubs: dict[str, int], shared: dict[str, str] | None = None) -> rg.Network:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")])
    for hub, leaves in hubs.items():
        net.add(rg.Contact(id=hub, name=hub.title()))
        own = (shared or {}).get(hub, hub)
        for i in range(leaves):
            if own == hub:
                net.add(rg.Contact(id=f"{hub}{i}", name=f"{hub.title()} {i}"))
            net.add(rg.Relationship(source=hub, target=f"{own}{i}", kind="friend", trust=0.9))
    return net


def test_the_report_claims_an_advantage_over_pagerank_only_beyond_the_noise(tmp_path: Path) -> None:
    overlap = _star_network({"a": 8, "b": 8, "c": 3, "d": 3}, shared={"b": "a"})
    text = rg.write_report(overlap, tmp_path / "o").read_text(encoding="utf-8")
    assert re.search(r"That is [\d.]+ \(± [\d.]+\) more than your top 3 by PageRank", text)
    same = _star_network({"a": 4, "b": 4, "c": 4, "d": 4, "e": 4})
    text = rg.write_report(same, tmp_path / "s").read_text(encoding="utf-8")
    assert "more than your top 3" not in text
    assert "no better than your top 3 by PageRank" in text or "They are also your top 3 by PageRank" in text


def test_a_move_that_brought_no_referral_is_not_listed(tmp_path: Path, capsys) -> None:
    net = rg.sample_network()
    # Ben moved from Globex to Initech and referred nobody there: no line about his move
    ben = rg.Contact(id="ben.moved", name="Ben Moved", organization="Initech",
                     roles=[rg.Role(organization="Globex", start="2020-01-01", end="2022-12-31"),
                            rg.Role(organization="Initech", start="2023-01-01")])
    net.add(ben, rg.Relationship(source="me", target="ben.moved", kind="friend", trust=0.5))
    assert any(r.name == "Ben Moved" and r.moved_from and r.referrals == 0 for r in rg.role_moves(net))
    text = rg.write_report(net, tmp_path).read_text(encoding="utf-8")
    assert "Ben Moved moved" not in text and "referred 0 people" not in text
    assert "Orla Bianchi moved from Globex to Initech and referred 3 people there" in text
    assert "referred 0 people" not in cli.summarize(net, "t")
