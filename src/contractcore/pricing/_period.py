"""Inclusive date periods and month arithmetic anchored on an original date."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.pricing._checks import calendar_date

__all__ = ["Period", "add_months"]

_ONE_DAY = timedelta(days=1)


def add_months(anchor: date, months: int) -> date:
    """Return ``anchor`` plus ``months`` calendar months, clamped to the month's last day.

    Always compute from the original anchor: ``add_months(jan31, 3)`` is
    April 30, whereas adding one month three times would drift to April 28.
    Same result as ``anchor + relativedelta(months=months)``, only faster.

    >>> from datetime import date
    >>> [add_months(date(2026, 1, 31), n).isoformat() for n in (1, 2, 3)]
    ['2026-02-28', '2026-03-31', '2026-04-30']
    """
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month0 = divmod(index, 12)
    day = anchor.day
    if day > 28:
        day = min(day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def _check_last(instance: Period, _attribute: object, value: date) -> None:
    if value < instance.first:
        raise InvalidArgumentError(
            f"period last day must be on or after its first day {instance.first}, got {value}"
        )


@attrs.frozen
class Period:
    """A range of calendar days, inclusive of both ends, as on an invoice.

    ``day in period`` takes a ``datetime.date``; a ``datetime`` is an instant,
    not a day, and raises :class:`~contractcore.errors.InvalidArgumentError`
    (take its date in the zone you mean first).

    Attributes:
        first: The first day of the period.
        last: The last day of the period (``>= first``).

    >>> from datetime import date
    >>> feb = Period(date(2026, 2, 1), date(2026, 2, 28))
    >>> feb.days, date(2026, 2, 28) in feb
    (28, True)
    """

    first: date = attrs.field(validator=calendar_date)
    last: date = attrs.field(validator=[calendar_date, _check_last])

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included."""
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        if isinstance(day, datetime):  # a date subclass that cannot be compared with dates
            raise InvalidArgumentError(f"day must be a datetime.date, got {day!r}")
        return isinstance(day, date) and self.first <= day <= self.last

    def overlap(self, other: Period) -> Period | None:
        """Return the days both periods share, or ``None``.

        >>> from datetime import date
        >>> q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
        >>> q1.overlap(Period(date(2026, 3, 15), date(2026, 4, 30)))
        Period(first=datetime.date(2026, 3, 15), last=datetime.date(2026, 3, 31))
        """
        first = max(self.first, other.first)
        last = min(self.last, other.last)
        return Period(first, last) if first <= last else None

    @classmethod
    def months(cls, first: date, months: int = 1) -> Period:
        """Return the period of ``months`` months starting on ``first``.

        Raises:
            InvalidArgumentError: ``first`` is not a calendar date, or ``months``
                is not an int of at least 1 (the message names the argument).

        >>> from datetime import date
        >>> Period.months(date(2026, 1, 31))
        Period(first=datetime.date(2026, 1, 31), last=datetime.date(2026, 2, 27))
        """
        if isinstance(first, datetime) or not isinstance(first, date):
            raise InvalidArgumentError(f"first must be a datetime.date, got {first!r}")
        if months.__class__ is bool or not isinstance(months, int):
            raise InvalidArgumentError(f"months must be an int, got {months!r}")
        if months < 1:
            raise InvalidArgumentError(f"months must be >= 1, got {months}")
        try:
            last = add_months(first, months) - _ONE_DAY
        except (ValueError, OverflowError):
            raise InvalidArgumentError(
                f"months={months} from {first} ends after the last date Python supports"
            ) from None
        return cls(first, last)


def billing_periods(anchor: date, months: int, start: date, end: date) -> Iterator[Period]:
    """Yield the billing periods anchored on ``anchor`` that overlap ``[start, end]``.

    Period ``k`` runs from ``anchor + k*months`` to the day before
    ``anchor + (k+1)*months``, each computed from the anchor.
    """
    if end < anchor:
        return
    k = 0
    if start > anchor:
        # Jump close to the first overlapping period instead of walking from the anchor.
        elapsed = (start.year - anchor.year) * 12 + start.month - anchor.month
        k = max(0, elapsed // months - 1)
    while True:
        first = add_months(anchor, k * months)
        if first > end:
            return
        last = add_months(anchor, (k + 1) * months) - _ONE_DAY
        if last >= start:
            yield Period(first, last)
        k += 1
