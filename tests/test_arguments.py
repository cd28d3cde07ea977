"""Every public function, given a bad argument, raises one clear DataError naming it.

The table below holds one bad call per public function of ``refgraph``; a function added to
``refgraph.__all__`` without a row here fails :func:`test_every_public_function_is_covered`.
Each bad call passes the wrong kind of object as the first argument (a Network where a
TrustGraph is expected is the commonest slip) or a wrong option value.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import refgraph as rg
from refgraph.errors import DataError

NET = rg.sample_network()
G = NET.trust_graph()
PATH = rg.warm_paths(G, "theo.brooks")[0]

# name -> (a call with one bad argument, the field the error must name)
BAD: dict[str, tuple[Callable[[Path], Any], str]] = {
    "betweenness": (lambda tmp: rg.betweenness(G, betweenness_sample=0), "betweenness_sample"),
    "brokerage": (lambda tmp: rg.brokerage(NET), "g"),
    "closeness": (lambda tmp: rg.closeness(NET), "g"),
    "degree": (lambda tmp: rg.degree(G, mode="sideways"), "mode"),
    "eigenvector": (lambda tmp: rg.eigenvector(G, tol=-1.0), "tol"),
    "harmonic": (lambda tmp: rg.harmonic(NET), "g"),
    "pagerank": (lambda tmp: rg.pagerank(G, alpha=1.5), "alpha"),
    "reach": (lambda tmp: rg.reach(G, max_hops=0), "max_hops"),
    "strength": (lambda tmp: rg.strength(G, mode=3), "mode"),
    "bitcoin_otc": (lambda tmp: rg.bitcoin_otc(min_rating=2.5), "min_rating"),
    "calibrate": (lambda tmp: rg.calibrate(G), "net"),
    "centrality": (lambda tmp: rg.centrality(NET, "pagerank"), "g"),
    "centres_of_influence": (lambda tmp: rg.centres_of_influence(G, top=-1), "top"),
    "follow_ups": (lambda tmp: rg.follow_ups(G), "net"),
    "from_frames": (lambda tmp: rg.from_frames(contacts=42), "contacts"),
    "harvest": (lambda tmp: rg.harvest(NET, half_life_days=-5), "half_life_days"),
    "intro_plan": (lambda tmp: rg.intro_plan(G), "path"),
    "load": (lambda tmp: rg.load(42), "path"),
    "merge": (lambda tmp: rg.merge(NET, G), "networks"),
    "pseudonymize": (lambda tmp: rg.pseudonymize(NET, seed=-1), "seed"),
    "read_calendar": (lambda tmp: rg.read_calendar(tmp / "x.ics", 42), "owner_addresses"),
    "read_crm": (lambda tmp: rg.read_crm(tmp / "c.csv", crm="dynamics"), "crm"),
    "read_csv": (lambda tmp: rg.read_csv(tmp, columns=["id"]), "columns"),
    "read_graphml": (lambda tmp: rg.read_graphml(42), "path"),
    "read_linkedin": (lambda tmp: rg.read_linkedin(42), "path"),
    "read_mail": (lambda tmp: rg.read_mail(tmp / "x.mbox", 42), "owner_addresses"),
    "read_network": (lambda tmp: rg.read_network(42), "path"),
    "read_vcard": (lambda tmp: rg.read_vcard(tmp / "x.vcf", network=G), "network"),
    "referral_chains": (lambda tmp: rg.referral_chains(G), "net"),
    "role_moves": (lambda tmp: rg.role_moves(G), "net"),
    "save": (lambda tmp: rg.save(G, tmp / "x.json"), "net"),
    "simulate_referrals": (lambda tmp: rg.simulate_referrals(NET, "me"), "g"),
    "unique_reach": (lambda tmp: rg.unique_reach(NET), "forest"),
    "warm_paths": (lambda tmp: rg.warm_paths(NET, "theo.brooks"), "g"),
    "warm_paths_many": (lambda tmp: rg.warm_paths_many(G, ["theo.brooks"], max_hops=0), "max_hops"),
    "warm_paths_to_organization": (lambda tmp: rg.warm_paths_to_organization(G, "Initech", per_target=0),
                                   "per_target"),
    "who_to_ask": (lambda tmp: rg.who_to_ask(G), "net"),
    "whom_to_cultivate": (lambda tmp: rg.whom_to_cultivate(NET, 2), "g"),
    "write_csv": (lambda tmp: rg.write_csv(G, tmp / "out"), "net"),
    "write_gexf": (lambda tmp: rg.write_gexf(NET, tmp / "g.gexf"), "g"),
    "write_graphml": (lambda tmp: rg.write_graphml(NET, tmp / "g.graphml"), "g"),
    "write_report": (lambda tmp: rg.write_report(G, tmp / "r.html"), "net"),
}
# Functions that take no argument a caller could get wrong.
NO_ARGUMENTS = {"sample_network"}


def public_functions() -> set[str]:
    return {name for name in rg.__all__ if inspect.isfunction(getattr(rg, name))}


def test_every_public_function_is_covered() -> None:
    assert public_functions() - NO_ARGUMENTS == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_argument_is_one_clear_data_error(name: str, tmp_path: Path) -> None:
    call, field = BAD[name]
    with pytest.raises(DataError) as info:
        call(tmp_path)
    assert info.value.field == field, str(info.value)
    assert not list(tmp_path.iterdir()) or name.startswith("read"), "a refused call wrote nothing"
