"""The records of a seller's referral network, validated when they are made.

Six records describe what happened between people: :class:`Contact` (with a history of
:class:`Role` s), :class:`Relationship` (with its trust signals and a :class:`Scorecard`),
:class:`Referral`, :class:`Interaction` and :class:`Mention`. They are immutable pydantic
models: strings are stripped, enum fields accept their string values, and a bad value raises
:class:`~refgraph.errors.DataError` naming the record and the field.

Examples
--------
>>> from refgraph import Contact, Relationship, Scorecard
>>> ana = Contact(id="ana", name="Ana Silva", kinds="client;friend", organization="Globex")
>>> sorted(kind.value for kind in ana.kinds)
['client', 'friend']
>>> rel = Relationship(source="me", target="ana", kind="client", repeat_business=3,
...                    scorecard=Scorecard(liking=8, reciprocity=7, credibility=9, commitment=6))
>>> rel.scorecard.mean
7.5
>>> Scorecard(liking=11, reciprocity=7, credibility=9, commitment=6)
Traceback (most recent call last):
...
refgraph.errors.DataError: Scorecard, field 'liking' (value 11): Input should be less than or equal to 10

Limits every record keeps, so that no later analysis overflows or fails to converge:

- **Ids** are normalised (:func:`normalize_id`): Unicode NFC, invisible format characters
  (zero-width spaces, direction overrides, byte-order marks) removed, so ``"ana\u200b"`` and
  ``"ana"`` are one contact, and so are an accented id typed composed and decomposed.
- **Dates** are at most :data:`LATEST_DATE` (2999-12-31): a record dated 9999-12-31 is refused,
  as the follow-up and plan dates computed from it would overflow.
- **Trust** given by hand is at least :data:`MIN_TRUST` (1e-12), the same floor the trust model
  keeps, and numbers are numbers: ``true`` is not a trust of 1.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from ..errors import DataError

__all__ = [
    "INVISIBLE",
    "LATEST_DATE",
    "MIN_TRUST",
    "Contact",
    "ContactKind",
    "Interaction",
    "InteractionKind",
    "Mention",
    "Referral",
    "ReferralStatus",
    "Relationship",
    "RelationshipKind",
    "Role",
    "Scorecard",
    "normalize_id",
    "normalize_ids",
]

#: The latest date a record may carry; later dates would overflow the dates analyses compute.
LATEST_DATE = dt.date(2999, 12, 31)
#: The smallest trust a relationship may have, so that ``-log(trust)`` and PageRank stay finite.
MIN_TRUST = 1e-12

# Unicode's format characters (category Cf), which show nothing: a regular expression class
# that Python's re and RE2 (Arrow's ``replace_substring_regex``) both read.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
#: A regular expression matching one invisible format character.
INVISIBLE = "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in _FORMAT_RANGES) + "]"
_INVISIBLE = re.compile(INVISIBLE)


def normalize_id(value: str) -> str:
    """``value`` as refgraph keeps an id: Unicode NFC, with invisible format characters removed.

    Ids that look the same are the same id: composed and decomposed accents, a trailing
    zero-width space or a right-to-left override make no second contact. An id made only of
    invisible characters is refused.

    >>> normalize_id("jose\u0301"), normalize_id("ana\u200b"), normalize_id("\u202eana")
    ('josé', 'ana', 'ana')
    """
    if value.isascii():
        return value
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise ValueError(f"the id {value!r} is made only of invisible characters")
    return text


def normalize_ids(values: Iterable[str]) -> list[str]:
    """:func:`normalize_id` of each of ``values`` (a column of ids).

    A columnar reader can do the same on Arrow with ``pyarrow.compute.utf8_normalize(column,
    "NFC")`` then ``replace_substring_regex(..., INVISIBLE, "")`` and ``utf8_trim_whitespace``.
    """
    return [normalize_id(v) for v in values]


def _not_too_late(day: dt.date) -> dt.date:
    if day > LATEST_DATE:
        raise ValueError(f"dates after {LATEST_DATE} are not accepted (later dates overflow the dates refgraph computes)")
    return day


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true or false")
    return value


Id = Annotated[str, AfterValidator(normalize_id)]
Day = Annotated[dt.date, AfterValidator(_not_too_late)]
Number = Annotated[float, BeforeValidator(_not_bool)]
Whole = Annotated[int, BeforeValidator(_not_bool)]


def fold_choice(text: str) -> str:
    """A word of a closed set as its canonical spelling: any case, spaces or hyphens for
    underscores (``"Former client"`` is ``former_client``).

    >>> fold_choice(" Status-Update ")
    'status_update'
    """
    return "_".join(text.strip().lower().replace("-", " ").split())


class _Choice(StrEnum):
    """A closed set of words, read in any case, with spaces or hyphens for underscores
    (``"Won"``, ``"Former client"`` and ``"status-update"`` are accepted)."""

    @classmethod
    def _missing_(cls, value: object) -> _Choice | None:
        if isinstance(value, str):
            folded = fold_choice(value)
            for member in cls:
                if member.value == folded:
                    return member
        return None


class ContactKind(_Choice):
    """Who a contact is to the seller (a contact may be several)."""

    CLIENT = "client"
    FORMER_CLIENT = "former_client"
    REFERRED_CONTACT = "referred_contact"
    FRIEND = "friend"
    FAMILY = "family"
    COLLEAGUE = "colleague"
    FORMER_COLLEAGUE = "former_colleague"
    PROSPECT = "prospect"
    CENTRE_OF_INFLUENCE = "centre_of_influence"


class RelationshipKind(_Choice):
    """What binds two people; the trust model gives each kind its own starting trust."""

    FAMILY = "family"
    FRIEND = "friend"
    CLIENT = "client"
    FORMER_CLIENT = "former_client"
    REFERRED_CONTACT = "referred_contact"
    COLLEAGUE = "colleague"
    FORMER_COLLEAGUE = "former_colleague"
    PARTNER = "partner"
    ACQUAINTANCE = "acquaintance"
    PROSPECT = "prospect"


class ReferralStatus(_Choice):
    """How far a referral has come: asked, introduced, met, then won or lost."""

    ASKED = "asked"
    INTRODUCED = "introduced"
    MET = "met"
    WON = "won"
    LOST = "lost"


class InteractionKind(_Choice):
    """What a logged interaction was; ``thanks`` and ``status_update`` are the follow-ups."""

    THANKS = "thanks"
    STATUS_UPDATE = "status_update"
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    MESSAGE = "message"
    NOTE = "note"


_UNORDERED = {"kinds"}  # set fields: pydantic's position inside them means nothing to a user


def _first_location(loc: tuple[Any, ...]) -> str:
    parts = [p for k, p in enumerate(loc) if not (isinstance(p, int) and k and loc[k - 1] in _UNORDERED)]
    return ".".join(str(part) for part in parts)


class Record(BaseModel):
    """Base of every record: frozen, stripped strings, no unknown fields.

    A validation failure becomes a :class:`~refgraph.errors.DataError` that names the record,
    the first bad field and its value (and counts any further problems).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
    )

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise validation_error(err, type(self).__name__) from None

    # Validation itself stays pydantic's own (model_validate does not route through __init__).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def parse(cls, data: Any, *, file: Any = None, line: int | None = None, where: str | None = None) -> Any:
        """Validate ``data`` into a record; a failure names ``file``, ``line`` and ``where``.

        ``where`` locates the record inside a file (``"contacts[3]"``) and prefixes the field.
        """
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise validation_error(err, cls.__name__, file=file, line=line, where=where) from None


