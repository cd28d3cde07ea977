"""Warm paths against brute force over every simple path, plus the API's promises."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.analysis.paths import _searcher, warm_paths, warm_paths_many, warm_paths_to_organization
from refgraph.errors import DataError, RefgraphError, UnknownContactError

from .strategies import ANY_TRUST, trust_graphs


def graphs(trusts: st.SearchStrategy[float] = ANY_TRUST) -> st.SearchStrategy[rg.TrustGraph]:
    return trust_graphs(trusts=trusts)


def brute(g: rg.TrustGraph, s: str, t: str, max_hops: int, avoid=(), via=None, min_trust=0.0):
    """Every simple path s → t of at most max_hops links meeting the constraints, with its trust,
    best first: by cost (-log trust, to 12 digits), then fewer links, then smaller ids."""
    G = g.to_networkx()
    found = []
    for path in nx.all_simple_paths(G, s, t, cutoff=max_hops):
        links = [G[u][v]["trust"] for u, v in zip(path, path[1:], strict=False)]
        if set(path) & set(avoid) or (via is not None and via not in path) or min(links) < min_trust:
            continue
        cost = 0.0
        for u, v in zip(path, path[1:], strict=False):
            cost += g.cost(u, v)
        found.append(((round(cost, 12), len(path), tuple(path)), math.prod(links), tuple(path)))
    return [(trust, path) for _, trust, path in sorted(found)]


def ends(g: rg.TrustGraph, data: st.DataObject) -> tuple[str, str]:
    """A source and a different target."""
    s, t = data.draw(st.lists(st.sampled_from(list(g)), min_size=2, max_size=2, unique=True))
    return s, t


def check_valid(g: rg.TrustGraph, p: rg.IntroPath, s: str, t: str, max_hops: int, avoid=(), via=None, min_trust=0.0):
    assert p.contacts[0] == s and p.contacts[-1] == t
    assert len(set(p.contacts)) == len(p.contacts), "not simple"
    assert p.hops <= max_hops
    assert not set(p.contacts) & set(avoid)
    assert via is None or via in p.contacts
    for link in p.links:
        assert link.trust == g.trust(link.source, link.target) >= min_trust
    assert p.trust == pytest.approx(math.prod(link.trust for link in p.links))


@given(graphs(), st.data())
def test_k_best_equal_brute_force(g: rg.TrustGraph, data: st.DataObject) -> None:
    s, t = ends(g, data)
    k = data.draw(st.integers(1, 6))
    max_hops = data.draw(st.integers(1, 5))
    others = [c for c in g if c not in (s, t)]
    avoid = data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
    via = data.draw(st.none() | st.sampled_from(others)) if others else None
    if via in avoid:
        via = None
    min_trust = data.draw(st.sampled_from([0.0, 0.3, 0.5]))
    got = warm_paths(g, t, source=s, top=k, max_hops=max_hops, avoid=avoid, via=via, min_trust=min_trust)
    want = brute(g, s, t, max_hops, avoid, via, min_trust)[:k]
    assert [p.trust for p in got] == pytest.approx([w for w, _ in want], rel=1e-9)
    assert [p.contacts for p in got] == [path for _, path in want]  # ties: fewer links, then ids
    for p in got:
        check_valid(g, p, s, t, max_hops, avoid, via, min_trust)


@given(graphs(), st.data())
def test_distinct_introducers_equal_brute_force(g: rg.TrustGraph, data: st.DataObject) -> None:
    s, t = ends(g, data)
    k = data.draw(st.integers(1, 5))
    max_hops = data.draw(st.integers(1, 4))
    got = warm_paths(g, t, source=s, top=k, max_hops=max_hops, distinct_introducers=True)
    best_per_introducer: dict[str, tuple[float, tuple[str, ...]]] = {}
    for trust, path in brute(g, s, t, max_hops):  # best first, so each introducer's first is its best
        best_per_introducer.setdefault(path[1], (trust, path))
    want = list(best_per_introducer.values())[:k]
    assert [p.trust for p in got] == pytest.approx([w for w, _ in want], rel=1e-9)
    assert [p.contacts for p in got] == [path for _, path in want]
    for p in got:
        check_valid(g, p, s, t, max_hops)


@given(graphs(), st.data())
def test_many_targets_equal_single_queries(g: rg.TrustGraph, data: st.DataObject) -> None:
    s = data.draw(st.sampled_from(list(g)))
    max_hops = data.draw(st.integers(1, 5))
    targets = [c for c in g if c != s]
    many = warm_paths_many(g, targets, source=s, max_hops=max_hops)
    for t in targets:
        want = brute(g, s, t, max_hops)
        got = many[t]
        if not want:
            assert got is None
        else:
            assert got is not None and got.trust == pytest.approx(want[0][0], rel=1e-9)
            assert got.contacts == want[0][1]
            check_valid(g, got, s, t, max_hops)


@given(graphs(st.sampled_from([1.0, 0.5, 0.25])), st.data())
def test_equal_trusts_rank_by_links_then_ids(g: rg.TrustGraph, data: st.DataObject) -> None:
    """With few distinct trusts many paths tie; the order must still be the brute-force one."""
    s, t = ends(g, data)
    k = data.draw(st.integers(1, 3))
    max_hops = data.draw(st.integers(2, 4))
    want = brute(g, s, t, max_hops)
    assert [p.contacts for p in warm_paths(g, t, source=s, top=k, max_hops=max_hops)] == [p for _, p in want[:k]]
    best = warm_paths_many(g, [t], source=s, max_hops=max_hops)[t]
    assert (best and best.contacts) == (want[0][1] if want else None)


@given(graphs(st.sampled_from([0.5, 1.0])), st.data())
def test_exact_ties_rank_inside_the_search(g: rg.TrustGraph, data: st.DataObject) -> None:
    """Trusts of 1/2 and 1 make most paths tie exactly. The search itself ranks them by links
    and ids, so every kind of query equals brute force without gathering the ties afterwards."""
    s, t = ends(g, data)
    k = data.draw(st.integers(1, 6))
    max_hops = data.draw(st.integers(1, 5))
    others = [c for c in g if c not in (s, t)]
    via = data.draw(st.none() | st.sampled_from(others)) if others else None
    want = brute(g, s, t, max_hops)
    got = warm_paths(g, t, source=s, top=k, max_hops=max_hops)
    assert [p.contacts for p in got] == [path for _, path in want[:k]]
    per_introducer = list({path[1]: path for _, path in reversed(want)}.values())[::-1]
    got = warm_paths(g, t, source=s, top=k, max_hops=max_hops, distinct_introducers=True)
    assert [p.contacts for p in got] == sorted(per_introducer, key=[p for _, p in want].index)[:k]
    got = warm_paths(g, t, source=s, top=k, max_hops=max_hops, via=via)
    assert [p.contacts for p in got] == [path for _, path in brute(g, s, t, max_hops, via=via)[:k]]
    best = warm_paths_many(g, [t], source=s, max_hops=max_hops)[t]
    assert (best and best.contacts) == (want[0][1] if want else None)
    assert not _searcher(g).near, "exact ties were gathered after the search"


def family(relatives: int) -> rg.TrustGraph:
    """The owner trusts each relative fully, the relatives each other and the prospect p."""
    rel = [f"r{i:02}" for i in range(relatives)]
    edges = [("me", r) for r in rel] + list(itertools.combinations(rel, 2)) + [(r, "p") for r in rel]
    return rg.TrustGraph.from_edges(*zip(*edges, strict=False), [1.0] * len(edges), directed=False, owner="me")


def layered(width: int, depth: int) -> rg.TrustGraph:
    """s, then ``depth`` layers of ``width`` contacts each linked to all of the next, then t; trust 1/2."""
    layers = [["s"], *([f"l{j:02}_{i:02}" for i in range(width)] for j in range(depth)), ["t"]]
    edges = [(a, b) for one, two in itertools.pairwise(layers) for a in one for b in two]
    return rg.TrustGraph.from_edges(*zip(*edges, strict=False), [0.5] * len(edges), directed=False, owner="s")


@pytest.mark.parametrize(("g", "target"), [(family(24), "p"), (layered(30, 3), "t"), (layered(4, 5), "t")])
def test_graphs_of_many_tied_paths_equal_brute_force(g: rg.TrustGraph, target: str) -> None:
    want = [path for _, path in brute(g, g.owner, target, 4)]
    for k in (1, 5):
        assert [p.contacts for p in warm_paths(g, target, top=k)] == want[:k]
    per_introducer = sorted({path[1]: path for path in reversed(want)}.values(), key=want.index)
    assert [p.contacts for p in warm_paths(g, target, top=5, distinct_introducers=True)] == per_introducer[:5]
    assert not _searcher(g).near


def test_a_complete_graph_of_full_trust_ranks_by_links_then_ids() -> None:
    ids = [f"c{i:04}" for i in range(500)]
    pairs = list(itertools.combinations(ids, 2))
    g = rg.TrustGraph.from_edges(*zip(*pairs, strict=False), [1.0] * len(pairs), directed=False, owner="c0000")
    want = [("c0000", "c0499"), *(("c0000", f"c{i:04}", "c0499") for i in range(1, 5))]
    assert [p.contacts for p in warm_paths(g, "c0499", top=5)] == want
    assert [p.contacts for p in warm_paths(g, "c0499", top=5, distinct_introducers=True)] == want
    assert warm_paths(g, "c0499", via="c0007")[0].contacts == ("c0000", "c0007", "c0499")
    assert not _searcher(g).near


@pytest.mark.parametrize("ties", [False, True])
def test_wide_rounds_equal_brute_force(ties: bool) -> None:
    """Rounds that improve hundreds of contacts and meet hundreds of complete walks (more than
    the search's first buffers hold): s → two hubs → 150 middlemen → 150 others → t."""
    rng = np.random.default_rng(5)
    trust = (lambda: float(rng.choice([0.5, 1.0]))) if ties else (lambda: float(rng.uniform(0.05, 1)))
    edges = [("s", "h1", trust()), ("s", "h2", trust())]
    for i in range(150):
        edges += [(h, f"m{i:03}", trust()) for h in ("h1", "h2")]
        edges += [(f"m{i:03}", f"o{j:03}", trust()) for j in rng.choice(150, 3, replace=False)]
        edges += [(f"o{i:03}", "t", trust()), (f"m{i:03}", "t", trust())]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False))
    every = [path for _, path in brute(g, "s", "t", 4)]  # best first
    for k, hops in [(1, 3), (5, 4), (3, 2)]:
        want = [path for path in every if len(path) <= hops + 1][:k]
        assert [p.contacts for p in warm_paths(g, "t", source="s", top=k, max_hops=hops)] == want
    best_per_introducer = list({path[1]: path for path in reversed(every)}.values())
    got = warm_paths(g, "t", source="s", top=2, max_hops=4, distinct_introducers=True)
    assert [p.contacts for p in got] == sorted(best_per_introducer, key=every.index)[:2]


