"""The rules of contractcore over columns of many rows, for warehouses and data engines.

Needs the ``columnar`` extra (numpy and pyarrow): ``pip install
'contractcore[columnar]'``. Every answer equals the scalar function's on the
same row, to the microsecond; see ``docs/columnar.md``.
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.columnar.calendar import add, elapsed, is_open

__all__ = ["add", "elapsed", "is_open"]

publish(__name__)  # the names above report contractcore.columnar, not its private modules
