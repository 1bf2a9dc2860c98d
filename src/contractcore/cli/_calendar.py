"""``contractcore calendar add|elapsed``: business-time arithmetic from the shell."""

from __future__ import annotations

import argparse
import json
import re
from datetime import time, timedelta
from pathlib import Path

from contractcore.cli._common import (
    UsageError,
    add_format,
    emit,
    format_duration,
    parse_duration,
    parse_instant,
)
from contractcore.errors import ContractCoreError, InvalidArgumentError
from contractcore.sla._hours import parse_weekday
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["add_parsers", "run"]

_HOURS = re.compile(r"^(?P<days>[a-z0-9,-]+)\s+(?P<ranges>.+)$")


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


def run(args: argparse.Namespace) -> None:
    """Print the deadline (``add``) or the business time between two instants (``elapsed``)."""
    cal = _calendar(args)
    start = parse_instant(args.start, "START", cal.timezone)
    duration = parse_duration(args.duration) if args.action == "add" else None
    end = parse_instant(args.end, "END", cal.timezone) if args.action == "elapsed" else None
    try:
        if duration is not None:
            # A negative DURATION counts back: "4 business hours before START".
            back = duration < timedelta(0)
            deadline = cal.subtract(start, -duration) if back else cal.add(start, duration)
        else:
            assert end is not None
            elapsed = cal.elapsed(start, end)
    except ContractCoreError:
        raise
    except (OverflowError, ValueError) as exc:  # past year 9999 or before year 1
        msg = f"the answer is outside the years 1 to 9999 ({exc})"
        raise InvalidArgumentError(msg) from None
    if duration is not None:
        document = {
            "start": start.isoformat(),
            "duration": format_duration(duration),
            "deadline": deadline.isoformat(),
        }
        emit(args, deadline.isoformat(), document)
        return
    assert end is not None
    hours = elapsed / timedelta(hours=1)
    document = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "elapsed": format_duration(elapsed),
        "business_hours": f"{hours:g}",
    }
    emit(args, f"{format_duration(elapsed)} ({hours:g} business hours)", document)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``calendar add START DURATION`` and ``calendar elapsed START END``."""
    calendar = sub.add_parser("calendar", help="business-time arithmetic from the shell")
    actions = calendar.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="the deadline: START plus DURATION of business time (negative: before START)"
    )
    # A DURATION such as -4h is a value, not an option (argparse's own rule, for negative numbers).
    add._negative_number_matcher = re.compile(r"^-[\dPp]")
    add.add_argument("start", metavar="START", help="ISO datetime, e.g. 2026-11-20T15:00")
    add.add_argument(
        "duration", metavar="DURATION", help="e.g. 4h, 1h30m, 2d 3h, 1:30, PT4H, -4h (back)"
    )
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
        add_format(action)
