"""Shared pieces of the benchmarks: generated graphs, timing and memory, and a printed table.

Every benchmark runs refgraph and plain networkx side by side, in one process, on the same
generated graph, and prints the ratio. Nothing here is run by the tests.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

SEED = 20241124


@dataclass(frozen=True)
class EdgeArrays:
    """A generated trust network as arrays: string ids, integer codes and trust."""

    n: int
    sources: np.ndarray  # numpy text array of string ids
    targets: np.ndarray
    source_codes: np.ndarray  # int64, the same edges as integers
    target_codes: np.ndarray
    trust: np.ndarray


def generate(n: int, m: int, seed: int = SEED) -> EdgeArrays:
    """``m`` directed relationships among ``n`` contacts, no self-loops or repeats.

    Degrees are skewed (a few contacts are far better connected, as centres of influence
    are): sources and targets are drawn from a Zipf-like popularity. Trust is spread over
    (0, 1] like the sample network's.
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n + 1) ** 0.6
    weights /= weights.sum()
    perm = rng.permutation(n)
    src = perm[rng.choice(n, size=int(m * 1.1) + 10, p=weights)]
    tgt = rng.integers(0, n, size=len(src))
    keep = src != tgt
    key = np.unique(src[keep].astype(np.int64) * n + tgt[keep])
    key = rng.permutation(key)[:m]
    s, t = key // n, key % n
    trust = np.clip(rng.beta(2.5, 2.5, size=len(s)), 0.01, 1.0)
    names = np.array([f"c{i}" for i in range(n)])  # numpy text, as np.array(list_of_str) gives
    return EdgeArrays(n, names[s], names[t], s, t, trust)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time in seconds over ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def median_time(fn: Callable[[], Any], calls: int) -> float:
    """Median wall time in seconds of ``calls`` calls of ``fn``."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Peak bytes allocated (Python and numpy, via tracemalloc) while ``fn`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def size_label(n: int, m: int) -> str:
    """``100k / 1M`` for 100,000 contacts and 1,000,000 relationships."""

    def short(x: int) -> str:
        return f"{x / 1e6:g}M" if x >= 1_000_000 else f"{x / 1e3:g}k"

    return f"{short(n)} / {short(m)}"


def row(label: str, refgraph_s: float, networkx_s: float | None, note: str = "") -> str:
    """One printed line: refgraph time, networkx time and how many times faster."""
    nx_text = "n/a" if networkx_s is None else f"{networkx_s:9.4g} s"
    ratio = "" if networkx_s is None else f"{networkx_s / refgraph_s:8.1f}x"
    return f"| {label:<44} | {refgraph_s:9.4g} s | {nx_text:>11} | {ratio:>9} | {note}"


def joined(*notes: str | None) -> str:
    """Notes for one row, separated by semicolons, leaving out the empty ones."""
    return "; ".join(note for note in notes if note)


HEADER = (
    f"| {'what':<44} | {'refgraph':>11} | {'networkx':>11} | {'faster':>9} | note\n"
    f"|{'-' * 46}|{'-' * 13}|{'-' * 13}|{'-' * 11}|------"
)


def peer_modules() -> tuple[Any, Any]:
    """igraph and networkit where installed (``pip install refgraph[bench]``), else ``None``."""
    try:
        import igraph as ig
    except ModuleNotFoundError:
        ig = None
    try:
        import networkit as nk
    except ModuleNotFoundError:
        nk = None
    return ig, nk
