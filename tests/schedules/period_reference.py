"""A day-by-day reference for billing periods (DESIGN 5.2), kept independent of the library.

It walks every day of a service's life and assigns it to a period by the
definition: a period starts on each day that is a "period start" by the
billing terms (asked of each day on its own, with anniversaries computed by
``dateutil.relativedelta`` from the service's start), and runs to the day
before the next one. No period arithmetic of the library is used.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from contractcore.contracts import Contract
from contractcore.pricing import BillingDay, BillingTerms, Period, Service

__all__ = ["ReferencePeriod", "reference_life", "reference_periods"]

ONE_DAY = timedelta(days=1)

#: (days to bill, the full period they are of, the day due)
ReferencePeriod = tuple[Period, Period, date]


def reference_life(contract: Contract, service: Service) -> Period | None:
    """The days of the service's life its contract covers, or None (as ``billable_period``)."""
    if contract.status == "pending":
        return None
    end = contract.last_covered_day
    if contract.status == "completed" and end is None:
        return None
    first = max(service.start_date, contract.covered_from)
    last = service.end_date
    if end is not None:
        last = end if last is None else min(last, end)
    if last is None:
        last = first + timedelta(days=1500)  # open-ended: far enough for any run in the tests
    return Period(first, last) if first <= last else None


def _months(terms: BillingTerms, service: Service) -> int:
    given = terms.billing_period_months
    return service.billing_period_months if given is None else given


def _first_billing_month(day: int, start: date) -> int:
    """The month (year * 12 + month - 1) of the first billing day on or after ``start``."""
    on = min(day, calendar.monthrange(start.year, start.month)[1])
    index = start.year * 12 + start.month - 1
    return index if on >= start.day else index + 1


def is_period_start(terms: BillingTerms, service: Service, day: date) -> bool:
    """Whether a billing period of ``service`` starts on ``day``, by the definition."""
    start = service.start_date
    weekly = terms.billing_period_days is not None
    alignment = terms.alignment
    if weekly:
        if alignment == "calendar":
            return day.isoweekday() == 1
        return (day - start).days % 7 == 0
    months = _months(terms, service)
    if alignment == "anniversary":
        if day < start:
            return False
        elapsed = (day.year - start.year) * 12 + day.month - start.month
        return any(
            start + relativedelta(months=k) == day
            for k in (elapsed - 1, elapsed, elapsed + 1)
            if k >= 0 and k % months == 0
        )
    if alignment == "calendar":
        return day.day == 1 and (day.month - 1) % months == 0
    assert isinstance(alignment, BillingDay)
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    index = day.year * 12 + day.month - 1
    in_cycle = (index - _first_billing_month(alignment.day, start)) % months == 0
    return in_cycle and day.day == min(alignment.day, last_of_month)


def reference_full_period(terms: BillingTerms, service: Service, day: date) -> Period:
    """The whole period holding ``day``: back to its start, on to the day before the next."""
    first = day
    while not is_period_start(terms, service, first):
        first -= ONE_DAY
    last = day
    while not is_period_start(terms, service, last + ONE_DAY):
        last += ONE_DAY
    return Period(first, last)


def reference_periods(contract: Contract, service: Service) -> list[ReferencePeriod]:
    """Every billing period of the service's covered life, walking it day by day."""
    life = reference_life(contract, service)
    if life is None:
        return []
    terms = contract.billing
    groups: list[list[date]] = []
    day = life.first
    while day <= life.last:
        if not groups or is_period_start(terms, service, day):
            groups.append([])
        groups[-1].append(day)
        day += ONE_DAY
    result = []
    for days in groups:
        period = Period(days[0], days[-1])
        full = reference_full_period(terms, service, days[0])
        due = period.first if terms.mode == "advance" else period.last + ONE_DAY
        result.append((period, full, due))
    return result
