"""refgraph.spark equals the local engine: on the sample network and on random networks.

Runs where pyspark and a Java runtime are installed (``pip install 'refgraph[spark]'``); one
``local[2]`` session serves the whole run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import DataError, RefgraphError, StorageError, UnknownContactError

KINDS = [k.value for k in rg.RelationshipKind]
STATUSES = [s.value for s in rg.ReferralStatus]
AS_OF = dt.date(2024, 12, 31)


def test_without_pyspark_the_import_says_how_to_install_it() -> None:
    code = ("import sys; sys.modules['pyspark'] = None\n"
            "try:\n    import refgraph.spark\nexcept Exception as err:\n    print(type(err).__name__, err)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("RefgraphError") and "pip install 'refgraph[spark]'" in out


@pytest.fixture(scope="session")
def rs():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'refgraph[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark (apt-get install default-jre-headless)")
    import refgraph.spark as rs

    return rs


@pytest.fixture(scope="session")
def spark(rs):
    """One session for the whole run (the doctests of refgraph.spark find it too); the networks
    here are tiny, so each shuffle makes one partition instead of the session's four."""
    session = rs.session("local[2]", config={"spark.sql.shuffle.partitions": "1"})
    yield session
    session.stop()


def test_a_running_session_keeps_its_settings_but_for_those_given(rs, spark) -> None:
    key = "spark.sql.shuffle.partitions"
    assert rs.session() is spark and spark.conf.get(key) == "1"
    try:
        assert rs.session(config={key: "3"}).conf.get(key) == "3"
    finally:
        spark.conf.set(key, "1")


def spark_copy(rs, spark, net: rg.Network, folder: str):
    path = Path(folder, "net.parquet")
    rg.save(net, path)
    return rs.read(spark, path)


@pytest.fixture(scope="module")
def sample(rs, spark, tmp_path_factory):
    net = rg.sample_network()
    return net, spark_copy(rs, spark, net, str(tmp_path_factory.mktemp("sample")))


# -- the oracle: the local engine ----------------------------------------------------------------
def same_trust(rs, net: rg.Network, snet) -> None:
    day = net.latest_date()
    assert snet.as_of() == day
    local = rg.TrustModel().parts(net.table("relationships"), as_of=day)
    parts = rs.trust_parts(rg.TrustModel(), day)
    rows = snet.table("relationships").select(*(c.alias(name) for name, c in parts.items())).collect()
    for name, values in local.items():
        assert np.allclose([r[name] for r in rows], values, rtol=0, atol=1e-12), name


def same_rankings(rs, net: rg.Network, snet, tol: float = 1e-6) -> None:
    g = net.trust_graph()
    pr = {r.contact: r.pagerank for r in rs.pagerank(snet, tol=tol).to_local()}
    local = rg.centrality(g, "pagerank", tol=tol)
    assert len(pr) == len(g)
    assert max(abs(pr[c] - local[c]) for c in g) < 1e-6
    for measure in ("degree", "strength"):
        mine = {r.contact: getattr(r, measure) for r in getattr(rs, measure)(snet).to_local()}
        theirs = rg.centrality(g, measure)
        assert max(abs(mine[c] - theirs[c]) for c in g) < 1e-12, measure
    reach = {r.contact: (r.reach, r.contacts) for r in rs.reach(snet).to_local()}
    local = rg.centrality(g, "reach")
    counts = local.column("contacts")
    for c in g:
        assert abs(reach[c][0] - local[c]) < 1e-12 and reach[c][1] == counts[c]


def same_chains(rs, net: rg.Network, snet) -> None:
    forest = rg.referral_chains(net)
    spark_forest = rs.referral_chains(snet)
    members = {r.contact: r for r in spark_forest.members.to_local()}
    assert sorted(members) == sorted(forest.contacts)
    root_of = {c: tree.root for tree in forest.trees() for c in tree.contacts}
    for c, row in members.items():
        assert (row.parent, row.generation) == (forest.parent_of(c), forest.generation_of(c))
        if c in root_of:
            assert row.root == root_of[c]
    roots = {r.root: (r.reach, r.value) for r in spark_forest.roots.to_local()}
    assert sorted(roots) == sorted(forest.roots)
    for root, (reach, value) in roots.items():
        assert reach == forest.reach(root) and math.isclose(value, forest.tree(root).value, rel_tol=1e-12)
    totals: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    for tree in forest.trees():
        for gen in tree.growth():
            for i, x in enumerate((gen.contacts, gen.referrals_made, gen.referred, gen.won, gen.value)):
                totals[gen.generation][i] += x
    growth = {r.generation: r for r in spark_forest.growth.to_local()}
    assert sorted(growth) == sorted(totals)
    for gen, (contacts, made, referred, won, value) in totals.items():
        row = growth[gen]
        assert (row.contacts, row.referrals_made, row.referred, row.won) == (contacts, made, referred, won)
        assert math.isclose(row.value, value, rel_tol=1e-12, abs_tol=1e-9)
        assert row.k_factor == made / contacts
    assert sorted((c.contact, c.referrer) for c in spark_forest.conflicts.to_local()) == \
        sorted((c.contact, c.referrer) for c in forest.conflicts)


