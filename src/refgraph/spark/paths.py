"""Warm paths on Spark: the most trusted chain of at most ``max_hops`` introductions from one
source to each of many targets.

One search serves every target: round ``j`` joins the contacts whose best chain improved in
round ``j - 1`` with their arcs, so after ``max_hops`` rounds every contact holds the best
product of trust over chains of at most ``max_hops`` links (the best such walk is a simple
path: trust never exceeds 1). Equal trusts keep the chain with fewer links, then the greatest
path in id order.

>>> from refgraph import spark as rs
>>> net = rs.sample(rs.session("local[2]"))
>>> found = rs.warm_paths_many(net, ["theo.brooks", "farah.haddad"]).to_local()
>>> [(p.target, p.hops) for p in found]
[('farah.haddad', 1), ('theo.brooks', 3)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable

from pyspark.sql import functions as F

from .._checks import count
from ..errors import RefgraphError, no_owner
from ..records.trust import TrustModel
from .network import SparkNetwork
from .results import SparkTable, checkpoint

__all__ = ["warm_paths_many"]


def warm_paths_many(
    net: SparkNetwork,
    targets: Iterable[Hashable],
    source: Hashable | None = None,
    *,
    max_hops: int = 4,
    as_of: dt.date | str | None = None,
    model: TrustModel | None = None,
) -> SparkTable:
    """The warmest chain from ``source`` (the owner by default) to each of ``targets`` within
    ``max_hops`` links, as :func:`refgraph.warm_paths_many` finds it: rows ``target``, ``trust``
    (the product of trust along the chain), ``hops`` and ``path`` (the contacts, source first),
    warmest first; a target that cannot be reached has no row. An unknown contact raises
    :class:`~refgraph.errors.UnknownContactError`.
    """
    if source is None:
        if net.owner is None:
            raise no_owner("a warm path without source= (the seller's contact id)")
        source = net.owner
    max_hops = count(max_hops, "max_hops", low=1)
    wanted = list(dict.fromkeys([targets] if isinstance(targets, str) else targets))
    net.check_contacts([source, *wanted], "a warm path's source or target")
    if source in wanted:
        raise RefgraphError(f"source and target are the same contact, {source!r}")
    arcs = net.arcs(as_of=as_of, model=model)
    best = front = net.spark.createDataFrame(
        [(source, 1.0, 0, [source])], "contact string, trust double, hops int, path array<string>")
    for _ in range(max_hops):
        step = front.join(arcs, front.contact == arcs.source).select(
            F.col("target").alias("contact"), (front.trust * arcs.trust).alias("trust"),
            (F.col("hops") + 1).alias("hops"), F.concat("path", F.array("target")).alias("path"))
        chosen = step.groupBy("contact").agg(F.max(F.struct("trust", (-F.col("hops")).alias("rank"), "path")).alias("b"))
        longer = chosen.select("contact", F.col("b.trust").alias("trust"), (-F.col("b.rank")).alias("hops"),
                               F.col("b.path").alias("path"))
        front = checkpoint(longer.join(best.select("contact", F.col("trust").alias("had")), "contact", "left")
                           .where(F.col("had").isNull() | (F.col("trust") > F.col("had"))).drop("had"))
        if front.isEmpty():
            break
        best = checkpoint(best.join(front.select("contact"), "contact", "left_anti").unionByName(front))
    found = best.where(F.col("contact").isin(wanted)).withColumnRenamed("contact", "target")
    return SparkTable(found, order=[F.desc("trust"), F.asc("hops"), F.asc("target")], title="Warm paths")
