"""Referral chains: hand-built forests checked number by number, networkx and brute-force oracles."""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refgraph as rg
from refgraph.analysis.chains import ReferralForest, referral_chains, unique_reach
from refgraph.analysis.roles import role_moves
from refgraph.errors import DataError, RefgraphError, UnknownContactError

# A → B (won 100), A → C (lost, its value is not won), B → D (won 60), B → E (met),
# D → F (won 30); X → Y (won 10). Total won: 200.
HAND = [
    ("A", "B", "2023-01-10", "won", 100.0),
    ("A", "C", "2023-02-01", "lost", 30.0),
    ("B", "D", "2023-03-05", "won", 60.0),
    ("B", "E", "2023-04-01", "met", 0.0),
    ("D", "F", "2023-06-01", "won", 30.0),
    ("X", "Y", "2023-01-01", "won", 10.0),
]


def forest_of(rows, **kwargs) -> ReferralForest:
    src, dst, day, status, value = zip(*rows, strict=True) if rows else ((),) * 5
    return ReferralForest.from_arrays(list(src), list(dst), list(day), list(status), list(value), **kwargs)


@pytest.fixture
def hand() -> ReferralForest:
    return forest_of(HAND)


def by_contact(table) -> dict:
    return {r.contact: r for r in table}


# -- the hand-built forest ------------------------------------------------------------------------
def test_structure(hand):
    assert hand.roots == ("A", "X")
    assert [hand.generation_of(c) for c in "ABCDEFXY"] == [0, 1, 1, 2, 2, 3, 0, 1]
    assert [hand.reach(c) for c in "ABCDEFXY"] == [5, 3, 0, 1, 0, 0, 1, 0]
    assert [hand.parent_of(c) for c in "ABDFY"] == [None, "A", "B", "D", "X"]
    assert hand.value == 200.0
    assert len(hand) == 8 and "F" in hand and "Z" not in hand


def test_tree_generations_and_paths(hand):
    tree = hand.tree("A")
    assert tree.root == "A" and tree.size == 6 and tree.depth == 3
    assert tree.generations == {0: ("A",), 1: ("B", "C"), 2: ("D", "E"), 3: ("F",)}
    assert tree.path_to("F") == ("A", "B", "D", "F")
    assert tree.path_to("A") == ("A",)
    sub = hand.tree("B")  # generations count from the subtree's root
    assert sub.generations == {0: ("B",), 1: ("D", "E"), 2: ("F",)}
    assert sub.value == 90.0
    with pytest.raises(DataError, match="'Y'"):
        tree.path_to("Y")


def test_growth_number_by_number(hand):
    rows = [(g.generation, g.contacts, g.referrals_made, g.k_factor, g.referred, g.won, g.conversion, g.value)
            for g in hand.tree("A").growth()]
    assert rows == [
        (0, 1, 2, 2.0, 0, 0, None, 0.0),
        (1, 2, 2, 1.0, 2, 1, 0.5, 100.0),
        (2, 2, 1, 0.5, 2, 1, 0.5, 60.0),
        (3, 1, 0, 0.0, 1, 1, 1.0, 30.0),
    ]


def test_attribution_direct(hand):
    rows = by_contact(hand.attribution("direct"))
    assert {c: (r.total, r.direct, r.indirect) for c, r in rows.items()} == {
        "A": (100.0, 100.0, 0.0), "B": (60.0, 60.0, 0.0), "D": (30.0, 30.0, 0.0), "X": (10.0, 10.0, 0.0)}


def test_attribution_equal(hand):
    # B's 100 → A; D's 60 → B 30, A 30; F's 30 → D, B, A 10 each; Y's 10 → X.
    rows = by_contact(hand.attribution("equal"))
    expected = {"A": (140, 100, 40), "B": (40, 30, 10), "D": (10, 10, 0), "X": (10, 10, 0)}
    for c, (total, direct, indirect) in expected.items():
        assert rows[c].total == pytest.approx(total)
        assert rows[c].direct == pytest.approx(direct)
        assert rows[c].indirect == pytest.approx(indirect)
    assert [r.contact for r in hand.attribution("equal")] == ["A", "B", "D", "X"]  # by total, then id


