"""Centralities against networkx and brute force, centres of influence, and who to ask."""

from __future__ import annotations

import itertools
import math
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.analysis.asking import who_to_ask
from refgraph.analysis.influence import MEASURES, centrality, centres_of_influence
from refgraph.errors import DataError, RefgraphError, UnknownContactError

#: Costs k/4 are exact in binary, so networkx sees exactly the ties refgraph finds within rtol.
QUARTERS = [1, 2, 3, 5]


@st.composite
def graphs(draw: st.DrawFn, ties: bool = False) -> tuple[rg.TrustGraph, nx.Graph]:
    """A small random graph (directed or not, with isolates) and the networkx graph of the same
    relationships; with ``ties`` the trusts are exp(-k/4) and networkx gets the exact cost k/4."""
    n = draw(st.integers(1, 11))
    directed = draw(st.booleans())
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and (directed or u < v)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    if ties:
        ks = draw(st.lists(st.sampled_from(QUARTERS), min_size=len(chosen), max_size=len(chosen)))
        trust = [math.exp(-k / 4) for k in ks]
    else:
        trust = draw(st.lists(st.floats(0.05, 0.99), min_size=len(chosen), max_size=len(chosen)))
    nodes = [f"c{i:02d}" for i in range(n)]
    g = rg.TrustGraph.from_edges([nodes[u] for u, _ in chosen], [nodes[v] for _, v in chosen], trust,
                                 directed=directed, nodes=nodes)
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(nodes)
    for k, (u, v) in enumerate(chosen):
        t = trust[k]
        G.add_edge(nodes[u], nodes[v], trust=t, cost=ks[k] / 4 if ties else -math.log(t))
    return g, G


def close(ours, theirs: dict, tol: float = 1e-6) -> None:
    assert set(ours) == set(theirs)
    for contact, value in theirs.items():
        assert ours[contact] == pytest.approx(value, abs=tol, nan_ok=True), contact


def two_cliques() -> rg.TrustGraph:
    edges = [*itertools.combinations("abcde", 2), *itertools.combinations("vwxyz", 2), ("e", "hub"), ("hub", "v")]
    return rg.TrustGraph.from_edges(*zip(*edges, strict=False), [0.7] * len(edges), directed=False)


# -- the shared contract ------------------------------------------------------------------------
def contract_graphs() -> list[rg.TrustGraph]:
    rng = np.random.default_rng(3)
    cycle = [(i, (i + 1) % 12) for i in range(12)] + [(i, (i + 5) % 12) for i in range(0, 12, 3)]
    return [
        rg.sample_network().trust_graph(),
        rg.TrustGraph.from_edges(*zip(*cycle, strict=False), rng.uniform(0.1, 1, len(cycle)), directed=True),
        rg.TrustGraph.from_edges(["a", "b", "b"], ["b", "c", "d"], [0.5, 0.5, 0.9], directed=False,
                                 nodes=["alone"]),
    ]


@pytest.mark.parametrize("graph", contract_graphs(), ids=["sample", "directed-cycle", "isolate"])
@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_scores_every_contact_once_finitely_best_first(measure, graph):
    if measure == "eigenvector" and "alone" in graph:
        graph = graph.subgraph(["a", "b", "c", "d"])
    result = centrality(graph, measure)
    ids = list(result)
    assert sorted(ids) == sorted(graph) and len(ids) == len(set(ids)) == len(result)
    values = [result[c] for c in ids]
    assert all(math.isfinite(v) for v in values)
    assert all((a > b) or (a == b and x < y) for (x, a), (y, b) in itertools.pairwise(zip(ids, values, strict=False)))
    assert list(centrality(graph, measure)) == ids  # same order on a repeated call
    assert result.top(3) == ids[:3] and dict(result.items()) == dict(zip(ids, values, strict=True))


@pytest.mark.parametrize("measure", MEASURES)
def test_an_empty_graph_gives_an_empty_result(measure):
    empty = rg.TrustGraph.from_edges([], [], [])
    result = centrality(empty, measure)
    assert len(result) == 0 and list(result) == [] and result.table().columns == ()


