"""An invoice run: apply the schedules to each service and charge its period."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.schedules._apply import AppliedEvent, apply_schedules

if TYPE_CHECKING:
    from contractcore.contracts import Contract

__all__ = ["InvoiceLine", "InvoiceRun", "invoice_run"]


@attrs.frozen(kw_only=True)
class InvoiceLine:
    """A recurring-charge line of an invoice run, with its schedule breakdown.

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
    rounded once. Services not active in the period are returned unchanged
    and get no line. Run it again for the same period: the prices do not move.

    Args:
        contract: The contract (its schedules apply).
        period: The billing period being invoiced, inclusive.
        services: The services to invoice; defaults to ``contract.services``.
    """
    given = tuple(contract.services if services is None else services)
    lines = []
    updated = []
    days = period.days
    for service in given:
        end = service.end_date
        if service.start_date > period.last or (end is not None and end < period.first):
            updated.append(service)
            continue
        first = max(period.first, service.start_date)
        # A service starting inside the period has no events to catch up before its start.
        run = apply_schedules(contract, service, Period(first, period.last))
        new = run.service
        charge = new.unit_price * new.quantity
        last = period.last if end is None or end > period.last else end
        active = (last - first).days + 1
        if active != days:
            charge = charge * active / days
        lines.append(
            InvoiceLine(
                service_id=new.id,
                product_id=new.product_id,
                description=new.description,
                period=period,
                unit_price=new.unit_price,
                quantity=new.quantity,
                amount=charge.rounded(),
                changes=run.applied,
            )
        )
        updated.append(new)
    return InvoiceRun(period=period, lines=tuple(lines), services=tuple(updated))
