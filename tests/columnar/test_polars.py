"""Business time in Polars expressions against the scalar BusinessCalendar, on real DataFrames.

Rows go into a Polars DataFrame (``Datetime`` columns with a time zone, some
null); the expressions must give the scalar method's answer on every row, to
the microsecond, eager and lazy, over one chunk or several.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractcore.columnar import polars as business
from contractcore.errors import InvalidArgumentError, NaiveDatetimeError
from contractcore.sla.calendar import BusinessCalendar
from tests.columnar.strategies import calendars, instant, instants, micros
from tests.columnar.test_calendar_properties import deadlines, pairs

OFFICE = BusinessCalendar(
    "America/New_York", weekly_hours={day: [(time(9), time(17))] for day in range(5)}
)
MICROSECOND = timedelta(microseconds=1)
#: A DataFrame per example, so a quarter of the profile's examples (15 in
#: ``dev``, 50 in ``ci``, 750 in ``stress``); the kernel's own properties in
#: ``test_calendar_properties`` run the full count.
engine_settings = settings(max_examples=max(1, settings().max_examples // 4))
with_nulls = st.lists(st.booleans(), min_size=40, max_size=40)


def stamps(rows: list[int | None], zone: str = "America/New_York") -> pl.Series:
    return pl.Series(rows, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(zone)


def frame(chunked: bool, **columns: pl.Series) -> pl.DataFrame:
    """The columns as a DataFrame, in two chunks when ``chunked``."""
    whole = pl.DataFrame(columns)
    if not chunked or whole.height < 2:
        return whole
    half = whole.height // 2
    return pl.concat([whole.slice(0, half), whole.slice(half)], rechunk=False)


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(pairs(cal), max_size=40))),
    with_nulls,
    st.booleans(),
    st.booleans(),
)
def test_elapsed_in_polars_equals_the_scalar_elapsed_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]],
    null_rows: list[bool],
    chunked: bool,
    lazy: bool,
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    ends = [None if null_rows[i] and not i % 2 else end for i, (_, end) in enumerate(rows)]
    tickets = frame(chunked, opened=stamps(starts), solved=stamps(ends, "Asia/Kolkata"))
    expression = business.elapsed(cal, "opened", pl.col("solved")).alias("elapsed")
    result = tickets.lazy().select(expression).collect() if lazy else tickets.select(expression)
    expected = [
        None if start is None or end is None else cal.elapsed(instant(start), instant(end))
        for start, end in zip(starts, ends, strict=True)
    ]
    assert result.schema["elapsed"] == pl.Duration("us")
    assert result["elapsed"].to_list() == expected


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(deadlines(cal), max_size=40))),
    with_nulls,
    st.booleans(),
)
def test_add_in_polars_equals_the_scalar_add_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]], null_rows: list[bool], chunked: bool
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    lengths = [None if null_rows[i] and not i % 2 else d for i, (_, d) in enumerate(rows)]
    target = pl.Series(lengths, dtype=pl.Int64).cast(pl.Duration("us"))
    tickets = frame(chunked, opened=stamps(starts), target=target)
    result = tickets.with_columns(due=business.add(cal, "opened", "target"))
    expected = [
        None
        if start is None or length is None
        else micros(cal.add(instant(start), timedelta(microseconds=length)))
        for start, length in zip(starts, lengths, strict=True)
    ]
    assert result.schema["due"] == pl.Datetime("us", "UTC")
    assert [None if due is None else micros(due) for due in result["due"]] == expected


@engine_settings
@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(instants(cal), max_size=40))),
    with_nulls,
    st.booleans(),
)
def test_is_open_in_polars_equals_the_scalar_is_open_on_every_row(
    setup: tuple[BusinessCalendar, list[int]], null_rows: list[bool], chunked: bool
) -> None:
    cal, rows = setup
    at: list[int | None] = [None if null_rows[i] else row for i, row in enumerate(rows)]
    result = frame(chunked, moment=stamps(at)).select(business.is_open(cal, "moment"))
    expected = [None if row is None else cal.is_open(instant(row)) for row in at]
    assert result["moment"].to_list() == expected


def test_a_filter_and_a_group_by_use_the_expressions_like_any_other() -> None:
    first = datetime(2026, 11, 2, tzinfo=UTC)
    opened = [first + timedelta(hours=hour) for hour in range(24 * 7)]
    tickets = pl.DataFrame({"opened": opened, "team": ["a", "b"] * (len(opened) // 2)})
    open_hours = tickets.filter(business.is_open(OFFICE, "opened"))
    assert open_hours.height == sum(OFFICE.is_open(moment) for moment in opened)
    per_team = (
        tickets.group_by("team")
        .agg(business.elapsed(OFFICE, "opened", pl.col("opened") + timedelta(days=2)).sum())
        .sort("team")
    )
    expected = [
        sum(
            (OFFICE.elapsed(m, m + timedelta(days=2)) for m in opened[team::2]),
            timedelta(0),
        )
        for team in (0, 1)
    ]
    assert per_team["opened"].to_list() == expected


def test_naive_datetimes_are_refused_as_everywhere_in_contractcore() -> None:
    # A naive datetime is what this test is about, hence the noqa.
    naive = pl.DataFrame({"opened": [datetime(2026, 11, 2, 9)]})  # noqa: DTZ001
    with pytest.raises(NaiveDatetimeError):
        naive.select(business.is_open(OFFICE, "opened"))


def test_an_end_before_its_start_is_refused_naming_the_row() -> None:
    tickets = pl.DataFrame(
        {
            "opened": [datetime(2026, 11, 3, tzinfo=UTC)],
            "solved": [datetime(2026, 11, 2, tzinfo=UTC)],
        }
    )
    with pytest.raises(InvalidArgumentError, match=r"ends must not be before starts.*starts\[0\]"):
        tickets.select(business.elapsed(OFFICE, "opened", "solved"))


def test_a_calendar_that_is_not_a_business_calendar_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="calendar must be a BusinessCalendar"):
        business.elapsed("office", "opened", "solved")  # type: ignore[arg-type]


def test_a_literal_duration_applies_to_every_row() -> None:
    opened = [datetime(2026, 11, 20, 20, tzinfo=UTC), datetime(2026, 11, 23, 13, tzinfo=UTC)]
    due = pl.DataFrame({"opened": opened}).select(
        business.add(OFFICE, "opened", pl.lit(timedelta(hours=4)))
    )
    assert due["opened"].to_list() == [OFFICE.add(m, timedelta(hours=4)) for m in opened]
