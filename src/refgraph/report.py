"""The HTML report: the main job, one page a seller can read, with figures.

``write_report(net, out)`` writes ``out/index.html`` and PNG figures beside it. Each section is
a function of the network and its trust graph that returns HTML (and draws its figures); the
report joins them. Every name from the user's files is escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._files import atomic_write
from .analysis.chains import ReferralForest, referral_chains
from .engine.graph import TrustGraph
from .errors import RefgraphError, StorageError
from .records.coverage import signal_coverage
from .records.network import Network, as_network

__all__ = ["write_report"]


@dataclass
class Page:
    """What the sections share: the network, its graph, and where figures go."""

    net: Network
    g: TrustGraph
    folder: Path
    figures: list[str]
    as_of: dt.date | None = None

    @functools.cached_property
    def forest(self) -> ReferralForest:
        """The network's referral chains, built once for every section that shows them."""
        return referral_chains(self.net)

    def interactive(self, name: str, make: Callable[[], Any], summary: str) -> str:
        """The interactive view ``make()`` saved as ``name``.html beside the page and embedded,
        folded under ``summary``; nothing when pyvis (the ``interactive`` extra) is missing."""
        try:
            view = make()
        except RefgraphError:
            return ""
        view.save(self.folder / f"{name}.html")
        self.figures.append(f"{name}.html")
        return _folded(summary, view.iframe(f"{name}.html"))

    def figure(self, name: str, draw: Callable[[], Any], alt: str, caption: str = "") -> str:
        """Draw a figure with ``draw()`` (returning its Axes), save it as ``name``.png, and
        return the ``<figure>`` with its ``<img>`` and, when given, its caption."""
        from .plot._axes import pyplot

        ax = draw()
        fig = ax.figure

        def write(fh: IO[bytes]) -> None:
            fig.savefig(fh, format="png", dpi=110)

        atomic_write(self.folder / f"{name}.png", write)
        pyplot().close(fig)
        self.figures.append(f"{name}.png")
        text = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        return f'<figure id="figure-{name}"><img src="{name}.png" alt="{html.escape(alt)}">{text}</figure>'


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_section(page: Page) -> str:
    """Counts, dates and the trust map: a sentence first, the counts folded below."""
    s = page.net.summary()
    rows = [[k.replace("_", " "), "" if v is None else v] for k, v in s.items()]
    trust = page.g.edge_trust
    words = (f"You have {_count(s['contacts'], 'contact')} and {_count(s['relationships'], 'relationship')}, "
             f"with {_count(s['referrals'], 'referral')} recorded.")
    if len(trust):
        q = np.percentile(trust, [10, 50, 90])
        rows.append(["trust of links", f"median {q[1]:.0%}; 10% below {q[0]:.0%}, 10% above {q[2]:.0%}"])
        words += f" Half of your links are trusted {q[1]:.0%} or more."
    from . import plot

    img = page.figure("network", lambda: plot.network(page.g, top=5),
                      "the trust network, the five centres of influence named",
                      "Who trusts whom: thicker, darker lines are more trusted; you are in pink and the five "
                      "centres of influence in orange.")
    explore = page.interactive("network-interactive", page.g.show,
                               "Explore your network: zoom, hover a contact or a link, click to focus")
    return (f"<h2>Your network</h2><p>{html.escape(words)}</p>" + img + explore
            + _folded("The counts", _table(["", ""], rows)))


def _folded(summary: str, body: str) -> str:
    """Details for the analyst, folded under a one-line summary."""
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def warmest_section(page: Page, top: int = 5) -> str:
    """The owner's warmest relationships, each with its trust in a line and the model's
    reasons folded below; the scorecard of the warmest one that has a scorecard."""
    g, net = page.g, page.net
    if g.owner is None:
        return ""
    o = g.index(g.owner)
    row = slice(g.indptr[o], g.indptr[o + 1])
    order = np.argsort(-g.edge_trust[row], kind="stable")[:top]
    items = []
    warmest = [g.ids[g.indices[row][k]] for k in order.tolist()]
    for other in warmest:
        explanation = g.explain(g.owner, other)
        parts = "".join(f"<li>{html.escape(p.text)}</li>" for p in explanation.parts)
        items.append(f"<li><b>{html.escape(g.name(other))}</b>: {html.escape(explanation.summary)}"
                     + _folded("How this trust is worked out", f"<ul>{parts}</ul>") + "</li>")
    scored = [r for r in (net.relationship(str(g.owner), str(c)) for c in warmest) if r is not None and r.scorecard]
    img = ""
    if scored:
        from . import plot

        rel = scored[0]
        other = rel.target if rel.source == g.owner else rel.source
        img = page.figure("scorecard", lambda: plot.scorecard(rel, label=g.name(other)),
                          f"scorecard of the relationship with {g.name(other)}",
                          f"Your scorecard of {g.name(other)}, the warmest of these with a scorecard: liking, "
                          "reciprocity, credibility and commitment, each out of 10.")
    return (f"<h2>Warmest relationships</h2><p>The {len(items)} people who trust you most, and why.</p>"
            f"<ol>{''.join(items)}</ol>{img}")


