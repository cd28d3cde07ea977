"""Intro plans: the ask of the first introducer and the seed's three follow-ups, with due dates."""

from __future__ import annotations

import datetime as dt

import pytest

import refgraph as rg

NAMES = {"sam": "Sam Seller", "ana": "Ana Silva", "ben": "Ben Okafor", "raj": "Raj Patel"}


def _graph(as_of: dt.date | None = None) -> rg.TrustGraph:
    return rg.TrustGraph.from_edges(
        ["sam", "ana", "ben"], ["ana", "ben", "raj"], [0.9, 0.8, 0.7], directed=False,
        owner="sam", names=NAMES, as_of=as_of,
    )


def test_three_link_plan_asks_the_first_introducer_for_the_next_person() -> None:
    path = rg.warm_paths(_graph(), "raj")[0]
    plan = rg.intro_plan(path, as_of=dt.date(2026, 3, 31), reason="about their expansion")
    assert (plan.ask.contact, plan.ask.introduce_to) == ("ana", "ben")
    assert "Ask Ana Silva to introduce you to Ben Okafor" in plan.ask.action
    assert "let you know once it is done" in plan.ask.action
    assert plan.ask.message.startswith("Hi Ana, I would love to meet Raj Patel about their expansion")
    assert [f.step for f in plan.follow_ups] == ["thanks", "status_report", "thanks_after_sale"]
    assert [f.due for f in plan.follow_ups] == [dt.date(2026, 4, 1), None, None]
    # every follow-up thanks Ana for the introduction she makes (to Ben), not for one to Raj
    assert plan.follow_ups[0].action == "Thank Ana Silva for agreeing to introduce you to Ben Okafor."
    assert all("Ana Silva" in f.action and "Ben Okafor" in f.action and "Raj" not in f.action
               for f in plan.follow_ups)


def test_two_link_plan_and_due_date_from_the_graph() -> None:
    path = rg.warm_paths(_graph(as_of=dt.date(2025, 12, 31)), "ben")[0]
    plan = rg.intro_plan(path)
    assert (plan.ask.contact, plan.ask.introduce_to) == ("ana", "ben")
    assert plan.follow_ups[0].due == dt.date(2026, 1, 1)
    assert "Ben" in plan.ask.message and "introduce us" in plan.ask.message
    lines = plan.explain().splitlines()
    assert len(lines) == 5 and lines[2].endswith("(due 2026-01-01)")
    assert "Raj" not in plan._repr_html_()


def test_without_any_date_nothing_is_dated() -> None:
    plan = rg.intro_plan(rg.warm_paths(_graph(), "ben")[0])
    assert [f.due for f in plan.follow_ups] == [None, None, None]
    assert "(within a day of the ask)" in plan.explain()


def test_the_sample_plan_names_the_target_organisation() -> None:
    g = rg.sample_network().trust_graph()
    paths = rg.warm_paths_to_organization(g, "Copperleaf Insurance", top=5)
    path = next(p for p in paths if p.introducer is not None)
    plan = rg.intro_plan(path, as_of="2024-11-20")
    assert "Copperleaf Insurance" in plan.ask.message
    assert plan.follow_ups[0].due == dt.date(2024, 11, 21)


def test_html_escapes_names() -> None:
    g = rg.TrustGraph.from_edges(["sam", "x"], ["x", "t"], [0.5, 0.5], owner="sam",
                                 names={"x": "<b>X</b>", "t": "T"})
    html = rg.intro_plan(rg.warm_paths(g, "t")[0])._repr_html_()
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "(IntroPath 25% over 2 links: sam → &lt;b&gt;X&lt;/b&gt; → T)" in html


@pytest.mark.parametrize(("target", "as_of", "words"), [
    ("ana", None, "knows Ana Silva directly"),
    ("ben", "31/03/2026", "expected a date as YYYY-MM-DD"),
])
def test_bad_plans_fail_clearly(target: str, as_of: str | None, words: str) -> None:
    path = rg.warm_paths(_graph(), target)[0]
    with pytest.raises(rg.RefgraphError, match=words):
        rg.intro_plan(path, as_of=as_of)
