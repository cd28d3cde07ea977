"""The same person twice: which contacts of several networks are one person (entity resolution).

Contacts are compared in two steps, and only across networks (each network already says its
own contacts are different people):

1. **Strong keys**: the same id (unless both carry e-mails that differ: then two people), the
   same e-mail address (case aside), the same LinkedIn profile (a ``li:`` id, or a
   ``linkedin.com/in/...`` address in the notes) or the same phone number in E.164 form (from
   ``phone ...`` or ``tel ...`` in the notes). Each is a match with score 100.
2. **Names within blocks**: contacts that share an organisation (the current one or one of
   their roles) or an e-mail domain other than a free-mail one are compared by name, with
   accents, case and punctuation folded and nicknames turned into the full first name
   (``Bill`` is ``William``): :func:`rapidfuzz.fuzz.token_sort_ratio` from 0 to 100. A score
   of ``threshold`` or more is a match; from ``near`` up it is a near miss to review. A name
   alone is never a match: two people of the same name at different organisations are never
   one, and a contact with no organisation known is compared (within blocks of the same
   surname and first initials) only to give near misses. ``across`` (off by default) is the
   score at which a name alone matches across different organisations.

:func:`candidates` gives every pair with its rule and score, strongest first; the merge
(:func:`refgraph.merge`) decides which to follow.

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

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FREE_MAIL", "NICKNAMES", "RULES", "candidates", "fold", "name_key", "name_score", "phone_e164"]

#: The rules in the order they are trusted: strong keys first, then names.
RULES = ("id", "email", "linkedin", "phone", "name+organization", "name only", "name across organizations")

#: Nicknames and their full first names (folded); a small table, extended by the ``nicknames``
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

#: E-mail domains shared by strangers: not a block (the people there need not know each other).
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com",
    "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.ru",
})

_LINKEDIN = re.compile(r"linkedin\.com/in/([^/?#\s;,]+)", re.IGNORECASE)
_PHONE = re.compile(r"(?:phone|tel|mobile|cell)\s*:?\s*(\+?[\d(][\d ()./-]{5,}\d)", re.IGNORECASE)
_BIG_BLOCK = 5_000  # a block larger than this is split by surname initial (cost is its size squared)


def fold(texts: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pa.Array:
    """Text with accents, case and punctuation folded and spaces single (nulls stay null).

    >>> fold(["José  Núñez-Ortiz", "O'Brien, Pat", None]).to_pylist()
    ['jose nunez ortiz', 'obrien pat', None]
    """
    column = pa.chunked_array([pa.array(texts, pa.string())]) if not isinstance(texts, (pa.Array, pa.ChunkedArray)) \
        else texts
    plain = pc.replace_substring_regex(pc.utf8_normalize(column, "NFKD"), r"\p{Mn}", "")
    plain = pc.replace_substring_regex(pc.utf8_lower(plain), r"['’]", "")
    plain = pc.replace_substring_regex(plain, r"[^\p{L}\p{N}]+", " ")
    out = pc.utf8_trim_whitespace(plain)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def name_key(name: str | None, nicknames: dict[str, str] = NICKNAMES) -> str:
    """A folded name's key: the first name's full form and the rest, as compared by name.

    >>> name_key("bill okafor"), name_key("jose nunez")
    ('william okafor', 'jose nunez')
    """
    if not name:
        return ""
    parts = name.split()
    return " ".join((nicknames.get(parts[0], parts[0]), *parts[1:]))


def name_score(a: str, b: str) -> float:
    """How alike two name keys (of :func:`name_key`) are, from 0 to 100: the lower of the
    first names' and the surnames' similarity (Damerau-Levenshtein, so a swapped pair of
    letters is one slip), and 0 when their initials differ (slips rarely hit the first letter;
    ``Elena`` and ``Lena`` are two names). Middle names are left out.

    >>> name_score("wei white", "wei wihte"), name_score("elena nguyen", "lena nguyen")
    (80.0, 0.0)
    >>> name_score("jose moreau", "joe moreau"), name_score("hugo esposito", "hugo espostio")
    (75.0, 87.5)
    """
    from rapidfuzz.distance import DamerauLevenshtein

    x, y = a.split(), b.split()
    if not x or not y:
        return 0.0
    parts = [(x[0], y[0]), (x[-1], y[-1])] if len(x) > 1 and len(y) > 1 else [(" ".join(x), " ".join(y))]
    if any(p[:1] != q[:1] for p, q in parts):
        return 0.0
    return round(100 * min(DamerauLevenshtein.normalized_similarity(p, q) for p, q in parts), 1)


def phone_e164(text: str | None, *, country: str = "1") -> str | None:
    """A phone number in E.164 form (``+`` and digits), or ``None`` when it cannot be one.

    A number with ``+`` or ``00`` keeps its country code; a national one gets ``country``
    (a leading trunk ``0`` dropped). Ten digits or more are needed, fifteen at most.

    >>> phone_e164("+44 20 7946 0958"), phone_e164("(555) 010-4477"), phone_e164("0049 30 1234567")
    ('+442079460958', '+15550104477', '+49301234567')
    >>> phone_e164("12-34") is None
    True
    """
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    stripped = text.strip()
    if stripped.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = digits[2:]
    elif country == "1" and len(digits) == 11 and digits.startswith("1"):
        number = digits
    else:
        number = country + digits.removeprefix("0")
    return "+" + number if 10 <= len(number) <= 15 else None


def _strong_keys(contacts: pa.Table) -> dict[str, list[str | None]]:
    """Each contact's e-mail, LinkedIn profile and phone, normalised (``None`` where unknown)."""
    ids = contacts.column("id").to_pylist()
    notes = contacts.column("notes").to_pylist() if "notes" in contacts.column_names else [None] * len(ids)
    email = pc.utf8_lower(pc.utf8_trim_whitespace(contacts.column("email"))).to_pylist()
    linkedin: list[str | None] = []
    phone: list[str | None] = []
    for cid, note in zip(ids, notes, strict=True):
        match = _LINKEDIN.search(note or "")
        slug = match.group(1) if match else cid[3:] if cid.startswith("li:") else None
        linkedin.append(slug.lower().rstrip("/") if slug else None)
        found = _PHONE.search(note or "")
        phone.append(phone_e164(found.group(1)) if found else None)
    return {"email": [e or None for e in email], "linkedin": linkedin, "phone": phone}


