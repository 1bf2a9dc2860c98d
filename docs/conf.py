"""Sphinx configuration for contractcore's documentation."""

from __future__ import annotations

project = "contractcore"
author = "contractcore developers"
copyright = "2026, contractcore developers"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "contractcore"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = False
# The django-helpdesk recipe imports Django, an optional extra the docs build
# does not need installed.
autodoc_mock_imports = ["django", "helpdesk", "pyspark"]
