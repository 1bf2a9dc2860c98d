"""Quoting the early-termination penalty of a contract cancelled on a given day."""

from __future__ import annotations

import decimal
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol, get_args

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import _MINUS, _SCALEB, Money, minor_unit
from contractcore.penalties._kinds import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
)
from contractcore.pricing import Change, Period, Service
from contractcore.pricing._checks import check_day
from contractcore.pricing._period import billing_periods
from contractcore.pricing._service import state_on
from contractcore.schedules._apply import _apply_plan, _plan, _Step
from contractcore.schedules._terms import ScheduleTerms


class PenaltyTerms(ScheduleTerms, Protocol):
    """A contract's terms as penalty quotes read them: its schedules' terms and its penalty.

    :class:`contractcore.contracts.Contract` provides them (DESIGN 1: penalties
    declare what they need of a contract instead of importing it).
    """

    @property
    def penalty(self) -> Penalty:
        """The contract's early-termination penalty."""
        ...


__all__ = [
    "PenaltyLine",
    "PenaltyQuote",
    "PenaltyTerms",
    "early_termination_penalty",
    "recurring_charges",
]

_ONE_DAY = timedelta(days=1)
_KINDS = get_args(Penalty)


@attrs.frozen(kw_only=True)
class PenaltyLine:
    """One service's charge for one billing period, as counted in a penalty's base.

    Attributes:
        service_id: The service.
        billing_period: The service's whole billing period.
        counted: The days of that period that count (after the cancellation, inside the term).
        unit_price: The unit price for the period: the one in force on its last
            day, as the invoice run charges it (for a contract with
            ``mid_period_changes="prorate"``: on the last day counted).
        quantity: The quantity for the period, likewise.
        amount: ``unit_price * quantity * counted days / period days`` (exact to 28
            digits); for a prorating contract each counted day at the values in
            force that day, as its invoice lines charge them.
        priced_from: ``"history"`` for a period the service was already invoiced
            through (the price it was billed at), ``"schedules"`` for one still to
            come (the scheduled changes projected).
        changes: The changes dated in the billing period, with their causes:
            why the price is what it is.
    """

    service_id: str
    billing_period: Period
    counted: Period
    unit_price: Money
    quantity: Decimal
    amount: Money
    priced_from: str = "schedules"
    changes: tuple[Change, ...] = ()


@attrs.frozen(kw_only=True)
class PenaltyQuote:
    """What cancelling a contract on a given day costs, and why.

    Attributes:
        penalty: The penalty rule that was applied.
        cancel_on: The last day the contract would cover.
        amount: The penalty, rounded half-up once to the currency's minor unit.
        base: For a percentage penalty, the charges it is a percentage of; else ``None``.
        window: The days whose charges make up the base, or ``None``.
        lines: The base's breakdown per service and billing period.
        reason: A short explanation for people.
    """

    penalty: Penalty
    cancel_on: date
    amount: Money
    base: Money | None = None
    window: Period | None = None
    lines: tuple[PenaltyLine, ...] = ()
    reason: str = ""


def _to_decimal(value: Fraction) -> Decimal:
    with decimal.localcontext() as context:
        context.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def _round_half_up(value: Fraction, currency: str) -> Money:
    """Round an exact fraction half-up (away from zero) to the currency's minor unit."""
    places = minor_unit(currency)
    units = math.floor(abs(value) * 10**places + Fraction(1, 2))
    amount = _SCALEB(Decimal(units), -places)  # exact, whatever the caller's context
    return Money(_MINUS(amount) if value < 0 else amount, currency)


def _prorated(service: Service, days: Period) -> Fraction:
    """The sum of price x quantity over ``days``, each day at the values in force that day."""
    cuts = sorted({c.on for c in service.history if days.first < c.on <= days.last})
    total = Fraction(0)
    first = days.first
    for cut in (*cuts, days.last + _ONE_DAY):
        price, quantity = state_on(service, first)
        total += Fraction(price.amount) * Fraction(quantity) * (cut - first).days
        first = cut
    return total


def _service_lines(
    contract: PenaltyTerms, plan: list[_Step], service: Service, window: Period
) -> list[tuple[PenaltyLine, Fraction]]:
    end = service.end_date if service.end_date is not None else window.last
    active = window.overlap(Period(service.start_date, max(end, service.start_date)))
    if active is None:
        return []
    if service.currency != contract.currency:
        raise CurrencyMismatchError(
            f"service {service.id!r} is priced in {service.currency}, "
            f"contract {contract.id!r} bills in {contract.currency}"
        )
    # The past from the history, the future from the schedules: each period is
    # priced as the invoice run prices it (what is in force on its last day).
    invoiced = service.applied_up_to
    prorate = contract.mid_period_changes == "prorate"
    current = service
    result = []
    for period in billing_periods(
        service.start_date, service.billing_period_months, active.first, active.last
    ):
        current = _apply_plan(plan, current, period).service
        counted = period.overlap(active)
        assert counted is not None  # billing_periods yields overlapping periods only
        if prorate:
            # As the invoice run prorates: each day at the values in force that day.
            price, quantity = state_on(current, counted.last)
            exact = _prorated(current, counted) / period.days
        else:
            price, quantity = state_on(current, period.last)
            exact = Fraction(price.amount) * Fraction(quantity) * counted.days / period.days
        line = PenaltyLine(
            service_id=service.id,
            billing_period=period,
            counted=counted,
            unit_price=price,
            quantity=quantity,
            amount=Money(_to_decimal(exact), contract.currency),
            priced_from=(
                "history" if invoiced is not None and period.last <= invoiced else "schedules"
            ),
            changes=tuple(c for c in current.history if period.first <= c.on <= period.last),
        )
        result.append((line, exact))
    return result


