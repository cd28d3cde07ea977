"""Referral cascades against closed forms, exact enumeration of every world and a plain loop
with the same SplitMix64 coins; whom to cultivate against plain greedy and exhaustive search;
calibration against generated histories."""

from __future__ import annotations

import collections
import itertools
import math
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.analysis.calibration import calibrate
from refgraph.analysis.forecast import simulate_referrals, whom_to_cultivate
from refgraph.engine import _cascade as fc_module
from refgraph.errors import DataError, RefgraphError, UnknownContactError

from .strategies import trust_graphs


# -- oracles ----------------------------------------------------------------------------------------
def arcs_of(g: rg.TrustGraph) -> list[tuple[str, str, float]]:
    """Every walkable arc with its trust, from networkx (both ways for an undirected graph)."""
    G = g.to_networkx()
    found = [(u, v, d["trust"]) for u, v, d in G.edges(data=True)]
    if not g.directed:
        found += [(v, u, t) for u, v, t in found]
    return found


def worlds(g: rg.TrustGraph, p: float):
    """Every live-edge world with its probability: each arc passes with p * trust."""
    arcs = arcs_of(g)
    for live in itertools.product([False, True], repeat=len(arcs)):
        weight = math.prod(p * t if on else 1 - p * t for (_, _, t), on in zip(arcs, live, strict=False))
        if weight > 0:
            H = nx.DiGraph()
            H.add_nodes_from(g)
            H.add_edges_from((u, v) for (u, v, _), on in zip(arcs, live, strict=False) if on)
            yield weight, H


def exact_forecast(g: rg.TrustGraph, seeds, p: float, max_generations=None):
    """Exact expected reach, per-node reach probability and expected count per generation."""
    reach, prob, per_gen = 0.0, dict.fromkeys(g, 0.0), {}
    for weight, H in worlds(g, p):
        H.add_edges_from(("__start", s) for s in seeds)
        cutoff = None if max_generations is None else max_generations + 1
        dist = nx.single_source_shortest_path_length(H, "__start", cutoff=cutoff)
        del dist["__start"]
        reach += weight * len(dist)
        for v, d in dist.items():
            prob[v] += weight
            per_gen[d - 1] = per_gen.get(d - 1, 0.0) + weight
    return reach, prob, per_gen


def exact_spread_of_sets(g: rg.TrustGraph, p: float, k: int) -> dict[frozenset, float]:
    """Exact expected reach of every k-set of contacts."""
    nodes = list(g)
    value = dict.fromkeys((frozenset(c) for c in itertools.combinations(nodes, k)), 0.0)
    for weight, H in worlds(g, p):
        reach = {v: nx.descendants(H, v) | {v} for v in nodes}
        for s in value:
            value[s] += weight * len(set().union(*(reach[v] for v in s)))
    return value


def small_graphs(max_arcs: int = 8) -> st.SearchStrategy[rg.TrustGraph]:
    return trust_graphs(nodes=(2, 6), max_arcs=max_arcs)


def star(leaves: int, trust: float, directed: bool = True) -> rg.TrustGraph:
    return rg.TrustGraph.from_edges(["hub"] * leaves, [f"l{i}" for i in range(leaves)], [trust] * leaves,
                                    directed=directed)


# -- closed forms ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("leaves", "trust", "p"), [(10, 0.5, 1.0), (25, 0.8, 0.3), (3, 1.0, 0.5)])
def test_star_from_hub_reaches_one_plus_n_p_trust(directed: bool, leaves: int, trust: float, p: float) -> None:
    fc = simulate_referrals(star(leaves, trust, directed), "hub", runs=3000, p=p, seed=11)
    q = p * trust
    assert abs(fc.expected_reach - (1 + leaves * q)) < 3 * fc.standard_error
    assert fc.standard_error == pytest.approx(math.sqrt(leaves * q * (1 - q) / 3000), rel=0.1)
    assert fc.per_generation[0] == 1 and abs(fc.per_generation[1] - leaves * q) < 3 * fc.standard_error
    assert fc.probability("hub") == 1.0
    assert len(fc.per_generation) == 2  # leaves refer nobody new (undirected: only back to the hub)


