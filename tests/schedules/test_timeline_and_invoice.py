from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import Contract, RenewalOptions, billable_period
from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.pricing._service import _with_schedule_state
from contractcore.schedules import (
    PRICE,
    QUANTITY,
    After,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
    apply_schedules,
    invoice_run,
    price_timeline,
)
from tests.pricing.strategies import (
    contracts_with_service,
    dates,
    make_contract,
    make_service,
    periods,
    services,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def usd(amount: str | int) -> Money:
    return Money(amount, "USD")


def uplift_contract(service: Service) -> Contract:
    schedule = Schedule(
        events=[
            UpdateEvent(After(months=6), PRICE, Percent(10)),
            UpdateEvent(After(months=6), QUANTITY, Delta(2)),
            UpdateEvent(On(date(2027, 1, 1)), PRICE, SetTo(usd("150.00"))),
        ]
    )
    return make_contract(services=[service], schedules=[schedule])


def test_the_timeline_shows_the_price_from_the_start_and_at_each_future_change() -> None:
    service = make_service(price="100.00", applied_up_to=date(2026, 2, 28))
    points = price_timeline(uplift_contract(service), service, date(2027, 12, 31))
    assert [(p.on, p.unit_price, p.quantity, p.projected) for p in points] == [
        (date(2026, 1, 1), usd("100.00"), Decimal(1), False),
        (date(2026, 7, 1), usd("110.00"), Decimal(3), True),
        (date(2027, 1, 1), usd("150.00"), Decimal(3), True),
    ]
    assert [len(p.changes) for p in points] == [0, 2, 1]
    assert points[1].recurring_charge == usd("330.00")


def test_the_timeline_stops_at_until_and_changes_nothing() -> None:
    service = make_service(price="100.00")
    contract = uplift_contract(service)
    points = price_timeline(contract, service, date(2026, 6, 30))
    assert [p.on for p in points] == [date(2026, 1, 1)]
    assert price_timeline(contract, service, date(2025, 1, 1)) == points
    assert service.applied_up_to is None


@given(contracts_with_service(), dates())
def test_the_timeline_ends_where_a_run_up_to_the_same_day_ends(
    case: tuple[Contract, Service], until: date
) -> None:
    contract, service = case
    points = price_timeline(contract, service, until)
    start = points[0].on
    assert points == tuple(sorted(points, key=lambda p: p.on))
    if until >= start:
        run = apply_schedules(contract, service, Period(start, until))
        assert (points[-1].unit_price, points[-1].quantity) == (
            run.service.unit_price,
            run.service.quantity,
        )
        assert sum(len(p.changes) for p in points) == len(run.applied)


def test_an_invoice_run_charges_each_service_and_lists_its_schedule_breakdown() -> None:
    backup = make_service(id="backup", price="100.00", start_date=date(2025, 9, 1))
    seats = make_service(id="seats", price="12.50", quantity=10, start_date=date(2026, 1, 1))
    schedule = Schedule(
        events=[
            UpdateEvent(After(months=6), PRICE, Percent(10)),
            UpdateEvent(On(date(2026, 3, 15)), QUANTITY, Delta(5)),
        ],
        targets=["backup"],
    )
    contract = make_contract(services=[backup, seats], schedules=[schedule])
    run = invoice_run(contract, MARCH)
    first, second = run.lines
    assert (first.unit_price, first.quantity, first.amount) == (
        usd("110.00"),
        Decimal(6),
        usd("660.00"),
    )
    assert [c.describe() for c in first.changes] == [
        "2026-03-01 price USD 100.00 -> USD 110.00",
        "2026-03-15 quantity 1 -> 6",
    ]
    assert (second.amount, second.changes) == (usd("125.00"), ())
    assert run.total == usd("785.00")
    assert [s.applied_up_to for s in run.services] == [date(2026, 3, 31)] * 2
    again = invoice_run(attrs.evolve(contract, services=run.services), MARCH)
    assert [line.amount for line in again.lines] == [usd("660.00"), usd("125.00")]
    assert all(line.changes == () for line in again.lines)


def test_an_invoice_run_prorates_services_that_start_or_end_inside_the_period() -> None:
    starts = make_service(id="a", price="31.00", start_date=date(2026, 3, 22))
    ends = make_service(
        id="b", price="31.00", start_date=date(2026, 1, 1), end_date=date(2026, 3, 3)
    )
    gone = make_service(id="c", start_date=date(2025, 1, 1), end_date=date(2026, 2, 28))
    later = make_service(id="d", start_date=date(2026, 4, 1))
    contract = make_contract(services=[starts, ends, gone, later])
    run = invoice_run(contract, MARCH)
    assert [(line.service_id, line.amount) for line in run.lines] == [
        ("a", usd("10.00")),
        ("b", usd("3.00")),
    ]
    assert run.services[2:] == (gone, later)


def test_a_service_outliving_a_canceled_contract_gets_no_renewal_uplift() -> None:
    service = make_service(start_date=date(2026, 1, 1), price="100.00")
    uplift = Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(10))])
    canceled = make_contract(
        kind="auto_renew",
        renewal=RenewalOptions(term_months=12),
        status="canceled",
        cancellation_date=date(2026, 6, 30),
        services=[service],
        schedules=[uplift],
    )
    january = Period(date(2027, 1, 1), date(2027, 1, 31))
    applied = apply_schedules(canceled, service, january)
    assert applied.applied == ()
    assert applied.service.unit_price == Money("100.00", "USD")
    # Nor is it billed under the canceled contract: billing stopped on 06-30.
    assert invoice_run(canceled, january).lines == ()


