"""Records: validation at the boundary, errors naming the field, and the role history."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg
from refgraph.errors import DataError


def test_contact_accepts_kinds_as_strings_and_strips() -> None:
    c = rg.Contact(id="  ana ", name=" Ana Silva ", kinds="client | friend", email="ana@x.example")
    assert c.id == "ana" and c.name == "Ana Silva"
    assert c.kinds == {rg.ContactKind.CLIENT, rg.ContactKind.FRIEND}
    assert rg.Contact(id=7, name="Seven").id == "7"


@pytest.mark.parametrize(
    ("record", "fields", "field", "words"),
    [
        (rg.Contact, {"id": "a", "name": "A", "kinds": "client;boss"}, "kinds", "boss"),
        (rg.Contact, {"id": "", "name": "A"}, "id", "at least 1 character"),
        (rg.Contact, {"id": "a", "name": "A", "email": "not-an-address"}, "email", "not an e-mail"),
        (rg.Contact, {"id": "a", "name": "A", "nickname": "x"}, "nickname", "Extra inputs"),
        (rg.Scorecard, {"liking": 11, "reciprocity": 1, "credibility": 1, "commitment": 1}, "liking", "10"),
        (rg.Scorecard, {"liking": 5.5, "reciprocity": 1, "credibility": 1, "commitment": 1}, "liking", "integer"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "client", "repeat_business": -1},
         "repeat_business", "greater than or equal to 0"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "client", "trust": 0}, "trust", "greater than 0"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "client", "trust": 1.5}, "trust", "less than"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "boss"}, "kind", "boss"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "client", "last_interaction": "2024-02-30"},
         "last_interaction", "date"),
        (rg.Relationship, {"source": "a", "target": "b", "kind": "client", "response_hours": float("inf")},
         "response_hours", "finite"),
        (rg.Referral, {"referrer": "a", "referred": "b", "date": "2024-01-01", "status": "maybe"}, "status", "maybe"),
        (rg.Referral, {"referrer": "a", "referred": "b", "date": "2024-01-01", "status": "won", "value": -3},
         "value", "greater than or equal to 0"),
        (rg.Interaction, {"contact": "a", "date": "yesterday", "kind": "thanks"}, "date", "date"),
        (rg.Mention, {"by": "a", "date": "2024-01-01"}, "name", "required"),
    ],
)
def test_bad_values_name_the_record_and_field(record: type, fields: dict, field: str, words: str) -> None:
    with pytest.raises(DataError) as info:
        record(**fields)
    err = info.value
    assert err.field.split(".")[0] == field
    assert record.__name__ in str(err) and repr(field) in str(err)
    assert words in str(err)
    assert isinstance(err, ValueError)


def test_self_relationship_and_self_referral_are_refused() -> None:
    with pytest.raises(DataError, match="two different contacts, got 'a' twice"):
        rg.Relationship(source="a", target="a", kind="friend")
    with pytest.raises(DataError, match="'a' cannot refer themselves"):
        rg.Referral(referrer="a", referred="a", date="2024-01-01", status="asked")
    with pytest.raises(DataError, match="via 'b' must be a third contact"):
        rg.Referral(referrer="a", referred="b", via="b", date="2024-01-01", status="asked")


def test_roles_give_the_current_organization_and_history() -> None:
    c = rg.Contact(id="m", name="Maria", roles=[
        {"organization": "Globex", "title": "IT Director", "start": "2017-04-01", "end": "2023-06-30"},
        {"organization": "Initech", "title": "CIO", "start": "2023-07-01"},
    ])
    assert (c.organization, c.title) == ("Initech", "CIO")
    assert c.organization_on(dt.date(2020, 1, 1)) == "Globex"
    assert c.organization_on(dt.date(2024, 1, 1)) == "Initech"
    explicit = rg.Contact(id="m", name="Maria", organization="Own Co", roles=[{"organization": "Globex"}])
    assert explicit.organization == "Own Co"
    with pytest.raises(DataError, match="ends .* before it starts"):
        rg.Role(organization="X", start="2024-01-01", end="2023-01-01")


def test_records_are_frozen() -> None:
    c = rg.Contact(id="a", name="A")
    with pytest.raises(Exception, match="frozen"):
        c.name = "B"  # type: ignore[misc]


def test_scorecard_mean() -> None:
    assert rg.Scorecard(liking=10, reciprocity=0, credibility=5, commitment=5).mean == 5.0
