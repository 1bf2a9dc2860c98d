from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
    early_termination_penalty,
)
from contractcore.pricing import Service
from tests.pricing.strategies import (
    amounts,
    make_contract,
    penalties,
    schedules,
    services,
)
from tests.schedules.reference import reference_apply

percent_penalties = st.builds(
    lambda kind, percent, minimum: kind(percent, Money(minimum, "USD")),
    st.sampled_from([RemainingPercentPenalty, TotalPercentPenalty]),
    st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-2)),
    amounts(2000),
)


NEAR = st.integers(-200, 200)
SCHEDULES = st.lists(schedules(("s-0", "s-1")), max_size=2)
CANCEL_OFFSETS = st.integers(-40, 470)  # a term is at most 14 months (427 days)


@st.composite
def cancellations(draw: st.DrawFn) -> tuple[Contract, date]:
    """A contract with 1-2 services and schedules, and a cancellation day near its term."""
    count = draw(st.integers(1, 2))
    svcs = [draw(services(id=f"s-{n}")) for n in range(count)]
    start = svcs[0].start_date + timedelta(days=draw(NEAR))
    term = draw(st.integers(1, 14))
    scheds = draw(SCHEDULES)
    contract = make_contract(
        start_date=start,
        term_months=term,
        services=svcs,
        schedules=scheds,
        penalty=draw(st.one_of(percent_penalties, percent_penalties, penalties())),
    )
    cancel_on = start + timedelta(days=draw(CANCEL_OFFSETS))
    return contract, cancel_on


def _reference_period_price(contract: Contract, service: Service, last: date) -> Fraction:
    watermarked = service
    if service.applied_up_to is None:
        watermarked = Service(
            id=service.id,
            product_id=service.product_id,
            unit_price=service.unit_price,
            quantity=service.quantity,
            billing_period_months=service.billing_period_months,
            start_date=service.start_date,
            end_date=service.end_date,
            applied_up_to=service.start_date - timedelta(days=1),
        )
    price, quantity, _, _ = reference_apply(contract, watermarked, last)
    return Fraction(price) * Fraction(quantity)


def reference_base(contract: Contract, first: date, last: date) -> Fraction:
    """Day by day: each day costs its billing period's charge divided by the period's days."""
    total = Fraction(0)
    for service in contract.services:
        months = service.billing_period_months
        k = 0
        charges: dict[int, tuple[Fraction, int]] = {}
        day = max(first, service.start_date)
        end = last if service.end_date is None else min(last, service.end_date)
        while day <= end:
            while service.start_date + relativedelta(months=(k + 1) * months) <= day:
                k += 1
            if k not in charges:
                p_first = service.start_date + relativedelta(months=k * months)
                p_last = service.start_date + relativedelta(months=(k + 1) * months) - timedelta(1)
                charges[k] = (
                    _reference_period_price(contract, service, p_last),
                    (p_last - p_first).days + 1,
                )
            charge, days = charges[k]
            total += charge / days
            day += timedelta(days=1)
    return total


def reference_penalty(contract: Contract, cancel_on: date) -> Fraction:
    rule = contract.penalty
    end = contract.end_date
    assert end is not None
    if cancel_on >= end or isinstance(rule, NoPenalty):
        return Fraction(0)
    if isinstance(rule, FixedPenalty):
        return Fraction(rule.amount.amount)
    if isinstance(rule, RemainingPercentPenalty):
        base = reference_base(contract, max(cancel_on + timedelta(1), contract.start_date), end)
    else:
        base = reference_base(contract, contract.start_date, end)
    return max(Fraction(rule.percent) / 100 * base, Fraction(rule.minimum.amount))


def half_up_cents(value: Fraction) -> Fraction:
    return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


@given(cancellations())
def test_the_penalty_matches_a_day_by_day_reference_to_the_cent(
    case: tuple[Contract, date],
) -> None:
    contract, cancel_on = case
    quote = early_termination_penalty(contract, cancel_on)
    assert Fraction(quote.amount.amount) == half_up_cents(reference_penalty(contract, cancel_on))


def _minimum(rule: Penalty) -> Money | None:
    if isinstance(rule, RemainingPercentPenalty | TotalPercentPenalty):
        return rule.minimum
    return None


@given(cancellations())
def test_a_percentage_penalty_is_never_below_its_minimum_before_the_end(
    case: tuple[Contract, date],
) -> None:
    contract, cancel_on = case
    minimum = _minimum(contract.penalty)
    end = contract.end_date
    assert end is not None
    quote = early_termination_penalty(contract, cancel_on)
    if minimum is not None and cancel_on < end:
        assert quote.amount >= minimum.rounded()
    if cancel_on >= end:
        assert quote.amount.is_zero()


@given(cancellations(), st.integers(0, 400))
def test_a_penalty_never_grows_as_the_cancellation_moves_later(
    case: tuple[Contract, date], later_by: int
) -> None:
    contract, cancel_on = case
    sooner = early_termination_penalty(contract, cancel_on)
    later = early_termination_penalty(contract, cancel_on + timedelta(days=later_by))
    assert later.amount <= sooner.amount
