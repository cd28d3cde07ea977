"""The seed's three follow-ups after a referral, defined once for plans and for the ledger.

A referral is an action, and the seller follows it up three times: thanks to the referral source
within a day of the ask, a thank-you with a status report once the new contact has been reached,
and thanks again after a sale. Each :class:`FollowUpRule` says what triggers it, how many days
the seller has once it is triggered, and what to do, in words.

Examples
--------
>>> import datetime as dt
>>> from refgraph.analysis.followups import FOLLOW_UP_RULES
>>> [rule.step for rule in FOLLOW_UP_RULES]
['thanks', 'status_report', 'thanks_after_sale']
>>> thanks = FOLLOW_UP_RULES[0]
>>> thanks.due(dt.date(2026, 3, 2))
datetime.date(2026, 3, 3)
>>> thanks.action(source="Ana Silva", target="Raj Patel")
'Thank Ana Silva for agreeing to introduce you to Raj Patel.'

:func:`follow_ups` lists the three follow-ups of every referral in a network, with the date
each fell due and whether a logged interaction already covers it:

>>> import refgraph as rg
>>> ledger = follow_ups(rg.sample_network())
>>> [(f.step, f.done, f.overdue) for f in ledger if f.referred == "hiro.demir"]
[('thanks', True, False), ('status_report', True, False), ('thanks_after_sale', False, True)]
>>> ledger[0].action, str(ledger[0].due), str(ledger[0].done_on)
('Thank Marco Rossi for agreeing to introduce you to Hiro Demir.', '2022-03-11', '2022-03-11')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from ..records.models import InteractionKind, Referral
from ..records.network import as_network
from ..results import Table

if TYPE_CHECKING:
    from ..records.network import Network

__all__ = ["FOLLOW_UP_RULES", "FollowUp", "FollowUpRule", "follow_ups"]


@dataclass(frozen=True)
class FollowUpRule:
    """One of the three follow-ups: its ``step``, its ``trigger`` and the days allowed after it.

    ``trigger`` is the referral status that sets the follow-up in motion: ``asked`` (the
    referral meeting itself), ``met`` (the new contact has been reached) or ``won`` (a sale).
    """

    step: str
    trigger: str
    days: int
    when: str
    template: str

    def due(self, triggered_on: dt.date) -> dt.date:
        """The date this follow-up is due when its trigger happened on ``triggered_on``."""
        return triggered_on + dt.timedelta(days=self.days)

    def action(self, *, source: str, target: str) -> str:
        """What to do, naming the referral ``source`` and the new contact ``target``."""
        return self.template.format(source=source, target=target)


FOLLOW_UP_RULES: tuple[FollowUpRule, ...] = (
    FollowUpRule(
        "thanks", "asked", 1, "within a day of the ask",
        "Thank {source} for agreeing to introduce you to {target}.",
    ),
    FollowUpRule(
        "status_report", "met", 1, "once you have reached the new contact",
        "Thank {source} again and tell them how the conversation with {target} went.",
    ),
    FollowUpRule(
        "thanks_after_sale", "won", 1, "after a sale",
        "Thank {source} once more: the introduction to {target} became a sale.",
    ),
)


#: The referral statuses that show each trigger happened: every referral was asked for, a
#: referral that is met, won or lost has reached the new contact, and a won one is a sale.
TRIGGERED_BY: dict[str, frozenset[str]] = {
    "asked": frozenset({"asked", "introduced", "met", "won", "lost"}),
    "met": frozenset({"met", "won", "lost"}),
    "won": frozenset({"won"}),
}

#: The interaction kind that covers each follow-up: a thank-you or a status update.
COVERED_BY: dict[str, InteractionKind] = {
    "thanks": InteractionKind.THANKS,
    "status_report": InteractionKind.STATUS_UPDATE,
    "thanks_after_sale": InteractionKind.THANKS,
}


@dataclass(frozen=True)
class FollowUp:
    """One follow-up of one referral: what to do, when it fell due and whether it is done.

    ``triggered`` and ``due`` are None while the trigger has not happened (the follow-up is not
    due yet); ``done_on`` is the date of the interaction that covers it.
    """

    referrer: Hashable
    referred: Hashable
    step: str
    action: str
    triggered: dt.date | None
    due: dt.date | None
    done: bool
    done_on: dt.date | None
    overdue: bool


def follow_ups(net: Network, *, as_of: dt.date | str | None = None) -> Table[FollowUp]:
    """The seed's three follow-ups for every referral of ``net``, read as of ``as_of``.

    A follow-up falls due once its trigger happened: the thanks for every referral, the status
    report once the referred contact is reached (status ``met``, ``won`` or ``lost``), the
    thanks after a sale once it is ``won``. A referral records one date, so each trigger is
    dated by it and the follow-up is due :attr:`FollowUpRule.days` later. It is *done* when an
    interaction with the referrer covers it: a ``thanks`` for the two thank-yous, a
    ``status_update`` for the report, on or after the trigger. Each interaction covers one
    follow-up, the most recently triggered one still open (the earlier step first within a
    referral), so a thank-you is not counted twice. It is *overdue* when not done and due
    before ``as_of`` (default: the network's latest date; referrals after it are left out, and
    an interaction after it is refused by :meth:`Network.resolve_as_of <refgraph.Network.resolve_as_of>`).
    Rows follow the referrals by date, three per referral.
    """
    net = as_network(net)
    as_of = net.resolve_as_of(as_of)
    referrals = sorted(
        (r for r in net.referrals if as_of is None or r.date <= as_of), key=lambda r: (r.date, str(r.referrer))
    )
    done = _covered(referrals, net)
    rows = []
    for k, ref in enumerate(referrals):
        source, target = net.contacts[ref.referrer].name, net.contacts[ref.referred].name
        for step, rule in enumerate(FOLLOW_UP_RULES):
            triggered = ref.date if str(ref.status) in TRIGGERED_BY[rule.trigger] else None
            due = None if triggered is None else rule.due(triggered)
            done_on = done.get((k, step))
            overdue = due is not None and done_on is None and as_of is not None and due < as_of
            rows.append(FollowUp(ref.referrer, ref.referred, rule.step, rule.action(source=source, target=target),
                                 triggered, due, done_on is not None, done_on, overdue))
    return Table(rows, title="Referral follow-ups")


def _covered(referrals: list[Referral], net: Network) -> dict[tuple[int, int], dt.date]:
    """Which (referral, step) each interaction covers, matched per referrer in date order."""
    wanted = set(COVERED_BY.values())
    talks = sorted((i for i in net.interactions if i.kind in wanted), key=lambda i: (i.contact, i.date))
    by_contact = {c: list(group) for c, group in groupby(talks, key=lambda i: i.contact)}
    open_steps = sorted(
        ((ref.date, k, -step, ref.referrer) for k, ref in enumerate(referrals)
         for step, rule in enumerate(FOLLOW_UP_RULES) if str(ref.status) in TRIGGERED_BY[rule.trigger]),
    )
    steps_of: dict[str, list[tuple[dt.date, int, int]]] = {}
    for day, k, neg_step, referrer in open_steps:
        steps_of.setdefault(referrer, []).append((day, k, -neg_step))
    covered: dict[tuple[int, int], dt.date] = {}
    for referrer, steps in steps_of.items():
        pending: dict[InteractionKind, list[tuple[int, int]]] = {kind: [] for kind in wanted}
        nxt = 0
        for talk in by_contact.get(referrer, []):
            while nxt < len(steps) and steps[nxt][0] <= talk.date:
                _, k, step = steps[nxt]
                pending[COVERED_BY[FOLLOW_UP_RULES[step].step]].append((k, step))
                nxt += 1
            if pending[talk.kind]:
                covered[pending[talk.kind].pop()] = talk.date
    return covered
