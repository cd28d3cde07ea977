"""Errors that say the fix: no owner, a date not written YYYY-MM-DD, words in another case,
files in another encoding, each through the library and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

import refgraph as rg
from refgraph import cli

from .conftest import DATA


def _folder(tmp_path: Path, referrals: str, owner: str = "yes") -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        f"id,name,kinds,owner\nme,Sam Seller,,{owner}\nana,Ana Silva,Client;Former Client,\nraj,Raj Patel,Prospect,\n",
        encoding="utf-8")
    (folder / "relationships.csv").write_text("source,target,kind\nme,ana,Client\nana,raj,FRIEND\n", encoding="utf-8")
    (folder / "referrals.csv").write_text(f"referrer,referred,date,status\n{referrals}\n", encoding="utf-8")
    return folder


def test_statuses_and_kinds_are_read_in_any_case(tmp_path: Path) -> None:
    net = rg.read_network(_folder(tmp_path, "ana,raj,2024-03-01,Won"))
    assert str(net.referrals[0].status) == "won"
    assert {str(k) for k in net.contact("ana").kinds} == {"client", "former_client"}
    assert {str(r.kind) for r in net.relationships} == {"client", "friend"}
    assert rg.referral_chains(net).value == 0  # the arrays path reads "Won" as won too
    forest = rg.ReferralForest.from_arrays(["ana"], ["raj"], ["2024-03-01"], [" WON "], [5.0])
    assert forest.value == 5.0


def test_a_bad_date_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(rg.DataError, match=r"referrals.csv, line 2.*'01/03/2024'.*YYYY-MM-DD"):
        rg.read_network(_folder(tmp_path, "ana,raj,01/03/2024,won"))


def test_no_owner_says_how_to_mark_one(tmp_path: Path, capsys) -> None:
    net = rg.read_network(_folder(tmp_path, "ana,raj,2024-03-01,met", owner=""))
    for call in (lambda: rg.who_to_ask(net), lambda: rg.harvest(net), lambda: rg.warm_paths(net.trust_graph(), "raj")):
        with pytest.raises(rg.DataError) as err:
            call()
        assert all(fix in str(err.value) for fix in ("owner=yes", "owner=", "--owner"))
    assert cli.main(["paths", "Raj Patel", str(tmp_path / "net")]) == 2
    assert "--owner" in capsys.readouterr().err
    assert cli.main(["paths", "Raj Patel", str(tmp_path / "net"), "--owner", "me"]) == 0
    assert "Sam Seller → Ana Silva → Raj Patel" in capsys.readouterr().out


def test_read_network_and_the_command_line_take_an_encoding(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "cp"
    folder.mkdir()
    (folder / "contacts.csv").write_bytes((DATA / "bad" / "contacts_not_utf8.csv").read_bytes())
    with pytest.raises(rg.FileFormatError, match="--encoding"):
        rg.read_network(folder)
    net = rg.read_network(folder, encoding="latin-1", owner="me")
    assert net.contact("zoe").name == "Zoë Müller"
    assert cli.main(["summary", str(folder), "--owner", "me", "--encoding", "latin-1"]) == 0
    assert "contacts: 2" in capsys.readouterr().out
