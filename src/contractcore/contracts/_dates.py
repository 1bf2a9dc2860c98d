"""Calendar arithmetic for contract terms: months with ``relativedelta``, inclusive periods."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from contractcore.errors import InvalidArgumentError, NaiveDatetimeError

__all__ = ["as_calendar_date", "term_end"]

ONE_DAY = timedelta(days=1)


def term_end(start: date, months: int) -> date:
    """Return the last day of a term of ``months`` months starting on ``start``.

    The term covers ``start`` through ``start + months - 1 day`` inclusive, with
    month arithmetic from :mod:`dateutil.relativedelta` (Jan 31 + 1 month is
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
    return start + relativedelta(months=months) - ONE_DAY


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
