"""Records: validation at the boundary, errors naming the field, and the role history."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg
from refgraph.errors import DataError
from refgraph.records.models import LATEST_DATE as LATEST


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


# -- limits that keep later analyses safe -----------------------------------------------------------
def test_the_invisible_pattern_is_unicodes_format_characters() -> None:
    """Every format character of this Python's Unicode, and beyond them only code points it
    does not assign yet (later Unicode versions made some format characters)."""
    import re
    import sys
    import unicodedata

    from refgraph.records.models import INVISIBLE

    pattern = re.compile(INVISIBLE)
    wrong = [hex(c) for c in range(sys.maxunicode + 1)
             if (unicodedata.category(chr(c)) == "Cf") != bool(pattern.fullmatch(chr(c)))
             and unicodedata.category(chr(c)) != "Cn"]
    assert wrong == []


@pytest.mark.parametrize("variant", ["jose\u0301", "jos\u00e9\u200b", "\u202ejos\u00e9", "\ufeffjos\u00e9",
                                     "jo\u00adse\u0301", "jos\u00e9\u2060 "])
def test_ids_differing_only_invisibly_are_one_contact(variant: str) -> None:
    net = rg.Network(contacts=[rg.Contact(id="jos\u00e9", name="José"), rg.Contact(id="me", name="Me")])
    assert rg.Contact(id=variant, name="x").id == "jos\u00e9"
    with pytest.raises(DataError, match="already added"):
        net.add(rg.Contact(id=variant, name="José again"))
    net.add(rg.Relationship(source="me", target=variant, kind="friend"))
    assert net.relationships[0].target == "jos\u00e9"
    assert rg.Referral(referrer=variant, referred="me", date="2024-01-01", status="met", via="x\u200b").referrer == "jos\u00e9"


def test_an_id_of_invisible_characters_only_is_refused_showing_them() -> None:
    with pytest.raises(DataError, match=r"field 'id'.*made only of invisible characters"):
        rg.Contact(id="\u200b\u200d", name="Nobody")


def test_ids_of_a_whole_column_are_normalised_alike() -> None:
    from refgraph.records.models import normalize_id, normalize_ids

    column = ["ana", "jose\u0301", "b\u200bob", "zoë"]
    assert normalize_ids(column) == ["ana", "jos\u00e9", "bob", "zoë"] == [normalize_id(v) for v in column]


@pytest.mark.parametrize(("record", "fields"), [
    (rg.Interaction, {"contact": "a", "kind": "call", "date": "9999-12-31"}),
    (rg.Referral, {"referrer": "a", "referred": "b", "status": "won", "date": "3000-01-01"}),
    (rg.Relationship, {"source": "a", "target": "b", "kind": "friend", "last_interaction": "9999-12-31"}),
    (rg.Mention, {"by": "a", "name": "Zoe", "date": "9999-12-31"}),
    (rg.Role, {"organization": "Acme", "end": "9999-12-31"}),
])
def test_dates_after_the_latest_date_are_refused(record: type, fields: dict) -> None:
    with pytest.raises(DataError, match="dates after 2999-12-31 are not accepted"):
        record(**fields)


@pytest.mark.parametrize(("record", "fields"), [
    (rg.Relationship, {"source": "a", "target": "b", "kind": "friend", "trust": True}),
    (rg.Relationship, {"source": "a", "target": "b", "kind": "friend", "repeat_business": True}),
    (rg.Referral, {"referrer": "a", "referred": "b", "status": "won", "date": "2024-01-01", "value": False}),
    (rg.Scorecard, {"liking": True, "reciprocity": 1, "credibility": 1, "commitment": 1}),
])
def test_true_and_false_are_not_numbers(record: type, fields: dict) -> None:
    with pytest.raises(DataError, match="not true or false"):
        record(**fields)


def test_trust_below_the_floor_is_refused_and_the_floor_itself_is_usable(tmp_path) -> None:
    from refgraph.records.models import MIN_TRUST

    with pytest.raises(DataError, match="field 'trust'.*at least MIN_TRUST"):
        rg.Relationship(source="a", target="b", kind="friend", trust=5e-324)
    net = rg.Network(owner="me", contacts=[rg.Contact(id=c, name=n) for c, n in
                                           (("me", "Me"), ("eve", "Eve $$"), ("kesha", "Ke$ha & A$AP"), ("z", "Z"))])
    net.add(rg.Relationship(source="me", target="eve", kind="friend", trust=MIN_TRUST,
                            last_interaction=LATEST),
            rg.Relationship(source="eve", target="kesha", kind="client", trust=0.8),
            rg.Relationship(source="kesha", target="z", kind="client", trust=0.9),
            rg.Referral(referrer="eve", referred="kesha", date=LATEST, status="won", value=10),
            rg.Interaction(contact="kesha", date=LATEST, kind="call"))
    g = net.trust_graph()
    assert [r.contact for r in rg.centres_of_influence(g, top=4)]  # PageRank converges
    assert len(rg.follow_ups(net)) >= 1
    assert rg.intro_plan(rg.warm_paths(g, "z")[0]).steps
    text = rg.write_report(net, tmp_path).read_text(encoding="utf-8")
    assert "Ke$ha &amp; A$AP" in text


