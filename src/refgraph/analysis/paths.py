"""Warm-introduction paths: the most trusted chains of introductions to a person or a company.

The warmth of a chain is the product of the trust on its links (equivalently, the least sum
of ``cost = -log(trust)``). People rarely go through more than three or four introductions, so
every search is limited to ``max_hops`` links and is *exact* under that limit: the answer is the
best simple path of at most ``max_hops`` links, not the unconstrained best path cut to length.
The search runs from both ends on the graph's arrays and touches only the neighbourhood it
explores (see :mod:`refgraph.engine._hopsearch`), so a query on a million contacts takes a fraction
of a millisecond. Equal trusts are ordered by fewer links, then by contact ids.

Examples
--------
>>> import refgraph as rg
>>> g = rg.TrustGraph.from_edges(["sam", "ana", "sam", "ben"], ["ana", "raj", "ben", "raj"],
...                              [0.9, 0.5, 0.6, 0.9], directed=False, owner="sam",
...                              names={"sam": "Sam", "ana": "Ana", "ben": "Ben", "raj": "Raj"})
>>> best = rg.warm_paths(g, "raj")[0]
>>> best.contacts, round(best.trust, 2)
(('sam', 'ben', 'raj'), 0.54)
>>> print(best.explain())
Sam trusts Ben (60%); Ben trusts Raj (90%). Weakest link: Sam → Ben, 60%; overall 54%.
>>> [p.contacts[1] for p in rg.warm_paths(g, "raj", top=2)]
['ben', 'ana']
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import math
import weakref
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from .._checks import count, probability
from ..engine._hopsearch import Constraints, Found, Searcher
from ..engine.graph import TrustGraph, as_graph
from ..errors import RefgraphError, UnknownContactError, no_owner

__all__ = [
    "IntroPath",
    "Link",
    "warm_paths",
    "warm_paths_many",
    "warm_paths_to_organization",
]

_SEARCHERS: weakref.WeakKeyDictionary[TrustGraph, Searcher] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Link:
    """One introduction in a chain: ``source`` introduces the seller onward to ``target``."""

    source: Hashable
    target: Hashable
    source_name: str
    target_name: str
    trust: float

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_name}, {self.trust:.0%}"


@dataclass(frozen=True, repr=False)
class IntroPath:
    """A chain of introductions from ``contacts[0]`` (the seller) to ``contacts[-1]`` (the target).

    ``trust`` is the product of the links' trust; ``as_of`` is the date the trust was computed
    for (from the graph), used by :func:`~refgraph.intro_plan` for due dates.
    """

    contacts: tuple[Hashable, ...]
    names: tuple[str, ...]
    link_trust: tuple[float, ...]
    organizations: tuple[str | None, ...]
    as_of: dt.date | None = None

    @property
    def trust(self) -> float:
        """The warmth of the whole chain: the product of its links' trust."""
        return math.prod(self.link_trust)

    @property
    def hops(self) -> int:
        """The number of links (introductions) in the chain."""
        return len(self.link_trust)

    @property
    def source(self) -> Hashable:
        return self.contacts[0]

    @property
    def target(self) -> Hashable:
        return self.contacts[-1]

    @property
    def introducer(self) -> Hashable | None:
        """The first person to ask, or None for a direct relationship with the target."""
        return self.contacts[1] if self.hops > 1 else None

    @property
    def links(self) -> tuple[Link, ...]:
        """Each link with its trust, source first."""
        c, n = self.contacts, self.names
        return tuple(Link(c[i], c[i + 1], n[i], n[i + 1], t) for i, t in enumerate(self.link_trust))

    @property
    def weakest_link(self) -> Link:
        """The link with the least trust (the first of equals)."""
        return min(self.links, key=lambda link: link.trust)

    def explain(self) -> str:
        """The chain in words: each link's trust, the weakest link and the overall warmth."""
        if self.hops == 1:
            return f"{self.names[0]} trusts {self.names[1]} directly ({self.trust:.0%})."
        steps = "; ".join(f"{k.source_name} trusts {k.target_name} ({k.trust:.0%})" for k in self.links)
        return f"{steps}. Weakest link: {self.weakest_link}; overall {self.trust:.0%}."

    def to_pandas(self) -> Any:
        """The links as a pandas DataFrame: source, target, their names and the trust."""
        from ..results import Table

        return Table(list(self.links)).to_pandas()

    def show(self) -> Any:
        """The path as an interactive view (see :mod:`refgraph.interactive`; needs the
        ``interactive`` extra)."""
        from ..interactive import path_view

        return path_view(self)

    def plot(self, ax: Any = None) -> Any:
        """Draw the chain with each link's trust (see :func:`refgraph.plot.path`)."""
        from ..plot import path

        return path(self, ax=ax)

    def __repr__(self) -> str:
        chain = " → ".join(self.names)
        return f"<IntroPath {self.trust:.0%} over {self.hops} link{'s' * (self.hops != 1)}: {chain}>"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(k.source_name)}</td><td>→</td><td>{html.escape(k.target_name)}</td>"
            f"<td>{k.trust:.0%}</td></tr>"
            for k in self.links
        )
        return (f"<table><caption>Warm path: {self.trust:.0%} over {self.hops} links</caption>"
                f"<thead><tr><th>from</th><th></th><th>to</th><th>trust</th></tr></thead>"
                f"<tbody>{rows}</tbody></table><p>{html.escape(self.explain())}</p>")


