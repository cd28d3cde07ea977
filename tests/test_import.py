"""`import refgraph` is instant: every public name loads on first use (PEP 562)."""

from __future__ import annotations

import subprocess
import sys

import refgraph as rg

HEAVY = ["numpy", "scipy", "pyarrow", "pydantic", "matplotlib", "numba", "networkx", "pandas", "icalendar",
         "vobject", "pyvis", "pyspark", "refgraph.spark", "rapidfuzz"]


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_importing_refgraph_loads_no_heavy_module() -> None:
    assert run(f"import sys, refgraph; print([m for m in {HEAVY!r} if m in sys.modules])") == "[]"


def test_a_name_loads_only_what_it_needs() -> None:
    code = (f"import sys, refgraph as rg; rg.DataError; rg.warm_paths; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    assert run(code) == "['numpy', 'scipy', 'pyarrow', 'pydantic']"  # no plots, kernels or pandas for a path


def test_import_takes_well_under_a_second() -> None:
    # measured in docs/performance.md at about 0.02 s; this bound only catches an eager import creeping back
    code = "import time; t = time.perf_counter(); import refgraph; print(time.perf_counter() - t)"
    assert min(float(run(code)) for _ in range(3)) < 0.3


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in rg.__all__:
        assert getattr(rg, name) is not None
    assert set(rg.__all__) <= set(dir(rg))
    assert rg.io.save is rg.save  # submodules load on first use too


def test_an_unknown_name_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'warm_path'"):
        rg.warm_path  # noqa: B018


def test_names_stay_the_functions_once_every_module_is_loaded() -> None:
    # a submodule named like a public function would shadow it once imported
    code = ("import pkgutil, importlib, types, refgraph as rg\n"
            "for m in pkgutil.walk_packages(rg.__path__, 'refgraph.'):\n"
            "    if not m.name.endswith(('__main__', 'spark')): importlib.import_module(m.name)\n"
            "print(sorted(n for n in rg.__all__ if isinstance(getattr(rg, n), types.ModuleType)))")
    assert run(code) == "['plot']"
