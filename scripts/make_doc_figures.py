"""Draw the figures the documentation shows, from the bundled sample network, into docs/figures/.

    python scripts/make_doc_figures.py

Each figure is drawn by the same public call a page shows, so the pictures stay true to the code.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import refgraph as rg  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    net = rg.sample_network()
    g = net.trust_graph()
    forest = rg.referral_chains(net)
    fit = rg.calibrate(net)
    plan = rg.whom_to_cultivate(g, top=3, p=fit.p, seed=1)
    rel = next(r for r in net.relationships if r.scorecard and r.target == "ana.silva")
    figures = {
        "network": lambda: rg.plot.network(g, top=5),
        "scorecard": lambda: rg.plot.scorecard(rel, label="Ana Silva"),
        "centres-of-influence": lambda: rg.centres_of_influence(g, top=10).plot(),
        "pagerank": lambda: rg.centrality(g, "pagerank").plot(top=10),
        "referral-chains": forest.plot,
        "chain-growth": lambda: rg.plot.growth(forest.tree("marco.rossi")),
        "warm-path": lambda: rg.warm_paths(g, "theo.brooks")[0].plot(),
        "forecast": lambda: rg.simulate_referrals(g, plan.contacts, runs=2000, p=fit.p, seed=1).plot(),
    }
    for name, draw in figures.items():
        ax = draw()
        ax.figure.savefig(OUT / f"{name}.png", dpi=90)
        plt.close(ax.figure)
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