def test_long_hop_limits_equal_brute_force() -> None:
    """Hop limits far beyond the usual four: many rounds, on a ladder of two parallel chains."""
    rng = np.random.default_rng(11)
    edges = [(f"{x}{i}", f"{y}{i + 1}", float(rng.uniform(0.6 if x == y else 0.3, 1)))
             for i in range(11) for x in "ab" for y in "ab"]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False))
    for hops in (11, 12, 15, 10**12):  # a limit beyond every path costs nothing more
        want = [path for _, path in brute(g, "a0", "b11", min(hops, 15))[:3]]
        assert [p.contacts for p in warm_paths(g, "b11", source="a0", top=3, max_hops=hops)] == want
        assert warm_paths_many(g, ["b11"], source="a0", max_hops=hops)["b11"].contacts == want[0]


def chain_and_shortcut() -> rg.TrustGraph:
    """The unconstrained best path s→a→b→c→d→t (0.99 each) is five links long; the two-link
    path s→x→t has trust 0.25; the three-link path s→y→z→t has trust 0.512."""
    edges = [("s", "a", .99), ("a", "b", .99), ("b", "c", .99), ("c", "d", .99), ("d", "t", .99),
             ("s", "x", .5), ("x", "t", .5), ("s", "y", .8), ("y", "z", .8), ("z", "t", .8)]
    return rg.TrustGraph.from_edges(*zip(*edges, strict=False), directed=False)


