"""Business time on integer microseconds, the unit the SLA clocks compute in (private).

Instants are microseconds since 1970-01-01 UTC; durations are microseconds.
Integers keep the clocks exact and cheap; conversion happens once at the
edges. A *meter* measures and adds business time: :class:`CalendarMeter`
asks a business calendar each time, ``BusinessTimeIndex`` answers from a
table built from the same calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

__all__ = [
    "EPOCH",
    "MICROSECOND",
    "CalendarMeter",
    "Meter",
    "duration",
    "instant",
    "micros",
    "span",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Calendar(Protocol):
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...

    def add(self, start: datetime, duration: timedelta) -> datetime: ...


class Meter(Protocol):
    """Business time on integer microseconds."""

    def elapsed_us(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``."""

    def add_us(self, start: int, amount: int) -> int:
        """The earliest instant ``t >= start`` with ``elapsed_us(start, t) == amount``."""


MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (moment - EPOCH) // MICROSECOND


def span(amount: timedelta) -> int:
    """A timedelta in microseconds."""
    return amount // MICROSECOND


def duration(amount: int) -> timedelta:
    """Microseconds as a timedelta."""
    return MICROSECOND * amount  # faster than timedelta(microseconds=amount)


def instant(moment: int, zone: tzinfo | None) -> datetime:
    """The datetime of ``moment`` in ``zone``."""
    utc = EPOCH + MICROSECOND * moment
    return utc if zone is UTC else utc.astimezone(zone)


class CalendarMeter:
    """A meter that asks ``calendar`` (``elapsed`` and ``add``) every time."""

    __slots__ = ("calendar",)

    def __init__(self, calendar: _Calendar) -> None:
        self.calendar = calendar

    def elapsed_us(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``, from ``calendar.elapsed``."""
        return span(self.calendar.elapsed(instant(start, UTC), instant(end, UTC)))

    def add_us(self, start: int, amount: int) -> int:
        """The deadline ``amount`` after ``start``, from ``calendar.add``."""
        return micros(self.calendar.add(instant(start, UTC), duration(amount)))
