"""Contacts from an address book: ``.vcf`` files (vCard 3.0 and 4.0), read with ``vobject``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, MutableMapping
from os import PathLike
from typing import Any

from .._files import read_text
from ..records.models import Contact, Relationship
from ..records.network import Network
from ._signals import address, finish, paths_of, start

__all__ = ["CATEGORY_KINDS", "read_vcard"]

#: vCard ``CATEGORIES`` (in lower case) -> the contact kind and relationship kind they mean.
CATEGORY_KINDS = {
    "family": "family", "friend": "friend", "friends": "friend", "colleague": "colleague",
    "colleagues": "colleague", "coworkers": "colleague", "client": "client", "clients": "client",
    "customer": "client", "customers": "client", "prospect": "prospect", "prospects": "prospect",
}
#: When a card has several of these kinds, the relationship takes the first in this order.
_TIE_ORDER = ("family", "friend", "client", "colleague", "prospect")
_CARD = re.compile(r"^BEGIN:VCARD\s*$.*?^END:VCARD\s*$", re.MULTILINE | re.DOTALL | re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"\\[^,;:nN\\]")


def _values(card: Any, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name, [])]


def _text(value: Any) -> str:
    return ", ".join(str(v) for v in value if str(v).strip()) if isinstance(value, list) else str(value or "")


def read_vcard(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    owner: str | None = None,
    owner_name: str = "Me",
    network: Network | None = None,
    summary: MutableMapping[str, int] | None = None,
) -> Network:
    """The contacts of an address book: names, e-mails, phones, organisation and title.

    Each card becomes a contact (id ``mail:<first e-mail>``, so that mail and calendar find
    the same person, else ``vcard:<UID>``, else ``vcard:<name>``) with its name (``FN``, else
    ``N``), e-mail, organisation (``ORG``, its units joined with ``, ``), title, and its phones
    and note in ``notes``. ``CATEGORIES`` such as family, friends, colleagues or clients
    (:data:`CATEGORY_KINDS`) become contact kinds and the kind of the contact's relationship
    with the owner (``acquaintance`` otherwise), whose evidence names the file. A card that
    cannot be parsed, or has no name and no e-mail, is left out and counted; a text with an
    unknown escape (``\\q``) is kept as written and counted. The counts are logged and put in
    ``summary`` when a dict is passed. With ``network``, what was read is added to it (all or
    nothing) and it is returned.

    Examples
    --------
    >>> import refgraph as rg, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "contacts.vcf")
    >>> with open(path, "w", encoding="utf-8") as fh:
    ...     _ = fh.write("BEGIN:VCARD\\nVERSION:4.0\\nFN:Zoë Durand\\nEMAIL:Zoe@Acme.example\\n"
    ...                  "ORG:Acme\\\\, Inc.\\nTITLE:CTO\\nCATEGORIES:Friends,VIP\\nEND:VCARD\\n")
    >>> net = rg.read_vcard(path)
    >>> zoe = net.contacts["mail:zoe@acme.example"]
    >>> zoe.name, zoe.organization, sorted(map(str, zoe.kinds)), str(net.relationships[0].kind)
    ('Zoë Durand', 'Acme, Inc.', ['friend'], 'friend')
    """
    import vobject

    net = start(network, owner, owner_name)
    found = paths_of(paths)
    counts: Counter[str] = Counter()
    owner_id = str(net.owner)
    for path in found:
        text = read_text(path)
        for match in _CARD.finditer(text):
            counts["cards"] += 1
            try:
                card = vobject.readOne(match.group(0))
            except vobject.base.ParseError:
                counts["unreadable"] += 1
                continue
            counts["bad_escape"] += bool(_BAD_ESCAPE.search(match.group(0).replace("\\\\", "")))
            mails = [address(str(m)) for m in _values(card, "email") if "@" in str(m)]
            names = _values(card, "fn") or [" ".join(p for p in (getattr(n, "given", ""), getattr(n, "family", ""))
                                                     if p) for n in _values(card, "n")]
            name = next((str(n).strip() for n in names if str(n).strip()), "") or (mails[0] if mails else "")
            if not name:
                counts["no_name"] += 1
                continue
            uid = next((str(u) for u in _values(card, "uid")), None)
            contact_id = f"mail:{mails[0]}" if mails else f"vcard:{uid or name.lower()}"
            categories = [str(c).strip().lower() for v in _values(card, "categories")
                          for c in (v if isinstance(v, list) else str(v).split(","))]
            kinds = {CATEGORY_KINDS[c] for c in categories if c in CATEGORY_KINDS}
            phones = [str(t).removeprefix("tel:") for t in _values(card, "tel")]
            notes = [*(f"phone {p}" for p in phones), *(_text(n) for n in _values(card, "note"))]
            if contact_id in net.contacts:
                counts["repeated"] += 1
                continue
            net.add(Contact(id=contact_id, name=name, email=mails[0] if mails else None, kinds=kinds,
                            organization=next((_text(o) for o in _values(card, "org")), None),
                            title=next((_text(t) for t in _values(card, "title")), None), notes="; ".join(notes)))
            net.add(Relationship(source=owner_id, target=contact_id,
                                 kind=next((k for k in _TIE_ORDER if k in kinds), "acquaintance"),
                                 evidence=f"in the address book {path.name}"))
    return finish(net, network, f"read_vcard {', '.join(map(str, found))}", counts, summary)
