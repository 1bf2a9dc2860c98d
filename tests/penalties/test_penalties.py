from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
    early_termination_penalty,
    recurring_charges,
)
from contractcore.pricing import Period
from contractcore.schedules import (
    PRICE,
    After,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
    invoice_run,
)
from tests.pricing.strategies import make_contract, make_service


def usd(amount: str | int) -> Money:
    return Money(amount, "USD")


CANCEL = date(2026, 6, 30)


def test_design_example_remaining_charges_are_july_to_december() -> None:
    contract = make_contract(
        services=[make_service(price="1000.00")], penalty=RemainingPercentPenalty(10, usd(100))
    )
    quote = early_termination_penalty(contract, CANCEL)
    assert quote.base == usd("6000.00")
    assert quote.window == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert [line.billing_period.first.month for line in quote.lines] == [7, 8, 9, 10, 11, 12]
    assert quote.amount == usd("600.00")
    assert str(quote.amount) == "USD 600.00"


def test_design_example_total_charges_are_the_whole_term() -> None:
    contract = make_contract(
        services=[make_service(price="1000.00")], penalty=TotalPercentPenalty(10, usd(100))
    )
    quote = early_termination_penalty(contract, CANCEL)
    assert quote.base == usd("12000.00")
    assert quote.amount == usd("1200.00")


def test_design_example_fixed_penalty() -> None:
    contract = make_contract(
        services=[make_service(price="1000.00")], penalty=FixedPenalty(usd(250))
    )
    assert early_termination_penalty(contract, CANCEL).amount == usd("250.00")


@pytest.mark.parametrize(
    "penalty",
    [
        NoPenalty(),
        FixedPenalty(usd(250)),
        RemainingPercentPenalty(10, usd(100)),
        TotalPercentPenalty(10, usd(100)),
    ],
)
def test_design_example_cancelling_on_or_after_the_terms_last_day_costs_nothing(
    penalty: object,
) -> None:
    contract = make_contract(services=[make_service(price="1000.00")], penalty=penalty)  # type: ignore[arg-type]
    for day in (date(2026, 12, 31), date(2027, 1, 1), date(2030, 5, 5)):
        assert early_termination_penalty(contract, day).amount == usd("0.00")


@pytest.mark.parametrize(
    ("monthly", "expected"),
    [("1000.00", "100.00"), ("50000.00", "500.00")],
)
def test_source_table_one_percent_with_a_100_minimum(monthly: str, expected: str) -> None:
    # A one-month contract whose total is the table's amount.
    contract = make_contract(
        term_months=1,
        services=[make_service(price=monthly)],
        penalty=TotalPercentPenalty(1, usd(100)),
    )
    quote = early_termination_penalty(contract, date(2026, 1, 15))
    assert quote.base == usd(monthly)
    assert quote.amount == usd(expected)
    assert ("minimum" in quote.reason) is (monthly == "1000.00")


def test_no_penalty_costs_nothing_before_the_end() -> None:
    contract = make_contract(services=[make_service()])
    quote = early_termination_penalty(contract, date(2026, 3, 1))
    assert quote.amount == usd(0)
    assert quote.reason == "no penalty"


def test_an_open_ended_contract_has_no_early_termination() -> None:
    contract = make_contract(term_months=None, penalty=FixedPenalty(usd(250)))
    assert early_termination_penalty(contract, date(2026, 3, 1)).amount == usd(0)


def test_remaining_charges_are_prorated_by_day_within_the_billing_period() -> None:
    contract = make_contract(
        services=[make_service(price="300.00")], penalty=RemainingPercentPenalty(100, usd(0))
    )
    # Cancelled on June 10: 20 of June's 30 days remain, then July to December.
    quote = early_termination_penalty(contract, date(2026, 6, 10))
    assert quote.lines[0].counted == Period(date(2026, 6, 11), date(2026, 6, 30))
    assert quote.lines[0].amount == usd("200")
    assert quote.base == usd("2000")
    assert quote.amount == usd("2000.00")


def test_a_scheduled_uplift_is_in_the_remaining_value() -> None:
    uplift = Schedule(events=[UpdateEvent(On(date(2026, 8, 1)), PRICE, Percent(10))])
    service = make_service(price="1000.00", applied_up_to=date(2026, 6, 30))
    contract = make_contract(
        services=[service], schedules=[uplift], penalty=RemainingPercentPenalty(10, usd(0))
    )
    quote = early_termination_penalty(contract, CANCEL)
    # July 1,000 + Aug..Dec 5 x 1,100
    assert quote.base == usd("6500.00")
    assert [line.unit_price for line in quote.lines[:2]] == [usd("1000.00"), usd("1100.00")]
    assert quote.amount == usd("650.00")


def test_a_never_invoiced_service_gets_every_event_from_its_start() -> None:
    early = Schedule(events=[UpdateEvent(After(months=2), PRICE, SetTo(500))])
    contract = make_contract(
        services=[make_service(price="1000.00")],
        schedules=[early],
        penalty=RemainingPercentPenalty(10, usd(0)),
    )
    assert early_termination_penalty(contract, CANCEL).base == usd("3000.00")


def test_quarterly_services_are_prorated_within_their_quarter() -> None:
    service = make_service(price="900.00", billing_period_months=3)
    contract = make_contract(services=[service], penalty=RemainingPercentPenalty(100, usd(0)))
    # Cancelled on 2026-08-15: Q3 (Jul 1 - Sep 30, 92 days) has 46 days left, then Q4.
    quote = early_termination_penalty(contract, date(2026, 8, 15))
    assert quote.base.amount == Decimal(900) * 46 / 92 + 900  # type: ignore[union-attr]
    assert quote.amount == usd("1350.00")


