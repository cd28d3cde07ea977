"""Find a contact by what a person remembers: the id, the name or the e-mail.

Ids are what the analyses take, but people think in names. :func:`find_contact` turns a query
into the one contact id it names (case, accents aside, and spacing ignored), and
:func:`close_matches` gives the suggestions every "unknown contact" error carries, so a typo
(``"victor.hal"``) or a name where an id was expected (``"Victor Hale"``) says what was meant.
``Network.find`` and ``TrustGraph.find`` are the friendly faces of these two functions.

Examples
--------
>>> ids, names = ["ana.silva", "victor.hale"], ["Ana Silva", "Victor Hale"]
>>> find_contact("  victor HALE ", ids, names)
'victor.hale'
>>> close_matches("victor.hal", ids, names)
['victor.hale']
>>> find_contact("Viktor Hale", ids, names)
Traceback (most recent call last):
...
refgraph.errors.UnknownContactError: unknown contact 'Viktor Hale' (no contact has this id, name or e-mail); \
did you mean 'victor.hale' (Victor Hale)?
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Hashable, Sequence
from typing import Any

from ..errors import DataError, UnknownContactError

__all__ = ["close_matches", "find_contact", "suggestions_for"]

#: Beyond this many contacts a failed lookup suggests only exact and starting matches of the
#: query (fuzzy matching every name of a million-contact graph would take seconds).
FUZZY_LIMIT = 100_000


def _key(text: Any) -> str:
    """``text`` folded for comparison: no accents, case or repeated spaces."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _keys(ids: Sequence[Hashable], *columns: Sequence[Any] | None) -> dict[str, list[int]]:
    """Every folded id, name and e-mail, with the positions of the contacts it belongs to."""
    keys: dict[str, list[int]] = {}
    for column in (ids, *columns):
        if column is None:
            continue
        for i, value in enumerate(column):
            if value is not None and value != "":
                positions = keys.setdefault(_key(value), [])
                if not positions or positions[-1] != i:
                    positions.append(i)
    return keys


def close_matches(
    query: Any, ids: Sequence[Hashable], names: Sequence[Any] | None = None,
    emails: Sequence[Any] | None = None, *, n: int = 3,
) -> list[Hashable]:
    """Up to ``n`` contact ids whose id, name or e-mail is close to ``query``, closest first.

    An exact match after folding case, accents and spaces comes first, then those whose id or
    name starts with the query, then similar spellings (``difflib``, on up to
    :data:`FUZZY_LIMIT` contacts).

    >>> close_matches("ana", ["ana.silva", "anatole", "ben"], ["Ana Silva", "Anatole Roy", "Ben Ode"])
    ['ana.silva', 'anatole']
    """
    keys = _keys(ids, names, emails)
    q = _key(query)
    found: list[int] = list(keys.get(q, []))
    if q:
        found += [i for key, positions in sorted(keys.items()) if key != q and key.startswith(q) for i in positions]
    if len(ids) <= FUZZY_LIMIT:
        for key in difflib.get_close_matches(q, list(keys), n=n, cutoff=0.75):
            found += keys[key]
    picked = list(dict.fromkeys(found))[:n]
    return [ids[i] for i in picked]


def find_contact(
    query: Any, ids: Sequence[Hashable], names: Sequence[Any] | None = None, emails: Sequence[Any] | None = None,
) -> Hashable:
    """The id of the one contact whose id, name or e-mail is ``query``.

    The id itself wins; otherwise case, accents and spacing are ignored. Raises
    :class:`~refgraph.errors.UnknownContactError` with close matches when nothing matches, and
    :class:`~refgraph.errors.DataError` listing the candidates when several contacts share the
    name (pass one of their ids then).

    >>> find_contact("ana silva", ["a1", "a2"], ["Ana Silva", "Ana Silva"])
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: value 'ana silva': 2 contacts have this name or e-mail: 'a1' (Ana Silva), \
'a2' (Ana Silva); pass one of their ids
    """
    if query in ids:
        return query
    positions = _keys(ids, names, emails).get(_key(query), [])
    if len(positions) == 1:
        return ids[positions[0]]
    if positions:
        listed = ", ".join(_label(ids[i], names[i] if names is not None else None) for i in positions[:10])
        raise DataError(f"{len(positions)} contacts have this name or e-mail: {listed}; pass one of their ids",
                        value=query)
    raise UnknownContactError(query, "no contact has this id, name or e-mail",
                              suggestions=_labels(close_matches(query, ids, names, emails), ids, names))


def suggestions_for(query: Any, ids: Sequence[Hashable], names: Sequence[Any] | None = None) -> list[str]:
    """The close matches to ``query`` as ``'id' (Name)`` labels, for an error message."""
    return _labels(close_matches(query, ids, names), ids, names)


def _labels(found: list[Hashable], ids: Sequence[Hashable], names: Sequence[Any] | None) -> list[str]:
    if names is None or not found:
        return [repr(c) for c in found]
    wanted = set(found)
    position = {c: i for i, c in enumerate(ids) if c in wanted}
    return [_label(c, names[position[c]]) for c in found]


def _label(contact: Hashable, name: Any) -> str:
    return f"{contact!r} ({name})" if name is not None and str(name) != str(contact) else repr(contact)
