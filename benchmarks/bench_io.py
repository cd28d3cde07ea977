"""Files and sharing: GraphML read (defusedxml, streaming) and write, JSON storage and
pseudonymisation, against the nearest networkx operation, on the same generated graph.

networkx's ``read_graphml`` expands no entities either (expat) but builds a dict-of-dicts
graph; refgraph streams the file into CSR arrays. networkx has no network storage or
pseudonymisation: ``node_link_data`` + ``json`` and ``relabel_nodes`` are the closest steps.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import networkx as nx
import numpy as np
from common import HEADER, generate, row, size_label, timed

import refgraph as rg
from refgraph.io.graphml import read_graphml
from refgraph.records.privacy import pseudonymize

SIZES = [(10_000, 100_000), (100_000, 1_000_000)]


def network(e) -> rg.Network:
    """The generated edges as a Network: one contact per id, one relationship per edge."""
    net = rg.Network(owner="c0")
    net.add(*(rg.Contact(id=f"c{i}", name=f"Contact {i}", organization=f"Org {i % 97}") for i in range(e.n)))
    net.add(*(rg.Relationship(source=s, target=t, kind="client", trust=float(w), directed=True)
              for s, t, w in zip(e.sources.tolist(), e.targets.tolist(), e.trust.tolist(), strict=True)))
    return net


def run(sizes: list[tuple[int, int]]) -> list[str]:
    lines = ["### Files and sharing (best of 3)", "", HEADER]
    for n, m in sizes:
        e = generate(n, m)
        label = size_label(n, m)
        net = network(e)
        g = net.trust_graph()
        G = g.to_networkx()
        for _, data in G.nodes(data=True):  # networkx's writer takes no sets or None
            data["kinds"] = ""
            data["organization"] = data["organization"] or ""
        G.graph = {k: v for k, v in G.graph.items() if isinstance(v, str)}
        with tempfile.TemporaryDirectory() as folder:
            gpath, jpath, npath = (os.path.join(folder, f) for f in ("g.graphml", "net.json", "nx.json"))
            ours, _ = timed(lambda: rg.write_graphml(g, gpath), 3)
            theirs, _ = timed(lambda: nx.write_graphml(G, gpath + ".nx"), 3)
            lines.append(row(f"write GraphML {label}", ours, theirs, "refgraph writes through networkx"))
            ours, h = timed(lambda: read_graphml(gpath), 3)
            theirs, H = timed(lambda: nx.read_graphml(gpath), 3)
            assert h.number_of_edges() == H.number_of_edges() == g.number_of_edges()
            assert np.allclose(h.edge_trust, g.edge_trust)
            lines.append(row(f"read GraphML {label}", ours, theirs, "defusedxml iterparse into CSR"))
            ours, _ = timed(lambda: rg.save(net, jpath), 3)

            def nx_save() -> None:
                with open(npath, "w", encoding="utf-8") as fh:
                    json.dump(nx.node_link_data(G, edges="links"), fh)

            theirs, _ = timed(nx_save, 3)
            lines.append(row(f"save JSON {label}", ours, theirs, "networkx: node_link_data + json.dump"))
            ours, back = timed(lambda: rg.load(jpath), 3)
            assert len(back.relationships) == m

            def nx_load() -> nx.DiGraph:
                with open(npath, encoding="utf-8") as fh:
                    return nx.node_link_graph(json.load(fh), edges="links")

            theirs, _ = timed(nx_load, 3)
            lines.append(row(f"load JSON {label}", ours, theirs, "refgraph validates every record"))
            mapping = {f"c{i}": f"p{i}" for i in range(n)}
            ours, fake = timed(lambda: pseudonymize(net, seed=1), 3)
            assert sorted(fake.trust_graph().edge_trust.tolist()) == sorted(g.edge_trust.tolist())
            theirs, _ = timed(lambda: nx.relabel_nodes(G, mapping), 3)
            lines.append(row(f"pseudonymize {label}", ours, theirs, "networkx: relabel_nodes (ids only)"))
    return lines


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print("\n".join(run([(size, 10 * size)])))
