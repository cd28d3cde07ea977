"""Betweenness from sampled pairs (KADABRA's estimator) and the ranking that samples until its
top settles: checked against brute force over all simple paths, exact betweenness and
networkx's scale."""

from __future__ import annotations

import itertools
import math
import re

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refgraph as rg
import refgraph.analysis.influence as influence
from refgraph.engine import _centrality as engine
from refgraph.errors import DataError

RTOL = 1e-9


@st.composite
def tied_graphs(draw: st.DrawFn) -> nx.DiGraph:
    """Up to 7 contacts, directed or not, with trusts from {0.5, 1.0}: many exactly equal costs."""
    n = draw(st.integers(3, 7))
    directed = draw(st.booleans())
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and (directed or u < v)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=len(pairs)))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for u, v in chosen:
        G.add_edge(u, v, trust=draw(st.sampled_from([0.5, 1.0])))
    return G


def brute_force_shares(G: nx.Graph) -> np.ndarray:
    """For each contact, the mean over ordered pairs of the share of the pair's shortest paths
    (all simple paths enumerated, cost ``max(-log trust, 1e-6)``, ties within RTOL) it lies inside."""
    n = len(G)
    cost = {(u, v): max(-math.log(d["trust"]), engine.COST_FLOOR) for u, v, d in G.edges(data=True)}
    if not G.is_directed():
        cost |= {(v, u): c for (u, v), c in cost.items()}
    share = np.zeros(n)
    for s, t in itertools.permutations(range(n), 2):
        paths = list(nx.all_simple_paths(G, s, t))
        if not paths:
            continue
        costs = [sum(cost[a, b] for a, b in itertools.pairwise(p)) for p in paths]
        tied = [p for p, c in zip(paths, costs, strict=True) if c <= min(costs) * (1 + RTOL)]
        for p in tied:
            for v in p[1:-1]:
                share[v] += 1 / len(tied)
    return share / (n * (n - 1))


def trust_graph(G: nx.Graph) -> rg.TrustGraph:
    return rg.TrustGraph.from_edges(*zip(*((u, v, d["trust"]) for u, v, d in G.edges(data=True)), strict=True),
                                    directed=G.is_directed(), nodes=list(G))


def binomial_close(hits: np.ndarray, share: np.ndarray, drawn: int) -> None:
    """Each contact's hits within six standard deviations of a binomial(drawn, share); none at all
    where brute force finds no path through it."""
    spread = 6 * np.sqrt(drawn * share * (1 - share)) + 1e-9
    assert np.all(np.abs(hits - drawn * share) <= spread), (hits, drawn * share)
    assert np.all(hits[share == 0] == 0)


@settings(max_examples=60, deadline=None)
@given(tied_graphs(), st.integers(0, 2**64 - 1))
def test_each_pair_draws_one_of_its_shortest_paths_uniformly_as_brute_force_counts_them(G, seed) -> None:
    g = trust_graph(G)
    drawn = 20_000
    hits = engine.PairSampler(g.trust_matrix(), seed=seed, rtol=RTOL).draw(drawn)
    binomial_close(hits[[g.index(v) for v in G]], brute_force_shares(G), drawn)


def test_a_grid_of_equal_trusts_spreads_its_many_tied_paths_evenly() -> None:
    # a 4 x 4 grid, every trust 1.0: corner to corner there are 20 tied paths; brute force is the oracle
    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(4, 4))
    nx.set_edge_attributes(G, 1.0, "trust")
    g = trust_graph(G)
    hits = engine.PairSampler(g.trust_matrix(), seed=3, rtol=RTOL).draw(40_000)
    order = [g.index(v) for v in G]
    binomial_close(hits[order], brute_force_shares(G), 40_000)


@settings(max_examples=40, deadline=None)
@given(tied_graphs(), st.integers(0, 2**64 - 1))
def test_draws_are_as_uniform_when_the_meeting_arcs_are_found_again_in_the_rows(G, seed) -> None:
    g = trust_graph(G)
    sampler = engine.PairSampler(g.trust_matrix(), seed=seed, rtol=RTOL)
    sampler.room = 0  # no room kept for the arcs where the two searches meet
    hits = sampler.draw(20_000)
    binomial_close(hits[[g.index(v) for v in G]], brute_force_shares(G), 20_000)


