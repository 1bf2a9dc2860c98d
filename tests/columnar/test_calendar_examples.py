"""The columnar calendar on pinned examples: kinds in and out, nulls, refusals, far rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import numpy as np
import pyarrow as pa
import pytest

from contractcore import columnar
from contractcore.errors import InvalidArgumentError, NaiveDatetimeError, NoOpenTimeError
from contractcore.sla.calendar import BusinessCalendar

NINE_TO_FIVE = {day: [(time(9), time(17))] for day in range(5)}
OFFICE = BusinessCalendar(
    "America/New_York",
    weekly_hours=NINE_TO_FIVE,
    holidays=holidays.country_holidays("US", subdiv="NY"),
)
HOUR = np.timedelta64(1, "h")


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def stamps(*values: str) -> np.ndarray[tuple[int], np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[us]")


def test_elapsed_skips_thanksgiving_as_the_scalar_calendar_does() -> None:
    # Wednesday 25 November 2026, 15:00 in New York, to Monday 10:00.
    starts = stamps("2026-11-25T20:00", "2026-11-27T13:00")
    ends = stamps("2026-11-30T15:00", "2026-11-27T13:00")
    result = columnar.elapsed(OFFICE, starts, ends)
    assert result.dtype == np.dtype("timedelta64[us]")
    assert list(result // HOUR) == [11, 0]


def test_add_gives_utc_deadlines_and_a_zero_duration_gives_the_start_itself() -> None:
    starts = stamps("2026-11-25T20:00", "2026-11-28T12:00", "2026-11-25T20:00")
    durations = np.array([4, 0, 2], dtype="timedelta64[h]")
    result = columnar.add(OFFICE, starts, durations)
    assert result.dtype == np.dtype("datetime64[us]")
    # 4 hours: 2 on Wednesday, Thanksgiving closed, 2 on Friday from 09:00 EST.
    # 2 hours from 15:00 end at closing time, not at the next opening.
    assert list(result) == list(stamps("2026-11-27T16:00", "2026-11-28T12:00", "2026-11-25T22:00"))


def test_arrow_timestamps_in_any_unit_and_zone_come_back_as_utc_microseconds() -> None:
    starts = pa.array(
        [datetime(2026, 11, 25, 20, tzinfo=UTC), None], pa.timestamp("s", tz="America/Chicago")
    )
    durations = pa.array([timedelta(hours=4), timedelta(hours=1)], pa.duration("ms"))
    deadlines = columnar.add(OFFICE, starts, durations)
    assert deadlines.type == pa.timestamp("us", tz="UTC")
    assert deadlines.to_pylist() == [datetime(2026, 11, 27, 16, tzinfo=UTC), None]
    spent = columnar.elapsed(OFFICE, starts, deadlines)
    assert spent.type == pa.duration("us")
    assert spent.to_pylist() == [timedelta(hours=4), None]


def test_is_open_gives_arrow_booleans_with_nulls_kept() -> None:
    at = pa.array(
        [utc(2026, 11, 24, 14), utc(2026, 11, 24, 22), None, utc(2026, 11, 26, 15)],
        pa.timestamp("us", tz="UTC"),
    )
    # 09:00 opens, 17:00 is closed, Thanksgiving is closed.
    assert columnar.is_open(OFFICE, at).to_pylist() == [True, False, None, False]


def test_is_open_over_numpy_gives_a_masked_array_masked_at_nat() -> None:
    result = columnar.is_open(OFFICE, stamps("2026-11-24T14:00", "NaT"))
    assert isinstance(result, np.ma.MaskedArray)
    assert list(np.ma.getmaskarray(result)) == [False, True]
    assert bool(result[0]) is True


def test_a_chunked_array_comes_back_chunked_the_same_way() -> None:
    chunks = [
        pa.array([utc(2026, 11, 24, 14)], pa.timestamp("us", tz="UTC")),
        pa.array([utc(2026, 11, 24, 15), utc(2026, 11, 24, 22)], pa.timestamp("us", tz="UTC")),
    ]
    result = columnar.is_open(OFFICE, pa.chunked_array(chunks))
    assert isinstance(result, pa.ChunkedArray)
    assert [len(chunk) for chunk in result.chunks] == [1, 2]
    assert result.to_pylist() == [True, True, False]


def test_empty_and_all_null_columns_give_columns_of_the_same_length() -> None:
    empty = stamps()
    assert len(columnar.elapsed(OFFICE, empty, empty)) == 0
    assert len(columnar.add(OFFICE, empty, np.array([], "timedelta64[us]"))) == 0
    assert len(columnar.is_open(OFFICE, empty)) == 0
    nothing = pa.array([None, None], pa.timestamp("us", tz="UTC"))
    assert columnar.elapsed(OFFICE, nothing, nothing).to_pylist() == [None, None]
    assert columnar.add(OFFICE, nothing, pa.array([None, None], pa.duration("us"))).null_count == 2
    assert columnar.is_open(OFFICE, nothing).to_pylist() == [None, None]


def test_numpy_units_coarser_than_the_microsecond_are_read_exactly() -> None:
    days = np.array(["2026-11-23", "2026-11-30"], dtype="datetime64[D]")
    assert list(columnar.elapsed(OFFICE, days[:1], days[1:]) // HOUR) == [32]
    # A week of business time is 21 working days of 8 hours (Thanksgiving closed).
    weeks = np.array([1], dtype="timedelta64[W]")
    assert columnar.add(OFFICE, days[:1], weeks)[0] == np.datetime64("2026-12-22T22:00", "us")


def test_rows_far_outside_the_bulk_are_answered_exactly_by_the_scalar_engine() -> None:
    moments = [utc(1905, 3, 1, 15), utc(2026, 11, 24, 15), utc(2026, 11, 25, 15), utc(2150, 6, 1)]
    starts = np.array([m.replace(tzinfo=None) for m in moments], dtype="datetime64[us]")
    ends = starts + np.timedelta64(30, "D")
    expected = [OFFICE.elapsed(m, m + timedelta(days=30)) for m in moments]
    assert list(columnar.elapsed(OFFICE, starts, ends)) == expected
    assert list(columnar.is_open(OFFICE, starts)) == [OFFICE.is_open(m) for m in moments]
    durations = np.full(4, 100, dtype="timedelta64[h]")
    deadlines = columnar.add(OFFICE, starts, durations)
    assert [d.astype(datetime).replace(tzinfo=UTC) for d in deadlines] == [
        OFFICE.add(m, timedelta(hours=100)) for m in moments
    ]


def test_deadlines_years_away_on_a_sparse_calendar_equal_the_scalar_ones() -> None:
    # One hour a week: a table sized for the starts must grow to hold the deadlines.
    sparse = BusinessCalendar("Europe/London", weekly_hours={0: [(time(9), time(10))]})
    starts = stamps("2026-01-05T00:00", "2026-06-01T09:30", "2026-03-30T08:00")
    durations = np.array([150, 300, 1], dtype="timedelta64[h]")
    deadlines = columnar.add(sparse, starts, durations)
    expected = [
        sparse.add(start.astype(datetime).replace(tzinfo=UTC), timedelta(hours=int(hours)))
        for start, hours in zip(starts, durations.astype(int), strict=True)
    ]
    assert [d.astype(datetime).replace(tzinfo=UTC) for d in deadlines] == expected


def test_a_deadline_on_a_calendar_that_never_opens_again_raises_as_the_scalar_add_does() -> None:
    once = BusinessCalendar(
        "UTC", weekly_hours={}, special_hours={date(2026, 11, 24): [(time(9), time(10))]}
    )
    starts = stamps("2026-11-24T09:00", "2026-11-24T09:30")
    assert list(columnar.add(once, starts, np.array([60, 0], "timedelta64[m]"))) == list(
        stamps("2026-11-24T10:00", "2026-11-24T09:30")
    )
    with pytest.raises(NoOpenTimeError):
        columnar.add(once, starts, np.array([60, 60], "timedelta64[m]"))


def test_each_calendar_object_has_its_own_table_even_when_calendars_compare_equal() -> None:
    # Calendars compare a HolidayBase by its country, not by hand-added dates.
    plain = BusinessCalendar(
        "UTC", weekly_hours=NINE_TO_FIVE, holidays=holidays.country_holidays("US")
    )
    extra = holidays.country_holidays("US")
    extra[date(2026, 11, 24)] = "Company day"
    with_day_off = BusinessCalendar("UTC", weekly_hours=NINE_TO_FIVE, holidays=extra)
    assert plain == with_day_off
    at = stamps("2026-11-24T10:00")
    assert list(columnar.is_open(plain, at)) == [True]
    assert list(columnar.is_open(with_day_off, at)) == [False]


def test_later_batches_reuse_and_grow_the_calendar_table() -> None:
    cal = BusinessCalendar("Asia/Kathmandu", weekly_hours=NINE_TO_FIVE)
    for month in range(1, 13):
        moments = [utc(2026, month, 10, 3), utc(2027 + month, month, 10, 3)]
        starts = np.array([m.replace(tzinfo=None) for m in moments], dtype="datetime64[us]")
        result = columnar.elapsed(cal, starts, starts + np.timedelta64(9, "h"))
        assert list(result) == [cal.elapsed(m, m + timedelta(hours=9)) for m in moments]


# -- refusals ---------------------------------------------------------------


def test_naive_arrow_timestamps_are_refused_naming_the_argument() -> None:
    naive = pa.array([datetime(2026, 11, 24, 9)], pa.timestamp("us"))  # noqa: DTZ001
    with pytest.raises(NaiveDatetimeError, match=r"starts must be timezone-aware.*timestamp\[us\]"):
        columnar.elapsed(OFFICE, naive, naive)
    with pytest.raises(NaiveDatetimeError, match="instants must be timezone-aware"):
        columnar.is_open(OFFICE, naive)


def test_columns_of_different_lengths_are_refused_with_both_lengths() -> None:
    with pytest.raises(InvalidArgumentError, match=r"starts and ends .* got 2 and 1"):
        columnar.elapsed(OFFICE, stamps("2026-11-24", "2026-11-25"), stamps("2026-11-26"))
    with pytest.raises(InvalidArgumentError, match=r"starts and durations .* got 1 and 2"):
        columnar.add(OFFICE, stamps("2026-11-24"), np.array([1, 2], "timedelta64[h]"))


def test_a_negative_duration_is_refused_naming_its_row() -> None:
    with pytest.raises(InvalidArgumentError, match=r"durations\[1\]=datetime.timedelta\(days=-1"):
        columnar.add(OFFICE, stamps("2026-11-24", "2026-11-25"), np.array([1, -1], "m8[h]"))


def test_nanoseconds_that_are_not_whole_microseconds_are_refused() -> None:
    fine = np.array(["2026-11-24T09:00:00.000000001"], dtype="datetime64[ns]")
    with pytest.raises(InvalidArgumentError, match="starts must be whole microseconds"):
        columnar.elapsed(OFFICE, fine, fine)
    arrow = pa.array([1_000_000_000_000_000_001], pa.timestamp("ns", tz="UTC"))
    with pytest.raises(InvalidArgumentError, match="instants must be whole microseconds"):
        columnar.is_open(OFFICE, arrow)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            [datetime(2026, 11, 24, tzinfo=UTC)],
            r"instants must be a pyarrow timestamp .* got \[datetime",
        ),
        (np.array([1, 2]), "instants must be a numpy datetime64 array, got .* int64"),
        (pa.array([1, 2]), "instants must be a pyarrow timestamp .* got Int64Array of int64"),
        (np.zeros((1, 1), dtype="datetime64[us]"), r"one-dimensional, got shape \(1, 1\)"),
        (np.array(["10000-01-01"], dtype="datetime64[D]"), "years 1 to 9999, got 10000-01-01"),
    ],
)
def test_what_is_not_a_column_of_instants_is_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        columnar.is_open(OFFICE, value)


def test_durations_in_months_are_refused_as_they_vary_in_length() -> None:
    with pytest.raises(InvalidArgumentError, match=r"durations must be in units of weeks or finer"):
        columnar.add(OFFICE, stamps("2026-11-24"), np.array([1], "timedelta64[M]"))


def test_a_calendar_must_be_a_business_calendar() -> None:
    with pytest.raises(
        InvalidArgumentError, match="calendar must be a BusinessCalendar, got 'UTC'"
    ):
        columnar.is_open("UTC", stamps("2026-11-24"))  # type: ignore[arg-type]
