"""Load your LinkedIn export and see how much trust each connection carries.

    python examples/linkedin_trust.py Connections.csv

LinkedIn: Settings → Data privacy → Get a copy of your data → Connections. Every connection
becomes an acquaintance whose trust fades with the time since you connected; add what you know
(repeat business, scorecards) in a CSV folder to make the picture warmer and truer.
"""

from __future__ import annotations

import sys

import refgraph as rg


def main(path: str) -> None:
    net = rg.read_linkedin(path, owner="me", owner_name="Me")
    g = net.trust_graph()
    print(g)
    by_trust = sorted(g.neighbors("me"), key=lambda c: (-g.trust("me", c), c))
    for contact in by_trust[:5]:
        organization = g.attributes(contact).get("organization") or "no company given"
        print(f"{g.name(contact):<28} {organization:<24} trust {g.trust('me', contact):.0%}")
    print()
    print(g.explain("me", by_trust[0]))


if __name__ == "__main__":
    main(sys.argv[1])
