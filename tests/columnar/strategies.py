"""Hypothesis strategies for the columnar engine: exotic calendars and rows of instants.

Instants are integers (microseconds since the epoch, UTC), as the columns
hold them; ``columns`` turns rows into the numpy or Arrow column under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import assume
from hypothesis import strategies as st

from contractcore.errors import InvalidCalendarError
from contractcore.sla.calendar import BusinessCalendar
from tests.sla.strategies import calendar_definitions

__all__ = [
    "KINDS",
    "calendars",
    "column",
    "duration_column",
    "instant",
    "instants",
    "micros",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
#: Zones beyond those of the SLA strategies: half-hour DST (Lord Howe),
#: quarter-hour offsets (Kathmandu, Chatham), changes at midnight (Santiago,
#: Havana), a half-hour offset with DST (St John's).
EXOTIC_ZONES = (
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
)
#: Where rows mostly fall: the weeks around the 2026 clock changes.
FIRST = datetime(2026, 3, 1, tzinfo=UTC)
LAST = datetime(2026, 12, 31, tzinfo=UTC)
#: Far from the rows above: more than the longest table the engine compiles
#: (50 years), so rows here are answered outside any table.
FAR = (datetime(1905, 3, 1, tzinfo=UTC), datetime(2150, 10, 1, tzinfo=UTC))
#: numpy microseconds, numpy nanoseconds, Arrow in several units, zones and chunks.
KINDS = ("numpy", "numpy-ns", "arrow", "arrow-ns", "arrow-chunked")


def micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (moment - EPOCH) // MICROSECOND


def instant(value: int) -> datetime:
    """The aware UTC datetime of ``value`` microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=value)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    """The SLA strategies' calendars, maybe moved to an exotic zone, maybe with special hours."""
    definition = draw(calendar_definitions())
    zone = draw(st.sampled_from((definition.timezone, *EXOTIC_ZONES)))
    special = draw(
        st.dictionaries(
            st.dates(date(2026, 3, 1), date(2026, 12, 31)),
            st.sampled_from(
                [[], [(time(10), time(12))], [(time(22), time(2))], [(time(0), time(0))]]
            ),
            max_size=2,
        )
    )
    try:
        return BusinessCalendar(
            zone,
            weekly_hours=definition.weekly_hours,
            holidays=definition.holidays,
            special_hours=special,
        )
    except InvalidCalendarError:  # special hours overlapping a neighbouring night shift
        assume(False)
        raise


@st.composite
def instants(draw: st.DrawFn, calendar: BusinessCalendar) -> int:
    """An instant: anywhere in 2026, at an opening or closing (give or take 1 us), or far away."""
    where = draw(st.sampled_from(["minute", "microsecond", "boundary", "boundary", "far"]))
    if where == "far":
        around = draw(st.sampled_from(FAR))
        return micros(around) + draw(st.integers(0, 20 * 86_400)) * 1_000_000
    if where == "boundary":
        week = draw(st.integers(0, 40))
        start = FIRST + timedelta(weeks=week)
        spans = calendar.open_intervals(start, start + timedelta(weeks=2))
        if spans:
            edge = draw(st.sampled_from([moment for span in spans for moment in span]))
            return micros(edge) + draw(st.sampled_from([0, 0, 0, -1, 1]))
    step = 60_000_000 if where == "minute" else 1
    return micros(FIRST) + draw(st.integers(0, (micros(LAST) - micros(FIRST)) // step)) * step


def column(rows: list[int | None], kind: str, zone: str) -> Any:
    """Instants (None for null) as a column of ``kind``; Arrow columns carry ``zone``."""
    if kind.startswith("numpy"):
        values = np.array(["NaT" if row is None else row for row in rows], dtype="datetime64[us]")
        return values.astype("datetime64[ns]") if kind == "numpy-ns" else values
    unit = "ns" if kind == "arrow-ns" else "us"
    scale = 1_000 if unit == "ns" else 1
    array = pa.array(
        [None if row is None else row * scale for row in rows], pa.timestamp(unit, tz=zone)
    )
    if kind == "arrow-chunked":
        half = len(rows) // 2
        return pa.chunked_array([array.slice(0, half), array.slice(half)])
    return array


def duration_column(rows: list[int | None], kind: str) -> Any:
    """Durations in microseconds (None for null) as a column of ``kind``."""
    if kind.startswith("numpy"):
        values = np.array(["NaT" if row is None else row for row in rows], dtype="timedelta64[us]")
        return values.astype("timedelta64[ns]") if kind == "numpy-ns" else values
    array = pa.array(rows, pa.duration("us"))
    if kind == "arrow-chunked":
        return pa.chunked_array([array])
    return array