# -- queries ----------------------------------------------------------------------------------------
def warm_paths(
    g: TrustGraph,
    target: Hashable,
    *,
    source: Hashable | None = None,
    top: int = 1,
    max_hops: int = 4,
    avoid: Iterable[Hashable] = (),
    via: Hashable | None = None,
    min_trust: float = 0.0,
    distinct_introducers: bool = False,
    distinct_teammates: bool = False,
) -> list[IntroPath]:
    """The ``top`` warmest chains of introductions from ``source`` to ``target``, best first.

    Parameters
    ----------
    g : TrustGraph
    target : contact id
    source : contact id or ``"team"``, optional
        The seller; defaults to the graph's owner. ``"team"`` starts from whichever of the
        graph's owners (``g.owners``) is closest: one search from all of them at once, as
        fast as from one; each path's first contact is the teammate.
    top : int
        How many paths: the ``top`` best simple paths of at most ``max_hops`` links, in order.
    max_hops : int
        The most introductions a chain may take.
    avoid : contact ids
        Contacts the chain must not pass through.
    via : contact id, optional
        A contact the chain must pass through.
    min_trust : float
        Links with less trust are not used.
    distinct_introducers : bool
        Return the best path through each different first introducer instead (a direct link
        to the target counts as its own option).
    distinct_teammates : bool
        With ``source="team"``: the best path of each of the ``top`` closest teammates.

    Returns
    -------
    list of IntroPath
        Empty when the target cannot be reached under these limits. Equal trusts are ordered
        by fewer links, then by contact ids.

    Raises
    ------
    UnknownContactError
        An unknown target, source, ``via`` or ``avoid`` contact.
    DataError
        ``top`` or ``max_hops`` not a whole number of at least 1, or ``min_trust`` outside [0, 1].
    RefgraphError
        No source (and no owner), source equal to target, or a contact both required and avoided.

    Examples
    --------
    >>> import refgraph as rg
    >>> net = rg.sample_network()
    >>> g = net.trust_graph()
    >>> best = rg.warm_paths(g, "theo.brooks")[0]
    >>> best.hops, best.introducer
    (3, 'wen.zhang')
    >>> paths = rg.warm_paths(g, "theo.brooks", top=3, distinct_introducers=True)
    >>> [p.introducer for p in paths]
    ['wen.zhang', 'dev.patel', 'zane.kaplan']

    A team: who of the sellers has the warmest way in.

    >>> team = rg.TrustGraph.from_edges(["ana", "raj", "zoe"], ["zoe", "zoe", "kim"], [0.5, 0.8, 0.9],
    ...                                 directed=False, owners=["ana", "raj"])
    >>> [(p.source, p.contacts[-1], round(p.trust, 2)) for p in rg.warm_paths(team, "kim", source="team", top=2)]
    [('raj', 'kim', 0.72), ('ana', 'kim', 0.45)]
    """
    g = as_graph(g)
    query = _Query(g, source, top, max_hops, avoid, via, min_trust)
    t = _index(g, target, "target")
    s = query.check_target(t)
    if distinct_teammates:
        if not isinstance(s, tuple):
            raise RefgraphError("distinct_teammates=True needs source='team'")
        found: list[Found] = []
        while s and len(found) < top:  # the closest teammate's best, then the next teammate's
            best = query.searcher.top(s, t, max_hops, query.rules, 1)
            if not best:
                break
            found.append(best[0])
            s = tuple(x for x in s if x != best[0].nodes[0])
        return [_intro_path(g, f) for f in found]
    search = query.searcher.introducers if distinct_introducers else query.searcher.top
    return [_intro_path(g, f) for f in search(s, t, max_hops, query.rules, top)]