def validation_error(
    err: ValidationError, record: str, *, file: Any = None, line: int | None = None, where: str | None = None
) -> DataError:
    """Turn pydantic's error into a :class:`DataError` naming the record and field."""
    problems = err.errors(include_url=False)
    first = problems[0]
    message = first["msg"].removeprefix("Value error, ")
    if first["type"].startswith(("date_", "datetime_")):
        message += "; write dates as YYYY-MM-DD, e.g. 2024-03-31"
    if len(problems) > 1:
        others = "; ".join(
            f"{_first_location(p['loc'])}: {p['msg'].removeprefix('Value error, ')}"
            for p in problems[1:]
        )
        message += f" (also {others})"
    field = _first_location(first["loc"]) or None
    if where is not None:
        field = f"{where}.{field}" if field else where
    origin = record if file is None else f"{record} in {file}"
    kwargs: dict[str, Any] = {"file": origin, "line": line, "field": field}
    if field is not None and first["type"] != "missing":
        kwargs["value"] = first.get("input")
    return DataError(message, **kwargs)


def _blank_is_none(value: Any) -> Any:
    """Optional text left blank means "not given"."""
    return None if isinstance(value, str) and not value.strip() else value




class Role(Record):
    """A position a contact held: organisation, title and the dates it ran between."""

    organization: str = Field(min_length=1)
    title: str | None = None
    start: Day | None = None
    end: Day | None = None

    _blanks = field_validator("title", mode="before")(_blank_is_none)

    @model_validator(mode="after")
    def _ordered(self) -> Role:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"role at {self.organization} ends ({self.end}) before it starts ({self.start})")
        return self


