"""DESIGN 5.2: the billing periods due for a service on a day, by its contract's billing terms."""

from __future__ import annotations

import calendar
import itertools
from collections import Counter
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from contractcore import due_periods as top_level_due_periods
from contractcore.contracts import Contract
from contractcore.errors import InvalidArgumentError
from contractcore.pricing import BillingDay, BillingTerms, Period, Service
from contractcore.schedules import DuePeriod, due_periods
from tests.pricing.strategies import billing_terms, dates, make_contract, make_service
from tests.schedules.period_reference import ReferencePeriod, reference_life, reference_periods

ONE_DAY = timedelta(days=1)
D = date


def P(first: str, last: str) -> Period:  # noqa: N802 - reads like a constructor in tables
    return Period(date.fromisoformat(first), date.fromisoformat(last))


def _contract(
    service: Service, billing: BillingTerms, *, start: date | None = None, **extra: Any
) -> Contract:
    return make_contract(
        start_date=service.start_date if start is None else start,
        term_months=extra.pop("term_months", None),
        services=[service],
        billing=billing,
        **extra,
    )


def _firsts(due: tuple[DuePeriod, ...]) -> list[str]:
    return [d.period.first.isoformat() for d in due]


# Strategies ------------------------------------------------------------------

_STARTS = dates(date(2025, 1, 1), date(2027, 12, 31))
_MONTHS = st.sampled_from([1, 1, 3, 12])
_LENGTHS = st.none() | st.integers(0, 800)
_NEAR = st.integers(-60, 60)
_TERMS = st.none() | st.integers(1, 36)
_STATUSES = st.sampled_from(["active", "active", "completed", "canceled", "pending"])
_CANCEL = st.integers(-1, 1000)


@st.composite
def billed_services(draw: st.DrawFn) -> tuple[Contract, Service]:
    """A contract with billing terms of any mode, alignment and length, and its service."""
    months = draw(_MONTHS)
    terms = draw(billing_terms(months))
    start = draw(_STARTS)
    length = draw(_LENGTHS)
    service = make_service(
        start_date=start,
        billing_period_months=months,
        end_date=None if length is None else start + timedelta(days=length),
    )
    contract_start = start + timedelta(days=draw(_NEAR))
    status = draw(_STATUSES)
    term = draw(_TERMS)
    contract = _contract(service, terms, start=contract_start, term_months=term, status="active")
    if status == "canceled":
        last = contract.end_date or contract_start + timedelta(days=1000)
        day = min(last, contract_start + timedelta(days=draw(_CANCEL)))
        contract = attrs.evolve(contract, status="canceled", cancellation_date=day)
    elif status != "active":
        contract = attrs.evolve(contract, status=status)
    return contract, service


def _as_tuples(due: tuple[DuePeriod, ...]) -> list[ReferencePeriod]:
    return [(d.period, d.full, d.due_on) for d in due]


# Properties against the day-by-day reference ----------------------------------


@given(billed_services(), st.integers(-30, 1100))
def test_the_periods_due_by_a_day_are_the_reference_periods_due_by_then(
    case: tuple[Contract, Service], offset: int
) -> None:
    contract, service = case
    through = service.start_date + timedelta(days=offset)
    expected = [ref for ref in reference_periods(contract, service) if ref[2] <= through]
    assert _as_tuples(due_periods(contract, service, through)) == expected


@given(billed_services(), st.lists(st.integers(-30, 1100), max_size=6))
def test_every_day_of_a_services_life_is_billed_exactly_once_across_any_sequence_of_runs(
    case: tuple[Contract, Service], offsets: list[int]
) -> None:
    contract, service = case
    life = reference_life(contract, service)
    closed = life is not None and (
        service.end_date is not None or contract.last_covered_day is not None
    )
    final = life.last + timedelta(days=400) if life is not None and closed else None
    start = service.start_date
    days = sorted(start + timedelta(days=offset) for offset in offsets)
    runs = [*days, final or start + timedelta(days=1100)]
    billed: Counter[date] = Counter()
    for through in runs:
        due = due_periods(contract, service, through)
        for period in due:
            assert period.due_on <= through
            assert period.full.first <= period.period.first <= period.period.last
            assert period.period.last <= period.full.last
            day = period.period.first
            while day <= period.period.last:
                billed[day] += 1
                day += ONE_DAY
        if due:
            service = attrs.evolve(service, billed_through=due[-1].period.last)
            contract = attrs.evolve(contract, services=(service,))
        assert due_periods(contract, service, through) == ()  # nothing twice
    assert set(billed.values()) <= {1}
    if life is None:
        assert not billed
        return
    if closed:
        assert sorted(billed) == [life.first + timedelta(days=n) for n in range(life.days)]
    elif billed:  # open-ended: from the first day on, with no gap
        assert sorted(billed) == [life.first + timedelta(days=n) for n in range(len(billed))]