def test_services_ending_early_or_starting_late_count_only_their_own_days() -> None:
    ends = make_service(
        id="a", price="310.00", start_date=date(2026, 1, 1), end_date=date(2026, 7, 10)
    )
    starts = make_service(id="b", price="310.00", start_date=date(2026, 12, 22))
    contract = make_contract(services=[ends, starts], penalty=RemainingPercentPenalty(100, usd(0)))
    quote = early_termination_penalty(contract, CANCEL)
    # a: July 1-10 of 31 days = 100.00;
    # b: Dec 22-31 of its Dec 22 - Jan 21 period (31 days) = 100.00
    assert quote.base == usd("200.00")


def test_rounding_happens_once_on_the_exact_base() -> None:
    services = [make_service(id=f"s{n}", price="0.01") for n in range(3)]
    contract = make_contract(services=services, penalty=TotalPercentPenalty(50, usd(0)))
    # 3 x 12 x 0.01 = 0.36 -> 0.18; rounding each line first would give 0.00 + ...
    assert early_termination_penalty(contract, CANCEL).amount == usd("0.18")
    thirds = make_contract(
        services=[make_service(price="1.00")],
        term_months=1,
        penalty=RemainingPercentPenalty(Decimal("1.5"), usd(0)),
    )
    # 1.5 % of 1.00 = 0.015: an exact half rounds up.
    assert early_termination_penalty(thirds, date(2025, 12, 31)).amount == usd("0.02")


def test_a_penalty_in_another_currency_is_refused() -> None:
    # A contract cannot even be built with one (DESIGN 5: one currency per
    # contract); a penalty given for comparison is checked when quoted.
    with pytest.raises(CurrencyMismatchError, match=r"penalty\.amount is in EUR"):
        make_contract(services=[make_service()], penalty=FixedPenalty(Money(5, "EUR")))
    contract = make_contract(services=[make_service()])
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        early_termination_penalty(contract, CANCEL, penalty=FixedPenalty(Money(5, "EUR")))


def test_an_explicit_penalty_overrides_the_contracts_for_comparison() -> None:
    contract = make_contract(services=[make_service(price="1000.00")])
    quote = early_termination_penalty(contract, CANCEL, penalty=FixedPenalty(usd(99)))
    assert quote.amount == usd("99.00")


def test_recurring_charges_sum_the_services_over_a_window() -> None:
    contract = make_contract(
        services=[make_service(price="1000.00"), make_service(id="s2", price="10")]
    )
    total, lines = recurring_charges(contract, Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert total == usd("3030.00")
    assert len(lines) == 6


@pytest.mark.parametrize("percent", [-1, 101, "x"])
def test_percent_must_be_between_0_and_100(percent: object) -> None:
    with pytest.raises(InvalidArgumentError, match="percent"):
        RemainingPercentPenalty(percent, usd(100))  # type: ignore[arg-type]


def test_amounts_must_not_be_negative() -> None:
    with pytest.raises(InvalidArgumentError, match="amount"):
        FixedPenalty(usd(-1))
    with pytest.raises(InvalidArgumentError, match="minimum"):
        TotalPercentPenalty(1, usd(-1))


def test_cancelling_before_the_contract_starts_counts_the_whole_term() -> None:
    contract = make_contract(
        services=[make_service(price="1000.00")], penalty=RemainingPercentPenalty(10, usd(0))
    )
    quote = early_termination_penalty(contract, date(2025, 12, 1) - timedelta(days=1))
    assert quote.base == usd("12000.00")


def test_the_cancellation_date_must_be_a_day_not_an_instant() -> None:
    contract = make_contract(services=[make_service()])
    with pytest.raises(InvalidArgumentError, match="cancel_on"):
        early_termination_penalty(contract, datetime(2026, 6, 30, tzinfo=UTC))


def test_a_penalty_that_is_not_a_penalty_rule_is_refused_naming_it() -> None:
    contract = make_contract(services=[make_service()])
    with pytest.raises(InvalidArgumentError, match=r"penalty must be .*got '10%'"):
        early_termination_penalty(contract, date(2026, 6, 30), penalty="10%")  # type: ignore[arg-type]


def test_a_total_percent_penalty_counts_past_periods_at_the_price_they_were_billed_at() -> None:
    """Issue 12: after an uplift the term's total used today's price for every month."""
    service = make_service(price="1000.00")
    uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    contract = make_contract(
        services=[service],
        schedules=[uplift],
        penalty=TotalPercentPenalty(Decimal(10), usd(0)),
    )
    # Invoiced monthly through September: the uplift (July 1) is in the history.
    for k in range(1, 10):
        first = date(2026, k, 1)
        last = date(2026, k + 1, 1) - timedelta(days=1)
        run = invoice_run(contract, Period(first, last))
        contract = attrs.evolve(contract, services=run.services)
    assert contract.services[0].unit_price == usd("1100.00")
    quote = early_termination_penalty(contract, date(2026, 9, 30))
    # 6 months at 1,000.00 and 6 at 1,100.00 (not 12 at today's 1,100.00).
    assert quote.base == usd("12600.00")
    assert quote.amount == usd("1260.00")
    sources = [(line.billing_period.first.month, line.priced_from) for line in quote.lines]
    assert sources == [(m, "history" if m <= 9 else "schedules") for m in range(1, 13)]
    (july,) = [line for line in quote.lines if line.billing_period.first.month == 7]
    assert [change.describe() for change in july.changes] == [
        "2026-07-01 price USD 1,000.00 -> USD 1,100.00 (schedule #0 event 0)"
    ]
