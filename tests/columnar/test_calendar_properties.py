"""The columnar calendar against the scalar BusinessCalendar, row by row, on exotic calendars.

The scalar engine is the reference (it has its own properties against a
brute-force reference in ``tests/sla``); the columnar one must give its
answer on every row, to the microsecond, whatever the kind of column.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore import columnar
from contractcore.errors import InvalidArgumentError
from contractcore.sla.calendar import BusinessCalendar
from tests.columnar.strategies import (
    KINDS,
    calendars,
    column,
    duration_column,
    instant,
    instants,
    micros,
)

ZONES = ("UTC", "America/New_York", "Asia/Kolkata")


def integers(result: Any) -> list[int | None]:
    """Instants or durations of a result column as microseconds (None for null)."""
    if isinstance(result, np.ndarray):
        assert result.dtype in (np.dtype("datetime64[us]"), np.dtype("timedelta64[us]"))
        return [None if np.isnat(value) else int(value.view(np.int64)) for value in result]
    if isinstance(result, pa.ChunkedArray):
        result = result.combine_chunks()
    assert result.type in (pa.timestamp("us", tz="UTC"), pa.duration("us"))
    ints: list[int | None] = result.cast(pa.int64()).to_pylist()
    return ints


def booleans(result: Any) -> list[bool | None]:
    """A boolean result column as a list (None for null)."""
    if isinstance(result, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(result)
        return [
            None if masked else bool(value) for value, masked in zip(result.data, mask, strict=True)
        ]
    if isinstance(result, pa.ChunkedArray):
        result = result.combine_chunks()
    assert result.type == pa.bool_()
    flags: list[bool | None] = result.to_pylist()
    return flags


@st.composite
def pairs(draw: st.DrawFn, calendar: BusinessCalendar) -> tuple[int, int]:
    """(start, end) with end >= start: equal, close, weeks apart, or both instants drawn."""
    start = draw(instants(calendar))
    how = draw(st.sampled_from(["equal", "minutes", "weeks", "drawn", "drawn"]))
    if how == "equal":
        return start, start
    if how == "minutes":
        return start, start + draw(st.integers(1, 600)) * 60_000_000
    if how == "weeks":
        return start, start + draw(st.integers(1, 8 * 7 * 86_400 * 10**6))
    other = draw(instants(calendar))
    return min(start, other), max(start, other)


nulls = st.lists(st.booleans(), min_size=40, max_size=40)


@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(pairs(cal), max_size=40))),
    st.sampled_from(KINDS),
    st.sampled_from(ZONES),
    nulls,
)
def test_elapsed_equals_the_scalar_elapsed_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]],
    kind: str,
    zone: str,
    null_rows: list[bool],
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    ends = [None if null_rows[i] and not i % 2 else end for i, (_, end) in enumerate(rows)]
    result = columnar.elapsed(cal, column(starts, kind, zone), column(ends, kind, zone))
    expected = [
        None
        if start is None or end is None
        else cal.elapsed(instant(start), instant(end)) // timedelta(microseconds=1)
        for start, end in zip(starts, ends, strict=True)
    ]
    assert integers(result) == expected


@st.composite
def durations(draw: st.DrawFn, calendar: BusinessCalendar, start: int) -> int:
    """Zero, minutes, weeks, years (beyond any first table), or up to an opening or closing."""
    how = draw(st.sampled_from(["zero", "minutes", "micros", "weeks", "years", "edge", "edge"]))
    if how == "zero":
        return 0
    if how == "minutes":
        return draw(st.integers(1, 24 * 60)) * 60_000_000
    if how == "micros":
        return draw(st.integers(1, 10**9))
    if how == "weeks":
        return draw(st.integers(1, 6 * 7 * 86_400 * 10**6))
    if how == "years":
        return draw(st.integers(1, 3 * 365)) * 86_400 * 10**6
    edge = draw(instants(calendar))
    return 0 if edge < start else micros_of(calendar.elapsed(instant(start), instant(edge)))


def micros_of(duration: timedelta) -> int:
    return duration // timedelta(microseconds=1)


@st.composite
def deadlines(draw: st.DrawFn, calendar: BusinessCalendar) -> tuple[int, int]:
    start = draw(instants(calendar))
    return start, draw(durations(calendar, start))


@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(deadlines(cal), max_size=40))),
    st.sampled_from(KINDS),
    st.sampled_from(ZONES),
    nulls,
)
def test_add_equals_the_scalar_add_on_every_row(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]],
    kind: str,
    zone: str,
    null_rows: list[bool],
) -> None:
    cal, rows = setup
    starts = [None if null_rows[i] and i % 2 else start for i, (start, _) in enumerate(rows)]
    lengths = [None if null_rows[i] and not i % 2 else d for i, (_, d) in enumerate(rows)]
    result = columnar.add(cal, column(starts, kind, zone), duration_column(lengths, kind))
    expected = [
        None
        if start is None or length is None
        else micros(cal.add(instant(start), timedelta(microseconds=length)))
        for start, length in zip(starts, lengths, strict=True)
    ]
    assert integers(result) == expected


@given(
    calendars().flatmap(lambda cal: st.tuples(st.just(cal), st.lists(instants(cal), max_size=40))),
    st.sampled_from(KINDS),
    st.sampled_from(ZONES),
    nulls,
)
def test_is_open_equals_the_scalar_is_open_on_every_row(
    setup: tuple[BusinessCalendar, list[int]],
    kind: str,
    zone: str,
    null_rows: list[bool],
) -> None:
    cal, rows = setup
    at: list[int | None] = [None if null_rows[i] else row for i, row in enumerate(rows)]
    result = columnar.is_open(cal, column(at, kind, zone))
    assert booleans(result) == [None if row is None else cal.is_open(instant(row)) for row in at]


@given(
    calendars().flatmap(
        lambda cal: st.tuples(st.just(cal), st.lists(pairs(cal), min_size=1, max_size=10))
    ),
    st.data(),
)
def test_a_row_whose_end_is_before_its_start_is_refused_naming_it(
    setup: tuple[BusinessCalendar, list[tuple[int, int]]], data: st.DataObject
) -> None:
    cal, rows = setup
    wrong = data.draw(st.integers(0, len(rows) - 1))
    start, end = rows[wrong]
    starts: list[int | None] = [row[0] for row in rows]
    ends: list[int | None] = [row[1] for row in rows]
    starts[wrong], ends[wrong] = end + 1, start
    first = instant(end + 1).isoformat()
    pattern = re.escape(f"starts[{wrong}]={first} ends[{wrong}]={instant(start).isoformat()}")
    with pytest.raises(InvalidArgumentError, match=pattern):
        columnar.elapsed(cal, column(starts, "numpy", "UTC"), column(ends, "numpy", "UTC"))
