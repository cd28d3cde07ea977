"""Wrong argument types and values in public functions: one clear DataError, never a bare
error, a silent wrong answer or a run of hours."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import refgraph as rg
from refgraph.analysis.asking import who_to_ask
from refgraph.analysis.forecast import MAX_RUNS, simulate_referrals, whom_to_cultivate
from refgraph.errors import DataError


@pytest.fixture(scope="module")
def g() -> rg.TrustGraph:
    return rg.sample_network().trust_graph()


@pytest.mark.parametrize(("arguments", "field"), [
    ({"top": 2.5}, "top"), ({"top": None}, "top"), ({"top": "3"}, "top"), ({"top": True}, "top"), ({"top": 0}, "top"),
    ({"max_hops": "4"}, "max_hops"), ({"max_hops": math.nan}, "max_hops"), ({"max_hops": 4.0}, "max_hops"),
    ({"max_hops": -1}, "max_hops"), ({"min_trust": math.nan}, "min_trust"), ({"min_trust": "0.5"}, "min_trust"),
])
def test_warm_paths_refuses_wrong_types_and_values(g: rg.TrustGraph, arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(DataError, match=f"field '{field}'") as info:
        rg.warm_paths(g, "theo.brooks", **arguments)
    assert info.value.field == field


def test_numpy_integers_are_whole_numbers(g: rg.TrustGraph) -> None:
    assert rg.warm_paths(g, "theo.brooks", top=np.int64(2), max_hops=np.int32(4)) == rg.warm_paths(g, "theo.brooks", top=2)


@pytest.mark.parametrize("top", [-3, 2.0, "5", None])
def test_who_to_ask_refuses_a_negative_or_odd_top(top: Any) -> None:
    with pytest.raises(DataError, match="field 'top'"):
        who_to_ask(rg.sample_network(), top=top)


def test_who_to_ask_top_zero_is_empty_and_top_one_is_one_row() -> None:
    net = rg.sample_network()
    assert len(who_to_ask(net, top=0)) == 0 and len(who_to_ask(net, top=1)) == 1


@pytest.mark.parametrize(("arguments", "field"), [
    ({"runs": 1e6}, "runs"), ({"runs": 0}, "runs"), ({"runs": "10"}, "runs"),
    ({"max_generations": 2.0}, "max_generations"), ({"max_generations": -1}, "max_generations"),
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"p": math.nan}, "p"), ({"p": True}, "p"),
])
def test_simulate_referrals_refuses_wrong_types_and_values(g: rg.TrustGraph, arguments: dict[str, Any],
                                                            field: str) -> None:
    with pytest.raises(DataError, match=f"field '{field}'"):
        simulate_referrals(g, "me", **{"runs": 10, **arguments})


def test_a_huge_number_of_runs_is_refused_at_once_with_how_long_it_would_take(g: rg.TrustGraph) -> None:
    for runs in (10**9, 10**12):
        with pytest.raises(DataError, match=r"at most 10,000,000 runs.*would take about [\d,.]+ hours") as info:
            simulate_referrals(g, "me", runs=runs, seed=1)
        assert info.value.value == runs
    with pytest.raises(DataError, match="at most 10,000,000 runs"):
        whom_to_cultivate(g, 1, runs=MAX_RUNS + 1)


def test_a_huge_generation_limit_is_no_limit(g: rg.TrustGraph) -> None:
    deep = simulate_referrals(g, "me", runs=50, p=0.7, max_generations=10**30, seed=4)
    free = simulate_referrals(g, "me", runs=50, p=0.7, seed=4)
    assert deep.reach.tolist() == free.reach.tolist()
