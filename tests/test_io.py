"""Files: JSON storage, CSV folders, LinkedIn exports, GraphML and GEXF."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import networkx as nx
import pytest

import refgraph as rg
from refgraph.errors import DataError, FileFormatError, StorageError, UnknownContactError

from .conftest import DATA


# -- JSON ------------------------------------------------------------------------------------------
def test_save_load_keeps_every_record_and_trust(sample: rg.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    sample.save(path)
    back = rg.load(path)
    assert back.owner == sample.owner
    assert back.contacts == sample.contacts
    for name in ("relationships", "referrals", "interactions", "mentions"):
        assert getattr(back, name) == getattr(sample, name)
    g, h = sample.trust_graph(), back.trust_graph()
    assert g.ids.tolist() == h.ids.tolist() and (g.edge_trust == h.edge_trust).all()
    rg.save(back, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        ('{"format": "refgraph-network", "version": 1, "contacts": [{"id": "a", "na', FileFormatError, "line 1"),
        ("", FileFormatError, "not valid JSON"),
        ("[1, 2]", FileFormatError, "not a refgraph network file"),
        ('{"format": "refgraph-network", "version": 99}', FileFormatError, "newer refgraph"),
        ('{"format": "refgraph-network"}', FileFormatError, "version is missing"),
        ('{"format": "refgraph-network", "version": 1, "contacts": {}}', FileFormatError, "must be a list"),
        ('{"format": "refgraph-network", "version": 1, "extra": []}', FileFormatError, "unknown sections"),
        ('{"format": "refgraph-network", "version": 1, "contacts": [{"id": "a", "name": "A", "kinds": ["boss"]}]}',
         DataError, "contacts[0].kinds"),
        ('{"format": "refgraph-network", "version": 1, "contacts": [{"id": "a", "name": "A"}],'
         ' "relationships": [{"source": "a", "target": "b", "kind": "friend"}]}', UnknownContactError,
         "relationships[0]"),
        ('{"format": "refgraph-network", "version": 1, "owner": "zz", "contacts": []}', UnknownContactError, "owner"),
        ('{"format": "refgraph-network", "version": 1, "contacts": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}',
         DataError, "contacts[1]"),
    ],
)
def test_corrupt_truncated_or_foreign_json_names_the_file(tmp_path: Path, content: str, error: type, words: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as info:
        rg.load(path)
    assert "broken.json" in str(info.value) and words in str(info.value)
    assert isinstance(info.value, rg.RefgraphError)


def test_load_of_a_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="nothing.json: cannot read"):
        rg.load(tmp_path / "nothing.json")
    (tmp_path / "latin.json").write_bytes('{"x": "café"}'.encode("latin-1"))
    with pytest.raises(FileFormatError, match="latin.json, line 1: .*encoding="):
        rg.load(tmp_path / "latin.json")


def test_a_save_that_fails_half_way_leaves_the_old_file(sample: rg.Network, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "net.json"
    rg.Network(owner=None).save(path)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StorageError, match=r"net.json: cannot write \(No space left on device\); the previous file is unchanged"):
        sample.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.json"]


def test_a_save_interrupted_while_writing_leaves_nothing_behind(sample: rg.Network, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "net.json"
    path.write_text("old", encoding="utf-8")
    monkeypatch.setattr("refgraph.io.json.to_dict", lambda net: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        sample.save(path)
    assert path.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["net.json"]


def test_save_into_a_missing_folder(sample: rg.Network, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="nope"):
        sample.save(tmp_path / "nope" / "net.json")


def test_saved_json_is_readable_and_versioned(tiny: rg.Network, tmp_path: Path) -> None:
    tiny.save(tmp_path / "t.json")
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert data["format"] == "refgraph-network" and data["version"] == 1 and data["owner"] == "sam"
    assert data["contacts"][1] == {"id": "ana", "name": "Ana Silva", "kinds": ["client"], "organization": "Globex"}


# -- CSV folders -----------------------------------------------------------------------------------
def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


CONTACTS = "id,name,kinds,organization,owner\nme,Sam,,,yes\nana,Ana Silva,client|friend,Globex,\nben,Ben,friend,,\n"


def test_read_csv_reads_every_table(tmp_path: Path) -> None:
    write(tmp_path, "contacts.csv", CONTACTS)
    write(tmp_path, "roles.csv", "contact,organization,title,start,end\n"
                                 "ana,Initech,CIO,2023-07-01,\nana,Globex,IT Director,2017-01-01,2023-06-30\n")
    write(tmp_path, "relationships.csv",
          "source,target,kind,repeat_business,response_hours,liking,reciprocity,credibility,commitment,trust,directed\n"
          "me,ana,client,3,2.5,8,7,9,6,,no\nana,ben,friend,,,,,,,0.7,yes\n")
    write(tmp_path, "referrals.csv", "referrer,referred,date,status,value,via\nana,ben,2024-01-05,won,1500.5,\n")
    write(tmp_path, "interactions.csv", "contact,date,kind,note\nana,2024-01-06,thanks,\"thanks, Ana\"\n")
    write(tmp_path, "mentions.csv", "by,name,date,organization,context\nana,Raj Patel,2024-02-01,Initech,new CFO\n")
    net = rg.read_csv(tmp_path)
    assert net.owner == "me"
    ana = net.contacts["ana"]
    assert ana.kinds == {"client", "friend"} and ana.organization == "Globex"  # the column wins over roles
    assert [r.organization for r in ana.roles] == ["Globex", "Initech"]  # oldest first
    rel = net.relationships[0]
    assert (rel.repeat_business, rel.response_hours, rel.scorecard.mean, rel.directed) == (3, 2.5, 7.5, False)
    assert net.relationships[1].directed and net.relationships[1].trust == 0.7
    assert net.referrals[0].value == 1500.5 and net.interactions[0].note == "thanks, Ana"
    assert net.mentions[0].organization == "Initech"


@pytest.mark.parametrize(
    ("name", "text", "error", "words"),
    [
        ("referrals.csv", "referrer,referred,date,status\nana,zoe,2024-01-05,won\n", UnknownContactError,
         ["'zoe'", "referrals.csv, line 2"]),
        ("relationships.csv", "source,target,kind,repeat_business\nme,ana,client,lots\n", DataError,
         ["relationships.csv", "line 2", "'repeat_business'", "'lots'"]),
        ("interactions.csv", "contact,date,kind\nana,2024-13-45,call\n", DataError,
         ["interactions.csv", "line 2", "'date'", "'2024-13-45'"]),
        ("relationships.csv", "source,target\nme,ana\n", FileFormatError, ["relationships.csv", "line 1", "kind"]),
        ("mentions.csv", "by,name,date,colour\nana,X,2024-01-01,red\n", FileFormatError, ["unknown column", "colour"]),
        ("interactions.csv", "contact,date,kind\nana,2024-01-01,call,extra\n", FileFormatError,
         ["line 2", "ragged"]),
        ("relationships.csv", "source,target,kind,directed\nme,ana,client,maybe\n", DataError,
         ["line 2", "'directed'", "yes or no"]),
        ("relationships.csv", "source,target,kind,liking\nme,ana,client,8\n", DataError,
         ["line 2", "scorecard.reciprocity", "required"]),
    ],
)
def test_read_csv_names_file_row_and_field(tmp_path: Path, name: str, text: str, error: type, words: list[str]) -> None:
    write(tmp_path, "contacts.csv", CONTACTS)
    write(tmp_path, name, text)
    with pytest.raises(error) as info:
        rg.read_csv(tmp_path)
    for w in words:
        assert w in str(info.value)


def test_read_csv_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a folder"):
        rg.read_csv(tmp_path / "missing")
    with pytest.raises(StorageError, match="contacts.csv"):
        rg.read_csv(tmp_path)
    write(tmp_path, "contacts.csv", "")
    with pytest.raises(FileFormatError, match="empty"):
        rg.read_csv(tmp_path)
    write(tmp_path, "contacts.csv", "id,name\na,A\na,B\n")
    with pytest.raises(DataError, match="line 3.*contact 'a'"):
        rg.read_csv(tmp_path)
    write(tmp_path, "contacts.csv", "id,name,owner\na,A,yes\nb,B,yes\nc,C,no\n")
    assert rg.read_csv(tmp_path).owners == ("a", "b")  # several sellers marked: a team
    with pytest.raises(DataError, match="more than one owner"):
        rg.read_csv(tmp_path, owner="c")
    write(tmp_path, "contacts.csv", "id,name\na,A\n")
    with pytest.raises(UnknownContactError, match="owner"):
        rg.read_csv(tmp_path, owner="zz")
    assert rg.read_csv(tmp_path, owner="a").owner == "a"
    write(tmp_path, "roles.csv", "contact,organization\nzz,Globex\n")
    with pytest.raises(UnknownContactError, match="'zz'.*roles.csv"):
        rg.read_csv(tmp_path)


def test_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    tmp_path.joinpath("contacts.csv").write_bytes(b"\xef\xbb\xbfid,name\r\na,Ana\r\n")
    assert rg.read_csv(tmp_path).contacts["a"].name == "Ana"


def test_sample_round_trips_through_csv(sample: rg.Network, tmp_path: Path) -> None:
    rg.write_csv(sample, tmp_path)
    back = rg.read_csv(tmp_path)
    assert back.contacts == sample.contacts and back.relationships == sample.relationships
    assert back.referrals == sample.referrals and back.owner == "me"


def test_evidence_round_trips_through_csv_json_and_parquet(tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"), rg.Contact(id="ana", name="Ana")])
    net.add(rg.Relationship(source="me", target="ana", kind="client", evidence="3 e-mails, from mail.mbox"))
    rg.write_csv(net, tmp_path / "csv")
    rg.save(net, tmp_path / "net.json")
    rg.save(net, tmp_path / "net.parquet")
    for back in (rg.read_csv(tmp_path / "csv"), rg.load(tmp_path / "net.json"), rg.load(tmp_path / "net.parquet")):
        assert back.relationships[0].evidence == "3 e-mails, from mail.mbox"


def test_text_around_separator_controls_is_kept_as_the_record_keeps_it(tmp_path: Path) -> None:
    note = "\x1f\x1cnote\x1e\x1d"  # not Unicode white space: the record does not strip them
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")],
                     interactions=[rg.Interaction(contact="me", date="2024-01-01", kind="call", note=note)])
    assert net.interactions[0].note == note
    rg.save(net, tmp_path / "net.parquet")
    assert rg.load(tmp_path / "net.parquet").interactions[0].note == note


# -- LinkedIn ---------------------------------------------------------------------------------------
def test_read_linkedin_reads_a_realistic_export() -> None:
    net = rg.read_linkedin(DATA / "linkedin_connections.csv", owner="me", owner_name="Sam")
    assert len(net.contacts) == 7 and len(net.relationships) == 6
    zoe = net.contacts["li:zoe-durand-4a1b2c"]
    assert (zoe.name, zoe.organization, zoe.title, zoe.email) == ("Zoë Durand", "Acme, Inc.", "Chief Technology Officer", None)
    jose = net.contacts["li:jose-alvarez"]
    assert jose.name == "José Álvarez Núñez" and jose.email == "jose@example.com"
    assert jose.title == "Director, Sales & Partnerships"
    assert net.contacts["li:bjork"].title == 'CEO, "Founder"'
    assert net.contacts["li:ola-nordmann"].organization is None
    assert net.contacts["li:private-member-123"].name == "private-member-123"
    dates = {r.target: r.last_interaction for r in net.relationships}
    assert dates["li:zoe-durand-4a1b2c"] == dt.date(2024, 3, 12)
    assert dates["li:meichen"] == dt.date(2021, 2, 28)
    assert all(r.source == "me" and r.kind == "acquaintance" for r in net.relationships)
    g = net.trust_graph()
    assert g.owner == "me" and len(g.neighbors("me")) == 6


def test_read_linkedin_errors(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("Name,Company\nA,B\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="Connections.csv: no header line"):
        rg.read_linkedin(path)
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,,,31 Feb 2024\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="line 2, field 'Connected On' \\(value '31 Feb 2024'\\)"):
        rg.read_linkedin(path)
    path.write_bytes("First Name,Last Name\nJosé,B\n".encode("cp1252"))
    with pytest.raises(FileFormatError, match="encoding="):
        rg.read_linkedin(path)
    assert rg.read_linkedin(path, encoding="cp1252").contacts["name:josé-b"].name == "José B"


# -- GraphML and GEXF ---------------------------------------------------------------------------
def test_graphml_export_of_the_sample_opens_in_networkx(sample: rg.Network, tmp_path: Path) -> None:
    g = sample.trust_graph()
    rg.write_graphml(g, tmp_path / "s.graphml")
    G = nx.read_graphml(tmp_path / "s.graphml")
    assert set(G.nodes) == set(sample.contacts)
    assert G.number_of_edges() == g.number_of_edges()
    assert G.nodes["me"]["name"] == "Sam Rivera"
    rel = sample.relationships[0]
    assert G[rel.source][rel.target]["trust"] == pytest.approx(g.trust(rel.source, rel.target))
    kinds = G.nodes[next(c for c in sample.contacts if sample.contacts[c].kinds)]["kinds"]
    assert isinstance(kinds, str)


def test_gexf_export_opens_in_networkx(tiny: rg.Network, tmp_path: Path) -> None:
    rg.write_gexf(tiny.trust_graph(), tmp_path / "t.gexf")
    G = nx.read_gexf(tmp_path / "t.gexf")
    assert set(G.nodes) == {"sam", "ana", "ben", "raj"} and G.number_of_edges() == 3


def test_read_network_dispatches_on_what_the_path_is(sample: rg.Network, tmp_path: Path) -> None:
    sample.save(tmp_path / "s.json")
    assert len(rg.read_network(tmp_path / "s.json").contacts) == len(sample.contacts)
    rg.write_csv(sample, tmp_path / "folder")
    assert rg.read_network(tmp_path / "folder").owner == "me"
    assert rg.read_network(DATA / "linkedin_connections.csv").owner == "me"
    with pytest.raises(StorageError, match="no such file"):
        rg.read_network(tmp_path / "nothing.xlsx")
    (tmp_path / "x.xlsx").write_text("x")
    with pytest.raises(StorageError, match="expected a CSV folder"):
        rg.read_network(tmp_path / "x.xlsx")


# -- hostile content ------------------------------------------------------------------------------
def test_duplicate_json_keys_are_refused_not_silently_dropped(tiny: rg.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    rg.save(tiny, path)
    text = path.read_text(encoding="utf-8")
    doubled = text.replace('"contacts": [', '"contacts": [{"id": "x", "name": "X"}], "contacts": [', 1)
    (tmp_path / "twice.json").write_text(doubled, encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"twice.json, field 'contacts'.*appears twice"):
        rg.load(tmp_path / "twice.json")
    (tmp_path / "owner.json").write_text(text.replace('"owner": ', '"owner": "x", "owner": ', 1), encoding="utf-8")
    with pytest.raises(FileFormatError, match="'owner'.*appears twice"):
        rg.load(tmp_path / "owner.json")
    (tmp_path / "inner.json").write_text(text.replace('"name": ', '"name": "A", "name": ', 1), encoding="utf-8")
    with pytest.raises(FileFormatError, match="'name'.*appears twice"):
        rg.load(tmp_path / "inner.json")


def test_trust_true_in_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    net = rg.Network(owner="a", contacts=[rg.Contact(id="a", name="A"), rg.Contact(id="b", name="B")],
                     relationships=[rg.Relationship(source="a", target="b", kind="friend", trust=0.5)])
    rg.save(net, path)
    path.write_text(path.read_text(encoding="utf-8").replace("0.5", "true"), encoding="utf-8")
    with pytest.raises(DataError, match=r"relationships\[0\].trust.*not true or false"):
        rg.load(path)


CONTROL_NAMES = ["nul\x00here", "esc\x1b]0;title\x07", "form\x0cfeed", "bad\ufffe", "ok é 👋"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_names_with_characters_xml_cannot_hold_export_readably(fmt: str, tmp_path: Path) -> None:
    ids = ["me", "a\x00b", "c\x1bd", "e\ufffef"]
    net = rg.Network(owner="me", contacts=[rg.Contact(id=i, name=n) for i, n in zip(ids, CONTROL_NAMES, strict=False)])
    for other in ids[1:]:
        net.add(rg.Relationship(source="me", target=other, kind="friend", trust=0.5))
    g = net.trust_graph()
    path = tmp_path / f"g.{fmt}"
    (rg.write_graphml if fmt == "graphml" else rg.write_gexf)(g, path)
    G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    assert sorted(G) == ["a\ufffdb", "c\ufffdd", "e\ufffdf", "me"] and G.number_of_edges() == 3
    names = sorted(G.nodes[n].get("name", G.nodes[n].get("label")) for n in G)
    assert "nul\ufffdhere" in names and "esc\ufffd]0;title\ufffd" in names and "form\ufffdfeed" in names
    if fmt == "graphml":
        assert len(rg.read_graphml(path)) == 4


def test_ids_that_differ_only_in_characters_xml_cannot_hold_are_refused(tmp_path: Path) -> None:
    g = rg.TrustGraph.from_edges(["a\x00", "a\x01"], ["b", "b"], [0.5, 0.5])
    with pytest.raises(DataError, match="differ only in characters XML cannot hold"):
        rg.write_graphml(g, tmp_path / "g.graphml")


@pytest.mark.parametrize("encoding", ["shift_jis", "euc-jp", "big5", "gb18030", "cp932", "utf-7"])
def test_graphml_in_an_encoding_expat_cannot_read_is_a_clear_error(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?>\n<graphml><graph edgedefault="undirected">'
                     '<node id="a"/></graph></graphml>'.encode())
    with pytest.raises(FileFormatError, match="g.graphml: the XML parser cannot read the encoding.*UTF-8"):
        rg.read_graphml(path)


def test_one_huge_graphml_attribute_is_read_in_few_growing_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from refgraph.io import graphml

    sizes: list[int] = []
    read = graphml._Chunks.read
    monkeypatch.setattr(graphml._Chunks, "read", lambda self, n=-1: sizes.append(self.size) or read(self, n))
    path = tmp_path / "g.graphml"
    big = "x" * (8 * 1024 * 1024)
    path.write_text('<graphml><key id="t" for="edge" attr.name="trust"/><graph edgedefault="undirected">'
                    f'<node id="a" note="{big}"/><node id="b"/><edge source="a" target="b"><data key="t">0.5</data>'
                    "</edge></graph></graphml>", encoding="utf-8")
    assert len(rg.read_graphml(path)) == 2
    assert len(sizes) < 16 and max(sizes) >= 4 * 1024 * 1024  # 16 KiB chunks would take 512 reads


def test_a_header_of_100000_columns_is_checked_at_once_and_named_briefly(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    folder.mkdir()
    header = ["id", "name"] + [f"extra{k}" for k in range(100_000)]
    (folder / "contacts.csv").write_text(",".join(header) + "\r\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"unknown column\(s\) extra0, .*extra9 and 99,990 more") as info:
        rg.read_csv(folder)
    assert len(str(info.value)) < 1000
    (folder / "contacts.csv").write_text(",".join(["id", "name"] + ["notes"] * 50_000) + "\r\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="column notes appears twice"):
        rg.read_csv(folder)
    linkedin = tmp_path / "Connections.csv"
    linkedin.write_text("First Name,Last Name," + ",".join(["URL"] * 100_000) + "\r\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="column URL appears twice"):
        rg.read_linkedin(linkedin)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x1e"])
def test_linkedin_line_numbers_count_only_real_line_ends(separator: str, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("Notes:\r\n\"odd" + separator + "note\"\r\n\r\n"
                    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                    "Ana,Silva,,,Globex,CEO,12 Mar 2024\r\n"
                    "Ben,Ode,,,Initech,CTO,not a date\r\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 6, field 'Connected On'"):
        rg.read_linkedin(path)
