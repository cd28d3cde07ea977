"""read_calendar on calendars the tests write: recurring meetings across time zones and daylight
saving, exceptions, a moved and a cancelled occurrence, a large all-hands, declined invitations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import refgraph as rg
from refgraph.errors import DataError

ME = "sam@own.example"


def event(uid: str, start: str, *lines: str, attendees: tuple[str, ...] = (), organizer: str = ME) -> str:
    people = [f"ORGANIZER:mailto:{organizer}"]
    people += [f"ATTENDEE;{a}" if ";" in a.split(":")[0] or "=" in a.split(":")[0] else f"ATTENDEE:{a}"
               for a in attendees]
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART{start}", "SUMMARY:private title", *lines,
                        *people, "END:VEVENT", ""])


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//refgraph tests//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


ANA = "CN=Ana Silva;PARTSTAT=ACCEPTED:mailto:ana@globex.example"


def fixture() -> str:
    """A weekly 1:1 with Ana at 18:30 New York time from 2024-03-04 (10 weeks: across the US
    change to summer time on 2024-03-10), one week taken out (EXDATE 03-18) and one moved to a
    Tokyo morning (03-25 becomes 2024-03-27 08:00 JST, i.e. 03-26 23:00 UTC); a cancelled
    meeting with Raj; an all-hands of 30; a call Bo declined the owner organised; a meeting
    the owner declined; a meeting without the owner."""
    hands = tuple(f"PARTSTAT=ACCEPTED:mailto:p{k}@corp.example" for k in range(29)) + (ANA,)
    return calendar(
        event("weekly", ";TZID=America/New_York:20240304T183000", "RRULE:FREQ=WEEKLY;COUNT=10",
              "EXDATE;TZID=America/New_York:20240318T183000", attendees=(ANA,)),
        event("weekly", ";TZID=Asia/Tokyo:20240327T080000", "RECURRENCE-ID;TZID=America/New_York:20240325T183000",
              attendees=(ANA,)),
        event("cancel", ";TZID=Europe/Paris:20240305T100000", "STATUS:CANCELLED",
              attendees=("CN=Raj;PARTSTAT=ACCEPTED:mailto:raj@initech.example",)),
        event("allhands", ":20240401T150000Z", attendees=hands),
        event("bo", ":20240402T150000Z", attendees=("PARTSTAT=DECLINED:mailto:bo@x.example",)),
        event("declined", ":20240403T150000Z", attendees=(f"PARTSTAT=DECLINED:mailto:{ME}",),
              organizer="cy@x.example"),
        event("others", ":20240404T150000Z", attendees=("mailto:dee@x.example",), organizer="cy@x.example"),
    )


@pytest.fixture
def ics(tmp_path: Path) -> Path:
    (tmp_path / "work.ics").write_text(fixture(), encoding="utf-8")
    return tmp_path / "work.ics"


def test_meetings_and_candid_conversations_are_the_fixtures(ics: Path) -> None:
    summary: dict[str, int] = {}
    net = rg.read_calendar(ics, [ME], owner="sam", summary=summary)
    assert sorted(net.contacts) == sorted(["mail:ana@globex.example", "mail:bo@x.example",
                                           *(f"mail:p{k}@corp.example" for k in range(29)), "sam"])
    ana = net.relationship("sam", "mail:ana@globex.example")
    # 10 weekly - 1 taken out = 9 occurrences (the moved one included), 9 candid, plus the all-hands
    assert ana.candid_conversations == 9 and ana.last_interaction == dt.date(2024, 5, 6)
    assert ana.evidence == "10 meetings, 9 of them small and accepted, from work.ics"
    assert net.contacts["mail:ana@globex.example"].name == "Ana Silva"
    days = sorted(i.date for i in net.interactions if i.contact == "mail:ana@globex.example")
    # 18:30 New York is 23:30 UTC before 10 March and 22:30 UTC after: always the same UTC day
    expected = [dt.date(2024, 3, 4), dt.date(2024, 3, 11), dt.date(2024, 3, 26), dt.date(2024, 4, 1),
                *(dt.date(2024, 4, 1) + dt.timedelta(days=7 * k) for k in range(1, 6))]
    assert days == expected
    bo = net.relationship("sam", "mail:bo@x.example")
    assert bo.candid_conversations == 0 and "1 meeting, 0 of them" in bo.evidence
    assert net.relationship("sam", "mail:p3@corp.example").candid_conversations == 0
    assert summary == {"events": 7, "occurrences": 11, "cancelled": 1, "declined": 1, "without_owner": 1,
                       "exceptions": 1}


def test_an_endless_rule_is_expanded_in_the_window_only(tmp_path: Path) -> None:
    path = tmp_path / "endless.ics"
    path.write_text(calendar(event("daily", ":20200101T090000Z", "RRULE:FREQ=DAILY", attendees=(ANA,)),
                             event("once", ":20240110T090000Z", attendees=(ANA,))), encoding="utf-8")
    net = rg.read_calendar(path, [ME])
    rel = net.relationship("me", "mail:ana@globex.example")
    # without as_of the window ends at the latest start (2024-01-10 09:00) and spans 730 days
    assert rel.candid_conversations == 731 + 1 and rel.last_interaction == dt.date(2024, 1, 10)
    rel = rg.read_calendar(path, [ME], since="2024-01-01", as_of="2024-01-31").relationship(
        "me", "mail:ana@globex.example")
    assert rel.candid_conversations == 31 + 1 and rel.last_interaction == dt.date(2024, 1, 31)


def test_unknown_time_zones_and_floating_times_are_read_as_utc_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "odd.ics"
    path.write_text(calendar(event("mars", ";TZID=Mars/Olympus:20240304T233000", attendees=(ANA,)),
                             event("float", ":20240305T233000", attendees=(ANA,)),
                             event("day", ";VALUE=DATE:20240306", "RRULE:FREQ=DAILY;UNTIL=20240307",
                                   attendees=(ANA,))), encoding="utf-8")
    summary: dict[str, int] = {}
    net = rg.read_calendar(path, [ME], summary=summary)
    days = sorted(i.date.day for i in net.interactions)
    assert days == [4, 5, 6, 7] and summary["unknown_time_zone"] == 1 and summary["floating_time"] == 1


def test_bad_rules_and_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.ics"
    path.write_text(calendar(event("broken", ":20240304T090000Z", "RRULE:FREQ=SOMETIMES", attendees=(ANA,))),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.ics, event 'broken', field 'RRULE'"):
        rg.read_calendar(path, [ME])
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(DataError, match="bad.ics"):
        rg.read_calendar(path, [ME])


def test_calendar_and_mail_together_change_the_answers(ics: Path) -> None:
    linked = rg.Network(owner="sam", contacts=[
        rg.Contact(id="sam", name="Sam"),
        rg.Contact(id="ana", name="Ana Silva", kinds="client", email="ana@globex.example"),
        rg.Contact(id="bo", name="Bo", kinds="client", email="bo@x.example")],
        relationships=[rg.Relationship(source="sam", target="ana", kind="client", last_interaction="2024-01-02"),
                       rg.Relationship(source="sam", target="bo", kind="client", last_interaction="2024-02-02")])
    before = linked.trust_graph(as_of="2024-06-01")
    assert before.trust("sam", "bo") > before.trust("sam", "ana")
    rg.read_calendar(ics, [ME], network=linked)
    after = linked.trust_graph(as_of="2024-06-01")
    assert after.trust("sam", "ana") > after.trust("sam", "bo")
    assert "evidence: 10 meetings, 9 of them small and accepted, from work.ics" in str(after.explain("sam", "ana"))


def test_an_event_whose_times_cannot_be_read_is_counted_not_raised(tmp_path) -> None:
    path = tmp_path / "broken.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:\nORGANIZER:mailto:sam@example.com\n"
                     b"ATTENDEE:mailto:ana@globex.example\nEND:VEVENT\nEND:VCALENDAR\n")  # found by the fuzz test
    summary: dict[str, int] = {}
    net = rg.read_calendar(path, ["sam@example.com"], as_of="2024-06-30", summary=summary)
    assert summary["unreadable_times"] == 1 and len(net.relationships) == 0
