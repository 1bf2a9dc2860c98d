"""A brute-force business calendar, obviously correct and slow, for the tests.

It reads the definition in ``shared/DESIGN.md`` 2.1 literally: an instant is
open when its local wall-clock reading falls on a date ``D`` inside one of
``D``'s intervals, or inside the overnight spill of ``D - 1``'s, and the date
holding it is not a closed holiday. Business time is counted by stepping
through UTC one step at a time (a minute, or a quarter of an hour when every
boundary and every offset is a multiple of fifteen minutes, which makes the
coarser step exact too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs

MINUTE = timedelta(minutes=1)
QUARTER = timedelta(minutes=15)

Intervals = Sequence[tuple[time, time]]


@attrs.frozen
class ReferenceCalendar:
    """The same inputs as ``BusinessCalendar``, answered by brute force."""

    timezone: str
    weekly_hours: Mapping[int, Intervals]
    holidays: frozenset[date] = frozenset()
    special_hours: Mapping[date, Intervals] = attrs.field(factory=dict)

    def _own(self, day: date) -> Intervals:
        if day in self.special_hours:
            return self.special_hours[day]
        if day in self.holidays:
            return ()
        return self.weekly_hours.get(day.weekday(), ())

    def _closed(self, day: date) -> bool:
        return day in self.holidays and day not in self.special_hours

    def is_open(self, at: datetime) -> bool:
        wall = at.astimezone(ZoneInfo(self.timezone))
        day, clock = wall.date(), wall.time().replace(fold=0)
        if self._closed(day):
            return False
        for start, end in self._own(day):
            if end > start and start <= clock < end:
                return True
            if end <= start and clock >= start:  # the evening part of an overnight interval
                return True
        yesterday = day - timedelta(days=1)
        return any(end <= start and clock < end for start, end in self._own(yesterday))

    def elapsed(self, start: datetime, end: datetime, step: timedelta = MINUTE) -> timedelta:
        total = timedelta(0)
        moment = start
        while moment < end:
            if self.is_open(moment):
                total += step
            moment += step
        return total

    def add(
        self, start: datetime, duration: timedelta, step: timedelta = MINUTE, limit: int = 10**6
    ) -> datetime | None:
        """Step until ``duration`` is counted; None past ``limit`` steps."""
        if duration == timedelta(0):
            return start
        counted = timedelta(0)
        moment = start
        for _ in range(limit):
            if self.is_open(moment):
                counted += step
                if counted == duration:
                    return moment + step
            moment += step
        return None

    def next_open(self, at: datetime, step: timedelta = MINUTE, limit: int = 10**6) -> datetime:
        moment = at
        for _ in range(limit):
            if self.is_open(moment):
                return moment
            moment += step
        msg = "no open time within the limit"
        raise AssertionError(msg)
