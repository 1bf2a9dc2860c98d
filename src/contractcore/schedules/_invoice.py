"""An invoice run: apply the schedules to each service and charge its period."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import _MULTIPLY, Money, _new
from contractcore.pricing import Period, Service
from contractcore.pricing._service import state_on
from contractcore.schedules._apply import (
    AppliedEvent,
    _apply_plan,
    _fields_documented_by_class,
    _plan,
)

if TYPE_CHECKING:
    from contractcore.contracts import Contract

__all__ = ["InvoiceLine", "InvoiceRun", "invoice_run"]


class InvoiceLine(NamedTuple):
    """A recurring-charge line of an invoice run, with its schedule breakdown.

    A result record (a ``NamedTuple``, cheap to build: a run makes one per service).

    Attributes:
        service_id: The service charged.
        product_id: Its product.
        description: The service's description.
        period: The invoice period.
        unit_price: The unit price charged (scheduled changes applied).
        quantity: The quantity charged.
        amount: ``unit_price * quantity``, prorated by day when the service starts or
            ends inside the period, rounded half-up once.
        changes: The scheduled events applied for this period, with values before and after.
    """

    service_id: str
    product_id: str
    description: str
    period: Period
    unit_price: Money
    quantity: Decimal
    amount: Money
    changes: tuple[AppliedEvent, ...]


_fields_documented_by_class(InvoiceLine)


@attrs.frozen(kw_only=True)
class InvoiceRun:
    """The outcome of :func:`invoice_run`: the lines and the services to store.

    Store ``services`` together with the invoice (one transaction): their
    watermarks moved.

    Attributes:
        period: The invoice period.
        lines: One line per service active in the period.
        services: Every service given, updated where it was invoiced.
    """

    period: Period
    lines: tuple[InvoiceLine, ...]
    services: tuple[Service, ...]

    @property
    def total(self) -> Money | None:
        """The sum of the lines (already rounded each), or ``None`` without lines."""
        if not self.lines:
            return None
        return Money.total((line.amount for line in self.lines), self.lines[0].amount.currency)


def invoice_run(
    contract: Contract, period: Period, services: Iterable[Service] | None = None
) -> InvoiceRun:
    """Invoice the contract's services for one billing ``period``.

    Each service active in the period gets its due scheduled events applied
    (:func:`apply_schedules`) and one line charging ``unit_price * quantity``
    for the period, prorated by day if the service starts or ends inside it,
    or the contract does (recurring billing stops at the contract's end or
    cancellation date, even for a service that outlives it, and does not
    start before :attr:`~contractcore.contracts.Contract.covered_from`),
    rounded once. It bills exactly the days
    :func:`~contractcore.contracts.billable_period` allows: nothing for a
    pending contract (nor is any watermark moved), nor for a completed
    open-ended one. Services not active in the period are returned unchanged
    and get no line. Run it again for the same period: the prices do not move.
    A period the service was already invoiced through (its ``applied_up_to``
    is on or after the period's last day) is priced from the service's
    history, so previewing any past period gives the figures it was first
    invoiced with.
    It charges one period per call whatever a service's
    ``billing_period_months``: pass ``services`` to invoice only those due.

    Args:
        contract: The contract (its schedules apply).
        period: The billing period being invoiced, inclusive.
        services: The services to invoice; defaults to ``contract.services``.

    Raises:
        CurrencyMismatchError: A service is not priced in the contract's
            ``currency`` (checked for every service given, active or not).

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.pricing import Period
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("12.50", "USD"),
    ...                 quantity=10, start_date=date(2026, 1, 1))
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Office",
    ...                     status="active", start_date=date(2026, 1, 1), term_months=12,
    ...                     services=(seats,))
    >>> run = invoice_run(contract, Period(date(2026, 3, 1), date(2026, 3, 31)))
    >>> str(run.total), run.services[0].applied_up_to
    ('USD 125.00', datetime.date(2026, 3, 31))
    """
    if not isinstance(period, Period):
        raise InvalidArgumentError(f"period must be a Period, got {period!r}")
    given = tuple(contract.services if services is None else services)
    lines = []
    updated = []
    first_day, last_day, days = period.first, period.last, period.days
    # Recurring billing stops where the contract stops covering (its end or
    # cancellation date), even for a service that outlives it.
    covered_from, covered_to = contract.covered_from, contract.last_covered_day
    # As ``contracts.billable_period``: a pending contract bills nothing, nor does
    # a completed one with no known last day.
    status = contract.status
    bills = status != "pending" and not (status == "completed" and covered_to is None)
    currency = contract.currency
    plan = _plan(contract)  # once for all the services
    for service in given:
        if not isinstance(service, Service):
            raise InvalidArgumentError(f"services must hold Service values, got {service!r}")
        if service.unit_price.currency != currency:
            raise CurrencyMismatchError(
                f"service {service.id!r} is priced in {service.unit_price.currency}, "
                f"contract {contract.id!r} bills in {currency}"
            )
        start = service.start_date
        # The days charged: the service's, within the contract's and the period's.
        first = max(start, covered_from, first_day)
        end = service.end_date
        last = last_day if end is None else min(end, last_day)
        if covered_to is not None:
            last = min(last, covered_to)
        if first > last or not bills:
            updated.append(service)
            continue
        # A service never invoiced catches up every event since its start.
        new, changes = _apply_plan(plan, service, period)
        if new is service:
            # Already invoiced through the period: its price then is in the history.
            price, quantity = state_on(service, last_day)
        else:
            price, quantity = new.unit_price, new.quantity
        charge = _new(_MULTIPLY(price.amount, quantity), price.currency)
        if first > first_day or last < last_day:
            charge = charge * ((last - first).days + 1) / days
        lines.append(
            InvoiceLine(
                service_id=new.id,
                product_id=new.product_id,
                description=new.description,
                period=period,
                unit_price=price,
                quantity=quantity,
                amount=charge.rounded(),
                changes=changes,
            )
        )
        updated.append(new)
    return InvoiceRun(period=period, lines=tuple(lines), services=tuple(updated))
