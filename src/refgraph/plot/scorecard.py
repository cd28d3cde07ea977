"""The Relationship Scorecard as a four-part radar."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DataError
from ..records.models import Relationship, Scorecard
from ._axes import PALETTE, axes

__all__ = ["scorecard"]


def scorecard(relationship_or_scorecard: Relationship | Scorecard, ax: Any = None, *, label: str | None = None) -> Any:
    """Draw the seed's Relationship Scorecard (liking, reciprocity, credibility, commitment)
    as a radar from 0 to 10; returns the (polar) Axes.

    Pass several relationships' scorecards onto one ``ax`` to compare them.

    >>> import refgraph as rg
    >>> ax = rg.plot.scorecard(rg.Scorecard(liking=8, reciprocity=6, credibility=9, commitment=7))
    >>> ax.get_title()
    'Relationship Scorecard: 7.5 / 10'
    """
    card = relationship_or_scorecard
    if isinstance(card, Relationship):
        if card.scorecard is None:
            raise DataError("this relationship has no scorecard", contact=card.target)
        label = label or f"{card.source} – {card.target}"
        card = card.scorecard
    if not isinstance(card, Scorecard):
        raise DataError(f"expected a Scorecard or a Relationship, got {type(card).__name__}")
    ax = axes(ax, polar=True, size=(5, 5))
    values = [getattr(card, f) for f in Scorecard.FIELDS]
    angles = np.linspace(0, 2 * np.pi, len(values), endpoint=False)
    closed = np.append(angles, angles[0])
    ax.plot(closed, values + values[:1], color=PALETTE["edge"], linewidth=2, label=label)
    ax.fill(closed, values + values[:1], color=PALETTE["edge"], alpha=0.2)
    ax.set_xticks(angles, [f"{f}\n{v}/10" for f, v in zip(Scorecard.FIELDS, values, strict=True)])
    ax.set_theta_offset(np.pi / 4)
    ax.tick_params(axis="x", pad=14)
    ax.set_ylim(0, 10)
    ax.set_yticks([2, 4, 6, 8, 10], ["2", "4", "6", "8", "10"], color="grey", fontsize=8)
    if not ax.get_title():
        ax.set_title(f"Relationship Scorecard: {card.mean:g} / 10")
    if label:
        ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), fontsize=8)
    return ax
