"""The same person twice: which contacts of several networks are one person (entity resolution).

Contacts are compared in two steps, and only across networks (each network already says its
own contacts are different people):

1. **Strong keys**: the same id (unless both carry e-mails that differ: then two people), the
   same e-mail address (case aside), the same LinkedIn profile (a ``li:`` id, or a
   ``linkedin.com/in/...`` address in the notes) or the same phone number in E.164 form (from
   ``phone ...`` or ``tel ...`` in the notes). Each is a match with score 100.
2. **Names within blocks**: contacts that share an organisation (the current one or one of
   their roles) or an e-mail domain other than a free-mail one are compared by name
   (:func:`name_score`: accents, case and punctuation folded, nicknames turned into the full
   first name, so ``Bill`` is ``William``, and a slip of a letter or two forgiven). A score
   of ``threshold`` or more is a match, unless either of the two has another such match in
   the other's network (then nobody can tell which, and both are near misses), or both have
   different e-mail addresses at the same organisation (two colleagues); from ``near`` up it
   is a near miss to review. **A name alone is never a match**: two people of the same name at
   different organisations are never one, and a contact with no organisation known is
   compared (with everyone of the same initials) only to list near misses. ``across`` (off by
   default) is the score at which a name alone matches across different organisations.

:func:`candidates` gives every pair with its rule and score, strongest first; the merge
(:func:`refgraph.merge`) decides which to follow. The work is done on whole columns (Arrow
and numpy), the names compared by rapidfuzz in C++, a block at a time.

>>> import pyarrow as pa
>>> contacts = pa.table({"id": ["ana", "li:bill-okafor", "ana", "bill"],
...     "name": ["Ana Silva", "William Okafor", "Ana Silva", "Bill O'Kafor"],
...     "organization": [None, "Globex", None, "Globex"],
...     "email": ["ana@x.example", None, "ana@x.example", None], "notes": ["", "", "", ""]})
>>> found = candidates(contacts, [0, 0, 1, 1])
>>> for row in found.to_pylist():
...     print(row["left"], row["right"], row["rule"], row["score"], row["match"])
0 2 id 100.0 True
0 2 email 100.0 True
0 2 name+organization 100.0 True
1 3 name+organization 100.0 True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FREE_MAIL", "NICKNAMES", "RULES", "candidates", "fold", "name_score", "phone_e164"]

#: The rules in the order they are trusted: strong keys first, then names.
RULES = ("id", "email", "linkedin", "phone", "name+organization", "name only", "name across organizations")

#: Nicknames and their full first names (folded); a small table, replaced by the ``nicknames``
#: argument of :func:`refgraph.merge`.
NICKNAMES = {
    "bill": "william", "will": "william", "billy": "william", "liam": "william", "bob": "robert",
    "rob": "robert", "bobby": "robert", "robbie": "robert", "jim": "james", "jimmy": "james",
    "jamie": "james", "mike": "michael", "mick": "michael", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "cathy": "catherine", "tom": "thomas", "tommy": "thomas", "dave": "david",
    "dan": "daniel", "danny": "daniel", "joe": "joseph", "joey": "joseph", "sam": "samuel",
    "alex": "alexander", "sasha": "alexander", "chris": "christopher", "matt": "matthew",
    "nick": "nicholas", "tony": "anthony", "andy": "andrew", "drew": "andrew", "steve": "stephen",
    "ben": "benjamin", "jen": "jennifer", "jenny": "jennifer", "liz": "elizabeth", "beth": "elizabeth",
    "betty": "elizabeth", "lisa": "elizabeth", "peggy": "margaret", "maggie": "margaret", "meg": "margaret",
    "sue": "susan", "suzy": "susan", "pat": "patricia", "patty": "patricia", "rick": "richard",
    "rich": "richard", "dick": "richard", "ed": "edward", "eddie": "edward", "ted": "edward",
    "fred": "frederick", "greg": "gregory", "jeff": "jeffrey", "jon": "jonathan", "josh": "joshua",
    "larry": "lawrence", "nate": "nathan", "pete": "peter", "phil": "philip", "ron": "ronald",
    "tim": "timothy", "vicky": "victoria", "abby": "abigail", "becky": "rebecca", "pepe": "jose",
    "paco": "francisco", "manu": "manuel", "lupe": "guadalupe", "hans": "johannes", "sepp": "josef",
}

#: E-mail domains shared by strangers: not an organisation (the people there need not know each other).
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com",
    "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.ru",
})

_LINKEDIN = r"(?i)linkedin\.com/in/(?P<slug>[^/?#\s;,]+)"
_PHONE = r"(?i)(?:phone|tel|mobile|cell)\s*:?\s*(?P<phone>\+?[\d(][\d ()./-]{5,}\d)"
_BIG_BLOCK = 2_000  # a block larger than this is split by initials (its pairs grow as its size squared)


def fold(texts: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pa.Array:
    """Text with accents, case and punctuation folded and spaces single (nulls stay null).

    >>> fold(["José  Núñez-Ortiz", "O'Brien, Pat", None]).to_pylist()
    ['jose nunez ortiz', 'obrien pat', None]
    """
    column = texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(texts, pa.string())
    plain = pc.replace_substring_regex(pc.utf8_normalize(column, "NFKD"), r"\p{Mn}", "")
    plain = pc.replace_substring_regex(pc.utf8_lower(plain), r"['’]", "")
    plain = pc.utf8_trim_whitespace(pc.replace_substring_regex(plain, r"[^\p{L}\p{N}]+", " "))
    return plain.combine_chunks() if isinstance(plain, pa.ChunkedArray) else plain


def _name_parts(names: pa.Array, nicknames: dict[str, str]) -> tuple[pa.Array, pa.Array]:
    """Each folded name's first name (its full form) and surname (the last word)."""
    first = pc.struct_field(pc.extract_regex(names, r"^(?P<first>\S+)"), "first")
    full = pc.take(pa.array(list(nicknames.values()), pa.string()),
                   pc.index_in(first, value_set=pa.array(list(nicknames), pa.string())))
    last = pc.struct_field(pc.extract_regex(names, r"(?P<last>\S+)$"), "last")
    return pc.coalesce(full, first), last


