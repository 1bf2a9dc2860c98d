"""Business time over columns: ``elapsed``, ``add`` and ``is_open`` for many rows at once.

Each function takes a :class:`~contractcore.sla.calendar.BusinessCalendar`
and columns of instants (Arrow timestamps with a time zone, or numpy
``datetime64`` read as UTC) and gives, row by row, exactly what the scalar
method of the calendar gives, to the microsecond. Arrow in, Arrow out
(timestamps in UTC, durations in microseconds); numpy in, numpy out. Nulls
(Arrow nulls, ``NaT``) give nulls.

The calendar is compiled into a table of its open intervals in UTC with the
running total of business time (see ``_table``), so a row costs a binary
search or two. Rows outside the table's horizon are answered by the scalar
engine, one by one: never refused, never answered differently.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from contractcore.columnar._columns import (
    Column,
    Int64s,
    Mask,
    check_lengths,
    read_durations,
    read_instants,
    to_datetime,
    write_booleans,
    write_durations,
    write_instants,
)
from contractcore.columnar._table import BLOCK, MAX_SPAN, Table, table_for
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["add", "elapsed", "is_open"]

_LARGEST = np.iinfo(np.int64).max
_SMALLEST = np.iinfo(np.int64).min
_MICROSECOND = timedelta(microseconds=1)
#: Times a table is grown to hold the deadlines of ``add`` before the rows
#: still beyond it go to the scalar engine.
_GROWTHS = 3


def _check_calendar(calendar: Any) -> None:
    if not isinstance(calendar, BusinessCalendar):
        msg = f"calendar must be a BusinessCalendar, got {calendar!r}"
        raise InvalidArgumentError(msg)


def _either(first: Mask | None, second: Mask | None) -> Mask | None:
    if first is None:
        return second
    if second is None:
        return first
    return first | second


def _valid(nulls: Mask | None) -> Mask | bool:
    return True if nulls is None else ~nulls


def _lowest(values: Int64s, nulls: Mask | None) -> int:
    return int(np.min(values, initial=_LARGEST, where=_valid(nulls)))


def _highest(values: Int64s, nulls: Mask | None) -> int:
    return int(np.max(values, initial=_SMALLEST, where=_valid(nulls)))


def _window(low: int, high: int, *columns: Column) -> tuple[int, int]:
    """``[low, high]``, or the rows within ``MAX_SPAN`` of the median row when that is wider.

    Rows outside the window (a "9999-12-31" placeholder, a typo for 2206)
    go to the scalar engine instead of making the table span centuries.
    """
    span = MAX_SPAN - 2 * BLOCK
    if high - low <= span:
        return low, high
    values = np.concatenate(
        [
            column.values if column.nulls is None else column.values[~column.nulls]
            for column in columns
        ]
    )
    middle = int(np.partition(values, (len(values) - 1) // 2)[(len(values) - 1) // 2])
    start = max(low, min(middle - span // 2, high - span))
    within = values[(values >= start) & (values <= start + span)]
    return int(within.min()), int(within.max())


def _rows(mask: Mask) -> list[int]:
    return [int(row) for row in np.flatnonzero(mask)]


def _outside(table: Table, nulls: Mask | None, *columns: Int64s) -> Mask:
    """The rows the table cannot answer: not null, with an instant outside its horizon."""
    if all(table.covers(_lowest(values, nulls), _highest(values, nulls)) for values in columns):
        return np.zeros(len(columns[0]), dtype=np.bool_)
    inside = np.ones(len(columns[0]), dtype=np.bool_)
    for values in columns:
        inside &= table.inside(values)
    if nulls is not None:
        inside |= nulls
    return ~inside


def elapsed(calendar: BusinessCalendar, starts: Any, ends: Any) -> Any:
    """Business time in ``[starts[i], ends[i])`` for every row, as ``calendar.elapsed`` gives it.

    Args:
        calendar: the business calendar.
        starts: instants: a pyarrow timestamp array (any unit, with a time
            zone; chunked too) or a numpy ``datetime64`` array read as UTC.
        ends: instants of the same kind and length.

    Returns:
        pyarrow ``duration[us]`` for Arrow starts, numpy ``timedelta64[us]``
        for numpy starts; null where either instant is null.

    Raises:
        InvalidArgumentError: a column that is not instants, columns of
            different lengths, or a row whose end is before its start.
        NaiveDatetimeError: Arrow timestamps without a time zone.

    >>> import numpy as np
    >>> from datetime import time
    >>> office = BusinessCalendar(
    ...     "America/New_York", weekly_hours=dict.fromkeys(range(5), [(time(9), time(17))])
    ... )
    >>> starts = np.array(["2026-11-20T19:00", "2026-11-21T12:00"], dtype="datetime64[us]")
    >>> ends = np.array(["2026-11-23T16:00", "NaT"], dtype="datetime64[us]")
    >>> elapsed(office, starts, ends).astype("timedelta64[m]")
    array([  300, 'NaT'], dtype='timedelta64[m]')
    """
    _check_calendar(calendar)
    first = read_instants(starts, "starts")
    last = read_instants(ends, "ends")
    check_lengths(first, "starts", last, "ends")
    nulls = _either(first.nulls, last.nulls)
    backwards = last.values < first.values
    if nulls is not None:
        backwards &= ~nulls
    if backwards.any():
        row = int(np.argmax(backwards))
        begin, end = to_datetime(int(first.values[row])), to_datetime(int(last.values[row]))
        msg = (
            f"ends must not be before starts, got starts[{row}]={begin.isoformat()} "
            f"ends[{row}]={end.isoformat()}"
        )
        raise InvalidArgumentError(msg)
    result = np.zeros(len(first), dtype=np.int64)
    if len(first) and (nulls is None or not nulls.all()):
        low, high = _window(_lowest(first.values, nulls), _highest(last.values, nulls), first, last)
        table = table_for(calendar, low, high)
        result = table.business_time(last.values) - table.business_time(first.values)
        for row in _rows(_outside(table, nulls, first.values, last.values)):
            scalar = calendar.elapsed(
                to_datetime(int(first.values[row])), to_datetime(int(last.values[row]))
            )
            result[row] = scalar // _MICROSECOND
    return write_durations(result, nulls, first)


def _deadlines(
    calendar: BusinessCalendar, first: Column, durations: Column, nulls: Mask | None
) -> Int64s:
    starts, micros = first.values, durations.values
    low, high = _window(_lowest(starts, nulls), _highest(starts, nulls), first)
    # A deadline is at least its duration of real time after its start.
    longest = max(_highest(micros, nulls), 0)
    table = table_for(calendar, low, min(high + longest, low + MAX_SPAN - 2 * BLOCK))
    for _growth in range(_GROWTHS + 1):
        target = table.business_time(starts) + micros
        beyond = (target > table.total) & (micros > 0)
        beyond &= ~_outside(table, nulls, starts)
        if nulls is not None:
            beyond &= ~nulls
        if not beyond.any() or _growth == _GROWTHS or table.total == 0:
            break
        # Grow by twice the real time the missing business time takes at
        # the horizon's average rate of open time.
        missing = int(target[beyond].max()) - table.total
        rate = table.total / (table.high - table.low)
        stop = min(table.high + int(2 * missing / rate) + BLOCK, table.low + MAX_SPAN)
        if stop <= table.high:
            break
        table = table_for(calendar, table.low, stop)
    result = np.where(micros == 0, starts, table.instant_after(target))
    for row in _rows(_outside(table, nulls, starts) | beyond):
        deadline = calendar.add(
            to_datetime(int(starts[row])), timedelta(microseconds=int(micros[row]))
        )
        result[row] = (deadline - to_datetime(0)) // _MICROSECOND
    return result


def add(calendar: BusinessCalendar, starts: Any, durations: Any) -> Any:
    """The deadline ``calendar.add(starts[i], durations[i])`` of every row, as a UTC instant.

    The earliest instant at or after the start with the duration of business
    time since it: a duration of zero gives the start itself, a deadline
    that lands on closing time is closing time.

    Args:
        calendar: the business calendar.
        starts: instants, as for :func:`elapsed`.
        durations: a pyarrow duration array or a numpy ``timedelta64``
            array, of the same length; none negative.

    Returns:
        pyarrow ``timestamp[us, tz=UTC]`` for Arrow starts, numpy
        ``datetime64[us]`` (UTC) for numpy starts; null where either input is.

    Raises:
        InvalidArgumentError: a column of the wrong kind, different lengths,
            or a negative duration.
        NoOpenTimeError: a row with a positive duration on a calendar that
            never opens again after its start (as ``calendar.add`` raises).

    >>> import pyarrow as pa
    >>> from datetime import UTC, datetime, time, timedelta
    >>> office = BusinessCalendar(
    ...     "America/New_York", weekly_hours=dict.fromkeys(range(5), [(time(9), time(17))])
    ... )
    >>> starts = pa.array([datetime(2026, 11, 20, 20, tzinfo=UTC)], pa.timestamp("us", "UTC"))
    >>> add(office, starts, pa.array([timedelta(hours=4)]))[0].as_py().isoformat()
    '2026-11-23T16:00:00+00:00'
    """
    _check_calendar(calendar)
    first = read_instants(starts, "starts")
    durations_read = read_durations(durations, "durations")
    check_lengths(first, "starts", durations_read, "durations")
    nulls = _either(first.nulls, durations_read.nulls)
    if not len(first) or (nulls is not None and nulls.all()):
        return write_instants(first.values.copy(), nulls, first)
    return write_instants(_deadlines(calendar, first, durations_read, nulls), nulls, first)


def is_open(calendar: BusinessCalendar, instants: Any) -> Any:
    """Whether ``calendar.is_open(instants[i])`` for every row.

    Args:
        calendar: the business calendar.
        instants: instants, as for :func:`elapsed`.

    Returns:
        pyarrow booleans for Arrow instants; for numpy instants a
        ``numpy.ma.MaskedArray`` of booleans (numpy booleans have no null),
        masked where the instant is ``NaT``.

    Raises:
        InvalidArgumentError: not a column of instants.
        NaiveDatetimeError: Arrow timestamps without a time zone.

    >>> import numpy as np
    >>> from datetime import time
    >>> office = BusinessCalendar("UTC", weekly_hours={0: [(time(9), time(17))]})
    >>> monday = np.array(["2026-11-23T09:00", "2026-11-23T17:00", "NaT"], "datetime64[us]")
    >>> is_open(office, monday)
    masked_array(data=[True, False, --],
                 mask=[False, False,  True],
           fill_value=True)
    """
    _check_calendar(calendar)
    column = read_instants(instants, "instants")
    nulls = column.nulls
    result = np.zeros(len(column), dtype=np.bool_)
    if len(column) and (nulls is None or not nulls.all()):
        values = column.values
        low, high = _window(_lowest(values, nulls), _highest(values, nulls), column)
        table = table_for(calendar, low, high)
        result = table.is_open(values)
        for row in _rows(_outside(table, nulls, values)):
            result[row] = calendar.is_open(to_datetime(int(values[row])))
    return write_booleans(result, nulls, column)
