"""Business time as a position on a line, the form the SLA clocks compute in (private).

A ticket's clocks only ever ask two things of its calendar: how much
business time lies between two instants, and where a given amount of
business time runs out. Both are answered by one non-decreasing function,
the *position* ``P(t)``: the business time from a fixed origin to ``t``.
The business time in ``[s, e)`` is ``P(e) - P(s)``, and the deadline
``amount`` after ``s`` is the first instant whose position is
``P(s) + amount``.

Positions are ``timedelta`` and instants are UTC ``datetime``: datetime
arithmetic between UTC datetimes is exact (UTC has no folds) and is done in
C, while a conversion to integer microseconds and back costs several times
more than the arithmetic itself. Instants handed to a meter must be in UTC
(``tzinfo is datetime.UTC``) and at or after its origin.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["CalendarMeter", "Meter", "utc"]


class _Calendar(Protocol):
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...

    def add(self, start: datetime, duration: timedelta) -> datetime: ...


class Meter(Protocol):
    """Business-time positions on a calendar, from a fixed origin."""

    def position(self, at: datetime) -> timedelta:
        """The business time from the origin to ``at`` (UTC, not before the origin)."""

    def instant(self, position: timedelta) -> datetime:
        """The earliest UTC instant whose position is ``position`` (> 0)."""


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC (itself when it already is)."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


class CalendarMeter:
    """Positions from ``origin``, asked of ``calendar`` (``elapsed`` and ``add``) every time."""

    __slots__ = ("calendar", "origin")

    def __init__(self, calendar: _Calendar, origin: datetime) -> None:
        self.calendar = calendar
        self.origin = origin

    def position(self, at: datetime) -> timedelta:
        """``calendar.elapsed(origin, at)``."""
        return self.calendar.elapsed(self.origin, at)

    def instant(self, position: timedelta) -> datetime:
        """``calendar.add(origin, position)``, in UTC."""
        return utc(self.calendar.add(self.origin, position))
