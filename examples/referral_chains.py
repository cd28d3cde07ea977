"""Trace referral chains across generations, credit the value, and draw the chain diagram.

    python examples/referral_chains.py OUT_FOLDER               # the bundled sample network
    python examples/referral_chains.py OUT_FOLDER my-network/   # your CSV folder or saved JSON

Prints the sources whose chains paid, the growth of the richest chain and the role moves, and
writes referral_chains.png and chain_growth.png into OUT_FOLDER.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import refgraph as rg  # noqa: E402


def main(out: str, source: str | None = None) -> None:
    net = rg.sample_network() if source is None else rg.read_network(source)
    forest = rg.referral_chains(net)
    print(forest)
    print(forest.top_sources(5))
    richest = max(forest.trees(), key=lambda tree: (tree.value, tree.size))
    print(richest.growth())
    for move in rg.role_moves(net):
        print(f"{move.name}: {move.note}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    forest.plot().figure.savefig(folder / "referral_chains.png", dpi=100)
    rg.plot.growth(richest).figure.savefig(folder / "chain_growth.png", dpi=100)


if __name__ == "__main__":
    main(*sys.argv[1:3])
