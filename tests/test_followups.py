"""The follow-up ledger: three follow-ups per referral, due dates, coverage by interactions."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg
from refgraph.analysis.followups import FOLLOW_UP_RULES, follow_ups

D = dt.date


@pytest.fixture
def net() -> rg.Network:
    """Ana referred Raj (won), Ben (met), Lu (asked) and Zoe (lost); five interactions with Ana."""
    people = {"sam": "Sam Seller", "ana": "Ana Silva", "raj": "Raj Patel", "ben": "Ben Okafor", "lu": "Lu Chen",
              "zoe": "Zoe Park", "cy": "Cy Young"}
    return rg.Network(
        owner="sam",
        contacts=[rg.Contact(id=k, name=v) for k, v in people.items()],
        referrals=[
            rg.Referral(referrer="ana", referred="raj", date="2024-02-01", status="won", value=900),
            rg.Referral(referrer="ana", referred="ben", date="2024-03-01", status="met"),
            rg.Referral(referrer="ana", referred="lu", date="2024-04-01", status="asked"),
            rg.Referral(referrer="ana", referred="zoe", date="2024-05-01", status="lost"),
        ],
        interactions=[
            rg.Interaction(contact="ana", date="2024-01-15", kind="thanks"),  # before any referral
            rg.Interaction(contact="ana", date="2024-02-02", kind="thanks"),
            rg.Interaction(contact="ana", date="2024-02-20", kind="status_update"),
            rg.Interaction(contact="ana", date="2024-03-01", kind="thanks"),
            rg.Interaction(contact="ana", date="2024-04-05", kind="thanks"),
            rg.Interaction(contact="ana", date="2024-04-06", kind="meeting"),  # not a follow-up
            rg.Interaction(contact="cy", date="2024-05-02", kind="thanks"),  # someone else
        ],
    )


def ledger(net, as_of):
    return {(f.referred, f.step): (f.triggered, f.due, f.done_on, f.overdue) for f in follow_ups(net, as_of=as_of)}


def test_three_per_referral_with_due_dates_and_coverage(net):
    got = ledger(net, "2024-06-01")
    assert got == {
        ("raj", "thanks"): (D(2024, 2, 1), D(2024, 2, 2), D(2024, 2, 2), False),
        ("raj", "status_report"): (D(2024, 2, 1), D(2024, 2, 2), D(2024, 2, 20), False),
        ("raj", "thanks_after_sale"): (D(2024, 2, 1), D(2024, 2, 2), None, True),
        ("ben", "thanks"): (D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 1), False),
        ("ben", "status_report"): (D(2024, 3, 1), D(2024, 3, 2), None, True),
        ("ben", "thanks_after_sale"): (None, None, None, False),  # no sale yet: not due
        ("lu", "thanks"): (D(2024, 4, 1), D(2024, 4, 2), D(2024, 4, 5), False),
        ("lu", "status_report"): (None, None, None, False),  # not reached yet
        ("lu", "thanks_after_sale"): (None, None, None, False),
        ("zoe", "thanks"): (D(2024, 5, 1), D(2024, 5, 2), None, True),
        ("zoe", "status_report"): (D(2024, 5, 1), D(2024, 5, 2), None, True),  # lost, but reached
        ("zoe", "thanks_after_sale"): (None, None, None, False),
    }


def test_rows_order_steps_and_actions(net):
    rows = list(follow_ups(net, as_of="2024-06-01"))
    assert len(rows) == 12
    assert [r.referred for r in rows[::3]] == ["raj", "ben", "lu", "zoe"]
    assert [r.step for r in rows[:3]] == ["thanks", "status_report", "thanks_after_sale"]
    assert rows[0].action == "Thank Ana Silva for agreeing to introduce you to Raj Patel."
    assert rows[2].action == "Thank Ana Silva once more: the introduction to Raj Patel became a sale."
    assert all(r.done == (r.done_on is not None) for r in rows)


def test_as_of_leaves_later_referrals_out(net):
    net.add(rg.Referral(referrer="ana", referred="cy", date="2024-05-20", status="asked"))
    assert ("cy", "thanks") not in ledger(net, "2024-05-02")
    assert ledger(net, None)[("cy", "thanks")] == (D(2024, 5, 20), D(2024, 5, 21), None, False)  # as of 20 May
    assert ledger(net, "2024-05-25")[("cy", "thanks")][3] is True
    assert ledger(net, "2024-05-21")[("cy", "thanks")][3] is False  # due that day: not late yet


def test_an_earlier_as_of_than_the_interactions_is_refused(net):
    with pytest.raises(rg.DataError, match="interactions"):
        follow_ups(net, as_of="2024-03-01")


def test_rules_are_the_seed_rules():
    assert [(r.step, r.trigger, r.days) for r in FOLLOW_UP_RULES] == [
        ("thanks", "asked", 1), ("status_report", "met", 1), ("thanks_after_sale", "won", 1)]


def test_sample_ledger(sample):
    rows = list(follow_ups(sample))
    assert len(rows) == 3 * len(sample.referrals)
    hiro = [(r.step, r.done_on) for r in rows if r.referred == "ivy.adeyemi"]
    # Hiro was thanked the day after, told on 18 Sep, thanked again on 31 Oct after the sale.
    assert hiro == [("thanks", D(2022, 9, 3)), ("status_report", D(2022, 9, 18)),
                    ("thanks_after_sale", D(2022, 10, 31))]
    assert all(not r.overdue for r in rows if r.done)
