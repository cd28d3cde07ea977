"""Teams: several owners, and the warmest path from whichever teammate is closest, against brute
force over every owner's paths."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import DataError, RefgraphError

from .test_paths import brute, check_valid, graphs


def team_brute(g: rg.TrustGraph, owners: list[str], t: str, max_hops: int, min_trust: float = 0.0):
    """Every owner's simple paths to t, best first over all of them (cost, links, ids)."""
    found = []
    for o in owners:
        if o == t:
            continue
        for trust, path in brute(g, o, t, max_hops, min_trust=min_trust):
            cost = sum(g.cost(u, v) for u, v in zip(path, path[1:], strict=False))
            found.append(((round(cost, 12), len(path), path), trust, path))
    return [(trust, path) for _, trust, path in sorted(found)]


def with_owners(g: rg.TrustGraph, owners: list[str]) -> rg.TrustGraph:
    g.owners = owners
    return g


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_team_paths_equal_brute_force_over_every_owner(g: rg.TrustGraph, data: st.DataObject) -> None:
    people = list(g)
    owners = data.draw(st.lists(st.sampled_from(people), min_size=1, max_size=4, unique=True))
    t = data.draw(st.sampled_from([p for p in people if p not in owners] or people))
    if set(owners) == {t}:
        return
    g = with_owners(g, owners)
    k = data.draw(st.integers(1, 5))
    max_hops = data.draw(st.integers(1, 4))
    min_trust = data.draw(st.sampled_from([0.0, 0.5]))
    got = rg.warm_paths(g, t, source="team", top=k, max_hops=max_hops, min_trust=min_trust)
    want = team_brute(g, owners, t, max_hops, min_trust)[:k]
    assert [p.trust for p in got] == pytest.approx([w for w, _ in want], rel=1e-9)
    assert [p.contacts for p in got] == [path for _, path in want]
    for p in got:
        assert p.source in owners
        check_valid(g, p, p.source, t, max_hops, min_trust=min_trust)
    teammates = rg.warm_paths(g, t, source="team", top=k, max_hops=max_hops, distinct_teammates=True)
    best: dict[str, tuple[str, ...]] = {}
    for _, path in team_brute(g, owners, t, max_hops):
        best.setdefault(path[0], path)
    assert [p.contacts for p in teammates] == list(best.values())[:k]


def _team() -> rg.Network:
    people = [rg.Contact(id=i, name=i.title(), organization=org) for i, org in
              [("ana", "Us"), ("raj", "Us"), ("kim", "Globex"), ("lee", "Acme"), ("zoe", "Acme")]]
    ties = [rg.Relationship(source="ana", target="kim", kind="friend", trust=0.9),
            rg.Relationship(source="kim", target="zoe", kind="friend", trust=0.5),
            rg.Relationship(source="raj", target="lee", kind="client", trust=0.8),
            rg.Relationship(source="lee", target="zoe", kind="colleague", trust=0.9)]
    return rg.Network(contacts=people, relationships=ties, owners=["ana", "raj"])


def test_the_closest_teammate_and_single_owner_behaviour() -> None:
    g = _team().trust_graph()
    assert g.owners == ("ana", "raj") and g.owner == "ana"
    [best] = rg.warm_paths(g, "zoe", source="team")
    assert best.contacts == ("raj", "lee", "zoe") and math.isclose(best.trust, 0.72)
    [mine] = rg.warm_paths(g, "zoe")  # the owner alone, as before
    assert mine.contacts == ("ana", "kim", "zoe")
    into = rg.warm_paths_to_organization(g, "acme", source="team", top=2)
    assert [p.contacts for p in into] == [("raj", "lee"), ("raj", "lee", "zoe")]


def test_merging_sellers_networks_makes_a_team() -> None:
    a = rg.Network("ana", [rg.Contact(id="ana", name="Ana"), rg.Contact(id="kim", name="Kim", email="kim@x.example")],
                   [rg.Relationship(source="ana", target="kim", kind="friend")])
    b = rg.Network("raj", [rg.Contact(id="raj", name="Raj"), rg.Contact(id="k2", name="Kim", email="kim@x.example")],
                   [rg.Relationship(source="raj", target="k2", kind="client", repeat_business=3)])
    team, _ = rg.merge(a, b)
    assert team.owners == ("ana", "raj")
    paths = rg.warm_paths(team.trust_graph(), "kim", source="team", top=2)
    assert {p.source for p in paths} == {"ana", "raj"}


def test_a_team_without_owners_says_how_to_mark_them() -> None:
    g = rg.TrustGraph.from_edges(["a"], ["b"], [0.5])
    with pytest.raises(DataError, match="owner=yes"):
        rg.warm_paths(g, "b", source="team")
    with pytest.raises(RefgraphError, match="needs source='team'"):
        rg.warm_paths(_team().trust_graph(), "zoe", distinct_teammates=True)
    with pytest.raises(DataError, match="owners is a list"):
        rg.Network(owners="ana")


def test_the_report_of_a_merged_team_says_who_is_closest(tmp_path) -> None:
    team, _ = rg.merge(rg.sample_network(), rg.datasets.sample_teammate())
    asks = rg.who_to_ask(team, source="team")
    by_contact = {a.contact: a.teammate for a in asks}
    assert by_contact["marco.rossi"] == "kai"  # Kai's client trusts Kai more than Sam
    assert all(a.teammate in team.owners for a in asks)
    single = rg.who_to_ask(rg.sample_network())
    assert "teammate" not in single.columns  # one owner: the answer as before
    rg.write_report(team, tmp_path / "report")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Who on the team is closest" in page and "Kai Morgan" in page