def test_attribution_decay(hand):
    # Two ancestors, decay 1/2: shares 2/3, 1/3. Three ancestors: 4/7, 2/7, 1/7.
    rows = by_contact(hand.attribution("decay", decay=0.5))
    assert rows["A"].total == pytest.approx(100 + 60 / 3 + 30 / 7)
    assert rows["A"].direct == pytest.approx(100)
    assert rows["B"].total == pytest.approx(40 + 60 / 7)
    assert rows["B"].direct == pytest.approx(40)
    assert rows["D"].total == pytest.approx(120 / 7)
    assert rows["X"].total == pytest.approx(10)
    assert sum(r.total for r in rows.values()) == pytest.approx(200)
    same = by_contact(hand.attribution("decay", decay=1.0))  # decay 1 is the equal split
    assert {c: round(r.total, 9) for c, r in same.items()} == {
        c: round(r.total, 9) for c, r in by_contact(hand.attribution("equal")).items()}


def test_top_sources(hand):
    by_value = hand.top_sources(10, by="value")
    assert [(s.contact, s.referrals, s.reach, s.value) for s in by_value] == [
        ("A", 2, 5, 190.0), ("B", 2, 3, 90.0), ("D", 1, 1, 30.0), ("X", 1, 1, 10.0)]
    assert [s.contact for s in hand.top_sources(3, by="reach")] == ["A", "B", "D"]
    assert [s.contact for s in hand.top_sources(None)] == ["A", "B", "D", "X"]


def test_to_networkx(hand):
    G = hand.tree("B").to_networkx()
    assert sorted(G.edges) == [("B", "D"), ("B", "E"), ("D", "F")]
    assert G.edges["D", "F"]["status"] == "won" and G.edges["D", "F"]["value"] == 30.0
    assert G.edges["B", "D"]["date"] == dt.date(2023, 3, 5)
    assert sorted(hand.to_networkx().edges) == sorted((s, t) for s, t, *_ in HAND)


def test_bad_arguments(hand):
    with pytest.raises(DataError, match="policy"):
        hand.attribution("shapley")
    with pytest.raises(DataError, match="decay"):
        hand.attribution("decay", decay=1.5)
    with pytest.raises(DataError, match="by"):
        hand.top_sources(by="size")
    with pytest.raises(UnknownContactError, match="'nobody'"):
        hand.reach("nobody")
    with pytest.raises(DataError, match="top"):
        unique_reach(hand, top=-1)


# -- conflicts and bad input ------------------------------------------------------------------------
def test_double_referral_keeps_the_earliest():
    f = forest_of([("A", "C", "2024-03-01", "won", 5.0), ("B", "C", "2024-01-01", "met", 0.0),
                   ("D", "C", "2024-06-01", "won", 9.0)])
    assert f.parent_of("C") == "B"
    assert f.value == 0.0  # the kept referral (met) decides the value
    assert [(c.contact, c.referrer, c.date, c.kept_referrer, c.kept_date) for c in f.conflicts] == [
        ("C", "A", dt.date(2024, 3, 1), "B", dt.date(2024, 1, 1)),
        ("C", "D", dt.date(2024, 6, 1), "B", dt.date(2024, 1, 1)),
    ]


def test_double_referral_same_day_ties_by_id():
    f = forest_of([("zed", "C", "2024-01-01", "won", 1.0), ("amy", "C", "2024-01-01", "won", 2.0)])
    assert f.parent_of("C") == "amy"
    assert [c.referrer for c in f.conflicts] == ["zed"]
    assert f.value == 2.0


def test_cycle_names_its_contacts():
    rows = [("a", "b", "2024-01-01", "met", 0), ("b", "c", "2024-01-02", "met", 0),
            ("c", "a", "2024-01-03", "met", 0), ("c", "d", "2024-01-04", "won", 1)]
    with pytest.raises(RefgraphError, match="cycle: a → b → c → a"):
        forest_of(rows)


def test_cycle_reached_from_a_tail():
    # x hangs below the cycle p → q → p; the error names the cycle, not the tail.
    rows = [("p", "q", "2024-01-01", "met", 0), ("q", "p", "2024-01-02", "met", 0), ("q", "x", "2024-01-03", "met", 0)]
    with pytest.raises(DataError, match=r"cycle: p → q → p") as err:
        forest_of(rows)
    assert err.value.contact == "p"


def test_self_referral():
    with pytest.raises(RefgraphError, match=r"referrals\[1\].*contact 'ana'.*refer themselves"):
        forest_of([("ben", "raj", "2024-01-01", "met", 0), ("ana", "ana", "2024-01-01", "met", 0)])
    with pytest.raises(DataError, match="refer themselves"):
        rg.Referral(referrer="ana", referred="ana", date="2024-01-01", status="met")


