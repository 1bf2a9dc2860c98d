"""Sphinx configuration for contractcore's documentation."""

from __future__ import annotations

import sys
from pathlib import Path

project = "contractcore"
author = "contractcore developers"
copyright = "2026, contractcore developers"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_generated"]
html_theme = "furo"
html_title = "contractcore"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = False
# The django-helpdesk recipe imports Django, an optional extra the docs build
# does not need installed.
autodoc_mock_imports = ["django", "helpdesk", "pyspark"]

# The pictures docs/reports.md shows, built now from the code (never stored).
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
import _pictures  # noqa: E402

_pictures.build()
html_extra_path = ["_generated/sla-report.html"]