def _scores(first: pa.Array, last: pa.Array, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """:func:`name_score` of the pairs of rows ``left`` and ``right``."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    parts = [np.array(pc.fill_null(part, "").to_pylist(), dtype=object) for part in (first, last)]
    heads = [np.asarray(pc.dictionary_encode(pc.utf8_slice_codeunits(pc.fill_null(part, ""), 0, 1)).indices)
             for part in (first, last)]
    alike = np.flatnonzero((heads[0][left] == heads[0][right]) & (heads[1][left] == heads[1][right])
                           & (parts[0][left] != "") & (parts[1][left] != ""))  # initials first: cheap, and most differ
    score = np.zeros(len(left))
    score[alike] = 100.0
    for text in parts:
        similar = process.cpdist(text[left[alike]], text[right[alike]], scorer=DamerauLevenshtein.normalized_similarity,
                                 workers=-1)
        score[alike] = np.minimum(score[alike], np.round(100 * similar.astype(np.float64), 1))
    return score


def name_score(a: str, b: str, *, nicknames: dict[str, str] = NICKNAMES) -> float:
    """How alike two names are, from 0 to 100: folded (:func:`fold`), the first name in its
    full form (:data:`NICKNAMES`), the lower of the first names' and the surnames' similarity
    (Damerau-Levenshtein, so a swapped pair of letters is one slip), and 0 when their initials
    differ (slips rarely hit the first letter; ``Elena`` and ``Lena`` are two names). Middle
    names are left out.

    >>> name_score("Wei White", "Wei Wihte"), name_score("Elena Nguyen", "Lena Nguyen")
    (80.0, 0.0)
    >>> name_score("José Moreau", "Joe Moreau"), name_score("Bill O'Brien", "William OBrien")
    (66.7, 100.0)
    """
    first, last = _name_parts(fold([a, b]), nicknames)
    return float(_scores(first, last, np.array([0]), np.array([1]))[0])


def _e164(raw: pa.Array, country: str) -> pa.Array:
    """Phone numbers in E.164 form, null where one cannot be (see :func:`phone_e164`)."""
    digits = pc.replace_substring_regex(raw, r"\D", "")
    plus = pc.starts_with(pc.utf8_trim_whitespace(raw), "+")
    national = pc.replace_substring_regex(digits, "^0", "")
    if country == "1":
        national = pc.if_else(pc.and_(pc.equal(pc.utf8_length(digits), 11), pc.starts_with(digits, "1")),
                              pc.utf8_slice_codeunits(digits, 1), national)
    number = pc.if_else(plus, digits, pc.if_else(pc.starts_with(digits, "00"), pc.utf8_slice_codeunits(digits, 2),
                                                 pc.binary_join_element_wise(country, national, "")))
    size = pc.utf8_length(number)
    fits = pc.and_(pc.greater_equal(size, 10), pc.less_equal(size, 15))
    return pc.if_else(fits, pc.binary_join_element_wise("+", number, ""), pa.scalar(None, pa.string()))


def phone_e164(text: str | None, *, country: str = "1") -> str | None:
    """A phone number in E.164 form (``+`` and digits), or ``None`` when it cannot be one.

    A number with ``+`` or ``00`` keeps its country code; a national one gets ``country``
    (a leading trunk ``0`` dropped). Ten digits or more are needed, fifteen at most.

    >>> phone_e164("+44 20 7946 0958"), phone_e164("(555) 010-4477"), phone_e164("0049 30 1234567")
    ('+442079460958', '+15550104477', '+49301234567')
    >>> phone_e164("12-34") is None
    True
    """
    number: str | None = _e164(pa.array([text], pa.string()), country)[0].as_py()
    return number


def _strong_keys(contacts: pa.Table) -> dict[str, pa.Array]:
    """Each contact's e-mail, LinkedIn profile and phone, normalised (null where unknown)."""
    ids = contacts.column("id").combine_chunks()
    notes = contacts.column("notes").combine_chunks() if "notes" in contacts.column_names else pa.nulls(len(ids),
                                                                                                        pa.string())
    email = pc.utf8_lower(pc.utf8_trim_whitespace(contacts.column("email").combine_chunks()))
    from_notes = pc.struct_field(pc.extract_regex(notes, _LINKEDIN), "slug")
    from_id = pc.if_else(pc.starts_with(ids, "li:"), pc.utf8_slice_codeunits(ids, 3), pa.scalar(None, pa.string()))
    phone = pc.struct_field(pc.extract_regex(notes, _PHONE), "phone")
    return {"email": pc.if_else(pc.equal(email, ""), pa.scalar(None, pa.string()), email),
            "linkedin": pc.utf8_lower(pc.coalesce(from_notes, from_id)), "phone": _e164(phone, "1")}


def _same_key(column: pa.Array, nets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (first holder, other holder) of rows sharing a non-null value, across networks."""
    known = np.flatnonzero(np.asarray(pc.is_valid(column)))
    if not len(known):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = np.asarray(pc.dictionary_encode(column.take(pa.array(known))).indices, dtype=np.int64)
    order = np.lexsort((known, codes))
    codes, rows = codes[order], known[order]
    first = np.r_[True, codes[1:] != codes[:-1]]
    head = rows[np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))]
    keep = ~first & (nets[head] != nets[rows])
    return head[keep], rows[keep]


def _within(codes: np.ndarray, rows: np.ndarray, queries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows with the same code, or (with ``queries``, a mask over ``rows``) every
    query row with every row of its code; each pair once, as (lower row, higher row)."""
    order = np.lexsort((rows, codes))
    codes, rows = codes[order], rows[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    block = np.repeat(np.arange(len(starts)), ends - starts)
    if queries is None:
        begin, count = np.arange(len(rows)) + 1, ends[block] - np.arange(len(rows)) - 1
        who = np.arange(len(rows))
    else:
        who = np.flatnonzero(queries[order])
        begin, count = starts[block[who]], (ends - starts)[block[who]]
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    a, b = rows[np.repeat(who, count)], rows[np.repeat(begin, count) + offsets]
    keep = a != b
    return np.minimum(a, b)[keep], np.maximum(a, b)[keep]


def candidates(
    contacts: pa.Table,
    networks: Sequence[int] | np.ndarray,
    *,
    threshold: float = 80.0,
    near: float = 70.0,
    across: float | None = None,
    nicknames: dict[str, str] = NICKNAMES,
    rules: Sequence[str] = RULES,
) -> pa.Table:
    """Every pair of contacts (rows of ``contacts``, from different ``networks``) that may be
    one person, as a table: ``left`` and ``right`` (rows, the left one first), ``rule`` (see
    :data:`RULES`), ``score`` (0 to 100) and ``match`` (whether the rule and score say they
    are one person). Rows come by rule, then score from high to low, then rows. Name pairs
    within an organisation are listed from ``near`` up, others from ``threshold`` up (see
    the module documentation); ``rules`` limits the rules tried (``("id", "email")`` skips
    names). The same id with two different e-mails is a pair of rule ``id``, score 0 and no
    match: two people."""
    nets = np.asarray(networks, dtype=np.int64)
    found: list[tuple[np.ndarray, np.ndarray, str, np.ndarray, np.ndarray]] = []

    def add(left: np.ndarray, right: np.ndarray, rule: str, score: Any = 100.0, match: Any = None) -> None:
        score = np.broadcast_to(np.asarray(score, dtype=np.float64), left.shape)
        found.append((left, right, rule, score, score == 100.0 if match is None else match))

    keys = _strong_keys(contacts)
    left, right = _same_key(contacts.column("id").combine_chunks(), nets)
    email = keys["email"]
    a, b = email.take(pa.array(left)), email.take(pa.array(right))
    differ = np.asarray(pc.fill_null(pc.not_equal(a, b), False))
    add(left, right, "id", np.where(differ, 0.0, 100.0))
    for rule in RULES[1:4]:
        if rule in rules:
            add(*_same_key(keys[rule], nets), rule)
    if "name+organization" in rules:
        _names(contacts, nets, email, threshold=threshold, near=near, across=across, nicknames=nicknames, add=add)
    if not found:
        return pa.table({"left": pa.array([], pa.int64()), "right": pa.array([], pa.int64()),
                         "rule": pa.array([], pa.string()), "score": pa.array([], pa.float64()),
                         "match": pa.array([], pa.bool_())})
    left, right, score, match = (np.concatenate([f[k] for f in found]) for k in (0, 1, 3, 4))
    rank = np.concatenate([np.full(len(f[0]), RULES.index(f[2])) for f in found])
    order = np.lexsort((right, left, -score, rank))
    return pa.table({"left": left[order], "right": right[order],
                     "rule": pa.array(RULES).take(pa.array(rank[order])),
                     "score": score[order], "match": match[order]})


def _names(contacts: pa.Table, nets: np.ndarray, email: pa.Array, *, threshold: float, near: float,
           across: float | None, nicknames: dict[str, str], add: Any) -> None:
    """Add the pairs of close names (see the module documentation)."""
    n = contacts.num_rows
    first, last = _name_parts(fold(contacts.column("name")), nicknames)
    initials = pc.binary_join_element_wise(pc.utf8_slice_codeunits(pc.fill_null(last, ""), 0, 1),
                                           pc.utf8_slice_codeunits(pc.fill_null(first, ""), 0, 1), "")
    initial = np.asarray(pc.dictionary_encode(initials).indices, dtype=np.int64)
    org_rows, org_codes = _organizations(contacts, email)
    has_org = np.zeros(n, dtype=bool)
    has_org[org_rows] = True
    sizes = np.bincount(org_codes, minlength=1)
    big = sizes[org_codes] > _BIG_BLOCK  # split big organisations by initials
    org_codes = np.where(big, len(sizes) + org_codes * (initial.max() + 1) + initial[org_rows], org_codes)
    pairs = [(*_within(org_codes, org_rows), True)]
    queries = np.ones(n, dtype=bool) if across is not None else ~has_org
    if queries.any():  # a contact with no organisation known meets everyone of its initials
        pairs.append((*_within(initial, np.arange(n), queries), False))
    left = np.concatenate([p[0] for p in pairs])
    right = np.concatenate([p[1] for p in pairs])
    same = np.concatenate([np.full(len(p[0]), p[2]) for p in pairs])
    keep = nets[left] != nets[right]
    key = left[keep] * n + right[keep]
    order = np.lexsort((~same[keep], key))  # a pair found in an organisation's block is of that organisation
    key, same = key[order], same[keep][order]
    if not len(key):
        return
    first_of = np.r_[True, key[1:] != key[:-1]]
    key, same = key[first_of], same[first_of]
    left, right = key // n, key % n
    score = _scores(first, last, left, right)
    unknown = ~(has_org[left] & has_org[right])
    rule = np.where(same, 4, np.where(unknown, 5, 6))
    listed = np.where(same, score >= near, score >= threshold)
    left, right, score, rule, unknown = left[listed], right[listed], score[listed], rule[listed], unknown[listed]
    limit = np.where(rule == 4, threshold, np.inf if across is None else across)
    limit = np.where(rule == 5, np.inf, limit)
    a, b = email.take(pa.array(left)), email.take(pa.array(right))
    domain = pc.struct_field(pc.extract_regex(a, r"@(?P<d>.*)$"), "d")
    colleagues = pc.and_(pc.and_(pc.not_equal(a, b), pc.equal(domain, pc.struct_field(pc.extract_regex(b, r"@(?P<d>.*)$"),
                                                                                        "d"))),
                         pc.invert(pc.is_in(domain, value_set=pa.array(sorted(FREE_MAIL)))))
    match = (score >= limit) & ~np.asarray(pc.fill_null(colleagues, False))
    # a close name is one person only when it is the only one on both sides
    ends = np.concatenate([left[match] * len(nets) + nets[right[match]], right[match] * len(nets) + nets[left[match]]])
    seen, counts = np.unique(ends, return_counts=True)
    crowded = seen[counts > 1]
    match &= ~(np.isin(left * len(nets) + nets[right], crowded) | np.isin(right * len(nets) + nets[left], crowded))
    for r in (4, 5, 6):
        pick = rule == r
        if pick.any():
            add(left[pick], right[pick], RULES[r], score[pick], match[pick])


def _organizations(contacts: pa.Table, email: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's organisations, folded (the current one, those of its roles and its
    e-mail domain unless a free-mail one), as pairs of arrays: rows and organisation codes."""
    rows = [np.arange(contacts.num_rows)]
    keys = [fold(contacts.column("organization"))]
    domain = pc.struct_field(pc.extract_regex(email, r"@(?P<d>.*)$"), "d")
    rows.append(np.arange(contacts.num_rows))
    keys.append(pc.if_else(pc.is_in(domain, value_set=pa.array(sorted(FREE_MAIL))), pa.scalar(None, pa.string()),
                           pc.binary_join_element_wise("@", domain, "")))
    if "roles" in contacts.column_names:
        roles = contacts.column("roles").combine_chunks()
        rows.append(np.asarray(pc.list_parent_indices(roles), dtype=np.int64))
        keys.append(fold(pc.list_flatten(roles).field("organization")))
    row = np.concatenate(rows)
    key = pa.concat_arrays([k.cast(pa.string()) for k in keys])
    known = np.asarray(pc.fill_null(pc.not_equal(key, ""), False))
    codes = np.asarray(pc.dictionary_encode(key.filter(pa.array(known))).indices, dtype=np.int64)
    row = row[known]
    pair = np.unique(row * (codes.max(initial=0) + 1) + codes)
    return pair // (codes.max(initial=0) + 1), pair % (codes.max(initial=0) + 1)