def test_unknown_contact():
    with pytest.raises(UnknownContactError, match="'zoe'.*referred of referral 1"):
        forest_of([("ana", "ben", "2024-01-01", "met", 0), ("ana", "zoe", "2024-01-01", "met", 0)],
                  contacts=["ana", "ben"])
    net = rg.Network(contacts=[rg.Contact(id="ana", name="Ana")])
    with pytest.raises(UnknownContactError, match="'zoe'"):
        net.add(rg.Referral(referrer="ana", referred="zoe", date="2024-01-01", status="met"))


@pytest.mark.parametrize(("row", "match"), [
    (("ana", "raj", "2024-01-01", "pending", 0), r"referrals\[1\]\.status.*'pending'"),
    (("ana", "raj", "2024-01-01", "won", -5), r"referrals\[1\]\.value.*-5"),
    (("ana", "raj", "2024-01-01", "won", float("nan")), r"referrals\[1\]\.value"),
    (("ana", "raj", "2024-01-01", "won", "lots"), r"referrals\[1\]\.value.*'lots'"),
    (("ana", "raj", "next week", "won", 1), r"referrals\[1\]\.date.*'next week'"),
])
def test_bad_rows_are_named(row, match):
    with pytest.raises(DataError, match=match):
        forest_of([("ana", "ben", "2024-01-01", "met", 0), row])


def test_lengths_must_agree():
    with pytest.raises(DataError, match="differ in length"):
        ReferralForest.from_arrays(["a"], ["b"], ["2024-01-01"], ["met", "won"], [0])


def test_long_chain_needs_no_recursion():
    n = 100_000
    ids = np.arange(n)
    f = ReferralForest.from_arrays(ids[:-1], ids[1:], np.full(n - 1, np.datetime64("2024-01-01")),
                                   np.full(n - 1, "won"), np.ones(n - 1))
    assert f.generation_of(n - 1) == n - 1 and f.reach(0) == n - 1 and f.reach(n - 2) == 1
    tree = f.tree(0)
    assert tree.size == n and tree.depth == n - 1
    assert tree.path_to(n - 1) == tuple(range(n))
    for policy in ("direct", "equal", "decay"):
        assert sum(r.total for r in f.attribution(policy)) == pytest.approx(n - 1)
    equal = by_contact(f.attribution("equal"))
    # the deal of contact k (k ancestors) gives 1/k to each; contact 0 gets the harmonic sum
    assert equal[0].total == pytest.approx(sum(1 / k for k in range(1, n)))


def test_contact_in_no_referral(sample):
    f = referral_chains(sample)
    assert f.reach("me") == 0 and f.generation_of("me") == 0 and f.parent_of("me") is None
    tree = f.tree("me")
    assert tree.size == 1 and tree.generations == {0: ("me",)} and tree.path_to("me") == ("me",)
    assert [(g.contacts, g.k_factor) for g in tree.growth()] == [(1, 0.0)]
    assert list(tree.to_networkx()) == ["me"]
    with pytest.raises(UnknownContactError):
        f.reach("not-a-contact")


# -- properties on random forests ----------------------------------------------------------------------
@st.composite
def random_forests(draw):
    """Parent of node k is an earlier node or nobody; labels shuffled so order means nothing."""
    n = draw(st.integers(2, 40))
    parents = [draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None for k in range(n)]
    labels = draw(st.permutations([f"c{k:02d}" for k in range(n)]))
    statuses = ("asked", "introduced", "met", "won", "lost")
    rows = []
    for k, p in enumerate(parents):
        if p is not None:
            rows.append((labels[p], labels[k], f"2024-01-{draw(st.integers(1, 28)):02d}",
                         draw(st.sampled_from(statuses)), float(draw(st.integers(0, 1000)))))
    if not rows:
        rows.append((labels[0], labels[1], "2024-01-01", "won", 1.0))
    return rows


def brute_credit(rows, policy, decay):
    parent = {t: s for s, t, *_ in rows}
    credit: dict[str, float] = {}
    for _, t, _, status, value in rows:
        if status != "won":
            continue
        ancestors, c = [], t
        while c in parent:
            c = parent[c]
            ancestors.append(c)
        if policy == "direct":
            weights = [1.0] + [0.0] * (len(ancestors) - 1)
        elif policy == "equal":
            weights = [1.0] * len(ancestors)
        else:
            weights = [decay ** k for k in range(len(ancestors))]
        for a, w in zip(ancestors, weights, strict=True):
            credit[a] = credit.get(a, 0.0) + value * w / sum(weights)
    return credit


