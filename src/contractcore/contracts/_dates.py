"""Calendar arithmetic for contract terms: months with ``relativedelta``, inclusive periods."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from contractcore.errors import InvalidArgumentError, NaiveDatetimeError

__all__ = ["add_months", "as_calendar_date", "term_end"]

ONE_DAY = timedelta(days=1)


def term_end(start: date, months: int) -> date:
    """Return the last day of a term of ``months`` months starting on ``start``.

    The term covers ``start`` through ``start + months - 1 day`` inclusive, with
    the month arithmetic of :mod:`dateutil.relativedelta` (Jan 31 + 1 month is
    the last day of February).

    Raises:
        InvalidArgumentError: ``months`` is below 1.

    >>> term_end(date(2026, 1, 1), 12)
    datetime.date(2026, 12, 31)
    >>> term_end(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 27)
    >>> term_end(date(2024, 2, 29), 12)
    datetime.date(2025, 2, 27)
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise InvalidArgumentError(f"term_months must be an int, got {months!r}")
    if months < 1:
        raise InvalidArgumentError(f"term_months must be >= 1, got {months}")
    return add_months(start, months) - ONE_DAY


def add_months(day: date, months: int) -> date:
    """Return ``day`` plus ``months`` calendar months, as ``relativedelta(months=...)`` does.

    The day of the month is kept, or clamped to the last day of a shorter
    month. Same result as ``day + relativedelta(months=months)`` (the tests
    check it), several times faster, which matters to a nightly job reading
    the end date of every contract.

    >>> add_months(date(2026, 1, 31), 1), add_months(date(2024, 2, 29), 12)
    (datetime.date(2026, 2, 28), datetime.date(2025, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def as_calendar_date(value: date, name: str) -> date:
    """Return ``value`` as a plain date; an aware datetime gives its local date.

    A naive datetime raises :class:`~contractcore.errors.NaiveDatetimeError`.

    >>> from datetime import UTC
    >>> as_calendar_date(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "at")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"{name} must be timezone-aware, got naive {value!r}")
        return value.date()
    if not isinstance(value, date):
        raise InvalidArgumentError(f"{name} must be a date, got {value!r}")
    return value
