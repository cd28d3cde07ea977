"""The ``refgraph`` command: ``demo``, ``report``, ``summary``, ``paths`` and ``import``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .engine.graph import TrustGraph
from .errors import DataError, RefgraphError
from .io import read_network
from .io.crm import PRESETS
from .records.network import Network

__all__ = ["main"]


def summarize(net: Network, title: str) -> str:
    """A printed summary of a network and its trust graph."""
    g = net.trust_graph()
    s = net.summary()
    lines = [title, "=" * len(title)]
    lines += [f"{k.replace('_', ' '):>14}: {v}" for k, v in s.items()]
    lines.append(f"{'trust graph':>14}: {g!r}")
    if g.number_of_edges():
        q = np.percentile(g.edge_trust, [10, 50, 90])
        lines.append(f"{'trust':>14}: 10% of links below {q[0]:.0%}, median {q[1]:.0%}, 10% above {q[2]:.0%}")
    if g.owner is not None and g.number_of_edges():
        row = slice(g.indptr[g.index(g.owner)], g.indptr[g.index(g.owner) + 1])
        best = np.argsort(-g.edge_trust[row], kind="stable")[:3]
        lines.append(f"{'warmest ties':>14}:")
        for k in best:
            other = g.ids[g.indices[row][k]]
            lines += ["", f"    {g.name(other)} ({other})"]
            lines += ["      " + text for text in str(g.explain(g.owner, other)).splitlines()]
    lines += _highlights(net, g)
    return "\n".join(lines)


def _highlights(net: Network, g: TrustGraph) -> list[str]:
    """Centres of influence, referral chains and role moves, follow-ups: one line or two each."""
    from .analysis.chains import referral_chains
    from .analysis.followups import follow_ups
    from .analysis.influence import centres_of_influence
    from .analysis.roles import role_moves
    from .records.coverage import signal_coverage

    lines = [""]
    if g.number_of_edges():
        centres = centres_of_influence(g, top=3)
        lines.append(f"{'influence':>14}: " + "; ".join(r.name for r in centres))
        note = signal_coverage(net.relationships).note
        lines += [f"{'':>14}  ({note})"] if note else []
    if net.referrals:
        forest = referral_chains(net)
        lines.append(f"{'chains':>14}: {len(forest.roots)} chains, {len(forest)} contacts, "
                     f"{forest.depth} generations deep, {forest.value:,.0f} won")
        lines += [f"{'':>14}  {r.name} {r.note}" for r in role_moves(net) if r.moved_from and r.referrals]
        due = [f for f in follow_ups(net) if f.due is not None and not f.done]
        lines.append(f"{'follow-ups':>14}: {len(due)} open, {sum(f.overdue for f in due)} overdue")
    return lines


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"refgraph: error: {message} (see {self.prog} --help)\n")


_EPILOG = """examples:
  refgraph demo                               the sample network: a summary and ./report/index.html
  refgraph report my-folder/ --out report/    your CSV folder, saved JSON or LinkedIn Connections.csv
  refgraph summary network.json               counts, trust spread and your warmest ties
  refgraph paths "Theo Brooks" my-folder/     the warmest introductions to a contact (or a company)
  refgraph report my-folder/ --out r/ --as-of today   follow-ups counted up to today
  refgraph import mail.mbox work.ics contacts.vcf --owner-address me@example.com --out net.json
                                              trust signals from your mail, calendar and address book
