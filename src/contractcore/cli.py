"""The ``contractcore`` command: a thin shell over the library's functions.

``contractcore demo`` prints a tour on sample data; ``contractcore calendar
add|elapsed`` answers business-time questions from the shell.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from contractcore.contracts import _demo as _contracts_demo
from contractcore.errors import ContractCoreError
from contractcore.schedules import _demo as _billing_demo
from contractcore.sla import _calendar_demo
from contractcore.sla import _demo as _sla_demo
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


def _demo_sections() -> list[Callable[[date], str]]:
    return [
        _calendar_demo.render,
        _sla_demo.render,
        _contracts_demo.render,
        _billing_demo.render,
    ]


def _parse_duration(text: str) -> timedelta:
    """``4h``, ``1h30m``, ``2d``, ``45m``, ``90s`` or ISO 8601 ``PT4H``."""
    cleaned = text.strip().replace(" ", "")
    match = _DURATION.match(cleaned.lower()) or _ISO_DURATION.match(cleaned.upper())
    if not cleaned or not match or not any(match.groupdict().values()):
        msg = f"duration must look like 4h, 1h30m, 2d or PT4H, got {text!r}"
        raise UsageError(msg)
    parts = {key: int(value or 0) for key, value in match.groupdict().items()}
    return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])


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
        except (OSError, json.JSONDecodeError) as exc:
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
    if args.action == "add":
        return cal.add(start, _parse_duration(args.duration)).isoformat()
    end = _parse_instant(args.end, cal.timezone, "END")
    elapsed = cal.elapsed(start, end)
    return f"{elapsed} ({elapsed / timedelta(hours=1):g} business hours)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractcore", description="Service contracts and SLAs: exact deadlines and money."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="show what contractcore computes, on sample data")
    demo.add_argument(
        "--today", type=date.fromisoformat, default=DEMO_TODAY, help="the demo's today (YYYY-MM-DD)"
    )
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
            print("\n\n".join(section(args.today) for section in _demo_sections()))
        else:
            print(_run_calendar(args))
    except ContractCoreError as exc:
        print(f"contractcore: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