def influence_section(page: Page, top: int = 10) -> str:
    """The centres of influence, ranked, each with its reason."""
    from .analysis.influence import centres_of_influence

    if page.g.number_of_edges() == 0:
        return ""
    centres = centres_of_influence(page.g, top=top)
    rows = [[r.name, f"{r.score:.2f}", r.reason] for r in centres]
    note = signal_coverage(page.net.relationships).note
    img = page.figure("influence", centres.plot, "centres of influence by composite score",
                      "Each bar is a contact's influence score: 1.00 is the most influential in your network.")
    return ("<h2>Centres of influence</h2><p>Contacts so well connected and trusted that they open doors "
            "for everyone: keep them close.</p>"
            + (f"<p><i>{html.escape(note)}</i></p>" if note else "")
            + _table(["contact", "score", "why"], rows) + img
            + _folded("How the score is worked out", "<p>The score averages each contact's rank by four measures: "
                      "PageRank (trusted by the trusted), betweenness (on the most trusted chains between others), "
                      "brokerage (contacts who do not know each other) and trusted reach (people within two "
                      "trusted introductions), scaled so the first is 1.00.</p>"
                      + (f"<p>{html.escape(centres.note)}</p>" if centres.note else "")))


def who_to_ask_section(page: Page, top: int = 10) -> str:
    """Clients, referred contacts, friends and family ready to be asked, with the ask."""
    from .analysis.asking import who_to_ask

    if page.g.owner is None:
        return ""
    asks = who_to_ask(page.net, top=top, as_of=page.as_of)
    note = f"<p><i>{html.escape(asks.note)}</i></p>" if asks.note else ""
    if not len(asks):
        return f"<h2>Who to ask for a referral</h2>{note}" if note else ""
    rows = [[r.name, _kinds(r.kinds), f"{r.score:.0%}", r.missing or "nothing", r.action] for r in asks]
    return ("<h2>Who to ask for a referral</h2><p>The people most ready to refer you now, the readiest first: "
            "fix what is missing, then make the ask.</p>" + note
            + _table(["contact", "who they are", "readiness", "fix first", "the ask"], rows))


def _kinds(kinds: str) -> str:
    """``centre_of_influence, friend`` as ``centre of influence, friend``."""
    return kinds.replace("_", " ")


def chains_section(page: Page, top: int = 8) -> str:
    """The referral chains: the diagram, the sources whose chains paid, the growth of the best
    chain, and the contacts who took the relationship to a new organisation."""
    from . import plot
    from .analysis.roles import role_moves

    if not page.net.referrals:
        return ""
    forest = page.forest
    sources = forest.top_sources(top)
    rows = [[r.name, r.generation, r.referrals, r.reach, f"{r.value:,.0f}"] for r in sources]
    html_ = ["<h2>Referral chains</h2>",
             f"<p>{len(forest.roots)} chains reach {len(forest)} contacts over {forest.depth} generations: who "
             "referred whom, and what it won.</p>",
             page.figure("chains", forest.plot, "the referral chains, generation by generation",
                         "Each chain starts on the left with the person who made the first referral; a link's "
                         "colour says how the referral went and a dot's size what it won."),
             page.interactive("chains-interactive", forest.show,
                              "Explore the chains: zoom, hover a contact or a referral, click to focus"),
             _table(["source", "generation", "referrals", "reach", "value downstream"], rows)]
    tree = max(forest.trees(), key=lambda t: (t.value, t.size))
    html_.append(page.figure("growth", lambda: plot.growth(tree), f"growth of the chain started by {forest.name(tree.root)}",
                             f"The chain that won most, started by {forest.name(tree.root)}: contacts per "
                             "generation, and whether each generation referred more people than it held."))
    moves = [r for r in role_moves(page.net) if r.moved_from and r.referrals]
    if moves:
        html_.append("<ul>" + "".join(f"<li>{html.escape(r.name)} {html.escape(r.note)}</li>" for r in moves) + "</ul>")
    return "".join(html_)


