"""Interactive views: every contact and link of the graph, chain or path as vis-network data,
the reasons on hover, names as data (never markup), nothing fetched from the network."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import refgraph as rg

pytest.importorskip("pyvis")


def _data(view: rg.interactive.InteractiveView) -> tuple[list[dict], list[dict]]:
    """The nodes and edges the page hands to vis-network."""
    found = [json.loads(m) for m in re.findall(r"new vis\.DataSet\((\[.*?\])\);", view.html)]
    return found[0], found[1]


def test_the_trust_graph_view_holds_every_contact_and_relationship_with_its_reason(sample: rg.Network) -> None:
    g = sample.trust_graph()
    view = sample.show()
    nodes, edges = _data(view)
    assert {n["id"] for n in nodes} == {str(c) for c in g}
    assert len(edges) == g.number_of_edges()
    erik = next(e for e in edges if {e["from"], e["to"]} == {"me", "erik.haddad"})
    assert g.explain("me", "erik.haddad").summary in erik["title"]  # hover: the trust and its reason
    wen = next(n for n in nodes if n["id"] == "wen.zhang")
    assert wen["title"].splitlines()[:2] == ["Wen Zhang", g.attributes("wen.zhang")["organization"]]


def test_chain_and_path_views_follow_their_objects(sample: rg.Network) -> None:
    forest = rg.referral_chains(sample)
    nodes, edges = _data(forest.show())
    G = forest.to_networkx()
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert {(e["from"], e["to"]) for e in edges} == {(str(u), str(v)) for u, v in G.edges}
    assert {n["level"] for n in nodes} == set(range(forest.depth + 1))  # generations left to right
    path = rg.warm_paths(sample.trust_graph(), "theo.brooks")[0]
    nodes, edges = _data(path.show())
    assert [n["label"] for n in nodes] == list(path.names)
    assert [e["title"].endswith(f"{t:.0%}") for e, t in zip(edges, path.link_trust, strict=True)] == [True] * path.hops


def test_views_work_offline_and_keep_names_as_data(tmp_path) -> None:
    hostile = "</script><script>alert('x')</script> href"
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"), rg.Contact(id="x", name=hostile)],
                     relationships=[rg.Relationship(source="me", target="x", kind="friend", trust=0.8)])
    view = net.show()
    assert not re.search(r'(?:src|href)="https?://', view.html)  # every script and style inlined
    assert "<script>alert" not in view.html
    nodes, _ = _data(view)
    assert any(n["label"].startswith("</script><script>alert('x')</script> hre") for n in nodes)
    view.save(tmp_path / "view.html")
    assert (tmp_path / "view.html").read_text(encoding="utf-8") == view.html
    assert view._repr_html_().startswith("<iframe srcdoc=") and "sandbox=" in view._repr_html_()


def test_without_pyvis_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, sample) -> None:
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    with pytest.raises(rg.RefgraphError, match=r"refgraph\[interactive\]"):
        sample.show()
    page = rg.write_report(sample, __import__("tempfile").mkdtemp()).read_text(encoding="utf-8")
    assert "<iframe" not in page and '<img src="network.png"' in page  # the static figures stay


def test_importing_refgraph_does_not_import_pyvis() -> None:
    code = "import sys, refgraph; print('pyvis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