@given(random_forests(), st.sampled_from(["direct", "equal", "decay"]), st.floats(0.05, 1.0))
def test_attribution_matches_brute_force_and_conserves(rows, policy, decay):
    f = forest_of(rows)
    table = f.attribution(policy, decay)
    won = sum(v for *_, status, v in rows if status == "won")
    assert sum(r.total for r in table) == pytest.approx(won)
    expected = brute_credit(rows, policy, decay)
    for r in table:
        assert r.total == pytest.approx(expected.get(r.contact, 0.0), abs=1e-9)
        assert r.direct + r.indirect == pytest.approx(r.total)


@given(random_forests())
def test_generations_and_reach_against_networkx(rows):
    f = forest_of(rows)
    G = nx.DiGraph((s, t) for s, t, *_ in rows)
    for s, t in G.edges:
        assert f.generation_of(t) == f.generation_of(s) + 1
        assert f.parent_of(t) == s
    for c in G:
        assert f.reach(c) == len(nx.descendants(G, c))
        assert f.tree(c).size == len(nx.descendants(G, c)) + 1
        assert f.generation_of(c) == len(nx.ancestors(G, c))
    assert set(f.roots) == {c for c in G if G.in_degree(c) == 0}


@given(random_forests(), st.integers(0, 6))
def test_unique_reach_is_the_greedy_cover(rows, k):
    f = forest_of(rows)
    G = nx.DiGraph((s, t) for s, t, *_ in rows)
    sources = sorted(c for c in G if G.out_degree(c))
    covered: set[str] = set()
    expected = []
    for _ in range(k):
        gains = {s: len(nx.descendants(G, s) - covered) for s in sources}
        best = max(gains.values(), default=0)
        if best == 0:
            break
        pick = min(s for s, g in gains.items() if g == best)
        expected.append((pick, best))
        covered |= nx.descendants(G, pick)
    assert [(r.contact, r.gain) for r in unique_reach(f, top=k)] == expected


# -- the sample network ------------------------------------------------------------------------------
def test_sample_four_generations(sample):
    f = referral_chains(sample)
    chain = f.tree("marco.rossi")
    assert sorted(chain.generations) == [0, 1, 2, 3, 4]
    assert chain.path_to("maya.weber") == ("marco.rossi", "hiro.demir", "ivy.adeyemi", "katya.laurent", "maya.weber")
    assert [(c.contact, c.referrer, c.kept_referrer) for c in f.conflicts] == [
        ("jamal.fischer", "priya.sharma", "hiro.demir")]
    # marco's chain won: hiro 24,000, ivy 18,000, katya 31,000, maya 12,500
    assert chain.value == 85_500
    assert math.isclose(f.value, sum(r.value for r in sample.referrals if r.status == "won"))


def test_sample_role_move(sample):
    moves = [(r.contact, r.organization, r.referred, r.note) for r in role_moves(sample)]
    assert moves == [
        ("orla.bianchi", "Globex", {"pedro.chen", "rhea.larsen"}, "referred 2 people from Globex"),
        ("orla.bianchi", "Initech", {"sami.popescu", "tess.vega", "ugo.khalil"},
         "moved from Globex to Initech and referred 3 people there"),
    ]
    assert [r.moved_from for r in role_moves(sample)] == [None, "Globex"]
    assert referral_chains(sample).moves == {"orla.bianchi": ("Globex", "Initech")}


def test_role_move_relationships_counted_per_organisation():
    net = rg.Network(contacts=[
        rg.Contact(id="ana", name="Ana", roles=[{"organization": "Globex", "start": "2020-01-01", "end": "2022-12-31"},
                                               {"organization": "Initech", "start": "2023-01-01"}]),
        rg.Contact(id="g1", name="G1", organization="Globex"),
        rg.Contact(id="i1", name="I1", organization="Initech"),
        rg.Contact(id="i2", name="I2", organization="Initech"),
        rg.Contact(id="o", name="O", organization="Other"),
    ], relationships=[rg.Relationship(source="ana", target=t, kind="colleague") for t in ("g1", "i1", "i2", "o")],
        referrals=[rg.Referral(referrer="ana", referred="o", date="2023-05-01", status="won", value=5)])
    rows = [(r.organization, r.relationships, r.referrals) for r in role_moves(net)]
    assert rows == [("Globex", 1, 0), ("Initech", 2, 1)]