def test_hop_limit_gives_the_true_best_short_path() -> None:
    g = chain_and_shortcut()
    assert warm_paths(g, "t", source="s", max_hops=5)[0].contacts == ("s", "a", "b", "c", "d", "t")
    assert warm_paths(g, "t", source="s", max_hops=4)[0].contacts == ("s", "y", "z", "t")
    assert warm_paths(g, "t", source="s", max_hops=3)[0].contacts == ("s", "y", "z", "t")
    assert warm_paths(g, "t", source="s", max_hops=2)[0].contacts == ("s", "x", "t")
    assert warm_paths(g, "t", source="s", max_hops=1) == []
    # The unconstrained best path cut to length would find nothing under four links.
    G = g.to_networkx()
    assert len(nx.dijkstra_path(G, "s", "t", weight="cost")) - 1 == 5


def test_ties_go_to_the_smaller_ids() -> None:
    g = rg.TrustGraph.from_edges(["s", "s", "b", "a"], ["b", "a", "t", "t"], [0.5, 0.5, 0.5, 0.5])
    paths = warm_paths(g, "t", source="s", top=2)
    assert [p.contacts for p in paths] == [("s", "a", "t"), ("s", "b", "t")]


def test_equal_chains_go_to_the_smaller_ids() -> None:
    """Two equal three-link chains where the search meets the larger ids first."""
    edges = [("c0", "c2"), ("c2", "c5"), ("c3", "c1"), ("c5", "c1"), ("c1", "c5"), ("c0", "c4"), ("c4", "c3")]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False), [0.5] * len(edges))
    assert warm_paths(g, "c1", source="c0")[0].contacts == ("c0", "c2", "c5", "c1")
    assert warm_paths_many(g, ["c1"], source="c0")["c1"].contacts == ("c0", "c2", "c5", "c1")
    # 0.9 x 0.8 and 0.72 x 1 are the same trust, though their costs differ in the last bit
    # (the first is cheaper); the halves meet at m, where one search round sees both.
    edges = [("s", "a", 0.72), ("a", "m", 1.0), ("s", "b", 0.9), ("b", "m", 0.8), ("m", "x", 1.0),
             ("x", "t", 1.0), ("d1", "x", 1.0), ("d2", "x", 1.0), ("d3", "x", 1.0)]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False))
    assert g.cost("s", "b") + g.cost("b", "m") < g.cost("s", "a") + g.cost("a", "m")
    assert warm_paths(g, "t", source="s")[0].contacts == ("s", "a", "m", "x", "t")
    # The same two trusts as two introducers: the one with the smaller id goes first.
    g = rg.TrustGraph.from_edges(["s", "a", "s", "b"], ["a", "t", "b", "t"], [0.72, 1.0, 0.9, 0.8])
    assert [p.introducer for p in warm_paths(g, "t", source="s", top=1, distinct_introducers=True)] == ["a"]
    assert [p.introducer for p in warm_paths(g, "t", source="s", top=2, distinct_introducers=True)] == ["a", "b"]