@pytest.mark.parametrize(("length", "trust", "p"), [(6, 0.9, 1.0), (12, 0.7, 0.8), (4, 0.5, 0.5)])
def test_path_from_one_end_reaches_the_geometric_sum(length: int, trust: float, p: float) -> None:
    ids = [f"n{i:02d}" for i in range(length + 1)]
    g = rg.TrustGraph.from_edges(ids[:-1], ids[1:], [trust] * length, directed=False)
    fc = simulate_referrals(g, ids[0], runs=4000, p=p, seed=5)
    q = p * trust
    assert abs(fc.expected_reach - sum(q**j for j in range(length + 1))) < 3 * fc.standard_error
    for j in (1, 2, length):
        se = math.sqrt(q**j * (1 - q**j) / 4000) + 1e-9
        assert abs(fc.probability(ids[j]) - q**j) < 3 * se
        assert abs(fc.per_generation[j] - q**j) < 3 * se
    cut = simulate_referrals(g, ids[0], runs=4000, p=p, max_generations=2, seed=5)
    assert abs(cut.expected_reach - (1 + q + q * q)) < 3 * cut.standard_error
    assert len(cut.per_generation) <= 3


def test_a_tree_with_full_trust_reaches_everyone_generation_by_generation() -> None:
    T = nx.balanced_tree(3, 4)
    g = rg.TrustGraph.from_edges([u for u, _ in T.edges], [v for _, v in T.edges], [1.0] * T.number_of_edges(),
                                 directed=False)
    fc = simulate_referrals(g, 0, runs=20, seed=1)
    assert fc.reach.tolist() == [T.number_of_nodes()] * 20
    assert fc.standard_error == 0.0
    layers = [len(layer) for layer in nx.bfs_layers(T, [0])]
    assert fc.per_generation.tolist() == layers
    assert {r.mean_generation for r in fc if r.contact in T[0]} == {1.0}


def test_p_zero_reaches_only_the_seeds() -> None:
    fc = simulate_referrals(star(5, 1.0), ["hub", "l0", "l0"], runs=50, p=0.0, seed=1)
    assert fc.reach.tolist() == [2] * 50 and fc.seeds == ("hub", "l0")


# -- exact enumeration of worlds ------------------------------------------------------------------------
@given(small_graphs(), st.data())
def test_forecast_matches_exact_enumeration(g: rg.TrustGraph, data: st.DataObject) -> None:
    seeds = data.draw(st.lists(st.sampled_from(list(g)), min_size=1, max_size=2, unique=True))
    p = data.draw(st.sampled_from([1.0, 0.6]))
    max_generations = data.draw(st.sampled_from([None, 1, 2]))
    runs = 3000
    fc = simulate_referrals(g, seeds, runs=runs, p=p, max_generations=max_generations, seed=7)
    reach, prob, per_gen = exact_forecast(g, seeds, p, max_generations)
    # a rare outcome (chance about 1 / runs) may never be drawn, leaving the standard error 0
    assert abs(fc.expected_reach - reach) <= 4.5 * fc.standard_error + 2 * len(g) / runs
    for v in g:
        se = math.sqrt(max(prob[v] * (1 - prob[v]), 0.0) / runs)
        assert abs(fc.probability(v) - prob[v]) <= 4.5 * se + 2 / runs
    assert len(fc.per_generation) <= len(per_gen)
    assert fc.per_generation[0] == len(seeds)
    # expected reach = sum of the contacts' probabilities = sum over generations, run by run
    assert fc.probabilities.sum() == pytest.approx(fc.expected_reach) == fc.per_generation.sum()


@given(small_graphs(), st.data())
def test_common_worlds_more_seeds_never_reach_fewer(g: rg.TrustGraph, data: st.DataObject) -> None:
    nodes = list(g)
    some = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    more = some + data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    a = simulate_referrals(g, some, runs=200, p=0.7, seed=3)
    b = simulate_referrals(g, more, runs=200, p=0.7, seed=3)
    assert (b.reach >= a.reach).all()  # run r is the same world for both seed sets


