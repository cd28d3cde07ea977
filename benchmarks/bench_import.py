"""How long `import refgraph` takes, beside `import networkx`, each in a fresh interpreter.

refgraph loads each public name's module on first use, so the import itself is nearly free; the
second row times the first real work (the sample network's trust graph), which loads the records
and the engine.
"""

from __future__ import annotations

import subprocess
import sys

SIZES = [(0, 0)]  # no graph: the import alone
RUNS = 7


def _best(code: str) -> float:
    """The fastest of RUNS fresh interpreters running ``code``, which prints its own seconds."""
    out = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
           for _ in range(RUNS)]
    return min(out)


def _timed(statement: str) -> str:
    return f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def run(sizes: list[tuple[int, int]]) -> list[str]:
    ours = _best(_timed("import refgraph"))
    theirs = _best(_timed("import networkx"))
    first = _best(_timed("import refgraph as rg; rg.sample_network().trust_graph()"))
    return [
        f"Import, best of {RUNS} fresh interpreters",
        "| | refgraph | networkx | ratio |",
        "| --- | --- | --- | --- |",
        f"| `import` | {ours * 1000:.0f} ms | {theirs * 1000:.0f} ms | {theirs / ours:.0f}x |",
        f"| import + sample network's trust graph | {first * 1000:.0f} ms | | |",
    ]


if __name__ == "__main__":
    print("\n".join(run(SIZES)))