def attribution_section(page: Page, top: int = 10) -> str:
    """Who the value of referred deals is owed to, directly and down their chains."""
    if not page.net.referrals:
        return ""
    rows = [[r.name, f"{r.total:,.0f}", f"{r.direct:,.0f}", f"{r.indirect:,.0f}"]
            for r in page.forest.attribution("equal")[:top] if r.total > 0]
    return ("<h2>Value attribution</h2><p>Each won referral's value split equally among the referred contact's "
            "ancestors in the chain (its referrer, their referrer, up to the root).</p>"
            + _table(["contact", "total", "as referrer", "further up the chain"], rows))


def forecast_section(page: Page, k: int = 3) -> str:
    """Whom to cultivate to reach the most people, with ``p`` fitted on the seller's history.

    One set of numbers: the table, the sentence and the chart all come from the picks
    re-scored on fresh worlds, beside PageRank's top on the same worlds; an advantage within
    twice its standard error is called no advantage.
    """
    from .analysis.calibration import calibrate
    from .analysis.forecast import simulate_referrals, whom_to_cultivate

    net, g = page.net, page.g
    if g.number_of_edges() == 0 or len(g) <= k:
        return ""
    try:
        fit = calibrate(net, as_of=page.as_of)
        p, fitted = fit.p, f"fitted on your referral history: {fit}"
    except RefgraphError:
        p, fitted = 1.0, "no referral history to fit it on, so every link refers with its trust (p = 1)"
    small = len(g) <= 10_000  # beyond, reverse-reachable sets, and fewer of them: a report must not stall
    plan = whom_to_cultivate(g, top=k, p=p, seed=0, method="celf" if small else "rr", runs=None if small else 500)
    check = plan.check
    assert check is not None  # automatic runs and "rr" are always re-scored
    names = [g.name(c) for c in plan.contacts]
    reach = check.reach
    rows = [[r.rank, r.name, f"{reach[j] - (reach[j - 1] if j else 0.0):.1f}", f"{reach[j]:.1f}"]
            for j, r in enumerate(plan)]
    forecast = simulate_referrals(g, plan.contacts, runs=check.runs, p=p, seed=check.seed)
    img = page.figure("forecast", forecast.plot, "how many people referrals from the picks would reach",
                      f"How many people referrals from {_and(names)} reach across {check.runs:,} simulated "
                      "futures: the bars are how often each count came up, the line the average.")
    words = [f"Cultivate {_and(names)}: referrals they start would reach about {reach[-1]:.1f} people "
             f"(± {check.standard_error:.2f}), themselves included."]
    if plan.pagerank is not None and check.pagerank_reach is not None:
        others = _and([g.name(c) for c in plan.pagerank])
        if set(plan.pagerank) == set(plan.contacts):
            words.append(f"They are also your top {k} by PageRank (the best connected).")
        elif check.beats_pagerank:
            words.append(f"That is {check.advantage:.2f} (± {check.advantage_error:.2f}) more than your top {k} "
                         f"by PageRank, {others}, would reach ({check.pagerank_reach:.1f}).")
        else:
            words.append(f"That is no better than your top {k} by PageRank, {others}, who would reach "
                         f"{check.pagerank_reach:.1f}: the difference is within the noise.")
    if plan.tied_with is not None:
        words.append(f"{_and([g.name(c) for c in plan.tied_with])} would do as well within the noise: "
                     "the candidates are tied, so choose between them as you see fit.")
    details = (f"<details><summary>How this is worked out</summary><p>Referrals spread as independent cascades: "
               f"each link passes a referral on with chance p × trust, {html.escape(fitted)}. The picks were chosen "
               f"greedily on {plan.runs:,} simulated worlds ({plan.method}) and re-scored, with PageRank's top "
               f"{k}, on {check.runs:,} fresh ones; ± is one standard error.</p></details>")
    return ("<h2>Whom to cultivate</h2><p>" + html.escape(" ".join(words)) + "</p>"
            + _table(["pick", "contact", "adds", "reach so far"], rows) + img + details)