def test_same_seed_same_forecast_and_kernel_calls_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    g = rg.sample_network().trust_graph()
    a = simulate_referrals(g, "me", runs=300, p=0.4, seed=42)
    b = simulate_referrals(g, "me", runs=300, p=0.4, seed=42)
    c = simulate_referrals(g, "me", runs=300, p=0.4, seed=43)
    monkeypatch.setattr(fc_module, "_WORK", 1)  # every kernel call comes back after one world
    d = simulate_referrals(g, "me", runs=300, p=0.4, seed=42)
    assert a.reach.tolist() == b.reach.tolist() == d.reach.tolist()
    assert a.reach.tolist() != c.reach.tolist()
    assert np.array_equal(a.probabilities, d.probabilities) and np.array_equal(a.per_generation, d.per_generation)


@pytest.mark.parametrize(("method", "limit"), [("celf", None), ("celf", 2), ("rr", None)])
def test_plans_do_not_depend_on_how_the_worlds_are_split_between_kernel_calls(
        monkeypatch: pytest.MonkeyPatch, method: str, limit: int | None) -> None:
    g = rg.sample_network().trust_graph()
    a = whom_to_cultivate(g, 3, runs=120, p=0.3, max_generations=limit, seed=4, method=method)
    monkeypatch.setattr(fc_module, "_WORK", 1)
    b = whom_to_cultivate(g, 3, runs=120, p=0.3, max_generations=limit, seed=4, method=method)
    assert a.contacts == b.contacts and [r.marginal_gain for r in a] == [r.marginal_gain for r in b]
    assert a.pagerank_reach == b.pagerank_reach and a.runs == b.runs


