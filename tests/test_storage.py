"""Storage and sharing: lossless round trips, interrupted saves, permissions, newer versions,
spreadsheet-safe exports and pseudonymisation."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph import _files
from refgraph._files import atomic_write
from refgraph.errors import FileFormatError, StorageError
from refgraph.io.csv import read_csv, write_csv
from refgraph.io.graphml import read_graphml, write_graphml
from refgraph.io.json import load, save
from refgraph.records.models import normalize_id
from refgraph.records.privacy import pseudonymize
from refgraph.results import Table

AS_OF = dt.date(2024, 12, 31)
RISKY = ("=", "+", "-", "@", "\t", "\r", "\n")

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=15)
names = text.map(str.strip).filter(bool)
dates = st.dates(dt.date(1990, 1, 1), AS_OF)


def _as_id(text: str) -> str:
    """The id refgraph keeps for ``text`` (NFC, no invisible characters), or "" when none."""
    try:
        return normalize_id(text)
    except ValueError:
        return ""


@st.composite
def networks(draw: st.DrawFn) -> rg.Network:
    """Any network: odd text everywhere (formula-like, quotes, newlines), every record kind,
    referrals only from earlier to later contacts (a referral cycle is refused)."""
    ids = draw(st.lists(names.map(_as_id).filter(bool), min_size=1, max_size=7, unique=True))
    net = rg.Network(owner=draw(st.none() | st.sampled_from(ids)))
    for cid in ids:
        roles = draw(st.lists(st.builds(rg.Role, organization=names, title=st.none() | names,
                                        start=st.none() | dates), max_size=2))
        net.add(rg.Contact(id=cid, name=draw(names), kinds=draw(st.sets(st.sampled_from(list(rg.ContactKind)))),
                           organization=draw(st.none() | names), title=draw(st.none() | names),
                           email=draw(st.none() | names.map(lambda s: s + "@x.org")), roles=roles,
                           notes=draw(text.map(str.strip))))
    pairs = draw(st.lists(st.tuples(st.integers(0, len(ids) - 1), st.integers(0, len(ids) - 1)), max_size=8,
                          unique_by=lambda p: frozenset(p)))
    for a, b in ((min(p), max(p)) for p in pairs if p[0] != p[1]):
        net.add(rg.Relationship(
            source=ids[a], target=ids[b], kind=draw(st.sampled_from(list(rg.RelationshipKind))),
            repeat_business=draw(st.integers(0, 50)), response_hours=draw(st.none() | st.floats(0, 1e4)),
            last_interaction=draw(st.none() | dates), trust=draw(st.none() | st.floats(1e-9, 1)),
            directed=draw(st.booleans()),
            scorecard=draw(st.none() | st.builds(rg.Scorecard, liking=st.integers(0, 10),
                                                 reciprocity=st.integers(0, 10), credibility=st.integers(0, 10),
                                                 commitment=st.integers(0, 10)))))
        net.add(rg.Referral(referrer=ids[a], referred=ids[b], date=draw(dates),
                            status=draw(st.sampled_from(list(rg.ReferralStatus))), value=draw(st.floats(0, 1e9))))
    for cid in draw(st.lists(st.sampled_from(ids), max_size=3)):
        net.add(rg.Interaction(contact=cid, date=draw(dates), kind=draw(st.sampled_from(list(rg.InteractionKind))),
                               note=draw(text.map(str.strip))))
        net.add(rg.Mention(by=cid, name=draw(names), date=draw(dates), organization=draw(st.none() | names),
                           context=draw(st.none() | names)))
    return net


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- lossless round trips ----------------------------------------------------------------------------
@given(networks())
def test_json_save_load_save_is_byte_identical(net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "a.json"), Path(folder, "b.json")
        save(net, first)
        back = load(first)
        save(back, second)
        assert first.read_bytes() == second.read_bytes()
        assert back.owner == net.owner and list(back.contacts.values()) == list(net.contacts.values())
        assert (back.relationships, back.referrals) == (net.relationships, net.referrals)
        assert (back.interactions, back.mentions) == (net.interactions, net.mentions)


@given(networks())
def test_csv_write_read_write_is_byte_identical(net: rg.Network) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "a"), Path(folder, "b")
        write_csv(net, first)
        back = read_csv(first)
        write_csv(back, second)
        assert _folder_bytes(first) == _folder_bytes(second)
        assert list(back.contacts.values()) == list(net.contacts.values())
        assert (back.relationships, back.referrals) == (net.relationships, net.referrals)
        assert (back.interactions, back.mentions) == (net.interactions, net.mentions)


def test_graphml_round_trip_keeps_nodes_edges_trust_and_attributes(sample: rg.Network, tmp_path: Path) -> None:
    g = sample.trust_graph()
    write_graphml(g, tmp_path / "g.graphml")
    h = read_graphml(tmp_path / "g.graphml")
    assert h.ids.tolist() == g.ids.tolist() and h.directed == g.directed and h.owner == g.owner
    assert (h.indptr == g.indptr).all() and (h.indices == g.indices).all()
    assert h.edge_trust.tolist() == pytest.approx(g.edge_trust.tolist(), rel=1e-12)
    for contact in g.ids.tolist():
        assert h.attributes(contact) == g.attributes(contact)


def test_graphml_from_networkx_reads_like_networkx(tmp_path: Path) -> None:
    G = nx.gnm_random_graph(30, 80, seed=3, directed=True)
    for k, (u, v) in enumerate(G.edges):
        G.edges[u, v]["trust"] = (k % 9 + 1) / 10
    nx.write_graphml(G, tmp_path / "r.graphml")
    oracle = nx.read_graphml(tmp_path / "r.graphml")
    h = read_graphml(tmp_path / "r.graphml")
    assert h.directed and len(h) == oracle.number_of_nodes() and h.number_of_edges() == oracle.number_of_edges()
    for u, v, t in oracle.edges(data="trust"):
        assert h.trust(u, v) == t


# -- interrupted saves ---------------------------------------------------------------------------------
SAVERS = {
    "save": lambda net, path: save(net, path / "net.json"),
    "write_csv": lambda net, path: write_csv(net, path),
    "write_graphml": lambda net, path: write_graphml(net.trust_graph(), path / "g.graphml"),
    "to_csv": lambda net, path: Table([_Row("ana", 1.0)]).to_csv(path / "t.csv"),
}


@dataclass(frozen=True)
class _Row:
    contact: str
    score: float


def _disk_full(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("saver", SAVERS)
@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_a_failed_save_leaves_the_previous_files_and_no_temporary(
    saver: str, broken: str, tiny: rg.Network, sample: rg.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SAVERS[saver](tiny, tmp_path)
    before = _folder_bytes(tmp_path)
    monkeypatch.setattr(os, broken, _disk_full)
    if broken == "replace":  # and every other way a save moves its copy into place
        monkeypatch.setattr(os, "rename", _disk_full)
        monkeypatch.setattr(_files, "_exchange", _disk_full)
    with pytest.raises(StorageError, match="No space left on device.*previous file is unchanged"):
        SAVERS[saver](sample, tmp_path)
    assert _folder_bytes(tmp_path) == before  # same names (no temporary) and same bytes


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt(),
                                     ValueError("bug in a writer")])
def test_a_write_failing_midway_leaves_the_previous_file(failure: BaseException, tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"previous")

    def write(fh: io.BufferedWriter) -> None:
        fh.write(b"half of the new")
        raise failure

    with pytest.raises((StorageError, type(failure))) as info:
        atomic_write(path, write)
    assert isinstance(info.value, StorageError) == isinstance(failure, OSError)
    assert path.read_bytes() == b"previous" and os.listdir(tmp_path) == ["f.bin"]


def test_a_save_into_a_missing_or_unwritable_place_names_it(tiny: rg.Network, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="missing"):
        save(tiny, tmp_path / "missing" / "net.json")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(StorageError, match="dir.json: cannot write"):
        save(tiny, tmp_path / "dir.json")
    assert sorted(os.listdir(tmp_path)) == ["dir.json"]


# -- permissions -----------------------------------------------------------------------------------------
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_permissions_open_would_give(mask: int, tmp_path: Path) -> None:
    old = os.umask(mask)
    try:
        with open(tmp_path / "by_open", "wb"):
            pass
        atomic_write(tmp_path / "atomic", lambda fh: fh.write(b"x"))
    finally:
        os.umask(old)
    expected = stat.S_IMODE((tmp_path / "by_open").stat().st_mode)
    assert expected == 0o666 & ~mask
    assert stat.S_IMODE((tmp_path / "atomic").stat().st_mode) == expected


def test_a_replaced_file_keeps_its_permissions(tiny: rg.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    save(tiny, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and load(path).owner == "sam"


# -- versions --------------------------------------------------------------------------------------------
def test_a_file_from_a_newer_version_is_refused_clearly(tiny: rg.Network, tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    save(tiny, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    data["version"] = 2
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        load(path)
    message = str(info.value)
    assert "net.json" in message and "version" in message and "newer refgraph" in message and "upgrade" in message


# -- spreadsheet-safe exports ------------------------------------------------------------------------------
ATTACKS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "\nLF", "=1", "'=quoted"]


def _cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _dangerous(cell: str) -> bool:
    if not cell.startswith(RISKY):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def test_table_to_csv_neutralises_formulas_and_keeps_negative_numbers(tmp_path: Path) -> None:
    rows = [_Row(a, -1.5) for a in ATTACKS] + [_Row("-3", -2.0)]
    Table(rows).to_csv(tmp_path / "t.csv")
    cells = _cells(tmp_path / "t.csv")[1:]
    assert not any(_dangerous(c) for row in cells for c in row)
    assert [r[0] for r in cells[:-2]] == ["'" + a for a in ATTACKS[:-1]]
    assert [r[1] for r in cells] == ["-1.5"] * len(ATTACKS) + ["-2.0"] and cells[-1][0] == "-3"


def test_write_csv_neutralises_formulas_and_reads_them_back(tmp_path: Path) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Sam")])
    for k, attack in enumerate(ATTACKS):
        net.add(rg.Contact(id=f"c{k}", name=f"x{attack}".removeprefix("x") or "x",
                           organization=attack.strip() or None, notes=attack.strip()))
    net.add(rg.Mention(by="me", name="=cmd|'/C calc'!A0", date="2024-01-01", context="-10"))
    write_csv(net, tmp_path)
    for name in ("contacts.csv", "mentions.csv"):
        assert not any(_dangerous(c) for row in _cells(tmp_path / name) for c in row)
    back = read_csv(tmp_path)
    assert list(back.contacts.values()) == list(net.contacts.values()) and back.mentions == net.mentions
    assert _cells(tmp_path / "mentions.csv")[1][4] == "-10"  # a plain number stays a number


@given(names)
def test_any_text_is_written_safe_and_read_back_unchanged(value: str) -> None:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name=value, notes=value)])
    with tempfile.TemporaryDirectory() as folder:
        write_csv(net, folder)
        row = _cells(Path(folder, "contacts.csv"))[1]
        assert not any(_dangerous(c) for c in row)
        assert read_csv(folder).contacts["me"] == net.contacts["me"]


# -- pseudonymisation -----------------------------------------------------------------------------------------
def _private_texts(net: rg.Network) -> set[str]:
    texts = {c.name for c in net.contacts.values()} | {m.name for m in net.mentions}
    texts |= {c.email for c in net.contacts.values() if c.email}
    texts |= {c.organization for c in net.contacts.values() if c.organization}
    texts |= {r.organization for c in net.contacts.values() for r in c.roles}
    texts |= {m.organization for m in net.mentions if m.organization}
    return texts


def _wl_hash(net: rg.Network) -> str:
    """A Weisfeiler-Lehman hash of the trust graph with trust on the edges (ids play no part)."""
    g = net.trust_graph()
    assert not g.directed
    G = nx.Graph()
    G.add_nodes_from(range(len(g)))
    for i in range(len(g)):
        for k in range(g.indptr[i], g.indptr[i + 1]):
            G.add_edge(i, int(g.indices[k]), trust=f"{g.edge_trust[k]:.12f}")
    return nx.weisfeiler_lehman_graph_hash(G, edge_attr="trust")


def test_pseudonymize_hides_every_name_email_and_organisation(sample: rg.Network, tmp_path: Path) -> None:
    fake = sample.pseudonymize(seed=11)
    save(fake, tmp_path / "fake.json")
    stored = (tmp_path / "fake.json").read_text(encoding="utf-8")
    private = _private_texts(sample)
    assert private and _private_texts(fake).isdisjoint(private)
    long_enough = [t for t in private if len(t) >= 6]  # shorter ones could be parts of a fake by chance
    assert long_enough and not [t for t in long_enough if t in stored]
    assert not set(sample.contacts) & set(fake.contacts)
    assert all(c.email.endswith("@example.com") for c in fake.contacts.values() if c.email)
    notes = {c.notes for c in sample.contacts.values() if c.notes} | {i.note for i in sample.interactions if i.note}
    assert not [n for n in notes if n in stored]


def test_pseudonymize_keeps_structure_and_trust(sample: rg.Network) -> None:
    fake = pseudonymize(sample, seed=11)
    g, h = sample.trust_graph(), fake.trust_graph()
    assert (len(g), g.number_of_edges(), g.directed) == (len(h), h.number_of_edges(), h.directed)
    assert sorted(g.edge_trust.tolist()) == sorted(h.edge_trust.tolist())
    for name in ("relationships", "referrals", "interactions", "mentions"):
        assert len(getattr(fake, name)) == len(getattr(sample, name))
    assert _wl_hash(sample) == _wl_hash(fake)
    assert sorted(g.indptr[1:] - g.indptr[:-1]) == sorted(h.indptr[1:] - h.indptr[:-1])
    assert fake.owner in fake.contacts and h.owner == fake.owner
    assert g.trust_matrix()[g.index(sample.owner)].nnz == h.trust_matrix()[h.index(fake.owner)].nnz
    assert sorted(r.value for r in fake.referrals) == sorted(r.value for r in sample.referrals)


def test_pseudonymize_maps_each_real_value_to_one_fake(tiny: rg.Network) -> None:
    tiny.add(rg.Contact(id="ann", name="Ana Silva", organization="Globex", email="ana@globex.com"),
             rg.Mention(by="ben", name="Raj Patel", date="2024-06-02", organization="Initech"))
    fake = pseudonymize(tiny, seed=5)
    contacts = list(fake.contacts.values())
    assert len({c.name for c in contacts}) == 4  # five contacts, two of them named Ana Silva
    raj = next(c for c in contacts if c.kinds == {"referred_contact"})
    ana = next(c for c in contacts if c.kinds == {"client"})
    twin = next(c for c in contacts if c.email)
    assert twin.name == ana.name and twin.organization == ana.organization != raj.organization
    mention = next(m for m in fake.mentions if m.date == dt.date(2024, 6, 2))
    assert (mention.name, mention.organization) == (raj.name, raj.organization)


def test_pseudonymize_is_repeatable_with_a_seed(sample: rg.Network, tmp_path: Path) -> None:
    save(pseudonymize(sample, seed=3), tmp_path / "a.json")
    save(pseudonymize(sample, seed=3), tmp_path / "b.json")
    save(pseudonymize(sample, seed=4), tmp_path / "c.json")
    a, b, c = (tmp_path / n for n in ("a.json", "b.json", "c.json"))
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


@given(networks(), st.integers(0, 2**32 - 1))
def test_pseudonymize_any_network(net: rg.Network, seed: int) -> None:
    fake = pseudonymize(net, seed=seed)
    assert _private_texts(fake).isdisjoint(_private_texts(net))
    assert sorted(net.trust_graph(as_of=AS_OF).edge_trust.tolist()) == sorted(fake.trust_graph(as_of=AS_OF).edge_trust.tolist())
    assert len(fake.contacts) == len(net.contacts) and len(fake.relationships) == len(net.relationships)


def test_pseudonymize_keeps_common_titles_and_replaces_any_other(tmp_path: Path) -> None:
    leaky = "Chief of Staff to Ana Silva at Globex"
    net = rg.Network(owner="me", contacts=[
        rg.Contact(id="me", name="Sam", title="VP Sales"),
        rg.Contact(id="ana", name="Ana Silva", organization="Globex", title="Head of Operations"),
        rg.Contact(id="raj", name="Raj", title=leaky,
                   roles=[{"organization": "Initech", "title": "Initech's Oracle guru"}, {"organization": "Globex"}]),
    ])
    fake = pseudonymize(net, seed=2)
    titles = {c.title for c in fake.contacts.values()} | {r.title for c in fake.contacts.values() for r in c.roles}
    assert {"VP Sales", "Head of Operations"} <= titles
    fake.save(tmp_path / "fake.json")
    text = (tmp_path / "fake.json").read_text(encoding="utf-8")
    for secret in ("Ana", "Silva", "Globex", "Initech", "Oracle", "Staff to"):
        assert secret not in text
