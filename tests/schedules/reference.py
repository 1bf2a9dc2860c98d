"""A brute-force reference for applying update schedules, kept independent of the library.

It walks the window day by day, asks every event of every targeted schedule
(in schedule order, then event order) whether it falls on that day, with dates
computed by ``dateutil.relativedelta``, and applies plain arithmetic.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import attrs
from dateutil.relativedelta import relativedelta

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.schedules import After, AtRenewal, Delta, On, Percent, SetTo, UpdateEvent

__all__ = [
    "reference_apply",
    "reference_charged_days",
    "reference_event_day",
    "reference_prorated_amount",
    "reference_values_on",
]


def reference_event_day(event: UpdateEvent, service: Service, contract: Contract) -> date | None:
    when = event.when
    if isinstance(when, On):
        return when.date
    if isinstance(when, AtRenewal):
        renews = contract.status not in ("canceled", "completed")
        if contract.kind == "auto_renew" and contract.end_date is not None and renews:
            return contract.end_date + timedelta(days=1)
        return None
    assert isinstance(when, After)
    anchor = service.start_date if when.from_ == "service_start" else contract.start_date
    if when.months is not None:
        return anchor + relativedelta(months=when.months)
    assert when.days is not None
    return anchor + timedelta(days=when.days)


def _change(current: Decimal, event: UpdateEvent) -> Decimal:
    value = event.value
    if isinstance(value, Percent):
        return current + current * value.percent / 100
    raw = value.value if isinstance(value, SetTo) else value.amount
    number = raw.amount if isinstance(raw, Money) else raw
    if isinstance(value, Delta):
        return current + number
    return number


def reference_apply(
    contract: Contract, service: Service, last: date
) -> tuple[Decimal, Decimal, date | None, list[tuple[date, int, int]]]:
    """Return (price amount, quantity, watermark, applied (day, schedule, event)).

    Only the period's last day matters: the window starts at the watermark.
    """
    # No watermark: counts as watermarked on the day before the service's start.
    low = (
        service.applied_up_to
        if service.applied_up_to is not None
        else service.start_date - timedelta(days=1)
    )
    price = service.unit_price.amount
    quantity = service.quantity
    applied: list[tuple[date, int, int]] = []
    day = low + timedelta(days=1)
    while day <= last:
        for s_index, schedule in enumerate(contract.schedules):
            if schedule.targets is not None and service.id not in schedule.targets:
                continue
            for e_index, event in enumerate(schedule.events):
                if reference_event_day(event, service, contract) != day:
                    continue
                if event.action == "price":
                    price = _change(price, event)
                else:
                    quantity = _change(quantity, event)
                applied.append((day, s_index, e_index))
        day += timedelta(days=1)
    watermark = service.applied_up_to
    if low < last:
        watermark = last
    return price, quantity, watermark, applied


def reference_values_on(
    contract: Contract, service: Service, days: list[date]
) -> list[tuple[Decimal, Decimal]]:
    """The (price amount, quantity) in force on each of ``days`` (ascending), for a
    service with no history yet.

    Up to its watermark a service without history had its recorded values all
    along; after it, the events up to the day apply. Walks the days once.
    """
    values = []
    current = service
    for day in days:
        if current.applied_up_to is not None and day <= current.applied_up_to:
            values.append((current.unit_price.amount, current.quantity))
            continue
        price, quantity, _, _ = reference_apply(contract, current, day)
        values.append((price, quantity))
        current = attrs.evolve(
            current, unit_price=Money(price, "USD"), quantity=quantity, applied_up_to=day
        )
    return values


def reference_charged_days(contract: Contract, service: Service, period: Period) -> list[date]:
    """The days of ``period`` both the (active) contract and the service cover, one by one."""
    days = (period.first + timedelta(days=n) for n in range(period.days))
    end = contract.last_covered_day
    return [
        day
        for day in days
        if service.start_date <= day
        and (service.end_date is None or day <= service.end_date)
        and contract.covered_from <= day
        and (end is None or day <= end)
    ]


def reference_prorated_amount(contract: Contract, service: Service, period: Period) -> Decimal:
    """``mid_period_changes="prorate"`` day by day: each charged day's price times
    quantity over the period's days, summed exactly, rounded half-up once (2 places)."""
    total = sum(
        (
            Fraction(price) * Fraction(quantity) / period.days
            for price, quantity in reference_values_on(
                contract, service, reference_charged_days(contract, service, period)
            )
        ),
        Fraction(0),
    )
    return Decimal(math.floor(total * 100 + Fraction(1, 2))) / 100
