"""read_mail on mailboxes the tests write, with replies at known delays: every derived number is
the one the fixture was built with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import refgraph as rg
from refgraph.errors import DataError, FileFormatError, StorageError

ME, ALIAS = "sam@own.example", "Sam.Seller@Alias.Example"
T0 = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)


def message(sender: str, to: str, at: dt.datetime, mid: str, *, subject: str = "Hello", cc: str = "",
            reply_to: str | None = None, references: str | None = None, extra: str = "") -> str:
    """One mbox message: headers as given, a body that must never matter."""
    lines = [f"From {sender.split('<')[-1].strip('>')} {at:%a %b %d %H:%M:%S %Y}", f"From: {sender}", f"To: {to}",
             f"Date: {at:%a, %d %b %Y %H:%M:%S %z}", f"Message-ID: <{mid}>", f"Subject: {subject}"]
    lines += [f"Cc: {cc}"] if cc else []
    lines += [f"In-Reply-To: <{reply_to}>"] if reply_to else []
    lines += [f"References: {references}"] if references else []
    lines += [extra] if extra else []
    return "\n".join([*lines, "", "The body: To: nobody@body.example", ">From a quoted line, escaped as mbox writers do", "", ""])


def h(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


def mailbox() -> str:
    """Ana: two threads; Sam answers her in 2 h and 5 h (median 3.5), she answers Sam in 1 h.
    Raj: one message from Sam (via the alias), no reply. Ana introduces Zoe (subject "Intro"),
    Zoe writes to Sam 26 h later and Sam answers in 0.5 h. Left out: a list, bulk mail, an
    auto-reply, a no-reply sender, a note to self, a copy of a message, mail between others."""
    ana, raj, zoe = "Ana Silva <ana@globex.example>", "raj@initech.example", "=?utf-8?q?Zo=C3=AB_Durand?= <zoe@acme.example>"
    parts = [
        message(ana, f"Sam <{ME}>", T0, "a1@globex"),
        message(f"Sam <{ME}>", ana, T0 + h(2), "s1@own", reply_to="a1@globex"),
        message(ana, ME, T0 + h(3), "a2@globex", reply_to="s1@own", references="<a1@globex> <s1@own>"),
        message(ana, ME, T0 + h(48), "a3@globex", subject="Next quarter"),
        # In-Reply-To missing: the last References entry is the parent
        message(f"Sam <{ALIAS}>", ana, T0 + h(53), "s2@own", references="<a3@globex>"),
        message(f"Sam <{ALIAS}>", raj, T0 + h(60), "s3@own"),
        message(ana, ME, T0 + h(72), "a4@globex", subject="Intro: Sam <> Zoë", cc=zoe),
        message(zoe, ME, T0 + h(98), "z1@acme", reply_to="a4@globex"),
        message(f"Sam <{ME}>", zoe, T0 + h(98.5), "s4@own", reply_to="z1@acme", cc=ana),
        message("News <news@list.example>", ME, T0 + h(1), "l1@list", extra="List-Id: <news.list.example>"),
        message("Deals <deals@shop.example>", ME, T0 + h(1), "b1@shop", extra="Precedence: bulk"),
        message(ana, ME, T0 + h(4), "auto1@globex", subject="Out of office", extra="Auto-Submitted: auto-replied"),
        message("no-reply@service.example", ME, T0 + h(5), "n1@service"),
        message(f"Sam <{ME}>", ALIAS, T0 + h(6), "self1@own"),
        message(ana, ME, T0, "a1@globex"),
        message(ana, raj, T0 + h(7), "other1@globex"),
    ]
    return "".join(parts)


@pytest.fixture
def mbox(tmp_path: Path) -> Path:
    path = tmp_path / "mail.mbox"
    path.write_text(mailbox(), encoding="utf-8")
    return path


def test_signals_equal_the_delays_the_mailbox_was_built_with(mbox: Path) -> None:
    summary: dict[str, int] = {}
    net = rg.read_mail(mbox, [ME, ALIAS], owner="sam", owner_name="Sam", summary=summary)
    assert sorted(net.contacts) == ["mail:ana@globex.example", "mail:raj@initech.example", "mail:zoe@acme.example", "sam"]
    ana = net.relationship("sam", "mail:ana@globex.example")
    assert ana.response_hours == 3.5 and ana.last_interaction == dt.date(2024, 3, 8)
    assert ana.their_response_hours == 1.0
    assert str(ana.kind) == "acquaintance"
    assert ana.evidence == ("7 e-mails (3 from you, 4 to you) in 3 threads, your median reply 3.5 h, "
                            "their median reply 1 h, from mail.mbox")
    raj = net.relationship("sam", "mail:raj@initech.example")
    assert raj.response_hours is None and raj.last_interaction == dt.date(2024, 3, 6)
    assert raj.their_response_hours is None
    zoe = net.relationship("sam", "mail:zoe@acme.example")
    assert zoe.response_hours == 0.5 and str(zoe.kind) == "referred_contact"
    assert net.contacts["mail:zoe@acme.example"].name == "Zoë Durand"
    assert net.contacts["mail:ana@globex.example"].name == "Ana Silva"
    assert summary == {"messages": 16, "messages_used": 9, "mailing_list": 1, "bulk": 1, "auto_submitted": 1,
                       "no_reply_sender": 1, "to_own_addresses": 1, "duplicate_message_id": 1,
                       "not_to_or_from_owner": 1}
    days = sorted((i.date.day, i.note) for i in net.interactions
                  if i.contact == "mail:ana@globex.example" and i.kind == "email")
    assert days == [(4, "3 e-mails"), (6, "2 e-mails"), (7, "1 e-mail"), (8, "1 e-mail")]


def test_an_introduction_becomes_a_referral_naming_its_message(mbox: Path) -> None:
    net = rg.read_mail(mbox, [ME, ALIAS], owner="sam")
    [referral] = net.referrals
    assert (referral.referrer, referral.referred, str(referral.status), referral.date) == (
        "mail:ana@globex.example", "mail:zoe@acme.example", "introduced", dt.date(2024, 3, 7))
    notes = [i.note for i in net.interactions if i.kind == "note"]
    assert notes == ["introduced by Ana Silva in message <a4@globex>"]
    tie = net.relationship("mail:ana@globex.example", "mail:zoe@acme.example")
    assert tie is not None and "<a4@globex>" in tie.evidence
    assert {str(k) for k in net.contacts["mail:zoe@acme.example"].kinds} == {"referred_contact"}
    chains = rg.referral_chains(net)
    assert list(chains.roots) == ["mail:ana@globex.example"]


def test_a_new_address_on_a_reply_without_intro_words_is_no_introduction(tmp_path: Path) -> None:
    path = tmp_path / "m.mbox"
    path.write_text(message("ana@x.example", ME, T0, "1@x") + message("ana@x.example", ME, T0 + h(1), "2@x",
                    reply_to="1@x", cc="bob@y.example", subject="Re: pricing"), encoding="utf-8")
    assert rg.read_mail(path, [ME]).referrals == []


def test_eml_folder_reads_like_the_mbox(mbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "eml" / "inbox"
    folder.mkdir(parents=True)
    for k, chunk in enumerate(mailbox().split("\nFrom ")):
        body = chunk if k == 0 else "From " + chunk
        (folder / f"{k:02}.eml").write_text(body.split("\n", 1)[1], encoding="utf-8")
    from_eml = rg.read_mail(tmp_path / "eml", [ME, ALIAS], owner="sam")
    from_mbox = rg.read_mail(mbox, [ME, ALIAS], owner="sam")
    assert [r.model_dump(exclude={"evidence"}) for r in from_eml.relationships] == [
        r.model_dump(exclude={"evidence"}) for r in from_mbox.relationships]
    assert from_eml.referrals == from_mbox.referrals


def test_bad_headers_are_read_as_well_as_they_can_be_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "odd.mbox"
    naive = message("ana@x.example", ME, T0, "1@x").replace("+0000", "-0000")
    undated = message("bob@x.example", ME, T0, "2@x").replace("Date: Mon, 04 Mar 2024 09:00:00 +0000", "Date: soon")
    senderless = message("carl@x.example", ME, T0, "3@x").replace("From: carl@x.example", "From: nobody")
    future = message("dan@x.example", ME, T0 + dt.timedelta(days=400), "4@x")
    cut = "From eve@x.example Mon Mar  4 09:00:00 2024\nFrom: eve@x.example\nTo: " + ME + "\nDate: Mon, 04 Mar 2024 10:00"
    path.write_text(naive + undated + senderless + future + cut, encoding="utf-8")
    summary: dict[str, int] = {}
    net = rg.read_mail(path, [ME], as_of="2024-12-31", summary=summary)
    assert summary == {"messages": 5, "messages_used": 2, "date_without_time_zone": 2, "no_date": 1,
                       "no_sender": 1, "after_as_of": 1, "truncated": 1}
    assert sorted(net.contacts) == ["mail:ana@x.example", "mail:eve@x.example", "me"]


def test_bad_files_and_arguments_are_named(tmp_path: Path, mbox: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"notes.txt, line 1: not an mbox"):
        rg.read_mail(other, [ME])
    with pytest.raises(StorageError, match="missing.mbox"):
        rg.read_mail(tmp_path / "missing.mbox", [ME])
    with pytest.raises(DataError, match="owner_addresses"):
        rg.read_mail(mbox, [])
    (tmp_path / "empty.mbox").write_bytes(b"")
    assert sorted(rg.read_mail(tmp_path / "empty.mbox", [ME]).contacts) == ["me"]


def test_mail_adds_to_an_existing_network_all_or_nothing(mbox: Path) -> None:
    base = rg.Network(owner="sam", contacts=[rg.Contact(id="sam", name="Sam"),
                                            rg.Contact(id="ana", name="Ana Silva", kinds="client",
                                                       email="ana@globex.example")],
                      relationships=[rg.Relationship(source="sam", target="ana", kind="client", repeat_business=2)])
    before = (dict(base.contacts), list(base.relationships))
    with pytest.raises(DataError, match="different owners"):
        rg.read_mail(mbox, [ME, ALIAS], owner="other", network=base)
    assert (dict(base.contacts), list(base.relationships)) == before
    net = rg.read_mail(mbox, [ME, ALIAS], network=base)
    assert net is base and "mail:ana@globex.example" not in net.contacts
    rel = net.relationship("sam", "ana")
    assert (str(rel.kind), rel.repeat_business, rel.response_hours) == ("client", 2, 3.5)
    assert net.referrals[0].referrer == "ana"
    assert "median reply 3.5 h, their median reply 1 h, from mail.mbox" in str(net.trust_graph().explain("sam", "ana"))


def test_a_huge_thread_is_one_thread_with_the_delays_it_was_built_with(tmp_path: Path) -> None:
    parts, when = [], T0
    for k in range(3000):  # Ana writes, Sam answers an hour later, Ana answers two hours after that
        sender, to = ("ana@x.example", ME) if k % 2 == 0 else (ME, "ana@x.example")
        refs = "<t0@x>" + (f" <t{k - 1}@x>" if k > 1 else "")
        parts.append(message(sender, to, when, f"t{k}@x", reply_to=f"t{k - 1}@x" if k else None,
                             references=refs if k else None))
        when += h(1 if k % 2 == 0 else 2)
    path = tmp_path / "thread.mbox"
    path.write_text("".join(parts), encoding="utf-8")
    rel = rg.read_mail(path, [ME]).relationships[0]
    assert rel.response_hours == 1 and rel.evidence == (
        "3000 e-mails (1500 from you, 1500 to you) in 1 thread, your median reply 1 h, their median reply 2 h, "
        "from thread.mbox")