def split_kinds(value: Any) -> Any:
    """Kinds given as text (``"client;friend"`` or ``"client|friend"``) as a set of names;
    anything else is returned as it is.

    >>> sorted(split_kinds(" client; friend|"))
    ['client', 'friend']
    """
    if isinstance(value, str):
        return {fold_choice(part) for part in value.replace("|", ";").split(";") if part.strip()}
    return value


class Contact(Record):
    """A person in the seller's network.

    ``kinds`` is a set of :class:`ContactKind` (strings such as ``"client;friend"`` are split on
    ``;`` or ``|``). ``roles`` is the history of positions, put oldest first (by start, then
    roles with only an end date, then undated ones, each group in the order given); when
    ``organization`` is not given it is taken from the current role (the latest one without an
    end date), so a contact who moved keeps both organisations.

    >>> c = Contact(id="raj", name="Raj Patel", roles=[
    ...     {"organization": "Globex", "start": "2019-01-01", "end": "2023-06-30"},
    ...     {"organization": "Initech", "start": "2023-07-01"}])
    >>> c.organization
    'Initech'
    """

    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    kinds: frozenset[ContactKind] = frozenset()
    organization: str | None = None
    title: str | None = None
    email: str | None = None
    roles: tuple[Role, ...] = ()
    notes: str = ""

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        return split_kinds(value)

    @field_validator("roles")
    @classmethod
    def _oldest_first(cls, roles: tuple[Role, ...]) -> tuple[Role, ...]:
        return tuple(sorted(roles, key=lambda r: (r.start is None, r.start or r.end or dt.date.max)))

    @field_serializer("kinds")
    def _sorted_kinds(self, kinds: frozenset[ContactKind]) -> list[str]:
        return sorted(str(k) for k in kinds)

    _blanks = field_validator("organization", "title", "email", mode="before")(_blank_is_none)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and "@" not in value:
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _current_organization(self) -> Contact:
        if self.organization is None and self.roles:
            current = [r for r in self.roles if r.end is None] or list(self.roles)
            latest = max(current, key=lambda r: r.start or dt.date.min)
            object.__setattr__(self, "organization", latest.organization)
            if self.title is None:
                object.__setattr__(self, "title", latest.title)
        return self

    def organization_on(self, day: dt.date) -> str | None:
        """The organisation the contact was with on ``day`` (from ``roles``), else the current one."""
        for role in reversed(self.roles):
            if (role.start is None or role.start <= day) and (role.end is None or day <= role.end):
                return role.organization
        return self.organization


