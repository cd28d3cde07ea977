"""Shared fixtures: the sample network, its trust graph and small hand-made networks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import refgraph as rg

os.environ.setdefault("MPLBACKEND", "Agg")
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

DATA = Path(__file__).parent / "data"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def sample() -> rg.Network:
    return rg.sample_network()


@pytest.fixture
def tiny() -> rg.Network:
    """Sam knows Ana (client) and Ben (friend); Ana knows Raj; Ana referred Raj."""
    return rg.Network(
        owner="sam",
        contacts=[
            rg.Contact(id="sam", name="Sam Seller"),
            rg.Contact(id="ana", name="Ana Silva", kinds="client", organization="Globex"),
            rg.Contact(id="ben", name="Ben Okafor", kinds=["friend"]),
            rg.Contact(id="raj", name="Raj Patel", kinds="referred_contact", organization="Initech"),
        ],
        relationships=[
            rg.Relationship(source="sam", target="ana", kind="client", repeat_business=2,
                            last_interaction="2024-05-01"),
            rg.Relationship(source="sam", target="ben", kind="friend", trust=0.8),
            rg.Relationship(source="ana", target="raj", kind="colleague", last_interaction="2024-01-01"),
        ],
        referrals=[rg.Referral(referrer="ana", referred="raj", date="2024-02-01", status="won", value=1000)],
        interactions=[rg.Interaction(contact="ana", date="2024-02-02", kind="thanks")],
        mentions=[rg.Mention(by="ana", name="Lucia Moreau", date="2024-06-01", organization="Lumen")],
    )