# -- equal to networkx --------------------------------------------------------------------------
@given(graphs())
def test_pagerank_strength_degree_closeness_harmonic_brokerage_equal_networkx(pair):
    g, G = pair
    close(centrality(g, "pagerank"), nx.pagerank(G, weight="trust", tol=1e-14, max_iter=10_000))
    close(centrality(g, "strength"), dict(G.degree(weight="trust")))
    close(centrality(g, "degree"), dict(G.degree()))
    close(centrality(g, "closeness"), nx.closeness_centrality(G, distance="cost"))
    close(centrality(g, "harmonic"), nx.harmonic_centrality(G, distance="cost"))
    brokerage = centrality(g, "brokerage")
    size = nx.effective_size(G, nodes=list(G), weight="trust")  # the definition, node by node
    limit = nx.constraint(G, weight="trust")
    for c in G:
        if math.isnan(size[c]):  # networkx: undefined without (out-)neighbours
            assert brokerage[c] == 0 or G.is_directed()
        else:
            assert brokerage[c] == pytest.approx(size[c], abs=1e-9)
        assert brokerage.column("constraint")[c] == pytest.approx(limit[c], abs=1e-9, nan_ok=True)


@given(graphs(), st.sampled_from(["in", "out"]))
def test_directed_strength_modes(pair, mode):
    g, G = pair
    expected = (G.in_degree if mode == "in" else G.out_degree)(weight="trust") if G.is_directed() else G.degree(weight="trust")
    close(centrality(g, "strength", mode=mode), dict(expected))


@given(graphs(ties=True), st.booleans())
def test_exact_betweenness_equals_networkx_with_equal_cost_ties(pair, normalized):
    g, G = pair
    expected = nx.betweenness_centrality(G, weight="cost", normalized=normalized)
    close(centrality(g, "betweenness", normalized=normalized), expected, tol=1e-9)


@given(graphs(), st.data())
def test_sampled_betweenness_equals_networkx_for_the_same_seed(pair, data):
    g, G = pair
    k = data.draw(st.integers(1, len(g)))
    seed = data.draw(st.integers(0, 2**31))
    expected = nx.betweenness_centrality(g.to_networkx(), k=k, seed=seed, weight="cost")
    close(centrality(g, "betweenness", betweenness_sample=k, seed=seed), expected, tol=1e-9)  # NaN on a lone source


@pytest.mark.parametrize("normalized", [True, False])
def test_one_sampled_source_has_no_betweenness_of_its_own_as_in_networkx(normalized):
    """networkx's test_scale_with_k_on_star_graph: with k=1 the sampled source is NaN."""
    G = nx.star_graph(3)
    g = rg.TrustGraph.from_edges([u for u, _ in G.edges], [v for _, v in G.edges], [0.5] * 3, directed=False)
    for seed in range(4):
        ours = centrality(g, "betweenness", betweenness_sample=1, seed=seed, normalized=normalized)
        theirs = nx.betweenness_centrality(G, k=1, seed=seed, normalized=normalized)
        source = [v for v in G if math.isnan(theirs[v])]
        assert [v for v in G if math.isnan(ours[v])] == source and len(source) == 1
        close(ours, theirs, tol=1e-12)
        assert list(ours)[-1] == source[0]  # no data ranks last
    rows = centres_of_influence(g, top=4, betweenness_sample=1, seed=2, exclude_owner=False)  # seed 2 samples the centre
    assert math.isnan(next(r.betweenness for r in rows if r.contact == 0))
    assert all(math.isfinite(r.score) for r in rows)


def test_betweenness_counts_every_tie_when_all_trusts_are_equal():
    G = nx.grid_2d_graph(4, 4)  # many equal-cost shortest paths
    g = rg.TrustGraph.from_edges([str(u) for u, _ in G.edges], [str(v) for _, v in G.edges],
                                 [0.6] * G.number_of_edges(), directed=False)
    expected = nx.betweenness_centrality(nx.relabel_nodes(G, str))
    close(centrality(g, "betweenness"), expected, tol=1e-12)


