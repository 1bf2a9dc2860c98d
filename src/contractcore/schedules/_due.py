"""The billing periods due for a service on a day, by its contract's billing terms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.pricing import Period, Service
from contractcore.pricing._billing import full_periods
from contractcore.schedules._terms import ScheduleTerms

__all__ = ["DuePeriod", "due_periods"]

_ONE_DAY = timedelta(days=1)


@attrs.frozen
class DuePeriod:
    """A billing period due for a service: the days to bill, and the full period they are of.

    A stub (the first calendar month of a service starting on the 15th, the
    last period of a service that ends inside it) is a ``period`` shorter
    than its ``full`` period: a line prorates it by day, ``period.days`` out
    of ``full.days``.

    Attributes:
        period: The days to bill, inclusive.
        full: The whole billing period they belong to (``period`` when no stub).
        due_on: The day it is due: ``period.first`` billed in advance, the
            day after ``period.last`` billed in arrears.

    >>> from datetime import date
    >>> stub = DuePeriod(Period(date(2026, 1, 15), date(2026, 1, 31)),
    ...                  Period(date(2026, 1, 1), date(2026, 1, 31)), date(2026, 2, 1))
    >>> stub.is_stub, stub.period.days, stub.full.days
    (True, 17, 31)
    """

    period: Period
    full: Period
    due_on: date

    @property
    def is_stub(self) -> bool:
        """Whether it bills fewer days than its full period."""
        return self.period != self.full


def due_periods(contract: ScheduleTerms, service: Service, through: date) -> tuple[DuePeriod, ...]:
    """The periods of ``service`` due on or before ``through`` and not yet invoiced, in order.

    The contract's :attr:`~contractcore.contracts.Contract.billing` terms
    say how the periods fall and when each is due (DESIGN 5.2). Billed in
    advance a period is due on its first day; in arrears, the day after its
    last day. Periods are computed from their anchor every time, so they
    never drift: anniversary periods from the service's start (a service
    starting on the 31st bills from the 28th/30th/31st), calendar periods
    are calendar months, quarters or years (weekly: ISO weeks, Monday to
    Sunday), and ``BillingDay(n)`` periods start on day ``n`` clamped to the
    month's last day. Weekly anniversary periods run 7 days from the start.

    The service's life is cut to the days its contract covers, as
    :func:`~contractcore.contracts.billable_period` does: from the later of
    its start and the contract's ``covered_from`` to the earliest of its
    ``end_date`` and the contract's ``last_covered_day``. A period cut there
    is a stub (a calendar service's first and last months, the billing-day
    stub before the first billing day). Days on or before the service's
    ``billed_through`` are left out: a period it ends inside gives the days
    after it. A pending contract has no due periods, nor has a completed one
    with no known last day. Nothing is changed: the caller invoicing a
    period sets ``billed_through`` to its last day.

    Args:
        contract: The contract (its billing terms and the days it covers).
        service: One of its services.
        through: The run's day: periods due on or before it are listed.

    Raises:
        InvalidArgumentError: ``through`` is not a calendar date, ``service``
            is not a :class:`~contractcore.pricing.Service`, or the billing
            terms give a period length the service does not have.

    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import BillingTerms
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("12.50", "USD"),
    ...                 start_date=date(2026, 1, 15))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...                     status="active", start_date=date(2026, 1, 15), services=(seats,),
    ...                     billing=BillingTerms(mode="advance", alignment="calendar"))
    >>> for due in due_periods(contract, seats, date(2026, 3, 1)):
    ...     print(due.period.first, due.period.last, f"{due.period.days}/{due.full.days}")
    2026-01-15 2026-01-31 17/31
    2026-02-01 2026-02-28 28/28
    2026-03-01 2026-03-31 31/31
    """
    if isinstance(through, datetime) or not isinstance(through, date):
        raise InvalidArgumentError(f"through must be a datetime.date, got {through!r}")
    if not isinstance(service, Service):
        raise InvalidArgumentError(f"service must be a Service, got {service!r}")
    terms = contract.billing
    months = terms.billing_period_months
    weekly = terms.billing_period_days is not None
    if months is not None and not weekly and service.billing_period_months != months:
        raise InvalidArgumentError(
            f"service {service.id!r} is billed every {service.billing_period_months} "
            f"months, contract {contract.id!r} says billing_period_months={months}"
        )
    status = contract.status
    covered_to = contract.last_covered_day
    if status == "pending" or (status == "completed" and covered_to is None):
        return ()
    first = max(service.start_date, contract.covered_from)
    billed = service.billed_through
    if billed is not None and billed >= first:
        first = billed + _ONE_DAY
    last = service.end_date
    if covered_to is not None and (last is None or covered_to < last):
        last = covered_to
    if last is not None and last < first:
        return ()
    advance = terms.mode == "advance"
    due: list[DuePeriod] = []
    for full in full_periods(terms, service, first):
        if last is not None and full.first > last:
            break
        piece_first = max(full.first, first)
        piece_last = full.last if last is None or full.last < last else last
        due_on = piece_first if advance else piece_last + _ONE_DAY
        if due_on > through:
            break
        period = full if (piece_first, piece_last) == (full.first, full.last) else None
        due.append(DuePeriod(period or Period(piece_first, piece_last), full, due_on))
    return tuple(due)
