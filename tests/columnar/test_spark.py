"""Business time on Apache Spark (local mode) against the scalar BusinessCalendar, row by row.

Rows go into a real Spark DataFrame (``TIMESTAMP`` columns, some null), the
functions add their column through ``mapInArrow`` on two local workers, and
every row must be the scalar method's answer to the microsecond.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyspark", reason="the spark extra is not installed")
if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
    pytest.skip("Spark needs a Java runtime (none on PATH)", allow_module_level=True)

from pyspark.sql import DataFrame, SparkSession

from contractcore.columnar import spark as business
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar
from tests.columnar.strategies import calendars, instant, instants, micros
from tests.columnar.test_calendar_properties import deadlines, pairs

OFFICE = BusinessCalendar(
    "America/New_York", weekly_hours={day: [(time(9), time(17))] for day in range(5)}
)

#: A Spark job costs about a second: a twentieth of the profile's examples (3
#: in ``dev``, 10 in ``ci``, 150 in ``stress``); the kernel's own properties
#: run the full count, and these check the batches' way through Spark.
engine_settings = settings(
    max_examples=max(3, settings().max_examples // 20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
with_nulls = st.lists(st.booleans(), min_size=40, max_size=40)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """A local Spark with two workers, its Python this interpreter, its session zone UTC."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("contractcore-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def aware(moment: int | None) -> datetime | None:
    return None if moment is None else instant(moment)


def frame(spark: SparkSession, schema: str, rows: list[tuple[Any, ...]]) -> DataFrame:
    """The rows with an ``id`` first, in two partitions (so both workers answer)."""
    return spark.createDataFrame([(i, *row) for i, row in enumerate(rows)], schema).repartition(2)


def column(result: DataFrame, name: str) -> list[Any]:
    """``name``'s values in ``id`` order; Spark gives UTC wall times, made aware here."""
    values = [row[name] for row in result.orderBy("id").collect()]
    return [value.replace(tzinfo=UTC) if isinstance(value, datetime) else value for value in values]


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(pairs(cal), max_size=40))),
    with_nulls,
)
def test_elapsed_on_spark_equals_the_scalar_elapsed_on_every_row(
    spark: SparkSession, setup: tuple[BusinessCalendar, list[tuple[int, int]]], nulls: list[bool]
) -> None:
    cal, rows = setup
    starts = [None if nulls[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    ends = [None if nulls[i] and not i % 2 else end for i, (_, end) in enumerate(rows)]
    source = frame(
        spark,
        "id long, opened timestamp, solved timestamp",
        [(aware(s), aware(e)) for s, e in zip(starts, ends, strict=True)],
    )
    expected = [
        None if s is None or e is None else cal.elapsed(instant(s), instant(e))
        for s, e in zip(starts, ends, strict=True)
    ]
    assert column(business.elapsed(source, cal, "opened", "solved"), "business_elapsed") == (
        expected
    )


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(deadlines(cal), max_size=40))),
    with_nulls,
)
def test_add_on_spark_equals_the_scalar_add_on_every_row(
    spark: SparkSession, setup: tuple[BusinessCalendar, list[tuple[int, int]]], nulls: list[bool]
) -> None:
    cal, rows = setup
    starts = [None if nulls[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    lengths = [None if nulls[i] and not i % 2 else d for i, (_, d) in enumerate(rows)]
    source = frame(
        spark,
        "id long, opened timestamp, target interval day to second",
        [
            (aware(s), None if d is None else timedelta(microseconds=d))
            for s, d in zip(starts, lengths, strict=True)
        ],
    )
    expected = [
        None if s is None or d is None else micros(cal.add(instant(s), timedelta(microseconds=d)))
        for s, d in zip(starts, lengths, strict=True)
    ]
    due = column(business.add(source, cal, "opened", "target"), "business_deadline")
    assert [None if moment is None else micros(moment) for moment in due] == expected


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(instants(cal), max_size=40))),
    with_nulls,
)
def test_is_open_on_spark_equals_the_scalar_is_open_on_every_row(
    spark: SparkSession, setup: tuple[BusinessCalendar, list[int]], nulls: list[bool]
) -> None:
    cal, rows = setup
    at = [None if nulls[i] else row for i, row in enumerate(rows)]
    source = frame(spark, "id long, moment timestamp", [(aware(m),) for m in at])
    expected = [None if m is None else cal.is_open(instant(m)) for m in at]
    assert column(business.is_open(source, cal, "moment"), "business_is_open") == expected


def test_a_frame_of_many_batches_on_two_workers_answers_every_row(spark: SparkSession) -> None:
    first = datetime(2026, 11, 2, tzinfo=UTC)
    source = (
        spark.range(20_000, numPartitions=4)
        .selectExpr(
            "id",
            f"timestamp_micros(id * 60000000 + {micros(first)}) AS opened",
        )
        .selectExpr("id", "opened", "opened + INTERVAL 3 DAYS AS solved")
    )
    result = business.elapsed(source, OFFICE, "opened", "solved")
    total = result.selectExpr("sum(unix_micros(timestamp_micros(0) + business_elapsed))").first()
    expected = sum(
        OFFICE.elapsed(first + timedelta(minutes=i), first + timedelta(minutes=i, days=3))
        // timedelta(microseconds=1)
        for i in range(20_000)
    )
    assert total is not None
    assert total[0] == expected


def test_an_end_before_its_start_fails_the_job_with_the_kernel_error(spark: SparkSession) -> None:
    source = frame(
        spark,
        "id long, opened timestamp, solved timestamp",
        [(datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))],
    )
    with pytest.raises(Exception, match="ends must not be before starts"):
        business.elapsed(source, OFFICE, "opened", "solved").collect()


def test_bad_arguments_are_refused_by_name_before_any_job(spark: SparkSession) -> None:
    source = frame(spark, "id long, moment timestamp", [(datetime(2026, 11, 24, tzinfo=UTC),)])
    with pytest.raises(InvalidArgumentError, match=r"instant must name a column.*'when'"):
        business.is_open(source, OFFICE, "when")
    with pytest.raises(InvalidArgumentError, match=r"output must be a new column.*'moment'"):
        business.is_open(source, OFFICE, "moment", output="moment")
    with pytest.raises(InvalidArgumentError, match="calendar must be a BusinessCalendar"):
        business.is_open(source, "office", "moment")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="frame must be a Spark DataFrame"):
        business.elapsed(cast(Any, []), OFFICE, "a", "b")
