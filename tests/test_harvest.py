"""Harvest: mentions of people who are not contacts, merged, ranked and turned into asks."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg
from refgraph.analysis.leads import harvest
from refgraph.errors import DataError


@pytest.fixture
def net() -> rg.Network:
    contacts = [rg.Contact(id="sam", name="Sam Seller"), rg.Contact(id="ana", name="Ana Silva"),
                rg.Contact(id="ben", name="Ben Okafor"), rg.Contact(id="cara", name="Cara Diaz"),
                rg.Contact(id="raj", name="Raj Patel", organization="Initech")]
    mentions = [
        ("ana", "Lucia Moreau", "2024-07-01", "Lumen"),
        ("ben", "lucia  moreau", "2024-01-03", "lumen"),  # the same person, 180 days earlier
        ("ben", "Raj Patel", "2024-07-01", "Initech"),  # already a contact
        ("ana", "Raj Patel", "2024-06-01", None),  # a contact's name, organisation unknown
        ("ben", "Raj Patel", "2024-07-01", "Globex"),  # a namesake elsewhere
        ("sam", "Ivo Kral", "2024-01-03", None),  # the seller's own note
        ("cara", "Zed Quist", "2024-06-30", "Acme"),  # the seller has no tie with Cara
        ("ana", "Late Person", "2024-08-01", None),  # after as_of
    ]
    return rg.Network(
        owner="sam", contacts=contacts,
        relationships=[rg.Relationship(source="sam", target="ana", kind="friend", trust=0.9),
                       rg.Relationship(source="sam", target="ben", kind="client", trust=0.5),
                       rg.Relationship(source="ana", target="cara", kind="friend", trust=0.9)],
        mentions=[rg.Mention(by=b, name=n, date=d, organization=o) for b, n, d, o in mentions],
    )


def test_ranked_merged_and_filtered(net):
    leads = harvest(net, as_of="2024-07-01")
    # scores: trust x 2 ** (-age / 180 days)
    assert [(x.name, x.organization, x.ask, x.mentions, round(x.score, 9)) for x in leads] == [
        ("Lucia Moreau", "Lumen", "ana", 2, 0.9),  # 0.9 today beats Ben's 0.5 x 0.5
        ("Raj Patel", "Globex", "ben", 1, 0.5),  # 0.5 today; ties with Ivo, more recent
        ("Ivo Kral", None, "sam", 1, 0.5),  # trust 1 (the seller), 180 days old
        ("Zed Quist", "Acme", "cara", 1, 0.0),  # no tie with the seller
    ]
    lucia = leads[0]
    assert lucia.mentioned_by == {"ana", "ben"}
    assert lucia.last_mentioned == dt.date(2024, 7, 1)
    assert lucia.trust == 0.9
    assert lucia.suggestion == "Ask Ana Silva for an introduction to Lucia Moreau at Lumen."
    assert leads[2].suggestion == "Ask Sam Seller for an introduction to Ivo Kral."


def test_half_life(net):
    lucia = harvest(net, as_of="2024-07-01", half_life_days=90)[0]
    assert lucia.score == pytest.approx(0.9)
    older = harvest(net, as_of="2024-12-28", half_life_days=180)  # 180 days after the best mention
    lucia = next(x for x in older if x.name == "Lucia Moreau")
    assert lucia.score == pytest.approx(0.45)
    assert older[0].name == "Late Person"  # 0.9 x 2 ** (-149 / 180) = 0.51, now within as_of
    assert older[0].score == pytest.approx(0.9 * 2 ** (-149 / 180))


def test_needs_an_owner_and_a_positive_half_life(net):
    with pytest.raises(DataError, match="half_life_days"):
        harvest(net, half_life_days=0)
    net.owner = None
    with pytest.raises(DataError, match="owner"):
        harvest(net)


def test_sample(sample):
    leads = harvest(sample)
    names = [x.name for x in leads]
    assert len(names) == len(set(names)) == 8  # nine mentions, Raj Patel twice
    raj = next(x for x in leads if x.name == "Raj Patel")
    assert raj.mentions == 2 and raj.mentioned_by == {"orla.bianchi", "fatima.lindqvist"}
    assert raj.suggestion == "Ask Orla Bianchi for an introduction to Raj Patel at Initech."
    assert [x.score for x in leads] == sorted((x.score for x in leads), reverse=True)