@given(graphs())
def test_eigenvector_equals_networkx_when_networkx_converges(pair):
    g, G = pair
    assume(not G.is_directed() and G.number_of_edges() > 0)
    try:
        expected = nx.eigenvector_centrality(G, weight="trust", tol=1e-13, max_iter=20_000)
    except nx.PowerIterationFailedConvergence:
        assume(False)
    try:
        close(centrality(g, "eigenvector", tol=1e-12, max_iter=20_000), expected)
    except RefgraphError:
        assume(False)  # as slow to converge as networkx found it


def test_pagerank_personalisation_and_dangling_contacts_follow_networkx():
    g = rg.TrustGraph.from_edges(["a", "a", "b", "c"], ["b", "c", "c", "d"], [0.9, 0.3, 0.5, 0.7])  # d dangles
    weights = {"a": 1.0, "d": 3.0}
    expected = nx.pagerank(g.to_networkx(), weight="trust", personalization=weights, alpha=0.7, tol=1e-14)
    close(centrality(g, "pagerank", personalization=weights, alpha=0.7), expected)


def test_published_values_florentine_medici_and_burts_constraint():
    F = nx.florentine_families_graph()
    g = rg.TrustGraph.from_edges([u for u, _ in F.edges], [v for _, v in F.edges], [0.5] * F.number_of_edges(),
                                 directed=False)
    assert centrality(g, "betweenness")["Medici"] == pytest.approx(0.522, abs=1e-3)
    # networkx's own test graphs (tests/test_structuralholes.py), weights scaled into trust
    D = rg.TrustGraph.from_edges([0, 0, 1, 2], [1, 2, 0, 1], [1.0, 1.0, 0.5, 0.5])
    b = centrality(D, "brokerage")
    assert [round(b.column("constraint")[v], 3) for v in (0, 1, 2)] == [0.840, 1.143, 1.378]
    assert [round(b[v], 3) for v in (0, 1, 2)] == [1.567, 1.083, 1.0]
    weights = {("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8, ("F", "G"): 3,
               ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10}
    G = rg.TrustGraph.from_edges([u for u, _ in weights], [v for _, v in weights],
                                 [w / 10 for w in weights.values()], directed=False)
    b = centrality(G, "brokerage")
    assert [round(b.column("constraint")[v], 3) for v in "GAC"] == [0.299, 0.795, 1.0]
    assert [b[v] for v in "GAC"] == pytest.approx([5.47, 2.47, 1.0], abs=1e-2)  # networkx's tolerance (2.475)


@given(graphs(), st.integers(1, 3))
def test_reach_is_the_best_chain_within_max_hops_by_brute_force(pair, hops):
    g, G = pair
    result = centrality(g, "reach", max_hops=hops)
    for s in G:
        best: dict[str, float] = {}
        for path in nx.all_simple_paths(G, s, list(G), cutoff=hops):
            trust = math.prod(G[u][v]["trust"] for u, v in itertools.pairwise(path))
            best[path[-1]] = max(best.get(path[-1], 0.0), trust)
        best.pop(s, None)
        assert result.column("contacts")[s] == len(best)
        assert result[s] == pytest.approx(sum(best.values()), abs=1e-12)


@pytest.mark.parametrize("directed", [False, True])
def test_reach_of_a_star_with_a_shortcut_by_hand(directed):
    """A hub trusting 300 leaves (and trusted back when undirected), two leaves also trusting
    each other more than the hub's chain: each leaf reaches the hub and, through it, the others."""
    rng = np.random.default_rng(4)
    leaves = [f"l{i:03}" for i in range(300)]
    t = dict(zip(leaves, rng.uniform(0.1, 1, 300), strict=False))
    edges = [("hub", leaf, t[leaf]) for leaf in leaves] + [("l000", "l001", 0.99)]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False), directed=directed)
    reach = centrality(g, "reach")
    total = sum(t.values())
    via_l000 = max(t["l001"], t["l000"] * 0.99)  # the hub also reaches l001 through l000
    assert reach["hub"] == pytest.approx(total - t["l001"] + via_l000) and reach.column("contacts")["hub"] == 300
    if directed:  # of the leaves only l000 reaches anyone: l001
        assert reach["l000"] == pytest.approx(0.99) and reach["l002"] == 0
        return
    for leaf in ("l002", "l150"):  # the hub, then every other leaf through it
        assert reach[leaf] == pytest.approx(t[leaf] + t[leaf] * (total - t[leaf]), abs=1e-12)
        assert reach.column("contacts")[leaf] == 300
    shortcut = t["l000"] * (total - t["l000"] - t["l001"]) + t["l000"] + 0.99
    assert reach["l000"] == pytest.approx(shortcut, abs=1e-12)


