"""Thin signals are said, not ranked silently; importing mail and a calendar into a LinkedIn
network gives the trust model evidence to cite and changes who to ask and who opens doors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import refgraph as rg
from refgraph.analysis.asking import who_to_ask
from refgraph.cli import main
from refgraph.records.coverage import LOW_COVERAGE, signal_coverage

from .test_calendar import calendar, event
from .test_mail import message

DATA = Path(__file__).parent / "data"
ME = "me@own.example"
T0 = dt.datetime(2024, 9, 2, 9, 0, tzinfo=dt.UTC)


def test_coverage_counts_each_signal_against_a_hand_count() -> None:
    card = rg.Scorecard(liking=5, reciprocity=5, credibility=5, commitment=5)
    rels = [rg.Relationship(source="a", target=t, kind="friend", **signal) for t, signal in [
        ("b", {}), ("c", {"last_interaction": "2024-01-01"}), ("d", {"repeat_business": 1, "response_hours": 2}),
        ("e", {"candid_conversations": 3}), ("f", {"scorecard": card}), ("g", {"trust": 0.5})]]
    cover = signal_coverage(rels)
    assert (cover.relationships, cover.with_signal, cover.repeat_business, cover.response_hours,
            cover.candid_conversations, cover.scorecard, cover.trust) == (6, 4, 1, 1, 1, 1, 1)
    assert cover.note == "" and signal_coverage([]).note == ""
    thin = signal_coverage(rels[:2] * 6 + rels[2:3])
    assert thin.share < LOW_COVERAGE and thin.note.startswith("only 1 of 13 relationships carry a signal")


def test_a_linkedin_network_says_its_answers_rest_on_connection_dates(tmp_path: Path, capsys) -> None:
    net = rg.read_linkedin(DATA / "linkedin_connections.csv")
    asks = who_to_ask(net)
    assert len(asks) == 0
    assert asks.note.startswith("trust from the connection date only: import mail or calendar")
    assert "no contact tied to you is one of client, family, friend, referred_contact" in asks.note
    assert "note: trust from the connection date only" in repr(asks)
    assert main(["summary", str(DATA / "linkedin_connections.csv")]) == 0
    assert "(trust from the connection date only" in capsys.readouterr().out
    rg.write_report(net, tmp_path / "report")
    assert "trust from the connection date only" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")


def test_mail_and_calendar_give_a_linkedin_network_evidence_and_new_answers(tmp_path: Path) -> None:
    net = rg.read_linkedin(DATA / "linkedin_connections.csv")
    top_before = rg.centres_of_influence(net.trust_graph(), top=1)[0].contact
    jose, kim = "José Álvarez <jose@example.com>", "Kim Ode <kim@example.org>"
    (tmp_path / "mail.mbox").write_text("".join([
        message(jose, ME, T0, "j1@globex"),
        message(f"Me <{ME}>", jose, T0 + dt.timedelta(hours=1.5), "m1@own", reply_to="j1@globex"),
        message(jose, ME, T0 + dt.timedelta(days=2), "j2@globex", subject="Introduction: Kim", cc=kim),
        message(kim, ME, T0 + dt.timedelta(days=3), "k1@example", reply_to="j2@globex"),
        message(f"Me <{ME}>", kim, T0 + dt.timedelta(days=3, hours=2), "m2@own", reply_to="k1@example"),
    ]), encoding="utf-8")
    (tmp_path / "work.ics").write_text(calendar(event(
        "bjork-1on1", ";TZID=Atlantic/Reykjavik:20240805T100000", "RRULE:FREQ=WEEKLY;COUNT=6",
        attendees=("CN=Björk;PARTSTAT=ACCEPTED:mailto:bjork@example.is",), organizer=ME)), encoding="utf-8")
    rg.read_mail(tmp_path / "mail.mbox", [ME], network=net)
    rg.read_calendar(tmp_path / "work.ics", [ME], network=net)
    g = net.trust_graph()
    assert "evidence: 3 e-mails (1 from you, 2 to you) in 2 threads, your median reply 1.5 h, from mail.mbox" in str(
        g.explain("me", "li:jose-alvarez"))
    assert "evidence: 6 meetings, 6 of them small and accepted, from work.ics" in str(g.explain("me", "li:bjork"))
    # the calendar's six candid talks and the mail's quick reply lift those two above the others
    others = [g.trust("me", c) for c in ("li:meichen", "li:ola-nordmann", "li:private-member-123")]
    assert min(g.trust("me", "li:bjork"), g.trust("me", "li:jose-alvarez")) > max(others)
    # José introduced Kim: the two are the only contacts linked beyond the owner, so the top centres
    assert top_before != "li:jose-alvarez"
    assert {r.contact for r in rg.centres_of_influence(g, top=2)} == {"li:jose-alvarez", "mail:kim@example.org"}
    asks = who_to_ask(net)
    assert [r.contact for r in asks] == ["mail:kim@example.org"] and asks.note == ""



def test_the_import_command_combines_mail_calendar_and_address_book(tmp_path: Path, capsys) -> None:
    (tmp_path / "mail.mbox").write_text(message("Ana <ana@globex.example>", ME, T0, "a1@globex")
                                        + message(ME, "ana@globex.example", T0 + dt.timedelta(hours=2), "m1@own",
                                                  reply_to="a1@globex"), encoding="utf-8")
    (tmp_path / "work.ics").write_text(calendar(event("1on1", ":20240903T100000Z",
                                                      attendees=("PARTSTAT=ACCEPTED:mailto:ana@globex.example",),
                                                      organizer=ME)),
                                       encoding="utf-8")
    (tmp_path / "book.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nEMAIL:ana@globex.example\n"
                                       "CATEGORIES:Clients\nEND:VCARD\n", encoding="utf-8")
    files = [str(tmp_path / f) for f in ("mail.mbox", "work.ics", "book.vcf")]
    out = tmp_path / "net.json"
    assert main(["import", *files, "--owner-address", ME, "--owner", "sam", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mail.mbox: read (2 messages, 2 messages used)" in printed
    assert "work.ics: read (1 events, 1 occurrences)" in printed and "saved to" in printed
    net = rg.load(out)
    [rel] = net.relationships
    assert (net.owner, str(rel.kind), rel.response_hours, rel.candid_conversations) == ("sam", "client", 2.0, 1)
    assert rel.evidence == ("2 e-mails (1 from you, 1 to you) in 1 thread, your median reply 2 h, from mail.mbox; "
                            "1 meeting, 1 of them small and accepted, from work.ics; in the address book book.vcf")
    assert net.contacts["mail:ana@globex.example"].name == "Ana"
    assert main(["import", files[0], "--out", str(out)]) == 2
    assert "mail.mbox: mail and calendars need --owner-address" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "notes.txt"), "--out", str(out)]) == 2
    assert "cannot tell what this file is" in capsys.readouterr().err
