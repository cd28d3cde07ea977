"""TrustGraph: agreement with networkx on every edge, construction paths, and bad input."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.engine import _index
from refgraph.errors import DataError, UnknownContactError


def random_nx(seed: int, n: int = 30, p: float = 0.15, directed: bool = False) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["trust"] = float(rng.choice([0.25, 0.5, 1.0, rng.uniform(0.01, 1)]))
    G.add_node(n + 5)  # an isolate
    return G


def edges_of(G: nx.Graph) -> dict[tuple, float]:
    out = {}
    for u, v, t in G.edges(data="trust"):
        out[(u, v)] = t
        if not G.is_directed():
            out[(v, u)] = t
    return out


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_from_networkx_to_networkx_keeps_every_edge_and_trust(seed: int, directed: bool) -> None:
    G = random_nx(seed, directed=directed)
    g = rg.TrustGraph.from_networkx(G)
    H = g.to_networkx()
    assert H.is_directed() == directed
    assert set(H.nodes) == set(G.nodes)
    assert g.number_of_edges() == G.number_of_edges() == H.number_of_edges()
    assert edges_of(H) == edges_of(G)
    for u, v, data in H.edges(data=True):
        assert data["cost"] == pytest.approx(-np.log(data["trust"]), abs=1e-15)
        assert g.trust(u, v) == data["trust"] and g.has_edge(u, v)


@pytest.mark.parametrize("directed", [False, True])
def test_arrays_agree_with_the_trust_and_cost_accessors(directed: bool) -> None:
    G = random_nx(7, directed=directed)
    g = rg.TrustGraph.from_networkx(G)
    assert np.array_equal(g.edge_cost, -np.log(g.edge_trust))
    for i, u in enumerate(g.ids.tolist()):
        for k in range(g.indptr[i], g.indptr[i + 1]):
            v = g.ids[g.indices[k]]
            assert G.has_edge(u, v)
            assert g.trust(u, v) == g.edge_trust[k] == G[u][v]["trust"]
        assert g.neighbors(u) == sorted(G.successors(u) if directed else G.neighbors(u))


def test_sample_trust_graph_agrees_with_to_networkx_on_every_edge(sample: rg.Network) -> None:
    g = sample.trust_graph()
    G = g.to_networkx()
    assert len(G) == len(g) == len(sample.contacts)
    assert G.number_of_edges() == len(sample.relationships)
    model = rg.TrustModel()
    as_of = sample.latest_date()
    for rel in sample.relationships:
        expected = model.trust(rel, as_of)
        assert G[rel.source][rel.target]["trust"] == pytest.approx(expected, abs=0)
        assert g.trust(rel.target, rel.source) == pytest.approx(expected, abs=0)
    assert G.nodes["me"]["name"] == "Sam Rivera" and G.graph["owner"] == "me"


def test_from_edges_is_vectorised_over_arrays_and_keeps_the_highest_duplicate() -> None:
    g = rg.TrustGraph.from_edges(np.array(["a", "b", "a"]), np.array(["b", "a", "c"]),
                                 np.array([0.3, 0.6, 0.9]), directed=False, nodes=["z"])
    assert list(g) == ["a", "b", "c", "z"]
    assert g.trust("a", "b") == g.trust("b", "a") == 0.6  # both ways given: the higher wins
    assert g.number_of_edges() == 2 and g.neighbors("z") == []
    d = rg.TrustGraph.from_edges(["a", "a"], ["b", "b"], [0.2, 0.7])
    assert d.trust("a", "b") == 0.7 and d.trust("b", "a") == 0.0 and d.number_of_edges() == 1


def test_integer_ids_sparse_or_dense_and_mixed_types() -> None:
    dense = rg.TrustGraph.from_edges(np.arange(5), np.arange(1, 6), np.full(5, 0.5))
    assert dense.ids.tolist() == [0, 1, 2, 3, 4, 5]
    sparse = rg.TrustGraph.from_edges([10**12, 5], [7, 10**12], [0.5, 0.5])
    assert sparse.ids.tolist() == [5, 7, 10**12] and sparse.trust(5, 10**12) == 0.5
    mixed = rg.TrustGraph.from_edges([1, "a"], ["a", 2], [0.5, 0.5])
    assert mixed.ids.tolist() == [1, 2, "a"]
    assert mixed.trust(1, "a") == 0.5 and "1" not in mixed


@given(st.lists(st.text(max_size=4), min_size=1, max_size=40))
def test_factorize_with_and_without_pandas_equals_sorted_unique(values: list[str]) -> None:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    expected = sorted(set(values))
    ids, codes = _index.factorize(arr)
    assert ids.tolist() == expected
    assert [expected[c] for c in codes] == values


def test_factorize_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pandas(name: str, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    arr = np.array(["b", "a", "c", "a"], dtype=object)
    ids, codes = _index.factorize(arr)
    assert ids.tolist() == ["a", "b", "c"] and codes.tolist() == [1, 0, 2, 0]


@pytest.mark.parametrize(
    ("trust", "words"), [([0.0], "trust must be in (0, 1]"), ([1.5], "(value 1.5)"), ([np.nan], "edge 0")]
)
def test_from_edges_refuses_trust_outside_the_unit_interval(trust: list[float], words: str) -> None:
    with pytest.raises(DataError) as info:
        rg.TrustGraph.from_edges(["a"], ["b"], trust)
    assert words in str(info.value) and "'a' -> 'b'" in str(info.value)


def test_from_edges_refuses_self_loops_and_ragged_arrays() -> None:
    with pytest.raises(DataError, match="contact 'a'"):
        rg.TrustGraph.from_edges(["a", "b"], ["a", "c"], [0.5, 0.5])
    with pytest.raises(DataError, match="differ in length"):
        rg.TrustGraph.from_edges(["a", "b"], ["c"], [0.5, 0.5])


def test_from_networkx_needs_the_trust_attribute() -> None:
    G = nx.Graph()
    G.add_edge("a", "b", weight=3)
    with pytest.raises(DataError, match="edge \\('a', 'b'\\) has no 'trust' attribute"):
        rg.TrustGraph.from_networkx(G)
    G["a"]["b"]["w"] = "high"
    with pytest.raises(DataError, match="trust values must be numbers"):
        rg.TrustGraph.from_networkx(G, trust="w")


def test_unknown_contacts_raise_unknown_contact_error() -> None:
    g = rg.TrustGraph.from_edges(["a"], ["b"], [0.5])
    for call in (lambda: g.trust("a", "zz"), lambda: g.neighbors("zz"), lambda: g.index(["unhashable"]),
                 lambda: g.subgraph(["a", "zz"]), lambda: g.explain("zz", "a")):
        with pytest.raises(UnknownContactError, match="unknown contact"):
            call()
    with pytest.raises(KeyError):
        g.index("zz")
    with pytest.raises(UnknownContactError, match="owner"):
        rg.TrustGraph.from_edges(["a"], ["b"], [0.5], owner="zz")


def test_subgraph_matches_networkx_subgraph() -> None:
    G = random_nx(3, directed=True)
    g = rg.TrustGraph.from_networkx(G)
    keep = [0, 2, 3, 5, 8, 13, 21]
    sub = g.subgraph(keep).to_networkx()
    assert edges_of(sub) == edges_of(G.subgraph(keep))
    assert list(g.subgraph(keep)) == keep


def test_reverse_turns_every_arc_round() -> None:
    g = rg.TrustGraph.from_edges(["a", "b"], ["b", "c"], [0.5, 0.25])
    r = g.reverse()
    assert r.trust("b", "a") == 0.5 and r.trust("a", "b") == 0.0 and r.reverse() is g
    u = rg.TrustGraph.from_edges(["a"], ["b"], [0.5], directed=False)
    assert u.reverse() is u


def test_explain_from_a_network_and_from_plain_edges(tiny: rg.Network) -> None:
    g = tiny.trust_graph()
    assert "base as client" in str(g.explain("sam", "ana"))
    assert "set by hand" in str(g.explain("ben", "sam"))
    assert g.explain("sam", "ana").trust == g.trust("sam", "ana")
    with pytest.raises(DataError, match="no relationship"):
        g.explain("sam", "raj")
    plain = rg.TrustGraph.from_edges(["a"], ["b"], [0.5])
    assert str(plain.explain("a", "b")) == "trust 50% (trust given with the graph's data)"


def test_attributes_names_and_repr(tiny: rg.Network) -> None:
    g = tiny.trust_graph()
    assert g.name("ana") == "Ana Silva"
    assert g.attributes("raj") == {"name": "Raj Patel", "organization": "Initech", "kinds": {"referred_contact"}}
    assert repr(g) == "<TrustGraph 4 contacts, 3 relationships, undirected, owner='sam'>"
    assert "&lt;TrustGraph" in g._repr_html_()
    with pytest.raises(ValueError):
        g.edge_trust[0] = 0.1  # the arrays are read-only views


def test_empty_graph() -> None:
    g = rg.TrustGraph.from_edges([], [], [])
    assert len(g) == 0 and g.number_of_edges() == 0 and g.to_networkx().number_of_nodes() == 0


def test_bitcoin_otc_matches_the_shared_csv_read_by_networkx() -> None:
    from .conftest import SHARED_DATA

    g = rg.bitcoin_otc(min_rating=3)
    path = SHARED_DATA / "bitcoin_otc.csv"
    if not path.exists():  # the package's bundled copy is then checked only against itself
        pytest.skip("shared/data is not beside the repository")
    G = nx.DiGraph()
    for line in path.read_text().split():
        u, v, r = map(int, line.split(","))
        if r >= 3:
            G.add_edge(u, v, trust=r / 10)
    assert g.number_of_edges() == G.number_of_edges()
    assert edges_of(g.to_networkx()) == edges_of(G)
    with pytest.raises(DataError, match="min_rating"):
        rg.bitcoin_otc(min_rating=0)


@given(st.lists(st.text(st.characters(exclude_characters="\x00"), max_size=5), min_size=1, max_size=40))
def test_factorize_fixed_width_text_equals_sorted_unique(values: list[str]) -> None:
    arr = np.array(values)
    assert arr.dtype.kind == "U"
    ids, codes = _index.factorize(_index.as_id_array(arr))
    expected = sorted(set(values))
    assert ids.tolist() == expected and [expected[c] for c in codes] == values


def test_a_hash_collision_falls_back_to_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def everything_collides(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return values[:1], np.zeros(len(values), dtype=np.int64)

    monkeypatch.setattr(_index, "_factorize_integers", everything_collides)
    ids, codes = _index.factorize(np.array(["b", "a", "b"]))
    assert ids.tolist() == ["a", "b"] and codes.tolist() == [1, 0, 1]


def test_from_edges_with_numpy_text_arrays_of_different_widths() -> None:
    g = rg.TrustGraph.from_edges(np.array(["ana", "bo"]), np.array(["bo", "carolina"]), [0.5, 0.25], nodes=["z"])
    assert list(g) == ["ana", "bo", "carolina", "z"] and g.trust("bo", "carolina") == 0.25
    assert all(type(c) is str for c in g.ids)
