"""read_vcard on address books the tests write, in vCard 3.0 and 4.0."""

from __future__ import annotations

from pathlib import Path

import pytest

import refgraph as rg
from refgraph.errors import StorageError

V3 = """BEGIN:VCARD\r
VERSION:3.0\r
N:Silva;Ana;;;\r
FN:Ana Silva\r
EMAIL;TYPE=INTERNET,WORK:Ana@Globex.example\r
EMAIL;TYPE=INTERNET,HOME:ana@home.example\r
TEL;TYPE=CELL:+351 912 345 678\r
ORG:Globex;Sales\r
TITLE:Head of Sales\r
CATEGORIES:Clients,golf\r
NOTE:met at the fair\\, 2023\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Patel;Raj\r
FN:Raj \\q Patel\r
CATEGORIES:family\r
UID:raj-1\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
TEL:555 0100\r
END:VCARD\r
"""

V4 = """BEGIN:VCARD
VERSION:4.0
FN:Zoë Durand
N:Durand;Zoë;;;
EMAIL;TYPE=work:zoe@acme.example
TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6-12-34-56-78
ORG:Acme\\, Inc.
TITLE:CTO
CATEGORIES:Friends,VIP
END:VCARD
BEGIN:VCARD
VERSION:4.0
N:Lee;Bo;;;
EMAIL:bo@x.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Broken
NOT A PROPERTY
END:VCARD
"""


@pytest.fixture
def books(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "v3.vcf").write_text(V3, encoding="utf-8")
    (tmp_path / "v4.vcf").write_text(V4, encoding="utf-8")
    return tmp_path / "v3.vcf", tmp_path / "v4.vcf"


def test_both_versions_read_to_the_expected_contacts(books: tuple[Path, Path]) -> None:
    summary: dict[str, int] = {}
    net = rg.read_vcard(books, owner="sam", owner_name="Sam", summary=summary)
    assert sorted(net.contacts) == ["mail:ana@globex.example", "mail:bo@x.example", "mail:zoe@acme.example",
                                    "sam", "vcard:raj-1"]
    ana = net.contacts["mail:ana@globex.example"]
    assert (ana.name, ana.email, ana.organization, ana.title) == (
        "Ana Silva", "ana@globex.example", "Globex, Sales", "Head of Sales")
    assert ana.notes == "phone +351 912 345 678; met at the fair, 2023"
    assert {str(k) for k in ana.kinds} == {"client"}
    zoe = net.contacts["mail:zoe@acme.example"]
    assert (zoe.name, zoe.organization, zoe.title, zoe.notes) == ("Zoë Durand", "Acme, Inc.", "CTO",
                                                                  "phone +33-6-12-34-56-78")
    assert net.contacts["mail:bo@x.example"].name == "Bo Lee"
    assert net.contacts["vcard:raj-1"].name == "Raj \\q Patel"
    kinds = {r.target: str(r.kind) for r in net.relationships}
    assert kinds == {"mail:ana@globex.example": "client", "mail:zoe@acme.example": "friend",
                     "mail:bo@x.example": "acquaintance", "vcard:raj-1": "family"}
    assert net.relationships[0].evidence == "in the address book v3.vcf"
    assert summary == {"cards": 6, "no_name": 1, "bad_escape": 1, "unreadable": 1}


def test_an_address_book_adds_kinds_to_the_people_mail_found(books: tuple[Path, Path], tmp_path: Path) -> None:
    mail = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
                                            rg.Contact(id="mail:zoe@acme.example", name="zoe@acme.example",
                                                       email="zoe@acme.example")],
                      relationships=[rg.Relationship(source="me", target="mail:zoe@acme.example", kind="acquaintance",
                                                     response_hours=2, evidence="3 e-mails, from mail.mbox")])
    net = rg.read_vcard(books[1], network=mail)
    rel = net.relationship("me", "mail:zoe@acme.example")
    assert str(rel.kind) == "friend" and rel.response_hours == 2
    assert rel.evidence == "3 e-mails, from mail.mbox; in the address book v4.vcf"
    assert {str(k) for k in net.contacts["mail:zoe@acme.example"].kinds} == {"friend"}
    with pytest.raises(StorageError, match="nothing.vcf"):
        rg.read_vcard(tmp_path / "nothing.vcf")
