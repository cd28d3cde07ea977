"""A network as Spark DataFrames, its trust as Spark column expressions, and the way back.

:func:`read` opens a folder saved with ``rg.save(net, "net.parquet")`` (one Parquet file per
record kind, the columns of :mod:`refgraph.records.columns`); :class:`SparkNetwork` also takes
DataFrames with those columns directly. :func:`trust_parts` writes
:meth:`TrustModel.parts <refgraph.TrustModel.parts>` as column expressions, reading the
model's parameters; :meth:`SparkNetwork.arcs` turns relationships into the arcs every analysis
walks, as :meth:`Network.trust_graph <refgraph.Network.trust_graph>` does (an undirected
relationship is an arc each way, a repeated arc keeps its highest trust).
:func:`to_trust_graph` collects a neighbourhood into a local :class:`~refgraph.TrustGraph`.

Records are taken as they are: refgraph checks them when it saves them, and checking a billion
rows again would cost a pass over each table.

>>> from refgraph import spark as rs
>>> net = rs.sample(rs.session("local[2]"))
>>> net.owner, net.directed, net.as_of()
('me', False, datetime.date(2024, 11, 14))
>>> g = rs.to_trust_graph(net, ["theo.brooks"], hops=1)
>>> sorted(g)  # Theo and the one contact he has
['milan.sato', 'theo.brooks']
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import weakref
from collections.abc import Hashable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from ..datasets import sample_network
from ..engine.graph import TrustGraph
from ..errors import DataError, FileFormatError, UnknownContactError
from ..io.csv import COLUMNS
from ..io.parquet import read_manifest, save_parquet
from ..records.columns import KINDS, SCHEMAS
from ..records.models import MIN_TRUST, Scorecard
from ..records.trust import TrustModel
from .results import aggregate, checkpoint

__all__ = ["SparkNetwork", "read", "sample", "session", "to_trust_graph", "trust_parts"]

#: Spark's names of the Arrow types of the columns analyses read (nested columns are not filled in).
_SPARK_TYPES = {"string": "string", "int64": "bigint", "double": "double", "date32[day]": "date", "int8": "tinyint",
                "bool": "boolean"}
_DATES = (("relationships", "last_interaction"), ("referrals", "date"), ("interactions", "date"), ("mentions", "date"))


def session(master: str = "local[*]", *, config: Mapping[str, str] | None = None) -> SparkSession:
    """A Spark session for trying :mod:`refgraph.spark` on this machine (``master``), quiet:
    no web UI, no progress bars, errors only in the log, 4 shuffle partitions (Spark's 200 suit
    a cluster, not one machine). ``config`` adds or overrides Spark settings. When a session
    is already running it is returned with only ``config`` applied, so its own settings stay.
    On a cluster, pass the cluster's own session's DataFrames instead.

    >>> from refgraph import spark as rs
    >>> rs.session("local[2]").range(3).count()
    3
    """
    builder = SparkSession.builder.master(master).appName("refgraph")
    quiet = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": "4"}
    settings = {**(quiet if SparkSession.getActiveSession() is None else {}), **(config or {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkNetwork:
    """A network's record tables as Spark DataFrames (``contacts`` and ``relationships`` at
    least), with its ``owner``. Optional columns missing from a table are added as nulls.

    >>> from refgraph import spark as rs
    >>> spark = rs.session("local[2]")
    >>> contacts = spark.createDataFrame([("a", "Ana"), ("b", "Ben")], "id string, name string")
    >>> rels = spark.createDataFrame([("a", "b", "client")], "source string, target string, kind string")
    >>> net = rs.SparkNetwork({"contacts": contacts, "relationships": rels}, owner="a")
    >>> [(r.source, r.target, round(r.trust, 2)) for r in net.arcs().orderBy("source").collect()]
    [('a', 'b', 0.6), ('b', 'a', 0.6)]
    """

    def __init__(self, tables: Mapping[str, DataFrame], *, owner: Hashable | None = None) -> None:
        unknown = sorted(set(tables) - set(KINDS))
        if unknown:
            raise DataError(f"unknown record kind; known: {', '.join(KINDS)}", field="tables", value=unknown[0])
        for kind in ("contacts", "relationships"):
            if kind not in tables:
                raise DataError(f"a network needs its {kind}", field=kind)
        self._tables = {kind: _complete(kind, frame) for kind, frame in tables.items()}
        self.owner = owner
        self._arcs: dict[tuple[Any, ...], DataFrame] = {}
        self._directed: bool | None = None
        self._latest: tuple[dt.date | None] | None = None  # (as_of(),) once found

    @property
    def spark(self) -> SparkSession:
        """The session the tables belong to."""
        return self._tables["contacts"].sparkSession

    def table(self, kind: str) -> DataFrame:
        """The DataFrame of one record kind (``"referrals"`` ...)."""
        if kind not in self._tables:
            raise DataError(f"this network has no {kind} table", field=kind)
        return self._tables[kind]

    def as_of(self) -> dt.date | None:
        """The latest date any record carries (the day trust is computed for by default), as
        :meth:`Network.latest_date <refgraph.Network.latest_date>` finds it (once: every analysis
        that defaults to it asks again)."""
        if self._latest is None:
            parts = [self._tables[kind].select(F.max(field).alias("day")) for kind, field in _DATES if kind in self._tables]
            first, *rest = parts
            for part in rest:
                first = first.unionByName(part)
            self._latest = (aggregate(first.select(F.max("day")))[0],)
        return self._latest[0]

    @property
    def directed(self) -> bool:
        """Whether any relationship is one-way (then the graph is directed, as locally)."""
        if self._directed is None:
            self._directed = not self.table("relationships").where(F.coalesce("directed", F.lit(False))).isEmpty()
        return self._directed

    def arcs(self, *, as_of: dt.date | str | None = None, model: TrustModel | None = None) -> DataFrame:
        """The arcs every analysis walks, ``source``, ``target``, ``trust``: each relationship
        with its trust on ``as_of`` (``None``: :meth:`as_of`) under ``model``, an undirected one
        both ways, a repeated arc once with its highest trust. Kept by Spark once computed."""
        model = model or TrustModel()
        day = self.as_of() if as_of is None else dt.date.fromisoformat(str(as_of))
        key = (day, repr(model))
        if key not in self._arcs:
            rels = self.table("relationships").withColumn("trust", trust_parts(model, day)["trust"])
            back = rels.where(~F.coalesce("directed", F.lit(False)))
            arcs = rels.select("source", "target", "trust").unionByName(
                back.select(F.col("target").alias("source"), F.col("source").alias("target"), "trust"))
            self._arcs[key] = checkpoint(arcs.groupBy("source", "target").agg(F.max("trust").alias("trust")))
        return self._arcs[key]

    def contact_ids(self) -> DataFrame:
        """One column, ``contact``: every contact's id."""
        return self.table("contacts").select(F.col("id").alias("contact"))

    def names(self, frame: DataFrame) -> DataFrame:
        """``frame`` with a ``name`` column after its ``contact`` column (the contact's name)."""
        names = self.table("contacts").select(F.col("id").alias("contact"), "name")
        rest = [c for c in frame.columns if c != "contact"]
        return frame.join(names, "contact", "left").select("contact", "name", *rest)

    def check_contacts(self, ids: Iterable[Hashable], role: str) -> None:
        """Raise :class:`~refgraph.errors.UnknownContactError` for the first of ``ids`` that is
        not a contact (``role`` says what it was given as)."""
        wanted = list(dict.fromkeys(ids))
        found = {r.id for r in self.table("contacts").where(F.col("id").isin(wanted)).select("id").collect()}
        for contact in wanted:
            if contact not in found:
                raise UnknownContactError(contact, role)


