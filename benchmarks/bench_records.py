"""Records at firm scale: a CRM-style CSV folder read, checked, built, stored and loaded.

The benchmark writes a folder in the documented columns (``contacts.csv`` with kinds,
organisations and e-mails; ``relationships.csv`` with kinds, repeat business, response hours,
candid conversations, last interactions and some scorecards) with Arrow's CSV writer, then
times refgraph's trip beside what a user could do with pandas + networkx on the same files:

- refgraph: ``read_csv`` (every record checked), ``trust_graph``, ``save``/``load`` as Parquet;
- pandas + networkx: ``pandas.read_csv`` of both files and ``networkx.from_pandas_edgelist``
  (nothing checked, no trust model).

Each trip runs in a child process of its own so that its peak resident memory (Arrow's
memory pool included, which tracemalloc cannot see) is measured alone. Also timed:
``TrustGraph.from_edges`` with string ids as Arrow strings and as a numpy object array.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from common import HEADER, SEED, generate, row, size_label

SIZES = [(100_000, 1_000_000), (1_000_000, 10_000_000)]

KINDS = np.array(["client", "friend", "colleague", "former_client", "acquaintance", "partner", "prospect"])
CONTACT_KINDS = np.array(["client", "client;friend", "prospect", "colleague", "", "referred_contact", "family"])


def write_folder(folder: Path, n: int, m: int) -> None:
    """A CSV folder of ``n`` contacts and ``m`` relationships in refgraph's documented columns."""
    e = generate(n, m)
    rng = np.random.default_rng(SEED)
    pair = np.minimum(e.source_codes, e.target_codes) * n + np.maximum(e.source_codes, e.target_codes)
    _, once = np.unique(pair, return_index=True)  # an undirected tie is given once, as a CRM export has it
    once.sort()
    sources, targets = e.sources[once], e.targets[once]
    m = len(once)
    ids = pa.array([f"c{i}" for i in range(n)])
    owner = np.full(n, "", dtype=object)
    owner[0] = "yes"
    pacsv.write_csv(pa.table({
        "id": ids,
        "name": pa.array([f"Contact {i}" for i in range(n)]),
        "kinds": pa.array(CONTACT_KINDS[rng.integers(0, len(CONTACT_KINDS), n)]),
        "organization": pa.array([f"Org {i % 997}" for i in range(n)]),
        "email": pa.array([f"c{i}@org{i % 997}.example" for i in range(n)]),
        "owner": pa.array(owner.tolist(), pa.string()),
    }), folder / "contacts.csv")
    days = np.datetime64("2020-01-01") + rng.integers(0, 5 * 365, m)
    hours = np.round(rng.exponential(20, m), 1)
    card = rng.random(m) < 0.2
    scores = {f: pa.array(np.where(card, rng.integers(3, 11, m), 0), mask=~card)
              for f in ("liking", "reciprocity", "credibility", "commitment")}
    pacsv.write_csv(pa.table({
        "source": pa.array(sources.tolist()),
        "target": pa.array(targets.tolist()),
        "kind": pa.array(KINDS[rng.integers(0, len(KINDS), m)]),
        "repeat_business": pa.array(rng.poisson(1.0, m)),
        "response_hours": pa.array(hours, mask=rng.random(m) < 0.3),
        "candid_conversations": pa.array(rng.poisson(0.7, m)),
        "last_interaction": pa.array(days.astype("datetime64[D]")),
        **scores,
        "directed": pa.array(np.where(rng.random(m) < 0.5, "yes", "no")),
    }), folder / "relationships.csv")


TRIPS = {
    "refgraph": """
import refgraph as rg, time, json, sys
folder, out = sys.argv[1], sys.argv[2]
t = {}
s = time.perf_counter(); net = rg.read_csv(folder); t["read_csv"] = time.perf_counter() - s
s = time.perf_counter(); g = net.trust_graph(); t["trust_graph"] = time.perf_counter() - s
s = time.perf_counter(); rg.save(net, out); t["save"] = time.perf_counter() - s
s = time.perf_counter(); back = rg.load(out); t["load"] = time.perf_counter() - s
assert back.table("relationships").num_rows == net.table("relationships").num_rows
import resource; t["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
print(json.dumps(t))
""",
    "pandas": """
import pandas as pd, networkx as nx, time, json, sys
folder = sys.argv[1]
t = {}
s = time.perf_counter()
contacts = pd.read_csv(folder + "/contacts.csv"); rels = pd.read_csv(folder + "/relationships.csv")
t["read_csv"] = time.perf_counter() - s
s = time.perf_counter()
G = nx.from_pandas_edgelist(rels, "source", "target", edge_attr=["kind", "repeat_business"], create_using=nx.DiGraph)
G.add_nodes_from(contacts["id"])
t["build"] = time.perf_counter() - s
import resource; t["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
print(json.dumps(t))
""",
}


