from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.contracts import Contract
from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import TotalPercentPenalty, early_termination_penalty
from contractcore.pricing import Period, Service
from contractcore.schedules import (
    PRICE,
    QUANTITY,
    After,
    AppliedEvent,
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
    split_points,
)
from tests.schedules.reference import reference_apply

JAN, FEB, MAR = (
    Period(date(2026, 1, 1), date(2026, 1, 31)),
    Period(date(2026, 2, 1), date(2026, 2, 28)),
    Period(date(2026, 3, 1), date(2026, 3, 31)),
)


def design_example() -> tuple[Contract, Service]:
    """DESIGN 5.1: from 2026-01-31 at 100.00 a month; +10 % after 1 month, +5.00 after 2."""
    service = make_service(start_date=date(2026, 1, 31), price="100.00")
    schedule = Schedule(
        events=[
            UpdateEvent(After(months=1), PRICE, Percent(10)),
            UpdateEvent(After(months=2), PRICE, Delta(Money("5.00", "USD"))),
        ]
    )
    return make_contract(services=[service], schedules=[schedule]), service


def test_design_example_february_applies_the_first_event_and_sets_the_watermark() -> None:
    contract, service = design_example()
    run = apply_schedules(contract, service, FEB)
    assert [a.on for a in run.applied] == [date(2026, 2, 28)]
    assert (run.applied[0].before, run.applied[0].after) == (
        Money("100.00", "USD"),
        Money("110.00", "USD"),
    )
    assert run.service.unit_price == Money("110.00", "USD")
    assert run.service.applied_up_to == date(2026, 2, 28)


def test_design_example_invoicing_february_again_applies_nothing() -> None:
    contract, service = design_example()
    after_feb = apply_schedules(contract, service, FEB).service
    again = apply_schedules(contract, after_feb, FEB)
    assert again.applied == ()
    assert again.service == after_feb


def test_design_example_march_applies_the_second_event() -> None:
    contract, service = design_example()
    after_feb = apply_schedules(contract, service, FEB).service
    run = apply_schedules(contract, after_feb, MAR)
    assert [(a.on, a.before, a.after) for a in run.applied] == [
        (date(2026, 3, 31), Money("110.00", "USD"), Money("115.00", "USD"))
    ]
    assert run.service.applied_up_to == date(2026, 3, 31)
    assert run.applied[0].describe() == "2026-03-31 price USD 110.00 -> USD 115.00"


def test_an_older_period_changes_nothing_and_keeps_the_watermark() -> None:
    contract, service = design_example()
    after_mar = apply_schedules(contract, service, Period(date(2026, 2, 1), date(2026, 3, 31)))
    run = apply_schedules(contract, after_mar.service, JAN)
    assert run.applied == ()
    assert run.service.applied_up_to == date(2026, 3, 31)


def test_without_a_watermark_the_window_starts_the_day_before_the_service_start() -> None:
    # DESIGN 5 "Application" (changed 2026-12-02): a service never invoiced counts
    # as watermarked the day before its start, so a late first invoice catches up.
    service = make_service(start_date=date(2026, 1, 1))
    schedule = Schedule(
        events=[
            UpdateEvent(On(date(2025, 12, 31)), PRICE, SetTo(40)),
            UpdateEvent(On(date(2026, 1, 1)), PRICE, SetTo(50)),
            UpdateEvent(On(date(2026, 2, 1)), PRICE, SetTo(60)),
        ]
    )
    contract = make_contract(services=[service], schedules=[schedule])
    run = apply_schedules(contract, service, FEB)
    assert [a.on for a in run.applied] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert run.service.unit_price == Money(60, "USD")


def test_a_late_first_invoice_agrees_with_the_timeline_and_the_penalty() -> None:
    # Issue 12: +10 % after 6 months, first invoice in August. The invoice used to
    # bill 100.00 while price_timeline and the penalty quote used 110.00.
    service = make_service(start_date=date(2026, 1, 1))
    uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    contract = make_contract(
        status="active",
        services=[service],
        schedules=[uplift],
        penalty=TotalPercentPenalty(100, minimum=Money(0, "USD")),
    )
    august = Period(date(2026, 8, 1), date(2026, 8, 31))
    run = invoice_run(contract, august)
    assert run.lines[0].unit_price == Money("110.00", "USD")
    assert [c.on for c in run.lines[0].changes] == [date(2026, 7, 1)]
    timeline = price_timeline(contract, service, date(2026, 8, 31))
    in_force = [p for p in timeline if p.on <= date(2026, 8, 1)][-1]
    assert in_force.unit_price == Money("110.00", "USD")
    quote = early_termination_penalty(contract, date(2026, 7, 31))
    august_lines = [line for line in quote.lines if line.billing_period.first == date(2026, 8, 1)]
    assert [line.unit_price for line in august_lines] == [Money("110.00", "USD")]