def test_billing_stops_at_the_contracts_end_even_for_a_service_that_outlives_it() -> None:
    """Found in review: the month of the end was billed whole, past the end date."""
    service = make_service(start_date=date(2026, 1, 15), price="310.00")
    ending = make_contract(start_date=date(2026, 1, 15), term_months=12, services=[service])
    canceled = attrs.evolve(ending, status="canceled", cancellation_date=date(2026, 3, 15))

    january = invoice_run(ending, Period(date(2027, 1, 1), date(2027, 1, 31)))
    march = invoice_run(canceled, Period(date(2026, 3, 1), date(2026, 3, 31)))
    april = invoice_run(canceled, Period(date(2026, 4, 1), date(2026, 4, 30)))

    assert [line.amount for line in january.lines] == [Money("140.00", "USD")]  # 14 of 31 days
    assert [line.amount for line in march.lines] == [Money("150.00", "USD")]  # 15 of 31 days
    assert april.lines == ()
    assert april.services == (service,)


def test_an_invoice_run_of_no_services_has_no_total() -> None:
    assert invoice_run(make_contract(), MARCH).total is None


@given(services(), dates(), st.sampled_from([usd("3.3333"), usd(7)]), st.integers(0, 9))
def test_the_fast_service_copy_equals_attrs_evolve(
    service: Service, day: date, price: Money, quantity: int
) -> None:
    expected = attrs.evolve(
        service, unit_price=price, quantity=Decimal(quantity), applied_up_to=day
    )
    assert _with_schedule_state(service, price, Decimal(quantity), day) == expected


@given(contracts_with_service(), dates())
def test_an_invoice_run_applies_the_same_events_as_apply_schedules(
    case: tuple[Contract, Service], first: date
) -> None:
    contract, service = case
    period = Period(first, first + timedelta(days=30))
    run = invoice_run(contract, period)
    (updated,) = run.services
    # The days charged, counted one by one: the service's, the contract's and the period's.
    charged = [
        day
        for day in (period.first + timedelta(days=n) for n in range(period.days))
        if service.start_date <= day
        and (service.end_date is None or day <= service.end_date)
        and contract.start_date <= day
        and (contract.end_date is None or day <= contract.end_date)
    ]
    if not charged:
        assert updated is service
        assert run.lines == ()
        return
    window = Period(max(period.first, service.start_date), period.last)
    expected = apply_schedules(contract, service, window)
    assert updated == expected.service
    (line,) = run.lines
    assert line.changes == expected.applied
    whole = expected.service.recurring_charge
    assert line.amount == (whole * len(charged) / period.days).rounded()


def test_the_timeline_needs_a_day_to_stop_at() -> None:
    service = make_service()
    with pytest.raises(InvalidArgumentError, match="until"):
        price_timeline(make_contract(), service, "2027-01-01")  # type: ignore[arg-type]


def test_an_invoice_period_that_is_not_a_period_is_refused_naming_it() -> None:
    contract = make_contract(services=[make_service()])
    bad = (date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(InvalidArgumentError, match=r"period must be a Period, got \(datetime"):
        invoice_run(contract, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"period must be a Period"):
        apply_schedules(contract, contract.services[0], bad)  # type: ignore[arg-type]


def test_an_invoice_run_refuses_a_service_priced_in_another_currency_naming_both() -> None:
    # It used to bill the JPY price as a line of a USD contract.
    # Such a contract is refused when built; services passed to the run are checked by it.
    yen = make_service(id="s-yen", price="9800", currency="JPY")
    with pytest.raises(
        CurrencyMismatchError,
        match=r"services\[1\]\.unit_price is in JPY .*, contract 'c-usd' bills in USD",
    ):
        make_contract(id="c-usd", services=[make_service(), yen])
    contract = make_contract(id="c-usd", services=[make_service()])
    with pytest.raises(
        CurrencyMismatchError,
        match=r"service 's-yen' is priced in JPY, contract 'c-usd' bills in USD",
    ):
        invoice_run(contract, MARCH, [*contract.services, yen])


def test_an_invoice_run_refuses_a_mismatched_service_even_outside_the_period() -> None:
    later = make_service(id="s-eur", currency="EUR", start_date=date(2026, 6, 1))
    with pytest.raises(CurrencyMismatchError, match="'s-eur' is priced in EUR"):
        invoice_run(make_contract(), MARCH, [later])


def test_an_invoice_run_in_yen_needs_a_yen_contract() -> None:
    yen = make_service(price="9800", currency="JPY")
    run = invoice_run(make_contract(currency="JPY", services=[yen]), MARCH)
    assert run.total == Money(9800, "JPY")


def test_an_invoice_run_refuses_services_that_are_not_services_naming_them() -> None:
    with pytest.raises(InvalidArgumentError, match=r"services must hold Service values, got 'x'"):
        invoice_run(make_contract(), MARCH, ["x"])  # type: ignore[list-item]


def test_a_pending_contract_is_billed_nothing_and_keeps_its_watermarks() -> None:
    service = make_service(price="100.00")
    pending = make_contract(status="pending", services=[service])
    run = invoice_run(pending, MARCH)
    assert run.lines == ()
    assert run.services == (service,)


@given(
    contracts_with_service(),
    st.sampled_from(["pending", "active", "completed"]),
    periods(),
)
def test_an_invoice_run_bills_only_the_days_billable_period_allows(
    case: tuple[Contract, Service], status: str, period: Period
) -> None:
    contract = attrs.evolve(case[0], status=status)
    covered = billable_period(contract, period)
    run = invoice_run(contract, period)
    if covered is None:
        assert run.lines == ()
        assert run.services == contract.services
    for line in run.lines:
        assert covered is not None
        billed = next(s for s in contract.services if s.id == line.service_id)
        end = billed.end_date or covered.last
        # The line charges days the service has inside the billable window.
        assert max(billed.start_date, covered.first) <= min(end, covered.last)
