"""BusinessCalendar on real 2026 dates: holidays, DST changes, odd offsets, overnight shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pendulum
import pytest
from holidays.countries.united_states import US, USA

from contractcore.errors import (
    ContractCoreError,
    InvalidArgumentError,
    InvalidCalendarError,
    NaiveDatetimeError,
    NoOpenTimeError,
)
from contractcore.sla.calendar import BusinessCalendar
from tests.sla.calendar_reference import ReferenceCalendar

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
NINE_TO_FIVE = [(time(9), time(17))]
WEEKDAYS_NINE_TO_FIVE = dict.fromkeys(range(5), NINE_TO_FIVE)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def new_york(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=NEW_YORK)


def test_adding_eight_hours_from_opening_ends_at_closing_time_not_next_morning() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    assert cal.add(new_york(2026, 6, 1, 9), hours(8)) == new_york(2026, 6, 1, 17)


def test_adding_nothing_returns_the_start_even_when_closed() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    sunday_night = new_york(2026, 6, 7, 23, 30)
    assert cal.add(sunday_night, timedelta(0)) == sunday_night


def test_adding_nothing_in_the_skipped_hour_returns_the_start_as_given() -> None:
    # 02:30 on the spring-forward night does not exist; Python compares two
    # datetimes of one zone by their wall fields, so only ``start`` itself is equal.
    cal = BusinessCalendar("America/New_York", weekly_hours={6: [(time(1), time(4))]})
    for fold in (0, 1):
        skipped = datetime(2026, 3, 8, 2, 30, fold=fold, tzinfo=NEW_YORK)
        assert cal.add(skipped, timedelta(0)) == skipped
        assert cal.is_open(skipped)
        assert cal.next_open(skipped) == skipped


def test_a_pendulum_duration_is_a_timedelta() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    friday = new_york(2026, 6, 5, 15)
    assert cal.add(friday, pendulum.duration(hours=4)) == new_york(2026, 6, 8, 11)
    start = pendulum.datetime(2026, 6, 5, 15, tz="America/New_York")
    assert cal.add(friday, start.add(hours=4) - start) == new_york(2026, 6, 8, 11)
    with pytest.raises(InvalidArgumentError, match="negative"):
        cal.add(friday, pendulum.duration(hours=-1))


def test_a_deadline_skips_the_weekend() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    friday = new_york(2026, 6, 5, 15)
    assert cal.add(friday, hours(4)) == new_york(2026, 6, 8, 11)
    assert cal.elapsed(friday, new_york(2026, 6, 8, 11)) == hours(4)


def test_thanksgiving_closes_the_whole_day_with_lazily_loaded_us_holidays() -> None:
    us_new_york = holidays.country_holidays("US", subdiv="NY")  # no year list
    cal = BusinessCalendar(
        "America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE, holidays=us_new_york
    )
    wednesday = new_york(2026, 11, 25, 15)
    assert not cal.is_open(new_york(2026, 11, 26, 12))
    assert cal.add(wednesday, hours(4)) == new_york(2026, 11, 27, 11)
    assert cal.next_open(new_york(2026, 11, 26, 3)) == new_york(2026, 11, 27, 9)


def test_two_hundred_forty_hours_cross_thanksgiving_christmas_and_new_year() -> None:
    us = holidays.country_holidays("US", subdiv="NY")
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE, holidays=us)
    start = new_york(2026, 11, 25, 15)
    # 2 h Wed, 8 h Fri after Thanksgiving, 3 full weeks (120 h), 4 days around
    # Christmas (32 h), 4 days around New Year (32 h), a full week (40 h): 234 h;
    # 6 h more on Monday 11 January.
    assert cal.add(start, hours(240)) == new_york(2027, 1, 11, 15)
    assert cal.elapsed(start, new_york(2027, 1, 11, 15)) == hours(240)


def test_uk_bank_holidays_close_good_friday_and_easter_monday() -> None:
    england = holidays.country_holidays("GB", subdiv="ENG")
    cal = BusinessCalendar("Europe/London", weekly_hours=WEEKDAYS_NINE_TO_FIVE, holidays=england)
    thursday = datetime(2026, 4, 2, 16, tzinfo=LONDON)
    assert cal.add(thursday, hours(4)) == datetime(2026, 4, 7, 12, tzinfo=LONDON)
    early_may = datetime(2026, 5, 4, 12, tzinfo=LONDON)
    assert not cal.is_open(early_may)


def test_a_shift_on_the_spring_forward_night_lasts_two_real_hours_and_on_fall_back_four() -> None:
    cal = BusinessCalendar("Europe/London", weekly_hours={6: [(time(1), time(4))]})
    spring = date(2026, 3, 29)
    autumn = date(2026, 10, 25)
    for day, expected in ((spring, hours(2)), (autumn, hours(4))):
        midnight = datetime(day.year, day.month, day.day, tzinfo=LONDON)
        assert cal.elapsed(midnight, midnight + timedelta(days=1)) == expected


def test_an_overnight_shift_across_new_york_dst_changes_counts_real_hours() -> None:
    night = {5: [(time(22), time(6))]}  # Saturday 22:00 to Sunday 06:00
    cal = BusinessCalendar("America/New_York", weekly_hours=night)
    march = new_york(2026, 3, 7, 12)
    november = new_york(2026, 10, 31, 12)
    assert cal.elapsed(march, march + timedelta(days=1)) == hours(7)
    assert cal.elapsed(november, november + timedelta(days=1)) == hours(9)
    # Five hours into the March night is 04:00 EDT (03:00 EST never happened).
    assert cal.add(new_york(2026, 3, 7, 22), hours(5)) == new_york(2026, 3, 8, 4)
    # Four hours into the November night is the second 01:00 (EST).
    fall_back = cal.add(new_york(2026, 10, 31, 22), hours(4))
    assert fall_back.astimezone(UTC) == datetime(2026, 11, 1, 6, tzinfo=UTC)


def test_lord_howe_half_hour_changes_lengthen_and_shorten_sunday() -> None:
    cal = BusinessCalendar("Australia/Lord_Howe", weekly_hours={6: [(time(0), time(0))]})
    zone = ZoneInfo("Australia/Lord_Howe")
    april = datetime(2026, 4, 4, 12, tzinfo=zone)
    october = datetime(2026, 10, 3, 12, tzinfo=zone)
    assert cal.elapsed(april, april + timedelta(days=2)) == hours(24.5)
    assert cal.elapsed(october, october + timedelta(days=2)) == hours(23.5)


def test_kathmandu_quarter_hour_offset_maps_opening_hours_exactly() -> None:
    sunday_to_friday = dict.fromkeys((6, 0, 1, 2, 3, 4), NINE_TO_FIVE)
    cal = BusinessCalendar("Asia/Kathmandu", weekly_hours=sunday_to_friday)
    opening = datetime(2026, 6, 1, 3, 15, tzinfo=UTC)  # 09:00 +05:45
    assert cal.is_open(opening)
    assert not cal.is_open(opening - timedelta(microseconds=1))
    assert cal.add(opening, hours(8)) == datetime(2026, 6, 1, 11, 15, tzinfo=UTC)


def test_st_johns_half_hour_offset_across_the_november_change() -> None:
    cal = BusinessCalendar("America/St_Johns", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    zone = ZoneInfo("America/St_Johns")
    friday = datetime(2026, 10, 30, 15, tzinfo=zone)  # -02:30
    monday = cal.add(friday, hours(4))
    assert monday == datetime(2026, 11, 2, 11, tzinfo=zone)  # -03:30
    assert monday.utcoffset() == -timedelta(hours=3, minutes=30)


def test_special_hours_close_early_on_christmas_eve_and_open_an_extra_saturday() -> None:
    cal = BusinessCalendar(
        "America/New_York",
        weekly_hours=WEEKDAYS_NINE_TO_FIVE,
        special_hours={
            date(2026, 12, 24): [(time(9), time(13))],
            date(2026, 12, 19): [(time(10), time(14))],
        },
    )
    assert cal.add(new_york(2026, 12, 24, 12), hours(2)) == new_york(2026, 12, 25, 10)
    assert cal.elapsed(new_york(2026, 12, 19), new_york(2026, 12, 20)) == hours(4)


def test_special_hours_win_over_a_holiday_on_the_same_date() -> None:
    cal = BusinessCalendar(
        "UTC",
        weekly_hours=WEEKDAYS_NINE_TO_FIVE,
        holidays=[date(2026, 12, 31)],
        special_hours={date(2026, 12, 31): [(time(10), time(12))]},
    )
    day = datetime(2026, 12, 31, tzinfo=UTC)
    assert cal.elapsed(day, day + timedelta(days=1)) == hours(2)


def test_a_holiday_cuts_the_overnight_shift_that_spills_into_it() -> None:
    nights = {key: [(time(22), time(6))] for key in range(5)}
    cal = BusinessCalendar("America/New_York", weekly_hours=nights, holidays=[date(2026, 7, 3)])
    thursday_night = new_york(2026, 7, 2, 22)
    assert cal.add(thursday_night, hours(2)) == new_york(2026, 7, 3, 0)
    assert cal.add(thursday_night, hours(3)) == new_york(2026, 7, 6, 23)  # Monday night shift


def test_whole_days_join_into_one_open_interval() -> None:
    cal = BusinessCalendar.always_open("Europe/London")
    start = datetime(2026, 3, 27, 12, tzinfo=LONDON)
    end = datetime(2026, 3, 31, 12, tzinfo=LONDON)
    assert cal.open_intervals(start, end) == [(start, end)]
    assert cal.elapsed(start, end) == hours(95)  # one hour lost to the spring change


def test_open_intervals_list_the_open_spans_clipped_to_the_window() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    spans = cal.open_intervals(new_york(2026, 6, 5, 12), new_york(2026, 6, 8, 10))
    assert spans == [
        (new_york(2026, 6, 5, 12), new_york(2026, 6, 5, 17)),
        (new_york(2026, 6, 8, 9), new_york(2026, 6, 8, 10)),
    ]


def test_results_come_back_in_the_time_zone_of_the_argument() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    start = datetime(2026, 6, 1, 13, tzinfo=UTC)  # 09:00 EDT
    deadline = cal.add(start, hours(1))
    assert deadline.tzinfo is UTC
    assert deadline == datetime(2026, 6, 1, 14, tzinfo=UTC)


def test_pendulum_datetimes_are_accepted() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    start = pendulum.datetime(2026, 6, 5, 15, tz="America/New_York")
    assert cal.add(start, hours(4)) == new_york(2026, 6, 8, 11)


def test_microseconds_are_kept_exactly() -> None:
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    start = new_york(2026, 6, 5, 16, 59, 59, 999_999)
    assert cal.add(start, timedelta(microseconds=2)) == new_york(2026, 6, 8, 9, 0, 0, 1)


def test_a_long_span_agrees_with_the_reference_over_months_of_holidays_and_dst() -> None:
    us = holidays.country_holidays("US", subdiv="NY", years=range(2026, 2028))
    weekly = {**WEEKDAYS_NINE_TO_FIVE, 5: [(time(22), time(2))]}
    cal = BusinessCalendar("America/New_York", weekly_hours=weekly, holidays=us)
    reference = ReferenceCalendar("America/New_York", weekly, frozenset(us))
    start = datetime(2026, 10, 20, 13, tzinfo=UTC)
    end = datetime(2027, 1, 20, 13, tzinfo=UTC)
    quarter = timedelta(minutes=15)
    assert cal.elapsed(start, end) == reference.elapsed(start, end, quarter)


# -- invalid input ------------------------------------------------------------


def test_naive_datetimes_are_refused_naming_the_argument() -> None:
    cal = BusinessCalendar.always_open()
    with pytest.raises(NaiveDatetimeError, match="start must be timezone-aware"):
        cal.add(datetime(2026, 1, 1), hours(1))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="at must be timezone-aware"):
        cal.is_open(datetime(2026, 1, 1))  # noqa: DTZ001


def test_negative_durations_and_reversed_spans_are_refused() -> None:
    cal = BusinessCalendar.always_open()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidArgumentError, match="duration must not be negative"):
        cal.add(now, -hours(1))
    with pytest.raises(InvalidArgumentError, match="end must not be before start"):
        cal.elapsed(now, now - hours(1))


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        ({0: [(time(9), time(12)), (time(11), time(13))]}, "overlaps the one before"),
        ({0: [(time(22), time(3))], 1: [(time(2), time(5))]}, "overlaps the overnight interval"),
        ({0: [("09:00", "17:00")]}, "naive datetime.time"),
        ({7: [(time(9), time(17))]}, "weekday must be 0-6"),
    ],
)
def test_bad_weekly_hours_are_refused_with_a_clear_message(
    weekly: dict[int, list[tuple[object, object]]], message: str
) -> None:
    with pytest.raises(InvalidCalendarError, match=message) as caught:
        BusinessCalendar("UTC", weekly_hours=weekly)
    assert isinstance(caught.value, ContractCoreError)
    assert isinstance(caught.value, ValueError)


def test_special_hours_may_not_overlap_the_night_shift_before() -> None:
    with pytest.raises(InvalidCalendarError, match=r"special_hours\[2026-06-02\]"):
        BusinessCalendar(
            "UTC",
            weekly_hours={0: [(time(22), time(4))]},
            special_hours={date(2026, 6, 2): [(time(3), time(5))]},
        )


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidCalendarError, match="'Mars/Olympus' is not a known IANA"):
        BusinessCalendar("Mars/Olympus", weekly_hours=WEEKDAYS_NINE_TO_FIVE)


def test_adding_to_a_calendar_that_never_opens_raises_instead_of_looping() -> None:
    cal = BusinessCalendar("UTC", weekly_hours={})
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(NoOpenTimeError):
        cal.add(now, hours(1))
    with pytest.raises(NoOpenTimeError):
        cal.next_open(now)
    assert cal.elapsed(now, now + timedelta(days=400)) == timedelta(0)


def test_a_calendar_open_only_on_special_days_runs_out_after_the_last_one() -> None:
    cal = BusinessCalendar(
        "UTC", weekly_hours={}, special_hours={date(2026, 1, 10): [(time(9), time(10))]}
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert cal.add(now, hours(1)) == datetime(2026, 1, 10, 10, tzinfo=UTC)
    with pytest.raises(NoOpenTimeError):
        cal.add(now, hours(2))


# -- plain data ------------------------------------------------------------------


def test_a_calendar_round_trips_through_a_plain_dict() -> None:
    cal = BusinessCalendar(
        "Europe/London",
        weekly_hours={0: [(time(8), time(12)), (time(13), time(18))], 4: [(time(22), time(0))]},
        holidays=[date(2026, 12, 25), date(2026, 12, 28)],
        special_hours={date(2026, 12, 24): [(time(8), time(12))], date(2026, 12, 31): []},
    )
    data = cal.to_dict()
    assert data["weekly_hours"]["friday"] == [["22:00", "24:00"]]
    assert data["holidays"] == ["2026-12-25", "2026-12-28"]
    assert BusinessCalendar.from_dict(data) == cal


def test_sub_second_hours_round_trip_through_a_plain_dict() -> None:
    cal = BusinessCalendar(
        "UTC",
        weekly_hours={0: [(time(9, 0, 0, 500_000), time(17, 0, 30))]},
        special_hours={date(2026, 12, 24): [(time(8), time(12, 0, 0, 250))]},
    )
    data = cal.to_dict()
    assert data["weekly_hours"]["monday"] == [["09:00:00.500000", "17:00:30"]]
    assert BusinessCalendar.from_dict(data) == cal


def test_a_country_holiday_calendar_round_trips_by_its_region() -> None:
    cal = BusinessCalendar.from_dict(
        {
            "timezone": "America/New_York",
            "weekly_hours": {"mon": [["09:00", "17:00"]]},
            "holidays": {"country": "US", "subdiv": "NY"},
        }
    )
    assert cal.to_dict()["holidays"] == {"country": "US", "subdiv": "NY"}
    assert not cal.is_open(new_york(2026, 1, 19, 10))  # Martin Luther King Jr. Day


def test_holidays_without_observed_days_keep_that_through_a_plain_dict() -> None:
    # 4 July 2027 is a Sunday: by default the US observes it on Monday 5 July.
    weekdays = {"mon": [["09:00", "17:00"]]}
    observed = BusinessCalendar.from_dict(
        {"timezone": "America/New_York", "weekly_hours": weekdays, "holidays": {"country": "US"}}
    )
    strict = BusinessCalendar(
        "America/New_York",
        weekly_hours=observed.weekly_hours,
        holidays=holidays.country_holidays("US", observed=False),
    )
    monday = new_york(2027, 7, 5, 10)

    again = BusinessCalendar.from_dict(strict.to_dict())

    assert strict.to_dict()["holidays"] == {"country": "US", "subdiv": None, "observed": False}
    assert (observed.is_open(monday), strict.is_open(monday), again.is_open(monday)) == (
        False,
        True,
        True,
    )
    assert again == strict
    assert strict != observed


def test_a_market_holiday_calendar_can_be_built() -> None:
    """Found in review: the equality key read ``country``, which a market's holidays lack."""
    cal = BusinessCalendar.from_dict(
        {
            "timezone": "America/New_York",
            "weekly_hours": {"fri": [["09:30", "16:00"]]},
            "holidays": {"market": "NYSE"},
        }
    )

    assert not cal.is_open(new_york(2026, 4, 3, 10))  # Good Friday: the exchange is closed
    assert cal.is_open(new_york(2026, 4, 10, 10))
    assert BusinessCalendar.from_dict(cal.to_dict()).is_open(new_york(2026, 4, 3, 10)) is False


