"""``python -m contractcore``: the same command line as ``contractcore``."""

from __future__ import annotations

import sys

from contractcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