def test_reprs(sample):
    f = referral_chains(sample)
    tree = f.tree("orla.bianchi")
    assert repr(tree).startswith("<ReferralTree root='orla.bianchi': 7 contacts, 2 generations")
    assert "Orla Bianchi" in tree._repr_html_()
    weird = forest_of([("<b>", "x", "2024-01-01", "won", 1)], names={"<b>": "<script>"})
    assert "<script>" not in weird.tree("<b>")._repr_html_()


# -- drawings ----------------------------------------------------------------------------------------
def layer(ax, gid: str):
    return next(c for c in ax.collections if c.get_gid() == gid)


def drawn_points(ax) -> int:
    """Contacts drawn: the points of the node layer."""
    return len(layer(ax, "contacts").get_offsets())


def test_plot_tree_draws_every_node_on_the_given_axes(sample):
    import matplotlib.pyplot as plt

    from refgraph.plot.chains import growth, referral_chain

    tree = referral_chains(sample).tree("marco.rossi")
    fig, ax = plt.subplots()
    assert referral_chain(tree, ax) is ax
    assert drawn_points(ax) == tree.size == 8
    assert len(layer(ax, "referrals").get_segments()) == tree.size - 1
    assert ax.get_title(loc="left").startswith("Referral chain of Marco Rossi: 8 contacts, 4 generations")
    assert tree.plot(ax) is ax
    fig2, ax2 = plt.subplots()
    assert growth(tree, ax2) is ax2
    assert [int(b.get_height()) for b in ax2.patches] == [1, 1, 2, 3, 1]
    plt.close("all")


def test_plot_forest_marks_the_role_move(sample):
    import matplotlib.pyplot as plt

    from refgraph.plot.chains import referral_chain

    f = referral_chains(sample)
    ax = referral_chain(f)
    assert drawn_points(ax) == len(f) == 35
    assert f.plot(ax) is ax
    assert len(layer(ax, "role moves").get_offsets()) == 1  # one ring: Orla changed organisation
    assert any("moved Globex → Initech" in t.get_text() for t in ax.texts)
    plt.close("all")


def test_plot_single_node_and_200_contacts():
    import matplotlib.pyplot as plt

    from refgraph.plot.chains import referral_chain

    single = forest_of([("a", "b", "2024-01-01", "won", 1)], contacts=["a", "b", "lone"])
    assert drawn_points(referral_chain(single.tree("lone"))) == 1
    n = 200
    rng = np.random.default_rng(0)
    names = [f"Contact {k} Maria Gonzalez-Fernandez de la Vega" for k in range(n)]
    rows = [(names[int(rng.integers(0, k))], names[k], "2024-01-01", "won", float(k)) for k in range(1, n)]
    big = forest_of(rows, names={c: c for c in names})
    ax = referral_chain(big.tree(names[0]))
    assert drawn_points(ax) == n
    assert 0 < len(ax.texts) < n  # labels only where they help
    assert {t.get_text() for t in ax.texts} <= set(names)  # full names by default
    ax = referral_chain(big.tree(names[0]), name_width=16)
    assert all(len(t.get_text()) <= 16 for t in ax.texts)  # shortened on request
    plt.close("all")


def test_chain_diagram_fits_a_report_column_with_names_clear_of_links(sample):
    import matplotlib.pyplot as plt

    from refgraph.plot.chains import referral_chain

    ax = referral_chain(referral_chains(sample))
    fig = ax.figure
    assert fig.get_size_inches()[0] * 110 <= 930  # the report's column at 110 dpi
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert {t.get_text() for t in ax.texts} >= {"Orla Bianchi", "Katya Laurent", "moved Globex → Initech"}
    for layer_name in ("referrals", "trunks"):  # no link passes through a name
        for path in layer(ax, layer_name).get_paths():
            points = ax.transData.transform(path.vertices)
            for a, b in zip(points[:-1], points[1:], strict=False):
                line = np.linspace(a, b, 50)
                for box in boxes:
                    inside = ((line[:, 0] > box.x0 + 1) & (line[:, 0] < box.x1 - 1)
                              & (line[:, 1] > box.y0 + 1) & (line[:, 1] < box.y1 - 1))
                    assert not inside.any()
    sizes = [h.get_label() for h in ax.get_legend().legend_handles]
    assert "won 40,000" in sizes and "won 4,000" in sizes  # the size key
    plt.close("all")
