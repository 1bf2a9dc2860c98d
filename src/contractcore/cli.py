"""The ``contractcore`` command: a thin shell over the library's functions.

``contractcore demo`` stores sample data in a SQLite database and prints a
tour read back from it; ``invoice-run``, ``renewals`` and ``sla board`` work
on any database (``--db``, any SQLAlchemy URL); ``sla evaluate FILE`` reads a
JSON document and prints the SLA status as JSON; ``calendar add|elapsed``
answers business-time questions from the shell.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from contractcore.errors import ContractCoreError
from contractcore.reports._cli import add_report_parser, run_report, write_demo_files
from contractcore.sla import _calendar_demo
from contractcore.sla._hours import parse_weekday
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["main"]

DEMO_TODAY = date(2026, 11, 23)
_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)
_HOURS = re.compile(r"^(?P<days>[a-z0-9,-]+)\s+(?P<ranges>.+)$")


class UsageError(ContractCoreError, ValueError):
    """A command-line argument could not be read."""


if TYPE_CHECKING:
    from contractcore.repository import UnitOfWork

DEFAULT_DB = "sqlite:///contractcore.db"
DEFAULT_TENANT = "default"


def _table_names(engine: Any, url: str) -> set[str]:
    """The tables of the database at ``url``, read without writing to it."""
    import sqlalchemy as sa  # noqa: PLC0415 - see _database

    path = _sqlite_file(url)
    if path is not None and path.exists():
        # Read-only and outside SQLAlchemy: opening the engine would switch a
        # foreign file to write-ahead logging before we could refuse it.
        try:
            with contextlib.closing(
                sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            ) as connection:
                rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return {row[0] for row in rows}
        except sqlite3.DatabaseError as exc:
            msg = f"--db: {url} cannot be read as a database: {exc}"
            raise UsageError(msg) from None
    try:
        return set(sa.inspect(engine).get_table_names())
    except sa.exc.DBAPIError as exc:
        msg = f"--db: {url} cannot be read as a database: {exc.orig}"
        raise UsageError(msg) from None


def _check_database(engine: Any, url: str, *, create: bool) -> None:
    """Refuse a database that is not contractcore's (a foreign or empty one unless creating)."""
    names = _table_names(engine, url)
    if "contractcore_schema" in names:
        return
    if names:
        shown = ", ".join(sorted(names)[:5])
        msg = (
            f"--db: {url} is another application's database (tables {shown}); "
            "contractcore adds its tables only to an empty database or its own"
        )
        raise UsageError(msg)
    if not create:
        msg = (
            f"--db: {url} is empty, not a contractcore database (create one with "
            f"'contractcore demo --db {url}' or your own application)"
        )
        raise UsageError(msg)


@contextmanager
def _database(url: str, *, create: bool = False) -> Iterator[Callable[[], UnitOfWork]]:
    """Open ``url``, create or upgrade the schema, yield a unit-of-work factory.

    Only ``create=True`` (the demo) adds contractcore's tables to an empty
    database; a database holding other tables is always refused.
    """
    try:
        from contractcore.repository.sql import (  # noqa: PLC0415 - SQLAlchemy only when a database is used
            SqlUnitOfWork,
            create_schema,
            open_engine,
        )
    except ImportError as exc:
        msg = f"this command needs the sqlite extra (pip install 'contractcore[sqlite]'): {exc}"
        raise UsageError(msg) from None

    engine = open_engine(url)  # lazy: nothing is opened before the first connection
    try:
        _check_database(engine, url, create=create)
        create_schema(engine)
        yield lambda: SqlUnitOfWork(engine)
    finally:
        engine.dispose()