@given(billed_services())
def test_the_periods_tile_the_service_life_with_no_gap_and_no_overlap(
    case: tuple[Contract, Service],
) -> None:
    contract, service = case
    life = reference_life(contract, service)
    through = service.start_date + timedelta(days=1100)
    due = due_periods(contract, service, through)
    if life is None:
        assert due == ()
        return
    for before, after in itertools.pairwise(due):
        assert after.period.first == before.period.last + ONE_DAY
        assert after.full.first == before.full.last + ONE_DAY
        assert after.due_on > before.due_on
    if due:
        assert due[0].period.first == life.first
    # Only the first and the last period may be stubs.
    assert not any(d.is_stub for d in due[1:-1])


@given(billed_services())
def test_calendar_periods_are_calendar_months_quarters_years_or_iso_weeks(
    case: tuple[Contract, Service],
) -> None:
    contract, service = case
    terms = attrs.evolve(contract.billing, alignment="calendar")
    contract = attrs.evolve(contract, billing=terms)
    for due in due_periods(contract, service, service.start_date + timedelta(days=1100)):
        full = due.full
        if terms.billing_period_days is not None:
            assert full.first.isoweekday() == 1
            assert full.days == 7
        else:
            months = terms.months_for(service)
            assert full.first.day == 1
            assert (full.first.month - 1) % months == 0
            assert full.last == full.first + relativedelta(months=months) - ONE_DAY


@given(billed_services(), st.integers(1, 31))
def test_billing_day_periods_start_on_the_day_clamped_to_the_month_and_never_drift(
    case: tuple[Contract, Service], day: int
) -> None:
    contract, service = case
    terms = attrs.evolve(contract.billing, alignment=BillingDay(day), billing_period_days=None)
    contract = attrs.evolve(contract, billing=terms)
    months = terms.months_for(service)
    due = due_periods(contract, service, service.start_date + timedelta(days=1100))
    for period in due:
        first = period.full.first
        assert first.day == min(day, calendar.monthrange(first.year, first.month)[1])
    for before, after in itertools.pairwise(due):
        gap = (after.full.first.year - before.full.first.year) * 12
        assert gap + after.full.first.month - before.full.first.month == months


# Worked examples (hand-checked dates) ----------------------------------------


def test_a_billing_day_of_31_from_a_start_on_april_30_bills_from_each_month_end() -> None:
    # Kill Bill #127 style: a billing day of 31 means the month's last day, every
    # month, computed from the day itself rather than from the previous period.
    service = make_service(start_date=D(2026, 4, 30))
    contract = _contract(service, BillingTerms(alignment=BillingDay(31)))
    due = due_periods(contract, service, D(2026, 9, 29))  # 08-31..09-29 is due on 09-30
    assert [d.period for d in due] == [
        P("2026-04-30", "2026-05-30"),
        P("2026-05-31", "2026-06-29"),
        P("2026-06-30", "2026-07-30"),
        P("2026-07-31", "2026-08-30"),
    ]
    assert [d.due_on for d in due] == [
        D(2026, 5, 31),
        D(2026, 6, 30),
        D(2026, 7, 31),
        D(2026, 8, 31),
    ]
    assert not any(d.is_stub for d in due)


def test_a_billing_day_of_31_across_february_comes_back_to_the_31st() -> None:
    # Kill Bill #2133 style: February must not pull the later billing days to the 28th/29th.
    service = make_service(start_date=D(2028, 1, 31))
    contract = _contract(service, BillingTerms(mode="advance", alignment=BillingDay(31)))
    due = due_periods(contract, service, D(2028, 4, 30))
    assert [d.period for d in due] == [
        P("2028-01-31", "2028-02-28"),
        P("2028-02-29", "2028-03-30"),
        P("2028-03-31", "2028-04-29"),
        P("2028-04-30", "2028-05-30"),
    ]


