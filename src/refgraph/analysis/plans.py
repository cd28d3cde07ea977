"""Turn a warm path into the seed's action plan: whom to ask, for what, and three follow-ups.

A referral is an action, not a name: the seller asks the first introducer to make an
introduction to the next person on the chain and to confirm once it is made, then follows up
three times (see :mod:`refgraph.analysis.followups`): thanks within a day of the ask, a status report
once the new contact has been reached, and thanks again after a sale.

Examples
--------
>>> import refgraph as rg
>>> g = rg.sample_network().trust_graph()
>>> plan = rg.intro_plan(rg.warm_paths(g, "theo.brooks")[0])
>>> plan.ask.name, plan.ask.introduce_to_name
('Wen Zhang', 'Milan Sato')
>>> [(f.step, f.due) for f in plan.follow_ups]  # doctest: +NORMALIZE_WHITESPACE
[('thanks', datetime.date(2024, 11, 15)), ('status_report', None), ('thanks_after_sale', None)]
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Hashable
from dataclasses import dataclass

from .._checks import instance
from ..errors import RefgraphError
from ..records.network import as_of_date
from .followups import FOLLOW_UP_RULES
from .paths import IntroPath

__all__ = ["Ask", "IntroPlan", "PlannedFollowUp", "intro_plan"]


@dataclass(frozen=True)
class Ask:
    """The action asked of ``contact``: introduce the seller to ``introduce_to`` and confirm."""

    contact: Hashable
    name: str
    introduce_to: Hashable
    introduce_to_name: str
    action: str
    message: str


@dataclass(frozen=True)
class PlannedFollowUp:
    """One of the three follow-ups: what to do, when, and its ``due`` date.

    ``due`` is None while the follow-up's ``trigger`` (the new contact reached, a sale) has not
    happened yet; ``when`` says in words when it falls due.
    """

    step: str
    trigger: str
    action: str
    when: str
    due: dt.date | None


@dataclass(frozen=True, repr=False)
class IntroPlan:
    """The action plan for one warm path: :attr:`ask` and three :attr:`follow_ups`."""

    path: IntroPath
    ask: Ask
    follow_ups: tuple[PlannedFollowUp, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        """The plan's four steps in words: the ask, then each follow-up with its due date."""
        return (self.ask.action,) + tuple(
            f"{f.action} ({f'due {f.due.isoformat()}' if f.due else f.when})" for f in self.follow_ups
        )

    def explain(self) -> str:
        """The plan in words, one numbered step per line, the suggested message after the ask."""
        lines = [f"{n}. {step}" for n, step in enumerate(self.steps, start=1)]
        lines.insert(1, f'   Suggested message: "{self.ask.message}"')
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<IntroPlan: ask {self.ask.name} → {self.path.names[-1]}, {len(self.follow_ups)} follow-ups>"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(step)}</li>" for step in self.steps)
        return (f"<p><b>Plan to reach {html.escape(self.path.names[-1])}</b> "
                f"({html.escape(repr(self.path)[1:-1])})</p><ol>{items}</ol>"
                f"<p><i>{html.escape(self.ask.message)}</i></p>")


def intro_plan(path: IntroPath, *, as_of: dt.date | str | None = None, reason: str | None = None) -> IntroPlan:
    """The seed's action plan for ``path``: the ask of its first introducer and three follow-ups.

    Parameters
    ----------
    path : IntroPath
        A chain of at least two links (a direct relationship needs no introduction).
    as_of : date or ISO string, optional
        The day of the ask (YYYY-MM-DD); defaults to the date the path's trust was computed for
        (``path.as_of``). The first follow-up is due a day later; the others fall due once
        their trigger happens, so their ``due`` is None.
    reason : str, optional
        Why the seller wants to meet the target, for the suggested message.

    Raises
    ------
    RefgraphError
        ``path`` is a direct link; :class:`~refgraph.DataError` when ``as_of`` is not a date.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.TrustGraph.from_edges(["sam", "ana"], ["ana", "raj"], [0.9, 0.6], directed=False,
    ...     owner="sam", names={"sam": "Sam", "ana": "Ana Silva", "raj": "Raj Patel"})
    >>> plan = rg.intro_plan(rg.warm_paths(g, "raj")[0], as_of="2026-03-02", reason="to talk about their audit")
    >>> print(plan.explain())  # doctest: +NORMALIZE_WHITESPACE
    1. Ask Ana Silva to introduce you to Raj Patel (a call or an e-mail) and to let you know once it is done.
       Suggested message: "Hi Ana, I would love to meet Raj Patel to talk about their audit. You know Raj well:
       would you introduce us, by a call or an e-mail, and let me know once you have?"
    2. Thank Ana Silva for agreeing to introduce you to Raj Patel. (due 2026-03-03)
    3. Thank Ana Silva again and tell them how the conversation with Raj Patel went. (once you have reached the new contact)
    4. Thank Ana Silva once more: the introduction to Raj Patel became a sale. (after a sale)
    """
    path = instance(path, IntroPath, "path")
    if path.introducer is None:
        raise RefgraphError(f"{path.names[0]} knows {path.names[-1]} directly: no introduction to ask for")
    day = as_of_date(as_of if as_of is not None else path.as_of)
    ask = _ask(path, reason)
    follow_ups = tuple(
        PlannedFollowUp(
            step=rule.step,
            trigger=rule.trigger,
            action=rule.action(source=ask.name, target=ask.introduce_to_name),
            when=rule.when,
            due=rule.due(day) if rule.trigger == "asked" and day is not None else None,
        )
        for rule in FOLLOW_UP_RULES
    )
    return IntroPlan(path, ask, follow_ups)


def _ask(path: IntroPath, reason: str | None) -> Ask:
    names = path.names
    who, nxt, target = names[1], names[2], names[-1]
    org = path.organizations[-1]
    at = f" at {org}" if org else ""
    why = f" {reason.strip()}" if reason and reason.strip() else ""
    first = who.split()[0]
    if path.hops == 2:
        action = f"Ask {who} to introduce you to {target} (a call or an e-mail) and to let you know once it is done."
        message = (f"Hi {first}, I would love to meet {target}{at}{why}. You know {nxt.split()[0]} well: "
                   "would you introduce us, by a call or an e-mail, and let me know once you have?")
    else:
        action = (f"Ask {who} to introduce you to {nxt}, who can introduce you on to {target}, "
                  "and to let you know once it is done.")
        message = (f"Hi {first}, I would love to meet {target}{at}{why}, and {nxt} is the best bridge to "
                   f"them I know. Would you introduce me to {nxt.split()[0]}, by a call or an e-mail, "
                   "and let me know once you have?")
    return Ask(path.contacts[1], who, path.contacts[2], nxt, action, message)