class Scorecard(Record):
    """The Relationship Scorecard: liking, reciprocity, credibility and commitment, 0 to 10."""

    liking: Whole = Field(ge=0, le=10)
    reciprocity: Whole = Field(ge=0, le=10)
    credibility: Whole = Field(ge=0, le=10)
    commitment: Whole = Field(ge=0, le=10)

    FIELDS: ClassVar[tuple[str, ...]] = ("liking", "reciprocity", "credibility", "commitment")

    @property
    def mean(self) -> float:
        """The average of the four parts, 0 to 10."""
        return sum(float(getattr(self, f)) for f in self.FIELDS) / 4


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class Relationship(Record):
    """A tie between two contacts with the seeds' trust signals.

    ``repeat_business`` (deals done again), ``response_hours`` (how fast they answer),
    ``candid_conversations`` (frank talks held), ``last_interaction`` (for recency) and an
    optional :class:`Scorecard` feed the :class:`~refgraph.records.trust.TrustModel`; ``trust`` in
    (0, 1] overrides the model. An undirected tie (the default) can be walked both ways.
    ``evidence`` says in plain words where the signals came from ("12 e-mails, median reply
    3.5 h, from mail.mbox"); :meth:`~refgraph.records.trust.TrustModel.explain` cites it.
    ``their_response_hours`` is the other way round, how fast the contact answers the owner
    (measured from mail); it is kept for the seller to read and the trust model does not use it.
    """

    source: Id = Field(min_length=1)
    target: Id = Field(min_length=1)
    kind: RelationshipKind
    repeat_business: Whole = Field(default=0, ge=0)
    response_hours: Number | None = Field(default=None, ge=0)
    candid_conversations: Whole = Field(default=0, ge=0)
    last_interaction: Day | None = None
    scorecard: Scorecard | None = None
    trust: Number | None = Field(default=None, gt=0, le=1)
    directed: bool = False
    evidence: str | None = None
    their_response_hours: Number | None = Field(default=None, ge=0)

    _check_finite = field_validator("response_hours", "trust", "their_response_hours")(_finite)
    _blanks = field_validator("evidence", mode="before")(_blank_is_none)

    @field_validator("trust")
    @classmethod
    def _floor(cls, trust: float | None) -> float | None:
        if trust is not None and trust < MIN_TRUST:
            raise ValueError(f"trust must be at least MIN_TRUST, {MIN_TRUST:g} (a smaller trust is no tie at all)")
        return trust

    @model_validator(mode="after")
    def _not_self(self) -> Relationship:
        if self.source == self.target:
            raise ValueError(f"a relationship needs two different contacts, got {self.source!r} twice")
        return self


class Referral(Record):
    """``referrer`` referred ``referred`` on ``date``; ``via`` is an optional go-between contact."""

    referrer: Id = Field(min_length=1)
    referred: Id = Field(min_length=1)
    date: Day
    status: ReferralStatus
    value: Number = Field(default=0.0, ge=0)
    via: Id | None = None

    _check_finite = field_validator("value")(_finite)

    _blanks = field_validator("via", mode="before")(_blank_is_none)

    @model_validator(mode="after")
    def _distinct(self) -> Referral:
        if self.referrer == self.referred:
            raise ValueError(f"{self.referrer!r} cannot refer themselves")
        if self.via is not None and self.via in (self.referrer, self.referred):
            raise ValueError(f"via {self.via!r} must be a third contact")
        return self


class Interaction(Record):
    """Something done with a contact on a date: thanks, a status update, a meeting, a call."""

    contact: Id = Field(min_length=1)
    date: Day
    kind: InteractionKind
    note: str = ""


class Mention(Record):
    """A person that contact ``by`` mentioned in conversation: a lead to harvest later."""

    by: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    date: Day
    organization: str | None = None
    context: str | None = None

    _blanks = field_validator("organization", "context", mode="before")(_blank_is_none)