def _run_demo(args: argparse.Namespace) -> str:
    from contractcore.repository import _demo  # noqa: PLC0415 - see _database

    today: date = args.today
    sections = [_calendar_demo.render(today)]
    with tempfile.TemporaryDirectory(prefix="contractcore-demo-") as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'demo.db'}"
        with _database(url, create=True) as new_uow:
            written = _demo.seed(new_uow, args.tenant, today)
            where = f"database {url}" if args.db else "a temporary SQLite database (--db keeps it)"
            verb = "Stored" if written else "Found"
            sections.append(
                f"{verb} the sample data in {where}, tenant {args.tenant!r}; read back from it:"
            )
            sections.append(_demo.render_board(new_uow, args.tenant, _demo.demo_now(today)))
            sections.append(
                _demo.render_renewals(new_uow, args.tenant, today, timedelta(days=30), apply=True)
            )
            sections.append(_demo.render_invoice_run(new_uow, args.tenant, _demo.month_of(today)))
            sections.append(_demo.render_billing_periods(new_uow, args.tenant, today))
            sections.append(_demo.render_penalty(new_uow, args.tenant, "c-acme", today))
            sections.append(write_demo_files(new_uow, args.tenant, _demo.demo_now(today)))
    return "\n\n".join(sections)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url`` (None for memory, URI filenames and other databases)."""
    try:
        from sqlalchemy.engine import make_url  # noqa: PLC0415 - see _database

        parsed = make_url(url)
    except Exception:  # not ours to judge: open_engine reports a bad URL or driver
        return None
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # a URI filename: SQLite's own business
        return None
    return Path(name)


def _missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url`` if it does not exist (None for anything else)."""
    path = _sqlite_file(url)
    return None if path is None or path.exists() else path


def _run_stored(args: argparse.Namespace) -> tuple[str, str | None]:
    """The report of a command on a database, and a problem to report on stderr (or None)."""
    from contractcore.repository import (  # noqa: PLC0415 - see _database
        _demo,
        run_invoicing,
        run_invoicing_due,
    )

    # A typo in --db would create an empty database and report success
    # ("0 new line(s)"): only the demo creates a database.
    missing = _missing_sqlite_file(args.db)
    if missing is not None:
        msg = (
            f"--db: no database file {missing} (create one with "
            f"'contractcore demo --db {args.db}' or your own application)"
        )
        raise UsageError(msg)
    # The arguments first: a bad one is reported before the database is opened.
    period = None
    if args.command == "invoice-run":
        if (args.period is None) == (args.as_of is None):
            msg = "invoice-run takes a PERIOD or --as-of DAY (one of them)"
            raise UsageError(msg)
        period = _demo.parse_period(args.period) if args.period is not None else None
    now = None
    if args.command not in ("invoice-run", "renewals"):
        now = _parse_instant(args.now, "UTC", "--now") if args.now else datetime.now(UTC)
    with _database(args.db) as new_uow:
        if args.command == "invoice-run":
            result = (
                run_invoicing(new_uow(), args.tenant, period)
                if period is not None
                else run_invoicing_due(new_uow(), args.tenant, args.as_of)
            )
            problem = None
            if result.failures:
                problem = (
                    f"{len(result.failures)} contract(s) not invoiced (listed above); "
                    "the other contracts' lines were written"
                )
            return _demo.format_invoice_run(new_uow, result), problem
        if args.command == "renewals":
            within = timedelta(days=args.within)
            report = _demo.render_renewals(
                new_uow, args.tenant, args.today, within, apply=args.apply
            )
            return report, None
        assert now is not None  # the board
        return _demo.render_board(new_uow, args.tenant, now), None


def _run_evaluate(args: argparse.Namespace) -> str:
    from contractcore.serialization import evaluate_document, parse_json  # noqa: PLC0415

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"FILE {args.file}: {exc}"
        raise UsageError(msg) from None
    result = evaluate_document(parse_json(text))
    return json.dumps(result, indent=2, sort_keys=True)


