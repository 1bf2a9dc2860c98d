"""Opening hours: parsing, validation and plain-dict conversion.

An interval ``(start, end)`` listed for a date opens the local wall clock from
``start`` on that date; ``end <= start`` means it runs past midnight and ends
at ``end`` the next day (``(time(0), time(0))`` is the whole day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from contractcore.errors import InvalidCalendarError

__all__ = [
    "WEEKDAY_NAMES",
    "DayHours",
    "Interval",
    "day_hours",
    "format_time",
    "interval_micros",
    "parse_date",
    "parse_time",
    "parse_weekday",
    "spill",
    "wall_length",
]

Interval = tuple[time, time]
DayHours = tuple[Interval, ...]

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_US = 86_400_000_000
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")


def _micros(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + (
        moment.microsecond
    )


def interval_micros(interval: Interval) -> tuple[int, int]:
    """``(start, end)`` in microseconds after the date's midnight; an overnight end is > 1 day."""
    start, end = _micros(interval[0]), _micros(interval[1])
    return (start, end + _DAY_US if end <= start else end)


def wall_length(hours: DayHours) -> int:
    """Total wall-clock length of a day's intervals, in microseconds."""
    return sum(end - start for start, end in map(interval_micros, hours))


def spill(hours: DayHours) -> int:
    """How far (microseconds) the day's last interval runs into the next day."""
    return max((interval_micros(i)[1] - _DAY_US for i in hours), default=0)


def day_hours(raw: Iterable[Any], where: str) -> DayHours:
    """Validate one day's intervals and return them sorted by start.

    Raises:
        InvalidCalendarError: an interval is not a pair of naive ``time``
            values, or two intervals overlap.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"{where} must be a list of (start, end) time pairs, got {raw!r}"
        raise InvalidCalendarError(msg)
    intervals: list[Interval] = []
    for item in raw:
        try:
            start, end = item
        except (TypeError, ValueError):
            msg = f"{where}: each interval must be a (start, end) pair, got {item!r}"
            raise InvalidCalendarError(msg) from None
        for value in (start, end):
            if not isinstance(value, time) or value.tzinfo is not None:
                msg = f"{where}: interval bounds must be naive datetime.time values, got {value!r}"
                raise InvalidCalendarError(msg)
        intervals.append((start, end))
    intervals.sort(key=lambda i: _micros(i[0]))
    previous_end = -1
    for interval in intervals:
        start, end = interval_micros(interval)
        if start < previous_end:
            msg = f"{where}: interval {_show(interval)} overlaps the one before it"
            raise InvalidCalendarError(msg)
        previous_end = end
    return tuple(intervals)


def check_no_spill_overlap(before: DayHours, after: DayHours, where: str) -> None:
    """Raise if ``before``'s overnight interval runs into ``after``'s first interval."""
    if before and after:
        reach = spill(before)
        first = interval_micros(after[0])[0]
        if first < reach:
            msg = (
                f"{where}: interval {_show(after[0])} overlaps the overnight interval "
                f"{_show(before[-1])} of the day before"
            )
            raise InvalidCalendarError(msg)


def _show(interval: Interval) -> str:
    return f"{format_time(interval[0])}-{format_time(interval[1], end=True)}"


def format_time(moment: time, *, end: bool = False) -> str:
    """``HH:MM`` (with seconds or microseconds only when present); an end at midnight is 24:00."""
    if end and moment == time(0):
        return "24:00"
    text = moment.isoformat()
    return text[:5] if text.endswith(":00") and len(text) == 8 else text


def parse_time(value: Any, where: str, *, end: bool = False) -> time:
    """Read ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff`` (``24:00`` as an end) or a ``time``."""
    if isinstance(value, time) and value.tzinfo is None:
        return value
    match = _TIME.match(value) if isinstance(value, str) else None
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        micro = int((match[4] or "").ljust(6, "0"))  # what format_time writes for sub-seconds
        if end and (hour, minute, second, micro) == (24, 0, 0, 0):
            return time(0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second, micro)
    msg = f"{where} must be a time such as '09:00' (or '24:00' as an end), got {value!r}"
    raise InvalidCalendarError(msg)


def parse_weekday(value: Any) -> int:
    """A weekday from 0-6 (Monday = 0) or an English name such as ``"monday"``/``"mon"``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        if key.isdigit() and 0 <= int(key) <= 6:
            return int(key)
        for number, name in enumerate(WEEKDAY_NAMES):
            if key in (name, name[:3]):
                return number
    msg = f"weekly_hours: weekday must be 0-6 (Monday = 0) or a name like 'monday', got {value!r}"
    raise InvalidCalendarError(msg)


def parse_date(value: Any, where: str) -> date:
    """Read an ISO date (``2026-12-24``) or a ``date`` (not a ``datetime``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"{where} must be a date such as '2026-12-24', got {value!r}"
    raise InvalidCalendarError(msg)


def parse_day(raw: Any, where: str) -> DayHours:
    """Read one day's intervals from plain data (``[["09:00", "17:00"], ...]``)."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"{where} must be a list of [start, end] pairs, got {raw!r}"
        raise InvalidCalendarError(msg)
    pairs = []
    for item in raw:
        if isinstance(item, str | bytes) or not isinstance(item, Iterable) or len(list(item)) != 2:
            msg = f"{where}: each interval must be a [start, end] pair, got {item!r}"
            raise InvalidCalendarError(msg)
        start, end = list(item)
        pairs.append(
            (parse_time(start, f"{where} start"), parse_time(end, f"{where} end", end=True))
        )
    return day_hours(pairs, where)


def dump_day(hours: DayHours) -> list[list[str]]:
    """The plain-data form of one day's intervals."""
    return [[format_time(start), format_time(end, end=True)] for start, end in hours]


def weekly_from_mapping(raw: Any) -> tuple[DayHours, ...]:
    """Seven days of validated hours from ``{weekday: intervals}`` (or 7 lists, Monday first)."""
    if isinstance(raw, tuple | list) and len(raw) == 7:
        raw = dict(enumerate(raw))
    if not isinstance(raw, Mapping):
        msg = f"weekly_hours must be a mapping of weekday to intervals, got {raw!r}"
        raise InvalidCalendarError(msg)
    days: list[DayHours] = [(), (), (), (), (), (), ()]
    for key, intervals in raw.items():
        weekday = parse_weekday(key)
        days[weekday] = day_hours(intervals, f"weekly_hours[{WEEKDAY_NAMES[weekday]}]")
    for weekday in range(7):
        check_no_spill_overlap(
            days[weekday - 1], days[weekday], f"weekly_hours[{WEEKDAY_NAMES[weekday]}]"
        )
    return tuple(days)
