from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Period, Service, add_months
from contractcore.pricing._period import billing_periods
from tests.pricing.strategies import dates


def test_a_period_includes_both_ends() -> None:
    feb = Period(date(2026, 2, 1), date(2026, 2, 28))
    assert feb.days == 28
    assert date(2026, 2, 1) in feb
    assert date(2026, 3, 1) not in feb


def test_asking_whether_a_datetime_is_in_a_period_is_refused_by_name() -> None:
    # A datetime is a date subclass, so it passed the "is it a day" guard and
    # then failed comparing with the period's dates as a bare TypeError.
    november = Period(date(2026, 11, 1), date(2026, 11, 30))
    repeated = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=ZoneInfo("America/New_York"))
    for instant in (repeated, datetime(2026, 11, 15, tzinfo=UTC)):
        with pytest.raises(InvalidArgumentError, match=r"must be a datetime\.date, got datetime"):
            _ = instant in november
    assert "2026-11-15" not in november


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidArgumentError, match="last day"):
        Period(date(2026, 2, 2), date(2026, 2, 1))


def test_month_ends_do_not_drift() -> None:
    jan31 = date(2026, 1, 31)
    assert [add_months(jan31, n) for n in range(1, 4)] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@given(dates(), st.integers(-60, 60))
def test_add_months_agrees_with_relativedelta(anchor: date, months: int) -> None:
    assert add_months(anchor, months) == anchor + relativedelta(months=months)


@given(dates(), st.sampled_from([1, 3, 12]), dates(), st.integers(0, 800))
def test_billing_periods_tile_the_days_they_cover(
    anchor: date, months: int, start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    found = list(billing_periods(anchor, months, start, end))
    expected = []
    k = 0
    while anchor + relativedelta(months=k * months) <= end:
        first = anchor + relativedelta(months=k * months)
        last = anchor + relativedelta(months=(k + 1) * months) - timedelta(days=1)
        if last >= start:
            expected.append(Period(first, last))
        k += 1
    assert found == expected


def test_a_service_needs_an_end_on_or_after_its_start() -> None:
    with pytest.raises(InvalidArgumentError, match="end_date"):
        Service(
            id="s",
            product_id="p",
            unit_price=Money(1, "USD"),
            start_date=date(2026, 2, 1),
            end_date=date(2026, 1, 31),
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", -1),
        ("quantity", 1.5),
        ("billing_period_months", 0),
        ("unit_price", Money(-1, "USD")),
    ],
)
def test_a_service_refuses_bad_values_naming_the_field(field: str, value: object) -> None:
    fields: dict[str, object] = {
        "id": "s",
        "product_id": "p",
        "unit_price": Money(1, "USD"),
        "start_date": date(2026, 1, 1),
    }
    fields[field] = value
    with pytest.raises(InvalidArgumentError, match=field):
        Service(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["1", 1.5, True, None, Decimal(1)])
def test_a_months_period_refuses_a_count_that_is_not_an_int_naming_it(bad: object) -> None:
    # "1" used to raise a bare TypeError from comparing a str with an int.
    with pytest.raises(
        InvalidArgumentError, match=r"months must be an int, got " + re.escape(repr(bad))
    ):
        Period.months(date(2026, 1, 1), bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2026-01-01", datetime(2026, 1, 1, tzinfo=UTC), None])
def test_a_months_period_refuses_a_first_day_that_is_not_a_date_naming_it(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match=r"first must be a datetime\.date, got "):
        Period.months(bad, 1)  # type: ignore[arg-type]


def test_a_months_period_past_the_last_supported_date_is_refused_naming_months() -> None:
    with pytest.raises(InvalidArgumentError, match=r"months=1000000 from 2026-01-01"):
        Period.months(date(2026, 1, 1), 10**6)