def test_draws_do_not_depend_on_how_they_are_split_or_on_the_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import numba

    rng = np.random.default_rng(8)
    src, dst = rng.integers(0, 300, 2000), rng.integers(0, 300, 2000)
    keep = src != dst
    A = rg.TrustGraph.from_edges(src[keep], dst[keep], rng.choice([0.5, 0.8, 1.0], int(keep.sum()))).trust_matrix()
    whole = engine.PairSampler(A, seed=11, rtol=RTOL).draw(3000)
    monkeypatch.setattr(engine, "PAIR_BLOCK", 128)
    pieces = engine.PairSampler(A, seed=11, rtol=RTOL)
    split = pieces.draw(1000) + pieces.draw(2000)
    numba.set_num_threads(1)
    try:
        alone = engine.PairSampler(A, seed=11, rtol=RTOL).draw(3000)
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert whole.sum() > 0 and np.array_equal(whole, split) and np.array_equal(whole, alone)
    assert pieces.drawn == 3000
    assert not np.array_equal(whole, engine.PairSampler(A, seed=12, rtol=RTOL).draw(3000))


@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_from_pairs_estimates_networkx_on_its_scale(normalized: bool) -> None:
    g = rg.sample_network().trust_graph()
    n, drawn = len(g), 60_000
    exact = rg.betweenness(g, normalized=normalized).values
    estimate = rg.betweenness(g, pairs=drawn, seed=4, normalized=normalized).values
    scale = n * (n - 1) / (1 if g.directed or normalized else 2) / ((n - 1) * (n - 2) if normalized else 1)
    share = exact / scale  # the share of ordered pairs each contact lies between
    assert share.max() > 0.05
    binomial_close(estimate / scale * drawn, share, drawn)


def test_pairs_refuses_bad_arguments() -> None:
    g = rg.sample_network().trust_graph()
    with pytest.raises(DataError, match="field 'pairs'"):
        rg.betweenness(g, pairs=0)
    with pytest.raises(DataError, match="not both"):
        rg.betweenness(g, pairs=10, betweenness_sample=5)


def barabasi(n: int, seed: int) -> rg.TrustGraph:
    rng = np.random.default_rng(seed)
    G = nx.barabasi_albert_graph(n, 2, seed=seed)
    edges = np.array(G.edges)
    return rg.TrustGraph.from_edges(edges[:, 0], edges[:, 1], rng.choice([0.4, 0.6, 0.8, 1.0], len(edges)),
                                    directed=False)


def drawn_pairs(note: str) -> int:
    return int(re.search(r"from ([\d,]+) sampled pairs", note).group(1).replace(",", ""))


@pytest.mark.parametrize("seed", range(4))
def test_the_ranking_samples_pairs_until_its_top_settles_and_then_holds_the_exact_top(
        monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    g = barabasi(1500, seed=20)
    exact = {r.contact for r in rg.centres_of_influence(g, top=10)}  # 1,500 contacts: exact betweenness
    monkeypatch.setattr(influence, "EXACT_BETWEENNESS_LIMIT", 1000)
    estimated = rg.centres_of_influence(g, top=10, seed=seed)
    assert {r.contact for r in estimated} == exact
    drawn = drawn_pairs(estimated.note)
    assert "both halves of the sample put the same contacts in the top" in estimated.note
    assert drawn >= 2 * influence.FIRST_PAIRS and drawn & (drawn - 1) == 0
    again = rg.betweenness(g, pairs=drawn, seed=seed)  # the rows show the estimate of all pairs drawn
    assert [r.betweenness for r in estimated] == [again[r.contact] for r in estimated]


def test_the_ranking_stops_at_the_limit_when_the_top_is_a_tie_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # a ring of equal trusts: every contact is alike, so no sample settles who is in the top
    ring = rg.TrustGraph.from_edges(range(60), [(i + 1) % 60 for i in range(60)], [0.7] * 60, directed=False)
    monkeypatch.setattr(influence, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(influence, "FIRST_PAIRS", 64)
    monkeypatch.setattr(influence, "PAIR_LIMIT", 1024)
    shown = rg.centres_of_influence(ring, top=5, measures=["betweenness"])
    assert drawn_pairs(shown.note) == 1024 and "still differ" in shown.note


def test_the_report_says_how_many_pairs_the_ranking_drew(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(influence, "EXACT_BETWEENNESS_LIMIT", 10)
    text = rg.write_report(rg.sample_network(), tmp_path).read_text(encoding="utf-8")
    folded = text[text.index("How the score is worked out"):]
    assert re.search(r"Betweenness estimated from [\d,]+ sampled pairs of contacts", folded[:2000])
