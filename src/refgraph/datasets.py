"""The bundled sample network: a fictional seller's relationships, referrals and notes."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from . import _checks
from .engine.graph import TrustGraph
from .errors import DataError
from .io.json import load
from .records.models import Contact, Relationship
from .records.network import Network

__all__ = ["SplitPeople", "bitcoin_otc", "sample_network", "sample_teammate", "split_people"]


def sample_network() -> Network:
    """A realistic fictional seller's network, owned by ``"me"`` (Sam Rivera).

    About 130 contacts of every kind across a dozen organisations, relationships with trust
    signals and scorecards, referral chains four generations deep (one started by a client
    who moved from Globex to Initech and kept referring), follow-up interactions and
    mentions of people not yet met. Each call returns a fresh copy.

    >>> import refgraph as rg
    >>> net = rg.sample_network()
    >>> net.owner, 100 <= len(net.contacts) <= 150
    ('me', True)
    """
    with resources.as_file(resources.files("refgraph") / "data" / "sample.json") as path:
        return load(path)


def sample_teammate() -> Network:
    """A second seller's small network, Kai Morgan's (owner ``"kai"``), that overlaps the
    sample network's under other ids (a LinkedIn id, CRM ids): merged with it, it makes a team
    of two (see :func:`refgraph.merge`).

    >>> team, report = rg.merge(rg.sample_network(), rg.datasets.sample_teammate())
    >>> team.owners, report.merged >= 3
    (('me', 'kai'), True)
    """
    contacts = [
        Contact(id="kai", name="Kai Morgan", organization="Rivera & Co", email="kai@rivera.example"),
        Contact(id="li:marco-rossi", name="Marco Rossi", organization="Harbor & Vale Law", kinds="client"),
        Contact(id="crm:tess", name="Tess Okafor", organization="Kestrel Software", kinds="friend"),
        Contact(id="crm:isaac", name="Isaac Li", organization="Kestrel Software", email="isaac.li@kestrel.example",
                kinds="prospect"),
        Contact(id="crm:kenji", name="Kenji Novak", organization="Harbor & Vale Law",
                email="kenji.novak@harbor.example", kinds="prospect"),
    ]
    ties = [
        Relationship(source="kai", target="li:marco-rossi", kind="client", repeat_business=3, candid_conversations=4,
                     last_interaction="2024-05-20", response_hours=2),
        Relationship(source="kai", target="crm:tess", kind="friend", candid_conversations=6,
                     last_interaction="2024-06-01", response_hours=1),
        Relationship(source="crm:tess", target="crm:isaac", kind="colleague", trust=0.85),
        Relationship(source="li:marco-rossi", target="crm:kenji", kind="colleague", trust=0.8),
    ]
    return Network("kai", contacts, ties)


def bitcoin_otc(*, min_rating: int = 1) -> TrustGraph:
    """The Bitcoin OTC web of trust: 5,881 real traders who rated each other after trading.

    Members rated each other from -10 (total distrust) to +10 (total trust). Ratings of at
    least ``min_rating`` become directed trust ``rating / 10`` (so +10 is full trust);
    lower ones (distrust) are left out, since nobody asks a person they distrust for an
    introduction. Ids are the members' integer ids.

    Source: S. Kumar, F. Spezzano, V.S. Subrahmanian and C. Faloutsos, "Edge Weight
    Prediction in Weighted Signed Networks", ICDM 2016 (SNAP soc-sign-bitcoin-otc); cite it
    when you publish results on it.

    >>> g = bitcoin_otc()
    >>> g.directed, len(g), g.number_of_edges()
    (True, 5573, 32029)
    """
    min_rating = _checks.count(min_rating, "min_rating", low=-10, high=10)
    if not 1 <= min_rating <= 10:
        raise DataError("must be between 1 and 10", field="min_rating", value=min_rating)
    with resources.as_file(resources.files("refgraph") / "data" / "bitcoin_otc.csv") as path:
        rater, rated, rating = np.loadtxt(path, delimiter=",", dtype=np.int64, unpack=True, ndmin=2)
    keep = rating >= min_rating
    return TrustGraph.from_edges(rater[keep], rated[keep], rating[keep] / 10, directed=True)


_FIRST = ("William", "Robert", "James", "Katherine", "Elizabeth", "Michael", "Thomas", "David", "Daniel",
          "Joseph", "Samuel", "Alexander", "Christopher", "Matthew", "Nicholas", "Anthony", "Andrew",
          "Stephen", "Benjamin", "Jennifer", "Margaret", "Susan", "Patricia", "Richard", "Edward",
          "José", "Zoë", "Renée", "Björn", "Chloé", "François", "Ana", "Raj", "Priya", "Wei", "Yuki",
          "Fatima", "Omar", "Ingrid", "Lars", "Amara", "Kwame", "Sofia", "Lucas", "Mateo", "Elena",
          "Hannah", "Olga", "Dmitri", "Aisha", "Noah", "Emma", "Liam", "Mia", "Oliver", "Isla", "Ethan",
          "Grace", "Leo", "Nora", "Felix", "Clara", "Hugo", "Iris", "Jonas", "Lena", "Marco", "Nina")
_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez",
         "Martínez", "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
         "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez",
         "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
         "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
         "Carter", "Roberts", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
         "Becker", "Schulz", "Hoffmann", "Dubois", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel",
         "Núñez", "Okafor", "Mensah", "Patel", "Sharma", "Gupta", "Kowalski", "Nowak", "Wiśniewski",
         "Johansson", "Lindqvist", "Nakamura", "Tanaka", "Suzuki", "Chen", "Wang", "Zhang", "Liu", "Yang",
         "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
         "Walsh", "Byrne", "Ryan", "O'Brien", "O'Connor", "Murphy", "Kelly", "Doyle", "Quinn", "Brennan")
_FIRM = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Cyberdyne",
         "Tyrell", "Wonka", "Gringotts", "Aperture", "Monarch", "Oscorp", "Pied Piper", "Dunder", "Prestige",
         "Massive", "Sterling", "Bluth", "Nakatomi", "Oceanic", "Virtucon", "Zorg", "Duff", "Krusty", "Paper",
         "Octan", "Rekall", "Tessier", "Weyland", "Yoyodyne", "Buy n Large", "Spacely", "Cogswell", "Planet")
_KIND = ("Labs", "Group", "Partners", "Holdings", "Systems", "Logistics", "Capital", "Foods", "Health", "Media")
_PLACE = ("", " Berlin", " Lagos", " Austin", " Osaka", " Lyon", " Leeds", " Pune", " Quito", " Oslo", " Perth",
          " Turin", " Accra", " Cork", " Porto", " Busan", " Tampa", " Graz", " Kyiv", " Davao")
_SHORT = {full.lower(): short for short, full in (
    ("Bill", "William"), ("Bob", "Robert"), ("Jim", "James"), ("Kate", "Katherine"), ("Liz", "Elizabeth"),
    ("Mike", "Michael"), ("Tom", "Thomas"), ("Dave", "David"), ("Dan", "Daniel"), ("Joe", "Joseph"),
    ("Sam", "Samuel"), ("Alex", "Alexander"), ("Chris", "Christopher"), ("Matt", "Matthew"),
    ("Nick", "Nicholas"), ("Tony", "Anthony"), ("Andy", "Andrew"), ("Steve", "Stephen"), ("Ben", "Benjamin"),
    ("Jen", "Jennifer"), ("Maggie", "Margaret"), ("Sue", "Susan"), ("Pat", "Patricia"), ("Rick", "Richard"),
    ("Ed", "Edward"), ("Pepe", "José"))}
_SOURCES = ("csv", "linkedin", "vcard", "crm")


class SplitPeople(NamedTuple):
    """Networks made of the same people seen by several sources, and who each contact is."""

    networks: list[Network]
    #: For each network, the person (a number, ``-1`` for the owner) behind each contact, in order.
    people: list[np.ndarray]


def split_people(
    n: int = 1_000,
    *,
    sources: Sequence[str] = _SOURCES,
    overlap: float = 0.3,
    seed: int | None = 0,
) -> SplitPeople:
    """The same people split across sources with known truth: for testing a merge.

    Each source (``"csv"``, ``"linkedin"``, ``"vcard"``, ``"crm"``, in any number and order)
    is a network of ``n`` contacts owned by ``"me"``, each with a tie to the owner; a share
    ``overlap`` of each source's contacts are people also in another source (each shared person
    is in two sources on average). Sources differ as real ones do: the CSV folder has ids like
    ``ana.silva`` and work e-mails, and is stale for people who moved jobs (old organisation,
    old e-mail); LinkedIn has ``li:`` ids, nicknames (``Bill`` for ``William``), the current
    organisation and mostly no e-mail; the address book has typos, dropped accents, personal
    e-mails and phones (in the notes); the CRM has the work e-mail, phone and often the
    LinkedIn profile in the notes, and names typed with a typo now and then. Organisations
    are shared by about fifty people each, and names repeat (different people with the same
    name at different firms).

    >>> nets, people = rg.datasets.split_people(200, sources=("csv", "linkedin"), seed=1)
    >>> [len(net.contacts) for net in nets], len(people[0]) == len(nets[0].contacts)
    ([201, 201], True)
    """
    n = _checks.count(n, "n", low=1)
    overlap = _checks.probability(overlap, "overlap")
    for source in sources:
        _checks.choice(source, "sources", _SOURCES)
    rng = np.random.default_rng(_checks.seed(seed))
    shared = int(round(n * overlap))
    pool = max(shared, int(round(shared * len(sources) / 2))) if len(sources) > 1 else 0
    total = pool + n * len(sources)
    first = rng.integers(0, len(_FIRST), total)
    last = rng.integers(0, len(_LAST), total)
    firms = [f"{a} {b}{c}" for c in _PLACE for a in _FIRM for b in _KIND]
    n_orgs = min(len(firms), max(2, total // 50))
    org = rng.integers(0, n_orgs, total)
    moved = rng.random(total) < 0.1
    old = np.where(moved, (org + rng.integers(1, n_orgs, total)) % n_orgs, org)
    networks, people, fresh = [], [], pool
    for k, source in enumerate(sources):
        mine = np.concatenate([rng.choice(pool, size=min(shared, pool), replace=False) if shared and pool else
                               np.empty(0, np.int64), np.arange(fresh, fresh + n - min(shared, pool))])
        fresh += n - min(shared, pool)
        rng.shuffle(mine)
        people.append(np.concatenate([[-1], mine]))
        networks.append(_source(source, mine, first, last, firms, org, old, rng, k))
    return SplitPeople(networks, people)


def _source(source: str, who: np.ndarray, first: np.ndarray, last: np.ndarray, firms: list[str], org: np.ndarray,
            old: np.ndarray, rng: np.random.Generator, k: int) -> Network:
    """One source's network of the people ``who`` (see :func:`split_people`)."""
    import unicodedata

    def plain(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))

    def typo(text: str) -> str:
        at = int(rng.integers(1, len(text) - 1))
        return text[:at] + text[at + 1] + text[at] + text[at + 2:] if rng.random() < 0.5 else text[:at] + text[at + 1:]

    def slug(p: int) -> str:
        return plain(f"{_FIRST[first[p]]}-{_LAST[last[p]]}-{p}").lower().replace("'", "")

    def mail(p: int, firm: int) -> str:
        return f"{slug(p).rsplit('-', 1)[0].replace('-', '.')}.{p}@{plain(firms[firm]).lower().replace(' ', '')}.example"

    def personal(p: int) -> str:
        return f"{slug(p)}@{('gmail.com', 'outlook.com', 'icloud.com')[p % 3]}"

    rows: dict[str, list[Any]] = {c: [] for c in ("id", "name", "organization", "email", "notes", "title")}
    roll = rng.random((len(who), 4))
    for (p, r) in zip(who.tolist(), roll, strict=True):
        given, family = _FIRST[first[p]], _LAST[last[p]]
        firm, notes = org[p], ""
        email: str | None = mail(p, org[p])
        if source == "csv":  # stale for those who moved: the old organisation and e-mail
            cid, firm = slug(p).replace("-", "."), old[p]
            email = personal(p) if r[0] < 0.3 else mail(p, old[p])
        elif source == "linkedin":  # the account's (personal) e-mail, when shown
            cid, email = "li:" + slug(p), personal(p) if r[0] < 0.5 else None
            given = _SHORT.get(given.lower(), given) if r[1] < 0.4 else given
        elif source == "vcard":
            cid = f"vcard:{k}.{p}"
            family = typo(family) if r[0] < 0.15 else family
            given, family = (plain(given), plain(family)) if r[1] < 0.5 else (given, family)
            email = personal(p) if r[2] < 0.6 else email
            notes, firm = f"phone +1 555 {p // 10_000:03d} {p % 10_000:04d}", firm if r[3] < 0.9 else None
        else:
            cid, firm = f"crm:{p}", old[p] if r[2] < 0.3 else firm
            email = mail(p, firm)
            family = typo(family) if r[0] < 0.1 else family
            notes = "; ".join([f"tel (555) {p // 10_000:03d}-{p % 10_000:04d}",
                               *([f"https://www.linkedin.com/in/{slug(p)}"] if r[1] < 0.6 else [])])
        rows["id"].append(cid)
        rows["name"].append(f"{given} {family}")
        rows["organization"].append(None if firm is None else firms[firm])
        rows["email"].append(email)
        rows["notes"].append(notes)
        rows["title"].append(None)
    kinds = {"csv": "client", "linkedin": "acquaintance", "vcard": "friend", "crm": "client"}
    contacts = pa.table({c: [*(["me"] if c == "id" else ["Sam Rivera"] if c == "name" else [None]), *v]
                         for c, v in rows.items()})
    ties = pa.table({"source": ["me"] * len(who), "target": rows["id"], "kind": [kinds[source]] * len(who)})
    return Network.from_tables({"contacts": contacts, "relationships": ties}, owner="me")