# -- the coins ------------------------------------------------------------------------------------------
MASK = 2**64 - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(z: int) -> int:
    """SplitMix64's output function (Steele, Lea and Flood 2014; Vigna's splitmix64.c)."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def coin(counter: int, salt: int) -> int:
    """The ``counter``-th output of SplitMix64 seeded with ``salt``, cut to its top 53 bits."""
    return mix((salt + counter * GOLDEN) & MASK) >> 11


def test_the_coin_oracle_is_splitmix64() -> None:
    published = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431,
                 16408922859458223821]  # the generator's first outputs for seed 1234567
    assert [coin(c, 1234567) for c in range(1, 6)] == [x >> 11 for x in published]


def loop_forecast(g: rg.TrustGraph, seeds: list, runs: int, p: float, seed: int, max_generations):
    """Each run's reach, and each (generation, contact) reached, by a plain breadth-first loop in
    which arc ``a`` passes in run ``r`` when ``coin(r * n_arcs + a) < floor(p * trust * 2**53)``."""
    salt = int(fc_module.salt(np.random.default_rng(seed)))
    indptr, indices, trust = g.indptr.tolist(), g.indices.tolist(), g.edge_trust.tolist()
    m = len(indices)
    reach, cells = [], collections.Counter()
    for r in range(runs):
        frontier = sorted({g.index(s) for s in seeds})
        reached = set(frontier)
        generation = 0
        while frontier:
            cells.update((generation, v) for v in frontier)
            if generation == max_generations:
                break
            new = []
            for u in frontier:
                for a in range(indptr[u], indptr[u + 1]):
                    v = indices[a]
                    if v not in reached and coin(r * m + a, salt) < math.floor(p * trust[a] * 2**53):
                        reached.add(v)
                        new.append(v)
            frontier, generation = new, generation + 1
        reach.append(len(reached))
    return reach, cells


@given(small_graphs(max_arcs=12), st.data())
def test_every_run_reaches_what_a_loop_with_the_same_coins_reaches(g: rg.TrustGraph, data: st.DataObject) -> None:
    seeds = data.draw(st.lists(st.sampled_from(list(g)), min_size=1, max_size=3))
    p = data.draw(st.sampled_from([1.0, 0.7, 0.3]))
    max_generations = data.draw(st.sampled_from([None, 0, 1, 2]))
    seed = data.draw(st.integers(0, 2**32))
    fc = simulate_referrals(g, seeds, runs=40, p=p, max_generations=max_generations, seed=seed)
    reach, cells = loop_forecast(g, seeds, 40, p, seed, max_generations)
    assert fc.reach.tolist() == reach
    hits = collections.Counter(v for _, v in cells.elements())
    assert fc.probabilities.tolist() == [hits[i] / 40 for i in range(len(g))]
    per_generation = collections.Counter(t for t, _ in cells.elements())
    assert fc.per_generation.tolist() == [per_generation[t] / 40 for t in range(len(per_generation))]
    for row in fc:
        i = g.index(row.contact)
        assert row.mean_generation == sum(t * c for (t, v), c in cells.items() if v == i) / hits[i]


def test_importing_refgraph_does_not_import_numba() -> None:
    code = "import sys, refgraph, refgraph.analysis.forecast; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- the result -----------------------------------------------------------------------------------------
def test_forecast_result_is_a_table() -> None:
    g = rg.TrustGraph.from_edges(["<b>hub</b>"] * 3, ["a", "b", "=c"], [0.9, 0.5, 0.1],
                                 names={"<b>hub</b>": "<b>Hub</b>"})
    fc = simulate_referrals(g, "<b>hub</b>", runs=500, seed=2)
    probs = [r.probability for r in fc]
    assert probs == sorted(probs, reverse=True) and fc[0].contact == "<b>hub</b>" and fc[0].name == "<b>Hub</b>"
    assert len(fc) == 4 and [r.contact for r in fc][1:] == ["a", "b", "=c"]  # by trust: 0.9, 0.5, 0.1
    assert probs == [fc.probability(r.contact) for r in fc] and [r.mean_generation for r in fc] == [0, 1, 1, 1]
    assert fc.columns == ("contact", "name", "probability", "mean_generation")
    assert "<b>Hub" not in fc._repr_html_() and "&lt;b&gt;Hub" in fc._repr_html_()
    assert repr(fc).startswith("Referral forecast: expected reach")
    q = fc.quantiles
    assert list(q) == [0.05, 0.25, 0.5, 0.75, 0.95] and list(q.values()) == sorted(q.values())
    assert fc.to_pandas()["probability"].tolist() == probs
    with pytest.raises(UnknownContactError):
        fc.probability("zoe")


def test_reach_distribution_plot(tmp_path) -> None:
    g = rg.sample_network().trust_graph()
    fc = simulate_referrals(g, ["me", "ana.silva"], runs=400, p=0.5, seed=1)
    ax = fc.plot()
    assert ax.get_xlabel() == "contacts reached (seeds included)"
    assert "400 runs" in ax.get_title()
    heights = [bar.get_height() for bar in ax.patches if hasattr(bar, "get_height")]
    assert sum(h for h in heights if h < 1) == pytest.approx(1.0)  # the bars: shares summing to 1
    ax.figure.savefig(tmp_path / "reach.png")
    import matplotlib.pyplot as plt

    fig, own = plt.subplots()
    assert fc.plot(ax=own) is own
    plt.close("all")


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"runs": 0}, "runs"), ({"p": -0.1}, "p"), ({"p": 1.5}, "p"), ({"p": float("nan")}, "p"),
     ({"max_generations": -1}, "max_generations")],
)
def test_bad_simulation_arguments(kwargs: dict, field: str) -> None:
    with pytest.raises(RefgraphError) as err:
        simulate_referrals(star(3, 0.5), "hub", **kwargs)
    assert err.value.field == field


def test_unknown_or_missing_seeds() -> None:
    g = star(3, 0.5)
    with pytest.raises(UnknownContactError, match="zoe"):
        simulate_referrals(g, ["hub", "zoe"])
    with pytest.raises(KeyError):
        simulate_referrals(g, "zoe")
    with pytest.raises(DataError, match="no seeds"):
        simulate_referrals(g, [])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"top": 0}, "top"), ({"top": 5}, "top"), ({"top": 1, "runs": 0}, "runs"), ({"top": 1, "method": "magic"}, "method"),
     ({"top": 1, "p": 2.0}, "p")],
)
def test_bad_cultivation_arguments(kwargs: dict, field: str) -> None:
    g = rg.TrustGraph.from_edges(["me", "a", "b"], ["a", "b", "c"], [0.5] * 3, owner="me")
    with pytest.raises(RefgraphError) as err:
        whom_to_cultivate(g, compare=False, **kwargs)
    assert err.value.field == field


# -- whom to cultivate ----------------------------------------------------------------------------------
def two_clusters() -> rg.TrustGraph:
    """Hub ``a`` and its neighbour ``x`` share one cluster; ``b`` is a smaller, separate hub.
    The two best single contacts are ``a`` and ``x``; the best pair is ``a`` and ``b``."""
    src = ["a"] * 4 + ["x"] * 3 + ["b"] * 2
    tgt = ["a1", "a2", "a3", "a4", "a1", "a2", "a3", "b1", "b2"]
    return rg.TrustGraph.from_edges(src, tgt, [0.9] * len(src))


@pytest.mark.parametrize("method", ["celf", "rr"])
def test_two_separate_hubs_are_chosen_as_exhaustive_search_says(method: str) -> None:
    g = two_clusters()
    exact = exact_spread_of_sets(g, 1.0, 2)
    best = max(exact, key=exact.get)
    assert best == {"a", "b"}
    singles = exact_spread_of_sets(g, 1.0, 1)
    assert sorted(singles, key=singles.get)[-2:] == [{"x"}, {"a"}]  # top two singles: same cluster
    plan = whom_to_cultivate(g, 2, runs=2000 if method == "celf" else 20_000, seed=4, method=method, compare=False)
    assert plan.contacts == ("a", "b")
    assert plan.expected_reach == pytest.approx(exact[best], abs=0.15)
    assert [r.rank for r in plan] == [1, 2]
    assert plan[0].marginal_gain == pytest.approx(singles[frozenset({"a"})], abs=0.15)


@given(small_graphs(max_arcs=8), st.integers(1, 2))
def test_greedy_is_near_exhaustive_search(g: rg.TrustGraph, k: int) -> None:
    if len(g) < k:
        return
    exact = exact_spread_of_sets(g, 0.8, k)
    plan = whom_to_cultivate(g, k, runs=600, p=0.8, seed=1, compare=False)
    got = exact[frozenset(plan.contacts)]
    assert got >= (1 - 1 / math.e) * max(exact.values()) - 1e-9
    if k == 1:  # greedy is exact for one pick, up to Monte Carlo noise
        assert got >= max(exact.values()) - 0.35


def plain_greedy(g: rg.TrustGraph, k: int, runs: int, p: float, seed: int, max_generations=None) -> list:
    """Greedy without laziness: every candidate re-simulated with the picks each round."""
    picks: list = []
    for _ in range(k):
        gains = {v: simulate_referrals(g, [*picks, v], runs=runs, p=p, seed=seed,
                                       max_generations=max_generations).expected_reach
                 for v in g if v not in picks and v != g.owner}
        picks.append(max(gains, key=lambda v: gains[v]))  # first maximum in id order
    return picks


@given(small_graphs(max_arcs=12), st.integers(1, 3), st.sampled_from([None, 1]))
def test_celf_picks_what_plain_greedy_picks_on_the_same_worlds(g: rg.TrustGraph, k: int, limit) -> None:
    k = min(k, len(g))
    plan = whom_to_cultivate(g, k, runs=50, p=0.7, seed=9, max_generations=limit, compare=False)
    assert list(plan.contacts) == plain_greedy(g, k, 50, 0.7, 9, limit)
    gains = [r.marginal_gain for r in plan]
    assert gains == sorted(gains, reverse=True)  # submodular: each pick adds no more than the last
    check = simulate_referrals(g, plan.contacts, runs=50, p=0.7, seed=9, max_generations=limit)
    assert plan.expected_reach == pytest.approx(check.expected_reach)


def test_owner_is_never_picked_and_rr_agrees_with_monte_carlo() -> None:
    g = rg.sample_network().trust_graph()
    celf = whom_to_cultivate(g, 3, runs=300, p=0.4, seed=2, compare=False)
    rr = whom_to_cultivate(g, 3, runs=30_000, p=0.4, seed=2, method="rr", compare=False)
    assert "me" not in celf.contacts and "me" not in rr.contacts
    assert len(set(celf.contacts)) == 3
    check = simulate_referrals(g, rr.contacts, runs=2000, p=0.4, seed=5)
    assert abs(rr.expected_reach - check.expected_reach) < 0.1 * check.expected_reach
    assert rr.expected_reach >= 0.9 * celf.expected_reach
    assert "Whom to cultivate (rr" in repr(rr)


def test_reverse_reachable_sets_stop_at_the_entry_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    g = star(30, 1.0, directed=False)  # every reverse-reachable set holds all 31 contacts
    monkeypatch.setattr(fc_module, "_RR_ENTRIES", 5000)
    plan = whom_to_cultivate(g, 1, runs=10_000, seed=1, method="rr", compare=False)
    assert plan.runs < 10_000 and plan.contacts == ("hub",) and plan.expected_reach == 31


def test_pagerank_comparison_on_the_same_worlds() -> None:
    pytest.importorskip("refgraph.analysis.influence")
    g = two_clusters()
    plan = whom_to_cultivate(g, 2, runs=500, seed=3)
    assert plan.pagerank is not None and len(plan.pagerank) == 2
    same_worlds = simulate_referrals(g, plan.pagerank, runs=500, seed=3)
    assert plan.pagerank_reach == pytest.approx(same_worlds.expected_reach)
    assert plan.expected_reach >= plan.pagerank_reach
    assert "PageRank" in repr(plan)


# -- calibration ----------------------------------------------------------------------------------------
def history(p: float, links: int, seed: int, directed: bool = True) -> rg.Network:
    """A network whose relationships each referred once with probability p * trust (an
    undirected one in a random direction)."""
    rng = np.random.default_rng(seed)
    net = rg.Network(owner="c0", contacts=[rg.Contact(id=f"c{i}", name=f"C {i}") for i in range(links + 1)])
    for i in range(1, links + 1):
        t = float(rng.uniform(0.05, 1.0))
        u, v = f"c{rng.integers(0, i)}", f"c{i}"
        net.add(rg.Relationship(source=u, target=v, kind="client", trust=t, directed=directed))
        if rng.random() < p * t:
            a, b = (u, v) if directed or rng.random() < 0.5 else (v, u)
            net.add(rg.Referral(referrer=a, referred=b, date="2024-01-01", status="won"))
    return net


def loop_log_likelihood(net: rg.Network, p: float) -> float:
    """The log-likelihood written out relationship by relationship."""
    referred = {(r.referrer, r.referred) for r in net.referrals}
    total = 0.0
    for rel in net.relationships:
        ways = {(rel.source, rel.target)} | (set() if rel.directed else {(rel.target, rel.source)})
        q = p * rel.trust
        total += math.log(q) if ways & referred else math.log(1 - q)
    return total


@pytest.mark.parametrize(("p", "directed", "seed"), [(0.3, True, 1), (0.8, True, 2), (0.15, False, 4)])
def test_calibration_recovers_p(p: float, directed: bool, seed: int) -> None:
    net = history(p, 2000, seed, directed)
    fit = calibrate(net)
    assert abs(fit.p - p) < 3 * fit.standard_error and fit.standard_error < 0.06
    assert fit.links == 2000
    assert fit.referrals == len({(r.referrer, r.referred) for r in net.referrals})
    assert fit.log_likelihood == pytest.approx(loop_log_likelihood(net, fit.p))
    for step in (-1e-3, 1e-3):  # a maximum
        assert loop_log_likelihood(net, fit.p + step) < fit.log_likelihood
    assert fit.pseudo_r2 > 0  # trust tells referring links apart
    assert f"p = {fit.p:.3g}" in str(fit)


def test_calibration_by_hand() -> None:
    contacts = [rg.Contact(id=c, name=c) for c in ("me", "ana", "ben", "raj")]
    net = rg.Network(owner="me", contacts=contacts)
    net.add(rg.Relationship(source="me", target="ana", kind="client", trust=0.5, directed=True),
            rg.Relationship(source="me", target="ben", kind="client", trust=1.0),
            rg.Relationship(source="ben", target="raj", kind="client", trust=1.0, directed=True),
            rg.Referral(referrer="me", referred="ana", date="2024-01-05", status="won"),
            rg.Referral(referrer="me", referred="ana", date="2024-02-05", status="lost"),  # the same link again
            rg.Referral(referrer="raj", referred="ben", date="2024-03-01", status="met"),  # against its direction
            rg.Referral(referrer="ben", referred="me", date="2024-03-02", status="met"))  # undirected: either way
    # log L = log(0.5 p) + log(p) + log(1 - p): slope 2/p - 1/(1 - p) is 0 at p = 2/3
    fit = calibrate(net)
    assert fit.p == pytest.approx(2 / 3)
    assert fit.log_likelihood == pytest.approx(math.log(1 / 3) + math.log(2 / 3) + math.log(1 / 3))
    assert (fit.links, fit.referrals, fit.unlinked) == (3, 2, 1)
    assert fit.standard_error == pytest.approx(1 / math.sqrt(2 / (4 / 9) + 1 / (1 / 3) ** 2))
    assert fit.expected_referrals == pytest.approx(2 / 3 * 2.5)
    null = 2 * math.log(2 / 3) + math.log(1 / 3)
    assert fit.pseudo_r2 == pytest.approx(1 - fit.log_likelihood / null)
    assert "1 referral off any relationship" in str(fit) and "<p>" in fit._repr_html_()


def test_calibration_of_two_links() -> None:
    contacts = [rg.Contact(id=c, name=c) for c in ("me", "ana", "ben")]
    net = rg.Network(owner="me", contacts=contacts)
    net.add(rg.Relationship(source="me", target="ana", kind="client", trust=0.5, directed=True),
            rg.Relationship(source="me", target="ben", kind="client", trust=1.0),
            rg.Referral(referrer="me", referred="ana", date="2024-01-05", status="won"))
    fit = calibrate(net)
    # log L = log(0.5 p) + log(1 - p), maximal at p = 1/2
    assert fit.p == pytest.approx(0.5)
    assert fit.log_likelihood == pytest.approx(math.log(0.25) + math.log(0.5))
    assert (fit.links, fit.referrals, fit.unlinked) == (2, 1, 0)
    assert fit.standard_error == pytest.approx(1 / math.sqrt(1 / 0.25 + 1 / 0.25))
    assert fit.expected_referrals == pytest.approx(0.75)
    assert fit.pseudo_r2 == pytest.approx(1 - fit.log_likelihood / (2 * math.log(0.5)))


def test_calibration_at_the_boundary_and_before_any_referral() -> None:
    contacts = [rg.Contact(id=c, name=c) for c in ("me", "ana", "ben")]
    net = rg.Network(owner="me", contacts=contacts)
    net.add(rg.Relationship(source="me", target="ana", kind="client", trust=0.4, directed=True),
            rg.Relationship(source="me", target="ben", kind="client", trust=0.1, directed=True,
                            last_interaction="2023-12-01"),
            rg.Referral(referrer="me", referred="ana", date="2024-01-05", status="won"))
    assert calibrate(net).p == 1.0  # S/p - 0.1/(1 - 0.1 p) > 0 on all of (0, 1]
    with pytest.raises(DataError, match="no referral by 2023-12-31"):
        calibrate(net, as_of="2023-12-31")


def test_a_network_without_history_cannot_be_calibrated(tiny: rg.Network) -> None:
    empty = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")])
    with pytest.raises(RefgraphError, match="no relationships"):
        calibrate(empty)
    unreferred = rg.Network(owner=tiny.owner, contacts=tiny.contacts.values(), relationships=tiny.relationships)
    with pytest.raises(RefgraphError, match="no referral history"):
        calibrate(unreferred)


@pytest.mark.parametrize("method", ["celf", "rr"])
def test_progress_changes_nothing_and_finishes(method: str, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # the plain stderr counter, even where tqdm is installed
    g = rg.sample_network().trust_graph()
    quiet = whom_to_cultivate(g, top=2, runs=50, seed=1, method=method, compare=False)
    loud = whom_to_cultivate(g, top=2, runs=50, seed=1, method=method, compare=False, progress=True)
    assert quiet.contacts == loud.contacts
    assert "cultivating: 100% (52/52)" in capsys.readouterr().err
    fc = simulate_referrals(g, "me", runs=300, seed=2, progress=True)
    assert fc.expected_reach == simulate_referrals(g, "me", runs=300, seed=2).expected_reach
    assert "simulating: 100% (300/300)" in capsys.readouterr().err


# -- recommendations that hold ------------------------------------------------------------------------
def _thirty(sample_graph: rg.TrustGraph) -> rg.TrustGraph:
    """A 30-contact network: the owner and the 29 contacts the owner trusts most, so every
    candidate is one link from the owner and many reach about as far (near ties)."""
    nearest = sorted(sample_graph.neighbors("me"), key=lambda c: (-sample_graph.trust("me", c), c))[:29]
    return sample_graph.subgraph(["me", *nearest])


@pytest.mark.parametrize("which", ["sample", "thirty"])
def test_seeds_zero_to_nine_pick_the_same_trio_or_say_it_is_tied(which: str) -> None:
    net = rg.sample_network()
    g = net.trust_graph()
    g = g if which == "sample" else _thirty(g)
    p = calibrate(net).p
    plans = [whom_to_cultivate(g, 3, p=p, seed=seed) for seed in range(10)]
    trios = {frozenset(plan.contacts) for plan in plans}
    assert len(trios) == 1 or all(plan.tied_with is not None for plan in plans if set(plan.contacts) != set(plans[0].contacts))


def test_automatic_runs_are_rescored_on_fresh_worlds_that_simulate_referrals_reproduces() -> None:
    net = rg.sample_network()
    g = _thirty(net.trust_graph())
    plan = whom_to_cultivate(g, 3, p=0.3, seed=5)
    check = plan.check
    assert check is not None and check.runs >= plan.runs
    for j in range(3):  # each prefix of the picks, run on its own with the check's seed
        fc = simulate_referrals(g, plan.contacts[: j + 1], runs=check.runs, p=0.3, seed=check.seed)
        assert fc.expected_reach == pytest.approx(check.reach[j])
    fc = simulate_referrals(g, plan.contacts, runs=check.runs, p=0.3, seed=check.seed)
    assert check.standard_error == pytest.approx(fc.standard_error)
    top = simulate_referrals(g, plan.pagerank, runs=check.runs, p=0.3, seed=check.seed)
    assert check.pagerank_reach == pytest.approx(top.expected_reach)
    paired = fc.reach.astype(float) - top.reach.astype(float)  # world by world: the same coins
    assert check.advantage == pytest.approx(paired.mean())
    assert check.advantage_error == pytest.approx(paired.std(ddof=1) / math.sqrt(check.runs))


def _stars(hubs: dict[str, int], shared: dict[str, str] | None = None) -> rg.TrustGraph:
    """Hubs with their own leaves (trust 0.9); ``shared`` gives a hub the leaves of another."""
    src, dst = [], []
    for hub, leaves in hubs.items():
        owner = (shared or {}).get(hub, hub)
        src += [hub] * leaves
        dst += [f"{owner}-{i}" for i in range(leaves)]
    return rg.TrustGraph.from_edges(src, dst, [0.9] * len(src), directed=False)


def test_picks_beat_pagerank_only_beyond_the_noise() -> None:
    # a and b share the same eight leaves (both rank high by PageRank); c has three of its own:
    # PageRank's top two overlap, the picks a and c do not
    overlap = _stars({"a": 8, "b": 8, "c": 3}, shared={"b": "a"})
    plan = whom_to_cultivate(overlap, 2, seed=1)
    assert set(plan.contacts) == {"a", "c"} and set(plan.pagerank) == {"a", "b"}
    # c adds 1 + 3 * 0.9 = 3.7; b adds almost nothing: a's referrals reach b through the
    # shared leaves (1 - (1 - 0.81) ** 8) and b's leaves are a's
    assert plan.check.beats_pagerank and plan.check.advantage == pytest.approx(3.7, abs=0.1)
    # four identical stars: any two are as good as any other two
    same = _stars({"a": 4, "b": 4, "c": 4, "d": 4})
    plan = whom_to_cultivate(same, 2, seed=1)
    assert plan.check.beats_pagerank is False
