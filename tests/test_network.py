"""Network: cross-reference checks, as_of, and the trust graph it builds."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg
from refgraph.errors import DataError, UnknownContactError


def test_every_record_kind_checks_the_contacts_it_names(tiny: rg.Network) -> None:
    bad = [
        (rg.Relationship(source="sam", target="zoe", kind="friend"), "target of a relationship"),
        (rg.Relationship(source="zoe", target="sam", kind="friend"), "source of a relationship"),
        (rg.Referral(referrer="zoe", referred="ana", date="2024-01-01", status="asked"), "referrer"),
        (rg.Referral(referrer="ana", referred="ben", via="zoe", date="2024-01-01", status="asked"), "via"),
        (rg.Interaction(contact="zoe", date="2024-01-01", kind="call"), "interaction"),
        (rg.Mention(by="zoe", name="X", date="2024-01-01"), "mention"),
    ]
    for record, words in bad:
        with pytest.raises(UnknownContactError) as info:
            tiny.add(record)
        assert "'zoe'" in str(info.value) and words in str(info.value)


def test_duplicates_are_refused(tiny: rg.Network) -> None:
    with pytest.raises(DataError, match="contact 'ana'"):
        tiny.add(rg.Contact(id="ana", name="Another Ana"))
    with pytest.raises(DataError, match="already added"):
        tiny.add(rg.Relationship(source="ana", target="sam", kind="friend"))
    with pytest.raises(DataError, match="expected a refgraph record"):
        tiny.add("ana")  # type: ignore[arg-type]


def test_directed_relationships_make_a_directed_graph(tiny: rg.Network) -> None:
    tiny.add(rg.Relationship(source="raj", target="ben", kind="acquaintance", trust=0.4, directed=True))
    tiny.add(rg.Relationship(source="ben", target="raj", kind="friend", trust=0.7, directed=True))
    g = tiny.trust_graph()
    assert g.directed
    assert g.trust("raj", "ben") == 0.4 and g.trust("ben", "raj") == 0.7
    assert g.trust("ana", "sam") == g.trust("sam", "ana") > 0  # undirected ties walk both ways
    assert g.number_of_edges() == 2 * 3 + 2


def test_as_of_defaults_to_the_latest_record_never_the_clock(tiny: rg.Network) -> None:
    assert tiny.latest_date() == dt.date(2024, 6, 1)
    model = rg.TrustModel()
    rel = tiny.relationships[0]
    assert tiny.trust_graph().trust("sam", "ana") == model.trust(rel, dt.date(2024, 6, 1))
    assert tiny.trust_graph(as_of="2024-05-01").trust("sam", "ana") > tiny.trust_graph().trust("sam", "ana")
    with pytest.raises(DataError, match="after as_of 2024-04-01"):
        tiny.trust_graph(as_of=dt.date(2024, 4, 1))
    with pytest.raises(DataError, match="as_of"):
        tiny.trust_graph(as_of="last tuesday")


def test_a_network_without_dates_still_builds() -> None:
    net = rg.Network(owner="a", contacts=[rg.Contact(id="a", name="A"), rg.Contact(id="b", name="B")],
                     relationships=[rg.Relationship(source="a", target="b", kind="friend")])
    assert net.latest_date() is None
    assert net.trust_graph().trust("a", "b") == pytest.approx(0.65)


def test_owner_must_be_a_contact() -> None:
    net = rg.Network(owner="ghost", contacts=[rg.Contact(id="a", name="A")])
    with pytest.raises(UnknownContactError, match="owner"):
        net.trust_graph()


def test_custom_model_changes_the_graph(tiny: rg.Network) -> None:
    warm = tiny.trust_graph(model=rg.TrustModel(kind_base={"colleague": 0.9}))
    assert warm.trust("ana", "raj") > tiny.trust_graph().trust("ana", "raj")


def test_sample_has_what_the_foundation_promises(sample: rg.Network) -> None:
    import networkx as nx

    kinds = {k for c in sample.contacts.values() for k in c.kinds}
    assert kinds == set(rg.ContactKind)
    assert 100 <= len(sample.contacts) <= 150
    assert all(r.scorecard for r in sample.relationships[:4]) and sum(bool(r.scorecard) for r in sample.relationships) > 40
    # Referral generations by hand: follow parents (earliest referral wins).
    parent: dict[str, str] = {}
    for r in sorted(sample.referrals, key=lambda r: r.date):
        parent.setdefault(r.referred, r.referrer)

    def generation(c: str) -> int:
        return 0 if c not in parent else 1 + generation(parent[c])

    assert max(generation(c) for c in parent) == 4
    movers = [c for c in sample.contacts.values() if len({r.organization for r in c.roles}) > 1]
    assert movers
    mover = movers[0]
    orgs = {mover.organization_on(r.date) for r in sample.referrals if r.referrer == mover.id}
    assert len(orgs) == 2
    orgs_count = {}
    for c in sample.contacts.values():
        orgs_count[c.organization] = orgs_count.get(c.organization, 0) + 1
    assert sum(1 for o, n in orgs_count.items() if o and n > 1) >= 3
    assert sample.interactions and sample.mentions
    hops = nx.single_source_shortest_path_length(sample.trust_graph().to_networkx(), "me")
    assert max(hops.values()) == 3


def test_summary_and_reprs(tiny: rg.Network) -> None:
    s = tiny.summary()
    assert (s["contacts"], s["relationships"], s["referrals"], s["organizations"]) == (4, 3, 1, 2)
    assert "<table>" in tiny._repr_html_()
    assert tiny.contact("ana").name == "Ana Silva"
    with pytest.raises(UnknownContactError):
        tiny.contact("zoe")
    assert tiny.relationship("ana", "sam") is tiny.relationships[0]
    assert len(tiny) == 4


@pytest.mark.parametrize("newest_first", [False, True])
def test_a_long_chain_of_referrals_loads_in_either_order(newest_first: bool) -> None:
    n = 30_000
    net = rg.Network(contacts=[rg.Contact(id=f"c{i}", name=f"C {i}") for i in range(n)])
    refs = [rg.Referral(referrer=f"c{i}", referred=f"c{i + 1}", date="2020-01-01", status="won") for i in range(n - 1)]
    net.add(*(refs[::-1] if newest_first else refs))
    assert len(net.referrals) == n - 1
    with pytest.raises(rg.DataError, match="c29999 -> c0 -> c1 -> c2"):
        net.add(rg.Referral(referrer="c29999", referred="c0", date="2020-01-02", status="asked"))
    assert len(net.referrals) == n - 1


@pytest.mark.parametrize("newest_first", [False, True])
def test_second_referrals_out_of_a_long_chain_search_little(newest_first: bool) -> None:
    from refgraph.records.acyclic import ReferralOrder

    order, n = ReferralOrder(), 100_000
    links = [(f"c{k}", f"c{k + 1}") for k in range(n)]
    for a, b in reversed(links) if newest_first else links:
        assert order.add(a, b) is None
    for k in range(0, n, n // 200):  # 200 second referrals from the middle of the chain, to new people
        assert order.add(f"c{k}", f"new{k}") is None
    assert order.visited == 0  # none of them goes against the order (a search from each cost 36 s)
    assert order.add(f"c{n}", "c0") == [f"c{n}", "c0", *(f"c{k}" for k in range(1, n + 1))]