def test_compiled_measures_do_not_depend_on_the_number_of_threads():
    import numba

    rng = np.random.default_rng(8)
    src, dst = rng.integers(0, 400, 3000), rng.integers(0, 400, 3000)
    keep = src != dst
    g = rg.TrustGraph.from_edges(src[keep], dst[keep], rng.uniform(0.05, 1, int(keep.sum())))
    answers = []
    for threads in (1, numba.config.NUMBA_NUM_THREADS):
        numba.set_num_threads(threads)
        try:
            answers.append([centrality(g, "reach", max_hops=h).values.tolist() for h in (2, 3)] +
                           [centrality(g, "brokerage").column("constraint")] +
                           [centrality(g, "betweenness", betweenness_sample=50, seed=1).values.tolist()] +
                           [centrality(g, m).values.tolist() for m in ("closeness", "harmonic")])
        finally:
            numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert answers[0] == answers[1]


def test_closeness_of_chosen_contacts_only():
    g = rg.sample_network().trust_graph()
    some = centrality(g, "closeness", contacts=["me", "ana.silva"])
    full = centrality(g, "closeness")
    assert set(some) == {"me", "ana.silva"} and some["me"] == full["me"]
    with pytest.raises(UnknownContactError, match="not scored"):
        some["ben.okafor"]


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_names_the_valid_choices():
    g = rg.sample_network().trust_graph()
    with pytest.raises(DataError, match="betweenness, brokerage, closeness"):
        centrality(g, "fame")
    with pytest.raises(DataError, match="alpha, personalization, tol, max_iter"):
        centrality(g, "pagerank", damping=0.9)
    with pytest.raises(DataError, match="none"):
        centrality(g, "brokerage", k=3)
    with pytest.raises(UnknownContactError, match="zoe"):
        centrality(g, "pagerank", personalization={"zoe": 1.0})
    with pytest.raises(UnknownContactError, match="zoe"):
        centrality(g, "degree")["zoe"]
    with pytest.raises(DataError, match="betweenness_sample must be at least 1"):
        centrality(g, "betweenness", betweenness_sample=0)
    with pytest.raises(DataError, match="columns"):
        centrality(g, "degree").column("constraint")
    chain = rg.TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.5, 0.5])  # a DAG: no dominant eigenvector
    with pytest.raises(RefgraphError, match="did not converge"):
        centrality(chain, "eigenvector", max_iter=50)


# -- results ------------------------------------------------------------------------------------
def test_results_show_names_escape_html_and_write_safe_csv(tmp_path):
    g = rg.TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.9, 0.5], directed=False,
                                 names={"a": "<script>", "b": "=HYPERLINK()", "c": "Carla"})
    result = centrality(g, "brokerage")
    frame = result.to_pandas()
    assert list(frame.columns) == ["contact", "name", "brokerage", "constraint"]
    assert frame["contact"].tolist() == list(result)
    assert "&lt;script&gt;" in result._repr_html_() and "<script>" not in result._repr_html_()
    assert "Carla" in repr(result)
    result.to_csv(tmp_path / "b.csv")
    assert "'=HYPERLINK()" in (tmp_path / "b.csv").read_text(encoding="utf-8")
    ax = result.plot()
    assert [t.get_text() for t in ax.get_yticklabels()][0] == g.name(result.top(1)[0])


