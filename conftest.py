"""Every doctest in the library starts with ``rg`` (``import refgraph as rg``) at hand; the
examples of ``refgraph.spark`` run where pyspark and a Java runtime are installed."""

from __future__ import annotations

import importlib.util
import shutil
from typing import Any

import pytest

import refgraph

if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
    collect_ignore_glob = ["src/refgraph/spark/*"]


@pytest.fixture(autouse=True)
def _refgraph_in_doctests(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["rg"] = refgraph
