"""The ``contractcore`` command: a thin shell over the library's functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``contractcore`` command line and return its exit status."""
    parser = argparse.ArgumentParser(prog="contractcore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="show what contractcore computes, on sample data")
    args = parser.parse_args(argv)
    if args.command == "demo":
        print("contractcore demo")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
