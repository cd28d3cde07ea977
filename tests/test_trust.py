"""The trust model: hand-computed values, explanations, overrides and parameter checks."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import refgraph as rg
from refgraph.errors import DataError


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_trust_equals_the_documented_formula_by_hand() -> None:
    model = rg.TrustModel()
    rel = rg.Relationship(source="a", target="b", kind="client", repeat_business=2, response_hours=24,
                          candid_conversations=2, last_interaction="2024-01-01",
                          scorecard=rg.Scorecard(liking=10, reciprocity=10, credibility=5, commitment=5))
    as_of = dt.date(2024, 1, 1) + dt.timedelta(days=365)
    # base 0.60; 2 deals = one half-life -> half of 1.2; 24 h is neutral -> 0;
    # 2 talks -> half of 0.8; scorecard mean 7.5 -> 1.5 * 0.5; one half-life of recency.
    z = logit(0.60) + 0.6 + 0.0 + 0.4 + 0.75
    expected = sigmoid(z) * (0.3 + 0.7 * 0.5)
    assert model.trust(rel, as_of) == pytest.approx(expected, abs=1e-12)


def test_no_date_means_recency_plays_no_part() -> None:
    rel = rg.Relationship(source="a", target="b", kind="prospect", last_interaction="2020-01-01")
    assert rg.TrustModel().trust(rel) == pytest.approx(0.15)
    assert "recency plays no part" in str(rg.TrustModel().explain(rel))


def test_kind_bases_order_family_and_friends_above_prospects() -> None:
    model = rg.TrustModel()
    trust = {k: model.trust(rg.Relationship(source="a", target="b", kind=k)) for k in rg.RelationshipKind}
    assert trust["family"] > trust["friend"] > trust["client"] > trust["acquaintance"] > trust["prospect"]
    assert min(trust.values()) > 0 and max(trust.values()) < 1


def test_override_wins_and_says_so() -> None:
    rel = rg.Relationship(source="a", target="b", kind="prospect", trust=0.93, repeat_business=10,
                          last_interaction="2000-01-01")
    model = rg.TrustModel(half_life_days=1)
    assert model.trust(rel, dt.date(2024, 1, 1)) == 0.93
    assert "set by hand" in str(model.explain(rel, dt.date(2024, 1, 1)))


def test_explanation_cites_the_evidence_of_modelled_and_given_trust() -> None:
    words = "12 e-mails, median reply 3.5 h, from mail.mbox"
    modelled = rg.Relationship(source="a", target="b", kind="friend", response_hours=3.5, evidence=words)
    given = rg.Relationship(source="a", target="b", kind="friend", trust=0.5, evidence=f"  {words} ")
    for rel in (modelled, given):
        ex = rg.TrustModel().explain(rel)
        assert ex.parts[-1].name == "evidence" and str(ex).endswith(f"evidence: {words}")
    assert "evidence" not in str(rg.TrustModel().explain(rg.Relationship(source="a", target="b", kind="friend")))
    assert rg.Relationship(source="a", target="b", kind="friend", evidence=" ").evidence is None


def test_explanation_parts_multiply_back_to_the_trust() -> None:
    rel = rg.Relationship(source="a", target="b", kind="friend", repeat_business=1, response_hours=3,
                          candid_conversations=4, last_interaction="2024-03-01",
                          scorecard=rg.Scorecard(liking=8, reciprocity=6, credibility=9, commitment=7))
    model = rg.TrustModel()
    ex = model.explain(rel, dt.date(2024, 9, 1))
    parts = {p.name: p.effect for p in ex.parts}
    z = sum(parts[k] for k in ("base", "repeat_business", "response", "candid", "scorecard"))
    assert sigmoid(z) == pytest.approx(parts["warmth"])
    assert parts["warmth"] * parts["recency"] == pytest.approx(ex.trust)
    text = str(ex)
    for words in ("base as friend: 65%", "1 repeat deal:", "replies in 3 h", "4 candid conversations",
                  "scorecard 7.5/10", "184 days before 2024-09-01"):
        assert words in text
    assert "<li>" in ex._repr_html_()


def test_kind_base_can_be_configured_and_is_checked() -> None:
    model = rg.TrustModel(kind_base={"prospect": 0.3})
    assert model.trust(rg.Relationship(source="a", target="b", kind="prospect")) == pytest.approx(0.3)
    assert model.kind_base["family"] == 0.70
    with pytest.raises(DataError, match="unknown relationship kind"):
        rg.TrustModel(kind_base={"boss": 0.3})
    with pytest.raises(DataError, match="strictly between 0 and 1"):
        rg.TrustModel(kind_base={"friend": 1.0})


@pytest.mark.parametrize(
    ("name", "value"),
    [("candid_weight", -0.1), ("half_life_days", 0), ("recency_floor", 1.5), ("scorecard_weight", float("nan")),
     ("response_neutral_hours", -1)],
)
def test_bad_parameters_are_refused_by_name(name: str, value: float) -> None:
    with pytest.raises(DataError) as info:
        rg.TrustModel(**{name: value})
    assert info.value.field == name


def test_trust_many_matches_one_by_one() -> None:
    rels = [rg.Relationship(source="a", target="b", kind=k, repeat_business=i, last_interaction="2024-01-01")
            for i, k in enumerate(rg.RelationshipKind)]
    model = rg.TrustModel()
    many = model.trust_many(rels, dt.date(2024, 6, 1))
    assert many.tolist() == [model.trust(r, dt.date(2024, 6, 1)) for r in rels]
    assert model.trust_many([]).shape == (0,)
    assert model.describe()["half_life_days"] == 365.0