def trip(name: str, folder: Path) -> dict[str, float]:
    """Times of one trip, run in a child process, and its peak resident memory (``peak``, bytes)."""
    out = folder.parent / "net.parquet"
    done = subprocess.run([sys.executable, "-c", TRIPS[name], str(folder), str(out)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def trips(folder: Path, runs: int) -> tuple[dict[str, float], dict[str, float], list[float]]:
    """The median times of ``runs`` refgraph and pandas + networkx trips, taken in turns (the
    largest peak), and each run's read + build ratio."""
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(trip("pandas", folder))
        ours.append(trip("refgraph", folder))

    def median(found: list[dict[str, float]]) -> dict[str, float]:
        return {k: max(r[k] for r in found) if k == "peak" else statistics.median(r[k] for r in found)
                for k in found[0]}

    ratios = [(t["read_csv"] + t["build"]) / (o["read_csv"] + o["trust_graph"]) for o, t in zip(ours, theirs, strict=True)]
    return median(ours), median(theirs), ratios


def run(sizes: list[tuple[int, int]], runs: int = 1) -> list[str]:
    import refgraph as rg

    each = "one run each" if runs == 1 else f"median of {runs} runs each, taken in turns"
    lines = [f"### Records at firm scale ({each}; peak = resident memory of the process)", "",
             HEADER.replace("networkx", "pandas+nx ")]
    for n, m in sizes:
        label = size_label(n, m)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "csv"
            folder.mkdir()
            write_folder(folder, n, m)
            mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
            ours, theirs, ratios = trips(folder, runs)
            lines.append(row(f"read_csv {label} ({mb:.0f} MB)", ours["read_csv"], theirs["read_csv"],
                             "every record checked"))
            lines.append(row(f"trust_graph {label}", ours["trust_graph"], theirs["build"],
                             "against nx.from_pandas_edgelist"))
            lines.append(row(f"save Parquet {label}", ours["save"], None))
            lines.append(row(f"load Parquet {label}", ours["load"], None, "every record checked again"))
            total, their_total = ours["read_csv"] + ours["trust_graph"], theirs["read_csv"] + theirs["build"]
            spread = f"; ratio {min(ratios):.2f}x to {max(ratios):.2f}x" if runs > 1 else ""
            lines.append(row(f"read + build {label}", total, their_total,
                             f"peak {ours['peak'] / 1e9:.2f} GB (pandas+nx {theirs['peak'] / 1e9:.2f} GB){spread}"))
        e = generate(n, m)
        arrow_src, arrow_tgt = pa.array(e.sources.tolist()), pa.array(e.targets.tolist())
        start = time.perf_counter()
        rg.TrustGraph.from_edges(arrow_src, arrow_tgt, e.trust)
        arrow_s = time.perf_counter() - start
        objects_src, objects_tgt = e.sources.astype(object), e.targets.astype(object)
        start = time.perf_counter()
        rg.TrustGraph.from_edges(objects_src, objects_tgt, e.trust)
        object_s = time.perf_counter() - start
        lines.append(row(f"from_edges, Arrow string ids {label}", arrow_s, None))
        lines.append(row(f"from_edges, object-array ids {label}", object_s, None))
    return lines


if __name__ == "__main__":
    # --quick: 10k / 100k; --small: 100k / 1M only; --large: 1M / 10M only; --runs N: N trips of each, in turns
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    sizes = ([(10_000, 100_000)] if "--quick" in sys.argv else SIZES[:1] if "--small" in sys.argv
             else SIZES[1:] if "--large" in sys.argv else SIZES)
    print("\n".join(run(sizes, runs)))
