"""Who to ask for a referral: the seed's readiness, what is missing first, and the ask.

The seeds say to ask current clients, referred contacts (who carry a residue of the trust of
whoever referred them) and friends and family, once trust is earned, and to ask for an action:
an introduction to a named person, not a name. :func:`who_to_ask` scores those contacts by
trust, recency, repeat business, scorecard and how many new people they can reach, says what to
mend first ("thank them for the last referral first") and whom to ask them to introduce.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import count
from ..engine import _centrality as engine
from ..engine.graph import TrustGraph
from ..errors import DataError, no_owner
from ..records.coverage import signal_coverage
from ..records.network import Network, as_network
from ..results import Ranking

__all__ = ["ELIGIBLE_KINDS", "AskRow", "TeamAskRow", "WhoToAsk", "who_to_ask"]

#: Contact kinds that may be asked for a referral (the seeds: clients, referred contacts,
#: friends and family).
ELIGIBLE_KINDS = frozenset({"client", "referred_contact", "friend", "family"})
#: Weights of the readiness score; each part is in [0, 1].
READINESS_WEIGHTS: Mapping[str, float] = {
    "trust": 0.35, "recency": 0.15, "repeat_business": 0.15, "scorecard": 0.15, "reach": 0.20,
}
#: Share of the seller's trust in a referrer that a contact they referred carries.
REFERRAL_RESIDUE = 0.5
RECENCY_HALF_LIFE_DAYS = 180
QUIET_DAYS = 90
_CANDID = frozenset({"meeting", "call"})


@dataclass(frozen=True)
class AskRow:
    """One contact to ask: the readiness ``score`` and its parts, what is ``missing`` first and
    the ``action`` (the introduction to ask for)."""

    contact: str
    name: str
    kinds: str
    score: float
    trust: float
    days_since_contact: int | None
    repeat_business: int
    scorecard: float | None
    new_contacts: int
    missing: str
    action: str


@dataclass(frozen=True)
class TeamAskRow(AskRow):
    """One contact to ask, for a team: the :class:`AskRow` and the ``teammate`` who should ask
    (the one the contact trusts most)."""

    teammate: str


class WhoToAsk(Ranking[AskRow]):
    """The answer of :func:`who_to_ask`: one :class:`AskRow` per contact, readiest first;
    :meth:`plot` draws the readiness scores."""

    title = "Who to ask for a referral"
    label = "readiness"


@dataclass(frozen=True)
class _History:
    """What the records say about each contact: dates of contact and of candid talks, thanks,
    the last referral they made and who referred them."""

    last_contact: dict[str, dt.date]
    last_candid: dict[str, dt.date]
    thanked: dict[str, dt.date]
    last_referral: dict[str, Any]
    referrers: dict[str, set[str]]

    @classmethod
    def of(cls, net: Network) -> _History:
        last_contact: dict[str, dt.date] = {}
        last_candid: dict[str, dt.date] = {}
        thanked: dict[str, dt.date] = {}
        for i in net.interactions:
            _latest(last_contact, i.contact, i.date)
            if i.kind in _CANDID:
                _latest(last_candid, i.contact, i.date)
            if i.kind == "thanks":
                _latest(thanked, i.contact, i.date)
        last_referral: dict[str, Any] = {}
        referrers: dict[str, set[str]] = {}
        for r in sorted(net.referrals, key=lambda r: (r.date, r.referred)):
            last_referral[r.referrer] = r
            referrers.setdefault(r.referred, set()).add(r.referrer)
        return cls(last_contact, last_candid, thanked, last_referral, referrers)


def _latest(dates: dict[str, dt.date], key: str, day: dt.date) -> None:
    if key not in dates or dates[key] < day:
        dates[key] = day


def _new_contacts(g: TrustGraph, rows: np.ndarray, owners: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each of ``rows``: how many contacts it reaches within two introductions that no
    owner has a relationship with, and the most trusted of those it knows directly (index and
    trust, ties by id; -1 and 0 when none)."""
    n = len(g)
    known = np.zeros(n, dtype=bool)
    for owner in (g.index(o) for o in owners):
        known[owner] = True
        known[g.indices[g.indptr[owner] : g.indptr[owner + 1]]] = True
    matrix = g.trust_matrix()
    keys = engine.hop_limited_best(matrix, rows, 2)[0]
    count = np.bincount((keys // n)[~known[keys % n]], minlength=len(rows))
    keys, best = engine.hop_limited_best(matrix, rows, 1)
    row, target = keys // n, keys % n
    new = ~known[target]
    row, target, best = row[new], target[new], best[new]
    order = np.lexsort((target, -best, row))  # per row: most trusted first, then by id
    first = np.ones(len(order), dtype=bool)
    first[1:] = row[order][1:] != row[order][:-1]
    chosen = order[first]
    top_target = np.full(len(rows), -1)
    top_trust = np.zeros(len(rows))
    top_target[row[chosen]] = target[chosen]
    top_trust[row[chosen]] = best[chosen]
    return count, top_target, top_trust


def who_to_ask(net: Network, *, top: int = 15, as_of: dt.date | str | None = None,
               source: str | None = None) -> WhoToAsk:
    """The seed's readiness for a referral: whom to ask, what to fix first, what to ask for.

    Only the owner's clients, referred contacts, friends and family who have a relationship
    with the owner are candidates (never prospects, never strangers). A referred contact carries
    :data:`REFERRAL_RESIDUE` of the owner's trust in whoever referred them. The ``score`` is
    the weighted sum (:data:`READINESS_WEIGHTS`) of five parts in [0, 1]: trust; recency,
    ``2**(-days / 180)`` since the last interaction (0 when unknown); repeat business,
    ``1 - 2**(-deals / 2)``; the scorecard mean / 10 (0.5 when there is none); and reach,
    ``log(1 + new) / log(1 + most new)`` where ``new`` counts the contacts they know within two
    introductions whom the owner does not. ``missing`` lists what to fix first ("thank them for
    the last referral first", "no candid conversation in 120 days" ...); ``action`` names the
    introduction to ask for: the most trusted new contact they can reach.

    ``as_of`` defaults to the latest date in the records (never the clock). The answer's
    ``note`` says when the owner's relationships carry too few signals to rank on (see
    :func:`~refgraph.records.coverage.signal_coverage`) and why no one is listed.

    ``source="team"`` asks for a team (``net.owners``): every owner's contacts are candidates,
    each asked by the teammate they trust most (the ``teammate`` column: who on the team is
    closest), and reach counts the contacts no teammate knows.

    Examples
    --------
    >>> import refgraph as rg
    >>> from refgraph.analysis.asking import who_to_ask
    >>> net = rg.Network(owner="sam", contacts=[
    ...     rg.Contact(id="sam", name="Sam"), rg.Contact(id="ana", name="Ana", kinds="client"),
    ...     rg.Contact(id="raj", name="Raj"), rg.Contact(id="zoe", name="Zoe", kinds="prospect")],
    ...     relationships=[
    ...     rg.Relationship(source="sam", target="ana", kind="client", repeat_business=2,
    ...                     candid_conversations=1, last_interaction="2024-05-01"),
    ...     rg.Relationship(source="ana", target="raj", kind="friend", trust=0.9),
    ...     rg.Relationship(source="sam", target="zoe", kind="prospect")])
    >>> ask = who_to_ask(net)
    >>> [r.contact for r in ask]
    ['ana']
    >>> print(ask[0].missing)
    no scorecard yet
    >>> print(ask[0].action)
    Ask Ana to introduce you to Raj (trusts them 90%): a meeting or a three-way e-mail, not just a name.
    >>> net.owners = ["sam", "raj"]
    >>> [(r.contact, r.teammate) for r in who_to_ask(net, source="team")]
    [('ana', 'raj')]
    """
    net = as_network(net)
    top = count(top, "top")
    if source not in (None, "team"):
        raise DataError("source is None (the owner) or 'team' (every owner)", field="source", value=source)
    g = net.trust_graph(as_of)
    if net.owner is None:
        raise no_owner("who_to_ask")
    owners = list(net.owners) if source == "team" else [net.owner]
    history = _History.of(net)
    ids = g.ids.tolist()
    closest = {c: min(owners, key=lambda o: (-g.trust(o, c) if g.has_edge(o, c) else 1.0, o)) for c in ids}
    candidates = [c for c in ids if c not in owners and g.has_edge(closest[c], c)
                  and {str(k) for k in net.contacts[c].kinds} & ELIGIBLE_KINDS]
    rows_index = np.array([g.index(c) for c in candidates], dtype=np.int64)
    new, target, target_trust = _new_contacts(g, rows_index, owners) if candidates else ((), (), ())
    most_new = max(new, default=0)
    rows = []
    for k, c in enumerate(candidates):
        owner = closest[c]
        rel = net.relationship(owner, c)
        contact = net.contacts[c]
        trust = max([g.trust(owner, c), *(REFERRAL_RESIDUE * g.trust(owner, r)
                                          for r in history.referrers.get(c, ()) if r in g)])
        last = max([d for d in (rel.last_interaction if rel else None, history.last_contact.get(c)) if d],
                   default=None)
        days = (g.as_of - last).days if last and g.as_of else None
        card = rel.scorecard if rel else None
        deals = rel.repeat_business if rel else 0
        parts = {
            "trust": trust,
            "recency": 0.0 if days is None else 2.0 ** (-days / RECENCY_HALF_LIFE_DAYS),
            "repeat_business": 1 - 2.0 ** (-deals / 2),
            "scorecard": 0.5 if card is None else card.mean / 10,
            "reach": math.log1p(new[k]) / math.log1p(most_new) if most_new else 0.0,
        }
        score = sum(READINESS_WEIGHTS[p] * v for p, v in parts.items())
        missing = _missing(net, g, c, rel, history, trust, int(new[k]))
        action = _action(g, contact.name, missing, int(target[k]), float(target_trust[k]))
        fields = (c, contact.name, ", ".join(sorted(str(x) for x in contact.kinds)), score, trust,
                  days, deals, None if card is None else card.mean, int(new[k]), "; ".join(missing) or "nothing", action)
        rows.append(TeamAskRow(*fields, owner) if source == "team" else AskRow(*fields))
    rows.sort(key=lambda r: (-r.score, r.contact))
    notes = [signal_coverage(r for r in net.relationships if r.source in owners or r.target in owners).note]
    if not rows:
        notes.append(f"no contact tied to you is one of {', '.join(sorted(ELIGIBLE_KINDS))}: "
                     "mark who your clients, friends and family are (contact kinds)")
    return WhoToAsk(rows[:top], note="; ".join(n for n in notes if n))


def _missing(net: Network, g: TrustGraph, c: str, rel: Any, history: _History, trust: float, new: int) -> list[str]:
    found = []
    referral = history.last_referral.get(c)
    if referral is not None and history.thanked.get(c, dt.date.min) < referral.date:
        found.append(f"thank them for the last referral first ({g.name(referral.referred)}, {referral.date})")
    candid = max([d for d in (history.last_candid.get(c),) if d], default=None)
    if (rel is None or rel.candid_conversations == 0) and candid is None:
        found.append("no candid conversation yet")
    elif candid is not None and g.as_of is not None and (g.as_of - candid).days >= QUIET_DAYS:
        found.append(f"no candid conversation in {(g.as_of - candid).days} days")
    if trust < 0.5:
        found.append(f"trust still {trust:.0%}: earn more before asking")
    card = rel.scorecard if rel else None
    if card is None:
        found.append("no scorecard yet")
    else:
        weakest = min(card.FIELDS, key=lambda f: getattr(card, f))
        if getattr(card, weakest) < 6:
            found.append(f"scorecard {weakest} only {getattr(card, weakest)}/10")
    if "client" in {str(k) for k in net.contacts[c].kinds} and (rel is None or rel.repeat_business == 0):
        found.append("no repeat business yet")
    if new == 0:
        found.append("knows no one you do not know already")
    return found


def _action(g: TrustGraph, name: str, missing: list[str], target: int, trust: float) -> str:
    if target < 0:
        ask = f"Ask {name} which of their contacts they would introduce you to: an introduction, not just a name."
    else:
        who = g.ids[target:target + 1].tolist()[0]
        org = g.attributes(who).get("organization")
        at = f" at {org}" if org else ""
        ask = (f"Ask {name} to introduce you to {g.name(who)}{at} (trusts them {trust:.0%}): "
               "a meeting or a three-way e-mail, not just a name.")
    first = [m for m in missing if m.startswith("thank them")]
    if first:
        return f"Thank {name} for the last referral first; then: {ask[0].lower()}{ask[1:]}"
    return ask
