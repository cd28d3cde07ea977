"""Run every benchmark and print the tables that docs/performance.md records.

    make bench                    # the sizes the issues name (takes a while)
    python benchmarks/bench.py --quick   # small sizes, a smoke run

refgraph and plain networkx run side by side in this one process on the same generated
graphs; the ratio column says how many times faster refgraph is.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

MODULES = ["bench_import", "bench_records", "bench_graph", "bench_io", "bench_influence", "bench_chains", "bench_paths",
           "bench_forecast", "bench_merge"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--only", nargs="*", default=MODULES, help="benchmark modules to run")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    for name in args.only:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        sizes = [(10_000, 100_000)] if args.quick else module.SIZES
        print()
        print("\n".join(module.run(sizes)), flush=True)


if __name__ == "__main__":
    main()
