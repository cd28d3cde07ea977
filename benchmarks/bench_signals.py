"""Trust signals from files: the headers of a generated five-year mailbox (100,000 messages)
through ``read_mail``, and a generated calendar of 10,000 events through ``read_calendar``.

The targets: 100,000 messages in at most 20 s and 1 GB, 10,000 events in at most 5 s. Time
is the best of ``--repeat`` runs; memory is the peak that tracemalloc sees in a separate run
(Python objects, which is what a reader allocates). Run: ``python benchmarks/bench_signals.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import tempfile

from common import SEED, peak_memory, timed

import refgraph as rg

ME = "sam@own.example"


def mailbox(path: str, messages: int, seed: int = SEED) -> None:
    """An mbox of ``messages`` over five years: 2,000 correspondents (a few write far more),
    threads of one to six messages, half the owner's answers within hours, 10% list or bulk
    mail, and a short body each."""
    rng = random.Random(seed)
    people = [f"Person {k} <p{k}@org{k % 300}.example>" for k in range(2000)]
    weights = [1 / (k + 1) ** 0.8 for k in range(len(people))]
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < messages:
            when = start + dt.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            other = rng.choices(people, weights)[0]
            if rng.random() < 0.1:
                fh.write(_message(f"News <news{written % 50}@list.example>", ME, when, f"l{written}@list",
                                  "List-Id: <news.list.example>\n"))
                written += 1
                continue
            parent = None
            for step in range(min(rng.randint(1, 6), messages - written)):
                sender, to = (other, ME) if step % 2 == 0 else (f"Sam <{ME}>", other)
                mid = f"m{written}@mail.example"
                fh.write(_message(sender, to, when, mid, f"In-Reply-To: <{parent}>\n" if parent else ""))
                parent, written = mid, written + 1
                when += dt.timedelta(minutes=rng.expovariate(1 / 300))


def _message(sender: str, to: str, when: dt.datetime, mid: str, extra: str) -> str:
    return (f"From x {when:%a %b %d %H:%M:%S %Y}\nFrom: {sender}\nTo: {to}\nDate: {when:%a, %d %b %Y %H:%M:%S %z}\n"
            f"Message-ID: <{mid}>\nSubject: About the proposal\n{extra}\nA short body\nof two lines.\n\n")


def calendar_file(path: str, events: int, seed: int = SEED) -> None:
    """``events`` meetings over two years, one to forty attendees, one in ten weekly for ten weeks."""
    rng = random.Random(seed)
    zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//refgraph benchmark//EN"]
    for k in range(events):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        lines += ["BEGIN:VEVENT", f"UID:e{k}", f"DTSTART;TZID={rng.choice(zones)}:{day:%Y%m%d}T{rng.randrange(8, 18):02}0000",
                  f"ORGANIZER:mailto:{ME}"]
        lines += ["RRULE:FREQ=WEEKLY;COUNT=10"] if k % 10 == 0 else []
        size = 1 if rng.random() < 0.6 else rng.randint(2, 40)
        lines += [f"ATTENDEE;CN=Person {p};PARTSTAT=ACCEPTED:mailto:p{p}@org.example"
                  for p in rng.sample(range(2000), size)]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\r\n".join(lines) + "\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        mbox, ics = os.path.join(folder, "mail.mbox"), os.path.join(folder, "calendar.ics")
        mailbox(mbox, args.messages)
        calendar_file(ics, args.events)
        seconds, net = timed(lambda: rg.read_mail(mbox, [ME]), args.repeat)
        peak, _ = peak_memory(lambda: rg.read_mail(mbox, [ME]))
        size = os.path.getsize(mbox) / 2**20
        print(f"read_mail: {args.messages:,} messages ({size:.0f} MB mbox) in {seconds:.2f} s, peak {peak / 2**20:.0f} MB "
              f"(Python allocations); {len(net.contacts):,} contacts, {len(net.interactions):,} interactions")
        seconds, net = timed(lambda: rg.read_calendar(ics, [ME], as_of="2024-12-31"), args.repeat)
        print(f"read_calendar: {args.events:,} events in {seconds:.2f} s; {len(net.contacts):,} contacts, "
              f"{len(net.interactions):,} interactions")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
        print(f"peak resident memory of the whole run: {rss:.0f} MB; load average of the machine: "
              f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
