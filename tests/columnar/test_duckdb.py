"""Business time in DuckDB SQL against the scalar BusinessCalendar, row by row, on a real DuckDB.

Rows go into a DuckDB table (``TIMESTAMPTZ`` columns, some null), the
registered functions answer a query over it, and every row must be the
scalar method's answer to the microsecond.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractcore.columnar.duckdb import register
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar
from tests.columnar.strategies import calendars, instant, instants, micros
from tests.columnar.test_calendar_properties import deadlines, pairs

OFFICE = BusinessCalendar(
    "America/New_York", weekly_hours={day: [(time(9), time(17))] for day in range(5)}
)
MICROSECOND = timedelta(microseconds=1)


def connect(calendar: BusinessCalendar, **columns: pa.Array) -> duckdb.DuckDBPyConnection:
    """A fresh connection with ``calendar`` registered and the columns as table ``rows``."""
    connection = duckdb.connect()
    register(connection, calendar)
    length = len(next(iter(columns.values())))
    table = pa.table({"id": pa.array(range(length), pa.int64()), **columns})
    connection.register("source", table)
    connection.execute("CREATE TABLE rows AS SELECT * FROM source")
    return connection


def answers(connection: duckdb.DuckDBPyConnection, expression: str) -> list[Any]:
    """The values of ``expression`` over table ``rows``, in row order."""
    return [
        row[0] for row in connection.sql(f"SELECT {expression} FROM rows ORDER BY id").fetchall()
    ]


def stamps(rows: list[int | None], zone: str = "America/New_York") -> pa.Array:
    return pa.array(rows, pa.timestamp("us", tz=zone))


#: A query costs a connection and a table, so a quarter of the profile's
#: examples (15 in ``dev``, 50 in ``ci``, 750 in ``stress``): the kernel's
#: own properties in ``test_calendar_properties`` run the full count.
engine_settings = settings(max_examples=max(1, settings().max_examples // 4))
with_nulls = st.lists(st.booleans(), min_size=40, max_size=40)


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(pairs(cal), max_size=40))),
    with_nulls,
)
def test_business_elapsed_in_sql_equals_the_scalar_elapsed_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]], null_rows: list[bool]
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    ends = [None if null_rows[i] and not i % 2 else end for i, (_, end) in enumerate(rows)]
    connection = connect(cal, opened=stamps(starts), solved=stamps(ends, "Asia/Kolkata"))
    expected = [
        None if start is None or end is None else cal.elapsed(instant(start), instant(end))
        for start, end in zip(starts, ends, strict=True)
    ]
    assert answers(connection, "business_elapsed(opened, solved)") == expected


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(deadlines(cal), max_size=40))),
    with_nulls,
)
def test_business_add_in_sql_equals_the_scalar_add_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]], null_rows: list[bool]
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    lengths = [None if null_rows[i] and not i % 2 else d for i, (_, d) in enumerate(rows)]
    connection = connect(cal, opened=stamps(starts), target=pa.array(lengths, pa.duration("us")))
    expected = [
        None
        if start is None or length is None
        else micros(cal.add(instant(start), timedelta(microseconds=length)))
        for start, length in zip(starts, lengths, strict=True)
    ]
    due = answers(connection, "business_add(opened, target::INTERVAL)")
    assert [None if moment is None else micros(moment) for moment in due] == expected


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(instants(cal), max_size=40))),
    with_nulls,
)
def test_business_is_open_in_sql_equals_the_scalar_is_open_on_every_row(
    setup: tuple[BusinessCalendar, list[int]], null_rows: list[bool]
) -> None:
    cal, rows = setup
    at: list[int | None] = [None if null_rows[i] else row for i, row in enumerate(rows)]
    connection = connect(cal, moment=stamps(at))
    expected = [None if row is None else cal.is_open(instant(row)) for row in at]
    assert answers(connection, "business_is_open(moment)") == expected


def test_a_query_over_more_rows_than_one_batch_answers_every_row() -> None:
    connection = duckdb.connect()
    register(connection, OFFICE)
    query = """
        SELECT count(*), sum(epoch_us(business_elapsed(opened, opened + INTERVAL 3 DAY)))
        FROM (SELECT TIMESTAMPTZ '2026-11-02 00:00+00' + to_minutes(i) AS opened
              FROM range(10000) AS minutes(i))
    """
    [(count, total)] = connection.sql(query).fetchall()
    first = datetime(2026, 11, 2, tzinfo=UTC)
    expected = sum(
        OFFICE.elapsed(first + timedelta(minutes=i), first + timedelta(minutes=i, days=3))
        // MICROSECOND
        for i in range(10000)
    )
    assert (count, total) == (10000, expected)


def test_an_interval_of_days_is_24_hours_of_business_time_each() -> None:
    connection = duckdb.connect()
    register(connection, OFFICE)
    query = "SELECT business_add(TIMESTAMPTZ '2026-11-23 14:00+00', INTERVAL 1 DAY)"
    [(due,)] = connection.sql(query).fetchall()
    assert due == OFFICE.add(datetime(2026, 11, 23, 14, tzinfo=UTC), timedelta(days=1))


def test_an_interval_of_months_is_refused_naming_the_row() -> None:
    connection = duckdb.connect()
    register(connection, OFFICE)
    with pytest.raises(duckdb.Error, match=r"must not have months.*durations\[0\]"):
        connection.sql(
            "SELECT business_add(TIMESTAMPTZ '2026-11-23 14:00+00', INTERVAL 1 MONTH)"
        ).fetchall()


def test_an_end_before_its_start_is_an_error_of_the_query() -> None:
    connection = duckdb.connect()
    register(connection, OFFICE)
    with pytest.raises(duckdb.Error, match="ends must not be before starts"):
        connection.sql(
            "SELECT business_elapsed(TIMESTAMPTZ '2026-11-24 00:00+00', "
            "TIMESTAMPTZ '2026-11-23 00:00+00')"
        ).fetchall()


def test_two_calendars_register_on_one_connection_under_their_prefixes() -> None:
    connection = duckdb.connect()
    always = BusinessCalendar("UTC", weekly_hours={day: [(time(0), time(0))] for day in range(7)})
    assert register(connection, OFFICE) == ("business_add", "business_elapsed", "business_is_open")
    assert register(connection, always, prefix="always")[1] == "always_elapsed"
    query = (
        "SELECT business_is_open(TIMESTAMPTZ '2026-11-22 12:00+00'), "
        "always_is_open(TIMESTAMPTZ '2026-11-22 12:00+00')"
    )
    assert connection.sql(query).fetchall() == [(False, True)]


def test_a_calendar_that_is_not_a_business_calendar_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="calendar must be a BusinessCalendar"):
        register(duckdb.connect(), "office")  # type: ignore[arg-type]