def _charges(contract: PenaltyTerms, window: Period) -> tuple[Fraction, tuple[PenaltyLine, ...]]:
    total = Fraction(0)
    lines: list[PenaltyLine] = []
    plan = _plan(contract)
    for service in contract.services:
        for line, exact in _service_lines(contract, plan, service, window):
            lines.append(line)
            total += exact
    return total, tuple(lines)


def recurring_charges(
    contract: PenaltyTerms, window: Period
) -> tuple[Money, tuple[PenaltyLine, ...]]:
    """Return the contract's recurring charges for the days of ``window``, with a breakdown.

    Each service is billed per billing period anchored on its start date;
    the charge of a period is its unit price times quantity once the
    schedules due by the period's last day are applied (as the invoice run
    would), prorated by the days of the period inside ``window`` and inside
    the service's own dates. The total is exact to 28 significant digits (not rounded).

    Raises:
        CurrencyMismatchError: A service is not priced in the contract's currency.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> service = Service(id="s-1", product_id="desktop", unit_price=Money("310.00", "USD"),
    ...                   start_date=date(2026, 1, 1))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="IT",
    ...                     start_date=date(2026, 1, 1), term_months=12, services=(service,))
    >>> total, lines = recurring_charges(contract, Period(date(2026, 1, 1), date(2026, 2, 10)))
    >>> str(total), [line.counted.days for line in lines]
    ('USD 420.71', [31, 10])
    """
    total, lines = _charges(contract, window)
    return Money(_to_decimal(total), contract.currency), lines


def _check_currency(contract: PenaltyTerms, money: Money, field: str) -> None:
    if money.currency != contract.currency:
        raise CurrencyMismatchError(
            f"penalty {field} is in {money.currency}, contract {contract.id!r} bills in "
            f"{contract.currency}"
        )


def early_termination_penalty(
    contract: PenaltyTerms, cancel_on: date, *, penalty: Penalty | None = None
) -> PenaltyQuote:
    """Quote the penalty for cancelling ``contract`` so that ``cancel_on`` is its last day.

    * Cancelling on or after the last day of the current term (or an
      open-ended contract) costs nothing, whatever the penalty.
    * :class:`NoPenalty` costs nothing; :class:`FixedPenalty` costs its amount.
    * :class:`RemainingPercentPenalty`: ``max(percent x base, minimum)``, the
      base being the recurring charges for the days after ``cancel_on`` up to
      the term's last day, scheduled changes applied, prorated by day.
    * :class:`TotalPercentPenalty`: the same with the whole current term as base.

    The amount is rounded half-up once, at the end; the base is summed exactly.

    Args:
        contract: The contract; its ``penalty`` applies unless ``penalty`` is given.
        cancel_on: The cancellation date (the last day the contract covers).
        penalty: Quote this penalty instead of the contract's (to compare options).

    Raises:
        CurrencyMismatchError: An amount or a service is not in the contract's currency.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.penalties import RemainingPercentPenalty
    >>> service = Service(id="s-1", product_id="desktop", unit_price=Money("1000.00", "USD"),
    ...                   start_date=date(2026, 1, 1))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="IT",
    ...                     start_date=date(2026, 1, 1), term_months=12, services=(service,),
    ...                     penalty=RemainingPercentPenalty(10, Money("100", "USD")))
    >>> quote = early_termination_penalty(contract, date(2026, 6, 30))
    >>> str(quote.base), str(quote.amount)
    ('USD 6,000.00', 'USD 600.00')
    """
    check_day(cancel_on, "cancel_on")
    rule = contract.penalty if penalty is None else penalty
    if not isinstance(rule, _KINDS):
        raise InvalidArgumentError(
            "penalty must be NoPenalty, FixedPenalty, RemainingPercentPenalty or "
            f"TotalPercentPenalty, got {rule!r}"
        )
    currency = contract.currency
    zero = Money.zero(currency)
    term_end = contract.end_date
    if term_end is None:
        return PenaltyQuote(
            penalty=rule, cancel_on=cancel_on, amount=zero, reason="open-ended contract"
        )
    if cancel_on >= term_end:
        return PenaltyQuote(
            penalty=rule, cancel_on=cancel_on, amount=zero, reason="the term has ended"
        )
    if isinstance(rule, NoPenalty):
        return PenaltyQuote(penalty=rule, cancel_on=cancel_on, amount=zero, reason="no penalty")
    if isinstance(rule, FixedPenalty):
        _check_currency(contract, rule.amount, "amount")
        return PenaltyQuote(
            penalty=rule, cancel_on=cancel_on, amount=rule.amount.rounded(), reason="fixed amount"
        )
    _check_currency(contract, rule.minimum, "minimum")
    if isinstance(rule, RemainingPercentPenalty):
        first = max(cancel_on + _ONE_DAY, contract.start_date)
        label = "remaining charges"
    else:
        first = contract.start_date
        label = "total charges of the term"
    window = Period(first, term_end)
    exact, lines = _charges(contract, window)
    percentage = Fraction(rule.percent) / 100 * exact
    minimum = Fraction(rule.minimum.amount)
    if percentage >= minimum:
        reason = f"{rule.percent.normalize():f} % of the {label}"
    else:
        reason = f"minimum (the {rule.percent.normalize():f} % of the {label} is less)"
    return PenaltyQuote(
        penalty=rule,
        cancel_on=cancel_on,
        amount=_round_half_up(max(percentage, minimum), currency),
        base=Money(_to_decimal(exact), currency),
        window=window,
        lines=lines,
        reason=reason,
    )
