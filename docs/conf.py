"""Sphinx configuration for refgraph's documentation (`make docs`, builds offline)."""

from __future__ import annotations

import refgraph

project = "refgraph"
author = "the refgraph developers"
release = refgraph.__version__
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_numpy_docstring = True
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
html_static_path = ["_static"]
html_css_files = ["refgraph.css"]
