"""Regenerate the bundled sample network, src/refgraph/data/sample.json.

The sample is a fictional seller, Sam Rivera, with about 130 contacts. It is generated
deterministically (fixed seed) so that the file only changes when this script does:

    python scripts/make_sample.py
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import refgraph as rg

OUT = Path(__file__).resolve().parents[1] / "src" / "refgraph" / "data" / "sample.json"
rng = random.Random(20241115)
AS_OF = dt.date(2024, 11, 15)

FIRST = """Ana Ben Chloe Dev Emil Farah Gus Hana Ivan Jia Kofi Lena Marco Nadia Omar Priya Quinn
Rosa Sven Tara Uma Victor Wen Xavier Yara Zane Aiko Bruno Carmen Diego Elif Femi Greta Hugo Ines
Jonas Kira Luca Mei Nils Olga Pablo Rania Sofia Tomas Ulla Vera Wade Ximena Yusuf Zoe Amir Beatriz
Chen Dalia Erik Fatima Gabriel Helga Isaac Julia Kenji Leila Mateo Noor Oscar Paula Rafael Saanvi
Theo Valentina Will Yasmin Adele Bilal Clara Dario Esme Felix Gemma Hiro Ivy Jamal Katya Liam Maya
Nico Orla Pedro Rhea Sami Tess Ugo Vik Wanda Alma Boris Cyrus Dina Ezra Flora Goran Heidi Idris
Jade Kai Lotte Milan Nell Otto Pia Reza Selma Timo Vida""".split()
LAST = """Silva Okafor Tan Patel Berg Haddad Lindqvist Sato Petrov Li Mensah Novak Rossi Karimi Aziz
Sharma Doyle Moreno Nilsson Brooks Iyer Dubois Zhang Alvarez Costa Kaplan Yamamoto Ferreira Ortiz
Ramos Demir Adeyemi Fischer Laurent Santos Weber Ivanova Bianchi Chen Larsen Popescu Vega Khalil
Garcia Horvat Jensen Kowalski Murphy Nakamura Oliveira""".split()

ORGS = ["Globex", "Initech", "Northwind Traders", "Bluefin Analytics", "Harbor & Vale Law",
        "Cedar Ridge Dental", "Lumen Freight", "Orchard Bank", "Kestrel Software", "Maple Street Realty",
        "Granite Build", "Copperleaf Insurance"]
TITLES = ["CEO", "CFO", "Head of Operations", "IT Director", "Office Manager", "Partner",
          "Procurement Lead", "VP Sales", "Founder", "Controller", "Practice Manager", "COO"]

names = iter(f"{f} {LAST[i % len(LAST)]}" for i, f in enumerate(FIRST))
contacts: dict[str, rg.Contact] = {}
relationships: list[rg.Relationship] = []
referrals: list[rg.Referral] = []
interactions: list[rg.Interaction] = []
mentions: list[rg.Mention] = []


def day(start: str, end: str = "2024-11-15") -> dt.date:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return a + dt.timedelta(days=rng.randrange((b - a).days + 1))


def person(kinds: str, org: str | None = None, **extra: object) -> str:
    name = next(names)
    cid = name.lower().replace(" ", ".")
    org = org if org is not None else rng.choice(ORGS)
    fields: dict[str, object] = {"id": cid, "name": name, "kinds": kinds, "title": rng.choice(TITLES)}
    if org:
        fields["organization"] = org
        fields["email"] = f"{cid}@{org.split()[0].lower().strip('&')}.example"
    fields.update(extra)
    contacts[cid] = rg.Contact(**fields)
    return cid


def scorecard(warm: int) -> rg.Scorecard:
    return rg.Scorecard(**{f: max(0, min(10, warm + rng.randint(-2, 2))) for f in rg.Scorecard.FIELDS})


tied: set[frozenset[str]] = set()


def tie(a: str, b: str, kind: str, warm: int = 6, *, since: str = "2023-06-01", card: bool | None = None) -> None:
    if a == b or frozenset((a, b)) in tied:
        return
    tied.add(frozenset((a, b)))
    card = rng.random() < 0.6 if card is None else card
    relationships.append(rg.Relationship(
        source=a, target=b, kind=kind,
        repeat_business=rng.randint(0, warm // 2) if kind in ("client", "former_client") else 0,
        response_hours=rng.choice([None, 1, 2, 4, 8, 24, 48, 96]) if warm > 3 else rng.choice([None, 48, 120]),
        candid_conversations=rng.randint(0, max(0, warm - 4)),
        last_interaction=day(since),
        scorecard=scorecard(warm) if card else None,
    ))


ME = "me"
contacts[ME] = rg.Contact(id=ME, name="Sam Rivera", organization="Rivera Consulting", title="Founder",
                          email="sam@rivera.example")

family = [person("family", org="") for _ in range(4)]
friends = [person("friend") for _ in range(8)]
clients = [person("client") for _ in range(26)]
former_clients = [person("former_client") for _ in range(7)]
colleagues = [person("colleague", org="Rivera Consulting") for _ in range(5)]
former_colleagues = [person("former_colleague") for _ in range(5)]
cois = [person("centre_of_influence;friend", org=o) for o in ("Harbor & Vale Law", "Orchard Bank", "Copperleaf Insurance")]
prospects = [person("prospect") for _ in range(22)]

for c in family:
    tie(ME, c, "family", 9, card=True)
for c in friends:
    tie(ME, c, "friend", 8)
for c in clients:
    tie(ME, c, "client", rng.randint(5, 9))
for c in former_clients:
    tie(ME, c, "former_client", rng.randint(3, 7), since="2022-01-01")
for c in colleagues:
    tie(ME, c, "colleague", 7)
for c in former_colleagues:
    tie(ME, c, "former_colleague", 5, since="2022-01-01")
for c in cois:
    tie(ME, c, "friend", 8, card=True)
for c in prospects[:8]:
    tie(ME, c, "prospect", 2, card=False)

# Centres of influence know many people across organisations.
others = clients + former_clients + friends + prospects[8:]
for coi in cois:
    for c in rng.sample(others, 14):
        tie(coi, c, rng.choice(["client", "partner", "acquaintance"]), rng.randint(4, 8), card=False)
# Friends and family know some clients; colleagues know each other.
for c in family + friends:
    for other in rng.sample(clients + friends, 2):
        if other != c:
            tie(c, other, "friend", 7, card=False)
for a, b in zip(colleagues, colleagues[1:], strict=False):
    tie(a, b, "colleague", 7, card=False)
# People at the same organisation know each other.
by_org: dict[str, list[str]] = {}
for cid, c in contacts.items():
    if c.organization and cid != ME:
        by_org.setdefault(c.organization, []).append(cid)
for members in by_org.values():
    for a, b in zip(members, members[1:], strict=False):
        tie(a, b, "colleague", 5, card=False)

# Referral chains. Chain A runs four generations: ana -> ben -> chloe -> emil -> farah.
ana = clients[0]


def refer(referrer: str, status: str, when: str, value: float = 0.0, org: str | None = None,
          kinds: str = "referred_contact", via: str | None = None) -> str:
    referred = person(kinds + (";client" if status == "won" else ""), org=org)
    date = dt.date.fromisoformat(when)
    referrals.append(rg.Referral(referrer=referrer, referred=referred, date=date, status=status,
                                 value=value, via=via))
    tie(ME, referred, "client" if status == "won" else "referred_contact", 7 if status == "won" else 4,
        since=when)
    tie(referrer, referred, "friend" if rng.random() < 0.5 else "colleague", 7, since=when, card=False)
    # The seed's follow-ups: thanks within a day (mostly), a status report, thanks after a sale.
    if rng.random() < 0.8:
        interactions.append(rg.Interaction(contact=referrer, date=date + dt.timedelta(days=rng.choice([0, 1, 1, 3])),
                                           kind="thanks", note=f"thanks for introducing {contacts[referred].name}"))
    if status in ("met", "won", "lost") and rng.random() < 0.7:
        interactions.append(rg.Interaction(contact=referrer, date=date + dt.timedelta(days=rng.randint(5, 20)),
                                           kind="status_update", note=f"met {contacts[referred].name}"))
    if status == "won" and rng.random() < 0.6:
        interactions.append(rg.Interaction(contact=referrer, date=date + dt.timedelta(days=rng.randint(30, 60)),
                                           kind="thanks", note="thank you again: the deal closed"))
    return referred


ben = refer(ana, "won", "2022-03-10", 24000)
chloe = refer(ben, "won", "2022-09-02", 18000)
dev = refer(ben, "met", "2023-01-20")
emil = refer(chloe, "won", "2023-05-15", 31000)
refer(chloe, "lost", "2023-08-01")
refer(emil, "won", "2024-02-12", 12500)

refer(dev, "asked", "2024-11-05")

# Chain B: Maria moved from Globex to Initech and kept referring from there.
maria = person("client", roles=[
    {"organization": "Globex", "title": "IT Director", "start": "2017-04-01", "end": "2023-06-30"},
    {"organization": "Initech", "title": "CIO", "start": "2023-07-01"},
])
tie(ME, maria, "client", 9, card=True)
refer(maria, "won", "2022-05-18", 15000, org="Globex")
refer(maria, "lost", "2023-02-07", org="Globex")
m1 = refer(maria, "won", "2023-09-12", 42000, org="Initech")
refer(maria, "won", "2024-01-25", 9000, org="Initech")
refer(maria, "met", "2024-09-03", org="Initech")
refer(m1, "won", "2024-04-18", 16000, org="Initech")

# Chain C: the lawyer, a centre of influence, refers often; one referral came via a colleague.
lawyer = cois[0]
for when, status, value in (("2022-11-03", "won", 8000), ("2023-03-21", "won", 11000),
                            ("2023-10-09", "lost", 0), ("2024-06-14", "won", 27000)):
    r = refer(lawyer, status, when, value, via=colleagues[0] if when == "2023-03-21" else None)
    if status == "won" and rng.random() < 0.7:
        refer(r, rng.choice(["won", "met"]), (dt.date.fromisoformat(when) + dt.timedelta(days=150)).isoformat(), 7000)

# A few clients each referred one person.
for c in clients[1:7]:
    refer(c, rng.choice(["won", "won", "met", "lost", "introduced"]), day("2022-06-01", "2024-10-01").isoformat(),
          rng.choice([6000, 9500, 14000]))
# Two people referred the same contact: the earliest referral stands.
referrals.append(rg.Referral(referrer=clients[3], referred=dev, date="2023-02-14", status="met"))

# Prospects reached only through a client's colleague: three introductions away.
gatekeeper = person("", org=contacts[clients[10]].organization)
tie(clients[10], gatekeeper, "colleague", 7, card=False)
for p in prospects[8:12]:
    relationships[:] = [r for r in relationships if p not in (r.source, r.target)]
    tie(gatekeeper, p, "acquaintance", 5, card=False)

# Meetings and calls with clients over the years.
for c in clients + friends + cois:
    for _ in range(rng.randint(0, 3)):
        interactions.append(rg.Interaction(contact=c, date=day("2023-01-01"),
                                           kind=rng.choice(["meeting", "call", "email"])))

# People mentioned in passing: leads to harvest.
MENTIONED = [("Raj Patel", "Initech", "their new CFO is rethinking vendors"),
             ("Lucia Moreau", "Lumen Freight", "expanding to a second warehouse"),
             ("Raj Patel", "Initech", "mentioned again: wants a call in Q1"),
             ("Henrik Dahl", "Orchard Bank", "looking for advice on a merger"),
             ("Amara Obi", None, "a friend starting a dental practice"),
             ("Tom Becker", "Granite Build", "unhappy with the current provider"),
             ("Sara Lindgren", "Kestrel Software", "hiring a head of operations"),
             ("Kwame Asante", "Northwind Traders", "opening an office downtown"),
             ("Ines Duarte", "Bluefin Analytics", "asked who handles our insurance")]
for name, org, context in MENTIONED:
    by = rng.choice([maria, ana, cois[1], friends[0], clients[5]])
    mentions.append(rg.Mention(by=by, name=name, organization=org, date=day("2024-03-01"), context=context))

interactions.sort(key=lambda i: i.date)
relationships = [r.model_copy(update={"last_interaction": min(r.last_interaction, AS_OF)}) for r in relationships]
net = rg.Network(owner=ME, contacts=contacts.values(), relationships=relationships, referrals=referrals,
                 interactions=[i for i in interactions if i.date <= AS_OF], mentions=mentions)
net.save(OUT)
print(f"wrote {OUT}: {net.summary()}")