def test_costs_a_hair_apart_rank_by_their_rounded_costs() -> None:
    """Two chains whose costs differ in the last bit, and round to 12 digits on either side of a
    5: the search may meet the dearer one first, but the rank (brute force's) decides."""
    edges = [("s", "a", 0.3465797671454842), ("a", "b", 0.4928122750064399), ("b", "t", 0.5246789044255195),
             ("s", "c", 0.38316050354014153), ("c", "e", 0.5633529246389263), ("e", "t", 0.4151614658997271),
             ("s", "d", 0.5)]
    g = rg.TrustGraph.from_edges(*zip(*edges, strict=False))
    want = [path for _, path in brute(g, "s", "t", 3)]
    assert want == [("s", "c", "e", "t"), ("s", "a", "b", "t")]
    for k in (1, 2):
        assert [p.contacts for p in warm_paths(g, "t", source="s", top=k, max_hops=3)] == want[:k]
        assert [p.contacts for p in warm_paths(g, "t", source="s", top=k, distinct_introducers=True)] == want[:k]
    assert warm_paths_many(g, ["t"], source="s", max_hops=3)["t"].contacts == want[0]


def test_direct_link_counts_as_its_own_introducer() -> None:
    g = rg.TrustGraph.from_edges(["s", "s", "a"], ["t", "a", "t"], [0.3, 0.9, 0.9])
    paths = warm_paths(g, "t", source="s", top=3, distinct_introducers=True)
    assert [p.contacts for p in paths] == [("s", "a", "t"), ("s", "t")]
    assert paths[1].introducer is None and paths[0].introducer == "a"


