"""Every result with rows turns into pandas, agreeing with the object it came from."""

from __future__ import annotations

import math

import refgraph as rg


def test_trust_graph_frame_has_every_relationship_once(sample: rg.Network) -> None:
    g = sample.trust_graph()
    frame = g.to_pandas()
    G = g.to_networkx()
    assert len(frame) == G.number_of_edges()
    for u, v, t, c in frame.itertuples(index=False):
        assert G[u][v]["trust"] == t and math.isclose(c, -math.log(t))


def test_network_frames_hold_every_record(sample: rg.Network) -> None:
    frames = sample.to_pandas()
    assert {k: len(v) for k, v in frames.items()} == {
        "contacts": len(sample.contacts), "relationships": len(sample.relationships),
        "referrals": len(sample.referrals), "interactions": len(sample.interactions), "mentions": len(sample.mentions)}
    assert list(frames["contacts"]["id"]) == list(sample.contacts)


def test_forest_and_tree_frames_follow_the_forest(sample: rg.Network) -> None:
    forest = rg.referral_chains(sample)
    frame = forest.to_pandas()
    assert len(frame) == len(forest)
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        assert row.referrer == forest.parent_of(row.contact)
        assert row.generation == forest.generation_of(row.contact) and row.reach == forest.reach(row.contact)
    tree = forest.tree("marco.rossi")
    assert sorted(tree.to_pandas()["contact"]) == sorted(tree.contacts)
    view = forest._repr_html_()
    assert "<ReferralForest" not in view and "&lt;ReferralForest" in view and "Top referral sources" in view


def test_intro_path_frame_lists_its_links(sample: rg.Network) -> None:
    path = rg.warm_paths(sample.trust_graph(), "theo.brooks")[0]
    frame = path.to_pandas()
    assert list(frame["trust"]) == list(path.link_trust)
    assert list(frame["source"]) + [path.target] == list(path.contacts)