def _parse_duration(text: str) -> timedelta:
    """``4h``, ``1h30m``, ``2d``, ``45m``, ``90s`` or ISO 8601 ``PT4H``."""
    cleaned = text.strip().replace(" ", "")
    match = _DURATION.match(cleaned.lower()) or _ISO_DURATION.match(cleaned.upper())
    if not cleaned or not match or not any(match.groupdict().values()):
        msg = f"duration must look like 4h, 1h30m, 2d or PT4H, got {text!r}"
        raise UsageError(msg)
    parts = {key: int(value or 0) for key, value in match.groupdict().items()}
    try:
        return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])
    except OverflowError:
        msg = f"duration is too long, got {text!r}"
        raise UsageError(msg) from None


def _parse_instant(text: str, zone: str, argument: str) -> datetime:
    """An ISO 8601 datetime; without an offset it is read in the calendar's zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"{argument} must be an ISO 8601 datetime such as 2026-11-20T15:00, got {text!r}"
        raise UsageError(msg) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def _parse_hours(spec: str) -> dict[int, list[tuple[time, time]]]:
    """``"mon-fri 09:00-17:00; sat 10:00-14:00"`` as weekly hours."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    for part in filter(None, (p.strip().lower() for p in spec.split(";"))):
        match = _HOURS.match(part)
        if not match:
            msg = f"--hours must look like 'mon-fri 09:00-17:00; sat 10:00-14:00', got {part!r}"
            raise UsageError(msg)
        days: list[int] = []
        for chunk in match["days"].split(","):
            first, _, last = chunk.partition("-")
            low, high = parse_weekday(first), parse_weekday(last or first)
            days.extend(range(low, high + 1) if low <= high else [*range(low, 7), *range(high + 1)])
        ranges: list[tuple[time, time]] = []
        for chunk in match["ranges"].replace(" ", "").split(","):
            start, _, end = chunk.partition("-")
            data = {"timezone": "UTC", "weekly_hours": {"monday": [[start, end]]}}
            ranges.extend(BusinessCalendar.from_dict(data).weekly_hours[0])
        for day in days:
            weekly.setdefault(day, []).extend(ranges)
    return weekly


