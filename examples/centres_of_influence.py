"""Rank the centres of influence of a network and say who to ask for a referral, and why.

    python examples/centres_of_influence.py                 # the bundled sample network
    python examples/centres_of_influence.py my-network/     # your CSV folder or saved JSON

Prints the composite ranking with a reason for each contact, the contacts ready to be asked for
an introduction with what to mend first, and writes the ranking to centres_of_influence.csv
(safe to open in a spreadsheet) in the current folder.
"""

from __future__ import annotations

import sys

import refgraph as rg


def main(source: str | None = None) -> None:
    net = rg.sample_network() if source is None else rg.read_network(source)
    g = net.trust_graph()
    centres = rg.centres_of_influence(g, top=5)
    for row in centres:
        print(f"{row.name:<20} {row.score:.2f}  {row.reason}")
    centres.to_csv("centres_of_influence.csv")
    print()
    for row in rg.who_to_ask(net, top=3):
        print(f"{row.name}: {row.action}")
        print(f"    missing: {row.missing}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