def _complete(kind: str, frame: DataFrame) -> DataFrame:
    """``frame`` with every missing optional column of ``kind`` added as nulls, or a
    :class:`~refgraph.errors.DataError` naming a missing required one."""
    columns, required = COLUMNS[kind]
    present = set(frame.columns)
    missing = [c for c in columns[:required] if c not in present]
    if missing:
        raise DataError(f"the {kind} table lacks the column(s) {', '.join(missing)}", field=missing[0])
    schema = SCHEMAS[kind]
    for name in schema.names:
        spark_type = _SPARK_TYPES.get(str(schema.field(name).type))
        if name not in present and spark_type is not None:
            frame = frame.withColumn(name, F.lit(None).cast(spark_type))
    return frame


def read(spark: SparkSession, path: str | PathLike[str], *, owner: Hashable | None = None) -> SparkNetwork:
    """The network saved at ``path`` by ``rg.save(net, "….parquet")``, read by ``spark``
    (any path Spark reads: a local folder, HDFS, S3 ...; the manifest is checked, and the owner
    read from it, when the folder is local; ``owner`` gives or overrides it).

    A foreign folder, a newer format or a table Spark cannot read raise a
    :class:`~refgraph.errors.RefgraphError` naming the file.
    """
    folder = str(path).rstrip("/")
    manifest = {} if "://" in folder else read_manifest(folder)
    owner = manifest.get("owner") if owner is None else owner
    tables = {}
    for kind in KINDS:
        file = f"{folder}/{kind}.parquet"
        try:
            tables[kind] = spark.read.parquet(file)
        except Exception as err:  # Spark raises its own AnalysisException for a missing or broken file
            raise FileFormatError(f"cannot be read as Parquet by Spark ({str(err).splitlines()[0]})", file=file) from None
    return SparkNetwork(tables, owner=owner)


