"""Drawings: they return the Axes they drew on, draw every node, and mark what they promise."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402

import refgraph as rg  # noqa: E402
from refgraph.errors import DataError, RefgraphError  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def scatter_count(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def test_network_draws_every_connected_contact_on_the_given_axes(sample: rg.Network) -> None:
    g = sample.trust_graph()
    fig, ax = plt.subplots()
    assert rg.plot.network(g, ax=ax, highlight=["ana.silva"]) is ax
    connected = sum(1 for c in g if g.neighbors(c))
    assert scatter_count(ax) == connected
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and len(lines[0].get_segments()) == g.number_of_edges()
    labels = {t.get_text() for t in ax.texts}
    assert {"Sam Rivera", "Ana Silva"} <= labels
    assert any("without relationships" in t for t in labels)


def test_network_samples_a_large_graph_and_says_so() -> None:
    g = rg.bitcoin_otc()
    ax = rg.plot.network(g, max_nodes=150)
    assert scatter_count(ax) <= 150
    assert any("showing" in t.get_text() and "5,573" in t.get_text() for t in ax.texts)


def test_network_edge_cases() -> None:
    single = rg.TrustGraph.from_edges([], [], [], nodes=["solo"])
    ax = rg.plot.network(single)
    assert scatter_count(ax) == 0
    pair = rg.TrustGraph.from_edges(["a"], ["b"], [0.5], directed=True)
    ax = rg.plot.network(pair, labels=True)
    assert scatter_count(ax) == 2 and {"a", "b"} <= {t.get_text() for t in ax.texts}


def test_scorecard_radar(sample: rg.Network) -> None:
    rel = next(r for r in sample.relationships if r.scorecard)
    ax = rg.plot.scorecard(rel)
    assert ax.name == "polar" and ax.get_ylim() == (0, 10)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == f"liking\n{rel.scorecard.liking}/10"
    with pytest.raises(DataError, match="no scorecard"):
        rg.plot.scorecard(next(r for r in sample.relationships if r.scorecard is None))
    with pytest.raises(RefgraphError, match="polar"):
        rg.plot.scorecard(rel.scorecard, ax=plt.subplots()[1])


def test_importing_refgraph_does_not_import_the_heavy_modules() -> None:
    import subprocess
    import sys

    heavy = ["matplotlib", "numba", "networkx", "pandas", "scipy.stats", "icalendar", "vobject", "pyvis", "pyspark",
             "refgraph.spark"]
    code = f"import sys, refgraph; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_shorten_keeps_short_names() -> None:
    from refgraph.plot._axes import shorten

    assert shorten("Ana") == "Ana" and len(shorten("x" * 40, 10)) == 10


def test_path_draws_every_contact_and_marks_the_weakest_link() -> None:
    g = rg.TrustGraph.from_edges(["sam", "ana", "ben"], ["ana", "ben", "raj"], [0.9, 0.4, 0.8], owner="sam",
                                 names={"sam": "Sam", "ana": "Ana", "ben": "Ben", "raj": "Raj"})
    path = rg.warm_paths(g, "raj")[0]
    fig, ax = plt.subplots()
    assert path.plot(ax=ax) is ax
    assert scatter_count(ax) == 4
    texts = [t.get_text() for t in ax.texts]
    assert {"Sam", "Ana", "Ben", "Raj", "90%", "40%\nweakest", "80%"} <= set(texts)
    assert len([t for t in ax.texts if "weakest" in t.get_text()]) == 1


def test_path_of_one_link_and_on_the_sample(sample: rg.Network) -> None:
    g = sample.trust_graph()
    direct = next(p for p in rg.warm_paths_to_organization(g, "Copperleaf Insurance", k=5) if p.hops == 1)
    ax = rg.plot.path(direct)
    assert scatter_count(ax) == 2 and ax.get_title().endswith("over 1 link")
    longest = rg.warm_paths(g, "theo.brooks", k=3)[-1]
    assert scatter_count(rg.plot.path(longest)) == longest.hops + 1


def test_ranking_with_one_bar_and_with_none() -> None:
    ax = rg.plot.ranking(["<Ana>"], [0.5], title="one")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["<Ana>"] and len(ax.patches) == 1
    assert len(rg.plot.ranking([], []).patches) == 0


def test_every_result_with_a_picture_draws_on_the_given_axes(sample: rg.Network) -> None:
    g = sample.trust_graph()
    forest = rg.referral_chains(sample)
    drawables = [
        rg.centrality(g, "pagerank"), rg.centres_of_influence(g, top=3), forest, forest.tree("marco.rossi"),
        rg.warm_paths(g, "theo.brooks")[0], rg.simulate_referrals(g, "me", runs=50, seed=1),
    ]
    for result in drawables:
        fig, ax = plt.subplots()
        assert result.plot(ax=ax) is ax, type(result).__name__
        plt.close(fig)


def test_network_names_the_top_centres_of_influence(sample: rg.Network) -> None:
    g = sample.trust_graph()
    ax = rg.plot.network(g, top=3)
    names = {t.get_text() for t in ax.texts}
    assert {r.name for r in rg.centres_of_influence(g, top=3)} <= names


def test_ranked_tables_and_growth_draw_themselves(sample: rg.Network) -> None:
    forest = rg.referral_chains(sample)
    sources = forest.top_sources(5)
    ax = sources.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == [r.name for r in sources]
    assert [round(p.get_width(), 6) for p in ax.patches] == [round(r.value, 6) for r in sources]
    credit = forest.attribution("equal")
    assert len(credit.plot(top=3).patches) == 3
    plan = rg.whom_to_cultivate(sample.trust_graph(), k=2, runs=30, seed=1, compare=False)
    assert [round(p.get_width(), 6) for p in plan.plot().patches] == [round(r.marginal_gain, 6) for r in plan]
    growth = forest.tree("marco.rossi").growth()
    assert [int(b.get_height()) for b in growth.plot().patches] == [r.contacts for r in growth]