def test_intro_path_explains_itself() -> None:
    g = rg.TrustGraph.from_edges(["ana", "ben"], ["ben", "raj"], [0.92, 0.41],
                                 names={"ana": "Ana", "ben": "Ben", "raj": "Raj <b>"})
    p = warm_paths(g, "raj", source="ana")[0]
    assert p.explain() == ("Ana trusts Ben (92%); Ben trusts Raj <b> (41%). "
                           "Weakest link: Ben → Raj <b>, 41%; overall 38%.")
    assert p.weakest_link.source == "ben" and p.hops == 2
    page = p._repr_html_()
    assert "Raj &lt;b&gt;" in page and "Raj <b>" not in page
    assert repr(p) == "<IntroPath 38% over 2 links: Ana → Ben → Raj <b>>"


def test_paths_to_an_organization(sample: rg.Network) -> None:
    g = sample.trust_graph()
    paths = warm_paths_to_organization(g, "  COPPERLEAF   insurance", top=10)
    staff = {c.id for c in sample.contacts.values() if c.organization == "Copperleaf Insurance"}
    assert {p.target for p in paths} == staff - {g.owner} or len(paths) == 10
    assert [p.trust for p in paths] == sorted((p.trust for p in paths), reverse=True)
    assert len({p.target for p in paths}) == len(paths)
    for p in paths:
        assert p.trust == pytest.approx(brute(g, g.owner, p.target, 4)[0][0], rel=1e-9)
    with pytest.raises(RefgraphError, match="Copperleaf Insurance"):
        warm_paths_to_organization(g, "Copperleaf Insurence")
    avoided = paths[0].target  # an avoided member is skipped, not an error
    rest = warm_paths_to_organization(g, "Copperleaf Insurance", top=10, avoid=[avoided])
    assert rest and avoided not in {p.target for p in rest}
    for p in rest:
        assert p.trust == pytest.approx(brute(g, g.owner, p.target, 4, avoid=[avoided])[0][0], rel=1e-9)
    assert warm_paths_to_organization(g, "Copperleaf Insurance", avoid=staff - {g.owner}) == []


def test_threads_sharing_a_graph_get_the_answers_one_thread_gets() -> None:
    rng = np.random.default_rng(3)
    n = 400
    src, dst = rng.integers(0, n, 4000), rng.integers(0, n, 4000)
    keep = src != dst
    g = rg.TrustGraph.from_edges(src[keep], dst[keep], rng.uniform(0.05, 1, int(keep.sum())))
    queries = [(*rng.choice(g.ids, 2, replace=False).tolist(), 1 + i % 3) for i in range(300)]

    def answer(q: tuple) -> list:
        s, t, k = q
        return [(p.contacts, p.trust) for p in warm_paths(g, t, source=s, top=k, max_hops=4)]

    alone = [answer(q) for q in queries]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(answer, queries)) == alone


def test_reachable_three_introductions_away(sample: rg.Network) -> None:
    g = sample.trust_graph()
    p = warm_paths(g, "theo.brooks")[0]
    assert p.hops == 3 and p.source == "me" and p.as_of == sample.latest_date()
    assert warm_paths(g, "theo.brooks", max_hops=2) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"target": "zoe"}, UnknownContactError, "zoe"),
        ({"target": "b", "source": "zoe"}, UnknownContactError, "zoe"),
        ({"target": "b", "via": "zoe"}, UnknownContactError, "zoe"),
        ({"target": "b", "avoid": ["zoe"]}, UnknownContactError, "zoe"),
        ({"target": "a"}, RefgraphError, "same contact"),
        ({"target": "b", "top": 0}, DataError, "top must be"),
        ({"target": "b", "max_hops": 0}, RefgraphError, "max_hops"),
        ({"target": "b", "min_trust": 1.5}, RefgraphError, "min_trust"),
        ({"target": "b", "avoid": ["b"]}, RefgraphError, "avoid"),
    ],
)
def test_bad_queries_fail_clearly(kwargs: dict, error: type, words: str) -> None:
    g = rg.TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.5, 0.5], owner="a")
    with pytest.raises(error, match=words):
        warm_paths(g, **kwargs)


def test_no_source_and_no_owner() -> None:
    g = rg.TrustGraph.from_edges(["a"], ["b"], [0.5])
    with pytest.raises(RefgraphError, match="source="):
        warm_paths(g, "b")


def test_unreachable_is_empty() -> None:
    g = rg.TrustGraph.from_edges(["a", "c"], ["b", "a"], [0.5, 0.5], owner="a")
    assert warm_paths(g, "c") == []
    assert warm_paths_many(g, ["c", "b"])["c"] is None
