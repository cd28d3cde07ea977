"""Trust signals from a mailbox: who writes to whom, how fast each side answers, who introduced
whom. Only headers are read (bodies are skipped, never kept).

:func:`read_mail` reads mbox files (Gmail's Takeout and Thunderbird keep mail this way) and
folders of ``.eml`` files with the standard library's :mod:`email` parser, and looks at the
headers ``From``, ``To``, ``Cc``, ``Date``, ``Message-ID``, ``In-Reply-To``, ``References``,
``Subject``, ``List-Id``, ``Precedence`` and ``Auto-Submitted``.

Left out, and counted in the summary: mail from mailing lists (``List-Id``, or ``Precedence``
``list``), bulk mail (``Precedence`` ``bulk`` or ``junk``), automatic mail (``Auto-Submitted``
other than ``no``), no-reply senders (``noreply@``, ``mailer-daemon@`` ...), mail the owner
sent only to their own addresses, mail neither from nor to the owner, second copies of a
``Message-ID``, mail without a readable date or sender, and mail dated after ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from os import PathLike
from pathlib import Path

from ..errors import FileFormatError, StorageError
from ..records.models import Contact, Interaction, Referral, Relationship
from ..records.network import Network, as_of_date
from ._signals import address, finish, hours, median, own_addresses, paths_of, start

__all__ = ["read_mail"]

_NO_REPLY = re.compile(r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([+.\-_].*)?@")
_INTRO = re.compile(r"\b(intro|introduction|introducing|meet)\b", re.IGNORECASE)
_ID = re.compile(r"<[^<>\s]+>")
_BLANK = (b"\n", b"\r\n")


@dataclass(frozen=True)
class _Message:
    when: dt.datetime
    mid: str
    sender: str
    recipients: tuple[str, ...]
    parent: str | None
    root: str  # the first References entry, else the parent, else the message itself
    subject: str
    where: str


@dataclass
class _Tally:
    """What the mailbox says about one correspondent."""

    sent: int = 0  # by the owner to them
    received: int = 0  # from them to the owner
    last: dt.date = dt.date.min
    threads: set[str] = field(default_factory=set)
    owner_replies: list[float] = field(default_factory=list)
    their_replies: list[float] = field(default_factory=list)
    days: Counter[dt.date] = field(default_factory=Counter)


def _mbox(path: Path) -> Iterator[tuple[str, bytes, bool]]:
    """``(where, header bytes, complete)`` of each message of an mbox file; a message whose
    header does not end before the next message (or the file) is not complete."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed below, errors named)
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None
    with fh:
        first = fh.readline()
        if not first:
            return  # an empty folder
        if not first.startswith(b"From "):
            raise FileFormatError("not an mbox file: it does not start with a 'From ' line", file=path, line=1)
        header: list[bytes] = []
        line, begins, in_header, blank = 1, 1, True, False
        for raw in fh:
            line += 1
            if raw.startswith(b"From ") and (blank or in_header):
                yield f"{path}, line {begins}", b"".join(header), not in_header
                begins, header, in_header = line, [], True
            elif in_header:
                if raw in _BLANK:
                    in_header = False
                else:
                    header.append(raw)
            blank = raw in _BLANK
        yield f"{path}, line {begins}", b"".join(header), not in_header


def _eml(path: Path) -> tuple[str, bytes, bool]:
    """The header of one ``.eml`` file, read up to the first blank line."""
    header: list[bytes] = []
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                if raw in _BLANK:
                    return str(path), b"".join(header), True
                header.append(raw)
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None
    return str(path), b"".join(header), bool(header)


def _headers(paths: list[Path]) -> Iterator[tuple[str, bytes, bool]]:
    for path in paths:
        if path.is_dir():
            for eml in sorted(path.rglob("*.eml")):
                yield _eml(eml)
        else:
            yield from _mbox(path)


def _text(value: object) -> str:
    """A header as text, with RFC 2047 encoded words decoded where they can be."""
    raw = str(value or "")
    if "=?" not in raw:
        return raw
    try:
        return str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError):
        return raw


