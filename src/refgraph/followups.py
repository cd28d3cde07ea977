"""The seed's three follow-ups after a referral, defined once for plans and for the ledger.

A referral is an action, and the seller follows it up three times: thanks to the referral source
within a day of the ask, a thank-you with a status report once the new contact has been reached,
and thanks again after a sale. Each :class:`FollowUpRule` says what triggers it, how many days
the seller has once it is triggered, and what to do, in words.

Examples
--------
>>> import datetime as dt
>>> from refgraph.followups import FOLLOW_UP_RULES
>>> [rule.step for rule in FOLLOW_UP_RULES]
['thanks', 'status_report', 'thanks_after_sale']
>>> thanks = FOLLOW_UP_RULES[0]
>>> thanks.due(dt.date(2026, 3, 2))
datetime.date(2026, 3, 3)
>>> thanks.action(source="Ana Silva", target="Raj Patel")
'Thank Ana Silva for agreeing to introduce you to Raj Patel.'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["FOLLOW_UP_RULES", "FollowUpRule"]


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
