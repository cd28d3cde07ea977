"""Find the warmest introductions to a person or a company, and the plan to ask for one.

    python examples/warm_intros.py "Copperleaf Insurance"            # on the bundled sample
    python examples/warm_intros.py theo.brooks my-network-folder/    # a contact id, your CSV folder
    python examples/warm_intros.py "Initech" Connections.csv         # or your LinkedIn export

The target is a contact id when the network has one, otherwise an organisation. The network is
a CSV folder, a JSON file saved by refgraph or LinkedIn's Connections.csv (with the export alone
every connection is direct: add who knows whom in a CSV folder to find chains).
"""

from __future__ import annotations

import sys

import refgraph as rg


def main(target: str, source: str | None = None) -> None:
    net = rg.sample_network() if source is None else rg.read_network(source)
    g = net.trust_graph()
    if target in g:
        paths = rg.warm_paths(g, target, top=3, distinct_introducers=True)
    else:
        paths = rg.warm_paths_to_organization(g, target, top=3)
    if not paths:
        print(f"no chain of at most 4 introductions reaches {target}")
        return
    for path in paths:
        print(path)
        print("   ", path.explain())
    best = next((p for p in paths if p.introducer is not None), None)
    if best is not None:
        print()
        print(rg.intro_plan(best).explain())


if __name__ == "__main__":
    main(*sys.argv[1:3])