def same_paths(rs, net: rg.Network, snet, max_hops: int) -> None:
    g = net.trust_graph()
    targets = [c for c in g if c != g.owner]
    local = rg.warm_paths_many(g, targets, max_hops=max_hops)
    found = {r.target: r for r in rs.warm_paths_many(snet, targets, max_hops=max_hops).to_local()}
    assert sorted(found) == sorted(t for t, p in local.items() if p is not None)
    for target, row in found.items():
        assert abs(row.trust - local[target].trust) < 1e-12
        assert row.path[0] == g.owner and row.path[-1] == target and len(row.path) == row.hops + 1 <= max_hops + 1
        assert abs(math.prod(g.trust(a, b) for a, b in itertools.pairwise(row.path)) - row.trust) < 1e-12


# -- on the sample network -----------------------------------------------------------------------
def test_trust_is_the_local_models_to_1e12(rs, sample) -> None:
    same_trust(rs, *sample)


def test_rankings_equal_the_local_engine_on_the_sample(rs, sample) -> None:
    same_rankings(rs, *sample)


def test_centres_of_influence_equal_the_local_composite(rs, sample) -> None:
    net, snet = sample  # each measure is compared above; degree (many ties) and strength keep this to a few Spark jobs
    local = rg.centres_of_influence(net.trust_graph(), top=12, measures=("degree", "strength"))
    mine = rs.centres_of_influence(snet, top=12, measures=("degree", "strength")).to_local()
    assert [r.contact for r in mine] == [r.contact for r in local]
    assert np.allclose([r.score for r in mine], [r.score for r in local], rtol=0, atol=1e-12)


def test_chains_equal_the_local_forest_on_the_sample(rs, sample) -> None:
    same_chains(rs, *sample)


def test_warm_paths_equal_the_local_search_on_the_sample(rs, sample) -> None:
    same_paths(rs, *sample, max_hops=3)


def test_to_trust_graph_collects_the_neighbourhood_with_its_trust(rs, sample) -> None:
    net, snet = sample
    g = net.trust_graph()
    whole = rs.to_trust_graph(snet)
    assert sorted(whole) == sorted(g) and whole.owner == g.owner and whole.number_of_edges() == g.number_of_edges()
    assert max(abs(whole.trust(a, b) - g.trust(a, b)) for a, b, _ in g.to_networkx().edges(data=True)) < 1e-12
    near = rs.to_trust_graph(snet, "theo.brooks", hops=1)
    assert set(near) == {"theo.brooks", *g.to_networkx().neighbors("theo.brooks")}


def test_bad_input_raises_refgraph_errors(rs, spark, sample, tmp_path) -> None:
    _, snet = sample
    with pytest.raises(UnknownContactError, match="zoe"):
        rs.warm_paths_many(snet, ["zoe"])
    with pytest.raises(DataError, match="max_hops"):
        rs.reach(snet, max_hops=0)
    with pytest.raises(StorageError):
        rs.read(spark, tmp_path / "missing.parquet")
    with pytest.raises(DataError, match="relationships"):
        rs.SparkNetwork({"contacts": snet.table("contacts")})
    with pytest.raises(RefgraphError, match="same contact"):
        rs.warm_paths_many(snet, ["me"])


# -- on random networks ----------------------------------------------------------------------------
@st.composite
def networks(draw) -> rg.Network:
    n = draw(st.integers(2, 9))
    ids = [f"c{i}" for i in range(n)]
    net = rg.Network(owner="c0")
    for cid in ids:
        net.add(rg.Contact(id=cid, name=cid.upper()))
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=18,
                          unique_by=lambda p: frozenset(p)))  # one relationship per pair of contacts
    one_way = draw(st.booleans())
    for a, b in pairs:
        if a != b:
            net.add(rg.Relationship(
                source=a, target=b, kind=draw(st.sampled_from(KINDS)), repeat_business=draw(st.integers(0, 9)),
                response_hours=draw(st.none() | st.floats(0, 100)),
                last_interaction=draw(st.none() | st.dates(dt.date(2020, 1, 1), AS_OF)),
                trust=draw(st.none() | st.floats(0.01, 1.0)), directed=one_way and draw(st.booleans())))
            if ids.index(a) < ids.index(b):  # referrals run down the list: no cycles; some referred twice
                net.add(rg.Referral(referrer=a, referred=b, date=draw(st.dates(dt.date(2024, 1, 1), dt.date(2024, 1, 5))),
                                    status=draw(st.sampled_from(STATUSES)), value=draw(st.integers(0, 1000))))
    net.add(rg.Interaction(contact="c0", date=AS_OF, kind="call"))
    return net


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(networks())
def test_every_analysis_equals_the_local_engine_on_random_networks(rs, spark, net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        snet = spark_copy(rs, spark, net, folder)
        same_trust(rs, net, snet)
        same_rankings(rs, net, snet, tol=1e-4)  # the same stopping rule in fewer Spark jobs: still equal to 1e-6
        same_chains(rs, net, snet)
        same_paths(rs, net, snet, max_hops=3)
