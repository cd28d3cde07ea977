"""A real web of trust: the Bitcoin OTC ratings as a trust graph, drawn and exported.

    python examples/bitcoin_trust.py [OUT_FOLDER]

Writes bitcoin_otc.png (the trust map on a sample of the best-connected traders) and
bitcoin_otc.graphml (open it in Gephi) into OUT_FOLDER (default: the current folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import refgraph as rg


def main(out: Path) -> None:
    g = rg.bitcoin_otc()
    print(g)
    out_degree = np.diff(g.indptr)
    print(f"median trust {np.median(g.edge_trust):.0%}; the busiest trader rated {out_degree.max()} others")
    ax = rg.plot.network(g, max_nodes=250)
    ax.figure.savefig(out / "bitcoin_otc.png", dpi=110)
    rg.write_graphml(g, out / "bitcoin_otc.graphml")
    print(f"wrote {out / 'bitcoin_otc.png'} and {out / 'bitcoin_otc.graphml'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
