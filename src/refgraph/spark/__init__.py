"""The same analyses on Apache Spark, for networks that outgrow one machine.

A network saved with ``rg.save(net, "net.parquet")`` (or Spark DataFrames with the columns of
:mod:`refgraph.records.columns`) is read into a :class:`SparkNetwork`; each relationship's trust is the
same :class:`~refgraph.TrustModel` written as Spark column expressions. The analyses are
DataFrame operations (joins and aggregations, no GraphFrames) and give Spark DataFrames,
wrapped in a :class:`SparkTable` whose :meth:`~SparkTable.to_local` collects them into a
refgraph table when they fit:

- :func:`pagerank`, :func:`degree`, :func:`strength`, :func:`reach` (trusted reach within two
  introductions) and :func:`centres_of_influence` from those;
- :func:`referral_chains`: root, generation and parent of every contact, reach and value per
  root, K-factor per generation;
- :func:`warm_paths_many`: the best trust product to many targets within ``max_hops``;
- :func:`to_trust_graph`: a neighbourhood small enough for the local engine, as a
  :class:`~refgraph.TrustGraph`.

Each equals the local engine (PageRank within its tolerance, the others to rounding). The
caller passes a ``SparkSession`` (a cluster's, or ``local[*]``) through the DataFrames it
reads; :func:`session` makes a local one for trying it. Spark is for size, not speed: on two
cores it is tens of times slower than the local engine (see ``docs/spark.md``).

This module needs pyspark and a Java runtime: ``pip install 'refgraph[spark]'``.
``import refgraph`` never imports it.

>>> from refgraph import spark as rs
>>> net = rs.sample(rs.session("local[2]"))
>>> [(row.contact, row.degree) for row in rs.degree(net).to_local(top=2)]
[('me', 93.0), ('erik.haddad', 19.0)]
"""

from __future__ import annotations

from ..errors import RefgraphError

try:
    import pyspark  # noqa: F401
except ImportError:
    raise RefgraphError("refgraph.spark needs pyspark (and a Java runtime): pip install 'refgraph[spark]'") from None

from .chains import SparkForest, referral_chains
from .network import SparkNetwork, read, sample, session, to_trust_graph, trust_parts
from .paths import warm_paths_many
from .ranking import centres_of_influence, degree, pagerank, reach, strength
from .results import SparkTable

__all__ = [
    "SparkForest",
    "SparkNetwork",
    "SparkTable",
    "centres_of_influence",
    "degree",
    "pagerank",
    "reach",
    "read",
    "referral_chains",
    "sample",
    "session",
    "strength",
    "to_trust_graph",
    "trust_parts",
    "warm_paths_many",
]