_SAMPLES: weakref.WeakKeyDictionary[SparkSession, SparkNetwork] = weakref.WeakKeyDictionary()


def sample(spark: SparkSession) -> SparkNetwork:
    """The bundled sample network (:func:`refgraph.sample_network`) read by ``spark``, for trying
    things (saved as Parquet in a temporary folder first, removed with the session; one copy per
    session)."""
    if spark not in _SAMPLES:
        path = Path(tempfile.mkdtemp(prefix="refgraph-sample-")) / "sample.parquet"
        save_parquet(sample_network(), path)
        _SAMPLES[spark] = read(spark, path)
        weakref.finalize(spark, shutil.rmtree, path.parent, True)  # the files go with the session
    return _SAMPLES[spark]


def trust_parts(model: TrustModel, as_of: dt.date | None = None) -> dict[str, Column]:
    """Every step of :meth:`TrustModel.parts <refgraph.TrustModel.parts>` as a Spark column
    expression over a relationships table, the model's parameters read from ``model``: ``base``,
    ``base_logit``, ``repeat_business``, ``response``, ``candid``, ``scorecard``, ``warmth``,
    ``recency`` and ``trust`` (a row's own ``trust`` overrides the model). Equal to the local
    values to rounding (1e-12).

    >>> from refgraph import spark as rs
    >>> rels = rs.sample(rs.session("local[2]")).table("relationships")
    >>> parts = rs.trust_parts(rg.TrustModel(), as_of=rg.sample_network().latest_date())
    >>> local = rg.TrustModel().parts(rg.sample_network().table("relationships"), as_of=rg.sample_network().latest_date())
    >>> spark_trust = [r.t for r in rels.select(parts["trust"].alias("t")).collect()]
    >>> bool(max(abs(a - b) for a, b in zip(spark_trust, local["trust"], strict=True)) < 1e-12)
    True
    """
    def number(name: str) -> Column:
        return F.col(name).cast("double")

    def tally(name: str) -> Column:  # a count left empty is none (refgraph's own tables always hold one)
        return F.coalesce(number(name), F.lit(0.0))

    def halving(value: Column, half: float) -> Column:
        return F.pow(F.lit(2.0), -value / half)

    bases = F.create_map(*(F.lit(x) for kind, base in model.kind_base.items() for x in (kind, float(base))))
    base = bases[F.col("kind")]
    hours = number("response_hours")
    card = sum((number(f) for f in Scorecard.FIELDS), F.lit(0.0)) / 4
    parts = {
        "base": base,
        "base_logit": F.log(base / (1 - base)),
        "repeat_business": model.repeat_business_weight * (1 - halving(tally("repeat_business"), model.repeat_business_half)),
        "response": F.when(hours.isNull(), F.lit(0.0)).otherwise(
            model.response_weight * (2 * halving(hours, model.response_neutral_hours) - 1)),
        "candid": model.candid_weight * (1 - halving(tally("candid_conversations"), model.candid_half)),
        "scorecard": F.when(card.isNull(), F.lit(0.0)).otherwise(model.scorecard_weight * (card - 5) / 5),
    }
    logit = parts["base_logit"] + parts["repeat_business"] + parts["response"] + parts["candid"] + parts["scorecard"]
    parts["warmth"] = 1 / (1 + F.exp(-logit))
    if as_of is None:
        parts["recency"] = F.lit(1.0)
    else:
        age = F.datediff(F.lit(as_of), F.col("last_interaction")).cast("double")
        floor = model.recency_floor
        parts["recency"] = F.when(age.isNull(), F.lit(1.0)).otherwise(
            floor + (1 - floor) * halving(F.greatest(age, F.lit(0.0)), model.half_life_days))
    modelled = F.least(F.greatest(parts["warmth"] * parts["recency"], F.lit(MIN_TRUST)), F.lit(1.0))
    parts["trust"] = F.coalesce(number("trust"), modelled)
    return parts


