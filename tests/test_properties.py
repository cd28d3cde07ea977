"""Hypothesis properties: the trust model is monotone and bounded; storage is lossless."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.models import normalize_id

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
        net.add(rg.Contact(id=cid, name=draw(names), kinds=draw(st.sets(st.sampled_from(list(rg.ContactKind)))),
                           organization=draw(st.none() | names), notes=draw(st.text(max_size=20))))
    if len(ids) > 1:
        pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=10,
                              unique_by=lambda p: frozenset(p)))
        for a, b in pairs:
            if a != b:
                net.add(draw(relationships).model_copy(update={"source": a, "target": b}))
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
        back = rg.read_csv(folder)
        assert back.owner == net.owner
        assert list(back.contacts.values()) == list(net.contacts.values())
        assert back.relationships == net.relationships and back.referrals == net.referrals
        assert back.interactions == net.interactions and back.mentions == net.mentions
