"""Putting networks together: many sources of one seller, or the networks of a whole team.

:func:`merge` makes one network of several and says what it did in a :class:`MergeReport`;
:meth:`Network.update <refgraph.Network.update>` adds other networks to a network in place
(all or nothing) by the same rules, finding the same person only by id and e-mail. The work is
done on whole Arrow columns (group-bys over the concatenated tables), not record by record.

The rules, applied in the order the networks are given:

- **Contacts** found to be one person (see :mod:`refgraph.records.resolve`: the same id, e-mail,
  LinkedIn profile or phone, or a close name at the same organisation) become one, **known by
  the id of its first record** (the first network's). It keeps what that record says; what it
  leaves blank (organisation, title, e-mail, notes) is taken from the next records, and the
  kinds of all are united. Records naming **different organisations** keep all of them as role
  history (the first record's organisation stays the current one), never a silent overwrite.
  The same id in two networks with two different e-mails is two people: the later one is
  renamed ``id#k`` (``k`` its network, counted from 1) with a note saying so.
- **Relationships** over the same tie (the same two contacts; for a directed one, the same
  direction; an undirected record makes the whole pair one undirected tie) become one: counts
  add (``repeat_business``, ``candid_conversations``), the latest ``last_interaction`` wins,
  so does the fastest ``response_hours`` (and ``their_response_hours``), the scorecard of the
  latest record that has one, and the kind of the first record that says more than
  ``acquaintance``. A ``trust`` override is kept when every record that gives one gives the
  same value; different overrides cancel and the model decides. The tie is directed only if
  every record is. The ``evidence`` of all is kept, joined with ``"; "``. A record equal to one
  already read, or whose evidence the tie already cites, is the same evidence read again and
  adds nothing (so merging a network with itself, or importing a file twice, changes nothing).
- **Referrals, interactions and mentions** are kept once: a record equal to another is not
  added again. A referral that would close a cycle once people are merged is refused, naming
  the cycle.
- **Owners**: :func:`merge` keeps every network's owner (a team); :meth:`Network.update`
  keeps one and refuses a network with another owner.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _checks
from ..errors import DataError
from .bulk import Origin
from .columns import KINDS, SCHEMAS
from .network import Network
from .resolve import NICKNAMES, RULES, candidates

__all__ = ["MergeReport", "merge", "update"]

_ID_FIELDS = {"relationships": ("source", "target"), "referrals": ("referrer", "referred", "via"),
              "interactions": ("contact",), "mentions": ("by",)}
_STRONG = ("id", "email")  # what update() finds people by


def merge(
    *networks: Network,
    threshold: float = 80.0,
    near: float = 70.0,
    across: float | None = None,
    nicknames: dict[str, str] | None = None,
    review: str = "merge",
) -> tuple[Network | None, MergeReport]:
    """One network from several, and a :class:`MergeReport` of who was found twice.

    Contacts are matched by :func:`refgraph.records.resolve.candidates` (strong keys, then names
    scoring ``threshold`` or more within an organisation; ``near`` and up are near misses;
    ``across`` lets a name alone match across organisations) and the records combined by the
    rules of :mod:`refgraph.records.combine`; ids kept are the first network's. Every owner is kept
    (``net.owners``): merging sellers' networks makes a team. With ``review="ask"`` nothing
    is merged: the network is ``None`` and the report lists the candidates, to be decided with
    :meth:`MergeReport.apply`. Deterministic: the same networks in the same order give the
    same network.

    Examples
    --------
    >>> csv = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Sam"),
    ...     rg.Contact(id="erin.walsh", name="Erin Walsh", organization="Acme", email="erin@acme.example")],
    ...     relationships=[rg.Relationship(source="me", target="erin.walsh", kind="client", repeat_business=2)])
    >>> linkedin = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Sam"),
    ...     rg.Contact(id="li:erinwalsh", name="Érin Walsh", organization="ACME")],
    ...     relationships=[rg.Relationship(source="me", target="li:erinwalsh", kind="acquaintance",
    ...                                    last_interaction="2024-03-12")])
    >>> net, report = rg.merge(csv, linkedin)
    >>> sorted(net.contacts), str(net.relationship("me", "erin.walsh").kind)
    (['erin.walsh', 'me'], 'client')
    >>> [(p.left, p.right, p.rule, p.status) for p in report.pairs if p.rule != "id"]
    [('erin.walsh', 'li:erinwalsh', 'name+organization', 'merged')]
    """
    _checks.choice(review, "review", ("merge", "ask"))
    threshold, near = _checks.score(threshold, "threshold"), _checks.score(near, "near")
    across = None if across is None else _checks.score(across, "across")
    if not networks or not all(isinstance(n, Network) for n in networks):
        raise DataError("merge() takes one or more refgraph Networks", field="networks",
                        value=[type(n).__name__ for n in networks])
    options = {"threshold": threshold, "near": near, "across": across, "nicknames": nicknames or NICKNAMES}
    report = MergeReport(networks, options)
    if review == "ask":
        return None, report
    return report.apply()


def update(net: Network, *others: Network) -> Network:
    """Add the records of ``others`` to ``net`` by the rules of the module documentation,
    finding people by id and e-mail only; returns ``net``. A failure raises an error and
    leaves ``net`` as it was.

    Examples
    --------
    >>> from refgraph.records.combine import update
    >>> crm = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
    ...     rg.Contact(id="ana", name="Ana Silva", email="ana@globex.example")],
    ...     relationships=[rg.Relationship(source="me", target="ana", kind="client", repeat_business=2)])
    >>> mail = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me"),
    ...     rg.Contact(id="mail:ana@globex.example", name="Ana", email="ana@globex.example")],
    ...     relationships=[rg.Relationship(source="mail:ana@globex.example", target="me", kind="acquaintance",
    ...                                    response_hours=3.5, last_interaction="2024-05-02",
    ...                                    evidence="12 e-mails, from mail.mbox")])
    >>> rel = update(crm, mail).relationship("me", "ana")
    >>> str(rel.kind), rel.repeat_business, rel.response_hours, rel.evidence
    ('client', 2, 3.5, '12 e-mails, from mail.mbox')
    >>> len(crm.contacts)
    2
    """
    networks = (net, *others)
    owners = list(net.owners)
    report = MergeReport(networks, {"rules": _STRONG})
    for k, other in enumerate(others, start=1):
        theirs = [report.final_id(k, o) for o in other.owners]
        if owners and theirs and theirs != owners:
            raise DataError(f"the networks have different owners, {owners[0]!r} and {theirs[0]!r}; "
                            "read the files with the same owner", field="owner", value=theirs[0])
        owners = owners or theirs
    fresh = report.network(owners)
    vars(net).update(vars(fresh))
    return net


class MergeReport:
    """What a merge found: the pairs of contacts taken for one person (``merged``), the near
    misses to review, and the conflicts (pairs kept apart: two contacts of one network, or
    one id for two people), each with its rule and score.

    ``pairs`` has one row per pair with ``pair`` (its number, for :meth:`apply`), ``left``
    and ``right`` (ids as their networks know them), ``left_network`` and ``right_network``
    (counted from 1), ``rule``, ``score`` (0 to 100), ``status`` and ``note``;
    :meth:`to_pandas` gives them as a DataFrame and a notebook shows them as a table.
    ``notes`` lists records dropped because they became meaningless (a tie of a person with
    themself).

    >>> a = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Sam"),
    ...     rg.Contact(id="bill", name="Bill Okafor", organization="Globex")])
    >>> b = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Sam"),
    ...     rg.Contact(id="w.okafor", name="Willem Okafor", organization="Globex")])
    >>> _, report = rg.merge(a, b, review="ask")
    >>> [(p.pair, p.left, p.right, p.status) for p in report.pairs]
    [(0, 'me', 'me', 'merged'), (1, 'bill', 'w.okafor', 'near miss')]
    >>> net, report = report.apply(accept=[1])
    >>> sorted(net.contacts), report.merged
    (['bill', 'me'], 2)
    """

    def __init__(self, networks: Sequence[Network], options: dict[str, Any],
                 decisions: dict[int, bool] | None = None) -> None:
        self.networks = tuple(networks)
        self._options = options
        tables = [n.table("contacts") for n in networks]
        self._contacts = pa.concat_tables(tables).combine_chunks()
        self._offsets = np.cumsum([0, *(t.num_rows for t in tables)])
        self._nets = np.repeat(np.arange(len(tables)), np.diff(self._offsets))
        found = candidates(self._contacts, self._nets, **{k: v for k, v in options.items() if k != "rules"},
                           rules=options.get("rules", RULES))
        self._found = found
        self._decisions = dict(decisions or {})
        self._resolve()

    # -- deciding ------------------------------------------------------------------------------
    def _resolve(self) -> None:
        """Union the contacts pair by pair, strongest first, never two of one network."""
        n = self._contacts.num_rows
        parent = np.arange(n)
        masks = [1 << int(k) for k in self._nets] if len(self.networks) <= 60 else None
        members = {i: {int(self._nets[i])} for i in range(n)} if masks is None else None

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = int(parent[i])
            return i

        left = self._found.column("left").to_numpy()
        right = self._found.column("right").to_numpy()
        rules = self._found.column("rule").to_pylist()
        match = self._found.column("match").to_numpy(zero_copy_only=False)
        status = []
        for k in range(len(left)):
            a, b = root(int(left[k])), root(int(right[k]))
            wanted = self._decisions.get(k, bool(match[k]))
            if a == b:
                status.append("same")
            elif not wanted:
                status.append("rejected" if k in self._decisions else
                              "different people" if rules[k] == "id" else "near miss")
            elif (masks[a] & masks[b]) if masks is not None else (members[a] & members[b]):  # type: ignore[index]
                status.append("conflict")
            else:
                a, b = min(a, b), max(a, b)
                parent[b] = a
                if masks is not None:
                    masks[a] |= masks[b]
                else:
                    members[a] |= members[b]  # type: ignore[index]
                status.append("merged")
        self._status = status
        self._root = np.array([root(i) for i in range(n)], dtype=np.int64)
        ids = self._contacts.column("id").to_pylist()
        taken: set[str] = set()
        self._renamed: dict[int, str] = {}
        heads = self._root == np.arange(n)
        names = {}
        for i in np.flatnonzero(heads).tolist():
            name, k = ids[i], 2
            while name in taken:
                name = f"{ids[i]}#{int(self._nets[i]) + 1}" if k == 2 else f"{ids[i]}#{int(self._nets[i]) + 1}.{k}"
                k += 1
            if name != ids[i]:
                self._renamed[i] = name
            taken.add(name)
            names[i] = name
        final = [names[int(r)] for r in self._root]
        self._final = pa.array(final, pa.string())

    def final_id(self, network: int, contact: str) -> str:
        """The id contact ``contact`` of network number ``network`` (from 0) has after the merge."""
        ids = self.networks[network].table("contacts").column("id")
        at = pc.index(ids, contact).as_py()
        if at < 0:
            raise DataError("no such contact in this network", field="contact", value=contact)
        return str(self._final[int(self._offsets[network]) + at])

    def apply(self, *, accept: Iterable[int] = (), reject: Iterable[int] = ()) -> tuple[Network, MergeReport]:
        """Merge with the pairs numbered ``accept`` taken for one person and those numbered
        ``reject`` kept apart (the rest as the rules decide): the network and its report."""
        decisions = dict(self._decisions)
        for flag, numbers in ((True, accept), (False, reject)):
            for k in numbers:
                if not isinstance(k, int | np.integer) or not 0 <= k < self._found.num_rows:
                    raise DataError(f"no pair numbered {k!r}; pairs are numbered 0 to {self._found.num_rows - 1}",
                                    field="accept" if flag else "reject", value=k)
                decisions[int(k)] = flag
        report = MergeReport(self.networks, self._options, decisions) if decisions != self._decisions else self
        owners: list[str] = []
        for k, net in enumerate(self.networks):
            owners += [o for o in (report.final_id(k, o) for o in net.owners) if o not in owners]
        return report.network(owners), report

    # -- building ------------------------------------------------------------------------------
    def network(self, owners: Sequence[str]) -> Network:
        """The merged network with these owners (final ids)."""
        self.notes: list[str] = []
        tables = {"contacts": self._merged_contacts()}
        for kind in KINDS[1:]:
            table = pa.concat_tables([self._renamed_ids(k, kind) for k in range(len(self.networks))]).combine_chunks()
            tables[kind] = self._relationships(table) if kind == "relationships" else self._once(kind, table)
        origins = {kind: Origin(f"{kind} of the merged networks") for kind in KINDS}
        return Network.from_tables(tables, owners=owners, origins=origins)

    def _renamed_ids(self, k: int, kind: str) -> pa.Table:
        table = self.networks[k].table(kind)
        ids = self.networks[k].table("contacts").column("id")
        for field in _ID_FIELDS[kind]:
            at = pc.add(pc.index_in(table.column(field), value_set=ids), int(self._offsets[k]))
            table = table.set_column(table.schema.get_field_index(field), field, self._final.take(at))
        return table

    def _merged_contacts(self) -> pa.Table:
        contacts = self._contacts
        n = contacts.num_rows
        notes = contacts.column("notes").to_pylist()
        for i in self._renamed:
            note = (f"renamed from {contacts.column('id')[i].as_py()!r} of network {int(self._nets[i]) + 1}: "
                    "another person has this id")
            notes[i] = f"{notes[i]}; {note}" if notes[i] else note
        order = np.lexsort((np.arange(n), self._root))  # each group's root is its first row
        table = contacts.set_column(contacts.schema.get_field_index("notes"), "notes", pa.array(notes, pa.string()))
        table = table.set_column(table.schema.get_field_index("id"), "id", self._final)
        table = table.take(pa.array(order)).append_column("group", pa.array(self._root[order]))
        blank = pc.equal(table.column("notes"), "")
        table = table.set_column(table.schema.get_field_index("notes"), "notes",
                                 pc.if_else(blank, pa.scalar(None, pa.string()), table.column("notes")))
        firsts = [(c, "first") for c in ("id", "name", "organization", "title", "email", "notes")]
        out = table.group_by("group", use_threads=False).aggregate(firsts)
        out = out.rename_columns(["group", *(c for c, _ in firsts)])
        groups = out.column("group").to_numpy()
        kinds = table.column("kinds").combine_chunks()
        flat = pa.table({"group": pc.take(table.column("group"), pc.list_parent_indices(kinds)),
                         "kind": pc.list_flatten(kinds)}).sort_by([("group", "ascending"), ("kind", "ascending")])
        united = dict(zip(*flat.group_by("group", use_threads=False).aggregate([("kind", "distinct")]).to_pydict().values(),
                          strict=True))
        roles = self._roles(table)
        return pa.table({
            "id": out.column("id"), "name": out.column("name"),
            "kinds": pa.array([united.get(g, []) for g in groups.tolist()], SCHEMAS["contacts"].field("kinds").type),
            "organization": out.column("organization"), "title": out.column("title"), "email": out.column("email"),
            "notes": pc.fill_null(out.column("notes"), ""),
            "roles": pa.array([roles.get(g, []) for g in groups.tolist()], SCHEMAS["contacts"].field("roles").type),
        })

    def _roles(self, table: pa.Table) -> dict[int, list[dict[str, Any]]]:
        """Each merged contact's roles: its first record's, or, where the records name
        different organisations, all of them (each organisation not in a role as a bare role)."""
        groups = table.column("group").to_numpy()
        starts = np.r_[True, groups[1:] != groups[:-1]]
        sizes = np.diff(np.r_[np.flatnonzero(starts), len(groups)])
        roles: dict[int, list[dict[str, Any]]] = {}
        has_roles = np.asarray(pc.fill_null(pc.greater(pc.list_value_length(table.column("roles")), 0), False))
        for head, size in zip(np.flatnonzero(starts).tolist(), sizes.tolist(), strict=True):
            if size == 1:
                if has_roles[head]:
                    roles[int(groups[head])] = table.column("roles")[head].as_py()
                continue
            rows = table.slice(head, size).select(["organization", "roles"]).to_pylist()
            held = [r["roles"] or [] for r in rows]
            orgs = {(r["organization"] or "").casefold() for r in rows} | {
                (x["organization"] or "").casefold() for h in held for x in h}
            orgs.discard("")
            if len(orgs) <= 1:
                first = next((h for h in held if h), None)
                if first:
                    roles[int(groups[head])] = first
                continue
            history: list[dict[str, Any]] = []
            for row, own in zip(rows, held, strict=True):
                extra = [] if not row["organization"] or any(
                    (x["organization"] or "").casefold() == row["organization"].casefold() for x in own) else [
                    {"organization": row["organization"], "title": None, "start": None, "end": None}]
                history += [x for x in (*own, *extra) if x not in history]
            roles[int(groups[head])] = history
        return roles

    def _relationships(self, table: pa.Table) -> pa.Table:
        loops = pc.equal(table.column("source"), table.column("target"))
        if pc.any(loops).as_py():
            self.notes.append(f"{pc.sum(loops).as_py()} relationship(s) between two records of one person dropped")
            table = table.filter(pc.invert(loops))
        table = _unique_rows(table)
        s, t = _positions(table, self._final)
        lo, hi = np.minimum(s, t), np.maximum(s, t)
        undirected = ~np.asarray(table.column("directed"), dtype=bool)
        pair = lo * (1 << 31) + hi
        loose = np.isin(pair, pair[undirected])
        a, b = np.where(loose, lo, s), np.where(loose, hi, t)
        key = (a * (1 << 31) + b) * 2 + loose
        table = table.append_column("tie", pa.array(key)).append_column("row", pa.array(np.arange(table.num_rows)))
        table = _new_evidence(table)
        kind = pc.if_else(pc.equal(table.column("kind"), "acquaintance"), pa.scalar(None, pa.string()),
                          table.column("kind"))
        table = table.append_column("specific", kind)
        cards = [(f, "last") for f in ("liking", "reciprocity", "credibility", "commitment")]
        out = table.group_by("tie", use_threads=False).aggregate([
            ("source", "first"), ("target", "first"), ("specific", "first"), ("repeat_business", "sum"),
            ("response_hours", "min"), ("candid_conversations", "sum"), ("last_interaction", "max"), *cards,
            ("trust", "min"), ("trust", "max"), ("directed", "all"), ("evidence", "distinct"),
            ("their_response_hours", "min")])
        agreed = pc.equal(out.column("trust_min"), out.column("trust_max"))
        evidence = pc.binary_join(out.column("evidence_distinct"), "; ")
        columns = {
            "source": out.column("source_first"), "target": out.column("target_first"),
            "kind": pc.fill_null(out.column("specific_first"), "acquaintance"),
            "repeat_business": out.column("repeat_business_sum"), "response_hours": out.column("response_hours_min"),
            "candid_conversations": out.column("candid_conversations_sum"),
            "last_interaction": out.column("last_interaction_max"),
            **{f: out.column(f"{f}_last") for f, _ in cards},
            "trust": pc.if_else(agreed, out.column("trust_min"), pa.scalar(None, pa.float64())),
            "directed": out.column("directed_all"),
            "evidence": pc.if_else(pc.equal(evidence, ""), pa.scalar(None, pa.string()), evidence),
            "their_response_hours": out.column("their_response_hours_min"),
        }
        return pa.table(columns, schema=SCHEMAS["relationships"])

    def _once(self, kind: str, table: pa.Table) -> pa.Table:
        if kind == "referrals":
            loops = pc.equal(table.column("referrer"), table.column("referred"))
            if pc.any(loops).as_py():
                self.notes.append(f"{pc.sum(loops).as_py()} referral(s) of a person to themself dropped")
                table = table.filter(pc.invert(loops))
        return _unique_rows(table)

    # -- showing -------------------------------------------------------------------------------
    @property
    def pairs(self) -> list[Any]:
        """Every pair considered (see the class documentation), strongest rule first."""
        from collections import namedtuple

        Pair = namedtuple("Pair", "pair left right left_network right_network rule score status note")
        return [Pair(*row.values()) for row in self.to_table().to_pylist()]

    def to_table(self) -> pa.Table:
        """The pairs as an Arrow table (those already joined by a stronger rule left out)."""
        ids = self._contacts.column("id")
        keep = np.array([s != "same" for s in self._status], dtype=bool)
        numbers = np.flatnonzero(keep)
        left = self._found.column("left").to_numpy()[keep]
        right = self._found.column("right").to_numpy()[keep]
        status = [self._status[k] for k in numbers.tolist()]
        notes = {"conflict": "both are in the same network: kept apart",
                 "different people": "the same id with different e-mails: kept apart, the later renamed",
                 "near miss": "a close name: review, then apply(accept=[pair])",
                 "rejected": "kept apart by the caller", "merged": ""}
        return pa.table({
            "pair": numbers, "left": ids.take(pa.array(left)), "right": ids.take(pa.array(right)),
            "left_network": self._nets[left] + 1, "right_network": self._nets[right] + 1,
            "rule": self._found.column("rule").filter(pa.array(keep)),
            "score": self._found.column("score").filter(pa.array(keep)),
            "status": pa.array(status, pa.string()), "note": pa.array([notes[s] for s in status], pa.string()),
        })

    def _count(self, status: str) -> int:
        return sum(s == status for s in self._status)

    @property
    def merged(self) -> int:
        """How many pairs were taken for one person."""
        return self._count("merged")

    @property
    def near_misses(self) -> list[Any]:
        """The near misses to review (pairs)."""
        return [p for p in self.pairs if p.status == "near miss"]

    @property
    def conflicts(self) -> list[Any]:
        """Pairs kept apart although a rule matched them (pairs)."""
        return [p for p in self.pairs if p.status in ("conflict", "different people")]

    def to_pandas(self) -> Any:
        """The pairs as a pandas DataFrame (needs pandas)."""
        from ..results import pandas

        pandas()
        return self.to_table().to_pandas()

    def __repr__(self) -> str:
        return (f"<MergeReport of {len(self.networks)} networks: {self.merged} merged, "
                f"{self._count('near miss')} near misses, {len(self.conflicts)} conflicts>")

    def _repr_html_(self) -> str:
        rows = [p for p in self.pairs if p.status != "merged"][:20] + [p for p in self.pairs if p.status == "merged"][:10]
        head = "".join(f"<th>{c}</th>" for c in ("pair", "left", "right", "rule", "score", "status", "note"))
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
                p.pair, f"{p.left} ({p.left_network})", f"{p.right} ({p.right_network})", p.rule,
                f"{p.score:.0f}", p.status, p.note)) + "</tr>" for p in rows)
        return (f"<table><caption>{html.escape(repr(self))}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def _positions(table: pa.Table, final: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    ids = pc.unique(final)
    return tuple(np.asarray(pc.index_in(table.column(c), value_set=ids), dtype=np.int64)  # type: ignore[return-value]
                 for c in ("source", "target"))


def _unique_rows(table: pa.Table) -> pa.Table:
    """The table without rows equal to an earlier row (nulls equal), in order."""
    if table.num_rows < 2:
        return table
    keyed = table.append_column("_row", pa.array(np.arange(table.num_rows)))
    first = keyed.group_by(table.column_names, use_threads=False).aggregate([("_row", "min")]).column("_row_min")
    return table.take(np.sort(first.to_numpy()))


def _new_evidence(table: pa.Table) -> pa.Table:
    """Drop each relationship row whose evidence an earlier row of its tie already cites."""
    has = pc.is_valid(table.column("evidence"))
    if not pc.any(has).as_py():
        return table
    cited = table.filter(has).select(["tie", "row", "evidence"])
    parts = pc.split_pattern(cited.column("evidence"), "; ")
    flat = pa.table({"tie": pc.take(cited.column("tie"), pc.list_parent_indices(parts)),
                     "evidence": pc.list_flatten(parts),
                     "row": pc.take(cited.column("row"), pc.list_parent_indices(parts))})
    first = flat.group_by(["tie", "evidence"]).aggregate([("row", "min")])
    joined = table.select(["tie", "evidence", "row"]).join(first, ["tie", "evidence"], join_type="left outer")
    later = joined.filter(pc.greater(joined.column("row"), pc.fill_null(joined.column("row_min"), np.iinfo(np.int64).max)))
    drop = np.zeros(table.num_rows, dtype=bool)
    drop[later.column("row").to_numpy()] = True
    return table.filter(pa.array(~drop))