"""


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="refgraph", description="Analytics of sales referral networks.", epilog=_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    demo = sub.add_parser("demo", help="summarise the bundled sample network and write its report")
    demo.add_argument("--out", default="report", help="folder for the report (default: ./report)")
    report = sub.add_parser("report", help="write the HTML report (index.html and figures) of a network")
    report.add_argument("path", nargs="?", help=f"{_SOURCES} (default: the bundled sample network)")
    report.add_argument("--out", required=True, help="folder for index.html and the figures")
    report.add_argument("--owner", help=_OWNER)
    report.add_argument("--as-of", help=_AS_OF)
    report.add_argument("--encoding", default="utf-8", help=_ENCODING)
    summary = sub.add_parser("summary", help="print a summary of a network and its trust graph")
    summary.add_argument("path", help=_SOURCES)
    summary.add_argument("--owner", help=_OWNER)
    summary.add_argument("--encoding", default="utf-8", help=_ENCODING)
    paths = sub.add_parser("paths", help="print the warmest chains of introductions to a contact or a company")
    paths.add_argument("target", help="a contact's id, name or e-mail, or else an organisation name")
    paths.add_argument("path", nargs="?", help=f"{_SOURCES} (default: the bundled sample network)")
    paths.add_argument("--owner", help=_OWNER)
    paths.add_argument("--as-of", help=_AS_OF)
    paths.add_argument("--encoding", default="utf-8", help=_ENCODING)
    paths.add_argument("--top", "-k", type=int, default=3, help="how many paths, one per first introducer (default 3)")
    paths.add_argument("--max-hops", type=int, default=4, help="the most introductions in a chain (default 4)")
    imp = sub.add_parser("import", help="read mail, calendars, address books, CRM exports and networks into one")
    imp.add_argument("files", nargs="+", help="mbox files or .eml folders, .ics, .vcf, CRM or LinkedIn .csv, "
                                             "CSV folders and .json networks, combined in the order given")
    imp.add_argument("--out", required=True, help="the .json file to save the combined network to")
    imp.add_argument("--owner-address", action="append", default=[], metavar="ADDRESS",
                     help="one of your own e-mail addresses (repeat for each alias); needed for mail and calendars")
    imp.add_argument("--owner", help="your contact id (default: that of the first network read, else 'me')")
    imp.add_argument("--owner-name", default="Me", help="your name (default: Me)")
    imp.add_argument("--crm", choices=sorted(PRESETS), help="read .csv files as this CRM's exports: "
                                                           "contacts first, then deals")
    imp.add_argument("--as-of", help="leave out mail and meetings after this day (and expand calendars up to it)")
    return parser


def _import(args: argparse.Namespace) -> str:
    """Read every file of ``refgraph import`` into one network, save it, and say what was read."""
    from pathlib import Path

    from .io import load, read_calendar, read_crm, read_csv, read_linkedin, read_mail, read_vcard, save
    from .records.coverage import signal_coverage

    net = Network(owner=args.owner)
    lines = []
    crm_files = [f for f in args.files if args.crm and f.lower().endswith(".csv")]
    if len(crm_files) > 2:
        raise DataError(f"--crm takes a contacts export and a deals export, got {len(crm_files)} .csv files")
    people = {"owner": args.owner, "owner_name": args.owner_name}
    signals = {"owner_addresses": args.owner_address, **people}
    for name in args.files:
        path, counts = Path(name), dict[str, int]()
        suffix = path.suffix.lower()
        if path.is_dir() and (path / "contacts.csv").exists():
            net.update(read_csv(path, owner=net.owner or args.owner))
        elif suffix == ".json":
            net.update(load(path))
        elif name in crm_files:
            if name != crm_files[0]:
                continue
            read_crm(*crm_files, crm=args.crm, network=net, summary=counts, **people)
        elif suffix == ".csv":
            net.update(read_linkedin(path, owner=net.owner or args.owner or "me", owner_name=args.owner_name))
        elif suffix == ".vcf":
            read_vcard(path, network=net, summary=counts, **people)
        elif suffix in (".ics", ".ical"):
            read_calendar(path, network=net, summary=counts, as_of=args.as_of, **_addresses(signals, name))
        elif path.is_dir() or suffix in (".mbox", ".mbx", "") or path.name.lower() == "mbox":
            read_mail(path, network=net, summary=counts, as_of=args.as_of, **_addresses(signals, name))
        else:
            raise DataError(f"{name}: cannot tell what this file is; expected .mbox, an .eml folder, .ics, .vcf, "
                            ".csv, .json or a CSV folder")
        read = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
        lines.append(f"{name}: read" + (f" ({read})" if read else ""))
    save(net, args.out)
    lines.append(f"{net!r} saved to {args.out}")
    note = signal_coverage(net.relationships).note
    return "\n".join(lines + ([f"note: {note}"] if note else []))


def _addresses(signals: dict[str, Any], name: str) -> dict[str, Any]:
    if not signals["owner_addresses"]:
        raise DataError(f"{name}: mail and calendars need --owner-address (your own e-mail address)")
    return signals


def _paths(net: Network, target: str, top: int, max_hops: int, as_of: dt.date | None = None) -> str:
    from .analysis.paths import warm_paths, warm_paths_to_organization
    from .analysis.plans import intro_plan
    from .errors import UnknownContactError

    g = net.trust_graph(as_of)
    try:
        contact = net.find(target).id
    except UnknownContactError as err:
        try:
            found = warm_paths_to_organization(g, target, top=top, max_hops=max_hops)
        except RefgraphError as org_err:
            if "did you mean" in str(org_err):  # a near miss of an organisation's name
                raise RefgraphError(f"no contact is called {target!r}, and {org_err}") from None
            raise UnknownContactError(target, "no contact has this id, name or e-mail, and no contact works at an "
                                      "organisation of this name", suggestions=err.suggestions) from None
    else:
        found = warm_paths(g, contact, top=top, max_hops=max_hops, distinct_introducers=True)
    if not found:
        return f"no chain of at most {max_hops} introductions reaches {target}"
    lines = [f"{p!r}\n    {p.explain()}" for p in found]
    best = next((p for p in found if p.introducer is not None), None)
    if best is not None:
        lines += ["", intro_plan(best).explain()]
    return "\n".join(lines)


_SOURCES = "a CSV folder, a .json or .parquet network saved by refgraph, or LinkedIn's Connections.csv"
_OWNER = "the seller's contact id (when the files do not mark it)"
_AS_OF = "the day to read the network for: today or YYYY-MM-DD (default: the latest date in the files)"
_ENCODING = "the CSV files' text encoding, e.g. cp1252 or latin-1 (default: utf-8)"


def _network(path: str | None, owner: str | None, encoding: str = "utf-8") -> Network:
    from .datasets import sample_network

    if path is None:
        print("refgraph: no network given, so this uses the bundled sample network; "
              f"pass {_SOURCES} to use yours", file=sys.stderr)
        return sample_network()
    return read_network(path, owner=owner, encoding=encoding)


def _as_of(text: str | None) -> dt.date | None:
    """``--as-of``: ``today`` (the clock, read here and only here) or a date as YYYY-MM-DD."""
    from .records.network import as_of_date

    if text is not None and text.strip().lower() == "today":
        return dt.date.today()
    return as_of_date(text)


# Control characters (ESC, BEL, CSI ...) from the data would drive the terminal: show them escaped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _show(text: str, file: Any = None) -> None:
    """``print``, with control characters shown as ``\\x1b`` ... instead of sent to the terminal."""
    print(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text), file=file)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad arguments or unreadable input,
    130 when interrupted with Ctrl-C, 1 when the reader of the output went away)."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("refgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `refgraph summary x | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    print = _show  # noqa: A001 - every line printed below may hold names from the user's files
    from .report import write_report

    try:
        if args.command == "demo":
            from .datasets import sample_network

            net = sample_network()
            print(summarize(net, "refgraph sample network"))
            print(f"\nreport written to {write_report(net, args.out, title='refgraph: sample network').resolve()}")
        elif args.command == "report":
            as_of = _as_of(args.as_of)
            net = _network(args.path, args.owner, args.encoding)
            title = f"refgraph: {args.path or 'sample network'}"
            print(f"report written to {write_report(net, args.out, title=title, as_of=as_of).resolve()}")
        elif args.command == "summary":
            print(summarize(_network(args.path, args.owner, args.encoding), f"refgraph: {args.path}"))
        elif args.command == "import":
            print(_import(args))
        else:
            as_of = _as_of(args.as_of)
            net = _network(args.path, args.owner, args.encoding)
            print(_paths(net, args.target, args.top, args.max_hops, as_of))
        sys.stdout.flush()
    except RefgraphError as err:
        print(f"refgraph: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
