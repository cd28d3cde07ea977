"""Finding people by id, name or e-mail, and the close matches every unknown-contact error offers."""

from __future__ import annotations

import difflib

import pytest

import refgraph as rg
from refgraph import cli
from refgraph.records.lookup import close_matches, find_contact


def _net() -> rg.Network:
    people = [("me", "Sam Seller", None), ("erin.walsh", "Erin Walsh", "erin@northwind.example"),
              ("victor.hale", "Victor Hale", "vhale@initech.example"), ("zoe", "Zoë Durand", None),
              ("ana1", "Ana Silva", None), ("ana2", "Ana Silva", None)]
    return rg.Network(
        owner="me", contacts=[rg.Contact(id=i, name=n, email=e, organization="Initech" if i == "victor.hale" else None)
                              for i, n, e in people],
        relationships=[rg.Relationship(source="me", target="erin.walsh", kind="friend", trust=0.9),
                       rg.Relationship(source="erin.walsh", target="victor.hale", kind="client", trust=0.8)])


@pytest.mark.parametrize("query", ["victor.hale", "Victor Hale", "  victor   HALE ", "VHALE@initech.example"])
def test_network_finds_a_contact_by_id_name_or_email(query: str) -> None:
    assert _net().find(query).id == "victor.hale"


def test_graph_finds_by_name_ignoring_accents() -> None:
    g = _net().trust_graph()
    assert g.find("Zoe Durand") == "zoe" and g.find("zoë durand") == "zoe" and g.find("zoe") == "zoe"


def test_a_shared_name_lists_the_candidates() -> None:
    with pytest.raises(rg.DataError, match=r"2 contacts have this name or e-mail: 'ana1' \(Ana Silva\), 'ana2'"):
        _net().find("ana silva")


def test_a_typo_in_an_id_suggests_the_contact_everywhere() -> None:
    net = _net()
    g = net.trust_graph()
    hint = "did you mean 'victor.hale' (Victor Hale)?"
    for call in (lambda: rg.warm_paths(g, "victor.hal"), lambda: g.index("victor.hal"), lambda: net.contact("victor.hal"),
                 lambda: net.find("Victor Hal"), lambda: rg.simulate_referrals(g, "victor.hal", runs=10),
                 lambda: net.add(rg.Referral(referrer="erin.walsh", referred="victor.hal", date="2024-01-02",
                                             status="met"))):
        with pytest.raises(rg.UnknownContactError) as err:
            call()
        assert hint in str(err.value) and "'victor.hale' (Victor Hale)" in err.value.suggestions
    with pytest.raises(rg.UnknownContactError) as err:
        rg.warm_paths(g, "Victor Hale")  # a name where an id is wanted
    assert hint in str(err.value)


def test_nothing_close_suggests_nothing() -> None:
    with pytest.raises(rg.UnknownContactError) as err:
        _net().find("Quentin Xylophone")
    assert err.value.suggestions == () and "did you mean" not in str(err.value)


def test_close_matches_agree_with_difflib_on_names() -> None:
    names = ["Erin Walsh", "Erica Wals", "Victor Hale", "Vic Hales", "Quinn Moss"]
    ids = [n.lower().replace(" ", ".") for n in names]
    for query in ("erin walsh", "vic hale", "quin mos"):
        expected = {n.lower() for n in difflib.get_close_matches(query, [n.lower() for n in names], n=3, cutoff=0.75)}
        got = {names[ids.index(c)].lower() for c in close_matches(query, ids, names)}
        assert expected <= got
    assert find_contact("ERICA wals", ids, names) == "erica.wals"


def test_paths_command_takes_a_name(tmp_path, capsys) -> None:
    rg.write_csv(_net(), tmp_path / "csv")
    assert cli.main(["paths", "Victor Hale", str(tmp_path / "csv")]) == 0
    captured = capsys.readouterr()
    assert "Sam Seller → Erin Walsh → Victor Hale" in captured.out and captured.err == ""
    assert cli.main(["paths", "Victor Hal", str(tmp_path / "csv")]) == 2
    assert "did you mean 'victor.hale' (Victor Hale)?" in capsys.readouterr().err
    assert cli.main(["paths", "initek", str(tmp_path / "csv")]) == 2
    assert "did you mean 'Initech'?" in capsys.readouterr().err


def test_paths_command_says_when_it_falls_back_to_the_sample(capsys) -> None:
    assert cli.main(["paths", "Theo Brooks"]) == 0
    captured = capsys.readouterr()
    assert "bundled sample network" in captured.err and "Theo Brooks>" in captured.out


def test_a_typo_in_a_csv_folder_names_the_line_and_the_contact_meant(tmp_path) -> None:
    rg.write_csv(_net(), tmp_path / "csv")
    (tmp_path / "csv" / "referrals.csv").write_text(
        "referrer,referred,date,status\nerin.walsh,victor.hal,2024-01-02,met\n", encoding="utf-8")
    with pytest.raises(rg.UnknownContactError) as err:
        rg.read_network(tmp_path / "csv")
    assert "referrals.csv, line 2" in str(err.value) and "did you mean 'victor.hale' (Victor Hale)?" in str(err.value)