def _same_key(values: Sequence[Any], nets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (first holder, other holder) of rows sharing a non-null value, across networks."""
    column = pa.array(values)
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


def _blocks(keys: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """The rows of each block (a key shared by two rows or more)."""
    order = np.lexsort((rows, keys))
    keys, rows = keys[order], rows[order]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    return [b for b in np.split(rows, cuts) if len(b) > 1]


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
    are one person). Rows come by rule, then score from high to low, then rows; name pairs
    scoring below ``near`` are left out (see the module documentation); ``rules`` limits the
    rules tried (``("id", "email")`` skips names). The same id with two different e-mails is a
    pair of rule ``id``, score 0 and no match: two people."""
    nets = np.asarray(networks, dtype=np.int64)
    found: list[tuple[np.ndarray, np.ndarray, str, np.ndarray, np.ndarray]] = []

    def add(left: np.ndarray, right: np.ndarray, rule: str, score: Any = 100.0, match: Any = None) -> None:
        score = np.broadcast_to(np.asarray(score, dtype=np.float64), left.shape)
        found.append((left, right, rule, score, score == 100.0 if match is None else match))

    ids = contacts.column("id").to_pylist()
    keys = _strong_keys(contacts)
    left, right = _same_key(ids, nets)
    email = keys["email"]
    differ = np.array([email[a] is not None and email[b] is not None and email[a] != email[b]
                       for a, b in zip(left.tolist(), right.tolist(), strict=True)], dtype=bool)
    add(left, right, "id", np.where(differ, 0.0, 100.0))
    for rule in RULES[1:4]:
        if rule in rules:
            add(*_same_key(keys[rule], nets), rule)
    if "name+organization" in rules:
        _names(contacts, nets, email, threshold=threshold, near=near, across=across, nicknames=nicknames, add=add)
    return _table(found)


def _names(contacts: pa.Table, nets: np.ndarray, email: list[str | None], *, threshold: float, near: float,
           across: float | None, nicknames: dict[str, str], add: Any) -> None:
    """Add the pairs of close names (see the module documentation)."""

    names = [name_key(v, nicknames) for v in fold(contacts.column("name")).to_pylist()]
    orgs = _organizations(contacts, [e.rpartition("@")[2] if e else None for e in email])
    initials = [(k.split()[-1][:1] + k[:1] if k else "") for k in names]
    blocks: dict[str, list[int]] = {}
    for row, held in enumerate(orgs):
        for org in held:
            blocks.setdefault(org, []).append(row)
    for key, members in list(blocks.items()):
        if len(members) > _BIG_BLOCK:
            del blocks[key]
            for row in members:
                blocks.setdefault(f"{key}\x1f{initials[row]}", []).append(row)
    pairs: set[tuple[int, int]] = set()
    pool: dict[str, list[int]] = {}
    for row, key in enumerate(initials):
        pool.setdefault(key, []).append(row)
    for key, members in pool.items():  # a contact with no organisation known meets everyone of its initials
        queries = [r for r in members if across is not None or not orgs[r]]
        if key and queries and len(members) > 1:
            _similar(names, np.asarray(queries), np.asarray(members), near - 15, nets, pairs)
    for block in blocks.values():
        if len(block) > 1:
            rows = np.asarray(sorted(set(block)), dtype=np.int64)
            _similar(names, rows, rows, near - 15, nets, pairs)
    if not pairs:
        return
    left, right = (np.array(c, dtype=np.int64) for c in zip(*sorted(pairs), strict=True))
    score = np.array([name_score(names[i], names[j]) for i, j in zip(left, right, strict=True)])
    keep = score >= near
    left, right, score = left[keep], right[keep], score[keep]
    rules, wanted = [], []
    for i, j, value in zip(left.tolist(), right.tolist(), score.tolist(), strict=True):
        same = orgs[i] & orgs[j] if orgs[i] and orgs[j] else None
        rule = "name+organization" if same else "name only" if same is None else "name across organizations"
        limit = threshold if same else np.inf if same is None or across is None else across
        rules.append(rule if value >= threshold or same else "")  # a name alone is listed from threshold up
        wanted.append(value >= limit and not _other_address(email[i], email[j]))
    match = np.array(wanted, dtype=bool)
    # a close name is one person only when it is the only one on both sides
    ends = np.concatenate([left[match] * len(nets) + nets[right[match]], right[match] * len(nets) + nets[left[match]]])
    seen, counts = np.unique(ends, return_counts=True)
    crowded = set(seen[counts > 1].tolist())
    for k in np.flatnonzero(match).tolist():
        i, j = int(left[k]), int(right[k])
        if i * len(nets) + nets[j] in crowded or j * len(nets) + nets[i] in crowded:
            match[k] = False
    for rule in RULES[4:]:
        pick = np.array([r == rule for r in rules], dtype=bool)
        if pick.any():
            add(left[pick], right[pick], rule, score[pick], match[pick])


def _other_address(a: str | None, b: str | None) -> bool:
    """Whether two e-mails are different addresses of one organisation's domain (two people)."""
    if not a or not b or a == b:
        return False
    domain = a.rpartition("@")[2]
    return domain == b.rpartition("@")[2] and domain not in FREE_MAIL


def _table(found: list[tuple[np.ndarray, np.ndarray, str, np.ndarray, np.ndarray]]) -> pa.Table:
    if not found:
        return pa.table({"left": pa.array([], pa.int64()), "right": pa.array([], pa.int64()),
                         "rule": pa.array([], pa.string()), "score": pa.array([], pa.float64()),
                         "match": pa.array([], pa.bool_())})
    left, right, score, match = (np.concatenate([f[k] for f in found]) for k in (0, 1, 3, 4))
    rank = np.concatenate([np.full(len(f[0]), RULES.index(f[2])) for f in found])
    order = np.lexsort((right, left, -score, rank))
    return pa.table({"left": left[order], "right": right[order], "rule": [RULES[r] for r in rank[order]],
                     "score": score[order], "match": match[order]})


def _similar(names: list[str], queries: np.ndarray, pool: np.ndarray, near: float, nets: np.ndarray,
             pairs: set[tuple[int, int]]) -> None:
    """Add to ``pairs`` each (lower row, higher row) of a query and a pool row, from different
    networks, whose names are alike (``token_sort_ratio`` of ``near`` or more: a quick first
    sieve, C++ over the whole block)."""
    from rapidfuzz import fuzz, process

    scores = process.cdist([names[r] for r in queries], [names[r] for r in pool], scorer=fuzz.token_sort_ratio,
                           score_cutoff=near, dtype=np.uint8)
    a, b = np.nonzero(scores)
    for i, j in zip(queries[a].tolist(), pool[b].tolist(), strict=True):
        if nets[i] != nets[j] and names[i]:
            pairs.add((min(i, j), max(i, j)))


def _organizations(contacts: pa.Table, domains: Sequence[str | None]) -> list[frozenset[str]]:
    """Each contact's organisations, folded: the current one, those of its roles and its
    e-mail domain unless a free-mail one."""
    current = fold(contacts.column("organization")).to_pylist()
    orgs = [{o} if o else set() for o in current]
    for row, domain in enumerate(domains):
        if domain and domain not in FREE_MAIL:
            orgs[row].add("@" + domain)
    if "roles" in contacts.column_names:
        roles = contacts.column("roles").combine_chunks()
        parents = np.asarray(pc.list_parent_indices(roles))
        for row, org in zip(parents.tolist(), fold(pc.list_flatten(roles).field("organization")).to_pylist(),
                            strict=True):
            if org:
                orgs[row].add(org)
    return [frozenset(o) for o in orgs]