def _made(cls: type[holidays.HolidayBase]) -> holidays.HolidayBase:
    """An instance of a holidays class (their own constructors carry no annotations)."""
    return cls()


def test_holiday_class_aliases_compare_as_the_class_they_name() -> None:
    """NYSE and XNYS, US and USA are the same holidays under two names."""
    hours = {"timezone": "America/New_York", "weekly_hours": {"fri": [["09:30", "16:00"]]}}
    nyse = BusinessCalendar.from_dict({**hours, "holidays": {"market": "NYSE"}})
    week = {4: [(time(9, 30), time(16))]}
    usa = BusinessCalendar("America/New_York", week, holidays=_made(USA))

    assert BusinessCalendar.from_dict(nyse.to_dict()) == nyse  # to_dict writes XNYS
    assert usa == BusinessCalendar("America/New_York", week, holidays=_made(US))
    assert BusinessCalendar.from_dict(usa.to_dict()) == usa
    assert nyse != BusinessCalendar.from_dict({**hours, "holidays": {"market": "XNAS"}})


def test_a_holidays_subclass_with_dates_of_its_own_is_not_its_base() -> None:
    class CompanyUS(US):
        def _populate(self, year: int) -> None:
            super()._populate(year)
            self[date(year, 12, 24)] = "Company day"

    week = {0: [(time(9), time(17))]}
    company = BusinessCalendar("UTC", week, holidays=_made(CompanyUS))

    assert company != BusinessCalendar("UTC", week, holidays=_made(US))
    assert not company.is_open(datetime(2029, 12, 24, 10, tzinfo=UTC))  # a Monday


