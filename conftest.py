"""Every doctest in the library starts with ``rg`` (``import refgraph as rg``) at hand."""

from __future__ import annotations

from typing import Any

import pytest

import refgraph


@pytest.fixture(autouse=True)
def _refgraph_in_doctests(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["rg"] = refgraph
