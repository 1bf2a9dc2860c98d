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

from collections.abc import Callable, Mapping, Sequence
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

    # -- going back, and business days (DESIGN 2.1, 2026-12-02) -------------------

    def subtract(
        self, end: datetime, duration: timedelta, step: timedelta = MINUTE, limit: int = 10**6
    ) -> datetime | None:
        """Step back until ``duration`` is counted; None past ``limit`` steps."""
        return _step_back(self.is_open, end, duration, step, limit)

    def previous_close(
        self, at: datetime, step: timedelta = MINUTE, limit: int = 10**6
    ) -> datetime:
        return _previous_close(self.is_open, at, step, limit)

    def piece_starts_on(self, day: date, step: timedelta = MINUTE) -> list[datetime]:
        """Instants where open time of a shift listed for ``day`` begins (a piece starts)."""
        zone = ZoneInfo(self.timezone)
        if self._closed(day):
            return []
        low = datetime.combine(day, time(0), tzinfo=zone) - timedelta(hours=3)
        moment = low
        found = []
        while moment < low + timedelta(hours=54):
            if self._open_by(day, moment) and not self._open_by(day, moment - step):
                found.append(moment)
            moment += step
        return found

    def _open_by(self, day: date, at: datetime) -> bool:
        """Whether ``at`` is open through a shift listed for ``day``."""
        wall = at.astimezone(ZoneInfo(self.timezone))
        clock = wall.time().replace(fold=0)
        if self._closed(wall.date()):
            return False
        for start, end in self._own(day):
            if wall.date() == day and (start <= clock < end or (end <= start <= clock)):
                return True
            if wall.date() == day + timedelta(days=1) and end <= start and clock < end:
                return True
        return False

    def is_business_day(self, day: date, step: timedelta = MINUTE) -> bool:
        return bool(self.piece_starts_on(day, step))


def _step_back(
    is_open: Callable[[datetime], bool],
    end: datetime,
    duration: timedelta,
    step: timedelta,
    limit: int,
) -> datetime | None:
    if duration == timedelta(0):
        return end
    counted = timedelta(0)
    moment = end
    for _ in range(limit):
        moment -= step
        if is_open(moment):
            counted += step
            if counted == duration:
                return moment
    return None


def _previous_close(
    is_open: Callable[[datetime], bool], at: datetime, step: timedelta, limit: int
) -> datetime:
    if is_open(at):
        return at
    moment = at
    for _ in range(limit):
        if is_open(moment - step):
            return moment
        moment -= step
    msg = "no open time within the limit"
    raise AssertionError(msg)


@attrs.frozen
class ReferenceComposed:
    """A union or intersection of reference calendars, by brute force."""

    operation: str
    members: tuple[ReferenceCalendar | ReferenceComposed, ...]
    timezone: str

    def is_open(self, at: datetime) -> bool:
        answers = [member.is_open(at) for member in self.members]
        return any(answers) if self.operation == "union" else all(answers)

    def elapsed(self, start: datetime, end: datetime, step: timedelta = MINUTE) -> timedelta:
        total = timedelta(0)
        moment = start
        while moment < end:
            if self.is_open(moment):
                total += step
            moment += step
        return total

    def subtract(
        self, end: datetime, duration: timedelta, step: timedelta = MINUTE, limit: int = 10**6
    ) -> datetime | None:
        return _step_back(self.is_open, end, duration, step, limit)

    def previous_close(
        self, at: datetime, step: timedelta = MINUTE, limit: int = 10**6
    ) -> datetime:
        return _previous_close(self.is_open, at, step, limit)

    def starts_between(self, low: datetime, high: datetime, step: timedelta) -> set[datetime]:
        """Piece starts: any member's (union), or a member's where all are open (intersection)."""
        found: set[datetime] = set()
        for member in self.members:
            if isinstance(member, ReferenceComposed):
                found |= member.starts_between(low, high, step)
                continue
            zone = ZoneInfo(member.timezone)
            day = low.astimezone(zone).date() - timedelta(days=2)
            while day <= high.astimezone(zone).date() + timedelta(days=1):
                found.update(s for s in member.piece_starts_on(day, step) if low <= s < high)
                day += timedelta(days=1)
        if self.operation == "intersection":
            found = {start for start in found if self.is_open(start)}
        return found

    def is_business_day(self, day: date, step: timedelta = MINUTE) -> bool:
        zone = ZoneInfo(self.timezone)
        low = datetime.combine(day, time(0), tzinfo=zone) - timedelta(hours=3)
        starts = self.starts_between(low, low + timedelta(hours=30), step)
        return any(start.astimezone(zone).date() == day for start in starts)