def test_holiday_categories_are_kept_through_a_plain_dict() -> None:
    data = {
        "timezone": "America/New_York",
        "weekly_hours": {"mon": [["09:00", "17:00"]]},
        "holidays": {"country": "US", "subdiv": "NY", "categories": ["government", "public"]},
    }

    cal = BusinessCalendar.from_dict(data)

    assert cal.to_dict()["holidays"] == data["holidays"]
    assert cal != BusinessCalendar.from_dict(
        {**data, "holidays": {"country": "US", "subdiv": "NY"}}
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"timezone": "UTC", "weekly_hours": {"monday": [["9am", "5pm"]]}},
            "must be a time such as",
        ),
        ({"timezone": "UTC", "weekly_hours": {"funday": []}}, "weekday must be"),
        ({"timezone": "UTC", "holidays": ["2026-13-01"]}, "must be a date"),
        ({"timezone": "UTC", "holidays": {"country": "Atlantis"}}, "holidays"),
        (
            {"timezone": "UTC", "holidays": {"country": "US", "observed": "no"}},
            "holidays.observed must be true or false, got 'no'",
        ),
        (
            {"timezone": "UTC", "holidays": {"country": "US", "categories": "public"}},
            "holidays.categories must be a list of names, got 'public'",
        ),
        (
            {"timezone": "UTC", "holidays": {"country": "US", "categories": ["fun"]}},
            "Category is not supported: fun",
        ),
        ({"timezone": "UTC", "colour": "red"}, "unknown fields: colour"),
        ({"timezone": 5}, "timezone must be an IANA"),
    ],
)
def test_bad_plain_data_is_refused_naming_the_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidCalendarError, match=message):
        BusinessCalendar.from_dict(data)


