"""BusinessCalendar against the brute-force reference, on generated calendars."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import assume, example, given
from hypothesis import strategies as st

from contractcore.errors import InvalidCalendarError
from contractcore.sla.calendar import BusinessCalendar
from tests.sla.calendar_reference import MINUTE, QUARTER, ReferenceCalendar

# Zones with DST at different hours, half-hour DST (Lord Howe), changes at
# midnight (Santiago, Havana), and quarter-hour offsets (Kathmandu, Chatham).
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
]
# Days around the 2026 offset changes of those zones, and a quiet week.
ANCHORS = [
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 4, 5),
    date(2026, 9, 6),
    date(2026, 9, 27),
    date(2026, 10, 4),
    date(2026, 10, 25),
    date(2026, 11, 1),
    date(2026, 6, 10),
]


def _quarter(n: int) -> time:
    return time((n // 4) % 24, (n % 4) * 15)


@st.composite
def day_intervals(draw: st.DrawFn) -> list[tuple[time, time]]:
    """0-2 daytime intervals and maybe an overnight one, on quarter hours."""
    count = draw(st.integers(0, 2))
    points = sorted(
        draw(st.lists(st.integers(0, 95), min_size=2 * count, max_size=2 * count, unique=True))
    )
    intervals = [(_quarter(points[2 * i]), _quarter(points[2 * i + 1])) for i in range(count)]
    if draw(st.integers(0, 3)) == 0:
        after = points[-1] + 1 if points else 0
        if after <= 95:
            start = draw(st.integers(after, 95))
            end = draw(st.integers(0, min(start, 40)))
            intervals.append((_quarter(start), _quarter(end)))
    return intervals


@st.composite
def calendars(draw: st.DrawFn) -> tuple[BusinessCalendar, ReferenceCalendar, date]:
    zone = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(ANCHORS))
    weekly = {day: draw(day_intervals()) for day in range(7)}
    nearby = st.integers(-3, 12).map(lambda k: anchor + timedelta(days=k))
    holiday_dates = draw(st.frozensets(nearby, max_size=3))
    special = draw(st.dictionaries(nearby, day_intervals(), max_size=2))
    try:
        cal = BusinessCalendar(
            zone, weekly_hours=weekly, holidays=holiday_dates, special_hours=special
        )
    except InvalidCalendarError:
        assume(False)
    return cal, ReferenceCalendar(zone, weekly, holiday_dates, special), anchor


def _instant(anchor: date, minutes: int) -> datetime:
    return datetime(anchor.year, anchor.month, anchor.day, tzinfo=UTC) + timedelta(minutes=minutes)


around = st.integers(-2 * 1440, 4 * 1440)


@given(calendars(), around)
def test_is_open_agrees_with_reading_the_wall_clock(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], minute: int
) -> None:
    cal, reference, anchor = setup
    at = _instant(anchor, minute)
    assert cal.is_open(at) == reference.is_open(at)


@given(calendars(), around, st.integers(0, 3 * 1440))
def test_elapsed_agrees_with_counting_minute_by_minute(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], minute: int, length: int
) -> None:
    cal, reference, anchor = setup
    start = _instant(anchor, minute)
    end = start + timedelta(minutes=length)
    assert cal.elapsed(start, end) == reference.elapsed(start, end, MINUTE)


@given(calendars(), st.integers(-2 * 96, 4 * 96), st.integers(0, 40 * 96))
def test_elapsed_over_weeks_agrees_with_counting_quarter_hours(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], quarter: int, length: int
) -> None:
    cal, reference, anchor = setup
    start = _instant(anchor, 15 * quarter)
    end = start + length * QUARTER
    assert cal.elapsed(start, end) == reference.elapsed(start, end, QUARTER)


@given(calendars(), st.integers(-2 * 96, 4 * 96), st.integers(0, 2 * 96))
def test_add_agrees_with_stepping_until_the_duration_is_counted(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], quarter: int, length: int
) -> None:
    cal, reference, anchor = setup
    start = _instant(anchor, 15 * quarter)
    duration = length * QUARTER
    expected = reference.add(start, duration, QUARTER, limit=60 * 96)
    assume(expected is not None)  # the calendar is too sparse to reach it within 60 days
    assert cal.add(start, duration) == expected


@given(calendars(), around)
def test_next_open_agrees_with_stepping_to_the_first_open_minute(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], minute: int
) -> None:
    cal, reference, anchor = setup
    assume(any(cal.weekly_hours))
    at = _instant(anchor, minute)
    expected = reference.next_open(at, MINUTE, limit=30 * 1440)
    assert cal.next_open(at) == expected


microseconds = st.integers(0, 86_400 * 10**6 * 400)


@given(calendars(), microseconds, microseconds, microseconds)
@example(
    setup=(
        BusinessCalendar.always_open("America/New_York"),
        ReferenceCalendar("UTC", {}),
        date(2026, 3, 8),
    ),
    a=0,
    b=1,
    c=2,
)
def test_elapsed_is_additive_over_any_split(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], a: int, b: int, c: int
) -> None:
    cal, _reference, anchor = setup
    origin = _instant(anchor, -7 * 1440)
    first, middle, last = (origin + timedelta(microseconds=m) for m in sorted((a, b, c)))
    assert cal.elapsed(first, last) == cal.elapsed(first, middle) + cal.elapsed(middle, last)


@given(calendars(), microseconds, st.integers(0, 1000 * 3600 * 10**6))
def test_add_returns_the_earliest_instant_with_that_much_business_time(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], offset: int, micros: int
) -> None:
    cal, _reference, anchor = setup
    assume(any(cal.weekly_hours))
    start = _instant(anchor, -7 * 1440) + timedelta(microseconds=offset)
    duration = timedelta(microseconds=micros)
    deadline = cal.add(start, duration)
    assert deadline >= start
    assert cal.elapsed(start, deadline) == duration
    if micros:
        assert cal.elapsed(start, deadline - timedelta(microseconds=1)) < duration


@given(calendars(), around, st.integers(0, 10 * 1440))
def test_open_intervals_are_open_disjoint_and_sum_to_elapsed(
    setup: tuple[BusinessCalendar, ReferenceCalendar, date], minute: int, length: int
) -> None:
    cal, _reference, anchor = setup
    start = _instant(anchor, minute)
    end = start + timedelta(minutes=length)
    spans = cal.open_intervals(start, end)
    assert sum((b - a for a, b in spans), timedelta(0)) == cal.elapsed(start, end)
    for (_a, b), (c, _d) in itertools.pairwise(spans):
        assert b < c  # touching spans are merged
    for a, b in spans:
        assert start <= a < b <= end
        assert cal.is_open(a)
        assert cal.is_open(b - timedelta(microseconds=1))
