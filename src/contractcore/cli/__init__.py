"""The ``contractcore`` command: a thin shell over the library's functions.

``contractcore demo`` stores sample data in a SQLite database and prints a
tour read back from it; ``invoice-run``, ``renewals`` and ``sla board`` work
on any database (``--db``, any SQLAlchemy URL); ``sla evaluate FILE`` reads a
JSON document and prints the SLA status as JSON; ``calendar add|elapsed``
answers business-time questions from the shell. Every command takes
``--format json`` (one JSON document on stdout). Exit status: 0 done, 1 the
data is wrong, 2 the command line cannot be read, 3 the database cannot be
used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from contractcore.cli import _board, _calendar, _database, _stored
from contractcore.cli._common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_STORAGE,
    EXIT_USAGE,
    UsageError,
    add_format,
    emit,
    error_line,
    fail,
    parse_day,
)
from contractcore.errors import ConcurrencyError, ContractCoreError, StorageError
from contractcore.reports._cli import run_report, write_demo_files
from contractcore.sla import _calendar_demo

__all__ = ["main"]

DEMO_TODAY = date(2026, 11, 23)
_DRIVERS = frozenset({"sqlalchemy", "psycopg", "psycopg2", "sqlite3"})


def _run_demo(args: argparse.Namespace) -> None:
    from contractcore.repository import _demo, run_invoicing  # noqa: PLC0415 - SQLAlchemy only when used

    today: date = args.today
    tour = _calendar_demo.render(today)
    with tempfile.TemporaryDirectory(prefix="contractcore-demo-") as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'demo.db'}"
        with _database.database(url, create=True) as new_uow:
            written = _demo.seed(new_uow, args.tenant, today)
            where = f"database {url}" if args.db else "a temporary SQLite database (--db keeps it)"
            verb = "Stored" if written else "Found"
            board_text, board = _board.board(new_uow, args.tenant, _demo.demo_now(today))
            renewals_text, renewals = _stored.renewals(
                new_uow, args.tenant, today, timedelta(days=30), apply=True
            )
            result = run_invoicing(new_uow(), args.tenant, _demo.month_of(today))
            invoice_text = _demo.format_invoice_run(new_uow, result)
            periods = _demo.render_billing_periods(new_uow, args.tenant, today)
            penalty = _demo.render_penalty(new_uow, args.tenant, "c-acme", today)
            files = write_demo_files(new_uow, args.tenant, _demo.demo_now(today))
            document: dict[str, Any] = {
                "command": "demo",
                "today": today.isoformat(),
                "database": args.db,
                "tenant": args.tenant,
                "sample_data_written": written,
                "calendar_tour": tour.splitlines(),
                "board": board,
                "renewals": renewals,
                "invoice_run": _stored.invoice_document(new_uow, result),
                "billing_periods": periods.splitlines(),
                "penalty": penalty.splitlines(),
                "report_files": files.splitlines(),
            }
    sections = [
        tour,
        f"{verb} the sample data in {where}, tenant {args.tenant!r}; read back from it:",
        board_text,
        renewals_text,
        invoice_text,
        periods,
        penalty,
        files,
    ]
    emit(args, "\n\n".join(sections), document)


def _run_evaluate(args: argparse.Namespace) -> None:
    from contractcore.serialization import evaluate_document, parse_json  # noqa: PLC0415

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"FILE {args.file}: {exc}"
        raise UsageError(msg) from None
    result = evaluate_document(parse_json(text))
    # The result is a JSON document already: both formats print it.
    print(json.dumps(result, indent=2, sort_keys=True))


def _version() -> str:
    """The installed distribution's version (the package's own when run from a checkout)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("contractcore")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractcore",
        description="Service contracts and SLAs: exact deadlines and money.",
        epilog="exit status: 0 done, 1 the data is wrong, 2 the command line cannot be read, "
        "3 the database cannot be used",
    )
    parser.add_argument("--version", action="version", version=f"contractcore {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="store sample data in SQLite and show what contractcore computes from it"
    )
    demo.add_argument(
        "--today",
        type=parse_day,
        default=DEMO_TODAY,
        metavar="DAY",
        help="the demo's today (YYYY-MM-DD, default 2026-11-23: the tour is pinned)",
    )
    demo.add_argument("--db", help="keep the sample data in this database (default: a temp file)")
    demo.add_argument(
        "--tenant", default=_stored.DEFAULT_TENANT, help="tenant (default: 'default')"
    )
    add_format(demo)
    sla = sub.add_parser("sla", help="SLA board of stored tickets; evaluate a JSON document")
    sla_actions = sla.add_subparsers(dest="action", required=True)
    _stored.add_parsers(sub, sla_actions)
    evaluate = sla_actions.add_parser(
        "evaluate", help="JSON document in (policy, events, now), SLA status JSON out"
    )
    evaluate.add_argument("file", metavar="FILE", help="the JSON document, or - for stdin")
    add_format(evaluate)
    _calendar.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``contractcore`` command line and return its exit status.

    0 done; 1 the data is wrong (a :class:`~contractcore.errors.ContractCoreError`,
    or an invoice run with failed contracts); 2 the command line cannot be read
    (argparse exits with 2 itself); 3 the database cannot be used
    (:class:`~contractcore.errors.StorageError`, a lock not obtained, a driver error).
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            _run_demo(args)
        elif args.command == "calendar":
            _calendar.run(args)
        elif args.command == "sla" and args.action == "evaluate":
            _run_evaluate(args)
        elif args.command == "report":
            written = run_report(args, _database.database)
            emit(
                args, written, {"command": "report sla", "month": args.month, "output": args.output}
            )
        else:
            problem = _stored.run(args)
            if problem is not None:  # the report is written: a partial success
                return fail(problem, EXIT_DATA)
    except UsageError as exc:
        return fail(error_line(exc), EXIT_USAGE)
    except (StorageError, ConcurrencyError) as exc:
        return fail(error_line(exc), EXIT_STORAGE)
    except ContractCoreError as exc:
        return fail(error_line(exc), EXIT_DATA)
    except Exception as exc:
        # A driver error the repository did not wrap (cannot connect, locked, ...).
        if type(exc).__module__.split(".")[0] not in _DRIVERS:
            raise
        return fail(f"database: {error_line(exc)}", EXIT_STORAGE)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
