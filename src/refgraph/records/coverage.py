"""How much the trust model has to go on: the share of relationships with a signal beyond the
bare connection.

A relationship read from a contact list (LinkedIn, an address book) says only that two people
are connected, and since when. Trust is then the kind's base faded by the age of the
connection, and rankings built on it rank noise. :func:`signal_coverage` counts the
relationships that carry something more (repeat business, a response time, candid
conversations, a scorecard or a trust set by hand) so that the analyses can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Relationship

__all__ = ["LOW_COVERAGE", "SignalCoverage", "signal_coverage"]

#: Below this share of relationships with a signal, results carry a note.
LOW_COVERAGE = 0.25
_HINT = "import mail or calendar for more (refgraph import, or read_mail / read_calendar)"


@dataclass(frozen=True)
class SignalCoverage:
    """How many of ``relationships`` carry each signal, and how many carry at least one."""

    relationships: int
    with_signal: int
    repeat_business: int
    response_hours: int
    candid_conversations: int
    scorecard: int
    trust: int

    @property
    def share(self) -> float:
        """The share of relationships with at least one signal (0 when there are none)."""
        return self.with_signal / self.relationships if self.relationships else 0.0

    @property
    def note(self) -> str:
        """A sentence for results to carry when the signals are thin, else ``""``."""
        if not self.relationships or self.share >= LOW_COVERAGE:
            return ""
        if not self.with_signal:
            return f"trust from the connection date only: {_HINT}"
        return (f"only {self.with_signal} of {self.relationships} relationships carry a signal beyond the "
                f"connection ({self.share:.0%}): {_HINT}")


def signal_coverage(relationships: Iterable[Relationship]) -> SignalCoverage:
    """Count the relationships that carry each signal of the trust model.

    Examples
    --------
    >>> import refgraph as rg
    >>> rels = [rg.Relationship(source="me", target=t, kind="acquaintance", last_interaction="2024-03-12")
    ...         for t in "abcde"]
    >>> cover = signal_coverage(rels)
    >>> cover.with_signal, cover.note
    (0, 'trust from the connection date only: import mail or calendar for more (refgraph import, or read_mail / read_calendar)')
    >>> rels.append(rg.Relationship(source="me", target="f", kind="client", response_hours=3))
    >>> rels.append(rg.Relationship(source="me", target="g", kind="client", repeat_business=2))
    >>> signal_coverage(rels).share, signal_coverage(rels).note
    (0.2857142857142857, '')
    """
    rels = list(relationships)
    flags = [(r.repeat_business > 0, r.response_hours is not None, r.candid_conversations > 0,
              r.scorecard is not None, r.trust is not None) for r in rels]
    columns = [sum(column) for column in zip(*flags, strict=True)] if flags else [0] * 5
    return SignalCoverage(len(rels), sum(any(f) for f in flags), *columns)
