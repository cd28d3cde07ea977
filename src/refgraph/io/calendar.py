"""Trust signals from a calendar: meetings with the owner, and which of them were candid talks.

:func:`read_calendar` reads ``.ics`` files (exported by Google Calendar, Outlook, Apple
Calendar, Thunderbird) with the ``icalendar`` package. Titles, places and descriptions are not
kept: only who met the owner, when, and whether the meeting was small and accepted.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from .._files import read_text
from ..errors import DataError, FileFormatError
from ..records.models import Contact, Interaction, Relationship
from ..records.network import Network, as_of_date
from ._signals import address, finish, own_addresses, paths_of, start

__all__ = ["WINDOW_DAYS", "read_calendar"]

#: How far back recurring meetings are expanded by default: two years.
WINDOW_DAYS = 730
#: The most other people a meeting may have and still count as a candid conversation.
SMALL_MEETING = 2
_UTC = dt.UTC
_FOLD = re.compile(r"\r?\n[ \t]")
_KEPT = ("DTSTART", "RRULE", "EXDATE", "RECURRENCE-ID", "STATUS")
_PROPERTY = re.compile(r'(?P<name>[A-Za-z-]+)(?P<params>(?:;[^:";]+=(?:"[^"]*"|[^:";]*)(?:,(?:"[^"]*"|[^:";,]*))*)*):(?P<value>.*)')  # noqa: E501
_NAME = re.compile(r"[^;:]*")
_PARAM = re.compile(r';([^=;:]+)=("[^"]*"|[^;:]*)')


@dataclass
class _Tally:
    meetings: int = 0
    candid: int = 0
    last: dt.date = dt.date.min
    days: Counter[dt.date] = field(default_factory=Counter)


def _readable_times(event: Any) -> bool:
    """Whether every time of the event (start, exceptions, the occurrence it replaces) can be read:
    icalendar keeps a value it cannot parse as a broken property that fails when used."""
    try:
        for name in ("DTSTART", "RECURRENCE-ID"):
            if name in event:
                _ = event[name].dt
        for prop in _list(event.get("EXDATE")):
            _ = [day.dt for day in getattr(prop, "dts", [prop])]
    except ValueError:
        return False
    return True


def _moment(prop: Any, counts: Counter[str]) -> dt.datetime:
    """A DTSTART, EXDATE or RECURRENCE-ID value as an aware datetime: a day starts at midnight
    UTC; an unknown time zone and a floating time are read as UTC (and counted)."""
    value = prop.dt
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if value.tzinfo is None:
        counts["unknown_time_zone" if "TZID" in prop.params else "floating_time"] += 1
        return value.replace(tzinfo=_UTC)
    return value


def _rule(event: Any, first: dt.datetime, where: str) -> tuple[Any, bool] | None:
    """The event's recurrence rule (a dateutil ``rrule``) and whether it runs in plain (naive)
    time, as a day or a floating time does; ``None`` for an event that does not repeat."""
    rule = event.get("RRULE")
    if rule is None:
        return None
    from dateutil.rrule import rrulestr  # a dependency of icalendar

    text = rule.to_ical().decode()
    naive = not isinstance(event["DTSTART"].dt, dt.datetime) or event["DTSTART"].dt.tzinfo is None
    try:
        return rrulestr(text, dtstart=first.replace(tzinfo=None) if naive else first), naive
    except (ValueError, TypeError, OverflowError) as err:
        raise DataError(f"cannot read the recurrence rule ({err})", file=where, field="RRULE", value=text) from None


def _starts(event: Any, first: dt.datetime, since: dt.datetime | None, until: dt.datetime | None,
            where: str) -> list[dt.datetime]:
    """The starts of an event between ``since`` and ``until``; with no bounds, every start of an
    event whose rule ends (``COUNT`` or ``UNTIL``) and only the first of an endless one."""
    found = _rule(event, first, where)
    if found is None:
        return [first] if since is None or until is None or since <= first <= until else []
    rule, naive = found
    try:
        if since is None or until is None:
            ends = "COUNT" in event["RRULE"] or "UNTIL" in event["RRULE"]
            starts = list(rule) if ends else [rule[0]]
        else:
            window = (since.replace(tzinfo=None), until.replace(tzinfo=None)) if naive else (since, until)
            starts = rule.between(*window, inc=True)
    except (ValueError, TypeError, OverflowError) as err:
        raise DataError(f"cannot expand the recurrence rule ({err})", file=where, field="RRULE") from None
    return [t.replace(tzinfo=_UTC) for t in starts] if naive else starts


def _occurrences(event: Any, first: dt.datetime, since: dt.datetime, until: dt.datetime, where: str,
                 counts: Counter[str]) -> Iterator[dt.datetime]:
    """The starts of an event between ``since`` and ``until``, its exceptions (``EXDATE``) left out."""
    skipped = {_moment(day, counts) for prop in _list(event.get("EXDATE")) for day in getattr(prop, "dts", [prop])}
    for when in _starts(event, first, since, until, where):
        if when in skipped:
            counts["exceptions"] += 1
        else:
            yield when


def _list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def read_calendar(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    owner_addresses: Iterable[str],
    *,
    owner: str | None = None,
    owner_name: str = "Me",
    since: dt.date | str | None = None,
    as_of: dt.date | str | None = None,
    network: Network | None = None,
    summary: MutableMapping[str, int] | None = None,
) -> Network:
    """The owner's meetings, from ``.ics`` files: who they met, when, and the candid talks.

    Every event the owner organised or was invited to, with other attendees, becomes one
    ``Interaction(kind="meeting")`` per other person (on its UTC day). A meeting is a **candid
    conversation** when it is small (the owner and one or two others) and every other person
    accepted it (their ``PARTSTAT`` is ``ACCEPTED``, or they organised it). Each person met
    becomes a contact (``mail:<address>``, named from ``CN``) with a relationship to the owner:
    ``candid_conversations`` counted, ``last_interaction`` the latest meeting, and
    ``evidence`` saying how many meetings, from which files.

    Recurring events are expanded (``RRULE``, less ``EXDATE`` and moved occurrences) between
    ``since`` (by default two years before ``as_of``) and ``as_of`` (by default the latest
    start of any event in the files, counting every start of a rule that ends): an endless
    rule stops there. Time zones (``TZID``) are
    honoured; an unknown one, or a floating time, is read as UTC and counted. Left out, and
    counted: cancelled events, events the owner declined, events without the owner or without
    anyone else, occurrences outside the window. The counts are logged and put in ``summary``
    when a dict is passed. With ``network``, what was read is added to it (all or nothing) and
    it is returned. A rule that cannot be expanded raises
    :class:`~refgraph.errors.DataError` naming the file, the event and ``RRULE``.

    Examples
    --------
    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "work.ics")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("BEGIN:VCALENDAR\\nVERSION:2.0\\nPRODID:-//example//EN\\nBEGIN:VEVENT\\n"
    ...                  "UID:weekly-1\\nDTSTART;TZID=Europe/Paris:20240304T090000\\nRRULE:FREQ=WEEKLY;COUNT=4\\n"
    ...                  "ORGANIZER:mailto:me@own.example\\n"
    ...                  "ATTENDEE;CN=Ana Silva;PARTSTAT=ACCEPTED:mailto:ana@globex.example\\n"
    ...                  "END:VEVENT\\nEND:VCALENDAR\\n")
    >>> net = rg.read_calendar(path, ["me@own.example"])
    >>> rel = net.relationship("me", "mail:ana@globex.example")
    >>> rel.candid_conversations, rel.last_interaction, rel.evidence
    (4, datetime.date(2024, 3, 25), '4 meetings, 4 of them small and accepted, from work.ics')
    """
    import icalendar

    mine = own_addresses(owner_addresses, "read_calendar")
    found = paths_of(paths)
    counts: Counter[str] = Counter()
    events: list[tuple[str, str, Any, list[str]]] = []  # where, UID, the event, its own lines
    for path in found:
        text, own = _split(read_text(path))
        try:
            calendar = icalendar.Calendar.from_ical(text)
        except ValueError as err:
            raise FileFormatError(f"not readable as an iCalendar file ({err})", file=path) from None
        for k, (event, lines) in enumerate(zip(calendar.walk("VEVENT"), own, strict=True)):
            uid = next((line[4:].strip() for line in lines if line[:4].upper() == "UID:"), str(k))
            if _readable_times(event):
                events.append((f"{path}, event {uid!r}", uid, event, lines))
            else:
                counts["unreadable_times"] += 1
    day = as_of_date(as_of)
    if day is None:
        starts = [t for w, _, e, _ in events if "DTSTART" in e
                  for t in _starts(e, _moment(e["DTSTART"], Counter()), None, None, w)]
        if not starts:
            raise FileFormatError("no events with a start (DTSTART) to read", file=", ".join(map(str, found)))
    until = dt.datetime.combine(day, dt.time.max, _UTC) if day is not None else max(starts)
    first_day = as_of_date(since) or until.date() - dt.timedelta(days=WINDOW_DAYS)
    since_at = dt.datetime.combine(first_day, dt.time.min, _UTC)
    moved = {(uid, _moment(e["RECURRENCE-ID"], Counter())) for _, uid, e, _ in events if "RECURRENCE-ID" in e}
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    names: dict[str, str] = {}
    for where, uid, event, lines in events:
        counts["events"] += 1
        people = _people(lines, names)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            counts["cancelled"] += 1
            continue
        if "DTSTART" not in event:
            counts["no_start"] += 1
            continue
        if not mine & people.keys():
            counts["without_owner"] += 1
            continue
        if all(people[a] == "DECLINED" for a in mine & people.keys()):
            counts["declined"] += 1
            continue
        others = {a: s for a, s in people.items() if a not in mine}
        if not others:
            counts["nobody_else"] += 1
            continue
        candid = len(others) <= SMALL_MEETING and all(s == "ACCEPTED" for s in others.values())
        is_override = "RECURRENCE-ID" in event
        occurred = 0
        for when in _occurrences(event, _moment(event["DTSTART"], counts), since_at, until, where, counts):
            if not is_override and (uid, when) in moved:
                continue
            occurred += 1
            met_on = when.astimezone(_UTC).date()
            for person in others:
                t = tallies[person]
                t.meetings += 1
                t.candid += candid
                t.last = max(t.last, met_on)
                t.days[met_on] += 1
        if not occurred:
            counts["outside_window"] += 1
        counts["occurrences"] += occurred
    net = start(network, owner, owner_name, mine)
    files = ", ".join(p.name for p in found)
    owner_id = str(net.owner)
    for person in sorted(tallies):
        t = tallies[person]
        net.add(Contact(id=f"mail:{person}", name=names.get(person) or person, email=person))
        net.add(Relationship(source=owner_id, target=f"mail:{person}", kind="acquaintance",
                             candid_conversations=t.candid, last_interaction=t.last,
                             evidence=f"{t.meetings} meeting{'s' * (t.meetings != 1)}, {t.candid} of them "
                                      f"small and accepted, from {files}"))
        net.add(*(Interaction(contact=f"mail:{person}", date=d, kind="meeting",
                              note=f"{k} meeting{'s' * (k != 1)}") for d, k in sorted(t.days.items())))
    return finish(net, network, f"read_calendar {', '.join(map(str, found))}", counts, summary)


def _split(text: str) -> tuple[str, list[list[str]]]:
    """The calendar with only what :mod:`icalendar` needs to place events in time (their
    ``DTSTART``, ``RRULE``, ``EXDATE``, ``RECURRENCE-ID``, ``STATUS`` and the time zones), and
    each event's ``UID``, ``ATTENDEE`` and ``ORGANIZER`` lines, read here: icalendar takes some
    50 µs a line, and titles, descriptions and attendee lists are most of a calendar's lines."""
    kept: list[str] = []
    people: list[list[str]] = []
    in_event, nested = False, 0
    for line in _FOLD.sub("", text).splitlines():
        name = _NAME.match(line)
        upper = name.group(0).upper() if name else ""
        if not in_event:
            kept.append(line)
            if upper == "BEGIN" and line[6:].strip().upper() == "VEVENT":
                in_event, nested = True, 0
                people.append([])
        elif upper == "BEGIN":
            nested += 1  # an alarm inside the event
        elif upper == "END":
            if nested:
                nested -= 1
            else:
                kept.append(line)
                in_event = False
        elif nested:
            continue
        elif upper in ("ATTENDEE", "ORGANIZER", "UID"):
            people[-1].append(line)
        elif upper in _KEPT:
            kept.append(line)
    return "\r\n".join(kept) + "\r\n", people


def _people(lines: list[str], names: dict[str, str]) -> dict[str, str]:
    """Everyone on an event: address -> participation status (the organiser counts as accepted)."""
    people: dict[str, str] = {}
    for line in lines:
        found = _attendee(line)
        if found is not None:
            mail, status, name = found
            people[mail] = status
            if name:
                names.setdefault(mail, name)
    return people


@functools.lru_cache(maxsize=65536)
def _attendee(line: str) -> tuple[str, str, str] | None:
    """An ``ATTENDEE`` or ``ORGANIZER`` line as (address, status, name); the same lines come back
    in event after event, so each is read once."""
    match = _PROPERTY.match(line)
    if match is None or match["name"].upper() == "UID":
        return None
    params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(match["params"])}
    value = match["value"]
    mail = address(value.split(":", 1)[-1] if value.lower().startswith("mailto:") else value)
    if "@" not in mail:
        return None
    organizer = match["name"].upper() == "ORGANIZER"
    return mail, "ACCEPTED" if organizer else params.get("PARTSTAT", "NEEDS-ACTION").upper(), params.get("CN", "")