def warm_paths_many(
    g: TrustGraph,
    targets: Iterable[Hashable],
    *,
    source: Hashable | None = None,
    max_hops: int = 4,
    avoid: Iterable[Hashable] = (),
    min_trust: float = 0.0,
) -> dict[Hashable, IntroPath | None]:
    """The warmest path to each of many ``targets`` from one source, sharing the search.

    The source's side of the search (its first ``ceil(max_hops / 2)`` rounds) runs once; each
    target then only searches its own half. A target that cannot be reached maps to None.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.sample_network().trust_graph()
    >>> found = rg.warm_paths_many(g, ["theo.brooks", "farah.haddad"])
    >>> [found[t].hops for t in ["theo.brooks", "farah.haddad"]]
    [3, 1]
    """
    g = as_graph(g)
    query = _Query(g, source, 1, max_hops, avoid, None, min_trust)
    wanted = [(target, _index(g, target, "target")) for target in targets]
    for _, t in wanted:
        query.check_target(t, team_target=False)
    found = query.searcher.many(query.s, [t for _, t in wanted], max_hops, query.rules)
    return {target: None if f is None else _intro_path(g, f) for (target, _), f in zip(wanted, found, strict=True)}


def warm_paths_to_organization(
    g: TrustGraph,
    organization: str,
    *,
    source: Hashable | None = None,
    top: int = 3,
    max_hops: int = 4,
    avoid: Iterable[Hashable] = (),
    min_trust: float = 0.0,
    per_target: int = 1,
) -> list[IntroPath]:
    """The ``top`` warmest paths into ``organization``: to any contact whose current organisation
    matches (case and spaces ignored), best first, at most ``per_target`` per person.

    Raises :class:`RefgraphError` when no contact works there, suggesting close names.

    Examples
    --------
    >>> import refgraph as rg
    >>> g = rg.sample_network().trust_graph()
    >>> paths = rg.warm_paths_to_organization(g, "  initech ", top=2)
    >>> [g.attributes(p.target)["organization"] for p in paths]
    ['Initech', 'Initech']
    """
    g = as_graph(g)
    per_target = count(per_target, "per_target", low=1)
    orgs = g.node_values("organization")
    if orgs is None:
        raise RefgraphError("this graph knows no organisations: build it from a Network")
    query = _Query(g, source, top, max_hops, avoid, None, min_trust)
    key = _org_key(organization)
    sources = set(query.s) if isinstance(query.s, tuple) else {query.s}
    members = [i for i, org in enumerate(orgs) if org and _org_key(org) == key and i not in sources]
    targets = [g.ids[i] for i in members if i not in query.rules.avoid]
    if not members:
        known = sorted({org for org in orgs if org})
        close = difflib.get_close_matches(organization.strip(), known, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise RefgraphError(f"no contact works at {organization!r}{hint}")
    if per_target == 1:
        best = warm_paths_many(g, targets, source=source, max_hops=max_hops, avoid=avoid, min_trust=min_trust)
        paths = [p for p in best.values() if p is not None]
    else:
        paths = [p for t in targets
                 for p in warm_paths(g, t, source=source, top=per_target, max_hops=max_hops, avoid=avoid, min_trust=min_trust)]
    paths.sort(key=lambda p: (-round(p.trust, 12), p.hops, [g.index(c) for c in p.contacts]))  # ties: fewer links, then ids
    return paths[:top]


# -- internals ----------------------------------------------------------------------------------------
class _Query:
    """Checked parameters of one query, as node indices, and the graph's searcher."""

    def __init__(self, g: TrustGraph, source: Hashable | None, top: int, max_hops: int,
                 avoid: Iterable[Hashable], via: Hashable | None, min_trust: float) -> None:
        if source is None:
            if g.owner is None:
                raise no_owner("a warm path without source= (the seller's contact id)")
            source = g.owner
        if isinstance(source, str) and source == "team" and "team" not in g:
            if not g.owners:
                raise no_owner("a team's warm path (source='team'; mark every seller, e.g. owners=[...])")
            source = tuple(g.owners)
        count(top, "top", low=1)
        count(max_hops, "max_hops", low=1)
        min_trust = probability(min_trust, "min_trust")
        if isinstance(avoid, (str, bytes)):
            avoid = [avoid]
        self.s: int | tuple[int, ...] = (tuple(_index(g, o, "source") for o in source) if isinstance(source, tuple)
                                         else _index(g, source, "source"))
        blocked = frozenset(_index(g, a, "avoid") for a in avoid)
        via_i = None if via is None else _index(g, via, "via")
        if via_i is not None and via_i in blocked:
            raise RefgraphError(f"contact {via!r} is both the required `via` and in `avoid`")
        if self.s in blocked or (isinstance(self.s, tuple) and set(self.s) <= blocked):
            raise RefgraphError(f"the source {source!r} is in `avoid`")
        self.rules = Constraints(blocked, float(min_trust), via_i)
        self.searcher = _searcher(g)
        self.g = g

    def check_target(self, t: int, *, team_target: bool = True) -> int | tuple[int, ...]:
        """Refuse a target that is the source or avoided; the sources for it (a team's
        owners other than the target)."""
        if t == self.s or (isinstance(self.s, tuple) and team_target and set(self.s) == {t}):
            raise RefgraphError(f"source and target are the same contact, {self.g.ids[t]!r}")
        if t in self.rules.avoid:
            raise RefgraphError(f"the target {self.g.ids[t]!r} is in `avoid`")
        return tuple(x for x in self.s if x != t) if isinstance(self.s, tuple) else self.s


def _index(g: TrustGraph, contact: Hashable, role: str) -> int:
    try:
        return g.index(contact)
    except UnknownContactError as err:
        raise UnknownContactError(contact, f"the {role} of a warm path", suggestions=err.suggestions) from None


def _searcher(g: TrustGraph) -> Searcher:
    searcher = _SEARCHERS.get(g)
    if searcher is None:
        r = g.reverse()
        searcher = Searcher((g.indptr, g.indices, g.edge_cost, g.edge_trust),
                            (r.indptr, r.indices, r.edge_cost, r.edge_trust))
        _SEARCHERS[g] = searcher
    return searcher


def _intro_path(g: TrustGraph, found: Found) -> IntroPath:
    nodes = found.nodes
    ids = g.ids[list(nodes)].tolist()
    names = g.node_values("name", at=nodes)
    organizations = g.node_values("organization", at=nodes)
    return IntroPath(
        contacts=tuple(ids),
        names=tuple(map(str, names or ids)),
        link_trust=tuple(_searcher(g).trust_of(found)),
        organizations=tuple(organizations or [None] * len(ids)),
        as_of=g.as_of,
    )


def _org_key(name: str) -> str:
    return " ".join(name.split()).casefold()