def _calendar(args: argparse.Namespace) -> BusinessCalendar:
    if args.calendar:
        try:
            data = json.loads(Path(args.calendar).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            msg = f"--calendar {args.calendar}: {exc}"
            raise UsageError(msg) from exc
        return BusinessCalendar.from_dict(data)
    holiday_data: object = []
    if args.holidays:
        country, _, subdiv = args.holidays.partition(":")
        holiday_data = {"country": country.upper(), "subdiv": subdiv.upper() or None}
    base = BusinessCalendar.from_dict({"timezone": args.timezone, "holidays": holiday_data})
    return BusinessCalendar(
        base.timezone, weekly_hours=_parse_hours(args.hours), holidays=base.holidays
    )


def _run_calendar(args: argparse.Namespace) -> str:
    cal = _calendar(args)
    start = _parse_instant(args.start, cal.timezone, "START")
    try:
        if args.action == "add":
            return cal.add(start, _parse_duration(args.duration)).isoformat()
        end = _parse_instant(args.end, cal.timezone, "END")
        elapsed = cal.elapsed(start, end)
    except ContractCoreError:
        raise
    except (OverflowError, ValueError) as exc:  # past year 9999 or before year 1
        msg = f"the answer is outside the years 1 to 9999 ({exc})"
        raise UsageError(msg) from None
    return f"{elapsed} ({elapsed / timedelta(hours=1):g} business hours)"


def _version() -> str:
    """The installed distribution's version (the package's own when run from a checkout)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("contractcore")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractcore", description="Service contracts and SLAs: exact deadlines and money."
    )
    parser.add_argument("--version", action="version", version=f"contractcore {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    stored = argparse.ArgumentParser(add_help=False)
    stored.add_argument(
        "--db",
        default=os.environ.get("CONTRACTCORE_DB", DEFAULT_DB),
        help="SQLAlchemy database URL (default: $CONTRACTCORE_DB or sqlite:///contractcore.db)",
    )
    stored.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant (default: 'default')")
    demo = sub.add_parser(
        "demo", help="store sample data in SQLite and show what contractcore computes from it"
    )
    demo.add_argument(
        "--today", type=_day, default=DEMO_TODAY, help="the demo's today (YYYY-MM-DD)"
    )
    demo.add_argument("--db", help="keep the sample data in this database (default: a temp file)")
    demo.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant (default: 'default')")
    invoice = sub.add_parser(
        "invoice-run", parents=[stored], help="invoice a period exactly once and print the lines"
    )
    invoice.add_argument(
        "period", metavar="PERIOD", nargs="?", help="2026-11 or 2026-11-01..2026-11-30"
    )
    invoice.add_argument(
        "--as-of",
        type=_day,
        metavar="DAY",
        help="YYYY-MM-DD: invoice every period due by that day (the contracts' billing terms)",
    )
    renewals = sub.add_parser(
        "renewals", parents=[stored], help="contracts ending soon (--apply runs the nightly job)"
    )
    renewals.add_argument("--today", type=_day, default=date.today(), help="YYYY-MM-DD")  # noqa: DTZ011 - the shell's today
    renewals.add_argument("--within", type=_days, default=30, help="days ahead (default 30)")
    renewals.add_argument(
        "--apply", action="store_true", help="activate, renew and complete what is due, first"
    )
    sla = sub.add_parser("sla", help="SLA board of stored tickets; evaluate a JSON document")
    sla_actions = sla.add_subparsers(dest="action", required=True)
    board = sla_actions.add_parser("board", parents=[stored], help="stored tickets, worst first")
    board.add_argument("--now", help="ISO datetime (default: now; UTC without an offset)")
    evaluate = sla_actions.add_parser(
        "evaluate", help="JSON document in (policy, events, now), SLA status JSON out"
    )
    evaluate.add_argument("file", metavar="FILE", help="the JSON document, or - for stdin")
    add_report_parser(sub, stored)
    calendar = sub.add_parser("calendar", help="business-time arithmetic from the shell")
    actions = calendar.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="the deadline: START plus DURATION of business time")
    add.add_argument("start", metavar="START", help="ISO datetime, e.g. 2026-11-20T15:00")
    add.add_argument("duration", metavar="DURATION", help="e.g. 4h, 1h30m, 2d, PT4H")
    elapsed = actions.add_parser("elapsed", help="business time between START and END")
    elapsed.add_argument("start", metavar="START")
    elapsed.add_argument("end", metavar="END")
    for action in (add, elapsed):
        action.add_argument("--timezone", default="UTC", help="IANA zone (default UTC)")
        action.add_argument(
            "--hours",
            default="mon-fri 09:00-17:00",
            help="weekly hours, e.g. 'mon-fri 09:00-17:00; sat 10:00-14:00'",
        )
        action.add_argument("--holidays", help="country[:subdivision], e.g. US:NY or GB:ENG")
        action.add_argument("--calendar", help="a JSON calendar file (BusinessCalendar.to_dict)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``contractcore`` command line and return its exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            print(_run_demo(args))
        elif args.command == "calendar":
            print(_run_calendar(args))
        elif args.command == "report":
            print(run_report(args, _database))
        elif args.command == "sla" and args.action == "evaluate":
            print(_run_evaluate(args))
        else:
            report, problem = _run_stored(args)
            print(report)
            if problem is not None:  # the report is written: a partial success
                print(f"contractcore: error: {problem}", file=sys.stderr)
                return 1
    except ContractCoreError as exc:
        print(f"contractcore: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:
        # Database drivers raise their own errors (cannot connect, locked, ...).
        if type(exc).__module__.split(".")[0] not in {"sqlalchemy", "psycopg", "sqlite3"}:
            raise
        print(f"contractcore: error: database: {_one_line(exc)}", file=sys.stderr)
        return 2
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 36_500:
        msg = f"must be a whole number of days from 0 to 36500, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return days


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"a date must look like 2026-11-23, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