def test_events_in_a_skipped_period_are_caught_up_on_the_next_invoice() -> None:
    service = make_service(applied_up_to=date(2026, 1, 31))
    schedule = Schedule(events=[UpdateEvent(On(date(2026, 2, 15)), PRICE, Percent(10))])
    contract = make_contract(services=[service], schedules=[schedule])
    run = apply_schedules(contract, service, MAR)
    assert [a.on for a in run.applied] == [date(2026, 2, 15)]
    assert run.service.unit_price == Money("110.00", "USD")


def test_same_day_events_apply_in_schedule_order_then_event_order() -> None:
    day = On(date(2026, 2, 10))
    first = Schedule(
        events=[UpdateEvent(day, PRICE, Delta(10)), UpdateEvent(day, PRICE, Percent(50))]
    )
    second = Schedule(events=[UpdateEvent(day, PRICE, SetTo(1))])
    early = Schedule(events=[UpdateEvent(On(date(2026, 2, 9)), PRICE, SetTo(200))])
    contract = make_contract(schedules=[second, first, early])
    run = apply_schedules(contract, make_service(), FEB)
    assert [(a.schedule_index, a.event_index) for a in run.applied] == [
        (2, 0),
        (0, 0),
        (1, 0),
        (1, 1),
    ]
    # 200 -> 1 -> 11 -> 16.5
    assert run.service.unit_price == Money("16.5", "USD")


def test_a_percentage_applies_to_the_price_current_at_the_event() -> None:
    corrected = make_service(price="80.00", applied_up_to=date(2026, 1, 31))
    schedule = Schedule(events=[UpdateEvent(On(date(2026, 2, 1)), PRICE, Percent(10))])
    contract = make_contract(schedules=[schedule])
    assert apply_schedules(contract, corrected, FEB).service.unit_price == Money("88.00", "USD")


