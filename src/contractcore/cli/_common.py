"""What every ``contractcore`` command shares: exit codes, ``--now``, durations, output.

Exit codes: 0 success, 1 data (the command line was read, the data is
wrong), 2 usage (the command line could not be read), 3 storage (the
database cannot be used).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from contractcore.errors import ContractCoreError

__all__ = [
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_STORAGE",
    "EXIT_USAGE",
    "Column",
    "UsageError",
    "add_format",
    "add_now",
    "add_today",
    "emit",
    "format_duration",
    "parse_day",
    "parse_duration",
    "parse_instant",
    "resolve_now",
    "resolve_today",
    "table_row",
]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_STORAGE = 3

_MICROS = {"d": 86_400_000_000, "h": 3_600_000_000, "m": 60_000_000, "s": 1_000_000}
_UNITS = re.compile(
    r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m)?\s*"
    r"(?:(?P<s>\d+(?:\.\d{1,6})?)\s*s)?$"
)
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d(?:\.\d{1,6})?))?$")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d{1,6})?)S)?)?$"
)
_DURATION_HELP = "4h, -1h30m, 2d 3h, 1:30, -0:45 or PT4H"


class UsageError(ContractCoreError, ValueError):
    """A command-line argument could not be read (exit status 2)."""


def parse_duration(text: str, argument: str = "DURATION") -> timedelta:
    """A duration as people write it: ``4h``, ``-1h 30m``, ``2d 3h``, ``1:30``, ``PT4H``.

    A leading ``-`` makes the whole duration negative; ``d`` is 24 hours,
    ``H:MM[:SS]`` is hours and minutes (and seconds); seconds may carry up
    to six decimals. The inverse of :func:`format_duration`.

    >>> parse_duration("-2d 3h"), parse_duration("1:30"), parse_duration("PT45M")
    (datetime.timedelta(days=-3, seconds=75600), datetime.timedelta(seconds=5400), \
datetime.timedelta(seconds=2700))
    """
    cleaned = text.strip()
    sign = -1 if cleaned.startswith("-") else 1
    body = cleaned[1:].lstrip() if cleaned[:1] in "+-" and cleaned else cleaned
    match = (
        _CLOCK.match(body) or _UNITS.match(body.lower()) or _ISO.match(body.upper())
        if body
        else None
    )
    if match is None or not any(match.groupdict().values()):
        msg = f"{argument} must look like {_DURATION_HELP}, got {text!r}"
        raise UsageError(msg)
    micros = sum(
        int(Decimal(value) * _MICROS[unit])
        for unit, value in match.groupdict().items()
        if value is not None
    )
    try:
        return timedelta(microseconds=sign * micros)
    except OverflowError:
        msg = f"{argument} is too long, got {text!r}"
        raise UsageError(msg) from None


def format_duration(amount: timedelta) -> str:
    """``amount`` as :func:`parse_duration` reads it back: ``-2d 3h``, ``1h 30m``, ``0s``.

    >>> format_duration(timedelta(hours=-51)), format_duration(timedelta(seconds=90.5))
    ('-2d 3h', '1m 30.5s')
    """
    micros = (amount.days * 86_400 + amount.seconds) * 1_000_000 + amount.microseconds
    sign, micros = ("-" if micros < 0 else ""), abs(micros)
    parts = []
    for unit in "dhm":
        count, micros = divmod(micros, _MICROS[unit])
        if count:
            parts.append(f"{count}{unit}")
    seconds, fraction = divmod(micros, 1_000_000)
    if fraction:
        parts.append(f"{seconds}.{fraction:06d}".rstrip("0") + "s")
    elif seconds or not parts:
        parts.append(f"{seconds}s")
    return sign + " ".join(parts)


def parse_instant(text: str, argument: str, zone: str = "UTC") -> datetime:
    """An ISO 8601 instant; one without an offset is read in ``zone`` (UTC for ``--now``)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"{argument} must be an ISO 8601 datetime such as 2026-11-20T15:00, got {text!r}"
        raise UsageError(msg) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` (an argparse ``type``: a bad day is a usage error)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"a date must look like 2026-11-23, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def add_now(parser: argparse.ArgumentParser) -> None:
    """``--now``: the instant a command works from (one rule for every command)."""
    parser.add_argument(
        "--now",
        metavar="INSTANT",
        help="ISO 8601 instant, e.g. 2026-11-23T14:00-05:00; without an offset it is UTC "
        "(default: the system clock, UTC, to the second)",
    )


def add_today(parser: argparse.ArgumentParser) -> None:
    """``--today``: the day a day-based command works from (the UTC date of ``--now``)."""
    parser.add_argument(
        "--today",
        type=parse_day,
        metavar="DAY",
        help="YYYY-MM-DD (default: today's date in UTC, from the system clock)",
    )


def resolve_now(args: argparse.Namespace) -> datetime:
    """``--now`` read, or the system clock (UTC, whole seconds) when it is not given."""
    if args.now is not None:
        return parse_instant(args.now, "--now")
    return datetime.now(UTC).replace(microsecond=0)


def resolve_today(args: argparse.Namespace) -> date:
    """``--today``, or the UTC date of the system clock."""
    today: date | None = args.today
    return today if today is not None else datetime.now(UTC).date()


def add_format(parser: argparse.ArgumentParser) -> None:
    """``--format text|json``: JSON prints exactly one JSON document on stdout."""
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default) or json: one JSON document on stdout",
    )


def emit(args: argparse.Namespace, text: str, document: object) -> None:
    """Print ``text``, or ``document`` as JSON with ``--format json``."""
    if args.format == "json":
        print(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(text)


@attrs.frozen
class Column:
    """A column of a fixed-width table: a longer value is cut, ending in ``~``."""

    title: str
    width: int
    align: str = "<"

    def cell(self, value: str) -> str:
        """``value`` padded or cut to exactly ``width`` characters."""
        flat = " ".join(value.split())  # a newline or tab would break the row
        if len(flat) > self.width:
            flat = flat[: self.width - 1] + "~"
        return f"{flat:{self.align}{self.width}}"


def table_row(columns: Sequence[Column], values: Sequence[str]) -> str:
    """One row: each column starts at the same offset whatever the values."""
    return " ".join(column.cell(value) for column, value in zip(columns, values, strict=True))


def jsonable(value: Any) -> Any:
    """Dates and instants as ISO 8601, Decimals as strings, durations as people write them."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def error_line(exc: BaseException) -> str:
    """The first line of an error's message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def fail(message: str, status: int) -> int:
    """Print ``contractcore: error: message`` on stderr and return ``status``."""
    print(f"contractcore: error: {message}", file=sys.stderr)
    return status