def test_a_billing_day_after_the_start_gives_a_first_stub_up_to_the_day_before_it() -> None:
    service = make_service(start_date=D(2026, 4, 15), price="31.00")
    contract = _contract(service, BillingTerms(mode="advance", alignment=BillingDay(31)))
    first, second = due_periods(contract, service, D(2026, 4, 30))
    assert (first.period, first.full, first.due_on) == (
        P("2026-04-15", "2026-04-29"),
        P("2026-03-31", "2026-04-29"),
        D(2026, 4, 15),
    )
    assert first.is_stub
    assert (first.period.days, first.full.days) == (15, 30)
    assert (second.period, second.due_on) == (P("2026-04-30", "2026-05-30"), D(2026, 4, 30))


def test_a_billing_day_of_1_from_mid_month_stubs_to_the_months_end() -> None:
    service = make_service(start_date=D(2026, 3, 10), billing_period_months=3)
    contract = _contract(service, BillingTerms(alignment=BillingDay(1)))
    due = due_periods(contract, service, D(2026, 10, 1))
    assert [(d.period, d.full) for d in due] == [
        (P("2026-03-10", "2026-03-31"), P("2026-01-01", "2026-03-31")),
        (P("2026-04-01", "2026-06-30"), P("2026-04-01", "2026-06-30")),
        (P("2026-07-01", "2026-09-30"), P("2026-07-01", "2026-09-30")),
    ]


def test_anniversary_periods_from_the_31st_never_drift() -> None:
    service = make_service(start_date=D(2026, 1, 31))
    contract = _contract(service, BillingTerms())
    due = due_periods(contract, service, D(2026, 6, 1))
    assert [d.period for d in due] == [
        P("2026-01-31", "2026-02-27"),
        P("2026-02-28", "2026-03-30"),
        P("2026-03-31", "2026-04-29"),
        P("2026-04-30", "2026-05-30"),
    ]


def test_a_yearly_service_from_february_29_leaves_no_day_uncovered() -> None:
    # OCA/contract: a renewal from Feb 29 left a day uncovered. Each anniversary
    # is computed from the start: Feb 28 in common years, Feb 29 again in 2028.
    service = make_service(start_date=D(2024, 2, 29), billing_period_months=12)
    contract = _contract(service, BillingTerms())
    due = due_periods(contract, service, D(2028, 3, 1))
    assert [d.period for d in due] == [
        P("2024-02-29", "2025-02-27"),
        P("2025-02-28", "2026-02-27"),
        P("2026-02-28", "2027-02-27"),
        P("2027-02-28", "2028-02-28"),
    ]
    assert [d.due_on for d in due] == [
        D(2025, 2, 28),
        D(2026, 2, 28),
        D(2027, 2, 28),
        D(2028, 2, 29),
    ]


def test_calendar_months_in_advance_stub_the_first_month_and_are_due_on_their_first_day() -> None:
    service = make_service(start_date=D(2026, 1, 15))
    contract = _contract(service, BillingTerms(mode="advance", alignment="calendar"))
    due = due_periods(contract, service, D(2026, 3, 1))
    assert [(d.period, d.full, d.due_on) for d in due] == [
        (P("2026-01-15", "2026-01-31"), P("2026-01-01", "2026-01-31"), D(2026, 1, 15)),
        (P("2026-02-01", "2026-02-28"), P("2026-02-01", "2026-02-28"), D(2026, 2, 1)),
        (P("2026-03-01", "2026-03-31"), P("2026-03-01", "2026-03-31"), D(2026, 3, 1)),
    ]


def test_calendar_quarters_end_with_a_stub_on_the_cancellation_date() -> None:
    service = make_service(start_date=D(2026, 2, 10), billing_period_months=3)
    terms = BillingTerms(mode="advance", alignment="calendar", billing_period_months=3)
    contract = _contract(service, terms, term_months=12)
    canceled = attrs.evolve(contract, status="canceled", cancellation_date=D(2026, 8, 15))
    due = due_periods(canceled, service, D(2027, 1, 1))
    assert [(d.period, d.full, d.due_on) for d in due] == [
        (P("2026-02-10", "2026-03-31"), P("2026-01-01", "2026-03-31"), D(2026, 2, 10)),
        (P("2026-04-01", "2026-06-30"), P("2026-04-01", "2026-06-30"), D(2026, 4, 1)),
        (P("2026-07-01", "2026-08-15"), P("2026-07-01", "2026-09-30"), D(2026, 7, 1)),
    ]


