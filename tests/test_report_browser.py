"""The written report as a reader's browser shows it: headless Chromium (Debian's ``chromium``,
installed by ``.ci/run``) opens the sample's report and one of a CSV folder whose names try to
inject markup; the DOM it builds must hold every section and figure, every figure loaded and
shown at full size in the column, and every name as text, never as markup."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import refgraph as rg

from .browser import WINDOW, chromium, layout

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="headless Chromium is not installed: apt-get install -y chromium (.ci/run does)")

SECTIONS = {"summary": "Your network", "warmest": "Warmest relationships", "influence": "Centres of influence",
            "who-to-ask": "Who to ask for a referral", "chains": "Referral chains", "attribution": "Value attribution",
            "forecast": "Whom to cultivate", "warm-paths": "Warm introductions to your prospects",
            "follow-ups": "Follow-ups", "harvest": "Leads mentioned in passing"}
FIGURES = {"network.png", "scorecard.png", "influence.png", "chains.png", "growth.png", "forecast.png",
           "warm-path.png"}


class _Tags(HTMLParser):
    """Every start tag of a document, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(dom: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(dom)
    return parser.tags


def _check_page(index: Path) -> tuple[str, dict]:
    dom, seen = layout(index)
    assert seen["width"] <= WINDOW[0]  # nothing wider than the window: no sideways scrolling
    for image in seen["images"]:
        assert image["complete"] and image["natural"] > 0, f"{image['src']} did not load"
        # shown at its own size: a figure squeezed into the column would shrink its names
        assert image["shown"] == pytest.approx(image["natural"], rel=0.02), image["src"]
    assert seen["scripts"] == 0  # the report runs no script
    assert not any(tag == "script" for tag, _ in _tags(dom))
    return dom, seen


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("sample-report")
    return _check_page(rg.write_report(rg.sample_network(), folder))


def test_the_sample_report_shows_every_section_and_figure(sample_page: tuple[str, dict]) -> None:
    dom, seen = sample_page
    assert {s["id"]: s["h2"] for s in seen["sections"]} == SECTIONS
    assert {i["src"] for i in seen["images"]} == FIGURES
    assert all(s["height"] > 50 for s in seen["sections"])
    tags = _tags(dom)
    assert sum(tag == "figcaption" for tag, _ in tags) == len(FIGURES)  # every figure says what it shows
    assert any(tag == "dl" and attrs.get("id") == "glossary" for tag, attrs in tags)
    text = seen["text"]
    for word in ("Trust", "Warmth", "Readiness", "As of 2024-11-14"):
        assert word in text
    for jargon in ("centre_of_influence", "referred_contact", "1 referrals"):
        assert jargon not in text
    chain = next(i for i in seen["images"] if i["src"] == "chains.png")
    assert chain["shown"] <= 930  # laid out for the column: nothing is scaled down


def _csv_report(folder: Path, name: str, organization: str) -> Path:
    net = rg.Network(owner="me", contacts=[
        rg.Contact(id="me", name="Sam Seller"), rg.Contact(id="ana", name=name),
        rg.Contact(id="raj", name="Raj Patel", kinds="prospect", organization=organization),
        rg.Contact(id="zoe", name="Zoë Durand")],
        relationships=[rg.Relationship(source="me", target="ana", kind="client", trust=0.9),
                       rg.Relationship(source="ana", target="raj", kind="friend", trust=0.7),
                       rg.Relationship(source="me", target="zoe", kind="friend", trust=0.6)],
        referrals=[rg.Referral(referrer="ana", referred="zoe", date="2024-03-01", status="won", value=1000)])
    rg.write_csv(net, folder / "csv")
    return rg.write_report(rg.read_network(folder / "csv"), folder / "report")


def test_a_csv_folder_report_shows_names_as_text(tmp_path: Path) -> None:
    hostile, org = "<script>alert('x')</script> & <b>Bold</b>", "<i>Acme</i>"
    dom, seen = _check_page(_csv_report(tmp_path / "hostile", hostile, org))
    assert hostile in seen["text"] and org in seen["text"]  # shown as written, not run
    plain_dom, _ = _check_page(_csv_report(tmp_path / "plain", "Ana Silva", "Acme"))
    # the same elements as the report of harmless names: nothing in a name became markup
    assert [tag for tag, _ in _tags(dom)] == [tag for tag, _ in _tags(plain_dom)]
    assert {s["id"] for s in seen["sections"]} >= {"summary", "warmest", "chains", "forecast", "warm-paths"}
    assert {i["src"] for i in seen["images"]} >= {"network.png", "chains.png", "forecast.png", "warm-path.png"}


def test_the_embedded_interactive_views_draw_offline(tmp_path: Path) -> None:
    pytest.importorskip("pyvis")
    index = rg.write_report(rg.sample_network(), tmp_path)
    text = index.read_text(encoding="utf-8")
    for name in ("network-interactive.html", "chains-interactive.html"):
        assert f'<iframe src="{name}"' in text
        dom = subprocess.run([chromium() or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                              "--virtual-time-budget=10000", "--dump-dom", (tmp_path / name).as_uri()],
                             capture_output=True, text=True, timeout=120, check=True).stdout
        assert "<canvas" in dom and "vis-network" in dom  # vis-network drew, from inlined scripts only
