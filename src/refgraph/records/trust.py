"""`TrustModel`: from what happened between two people to a trust in (0, 1].

The model follows the seeds: trust is earned through repeat business, timely responses and
candid conversations, and cultivated along the Relationship Scorecard (liking, reciprocity,
credibility, commitment). It fades when a relationship goes quiet.

How a relationship's trust is made (every number is a parameter of :class:`TrustModel`):

1. **Base by kind.** Each relationship kind starts at a base trust (family 0.70, friend 0.65,
   client 0.60 ... prospect 0.15). The base is turned into log-odds, ``logit(base)``.
2. **Signals add log-odds**, each one saturating so that no single signal can dominate:

   - repeat business: ``+w_rb * (1 - 2**(-deals / half_rb))``;
   - candid conversations: ``+w_cc * (1 - 2**(-talks / half_cc))``;
   - timely responses: ``+w_resp * (2 * 2**(-hours / neutral_hours) - 1)``: a reply in no
     time adds ``w_resp``, one at ``neutral_hours`` adds nothing, a very slow one takes
     ``w_resp`` away; an unknown response time adds nothing;
   - scorecard: ``+w_sc * (mean - 5) / 5``: a perfect 10 adds ``w_sc``, a 0 takes it away.

   Warmth is ``sigmoid(sum)``, strictly between 0 and 1.
3. **Recency multiplies**: ``floor + (1 - floor) * 2**(-age / half_life)`` where ``age`` is
   the number of days from the last interaction to ``as_of``. Without a date (or without
   ``as_of``) recency plays no part.
4. **An override wins**: a relationship's own ``trust`` is used as it is.

Every weight is at least 0, so trust never falls when a signal improves and never rises when
the last interaction grows older.

Examples
--------
>>> import datetime as dt
>>> from refgraph import Relationship, TrustModel
>>> model = TrustModel()
>>> rel = Relationship(source="me", target="ana", kind="client", repeat_business=3,
...                    response_hours=2, last_interaction="2024-01-10")
>>> round(model.trust(rel, as_of=dt.date(2024, 3, 1)), 3)
0.83
>>> print(model.explain(rel, as_of=dt.date(2024, 3, 1)))
trust 83% (client)
  base as client: 60% (log-odds +0.41)
  3 repeat deals: log-odds +0.78
  replies in 2 h (24 h is neutral): log-odds +0.89
  no candid conversation recorded: log-odds +0.00
  no scorecard: log-odds +0.00
  trust before time since you last spoke: 89%
  last interaction 51 days before 2024-03-01: x0.94 (half-life 365 days, floor 0.3)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError
from .columns import to_table
from .models import MIN_TRUST  # the smallest trust the model returns: -log(trust) stays finite

if TYPE_CHECKING:
    from .models import Relationship

__all__ = ["MIN_TRUST", "TrustExplanation", "TrustModel", "TrustPart"]


_EPOCH = dt.date(1970, 1, 1)


def _numbers(table: pa.Table, column: str) -> np.ndarray:
    """A column as float64, nulls as NaN (dates as days since 1970)."""
    values = table.column(column)
    if pa.types.is_date(values.type):
        values = pc.cast(values, pa.int32())
    return values.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)  # a null is NaN


DEFAULT_KIND_BASE: Mapping[str, float] = MappingProxyType(
    {
        "family": 0.70,
        "friend": 0.65,
        "client": 0.60,
        "colleague": 0.50,
        "partner": 0.50,
        "former_client": 0.45,
        "referred_contact": 0.40,
        "former_colleague": 0.40,
        "acquaintance": 0.25,
        "prospect": 0.15,
    }
)


@dataclass(frozen=True)
class TrustPart:
    """One step of a trust explanation: a name, its effect and the words for it."""

    name: str
    effect: float
    text: str


@dataclass(frozen=True)
class TrustExplanation:
    """How a trust value came about: the final ``trust`` and its ``parts`` in order."""

    trust: float
    summary: str
    parts: tuple[TrustPart, ...] = field(default=())

    @classmethod
    def given(cls, trust: float, reason: str) -> TrustExplanation:
        """An explanation for a trust that was given rather than modelled."""
        return cls(trust, f"trust {trust:.0%} ({reason})", ())

    def __str__(self) -> str:
        return "\n".join([self.summary, *(f"  {p.text}" for p in self.parts)])

    def _repr_html_(self) -> str:
        import html

        items = "".join(f"<li>{html.escape(p.text)}</li>" for p in self.parts)
        return f"<p><b>{html.escape(self.summary)}</b></p><ul>{items}</ul>"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _evidence(r: Relationship) -> TrustPart:
    return TrustPart("evidence", 0.0, f"evidence: {r.evidence}")


@dataclass(frozen=True)
class TrustModel:
    """A configurable, monotone, explainable map from relationship signals to trust.

    See the module documentation for the formula. ``kind_base`` overrides the base trust of
    some relationship kinds (the others keep their defaults).

    >>> TrustModel(half_life_days=90).half_life_days
    90
    >>> TrustModel(repeat_business_weight=-1)
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: TrustModel, field 'repeat_business_weight' (value -1): must be at least 0
    """

    kind_base: Mapping[str, float] = field(default_factory=dict)
    repeat_business_weight: float = 1.2
    repeat_business_half: float = 2.0
    candid_weight: float = 0.8
    candid_half: float = 2.0
    response_weight: float = 1.0
    response_neutral_hours: float = 24.0
    scorecard_weight: float = 1.5
    half_life_days: float = 365.0
    recency_floor: float = 0.3

    def __post_init__(self) -> None:
        for name in ("repeat_business_weight", "candid_weight", "response_weight", "scorecard_weight"):
            self._check(name, getattr(self, name), low=0.0)
        for name in ("repeat_business_half", "candid_half", "response_neutral_hours", "half_life_days"):
            self._check(name, getattr(self, name), low=0.0, strict=True)
        self._check("recency_floor", self.recency_floor, low=0.0, high=1.0)
        bases = dict(DEFAULT_KIND_BASE)
        for kind, base in self.kind_base.items():
            kind = str(kind)
            if kind not in DEFAULT_KIND_BASE:
                raise DataError(
                    f"unknown relationship kind; known: {', '.join(DEFAULT_KIND_BASE)}",
                    file="TrustModel", field="kind_base", value=kind,
                )
            if not 0 < base < 1:
                raise DataError("a base trust must be strictly between 0 and 1",
                                file="TrustModel", field=f"kind_base[{kind}]", value=base)
            bases[kind] = float(base)
        object.__setattr__(self, "kind_base", MappingProxyType(bases))

    @staticmethod
    def _check(name: str, value: float, *, low: float, high: float | None = None, strict: bool = False) -> None:
        ok = isinstance(value, int | float) and np.isfinite(value)
        ok = ok and (value > low if strict else value >= low) and (high is None or value <= high)
        if not ok:
            bound = f"greater than {low}" if strict else f"at least {low:g}"
            if high is not None:
                bound = f"between {low:g} and {high:g}"
            raise DataError(f"must be {bound}", file="TrustModel", field=name, value=value)

    # -- the formula, vectorised -------------------------------------------------------------
    def _components(
        self,
        base: np.ndarray,
        repeat: np.ndarray,
        hours: np.ndarray,
        candid: np.ndarray,
        score_mean: np.ndarray,
        age_days: np.ndarray,
    ) -> dict[str, np.ndarray]:
        # each step in place on one array of its own (a million-row table makes every array 8 MB)
        def saturating(count: np.ndarray, weight: float, half: float) -> np.ndarray:  # weight * (1 - 2^(-count / half))
            step = np.negative(count)
            step /= half
            np.exp2(step, out=step)
            np.subtract(1, step, out=step)
            step *= weight
            return step

        unknown_hours = np.isnan(hours)
        response = np.where(unknown_hours, 0, hours)  # weight * (2 * 2^(-hours / neutral) - 1), 0 when unknown
        np.negative(response, out=response)
        response /= self.response_neutral_hours
        np.exp2(response, out=response)
        response *= 2
        response -= 1
        response *= self.response_weight
        response[unknown_hours] = 0.0
        unknown_score = np.isnan(score_mean)
        scorecard = np.where(unknown_score, 5, score_mean)  # weight * (mean - 5) / 5, 0 when unknown
        scorecard -= 5
        np.multiply(self.scorecard_weight, scorecard, out=scorecard)
        scorecard /= 5
        scorecard[unknown_score] = 0.0
        parts = {
            "base": base,
            "base_logit": np.log(base / (1 - base)),
            "repeat_business": saturating(repeat, self.repeat_business_weight, self.repeat_business_half),
            "response": response,
            "candid": saturating(candid, self.candid_weight, self.candid_half),
            "scorecard": scorecard,
        }
        warmth = parts["base_logit"] + parts["repeat_business"]  # 1 / (1 + e^-logit)
        warmth += response
        warmth += parts["candid"]
        warmth += scorecard
        np.negative(warmth, out=warmth)
        np.exp(warmth, out=warmth)
        warmth += 1
        np.divide(1, warmth, out=warmth)
        unknown_age = np.isnan(age_days)
        recency = np.maximum(age_days, 0)  # floor + (1 - floor) * 2^(-age / half life), 1 when unknown
        recency[unknown_age] = 0
        np.negative(recency, out=recency)
        recency /= self.half_life_days
        np.exp2(recency, out=recency)
        recency *= 1 - self.recency_floor
        recency += self.recency_floor
        recency[unknown_age] = 1.0
        trust = warmth * recency
        parts.update(warmth=warmth, recency=recency, trust=np.clip(trust, MIN_TRUST, 1.0, out=trust))
        return parts

    def parts(self, table: pa.Table, as_of: dt.date | None = None) -> dict[str, np.ndarray]:
        """Every step of the formula for each row of a relationships table (the columns of
        :mod:`refgraph.records.columns`), one array per step: ``base``, ``base_logit``,
        ``repeat_business``, ``response``, ``candid``, ``scorecard``, ``warmth``, ``recency``
        and ``trust`` (which an override replaces). Whole columns at a time.

        >>> net = rg.sample_network()
        >>> parts = TrustModel().parts(net.table("relationships"), as_of=net.latest_date())
        >>> sorted(parts)
        ['base', 'base_logit', 'candid', 'recency', 'repeat_business', 'response', 'scorecard', 'trust', 'warmth']
        >>> modelled = net.table("relationships")["trust"].is_null().to_numpy(zero_copy_only=False)
        >>> bool(np.allclose(parts["trust"][modelled], (parts["warmth"] * parts["recency"])[modelled]))
        True
        """
        kinds = pc.dictionary_encode(table.column("kind")).combine_chunks()
        base = np.array([self.kind_base[k] for k in kinds.dictionary.to_pylist()], dtype=np.float64)
        card: np.ndarray = sum(_numbers(table, f) for f in ("liking", "reciprocity", "credibility", "commitment")) / 4  # type: ignore[assignment]
        if as_of is None:
            age = np.full(table.num_rows, np.nan)
        else:
            days = _numbers(table, "last_interaction")
            age = (as_of - _EPOCH).days - days
        parts = self._components(
            base[np.asarray(kinds.indices, dtype=np.int64)],
            _numbers(table, "repeat_business"),
            _numbers(table, "response_hours"),
            _numbers(table, "candid_conversations"),
            card,
            age,
        )
        override = _numbers(table, "trust")
        parts["trust"] = np.where(np.isnan(override), parts["trust"], override)
        return parts

    # -- public ------------------------------------------------------------------------------
    def trust_table(self, table: pa.Table, as_of: dt.date | None = None) -> np.ndarray:
        """Trust of each row of a relationships table, computed over whole columns.

        >>> net = rg.sample_network()
        >>> trust = TrustModel().trust_table(net.table("relationships"), as_of=net.latest_date())
        >>> len(trust) == len(net.relationships), bool(((trust > 0) & (trust <= 1)).all())
        (True, True)
        """
        return self.parts(table, as_of)["trust"]

    def trust_many(self, relationships: Sequence[Relationship], as_of: dt.date | None = None) -> np.ndarray:
        """Trust of each relationship, computed in one vectorised pass.

        >>> from refgraph import Relationship
        >>> rels = [Relationship(source="a", target="b", kind=k) for k in ("family", "prospect")]
        >>> TrustModel().trust_many(rels).round(2).tolist()
        [0.7, 0.15]
        """
        return self.trust_table(to_table("relationships", relationships), as_of)

    def trust(self, relationship: Relationship, as_of: dt.date | None = None) -> float:
        """Trust of one relationship in (0, 1]."""
        return float(self.trust_many([relationship], as_of)[0])

    def explain(self, relationship: Relationship, as_of: dt.date | None = None) -> TrustExplanation:
        """Each step of the relationship's trust, in words and numbers."""
        r = relationship
        if r.trust is not None:
            given = TrustExplanation.given(r.trust, f"set by hand on the {r.kind} relationship; the model is not used")
            return given if r.evidence is None else TrustExplanation(given.trust, given.summary, (_evidence(r),))
        p = {k: float(v[0]) for k, v in self.parts(to_table("relationships", [r]), as_of).items()}
        parts = [
            TrustPart("base", p["base_logit"], f"base as {r.kind}: {p['base']:.0%} (log-odds {p['base_logit']:+.2f})"),
            TrustPart(
                "repeat_business",
                p["repeat_business"],
                f"{_plural(r.repeat_business, 'repeat deal')}: log-odds {p['repeat_business']:+.2f}"
                if r.repeat_business else "no repeat business yet: log-odds +0.00",
            ),
            TrustPart(
                "response",
                p["response"],
                f"replies in {r.response_hours:g} h ({self.response_neutral_hours:g} h is neutral): "
                f"log-odds {p['response']:+.2f}"
                if r.response_hours is not None else "response time unknown: log-odds +0.00",
            ),
            TrustPart(
                "candid",
                p["candid"],
                f"{_plural(r.candid_conversations, 'candid conversation')}: log-odds {p['candid']:+.2f}"
                if r.candid_conversations else "no candid conversation recorded: log-odds +0.00",
            ),
            TrustPart(
                "scorecard",
                p["scorecard"],
                f"scorecard {r.scorecard.mean:g}/10 (liking {r.scorecard.liking}, reciprocity "
                f"{r.scorecard.reciprocity}, credibility {r.scorecard.credibility}, commitment "
                f"{r.scorecard.commitment}): log-odds {p['scorecard']:+.2f}"
                if r.scorecard is not None else "no scorecard: log-odds +0.00",
            ),
            TrustPart("warmth", p["warmth"], f"trust before time since you last spoke: {p['warmth']:.0%}"),
        ]
        if r.last_interaction is not None and as_of is not None:
            days = (as_of - r.last_interaction).days
            parts.append(TrustPart(
                "recency", p["recency"],
                f"last interaction {_plural(days, 'day')} before {as_of}: x{p['recency']:.2f} "
                f"(half-life {self.half_life_days:g} days, floor {self.recency_floor:g})",
            ))
        else:
            parts.append(TrustPart("recency", 1.0, "recency plays no part (no date to measure from)"))
        if r.evidence is not None:
            parts.append(_evidence(r))
        return TrustExplanation(p["trust"], f"trust {p['trust']:.0%} ({r.kind})", tuple(parts))

    def describe(self) -> dict[str, Any]:
        """The model's parameters as a plain dict (for reports and logs)."""
        return {
            "kind_base": dict(self.kind_base),
            **{k: getattr(self, k) for k in self.__dataclass_fields__ if k != "kind_base"},
        }
