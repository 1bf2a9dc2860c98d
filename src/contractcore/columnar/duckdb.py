"""Business time in DuckDB SQL: the columnar kernel as vectorized (Arrow) scalar functions.

Needs the ``duckdb`` extra: ``pip install 'contractcore[duckdb]'``.
:func:`register` adds three functions of one calendar to a connection; DuckDB
hands them columns of up to 2,048 rows as Arrow arrays and the kernel answers
each batch, so a query pays one Python call per batch, not per row. The
answers are the scalar calendar's, row by row, to the microsecond; a null
argument gives a null.

>>> import duckdb
>>> from datetime import time
>>> from contractcore.sla.calendar import BusinessCalendar
>>> office = BusinessCalendar(
...     "America/New_York", weekly_hours=dict.fromkeys(range(5), [(time(9), time(17))])
... )
>>> connection = duckdb.connect()
>>> register(connection, office)
('business_add', 'business_elapsed', 'business_is_open')
>>> connection.sql(  # Friday 14:00 to Monday 11:00 in New York
...     "SELECT business_elapsed(TIMESTAMPTZ '2026-11-20 19:00+00', "
...     "TIMESTAMPTZ '2026-11-23 16:00+00')"
... ).fetchall()
[(datetime.timedelta(seconds=18000),)]
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from duckdb import sqltypes
from duckdb.func import PythonUDFType

from contractcore.columnar.calendar import add, elapsed, is_open
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["register"]

_MICROSECONDS_A_DAY = 86_400_000_000
#: The layout of an Arrow ``month_day_nano_interval``, DuckDB's INTERVAL.
_INTERVAL = np.dtype([("months", "<i4"), ("days", "<i4"), ("nanoseconds", "<i8")])


def _durations(intervals: Any) -> pa.Array:
    """DuckDB INTERVALs as Arrow ``duration[us]``: a day is 24 hours; months are refused.

    A month has no fixed length, so ``INTERVAL 1 MONTH`` of business time
    means nothing; DuckDB intervals hold whole microseconds.
    """
    array = intervals.combine_chunks() if isinstance(intervals, pa.ChunkedArray) else intervals
    if not pa.types.is_interval(array.type):
        return array
    fields = np.frombuffer(array.buffers()[1], dtype=_INTERVAL)[
        array.offset : array.offset + len(array)
    ]
    nulls = None if array.null_count == 0 else ~np.asarray(array.is_valid())
    months = fields["months"] != 0
    if nulls is not None:
        months &= ~nulls
    if months.any():
        row = int(np.argmax(months))
        msg = (
            "durations must not have months (a month has no fixed length), "
            f"got durations[{row}]={array[row].as_py()!r}"
        )
        raise InvalidArgumentError(msg)
    micros = fields["days"].astype(np.int64) * _MICROSECONDS_A_DAY
    micros += fields["nanoseconds"] // 1_000
    return pa.array(micros, pa.duration("us"), mask=nulls)


def register(
    connection: duckdb.DuckDBPyConnection,
    calendar: BusinessCalendar,
    *,
    prefix: str = "business",
) -> tuple[str, str, str]:
    """Register ``calendar``'s business time as SQL functions on a DuckDB connection.

    The functions, over ``TIMESTAMPTZ`` (``TIMESTAMP WITH TIME ZONE``) values:

    * ``{prefix}_elapsed(start, end) -> INTERVAL``: ``calendar.elapsed``,
      business time in ``[start, end)``; an end before its start is an error.
    * ``{prefix}_add(start, duration INTERVAL) -> TIMESTAMPTZ``:
      ``calendar.add``, the deadline; a day in the interval is 24 hours of
      business time, months are refused, negative durations too.
    * ``{prefix}_is_open(instant) -> BOOLEAN``: ``calendar.is_open``.

    A plain ``TIMESTAMP`` is cast to ``TIMESTAMPTZ`` by DuckDB in the
    session's ``TimeZone``; cast it yourself to say which zone it was in.

    Args:
        connection: the DuckDB connection.
        calendar: the business calendar the functions answer for.
        prefix: the start of the functions' names, to register several
            calendars on one connection (``register(connection, support,
            prefix="support")`` gives ``support_elapsed`` and so on).

    Returns:
        The names registered, sorted.

    Raises:
        InvalidArgumentError: ``calendar`` is not a ``BusinessCalendar``.
        duckdb.Error: a function of that name is already registered.
    """
    if not isinstance(calendar, BusinessCalendar):
        msg = f"calendar must be a BusinessCalendar, got {calendar!r}"
        raise InvalidArgumentError(msg)
    instant = sqltypes.TIMESTAMP_TZ

    def business_elapsed(starts: Any, ends: Any) -> Any:
        return elapsed(calendar, starts, ends)

    def business_add(starts: Any, durations: Any) -> Any:
        return add(calendar, starts, _durations(durations))

    def business_is_open(instants: Any) -> Any:
        return is_open(calendar, instants)

    arrow = PythonUDFType.ARROW
    names = (f"{prefix}_add", f"{prefix}_elapsed", f"{prefix}_is_open")
    connection.create_function(
        names[0], business_add, [instant, sqltypes.INTERVAL], instant, type=arrow
    )
    connection.create_function(
        names[1], business_elapsed, [instant, instant], sqltypes.INTERVAL, type=arrow
    )
    connection.create_function(names[2], business_is_open, [instant], sqltypes.BOOLEAN, type=arrow)
    return names
