"""Merging networks: entity resolution against known truth, the documented rules, bad input,
and the properties (idempotent, order-free up to ids)."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refgraph as rg
from refgraph.errors import DataError


def _net(*contacts: rg.Contact, owner: str = "me", relationships: tuple = (), referrals: tuple = ()) -> rg.Network:
    return rg.Network(owner, [rg.Contact(id=owner, name="Sam Seller"), *contacts], relationships, referrals)


def _pairs(labels: list[object]) -> set[tuple[int, int]]:
    """Every pair of positions with the same label (the oracle: plain Python over all pairs)."""
    return {(i, j) for i, j in itertools.combinations(range(len(labels)), 2) if labels[i] == labels[j]}


def test_the_same_people_split_across_four_sources_are_found_with_known_truth() -> None:
    nets, people = rg.datasets.split_people(600, seed=11)
    _, report = rg.merge(*nets)
    found, truth = [], []
    for k, (net, who) in enumerate(zip(nets, people, strict=True)):
        for cid, person in zip(net.contacts, who.tolist(), strict=True):
            if person >= 0:
                found.append(report.final_id(k, cid))
                truth.append(person)
    predicted, real = _pairs(found), _pairs(truth)
    precision, recall = len(predicted & real) / len(predicted), len(predicted & real) / len(real)
    assert precision >= 0.99 and recall >= 0.95, (precision, recall)


def test_a_name_alone_never_merges_two_people_at_different_firms() -> None:
    a = _net(rg.Contact(id="ana", name="Ana Silva", organization="Globex"))
    b = _net(rg.Contact(id="a.silva", name="Ana Silva", organization="Initech"))
    net, report = rg.merge(a, b)
    assert sorted(net.contacts) == ["a.silva", "ana", "me"]
    assert [p.status for p in report.pairs if p.rule != "id"] == []
    net, report = rg.merge(a, b, across=90)  # the caller lowers the bar: a name alone is enough
    assert sorted(net.contacts) == ["ana", "me"]
    assert [(p.rule, p.status) for p in report.pairs if p.rule != "id"] == [("name across organizations", "merged")]


def test_nicknames_accents_and_strong_keys_find_the_same_person() -> None:
    a = _net(rg.Contact(id="bill", name="William Okafor", organization="Acme", email="BILL@acme.example"),
             rg.Contact(id="jose", name="José Núñez", organization="Globex"),
             rg.Contact(id="raj", name="Raj Patel", notes="phone +1 (555) 010-4477"),
             rg.Contact(id="zoe", name="Zoe Durand", notes="https://www.linkedin.com/in/zoe-durand/"))
    b = _net(rg.Contact(id="mail:bill@acme.example", name="Bill", email="bill@acme.example"),
             rg.Contact(id="li:jnunez", name="Jose Nunez", organization="GLOBEX"),
             rg.Contact(id="crm:7", name="R. Patel", notes="tel 555 010 4477"),
             rg.Contact(id="li:zoe-durand", name="Zoë D."))
    net, report = rg.merge(a, b)
    assert sorted(net.contacts) == ["bill", "jose", "me", "raj", "zoe"]  # the first network's ids
    rules = {(p.left, p.right): p.rule for p in report.pairs if p.status == "merged"}
    assert rules == {("me", "me"): "id", ("bill", "mail:bill@acme.example"): "email",
                     ("zoe", "li:zoe-durand"): "linkedin", ("raj", "crm:7"): "phone",
                     ("jose", "li:jnunez"): "name+organization"}


def test_two_colleagues_of_one_name_or_an_ambiguous_name_are_near_misses() -> None:
    a = _net(rg.Contact(id="kim1", name="Kim Lee", organization="Acme", email="kim.lee@acme.example"),
             rg.Contact(id="kim2", name="Kim Lee", organization="Acme"))
    b = _net(rg.Contact(id="k.lee", name="Kim Lee", organization="Acme"))
    net, report = rg.merge(a, b)
    assert len(net.contacts) == 4
    assert {p.status for p in report.pairs if p.rule != "id"} == {"near miss"}
    c = _net(rg.Contact(id="kim.l", name="Kim Lee", organization="Acme", email="kimberly.lee@acme.example"))
    _, report = rg.merge(_net(a.contacts["kim1"]), c)  # two addresses at one firm: two colleagues
    assert [p.status for p in report.pairs if p.rule != "id"] == ["near miss"]


def test_review_ask_then_apply_merges_the_chosen_pairs() -> None:
    a = _net(rg.Contact(id="bill", name="Bill Okafor", organization="Globex"),
             rg.Contact(id="eve", name="Eve Stone", organization="Acme"))
    b = _net(rg.Contact(id="w.okafor", name="Willem Okafor", organization="Globex"),
             rg.Contact(id="e.stone", name="Eve Stone", organization="Acme"))
    net, report = rg.merge(a, b, review="ask")
    assert net is None
    pair = {p.left: p for p in report.pairs}
    assert pair["bill"].status == "near miss" and pair["eve"].status == "merged"
    net, after = report.apply(accept=[pair["bill"].pair], reject=[pair["eve"].pair])
    assert sorted(net.contacts) == ["bill", "e.stone", "eve", "me"]
    assert {p.left: p.status for p in after.pairs}["eve"] == "rejected"
    with pytest.raises(DataError, match="no pair numbered 99"):
        report.apply(accept=[99])


def test_the_same_id_for_two_people_is_renamed_with_a_note() -> None:
    a = _net(rg.Contact(id="ana", name="Ana Silva", email="ana@globex.example"))
    b = _net(rg.Contact(id="ana", name="Ana Souza", email="ana@initech.example"),
             relationships=(rg.Relationship(source="me", target="ana", kind="friend"),))
    net, report = rg.merge(a, b)
    assert sorted(net.contacts) == ["ana", "ana#2", "me"]
    assert "another person has this id" in net.contacts["ana#2"].notes
    assert net.relationship("me", "ana#2") is not None and net.relationship("me", "ana") is None
    assert [p.status for p in report.conflicts] == ["different people"]


def test_a_merge_that_closes_a_referral_cycle_is_refused_naming_it() -> None:
    a = _net(rg.Contact(id="ana", name="Ana", email="ana@x.example"), rg.Contact(id="raj", name="Raj"),
             referrals=(rg.Referral(referrer="ana", referred="raj", date="2024-01-02", status="met"),))
    b = _net(rg.Contact(id="ana2", name="Ana", email="ana@x.example"), rg.Contact(id="raj", name="Raj"),
             referrals=(rg.Referral(referrer="raj", referred="ana2", date="2024-02-02", status="met"),))
    with pytest.raises(DataError, match="cycle of referrals: raj -> ana -> raj"):
        rg.merge(a, b)


def test_different_organisations_become_role_history() -> None:
    a = _net(rg.Contact(id="raj", name="Raj Patel", organization="Globex", email="raj@x.example"))
    b = _net(rg.Contact(id="li:raj", name="Raj Patel", email="raj@x.example",
                        roles=[{"organization": "Initech", "start": "2023-07-01"}]))
    net, _ = rg.merge(a, b)
    raj = net.contacts["raj"]
    assert raj.organization == "Globex" and {r.organization for r in raj.roles} == {"Globex", "Initech"}


def test_the_report_shows_itself() -> None:
    a = _net(rg.Contact(id="x", name="<b>Bob</b> Ray", organization="Acme"))
    b = _net(rg.Contact(id="y", name="<b>Bobby</b> Ray", organization="Acme"))
    _, report = rg.merge(a, b)
    assert "&lt;b&gt;" not in report._repr_html_() and "merged" in report._repr_html_()
    frame = report.to_pandas()
    assert list(frame.columns) == ["pair", "left", "right", "left_network", "right_network", "rule", "score",
                                   "status", "note"]
    assert "2 networks" in repr(report)


@pytest.mark.parametrize(("kwargs", "field"), [({"threshold": 101}, "threshold"), ({"near": "high"}, "near"),
                                               ({"review": "later"}, "review")])
def test_bad_arguments_are_named(kwargs: dict, field: str) -> None:
    with pytest.raises(DataError) as err:
        rg.merge(_net(), **kwargs)
    assert err.value.field == field


# -- properties -------------------------------------------------------------------------------------------------
PEOPLE = [f"p{k}" for k in range(6)]
KINDS = ["friend", "client", "colleague", "acquaintance"]


@st.composite
def networks(draw: st.DrawFn, alias: bool) -> rg.Network:
    """A network over some of PEOPLE (ids ``p3``, or ``alt:p3`` with the same e-mail when
    ``alias``); a tie's kind and directedness depend on the pair only, so two networks agree."""
    people = draw(st.lists(st.sampled_from(PEOPLE), unique=True, min_size=2))
    ident = {p: (f"alt:{p}" if alias and p != "me" and int(p[1:]) % 2 else p) for p in ["me", *people]}
    contacts = [rg.Contact(id=ident[p], name=p.upper(), email=f"{p}@x.example") for p in people]
    rels = []
    for u, v in draw(st.lists(st.sampled_from(list(itertools.combinations(["me", *people], 2))), unique=True)):
        rels.append(rg.Relationship(
            source=ident[u], target=ident[v], kind=KINDS[sum(map(ord, "".join(sorted((u, v))))) % 4],
            repeat_business=draw(st.integers(0, 3)), last_interaction=draw(st.none() | st.dates(
                dt.date(2023, 1, 1), dt.date(2024, 1, 1))), response_hours=draw(st.none() | st.floats(1, 50)),
            evidence=draw(st.sampled_from([None, "alias" if alias else "plain"]))))  # the sources' own evidence
    order = sorted(people)
    refs = [rg.Referral(referrer=ident[u], referred=ident[v], date="2024-01-01", status="met")
            for u, v in draw(st.lists(st.sampled_from(list(itertools.combinations(order, 2)) or [None]), unique=True))
            if u is not None]
    return rg.Network("me", [rg.Contact(id="me", name="Me"), *contacts], rels, refs)


def _shape(net: rg.Network) -> tuple[object, ...]:
    """The network up to ids: ties with trust, referrals, by e-mail."""
    mail = {c.id: c.email or c.id for c in net.contacts.values()}
    g = net.trust_graph()
    ties = sorted((tuple(sorted((mail[r.source], mail[r.target]))), round(g.trust(r.source, r.target), 12))
                  for r in net.relationships)
    refs = sorted((mail[r.referrer], mail[r.referred], r.date) for r in net.referrals)
    return len(net.contacts), ties, refs


def _state(net: rg.Network) -> tuple[object, ...]:
    return (net.owners, dict(net.contacts), list(net.relationships), list(net.referrals))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(alias=False))
def test_merging_a_network_with_itself_changes_nothing(net: rg.Network) -> None:
    merged, report = rg.merge(net, net)
    assert _state(merged) == _state(net)
    assert report.conflicts == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(alias=False), networks(alias=True))
def test_merging_is_order_free_up_to_ids(a: rg.Network, b: rg.Network) -> None:
    ab, _ = rg.merge(a, b)
    ba, _ = rg.merge(b, a)
    assert _shape(ab) == _shape(ba)
    assert np.isclose(len(ab.relationships), len(ba.relationships))
