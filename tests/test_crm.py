"""read_crm on HubSpot- and Salesforce-shaped exports the tests write, and a mapped CRM."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import refgraph as rg
from refgraph.errors import DataError
from refgraph.io.crm import HUBSPOT_CONTACTS

HUBSPOT_CONTACTS_CSV = (
    "\ufeffRecord ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Lifecycle Stage,Last Activity Date\r\n"
    "101,Ana,Silva,Ana@Globex.example,+351 1,\"Globex, Inc.\",Head of Sales,customer,2024-07-01 10:22\r\n"
    "102,Raj,Patel,,,Initech,CTO,lead,\r\n"
    "103,Zoe,,zoe@acme.example,,Acme,,lead,2023-11-30\r\n"
)
HUBSPOT_DEALS_CSV = (
    "Record ID,Deal Name,Deal Stage,Close Date,Amount,Deal owner,Associated Contact IDs\r\n"
    "9,Renewal,Closed Won,2024-03-01,12000,Sam Seller,101\r\n"
    "10,Upsell,closedwon,2024-08-15 00:00,\"3,000.50\",Lee Chan,101;103\r\n"
    "11,New,Closed Lost,2024-02-01,500,Sam Seller,102\r\n"
    "12,Pilot,Appointment Scheduled,,,Sam Seller,102\r\n"
    "13,Ghost,Closed Won,2024-01-01,1,Sam Seller,999\r\n"
)
SALESFORCE_CONTACTS_CSV = (
    "\"Contact ID\",\"First Name\",\"Last Name\",\"Title\",\"Account Name\",\"Email\",\"Last Activity\",\"Contact Owner\"\n"
    "\"003A1\",\"Ana\",\"Silva\",\"VP\",\"Globex\",\"ana@globex.example\",\"5/2/2024\",\"Sam Seller\"\n"
    "\"003B2\",\"Bo\",\"Lee\",\"\",\"Umbrella\",\"\",\"\",\"Sam Seller\"\n"
)
SALESFORCE_OPPORTUNITIES_CSV = (
    "\"Opportunity ID\",\"Opportunity Name\",\"Stage\",\"Won\",\"Closed\",\"Close Date\",\"Amount\","
    "\"Opportunity Owner\",\"Contact ID\"\n"
    "\"006X\",\"Big\",\"Negotiation\",\"0\",\"0\",\"9/30/2024\",\"50000\",\"Sam Seller\",\"003B2\"\n"
    "\"006Y\",\"Done\",\"Closed Won\",\"1\",\"1\",\"4/15/2024\",\"8000\",\"Sam Seller\",\"003A1\"\n"
    "\"006Z\",\"Again\",\"Closed Won\",\"1\",\"1\",\"12/20/2023\",\"2000\",\"Kim Ode\",\"003A1\"\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_hubspot_exports_read_to_the_expected_records(tmp_path: Path) -> None:
    summary: dict[str, int] = {}
    net = rg.read_crm(write(tmp_path, "contacts.csv", HUBSPOT_CONTACTS_CSV),
                      write(tmp_path, "deals.csv", HUBSPOT_DEALS_CSV), owner="sam", summary=summary)
    assert sorted(net.contacts) == ["hubspot:102", "mail:ana@globex.example", "mail:zoe@acme.example", "sam"]
    ana = net.contacts["mail:ana@globex.example"]
    assert (ana.name, ana.organization, ana.title, {str(k) for k in ana.kinds}) == (
        "Ana Silva", "Globex, Inc.", "Head of Sales", {"client"})
    rel = {r.target: r for r in net.relationships}
    a, r, z = rel["mail:ana@globex.example"], rel["hubspot:102"], rel["mail:zoe@acme.example"]
    assert (str(a.kind), a.repeat_business, a.last_interaction) == ("client", 2, dt.date(2024, 8, 15))
    assert a.evidence == ("2 won deals (15,000.50 in all; deal owners Lee Chan, Sam Seller), "
                          "from contacts.csv and deals.csv")
    assert (str(r.kind), r.repeat_business, r.last_interaction) == ("prospect", 0, None)
    assert r.evidence == "2 open or lost deals, from contacts.csv and deals.csv"
    assert (str(z.kind), z.repeat_business, z.last_interaction) == ("client", 1, dt.date(2024, 8, 15))
    assert summary == {"contacts": 3, "deals": 5, "lost_deals": 1, "open_deals": 1, "deals_of_unknown_contacts": 1}


def test_salesforce_reports_read_to_the_expected_records(tmp_path: Path) -> None:
    net = rg.read_crm(write(tmp_path, "Contacts.csv", SALESFORCE_CONTACTS_CSV),
                      write(tmp_path, "Opportunities.csv", SALESFORCE_OPPORTUNITIES_CSV), crm="salesforce")
    rel = {r.target: r for r in net.relationships}
    a, b = rel["mail:ana@globex.example"], rel["salesforce:003B2"]
    assert (str(a.kind), a.repeat_business, a.last_interaction) == ("client", 2, dt.date(2024, 5, 2))
    assert "10,000.00 in all; deal owners Kim Ode, Sam Seller" in a.evidence
    assert (str(b.kind), b.repeat_business) == ("prospect", 0)
    assert net.contacts["salesforce:003B2"].name == "Bo Lee"


def test_another_crm_is_read_through_a_mapping_and_bad_cells_are_named(tmp_path: Path) -> None:
    mapping = {"ID": "id", "Full name": "name", "E-mail": "email", "Last contact": "last_interaction"}
    path = write(tmp_path, "export.csv", "ID,Full name,E-mail,Last contact\n7,Ana Silva,ana@x.example,12.03.2024\n")
    net = rg.read_crm(path, crm="pipeliner", contact_columns=mapping)
    assert net.relationships[0].last_interaction == dt.date(2024, 3, 12)
    with pytest.raises(DataError, match="unknown CRM preset"):
        rg.read_crm(path, crm="pipeliner")
    bad = write(tmp_path, "deals.csv",
                "Record ID,Deal Stage,Close Date,Amount,Associated Contact IDs\n1,Closed Won,2024-01-01,lots,101\n")
    with pytest.raises(DataError, match=r"deals.csv, line 2, field 'value' \(value 'lots'\)"):
        rg.read_crm(write(tmp_path, "c.csv", HUBSPOT_CONTACTS_CSV), bad)
    assert HUBSPOT_CONTACTS["Record ID"] == "id"
