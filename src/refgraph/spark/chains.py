"""Referral chains on Spark: root, generation and parent of every contact, by iterative joins.

As :func:`refgraph.referral_chains` builds them: a contact referred twice keeps the earliest
referral (ties broken by the referrer's id) and the others are set aside as conflicts; only a
won referral carries value. Generations come from pointer doubling: each round joins every
contact with its furthest known ancestor's, so chains ``d`` generations deep take about
``log2(d)`` rounds of one join each.

>>> from refgraph import spark as rs
>>> forest = rs.referral_chains(rs.sample(rs.session("local[2]")))
>>> [(r.root, r.reach) for r in forest.roots.to_local(top=2)]
[('marco.rossi', 7), ('orla.bianchi', 6)]
>>> [(g.generation, g.contacts, g.referrals_made) for g in forest.growth.to_local()][:3]
[(0, 9, 16), (1, 16, 6), (2, 6, 3)]
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from ..errors import DataError
from .network import SparkNetwork
from .results import SparkTable, aggregate, checkpoint

__all__ = ["SparkForest", "referral_chains"]


@dataclass(frozen=True)
class SparkForest:
    """The referral chains of a :class:`~refgraph.spark.SparkNetwork`, as Spark tables.

    - ``members``: every contact named by a referral: ``contact``, ``parent`` (who referred it,
      or null), ``root`` (where its chain starts), ``generation`` (0 at a root), and the
      ``date``, ``status`` and ``value`` (won deals only) of the referral that brought it;
    - ``roots``: each contact who started a chain: ``root``, ``reach`` (contacts below it) and
      ``value`` (won below it), by value;
    - ``growth``: one row per generation over every chain: ``contacts``, ``referrals_made`` (by
      this generation), ``k_factor`` (made ÷ contacts), ``referred``, ``won``, ``conversion``
      (won ÷ referred) and ``value``;
    - ``conflicts``: the referrals set aside: ``contact``, ``referrer``, ``date``,
      ``kept_referrer``, ``kept_date``.
    """

    members: SparkTable
    roots: SparkTable
    growth: SparkTable
    conflicts: SparkTable


def _ancestors(parents: DataFrame, n: int) -> DataFrame:
    """``contact``, ``root``, ``generation`` by pointer doubling over ``contact``, ``parent``;
    still moving after enough rounds for ``n`` contacts means a cycle."""
    state = checkpoint(parents.select("contact", F.coalesce("parent", "contact").alias("up"),
                                      F.when(F.col("parent").isNull(), 0).otherwise(1).alias("generation")))
    for _ in range(n.bit_length() + 1):
        above = state.select(F.col("contact").alias("up"), F.col("up").alias("next"), F.col("generation").alias("more"))
        state = checkpoint(state.join(above, "up").select(
            "contact", F.col("next").alias("up"), (F.col("generation") + F.col("more")).alias("generation"),
            (F.col("next") != F.col("up")).alias("moved")))
        if state.where("moved").isEmpty():
            return state.select("contact", F.col("up").alias("root"), "generation")
        state = state.drop("moved")
    stuck = aggregate(state.where("moved").agg(F.min("contact")))[0]
    raise DataError("referrals form a cycle (at or above this contact)", contact=stuck)


def referral_chains(net: SparkNetwork) -> SparkForest:
    """The referral chains of ``net`` (its ``referrals`` table), as :class:`SparkForest`.

    A self-referral raises :class:`~refgraph.errors.DataError` naming the contact; so does a
    cycle (naming a contact on or below it).
    """
    refs = net.table("referrals").select("referrer", "referred", "date", "status", "value")
    selfish = refs.where(F.col("referrer") == F.col("referred")).select("referrer").first()
    if selfish is not None:
        raise DataError("a contact cannot refer themselves", field="referrals", contact=selfish[0])
    order = Window.partitionBy("referred").orderBy("date", "referrer")
    ranked = refs.withColumn("_n", F.row_number().over(order))
    kept = ranked.where(F.col("_n") == 1).select(
        F.col("referred").alias("contact"), F.col("referrer").alias("parent"), "date", "status",
        F.when(F.col("status") == "won", F.coalesce(F.col("value").cast("double"), F.lit(0.0))).otherwise(0.0).alias("value"))
    named = refs.select(F.col("referrer").alias("contact")).unionByName(refs.select(F.col("referred").alias("contact")))
    parents = checkpoint(named.distinct().join(kept, "contact", "left"))
    lineage = _ancestors(parents.select("contact", "parent"), parents.count())
    members = checkpoint(parents.join(lineage, "contact").select(
        "contact", "parent", "root", "generation", "date", "status", F.coalesce("value", F.lit(0.0)).alias("value")))
    roots = (members.groupBy("root").agg((F.count("*") - 1).alias("reach"), F.sum("value").alias("value"))
             .where(F.col("reach") > 0))
    chained = members.join(roots.select("root"), "root")  # a lone referrer whose referral was set aside starts none
    per = chained.groupBy("generation").agg(
        F.count("*").alias("contacts"), F.count("parent").alias("referred"),
        F.count(F.when(F.col("status") == "won", 1)).alias("won"), F.sum("value").alias("value"))
    made = F.coalesce(F.lead("contacts").over(Window.orderBy("generation")), F.lit(0))
    growth = per.select(
        "generation", "contacts", made.alias("referrals_made"), (made / F.col("contacts")).alias("k_factor"),
        "referred", "won", F.when(F.col("referred") > 0, F.col("won") / F.col("referred")).alias("conversion"), "value")
    conflicts = ranked.where(F.col("_n") > 1).join(
        kept.select(F.col("contact").alias("referred"), F.col("parent").alias("kept_referrer"), F.col("date").alias("kept_date")),
        "referred").select(F.col("referred").alias("contact"), "referrer", "date", "kept_referrer", "kept_date")
    return SparkForest(
        members=SparkTable(net.names(members), order=[F.asc("contact")], title="Referral chains"),
        roots=SparkTable(roots, order=[F.desc("value"), F.desc("reach"), F.asc("root")], title="Referral chains by root"),
        growth=SparkTable(growth, order=[F.asc("generation")], title="Growth per generation"),
        conflicts=SparkTable(conflicts, order=[F.asc("contact"), F.asc("date")], title="Referrals set aside"),
    )
