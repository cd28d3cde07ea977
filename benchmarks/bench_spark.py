"""refgraph.spark beside the local engine on one machine: each analysis, same network, same answers.

Reads a CSV folder made by ``bench_records.py`` (``contacts.csv``, ``relationships.csv``), adds
a random referral forest (each referred contact referred by an earlier one), saves it as
Parquet and times, in one process, the local engine and ``refgraph.spark`` on ``local[2]``:
trust (the arcs), degree, PageRank, trusted reach (two introductions), referral chains and a
batch of 100 warm paths (``max_hops=4``). Spark is for size, not speed: the ratio says what
one machine's Spark costs over the arrays.

``--cap-minutes N`` stops a Spark analysis that runs past N minutes (its jobs cancelled) and
reports it as stopped, with how far its running stage had got; the reach row also gives the
number of two-step walks (the rows its self-join lists), from which a stopped run's time can be
estimated. ``--driver-memory`` sets the Spark driver's heap (on ``local[2]`` it holds the
executors too).

    python benchmarks/bench_spark.py /tmp/b100k/csv [/tmp/b1m/csv ...] [--cap-minutes 20] [--driver-memory 12g]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from common import SEED

import refgraph as rg
from refgraph import spark as rs
from refgraph.analysis.chains import ReferralForest


def referrals(ids: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """A random forest: a tenth of the contacts referred, each by a contact earlier in the list."""
    n = len(ids)
    referred = rng.choice(np.arange(1, n), size=n // 10, replace=False)
    referrer = (rng.random(len(referred)) * referred).astype(np.int64)
    days = rng.integers(0, 3000, len(referred))
    return pa.table({
        "referrer": pa.array(ids[referrer]), "referred": pa.array(ids[referred]),
        "date": pa.array((np.datetime64("2015-01-01") + days).astype("datetime64[D]")),
        "status": pa.array(rng.choice(["won", "met", "lost"], len(referred))),
        "value": pa.array(rng.integers(0, 10_000, len(referred)).astype(np.float64)), "via": pa.nulls(len(referred), pa.string()),
    })


def clock(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def progress(spark) -> str:
    """How far Spark's running stages have got, in tasks (``"stage 12: 3/4 tasks"``)."""
    tracker = spark.sparkContext.statusTracker()
    stages = [tracker.getStageInfo(i) for i in tracker.getActiveStageIds()]
    return "; ".join(f"stage {s.stageId}: {s.numCompletedTasks}/{s.numTasks} tasks" for s in stages if s is not None)


def capped(spark, fn, cap: float | None) -> tuple[float | None, str]:
    """The seconds ``fn`` took, or None and a note when it ran past ``cap`` seconds: then its
    Spark jobs are cancelled (again while its thread still starts new ones) and the note says
    how far the running stages had got."""
    if cap is None:
        return clock(fn)[0], ""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as err:  # a cancelled job surfaces as the JVM's error here
            failed.append(err)

    start = time.perf_counter()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(cap)
    if not worker.is_alive():
        if failed:
            raise failed[0]
        return time.perf_counter() - start, ""
    where = progress(spark) or "between jobs"
    while worker.is_alive():
        spark.sparkContext.cancelAllJobs()
        worker.join(5)
    return None, f"stopped after {cap / 60:g} min ({where})"


def two_step_walks(g: rg.TrustGraph) -> int:
    """The rows of Spark reach's self-join: over the contacts, in-arcs × out-arcs."""
    out_arcs = np.diff(g.indptr).astype(np.int64)
    return int(np.bincount(g.indices, minlength=len(out_arcs)).astype(np.int64) @ out_arcs)


def main(folders: list[str], *, cap_minutes: float | None = None, driver_memory: str = "6g") -> None:
    spark = rs.session("local[2]", config={"spark.driver.memory": driver_memory})
    cap = None if cap_minutes is None else cap_minutes * 60
    rng = np.random.default_rng(SEED)
    print("| contacts / relationships | analysis | local (s) | Spark local[2] (s) | Spark ÷ local |")
    print("| --- | --- | ---: | ---: | ---: |")
    for folder in folders:
        net = rg.read_csv(folder)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "net.parquet")
            net.save(path)
            ids = np.array(sorted(net.contacts), dtype=object)
            refs = referrals(ids, rng)
            schema = pq.read_schema(path / "referrals.parquet")
            pq.write_table(refs.cast(schema), path / "referrals.parquet")
            label = f"{len(net.contacts):,} / {len(net.relationships):,}"
            snet = rs.read(spark, path)
            g = net.trust_graph()
            targets = rng.choice(ids, 100, replace=False).tolist()
            source = ids[0]
            targets = [t for t in targets if t != source]
            local = {
                "trust (arcs)": net.trust_graph,
                "degree": lambda: rg.centrality(g, "degree"),
                "PageRank": lambda: rg.centrality(g, "pagerank"),
                "referral chains": lambda: ReferralForest.from_arrays(
                    refs["referrer"].to_numpy(zero_copy_only=False), refs["referred"].to_numpy(zero_copy_only=False),
                    refs["date"].to_numpy(zero_copy_only=False), refs["status"].to_pylist(), refs["value"].to_numpy()),
                "100 warm paths (4 hops)": lambda: rg.warm_paths_many(g, targets, source=source, max_hops=4),
                "reach (2 introductions)": lambda: rg.centrality(g, "reach"),
            }
            remote = {
                "trust (arcs)": lambda: snet.arcs().count(),
                "degree": lambda: rs.degree(snet).to_local(top=10),
                "PageRank": lambda: rs.pagerank(snet).to_local(top=10),
                "referral chains": lambda: rs.referral_chains(snet).roots.to_local(top=10),
                "100 warm paths (4 hops)": lambda: rs.warm_paths_many(snet, targets, source=source).to_local(),
                "reach (2 introductions)": lambda: rs.reach(snet).to_local(top=10),
            }
            for name in local:
                t_local = clock(local[name])[0]
                t_spark, note = capped(spark, remote[name], cap)
                if name.startswith("reach"):
                    note = f"{note}; " if note else ""
                    note += f"{two_step_walks(g):,} two-step walks"
                spark_cell, ratio = ("—", "—") if t_spark is None else (f"{t_spark:.1f}", f"{t_spark / t_local:.0f}×")
                print(f"| {label} | {name} | {t_local:.2f} | {spark_cell} | {ratio} |" + (f" {note}" if note else ""),
                      flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=["/tmp/b100k/csv"], help="CSV folders of bench_records.py")
    parser.add_argument("--cap-minutes", type=float, help="stop a Spark analysis that runs longer than this")
    parser.add_argument("--driver-memory", default="6g", help="the Spark driver's heap (default 6g)")
    args = parser.parse_args()
    main(args.folders, cap_minutes=args.cap_minutes, driver_memory=args.driver_memory)
