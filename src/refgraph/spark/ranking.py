"""Rankings of every contact on Spark: degree, strength, PageRank, trusted reach, centres of influence.

Each equals :func:`refgraph.centrality` with the same name on the network's trust graph
(PageRank within its tolerance, the others to rounding), and :func:`centres_of_influence`
equals the local composite over the same measures. PageRank is a power iteration of joins
(one shuffle of the arcs per iteration), with the local engine's damping, tolerance and
stopping rule, its plan cut by a checkpoint every few iterations; reach joins the arcs with
themselves once per introduction.

>>> from refgraph import spark as rs
>>> net = rs.sample(rs.session("local[2]"))
>>> best = rs.reach(net).to_local(top=1)[0]
>>> best.contact, best.contacts
('me', 102)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from .._checks import count
from ..analysis.influence import PAGERANK_ALPHA, PAGERANK_TOL
from ..errors import DataError, RefgraphError
from ..records.trust import TrustModel
from .network import SparkNetwork
from .results import SparkTable, aggregate, checkpoint

__all__ = ["CENTRE_MEASURES", "centres_of_influence", "degree", "pagerank", "reach", "strength"]

#: The measures :func:`centres_of_influence` combines (those that scale to a cluster).
CENTRE_MEASURES = ("pagerank", "reach")


def _ranked(net: SparkNetwork, scores: DataFrame, measure: str, title: str) -> SparkTable:
    """Every contact (0 where ``scores`` has none) with its name and ``measure``, best first."""
    every = net.contact_ids().join(scores, "contact", "left").fillna(0, subset=[c for c in scores.columns if c != "contact"])
    return SparkTable(net.names(every), order=[F.desc(measure), F.asc("contact")], title=title)


def _by_mode(net: SparkNetwork, weight: Column, mode: str, measure: str, arcs: DataFrame) -> DataFrame:
    if mode not in ("all", "in", "out"):
        raise DataError("choose 'all', 'in' or 'out'", field="mode", value=mode)
    ends = {"out": ["source"], "in": ["target"], "all": ["source", "target"]}[mode if net.directed else "out"]
    sides = [arcs.select(F.col(end).alias("contact"), weight.alias("w")) for end in ends]
    both = sides[0] if len(sides) == 1 else sides[0].unionByName(sides[1])
    return both.groupBy("contact").agg(F.sum("w").alias(measure))


def degree(net: SparkNetwork, *, mode: str = "all") -> SparkTable:
    """How many relationships each contact has, as ``centrality(g, "degree")`` counts them:
    ``mode`` ``"all"`` (directed: in + out), ``"in"`` or ``"out"``.

    >>> from refgraph import spark as rs
    >>> net = rs.sample(rs.session("local[2]"))
    >>> rs.degree(net).to_local(top=1)[0].degree  # the owner: 93 relationships
    93.0
    """
    scores = _by_mode(net, F.lit(1.0), mode, "degree", net.arcs())
    return _ranked(net, scores, "degree", "Degree")


def strength(net: SparkNetwork, *, mode: str = "all", as_of: dt.date | str | None = None,
             model: TrustModel | None = None) -> SparkTable:
    """The sum of trust on each contact's relationships (``centrality(g, "strength")``).

    >>> from refgraph import spark as rs
    >>> net = rs.sample(rs.session("local[2]"))
    >>> rs.strength(net).to_local(top=1)[0].contact
    'me'
    """
    scores = _by_mode(net, F.col("trust"), mode, "strength", net.arcs(as_of=as_of, model=model))
    return _ranked(net, scores, "strength", "Strength")


def pagerank(
    net: SparkNetwork,
    *,
    alpha: float = PAGERANK_ALPHA,
    tol: float = PAGERANK_TOL,
    max_iter: int = 1000,
    checkpoint_every: int = 5,
    as_of: dt.date | str | None = None,
    model: TrustModel | None = None,
) -> SparkTable:
    """PageRank weighted by trust, as ``centrality(g, "pagerank")`` computes it: the same power
    iteration from the uniform vector (dangling contacts spread their rank evenly), stopped by
    the same rule, so within ``tol`` of the exact values in L1. Each iteration is one join of
    the ranks with the arcs and one aggregation; the plan is cut every ``checkpoint_every``
    iterations. Not converging in ``max_iter`` iterations raises
    :class:`~refgraph.errors.RefgraphError`.

    >>> from refgraph import spark as rs
    >>> net = rs.sample(rs.session("local[2]"))
    >>> ranks = rs.pagerank(net, tol=1e-3).to_local()  # a rough tolerance: fewer iterations
    >>> ranks[0].contact, round(sum(r.pagerank for r in ranks), 6)
    ('me', 1.0)
    """
    max_iter = count(max_iter, "max_iter", low=1)
    checkpoint_every = count(checkpoint_every, "checkpoint_every", low=1)
    if not 0 <= alpha <= 1:
        raise DataError("alpha must be in [0, 1]", field="alpha", value=alpha)
    arcs = net.arcs(as_of=as_of, model=model)
    out = arcs.groupBy("source").agg(F.sum("trust").alias("out"))
    walk = checkpoint(arcs.join(out, "source").select("source", "target", (F.col("trust") / F.col("out")).alias("w")))
    nodes = net.contact_ids()
    n = nodes.count()
    if n == 0:
        return _ranked(net, nodes.withColumn("pagerank", F.lit(0.0)), "pagerank", "PageRank")
    ranks = checkpoint(nodes.join(out.select(F.col("source").alias("contact"), F.lit(False).alias("dangling")),
                                  "contact", "left")
                       .select("contact", F.coalesce("dangling", F.lit(True)).alias("dangling"), F.lit(1.0 / n).alias("x")))
    bound = tol * (1 - alpha) / alpha if alpha > 0 else float("inf")
    lost = aggregate(ranks.where("dangling").agg(F.sum("x")))[0] or 0.0
    for step in range(1, max_iter + 1):
        flow = ranks.join(walk, ranks.contact == walk.source).groupBy("target").agg(F.sum(F.col("x") * F.col("w")).alias("s"))
        spread = ranks.join(flow, ranks.contact == flow.target, "left").select(
            "contact", "dangling", F.col("x").alias("last"),
            (alpha * (F.coalesce("s", F.lit(0.0)) + lost / n) + (1 - alpha) / n).alias("x"))
        spread = checkpoint(spread) if step % checkpoint_every == 0 else spread.cache()
        change, lost = aggregate(spread.agg(F.sum(F.abs(F.col("x") - F.col("last"))),
                                            F.sum(F.when(F.col("dangling"), F.col("x")).otherwise(0.0))))
        ranks.unpersist()
        ranks = spread.drop("last")
        if change < bound:
            return _ranked(net, ranks.select("contact", F.col("x").alias("pagerank")), "pagerank", "PageRank")
    raise RefgraphError(f"PageRank did not converge in max_iter={max_iter} iterations to tol={tol:g}; "
                        "raise max_iter or tol")


def _best_chains(arcs: DataFrame, max_hops: int) -> DataFrame:
    """``origin``, ``contact``, ``trust``: the best chain of at most ``max_hops`` arcs from each
    contact to every other it reaches (rounds from the pairs improved in the last round)."""
    best = front = arcs.where(F.col("source") != F.col("target")).select(
        F.col("source").alias("origin"), F.col("target").alias("contact"), "trust")
    step = arcs.select(F.col("source").alias("via"), F.col("target").alias("to"), F.col("trust").alias("t"))
    for _ in range(max_hops - 1):
        longer = (front.join(step, front.contact == step.via)
                  .where(F.col("origin") != F.col("to"))
                  .groupBy("origin", F.col("to").alias("contact"))
                  .agg(F.max(F.col("trust") * F.col("t")).alias("longer")))
        merged = checkpoint(best.join(longer, ["origin", "contact"], "full_outer"))
        front = merged.where(F.col("trust").isNull() | (F.col("longer") > F.col("trust"))).select(
            "origin", "contact", F.col("longer").alias("trust"))
        best = merged.select("origin", "contact", F.greatest("trust", "longer").alias("trust"))
        if front.isEmpty():
            break
    return best


def reach(net: SparkNetwork, *, max_hops: int = 2, as_of: dt.date | str | None = None,
          model: TrustModel | None = None) -> SparkTable:
    """Trusted reach, as ``centrality(g, "reach")``: for each contact, the sum over the others
    within ``max_hops`` introductions of the trust of the best chain to each (``reach``), and how
    many they are (``contacts``). Each introduction is one join of the chains with the arcs:
    its rows are the number of two-step walks, so hubs make it heavy.

    >>> from refgraph import spark as rs
    >>> net = rs.sample(rs.session("local[2]"))
    >>> rs.reach(net, max_hops=1).to_local(top=1)[0].contacts  # the owner knows 93 contacts
    93
    """
    max_hops = count(max_hops, "max_hops", low=1)
    best = _best_chains(net.arcs(as_of=as_of, model=model), max_hops)
    sums = best.groupBy(F.col("origin").alias("contact")).agg(F.sum("trust").alias("reach"),
                                                              F.count("*").alias("contacts"))
    return _ranked(net, sums, "reach", "Trusted reach")


def centres_of_influence(
    net: SparkNetwork,
    top: int = 10,
    *,
    exclude_owner: bool = True,
    measures: Iterable[str] = CENTRE_MEASURES,
    as_of: dt.date | str | None = None,
    model: TrustModel | None = None,
) -> SparkTable:
    """The contacts who open the most doors, as :func:`refgraph.centres_of_influence` ranks
    them over the same ``measures`` (any of ``pagerank``, ``reach``, ``degree``, ``strength``;
    betweenness and brokerage do not scale to a cluster): each measure becomes a percentile
    rank among the candidates (average rank for ties), the ``score`` is their mean; the
    ``top`` rows, ties broken by id, without the owner when ``exclude_owner``.

    >>> from refgraph import spark as rs
    >>> net = rs.sample(rs.session("local[2]"))
    >>> [r.contact for r in rs.centres_of_influence(net, top=2, measures=("degree", "reach")).to_local()]
    ['erik.haddad', 'gabriel.sato']
    """
    top = count(top, "top", low=0)
    chosen = list(dict.fromkeys(measures))
    makers: dict[str, Callable[..., SparkTable]] = {"pagerank": pagerank, "reach": reach, "degree": degree, "strength": strength}
    if not chosen or any(m not in makers for m in chosen):
        raise DataError(f"name one or more of {', '.join(makers)}", field="measures", value=chosen)
    kept = {"as_of": as_of, "model": model}
    candidates = net.contact_ids()
    if exclude_owner and net.owner is not None:
        candidates = candidates.where(F.col("contact") != F.lit(net.owner))
    whole = Window.partitionBy()  # ranks over every candidate: one partition (the top rows are few)
    for m in chosen:
        table = makers[m](net, **({} if m == "degree" else kept))
        candidates = candidates.join(table.unsorted.select("contact", m), "contact")
    n = F.count("*").over(whole)
    ranks = []
    for m in chosen:
        scale = F.max(F.abs(m)).over(whole)
        settled = F.bround(F.col(m) / F.when(scale > 0, scale).otherwise(F.lit(1.0)), 9)
        candidates = candidates.withColumn(f"_{m}", settled)
        ties = F.count("*").over(Window.partitionBy(f"_{m}"))
        candidates = candidates.withColumn(f"_{m}_rank", F.rank().over(whole.orderBy(f"_{m}")) + (ties - 1) / 2)
        ranks.append(F.col(f"_{m}_rank"))
    score = sum(ranks[1:], ranks[0]) / len(ranks) / n
    scored = checkpoint(candidates.select("contact", score.alias("score"), *chosen))
    best = scored.orderBy(F.desc("score"), F.asc("contact")).limit(top)
    return SparkTable(net.names(best), order=[F.desc("score"), F.asc("contact")], title="Centres of influence")
