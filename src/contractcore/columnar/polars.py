"""Business time in Polars: expressions that run the columnar kernel over whole batches.

Needs the ``polars`` extra: ``pip install 'contractcore[polars]'``. Each
function takes a calendar and expressions (or column names) and gives an
expression, usable in ``select``, ``with_columns`` and lazy queries. Polars
hands the kernel whole columns (through Arrow, without copying), and every
answer is the scalar calendar's on the same row, to the microsecond; nulls
give nulls. Instants are ``Datetime`` columns with a time zone (any zone;
naive ones are refused, as everywhere in contractcore: give them one with
``dt.replace_time_zone``).

>>> import polars as pl
>>> from datetime import UTC, datetime, time
>>> from contractcore.sla.calendar import BusinessCalendar
>>> office = BusinessCalendar(
...     "America/New_York", weekly_hours={day: [(time(9), time(17))] for day in range(5)}
... )
>>> tickets = pl.DataFrame(
...     {
...         "opened": [datetime(2026, 11, 20, 19, tzinfo=UTC)],  # Friday 14:00 in New York
...         "solved": [datetime(2026, 11, 23, 16, tzinfo=UTC)],  # Monday 11:00
...     }
... )
>>> tickets.select(elapsed(office, "opened", "solved")).item()
datetime.timedelta(seconds=18000)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from contractcore.columnar import calendar as kernel
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["add", "elapsed", "is_open"]

Into = pl.Expr | str


def _expression(column: Into) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


def _check_calendar(calendar: Any) -> None:
    if not isinstance(calendar, BusinessCalendar):
        msg = f"calendar must be a BusinessCalendar, got {calendar!r}"
        raise InvalidArgumentError(msg)


def _batches(function: Callable[..., Any], columns: Sequence[Into], result: pl.DataType) -> pl.Expr:
    """An element-wise expression that hands ``function`` the columns' batches as Arrow."""

    def run(series: Sequence[pl.Series]) -> pl.Series:
        # A literal (pl.lit(timedelta(hours=4))) arrives as one row: repeat it.
        rows = max(len(one) for one in series)
        whole = [one.new_from_index(0, rows) if len(one) == 1 else one for one in series]
        answer = function(*(one.to_arrow() for one in whole))
        out = pl.Series(series[0].name, answer)
        return out if out.dtype == result else out.cast(result)

    return pl.map_batches(
        [_expression(column) for column in columns], run, result, is_elementwise=True
    )


def elapsed(calendar: BusinessCalendar, starts: Into, ends: Into) -> pl.Expr:
    """Business time from ``starts`` to ``ends``, row by row, as ``calendar.elapsed`` gives it.

    Args:
        calendar: the business calendar.
        starts: a ``Datetime`` expression with a time zone, or a column name.
        ends: the same, of the same length; no end before its start.

    Returns:
        A ``Duration("us")`` expression, named after ``starts``; null where
        either instant is null. Evaluating it raises what
        :func:`contractcore.columnar.elapsed` raises.
    """
    _check_calendar(calendar)
    return _batches(
        lambda first, last: kernel.elapsed(calendar, first, last),
        [starts, ends],
        pl.Duration("us"),
    )


def add(calendar: BusinessCalendar, starts: Into, durations: Into) -> pl.Expr:
    """The deadline ``calendar.add(start, duration)`` of every row, in UTC.

    Args:
        calendar: the business calendar.
        starts: a ``Datetime`` expression with a time zone, or a column name.
        durations: a ``Duration`` expression or column name; none negative.

    Returns:
        A ``Datetime("us", "UTC")`` expression named after ``starts``
        (``dt.convert_time_zone`` shows it in another zone); null where
        either input is null.
    """
    _check_calendar(calendar)
    return _batches(
        lambda first, lengths: kernel.add(calendar, first, lengths),
        [starts, durations],
        pl.Datetime("us", "UTC"),
    )


def is_open(calendar: BusinessCalendar, instants: Into) -> pl.Expr:
    """Whether ``calendar.is_open(instant)`` for every row.

    Args:
        calendar: the business calendar.
        instants: a ``Datetime`` expression with a time zone, or a column name.

    Returns:
        A ``Boolean`` expression named after ``instants``; null where the
        instant is null.
    """
    _check_calendar(calendar)
    return _batches(lambda at: kernel.is_open(calendar, at), [instants], pl.Boolean())