def _parse(where: str, data: bytes, counts: Counter[str], owner: set[str],
           as_of: dt.date | None) -> tuple[_Message, str] | None:
    """One message's headers as a :class:`_Message` and the sender's display name, or ``None``
    (counted) when it is left out."""
    head: dict[str, list[str]] = defaultdict(list)
    for key, value in _PARSER.parsebytes(data).items():
        head[key.lower()].append(str(value))
    precedence = " ".join(head["precedence"]).strip().lower()
    if head["list-id"] or precedence == "list":
        counts["mailing_list"] += 1
        return None
    if precedence in ("bulk", "junk"):
        counts["bulk"] += 1
        return None
    if " ".join(head["auto-submitted"]).strip().lower() not in ("", "no"):
        counts["auto_submitted"] += 1
        return None
    senders = [pair for value in head["from"] for pair in _addresses(value)]
    if not senders:
        counts["no_sender"] += 1
        return None
    name, sender = senders[0]
    if _NO_REPLY.match(sender):
        counts["no_reply_sender"] += 1
        return None
    try:
        when = parsedate_to_datetime(head["date"][0] if head["date"] else "")
    except (TypeError, ValueError, IndexError, OverflowError):
        counts["no_date"] += 1
        return None
    if when.tzinfo is None:
        counts["date_without_time_zone"] += 1
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(dt.UTC)
    if as_of is not None and when.date() > as_of:
        counts["after_as_of"] += 1
        return None
    recipients = tuple(dict.fromkeys(a for value in head["to"] + head["cc"] for _, a in _addresses(value)))
    if sender in owner and not set(recipients) - owner:
        counts["to_own_addresses"] += 1
        return None
    if sender not in owner and not owner.intersection(recipients):
        counts["not_to_or_from_owner"] += 1
        return None
    references = _ID.findall(" ".join(head["references"]))
    replying = _ID.findall(" ".join(head["in-reply-to"]))
    parent = replying[0] if replying else references[-1] if references else None
    mid = (_ID.findall(" ".join(head["message-id"])) or [f"<{where}>"])[0]
    root = references[0] if references else parent or mid
    subject = _text(head["subject"][0]) if head["subject"] else ""
    return _Message(when, mid, sender, recipients, parent, root, subject, where), _text(name)


@functools.lru_cache(maxsize=65536)
def _addresses(value: str) -> tuple[tuple[str, str], ...]:
    """The (display name, address) pairs of one address header; the same headers come back
    again and again in a mailbox, so they are parsed once."""
    return tuple((n, address(a)) for n, a in getaddresses([value]) if "@" in a)


_PARSER = BytesHeaderParser(policy=compat32)


def read_mail(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    owner_addresses: Iterable[str],
    *,
    owner: str | None = None,
    owner_name: str = "Me",
    network: Network | None = None,
    as_of: dt.date | str | None = None,
    summary: MutableMapping[str, int] | None = None,
) -> Network:
    """The owner's correspondents, ties and introductions, from the headers of their mail.

    ``paths`` are mbox files and folders of ``.eml`` files (searched with their subfolders);
    ``owner_addresses`` are all the owner's own addresses (aliases included). Each person who
    wrote to the owner or was written to becomes a contact (id ``mail:<address>``, named from
    the display name) with a relationship to the owner (``acquaintance``, or
    ``referred_contact`` when introduced):

    - ``last_interaction``: the day of the latest message either way (in UTC);
    - ``response_hours``: the median time the owner took to answer them (a message from the
      owner whose ``In-Reply-To``, else last ``References`` entry, is a message from them);
    - ``their_response_hours``: the median time they took to answer the owner;
    - ``evidence``: messages each way, threads, the owner's median reply, theirs, the files;
    - one ``Interaction(kind="email")`` per contact and day, its note the number of messages.

    **Introductions**: a message to the owner from someone who has corresponded with them
    before, bringing addresses never seen before onto To or Cc, is an introduction when its
    subject says so ("Intro", "Introduction", "meet") or it starts a new thread. Each new
    person becomes a contact (a ``referred_contact``) with ``Referral(status="introduced")``
    from the sender, an ``acquaintance`` tie between the two and an ``Interaction`` (a
    ``note``) naming the ``Message-ID`` it came from.

    Mail that is left out (see the module documentation) is counted; the counts, with
    ``messages`` read, are logged and put in ``summary`` when a dict is passed. A date
    without a time zone is read as UTC (and counted). ``owner`` defaults to the owner of
    ``network`` (else ``"me"``). With ``network``, what was read is added to it (see
    :func:`refgraph.records.combine.update`), all or nothing, and it is returned.

    Examples
    --------
    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "mail.mbox")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write(
    ...         "From ana@globex.example Mon Mar  4 09:00:00 2024\\n"
    ...         "From: Ana Silva <ana@globex.example>\\nTo: me@own.example\\n"
    ...         "Date: Mon, 04 Mar 2024 09:00:00 +0000\\nMessage-ID: <a1@globex.example>\\n"
    ...         "Subject: Proposal\\n\\nthe body is never read\\n\\n"
    ...         "From me@own.example Mon Mar  4 12:30:00 2024\\n"
    ...         "From: Me <me@own.example>\\nTo: Ana Silva <ana@globex.example>\\n"
    ...         "Date: Mon, 04 Mar 2024 12:30:00 +0000\\nMessage-ID: <m1@own.example>\\n"
    ...         "In-Reply-To: <a1@globex.example>\\nSubject: Re: Proposal\\n\\nThanks\\n")
    >>> net = rg.read_mail(path, ["me@own.example"])
    >>> rel = net.relationship("me", "mail:ana@globex.example")
    >>> rel.response_hours, rel.last_interaction, net.contacts["mail:ana@globex.example"].name
    (3.5, datetime.date(2024, 3, 4), 'Ana Silva')
    >>> print(rel.evidence)
    2 e-mails (1 from you, 1 to you) in 1 thread, your median reply 3.5 h, from mail.mbox
    """
    mine = own_addresses(owner_addresses, "read_mail")
    found = paths_of(paths)
    day = as_of_date(as_of)
    counts: Counter[str] = Counter()
    messages: list[_Message] = []
    names: dict[str, str] = {}
    seen_ids: set[str] = set()
    for where, data, complete in _headers(found):
        counts["messages"] += 1
        if not complete:
            counts["truncated"] += 1
        parsed = _parse(where, data, counts, mine, day)
        if parsed is None:
            continue
        message, name = parsed
        if message.mid in seen_ids:
            counts["duplicate_message_id"] += 1
            continue
        seen_ids.add(message.mid)
        messages.append(message)
        if name and message.sender not in names:
            names[message.sender] = name
    messages.sort(key=lambda m: m.when)
    net = start(network, owner, owner_name, mine)
    _build(net, messages, mine, names, ", ".join(p.name for p in found))
    counts["messages_used"] = len(messages)
    return finish(net, network, f"read_mail {', '.join(map(str, found))}", counts, summary)