def test_quantity_changes_are_listed_with_their_values_before_and_after() -> None:
    schedule = Schedule(
        events=[UpdateEvent(After(months=n), QUANTITY, Delta(1)) for n in (1, 2, 3)]
    )
    service = make_service(quantity=5)
    contract = make_contract(schedules=[schedule])
    run = apply_schedules(contract, service, Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert [(a.before, a.after) for a in run.applied] == [
        (Decimal(5), Decimal(6)),
        (Decimal(6), Decimal(7)),
        (Decimal(7), Decimal(8)),
    ]
    assert run.applied[0].describe() == "2026-02-01 quantity 5 -> 6"
    assert run.service.quantity == 8


def test_a_schedule_for_listed_services_leaves_the_others_alone() -> None:
    schedule = Schedule(
        events=[UpdateEvent(On(date(2026, 2, 1)), PRICE, SetTo(1))], targets=["s-2"]
    )
    contract = make_contract(schedules=[schedule])
    mine, other = make_service(id="s-1"), make_service(id="s-2")
    assert apply_schedules(contract, mine, FEB).applied == ()
    assert apply_schedules(contract, other, FEB).service.unit_price == Money(1, "USD")


def test_prices_are_not_rounded_between_events() -> None:
    schedule = Schedule(
        events=[
            UpdateEvent(On(date(2026, 2, 1)), PRICE, Percent("3.3")),
            UpdateEvent(On(date(2026, 2, 2)), PRICE, Percent("3.3")),
        ]
    )
    run = apply_schedules(make_contract(schedules=[schedule]), make_service(price="9.99"), FEB)
    assert run.service.unit_price == Money("10.66021911", "USD")


def test_a_price_event_in_another_currency_is_refused() -> None:
    schedule = Schedule(events=[UpdateEvent(On(date(2026, 2, 1)), PRICE, SetTo(Money(5, "EUR")))])
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        apply_schedules(make_contract(schedules=[schedule]), make_service(), FEB)


def test_an_event_that_would_make_the_price_negative_is_refused() -> None:
    schedule = Schedule(events=[UpdateEvent(On(date(2026, 2, 1)), PRICE, Delta(-150))])
    with pytest.raises(InvalidArgumentError, match="negative"):
        apply_schedules(make_contract(schedules=[schedule]), make_service(), FEB)


def test_a_service_moved_to_another_contract_keeps_its_watermark() -> None:
    old_contract, service = design_example()
    invoiced = apply_schedules(old_contract, service, FEB).service
    schedule = Schedule(
        events=[
            UpdateEvent(On(date(2026, 2, 15)), PRICE, SetTo(999)),
            UpdateEvent(On(date(2026, 3, 15)), PRICE, SetTo(120)),
        ]
    )
    new_contract = make_contract(id="c-2", schedules=[schedule], services=[invoiced])
    run = apply_schedules(new_contract, invoiced, MAR)
    assert [a.on for a in run.applied] == [date(2026, 3, 15)]
    assert run.service.unit_price == Money(120, "USD")


def test_a_preview_does_not_change_the_service_it_was_given() -> None:
    contract, service = design_example()
    apply_schedules(contract, service, FEB)
    assert service.applied_up_to is None
    assert service.unit_price == Money("100.00", "USD")


# --- properties -----------------------------------------------------------------------------


def _periods_from(first: date, last: date, cuts: list[date]) -> list[Period]:
    starts = [first, *(c + timedelta(days=1) for c in cuts)]
    ends = [*cuts, last]
    return [Period(a, b) for a, b in zip(starts, ends, strict=True)]


SPANS = st.integers(0, 900)
NEAR_ANCHOR = st.integers(-120, 120)
NEAR_EVENTS = st.lists(st.integers(-120, 240), max_size=3)


@st.composite
def runs(draw: st.DrawFn) -> tuple[Contract, Service, Period, list[Period]]:
    contract, service = draw(contracts_with_service())
    # Near the watermark (or the start), where skipped and repeated days are.
    anchor = service.applied_up_to or service.start_date
    near = [On(anchor + timedelta(days=d)) for d in draw(NEAR_EVENTS)]
    if near:
        extra = Schedule(events=[UpdateEvent(on, QUANTITY, Delta(1)) for on in near])
        contract = attrs.evolve(contract, schedules=(*contract.schedules, extra))
    first = anchor + timedelta(days=draw(NEAR_ANCHOR))
    last = first + timedelta(days=draw(SPANS))
    cuts = split_points(draw, first, last)
    return contract, service, Period(first, last), _periods_from(first, last, cuts)


@given(runs())
def test_splitting_a_run_into_consecutive_periods_gives_the_same_result_as_one_run(
    case: tuple[Contract, Service, Period, list[Period]],
) -> None:
    contract, service, whole, pieces = case
    once = apply_schedules(contract, service, whole)
    current = service
    applied: list[AppliedEvent] = []
    for piece in pieces:
        run = apply_schedules(contract, current, piece)
        current = run.service
        applied.extend(run.applied)
    assert current == once.service
    assert tuple(applied) == once.applied


@given(contracts_with_service(), st.lists(dates(), min_size=1, max_size=6))
@example(design_example(), [date(2026, 3, 31), date(2026, 2, 28), date(2026, 3, 31)])
def test_no_event_is_applied_twice_and_the_watermark_never_moves_back(
    case: tuple[Contract, Service], lasts: list[date]
) -> None:
    contract, service = case
    seen: set[tuple[int, int]] = set()
    current = service
    for last in lasts:
        before = current.applied_up_to
        period = Period(last - timedelta(days=27), last)
        run = apply_schedules(contract, current, period)
        for applied in run.applied:
            key = (applied.schedule_index, applied.event_index)
            assert key not in seen
            seen.add(key)
        current = run.service
        if before is not None:
            assert current.applied_up_to is not None
            assert current.applied_up_to >= before


@given(contracts_with_service(), dates())
def test_rerunning_a_period_changes_nothing(case: tuple[Contract, Service], first: date) -> None:
    contract, service = case
    period = Period(first, first + timedelta(days=30))
    once = apply_schedules(contract, service, period).service
    twice = apply_schedules(contract, once, period)
    assert twice.applied == ()
    assert twice.service == once


@given(runs())
def test_apply_schedules_agrees_with_a_day_by_day_reference(
    case: tuple[Contract, Service, Period, list[Period]],
) -> None:
    contract, service, period, _ = case
    run = apply_schedules(contract, service, period)
    price, quantity, watermark, applied = reference_apply(contract, service, period.last)
    assert run.service.unit_price.amount == price
    assert run.service.quantity == quantity
    assert run.service.applied_up_to == watermark
    assert [(a.on, a.schedule_index, a.event_index) for a in run.applied] == applied
    assert (
        attrs.evolve(
            run.service,
            unit_price=service.unit_price,
            quantity=service.quantity,
            applied_up_to=service.applied_up_to,
            history=service.history,
        )
        == service
    )
    # The history gains one entry per applied event, with the same values.
    added = run.service.history[len(service.history) :]
    assert run.service.history[: len(service.history)] == service.history
    assert [(c.on, c.before, c.after) for c in added] == [
        (a.on, a.before, a.after) for a in run.applied
    ]