def to_trust_graph(
    net: SparkNetwork,
    around: Iterable[Hashable] | None = None,
    *,
    hops: int = 3,
    as_of: dt.date | str | None = None,
    model: TrustModel | None = None,
) -> TrustGraph:
    """A local :class:`~refgraph.TrustGraph` of the contacts within ``hops`` relationships of
    ``around`` (either way; every contact when ``around`` is None) and the arcs among them,
    collected from Spark: explore locally what Spark found. ``owner``, names and the trust of
    every arc are those of the whole network's graph."""
    arcs = net.arcs(as_of=as_of, model=model)
    ids = net.contact_ids()
    if around is not None:
        start = list(dict.fromkeys([around] if isinstance(around, str) else around))
        net.check_contacts(start, "a contact to collect around")
        if isinstance(hops, bool) or not isinstance(hops, int) or hops < 0:
            raise DataError("hops must be a whole number of at least 0", field="hops", value=hops)
        either = arcs.select("source", "target").unionByName(
            arcs.select(F.col("target").alias("source"), F.col("source").alias("target")))
        seen = front = net.spark.createDataFrame([(c,) for c in start], "contact string")
        for _ in range(hops):
            nearby = front.join(either, front.contact == either.source).select(F.col("target").alias("contact"))
            front = checkpoint(nearby.distinct().join(seen, "contact", "left_anti"))
            if front.isEmpty():
                break
            seen = checkpoint(seen.unionByName(front))
        ids = seen
    inside = arcs.join(ids.withColumnRenamed("contact", "source"), "source").join(
        ids.withColumnRenamed("contact", "target"), "target")
    rows = inside.select("source", "target", "trust").collect()
    contacts = net.names(ids).collect()
    owner = net.owner if any(c.contact == net.owner for c in contacts) else None
    return TrustGraph.from_edges([r.source for r in rows], [r.target for r in rows], [r.trust for r in rows],
                                 directed=net.directed, nodes=[c.contact for c in contacts], owner=owner,
                                 names={c.contact: c.name for c in contacts},
                                 as_of=net.as_of() if as_of is None else dt.date.fromisoformat(str(as_of)))
