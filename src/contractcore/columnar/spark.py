"""Business time on Apache Spark: the columnar kernel over a DataFrame's Arrow batches.

Needs the ``spark`` extra (``pip install 'contractcore[spark]'``) and a Java
runtime. Each function returns a new DataFrame with one column added,
computed by :meth:`pyspark.sql.DataFrame.mapInArrow`: every executor hands
the kernel whole Arrow record batches, so a job pays one Python call per
batch, not per row. The answers are the scalar calendar's, row by row, to
the microsecond; a null gives a null. The calendar is sent to the
executors with the function (it pickles).

Spark's ``TIMESTAMP`` is an instant (Spark keeps it in UTC and shows it in
the session's time zone); business time is a ``INTERVAL DAY TO SECOND``
(:class:`~pyspark.sql.types.DayTimeIntervalType`). The executors' Python
must have contractcore: in local mode, set ``PYSPARK_PYTHON`` to the
driver's interpreter before the session starts.

>>> import os, sys
>>> os.environ["PYSPARK_PYTHON"] = sys.executable
>>> from datetime import UTC, datetime, time
>>> from pyspark.sql import SparkSession
>>> from contractcore.sla.calendar import BusinessCalendar
>>> spark = SparkSession.builder.master("local[1]").config(
...     "spark.ui.enabled", "false").getOrCreate()
>>> office = BusinessCalendar(
...     "America/New_York", weekly_hours=dict.fromkeys(range(5), [(time(9), time(17))])
... )
>>> tickets = spark.createDataFrame(  # Friday 14:00 to Monday 11:00 in New York
...     [("T-1", datetime(2026, 11, 20, 19, tzinfo=UTC), datetime(2026, 11, 23, 16, tzinfo=UTC))],
...     "ticket string, opened timestamp, answered timestamp",
... )
>>> elapsed(tickets, office, "opened", "answered").select("business_elapsed").first()[0]
datetime.timedelta(seconds=18000)
>>> spark.stop()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql.types import (
    BooleanType,
    DataType,
    DayTimeIntervalType,
    StructField,
    StructType,
    TimestampType,
)

from contractcore.columnar import calendar as kernel
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["add", "elapsed", "is_open"]


def _check(frame: Any, calendar: Any, columns: dict[str, Any], output: Any) -> None:
    if not isinstance(frame, DataFrame):
        raise InvalidArgumentError(f"frame must be a Spark DataFrame, got {frame!r}")
    if not isinstance(calendar, BusinessCalendar):
        raise InvalidArgumentError(f"calendar must be a BusinessCalendar, got {calendar!r}")
    names = frame.columns
    for argument, name in columns.items():
        if name not in names:
            raise InvalidArgumentError(
                f"{argument} must name a column of the frame ({', '.join(names)}), got {name!r}"
            )
    if not isinstance(output, str) or not output:
        raise InvalidArgumentError(f"output must be a column name, got {output!r}")
    if output in names:
        raise InvalidArgumentError(f"output must be a new column, got {output!r} (already there)")


def _with_column(
    frame: DataFrame,
    output: str,
    kind: DataType,
    compute: Callable[[pa.RecordBatch], pa.Array],
) -> DataFrame:
    """``frame`` with ``output`` computed batch by batch on the executors."""
    schema = StructType([*frame.schema.fields, StructField(output, kind, nullable=True)])

    def batches(incoming: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in incoming:
            column = compute(batch)
            yield pa.RecordBatch.from_arrays(
                [*batch.columns, column], names=[*batch.schema.names, output]
            )

    return frame.mapInArrow(batches, schema)


def elapsed(
    frame: DataFrame,
    calendar: BusinessCalendar,
    start: str,
    end: str,
    *,
    output: str = "business_elapsed",
) -> DataFrame:
    """Add the business time from column ``start`` to column ``end``, as ``calendar.elapsed``.

    Args:
        frame: the DataFrame.
        calendar: the business calendar.
        start: a ``TIMESTAMP`` column.
        end: a ``TIMESTAMP`` column, on or after ``start`` in every row.
        output: the new column's name (``INTERVAL DAY TO SECOND``).

    Raises:
        InvalidArgumentError: A column is not in the frame, ``output`` is, or
            ``calendar`` is not a ``BusinessCalendar``. An end before its start
            fails the job with the kernel's error naming the row.
    """
    _check(frame, calendar, {"start": start, "end": end}, output)
    return _with_column(
        frame,
        output,
        DayTimeIntervalType(),
        lambda batch: kernel.elapsed(calendar, batch.column(start), batch.column(end)),
    )


def add(
    frame: DataFrame,
    calendar: BusinessCalendar,
    start: str,
    duration: str,
    *,
    output: str = "business_deadline",
) -> DataFrame:
    """Add the instant ``duration`` of business time after ``start``, as ``calendar.add``.

    Args:
        frame: the DataFrame.
        calendar: the business calendar.
        start: a ``TIMESTAMP`` column.
        duration: an ``INTERVAL DAY TO SECOND`` column, not negative.
        output: the new column's name (``TIMESTAMP``).

    Raises:
        InvalidArgumentError: As :func:`elapsed`.
    """
    _check(frame, calendar, {"start": start, "duration": duration}, output)

    def deadlines(batch: pa.RecordBatch) -> pa.Array:
        starts = batch.column(start)
        found = kernel.add(calendar, starts, batch.column(duration))
        return found.cast(starts.type)  # the session's zone, as Spark sent it

    return _with_column(frame, output, TimestampType(), deadlines)


def is_open(
    frame: DataFrame,
    calendar: BusinessCalendar,
    instant: str,
    *,
    output: str = "business_is_open",
) -> DataFrame:
    """Add whether ``calendar`` is open at column ``instant``, as ``calendar.is_open``.

    Args:
        frame: the DataFrame.
        calendar: the business calendar.
        instant: a ``TIMESTAMP`` column.
        output: the new column's name (``BOOLEAN``).

    Raises:
        InvalidArgumentError: As :func:`elapsed`.
    """
    _check(frame, calendar, {"instant": instant}, output)
    return _with_column(
        frame,
        output,
        BooleanType(),
        lambda batch: kernel.is_open(calendar, batch.column(instant)),
    )