def test_cost_does_not_grow_with_the_span_beyond_its_irregular_dates() -> None:
    # Twenty years of UTC office hours: no holidays, no DST, so nothing but
    # the dates around the two ends (two 8-day blocks and their margins)
    # should ever be looked at one by one.
    cal = BusinessCalendar("UTC", weekly_hours=WEEKDAYS_NINE_TO_FIVE)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    twenty_years = cal.add(start, hours(8 * 5 * 52 * 20))
    assert cal.elapsed(start, twenty_years) == hours(8 * 5 * 52 * 20)
    engine = cal._engine
    assert len(engine.span_cache) <= 2 * (8 + 6)
    # With New York's DST and US holidays, the dates looked at are the irregular ones.
    us = holidays.country_holidays("US")
    cal = BusinessCalendar("America/New_York", weekly_hours=WEEKDAYS_NINE_TO_FIVE, holidays=us)
    start = new_york(2026, 1, 5, 9)
    cal.add(start, hours(8 * 5 * 52 * 20))
    engine = cal._engine
    per_year = (11 * 2 + 2 * 4) + 2  # holidays and their eves, days around DST changes, slack
    assert len(engine.span_cache) <= 21 * per_year + 2 * (8 + 6)


def test_a_night_shift_that_would_start_on_a_holiday_does_not_run() -> None:
    nights = dict.fromkeys(range(7), ((time(22), time(6)),))
    cal = BusinessCalendar("UTC", weekly_hours=nights, holidays=[date(2026, 12, 25)])
    boxing_day_morning = datetime(2026, 12, 26, 3, tzinfo=UTC)
    assert not cal.is_open(boxing_day_morning)
    assert cal.next_open(boxing_day_morning) == datetime(2026, 12, 26, 22, tzinfo=UTC)