def test_calendar_years_in_arrears_are_due_the_day_after_their_last_day() -> None:
    service = make_service(
        start_date=D(2026, 7, 1), end_date=D(2027, 3, 31), billing_period_months=12
    )
    contract = _contract(service, BillingTerms(alignment="calendar"))
    assert due_periods(contract, service, D(2026, 12, 31)) == ()
    due = due_periods(contract, service, D(2027, 4, 1))
    assert [(d.period, d.full, d.due_on) for d in due] == [
        (P("2026-07-01", "2026-12-31"), P("2026-01-01", "2026-12-31"), D(2027, 1, 1)),
        (P("2027-01-01", "2027-03-31"), P("2027-01-01", "2027-12-31"), D(2027, 4, 1)),
    ]


def test_weekly_periods_are_iso_weeks_on_the_calendar_and_seven_days_from_the_start_otherwise() -> (
    None
):
    wednesday = D(2026, 12, 2)
    service = make_service(start_date=wednesday)
    iso = _contract(service, BillingTerms(alignment="calendar", billing_period_days=7))
    assert [(d.period, d.full) for d in due_periods(iso, service, D(2026, 12, 14))] == [
        (P("2026-12-02", "2026-12-06"), P("2026-11-30", "2026-12-06")),
        (P("2026-12-07", "2026-12-13"), P("2026-12-07", "2026-12-13")),
    ]
    weeks = _contract(service, BillingTerms(mode="advance", billing_period_days=7))
    assert _firsts(due_periods(weeks, service, D(2026, 12, 16))) == [
        "2026-12-02",
        "2026-12-09",
        "2026-12-16",
    ]


def test_a_run_catches_up_every_period_the_host_missed_after_billed_through() -> None:
    service = make_service(start_date=D(2026, 1, 1), billed_through=D(2026, 3, 31))
    contract = _contract(service, BillingTerms())
    assert _firsts(due_periods(contract, service, D(2026, 7, 1))) == [
        "2026-04-01",
        "2026-05-01",
        "2026-06-01",
    ]
    advance = _contract(service, BillingTerms(mode="advance"))
    assert _firsts(due_periods(advance, service, D(2026, 7, 1))) == [
        "2026-04-01",
        "2026-05-01",
        "2026-06-01",
        "2026-07-01",
    ]


def test_a_period_billed_through_part_way_gives_the_rest_of_its_days() -> None:
    # Billed up to a service end that was later moved: the rest of the month is due.
    service = make_service(start_date=D(2026, 1, 1), billed_through=D(2026, 3, 15))
    contract = _contract(service, BillingTerms())
    (rest,) = due_periods(contract, service, D(2026, 4, 1))
    assert (rest.period, rest.full, rest.due_on) == (
        P("2026-03-16", "2026-03-31"),
        P("2026-03-01", "2026-03-31"),
        D(2026, 4, 1),
    )


def test_a_pending_contract_has_no_due_periods_and_the_contract_start_cuts_the_first() -> None:
    service = make_service(start_date=D(2026, 1, 1))
    pending = _contract(service, BillingTerms(), status="pending")
    assert due_periods(pending, service, D(2027, 1, 1)) == ()
    later = _contract(service, BillingTerms(), start=D(2026, 1, 20))
    first = due_periods(later, service, D(2026, 2, 1))[0]
    assert (first.period, first.full) == (
        P("2026-01-20", "2026-01-31"),
        P("2026-01-01", "2026-01-31"),
    )


def test_due_periods_is_exported_at_the_top_level_and_checks_its_arguments() -> None:
    assert top_level_due_periods is due_periods
    service = make_service()
    contract = _contract(service, BillingTerms())
    with pytest.raises(InvalidArgumentError, match=r"through must be a datetime\.date"):
        due_periods(contract, service, "2026-02-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="service must be a Service"):
        due_periods(contract, "s-1", D(2026, 2, 1))  # type: ignore[arg-type]