def _build(net: Network, messages: list[_Message], mine: set[str], names: dict[str, str], files: str) -> None:
    """Fill ``net`` from the owner's messages, oldest first."""
    by_id = {m.mid: m for m in messages}
    roots: dict[str, str] = {}
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    seen: set[str] = set()
    intros: list[tuple[str, str, _Message]] = []
    for m in messages:
        parent = by_id.get(m.parent) if m.parent else None
        roots[m.mid] = root = roots.get(parent.mid, m.root) if parent is not None else m.root
        delay = (m.when - parent.when).total_seconds() / 3600 if parent is not None else None
        if m.sender in mine:
            for c in m.recipients:
                if c not in mine:
                    t = _touch(tallies[c], m, root)
                    t.sent += 1
                    if parent is not None and parent.sender == c and delay is not None and delay >= 0:
                        t.owner_replies.append(delay)
        else:
            c = m.sender
            if c in tallies and (parent is None or _INTRO.search(m.subject)):
                intros += [(c, n, m) for n in m.recipients if n not in mine and n != c and n not in seen]
            t = _touch(tallies[c], m, root)
            t.received += 1
            if parent is not None and parent.sender in mine and delay is not None and delay >= 0:
                t.their_replies.append(delay)
        seen.update((m.sender, *m.recipients))
    introduced = {n: (c, m) for c, n, m in intros}
    owner = str(net.owner)
    for c in sorted({*tallies, *introduced}):
        net.add(Contact(id=f"mail:{c}", name=names.get(c) or c, email=c,
                        kinds="referred_contact" if c in introduced else ""))
    for c in sorted(tallies):
        t = tallies[c]
        mine_h, theirs_h = median(t.owner_replies), median(t.their_replies)
        words = [f"{t.sent + t.received} e-mail{'s' * (t.sent + t.received != 1)} ({t.sent} from you, "
                 f"{t.received} to you) in {len(t.threads)} thread{'s' * (len(t.threads) != 1)}"]
        words += [f"your median reply {hours(mine_h)}"] if mine_h is not None else []
        words += [f"their median reply {hours(theirs_h)}"] if theirs_h is not None else []
        net.add(Relationship(source=owner, target=f"mail:{c}",
                             kind="referred_contact" if c in introduced else "acquaintance",
                             response_hours=mine_h, their_response_hours=theirs_h, last_interaction=t.last,
                             evidence=", ".join(words) + f", from {files}"))
        net.add(*(Interaction(contact=f"mail:{c}", date=d, kind="email",
                              note=f"{k} e-mail{'s' * (k != 1)}") for d, k in sorted(t.days.items())))
    for n, (c, m) in sorted(introduced.items(), key=lambda item: (item[1][1].when, item[0])):
        referrer, referred, day = f"mail:{c}", f"mail:{n}", m.when.date()
        net.add(Referral(referrer=referrer, referred=referred, date=day, status="introduced"),
                Interaction(contact=referred, date=day, kind="note",
                            note=f"introduced by {names.get(c) or c} in message {m.mid}"))
        if net.relationship(referrer, referred) is None:
            net.add(Relationship(source=referrer, target=referred, kind="acquaintance", last_interaction=day,
                                 evidence=f"introduced to you in message {m.mid}, from {files}"))


def _touch(t: _Tally, m: _Message, root: str) -> _Tally:
    day = m.when.date()
    t.last = max(t.last, day)
    t.threads.add(root)
    t.days[day] += 1
    return t
