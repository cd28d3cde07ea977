"""The layer contract: modules import only downwards, and none reaches into another's private names.

records (and io beside them) -> engine -> analyses -> presentation, as CONTRIBUTING.md draws
it. The only upward imports allowed are the lazy conveniences inside ``plot``, ``show``,
``save`` and ``trust_graph`` methods (``net.trust_graph()`` delegates to
``TrustGraph.from_network``); imports under ``if TYPE_CHECKING:`` are for annotations only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "refgraph"

BASE, RECORDS, ENGINE, ANALYSES, PRESENTATION = range(5)
NAMES = ["base", "records", "engine", "analyses", "presentation"]

# A subpackage places its modules; the modules at the top of the package are placed by name.
PACKAGES = {
    "refgraph.records": RECORDS,
    "refgraph.io": RECORDS,  # readers and writers, beside the records
    "refgraph.engine": ENGINE,
    "refgraph.analysis": ANALYSES,
    "refgraph.plot": PRESENTATION,
    "refgraph.spark": ANALYSES,  # the same analyses on Spark, reading the records' columns
}
MODULES = {
    "refgraph.errors": BASE,
    "refgraph._checks": BASE,
    "refgraph._progress": BASE,
    "refgraph._files": BASE,  # atomic writes and safe reads, for every layer that writes
    "refgraph.results": BASE,  # the tables every layer returns; drawing them is lazy
    "refgraph.io.graphml": ENGINE,  # a TrustGraph's own file format
    "refgraph.io.__init__": ENGINE,  # every format in one place, graphml's too
    "refgraph.datasets": ENGINE,  # the bundled networks and graphs
    "refgraph.__init__": PRESENTATION,
    "refgraph.__main__": PRESENTATION,
    "refgraph.cli": PRESENTATION,
    "refgraph.report": PRESENTATION,
    "refgraph.interactive": PRESENTATION,
}
LAZY_CONVENIENCES = {"plot", "show", "save", "trust_graph"}
PRIVATE_MODULES = {path.stem for path in SRC.rglob("_*.py")}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts)


def layer_of(module: str) -> int:
    if module in MODULES:
        return MODULES[module]
    parts = module.split(".")
    for k in range(len(parts), 1, -1):
        if ".".join(parts[:k]) in PACKAGES:
            return PACKAGES[".".join(parts[:k])]
    raise AssertionError(f"{module} has no layer: place it in tests/test_layers.py")


def imports(module: str, source: str) -> list[tuple[str, str | None, int]]:
    """(imported refgraph module, enclosing function or None, line) of every runtime import."""
    found: list[tuple[str, str | None, int]] = []
    package = module.split(".") if module.endswith("__init__") else module.split(".")[:-1]
    if module.endswith("__init__"):
        package = package[:-1]

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - child.level + 1]
                    stem = ".".join(base + ([child.module] if child.module else []))
                else:
                    stem = child.module or ""
                if stem.split(".")[0] != "refgraph":
                    continue
                for alias in child.names:  # `from . import plot` imports a module, `from .x import f` a name
                    candidate = f"{stem}.{alias.name}"
                    is_module = (SRC.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                        SRC.parent / Path(*candidate.split("."))).is_dir()
                    found.append((candidate if is_module else stem, function, child.lineno))
            elif isinstance(child, ast.Import):
                found.extend((a.name, function, child.lineno) for a in child.names if a.name.startswith("refgraph"))
            else:
                visit(child, function)

    visit(ast.parse(source), None)
    return found


def upward_imports(module: str, source: str) -> list[str]:
    """Every import in ``source`` (the text of ``module``) that runs up a layer."""
    mine = layer_of(module)
    wrong = []
    for target, function, line in imports(module, source):
        target_module = target if target != "refgraph" else "refgraph.__init__"
        if (SRC.parent / Path(*target_module.split("."))).is_dir():
            target_module += ".__init__"
        theirs = layer_of(target_module)
        if theirs > mine and function not in LAZY_CONVENIENCES:
            wrong.append(f"{module}:{line} ({NAMES[mine]}) imports {target} ({NAMES[theirs]})"
                         + (f" inside {function}()" if function else ""))
    return wrong


def private_reaches(source: str) -> list[str]:
    """Every ``x._name`` or ``from m import _name`` in ``source`` where ``_name`` is not defined in
    ``source`` itself (private modules, ``from . import _kernels``, are fine)."""
    tree = ast.parse(source)
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            defined.add(node.value)  # __slots__ and field names
    wrong = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and node.attr not in defined):
            wrong.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.ImportFrom) and node.module and not node.module.split(".")[-1].startswith("_"):
            wrong += [f"line {node.lineno}: from {'.' * node.level}{node.module} import {a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__") and a.name not in PRIVATE_MODULES]
    return wrong


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_run_only_downwards(path: Path) -> None:
    assert upward_imports(module_name(path), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_no_module_reaches_into_another_private_names(path: Path) -> None:
    assert private_reaches(path.read_text(encoding="utf-8")) == []


def test_the_contract_catches_an_upward_import() -> None:
    # a deliberate upward import: the records layer reaching for the report
    source = "from __future__ import annotations\nfrom ..report import write_report\n"
    assert upward_imports("refgraph.records.models", source) == [
        "refgraph.records.models:2 (records) imports refgraph.report (presentation)"]
    # lazily, inside an ordinary function, is still upward; inside plot() it is the allowed convenience
    lazy = "def f():\n    from ..analysis.paths import warm_paths\n\ndef plot(self):\n    from ..plot import chains\n"
    assert upward_imports("refgraph.records.models", lazy) == [
        "refgraph.records.models:2 (records) imports refgraph.analysis.paths (analyses) inside f()"]
    # annotations only are no dependency
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..engine.graph import TrustGraph\n"
    assert upward_imports("refgraph.records.network", typing_only) == []


def test_the_contract_catches_a_reach_into_private_names() -> None:
    assert private_reaches("def f(g):\n    return g._values_at(1)\n") == ["line 2: g._values_at"]
    assert private_reaches("from .graph import _kinds\n") == ["line 1: from .graph import _kinds"]
    assert private_reaches("class A:\n    def __init__(self):\n        self._x = 1\n    def f(self, o):\n"
                           "        return o._x\n") == []


def test_every_module_has_a_layer() -> None:
    for path in SOURCES:
        layer_of(module_name(path))
