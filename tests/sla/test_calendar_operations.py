"""subtract, previous_close, business days and union/intersection against brute force.

The laws are DESIGN 2.1's (2026-12-02): ``subtract(end, d)`` is the latest
``t <= end`` with ``elapsed(t, end) == d``; ``previous_close(at)`` is ``at``
when open, else the latest instant before it at which open time ended; a
date is a business day when some open time starts on it; a union or an
intersection is open when any or every member is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from contractcore.sla.calendar import BusinessCalendar
from contractcore.sla.composed import ComposedCalendar, intersection, union
from tests.sla.calendar_reference import QUARTER, ReferenceCalendar, ReferenceComposed
from tests.sla.test_calendar_properties import ZONES, calendars

Setup = tuple[BusinessCalendar, ReferenceCalendar, date]
MICROSECOND = timedelta(microseconds=1)


def _earliest_with_the_position_of(
    cal: BusinessCalendar | ComposedCalendar, t: datetime
) -> datetime:
    """``t``, or the close of the open time before it when the instant before ``t`` is closed."""
    before = cal.previous_close(t - MICROSECOND)
    return t if before == t - MICROSECOND else before


def _instant(anchor: date, minutes: int) -> datetime:
    return datetime(anchor.year, anchor.month, anchor.day, tzinfo=UTC) + timedelta(minutes=minutes)


quarters = st.integers(-2 * 96, 4 * 96)
lengths = st.integers(0, 2 * 96)


@given(calendars(), quarters, lengths)
def test_subtract_agrees_with_stepping_back_until_the_duration_is_counted(
    setup: Setup, quarter: int, length: int
) -> None:
    cal, reference, anchor = setup
    end = _instant(anchor, 15 * quarter)
    duration = length * QUARTER
    expected = reference.subtract(end, duration, QUARTER, limit=60 * 96)
    assume(expected is not None)
    assert cal.subtract(end, duration) == expected


@given(calendars(), quarters, st.integers(0, 400 * 96))
def test_subtract_is_the_mirror_of_add(setup: Setup, quarter: int, length: int) -> None:
    cal, _reference, anchor = setup
    assume(any(cal.weekly_hours))
    end = _instant(anchor, 15 * quarter)
    duration = length * QUARTER
    start = cal.subtract(end, duration)
    assert start <= end
    assert cal.elapsed(start, end) == duration
    # The latest such instant: a microsecond later there is less business time.
    if duration:
        assert cal.elapsed(start + timedelta(microseconds=1), end) < duration
    # add is the earliest instant with a position, subtract the latest: so
    # add(subtract(t, d), d) is the earliest instant with t's position (t, or
    # the close before t when the instant before t is closed), and
    # subtract(add(s, d), d) is the latest with s's (the opening at or after s).
    if duration:
        assert cal.add(start, duration) == _earliest_with_the_position_of(cal, end)
        assert cal.subtract(cal.add(end, duration), duration) == cal.next_open(end)


@given(calendars(), st.integers(-2 * 1440, 4 * 1440))
def test_previous_close_agrees_with_stepping_back_to_the_last_open_minute(
    setup: Setup, minute: int
) -> None:
    cal, reference, anchor = setup
    assume(any(cal.weekly_hours))
    at = _instant(anchor, minute)
    assert cal.previous_close(at) == reference.previous_close(at, limit=30 * 1440)


days_around = st.integers(-4, 16)


@given(calendars(), days_around)
def test_is_business_day_agrees_with_looking_for_a_shift_that_starts_on_the_date(
    setup: Setup, offset: int
) -> None:
    cal, reference, anchor = setup
    day = anchor + timedelta(days=offset)
    assert cal.is_business_day(day) == reference.is_business_day(day, QUARTER)


@given(calendars(), days_around, st.integers(0, 12))
def test_business_days_between_agrees_with_walking_the_days(
    setup: Setup, offset: int, length: int
) -> None:
    cal, reference, anchor = setup
    first = anchor + timedelta(days=offset)
    last = first + timedelta(days=length)
    expected = sum(
        reference.is_business_day(first + timedelta(days=k), QUARTER) for k in range(length + 1)
    )
    assert cal.business_days_between(first, last) == expected


@given(calendars(), days_around, st.integers(-2000, 2000))
def test_add_business_days_lands_on_the_nth_business_day(
    setup: Setup, offset: int, days: int
) -> None:
    cal, _reference, anchor = setup
    assume(any(cal.weekly_hours))
    day = anchor + timedelta(days=offset)
    found = cal.add_business_days(day, days)
    if days > 0:
        assert found > day
        assert cal.is_business_day(found)
        assert cal.business_days_between(day + timedelta(days=1), found) == days
    elif days < 0:
        assert found < day
        assert cal.is_business_day(found)
        assert cal.business_days_between(found, day - timedelta(days=1)) == -days
    else:
        assert found == day


@st.composite
def composed(draw: st.DrawFn) -> tuple[ComposedCalendar, ReferenceComposed, date]:
    first = draw(calendars())
    second = draw(calendars())
    operation: Literal["union", "intersection"] = draw(st.sampled_from(["union", "intersection"]))
    zone = draw(st.sampled_from(ZONES))
    cal = ComposedCalendar(operation, [first[0], second[0]], zone)
    reference = ReferenceComposed(operation, (first[1], second[1]), zone)
    return cal, reference, first[2]


@given(composed(), st.integers(-2 * 96, 4 * 96))
def test_a_composed_calendar_is_open_when_any_or_every_member_is(
    setup: tuple[ComposedCalendar, ReferenceComposed, date], quarter: int
) -> None:
    cal, reference, anchor = setup
    at = _instant(anchor, 15 * quarter)
    assert cal.is_open(at) == reference.is_open(at)


@given(composed(), quarters, st.integers(0, 3 * 96))
def test_elapsed_over_a_composed_calendar_agrees_with_counting_quarter_hours(
    setup: tuple[ComposedCalendar, ReferenceComposed, date], quarter: int, length: int
) -> None:
    cal, reference, anchor = setup
    start = _instant(anchor, 15 * quarter)
    end = start + length * QUARTER
    assert cal.elapsed(start, end) == reference.elapsed(start, end, QUARTER)


@given(composed(), quarters, st.integers(1, 96))
def test_add_subtract_and_previous_close_over_a_composed_calendar_agree_with_stepping(
    setup: tuple[ComposedCalendar, ReferenceComposed, date], quarter: int, length: int
) -> None:
    cal, reference, anchor = setup
    at = _instant(anchor, 15 * quarter)
    duration = length * QUARTER
    earlier = reference.subtract(at, duration, QUARTER, limit=30 * 96)
    assume(earlier is not None)
    assert cal.subtract(at, duration) == earlier
    assert cal.elapsed(earlier, at) == duration
    assert cal.previous_close(at) == reference.previous_close(at, QUARTER)
    deadline = cal.add(earlier, duration)
    assert cal.elapsed(earlier, deadline) == duration
    assert deadline == _earliest_with_the_position_of(cal, at)


@given(composed(), days_around, st.integers(0, 6))
def test_business_days_of_a_composed_calendar_agree_with_walking_the_days(
    setup: tuple[ComposedCalendar, ReferenceComposed, date], offset: int, length: int
) -> None:
    cal, reference, anchor = setup
    first = anchor + timedelta(days=offset)
    last = first + timedelta(days=length)
    expected = [
        reference.is_business_day(first + timedelta(days=k), QUARTER) for k in range(length + 1)
    ]
    assert [cal.is_business_day(first + timedelta(days=k)) for k in range(length + 1)] == expected
    assert cal.business_days_between(first, last) == sum(expected)


@given(composed(), st.integers(-40 * 96, 40 * 96), st.integers(0, 400 * 96))
def test_long_spans_of_a_composed_calendar_are_additive_and_add_inverts_elapsed(
    setup: tuple[ComposedCalendar, ReferenceComposed, date], quarter: int, length: int
) -> None:
    cal, _reference, anchor = setup
    start = _instant(anchor, 15 * quarter)
    end = start + length * QUARTER
    middle = start + (length // 3) * QUARTER
    total = cal.elapsed(start, end)
    assert total == cal.elapsed(start, middle) + cal.elapsed(middle, end)
    if total:
        assert cal.add(start, total) == _earliest_with_the_position_of(cal, end)
        assert cal.subtract(end, total) == cal.next_open(start)


# -- worked examples, checked by hand ---------------------------------------------

NEW_YORK = "America/New_York"
WEEKDAYS = {key: [(time(9), time(17))] for key in range(5)}


def _ny(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(NEW_YORK))


def test_four_business_hours_before_monday_ten_is_friday_two_pm() -> None:
    cal = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    assert cal.subtract(_ny(2026, 11, 23, 10), timedelta(hours=4)) == _ny(2026, 11, 20, 14)


def test_subtract_from_friday_evening_starts_counting_at_five_pm() -> None:
    cal = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    assert cal.subtract(_ny(2026, 11, 20, 21), timedelta(hours=8)) == _ny(2026, 11, 20, 9)
    assert cal.subtract(_ny(2026, 11, 22, 12), timedelta(hours=9)) == _ny(2026, 11, 19, 16)


def test_subtract_across_the_spring_forward_weekend_counts_real_hours() -> None:
    # 2026-03-08 clocks spring forward; Friday 6 March is EST, Monday 9 March EDT.
    cal = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    monday = _ny(2026, 3, 9, 11)
    assert cal.subtract(monday, timedelta(hours=3)) == _ny(2026, 3, 6, 16)
    assert cal.elapsed(_ny(2026, 3, 6, 16), monday) == timedelta(hours=3)


def test_an_opening_is_its_own_latest_start_and_a_closing_its_own_previous_close() -> None:
    cal = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    assert cal.subtract(_ny(2026, 11, 23, 17), timedelta(hours=8)) == _ny(2026, 11, 23, 9)
    assert cal.previous_close(_ny(2026, 11, 23, 17)) == _ny(2026, 11, 23, 17)
    assert cal.previous_close(_ny(2026, 11, 23, 8)) == _ny(2026, 11, 20, 17)
    assert cal.previous_close(_ny(2026, 11, 23, 12)) == _ny(2026, 11, 23, 12)


def test_a_holiday_takes_its_night_shift_going_back_too() -> None:
    nights = {key: [(time(22), time(6))] for key in range(7)}
    cal = BusinessCalendar("UTC", weekly_hours=nights, holidays=[date(2026, 12, 25)])
    # The 24th's shift stops at midnight; the 25th's never runs; the 26th's does.
    boxing_day = datetime(2026, 12, 26, 23, tzinfo=UTC)
    assert cal.subtract(boxing_day, timedelta(hours=3)) == datetime(2026, 12, 24, 22, tzinfo=UTC)
    assert cal.previous_close(datetime(2026, 12, 26, 12, tzinfo=UTC)) == datetime(
        2026, 12, 25, 0, tzinfo=UTC
    )
    assert not cal.is_business_day(date(2026, 12, 25))
    assert cal.is_business_day(date(2026, 12, 24))
    assert cal.add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 26)


def test_business_days_skip_weekends_and_holidays_both_ways() -> None:
    cal = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS, holidays=[date(2026, 11, 26)])
    assert cal.add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert cal.add_business_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert cal.add_business_days(date(2026, 11, 30), -2) == date(2026, 11, 25)
    assert cal.add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
    assert cal.business_days_between(date(2026, 11, 1), date(2026, 11, 30)) == 20
    # 2026 has 261 weekdays; without 1 January itself and Thanksgiving, 259
    # are left to 31 December, so Friday 1 January 2027 is the 260th.
    assert cal.add_business_days(date(2026, 1, 1), 260) == date(2027, 1, 1)
    assert cal.add_business_days(date(2026, 1, 1), 261) == date(2027, 1, 4)
    assert cal.add_business_days(date(2027, 1, 4), -261) == date(2026, 1, 1)


def test_follow_the_sun_union_of_london_and_new_york() -> None:
    london = BusinessCalendar("Europe/London", weekly_hours=WEEKDAYS)
    new_york = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    either, both = union(london, new_york), intersection(london, new_york)
    utc_monday = datetime(2026, 11, 23, tzinfo=UTC)
    # London 09-17 UTC, New York 14-22 UTC in November.
    assert either.elapsed(utc_monday, utc_monday + timedelta(days=1)) == timedelta(hours=13)
    assert both.elapsed(utc_monday, utc_monday + timedelta(days=1)) == timedelta(hours=3)
    # In late March the US has sprung forward and the UK not yet: New York 13-21 UTC.
    utc_march = datetime(2026, 3, 23, tzinfo=UTC)
    assert both.elapsed(utc_march, utc_march + timedelta(days=1)) == timedelta(hours=4)
    assert either.add(datetime(2026, 11, 20, 21, tzinfo=UTC), timedelta(hours=2)) == datetime(
        2026, 11, 23, 10, tzinfo=UTC
    )
    assert both.subtract(datetime(2026, 11, 23, 15, tzinfo=UTC), timedelta(hours=2)) == datetime(
        2026, 11, 20, 16, tzinfo=UTC
    )


def test_an_intersection_that_never_opens_refuses_to_add() -> None:
    from contractcore.errors import NoOpenTimeError  # noqa: PLC0415

    mornings = BusinessCalendar("UTC", weekly_hours={0: [(time(8), time(10))]})
    evenings = BusinessCalendar("UTC", weekly_hours={0: [(time(18), time(20))]})
    never = intersection(mornings, evenings)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    try:
        never.add(start, timedelta(minutes=1))
    except NoOpenTimeError:
        pass
    else:  # pragma: no cover
        raise AssertionError
    try:
        never.subtract(start, timedelta(minutes=1))
    except NoOpenTimeError:
        pass
    else:  # pragma: no cover
        raise AssertionError


def test_an_sla_policy_runs_its_clocks_on_a_union_calendar_everywhere() -> None:
    from contractcore.sla import (  # noqa: PLC0415 - local to this test
        SlaPolicy,
        TicketCreated,
        evaluate,
        evaluate_many,
        explain,
    )

    london = BusinessCalendar("Europe/London", weekly_hours=WEEKDAYS)
    new_york = BusinessCalendar(NEW_YORK, weekly_hours=WEEKDAYS)
    policy = SlaPolicy(
        name="Follow the sun", resolve_within=timedelta(hours=4), calendar=union(london, new_york)
    )
    friday_evening = datetime(2026, 11, 20, 20, tzinfo=UTC)  # New York open until 22:00 UTC
    events = [TicketCreated(friday_evening, status="Open")]
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    status = evaluate(policy, events, now=now)
    assert status.resolution is not None
    assert status.resolution.due_at == datetime(2026, 11, 23, 11, tzinfo=UTC)
    # Past its first 32 tickets evaluate_many answers from an index of the calendar.
    tickets = [(number, policy, events) for number in range(40)]
    assert all(found == status for _number, found in evaluate_many(tickets, now=now))
    assert explain(policy, events, now=now).status == status
    assert SlaPolicy.from_dict(policy.to_dict()) == policy
