"""Hypothesis properties: the trust model is monotone and bounded; storage is lossless."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.records.models import normalize_id

KINDS = [k.value for k in rg.RelationshipKind]
AS_OF = dt.date(2024, 12, 31)

scorecards = st.builds(rg.Scorecard, liking=st.integers(0, 10), reciprocity=st.integers(0, 10),
                       credibility=st.integers(0, 10), commitment=st.integers(0, 10))
models = st.builds(
    rg.TrustModel,
    repeat_business_weight=st.floats(0, 20), repeat_business_half=st.floats(0.01, 50),
    candid_weight=st.floats(0, 20), candid_half=st.floats(0.01, 50),
    response_weight=st.floats(0, 20), response_neutral_hours=st.floats(0.01, 500),
    scorecard_weight=st.floats(0, 20), half_life_days=st.floats(0.01, 10_000), recency_floor=st.floats(0, 1),
)
relationships = st.builds(
    rg.Relationship,
    source=st.just("a"), target=st.just("b"), kind=st.sampled_from(KINDS),
    repeat_business=st.integers(0, 1000), candid_conversations=st.integers(0, 1000),
    response_hours=st.none() | st.floats(0, 10_000),
    last_interaction=st.none() | st.dates(dt.date(1990, 1, 1), AS_OF),
    scorecard=st.none() | scorecards,
)
links = relationships.flatmap(lambda rel: st.builds(
    lambda trust, directed: rel.model_copy(update={"trust": trust, "directed": directed}),
    st.none() | st.floats(0.001, 1.0), st.booleans()))


@given(models, relationships)
def test_trust_is_always_in_the_open_closed_unit_interval(model: rg.TrustModel, rel: rg.Relationship) -> None:
    t = model.trust(rel, AS_OF)
    assert 0 < t <= 1


@given(models, relationships, st.integers(1, 50), st.sampled_from(["repeat_business", "candid_conversations"]))
def test_more_deals_or_candour_never_lower_trust(model, rel, extra, field) -> None:
    better = rel.model_copy(update={field: getattr(rel, field) + extra})
    assert model.trust(better, AS_OF) >= model.trust(rel, AS_OF)


@given(models, relationships, st.floats(0, 1))
def test_faster_responses_never_lower_trust(model, rel, factor) -> None:
    if rel.response_hours is None:
        return
    faster = rel.model_copy(update={"response_hours": rel.response_hours * factor})
    assert model.trust(faster, AS_OF) >= model.trust(rel, AS_OF)


@given(models, relationships, st.sampled_from(rg.Scorecard.FIELDS), st.integers(1, 10))
def test_a_better_scorecard_never_lowers_trust(model, rel, part, gain) -> None:
    if rel.scorecard is None:
        return
    card = rel.scorecard.model_copy(update={part: min(10, getattr(rel.scorecard, part) + gain)})
    assert model.trust(rel.model_copy(update={"scorecard": card}), AS_OF) >= model.trust(rel, AS_OF)


@given(models, relationships, st.integers(1, 5000))
def test_an_older_last_interaction_never_raises_trust(model, rel, days) -> None:
    if rel.last_interaction is None or rel.last_interaction - dt.timedelta(days=days) < dt.date(1900, 1, 1):
        return
    older = rel.model_copy(update={"last_interaction": rel.last_interaction - dt.timedelta(days=days)})
    assert model.trust(older, AS_OF) <= model.trust(rel, AS_OF)


@given(models, relationships, st.floats(1e-6, 1))
def test_the_override_always_wins(model, rel, value) -> None:
    assert model.trust(rel.model_copy(update={"trust": value}), AS_OF) == value


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s != "")


def _as_id(text: str) -> str:
    """The id refgraph keeps for ``text`` (NFC, no invisible characters), or "" when none."""
    try:
        return normalize_id(text)
    except ValueError:
        return ""


@st.composite
def networks(draw) -> rg.Network:
    ids = draw(st.lists(names.map(_as_id).filter(bool), min_size=1, max_size=8, unique=True))
    net = rg.Network(owner=draw(st.sampled_from(ids)))
    for cid in ids:
        roles = draw(st.lists(st.builds(rg.Role, organization=names, title=st.none() | names,
                                        start=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2010, 1, 1)),
                                        end=st.none() | st.dates(dt.date(2010, 1, 2), AS_OF)), max_size=2))
        net.add(rg.Contact(id=cid, name=draw(names), kinds=draw(st.sets(st.sampled_from(list(rg.ContactKind)))),
                           organization=draw(st.none() | names), notes=draw(st.text(max_size=20)), roles=roles,
                           email=draw(st.none() | st.just(f"{cid}@example.com"))))
    if len(ids) > 1:
        pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=10,
                              unique_by=lambda p: frozenset(p)))
        for a, b in pairs:
            if a != b:
                net.add(draw(links).model_copy(update={"source": a, "target": b}))
        for a, b in pairs:
            if ids.index(a) < ids.index(b):  # referrals only run down the list: no cycles
                net.add(rg.Referral(referrer=a, referred=b, date=draw(st.dates(dt.date(2000, 1, 1), AS_OF)),
                                    status=draw(st.sampled_from(list(rg.ReferralStatus))),
                                    value=draw(st.floats(0, 1e7))))
    net.add(rg.Interaction(contact=ids[0], date=AS_OF, kind="call", note=draw(st.text(max_size=10))))
    net.add(rg.Mention(by=ids[0], name=draw(names), date=AS_OF, context=draw(st.none() | st.text(max_size=10))))
    return net


@given(networks())
def test_save_load_save_is_lossless_and_byte_identical(net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "a.json"), Path(folder, "b.json")
        rg.save(net, first)
        back = rg.load(first)
        rg.save(back, second)
        assert first.read_bytes() == second.read_bytes()
        assert list(back.contacts.values()) == list(net.contacts.values())
        assert back.relationships == net.relationships and back.referrals == net.referrals
        assert back.interactions == net.interactions and back.mentions == net.mentions
        assert (back.trust_graph().edge_trust == net.trust_graph().edge_trust).all()


@given(networks())
def test_csv_folder_round_trip_keeps_every_record(net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        rg.write_csv(net, folder)
        _same_records(rg.read_csv(folder), net)


def _same_records(back: rg.Network, net: rg.Network) -> None:
    assert back.owner == net.owner
    assert list(back.contacts.values()) == list(net.contacts.values())
    assert back.relationships == net.relationships and back.referrals == net.referrals
    assert back.interactions == net.interactions and back.mentions == net.mentions


@given(networks())
def test_records_columns_records_is_the_identity(net: rg.Network) -> None:
    from refgraph.records.columns import KINDS, to_records, to_table

    for kind in KINDS:
        records = list(net.contacts.values()) if kind == "contacts" else list(getattr(net, kind))
        assert to_records(kind, to_table(kind, records)) == records


@given(networks())
def test_from_frames_of_to_frames_is_the_same_network(net: rg.Network) -> None:
    back = rg.from_frames(**net.to_frames(), owner=net.owner)
    assert back.owner == net.owner
    for kind, table in net.to_frames().items():
        assert back.table(kind).equals(table), kind
    assert list(back.contacts.values()) == list(net.contacts.values())
    assert back.relationships == net.relationships and back.referrals == net.referrals


@given(networks(), models)
def test_vectorised_trust_equals_the_explained_total_of_every_tie(net: rg.Network, model: rg.TrustModel) -> None:
    g = net.trust_graph(as_of=AS_OF, model=model)
    for rel in net.relationships:
        told = model.explain(rel, AS_OF).trust
        assert g.trust(rel.source, rel.target) == told
        assert g.explain(rel.source, rel.target).trust == told
        if not rel.directed and not g.directed or not rel.directed:
            assert g.trust(rel.target, rel.source) == told


@given(networks())
def test_parquet_round_trip_keeps_every_record_and_trust(net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "net.parquet")
        rg.save(net, path)
        back = rg.load(path)
        _same_records(back, net)
        assert (back.trust_graph().edge_trust == net.trust_graph().edge_trust).all()


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)).filter(lambda p: p[0] != p[1]), max_size=30))
def test_referral_order_refuses_exactly_the_referrals_that_close_a_cycle(pairs: list[tuple[int, int]]) -> None:
    import networkx as nx

    from refgraph.records.acyclic import ReferralOrder

    order, kept = ReferralOrder(), nx.DiGraph()
    for a, b in pairs:
        cycle = order.add(a, b)
        closes = kept.has_node(b) and kept.has_node(a) and nx.has_path(kept, b, a)
        assert (cycle is not None) == closes
        if cycle is None:
            kept.add_edge(a, b)
        else:  # the cycle named is real: referrer, referred, ..., referrer along kept referrals
            assert cycle[0] == cycle[-1] == a and cycle[1] == b
            assert all(kept.has_edge(x, y) for x, y in zip(cycle[1:-1], cycle[2:], strict=True))