def _and(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def follow_ups_section(page: Page, top: int = 15) -> str:
    """Every follow-up that is due and not done, the most urgent first: overdue ones from the
    longest overdue, then the rest by due date. The first ``top`` show; the others fold below."""
    from .analysis.followups import follow_ups

    if not page.net.referrals:
        return ""
    open_ = sorted((f for f in follow_ups(page.net, as_of=page.as_of) if f.due is not None and not f.done),
                   key=lambda f: (not f.overdue, f.due, str(f.referrer), f.step))
    if not open_:
        return "<h2>Follow-ups</h2><p>Every follow-up that has fallen due is done.</p>"
    overdue = sum(f.overdue for f in open_)
    rows = [[f.due.isoformat(), "overdue" if f.overdue else "due", f.action] for f in open_ if f.due]
    header = ["due", "", "what to do"]
    text = (f"<h2>Follow-ups</h2><p>{_count(len(open_), 'follow-up')} to do, {overdue} of them overdue"
            f"{_as_of_words(page)}. The most urgent come first")
    if len(open_) <= top:
        return text + ".</p>" + _table(header, rows)
    return (text + f": {top} of {len(open_)} here, the other {len(open_) - top} folded below.</p>"
            + _table(header, rows[:top]) + f"<details><summary>The other {len(open_) - top} open follow-ups"
            "</summary>" + _table(header, rows[top:]) + "</details>")


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: ``1 referral``, ``3 referrals``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _as_of_words(page: Page) -> str:
    return f" as of {page.as_of.isoformat()}" if page.as_of else ""


def harvest_section(page: Page, top: int = 10) -> str:
    """People clients mentioned in passing, ranked, each with the ask."""
    from .analysis.leads import harvest

    leads = harvest(page.net, as_of=page.as_of)
    if not len(leads):
        return ""
    rows = [[r.name, r.organization or "", r.context or "", r.suggestion] for r in leads[:top]]
    return ("<h2>Leads mentioned in passing</h2>"
            + _table(["person", "organisation", "what was said", "the ask"], rows))


def warm_paths_section(page: Page, top: int = 6) -> str:
    """The warmest chains of introductions to the prospects the owner does not know yet, and the
    action plan for the warmest one."""
    from .analysis.paths import warm_paths_many
    from .analysis.plans import intro_plan

    g, net = page.g, page.net
    if g.owner is None:
        return ""
    prospects = [c.id for c in net.contacts.values()
                 if "prospect" in c.kinds and c.id != g.owner and not g.has_edge(g.owner, c.id)]
    found = [p for p in warm_paths_many(g, prospects).values() if p is not None]
    found.sort(key=lambda p: (-p.trust, p.hops, [str(c) for c in p.contacts]))
    if not found:
        return ""
    rows = [[p.names[-1], p.organizations[-1] or "", f"{p.trust:.0%}", p.hops, " → ".join(p.names[1:-1]),
             str(p.weakest_link)] for p in found[:top]]
    best = found[0]
    plan = intro_plan(best)
    steps = "".join(f"<li>{html.escape(step)}</li>" for step in plan.steps)
    img = page.figure("warm-path", lambda: best.plot(), f"the warmest path to {best.names[-1]}",
                      f"The warmest chain of introductions to {best.names[-1]}, with the trust of each link.")
    return (f"<h2>Warm introductions to your prospects</h2><p>{len(found)} of {len(prospects)} prospects you "
            f"do not know yet are within 4 introductions; the warmest first:</p>"
            + _table(["prospect", "organisation", "warmth", "links", "through", "weakest link"], rows)
            + img + f"<h3>Plan for {html.escape(best.names[-1])}</h3><ol>{steps}</ol>"
            f"<p><i>{html.escape(plan.ask.message)}</i></p>")


def team_section(page: Page, top: int = 8) -> str:
    """For a team (a network with several owners): who on the team is closest to each prospect
    no teammate knows yet, and to whom each teammate should turn for a referral."""
    from .analysis.asking import TeamAskRow, who_to_ask
    from .analysis.paths import warm_paths_many

    g, net = page.g, page.net
    if len(g.owners) < 2:
        return ""
    owners = set(g.owners)
    prospects = [c.id for c in net.contacts.values() if "prospect" in c.kinds and c.id not in owners
                 and not any(g.has_edge(o, c.id) for o in owners)]
    found = [p for p in warm_paths_many(g, prospects, source="team").values() if p is not None]
    found.sort(key=lambda p: (-p.trust, p.hops, [str(c) for c in p.contacts]))
    names = ", ".join(g.name(o) for o in g.owners)
    text = f"<h2>Who on the team is closest</h2><p>A team of {len(owners)}: {html.escape(names)}. "
    rows = [[p.names[-1], p.organizations[-1] or "", p.names[0], f"{p.trust:.0%}", p.hops,
             " → ".join(p.names[1:-1])] for p in found[:top]]
    if rows:
        text += ("The teammate with the warmest way to each prospect no one on the team knows yet:</p>"
                 + _table(["prospect", "organisation", "teammate", "warmth", "links", "through"], rows))
    else:
        text += "No prospect is within reach of the team yet.</p>"
    asks = who_to_ask(net, top=top, as_of=page.as_of, source="team")
    if len(asks):
        text += ("<p>Whom to ask for a referral, and which teammate should ask:</p>"
                 + _table(["contact", "teammate", "readiness", "trust"],
                          [[a.name, g.name(a.teammate), f"{a.score:.0%}", f"{a.trust:.0%}"] for a in asks
                           if isinstance(a, TeamAskRow)]))
    return text


SECTIONS: list[Callable[[Page], str]] = [
    summary_section, warmest_section, influence_section, who_to_ask_section, chains_section,
    attribution_section, forecast_section, warm_paths_section, team_section, follow_ups_section, harvest_section,
]

_STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
img{max-width:100%;display:block}figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem;margin-top:.3rem}
h2{margin-top:2.5rem;border-bottom:2px solid #0072B2}details{margin:.5rem 0;color:#444}summary{cursor:pointer}
dl.glossary{background:#f4f8fb;padding:.6rem 1rem;border-left:3px solid #0072B2}dl.glossary dd{margin:0 0 .4rem 1rem}"""

#: The words the report uses that a seller may not know, in plain terms.
GLOSSARY = (
    ("Trust", "how likely a contact is to act for you, from 0 to 100%: it starts from the kind of "
              "relationship (family, friend, client ...) and rises with repeat business, quick replies, candid "
              "conversations and your scorecard; it fades if you have not been in touch for a long time."),
    ("Warmth", "of a chain of introductions: the trust of its links multiplied together, so a 90% link and "
               "a 50% link make 45%. The warmer the chain, the likelier the introduction happens."),
    ("Readiness", "how ready a contact is to be asked for a referral now, from 0 to 100%: mostly trust, then "
                  "whom they could introduce you to, how recently you spoke, repeat business and your "
                  "scorecard."),
)


def _glossary() -> str:
    items = "".join(f"<dt><b>{html.escape(word)}</b></dt><dd>{html.escape(text)}</dd>" for word, text in GLOSSARY)
    return f'<dl class="glossary" id="glossary">{items}</dl>'


def write_report(
    net: Network, out: str | PathLike[str], *, title: str = "refgraph report", as_of: dt.date | str | None = None,
) -> Path:
    """Write ``out/index.html`` with PNG figures about ``net``; returns the page's path.

    ``as_of`` (a date or ``YYYY-MM-DD``) is the day the report is read for: trust decays and
    follow-ups fall overdue up to it. By default it is the latest date in the records.

    >>> import refgraph as rg, tempfile
    >>> page = rg.write_report(rg.sample_network(), tempfile.mkdtemp())
    >>> page.name, page.exists()
    ('index.html', True)
    """
    net = as_network(net)
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(f"{folder}: cannot create the report folder ({err.strerror or err})") from None
    day = net.resolve_as_of(as_of)
    page = Page(net, net.trust_graph(day), folder, [], day)
    body = "".join(f'<section id="{section.__name__.removesuffix("_section").replace("_", "-")}">{text}</section>'
                   for section in SECTIONS if (text := section(page)))
    as_of_line = f"<p>As of {day.isoformat()}.</p>" if day else ""
    text = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{as_of_line}{_glossary()}"
            f"{body}</body></html>\n")
    index = folder / "index.html"
    atomic_write(index, lambda fh: fh.write(text.encode("utf-8")))
    return index
