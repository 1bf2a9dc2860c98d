"""Test configuration shared by the whole repository.

* Code blocks in ``docs/*.md`` and ``README.md`` run as tests (Sybil): a
  ```` ```python ```` block is executed, and one that starts with ``>>>`` is a
  doctest.
* Hypothesis has a ``dev`` profile (quick) and a ``ci`` profile (more
  examples, no deadline); ``CI=true`` selects ``ci``.
* A docstring example of a public name runs in the module it was written in,
  though the name reports its package (``contractcore._public``).
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import sys

import pytest
from hypothesis import HealthCheck, settings
from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

from contractcore._public import DEFINED_IN

#: The django-helpdesk recipe imports Django; without the `django` extra its
#: module is not collected (its tests skip, saying why).
collect_ignore = (
    []
    if importlib.util.find_spec("django") and importlib.util.find_spec("helpdesk")
    else ["src/contractcore/recipes/django_helpdesk.py", "docs/django-helpdesk.md"]
)

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("stress", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
    excludes=["CHANGELOG.md", "CONTRIBUTING.md"],
).pytest()


@pytest.fixture(autouse=True)
def _examples_run_where_written(request: pytest.FixtureRequest) -> None:
    """Give a moved name's docstring example the globals of the module it was written in."""
    item = request.node
    if isinstance(item, pytest.DoctestItem) and item.dtest is not None:
        name = item.dtest.name
        while name and name not in DEFINED_IN:
            name = name.rpartition(".")[0]
        if name:
            item.dtest.globs.update(vars(sys.modules[DEFINED_IN[name]]))