# -- centres of influence ---------------------------------------------------------------------
def test_a_bridge_between_two_cliques_is_a_top_centre_with_the_reason():
    rows = centres_of_influence(two_cliques(), top=3)
    hub = next(r for r in rows if r.contact == "hub")
    assert hub.reason.startswith("bridges 2 groups that share no other contact")
    assert "10 contacts within two trusted introductions" in hub.reason  # everyone else
    assert rows.columns == ("contact", "name", "score", "pagerank", "betweenness", "brokerage", "reach", "reason")
    scores = [r.score for r in rows]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


def test_centres_leave_out_the_owner_and_break_ties_by_id():
    g = rg.TrustGraph.from_edges(["me", "me", "me"], ["c", "a", "b"], [0.5] * 3, directed=False, owner="me")
    rows = centres_of_influence(g, measures=["degree"])
    assert [r.contact for r in rows] == ["a", "b", "c"]  # equal, so by id
    assert [r.contact for r in centres_of_influence(g, exclude_owner=False, measures=["degree"])][0] == "me"
    assert rows[0].reason == "3 contacts within two trusted introductions"  # me, then b and c


# -- who to ask -------------------------------------------------------------------------------
def test_who_to_ask_on_the_sample_proposes_only_eligible_people_it_knows_and_explains_each(sample):
    rows = who_to_ask(sample, top=100)
    assert len(rows) > 0
    eligible = {"client", "referred_contact", "friend", "family"}
    for r in rows:
        kinds = {str(k) for k in sample.contacts[r.contact].kinds}
        assert kinds & eligible
        assert r.contact != sample.owner and sample.relationship(sample.owner, r.contact) is not None
        assert r.missing and r.action.startswith(("Ask", "Thank")) and "introduc" in r.action
    prospects = {c for c, contact in sample.contacts.items() if {str(k) for k in contact.kinds} <= {"prospect"}}
    assert not prospects & {r.contact for r in rows}
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)


def unthanked(tiny: rg.Network) -> rg.Network:
    """tiny, with Ana's referral of Raj never thanked and a last call on 2024-02-05."""
    return rg.Network(owner="sam", contacts=tiny.contacts.values(), relationships=tiny.relationships,
                      referrals=tiny.referrals,
                      interactions=[rg.Interaction(contact="ana", date="2024-02-05", kind="call")])


def test_who_to_ask_says_what_is_missing_and_which_introduction_to_ask_for(tiny):
    rows = who_to_ask(unthanked(tiny), as_of="2024-06-03")
    ana = next(r for r in rows if r.contact == "ana")
    assert "thank them for the last referral first (Raj Patel, 2024-02-01)" in ana.missing
    assert "no candid conversation in 119 days" in ana.missing  # 2024-02-05 to 2024-06-03
    assert ana.days_since_contact == 33  # the relationship's last interaction, 2024-05-01
    assert ana.action.startswith("Thank Ana Silva for the last referral first")
    assert "introduce you to Raj Patel at Initech" in ana.action
    assert {r.contact for r in rows} == {"ana", "ben"}  # raj has no relationship with sam
    thanked = next(r for r in who_to_ask(tiny, as_of="2024-06-03") if r.contact == "ana")
    assert "thank them" not in thanked.missing and thanked.action.startswith("Ask Ana Silva")


def test_who_to_ask_scores_by_the_documented_weights(tiny):
    ben = next(r for r in who_to_ask(tiny, as_of="2024-06-03") if r.contact == "ben")
    # trust 0.8 (given), no date, no repeat business, no scorecard (0.5), reaches no one new
    assert ben.score == pytest.approx(0.35 * 0.8 + 0.15 * 0 + 0.15 * 0 + 0.15 * 0.5 + 0.20 * 0)
    assert "knows no one you do not know already" in ben.missing and ben.new_contacts == 0
    assert ben.days_since_contact is None


def test_who_to_ask_plots_and_needs_an_owner(tiny):
    assert who_to_ask(tiny).plot().get_title() == "Who to ask for a referral"
    with pytest.raises(DataError, match="owner"):
        who_to_ask(rg.Network(contacts=[rg.Contact(id="a", name="A")]))


