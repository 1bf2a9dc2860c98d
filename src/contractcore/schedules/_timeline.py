"""Projecting a service's price and quantity over future dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.pricing._checks import check_day
from contractcore.schedules._apply import AppliedEvent, apply_schedules

if TYPE_CHECKING:
    from contractcore.contracts import Contract

__all__ = ["PricePoint", "price_timeline"]

_ONE_DAY = timedelta(days=1)


@attrs.frozen(kw_only=True)
class PricePoint:
    """The service's unit price and quantity from ``on`` until the next point.

    Attributes:
        on: The first day these values hold.
        unit_price: The unit price from that day (exact).
        quantity: The quantity from that day.
        changes: The events that took effect that day (empty for the first point).
    """

    on: date
    unit_price: Money
    quantity: Decimal
    changes: tuple[AppliedEvent, ...] = ()

    @property
    def recurring_charge(self) -> Money:
        """``unit_price * quantity``, exact."""
        return self.unit_price * self.quantity


def price_timeline(contract: Contract, service: Service, until: date) -> tuple[PricePoint, ...]:
    """Return the service's price and quantity at each scheduled change up to ``until``.

    The first point is the service as it stands, from the day after its
    watermark (or from its start date if it was never invoiced); each further
    point is a day on which scheduled events change it, computed with
    :func:`apply_schedules` itself, so the projection is what future invoice
    runs will apply (as long as the schedules do not change). Nothing is stored.

    Args:
        contract: The service's contract (its schedules apply).
        service: The service, with its current watermark.
        until: The last day to project (inclusive).

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent
    >>> service = Service(id="s-1", product_id="backup", unit_price=Money("100.00", "USD"),
    ...                   start_date=date(2026, 1, 1))
    >>> uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="Backup",
    ...                     start_date=date(2026, 1, 1), term_months=24,
    ...                     services=(service,), schedules=(uplift,))
    >>> [(p.on.isoformat(), str(p.unit_price)) for p in price_timeline(contract, service,
    ...                                                                 date(2027, 12, 31))]
    [('2026-01-01', 'USD 100.00'), ('2026-07-01', 'USD 110.00')]
    """
    check_day(until, "until")
    start = (
        service.applied_up_to + _ONE_DAY
        if service.applied_up_to is not None
        else service.start_date
    )
    points = [PricePoint(on=start, unit_price=service.unit_price, quantity=service.quantity)]
    if until < start:
        return tuple(points)
    run = apply_schedules(contract, service, Period(start, until))
    price, quantity = service.unit_price, service.quantity
    index = 0
    applied = run.applied
    while index < len(applied):
        day = applied[index].on
        changes = []
        while index < len(applied) and applied[index].on == day:
            event = applied[index]
            if isinstance(event.after, Money):
                price = event.after
            else:
                quantity = event.after
            changes.append(event)
            index += 1
        points.append(
            PricePoint(on=day, unit_price=price, quantity=quantity, changes=tuple(changes))
        )
    return tuple(points)
