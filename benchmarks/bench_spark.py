"""refgraph.spark beside the local engine on one machine: each analysis, same network, same answers.

Reads a CSV folder made by ``bench_records.py`` (``contacts.csv``, ``relationships.csv``), adds
a random referral forest (each referred contact referred by an earlier one), saves it as
Parquet and times, in one process, the local engine and ``refgraph.spark`` on ``local[2]``:
trust (the arcs), degree, PageRank, trusted reach (two introductions), referral chains and a
batch of 100 warm paths (``max_hops=4``). Spark is for size, not speed: the ratio says what
one machine's Spark costs over the arrays.

    python benchmarks/bench_spark.py /tmp/b100k/csv [/tmp/b1m/csv ...]
"""

from __future__ import annotations

import sys
import tempfile
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


def main(folders: list[str]) -> None:
    spark = rs.session("local[2]", config={"spark.driver.memory": "6g"})
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
                t_spark = clock(remote[name])[0]
                print(f"| {label} | {name} | {t_local:.2f} | {t_spark:.1f} | {t_spark / t_local:.0f}× |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["/tmp/b100k/csv"])