@pytest.mark.parametrize("measure", ["betweenness", "closeness", "harmonic"])
def test_progress_reports_every_source_and_changes_nothing(measure: str, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # the plain stderr counter, even where tqdm is installed
    g = rg.sample_network().trust_graph()
    quiet = centrality(g, measure)
    loud = centrality(g, measure, progress=True)
    assert dict(quiet.items()) == dict(loud.items())
    err = capsys.readouterr().err
    assert f"{measure}: 100% ({len(g)}/{len(g)})" in err


def test_a_given_betweenness_sample_ranks_on_that_sample_as_betweenness_gives_it() -> None:
    g = rg.sample_network().trust_graph()
    sampled = rg.betweenness(g, betweenness_sample=20, seed=3)
    rows = centres_of_influence(g, top=5, betweenness_sample=20, seed=3)
    assert [r.betweenness for r in rows] == [sampled[r.contact] for r in rows] and not rows.note
    exact = rg.betweenness(g)
    assert [r.betweenness for r in centres_of_influence(g, top=5)] == [
        exact[r.contact] for r in centres_of_influence(g, top=5)]


@pytest.mark.parametrize(("arguments", "field"), [
    ({"top": -1}, "top"), ({"top": 2.5}, "top"), ({"betweenness_sample": 0}, "betweenness_sample"),
    ({"betweenness_sample": "9"}, "betweenness_sample"), ({"seed": -1}, "seed"), ({"measures": "pagerank"}, "measures"),
    ({"measures": ["fame"]}, "measure"), ({"exclude_owner": "no"}, "exclude_owner"),
])
def test_centres_of_influence_refuses_bad_arguments(arguments: dict, field: str) -> None:
    with pytest.raises(DataError, match=f"field '{field}'") as info:
        centres_of_influence(two_cliques(), **arguments)
    assert info.value.field == field


@pytest.mark.parametrize(("function", "arguments", "field"), [
    (rg.strength, {"mode": "both"}, "mode"), (rg.degree, {"mode": 1}, "mode"),
    (rg.pagerank, {"alpha": 1.5}, "alpha"), (rg.pagerank, {"tol": 0}, "tol"), (rg.pagerank, {"max_iter": 0}, "max_iter"),
    (rg.pagerank, {"personalization": {"a": -1.0}}, "personalization"),
    (rg.pagerank, {"personalization": ["a"]}, "personalization"),
    (rg.eigenvector, {"tol": math.nan}, "tol"), (rg.eigenvector, {"max_iter": 1.5}, "max_iter"),
    (rg.betweenness, {"betweenness_sample": 99}, "betweenness_sample"), (rg.betweenness, {"seed": "x"}, "seed"),
    (rg.betweenness, {"normalized": "yes"}, "normalized"), (rg.betweenness, {"rtol": -1.0}, "rtol"),
    (rg.closeness, {"contacts": "a"}, "contacts"), (rg.harmonic, {"progress": 1}, "progress"),
    (rg.reach, {"max_hops": 0}, "max_hops"), (rg.reach, {"max_hops": "2"}, "max_hops"),
])
def test_every_measure_refuses_bad_arguments_naming_them(function, arguments: dict, field: str) -> None:
    with pytest.raises(DataError, match=f"field '{field}'") as info:
        function(two_cliques(), **arguments)
    assert info.value.field == field


def test_each_measure_is_its_function_and_results_expose_their_arrays() -> None:
    g = two_cliques()
    for measure in MEASURES:
        by_name, direct = centrality(g, measure), getattr(rg, measure)(g)
        assert dict(by_name.items()) == dict(direct.items()) and by_name.measure == measure
        assert list(direct.nodes) == sorted(g) and len(direct.values) == len(g)
        assert dict(zip(direct.nodes.tolist(), direct.values.tolist(), strict=True)) == dict(direct.items())
    b = rg.brokerage(g)
    assert dict(zip(b.nodes.tolist(), b.columns["constraint"].tolist(), strict=True)) == b.column("constraint")
    with pytest.raises(ValueError, match="read-only"):
        b.values[0] = 1.0
    some = rg.closeness(g, contacts=["hub", "a"])
    assert some.nodes.tolist() == ["a", "hub"] and some.values.tolist() == [some["a"], some["hub"]]
