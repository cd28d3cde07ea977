"""Combining networks: each documented rule on hand-made networks, and all-or-nothing failure."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import DataError
from refgraph.records.combine import update


def _net(*records: object, owner: str = "me", people: str = "me ana raj") -> rg.Network:
    net = rg.Network(owner=owner, contacts=[rg.Contact(id=p, name=p.title()) for p in people.split()])
    return net.add(*records)  # type: ignore[arg-type]


def _state(net: rg.Network) -> tuple[object, ...]:
    return (net.owner, dict(net.contacts), list(net.relationships), list(net.referrals),
            list(net.interactions), list(net.mentions))


def test_relationships_over_one_tie_combine_by_the_documented_rules() -> None:
    card_a = rg.Scorecard(liking=5, reciprocity=5, credibility=5, commitment=5)
    card_b = rg.Scorecard(liking=9, reciprocity=8, credibility=7, commitment=6)
    a = rg.Relationship(source="me", target="ana", kind="acquaintance", repeat_business=1, candid_conversations=2,
                        response_hours=10, last_interaction="2024-05-01", scorecard=card_a, evidence="LinkedIn")
    b = rg.Relationship(source="ana", target="me", kind="client", repeat_business=3, candid_conversations=1,
                        response_hours=4.5, last_interaction="2024-03-01", scorecard=card_b, evidence="4 e-mails")
    net = update(_net(a), _net(b))
    [rel] = net.relationships
    assert (rel.source, rel.target, str(rel.kind)) == ("me", "ana", "client")
    assert (rel.repeat_business, rel.candid_conversations, rel.response_hours) == (4, 3, 4.5)
    assert rel.last_interaction == dt.date(2024, 5, 1) and rel.scorecard == card_b
    assert rel.evidence == "LinkedIn; 4 e-mails" and rel.trust is None and not rel.directed
    # a later record without a scorecard keeps the earlier one; a specific kind is not replaced
    c = rg.Relationship(source="me", target="ana", kind="friend", repeat_business=1)
    again = update(net, _net(c)).relationships[0]
    assert again.scorecard == card_b and str(again.kind) == "client" and again.repeat_business == 5


@pytest.mark.parametrize(("first", "second", "expected"), [
    (0.8, None, 0.8), (None, 0.6, 0.6), (0.7, 0.7, 0.7), (0.7, 0.4, None), (None, None, None),
])
def test_an_override_survives_only_when_the_records_agree(first: float | None, second: float | None,
                                                          expected: float | None) -> None:
    rel = {"source": "me", "target": "ana", "kind": "friend"}
    net = update(_net(rg.Relationship(**rel, trust=first)), _net(rg.Relationship(**rel, trust=second)))
    assert net.relationships[0].trust == expected


def test_the_same_evidence_read_twice_counts_once() -> None:
    mail = rg.Relationship(source="me", target="ana", kind="acquaintance", candid_conversations=2, evidence="mail.mbox")
    net = update(_net(), _net(mail), _net(mail))
    assert net.relationships[0].candid_conversations == 2 and net.relationships[0].evidence == "mail.mbox"


def test_directed_ties_combine_only_in_their_direction() -> None:
    there = rg.Relationship(source="me", target="ana", kind="friend", directed=True, repeat_business=1)
    back = rg.Relationship(source="ana", target="me", kind="friend", directed=True, repeat_business=2)
    again = rg.Relationship(source="me", target="ana", kind="friend", directed=True, repeat_business=1,
                            last_interaction="2024-01-02")  # not the same record: counts add
    net = update(_net(there), _net(back), _net(again))
    assert sorted((r.source, r.repeat_business, r.directed) for r in net.relationships) == [
        ("ana", 2, True), ("me", 2, True)]


def test_contacts_merge_by_id_and_by_email() -> None:
    base = rg.Network(owner="me", contacts=[
        rg.Contact(id="me", name="Me"), rg.Contact(id="li:ana", name="Ana Silva", kinds="client",
                                                   email="Ana@Globex.example")])
    mail = rg.Network(owner="me", contacts=[
        rg.Contact(id="me", name="Me", email="me@own.example"),
        rg.Contact(id="mail:ana@globex.example", name="Ana", kinds="friend", organization="Globex",
                   email="ana@globex.example"),
        rg.Contact(id="mail:raj@x.example", name="Raj", email="raj@x.example")],
        relationships=[rg.Relationship(source="me", target="mail:ana@globex.example", kind="friend")],
        referrals=[rg.Referral(referrer="mail:ana@globex.example", referred="mail:raj@x.example",
                               date="2024-02-02", status="introduced")],
        interactions=[rg.Interaction(contact="mail:ana@globex.example", date="2024-02-02", kind="email")])
    net = base.update(mail)
    assert sorted(net.contacts) == ["li:ana", "mail:raj@x.example", "me"]
    ana = net.contacts["li:ana"]
    assert (ana.name, ana.organization, ana.email) == ("Ana Silva", "Globex", "Ana@Globex.example")
    assert {str(k) for k in ana.kinds} == {"client", "friend"}
    assert net.contacts["me"].email == "me@own.example"
    assert net.relationship("ana", "me") is None and net.relationship("li:ana", "me") is not None
    assert net.referrals[0].referrer == "li:ana" and net.interactions[0].contact == "li:ana"


def test_referrals_interactions_and_mentions_are_kept_once() -> None:
    records = [rg.Referral(referrer="ana", referred="raj", date="2024-01-05", status="met"),
               rg.Interaction(contact="ana", date="2024-01-06", kind="thanks"),
               rg.Mention(by="ana", name="Zoe", date="2024-01-07")]
    net = update(_net(*records), _net(*records), _net(rg.Interaction(contact="ana", date="2024-01-06", kind="call")))
    assert (len(net.referrals), len(net.mentions), len(net.interactions)) == (1, 1, 2)


def test_owner_is_taken_when_missing_and_conflicting_owners_are_refused() -> None:
    net = update(_net(owner=None), _net(owner="me"))  # type: ignore[arg-type]
    assert net.owner == "me"
    before = _state(net)
    with pytest.raises(DataError, match="different owners"):
        update(net, _net(owner="ana"))
    assert _state(net) == before


def test_a_failure_leaves_the_network_as_it_was() -> None:
    net = _net(rg.Referral(referrer="ana", referred="raj", date="2024-01-05", status="met"),
               rg.Relationship(source="me", target="ana", kind="friend"))
    before = _state(net)
    other = _net(rg.Relationship(source="me", target="ana", kind="friend", repeat_business=4),
                 rg.Referral(referrer="raj", referred="ana", date="2024-02-05", status="met"))
    with pytest.raises(DataError, match="cycle"):
        net.update(other)
    assert _state(net) == before
    g = net.trust_graph()
    assert g.trust("me", "ana") == pytest.approx(rg.TrustModel().trust(net.relationships[0]))


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.none() | st.floats(0, 100),
                          st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31))), min_size=1, max_size=6))
def test_combining_many_records_of_one_tie_folds_by_the_rules(signals: list[tuple]) -> None:
    nets = [_net(rg.Relationship(source="me", target="ana", kind="friend", repeat_business=rb, candid_conversations=cc,
                                 response_hours=hours, last_interaction=day, evidence=f"source {k}"))
            for k, (rb, cc, hours, day) in enumerate(signals)]
    [rel] = update(nets[0], *nets[1:]).relationships
    hours = [s[2] for s in signals if s[2] is not None]
    days = [s[3] for s in signals if s[3] is not None]
    assert rel.repeat_business == sum(s[0] for s in signals)
    assert rel.candid_conversations == sum(s[1] for s in signals)
    assert rel.response_hours == (min(hours) if hours else None)
    assert rel.last_interaction == (max(days) if days else None)
